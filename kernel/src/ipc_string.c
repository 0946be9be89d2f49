/* SPDX-License-Identifier: BSD-2-Clause */
/* String items (X.2 §5.3; spec ipc.md §4.4–4.5).
 *
 * Each logical send string (string items chained by their c bit) is copied
 * into the next logical receive buffer (BR1.., chained the same way; the C
 * bit of a buffer's first item says another buffer follows).  Both sides are
 * reached through their page tables, so the copy never faults in the kernel:
 * a missing or read-only page is a page fault of the side it belongs to.
 * An address outside the user area ends the string with a message
 * overflow (as Pistachio, which clips strings there), not a fault.
 * The thread doing the copy resolves its own faults with a page-fault IPC;
 * a fault on the partner's side is handed to the partner (which is blocked
 * in its IPC), which sends the page-fault message to its own pager — the
 * receiver's with IP ~0 ("tunnelled") — and hands back.  The transfer
 * timeout starts at the first fault; cancelling either party aborts both.
 */
#include <kernel/map.h>
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/space.h>
#include <kernel/time.h>
#include <kernel/timeout.h>
#include <kernel/fault.h>
#include <kernel/string.h>
#include <arch/timer.h>
#include <mode/layout.h>

#define MAX_SEGS 64
#define STRING_MAX (4UL << 20)  /* X.2 §5.4: bytes in one (logical) string */

/* Walks the substrings of one logical string (string items chained by
 * their c bit) in words idx..last of w, which parse_string has checked.
 * No copy of the addresses is made: the kernel stack could not hold one
 * per side next to the nested page-fault IPC a copy may need.  Words are
 * read in place and every index is checked again, so words changed under
 * it (a sender's UTCB is user memory) can only end the string early. */
typedef struct {
    const word_t *w;
    unsigned idx, last;         /* the current item's header; the last word */
    unsigned sub, subs;         /* current substring of the item, how many */
    word_t len, off;            /* bytes per substring, bytes done of this one */
    bool more;                  /* another item follows */
    bool valid;                 /* a substring is current */
} seg_iter_t;

typedef struct {
    tcb_t *src, *dst;
    uint64_t deadline;          /* 0 until the first fault */
    bool timed;                 /* a deadline applies */
    word_t bytes;
} xfer_t;

/* Check the logical string starting at word idx of w (words idx..last)
 * and advance idx past it.  False when malformed: not a string item,
 * running past last, more than MAX_SEGS substrings or more than max bytes.
 * Only the first length word has the type bits (0hhC); X.2 ignores them
 * in the further ones. */
/* The fields of a string item's length word: substrings (j + 1), bytes
 * per substring, and the c bit (another item of this string follows). */
static unsigned item_subs(word_t h)
{
    return (unsigned)((h >> 4) & 0x1F) + 1;
}

static word_t item_len(word_t h)
{
    return h >> 10;
}

static bool item_more(word_t h)
{
    return (h >> 9) & 1;
}

static bool parse_string(const word_t *w, unsigned *idx, unsigned last, word_t max)
{
    unsigned n = 0;
    word_t bytes = 0;
    if (*idx > last || (w[*idx] & 0x8)) {
        return false;
    }
    for (;;) {
        if (*idx > last) {
            return false;
        }
        word_t h = w[*idx], len = item_len(h);
        unsigned subs = item_subs(h);
        if (*idx + subs > last || n + subs > MAX_SEGS || len > max || subs * len > max - bytes) {
            return false;
        }
        n += subs;
        bytes += subs * len;
        *idx += 1 + subs;
        if (!item_more(h)) {
            return true;
        }
    }
}

/* Make the item whose header is word it->idx current (false past the end
 * or if the first one no longer looks like a string item). */
static bool seg_item(seg_iter_t *it, bool first)
{
    if (it->idx > it->last || (first && (it->w[it->idx] & 0x8))) {
        return false;
    }
    word_t h = it->w[it->idx];
    it->subs = item_subs(h);
    it->len = item_len(h);
    it->more = item_more(h);
    it->sub = 0;
    it->off = 0;
    return it->idx + it->subs <= it->last;
}

static void seg_start(seg_iter_t *it, const word_t *w, unsigned idx, unsigned last)
{
    it->w = w;
    it->idx = idx;
    it->last = last;
    it->valid = seg_item(it, true);
}

