/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/amd64/syscalls.h — amd64 system-call wrappers (stub calls via the KIP) */
#ifndef L4_AMD64_SYSCALLS_H
#define L4_AMD64_SYSCALLS_H

#include <l4/types.h>
#include <l4/amd64/vregs.h>

/*
 * Entry-stub addresses, copied from KIP words 52..62 by __L4_Init()
 * (user/lib/l4/init.c).  The wrappers below call through them.
 */
typedef void (*__L4_Syscall_t)(void);
extern __L4_Syscall_t __L4_Ipc, __L4_Lipc, __L4_Unmap, __L4_Schedule,
    __L4_ThreadSwitch, __L4_SystemClock, __L4_ExchangeRegisters,
    __L4_ThreadControl, __L4_SpaceControl, __L4_ProcessorControl,
    __L4_MemoryControl;

/** Fills the stub pointers above from the KIP; crt0 calls it before main(). */
void __L4_Init(void);

/*
 * Calling a stub from inline asm (syscalls.md §0.1).  The `call` pushes a
 * return address just below RSP, i.e. into the 128-byte red zone that the
 * amd64 ABI lets the *enclosing* function use for live data without moving
 * RSP.  The wrappers therefore step over the red zone first, so user code
 * may be compiled with the default red zone (as Pistachio programs are).
 * RBP may be destroyed by a stub, so it is saved around the call instead
 * of being declared clobbered (it may be the frame pointer).  The stub
 * pointer is read RIP-relative, leaving every register to the operands.
 */
#define __L4_STUB_CALL(entry)                                                  \
    "subq $128, %%rsp\n\t"                                                     \
    "pushq %%rbp\n\t"                                                          \
    "call *" #entry "(%%rip)\n\t"                                              \
    "popq %%rbp\n\t"                                                           \
    "addq $128, %%rsp"

/**
 * KernelInterface (`lock; nop`): returns the KIP address and stores API
 * version, API flags and kernel id through the non-NULL pointers.
 */
L4_INLINE void *L4_KernelInterface(L4_Word_t *ApiVersion, L4_Word_t *ApiFlags,
                                   L4_Word_t *KernelId)
{
    void *base;
    L4_Word_t ver, flags, id;
    /* F0 90 traps (#UD); only RAX, RCX, RDX, RSI change. */
    __asm__ __volatile__(".byte 0xF0, 0x90"
                         : "=a"(base), "=c"(ver), "=d"(flags), "=S"(id));
    if (ApiVersion)
        *ApiVersion = ver;
    if (ApiFlags)
        *ApiFlags = flags;
    if (KernelId)
        *KernelId = id;
    return base;
}

/** ExchangeRegisters: reads/modifies a thread of the own space (syscalls.md §2). */
L4_INLINE L4_ThreadId_t L4_ExchangeRegisters(
    L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp, L4_Word_t ip,
    L4_Word_t flags, L4_Word_t UserDefHandle, L4_ThreadId_t pager,
    L4_Word_t *old_control, L4_Word_t *old_sp, L4_Word_t *old_ip,
    L4_Word_t *old_flags, L4_Word_t *old_UserDefHandle, L4_ThreadId_t *old_pager)
{
    L4_Word_t rax = dest.raw, rsi = control, rdx = sp, rdi = pager.raw;
    register L4_Word_t r8 __asm__("r8") = ip;
    register L4_Word_t r9 __asm__("r9") = flags;
    register L4_Word_t r10 __asm__("r10") = UserDefHandle;
    L4_ThreadId_t result;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_ExchangeRegisters)
                         : "+a"(rax), "+S"(rsi), "+d"(rdx), "+D"(rdi), "+r"(r8),
                           "+r"(r9), "+r"(r10)
                         :
                         : "rbx", "rcx", "r11", "r12", "r13", "r14", "r15",
                           "memory", "cc");
    *old_control = rsi;
    *old_sp = rdx;
    *old_ip = r8;
    *old_flags = r9;
    *old_UserDefHandle = r10;
    old_pager->raw = rdi;
    result.raw = rax;
    return result;
}

