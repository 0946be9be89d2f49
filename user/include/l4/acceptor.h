/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/acceptor.h — acceptor (BR0) and receive-string message buffers */
#ifndef L4_ACCEPTOR_H
#define L4_ACCEPTOR_H

#include <l4/message.h>

/** Acceptor (BR0): string flag, control-transfer flag and receive window. */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t s : 1;      /* accept string items */
        L4_Word_t c : 1;      /* Pistachio extension: control-transfer items */
        L4_Word_t __zeros : 2;
        L4_Word_t RcvWindow : L4_BITS_PER_WORD - 4; /* fpage without rights */
    } X;
} L4_Acceptor_t;

#define L4_UntypedWordsAcceptor ((L4_Acceptor_t){ .raw = 0 })
#define L4_StringItemsAcceptor ((L4_Acceptor_t){ .raw = 1 })
#define L4_CtrlXferAcceptor ((L4_Acceptor_t){ .raw = 2 })

#define __L4_ACCEPTOR_FLAGS 0x3UL
#define __L4_ACCEPTOR_WINDOW (~0xFUL)

/** Acceptor that accepts map/grant items into RcvWindow. */
L4_INLINE L4_Acceptor_t L4_MapGrantItems(L4_Fpage_t RcvWindow)
{
    L4_Acceptor_t a;
    a.raw = RcvWindow.raw & __L4_ACCEPTOR_WINDOW;
    return a;
}

/** Union of two acceptors; a non-nil window in r replaces l's window. */
L4_INLINE L4_Acceptor_t L4_AddAcceptor(L4_Acceptor_t l, L4_Acceptor_t r)
{
    L4_Acceptor_t a;
    L4_Word_t win = r.raw & __L4_ACCEPTOR_WINDOW;
    if (win == 0)
        win = l.raw & __L4_ACCEPTOR_WINDOW;
    a.raw = ((l.raw | r.raw) & __L4_ACCEPTOR_FLAGS) | win;
    return a;
}

/** Adds r to *l in place; returns the new acceptor. */
L4_INLINE L4_Acceptor_t L4_AddAcceptorTo(L4_Acceptor_t *l, L4_Acceptor_t r)
{
    *l = L4_AddAcceptor(*l, r);
    return *l;
}

/** l without the items of r; a non-nil window in r removes l's window. */
L4_INLINE L4_Acceptor_t L4_RemoveAcceptor(L4_Acceptor_t l, L4_Acceptor_t r)
{
    L4_Acceptor_t a;
    L4_Word_t win = l.raw & __L4_ACCEPTOR_WINDOW;
    if (r.raw & __L4_ACCEPTOR_WINDOW)
        win = 0;
    a.raw = (l.raw & ~r.raw & __L4_ACCEPTOR_FLAGS) | win;
    return a;
}

/** Removes r from *l in place; returns the new acceptor. */
L4_INLINE L4_Acceptor_t L4_RemoveAcceptorFrom(L4_Acceptor_t *l, L4_Acceptor_t r)
{
    *l = L4_RemoveAcceptor(*l, r);
    return *l;
}

/** True if the acceptor admits string items. */
L4_INLINE L4_Bool_t L4_HasStringItems(L4_Acceptor_t a) { return (a.raw & 1) != 0; }

/** True if the acceptor admits map/grant items (non-nil window). */
L4_INLINE L4_Bool_t L4_HasMapGrantItems(L4_Acceptor_t a)
{
    return (a.raw & __L4_ACCEPTOR_WINDOW) != 0;
}

/** Receive window of the acceptor (nil fpage if mappings are refused). */
L4_INLINE L4_Fpage_t L4_RcvWindow(L4_Acceptor_t a)
{
    L4_Fpage_t f;
    f.raw = a.raw & __L4_ACCEPTOR_WINDOW;
    return f;
}

/** Sets BR0 to acceptor a. */
L4_INLINE void L4_Accept(L4_Acceptor_t a) { L4_LoadBR(0, a.raw); }

/** Current acceptor (BR0). */
L4_INLINE L4_Acceptor_t L4_Accepted(void)
{
    L4_Acceptor_t a;
    L4_StoreBR(0, &a.raw);
    return a;
}

/* ------------------------------------------------------------------ */
/* Message buffers: receive-string descriptors destined for BR1..BR32   */

/** Up to 32 words of receive-string items (logical buffers chained by C). */
typedef union {
    L4_Word_t raw[32];
    L4_StringItem_t string[16];
} L4_MsgBuffer_t;

/** Empties the buffer (a single empty string: header and pointer zero). */
L4_INLINE void L4_MsgBufferClear(L4_MsgBuffer_t *b)
{
    b->raw[0] = 0;
    b->raw[1] = 0;
}

/** True if the buffer holds nothing but the cleared empty string. */
L4_INLINE L4_Bool_t __L4_MsgBufferIsEmpty(const L4_MsgBuffer_t *b)
{
    return b->raw[0] == 0 && b->raw[1] == 0;
}

/** Number of words used by all logical buffers in b (0 when empty). */
L4_INLINE L4_Word_t __L4_MsgBufferWords(const L4_MsgBuffer_t *b)
{
    L4_Word_t n = 0;
    if (__L4_MsgBufferIsEmpty(b))
        return 0;
    for (;;) {
        const L4_StringItem_t *s = (const L4_StringItem_t *)&b->raw[n];
        L4_Word_t first = s->raw[0];
        n += __L4_StringItemWords(s);
        if (!(first & 1) || n >= 32)
            return n > 32 ? 32 : n;
    }
}

/** Appends the (possibly compound) receive string *s as a new logical buffer. */
L4_INLINE void L4_MsgBufferAppendRcvString(L4_MsgBuffer_t *b, const L4_StringItem_t *s)
{
    L4_Word_t n = __L4_MsgBufferWords(b), words = __L4_StringItemWords(s), i;
    const L4_Word_t *src = s->raw;
    if (n >= 32)
        return;
    if (n > 0) {
        /* Mark "another logical buffer follows" in the previous buffer. */
        L4_Word_t prev = 0;
        for (;;) {
            L4_Word_t next = prev + __L4_StringItemWords((const L4_StringItem_t *)&b->raw[prev]);
            if (next >= n)
                break;
            prev = next;
        }
        b->raw[prev] |= 1;
    }
    for (i = 0; i < words && n + i < 32; i++)
        b->raw[n + i] = src[i];
    b->raw[n] &= ~1UL;
}

/** Appends a simple receive string (by value: treated as j = 0, c = 0). */
L4_INLINE void L4_MsgBufferAppendSimpleRcvString(L4_MsgBuffer_t *b, L4_StringItem_t s)
{
    s.raw[0] &= ~((0x1FUL << 4) | (1UL << 9));
    L4_MsgBufferAppendRcvString(b, &s);
}

/** Sets BR0 to a and loads the buffer's string items into BR1, BR2, ... */
L4_INLINE void L4_AcceptStrings(L4_Acceptor_t a, const L4_MsgBuffer_t *b)
{
    L4_Accept(a);
    L4_LoadBRs(1, (int)__L4_MsgBufferWords(b), b->raw);
}

#endif /* L4_ACCEPTOR_H */
