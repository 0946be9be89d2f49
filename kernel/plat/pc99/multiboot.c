/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot (v1) information parser.
 *
 * Copies the memory map, the modules and all command lines into boot_info
 * so that the loader's memory may be reused afterwards.
 */
#include <plat/platform.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/string.h>
#include <mode/layout.h>

#define MB1_BOOT_MAGIC 0x2BADB002
#define MBI_MEM        BIT(0)
#define MBI_CMDLINE    BIT(2)
#define MBI_MODS       BIT(3)
#define MBI_MMAP       BIT(6)

typedef struct PACKED {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} mbi_t;

typedef struct PACKED {
    uint32_t size;
    uint64_t base, length;
    uint32_t type;
} mb_mmap_t;

typedef struct PACKED {
    uint32_t start, end, cmdline, reserved;
} mb_module_t;

boot_info_t boot_info;

static void copy_string(char *dst, paddr_t src)
{
    const char *s = src ? phys_to_virt(src) : "";
    size_t n = strnlen(s, BOOT_CMDLINE_MAX - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

void plat_parse_boot(uint32_t magic, paddr_t info)
{
    if (magic != MB1_BOOT_MAGIC) {
        panic("not started by a Multiboot loader (magic %x)", magic);
    }
    const mbi_t *mbi = phys_to_virt(info);
    boot_info.loader_info = info;
    if (mbi->flags & MBI_CMDLINE) {
        copy_string(boot_info.cmdline, mbi->cmdline);
    }
    if (mbi->flags & MBI_MMAP) {
        paddr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
        while (p < end && boot_info.nmem < BOOT_MAX_MEM) {
            const mb_mmap_t *m = phys_to_virt(p);
            boot_info.mem[boot_info.nmem++] = (boot_mem_t){ m->base, m->length, m->type };
            p += m->size + sizeof(m->size);
        }
    } else if (mbi->flags & MBI_MEM) {
        boot_info.mem[0] = (boot_mem_t){ 0, (paddr_t)mbi->mem_lower << 10, 1 };
        boot_info.mem[1] = (boot_mem_t){ 1UL << 20, (paddr_t)mbi->mem_upper << 10, 1 };
        boot_info.nmem = 2;
    } else {
        panic("the boot loader gave no memory map");
    }
    if (mbi->flags & MBI_MODS) {
        const mb_module_t *m = phys_to_virt(mbi->mods_addr);
        for (unsigned i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES; i++) {
            boot_module_t *bm = &boot_info.mod[boot_info.nmod++];
            bm->start = m[i].start;
            bm->end = m[i].end;
            copy_string(bm->cmdline, m[i].cmdline);
        }
    }
}
