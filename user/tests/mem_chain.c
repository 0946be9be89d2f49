/* SPDX-License-Identifier: BSD-2-Clause */
/* A page handed down a chain of four address spaces (X.2 §4.2, §5.2–5.3):
 * the root task A maps it to a node in space B, B maps it on to C, C to D.
 * All four see the same memory; Unmap revokes recursively from the level
 * where it is called; revoking the write right leaves reads working; a
 * grant in the middle moves a mapping with what was derived from it; flush
 * takes the caller's own mapping too; access bits come back from the
 * derived spaces.  A node that lost the page faults to the test pager,
 * which records the fault and maps the scratch page there.
 */
#include "suite.h"
#include "mem_helpers.h"
#include <l4/space.h>

#define WIN    0x40000000UL         /* where every node keeps the page */
#define MAGIC  0xC4A1000000000000UL
#define NODES  3                    /* B, C, D */

typedef struct {
    L4_ThreadId_t n[NODES];
    volatile L4_Word_t *page;       /* A's page */
} chain_t;

static L4_Fpage_t win_fpage(L4_Word_t rights)
{
    return mem_rights(L4_FpageLog2(WIN, 12), rights);
}

/* Nodes B, C, D with windows at WIN; the page goes down to depth nodes
 * (0: none, 1: B only, 3: B, C and D). */
static int chain_start(chain_t *c, int depth)
{
    *c = (chain_t){ 0 };
    c->page = test_alloc(12);
    if (!c->page || !mem_pager_start()) {
        test_fail(__FILE__, __LINE__, "no memory or no pager");
        return 0;
    }
    for (int i = 0; i < 512; i++) {
        c->page[i] = 0;
    }
    c->page[0] = MAGIC;
    for (int i = 0; i < NODES; i++) {
        c->n[i] = mem_node_start();
        if (L4_IsNilThread(c->n[i]) || !mem_window(c->n[i], L4_FpageLog2(WIN, 12))) {
            test_fail(__FILE__, __LINE__, "node %d did not start", i);
            return 0;
        }
    }
    if (depth > 0 &&
        !mem_send(c->n[0], mem_rights(L4_FpageLog2((L4_Word_t)c->page, 12), L4_FullyAccessible),
                  0, 0)) {
        return 0;
    }
    for (int i = 1; i < depth; i++) {
        if (!mem_map_to(c->n[i - 1], c->n[i], win_fpage(L4_FullyAccessible), 0, 0)) {
            return 0;
        }
    }
    return 1;
}

static void chain_end(chain_t *c)
{
    for (int i = 0; i < NODES; i++) {
        if (!L4_IsNilThread(c->n[i])) {
            test_kill_thread(c->n[i]);
        }
    }
    test_pager_stop();
}

static void run_chain(int depth, void (*body)(chain_t *))
{
    chain_t c;
    if (chain_start(&c, depth)) {
        body(&c);
    }
    chain_end(&c);
}

/* Node reads addr without a fault and finds want. */
static int sees(L4_ThreadId_t node, L4_Word_t addr, L4_Word_t want)
{
    L4_Word_t before = test_pager_log.count, v;
    if (!mem_read(node, addr, &v)) {
        return 0;
    }
    if (test_pager_log.count != before || v != want) {
        test_fail(__FILE__, __LINE__, "node %lx at %lx: read %lx, %lu new faults", node.raw,
                  addr, v, test_pager_log.count - before);
        return 0;
    }
    return 1;
}

/* Node's access (read, or write of value) at addr faults once, with that
 * address and access, and goes to the scratch page. */
static int faults(L4_ThreadId_t node, L4_Word_t addr, int write, L4_Word_t value)
{
    L4_Word_t before = test_pager_log.count, v = 0;
    if (!(write ? mem_write(node, addr, value) : mem_read(node, addr, &v))) {
        return 0;
    }
    L4_Word_t access = write ? L4_Writable : L4_Readable;
    if (test_pager_log.count != before + 1 || test_pager_log.addr != addr ||
        test_pager_log.from != node.raw || test_pager_log.access != access ||
        (!write && v != MEM_SCRATCH_MARK) ||
        (write && mem_scratch()[(addr & 0xFFF) / 8] != value)) {
        test_fail(__FILE__, __LINE__, "node %lx at %lx: %lu faults (last %lx, rwx %lx), read %lx",
                  node.raw, addr, test_pager_log.count - before, test_pager_log.addr,
                  test_pager_log.access, v);
        return 0;
    }
    return 1;
}

