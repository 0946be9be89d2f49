/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 four-level page tables.
 *
 * The master table holds the kernel half: the physmap (PML4 slot 256), the
 * TCB array (slots 384..415, tcb_area.c), the user window (slot 510) and
 * the kernel image (slot 511).  Those slots are
 * filled at boot and never change, so user tables copy them once and all
 * spaces see the same kernel.  Page-table pages come from the kernel pool,
 * charged to the owner's kernel-memory account (docs/kmem.md).  User pages
 * are 4 KiB (PT entries), 2 MiB (PD entries) and, when the CPU has them,
 * 1 GiB (PDPT entries); a large entry is split one level at a time.
 */
#include <arch/pgtable.h>
#include <arch/cpu.h>
#include <kernel/kmem.h>
#include <kernel/string.h>
#include <kernel/console.h>
#include <kernel/fpage.h>
#include <mode/layout.h>
#include "pgtable_priv.h"
#include <arch/tcb_area.h>

#define PML4_PHYSMAP 256
#define PML4_WINDOW  510
#define PML4_KERNEL  511
#define PHYSMAP_PDS  (PHYSMAP_MAX >> 30)

static pte_t master_pml4[512] ALIGNED(4096);
static pte_t physmap_pdpt[512] ALIGNED(4096);
static pte_t physmap_pd[PHYSMAP_PDS][512] ALIGNED(4096);
static pte_t kernel_pdpt[512] ALIGNED(4096);
static pte_t kernel_pd[512] ALIGNED(4096);
static pte_t window_pdpt[512] ALIGNED(4096);
static pte_t window_pd[512] ALIGNED(4096);
static pte_t window_pt[512] ALIGNED(4096);
static pgtable_t kernel_pgt;
pte_t pgt_nx;
bool pgt_gib;

extern uint32_t boot_has_nx;
extern char _kernel_phys_end[];

static paddr_t kphys(const void *p)
{
    return virt_to_phys(p);
}

const pgtable_t *pgt_kernel(void)
{
    return &kernel_pgt;
}

/* CPUID 0x80000001 EDX bit 26: PDPT entries may map 1 GiB pages. */
static bool cpu_has_gib_pages(void)
{
    uint32_t r[4];
    cpuid(0x80000000, 0, r);
    if (r[0] < 0x80000001) {
        return false;
    }
    cpuid(0x80000001, 0, r);
    return r[3] & BIT(26);
}

word_t pgt_page_sizes(void)
{
    return BIT(PAGE_BITS) | BIT(SUPERPAGE_BITS) | (pgt_gib ? BIT(GIGAPAGE_BITS) : 0);
}

void pgt_kernel_init(paddr_t phys_end)
{
    pgt_nx = boot_has_nx ? PTE_NX : 0;
    pgt_gib = cpu_has_gib_pages();
    printk("pgtable: user pages of 4 KiB, 2 MiB%s\n", pgt_gib ? ", 1 GiB" : "");
    if (phys_end > PHYSMAP_MAX) {
        printk("pgtable: physmap limited to %lu GiB\n", PHYSMAP_MAX >> 30);
        phys_end = PHYSMAP_MAX;
    }
    /* Physmap: all of [0, max(phys_end, 4 GiB)) with 2 MiB pages.  The
     * first 4 GiB include MMIO (local APIC, IO-APIC); callers that map
     * device registers use pgt_kernel_uncached(). */
    paddr_t end = phys_end > (4UL << 30) ? phys_end : (4UL << 30);
    for (paddr_t pa = 0; pa < end; pa += SUPERPAGE_SIZE) {
        unsigned gib = (unsigned)(pa >> 30), idx = (unsigned)((pa >> 21) & 511);
        physmap_pd[gib][idx] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | pgt_nx;
        physmap_pdpt[gib] = kphys(physmap_pd[gib]) | PTE_P | PTE_W;
    }
    master_pml4[PML4_PHYSMAP] = kphys(physmap_pdpt) | PTE_P | PTE_W;

    /* Kernel image: the first GiB of physical memory at -2 GiB. */
    for (unsigned i = 0; i < 512; i++) {
        kernel_pd[i] = ((paddr_t)i << 21) | PTE_P | PTE_W | PTE_PS | PTE_G;
    }
    kernel_pdpt[510] = kphys(kernel_pd) | PTE_P | PTE_W;
    master_pml4[PML4_KERNEL] = kphys(kernel_pdpt) | PTE_P | PTE_W;

    /* User window: the path is user-accessible, the leaves decide. */
    window_pd[0] = kphys(window_pt) | PTE_P | PTE_W | PTE_U;
    window_pdpt[0] = kphys(window_pd) | PTE_P | PTE_W | PTE_U;
    master_pml4[PML4_WINDOW] = kphys(window_pdpt) | PTE_P | PTE_W | PTE_U;

    /* The virtual TCB array (tcb_area.c). */
    arch_tcb_area_init(master_pml4);

    kernel_pgt.root = kphys(master_pml4);
    write_cr4(read_cr4() | CR4_PGE);
    pgt_activate(&kernel_pgt);
}

