/* SPDX-License-Identifier: BSD-2-Clause */
/* Timeout queue (see kernel/timeout.h).  A sorted list: insertion is
 * O(n) in the number of armed timeouts, expiry O(1) per expired entry. */
#include <kernel/timeout.h>
#include <kernel/time.h>
#include <kernel/ipc.h>
#include <arch/timer.h>

static list_node_t queue = LIST_INIT(queue);

void ipc_timeout_expired(tcb_t *t);

void timeout_arm(tcb_t *t, uint64_t at)
{
    timeout_cancel(t);
    t->timeout_at = at;
    t->timeout_armed = true;
    list_node_t *n = queue.next;
    while (n != &queue && container_of(n, tcb_t, timeout_link)->timeout_at <= at) {
        n = n->next;
    }
    list_add_tail(n, &t->timeout_link);     /* insert before n */
}

void timeout_cancel(tcb_t *t)
{
    if (list_linked(&t->timeout_link)) {
        list_del(&t->timeout_link);
    }
    t->timeout_at = 0;
    t->timeout_armed = false;
}

void timeout_tick(void)
{
    uint64_t now = clock_us();
    while (!list_empty(&queue)) {
        tcb_t *t = container_of(queue.next, tcb_t, timeout_link);
        if (t->timeout_at > now) {
            break;
        }
        timeout_cancel(t);
        ipc_timeout_expired(t);
    }
}

uint64_t timeout_deadline(uint16_t t)
{
    uint64_t now = clock_us(), us;
    if (time_period_us(t, &us)) {
        if (us == TIME_INFINITE_US) {
            return 0;
        }
        return us == 0 ? 1 : now + us;
    }
    /* Time point (X.2 §2.4): expires when clock bits e..e+9 equal m and bit
     * e+10 equals c, i.e. at the next such instant within 2^(e+11) µs. */
    unsigned e = (t >> 11) & 0xF, m = t & 0x3FF, c = (t >> 10) & 1;
    uint64_t unit = 1ULL << e, span = unit << 11;
    uint64_t target = (now & ~(span - 1)) | ((uint64_t)c << (e + 10)) | ((uint64_t)m << e);
    if (target <= now) {
        target += span;
        if (target - now > span) {
            return 1;
        }
    }
    return target;
}