static void shared_data(chain_t *c)
{
    for (int i = NODES - 1; i >= 0; i--) {
        CHECK(sees(c->n[i], WIN, MAGIC));
    }
    CHECK(mem_write(c->n[2], WIN + 8, MAGIC + 0xD));    /* D writes, A reads */
    CHECK_EQ(c->page[1], MAGIC + 0xD);
    c->page[2] = MAGIC + 0xA;                           /* A writes, all read */
    for (int i = 0; i < NODES; i++) {
        CHECK(sees(c->n[i], WIN + 16, MAGIC + 0xA));
    }
    CHECK(mem_write(c->n[1], WIN + 24, MAGIC + 0xC));   /* C writes, B and D read */
    CHECK(sees(c->n[0], WIN + 24, MAGIC + 0xC));
    CHECK(sees(c->n[2], WIN + 24, MAGIC + 0xC));
    CHECK_EQ(test_pager_log.count, 0);
}

/* Unmap at the root, no flush: B, C and D lose the page, A keeps it. */
static void unmap_at_root(chain_t *c)
{
    CHECK(sees(c->n[2], WIN, MAGIC));
    L4_UnmapFpage(mem_rights(L4_FpageLog2((L4_Word_t)c->page, 12), L4_FullyAccessible));
    CHECK_EQ(c->page[0], MAGIC);
    c->page[1] = 1;
    CHECK_EQ(c->page[1], 1);
    for (int i = 0; i < NODES; i++) {
        CHECK(faults(c->n[i], WIN, 0, 0));
    }
    CHECK_EQ(test_pager_log.count, NODES);
}

/* Unmap in B: C and D lose the page; A and B keep sharing it. */
static void unmap_in_middle(chain_t *c)
{
    L4_Word_t r;
    CHECK(mem_unmap(c->n[0], win_fpage(L4_FullyAccessible), 0, &r));
    CHECK(faults(c->n[2], WIN, 0, 0));
    CHECK(faults(c->n[1], WIN, 0, 0));
    CHECK(sees(c->n[0], WIN, MAGIC));
    c->page[3] = MAGIC + 3;
    CHECK(sees(c->n[0], WIN + 24, MAGIC + 3));
    CHECK_EQ(c->page[0], MAGIC);
}

/* Revoking w at the root: every level still reads, every write faults.
 * Leaf first: the scratch page the pager maps replaces a node's mapping
 * together with what was derived from it. */
static void write_revoked(chain_t *c)
{
    L4_UnmapFpage(mem_rights(L4_FpageLog2((L4_Word_t)c->page, 12), L4_Writable));
    for (int i = 0; i < NODES; i++) {
        CHECK(sees(c->n[i], WIN, MAGIC));
    }
    for (int i = NODES - 1; i >= 0; i--) {
        CHECK(faults(c->n[i], WIN + 8, 1, MAGIC + (L4_Word_t)i));
    }
    CHECK_EQ(c->page[1], 0);                /* no write reached A's page */
    c->page[1] = 5;                         /* A itself still writes */
    CHECK_EQ(c->page[1], 5);
}

/* A maps to B, B maps on to D, then B grants its page to C: B loses it,
 * C has it, and D's mapping, derived from the granted one, stays, now
 * below C: an Unmap in C revokes it. */
