/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 four-level page tables.
 *
 * The master table holds the kernel half: the physmap (PML4 slot 256), the
 * user window (slot 510) and the kernel image (slot 511).  Those slots are
 * filled at boot and never change, so user tables copy them once and all
 * spaces see the same kernel.  Page-table pages come from the kernel pool,
 * charged to the owner's kernel-memory account (docs/kmem.md).
 */
#include <arch/pgtable.h>
#include <arch/cpu.h>
#include <kernel/kmem.h>
#include <kernel/string.h>
#include <kernel/console.h>
#include <kernel/fpage.h>
#include <mode/layout.h>

#define PTE_P    BIT(0)
#define PTE_W    BIT(1)
#define PTE_U    BIT(2)
#define PTE_PWT  BIT(3)
#define PTE_PCD  BIT(4)
#define PTE_PS   BIT(7)
#define PTE_G    BIT(8)
#define PTE_NX   BIT(63)
#define PTE_ADDR 0x000FFFFFFFFFF000UL

#define PML4_PHYSMAP 256
#define PML4_WINDOW  510
#define PML4_KERNEL  511
#define PHYSMAP_PDS  (PHYSMAP_MAX >> 30)

typedef uint64_t pte_t;

static pte_t master_pml4[512] ALIGNED(4096);
static pte_t physmap_pdpt[512] ALIGNED(4096);
static pte_t physmap_pd[PHYSMAP_PDS][512] ALIGNED(4096);
static pte_t kernel_pdpt[512] ALIGNED(4096);
static pte_t kernel_pd[512] ALIGNED(4096);
static pte_t window_pdpt[512] ALIGNED(4096);
static pte_t window_pd[512] ALIGNED(4096);
static pte_t window_pt[512] ALIGNED(4096);
static pgtable_t kernel_pgt;
static pte_t nx_bit;

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

