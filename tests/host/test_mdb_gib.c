/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the mapping database with the full x86-64 set of page
 * sizes, 4 KiB, 2 MiB and 1 GiB: splits two levels deep, children of every
 * size under a split GiB, grants, remaps and access bits inside a GiB, root
 * growth to a GiB, quota and allocation failures during a GiB split.
 * The fake page tables hold 2 GiB per space (frames and addresses below
 * 2 GiB); space 0 is sigma0.
 *
 * Prints "ok mdb.<case>" or "FAIL mdb.<case>: <why>" per case, then
 * "mdb_gib: N passed, M failed"; arguments select cases by fnmatch pattern.
 */
#include "mdb_fixture.h"
#include <limits.h>

#define G     BIT(GB1)
#define NODE  sizeof(mdb_node_t)
#define SIZES (BIT(KB4) | BIT(MB2) | BIT(GB1))

static bool open_gib(env_t *e, int nspaces)
{
    return env_open(e, nspaces, 2 * BIT(GB1 - KB4), SIZES);
}

/* 1 GiB pa 0 at G in space 1, and from there at 0 in space 2. */
static bool gib_chain(unsigned rights)
{
    return EXPECT(MAP(0, 0x0, 1, G, GB1, RWX)) && EXPECT(MAP(1, G, 2, 0x0, GB1, rights)) &&
           EXPECT_EQ(N(2, 0x0)->size_log2, GB1) && EXPECT_EQ(hw(2, 0x0)->size, GB1);
}

/* A 4 KiB Unmap splits both the GiB and its same-size copy down to 4 KiB
 * along the path only: 511 x 2 MiB + 512 x 4 KiB. */
CASE(gib_unmap_4k_splits_two_levels)
{
    env_t e;
    if (!open_gib(&e, 3) || !gib_chain(R_ | W_)) {
        env_close(&e);
        return;
    }
    word_t off = G - 0x201000;                      /* last page of a 2 MiB piece */
    EXPECT_EQ(UNMAP(1, G + off, KB4, W_), 0);
    EXPECT_EQ(S(1)->nodes, 511 + 512);
    EXPECT_EQ(S(2)->nodes, 511 + 512);
    EXPECT_EQ(rights_at(2, off), R_);
    EXPECT_EQ(rights_at(2, off - 0x1000), R_ | W_);
    EXPECT_EQ(hw(2, off)->size, KB4);
    EXPECT_EQ(hw(2, off - 0x1000)->size, KB4);
    EXPECT_EQ(hw(2, 0x0)->size, MB2);
    EXPECT_EQ(hw(2, G - 0x1000)->size, MB2);
    EXPECT_EQ(N(2, 0x0)->size_log2, MB2);
    EXPECT(N(2, off)->parent == N(1, G + off));
    EXPECT(N(2, 0x0)->parent == N(1, G) && N(1, G)->size_log2 == MB2);
    EXPECT_EQ(N(0, 0x0)->size_log2, GB1);           /* the root is not split */
    EXPECT(check_all());
    env_close(&e);
}

/* Children of 2 MiB and 4 KiB hang under the right 2 MiB piece after a
 * split elsewhere in the GiB, and go with it. */
CASE(gib_children_of_every_size)
{
    env_t e;
    if (!open_gib(&e, 4)) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, G, GB1, RWX));
    EXPECT(MAP(1, G + 0x2400000, 2, 0x600000, MB2, RWX));
    EXPECT(MAP(1, G + 0x3F005000, 3, 0x5000, KB4, R_));
    EXPECT_EQ(UNMAP(1, G + 0x10001000, KB4, RWX), 0);
    EXPECT_EQ(N(1, G)->size_log2, MB2);
    EXPECT_EQ(N(1, G + 0x10001000)->size_log2, KB4);
    EXPECT_EQ(S(1)->nodes, 511 + 512);
    mdb_node_t *p2 = N(1, G + 0x2400000), *p3 = N(1, G + 0x3F000000);
    EXPECT(N(2, 0x600000)->parent == p2 && p2->size_log2 == MB2);
    EXPECT(N(3, 0x5000)->parent == p3 && p3->size_log2 == MB2);
    EXPECT_EQ(rights_at(2, 0x600000), RWX);
    EXPECT_EQ(hw(1, G + 0x2400000)->size, MB2);
    FLUSH(1, G + 0x2400000, MB2, RWX);
    EXPECT(!N(1, G + 0x2400000) && !N(2, 0x600000) && !hw(2, 0x600000)->present);
    UNMAP(1, G, GB1, R_);                           /* 3 had only r: gone */
    EXPECT(!N(3, 0x5000) && !hw(3, 0x5000)->present);
    EXPECT(check_all());
    env_close(&e);
}