static void grant_in_middle(chain_t *c)
{
    L4_ThreadId_t b = c->n[0], cc = c->n[1], d = c->n[2];
    CHECK(mem_map_to(b, d, win_fpage(L4_FullyAccessible), 0, 0));
    CHECK(sees(d, WIN, MAGIC));
    CHECK(mem_map_to(b, cc, win_fpage(L4_FullyAccessible), 0, 1));
    CHECK(sees(cc, WIN, MAGIC));
    CHECK(sees(d, WIN, MAGIC));
    CHECK(mem_write(d, WIN + 8, MAGIC + 0xD));
    CHECK_EQ(c->page[1], MAGIC + 0xD);
    CHECK(faults(b, WIN, 0, 0));
    L4_Word_t r;
    CHECK(mem_unmap(cc, win_fpage(L4_FullyAccessible), 0, &r));
    CHECK(faults(d, WIN, 0, 0));
    CHECK(sees(cc, WIN, MAGIC));
    L4_UnmapFpage(mem_rights(L4_FpageLog2((L4_Word_t)c->page, 12), L4_FullyAccessible));
    CHECK(faults(cc, WIN, 0, 0));
}

/* Flush in B: B's own mapping goes too, with C's and D's; A keeps it. */
static void flush_in_middle(chain_t *c)
{
    L4_Word_t r;
    CHECK(mem_unmap(c->n[0], win_fpage(L4_FullyAccessible), 1, &r));
    for (int i = NODES - 1; i >= 0; i--) {
        CHECK(faults(c->n[i], WIN, 0, 0));
    }
    CHECK_EQ(c->page[0], MAGIC);
}

/* Flush of w in B: B, C and D keep reading; none of them can write. */
static void flush_write_in_middle(chain_t *c)
{
    L4_Word_t r;
    CHECK(mem_unmap(c->n[0], win_fpage(L4_Writable), 1, &r));
    for (int i = 0; i < NODES; i++) {
        CHECK(sees(c->n[i], WIN, MAGIC));
    }
    for (int i = NODES - 1; i >= 0; i--) {
        CHECK(faults(c->n[i], WIN + 8, 1, 7));
    }
    CHECK_EQ(c->page[1], 0);
}

/* Access bits: what D and C do is reported to A (and to B) by a status
 * query, once. */
static void access_bits(chain_t *c)
{
    L4_Fpage_t mine = L4_FpageLog2((L4_Word_t)c->page, 12);
    L4_GetStatus(mine);                         /* reset */
    CHECK(sees(c->n[2], WIN, MAGIC));           /* D reads */
    L4_Fpage_t s = L4_GetStatus(mine);
    CHECK(L4_WasReferenced(s));
    CHECK(!L4_WasWritten(s));
    CHECK(mem_write(c->n[1], WIN + 8, 1));      /* C writes */
    s = L4_GetStatus(mine);
    CHECK(L4_WasWritten(s));
    CHECK(L4_WasReferenced(s));
    s = L4_GetStatus(mine);
    CHECK(!L4_WasWritten(s) && !L4_WasReferenced(s));   /* reported once */
    CHECK(mem_write(c->n[2], WIN + 16, 2));     /* D writes, B asks */
    L4_Word_t r;
    CHECK(mem_unmap(c->n[0], win_fpage(L4_NoAccess), 0, &r));
    CHECK(L4_WasWritten((L4_Fpage_t){ .raw = r }));
    CHECK_EQ(r & ~0x3FFUL, WIN);
    CHECK(sees(c->n[2], WIN + 16, 2));          /* nothing was revoked */
    CHECK_EQ(test_pager_log.count, 0);
}

/* In the space of the caller of Unmap: B reads its page, then flushes it
 * and reads again at once; and a mapping B derived within its own space
 * (to a second node there) goes at once when B unmaps.  Nothing stale may
 * be read through the TLB. */
