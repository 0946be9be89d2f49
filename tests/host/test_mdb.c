/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the mapping database (kernel/lib/mdb*.c): hand-written
 * cases, one per rule of map, grant and Unmap, each ending with the
 * invariant and leak checks of mdb_fixture.h.
 *
 * Prints "ok mdb.<case>" or "FAIL mdb.<case>: <why>" per case, then
 * "mdb: N passed, M failed"; arguments select cases by fnmatch pattern.
 */
#include "mdb_fixture.h"

/* ---- Hand-written cases ---- */

CASE(config)
{
    mdb_t m;
    mdb_config_t ok = { BIT(KB4) | BIT(MB2) | BIT(GB1), 47, 12 };
    mdb_config_t between = { BIT(KB4) | BIT(16), 47, 12 };
    mdb_config_t tiny = { BIT(10), 47, 12 };
    EXPECT(mdb_init(&m, &t_ops, &ok));
    EXPECT_EQ(m.levels, 4);
    EXPECT(!mdb_init(&m, &t_ops, &between));
    EXPECT(!mdb_init(&m, &t_ops, &tiny));
    EXPECT_EQ(sizeof(mdb_node_t), 64);
}

CASE(map_from_sigma0)
{
    env_t e;
    if (!env_open(&e, 3, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x5000, 1, 0x10000, KB4, RWX));
    mdb_node_t *n = N(1, 0x10000), *root = N(0, 0x5000);
    if (EXPECT(n && root)) {
        EXPECT(n->parent == root && mdb_is_root(root));
        EXPECT_EQ(n->pa, 0x5000);
        EXPECT_EQ(n->rights, RWX);
        EXPECT_EQ(root->size_log2, KB4);
    }
    EXPECT(hw(1, 0x10000)->present && hw(1, 0x10000)->pa == 0x5000);
    EXPECT(!N(1, 0x11000) && !hw(1, 0x11000)->present);
    /* sigma0 grants like it maps: its idempotent mapping stays. */
    EXPECT(GRANT(0, 0x6000, 2, 0x6000, KB4, RWX));
    EXPECT(N(2, 0x6000) && N(2, 0x6000)->parent == N(0, 0x6000));
    /* Nothing enters sigma0's space. */
    EXPECT(MAP(1, 0x10000, 0, 0x10000, KB4, RWX));
    EXPECT_EQ(S(0)->nodes, 2);
    EXPECT(check_all());
    env_close(&e);
}

CASE(rights_intersection)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x1000, 1, 0x1000, KB4, R_ | W_));
    EXPECT(MAP(1, 0x1000, 2, 0x2000, KB4, RWX));
    EXPECT_EQ(rights_at(2, 0x2000), R_ | W_);
    EXPECT(MAP(2, 0x2000, 3, 0x3000, KB4, R_ | X_));
    EXPECT_EQ(rights_at(3, 0x3000), R_);
    EXPECT_EQ(hw(3, 0x3000)->rights, R_);
    /* No effective rights: nothing is mapped, nothing replaced. */
    EXPECT(MAP(1, 0x1000, 3, 0x3000, KB4, X_));
    EXPECT(N(3, 0x3000) && N(3, 0x3000)->parent == N(2, 0x2000));
    EXPECT(MAP(1, 0x1000, 3, 0x8000, KB4, 0));
    EXPECT(!N(3, 0x8000));
    EXPECT(check_all());
    env_close(&e);
}

CASE(grant_moves_node)
{
    env_t e;
    if (!env_open(&e, 5, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x7000, 1, 0x1000, KB4, RWX));
    EXPECT(MAP(1, 0x1000, 2, 0x2000, KB4, RWX));
    EXPECT(MAP(2, 0x2000, 3, 0x3000, KB4, R_ | W_));
    mdb_node_t *moved = N(2, 0x2000), *child = N(3, 0x3000);
    EXPECT(GRANT(2, 0x2000, 4, 0x4000, KB4, RWX));
    EXPECT(!N(2, 0x2000) && !hw(2, 0x2000)->present);
    EXPECT(N(4, 0x4000) == moved);
    EXPECT(moved->parent == N(1, 0x1000));      /* same position, not a child of 2 */
    EXPECT(child->parent == moved && N(3, 0x3000) == child);
    EXPECT(hw(4, 0x4000)->present && hw(4, 0x4000)->pa == 0x7000);
    /* Granting with fewer rights restricts what was derived. */
    EXPECT(GRANT(4, 0x4000, 2, 0x9000, KB4, R_ | X_));
    EXPECT_EQ(rights_at(2, 0x9000), R_ | X_);
    EXPECT_EQ(rights_at(3, 0x3000), R_);
    EXPECT_EQ(hw(3, 0x3000)->rights, R_);
    /* A parent that revokes reaches the granted node and below. */
    EXPECT_EQ(UNMAP(1, 0x1000, KB4, RWX), 0);
    EXPECT(!N(2, 0x9000) && !N(3, 0x3000));
    EXPECT(check_all());
    env_close(&e);
}

