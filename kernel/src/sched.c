/* SPDX-License-Identifier: BSD-2-Clause */
/* Priority scheduler (see kernel/sched.h).
 *
 * The bitmap has one bit per priority with a non-empty list; the highest set
 * bit names the list whose head runs next.  Idle threads are not on any list:
 * they run when the bitmap is empty.
 */
#include <kernel/sched.h>
#include <kernel/ipc.h>
#include <kernel/console.h>
#include <kernel/kmem.h>
#include <kernel/timeout.h>
#include <arch/thread.h>
#include <arch/timer.h>

#define BITMAP_WORDS (PRIO_LEVELS / WORD_BITS)

/* The running thread itself is per-CPU arch state (sched_current()). */
typedef struct {
    tcb_t *idle;
    bool preempt_pending;   /* a thread above the current one became ready */
    list_node_t ready[PRIO_LEVELS];
    word_t bitmap[BITMAP_WORDS];
} sched_cpu_t;

static sched_cpu_t sched_cpu0;

static sched_cpu_t *this_cpu(void)
{
    return &sched_cpu0;
}

static void enqueue(sched_cpu_t *c, tcb_t *t, bool head)
{
    if (head) {
        list_add_head(&c->ready[t->prio], &t->ready_link);
    } else {
        list_add_tail(&c->ready[t->prio], &t->ready_link);
    }
    c->bitmap[t->prio / WORD_BITS] |= BIT(t->prio % WORD_BITS);
}

static void dequeue(sched_cpu_t *c, tcb_t *t)
{
    list_del(&t->ready_link);
    if (list_empty(&c->ready[t->prio])) {
        c->bitmap[t->prio / WORD_BITS] &= ~BIT(t->prio % WORD_BITS);
    }
}

static bool runnable(const tcb_t *t)
{
    return t->state == TS_READY && !t->halted;
}

/* Highest-priority runnable thread; non-runnable entries met on the way
 * are dropped (lazy queueing: blocking never touches the lists). */
static tcb_t *pick(sched_cpu_t *c)
{
    for (int w = BITMAP_WORDS - 1; w >= 0; w--) {
        while (c->bitmap[w]) {
            unsigned prio = (unsigned)w * WORD_BITS +
                            (WORD_BITS - 1 - (unsigned)__builtin_clzl(c->bitmap[w]));
            tcb_t *t = container_of(c->ready[prio].next, tcb_t, ready_link);
            if (runnable(t)) {
                return t;
            }
            dequeue(c, t);
        }
    }
    return c->idle;
}

/* t just became runnable: if it outranks the running thread, the running
 * thread gives way when it next leaves the kernel (sched_leave_kernel). */
static void note_ready(sched_cpu_t *c, const tcb_t *t)
{
    const tcb_t *cur = sched_current();     /* none while booting */
    if (cur && t->prio > cur->prio) {
        c->preempt_pending = true;
    }
}

void sched_ready(tcb_t *t)
{
    t->state = TS_READY;
    if (!t->halted && !list_linked(&t->ready_link)) {
        enqueue(this_cpu(), t, false);
        note_ready(this_cpu(), t);
    }
}

void sched_halt(tcb_t *t)
{
    t->halted = true;
}

void sched_resume(tcb_t *t)
{
    t->halted = false;
    if (t->state == TS_READY && !list_linked(&t->ready_link)) {
        enqueue(this_cpu(), t, false);
        note_ready(this_cpu(), t);
    }
}

void sched_block(tcb_t *t, thread_state_t s)
{
    t->state = s;
}

void sched_remove(tcb_t *t)
{
    if (list_linked(&t->ready_link)) {
        dequeue(this_cpu(), t);
    }
}

void sched_yield(tcb_t *t)
{
    t->timeslice_left = t->timeslice_len;
    if (list_linked(&t->ready_link)) {
        dequeue(this_cpu(), t);
    }
    if (runnable(t)) {
        enqueue(this_cpu(), t, false);
    }
}

void sched_set_prio(tcb_t *t, unsigned prio)
{
    bool queued = list_linked(&t->ready_link);
    if (queued) {
        dequeue(this_cpu(), t);
    }
    t->prio = (uint8_t)prio;
    ipc_refresh_fast_prio(t);
    if (queued) {
        enqueue(this_cpu(), t, false);
    }
}

/* The running thread may be off its list (a direct switch put it there
 * without queueing): it keeps its turn at the head of its priority. */
/* What the IPC fast path compares receivers' run words with: normally
 * "blocked in a user receive on this CPU"; while a delayed preemption
 * keeps a higher-priority thread waiting, a value no thread has, so every
 * IPC takes the general path and its scheduling decision. */
