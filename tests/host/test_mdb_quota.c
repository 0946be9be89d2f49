/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the mapping database's kernel-memory accounting: every
 * space is charged exactly for its nodes and index tables (checked by
 * check_all after each step), a space over its limit gets no new node, no
 * split piece and no granted node, and the database stays consistent.
 *
 * Prints "ok mdb.<case>" or "FAIL mdb.<case>: <why>" per case, then
 * "mdb_quota: N passed, M failed"; arguments select cases by fnmatch pattern.
 */
#include "mdb_fixture.h"

#define NODE sizeof(mdb_node_t)

/* Limit space i to what it holds now plus room bytes. */
static void limit(int i, word_t room)
{
    E->sp[i].limit = E->sp[i].charged + room;
}

CASE(quota_map)
{
    env_t e;
    if (!env_open(&e, 3, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));
    EXPECT_EQ(e.sp[1].charged, due(1));
    EXPECT(MAP(1, 0x0, 2, 0x0, KB4, RWX));          /* index path of 2's first 2 MiB */
    limit(2, 5 * NODE);
    unsigned done = 0;
    for (word_t va = 0x1000; va < 0x20000 && MAP(1, va, 2, va, KB4, RWX); va += 0x1000) {
        done++;
    }
    EXPECT_EQ(done, 5);
    EXPECT(!N(2, 0x6000) && !hw(2, 0x6000)->present);
    EXPECT_EQ(e.sp[2].charged, e.sp[2].limit);
    /* A mapping needing a new index table does not fit either. */
    EXPECT(!MAP(1, 0x0, 2, 0x200000, KB4, RWX));
    EXPECT(!N(2, 0x200000));
    /* A rights extension needs nothing new; a replacement needs room for
     * the new node before the old one goes, so a full space keeps its old
     * mapping. */
    EXPECT(MAP(1, 0x1000, 2, 0x1000, KB4, RWX));
    EXPECT(!MAP(1, 0x2000, 2, 0x1000, KB4, R_));
    EXPECT_EQ(N(2, 0x1000)->pa, 0x1000);
    EXPECT(check_all());
    /* Giving a page back makes room for exactly one more. */
    FLUSH(2, 0x3000, KB4, RWX);
    EXPECT(MAP(1, 0x6000, 2, 0x6000, KB4, RWX));
    EXPECT(!MAP(1, 0x7000, 2, 0x7000, KB4, RWX));
    EXPECT(check_all());
    env_close(&e);
}

/* The pieces of a split are charged to the space of each split node: a
 * derived mapping whose space is full makes the split fail, and Unmap then
 * processes the whole large mapping (docs/mdb.md §4.3). */
CASE(quota_split)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));
    EXPECT(MAP(1, 0x0, 2, 0x0, MB2, RWX));
    EXPECT(MAP(2, 0x0, 3, 0x200000, MB2, R_));
    limit(3, 100 * NODE);
    UNMAP(1, 0x5000, KB4, W_);                      /* 3 cannot take 511 pieces */
    EXPECT_EQ(N(1, 0x0)->size_log2, MB2);
    EXPECT_EQ(rights_at(2, 0x0), R_ | X_);          /* the whole page lost w */
    EXPECT_EQ(rights_at(3, 0x200000), R_);
    EXPECT(check_all());
    e.sp[3].limit = 0;
    UNMAP(1, 0x6000, KB4, X_);                      /* now the split happens */
    EXPECT_EQ(N(1, 0x0)->size_log2, KB4);
    EXPECT_EQ(N(3, 0x200000)->size_log2, KB4);
    EXPECT_EQ(rights_at(2, 0x6000), R_);
    EXPECT_EQ(rights_at(2, 0x7000), R_ | X_);
    EXPECT_EQ(S(3)->nodes, 512);
    EXPECT(check_all());
    /* A receiver too full for the split of its own large mapping refuses
     * the smaller page that would need it. */
    limit(2, 10 * NODE);
    EXPECT(MAP(0, 0x400000, 1, 0x200000, MB2, RWX));
    EXPECT(MAP(1, 0x200000, 2, 0x200000, MB2, RWX));
    EXPECT(!MAP(1, 0x201000, 2, 0x203000, KB4, RWX));
    EXPECT_EQ(N(2, 0x200000)->size_log2, MB2);
    EXPECT(check_all());
    env_close(&e);
}

/* A granted node moves its charge from sender to receiver. */
CASE(quota_grant)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, KB4, RWX));
    EXPECT(MAP(0, 0x1000, 1, 0x1000, KB4, RWX));
    EXPECT(MAP(0, 0x0, 2, 0x10000, KB4, RWX));      /* 2's index path exists */
    word_t one = e.sp[1].charged;
    limit(2, NODE);
    EXPECT(GRANT(1, 0x0, 2, 0x0, KB4, RWX));
    EXPECT_EQ(e.sp[1].charged, one - NODE);
    EXPECT(!GRANT(1, 0x1000, 2, 0x1000, KB4, RWX));
    EXPECT(N(1, 0x1000) && hw(1, 0x1000)->present && !N(2, 0x1000));
    /* Within one space a grant needs no room. */
    limit(1, 0);
    EXPECT(GRANT(1, 0x1000, 1, 0x5000, KB4, RWX));
    EXPECT(N(1, 0x5000) && !N(1, 0x1000));
    EXPECT(check_all());
    env_close(&e);
}

/* sigma0's roots are charged to sigma0, and freed roots refunded. */
CASE(quota_roots)
{
    env_t e;
    if (!env_open(&e, 2, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x1000, 1, 0x1000, KB4, RWX));
    EXPECT(MAP(0, 0x2000, 1, 0x2000, KB4, RWX));
    EXPECT(check_all());
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));          /* one root adopts both */
    EXPECT_EQ(S(0)->nodes, 1);
    EXPECT(check_all());
    limit(0, 0);
    EXPECT(!MAP(0, 0x200000, 1, 0x200000, MB2, RWX));
    EXPECT(!N(1, 0x200000));
    EXPECT(check_all());
    env_close(&e);
}

int main(int argc, char **argv)
{
    return run_cases("mdb_quota", argc, argv);
}