static void own_space_at_once(chain_t *c)
{
    L4_ThreadId_t b = c->n[0];
    L4_Word_t alias = WIN + 0x200000, v = 0, before = test_pager_log.count;
    L4_ThreadId_t b2 = mem_node_start_in(b);
    CHECK(!L4_IsNilThread(b2));
    int ok = mem_window(b2, L4_FpageLog2(alias, 12)) &&
             mem_map_to(b, b2, win_fpage(L4_FullyAccessible), 0, 0) &&
             sees(b, alias, MAGIC) &&
             mem_unmap_read(b, win_fpage(L4_FullyAccessible), 0, alias, &v);
    test_kill_thread(b2);
    CHECK(ok);
    CHECK_EQ(v, MEM_SCRATCH_MARK);
    CHECK_EQ(test_pager_log.count, before + 1);
    CHECK_EQ(test_pager_log.addr, alias);
    CHECK(sees(b, WIN, MAGIC));
    CHECK(mem_unmap_read(b, win_fpage(L4_FullyAccessible), 1, WIN, &v));
    CHECK_EQ(v, MEM_SCRATCH_MARK);
    CHECK_EQ(test_pager_log.count, before + 2);
    CHECK_EQ(test_pager_log.addr, WIN);
}

/* A 2 MiB page down the chain A -> B -> C; Unmap of one 4 KiB part at the
 * root revokes just that part below (the large mappings are split). */
static void large_page(chain_t *c)
{
    L4_ThreadId_t b = c->n[0], cc = c->n[1];
    L4_Word_t big = WIN + 0x400000;                 /* 2 MiB aligned */
    volatile L4_Word_t *p = test_alloc(21);
    CHECK(p);
    for (L4_Word_t i = 0; i < 512; i++) {
        p[i * 512] = MAGIC + i;
    }
    L4_Fpage_t mine = L4_FpageLog2((L4_Word_t)p, 21), theirs = L4_FpageLog2(big, 21);
    CHECK(mem_window(b, theirs) && mem_window(cc, theirs));
    CHECK(mem_send(b, mem_rights(mine, L4_FullyAccessible), 0, 0));
    CHECK(mem_map_to(b, cc, mem_rights(theirs, L4_FullyAccessible), 0, 0));
    CHECK(sees(cc, big + 5 * 0x1000, MAGIC + 5));
    L4_UnmapFpage(mem_rights(L4_FpageLog2((L4_Word_t)p + 5 * 0x1000, 12), L4_FullyAccessible));
    CHECK(faults(cc, big + 5 * 0x1000, 0, 0));
    CHECK(faults(b, big + 5 * 0x1000, 0, 0));
    static const L4_Word_t kept[] = { 0, 4, 6, 511 };
    for (int k = 0; k < 4; k++) {
        CHECK(sees(cc, big + kept[k] * 0x1000, MAGIC + kept[k]));
        CHECK(sees(b, big + kept[k] * 0x1000, MAGIC + kept[k]));
    }
    CHECK(mem_write(cc, big + 6 * 0x1000 + 8, 66));
    CHECK_EQ(p[6 * 512 + 1], 66);
    L4_UnmapFpage(mem_rights(mine, L4_FullyAccessible));
    CHECK(faults(cc, big + 6 * 0x1000, 0, 0));
    CHECK(faults(b, big + 511 * 0x1000, 0, 0));
    CHECK_EQ(p[511 * 512], MAGIC + 511);
}

TEST(mem, chain_shares_data_across_four_spaces) { run_chain(NODES, shared_data); }
TEST(mem, chain_unmap_at_root_revokes_every_level) { run_chain(NODES, unmap_at_root); }
TEST(mem, chain_unmap_in_middle_revokes_below_only) { run_chain(NODES, unmap_in_middle); }
TEST(mem, chain_write_revoked_reads_still_work) { run_chain(NODES, write_revoked); }
TEST(mem, chain_grant_in_middle_keeps_derived) { run_chain(1, grant_in_middle); }
TEST(mem, chain_flush_in_middle_takes_own_and_derived) { run_chain(NODES, flush_in_middle); }
TEST(mem, chain_flush_write_in_middle) { run_chain(NODES, flush_write_in_middle); }
TEST(mem, chain_access_bits_from_derived_spaces) { run_chain(NODES, access_bits); }
TEST(mem, chain_unmap_in_own_space_takes_effect_at_once) { run_chain(1, own_space_at_once); }
TEST(mem, chain_large_page_partly_unmapped) { run_chain(0, large_page); }