CASE(replace_overlapping)
{
    env_t e;
    if (!env_open(&e, 5, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x1000, 1, 0x1000, KB4, RWX));
    EXPECT(MAP(0, 0x2000, 2, 0x1000, KB4, RWX));
    EXPECT(MAP(1, 0x1000, 3, 0x5000, KB4, RWX));
    EXPECT(MAP(3, 0x5000, 4, 0x5000, KB4, RWX));
    EXPECT(MAP(2, 0x1000, 3, 0x5000, KB4, R_));     /* other frame: replace */
    EXPECT(N(3, 0x5000) && N(3, 0x5000)->parent == N(2, 0x1000));
    EXPECT_EQ(N(3, 0x5000)->pa, 0x2000);
    EXPECT_EQ(hw(3, 0x5000)->pa, 0x2000);
    EXPECT(!N(4, 0x5000) && !hw(4, 0x5000)->present);  /* derived from the old one */
    EXPECT(list_empty(&N(1, 0x1000)->children));
    EXPECT(check_all());
    env_close(&e);
}

CASE(same_page_extends_rights)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x1000, 1, 0x1000, KB4, R_ | W_));
    EXPECT(MAP(1, 0x1000, 2, 0x2000, KB4, R_));
    EXPECT(MAP(2, 0x2000, 3, 0x3000, KB4, R_));
    mdb_node_t *n = N(2, 0x2000);
    EXPECT(touch(2, 0x2000, R_));
    EXPECT(MAP(1, 0x1000, 2, 0x2000, KB4, RWX));    /* w added, x not held */
    EXPECT(N(2, 0x2000) == n);
    EXPECT_EQ(n->rights, R_ | W_);
    EXPECT_EQ(hw(2, 0x2000)->rights, R_ | W_);
    EXPECT(N(3, 0x3000) && N(3, 0x3000)->rights == R_);  /* not recursive */
    /* Mapping can't revoke. */
    EXPECT(MAP(1, 0x1000, 2, 0x2000, KB4, R_));
    EXPECT_EQ(n->rights, R_ | W_);
    EXPECT_EQ(UNMAP(1, 0x1000, KB4, 0), R_);       /* access bits survived */
    /* Same frame through a different parent replaces. */
    EXPECT(MAP(0, 0x1000, 2, 0x2000, KB4, R_));
    EXPECT(N(2, 0x2000) && N(2, 0x2000)->parent == N(0, 0x1000));
    EXPECT(!N(3, 0x3000));
    EXPECT(check_all());
    env_close(&e);
}

CASE(unmap_recursive)
{
    env_t e;
    if (!env_open(&e, 6, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x10000, 1, 0x10000, 14, RWX));  /* 4 pages */
    for (int s = 1; s < 5; s++) {
        EXPECT(MAP(s, 0x10000, s + 1, 0x10000, 14, RWX));
    }
    EXPECT(MAP(2, 0x11000, 5, 0x40000, KB4, RWX));  /* 5 also holds a second branch */
    EXPECT_EQ(UNMAP(2, 0x10000, 13, W_), 0);       /* pages 0..1: w down the tree */
    for (int s = 3; s <= 5; s++) {
        EXPECT_EQ(rights_at(s, 0x10000), R_ | X_);
        EXPECT_EQ(rights_at(s, 0x11000), R_ | X_);
        EXPECT_EQ(rights_at(s, 0x12000), RWX);
        EXPECT_EQ(hw(s, 0x11000)->rights, R_ | X_);
    }
    EXPECT_EQ(rights_at(5, 0x40000), R_ | X_);
    EXPECT_EQ(rights_at(2, 0x10000), RWX);          /* caller untouched */
    EXPECT_EQ(UNMAP(2, 0x10000, 14, RWX), 0);
    for (int s = 3; s <= 5; s++) {
        EXPECT(!N(s, 0x10000) && !N(s, 0x13000) && !hw(s, 0x12000)->present);
    }
    EXPECT(!N(5, 0x40000));
    EXPECT(N(2, 0x10000) && N(1, 0x13000));
    EXPECT_EQ(S(3)->nodes + S(4)->nodes + S(5)->nodes, 0);
    EXPECT(check_all());
    env_close(&e);
}

