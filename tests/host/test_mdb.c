/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the mapping database (kernel/lib/mdb*.c).
 *
 * A fake arch keeps one record per 4 KiB slot of each space (present,
 * frame, rights, entry size, access bits per entry) and checks every call
 * against the ops contract in kernel/mdb.h.  Hand-written cases cover each
 * rule; the randomized cases drive 100,000+ operations against the page-by-
 * page reference model in mdb_model.h and, every few steps, check the tree
 * invariants, that the fake page tables equal the database, and that both
 * equal the model.  Every case ends with a leak check.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -Werror -g -fsanitize=address,undefined
 *        -fno-sanitize-recover=all -Ikernel/include tests/host/test_mdb.c
 *        kernel/lib/mdb*.c
 * Prints "ok mdb.<case>" or "FAIL mdb.<case>: <why>" per case, then
 * "mdb: N passed, M failed"; exits 1 on failure.  MDB_SEED=<n> reseeds the
 * randomized cases; arguments select cases by fnmatch pattern.
 */
#include <kernel/mdb.h>
#include "mdb_model.h"

#include <fnmatch.h>
#include <signal.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Harness ---- */

#define MAX_CASES 64

static struct {
    const char *name;
    void (*fn)(void);
} cases[MAX_CASES];
static int ncases;
static int case_failures;
static char case_why[512];

#define CASE(id)                                                            \
    static void case_##id(void);                                            \
    __attribute__((constructor)) static void reg_##id(void)                 \
    {                                                                         \
        if (ncases < MAX_CASES) {                                             \
            cases[ncases].name = "mdb." #id;                                \
            cases[ncases++].fn = case_##id;                                 \
        }                                                                     \
    }                                                                         \
    static void case_##id(void)

