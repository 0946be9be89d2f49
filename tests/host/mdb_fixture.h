/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixture of the mapping-database host tests: the case harness, a fake arch
 * (one record per 4 KiB slot of each space, every call checked against the
 * ops contract in kernel/mdb.h), the test environment and the invariant
 * checks.  Included by test_mdb.c (hand-written cases) and
 * test_mdb_random.c (randomized runs against mdb_model.h); each of them is
 * one test program. */
#pragma once
/* Each program uses a different subset of these helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"

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
    word_t charged;                 /* bytes charged through ops.charge */
    word_t limit;                   /* 0: no limit */
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

/* Accounting: a space over its limit is refused, and injected failures
 * hit charges like any other fallible call. */
static bool t_charge(mdb_space_t *ms, word_t bytes)
{
    tspace_t *ts = ts_of(ms);
    if (!bytes) {
        hw_err("charge of 0 bytes");
    }
    if (inject() || (ts->limit && ts->charged + bytes > ts->limit)) {
        return false;
    }
    ts->charged += bytes;
    return true;
}

static void t_refund(mdb_space_t *ms, word_t bytes)
{
    tspace_t *ts = ts_of(ms);
    if (bytes > ts->charged) {
        hw_err("space %d refunded %lu bytes, holds %lu", ts->id, bytes, ts->charged);
        bytes = ts->charged;
    }
    ts->charged -= bytes;
}

static const mdb_ops_t t_ops = {
    .alloc_page = t_alloc_page, .free_page = t_free_page, .prepare = t_prepare,
    .install = t_install, .remove = t_remove, .protect = t_protect,
    .status = t_status, .may_map = t_may_map, .charge = t_charge, .refund = t_refund,
};

/* Index tables below (and including) table t at level (bit 0 tags a table). */
static word_t count_tables(const word_t *t, unsigned level)
{
    word_t n = 1;
    for (word_t i = 0; level > 0 && i < BIT(E->m.level_bits); i++) {
        if (t[i] & 1) {
            n += count_tables((const word_t *)(t[i] & ~1UL), level - 1);
        }
    }
    return n;
}

/* What space i must be charged: its nodes and its index tables. */
static word_t due(int i)
{
    return E->sp[i].ms.nodes * sizeof(mdb_node_t) + (E->sp[i].ms.tables << E->m.alloc_bits);
}

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
        if (e->sp[i].charged != 0) {
            fail(__LINE__, "space %d still charged %lu bytes after destroy", i,
                 e->sp[i].charged);
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
        if (S(i)->tables != count_tables(S(i)->index, E->m.levels - 1)) {
            return fail(__LINE__, "space %d: %lu index tables, count says %lu", i,
                        count_tables(S(i)->index, E->m.levels - 1), S(i)->tables);
        }
        if (E->sp[i].charged != due(i)) {
            return fail(__LINE__, "space %d: charged %lu bytes for %lu nodes and %lu tables", i,
                        E->sp[i].charged, S(i)->nodes, S(i)->tables);
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


/* ---- main ---- */

static const char *running, *suite;
static int passed, failed;

/* MDB_ASSERT traps (SIGILL): still end with the case line and the summary. */
static void on_trap(int sig)
{
    char line[256];
    int n = snprintf(line, sizeof(line), "FAIL %s: signal %d (MDB_ASSERT or crash)\n"
                     "%s: %d passed, %d failed\n", running, sig, suite, passed, failed + 1);
    if (write(1, line, (size_t)n) < 0) {
        _exit(2);
    }
    _exit(1);
}

/* Run the registered cases selected by the fnmatch patterns in argv; the
 * summary line is "<suite>: N passed, M failed". */
static int run_cases(const char *name, int argc, char **argv)
{
    suite = name;
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
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed ? 1 : 0;
}