CASE(flush)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x2000, 1, 0x2000, 13, RWX));
    EXPECT(MAP(1, 0x2000, 2, 0x2000, 13, RWX));
    EXPECT(MAP(2, 0x2000, 3, 0x2000, 13, RWX));
    EXPECT_EQ(FLUSH(2, 0x2000, KB4, W_), 0);
    EXPECT_EQ(rights_at(2, 0x2000), R_ | X_);
    EXPECT_EQ(rights_at(3, 0x2000), R_ | X_);
    EXPECT_EQ(rights_at(2, 0x3000), RWX);
    EXPECT_EQ(FLUSH(2, 0x2000, 13, RWX), 0);
    EXPECT(!N(2, 0x2000) && !N(2, 0x3000) && !N(3, 0x2000) && !N(3, 0x3000));
    EXPECT(!hw(2, 0x2000)->present);
    EXPECT(N(1, 0x2000) && N(1, 0x3000));
    /* rwx = 0 with flush changes nothing. */
    EXPECT_EQ(FLUSH(1, 0x2000, 13, 0), 0);
    EXPECT_EQ(rights_at(1, 0x2000), RWX);
    EXPECT(check_all());
    env_close(&e);
}

CASE(sigma0_unmap)
{
    env_t e;
    if (!env_open(&e, 3, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, 14, RWX));
    EXPECT(MAP(1, 0x0, 2, 0x0, 14, RWX));
    EXPECT_EQ(UNMAP(0, 0x1000, KB4, W_), 0);        /* derived only */
    EXPECT_EQ(rights_at(1, 0x1000), R_ | X_);
    EXPECT_EQ(rights_at(2, 0x1000), R_ | X_);
    EXPECT_EQ(N(0, 0x1000)->rights, RWX);
    EXPECT_EQ(FLUSH(0, 0x2000, KB4, W_), 0);        /* roots keep full rights */
    EXPECT_EQ(N(0, 0x2000)->rights, RWX);
    EXPECT_EQ(UNMAP(0, 0x0, 13, RWX), 0);           /* roots stay without flush */
    EXPECT(!N(1, 0x0) && !N(2, 0x1000) && N(1, 0x2000));
    EXPECT(N(0, 0x0) != NULL);
    EXPECT_EQ(FLUSH(0, 0x0, 14, RWX), 0);           /* full flush drops roots */
    EXPECT_EQ(S(0)->nodes + S(1)->nodes + S(2)->nodes, 0);
    EXPECT(MAP(0, 0x3000, 1, 0x3000, KB4, RWX));    /* and they come back */
    EXPECT(N(1, 0x3000) && N(0, 0x3000));
    EXPECT(check_all());
    env_close(&e);
}

