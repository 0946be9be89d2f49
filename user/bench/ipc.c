/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC benchmarks, measured as Pistachio's pingpong does: a client and a
 * server thread in a tight Call / ReplyWait loop; the figure is the rdtsc
 * delta divided by twice the number of round trips (one one-way IPC with
 * its user-level loop). */
#include "bench.h"
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <pecan/io.h>
#include <pecan/task.h>
#include <kernel/format.h>

#define ROUNDS     2000
#define WARMUP     50
#define STACK_SIZE 8192

static unsigned char server_stack[STACK_SIZE] __attribute__((aligned(16)));
static unsigned char pager_stack[STACK_SIZE] __attribute__((aligned(16)));
static L4_ThreadId_t pager, client;
static volatile int use_lipc;


/* One Ipc through the KIP stub the way Pistachio's pingpong does it: the
 * tag in R9, MR1..MR7 left in whatever registers they are (the receiver
 * gets them back), MR8.. in the UTCB.  Returns the received tag; *from
 * gets the partner. */
static inline L4_Word_t raw_ipc(L4_Word_t tag, L4_Word_t to, L4_Word_t from_spec,
                                L4_Word_t timeouts, L4_Word_t *from)
{
    register L4_Word_t r9 __asm__("r9") = tag;
    register L4_Word_t r8 __asm__("r8") = timeouts;
    L4_Word_t rsi = to, rdx = from_spec, rdi = (L4_Word_t)__L4_Utcb();
    __asm__ volatile("sub $128, %%rsp\n\t"      /* step over the red zone */
                     "push %%rbp\n\t"
                     "call *__L4_Ipc(%%rip)\n\t"
                     "pop %%rbp\n\t"
                     "add $128, %%rsp"
                     : "+r"(r9), "+S"(rsi), "+d"(rdx), "+r"(r8), "+D"(rdi)
                     :
                     : "rax", "rbx", "rcx", "r10", "r11", "r12", "r13", "r14", "r15",
                       "memory");
    *from = rsi;
    return r9;
}

/* Echo server: replies to every message with the message itself. */
static void server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t partner = from.raw, t = tag.raw;
    L4_Word_t any = use_lipc ? L4_anylocalthread.raw : L4_anythread.raw;
    for (;;) {
        t = raw_ipc(t, partner, any, L4_Timeouts(L4_ZeroTime, L4_Never), &partner);
    }
}

static L4_Word_t pingpong(L4_ThreadId_t srv, unsigned mrs, int lipc)
{
    L4_MsgTag_t tag = { .raw = mrs };
    L4_ThreadId_t to = srv;
    if (lipc) {
        to = L4_LocalIdOf(srv);
    }
    for (unsigned i = 1; i <= mrs; i++) {
        L4_LoadMR(i, i);
    }
    (void)lipc;     /* Lipc is the same stub address family; "to" is local */
    L4_Word_t from;
    for (unsigned i = 0; i < WARMUP; i++) {
        raw_ipc(tag.raw, to.raw, to.raw, 0, &from);
    }
    L4_Word_t t0 = bench_tsc();
    for (unsigned i = 0; i < ROUNDS; i++) {
        raw_ipc(tag.raw, to.raw, to.raw, 0, &from);
    }
    return bench_tsc() - t0;
}

static const unsigned mr_counts[] = { 0, 1, 2, 4, 8, 12, 16, 24, 32, 48, 63 };

static void series(const char *kind, L4_ThreadId_t srv, int lipc)
{
    char name[48];
    use_lipc = lipc;
    for (unsigned k = 0; k < sizeof(mr_counts) / sizeof(mr_counts[0]); k++) {
        format_buf(name, sizeof(name), "%s.%umr", kind, mr_counts[k]);
        bench_report(name, pingpong(srv, mr_counts[k], lipc), 2 * ROUNDS);
    }
}

/* One-way IPC (inter-space, no MRs) with n other threads in the system:
 * inactive threads in the kernel's thread table, spread over the whole
 * thread-number space. */
void bench_scale(void)
{
    static const unsigned counts[] = { 10, 10000, 100000 };
    static L4_ThreadId_t made[100000];
    unsigned have = 0;
    char name[40];
    pager = task_start_local(task_pager_loop, pager_stack + STACK_SIZE, 254);
    L4_ThreadId_t remote = task_start_space(server, server_stack + STACK_SIZE, pager, 255);
    use_lipc = 0;
    for (unsigned k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
        while (have < counts[k]) {
            /* Numbers well above ours, 40503 apart: many table leaves. */
            L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1000 + have * 40503UL, 1);
            if (!L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)-1)) {
                break;
            }
            made[have++] = t;
        }
        format_buf(name, sizeof(name), "ipc.inter.0mr.with_%u_threads", counts[k]);
        bench_report(name, pingpong(remote, 0, 0), 2 * ROUNDS);
    }
    while (have) {
        task_delete(made[--have]);
    }
    task_delete(remote);
    task_delete(pager);
}

void bench_ipc(void)
{
    client = L4_Myself();
    pager = task_start_local(task_pager_loop, pager_stack + STACK_SIZE, 254);
    L4_ThreadId_t local = task_start_local(server, server_stack + STACK_SIZE, 255);
    series("ipc.intra", local, 0);
    series("lipc.intra", local, 1);
    task_delete(local);

    L4_ThreadId_t remote = task_start_space(server, server_stack + STACK_SIZE, pager, 255);
    series("ipc.inter", remote, 0);
    task_delete(remote);
    task_delete(pager);
}
