/* SPDX-License-Identifier: BSD-2-Clause */
/* Scale of the mapping database: 1 GiB as 262,144 mappings of 4 KiB pages
 * goes from the root task to a node in space B and from B on to C, then a
 * single Unmap at the root takes all of them away again.
 *
 * The root gets the GiB from sigma0 as 2 MiB pages and splits each of them
 * into 4 KiB pages with a one-page Unmap (an Unmap on part of a large page
 * splits it first), so one map item of the whole GiB builds 262,144
 * mappings.  That they exist is read from the kernel pool: a mapping costs
 * a 64-byte node (63 to a page).  Needs about 1.1 GiB of free RAM and 45 MiB
 * of kernel pool (make test boots the suite with TEST_MEM = 3 GiB).
 */
#include "suite.h"
#include "thread_helpers.h"
#include "mem_helpers.h"
#include <l4/space.h>
#include <l4/sigma0.h>
#include <l4/kip.h>

#define BASE       0x0000010000000000UL    /* 1 TiB: the GiB, in all three spaces */
#define GIB_LOG2   30
#define CHUNKS     512                     /* 2 MiB pieces from sigma0 */
#define CHUNK      (1UL << 21)
#define PAGES      (1UL << (GIB_LOG2 - 12))
#define NODE_PAGES (PAGES / 63)            /* slab pages a full set of mappings needs */
#define MARK       0x5CA1E00000000000UL

static int have_gib;

/* Highest conventional RAM address the KIP announces. */
static L4_Word_t ram_top(void)
{
    void *kip = test_kip();
    L4_Word_t top = 0;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        if (!L4_IsMemoryDescVirtual(m) && L4_MemoryDescType(m) == L4_ConventionalMemoryType &&
            L4_MemoryDescHigh(m) > top) {
            top = L4_MemoryDescHigh(m);
        }
    }
    return top;
}

/* Get the GiB at BASE, mark each 2 MiB piece, split it into 4 KiB pages. */
static int get_gib(void)
{
    if (have_gib) {
        return 1;
    }
    for (L4_Word_t i = 0; i < CHUNKS; i++) {
        L4_Fpage_t f = L4_Sigma0_GetAny(L4_nilthread, 21, L4_FpageLog2(BASE + i * CHUNK, 21));
        if (L4_IsNilFpage(f)) {
            test_fail(__FILE__, __LINE__, "sigma0 gave only %lu of %u 2 MiB pieces", i, CHUNKS);
            return 0;
        }
        *(volatile L4_Word_t *)(BASE + i * CHUNK) = MARK + i;
    }
    for (L4_Word_t i = 0; i < CHUNKS; i += 64) {
        L4_Fpage_t one[64];
        for (L4_Word_t k = 0; k < 64; k++) {
            one[k] = mem_rights(L4_FpageLog2(BASE + (i + k) * CHUNK, 12), L4_eXecutable);
        }
        L4_UnmapFpages(64, one);
    }
    have_gib = 1;
    return 1;
}

/* Node reads the word at the start of 2 MiB piece i: the mark, or (gone)
 * a fault answered with the scratch page. */
static int piece_reads(L4_ThreadId_t node, L4_Word_t i, int present)
{
    L4_Word_t before = test_pager_log.count, v;
    L4_Word_t addr = BASE + i * CHUNK + (i % 512) * 0x1000;
    L4_Word_t want = present ? *(volatile L4_Word_t *)addr : MEM_SCRATCH_MARK;
    if (!mem_read(node, addr, &v)) {
        return 0;
    }
    if (v != want || test_pager_log.count != before + (present ? 0 : 1)) {
        test_fail(__FILE__, __LINE__, "node %lx at %lx: read %lx, want %lx", node.raw, addr, v,
                  want);
        return 0;
    }
    return 1;
}

static L4_Word_t ms_since(L4_Word64_t t0)
{
    return (L4_Word_t)((L4_SystemClock().raw - t0) / 1000);
}

static void chain(L4_ThreadId_t b, L4_ThreadId_t c)
{
    L4_Fpage_t gib = L4_FpageLog2(BASE, GIB_LOG2);
    CHECK(mem_window(b, gib) && mem_window(c, gib));
    L4_Word_t free0 = test_kmem_free();
    L4_Word64_t t0 = L4_SystemClock().raw;
    CHECK(mem_send(b, mem_rights(gib, L4_FullyAccessible), 0, 0));
    L4_Word_t map_b = ms_since(t0), free1 = test_kmem_free();
    t0 = L4_SystemClock().raw;
    CHECK(mem_map_to(b, c, mem_rights(gib, L4_FullyAccessible), 0, 0));
    L4_Word_t map_c = ms_since(t0), free2 = test_kmem_free();
    CHECK(free0 - free1 > NODE_PAGES);              /* 262,144 nodes in B */
    CHECK(free1 - free2 > NODE_PAGES);              /* and in C */
    static const L4_Word_t sample[] = { 0, 1, 255, 256, 510, 511 };
    for (unsigned k = 0; k < 6; k++) {
        CHECK(piece_reads(c, sample[k], 1));
        CHECK(piece_reads(b, sample[k], 1));
    }
    CHECK(mem_write(c, BASE + 8, MARK + 8));        /* C writes, the root reads */
    CHECK_EQ(*(volatile L4_Word_t *)(BASE + 8), MARK + 8);
    t0 = L4_SystemClock().raw;
    L4_UnmapFpage(mem_rights(gib, L4_FullyAccessible));
    L4_Word_t unmap = ms_since(t0), free3 = test_kmem_free();
    /* Both sets of nodes come back, but for the slab pages they shared
     * with older nodes of other spaces (at most one per set) and the one
     * spare the database keeps. */
    CHECK(free3 - free2 >= 2 * NODE_PAGES - 3);
    for (unsigned k = 0; k < 6; k++) {
        CHECK(piece_reads(c, sample[k], 0));
        CHECK(piece_reads(b, sample[k], 0));
    }
    CHECK_EQ(*(volatile L4_Word_t *)BASE, MARK);    /* the root keeps its GiB */
    printf("mem.scale: %lu mappings: map to B %lu ms, B to C %lu ms, unmap %lu ms; "
           "%lu + %lu pool pages, %lu back\n", PAGES, map_b, map_c, unmap, free0 - free1,
           free1 - free2, free3 - free2);
}

TEST(mem, scale_1gib_chain)
{
    if (!have_gib && ram_top() < (3UL << 29)) {
        test_skip("needs 2 GiB of RAM (make test boots the suite with TEST_MEM)");
        return;
    }
    L4_Word64_t t0 = L4_SystemClock().raw;
    CHECK(get_gib());
    L4_Word_t got = ms_since(t0);
    CHECK(mem_pager_start());
    L4_Word_t start = test_kmem_free();
    L4_ThreadId_t b = mem_node_start(), c = mem_node_start();
    if (!L4_IsNilThread(b) && !L4_IsNilThread(c)) {
        mem_set_timeout(L4_TimePeriod(60000000));
        chain(b, c);
    } else {
        test_fail(__FILE__, __LINE__, "nodes did not start");
    }
    if (!L4_IsNilThread(b)) {
        test_kill_thread(b);
    }
    if (!L4_IsNilThread(c)) {
        test_kill_thread(c);
    }
    L4_Word_t end = test_kmem_free();
    test_pager_stop();
    printf("mem.scale: 1 GiB from sigma0 and split in %lu ms\n", got);
    /* Everything is back but, perhaps, the one spare node page the mdb
     * keeps once a node page has emptied (docs/mdb.md). */
    CHECK(end == start || end + 1 == start);
}