CASE(ancestor_not_replaced)
{
    env_t e;
    if (!env_open(&e, 3, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x1000, 1, 0x1000, KB4, RWX));
    EXPECT(MAP(1, 0x1000, 2, 0x5000, KB4, RWX));
    mdb_node_t *a = N(1, 0x1000);
    EXPECT(MAP(2, 0x5000, 1, 0x1000, KB4, RWX));    /* back onto its own ancestor */
    EXPECT(GRANT(2, 0x5000, 1, 0x1000, KB4, RWX));
    EXPECT(N(1, 0x1000) == a && N(2, 0x5000) && N(2, 0x5000)->parent == a);
    EXPECT(MAP(1, 0x1000, 1, 0x1000, KB4, RWX));    /* onto itself */
    EXPECT(GRANT(1, 0x1000, 1, 0x1000, KB4, RWX));
    EXPECT(N(1, 0x1000) == a);
    EXPECT(MAP(1, 0x1000, 1, 0x9000, KB4, R_));     /* alias in the same space */
    EXPECT(N(1, 0x9000) && N(1, 0x9000)->parent == a);
    /* Within one space (aligned ranges coincide or are disjoint): onto
     * itself nothing happens; moving and mapping back is ordinary. */
    EXPECT(MAP(0, 0x10000, 2, 0x10000, 16, RWX));
    mdb_node_t *b = N(2, 0x18000);
    EXPECT(MAP(2, 0x10000, 2, 0x10000, 16, R_));
    EXPECT(GRANT(2, 0x10000, 2, 0x10000, 16, R_));
    EXPECT(N(2, 0x18000) == b && b->rights == RWX);
    EXPECT_EQ(S(2)->nodes, 17);                     /* and 0x5000 from above */
    EXPECT(GRANT(2, 0x18000, 2, 0x30000, 15, R_));
    EXPECT(N(2, 0x30000) == b && !N(2, 0x18000) && b->rights == R_);
    EXPECT(MAP(2, 0x30000, 2, 0x18000, 15, RWX));
    EXPECT(N(2, 0x18000)->parent == b && N(2, 0x18000)->rights == R_);
    EXPECT(check_all());
    EXPECT_EQ(UNMAP(0, 0x0, 20, RWX), 0);
    EXPECT_EQ(S(1)->nodes + S(2)->nodes, 0);
    EXPECT(check_all());
    env_close(&e);
}

CASE(large_pages)
{
    env_t e;
    if (!env_open(&e, 4, 2048, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x400000, 1, 0x400000, 22, RWX));     /* 4 MiB: two 2 MiB */
    mdb_node_t *n = N(1, 0x400000);
    EXPECT(n && n->size_log2 == MB2 && N(0, 0x600000)->size_log2 == MB2);
    EXPECT_EQ(hw(1, 0x5FF000)->size, MB2);
    EXPECT(N(1, 0x600000) && N(1, 0x600000)->pa == 0x600000);
    /* Unaligned target: 4 KiB pages. */
    EXPECT(MAP(1, 0x400000, 2, 0x0, 20, RWX));
    EXPECT(N(2, 0x0) && N(2, 0x0)->size_log2 == KB4 && N(2, 0xFF000)->parent == n);
    EXPECT_EQ(N(2, 0xFF000)->pa, 0x4FF000);
    EXPECT(MAP(1, 0x400000, 3, 0x200000, MB2, R_));
    EXPECT(N(3, 0x200000)->size_log2 == MB2 && N(3, 0x200000)->parent == n);
    EXPECT(check_all());
    env_close(&e);
}

CASE(partial_unmap_splits)
{
    env_t e;
    if (!env_open(&e, 5, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));
    EXPECT(MAP(1, 0x0, 2, 0x200000, MB2, RWX));
    EXPECT(MAP(2, 0x200000, 3, 0x0, MB2, R_ | W_));
    EXPECT(MAP(2, 0x234000, 4, 0x10000, KB4, R_));  /* small child of a large node */
    EXPECT(touch(3, 0x5000, W_));
    EXPECT_EQ(FLUSH(1, 0x34000, KB4, RWX), R_ | W_);  /* bits of 3's 2 MiB entry */
    for (int s = 1; s <= 3; s++) {
        word_t base = s == 2 ? 0x200000 : 0;
        EXPECT(!N(s, base + 0x34000) && !hw(s, base + 0x34000)->present);
        mdb_node_t *x = N(s, base + 0x35000);
        EXPECT(x && x->size_log2 == KB4 && x->pa == 0x35000);
        EXPECT(N(s, base + 0x1FF000) && N(s, base + 0x1FF000)->size_log2 == KB4);
        EXPECT_EQ(S(s)->nodes, 511);
    }
    EXPECT(N(3, 0x35000)->parent == N(2, 0x235000) && N(2, 0x235000)->parent == N(1, 0x35000));
    EXPECT(!N(4, 0x10000));                           /* its frame was unmapped */
    EXPECT_EQ(N(0, 0x0)->size_log2, MB2);             /* the root is not split */
    EXPECT_EQ(rights_at(3, 0x1000), R_ | W_);
    EXPECT_EQ(hw(3, 0x1000)->size, KB4);
    /* The access bits of the old 2 MiB entry went with every piece. */
    EXPECT_EQ(UNMAP(2, 0x200000, MB2, 0), R_ | W_);
    EXPECT_EQ(UNMAP(2, 0x200000, MB2, 0), 0);
    EXPECT(check_all());
    env_close(&e);
}

