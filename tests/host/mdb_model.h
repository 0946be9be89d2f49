/* SPDX-License-Identifier: BSD-2-Clause */
/* Reference model of the mapping rules for tests/host/test_mdb.c.
 *
 * Deliberately naive: one record per (space, smallest page) holding frame,
 * rights, access bits and the parent page, and every map, grant and unmap
 * applied page by page in address order straight from the rule text
 * (ipc.md §4.3, syscalls.md §8).  It knows nothing of page sizes, splits,
 * roots or the index, which is what the randomized test checks the mdb
 * against.  Space 0 is sigma0: its pages below nframes always exist, map
 * frame = page with all rights, and never change.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define MODEL_NONE (-1)

typedef struct mpage {
    bool valid;
    uint8_t rights, status;
    int32_t frame;
    int32_t parent;                 /* page id, MODEL_NONE for sigma0's */
    int32_t child, next, prev;      /* first child, sibling links */
} mpage_t;

typedef struct model {
    int nspaces, npages, nframes;
    mpage_t *pg;                    /* [space * npages + page] */
    /* Policy: may (from, page) be entered at (to, page)?  NULL: always. */
    bool (*allow)(int from, int from_page, int to, int to_page);
} model_t;

static inline int model_id(const model_t *md, int space, int page)
{
    return space * md->npages + page;
}

static void model_clear(model_t *md)
{
    for (int i = 0; i < md->nspaces * md->npages; i++) {
        md->pg[i] = (mpage_t){ .parent = MODEL_NONE, .child = MODEL_NONE,
                               .next = MODEL_NONE, .prev = MODEL_NONE };
    }
    for (int p = 0; p < md->nframes && p < md->npages; p++) {
        mpage_t *r = &md->pg[model_id(md, 0, p)];
        r->valid = true;
        r->rights = 7;
        r->frame = p;
    }
}

static void model_init(model_t *md, int nspaces, int npages, int nframes)
{
    md->nspaces = nspaces;
    md->npages = npages;
    md->nframes = nframes;
    md->pg = calloc((size_t)nspaces * (size_t)npages, sizeof(mpage_t));
    md->allow = NULL;
    model_clear(md);
}

static void model_free(model_t *md)
{
    free(md->pg);
    md->pg = NULL;
}

static void model_link(model_t *md, int parent, int c)
{
    mpage_t *p = &md->pg[parent], *x = &md->pg[c];
    x->parent = parent;
    x->prev = MODEL_NONE;
    x->next = p->child;
    if (p->child != MODEL_NONE) {
        md->pg[p->child].prev = c;
    }
    p->child = c;
}

static void model_unlink(model_t *md, int c)
{
    mpage_t *x = &md->pg[c];
    if (x->prev != MODEL_NONE) {
        md->pg[x->prev].next = x->next;
    } else if (x->parent != MODEL_NONE) {
        md->pg[x->parent].child = x->next;
    }
    if (x->next != MODEL_NONE) {
        md->pg[x->next].prev = x->prev;
    }
    x->next = x->prev = MODEL_NONE;
}

static bool model_ancestor_or_self(const model_t *md, int a, int n)
{
    for (; n != MODEL_NONE; n = md->pg[n].parent) {
        if (n == a) {
            return true;
        }
    }
    return false;
}

/* Remove page id and everything derived from it; returns their bits. */
static unsigned model_remove(model_t *md, int id)
{
    unsigned bits = md->pg[id].status;
    while (md->pg[id].child != MODEL_NONE) {
        bits |= model_remove(md, md->pg[id].child);
    }
    model_unlink(md, id);
    md->pg[id] = (mpage_t){ .parent = MODEL_NONE, .child = MODEL_NONE,
                            .next = MODEL_NONE, .prev = MODEL_NONE };
    return bits;
}

static unsigned model_revoke_derived(model_t *md, int id, unsigned rights, bool collect)
{
    unsigned bits = 0;
    int c = md->pg[id].child;
    while (c != MODEL_NONE) {
        int next = md->pg[c].next;
        mpage_t *x = &md->pg[c];
        unsigned keep = x->rights & ~rights;
        if (keep == 0) {
            bits |= model_remove(md, c);
        } else {
            bits |= x->status;
            if (collect) {
                x->status = 0;
            }
            x->rights = (uint8_t)keep;
            bits |= model_revoke_derived(md, c, rights, collect);
        }
        c = next;
    }
    return collect ? bits : 0;
}

/* Grant: dst takes src's place in the tree. */
static void model_move(model_t *md, int src, int dst)
{
    mpage_t *s = &md->pg[src];
    int parent = s->parent;
    model_unlink(md, src);
    md->pg[dst] = *s;
    md->pg[dst].child = MODEL_NONE;
    model_link(md, parent, dst);
    for (int c = s->child; c != MODEL_NONE;) {
        int next = md->pg[c].next;
        model_link(md, dst, c);
        c = next;
    }
    *s = (mpage_t){ .parent = MODEL_NONE, .child = MODEL_NONE,
                    .next = MODEL_NONE, .prev = MODEL_NONE };
}

static void model_map(model_t *md, int from, int fpage, int to, int tpage, int n,
                      unsigned rights, bool grant)
{
    if (to == 0) {
        return;
    }
    if (from == 0) {
        grant = false;
    }
    for (int i = 0; i < n; i++) {
        int src = model_id(md, from, fpage + i), dst = model_id(md, to, tpage + i);
        mpage_t *s = &md->pg[src], *d = &md->pg[dst];
        if (!s->valid || (md->allow && !md->allow(from, fpage + i, to, tpage + i))) {
            continue;
        }
        unsigned eff = rights & s->rights;
        if (!eff || (d->valid && model_ancestor_or_self(md, dst, src))) {
            continue;
        }
        if (!grant && d->valid && d->parent == src && d->frame == s->frame) {
            d->rights |= (uint8_t)eff;
            continue;
        }
        if (d->valid) {
            model_remove(md, dst);
        }
        if (grant) {
            model_move(md, src, dst);
            if (eff != d->rights) {
                d->rights = (uint8_t)eff;
                model_revoke_derived(md, dst, 7 & ~eff, false);
            }
        } else {
            *d = (mpage_t){ .valid = true, .rights = (uint8_t)eff, .frame = s->frame,
                            .child = MODEL_NONE, .next = MODEL_NONE, .prev = MODEL_NONE };
            model_link(md, src, dst);
        }
    }
}

/* Returns the exact access bits the mdb must (at least) report. */
static unsigned model_unmap(model_t *md, int space, int page, int n, unsigned rights, bool flush)
{
    unsigned bits = 0;
    for (int i = 0; i < n && page + i < md->npages; i++) {
        int id = model_id(md, space, page + i);
        mpage_t *x = &md->pg[id];
        if (!x->valid) {
            continue;
        }
        if (flush && space != 0) {
            unsigned keep = x->rights & ~rights;
            if (keep == 0) {
                bits |= model_remove(md, id);
                continue;
            }
            bits |= x->status;
            x->status = 0;
            x->rights = (uint8_t)keep;
        }
        bits |= model_revoke_derived(md, id, rights, true);
    }
    return bits;
}

static void model_destroy(model_t *md, int space)
{
    for (int p = 0; p < md->npages; p++) {
        int id = model_id(md, space, p);
        if (md->pg[id].valid) {
            if (space == 0) {
                while (md->pg[id].child != MODEL_NONE) {
                    model_remove(md, md->pg[id].child);
                }
            } else {
                model_remove(md, id);
            }
        }
    }
}