/* On to the next substring (of this item or the next one chained). */
static void seg_next(seg_iter_t *it)
{
    it->off = 0;
    if (++it->sub < it->subs) {
        return;
    }
    if (!it->more) {
        it->valid = false;
        return;
    }
    it->idx += 1 + it->subs;
    it->valid = seg_item(it, false);
}

static word_t seg_addr(const seg_iter_t *it)
{
    return it->w[it->idx + 1 + it->sub] + it->off;
}

/* Receive buffer k's words in a contiguous array (BRs grow downwards). */
static void load_brs(utcb_t *u, word_t *br)
{
    for (unsigned k = 0; k < NUM_BRS; k++) {
        br[k] = utcb_br(u, k);
    }
}

/* Physical address for va in t's space with the needed right, or ~0. */
static paddr_t translate(tcb_t *t, word_t va, unsigned need)
{
    paddr_t pa;
    unsigned size, rights;
    if (!user_range_ok(va, 1) || !pgt_lookup(&t->space->pgt, va, &pa, &size, &rights) ||
        (rights & need) != need) {
        return ~(paddr_t)0;
    }
    return pa;
}

static word_t xfer_error(const xfer_t *x, tcb_t *self_side, enum ipc_error e)
{
    (void)self_side;
    return IPC_ERRCODE(e, IPC_PHASE_RECEIVE, x->bytes);
}

/* Start the transfer timeout at the first fault (X.2 §5.3). */
static void first_fault(xfer_t *x)
{
    if (x->deadline || !x->timed) {
        return;
    }
    uint64_t s_us, r_us;
    uint16_t st = (uint16_t)(utcb_tcr(x->src->utcb, TCR_XFER_TIMEOUTS) >> 16);
    uint16_t rt = (uint16_t)utcb_tcr(x->dst->utcb, TCR_XFER_TIMEOUTS);
    if (!time_period_us(st, &s_us)) {
        s_us = 0;
    }
    if (!time_period_us(rt, &r_us)) {
        r_us = 0;
    }
    uint64_t us = s_us < r_us ? s_us : r_us;
    if (us == TIME_INFINITE_US) {
        x->timed = false;
        return;
    }
    x->deadline = clock_us() + us;
}

/* The party whose own transfer timeout was the shorter gets error 5, the
 * other 6 (tie: the sender 5).  Returned as the receiver's code. */
static word_t timeout_error(const xfer_t *x)
{
    uint64_t s_us, r_us;
    if (!time_period_us((uint16_t)(utcb_tcr(x->src->utcb, TCR_XFER_TIMEOUTS) >> 16), &s_us)) {
        s_us = 0;
    }
    if (!time_period_us((uint16_t)utcb_tcr(x->dst->utcb, TCR_XFER_TIMEOUTS), &r_us)) {
        r_us = 0;
    }
    return xfer_error(x, x->dst, r_us < s_us ? IPC_XFER_TIMEOUT_OWN : IPC_XFER_TIMEOUT_PARTNER);
}

/* Have owner resolve a fault at va (access bits rwx).  Returns 0 or an
 * error code for the receiver. */
static word_t resolve(xfer_t *x, tcb_t *owner, word_t va, unsigned access)
{
    first_fault(x);
    if (x->timed && x->deadline <= clock_us()) {
        return timeout_error(x);
    }
    tcb_t *self = sched_current();
    tcb_t *partner = self == x->src ? x->dst : x->src;
    if (partner->xfer_abort || self->xfer_abort) {
        return xfer_error(x, x->dst, IPC_ABORTED);
    }
    bool tunnel = owner == x->dst;
    word_t res;
    if (owner == self) {
        res = fault_in_transfer(self, va, access, tunnel, x->timed ? x->deadline : 0);
    } else {
        owner->xfer_addr = va;
        owner->xfer_access = access;
        owner->xfer_deadline = x->timed ? x->deadline : 0;
        owner->xfer_tunnel = tunnel;
        owner->ipc_error = IPC_XFER_REQUEST;
        sched_ready(owner);
        sched_block(self, TS_LOCKED);
        schedule();
        res = self->ipc_error;
    }
    /* While we waited the partner may have been deleted (it cleared our
     * xfer_partner): its TCB and UTCB are gone, so not a word more. */
    if (!self->xfer_partner) {
        return xfer_error(x, x->dst, IPC_ABORTED);
    }
    if (res == IPC_TIMEOUT) {
        return timeout_error(x);
    }
    if (res || partner->xfer_abort || self->xfer_abort) {
        return xfer_error(x, x->dst, IPC_ABORTED);
    }
    return 0;
}