/* Granting part of a derived GiB splits only the granting space. */
CASE(gib_grant_part)
{
    env_t e;
    if (!open_gib(&e, 4) || !gib_chain(RWX)) {
        env_close(&e);
        return;
    }
    EXPECT(GRANT(2, 0x200000, 3, 0x400000, MB2, R_ | W_));
    EXPECT(!N(2, 0x200000) && !hw(2, 0x200000)->present);
    EXPECT_EQ(S(2)->nodes, 511);
    EXPECT(N(3, 0x400000)->parent == N(1, G) && N(1, G)->size_log2 == GB1);
    EXPECT_EQ(rights_at(3, 0x400000), R_ | W_);
    EXPECT_EQ(hw(3, 0x400000)->size, MB2);
    UNMAP(1, G, GB1, W_);
    EXPECT_EQ(rights_at(3, 0x400000), R_);
    EXPECT_EQ(rights_at(2, 0x0), R_ | X_);
    EXPECT(GRANT(2, 0x801000, 3, 0x1000, KB4, RWX));
    EXPECT_EQ(S(2)->nodes, 511 - 1 + 511);
    EXPECT(N(3, 0x1000)->parent == N(1, G) && rights_at(3, 0x1000) == (R_ | X_));
    EXPECT(check_all());
    env_close(&e);
}

/* A 4 KiB page from elsewhere mapped into a GiB mapping replaces one page. */
CASE(gib_remap_part)
{
    env_t e;
    if (!open_gib(&e, 3) || !gib_chain(R_)) {
        env_close(&e);
        return;
    }
    EXPECT(MAP(0, G + 0x3000, 2, 0x12345000, KB4, RWX));
    mdb_node_t *n = N(2, 0x12345000);
    EXPECT(n && n->pa == G + 0x3000 && n->parent == N(0, G + 0x3000) && n->rights == RWX);
    EXPECT_EQ(hw(2, 0x12345000)->size, KB4);
    EXPECT_EQ(hw(2, 0x12345000)->rights, RWX);
    EXPECT(N(2, 0x12344000)->parent == N(1, G) && rights_at(2, 0x12344000) == R_);
    EXPECT_EQ(S(1)->nodes, 1);
    EXPECT_EQ(S(2)->nodes, 511 + 512);
    EXPECT_EQ(hw(2, 0x0)->size, MB2);
    EXPECT(check_all());
    env_close(&e);
}

/* Status queries on parts of a GiB neither split nor lose bits; a split
 * hands the bits to every piece. */
CASE(gib_access_bits)
{
    env_t e;
    if (!open_gib(&e, 3) || !gib_chain(RWX)) {
        env_close(&e);
        return;
    }
    EXPECT(touch(2, 0x2345000, W_));
    EXPECT_EQ(UNMAP(1, G + 0x7000, KB4, 0), R_ | W_);
    EXPECT_EQ(N(2, 0x0)->size_log2, GB1);
    EXPECT_EQ(UNMAP(1, G + 0x30000000, MB2, 0), R_ | W_);
    EXPECT_EQ(UNMAP(1, G, GB1, 0), R_ | W_);
    EXPECT_EQ(UNMAP(1, G, GB1, 0), 0);
    EXPECT(touch(2, 0x5000, X_));
    EXPECT_EQ(UNMAP(1, G + 0x10000000, KB4, W_), R_ | X_);
    EXPECT_EQ(N(2, 0x0)->size_log2, MB2);
    EXPECT_EQ(UNMAP(1, G, GB1, 0), R_ | X_);
    EXPECT_EQ(UNMAP(1, G, GB1, 0), 0);
    EXPECT(check_all());
    env_close(&e);
}