/* Make the 2 MiB physmap page holding pa uncached (device registers). */
void pgt_kernel_uncached(paddr_t pa)
{
    unsigned gib = (unsigned)(pa >> 30), idx = (unsigned)((pa >> 21) & 511);
    physmap_pd[gib][idx] |= PTE_PCD | PTE_PWT;
    invlpg((word_t)phys_to_virt(ALIGN_DOWN(pa, SUPERPAGE_SIZE)));
}

void pgt_user_window_init(paddr_t stubs, paddr_t utcbptr)
{
    window_pt[0] = stubs | PTE_P | PTE_U | PTE_G;
    window_pt[1] = utcbptr | PTE_P | PTE_U | PTE_G | pgt_nx;
}

bool pgt_init(pgtable_t *p, struct kmem_account *acct)
{
    pte_t *root = kmem_alloc_charged(acct);
    if (!root) {
        return false;
    }
    memcpy(&root[256], &master_pml4[256], 256 * sizeof(pte_t));
    p->root = kphys(root);
    p->acct = acct;
    return true;
}

/* Free the tables below table (at level); returns whether a present leaf
 * was found among them. */
static bool free_level(pgtable_t *p, pte_t *table, unsigned level)
{
    bool leaves = false;
    for (unsigned i = 0; i < 512; i++) {
        pte_t e = table[i];
        if ((e & PTE_P) && !(e & PTE_PS) && level > 1) {
            pte_t *next = phys_to_virt(e & PTE_ADDR);
            leaves |= free_level(p, next, level - 1);
            kmem_free_charged(p->acct, next);
        } else {
            leaves |= (e & PTE_P) != 0;
        }
    }
    return leaves;
}

void pgt_destroy(pgtable_t *p)
{
    pte_t *root = phys_to_virt(p->root);
    for (unsigned i = 0; i < 256; i++) {
        if (root[i] & PTE_P) {
            pte_t *pdpt = phys_to_virt(root[i] & PTE_ADDR);
            free_level(p, pdpt, 3);
            kmem_free_charged(p->acct, pdpt);
        }
    }
    kmem_free_charged(p->acct, root);
    p->root = 0;
}

static unsigned index_at(word_t va, unsigned level)
{
    return (unsigned)((va >> pgt_level_shift(level)) & 511);
}

bool pgt_split_large(pgtable_t *p, pte_t *e, unsigned level, word_t va)
{
    pte_t *t = kmem_alloc_charged(p->acct);
    if (!t) {
        return false;
    }
    unsigned piece = pgt_level_shift(level - 1);
    paddr_t base = *e & PTE_ADDR & ~MASK(pgt_level_shift(level));
    pte_t flags = (*e & ~PTE_ADDR) | PTE_P | (*e & PTE_PAT_LG);
    if (level == 2) {
        /* 4 KiB entries: no PS, and the PAT bit moves from bit 12 to bit 7. */
        flags = (flags & ~PTE_PS & ~PTE_PAT_LG) | ((*e & PTE_PAT_LG) ? PTE_PAT : 0);
    }
    for (unsigned i = 0; i < 512; i++) {
        t[i] = (base + ((paddr_t)i << piece)) | flags;
    }
    *e = kphys(t) | PTE_P | PTE_W | PTE_U;
    /* Same translations, but no TLB entry of the old size may linger. */
    invlpg(va);
    return true;
}

