/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the 1 GiB page cases (see mem_gib_helpers.h).
 *
 * Each case ends by mapping the GiB once more as a whole to every space
 * that held part of it and unmapping it, and by making the root task's own
 * mapping one GiB again: a whole-GiB entry replaces the smaller tables of
 * the splits, so every space must then be charged exactly what it was
 * charged at the start (SpaceControl's report, docs/kmem.md), and the pool
 * must be back but for the mapping nodes' slab: its one spare page and one
 * page that our new GiB node may have opened.
 */
#include "suite.h"
#include "mem_helpers.h"
#include "mem_gib_helpers.h"
#include "thread_helpers.h"
#include <l4/space.h>
#include <l4/sigma0.h>
#include <l4/kip.h>
#include <pecan/kdb.h>

#define MARK        0x61B0000000000000UL
#define CTRL_REPORT (1UL << 61)

L4_Word_t gib_phys, gib_largest;

L4_Fpage_t gib_whole(void)
{
    return mem_rights(L4_FpageLog2(GIB_VA, 30), L4_FullyAccessible);
}

volatile L4_Word_t *gib_at(L4_Word_t off)
{
    return (volatile L4_Word_t *)(GIB_VA + off);
}

int gib_get(void)
{
    gib_largest = (L4_PageSizeMask(test_kip()) & GIB) ? 30 : 21;
    L4_Fpage_t f, win = L4_FpageLog2(GIB_VA, 30);
    if (gib_phys) {
        L4_Flush(gib_whole());
        f = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, L4_FpageLog2(gib_phys, 30), win);
    } else {
        f = L4_Sigma0_GetAny(L4_nilthread, 30, win);
        if (L4_IsNilFpage(f)) {
            test_skip("no free aligned GiB of RAM (make test boots with TEST_MEM)");
            return 0;
        }
    }
    if (L4_IsNilFpage(f) || L4_SizeLog2(f) != 30 || (L4_Address(f) & (GIB - 1))) {
        test_fail(__FILE__, __LINE__, "sigma0 answered %lx", f.raw);
        return 0;
    }
    gib_phys = L4_Address(f);
    if (pecan_page_size_log2(GIB_VA) != gib_largest ||
        pecan_page_size_log2(GIB_VA + GIB - 1) != gib_largest) {
        test_fail(__FILE__, __LINE__, "our GiB is mapped with %lu-bit pages",
                  pecan_page_size_log2(GIB_VA));
        return 0;
    }
    return 1;
}

int gib_node_reads(L4_ThreadId_t node, L4_Word_t off, int present)
{
    L4_Word_t before = test_pager_log.count, v;
    if (present) {
        *gib_at(off) = MARK ^ off;
    }
    if (!mem_read(node, GIB_VA + off, &v)) {
        return 0;
    }
    L4_Word_t want = present ? MARK ^ off : MEM_SCRATCH_MARK;
    if (v != want || test_pager_log.count != before + (present ? 0 : 1)) {
        test_fail(__FILE__, __LINE__, "node %lx at +%lx: read %lx (want %lx), %lu faults",
                  node.raw, off, v, want, test_pager_log.count - before);
        return 0;
    }
    return 1;
}

int gib_alias_size(L4_Word_t off, L4_Word_t log2)
{
    L4_Word_t got = pecan_page_size_log2(ALIAS_VA + off);
    if (got != log2) {
        test_fail(__FILE__, __LINE__, "alias at +%lx: %lu-bit page, want %lu", off, got, log2);
        return 0;
    }
    return 1;
}

/* Pages charged to the space of thread t (docs/kmem.md); 0 if unknown. */
static L4_Word_t charged(L4_ThreadId_t t)
{
    L4_Word_t old = 0;
    if (!L4_SpaceControl(t, CTRL_REPORT, L4_Nilpage, L4_Nilpage, L4_nilthread, &old)) {
        return 0;
    }
    return (old >> 32) & ((1UL << 29) - 1);
}

static L4_ThreadId_t node(const gib_case_t *c, unsigned i)
{
    return i ? c->n[i - 1] : L4_Myself();
}

/* The GiB to every node, then away again (their page tables above the
 * GiB now exist, as they will at the end). */
static int warm_up(gib_case_t *c)
{
    for (unsigned i = 0; i <= c->nodes; i++) {
        L4_ThreadId_t n = i ? c->n[i - 1] : c->alias;
        if (!mem_window(n, L4_FpageLog2(i ? GIB_VA : ALIAS_VA, 30)) ||
            !mem_send(n, gib_whole(), 0, 0)) {
            return 0;
        }
    }
    L4_UnmapFpage(gib_whole());
    return 1;
}

int gib_start(gib_case_t *c, unsigned nodes)
{
    *c = (gib_case_t){ .nodes = nodes };
    if (!gib_get()) {
        return 0;
    }
    c->started = 1;
    if (!mem_pager_start()) {
        test_fail(__FILE__, __LINE__, "no test pager");
        return 0;
    }
    c->alias = mem_node_start_in(L4_Myself());
    int ok = !L4_IsNilThread(c->alias);
    for (unsigned i = 0; i < nodes; i++) {
        c->n[i] = mem_node_start();
        ok = ok && !L4_IsNilThread(c->n[i]);
    }
    if (!ok) {
        test_fail(__FILE__, __LINE__, "nodes did not start");
        return 0;
    }
    if (!warm_up(c)) {
        return 0;
    }
    c->pool = test_kmem_free();
    for (unsigned i = 0; i <= nodes; i++) {
        c->charged[i] = charged(node(c, i));
    }
    for (unsigned i = 0; i <= nodes; i++) {
        if (!mem_send(i ? c->n[i - 1] : c->alias, gib_whole(), 0, 0)) {
            return 0;
        }
    }
    return gib_alias_size(0, gib_largest) && gib_alias_size(GIB - 0x1000, gib_largest);
}

void gib_end(gib_case_t *c)
{
    if (!c->started) {
        return;
    }
    int ok = !test_failed() && c->pool;
    L4_UnmapFpage(gib_whole());
    if (ok && gib_get() && warm_up(c)) {
        for (unsigned i = 0; i <= c->nodes; i++) {
            L4_Word_t now = charged(node(c, i));
            if (now != c->charged[i]) {
                test_fail(__FILE__, __LINE__, "space of %lx: %lu pages charged at the start, "
                          "%lu at the end", node(c, i).raw, c->charged[i], now);
            }
        }
        L4_Word_t pool = test_kmem_free();
        if (pool > c->pool || pool + 2 < c->pool) {
            test_fail(__FILE__, __LINE__, "pool: %lu free pages at the start, %lu at the end",
                      c->pool, pool);
        }
    }
    for (unsigned i = 0; i < c->nodes; i++) {
        if (!L4_IsNilThread(c->n[i])) {
            test_kill_thread(c->n[i]);
        }
    }
    if (!L4_IsNilThread(c->alias)) {
        test_kill_thread(c->alias);
    }
    test_pager_stop();
}

void gib_run(unsigned nodes, void (*body)(gib_case_t *c))
{
    gib_case_t c;
    if (gib_start(&c, nodes)) {
        body(&c);
    }
    gib_end(&c);
}
