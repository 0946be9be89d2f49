/* SPDX-License-Identifier: BSD-2-Clause */
/* ExchangeRegisters (X.2 §2.3): control bits, old values, id conversion,
 * refusals, and application to the caller itself. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>

#define CTL_S   0x008UL
#define CTL_I   0x010UL
#define CTL_F   0x020UL
#define CTL_U   0x040UL
#define CTL_P   0x080UL
#define CTL_H   0x100UL
#define CTL_D   0x200UL
#define RFLAGS_ARITH 0x8D5UL            /* CF PF AF ZF SF OF */
#define RFLAGS_TF    0x100UL
#define RFLAGS_IF    0x200UL
#define RFLAGS_DF    0x400UL
#define RFLAGS_IOPL  0x3000UL

typedef struct {
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager, result;
} exr_t;

static exr_t exr(L4_ThreadId_t t, L4_Word_t ctl, L4_Word_t sp, L4_Word_t ip, L4_Word_t flags,
                 L4_Word_t handle, L4_ThreadId_t pager)
{
    exr_t o;
    o.result = L4_ExchangeRegisters(t, ctl, sp, ip, flags, handle, pager, &o.ctl, &o.sp, &o.ip,
                                    &o.flags, &o.handle, &o.pager);
    return o;
}

static volatile unsigned long ticks;
static unsigned char alt_stack[4096] __attribute__((aligned(16)));
static volatile L4_Word_t landed_sp;

static void counter(void)
{
    for (;;) {
        ticks++;
        L4_Yield();
    }
}

static void landing(void)
{
    __asm__ volatile("movq %%rsp, %0" : "=r"(landed_sp));
    for (;;) {
        ticks++;
        L4_Yield();
    }
}

static void yield_n(int n)
{
    while (n--) {
        L4_Yield();
    }
}

TEST(exregs, halt_and_resume)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    yield_n(3);
    exr_t o = exr(t, CTL_H | 1, 0, 0, 0, 0, L4_nilthread);          /* halt */
    CHECK_EQ(o.ctl & 1, 0);                                         /* was not halted */
    unsigned long frozen = ticks;
    yield_n(20);
    CHECK_EQ(ticks, frozen);                                        /* it stopped */
    o = exr(t, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK_EQ(o.ctl & 1, 1);                                         /* state word: halted */
    CHECK_EQ(o.ctl & ~7UL, 0);
    o = exr(t, CTL_H, 0, 0, 0, 0, L4_nilthread);                    /* resume */
    CHECK_EQ(o.ctl & 1, 1);
    yield_n(5);
    CHECK(ticks > frozen);
    CHECK_EQ(exr(t, 0, 0, 0, 0, 0, L4_nilthread).ctl & 1, 0);
    test_kill_thread(t);
}

TEST(exregs, h_without_H_is_ignored)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    exr(t, 1, 0, 0, 0, 0, L4_nilthread);
    unsigned long before = ticks;
    yield_n(5);
    CHECK(ticks > before);
    test_kill_thread(t);
}

TEST(exregs, set_sp_and_ip)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    yield_n(2);
    L4_Word_t sp = (L4_Word_t)&alt_stack[sizeof(alt_stack)] - 8;
    landed_sp = 0;
    exr_t o = exr(t, CTL_S | CTL_I, sp, (L4_Word_t)landing, 0, 0, L4_nilthread);
    CHECK(o.ip != 0 && o.ip != (L4_Word_t)landing);                /* old values */
    CHECK(o.sp != sp && o.sp != 0);
    yield_n(3);
    CHECK(landed_sp != 0);
    CHECK(landed_sp <= sp && landed_sp > sp - 256);                 /* runs on the new stack */
    o = exr(t, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK(o.sp <= sp && o.sp > sp - 4096);
    test_kill_thread(t);
}

