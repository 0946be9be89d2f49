/* SPDX-License-Identifier: BSD-2-Clause */
/* C side of exception and interrupt entry on x86-64.
 *
 * Faults from kernel mode are fatal (except faults inside the user-copy
 * routines, which their fixups absorb) and print a full register report.
 * Events from user mode are classified and handed to the generic kernel:
 * page faults, IO page faults (#GP on a denied port), exceptions,
 * KernelInterface (#UD on "lock; nop"), the kernel debugger (int3), lazy FPU
 * switching (#NM) and device interrupts.
 */
#include <arch/cpu.h>
#include <arch/idt.h>
#include <arch/apic.h>
#include <arch/fpu.h>
#include <arch/uaccess.h>
#include <arch/io.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <kernel/fault.h>
#include <kernel/kdb.h>
#include <kernel/irq.h>
#include <kernel/syscall.h>
#include <kernel/tcb.h>
#include <mode/frame.h>
#include <mode/layout.h>

void c_handle_trap(frame_t *f);

/* Non-canonical addresses: [2^47, 2^64 - 2^47). */
#define NONCANONICAL_SPAN (_UL(0) - 2 * USER_AREA_END)
void arch_kdebug_trap(frame_t *f);

extern const struct extable_entry {
    word_t insn, fixup;
} _extable_start[], _extable_end[];

static const char *const vector_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualization",
    "#CP control protection",
};

const char *arch_vector_name(word_t v)
{
    return v < 32 && vector_names[v] ? vector_names[v] : "exception";
}

bool uaccess_fixup(word_t *rip)
{
    for (const struct extable_entry *e = _extable_start; e < _extable_end; e++) {
        if (e->insn == *rip) {
            *rip = e->fixup;
            return true;
        }
    }
    return false;
}

void arch_dump_frame(const frame_t *f)
{
    printk("  rip %016lx rsp %016lx rflags %016lx cs %lx ss %lx\n", f->rip, f->rsp,
           f->rflags, f->cs, f->ss);
    printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    printk("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    printk("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    printk("  r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n", f->r13, f->r14, f->r15,
           read_cr2());
}

static NORETURN void kernel_fault(frame_t *f)
{
    printk("\nkernel exception: vector %lu (%s), error code %lx\n", f->vector,
           arch_vector_name(f->vector), f->error);
    arch_dump_frame(f);
    tcb_t *cur = sched_current();
    printk("  current thread %lx (%s)\n", cur ? cur->id : 0UL,
           cur && cur->name ? cur->name : "-");
    panic("unrecoverable exception in the kernel");
}

/* X.2 page-fault access bits from the x86 error code. */
static unsigned pf_access(word_t error)
{
    if (error & BIT(4)) {
        return 1;       /* instruction fetch: x */
    }
    return (error & BIT(1)) ? 2 : 4;
}

static bool is_kernel_interface(const frame_t *f)
{
    uint8_t insn[2];
    return copy_from_user(insn, f->rip, 2) == 0 && insn[0] == 0xF0 && insn[1] == 0x90;
}

static void handle_trap(frame_t *f)
{
    word_t v = f->vector;
    if (v >= VEC_IRQ_BASE) {
        if (v == VEC_TIMER) {
            tcb_t *cur = sched_current();
            apic_eoi();
            sched_tick();
            /* Back on cur's stack: deliver what the tick decided for it. */
            if (frame_from_user(f) && cur->quantum_expired) {
                fault_preemption(cur);
            }
        } else if (v != VEC_SPURIOUS) {
            apic_eoi();
            irq_raise((unsigned)(v - VEC_IRQ_BASE));
        }
        return;
    }
    if (!frame_from_user(f)) {
        if (v == VEC_PF && uaccess_fixup(&f->rip)) {
            return;
        }
        kernel_fault(f);
    }
    tcb_t *cur = sched_current();
    switch (v) {
    case VEC_PF:
        fault_page(cur, read_cr2(), f->rip, pf_access(f->error));
        return;
    case VEC_NM:
        fpu_trap(cur);
        return;
    case VEC_BP:
        arch_kdebug_trap(f);
        return;
    case VEC_GP:
        if (io_fault(cur, f)) {
            return;             /* IO page fault handled: re-execute */
        }
        break;
    case VEC_UD:
        if (is_kernel_interface(f)) {
            syscall_kernel_interface(cur, f);
            return;
        }
        break;
    default:
        break;
    }
    fault_exception(cur, v, f->error);
}

/* IRETQ to a non-canonical RIP faults in the kernel on hardware (QEMU's
 * TCG does not check).  A trap or interrupt after an instruction ending
 * at 2^47 - 1 (KernelInterface, int3, a single step, a timer tick) leaves
 * such a RIP: it is delivered as the #GP the next fetch would raise.  The
 * exception reply and ExchangeRegisters only set canonical addresses. */
void c_handle_trap(frame_t *f)
{
    handle_trap(f);
    while (frame_from_user(f) && f->rip - USER_AREA_END < NONCANONICAL_SPAN) {
        fault_exception(sched_current(), VEC_GP, 0);
    }
}