pte_t *pgt_walk_level(pgtable_t *p, word_t va, unsigned target, bool alloc,
                      unsigned *level_out)
{
    pte_t *table = phys_to_virt(p->root);
    for (unsigned level = 4; level > target; level--) {
        pte_t *e = &table[index_at(va, level)];
        if (level_out) {
            *level_out = level;
        }
        if (!(*e & PTE_P)) {
            if (!alloc) {
                return NULL;
            }
            pte_t *next = kmem_alloc_charged(p->acct);
            if (!next) {
                return NULL;
            }
            *e = kphys(next) | PTE_P | PTE_W | PTE_U;
        } else if (*e & PTE_PS) {
            if (!alloc) {
                return e;
            }
            if (!pgt_split_large(p, e, level, va)) {
                return NULL;
            }
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    if (level_out) {
        *level_out = target;
    }
    return &table[index_at(va, target)];
}

pte_t *pgt_walk(pgtable_t *p, word_t va, unsigned target, bool alloc)
{
    return pgt_walk_level(p, va, target, alloc, NULL);
}

bool pgt_map(pgtable_t *p, word_t va, paddr_t pa, unsigned size_log2, unsigned rights)
{
    unsigned level = pgt_level_of(size_log2);
    pte_t *e = pgt_walk(p, va, level, true);
    if (!e) {
        return false;
    }
    bool flush = *e & PTE_P;
    if (level > 1 && (*e & PTE_P) && !(*e & PTE_PS)) {
        /* Tables of smaller pages give way to the large page.  The mapping
         * database removed their pages before; if some are left, every
         * TLB entry of this space goes. */
        pte_t *t = phys_to_virt(*e & PTE_ADDR);
        bool leaves = free_level(p, t, level - 1);
        kmem_free_charged(p->acct, t);
        *e = 0;
        if (leaves && read_cr3() == p->root) {
            write_cr3(p->root);
        }
    }
    pte_t v = pa | PTE_P | PTE_U;
    v |= (rights & FPAGE_RIGHT_W) ? PTE_W : 0;
    v |= (rights & FPAGE_RIGHT_X) ? 0 : pgt_nx;
    v |= level > 1 ? PTE_PS : 0;
    /* The same frame again keeps its memory type (MemoryControl). */
    if ((*e & PTE_P) && (*e & PTE_ADDR & ~MASK(size_log2)) == pa) {
        v |= *e & (level > 1 ? PTE_MEMTYPE_LG : PTE_MEMTYPE);
    }
    *e = v;
    if (flush) {
        invlpg(va);
    }
    return true;
}

void pgt_unmap(pgtable_t *p, word_t va)
{
    pte_t *e = pgt_walk(p, va, 1, false);
    if (e && (*e & PTE_P)) {
        *e = 0;
        invlpg(va);
    }
}

bool pgt_lookup(pgtable_t *p, word_t va, paddr_t *pa, unsigned *size_log2, unsigned *rights)
{
    unsigned hole;
    return pgt_probe(p, va, pa, size_log2, rights, &hole);
}

bool pgt_probe(pgtable_t *p, word_t va, paddr_t *pa, unsigned *size_log2, unsigned *rights,
               unsigned *hole_log2)
{
    unsigned level = 1;
    pte_t *e = pgt_walk_level(p, va, 1, false, &level);
    if (!e || !(*e & PTE_P)) {
        *hole_log2 = pgt_level_shift(level);
        return false;
    }
    /* Bit 7 is PS only above level 1 (PAT in a 4 KiB entry). */
    unsigned s = pgt_level_shift(level);
    if (pa) {
        *pa = (*e & PTE_ADDR & ~MASK(s)) | (va & MASK(s));
    }
    if (size_log2) {
        *size_log2 = s;
    }
    if (rights) {
        *rights = FPAGE_RIGHT_R | ((*e & PTE_W) ? FPAGE_RIGHT_W : 0) |
                  ((*e & pgt_nx) && pgt_nx ? 0 : FPAGE_RIGHT_X);
    }
    return true;
}

void pgt_activate(const pgtable_t *p)
{
    write_cr3(p->root);
}
