/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-CPU initialisation for x86-64.
 *
 * SYSCALL/SYSRET: STAR selects the kernel CS (0x08) and the user segment base
 * (0x18, giving CS 0x2B and SS 0x23 on SYSRET); SFMASK clears IF, DF, TF, AC
 * and NT on entry so the kernel runs with interrupts off.  CR4.TSD stays clear
 * so user code may execute RDTSC.
 */
#include <arch/init.h>
#include <arch/cpu.h>
#include <arch/cpulocal.h>
#include <arch/gdt.h>
#include <arch/idt.h>
#include <arch/segments.h>
#include <arch/apic.h>
#include <arch/pgtable.h>
#include <arch/fpu.h>
#include <arch/space.h>
#include <arch/pat.h>
#include <plat/platform.h>
#include <plat/irq.h>
#include <kernel/kip.h>
#include <kernel/console.h>
#include <mode/layout.h>

#define SFMASK_BITS 0x47700UL   /* AC, NT, DF, IF, TF */

extern void syscall_entry(void);
extern char _user_stubs_start[];

/* Per CPU: the kernel's cpu_local_t (%gs in kernel mode), and in the next
 * page what %gs points to in user mode, mapped read-only into the user
 * window; its word 0 is the current UTCB pointer. */
typedef struct {
    cpu_local_t local;
    uint8_t pad[PAGE_SIZE - sizeof(cpu_local_t)];
    word_t user_page[PAGE_SIZE / sizeof(word_t)];
} ALIGNED(PAGE_SIZE) cpu_block_t;

_Static_assert(offsetof(cpu_block_t, user_page) == CPU_USER_UTCBPTR, "user page follows");

static cpu_block_t cpu0_block;
#define cpu0 (cpu0_block.local)

void arch_init_cpu(void)
{
    gdt_init();
    idt_init();
    cpu0.self = &cpu0;
    cpu0.id = 0;
    cpu0.ipc_ret = USER_STUBS_VA + KIP_SC_IPC * STUB_SLOT_SIZE + STUB_SYSCALL_LEN;
    cpu0.lipc_ret = cpu0.ipc_ret + STUB_SLOT_SIZE;
    cpu0.user_gs = USER_UTCBPTR_VA + cpu0.id * PAGE_SIZE;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, cpu0.user_gs);

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 & ~3) << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_SFMASK, SFMASK_BITS);

    write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE);
    write_cr4((read_cr4() & ~CR4_TSD) | CR4_OSFXSR | CR4_OSXMMEXCPT);
    fpu_init();
    pat_init();
    plat_pic_disable();
}

void arch_init_late(void)
{
    pgt_user_window_init(virt_to_phys(_user_stubs_start), virt_to_phys(cpu0_block.user_page));
    apic_init();
    plat_irq_init();
    io_space_init();
}
