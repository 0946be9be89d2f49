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


/* The loops, as tight as Pistachio's pingpong: each round calls the KIP
 * stub (Ipc, or Lipc for the Lipc series) with the tag in R9, to in RSI,
 * from in RDX, timeouts in R8 and the UTCB pointer in RDI; MR1..MR7 are
 * whatever the registers hold, MR8.. are in the UTCBs.  Nothing but RDI and
 * RSP survives an Ipc, so the loop state lives on the stack (below the red
 * zone).  The server echoes every message: the received tag and MR1..MR7
 * are still in the registers, and its reply goes to the sender it got. */
static volatile L4_Word_t server_stub, server_any;

/* Which stub and from-specifier the server uses from its next round on. */
static void server_mode(int lipc)
{
    server_stub = (L4_Word_t)(lipc ? __L4_Lipc : __L4_Ipc);
    server_any = lipc ? L4_anylocalthread.raw : L4_anythread.raw;
}

static void client_rounds(L4_Word_t tag, L4_Word_t to, L4_Word_t stub, unsigned long rounds)
{
    L4_Word_t utcb = (L4_Word_t)__L4_Utcb();
    __asm__ volatile("sub $128, %%rsp\n\t"
                     "push %%rbp\n\t"
                     "push %[rounds]\n\t"
                     "push %[stub]\n\t"
                     "push %[to]\n\t"
                     "push %[tag]\n"
                     "1:\n\t"
                     "mov (%%rsp), %%r9\n\t"
                     "mov 8(%%rsp), %%rsi\n\t"
                     "mov %%rsi, %%rdx\n\t"
                     "xor %%r8d, %%r8d\n\t"
                     "call *16(%%rsp)\n\t"
                     "decq 24(%%rsp)\n\t"
                     "jnz 1b\n\t"
                     "add $32, %%rsp\n\t"
                     "pop %%rbp\n\t"
                     "add $128, %%rsp"
                     : "+D"(utcb), [tag] "+a"(tag), [to] "+b"(to), [stub] "+c"(stub),
                       [rounds] "+d"(rounds)
                     :
                     : "rsi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory",
                       "cc");
}

/* Echo server: replies to every message with the message itself. */
static void server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t utcb = (L4_Word_t)__L4_Utcb();
    register L4_Word_t r9 __asm__("r9") = tag.raw;
    __asm__ volatile("sub $128, %%rsp\n"
                     "1:\n\t"
                     "mov %[any], %%rdx\n\t"
                     "mov $0x4000000, %%r8d\n\t"      /* send ZeroTime, receive Never */
                     "call *%[stub]\n\t"
                     "jmp 1b"
                     : "+D"(utcb), "+r"(r9)
                     : "S"(from.raw), [stub] "m"(server_stub), [any] "m"(server_any)
                     : "memory");
    __builtin_unreachable();
}

static L4_Word_t pingpong(L4_ThreadId_t srv, unsigned mrs, int lipc)
{
    L4_MsgTag_t tag = { .raw = mrs };
    L4_ThreadId_t to = lipc ? L4_LocalIdOf(srv) : srv;
    L4_Word_t stub = (L4_Word_t)(lipc ? __L4_Lipc : __L4_Ipc);
    for (unsigned i = 1; i <= mrs; i++) {
        L4_LoadMR(i, i);
    }
    client_rounds(tag.raw, to.raw, stub, WARMUP);
    L4_Word_t t0 = bench_tsc();
    client_rounds(tag.raw, to.raw, stub, ROUNDS);
    return bench_tsc() - t0;
}

static const unsigned mr_counts[] = { 0, 1, 2, 4, 8, 12, 16, 24, 32, 48, 63 };

static void series(const char *kind, L4_ThreadId_t srv, int lipc)
{
    char name[48];
    server_mode(lipc);
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
    server_mode(0);
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