TEST(exregs, flags_limited_to_arithmetic)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    exr(t, CTL_H | 1, 0, 0, 0, 0, L4_nilthread);
    exr_t o = exr(t, CTL_F, 0, 0, ~0UL, 0, L4_nilthread);
    L4_Word_t orig = o.flags;
    CHECK(orig & RFLAGS_IF);
    o = exr(t, CTL_F, 0, 0, 0, 0, L4_nilthread);
    CHECK_EQ(o.flags, orig | RFLAGS_ARITH);                         /* only CF..OF set */
    CHECK_EQ(o.flags & (RFLAGS_TF | RFLAGS_DF), 0);
    CHECK_EQ(o.flags & RFLAGS_IOPL, orig & RFLAGS_IOPL);
    o = exr(t, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK_EQ(o.flags, orig & ~RFLAGS_ARITH);                        /* IF, IOPL survive */
    exr(t, CTL_H, 0, 0, 0, 0, L4_nilthread);
    unsigned long before = ticks;
    yield_n(3);
    CHECK(ticks > before);                                          /* still runs fine */
    test_kill_thread(t);
}

TEST(exregs, user_handle_and_pager_old_values_first)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    L4_ThreadId_t p1 = L4_GlobalId(0x777, 3), p2 = L4_GlobalId(0x778, 9);
    L4_ThreadId_t orig_pager = L4_PagerOf(t);
    exr_t o = exr(t, CTL_U | CTL_P, 0, 0, 0, 0x1234, p1);
    CHECK_EQ(o.handle, 0);
    CHECK_EQ(o.pager.raw, orig_pager.raw);
    o = exr(t, CTL_U | CTL_P, 0, 0, 0, 0x5678, p2);
    CHECK_EQ(o.handle, 0x1234);                                     /* read before the change */
    CHECK_EQ(o.pager.raw, p1.raw);
    CHECK_EQ(L4_UserDefinedHandleOf(t), 0x5678);
    CHECK_EQ(L4_PagerOf(t).raw, p2.raw);
    exr(t, CTL_P, 0, 0, 0, 0, orig_pager);
    test_kill_thread(t);
}

TEST(exregs, d_bit_and_plain_read_deliver_the_same)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    exr(t, CTL_H | 1 | CTL_U, 0, 0, 0, 0xAB, L4_nilthread);
    exr_t a = exr(t, CTL_D, 0, 0, 0, 0, L4_nilthread);
    exr_t b = exr(t, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK_EQ(a.ctl, b.ctl);
    CHECK_EQ(a.sp, b.sp);
    CHECK_EQ(a.ip, b.ip);
    CHECK_EQ(a.flags, b.flags);
    CHECK_EQ(a.handle, 0xAB);
    CHECK_EQ(b.handle, 0xAB);
    CHECK_EQ(a.pager.raw, b.pager.raw);
    test_kill_thread(t);
}

TEST(exregs, global_in_local_out_and_back)
{
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    exr_t o = exr(t, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK(L4_IsLocalId(o.result));
    CHECK_EQ(o.result.raw & 0x3FF, 512);                            /* UTCB + 512 */
    exr_t p = exr(o.result, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK_EQ(p.result.raw, t.raw);
    CHECK_EQ(p.sp, o.sp);
    CHECK_EQ(L4_GlobalIdOf(L4_MyLocalId()).raw, L4_Myself().raw);
    test_kill_thread(t);
}

static void check_refused(L4_ThreadId_t t, int *ok)
{
    exr_t o = exr(t, CTL_U | CTL_H | 1, 0, 0, 0, 0x99, L4_nilthread);
    *ok = L4_IsNilThread(o.result) && L4_ErrorCode() == L4_ErrInvalidThread && o.ctl == 0 &&
          o.sp == 0 && o.ip == 0 && o.flags == 0 && o.handle == 0 && L4_IsNilThread(o.pager);
}

TEST(exregs, refuses_nonexistent_and_stale_ids)
{
    int ok;
    check_refused(L4_GlobalId(0x12345, 1), &ok);
    CHECK(ok);
    L4_ThreadId_t t = test_start_thread(counter);
    CHECK(!L4_IsNilThread(t));
    check_refused(L4_GlobalId(L4_ThreadNo(t), L4_Version(t) + 64), &ok);
    CHECK(ok);
    check_refused(L4_anythread, &ok);
    CHECK(ok);
    check_refused(L4_anylocalthread, &ok);
    CHECK(ok);
    check_refused((L4_ThreadId_t){ .raw = L4_MyLocalId().raw + 0x40000 }, &ok);
    CHECK(ok);
    test_kill_thread(t);
}

TEST(exregs, refuses_inactive_thread)
{
    L4_Word_t utcb;
    int ok;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    check_refused(t, &ok);
    CHECK(ok);
    check_refused((L4_ThreadId_t){ .raw = utcb + 512 }, &ok);      /* its future local id */
    CHECK(ok);
    test_kill_thread(t);
}

TEST(exregs, refuses_thread_of_another_space)
{
    L4_Word_t unused, ctl;
    int ok;
    L4_ThreadId_t t = test_new_tid(&unused);
    CHECK_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1), 1);
    CHECK_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(0xBFF00000UL, 12),
                             L4_FpageLog2(0xBF000000UL, 12), L4_nilthread, &ctl), 1);
    CHECK_EQ(L4_ThreadControl(t, t, L4_nilthread, L4_Myself(), (void *)0xBF000000UL), 1);
    check_refused(t, &ok);
    CHECK(ok);
    test_kill_thread(t);
}

