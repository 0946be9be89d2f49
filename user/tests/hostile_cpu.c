/* SPDX-License-Identifier: BSD-2-Clause */
/* Hostile CPU state: SSE registers of two users across fast-path IPC, and
 * kernel entries through traps taken with the direction flag set. */
#include "hostile.h"

/* --- SSE registers across fast-path IPC --- */

/* One side of an SSE pingpong, run by sse_ipc_run (below) without any
 * compiled code in between, which could use the registers itself. */
typedef struct {
    L4_Word_t to, from_spec, n, follow;     /* follow: next to = last from */
    L4_Word_t stub, utcb, err, pad;
    unsigned char pat[16][16];              /* xmm0..15 before the first IPC */
    unsigned char out[16][16];              /* xmm0..15 after the last one */
} sse_run_t;

_Static_assert(__builtin_offsetof(sse_run_t, pat) == 64, "sse_run_t layout");

/* void sse_ipc_run(sse_run_t *r): load xmm0..15 from r->pat, do r->n Ipc
 * calls (tag 0, timeouts never), store xmm0..15 to r->out.  With follow,
 * each IPC after the first replies to the previous sender and, once done,
 * one last send-only reply goes out.  An IPC error ends the loop (r->err). */
void sse_ipc_run(sse_run_t *r);
__asm__(".text\n"
        ".globl sse_ipc_run\n"
        "sse_ipc_run:\n"
        "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "  push %rdi\n"
        "  .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "  movdqu 64+16*\\k(%rdi), %xmm\\k\n"
        "  .endr\n"
        "1: mov (%rsp), %rdi\n"
        "  cmpq $0, 16(%rdi)\n"
        "  je 2f\n"
        "  decq 16(%rdi)\n"
        "  mov 0(%rdi), %rsi\n"
        "  mov 8(%rdi), %rdx\n"
        "  mov 32(%rdi), %r11\n"
        "  mov 40(%rdi), %rdi\n"
        "  xor %r8d, %r8d\n"
        "  xor %r9d, %r9d\n"
        "  call *%r11\n"
        "  mov (%rsp), %rdi\n"
        "  test $0x8000, %r9\n"
        "  jnz 3f\n"
        "  cmpq $0, 24(%rdi)\n"
        "  je 1b\n"
        "  mov %rsi, 0(%rdi)\n"
        "  jmp 1b\n"
        "3: mov %r9, 48(%rdi)\n"
        "2: .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "  movdqu %xmm\\k, 320+16*\\k(%rdi)\n"
        "  .endr\n"
        "  cmpq $0, 24(%rdi)\n"
        "  je 4f\n"
        "  mov 0(%rdi), %rsi\n"             /* the last reply, send only */
        "  xor %edx, %edx\n"
        "  mov 32(%rdi), %r11\n"
        "  mov 40(%rdi), %rdi\n"
        "  xor %r8d, %r8d\n"
        "  xor %r9d, %r9d\n"
        "  call *%r11\n"
        "4: pop %rdi\n"
        "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "  ret\n");

#define SSE_ROUNDS 200

static sse_run_t sse_client, sse_server;
static volatile int sse_server_done;

static void sse_fill(sse_run_t *r, unsigned char seed)
{
    for (unsigned k = 0; k < 16; k++) {
        for (unsigned b = 0; b < 16; b++) {
            r->pat[k][b] = (unsigned char)(seed + k * 16 + b * 7);
        }
    }
    memset(r->out, 0, sizeof(r->out));
    r->stub = (L4_Word_t)__L4_Ipc;
    r->err = 0;
}

static void sse_server_thread(void)
{
    sse_server.utcb = (L4_Word_t)__L4_Utcb();
    sse_ipc_run(&sse_server);
    sse_server_done = 1;
    mute_pager();
}

/* The client (this thread) calls the server SSE_ROUNDS times; both keep
 * their own values in all 16 xmm registers throughout. */
static void sse_pingpong(int other_space)
{
    sse_fill(&sse_client, 0x11);
    sse_fill(&sse_server, 0xA5);
    sse_server.to = L4_nilthread.raw;
    sse_server.from_spec = L4_anythread.raw;
    sse_server.n = SSE_ROUNDS;
    sse_server.follow = 1;
    sse_server_done = 0;
    L4_ThreadId_t s;
    if (other_space) {
        CHECK(!L4_IsNilThread(test_pager_start()));
        s = test_start_space_thread(sse_server_thread);
    } else {
        s = test_start_thread(sse_server_thread);
    }
    CHECK(!L4_IsNilThread(s));
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* the server waits */
    }
    sse_client.to = sse_client.from_spec = s.raw;
    sse_client.n = SSE_ROUNDS;
    sse_client.follow = 0;
    sse_client.utcb = (L4_Word_t)__L4_Utcb();
    sse_ipc_run(&sse_client);
    int done = wait_for(&sse_server_done);
    test_kill_thread(s);
    if (other_space) {
        test_pager_stop();
    }
    CHECK_EQ(sse_client.err, 0);
    CHECK_EQ(sse_server.err, 0);
    CHECK(done);
    CHECK_EQ(sse_client.n, 0);
    CHECK_EQ(sse_server.n, 0);
    CHECK(!memcmp(sse_client.out, sse_client.pat, sizeof(sse_client.pat)));
    CHECK(!memcmp(sse_server.out, sse_server.pat, sizeof(sse_server.pat)));
}

TEST(hostile, sse_registers_survive_fast_ipc_same_space)
{
    sse_pingpong(0);
}

TEST(hostile, sse_registers_survive_fast_ipc_across_spaces)
{
    sse_pingpong(1);
}

/* --- Kernel entries through traps with the direction flag set --- */

static volatile L4_Word_t df_results[4];
static volatile int df_done;

/* A user may leave DF set; a trap (unlike SYSCALL) does not clear it, so
 * the kernel must before it copies anything. */
static void df_kernel_interface(void)
{
    L4_Word_t base, ver, flags, id;
    __asm__ __volatile__("std\n\t.byte 0xF0, 0x90\n\tcld"
                         : "=a"(base), "=c"(ver), "=d"(flags), "=S"(id) : : "cc", "memory");
    df_results[0] = base, df_results[1] = ver, df_results[2] = flags, df_results[3] = id;
    df_done = 1;
}

static void df_kdebug(void)
{
    L4_Word_t v = (L4_Word_t)src;
    __asm__ __volatile__("std\n\tint3\n\tcmpb $0x24, %%al\n\tcld"
                         : "+a"(v) : : "cc", "memory");
    df_results[0] = v;
    df_done = 1;
}

static int df_run(void (*fn)(void))
{
    df_done = 0;
    L4_ThreadId_t t = test_start_thread(fn);
    int done = !L4_IsNilThread(t) && wait_for(&df_done);
    test_kill_thread(t);
    return done;
}

TEST(hostile, kernel_interface_with_direction_flag_set)
{
    L4_Word_t ver, flags, id;
    void *kip = L4_KernelInterface(&ver, &flags, &id);
    CHECK(df_run(df_kernel_interface));
    CHECK_EQ(df_results[0], (L4_Word_t)kip);
    CHECK_EQ(df_results[1], ver);
    CHECK_EQ(df_results[2], flags);
    CHECK_EQ(df_results[3], id);
}

TEST(hostile, kdebug_call_with_direction_flag_set)
{
    L4_Word_t want = pecan_page_size_log2((L4_Word_t)src);
    CHECK(want == 12 || want == 21 || want == 30);
    CHECK(df_run(df_kdebug));
    CHECK_EQ(df_results[0], want);
}