CASE(remap_inside_large_splits)
{
    env_t e;
    if (!env_open(&e, 4, 2048, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, R_));
    EXPECT(MAP(1, 0x0, 2, 0x0, MB2, R_));
    EXPECT(MAP(0, 0x3000, 2, 0x3000, KB4, RWX));   /* other parent: replace one page */
    mdb_node_t *root = N(0, 0x0);
    EXPECT(N(2, 0x3000) && N(2, 0x3000)->parent == root && N(2, 0x3000)->rights == RWX);
    EXPECT(N(2, 0x4000) && N(2, 0x4000)->rights == R_ && N(2, 0x4000)->parent == N(1, 0x0));
    EXPECT_EQ(S(1)->nodes, 1);
    EXPECT_EQ(S(2)->nodes, 512);
    /* Same parent and frame: one 4 KiB part of the large mapping is extended. */
    EXPECT(MAP(0, 0x5000, 1, 0x5000, KB4, RWX));
    EXPECT_EQ(S(1)->nodes, 512);
    EXPECT_EQ(rights_at(1, 0x5000), RWX);
    EXPECT_EQ(rights_at(1, 0x6000), R_);
    EXPECT_EQ(hw(1, 0x5000)->rights, RWX);
    EXPECT(N(2, 0x5000)->parent == N(1, 0x5000) && N(2, 0x5000)->rights == R_);
    /* A large map over a smaller mapping it would extend: page by page. */
    EXPECT(MAP(0, 0x200000, 1, 0x400000, MB2, R_));     /* a 2 MiB root */
    EXPECT(MAP(0, 0x201000, 3, 0x201000, KB4, R_));
    mdb_node_t *small = N(3, 0x201000);
    EXPECT(MAP(0, 0x200000, 3, 0x200000, MB2, RWX));
    EXPECT(N(3, 0x201000) == small && small->rights == RWX);
    EXPECT_EQ(S(3)->nodes, 512);
    EXPECT(check_all());
    env_close(&e);
}

CASE(partial_grant_splits)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));
    EXPECT(MAP(1, 0x0, 2, 0x0, MB2, RWX));
    EXPECT(GRANT(1, 0x10000, 3, 0x50000, 16, R_ | W_));   /* 64 KiB of 2 MiB */
    EXPECT(!N(1, 0x10000) && !N(1, 0x1F000) && N(1, 0x20000) && N(1, 0xF000));
    EXPECT(N(3, 0x50000) && N(3, 0x50000)->parent == N(0, 0x0));
    EXPECT(N(2, 0x10000)->parent == N(3, 0x50000));
    EXPECT_EQ(rights_at(2, 0x10000), R_ | W_);
    EXPECT_EQ(rights_at(2, 0x20000), RWX);
    EXPECT(check_all());
    env_close(&e);
}

CASE(access_bits)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x2000, 1, 0x2000, 13, RWX));
    EXPECT(MAP(1, 0x2000, 2, 0x2000, 13, RWX));
    EXPECT(MAP(2, 0x2000, 3, 0x2000, KB4, RWX));
    EXPECT(touch(1, 0x2000, W_));
    EXPECT(touch(3, 0x2000, X_));
    EXPECT(touch(2, 0x3000, R_));
    EXPECT_EQ(UNMAP(1, 0x2000, KB4, 0), R_ | X_);   /* derived only, all levels */
    EXPECT_EQ(UNMAP(1, 0x2000, KB4, 0), 0);         /* reset */
    EXPECT_EQ(FLUSH(1, 0x2000, KB4, 0), R_ | W_);   /* own with flush */
    EXPECT_EQ(UNMAP(1, 0x2000, 13, 0), R_);         /* space 2's second page */
    EXPECT(touch(3, 0x2000, W_));
    EXPECT_EQ(UNMAP(1, 0x2000, KB4, RWX), R_ | W_); /* removed pages report too */
    EXPECT_EQ(UNMAP(0, 0x2000, 13, 0), 0);          /* everything was reset */
    EXPECT(touch(2, 0x3000, W_));
    EXPECT_EQ(UNMAP(0, 0x0, 16, 0), R_ | W_);
    EXPECT(check_all());
    env_close(&e);
}

