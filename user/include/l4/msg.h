/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/msg.h — L4_Msg_t: a user-level message object mirroring MR0..MR63 */
#ifndef L4_MSG_H
#define L4_MSG_H

#include <l4/message.h>

/** Message object: word 0 is the tag, then u untyped and t typed words. */
typedef union {
    L4_Word_t raw[64];
    L4_Word_t msg[64];
    L4_MsgTag_t tag;
} L4_Msg_t;

/** Index in msg of the first word after the untyped and typed words. */
L4_INLINE L4_Word_t __L4_MsgEnd(const L4_Msg_t *msg)
{
    return 1 + msg->tag.X.u + msg->tag.X.t;
}

/** Fills msg: label, u untyped words, then t typed words from Items. */
L4_INLINE void L4_MsgPut(L4_Msg_t *msg, L4_Word_t label, int u, const L4_Word_t *Untyped,
                         int t, const void *Items)
{
    const L4_Word_t *items = (const L4_Word_t *)Items;
    int i;
    msg->tag.raw = 0;
    msg->tag.X.label = label;
    msg->tag.X.u = (L4_Word_t)u;
    msg->tag.X.t = (L4_Word_t)t;
    for (i = 0; i < u; i++)
        msg->msg[1 + i] = Untyped[i];
    for (i = 0; i < t; i++)
        msg->msg[1 + u + i] = items[i];
}

/** Copies the untyped words of msg to Untyped and the typed words to Items. */
L4_INLINE void L4_MsgGet(const L4_Msg_t *msg, L4_Word_t *Untyped, void *Items)
{
    L4_Word_t u = msg->tag.X.u, t = msg->tag.X.t, i;
    L4_Word_t *items = (L4_Word_t *)Items;
    for (i = 0; i < u; i++)
        Untyped[i] = msg->msg[1 + i];
    for (i = 0; i < t; i++)
        items[i] = msg->msg[1 + u + i];
}

/** Tag of the message object. */
L4_INLINE L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *msg) { return msg->tag; }

/** Replaces the tag of the message object. */
L4_INLINE void L4_Set_MsgMsgTag(L4_Msg_t *msg, L4_MsgTag_t t) { msg->tag = t; }

/** Label of the message object. */
L4_INLINE L4_Word_t L4_MsgLabel(const L4_Msg_t *msg) { return msg->tag.X.label; }

/** Replaces the label of the message object. */
L4_INLINE void L4_Set_MsgLabel(L4_Msg_t *msg, L4_Word_t label) { msg->tag.X.label = label; }

/** Loads MR0..MR(u+t) from the message object. */
L4_INLINE void L4_MsgLoad(const L4_Msg_t *msg)
{
    L4_LoadMRs(0, (int)__L4_MsgEnd(msg), msg->raw);
}

/** Stores tag t and MR1..MR(u+t) of t's size into the message object. */
L4_INLINE void L4_MsgStore(L4_MsgTag_t t, L4_Msg_t *msg)
{
    msg->tag = t;
    L4_StoreMRs(1, (int)(t.X.u + t.X.t), &msg->msg[1]);
}

/** Empties the message object (tag := 0). */
L4_INLINE void L4_MsgClear(L4_Msg_t *msg) { msg->raw[0] = 0; }

/** Appends an untyped word, moving any typed words up by one. */
L4_INLINE void L4_MsgAppendWord(L4_Msg_t *msg, L4_Word_t w)
{
    L4_Word_t u = msg->tag.X.u, i;
    for (i = u + msg->tag.X.t; i > u; i--)
        msg->msg[i + 1] = msg->msg[i];
    msg->msg[u + 1] = w;
    msg->tag.X.u = u + 1;
}

/** Appends n raw typed words (internal helper). */
L4_INLINE void __L4_MsgAppendTyped(L4_Msg_t *msg, const L4_Word_t *w, L4_Word_t n)
{
    L4_Word_t end = __L4_MsgEnd(msg), i;
    for (i = 0; i < n; i++)
        msg->msg[end + i] = w[i];
    msg->tag.X.t = msg->tag.X.t + n;
}

/** Appends a map item. */
L4_INLINE void L4_MsgAppendMapItem(L4_Msg_t *msg, L4_MapItem_t m)
{
    __L4_MsgAppendTyped(msg, m.raw, 2);
}

/** Appends a grant item. */
L4_INLINE void L4_MsgAppendGrantItem(L4_Msg_t *msg, L4_GrantItem_t g)
{
    __L4_MsgAppendTyped(msg, g.raw, 2);
}