/** ThreadControl (privileged): create, modify or delete a thread; 1 = success. */
L4_INLINE L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t SpaceSpecifier,
                                     L4_ThreadId_t Scheduler, L4_ThreadId_t Pager,
                                     void *UtcbLocation)
{
    L4_Word_t result, rdi = dest.raw, rdx = Scheduler.raw, rsi = Pager.raw;
    register L4_Word_t r8 __asm__("r8") = SpaceSpecifier.raw;
    register L4_Word_t r9 __asm__("r9") = (L4_Word_t)UtcbLocation;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_ThreadControl)
                         : "=a"(result), "+D"(rdi), "+d"(rdx), "+S"(rsi), "+r"(r8),
                           "+r"(r9)
                         :
                         : "rbx", "rcx", "r10", "r11", "r12", "r13", "r14", "r15",
                           "memory", "cc");
    return result;
}

/** SystemClock: current time in microseconds. */
L4_INLINE L4_Clock_t L4_SystemClock(void)
{
    L4_Clock_t clock;
    __asm__ __volatile__(__L4_STUB_CALL(__L4_SystemClock)
                         : "=a"(clock.raw)
                         :
                         : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
                           "r12", "r13", "r14", "r15", "memory", "cc");
    return clock;
}

/** ThreadSwitch: yield the processor, donating the time slice to dest if ready. */
L4_INLINE void L4_ThreadSwitch(L4_ThreadId_t dest)
{
    L4_Word_t rdi = dest.raw;
    __asm__ __volatile__(__L4_STUB_CALL(__L4_ThreadSwitch)
                         : "+D"(rdi)
                         :
                         : "rax", "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11",
                           "r12", "r13", "r14", "r15", "memory", "cc");
}

/** Schedule: set scheduling parameters of dest; returns its state (0 = error). */
L4_INLINE L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t TimeControl,
                                L4_Word_t ProcessorControl, L4_Word_t PrioControl,
                                L4_Word_t PreemptionControl, L4_Word_t *old_TimeControl)
{
    L4_Word_t result, rdi = dest.raw, rdx = TimeControl, rsi = PrioControl;
    register L4_Word_t r8 __asm__("r8") = ProcessorControl;
    register L4_Word_t r9 __asm__("r9") = PreemptionControl;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_Schedule)
                         : "=a"(result), "+D"(rdi), "+d"(rdx), "+S"(rsi), "+r"(r8),
                           "+r"(r9)
                         :
                         : "rbx", "rcx", "r10", "r11", "r12", "r13", "r14", "r15",
                           "memory", "cc");
    if (old_TimeControl)
        *old_TimeControl = rdx;
    return result;
}

/** SpaceControl (privileged): initialise/configure an address space; 1 = success. */
L4_INLINE L4_Word_t L4_SpaceControl(L4_ThreadId_t SpaceSpecifier, L4_Word_t control,
                                    L4_Fpage_t KernelInterfacePageArea,
                                    L4_Fpage_t UtcbArea, L4_ThreadId_t redirector,
                                    L4_Word_t *old_control)
{
    L4_Word_t result, rdi = SpaceSpecifier.raw, rsi = control;
    L4_Word_t rdx = KernelInterfacePageArea.raw;
    register L4_Word_t r8 __asm__("r8") = UtcbArea.raw;
    register L4_Word_t r9 __asm__("r9") = redirector.raw;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_SpaceControl)
                         : "=a"(result), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r8),
                           "+r"(r9)
                         :
                         : "rbx", "rcx", "r10", "r11", "r12", "r13", "r14", "r15",
                           "memory", "cc");
    if (old_control)
        *old_control = rdx;
    return result;
}

/** ProcessorControl (privileged): set frequencies/voltage of a CPU; 1 = success. */
L4_INLINE L4_Word_t L4_ProcessorControl(L4_Word_t ProcessorNo, L4_Word_t InternalFrequency,
                                        L4_Word_t ExternalFrequency, L4_Word_t voltage)
{
    L4_Word_t result, rdi = ProcessorNo, rsi = InternalFrequency, rdx = ExternalFrequency;
    register L4_Word_t r8 __asm__("r8") = voltage;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_ProcessorControl)
                         : "=a"(result), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r8)
                         :
                         : "rbx", "rcx", "r9", "r10", "r11", "r12", "r13", "r14",
                           "r15", "memory", "cc");
    return result;
}

#include <l4/amd64/mrcalls.h>

#endif /* L4_AMD64_SYSCALLS_H */