/* Copy one send string into one receive buffer.  At most STRING_MAX bytes
 * even if the sender's words change while the copy waits for a fault. */
static word_t copy_string(xfer_t *x, seg_iter_t *snd, seg_iter_t *rcv)
{
    word_t left = STRING_MAX;
    while (snd->valid) {
        if (snd->off == snd->len) {
            seg_next(snd);
            continue;
        }
        if (!rcv->valid) {
            return xfer_error(x, x->dst, IPC_OVERFLOW);
        }
        if (rcv->off == rcv->len) {
            seg_next(rcv);
            continue;
        }
        word_t sva = seg_addr(snd), rva = seg_addr(rcv);
        if (!user_range_ok(sva, 1) || !user_range_ok(rva, 1)) {
            /* No pager could map it: the string ends here. */
            return xfer_error(x, x->dst, IPC_OVERFLOW);
        }
        paddr_t spa = translate(x->src, sva, FPAGE_RIGHT_R);
        if (spa == ~(paddr_t)0) {
            word_t e = resolve(x, x->src, sva, FPAGE_RIGHT_R);
            if (e) {
                return e;
            }
            continue;
        }
        paddr_t rpa = translate(x->dst, rva, FPAGE_RIGHT_W);
        if (rpa == ~(paddr_t)0) {
            word_t e = resolve(x, x->dst, rva, FPAGE_RIGHT_W);
            if (e) {
                return e;
            }
            continue;
        }
        word_t n = snd->len - snd->off;
        n = n < rcv->len - rcv->off ? n : rcv->len - rcv->off;
        n = n < PAGE_SIZE - (sva & (PAGE_SIZE - 1)) ? n : PAGE_SIZE - (sva & (PAGE_SIZE - 1));
        n = n < PAGE_SIZE - (rva & (PAGE_SIZE - 1)) ? n : PAGE_SIZE - (rva & (PAGE_SIZE - 1));
        if (n > left) {
            return xfer_error(x, x->dst, IPC_OVERFLOW);
        }
        left -= n;
        memmove(phys_to_virt(rpa), phys_to_virt(spa), n);
        snd->off += n, rcv->off += n;
        x->bytes += n;
    }
    return 0;
}

word_t ipc_transfer_strings(tcb_t *src, tcb_t *dst, unsigned *i, unsigned last,
                            word_t acceptor, word_t *bytes)
{
    xfer_t x = { src, dst, 0, true, *bytes };
    word_t br[NUM_BRS];
    unsigned b = 1;
    if (!(acceptor & 1)) {
        return xfer_error(&x, dst, IPC_OVERFLOW);
    }
    load_brs(dst->utcb, br);
    tcb_t *self = sched_current(), *partner = self == src ? dst : src;
    self->xfer_partner = partner;
    partner->xfer_partner = self;
    self->xfer_abort = partner->xfer_abort = false;    /* from an aborted copy */
    dst->xfer_is_receiver = true;
    src->xfer_is_receiver = false;
    ipc_lock_partner(partner);
    word_t err = 0;
    const word_t *mr = utcb_p(src->utcb);
    while (!err && *i <= last && !(mr[*i] & 0x8)) {
        seg_iter_t snd, rcv;
        unsigned first = b, start = *i;
        if (!parse_string(mr, i, last, STRING_MAX) || b >= NUM_BRS ||
            !parse_string(br, &b, NUM_BRS - 1, ~(word_t)0)) {
            err = xfer_error(&x, dst, IPC_OVERFLOW);
            break;
        }
        seg_start(&snd, mr, start, last);
        seg_start(&rcv, br, first, NUM_BRS - 1);
        err = copy_string(&x, &snd, &rcv);
        if (!err && *i <= last && !(mr[*i] & 0x8) && !(br[first] & 1)) {
            err = xfer_error(&x, dst, IPC_OVERFLOW);    /* no further buffer */
        }
    }
    if (self->xfer_partner) {
        partner->xfer_partner = NULL;
        partner->xfer_abort = false;
    } else {
        err |= IPC_PARTNER_GONE;    /* deleted: its TCB is gone */
    }
    self->xfer_partner = NULL;
    self->xfer_abort = false;
    *bytes = x.bytes;
    return err;
}
