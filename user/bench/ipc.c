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

/* Echo server: replies to every message with the message itself. */
static void server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        (void)tag;
        tag = use_lipc ? L4_Lreply_Wait(from, &from) : L4_ReplyWait(from, &from);
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
    for (unsigned i = 0; i < WARMUP; i++) {
        L4_LoadMR(0, tag.raw);
        L4_Call(to);
    }
    L4_Word_t t0 = bench_tsc();
    for (unsigned i = 0; i < ROUNDS; i++) {
        L4_LoadMR(0, tag.raw);
        if (lipc) {
            L4_Lcall(to);
        } else {
            L4_Call(to);
        }
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
