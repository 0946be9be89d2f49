/* SPDX-License-Identifier: BSD-2-Clause */
/* Randomized host tests for the mapping database: 100,000+ operations
 * against the page-by-page reference model in mdb_model.h, checking every
 * few steps that tree, fake page tables and model agree.  MDB_SEED=<n>
 * reseeds; arguments select cases by fnmatch pattern.
 */
#include "mdb_fixture.h"

/* ---- Randomized: the mdb against the page-by-page model ---- */

#define R_SPACES  8

/* The shape of a run. */
typedef struct {
    word_t sizes;                   /* page sizes */
    unsigned alloc_bits;            /* log2 of index-table and slab pages */
    unsigned phys_log2;             /* sigma0 hands out frames in [0, 2^phys_log2) */
    unsigned virt_log2;             /* the others use [0, 2^virt_log2) */
} geometry_t;

static model_t M;
static geometry_t G;
static int r_pages;                 /* pages of virtual space per space */

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
    word_t end = (word_t)r_pages << KB4;
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

/* After an Unmap that ran out of memory: every mapping left is one the
 * model has too, with no more rights (an Unmap may revoke more than asked,
 * never less). */
static bool revoked_at_least(void)
{
    for (int s = 1; s < R_SPACES; s++) {
        for (int p = 0; p < r_pages; p++) {
            word_t va = (word_t)p << KB4;
            mdb_node_t *n = N(s, va);
            mpage_t *x = &M.pg[model_id(&M, s, p)];
            if (n && (!x->valid || (n->rights & ~x->rights) ||
                      (n->pa + (va - mdb_node_va(n))) >> KB4 != (word_t)x->frame)) {
                return fail(__LINE__, "space %d page %d: rights %u, model %u", s, p,
                            (unsigned)n->rights, x->valid ? x->rights : 0);
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
        for (int p = 0; p < r_pages; p++) {
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
        for (int p = 0; p < r_pages; p++) {
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
        return ((f & MASK(G.virt_log2 - 1)) | (rnd() & BIT(G.virt_log2 - 1))) & ~MASK(sz);
    }
    return random_base(sz, G.virt_log2);
}

/* One of the run's page sizes above the smallest. */
static unsigned random_large(void)
{
    for (;;) {
        unsigned sz = 13 + rnd_below(WORD_BITS - 13);
        if (G.sizes & BIT(sz)) {
            return sz;
        }
    }
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
        unsigned sz = rnd_below(7) == 0 ? random_large() : random_size(G.phys_log2);
        unsigned rights = random_rights();
        word_t f = random_base(sz, G.phys_log2), t = random_target(f, sz);
        if (map_(0, f, to, t, sz, rights, rnd_below(4) == 0)) {
            model_map(&M, 0, (int)(f >> KB4), to, (int)(t >> KB4), (int)BIT(sz - KB4), rights,
                      false);
        } else if (!E->fail_permille) {
            return fail(__LINE__, "step %lu: map from sigma0 failed", step);
        }
    } else if (op < 58) {                            /* map or grant */
        int from = 1 + (int)rnd_below(R_SPACES - 1), to = 1 + (int)rnd_below(R_SPACES - 2);
        to += to >= from;
        unsigned sz = random_size(G.virt_log2), rights = random_rights();
        word_t f = random_base(sz, G.virt_log2), t = random_target(f, sz);
        bool g = rnd_below(3) == 0;
        if (map_(from, f, to, t, sz, rights, g)) {
            model_map(&M, from, (int)(f >> KB4), to, (int)(t >> KB4), (int)BIT(sz - KB4),
                      rights, g);
        } else if (!E->fail_permille) {
            return fail(__LINE__, "step %lu: map failed", step);
        }
    } else if (op < 80) {                            /* unmap / flush */
        int s = (int)rnd_below(R_SPACES);
        unsigned range = s ? G.virt_log2 : G.phys_log2;
        unsigned sz = random_size(range), rights = random_rights();
        word_t va = random_base(sz, range);
        bool flush = rnd_below(5) < 2;
        fpage_t fp = rnd_below(200) == 0 ? fpage_make(0, 1, rights) : fpage_make(va, sz, rights);
        if (fpage_is_complete(fp)) {
            va = 0;
            sz = G.virt_log2;
        }
        unsigned long injected = E->injected;
        unsigned got = mdb_unmap(&E->m, S(s), fp, flush);
        unsigned want = model_unmap(&M, s, (int)(va >> KB4), (int)BIT(sz - KB4), rights, flush);
        if (check_model && (want & ~got)) {
            return fail(__LINE__, "step %lu: unmap(%d, %#lx/%u, %u, %d) reported %u, model %u",
                        step, s, va, sz, rights, flush, got, want);
        }
        if (E->injected != injected && !revoked_at_least()) {
            return fail(__LINE__, "step %lu: unmap(%d, %#lx/%u, %u, %d) out of memory revoked "
                        "less than asked", step, s, va, sz, rights, flush);
        }
    } else if (op < 99) {                            /* user access */
        int s = 1 + (int)rnd_below(R_SPACES - 1), p = (int)rnd_below((unsigned)r_pages);
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
                       geometry_t g)
{
    const char *seed = getenv("MDB_SEED");
    unsigned largest = WORD_BITS - 1 - (unsigned)__builtin_clzl(g.sizes);
    rng_state = seed ? strtoull(seed, NULL, 0) : 0x9E3779B97F4A7C15ULL + fail_permille + largest;
    uint64_t start_seed = rng_state;
    env_t e;
    G = g;
    r_pages = (int)BIT(g.virt_log2 - KB4);
    if (!env_open_geometry(&e, R_SPACES, (size_t)r_pages, g.sizes, g.alloc_bits)) {
        return;
    }
    model_init(&M, R_SPACES, r_pages, (int)BIT(g.phys_log2 - KB4));
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

/* 4 KiB and 256 KiB pages (64-slot index tables), 4 MiB of frames, 8 MiB of
 * virtual space per space: large pages, splits and six index levels at a
 * fraction of the cost. */
static const geometry_t two_sizes = { BIT(KB4) | BIT(18), 9, 22, 23 };
/* Three page sizes like x86-64 with 1 GiB pages, scaled down: 4 KiB,
 * 128 KiB and 4 MiB (32-slot index tables, seven levels), 16 MiB of frames
 * and of virtual space, so that splits go down two levels and the largest
 * mappings meet middle-sized ones. */
static const geometry_t three_sizes = { BIT(KB4) | BIT(17) | BIT(22), 8, 24, 24 };
/* The x86-64 geometry of 4 KiB and 2 MiB pages with 512-slot tables. */
static const geometry_t x86_two = { BIT(KB4) | BIT(MB2), 12, 22, 23 };

CASE(random_model)
{
    random_run(100000, 250, 0, two_sizes);
}

CASE(random_model_three_sizes)
{
    random_run(30000, 250, 0, three_sizes);
}

CASE(random_model_x86)
{
    random_run(10000, 250, 0, x86_two);
}

/* Allocation and page-table failures injected at random (0.3 %). */
CASE(random_alloc_failures)
{
    random_run(6000, 25, 3, two_sizes);
}

CASE(random_alloc_failures_three_sizes)
{
    random_run(4000, 25, 3, three_sizes);
}


int main(int argc, char **argv)
{
    return run_cases("mdb_random", argc, argv);
}
