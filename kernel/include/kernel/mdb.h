/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping database (mdb): the derivation tree of all user mappings.
 *
 * Every mapping is a node: (space, virtual page, size, frame, rights).  A
 * mapping made by map IPC is a child of the sender's mapping; grant moves the
 * sender's node; Unmap walks the subtrees below the caller's nodes.  The
 * roots are sigma0's idempotent mappings of physical memory, created on
 * demand when sigma0 maps something out.
 *
 * Arch-neutral and built on the host.  The mdb never touches page tables: it
 * drives them through mdb_ops_t, and it finds nodes through its own per-space
 * radix index (docs/mdb.md has the design, costs and the decisions the spec
 * leaves open).
 *
 * Locking: every function runs under the kernel lock; nothing is reentrant.
 */
#pragma once

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/fpage.h>

/* Node fields are packed below this bit of the virtual address, so the
 * smallest page size must be at least 2^MDB_VA_SHIFT. */
#define MDB_VA_SHIFT    12
/* Index depth limit: enough for 64-bit addresses with 512-entry tables. */
#define MDB_MAX_LEVELS  8

#define MDB_ASSERT(c)   do { if (unlikely(!(c))) __builtin_trap(); } while (0)

typedef struct mdb_space mdb_space_t;

typedef struct mdb_node {
    list_node_t siblings;           /* link in parent->children */
    list_node_t children;           /* mappings derived from this one */
    struct mdb_node *parent;        /* NULL: a root (sigma0's mapping) */
    mdb_space_t *space;
    word_t size_log2 : 6;
    word_t rights : 3;              /* FPAGE_RIGHT_*, never 0 */
    word_t status : 3;              /* access bits read from the arch, not yet reported */
    word_t vpn : WORD_BITS - MDB_VA_SHIFT;  /* virtual address >> MDB_VA_SHIFT */
    paddr_t pa;                     /* first frame, aligned to the size */
} mdb_node_t;

_Static_assert(WORD_BITS != 64 || sizeof(mdb_node_t) == 64, "one node per cache line");

/* The per-space part of the mdb; the kernel embeds it in its space object. */
struct mdb_space {
    word_t *index;                  /* top table of the radix index */
    bool sigma0;                    /* idempotent: holds the roots, no hardware */
    word_t nodes;                   /* mappings (or roots) in this space */
    word_t tables;                  /* index tables of this space */
};

/* What the arch (page tables) and the kernel page pool provide.  Ranges are
 * always naturally aligned pages of a supported size; a range may be
 * covered by several smaller hardware entries (see prepare).  The mdb never
 * calls the page-table operations for sigma0's space. */
typedef struct mdb_ops {
    /* One page of 2^alloc_bits bytes, or NULL when the pool is empty. */
    void *(*alloc_page)(void);
    void (*free_page)(void *page);
    /* Make install(s, va, size_log2, ...) unable to fail: allocate the
     * page-table levels down to that size.  May replace a larger installed
     * entry covering va by equivalent smaller ones (same frames, rights and
     * access bits).  False when out of memory; nothing visible changed. */
    bool (*prepare)(mdb_space_t *s, word_t va, unsigned size_log2);
    /* Enter one page, replacing whatever covers the range; the new entry's
     * access bits are clear.  Always preceded by a successful prepare. */
    void (*install)(mdb_space_t *s, word_t va, unsigned size_log2, paddr_t pa,
                    unsigned rights);
    /* Remove every entry in the range (and flush the TLBs). */
    void (*remove)(mdb_space_t *s, word_t va, unsigned size_log2);
    /* Set the rights of every entry in the range; keeps the access bits. */
    void (*protect)(mdb_space_t *s, word_t va, unsigned size_log2, unsigned rights);
    /* Read and clear the access bits of the range: r referenced, w written,
     * x executed (FPAGE_RIGHT_* positions), or-ed over the entries. */
    unsigned (*status)(mdb_space_t *s, word_t va, unsigned size_log2);
    /* Optional policy: may the 2^size_log2 block at from_va be entered at
     * to_va?  The kernel refuses KIP and UTCB areas and, for sigma0 as the
     * sender, kernel memory.  The mdb retries refused blocks with smaller
     * pages and skips refused pages of the smallest size. */
    bool (*may_map)(mdb_space_t *from, word_t from_va, mdb_space_t *to, word_t to_va,
                    unsigned size_log2);
    /* Optional kernel-memory accounting: charge s for bytes it is about to
     * hold (nodes count sizeof(mdb_node_t), index tables a page each);
     * false = over s's limit, nothing charged.  refund returns a charge.
     * At any time s is charged exactly nodes * node size + tables * page;
     * the mdb charges before the step that cannot fail any more. */
    bool (*charge)(mdb_space_t *s, word_t bytes);
    void (*refund)(mdb_space_t *s, word_t bytes);
} mdb_ops_t;

