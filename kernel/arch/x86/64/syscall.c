/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 system-call glue: decode the AMD64 register conventions, call the
 * generic implementation, encode the results.
 *
 * The stub slot that issued SYSCALL (the return address in RCX lies just
 * after the slot's SYSCALL) selects the call; slots follow the KIP order of
 * system-call entries.
 */
#include <kernel/syscall.h>
#include <kernel/sched.h>
#include <kernel/fault.h>
#include <kernel/kip.h>
#include <kernel/space.h>
#include <kernel/console.h>
#include <kernel/ipc.h>
#include <arch/idt.h>
#include <mode/frame.h>
#include <mode/layout.h>


void c_handle_syscall(frame_t *f);

/* entry.S recognises the Ipc and Lipc stubs by these slot numbers; stubs.S
 * gives MemoryControl's slot its prefix. */
_Static_assert(KIP_SC_IPC == 4 && KIP_SC_LIPC == 5, "IPC stub slots");
_Static_assert(KIP_SC_MEMORY_CONTROL == 3, "MemoryControl stub slot");

typedef void (*syscall_fn_t)(tcb_t *self, frame_t *f);

static void sc_system_clock(tcb_t *self, frame_t *f)
{
    (void)self;
    f->rax = sys_system_clock();
}

static void sc_thread_switch(tcb_t *self, frame_t *f)
{
    sys_thread_switch(self, f->rdi);
}

static void sc_thread_control(tcb_t *self, frame_t *f)
{
    f->rax = sys_thread_control(self, f->rdi, f->r8, f->rdx, f->rsi, f->r9);
}

static void sc_space_control(tcb_t *self, frame_t *f)
{
    word_t old;
    f->rax = sys_space_control(self, f->rdi, f->rsi, f->rdx, f->r8, f->r9, &old);
    f->rdx = old;
}

static void sc_exchange_registers(tcb_t *self, frame_t *f)
{
    exregs_t io = { f->rsi, f->rdx, f->r8, f->r9, f->r10, f->rdi };
    word_t result = sys_exchange_registers(self, f->rax, &io);
    /* Applying S/i to oneself changed f; the outputs go on top. */
    f->rax = result;
    f->rsi = io.control;
    f->rdx = io.sp;
    f->r8 = io.ip;
    f->r9 = io.flags;
    f->r10 = io.user_handle;
    f->rdi = io.pager;
}

static void sc_schedule(tcb_t *self, frame_t *f)
{
    word_t old;
    f->rax = sys_schedule(self, f->rdi, f->rdx, f->r8, f->rsi, f->r9, &old);
    f->rdx = old;
}

static void sc_processor_control(tcb_t *self, frame_t *f)
{
    f->rax = sys_processor_control(self, f->rdi, f->rsi, f->rdx, f->r8);
}

/* MemoryControl: the stub moved attribute0 (RCX) to RAX and attribute3
 * (R11) to RBX; MR0..MRk are read from the UTCB, never from registers
 * (syscalls.md §11).  Out: RDX = result, RAX = MR1, RSI = RDI = the UTCB
 * pointer, from which the stub reloads RCX = MR0. */
static void sc_memory_control(tcb_t *self, frame_t *f)
{
    const word_t attributes[4] = { f->rax, f->rsi, f->r8, f->rbx };
    f->rdx = sys_memory_control(self, f->rdx, attributes);
    f->rax = utcb_mr(self->utcb, 1);
    f->rsi = f->rdi = tcb_local_id(self);
}

/* MR0..MR7 travel in R9, RAX, RBX, R10, R12, R13, R14, R15 (ABI).  They
 * are stored into the UTCB on entry and loaded from it on exit, so the
 * generic IPC code works on the UTCB alone. */
static void mrs_to_utcb(frame_t *f, utcb_t *u)
{
    word_t *mr = utcb_p(u);
    mr[0] = f->r9;
    mr[1] = f->rax;
    mr[2] = f->rbx;
    mr[3] = f->r10;
    mr[4] = f->r12;
    mr[5] = f->r13;
    mr[6] = f->r14;
    mr[7] = f->r15;
}

static void utcb_to_mrs(frame_t *f, utcb_t *u)
{
    const word_t *mr = utcb_p(u);
    f->r9 = mr[0];
    f->rax = mr[1];
    f->rbx = mr[2];
    f->r10 = mr[3];
    f->r12 = mr[4];
    f->r13 = mr[5];
    f->r14 = mr[6];
    f->r15 = mr[7];
}

static void sc_ipc(tcb_t *self, frame_t *f)
{
    threadid_t from;
    mrs_to_utcb(f, self->utcb);
    sys_ipc(self, f->rsi, f->rdx, f->r8, &from);
    utcb_to_mrs(f, self->utcb);
    f->rsi = from;
    f->rdi = tcb_local_id(self);
}

void c_ipc_resume(frame_t *f);

/* A user Ipc that blocked is finished here when its thread runs again. */
void c_ipc_resume(frame_t *f)
{
    tcb_t *self = sched_current();
    threadid_t from;
    ipc_resume(self, &from);
    utcb_to_mrs(f, self->utcb);
    f->rsi = from;
    f->rdi = tcb_local_id(self);
    sched_leave_kernel();
}

/* Unmap: control in RDX, MR0..MR7 in the IPC registers both ways. */
static void sc_unmap(tcb_t *self, frame_t *f)
{
    mrs_to_utcb(f, self->utcb);
    sys_unmap(self, f->rdx);
    utcb_to_mrs(f, self->utcb);
    f->rdi = tcb_local_id(self);
}

static const syscall_fn_t syscall_table[KIP_SC_COUNT] = {
    [KIP_SC_SPACE_CONTROL] = sc_space_control,
    [KIP_SC_THREAD_CONTROL] = sc_thread_control,
    [KIP_SC_PROCESSOR_CONTROL] = sc_processor_control,
    [KIP_SC_MEMORY_CONTROL] = sc_memory_control,
    [KIP_SC_IPC] = sc_ipc,
    [KIP_SC_LIPC] = sc_ipc,
    [KIP_SC_UNMAP] = sc_unmap,
    [KIP_SC_EXCHANGE_REGISTERS] = sc_exchange_registers,
    [KIP_SC_SYSTEM_CLOCK] = sc_system_clock,
    [KIP_SC_THREAD_SWITCH] = sc_thread_switch,
    [KIP_SC_SCHEDULE] = sc_schedule,
};

void c_handle_syscall(frame_t *f)
{
    tcb_t *self = sched_current();
    word_t off = f->rcx - USER_STUBS_VA;
    word_t slot = off / STUB_SLOT_SIZE;
    word_t end = STUB_SYSCALL_LEN + (slot == KIP_SC_MEMORY_CONTROL ? STUB_MEMCTL_PREFIX : 0);
    if (slot >= KIP_SC_COUNT || off % STUB_SLOT_SIZE != end) {
        /* SYSCALL outside the stubs: an invalid-opcode exception. */
        f->rip = f->rcx - STUB_SYSCALL_LEN;
        fault_exception(self, VEC_UD, 0);
        return;
    }
    syscall_table[slot](self, f);
    sched_leave_kernel();
}

void syscall_kernel_interface(tcb_t *t, frame_t *f)
{
    f->rax = fpage_base(t->space->kip_area);
    f->rcx = kip.api_version;
    f->rdx = kip.api_flags;
    f->rsi = *(word_t *)((char *)&kip + kip.kernel_desc_ptr);
    f->rip += 2;
}
