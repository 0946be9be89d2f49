/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/message.h — message tag, MR/BR access, typed items and message objects */
#ifndef L4_MESSAGE_H
#define L4_MESSAGE_H

#include <l4/types.h>
#if defined(__x86_64__)
#include <l4/amd64/vregs.h>
#endif

/** Message tag, held in MR0 (types.md §6). */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t u : 6;
        L4_Word_t t : 6;
        L4_Word_t flags : 4; /* 1 = p, 2 = r, 4 = x, 8 = e */
        L4_Word_t label : L4_BITS_PER_WORD - 16;
    } X;
} L4_MsgTag_t;

#define L4_Niltag ((L4_MsgTag_t){ .raw = 0UL })

/** True if both tags are identical in every field. */
L4_INLINE L4_Bool_t L4_IsMsgTagEqual(L4_MsgTag_t l, L4_MsgTag_t r) { return l.raw == r.raw; }

/** True if the tags differ in any field. */
L4_INLINE L4_Bool_t L4_IsMsgTagNotEqual(L4_MsgTag_t l, L4_MsgTag_t r)
{
    return l.raw != r.raw;
}

/** Label field of a tag. */
L4_INLINE L4_Word_t L4_Label(L4_MsgTag_t t) { return t.X.label; }

/** Number of untyped words (u). */
L4_INLINE L4_Word_t L4_UntypedWords(L4_MsgTag_t t) { return t.X.u; }

/** Number of typed words (t). */
L4_INLINE L4_Word_t L4_TypedWords(L4_MsgTag_t t) { return t.X.t; }

/** Replaces the label of *t (the value is truncated to the label width). */
L4_INLINE void L4_Set_Label(L4_MsgTag_t *t, L4_Word_t label) { t->X.label = label; }

/** Copy of t with its label replaced. */
L4_INLINE L4_MsgTag_t L4_MsgTagAddLabel(L4_MsgTag_t t, L4_Word_t label)
{
    t.X.label = label;
    return t;
}

/** Replaces the label of *t in place and returns the new tag. */
L4_INLINE L4_MsgTag_t L4_MsgTagAddLabelTo(L4_MsgTag_t *t, L4_Word_t label)
{
    t->X.label = label;
    return *t;
}

/** Requests propagation: like Pistachio this sets the whole flags field to p. */
L4_INLINE void L4_Set_Propagation(L4_MsgTag_t *t) { t->X.flags = 1; }

/* ------------------------------------------------------------------ */
/* Message and buffer registers (vregs.md)                              */

/** Sets MRi to w. */
L4_INLINE void L4_LoadMR(int i, L4_Word_t w) { __L4_MR(i)[0] = w; }

/** Stores MRi into *w. */
L4_INLINE void L4_StoreMR(int i, L4_Word_t *w) { *w = __L4_MR(i)[0]; }

/** Loads MRi..MRi+k-1 from w[0..k-1]. */
L4_INLINE void L4_LoadMRs(int i, int k, const L4_Word_t *w)
{
    L4_Word_t *mr = __L4_MR(i);
    int n;
    for (n = 0; n < k; n++)
        mr[n] = w[n];
}

/** Stores MRi..MRi+k-1 into w[0..k-1]. */
L4_INLINE void L4_StoreMRs(int i, int k, L4_Word_t *w)
{
    const L4_Word_t *mr = __L4_MR(i);
    int n;
    for (n = 0; n < k; n++)
        w[n] = mr[n];
}

/** Sets BRi to w. */
L4_INLINE void L4_LoadBR(int i, L4_Word_t w) { __L4_BR(i)[0] = w; }

/** Stores BRi into *w. */
L4_INLINE void L4_StoreBR(int i, L4_Word_t *w) { *w = __L4_BR(i)[0]; }

/** Loads BRi..BRi+k-1 from w[0..k-1] (BRs lie at decreasing addresses). */
L4_INLINE void L4_LoadBRs(int i, int k, const L4_Word_t *w)
{
    int n;
    for (n = 0; n < k; n++)
        __L4_BR(i + n)[0] = w[n];
}

/** Stores BRi..BRi+k-1 into w[0..k-1]. */
L4_INLINE void L4_StoreBRs(int i, int k, L4_Word_t *w)
{
    int n;
    for (n = 0; n < k; n++)
        w[n] = __L4_BR(i + n)[0];
}

/** Current message tag (MR0). */
L4_INLINE L4_MsgTag_t L4_MsgTag(void)
{
    L4_MsgTag_t t;
    L4_StoreMR(0, &t.raw);
    return t;
}

/** Sets the message tag (MR0). */
L4_INLINE void L4_Set_MsgTag(L4_MsgTag_t t) { L4_LoadMR(0, t.raw); }

#include <l4/items.h>
#include <l4/acceptor.h>
#include <l4/msg.h>

#endif /* L4_MESSAGE_H */