TEST(exregs, start_up_wait_reads_as_receiving)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb), 1);
    exr_t o = exr(t, 0, 0, 0, 0, 0, L4_nilthread);
    CHECK_EQ(o.ctl, 2);                                             /* R, not halted */
    CHECK_EQ(o.pager.raw, L4_Myself().raw);
    test_kill_thread(t);
}

TEST(exregs, start_with_sp_ip_ends_start_up_wait)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Pager(), (void *)utcb), 1);
    L4_Set_Priority(t, 255);
    landed_sp = 0;
    L4_Word_t sp = (L4_Word_t)&alt_stack[sizeof(alt_stack)] - 8;
    L4_Start_SpIp(t, sp, (L4_Word_t)landing);
    yield_n(3);
    CHECK(landed_sp != 0);
    CHECK_EQ(exr(t, 0, 0, 0, 0, 0, L4_nilthread).ctl & 2, 0);       /* no longer receiving */
    test_kill_thread(t);
}

TEST(exregs, applied_to_oneself)
{
    L4_Word_t old = L4_UserDefinedHandle();
    exr_t o = exr(L4_Myself(), CTL_U, 0, 0, 0, 0xFEED, L4_nilthread);
    CHECK_EQ(o.handle, old);
    CHECK_EQ(L4_UserDefinedHandle(), 0xFEED);
    CHECK_EQ(o.ctl, 0);                                             /* running */
    CHECK(L4_IsLocalId(o.result));
    L4_Set_UserDefinedHandle(old);
}

L4_Word_t given_sp;

TEST(exregs, own_ip_and_sp_take_effect_on_return)
{
    /* With S and i on itself the call "returns" to the new IP and SP. */
    register L4_Word_t rax __asm__("rax") = L4_MyLocalId().raw;
    register L4_Word_t rsi __asm__("rsi") = CTL_S | CTL_I;
    register L4_Word_t r9 __asm__("r9") = 0;
    register L4_Word_t r10 __asm__("r10") = 0;
    register L4_Word_t rdi __asm__("rdi") = 0;
    L4_Word_t how, sp_before, sp_after;
    __asm__ volatile("subq $128, %%rsp\n\t"
                     "pushq %%rbp\n\t"
                     "movq %%rsp, %%rdx\n\t"
                     "movq %%rsp, given_sp(%%rip)\n\t"
                     "leaq 1f(%%rip), %%r8\n\t"
                     "call *__L4_ExchangeRegisters(%%rip)\n\t"
                     "movq $2, %%rcx\n\t"
                     "jmp 2f\n"
                     "1:\tmovq $1, %%rcx\n"
                     "2:\tmovq %%rsp, %%rbx\n\t"
                     "popq %%rbp\n\t"
                     "addq $128, %%rsp"
                     : "=c"(how), "=b"(sp_after), "+r"(rax), "+r"(rsi), "+r"(r9), "+r"(r10),
                       "+r"(rdi), "=&d"(sp_before)
                     :
                     : "r8", "r11", "r12", "r13", "r14", "r15", "memory", "cc");
    CHECK_EQ(how, 1);                       /* resumed at the new IP */
    CHECK_EQ(sp_after, given_sp);           /* with the new SP */
    CHECK_EQ(sp_before, given_sp - 8);      /* old SP: inside the stub call */
    CHECK_EQ(rax, L4_Myself().raw);         /* local id given: global id back */
}