typedef struct mdb_config {
    word_t page_sizes;              /* bit n set: hardware pages of 2^n bytes */
    unsigned va_bits;               /* user addresses are below 2^va_bits */
    unsigned alloc_bits;            /* alloc_page() returns 2^alloc_bits bytes */
} mdb_config_t;

typedef struct mdb {
    const mdb_ops_t *ops;
    word_t page_sizes;
    unsigned min_bits, va_bits, alloc_bits;
    unsigned level_bits, levels;    /* index geometry */
    list_node_t slab_partial;       /* node pages with free slots */
    void *slab_spare;               /* one empty node page kept back */
    word_t nodes_used;              /* allocated nodes (incl. reserved) */
    word_t pages_used;              /* pages held: node slabs + index tables */
} mdb_t;

/* One map or grant of a naturally aligned region (ipc.md §4.3).  The caller
 * has already matched send fpage and receive window; both addresses are
 * aligned to 2^size_log2 and below 2^va_bits. */
typedef struct mdb_xfer {
    mdb_space_t *from, *to;
    word_t from_va, to_va;
    unsigned size_log2;
    unsigned rights;                /* the send fpage's rwx */
    bool grant;
} mdb_xfer_t;

/* False if the configuration is unusable (see docs/mdb.md). */
bool mdb_init(mdb_t *m, const mdb_ops_t *ops, const mdb_config_t *cfg);
/* Give back cached pages.  Precondition: every space destroyed. */
void mdb_fini(mdb_t *m);

/* sigma0 = the idempotent space holding the roots.  False: out of memory. */
bool mdb_space_init(mdb_t *m, mdb_space_t *s, bool sigma0);
/* Remove every mapping of s and everything derived from it, then the index. */
void mdb_space_destroy(mdb_t *m, mdb_space_t *s);

/* Map or grant (X.2 §5.2).  False when kernel memory ran out: the pages
 * before the failing one are transferred, the rest not; the database and
 * the page tables are consistent either way. */
bool mdb_map(mdb_t *m, const mdb_xfer_t *x);
/* Unmap (X.2 §4.2, syscalls.md §8) one fpage of s: revoke its rwx from all
 * mappings derived from s's mappings in it, with flush also from s's own.
 * Returns the or-ed access bits (r, w, x) of the processed mappings, which
 * are reset.  Cannot fail (see docs/mdb.md for partial large pages). */
unsigned mdb_unmap(mdb_t *m, mdb_space_t *s, fpage_t f, bool flush);

/* The node mapping va in s, or NULL.  O(index depth). */
mdb_node_t *mdb_lookup(const mdb_t *m, const mdb_space_t *s, word_t va);
/* The first node of s (by address) overlapping [va, last], or NULL. */
mdb_node_t *mdb_find(const mdb_t *m, const mdb_space_t *s, word_t va, word_t last);

static inline word_t mdb_node_va(const mdb_node_t *n)
{
    return (word_t)n->vpn << MDB_VA_SHIFT;
}

/* Last byte of the node's virtual range. */
static inline word_t mdb_node_last(const mdb_node_t *n)
{
    return mdb_node_va(n) + MASK(n->size_log2);
}

static inline bool mdb_is_root(const mdb_node_t *n)
{
    return n->parent == NULL;
}

static inline mdb_node_t *mdb_first_child(const mdb_node_t *n)
{
    return list_empty(&n->children) ? NULL : container_of(n->children.next, mdb_node_t, siblings);
}

/* ---- Library-internal: shared by kernel/lib/mdb_*.c, not for callers ---- */

/* Largest supported page size <= log2 (0 if none), next smaller than log2. */
static inline unsigned mdb_size_below(const mdb_t *m, unsigned log2)
{
    word_t sizes = m->page_sizes & MASK(log2 + 1);
    return sizes ? (unsigned)(WORD_BITS - 1 - __builtin_clzl(sizes)) : 0;
}