/** Appends a string item passed by value, treated as a simple string. */
L4_INLINE void L4_MsgAppendSimpleStringItem(L4_Msg_t *msg, L4_StringItem_t s)
{
    s.raw[0] &= ~((0x1FUL << 4) | (1UL << 9));
    __L4_MsgAppendTyped(msg, s.raw, 2);
}

/** Appends a (possibly compound) string item passed by reference. */
L4_INLINE void L4_MsgAppendStringItem(L4_Msg_t *msg, const L4_StringItem_t *s)
{
    __L4_MsgAppendTyped(msg, s->raw, __L4_StringItemWords(s));
}

/** Overwrites untyped word number u (0-based) with w. */
L4_INLINE void L4_MsgPutWord(L4_Msg_t *msg, L4_Word_t u, L4_Word_t w)
{
    msg->msg[u + 1] = w;
}

/** Writes n raw words at typed-word position t (internal helper). */
L4_INLINE void __L4_MsgPutTyped(L4_Msg_t *msg, L4_Word_t t, const L4_Word_t *w, L4_Word_t n)
{
    L4_Word_t base = 1 + msg->tag.X.u + t, i;
    for (i = 0; i < n; i++)
        msg->msg[base + i] = w[i];
}

/** Writes a map item at typed-word position t. */
L4_INLINE void L4_MsgPutMapItem(L4_Msg_t *msg, L4_Word_t t, L4_MapItem_t m)
{
    __L4_MsgPutTyped(msg, t, m.raw, 2);
}

/** Writes a grant item at typed-word position t. */
L4_INLINE void L4_MsgPutGrantItem(L4_Msg_t *msg, L4_Word_t t, L4_GrantItem_t g)
{
    __L4_MsgPutTyped(msg, t, g.raw, 2);
}

/** Writes a string item passed by value (as a simple string) at position t. */
L4_INLINE void L4_MsgPutSimpleStringItem(L4_Msg_t *msg, L4_Word_t t, L4_StringItem_t s)
{
    s.raw[0] &= ~((0x1FUL << 4) | (1UL << 9));
    __L4_MsgPutTyped(msg, t, s.raw, 2);
}

/** Writes a (possibly compound) string item at typed-word position t. */
L4_INLINE void L4_MsgPutStringItem(L4_Msg_t *msg, L4_Word_t t, const L4_StringItem_t *s)
{
    __L4_MsgPutTyped(msg, t, s->raw, __L4_StringItemWords(s));
}

/** Untyped word number u (0-based). */
L4_INLINE L4_Word_t L4_MsgWord(const L4_Msg_t *msg, L4_Word_t u) { return msg->msg[u + 1]; }

/** Stores untyped word number u into *w. */
L4_INLINE void L4_MsgGetWord(const L4_Msg_t *msg, L4_Word_t u, L4_Word_t *w)
{
    *w = msg->msg[u + 1];
}

/** Reads the map item at typed-word position t; returns its size in words. */
L4_INLINE L4_Word_t L4_MsgGetMapItem(const L4_Msg_t *msg, L4_Word_t t, L4_MapItem_t *m)
{
    L4_Word_t base = 1 + msg->tag.X.u + t;
    m->raw[0] = msg->msg[base];
    m->raw[1] = msg->msg[base + 1];
    return 2;
}

/** Reads the grant item at typed-word position t; returns its size in words. */
L4_INLINE L4_Word_t L4_MsgGetGrantItem(const L4_Msg_t *msg, L4_Word_t t, L4_GrantItem_t *g)
{
    L4_Word_t base = 1 + msg->tag.X.u + t;
    g->raw[0] = msg->msg[base];
    g->raw[1] = msg->msg[base + 1];
    return 2;
}

/** Copies the string item at typed position t into *s; returns its words. */
L4_INLINE L4_Word_t L4_MsgGetStringItem(const L4_Msg_t *msg, L4_Word_t t, L4_StringItem_t *s)
{
    L4_Word_t base = 1 + msg->tag.X.u + t, n, i;
    L4_Word_t *dst = (L4_Word_t *)s;
    n = __L4_StringItemWords((const L4_StringItem_t *)&msg->msg[base]);
    for (i = 0; i < n && base + i < 64; i++)
        dst[i] = msg->msg[base + i];
    return n;
}

#endif /* L4_MSG_H */