static void fast_ipc_allow(bool allow)
{
    cpu_set_ipc_wait_word(allow ? RUN_WORD_OF(TS_RECV_BLOCKED, 1, IPC_PHASE_RECEIVE, 0)
                                : ~(uint64_t)0);
}

static tcb_t *choose_next(sched_cpu_t *c)
{
    c->preempt_pending = false;
    fast_ipc_allow(true);
    tcb_t *prev = sched_current();
    if (prev != c->idle && runnable(prev) && !list_linked(&prev->ready_link)) {
        enqueue(c, prev, true);
    }
    return pick(c);
}

void schedule(void)
{
    sched_cpu_t *c = this_cpu();
    tcb_t *prev = sched_current(), *next = choose_next(c);
    if (next == prev) {
        return;
    }
    sched_set_current(next);
    arch_switch(prev, next);
}

/* Delayed preemption (X.2 §3.6): a thread that set the d flag may keep the
 * CPU for up to its maximum delay against threads no higher than its
 * sensitive priority; the kernel sets the I flag to ask it to yield soon.
 * ThreadSwitch clears I; when the delay is over it is preempted anyway. */
#define PREEMPT_FLAG_D  BIT(6)
#define PREEMPT_FLAG_I  BIT(7)

static bool delay_preemption(tcb_t *prev, tcb_t *next)
{
    if (!prev->utcb || !prev->max_delay || next->prio > prev->sensitive_prio) {
        return false;
    }
    word_t flags = utcb_tcr(prev->utcb, TCR_FLAGS);
    if (!(flags & PREEMPT_FLAG_D)) {
        return false;
    }
    uint64_t now = clock_us();
    if (!(flags & PREEMPT_FLAG_I)) {
        prev->preempt_deadline = now + prev->max_delay;
        utcb_set_tcr(prev->utcb, TCR_FLAGS, flags | PREEMPT_FLAG_I);
        return true;
    }
    return now < prev->preempt_deadline;
}

void sched_preempt(void)
{
    sched_cpu_t *c = this_cpu();
    tcb_t *prev = sched_current(), *next = choose_next(c);
    if (next == prev) {
        return;
    }
    if (prev != c->idle && runnable(prev) && delay_preemption(prev, next)) {
        fast_ipc_allow(false);      /* next waits only while prev runs */
        return;
    }
    sched_set_current(next);
    arch_switch(prev, next);
}

void sched_leave_kernel(void)
{
    if (this_cpu()->preempt_pending) {
        sched_preempt();
    }
}

void sched_switch_discard(void)
{
    sched_cpu_t *c = this_cpu();
    tcb_t *prev = sched_current(), *next = choose_next(c);
    assert(next != prev);
    sched_set_current(next);
    arch_switch_discard(prev, next);
}

void sched_run_next(tcb_t *t)
{
    sched_cpu_t *c = this_cpu();
    tcb_t *prev = sched_current();
    if (t == prev) {
        return;
    }
    if (prev != c->idle && runnable(prev) && !list_linked(&prev->ready_link)) {
        enqueue(c, prev, false);
    }
    sched_set_current(t);
    arch_switch(prev, t);
}

void sched_tick(void)
{
    timeout_tick();
    sched_cpu_t *c = this_cpu();
    tcb_t *cur = sched_current();
    if (cur != c->idle && cur->total_quantum) {
        /* X.2 total quantum: when it is used up the thread tells its
         * scheduler (fault_preemption, on the thread's way back out). */
        if (cur->quantum_left > TIMER_TICK_US) {
            cur->quantum_left -= TIMER_TICK_US;
        } else {
            cur->quantum_left = 0;
            cur->quantum_expired = true;
        }
    }
    if (cur != c->idle && cur->timeslice_len) {
        if (cur->timeslice_left > TIMER_TICK_US) {
            cur->timeslice_left -= TIMER_TICK_US;
        } else {
            sched_yield(cur);
        }
    }
    sched_preempt();
}

static void idle_loop(frame_t *unused)
{
    (void)unused;
    for (;;) {
        arch_idle();
        schedule();
    }
}

void sched_init(void)
{
    sched_cpu_t *c = this_cpu();
    for (unsigned i = 0; i < PRIO_LEVELS; i++) {
        list_init(&c->ready[i]);
    }
    fast_ipc_allow(true);
    tcb_t *idle = kmem_alloc_page();
    if (!idle) {
        panic("no memory for the idle thread");
    }
    idle->name = "idle";
    idle->state = TS_READY;
    list_init(&idle->ready_link);
    arch_thread_init(idle, idle_loop);
    c->idle = idle;
}

void sched_start(void)
{
    /* The boot stack becomes a throw-away "previous thread". */
    static tcb_t boot_context;
    sched_set_current(&boot_context);
    schedule();
    panic("scheduler returned to the boot context");
}
