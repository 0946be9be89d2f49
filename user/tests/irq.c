/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupts as IPC: association through ThreadControl, delivery of a real
 * device interrupt (the CMOS RTC's periodic interrupt, line 8) as a message
 * from the interrupt thread, acknowledgement, and detaching.
 *
 * Programming the RTC needs its ports 0x70/0x71: they come from sigma0 as
 * an IO fpage (docs/io.md).  The harness's second boot with the kernel
 * option iopl=3, where every port is open anyway, runs these cases again as
 * a compatibility check. */
#include "suite.h"
#include <l4/thread.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/space.h>
#include <l4/sigma0.h>

#define RTC_LINE 8
#define RTC_PORTS L4_IoFpageLog2(0x70, 1)

/* Get the RTC's ports from sigma0 (not needed with iopl=3). */
static int rtc_ports(void)
{
    return test_have_iopl() ||
           L4_Sigma0_GetPage(L4_nilthread, RTC_PORTS).raw == RTC_PORTS.raw;
}

static void rtc_ports_release(void)
{
    if (!test_have_iopl()) {
        L4_Flush(RTC_PORTS);
    }
}

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

static L4_ThreadId_t irq_id(unsigned line)
{
    return L4_GlobalId(line, 1);
}

TEST(irq, associate_errors)
{
    /* Nonexistent handler, line 0 (cascade), wrong version, no such line. */
    CHECK(!L4_AssociateInterrupt(irq_id(RTC_LINE), L4_GlobalId(L4_ThreadNo(L4_Myself()) + 200, 1)));
    CHECK_EQ(L4_ErrorCode(), 2);
    CHECK(!L4_AssociateInterrupt(irq_id(0), L4_Myself()));
    CHECK_EQ(L4_ErrorCode(), 2);
    CHECK(!L4_AssociateInterrupt(L4_GlobalId(RTC_LINE, 2), L4_Myself()));
    CHECK_EQ(L4_ErrorCode(), 2);
    L4_Word_t lines = L4_ThreadIdSystemBase(test_kip());
    CHECK(!L4_AssociateInterrupt(irq_id((unsigned)lines - 1), L4_Myself()));
    CHECK_EQ(L4_ErrorCode(), 2);
    /* Detaching a line nobody owns fails as well. */
    CHECK(!L4_DeassociateInterrupt(irq_id(RTC_LINE)));
}

TEST(irq, no_message_while_detached)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(irq_id(RTC_LINE), L4_TimePeriod(2000));
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(L4_ErrorCode() & 0xF, 0x3);        /* receive timeout */
}

TEST(irq, rtc_periodic_delivery)
{
    CHECK(rtc_ports());
    L4_ThreadId_t irq = irq_id(RTC_LINE);
    CHECK(L4_AssociateInterrupt(irq, L4_Myself()));
    (void)cmos_read(0x0C);                      /* clear a stale flag */
    cmos_write(0x0B, (unsigned char)(cmos_read(0x0B) | 0x40));    /* periodic on */
    int got = 0;
    for (int i = 0; i < 3; i++) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(500000), &from);
        if (L4_IpcFailed(tag)) {
            break;
        }
        CHECK_EQ(from.raw, irq.raw);
        CHECK_EQ(tag.raw & ~((1UL << 20) - 1), (L4_Word_t)-1 << 20);
        CHECK_EQ(L4_UntypedWords(tag) + L4_TypedWords(tag), 0);
        (void)cmos_read(0x0C);                  /* acknowledge at the device */
        L4_LoadMR(0, 0);
        CHECK(L4_IpcSucceeded(L4_Reply(irq)));  /* acknowledge the line */
        got++;
    }
    cmos_write(0x0B, (unsigned char)(cmos_read(0x0B) & ~0x40));
    (void)cmos_read(0x0C);
    rtc_ports_release();
    CHECK(L4_DeassociateInterrupt(irq));
    CHECK_EQ(got, 3);
}

TEST(irq, only_handler_acknowledges)
{
    /* A send to an interrupt thread from a thread that is not its handler
     * fails with non-existing partner. */
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Reply(irq_id(RTC_LINE));
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(L4_ErrorCode() & 0xF, 0x4);        /* send phase, no partner */
}

TEST(irq, schedule_only_when_associated)
{
    /* Interrupt threads can be scheduled once a handler is attached; idle,
     * they report the "halted" state (2), as l4test expects. */
    L4_ThreadId_t irq = irq_id(3);
    CHECK_EQ(L4_Set_Priority(irq, 200), 0);
    CHECK_EQ(L4_ErrorCode(), 2);
    CHECK(L4_AssociateInterrupt(irq, L4_Myself()));
    L4_Word_t state = L4_Set_Priority(irq, 200);
    L4_Set_Priority(irq, 255);                  /* back to where interrupt threads start */
    CHECK(L4_DeassociateInterrupt(irq));
    CHECK_EQ(state, 2);
    CHECK_EQ(L4_Set_Priority(irq, 200), 0);
}