CASE(access_bits_large)
{
    env_t e;
    if (!env_open(&e, 3, 2048, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));
    EXPECT(MAP(1, 0x0, 2, 0x0, MB2, RWX));
    EXPECT(touch(2, 0x7000, W_));
    /* A query of part of a large page reports the whole entry and keeps the
     * bits for the rest of it; no split. */
    EXPECT_EQ(UNMAP(1, 0x0, KB4, 0), R_ | W_);
    EXPECT_EQ(UNMAP(1, 0x7000, KB4, 0), R_ | W_);
    EXPECT_EQ(N(2, 0x0)->size_log2, MB2);
    EXPECT_EQ(UNMAP(1, 0x0, MB2, 0), R_ | W_);      /* whole: reset */
    EXPECT_EQ(UNMAP(1, 0x0, MB2, 0), 0);
    /* Grant carries the bits along. */
    EXPECT(touch(2, 0x3000, X_));
    EXPECT(GRANT(2, 0x0, 2, 0x400000, MB2, RWX));
    EXPECT_EQ(UNMAP(1, 0x0, MB2, 0), R_ | X_);
    EXPECT(check_all());
    env_close(&e);
}

CASE(may_map_policy)
{
    env_t e;
    if (!env_open(&e, 3, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    e.policy = true;
    EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));          /* frame 5 and page 3 refused */
    EXPECT(!N(1, 0x3000) && !N(1, 0x5000) && N(1, 0x4000) && N(1, 0x6000));
    EXPECT_EQ(N(1, 0x6000)->size_log2, KB4);
    EXPECT_EQ(S(1)->nodes, 510);
    EXPECT(MAP(0, 0x600000, 2, 0x200000, MB2, RWX));
    EXPECT_EQ(N(2, 0x200000)->size_log2, MB2);
    EXPECT(check_all());
    env_close(&e);
}

CASE(roots_grow)
{
    env_t e;
    if (!env_open(&e, 3, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x5000, 1, 0x5000, KB4, RWX));
    EXPECT(MAP(0, 0x9000, 1, 0x9000, KB4, RWX));
    EXPECT_EQ(S(0)->nodes, 2);
    EXPECT(MAP(0, 0x0, 2, 0x200000, MB2, RWX));
    EXPECT_EQ(S(0)->nodes, 1);
    mdb_node_t *root = N(0, 0x0);
    EXPECT(root && root->size_log2 == MB2);
    EXPECT(N(1, 0x5000)->parent == root && N(1, 0x9000)->parent == root);
    EXPECT(N(2, 0x200000)->parent == root);
    EXPECT_EQ(UNMAP(0, 0x5000, KB4, RWX), 0);       /* splits root and 2's page */
    EXPECT(!N(1, 0x5000) && !N(2, 0x205000) && N(1, 0x9000) && N(2, 0x209000));
    EXPECT(check_all());
    env_close(&e);
}

CASE(space_destroy)
{
    env_t e;
    if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, 0x0, 16, RWX));
    EXPECT(MAP(1, 0x0, 2, 0x0, 16, RWX));
    EXPECT(MAP(2, 0x0, 3, 0x0, 16, RWX));
    EXPECT(MAP(0, 0x100000, 3, 0x100000, KB4, RWX));
    mdb_space_destroy(&e.m, S(2));
    e.sp[2].live = false;
    EXPECT(!N(3, 0x0) && N(3, 0x100000) && N(1, 0xF000));
    EXPECT(check_all());
    env_close(&e);
}

