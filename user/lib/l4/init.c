/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4 initialisation — copies the KIP system-call entry addresses */
#include <l4/kip.h>

/* Stub addresses used by the inline system-call wrappers. */
__L4_Syscall_t __L4_Ipc, __L4_Lipc, __L4_Unmap, __L4_Schedule, __L4_ThreadSwitch,
    __L4_SystemClock, __L4_ExchangeRegisters, __L4_ThreadControl, __L4_SpaceControl,
    __L4_ProcessorControl, __L4_MemoryControl;

/*
 * Converts a KIP system-call link (words 52..62) into an address.  On amd64
 * the links are absolute addresses (kip.md §6); an ia32 port would add the
 * KIP base here instead, as its links are KIP-relative.
 */
static __L4_Syscall_t link_address(L4_KernelInterfacePage_t *kip, L4_Word_t link)
{
#if defined(L4_ARCH_AMD64)
    (void)kip;
    return (__L4_Syscall_t)link;
#else
    return (__L4_Syscall_t)((L4_Word_t)kip + link);
#endif
}

/** Reads the KIP via KernelInterface and records every stub address. */
void __L4_Init(void)
{
    L4_KernelInterfacePage_t *kip = (L4_KernelInterfacePage_t *)L4_GetKernelInterface();

    __L4_SpaceControl = link_address(kip, kip->SpaceControl);
    __L4_ThreadControl = link_address(kip, kip->ThreadControl);
    __L4_ProcessorControl = link_address(kip, kip->ProcessorControl);
    __L4_MemoryControl = link_address(kip, kip->MemoryControl);
    __L4_Ipc = link_address(kip, kip->Ipc);
    __L4_Lipc = link_address(kip, kip->Lipc);
    __L4_Unmap = link_address(kip, kip->Unmap);
    __L4_ExchangeRegisters = link_address(kip, kip->ExchangeRegisters);
    __L4_SystemClock = link_address(kip, kip->SystemClock);
    __L4_ThreadSwitch = link_address(kip, kip->ThreadSwitch);
    __L4_Schedule = link_address(kip, kip->Schedule);
}
