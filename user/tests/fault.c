/* SPDX-License-Identifier: BSD-2-Clause */
/* A faulting user thread with no pager and no exception handler is stopped
 * and reported; the kernel, the root task and other threads carry on. */
#include "suite.h"
#include <l4/thread.h>
#include <l4/schedule.h>

static L4_ThreadId_t victim;
static volatile unsigned long ticks;
static volatile int reached_after_fault;

static int victim_halted(void)
{
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(victim, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle,
                         &pager);
    return (ctl & 1) != 0;
}

static void counter(void)
{
    for (;;) {
        ticks++;
        L4_Yield();
    }
}

static void run_faulting(void (*fn)(void))
{
    reached_after_fault = 0;
    L4_ThreadId_t bystander = test_start_thread(counter);
    CHECK(!L4_IsNilThread(bystander));
    victim = test_start_thread_pager(fn, L4_nilthread);
    int halted = !L4_IsNilThread(victim) && test_wait_until(victim_halted, 2000);
    unsigned long before = ticks;
    for (int i = 0; i < 10; i++) {
        L4_Yield();
    }
    int others_ran = ticks > before;
    test_kill_thread(victim);
    test_kill_thread(bystander);
    CHECK(halted);
    CHECK(others_ran);                          /* the other thread still runs */
    CHECK(!reached_after_fault);
}

static void kernel_read(void)
{
    reached_after_fault = *(volatile int *)0xFFFFFFFF80100000UL;
    reached_after_fault = 1;
}

static void kernel_write(void)
{
    *(volatile int *)0xFFFF800000100000UL = 1;
    reached_after_fault = 1;
}

static void noncanonical(void)
{
    *(volatile int *)0x0000900000000000UL = 1;
    reached_after_fault = 1;
}

static void kip_write(void)
{
    *(volatile L4_Word_t *)0xBFF00000UL = 0;
    reached_after_fault = 1;
}

static void undefined_opcode(void)
{
    __asm__ volatile("ud2");
    reached_after_fault = 1;
}

static void divide_by_zero(void)
{
    volatile int zero = 0;
    reached_after_fault = 10 / zero;
    reached_after_fault = 1;
}

static void software_interrupt(void)
{
    __asm__ volatile("int $0x80");
    reached_after_fault = 1;
}

static void stray_syscall(void)
{
    __asm__ volatile("syscall" ::: "rcx", "r11", "memory");
    reached_after_fault = 1;
}

static void privileged_instruction(void)
{
    __asm__ volatile("cli; hlt");
    reached_after_fault = 1;
}

static void port_io(void)
{
    /* IOPL 0 by default: direct port access is refused. */
    __asm__ volatile("outb %%al, $0x80" ::"a"(0));
    reached_after_fault = 1;
}

TEST(fault, kernel_read) { run_faulting(kernel_read); }
TEST(fault, kernel_write) { run_faulting(kernel_write); }
TEST(fault, noncanonical_address) { run_faulting(noncanonical); }
TEST(fault, kip_write) { run_faulting(kip_write); }
TEST(fault, undefined_opcode) { run_faulting(undefined_opcode); }
TEST(fault, divide_by_zero) { run_faulting(divide_by_zero); }
TEST(fault, software_interrupt) { run_faulting(software_interrupt); }
TEST(fault, syscall_outside_stubs) { run_faulting(stray_syscall); }
TEST(fault, privileged_instruction) { run_faulting(privileged_instruction); }
TEST(fault, port_io_without_iopl)
{
    if (test_have_iopl()) {
        test_skip("booted with iopl=3");
        return;
    }
    run_faulting(port_io);
}
