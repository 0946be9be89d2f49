/* SPDX-License-Identifier: BSD-2-Clause */
/* Hostile use of threads, scheduling and ExchangeRegisters: what a program
 * can do to the kernel through its own register state and thread control. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/ipc.h>
#include <l4/sigma0.h>

#define TOP_PAGE 0x7FFFFFFFF000UL

static unsigned char *scratch;
static volatile int ki_returned;

/* KernelInterface ("lock; nop") in the last two bytes below 2^47: the
 * instruction after it would lie at the first non-canonical address. */
static void kernel_interface_at_top(void)
{
    volatile unsigned char *p = (volatile unsigned char *)(TOP_PAGE + 0xFFE);
    p[0] = 0xF0;
    p[1] = 0x90;
    ((void (*)(void))p)();
    ki_returned = 1;
}

static L4_ThreadId_t victim;

static int victim_stopped(void)
{
    L4_Word_t old;
    return (L4_Schedule(victim, ~0UL, ~0UL, ~0UL, ~0UL, &old) & 0xFF) == 2;
}

TEST(threadhostile, kernel_interface_at_top_of_user_area)
{
    ki_returned = 0;
    if (!scratch) {
        scratch = test_alloc(12);
    }
    CHECK(scratch);
    CHECK(!L4_IsNilThread(test_pager_start()));
    test_pager_log.scratch = (L4_Word_t)scratch;
    test_pager_log.scratch_rights = L4_FullyAccessible;
    victim = test_start_space_thread(kernel_interface_at_top);
    CHECK(!L4_IsNilThread(victim));
    /* The kernel survives; the thread faults on its next fetch and stops. */
    int stopped = test_wait_until(victim_stopped, 2000);
    test_kill_thread(victim);
    test_pager_log.scratch = 0;
    test_pager_stop();
    CHECK(stopped);
    CHECK(!ki_returned);
}

#define RTC_LINE 8
#define RTC_PORTS L4_IoFpageLog2(0x70, 1)

static void cmos_write(unsigned char reg, unsigned char v)
{
    __asm__ volatile("outb %0, $0x70" ::"a"((unsigned char)(reg | 0x80)));
    __asm__ volatile("outb %0, $0x71" ::"a"(v));
}

static unsigned char cmos_read(unsigned char reg)
{
    unsigned char v;
    __asm__ volatile("outb %0, $0x70" ::"a"((unsigned char)(reg | 0x80)));
    __asm__ volatile("inb $0x71, %0" : "=a"(v));
    return v;
}

static void sleeper(void)
{
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

/* The handler of a line is deleted while an interrupt it never received is
 * pending: a handler associated afterwards gets the next interrupts. */
TEST(threadhostile, handler_deleted_with_interrupt_pending)
{
    CHECK(test_have_iopl() || L4_Sigma0_GetPage(L4_nilthread, RTC_PORTS).raw == RTC_PORTS.raw);
    L4_ThreadId_t irq = L4_GlobalId(RTC_LINE, 1);
    L4_ThreadId_t h = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(h));
    int associated = L4_AssociateInterrupt(irq, h);
    (void)cmos_read(0x0C);
    cmos_write(0x0B, (unsigned char)(cmos_read(0x0B) | 0x40));      /* periodic on */
    L4_Sleep(L4_TimePeriod(20000));             /* an interrupt waits for h */
    test_kill_thread(h);
    (void)cmos_read(0x0C);
    int reassociated = L4_AssociateInterrupt(irq, L4_Myself());
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(500000), &from);
    int got = L4_IpcSucceeded(tag) && from.raw == irq.raw;
    cmos_write(0x0B, (unsigned char)(cmos_read(0x0B) & ~0x40));
    (void)cmos_read(0x0C);
    if (got) {
        L4_LoadMR(0, 0);
        L4_Reply(irq);
    }
    L4_DeassociateInterrupt(irq);
    if (!test_have_iopl()) {
        L4_Flush(RTC_PORTS);
    }
    CHECK(associated);
    CHECK(reassociated);
    CHECK(got);
}
