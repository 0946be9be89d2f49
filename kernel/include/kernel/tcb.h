/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control block.
 *
 * One page per thread: the tcb_t at the bottom, the saved user frame at the
 * top, the thread's kernel stack between them.  A thread blocked in the kernel
 * keeps its kernel stack, so IPC and page-fault handling can simply block.
 */
#pragma once

#include <kernel/types.h>
#include <kernel/tcb_offsets.h>
#include <kernel/threadid.h>
#include <kernel/utcb.h>
#include <kernel/list.h>
#include <mode/frame.h>
#include <mode/layout.h>
#include <arch/fpu.h>

struct space;

typedef enum {
    TS_INACTIVE,        /* exists, no UTCB/pager yet */
    TS_READY,           /* runnable (or running) */
    TS_SEND_BLOCKED,    /* send phase: waiting for the receiver */
    TS_RECV_BLOCKED,    /* receive phase: waiting for a sender */
    TS_LOCKED,          /* engaged in a string transfer with a partner */
} thread_state_t;

typedef struct tcb {
    word_t kstack_sp;               /* saved kernel RSP while switched out */
    threadid_t id;                  /* global id */
    struct space *space;
    utcb_t *utcb;                   /* kernel view of the UTCB, NULL if inactive */
    word_t utcb_location;           /* user address L of the UTCB block, ~0 if unset */
    word_t local_id;                /* L + UTCB_P_OFFSET: the local id (tcb_set_utcb_location) */
    /* What the IPC fast path tests and sets together: one word. */
    union {
        struct {
            uint8_t state;          /* thread_state_t */
            bool halted;            /* stopped by ExchangeRegisters or a fault */
            bool ipc_resumable;     /* blocked by a user Ipc: resumes in ipc_resume */
            bool irq;               /* an interrupt thread (no space, no UTCB) */
            bool timeout_armed;     /* on the timeout queue (timeout.c) */
            uint8_t ipc_blocked_phase; /* IPC_PHASE_SEND or IPC_PHASE_RECEIVE */
            uint16_t cpu;           /* the CPU it runs on */
        };
        uint64_t run_word;
    };
    bool quantum_expired;           /* owes its scheduler a preemption message */
    uint64_t preempt_deadline;      /* end of a granted preemption delay */
    uint8_t prio;
    uint16_t ipc_fast_prio;         /* prio, or IPC_FAST_PRIO_QUEUED while senders
                                       may be queued at it (ipc.c, ipc_fast.c) */
    list_node_t ready_link;         /* on its CPU's ready list */
    list_node_t space_link;         /* on its space's thread list */
    word_t timeslice_len;           /* µs; 0 = never preempted by time */
    word_t timeslice_left;
    word_t total_quantum;           /* µs; 0 = infinite */
    word_t quantum_left;
    word_t max_delay;               /* µs a delayed preemption may take */
    uint8_t sensitive_prio;
    threadid_t scheduler;
    bool fpu_used;                  /* fpu_state holds a saved context */
    bool fpu_live;                  /* the FPU registers hold its context */
    /* IPC (ipc.c) */
    threadid_t ipc_wait_for;        /* receive phase: from-specifier (global form) */
    threadid_t ipc_from;            /* receive result: id of the sender as delivered */
    threadid_t ipc_vsender;         /* send phase: honoured virtual sender, or nil */
    threadid_t ipc_rcv_spec;        /* receive phase to follow the send, or nil */
    uint64_t ipc_rcv_until;         /* its absolute deadline override, 0 = none */
    uint16_t ipc_rcv_timeout;       /* its timeout */
    bool ipc_send_done;             /* a partner moved us on into that phase */
    threadid_t ipc_to;              /* destination of the current send phase */
    word_t ipc_error;               /* result of a blocking phase: 0 or ErrorCode */
    word_t lipc_to;                 /* last local id the fast path delivered to, and */
    struct tcb *lipc_dest;          /* its TCB slot: a cache, checked on every use */
    list_node_t send_queue;         /* threads blocked sending to this one (FIFO) */
    list_node_t send_link;          /* on the destination's send_queue */
    bool ipc_awaited;               /* some thread may be in a closed receive on
                                       this one (deletion looks for them) */
    uint64_t timeout_at;            /* absolute µs, 0 = no timeout */
    list_node_t timeout_link;       /* on the timeout queue */
    bool starting;                  /* activated, start-up wait not yet begun */
    /* string transfer in progress (ipc_string.c) */
    struct tcb *xfer_partner;       /* the other party, NULL when none */
    word_t xfer_addr;               /* fault this thread must resolve */
    unsigned xfer_access;
    uint64_t xfer_deadline;         /* transfer timeout, 0 = none */
    bool xfer_abort;                /* cancelled or partner deleted */
    bool xfer_tunnel;               /* the fault is on the receiving side */
    bool xfer_is_receiver;          /* this thread receives the strings */
    bool start_canceled;            /* ExchangeRegisters cancelled it early */
    const char *name;               /* debug name of kernel-created threads */
    fpu_state_t fpu_state;
    /* The kernel stack grows down towards here: a word the kernel checks
     * when a thread leaves the CPU, so an overflow stops with a panic
     * instead of corrupting the TCB quietly (thread.c). */
    word_t stack_canary;
} tcb_t;