void pgt_kernel_init(paddr_t phys_end)
{
    nx_bit = boot_has_nx ? PTE_NX : 0;
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
        physmap_pd[gib][idx] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx_bit;
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
    window_pt[1] = utcbptr | PTE_P | PTE_U | PTE_G | nx_bit;
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

static void free_level(pgtable_t *p, pte_t *table, unsigned level)
{
    for (unsigned i = 0; i < 512; i++) {
        pte_t e = table[i];
        if ((e & PTE_P) && !(e & PTE_PS) && level > 1) {
            pte_t *next = phys_to_virt(e & PTE_ADDR);
            free_level(p, next, level - 1);
            kmem_free_charged(p->acct, next);
        }
    }
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
    return (unsigned)((va >> (PAGE_BITS + 9 * (level - 1))) & 511);
}

/* Replace the large-page entry *e (mapping 2 MiB at level 2) by a table of
 * 4 KiB entries with the same frames and rights. */
static bool split_large(pgtable_t *p, pte_t *e)
{
    pte_t *pt = kmem_alloc_charged(p->acct);
    if (!pt) {
        return false;
    }
    pte_t flags = (*e & ~PTE_ADDR & ~PTE_PS) | PTE_P;
    paddr_t base = *e & PTE_ADDR & ~MASK(SUPERPAGE_BITS);
    for (unsigned i = 0; i < 512; i++) {
        pt[i] = (base + ((paddr_t)i << PAGE_BITS)) | flags;
    }
    *e = kphys(pt) | PTE_P | PTE_W | PTE_U;
    return true;
}

/* Walk to the entry of va at target level (1 = PT, 2 = PD).  With alloc,
 * missing tables are created and large pages above the target split;
 * without, the walk stops at a large page or a hole (*level_out tells
 * where). */
static pte_t *walk_level(pgtable_t *p, word_t va, unsigned target, bool alloc,
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
            if (!split_large(p, e)) {
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

static pte_t *walk(pgtable_t *p, word_t va, unsigned target, bool alloc)
{
    return walk_level(p, va, target, alloc, NULL);
}

bool pgt_map(pgtable_t *p, word_t va, paddr_t pa, unsigned size_log2, unsigned rights)
{
    unsigned level = size_log2 == SUPERPAGE_BITS ? 2 : 1;
    pte_t *e = walk(p, va, level, true);
    if (!e) {
        return false;
    }
    if (level == 2 && (*e & PTE_P) && !(*e & PTE_PS)) {
        /* A table of small pages gives way to the large page. */
        kmem_free_charged(p->acct, phys_to_virt(*e & PTE_ADDR));
        *e = 0;
    }
    pte_t v = pa | PTE_P | PTE_U;
    v |= (rights & FPAGE_RIGHT_W) ? PTE_W : 0;
    v |= (rights & FPAGE_RIGHT_X) ? 0 : nx_bit;
    v |= level == 2 ? PTE_PS : 0;
    bool was_present = *e & PTE_P;
    *e = v;
    if (was_present) {
        invlpg(va);
    }
    return true;
}

void pgt_unmap(pgtable_t *p, word_t va)
{
    pte_t *e = walk(p, va, 1, false);
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
    pte_t *e = walk_level(p, va, 1, false, &level);
    if (!e || !(*e & PTE_P)) {
        *hole_log2 = PAGE_BITS + 9 * (level - 1);
        return false;
    }
    bool large = *e & PTE_PS;
    unsigned s = large ? SUPERPAGE_BITS : PAGE_BITS;
    if (pa) {
        *pa = (*e & PTE_ADDR & ~MASK(s)) | (va & MASK(s));
    }
    if (size_log2) {
        *size_log2 = s;
    }
    if (rights) {
        *rights = FPAGE_RIGHT_R | ((*e & PTE_W) ? FPAGE_RIGHT_W : 0) |
                  ((*e & nx_bit) && nx_bit ? 0 : FPAGE_RIGHT_X);
    }
    return true;
}

void pgt_activate(const pgtable_t *p)
{
    write_cr3(p->root);
}

/* ---- range operations for the mapping database ---------------------- */

#define PTE_A    BIT(5)
#define PTE_D    BIT(6)

/* The entry mapping va at the level of a page of 2^size_log2 bytes (a
 * larger page above it is split first); NULL if nothing is mapped there. */
static pte_t *range_entry(pgtable_t *p, word_t va, unsigned size_log2)
{
    unsigned level = size_log2 >= SUPERPAGE_BITS ? 2 : 1;
    unsigned reached = 4;
    pte_t *e = walk_level(p, va, level, false, &reached);
    if (e && (*e & PTE_P) && (*e & PTE_PS) && reached > level - 1 && level == 1) {
        /* A large page covers a small range: split it, then look again. */
        if (!split_large(p, e)) {
            return NULL;
        }
        e = walk(p, va, 1, false);
    }
    return e && (*e & PTE_P) ? e : NULL;
}

/* Apply fn to every present leaf entry in [va, va + 2^size_log2). */
static unsigned for_range(pgtable_t *p, word_t va, unsigned size_log2,
                          unsigned (*fn)(pte_t *e, word_t va, unsigned arg), unsigned arg)
{
    unsigned acc = 0;
    if (size_log2 >= SUPERPAGE_BITS) {
        for (word_t off = 0; off < BIT(size_log2); off += SUPERPAGE_SIZE) {
            pte_t *e = walk(p, va + off, 2, false);
            if (!e || !(*e & PTE_P)) {
                continue;
            }
            if (*e & PTE_PS) {
                acc |= fn(e, va + off, arg);
            } else {
                pte_t *pt = phys_to_virt(*e & PTE_ADDR);
                for (unsigned i = 0; i < 512; i++) {
                    if (pt[i] & PTE_P) {
                        acc |= fn(&pt[i], va + off + ((word_t)i << PAGE_BITS), arg);
                    }
                }
            }
        }
        return acc;
    }
    pte_t *e = range_entry(p, va, size_log2);
    return e ? fn(e, va, arg) : 0;
}

static unsigned do_remove(pte_t *e, word_t va, unsigned arg)
{
    (void)arg;
    *e = 0;
    invlpg(va);
    return 0;
}

static unsigned do_protect(pte_t *e, word_t va, unsigned rights)
{
    pte_t v = *e & ~(PTE_W | nx_bit);
    v |= (rights & FPAGE_RIGHT_W) ? PTE_W : 0;
    v |= (rights & FPAGE_RIGHT_X) ? 0 : nx_bit;
    *e = v;
    invlpg(va);
    return 0;
}

/* x86 reports "accessed" as referenced and executed, "dirty" as written. */
static unsigned do_status(pte_t *e, word_t va, unsigned arg)
{
    (void)arg;
    unsigned bits = 0;
    if (*e & PTE_A) {
        bits |= FPAGE_RIGHT_R | FPAGE_RIGHT_X;
    }
    if (*e & PTE_D) {
        bits |= FPAGE_RIGHT_R | FPAGE_RIGHT_W;
    }
    if (*e & (PTE_A | PTE_D)) {
        *e &= ~(PTE_A | PTE_D);
        invlpg(va);
    }
    return bits;
}

bool pgt_prepare(pgtable_t *p, word_t va, unsigned size_log2)
{
    return walk(p, va, size_log2 >= SUPERPAGE_BITS ? 2 : 1, true) != NULL;
}

void pgt_remove_range(pgtable_t *p, word_t va, unsigned size_log2)
{
    for_range(p, va, size_log2, do_remove, 0);
}

void pgt_protect_range(pgtable_t *p, word_t va, unsigned size_log2, unsigned rights)
{
    for_range(p, va, size_log2, do_protect, rights);
}

unsigned pgt_status_range(pgtable_t *p, word_t va, unsigned size_log2)
{
    return for_range(p, va, size_log2, do_status, 0);
}