__attribute__((format(printf, 2, 3)))
static bool fail(int line, const char *fmt, ...)
{
    if (case_failures++ == 0) {
        int n = snprintf(case_why, sizeof(case_why), "line %d: ", line);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(case_why + n, sizeof(case_why) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

#define EXPECT(c) ((c) ? true : fail(__LINE__, "%s", #c))
#define EXPECT_EQ(got, want)                                                  \
    __extension__({                                                           \
        unsigned long g_ = (unsigned long)(got), w_ = (unsigned long)(want);  \
        g_ == w_ ? true : fail(__LINE__, "%s is %#lx, want %#lx", #got, g_, w_); \
    })

/* ---- Fake arch: page tables of 4 KiB slots ---- */

#define KB4         12
#define MB2         21
#define GB1         30
#define MAX_SPACES  8
#define R_          FPAGE_RIGHT_R
#define W_          FPAGE_RIGHT_W
#define X_          FPAGE_RIGHT_X
#define RWX         FPAGE_RIGHTS_ALL

typedef struct slot {
    uint64_t pa;
    uint8_t present, rights, size, status;  /* status: at an entry's first slot */
} slot_t;

typedef struct tspace {
    mdb_space_t ms;
    int id;
    bool live;
    slot_t *hw;
} tspace_t;

typedef struct env {
    mdb_t m;
    tspace_t sp[MAX_SPACES];
    int nspaces;
    size_t npages;                  /* slots per space */
    long fail_countdown;            /* fail the n-th fallible call; <0: off */
    unsigned fail_permille;         /* random failures */
    unsigned long injected;
    bool policy;                    /* refuse page 3 of every space and frame 5 */
    char hw_error[256];
} env_t;

static env_t *E;
static long pages_out;              /* pages handed to the mdb */
static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned rnd_below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static void hw_err(const char *fmt, ...)
{
    if (!E->hw_error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(E->hw_error, sizeof(E->hw_error), fmt, ap);
        va_end(ap);
    }
}

static bool inject(void)
{
    if (E->fail_countdown >= 0 && E->fail_countdown-- == 0) {
        E->injected++;
        return true;
    }
    if (E->fail_permille && rnd_below(1000) < E->fail_permille) {
        E->injected++;
        return true;
    }
    return false;
}

static void *t_alloc_page(void)
{
    if (inject()) {
        return NULL;
    }
    size_t size = BIT(E->m.alloc_bits);
    void *p = aligned_alloc(size, size);
    if (p) {
        memset(p, 0xA5, size);      /* the mdb must not rely on zeroed pages */
        pages_out++;
    }
    return p;
}

static void t_free_page(void *p)
{
    pages_out--;
    free(p);
}

static tspace_t *ts_of(mdb_space_t *ms)
{
    return container_of(ms, tspace_t, ms);
}

/* Slot range of an op, or NULL after reporting a contract violation. */
static slot_t *op_range(const char *op, mdb_space_t *ms, word_t va, unsigned sz, size_t *n)
{
    tspace_t *ts = ts_of(ms);
    if (ms->sigma0) {
        hw_err("%s called for sigma0's space", op);
        return NULL;
    }
    if (!(E->m.page_sizes & BIT(sz)) || !IS_ALIGNED(va, BIT(sz))) {
        hw_err("%s: bad page %#lx/%u", op, va, sz);
        return NULL;
    }
    *n = BIT(sz - KB4);
    if ((va >> KB4) + *n > E->npages) {
        hw_err("%s: %#lx/%u outside the fake page table", op, va, sz);
        return NULL;
    }
    slot_t *s = &ts->hw[va >> KB4];
    for (size_t i = 0; i < *n; i++) {
        if (s[i].present && s[i].size > sz && strcmp(op, "prepare") != 0) {
            hw_err("%s: %#lx/%u inside a larger entry of space %d", op, va, sz, ts->id);
            return NULL;
        }
    }
    return s;
}

static size_t entry_base(size_t idx, unsigned sz)
{
    return idx & ~(BIT(sz - KB4) - 1);
}

static bool t_prepare(mdb_space_t *ms, word_t va, unsigned sz)
{
    size_t n;
    slot_t *s = op_range("prepare", ms, va, sz, &n);
    if (!s || inject()) {
        return false;
    }
    /* Like x86: a larger entry covering va becomes equivalent smaller ones. */
    if (s->present && s->size > sz) {
        slot_t *hw = ts_of(ms)->hw;
        unsigned big = s->size;
        size_t base = entry_base((size_t)(s - hw), big);
        uint8_t st = hw[base].status;
        for (size_t i = base; i < base + BIT(big - KB4); i++) {
            hw[i].size = (uint8_t)sz;
            hw[i].status = i == entry_base(i, sz) ? st : 0;
        }
    }
    return true;
}

static void t_install(mdb_space_t *ms, word_t va, unsigned sz, paddr_t pa, unsigned rights)
{
    size_t n;
    slot_t *s = op_range("install", ms, va, sz, &n);
    if (!s) {
        return;
    }
    if (!IS_ALIGNED(pa, BIT(sz)) || !rights || rights > RWX) {
        hw_err("install: pa %#lx rights %u", (unsigned long)pa, rights);
    }
    for (size_t i = 0; i < n; i++) {
        s[i] = (slot_t){ pa + (i << KB4), 1, (uint8_t)rights, (uint8_t)sz, 0 };
    }
}

static void t_remove(mdb_space_t *ms, word_t va, unsigned sz)
{
    size_t n;
    slot_t *s = op_range("remove", ms, va, sz, &n);
    for (size_t i = 0; s && i < n; i++) {
        s[i] = (slot_t){ 0 };
    }
}

static void t_protect(mdb_space_t *ms, word_t va, unsigned sz, unsigned rights)
{
    size_t n;
    slot_t *s = op_range("protect", ms, va, sz, &n);
    for (size_t i = 0; s && i < n; i++) {
        if (!s[i].present || !rights) {
            hw_err("protect: %#lx absent or rights 0", va + (i << KB4));
        }
        s[i].rights = (uint8_t)rights;
    }
}

static unsigned t_status(mdb_space_t *ms, word_t va, unsigned sz)
{
    size_t n;
    slot_t *s = op_range("status", ms, va, sz, &n);
    unsigned bits = 0;
    for (size_t i = 0; s && i < n; i++) {
        if (!s[i].present) {
            hw_err("status: %#lx absent", va + (i << KB4));
        }
        bits |= s[i].status;
        s[i].status = 0;
    }
    return bits;
}

static bool policy_allows(int from, word_t fva, int to, word_t tva, unsigned sz)
{
    word_t n = BIT(sz - KB4), fp = fva >> KB4, tp = tva >> KB4;
    if (to != 0 && tp <= 3 && 3 < tp + n) {
        return false;               /* the receiver's "KIP" page */
    }
    return from != 0 || fp > 5 || 5 >= fp + n;        /* "kernel memory" frame */
}

static bool t_may_map(mdb_space_t *from, word_t fva, mdb_space_t *to, word_t tva, unsigned sz)
{
    return !E->policy || policy_allows(ts_of(from)->id, fva, ts_of(to)->id, tva, sz);
}

static bool model_allows(int from, int fpage, int to, int tpage)
{
    return !E->policy || policy_allows(from, (word_t)fpage << KB4, to, (word_t)tpage << KB4, KB4);
}

static const mdb_ops_t t_ops = {
    .alloc_page = t_alloc_page, .free_page = t_free_page, .prepare = t_prepare,
    .install = t_install, .remove = t_remove, .protect = t_protect,
    .status = t_status, .may_map = t_may_map,
};

/* ---- Environment ---- */

/* alloc_bits sets the index geometry: 12 (x86-64: 512-slot tables) or
 * smaller for the randomized runs, where fewer slots per table mean more
 * levels and cheaper large pages (9: 64 slots, 4 KiB and 256 KiB pages). */
static bool env_open_geometry(env_t *e, int nspaces, size_t npages, word_t sizes,
                              unsigned alloc_bits)
{
    memset(e, 0, sizeof(*e));
    E = e;
    e->nspaces = nspaces;
    e->npages = npages;
    e->fail_countdown = -1;
    mdb_config_t cfg = { .page_sizes = sizes, .va_bits = 47, .alloc_bits = alloc_bits };
    if (!EXPECT(mdb_init(&e->m, &t_ops, &cfg))) {
        return false;
    }
    for (int i = 0; i < nspaces; i++) {
        e->sp[i].id = i;
        e->sp[i].hw = calloc(npages, sizeof(slot_t));
        e->sp[i].live = mdb_space_init(&e->m, &e->sp[i].ms, i == 0);
        EXPECT(e->sp[i].live);
    }
    return true;
}

static bool env_open(env_t *e, int nspaces, size_t npages, word_t sizes)
{
    return env_open_geometry(e, nspaces, npages, sizes, 12);
}

static void env_close(env_t *e)
{
    e->fail_countdown = -1;
    e->fail_permille = 0;
    for (int i = e->nspaces - 1; i >= 0; i--) {
        if (e->sp[i].live) {
            mdb_space_destroy(&e->m, &e->sp[i].ms);
        }
        for (size_t p = 0; p < e->npages; p++) {
            if (e->sp[i].hw[p].present) {
                fail(__LINE__, "space %d slot %zu still mapped after destroy", i, p);
                break;
            }
        }
        free(e->sp[i].hw);
    }
    EXPECT_EQ(e->m.nodes_used, 0);
    mdb_fini(&e->m);
    EXPECT_EQ(e->m.pages_used, 0);
    EXPECT_EQ(pages_out, 0);
    if (e->hw_error[0]) {
        fail(__LINE__, "arch contract: %s", e->hw_error);
    }
}

static mdb_space_t *S(int i)
{
    return &E->sp[i].ms;
}

static bool map_(int from, word_t fva, int to, word_t tva, unsigned sz, unsigned rights, bool g)
{
    mdb_xfer_t x = { S(from), S(to), fva, tva, sz, rights, g };
    return mdb_map(&E->m, &x);
}

#define MAP(f, fva, t, tva, sz, r)   map_(f, fva, t, tva, sz, r, false)
#define GRANT(f, fva, t, tva, sz, r) map_(f, fva, t, tva, sz, r, true)

static unsigned unmap_(int s, word_t va, unsigned sz, unsigned rights, bool flush)
{
    return mdb_unmap(&E->m, S(s), fpage_make(va, sz, rights), flush);
}

#define UNMAP(s, va, sz, r) unmap_(s, va, sz, r, false)
#define FLUSH(s, va, sz, r) unmap_(s, va, sz, r, true)

static mdb_node_t *N(int s, word_t va)
{
    return mdb_lookup(&E->m, S(s), va);
}

static unsigned rights_at(int s, word_t va)
{
    mdb_node_t *n = N(s, va);
    return n ? n->rights : 0;
}

static slot_t *hw(int s, word_t va)
{
    return &E->sp[s].hw[va >> KB4];
}

/* Simulated user access: sets the entry's access bits as x86 would. */
static bool touch(int s, word_t va, unsigned access)
{
    slot_t *x = hw(s, va);
    if (!x->present || (x->rights & access) != access) {
        return false;
    }
    slot_t *base = &E->sp[s].hw[entry_base(va >> KB4, x->size)];
    base->status |= (uint8_t)(access | R_);
    return true;
}

/* ---- Invariants: tree, index, page tables ---- */

static int space_index(const mdb_space_t *ms)
{
    for (int i = 0; i < E->nspaces; i++) {
        if (&E->sp[i].ms == ms && E->sp[i].live) {
            return i;
        }
    }
    return -1;
}

static bool check_node(int i, mdb_node_t *n, word_t *children)
{
    word_t va = mdb_node_va(n);
    unsigned sz = n->size_log2;
    if (!(E->m.page_sizes & BIT(sz)) || !IS_ALIGNED(va, BIT(sz)) || !IS_ALIGNED(n->pa, BIT(sz)) ||
        N(i, va) != n || N(i, mdb_node_last(n)) != n) {
        return fail(__LINE__, "space %d node %#lx/%u: bad size, alignment or index", i, va, sz);
    }
    mdb_node_t *p = n->parent;
    if (E->sp[i].ms.sigma0) {
        if (p || n->rights != RWX || n->pa != va) {
            return fail(__LINE__, "root %#lx: parent, rights or frame", va);
        }
    } else {
        int pi = p ? space_index(p->space) : -1;
        if (pi < 0 || N(pi, mdb_node_va(p)) != p) {
            return fail(__LINE__, "space %d node %#lx: parent not indexed", i, va);
        }
        if (!n->rights || (n->rights & ~p->rights) || sz > p->size_log2 || n->pa < p->pa ||
            n->pa + MASK(sz) > p->pa + MASK(p->size_log2)) {
            return fail(__LINE__, "space %d node %#lx: rights %u/%u size %u/%u frames", i, va,
                        (unsigned)n->rights, (unsigned)p->rights, sz, (unsigned)p->size_log2);
        }
        word_t depth = 0;
        for (mdb_node_t *a = p; a; a = a->parent) {
            if (++depth > E->m.nodes_used) {
                return fail(__LINE__, "cycle above space %d node %#lx", i, va);
            }
        }
        for (word_t k = 0; k < BIT(sz - KB4); k++) {
            slot_t *x = hw(i, va + (k << KB4));
            if (!x->present || x->pa != n->pa + (k << KB4) || x->rights != n->rights ||
                x->size > sz) {
                return fail(__LINE__, "space %d page %#lx: page table differs from node", i,
                            va + (k << KB4));
            }
        }
    }
    for (list_node_t *l = n->children.next; l != &n->children; l = l->next) {
        mdb_node_t *c = container_of(l, mdb_node_t, siblings);
        if (c->parent != n || l->next->prev != l || l->prev->next != l) {
            return fail(__LINE__, "space %d node %#lx: broken child list", i, va);
        }
        (*children)++;
    }
    return true;
}

/* No page-table entry in slots [from, to) of space i (no node covers them). */
static bool hw_empty(int i, word_t from, word_t to)
{
    for (word_t p = from; !S(i)->sigma0 && p < to && p < E->npages; p++) {
        if (E->sp[i].hw[p].present) {
            return fail(__LINE__, "space %d page %#lx mapped without a node", i, p << KB4);
        }
    }
    return true;
}

static bool check_all(void)
{
    word_t total = 0, nonroot = 0, children = 0;
    for (int i = 0; i < E->nspaces; i++) {
        if (!E->sp[i].live) {
            continue;
        }
        word_t count = 0, cur = 0, prev_last = 0;
        bool first = true;
        mdb_node_t *n;
        while ((n = mdb_find(&E->m, S(i), cur, MASK(47)))) {
            if (!first && mdb_node_va(n) <= prev_last) {
                return fail(__LINE__, "space %d: overlapping nodes at %#lx", i, mdb_node_va(n));
            }
            if (n->space != S(i) || !check_node(i, n, &children)) {
                return fail(__LINE__, "space %d: bad node at %#lx", i, mdb_node_va(n));
            }
            if (!hw_empty(i, cur >> KB4, mdb_node_va(n) >> KB4)) {
                return false;
            }
            first = false;
            prev_last = mdb_node_last(n);
            count++;
            if (prev_last == MASK(47)) {
                break;
            }
            cur = prev_last + 1;
        }
        if (count != S(i)->nodes) {
            return fail(__LINE__, "space %d: %lu nodes indexed, count says %lu", i, count,
                        S(i)->nodes);
        }
        total += count;
        nonroot += S(i)->sigma0 ? 0 : count;
        if (!hw_empty(i, first ? 0 : (prev_last >> KB4) + 1, E->npages)) {
            return false;
        }
    }
    if (total != E->m.nodes_used || children != nonroot) {
        return fail(__LINE__, "%lu nodes reachable, %lu allocated; %lu children, %lu non-roots",
                    total, E->m.nodes_used, children, nonroot);
    }
    if (E->hw_error[0]) {
        return fail(__LINE__, "arch contract: %s", E->hw_error);
    }
    return true;
}

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

CASE(gigabyte_pages)
{
    env_t e;
    if (!env_open(&e, 3, 2 * BIT(GB1 - KB4), BIT(KB4) | BIT(MB2) | BIT(GB1))) {
        return;
    }
    EXPECT(MAP(0, 0x0, 1, BIT(GB1), GB1, RWX));
    EXPECT(MAP(1, BIT(GB1), 2, 0x0, GB1, R_ | W_));
    EXPECT_EQ(N(2, 0x0)->size_log2, GB1);
    EXPECT_EQ(hw(2, 0x0)->size, GB1);
    EXPECT_EQ(UNMAP(1, BIT(GB1) + 0x40000000 - 0x201000, KB4, W_), 0);
    /* 1 GiB -> 511 x 2 MiB + 512 x 4 KiB in both spaces; not the root. */
    EXPECT_EQ(S(1)->nodes, 511 + 512);
    EXPECT_EQ(S(2)->nodes, 511 + 512);
    EXPECT_EQ(rights_at(2, 0x40000000 - 0x201000), R_);
    EXPECT_EQ(rights_at(2, 0x40000000 - 0x202000), R_ | W_);
    EXPECT_EQ(N(2, 0x0)->size_log2, MB2);
    EXPECT_EQ(N(0, 0x0)->size_log2, GB1);
    EXPECT(check_all());
    env_close(&e);
}

/* Every allocation in a map, split or root creation failing in turn: the
 * call reports it (or unmap falls back), and the state stays consistent. */
CASE(alloc_failure)
{
    for (long k = 0; k < 40; k++) {
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
        for (long k = 0; k < 24; k++) {
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

/* ---- Randomized: the mdb against the page-by-page model ---- */

#define R_SPACES  8
#define R_PAGES   2048              /* 8 MiB of virtual space each */
#define R_FRAMES  1024              /* 4 MiB of physical memory */

static model_t M;
static unsigned r_large;            /* the large page size of the run */

static int model_parent_of(mdb_node_t *n, word_t va)
{
    mdb_node_t *p = n->parent;
    if (!p) {
        return MODEL_NONE;
    }
    paddr_t pa = n->pa + (va - mdb_node_va(n));
    word_t pva = mdb_node_va(p) + (word_t)(pa - p->pa);
    return model_id(&M, space_index(p->space), (int)(pva >> KB4));
}

static bool compare_page(int s, int p, mdb_node_t *n)
{
    word_t va = (word_t)p << KB4;
    mpage_t *x = &M.pg[model_id(&M, s, p)];
    if (!n != !x->valid) {
        return fail(__LINE__, "space %d page %d: mdb %s, model %s", s, p,
                    n ? "mapped" : "unmapped", x->valid ? "mapped" : "unmapped");
    }
    if (!n) {
        return true;
    }
    word_t frame = (word_t)((n->pa + (va - mdb_node_va(n))) >> KB4);
    if (frame != (word_t)x->frame || n->rights != x->rights ||
        model_parent_of(n, va) != x->parent) {
        return fail(__LINE__, "space %d page %d: frame %lu/%d rights %u/%u parent %d/%d", s, p,
                    frame, x->frame, (unsigned)n->rights, x->rights, model_parent_of(n, va),
                    x->parent);
    }
    return true;
}

/* Page by page, but walking the nodes in order rather than looking up each. */
static bool compare_model(void)
{
    word_t end = (word_t)R_PAGES << KB4;
    for (int s = 1; s < R_SPACES; s++) {
        word_t va = 0;
        while (va < end) {
            mdb_node_t *n = mdb_find(&E->m, S(s), va, end - 1);
            word_t stop = n ? mdb_node_va(n) : end;
            for (; va < stop; va += BIT(KB4)) {
                if (!compare_page(s, (int)(va >> KB4), NULL)) {
                    return false;
                }
            }
            for (; n && va <= mdb_node_last(n); va += BIT(KB4)) {
                if (!compare_page(s, (int)(va >> KB4), n)) {
                    return false;
                }
            }
        }
    }
    return true;
}

/* After an injected failure the outcome is only "consistent": take the
 * mdb's state as the new model state. */
static void resync_model(void)
{
    model_clear(&M);
    for (int s = 1; s < R_SPACES; s++) {
        for (int p = 0; p < R_PAGES; p++) {
            word_t va = (word_t)p << KB4;
            mdb_node_t *n = N(s, va);
            if (n) {
                mpage_t *x = &M.pg[model_id(&M, s, p)];
                x->valid = true;
                x->rights = (uint8_t)n->rights;
                x->frame = (int32_t)((n->pa + (va - mdb_node_va(n))) >> KB4);
            }
        }
    }
    for (int s = 1; s < R_SPACES; s++) {
        for (int p = 0; p < R_PAGES; p++) {
            mdb_node_t *n = N(s, (word_t)p << KB4);
            if (n) {
                model_link(&M, model_parent_of(n, (word_t)p << KB4), model_id(&M, s, p));
            }
        }
    }
}

/* Mostly small fpages; the large ones (up to the whole space) are rarer
 * because they cost up to 2048 pieces each. */
static unsigned random_size(unsigned max)
{
    static const struct { unsigned log2, weight; } sizes[] = {
        { 12, 520 }, { 13, 120 }, { 14, 100 }, { 15, 80 }, { 16, 70 }, { 17, 40 },
        { 18, 33 }, { 21, 30 }, { 22, 5 }, { 23, 2 },
    };
    for (;;) {
        unsigned pick = rnd_below(1000);
        for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
            if (pick < sizes[i].weight) {
                if (sizes[i].log2 <= max) {
                    return sizes[i].log2;
                }
                break;
            }
            pick -= sizes[i].weight;
        }
    }
}

static word_t random_base(unsigned sz, word_t range_log2)
{
    return (rnd() & MASK(range_log2)) & ~MASK(sz);
}

/* Half of the maps keep the source's offset within 4 MiB, so later maps
 * meet earlier ones again: rights extension, remaps of a different size,
 * chains of 2 MiB mappings that splits must cut through. */
static word_t random_target(word_t f, unsigned sz)
{
    if (rnd_below(2)) {
        return ((f & MASK(22)) | (rnd() & BIT(22))) & ~MASK(sz);
    }
    return random_base(sz, 23);
}

static unsigned random_rights(void)
{
    static const unsigned r[] = { RWX, RWX, RWX, R_ | W_, R_ | X_, R_, W_, X_, 0 };
    return r[rnd_below(ARRAY_SIZE(r))];
}

/* One random operation; returns false on a detected mismatch. */
static bool random_step(unsigned long step, bool check_model)
{
    unsigned op = rnd_below(100);
    if (op < 30) {                                   /* map from sigma0 */
        int to = 1 + (int)rnd_below(R_SPACES - 1);
        unsigned sz = rnd_below(7) == 0 ? r_large : random_size(22), rights = random_rights();
        word_t f = random_base(sz, 22), t = random_target(f, sz);
        if (map_(0, f, to, t, sz, rights, rnd_below(4) == 0)) {
            model_map(&M, 0, (int)(f >> KB4), to, (int)(t >> KB4), (int)BIT(sz - KB4), rights,
                      false);
        } else if (!E->fail_permille) {
            return fail(__LINE__, "step %lu: map from sigma0 failed", step);
        }
    } else if (op < 58) {                            /* map or grant */
        int from = 1 + (int)rnd_below(R_SPACES - 1), to = 1 + (int)rnd_below(R_SPACES - 2);
        to += to >= from;
        unsigned sz = random_size(23), rights = random_rights();
        word_t f = random_base(sz, 23), t = random_target(f, sz);
        bool g = rnd_below(3) == 0;
        if (map_(from, f, to, t, sz, rights, g)) {
            model_map(&M, from, (int)(f >> KB4), to, (int)(t >> KB4), (int)BIT(sz - KB4),
                      rights, g);
        } else if (!E->fail_permille) {
            return fail(__LINE__, "step %lu: map failed", step);
        }
    } else if (op < 80) {                            /* unmap / flush */
        int s = (int)rnd_below(R_SPACES);
        unsigned sz = random_size(s ? 23 : 22), rights = random_rights();
        word_t va = random_base(sz, s ? 23 : 22);
        bool flush = rnd_below(5) < 2;
        fpage_t fp = rnd_below(200) == 0 ? fpage_make(0, 1, rights) : fpage_make(va, sz, rights);
        if (fpage_is_complete(fp)) {
            va = 0;
            sz = 23;
        }
        unsigned got = mdb_unmap(&E->m, S(s), fp, flush);
        unsigned want = model_unmap(&M, s, (int)(va >> KB4), (int)BIT(sz - KB4), rights, flush);
        if (check_model && (want & ~got)) {
            return fail(__LINE__, "step %lu: unmap(%d, %#lx/%u, %u, %d) reported %u, model %u",
                        step, s, va, sz, rights, flush, got, want);
        }
    } else if (op < 99) {                            /* user access */
        int s = 1 + (int)rnd_below(R_SPACES - 1), p = (int)rnd_below(R_PAGES);
        unsigned access = (unsigned[]){ R_, W_, X_ }[rnd_below(3)];
        mpage_t *x = &M.pg[model_id(&M, s, p)];
        bool hit = touch(s, (word_t)p << KB4, access);
        if (check_model && hit != (x->valid && (x->rights & access))) {
            return fail(__LINE__, "step %lu: access %u to space %d page %d: hw %d, model %d/%u",
                        step, access, s, p, hit, x->valid, x->rights);
        }
        if (hit) {
            x->status |= (uint8_t)(access | R_);
        }
    } else {                                         /* a space dies and is reborn */
        int s = 1 + (int)rnd_below(R_SPACES - 1);
        unsigned permille = E->fail_permille;
        mdb_space_destroy(&E->m, S(s));
        E->fail_permille = 0;
        E->sp[s].live = mdb_space_init(&E->m, S(s), false);
        E->fail_permille = permille;
        model_destroy(&M, s);
        if (!E->sp[s].live) {
            return fail(__LINE__, "space init");
        }
    }
    return true;
}

static void random_run(unsigned long steps, unsigned check_every, unsigned fail_permille,
                       unsigned large, unsigned alloc_bits)
{
    const char *seed = getenv("MDB_SEED");
    rng_state = seed ? strtoull(seed, NULL, 0) : 0x9E3779B97F4A7C15ULL + fail_permille + large;
    uint64_t start_seed = rng_state;
    env_t e;
    r_large = large;
    if (!env_open_geometry(&e, R_SPACES, R_PAGES, BIT(KB4) | BIT(large), alloc_bits)) {
        return;
    }
    model_init(&M, R_SPACES, R_PAGES, R_FRAMES);
    M.allow = model_allows;
    e.policy = true;
    e.fail_permille = fail_permille;
    for (unsigned long i = 0; i < steps && !case_failures; i++) {
        unsigned long injected = e.injected;
        bool ok = random_step(i, true);
        if (e.injected != injected) {
            e.fail_permille = 0;
            resync_model();
            ok = ok && check_all();
            e.fail_permille = fail_permille;
        } else if (ok && (i % check_every == 0 || i + 1 == steps)) {
            ok = check_all() && compare_model();
        }
        if (!ok) {
            fail(__LINE__, "at step %lu (MDB_SEED=%#llx)", i, (unsigned long long)start_seed);
            break;
        }
    }
    e.fail_permille = 0;
    model_free(&M);
    env_close(&e);
}

/* 100,000 operations with 4 KiB and 256 KiB pages (64-slot index tables):
 * large pages, splits and six index levels at a fraction of the cost. */
CASE(random_model)
{
    random_run(100000, 250, 0, 18, 9);
}

/* The x86-64 geometry: 4 KiB and 2 MiB pages, 512-slot tables. */
CASE(random_model_x86)
{
    random_run(10000, 250, 0, MB2, 12);
}

/* Allocation and page-table failures injected at random (0.3 %). */
CASE(random_alloc_failures)
{
    random_run(6000, 25, 3, 18, 9);
}

/* ---- main ---- */

static const char *running;
static int passed, failed;

/* MDB_ASSERT traps (SIGILL): still end with the case line and the summary. */
static void on_trap(int sig)
{
    char line[256];
    int n = snprintf(line, sizeof(line), "FAIL %s: signal %d (MDB_ASSERT or crash)\n"
                     "mdb: %d passed, %d failed\n", running, sig, passed, failed + 1);
    if (write(1, line, (size_t)n) < 0) {
        _exit(2);
    }
    _exit(1);
}

int main(int argc, char **argv)
{
    signal(SIGILL, on_trap);
    signal(SIGSEGV, on_trap);
    for (int i = 0; i < ncases; i++) {
        bool selected = argc < 2;
        for (int a = 1; a < argc; a++) {
            selected = selected || fnmatch(argv[a], cases[i].name, 0) == 0;
        }
        if (!selected) {
            continue;
        }
        case_failures = 0;
        pages_out = 0;
        running = cases[i].name;
        cases[i].fn();
        if (case_failures) {
            printf("FAIL %s: %s\n", cases[i].name, case_why);
            failed++;
        } else {
            printf("ok %s\n", cases[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("mdb: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
