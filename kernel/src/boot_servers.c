/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading and starting the initial servers from the boot modules.
 *
 * Module 0 is sigma0, module 1 the root task, the rest are passed on.  Both
 * servers are ELF-loaded at their physical addresses; the KIP then receives
 * their regions and entry points, the memory descriptors and the generic
 * bootinfo, and the servers start as privileged threads (X.2 §1.3 / ABI).
 */
#include <kernel/boot.h>
#include <kernel/bootinfo.h>
#include <kernel/elf.h>
#include <kernel/kip.h>
#include <kernel/kdb.h>
#include <kernel/memory.h>
#include <kernel/thread.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/console.h>
#include <kernel/string.h>
#include <arch/thread.h>
#include <mode/layout.h>

#define SERVER_KIP_AREA   0xBFF00000UL
#define SERVER_UTCB_AREA  0xBF000000UL
#define SERVER_UTCB_LOG2  18            /* room for 256 UTCBs */

extern char _kernel_phys_start[], _kernel_phys_end[];

const char *boot_option(const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    for (const char *p = boot_info.cmdline; *p;) {
        while (*p == ' ') {
            p++;
        }
        const char *word = p;
        while (*p && *p != ' ') {
            p++;
        }
        if ((size_t)(p - word) > klen && !strncmp(word, key, klen) && word[klen] == '=') {
            size_t n = (size_t)(p - word) - klen - 1;
            n = n < size - 1 ? n : size - 1;
            memcpy(buf, word + klen + 1, n);
            buf[n] = '\0';
            return buf;
        }
    }
    return NULL;
}

static bool in_ram(paddr_t base, paddr_t end)
{
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const boot_mem_t *m = &boot_info.mem[i];
        if (m->type == 1 && base >= m->base && end <= m->base + m->size) {
            return true;
        }
    }
    return false;
}

static bool overlaps(paddr_t a, paddr_t b, paddr_t c, paddr_t d)
{
    return a < d && c < b;
}

static void inspect(unsigned idx, const char *what, elf_image_t *img)
{
    const boot_module_t *m = &boot_info.mod[idx];
    const char *err = elf_inspect(phys_to_virt(m->start), (size_t)(m->end - m->start), img);
    if (err) {
        panic("%s (module %u, \"%s\"): %s", what, idx, m->cmdline, err);
    }
    if (!in_ram(img->low, img->high) || boot_range_busy(img->low, img->high) ||
        overlaps(img->low, img->high, kernel_pool_base, kernel_pool_end) ||
        img->high > PHYSMAP_MAX) {
        panic("%s: cannot load at [%lx, %lx): not free RAM", what, (unsigned long)img->low,
              (unsigned long)img->high);
    }
}

static void add_memory_descriptors(const elf_image_t *s0, const elf_image_t *root,
                                   paddr_t bootinfo, size_t bootinfo_size)
{
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const boot_mem_t *m = &boot_info.mem[i];
        if (m->size) {
            kip_add_memdesc(m->type == 1 ? MEMDESC_CONVENTIONAL : MEMDESC_ARCH,
                            m->type == 1 ? 0 : m->type, false, m->base, m->base + m->size - 1);
        }
    }
    kip_add_memdesc(MEMDESC_SHARED, 0, false, 0xA0000, 0xBFFFF);
    kip_add_memdesc(MEMDESC_RESERVED, 0, false, (word_t)_kernel_phys_start,
                    (word_t)_kernel_phys_end - 1);
    kip_add_memdesc(MEMDESC_RESERVED, 0, false, kernel_pool_base, kernel_pool_end - 1);
    kip_add_memdesc(MEMDESC_RESERVED, 0, false, 0xFEC00000, 0xFEC00FFF);
    kip_add_memdesc(MEMDESC_RESERVED, 0, false, 0xFEE00000, 0xFEE00FFF);
    kip_add_memdesc(MEMDESC_BOOTLOADER, 2, false, s0->low, s0->high - 1);
    kip_add_memdesc(MEMDESC_BOOTLOADER, 2, false, root->low, root->high - 1);
    for (unsigned i = 2; i < boot_info.nmod; i++) {
        const boot_module_t *m = &boot_info.mod[i];
        kip_add_memdesc(MEMDESC_BOOTLOADER, 3, false, m->start, ALIGN_UP(m->end, 1024) - 1);
    }
    kip_add_memdesc(MEMDESC_BOOTLOADER, 1, false, bootinfo, bootinfo + bootinfo_size - 1);
    kip_add_memdesc(MEMDESC_CONVENTIONAL, 0, true, 0, USER_AREA_END - 1);
}