/* A GiB from sigma0 over a 2 MiB root adopts its children. */
CASE(gib_root_grows)
{
    env_t e;
    if (!open_gib(&e, 3)) {
        return;
    }
    EXPECT(MAP(0, G + 0x200000, 1, 0x200000, MB2, RWX));
    EXPECT_EQ(N(0, G + 0x200000)->size_log2, MB2);
    EXPECT(MAP(0, G, 2, G, GB1, R_));
    EXPECT_EQ(N(0, G)->size_log2, GB1);
    EXPECT(N(1, 0x200000)->parent == N(0, G));
    EXPECT_EQ(S(0)->nodes, 1);
    EXPECT_EQ(N(2, G)->size_log2, GB1);
    EXPECT(check_all());
    env_close(&e);
}

/* A derived GiB whose space cannot pay for its pieces: Unmap processes the
 * whole GiB; with room, the split goes down to 4 KiB and is charged. */
CASE(gib_quota_split)
{
    env_t e;
    if (!open_gib(&e, 3) || !gib_chain(RWX)) {
        env_close(&e);
        return;
    }
    e.sp[2].limit = e.sp[2].charged + 100 * NODE;
    UNMAP(1, G + 0x5000, KB4, W_);
    EXPECT_EQ(N(1, G)->size_log2, GB1);
    EXPECT_EQ(N(2, 0x0)->size_log2, GB1);
    EXPECT_EQ(rights_at(2, 0x40000), R_ | X_);
    EXPECT(check_all());
    e.sp[2].limit = 0;
    word_t before = e.sp[2].charged;
    UNMAP(1, G + 0x6000, KB4, X_);
    EXPECT_EQ(N(2, 0x0)->size_log2, KB4);
    EXPECT_EQ(N(2, 0x200000)->size_log2, MB2);
    EXPECT_EQ(rights_at(2, 0x6000), R_);
    EXPECT_EQ(rights_at(2, 0x7000), R_ | X_);
    EXPECT(e.sp[2].charged >= before + (511 + 511) * NODE);
    EXPECT(check_all());
    env_close(&e);
}

/* One run of the two-level split with the k-th fallible call failing (k < 0:
 * none); returns how many fallible calls the split made. */
static long split_with_failure(long k)
{
    env_t e;
    if (!open_gib(&e, 3) || !gib_chain(RWX)) {
        env_close(&e);
        return 0;
    }
    e.fail_countdown = k < 0 ? LONG_MAX : k;
    UNMAP(1, G + 0x10005000, KB4, W_);
    long calls = k < 0 ? LONG_MAX - e.fail_countdown : 0;
    e.fail_countdown = -1;
    EXPECT_EQ(rights_at(2, 0x10005000), R_ | X_);   /* never less than asked */
    if (e.injected == 0) {
        EXPECT_EQ(rights_at(2, 0x10006000), RWX);
        EXPECT_EQ(N(2, 0x10005000)->size_log2, KB4);
    }
    if (!check_all()) {
        fail(__LINE__, "failure at call %ld", k);
    }
    env_close(&e);
    return calls;
}

/* Fallible calls of a two-level split (node and table pages, charges,
 * page-table preparations) failing in turn: the first dozen, the last
 * few and a sample in between.  Unmap still revokes at least the page
 * asked for, and the state stays consistent. */
CASE(gib_split_failures)
{
    long calls = split_with_failure(-1);
    EXPECT(calls > 1000);                           /* 2 x 511 + 511 pieces */
    for (long k = 0; k < calls && !case_failures;) {
        split_with_failure(k);
        k += k < 12 || k + 6 >= calls ? 1 : calls / 16;
        if (k + 6 >= calls && k < calls - 6) {
            k = calls - 6;
        }
    }
}


int main(int argc, char **argv)
{
    return run_cases("mdb_gib", argc, argv);
}