/* Above every priority: a caller with senders queued at it fails the IPC
 * fast path's priority check and takes the general path, which receives
 * them first and sets the field back to prio. */
#define IPC_FAST_PRIO_QUEUED 0x100

#define TCB_STACK_CANARY ((word_t)0x57AC4CA5A11ED0FFULL)

/* run_word of a thread in the given state, blocked in the given IPC phase,
 * on the given CPU, not halted, no interrupt thread, no timeout: what the
 * IPC fast path looks for in a destination and leaves the two threads in. */
#define RUN_WORD_OF(state, resumable, phase, cpu)                           \
    ((uint64_t)(state) | (uint64_t)(resumable) << 16 | (uint64_t)(phase) << 40 | \
     (uint64_t)(cpu) << 48)

_Static_assert(offsetof(tcb_t, local_id) == TCB_LOCAL_ID, "local_id");
/* run_word overlays the fields in this order (little-endian). */
_Static_assert(offsetof(tcb_t, state) == offsetof(tcb_t, run_word), "run_word");
_Static_assert(offsetof(tcb_t, halted) == offsetof(tcb_t, run_word) + 1, "run_word");
_Static_assert(offsetof(tcb_t, ipc_resumable) == offsetof(tcb_t, run_word) + 2, "run_word");
_Static_assert(offsetof(tcb_t, irq) == offsetof(tcb_t, run_word) + 3, "run_word");
_Static_assert(offsetof(tcb_t, timeout_armed) == offsetof(tcb_t, run_word) + 4, "run_word");
_Static_assert(offsetof(tcb_t, ipc_blocked_phase) == offsetof(tcb_t, run_word) + 5, "run_word");
_Static_assert(offsetof(tcb_t, cpu) == offsetof(tcb_t, run_word) + 6, "run_word");
_Static_assert(sizeof(tcb_t) + FRAME_SIZE + 2048 <= TCB_SIZE, "kernel stack too small");

static inline frame_t *tcb_frame(tcb_t *t)
{
    return (frame_t *)((char *)t + TCB_SIZE - FRAME_SIZE);
}

static inline word_t tcb_stack_top(tcb_t *t)
{
    return (word_t)t + TCB_SIZE;
}

/* The local id of a thread: the user address of its MR0. */
static inline word_t tcb_local_id(const tcb_t *t)
{
    return t->local_id;
}

static inline void tcb_set_utcb_location(tcb_t *t, word_t loc)
{
    t->utcb_location = loc;
    t->local_id = loc + UTCB_P_OFFSET;
}