/* Find free RAM for the bootinfo: not the kernel, pool, modules or servers. */
static paddr_t find_free(size_t size, const elf_image_t *s0, const elf_image_t *root)
{
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const boot_mem_t *m = &boot_info.mem[i];
        if (m->type != 1) {
            continue;
        }
        for (paddr_t p = ALIGN_UP(m->base, PAGE_SIZE); p + size <= m->base + m->size;
             p += PAGE_SIZE) {
            if (!boot_range_busy(p, p + size) && !overlaps(p, p + size, s0->low, s0->high) &&
                !overlaps(p, p + size, root->low, root->high) &&
                !overlaps(p, p + size, kernel_pool_base, kernel_pool_end)) {
                return p;
            }
        }
    }
    panic("no free memory for the bootinfo");
}

static tcb_t *start_server(word_t no, const elf_image_t *img, threadid_t pager, bool sigma0)
{
    space_t *s = space_create(KMEM_UNLIMITED);     /* docs/kmem.md */
    if (!s || space_set_areas(s, fpage_make(SERVER_KIP_AREA, PAGE_BITS, 0),
                              fpage_make(SERVER_UTCB_AREA, SERVER_UTCB_LOG2, 0)) != 0) {
        panic("cannot create the space of initial server %lu", no);
    }
    s->privileged = true;
    if (sigma0 && !space_make_sigma0(s)) {
        panic("cannot create sigma0's space");
    }
    tcb_t *t = thread_create(tid_global(no, 1), s);
    if (!t || !thread_activate(t, SERVER_UTCB_AREA, pager)) {
        panic("cannot create initial server %lu", no);
    }
    t->scheduler = tid_global(THREAD_USER_BASE + 2, 1);
    sched_set_prio(t, PRIO_ROOT);
    thread_start(t, img->entry, 0);
    return t;
}

void boot_load_servers(void)
{
    char opt[16];
    arch_user_iopl3 = boot_option("iopl", opt, sizeof(opt)) && !strcmp(opt, "3");
    kdb_init();
    if (boot_info.nmod < 2) {
        panic("boot modules missing: need sigma0 and a root task (got %u)", boot_info.nmod);
    }
    elf_image_t s0, root;
    inspect(0, "sigma0", &s0);
    inspect(1, "root task", &root);
    if (overlaps(s0.low, s0.high, root.low, root.high)) {
        panic("sigma0 and the root task overlap");
    }
    elf_load(phys_to_virt(boot_info.mod[0].start), &s0);
    elf_load(phys_to_virt(boot_info.mod[1].start), &root);

    kip.sigma0 = (kip_server_t){ 0, s0.entry, s0.low, s0.high };
    kip.root_server = (kip_server_t){ 0, root.entry, root.low, root.high };

    size_t bi_size = ALIGN_UP(bootinfo_size(), PAGE_SIZE);
    paddr_t bi = find_free(bi_size, &s0, &root);
    bootinfo_build(phys_to_virt(bi), bi_size, &s0, &root);
    kip.boot_info = bi;
    add_memory_descriptors(&s0, &root, bi, bi_size);

    threadid_t s0_id = tid_global(THREAD_USER_BASE, 1);
    start_server(THREAD_USER_BASE, &s0, NILTHREAD, true);
    start_server(THREAD_USER_BASE + 2, &root, s0_id, false);
    printk("boot: sigma0 [%lx, %lx) entry %lx, root task [%lx, %lx) entry %lx\n",
           (unsigned long)s0.low, (unsigned long)s0.high, s0.entry, (unsigned long)root.low,
           (unsigned long)root.high, root.entry);
}