static inline unsigned mdb_size_smaller(const mdb_t *m, unsigned log2)
{
    return mdb_size_below(m, log2 - 1);
}

static inline unsigned mdb_level_of(const mdb_t *m, unsigned size_log2)
{
    return (size_log2 - m->min_bits) / m->level_bits;
}

/* Node slab (mdb_slab.c).  Nodes are charged separately (mdb_charge). */
mdb_node_t *mdb_node_alloc(mdb_t *m);
void mdb_node_free(mdb_t *m, mdb_node_t *n);
/* Return the spare node page to the pool. */
void mdb_slab_trim(mdb_t *m);
/* An index table of s, charged to it (s->tables counts it); with s NULL an
 * uncharged one for a reserve.  NULL: over s's limit or out of memory. */
word_t *mdb_table_alloc(mdb_t *m, mdb_space_t *s);
void mdb_table_free(mdb_t *m, mdb_space_t *s, word_t *t);
/* Charge s for nodes and index tables it is about to hold, or refund them. */
bool mdb_charge(mdb_t *m, mdb_space_t *s, word_t nodes, word_t tables);
void mdb_refund(mdb_t *m, mdb_space_t *s, word_t nodes, word_t tables);

/* Nodes and tables set aside before a change that must not fail halfway. */
typedef struct mdb_reserve {
    mdb_node_t *nodes;              /* linked through parent */
    word_t *tables;                 /* linked through word 0 */
} mdb_reserve_t;

bool mdb_reserve(mdb_t *m, mdb_reserve_t *r, word_t nodes, word_t tables);
mdb_node_t *mdb_reserve_node(mdb_reserve_t *r);
word_t *mdb_reserve_table(mdb_reserve_t *r);
void mdb_reserve_release(mdb_t *m, mdb_reserve_t *r);

/* Per-space radix index (mdb_index.c). */
bool mdb_idx_init(mdb_t *m, mdb_space_t *s);
void mdb_idx_fini(mdb_t *m, mdb_space_t *s);
/* Create the tables on the path to va's slot at level; false: no memory. */
bool mdb_idx_prepare(mdb_t *m, mdb_space_t *s, word_t va, unsigned level);
/* Enter n (path prepared); an emptied table in its slot is freed. */
void mdb_idx_insert(mdb_t *m, mdb_space_t *s, mdb_node_t *n);
void mdb_idx_remove(mdb_t *m, mdb_space_t *s, mdb_node_t *n);
/* Replace n's slot by the (reserved) table t; n is no longer indexed. */
void mdb_idx_expand(mdb_t *m, mdb_space_t *s, mdb_node_t *n, word_t *t);

/* Tree operations (mdb_tree.c). */
void mdb_node_init(mdb_node_t *n, mdb_space_t *s, mdb_node_t *parent, word_t va,
                   unsigned size_log2, paddr_t pa, unsigned rights);
void mdb_link(mdb_node_t *parent, mdb_node_t *child);
bool mdb_is_ancestor_or_self(const mdb_node_t *a, const mdb_node_t *n);
/* Access bits of n; whole = n is entirely processed, so they are reset
 * (otherwise kept for later queries of the rest of n). */
unsigned mdb_harvest(mdb_t *m, mdb_node_t *n, bool whole);
/* Remove n with everything derived from it; collect = harvest first. */
unsigned mdb_remove_subtree(mdb_t *m, mdb_node_t *n, bool collect);
/* Revoke rights from the descendants of top whose frames overlap
 * [plo, phi]; returns their access bits if collect. */
unsigned mdb_revoke_derived(mdb_t *m, mdb_node_t *top, paddr_t plo, paddr_t phi,
                            unsigned rights, bool collect);

/* Splitting large nodes (mdb_split.c). */
/* Make the node of s covering va (if any) no larger than 2^size_log2. */
bool mdb_split_to(mdb_t *m, mdb_space_t *s, word_t va, unsigned size_log2);

/* Roots (mdb_root.c): make sigma0's block of 2^size_log2 at va a root. */
bool mdb_root_cover(mdb_t *m, mdb_space_t *s0, word_t va, unsigned size_log2);