CASE(high_addresses)
{
    env_t e;
    if (!env_open(&e, 2, 1024, BIT(KB4) | BIT(MB2))) {
        return;
    }
    word_t top = BIT(47) - BIT(MB2);
    EXPECT(MAP(0, top, 1, 0x0, MB2, RWX));
    EXPECT(MAP(0, 0x0, 1, 0x200000, KB4, RWX));
    EXPECT(N(1, 0x0)->pa == top && N(0, BIT(47) - 1) != NULL);
    EXPECT(mdb_find(&e.m, S(0), 0x1000, BIT(47) - 1) == N(0, top));
    EXPECT(mdb_find(&e.m, S(0), 0x1000, top - 1) == NULL);
    EXPECT(MAP(0, BIT(47), 1, 0x0, MB2, RWX));      /* outside: ignored */
    EXPECT_EQ(UNMAP(0, 0x0, 1, RWX) , 0);           /* complete address space */
    EXPECT_EQ(S(1)->nodes, 0);
    EXPECT(check_all());
    env_close(&e);
}

/* Every allocation in a map, split or root creation failing in turn: the
 * call reports it (or unmap falls back), and the state stays consistent. */
CASE(alloc_failure)
{
    for (long k = 0; k < 80; k++) {
        env_t e;
        if (!env_open(&e, 4, 1024, BIT(KB4) | BIT(MB2))) {
            return;
        }
        EXPECT(MAP(0, 0x0, 1, 0x0, MB2, RWX));
        EXPECT(MAP(1, 0x0, 2, 0x0, MB2, RWX));
        EXPECT(MAP(0, 0x200000, 3, 0x200000, MB2, RWX));
        e.fail_countdown = k;
        bool ok = MAP(3, 0x200000, 2, 0x10000, 16, R_);     /* split of 2's page */
        ok = MAP(0, 0x300000, 1, 0x300000, 14, R_) && ok;   /* new roots, nodes */
        unsigned before = S(2)->nodes;
        UNMAP(1, 0x30000, KB4, RWX);                        /* split or fallback */
        if (e.injected == 0) {
            EXPECT(ok && N(2, 0x10000)->pa == 0x200000 && !N(2, 0x30000));
            EXPECT_EQ(before - S(2)->nodes, 1);
        }
        EXPECT(N(2, 0x20000) == NULL || N(2, 0x20000)->rights == RWX);
        if (!check_all()) {
            fail(__LINE__, "after failure at allocation %ld", k);
        }
        env_close(&e);
        if (case_failures) {
            return;
        }
    }
}

/* One page replaced over an existing mapping, failing at every fallible
 * call in turn: either done, or the old mapping and what was derived from
 * it are untouched.  Variant 0 fills the node slab to a page boundary so
 * the new node itself needs a page; variant 1 needs a split first. */
CASE(failure_atomic)
{
    for (int variant = 0; variant < 2; variant++) {
        for (long k = 0; k < 48; k++) {
            env_t e;
            if (!env_open(&e, 5, 1024, BIT(KB4) | BIT(MB2))) {
                return;
            }
            unsigned sz = variant ? MB2 : KB4;
            EXPECT(MAP(0, 0x0, 1, 0x0, sz, R_));
            EXPECT(MAP(1, 0x0, 2, 0x0, sz, R_));
            EXPECT(MAP(0, 0x200000, 3, 0x200000, KB4, RWX));
            word_t per_page = BIT(e.m.alloc_bits) / sizeof(mdb_node_t) - 1;
            for (word_t va = 0x300000; !variant && e.m.nodes_used % per_page; va += BIT(KB4)) {
                EXPECT(MAP(0, va, 4, va, KB4, RWX));
            }
            e.fail_countdown = k;
            bool ok = MAP(3, 0x200000, 1, 0x0, KB4, RWX);
            e.fail_countdown = -1;
            mdb_node_t *n1 = N(1, 0x0), *n2 = N(2, 0x0);
            if (ok) {
                EXPECT(n1 && n1->pa == 0x200000 && n1->rights == RWX && !n2);
            } else {
                EXPECT(e.injected == 1);
                EXPECT(n1 && n1->pa == 0x0 && n1->rights == R_ && n1->parent == N(0, 0x0));
                EXPECT(n2 && n2->pa == 0x0 && n2->parent == n1);
            }
            if (!check_all()) {
                fail(__LINE__, "variant %d, failure at call %ld", variant, k);
            }
            env_close(&e);
            if (case_failures) {
                return;
            }
        }
    }
}


int main(int argc, char **argv)
{
    return run_cases("mdb", argc, argv);
}
