/* SPDX-License-Identifier: BSD-2-Clause */
/* Message transfer between two threads' virtual registers (X.2 §5.1–5.3).
 *
 * Untyped words are copied; typed items are processed in order: map and
 * grant items through map.c, string items through ipc_string.c.  The first
 * item that does not fit or is not accepted stops the transfer with message
 * overflow; what was transferred before it stays.
 */
#include <kernel/ipc.h>
#include <kernel/map.h>
#include <kernel/string.h>
#include <kernel/fpage.h>
#include <kernel/sched.h>

#define ITEM_C_BIT      0x1
#define ITEM_TYPE_MASK  0xE
#define ITEM_MAP        0x8
#define ITEM_GRANT      0xA
#define ACCEPT_STRINGS  BIT(0)
#define IRQ_MESSAGE_TAG ((word_t)-1 << 20)   /* label -1 << 4, u = t = 0 */

static word_t overflow(word_t offset)
{
    return IPC_ERRCODE(IPC_OVERFLOW, IPC_PHASE_RECEIVE, offset);
}

word_t ipc_transfer(tcb_t *src, tcb_t *dst, bool propagated)
{
    utcb_t *su = src->utcb, *du = dst->utcb;
    if (src->irq) {
        utcb_set_mr(du, 0, IRQ_MESSAGE_TAG);
        return 0;
    }
    word_t tag = utcb_mr(su, 0);
    unsigned u = tag & 0x3F, t = (tag >> 6) & 0x3F;
    /* The receiver sees the tag with r, x and e cleared; p if honoured. */
    word_t out = (tag & ~TAG_FLAGS) | (propagated ? TAG_P_FLAG : 0);
    if (propagated) {
        utcb_set_tcr(du, TCR_VIRTUAL_SENDER, src->id);     /* ActualSender */
    }
    if (u + t >= NUM_MRS) {
        utcb_set_mr(du, 0, out | TAG_E_FLAG);
        return overflow(0);
    }
    memcpy(utcb_p(du) + 1, utcb_p(su) + 1, (u + t) * sizeof(word_t));
    utcb_set_mr(du, 0, out);
    word_t acceptor = utcb_br(du, 0);
    word_t bytes = 0;
    unsigned prev = 0;
    for (unsigned i = u + 1; i <= u + t;) {
        word_t w0 = utcb_mr(su, i);
        /* X.2 §5.1: the sender's C bits are ignored; the receiver's say
         * whether another item follows. */
        if (prev) {
            utcb_set_mr(du, prev, utcb_mr(du, prev) | ITEM_C_BIT);
        }
        utcb_set_mr(du, i, utcb_mr(du, i) & ~ITEM_C_BIT);
        prev = i;
        if ((w0 & 0x8) == 0) {
            word_t err = ipc_transfer_strings(src, dst, &i, u + t, acceptor, &bytes);
            if (err) {
                /* A receiver deleted during the copy has no UTCB to write. */
                if (!(err & IPC_PARTNER_GONE) || dst == sched_current()) {
                    utcb_set_mr(du, 0, out | TAG_E_FLAG);
                }
                return err;
            }
            continue;
        }
        unsigned type = w0 & ITEM_TYPE_MASK;
        fpage_t window = acceptor & ~(word_t)0xF;
        if ((type != ITEM_MAP && type != ITEM_GRANT) || i + 1 > u + t || fpage_is_nil(window)) {
            utcb_set_mr(du, 0, out | TAG_E_FLAG);
            return overflow(bytes);
        }
        if (!map_item(src, dst, w0 & ~(word_t)0x3FF, utcb_mr(su, i + 1), window,
                      type == ITEM_GRANT)) {
            utcb_set_mr(du, 0, out | TAG_E_FLAG);     /* kernel memory ran out */
            return overflow(bytes);
        }
        i += 2;
    }
    return 0;
}
