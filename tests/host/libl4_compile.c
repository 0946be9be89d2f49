/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4_compile — compile check: every libl4 header, every wrapper instantiated */
/*
 * Built with -c only (never run), by gcc and clang, with the user-code flags
 * (-ffreestanding -fno-pie -nostdinc ...).  Calling each inline wrapper
 * forces the compilers to allocate registers for every asm statement.
 */
#include <l4/types.h>
#include <l4/fpage.h>
#include <l4/time.h>
#include <l4/message.h>
#include <l4/items.h>
#include <l4/acceptor.h>
#include <l4/msg.h>
#include <l4/tcr.h>
#include <l4/thread.h>
#include <l4/ipc.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/misc.h>
#include <l4/arch.h>
#include <l4/kiptypes.h>
#include <l4/kip.h>
#include <l4/kcp.h>
#include <l4/sigma0.h>
#include <l4/bootinfo.h>
#include <l4/kdebug.h>
#include <l4/amd64/types.h>
#include <l4/amd64/specials.h>
#include <l4/amd64/vregs.h>
#include <l4/amd64/syscalls.h>
#include <l4/amd64/mrcalls.h>
#include <l4/amd64/kdebug.h>

volatile L4_Word_t sink;

void check_system_calls(void);
void check_ipc(void);
void check_thread_helpers(void);
void check_space_and_misc(void);
void check_kip_and_sigma0(void);
void check_kdebug(void);

/** Each raw system-call wrapper. */
void check_system_calls(void)
{
    L4_Word_t v, f, id, oc, osp, oip, ofl, oudh;
    L4_ThreadId_t op, me = L4_Myself();
    const L4_Word_t attr[4] = { 0, 1, 2, 3 };

    sink = (L4_Word_t)L4_KernelInterface(&v, &f, &id) + v + f + id;
    sink = L4_ExchangeRegisters(me, 0x200, 1, 2, 3, 4, L4_nilthread, &oc, &osp, &oip, &ofl,
                                &oudh, &op).raw + oc + osp + oip + ofl + oudh + op.raw;
    sink = L4_ThreadControl(me, me, me, me, (void *)-1);
    sink = L4_SystemClock().raw;
    L4_ThreadSwitch(L4_nilthread);
    sink = L4_Schedule(me, ~0UL, ~0UL, 100, ~0UL, &oc) + oc;
    sink = L4_SpaceControl(me, 0, L4_FpageLog2(0xBFF00000, 12), L4_FpageLog2(0xBF000000, 18),
                           L4_anythread, &oc) + oc;
    sink = L4_ProcessorControl(0, ~0UL, ~0UL, ~0UL);
    L4_Unmap(0x40 | 3);
    sink = L4_MemoryControl(1, attr);
}

/** Ipc, Lipc and their convenience forms. */
void check_ipc(void)
{
    L4_ThreadId_t from, to = L4_GlobalId(51, 1);
    L4_MsgTag_t t = L4_Ipc(to, L4_anythread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
    sink = t.raw + from.raw;
    sink = L4_Lipc(L4_MyLocalId(), L4_anylocalthread, 0, &from).raw;
    sink = L4_Call(to).raw + L4_Call_Timeouts(to, L4_TimePeriod(1000), L4_Never).raw;
    sink = L4_Send(to).raw + L4_Send_Timeout(to, L4_ZeroTime).raw + L4_Reply(to).raw;
    sink = L4_Receive(to).raw + L4_Receive_Timeout(to, L4_TimePeriod(sink)).raw;
    sink = L4_Wait(&from).raw + L4_Wait_Timeout(L4_Never, &from).raw;
    sink = L4_ReplyWait(to, &from).raw + L4_ReplyWait_Timeout(to, L4_ZeroTime, &from).raw;
    sink = L4_Lcall(to).raw + L4_LreplyWait(to, &from).raw + L4_Lreply_Wait(to, &from).raw;
    L4_Sleep(L4_TimePeriod(10000));
    sink = L4_TimePoint(L4_ClockAddUsec(L4_SystemClock(), 500)).raw;
}

/** ExchangeRegisters/ThreadControl/Schedule helpers and TCR accessors. */
void check_thread_helpers(void)
{
    L4_ThreadId_t t = L4_GlobalId(52, 1);
    L4_Word_t sp, ip, fl;
    L4_Time_t ts, tq;
    sink = L4_GlobalIdOf(L4_MyLocalId()).raw + L4_LocalIdOf(t).raw + L4_SameThreads(t, t);
    sink = L4_UserDefinedHandleOf(t) + L4_PagerOf(t).raw;
    L4_Set_UserDefinedHandleOf(t, 1);
    L4_Set_PagerOf(t, L4_Pager());
    L4_Start(t);
    L4_Start_SpIp(t, 0x1000, 0x2000);
    L4_Start_SpIpFlags(t, 0x1000, 0x2000, 0);
    sink = L4_Stop(t).raw + L4_Stop_SpIpFlags(t, &sp, &ip, &fl).raw + sp + ip + fl;
    sink = L4_AbortReceive_and_stop(t).raw + L4_AbortSend_and_stop(t).raw;
    sink = L4_AbortIpc_and_stop(t).raw + L4_AbortIpc_and_stop_SpIpFlags(t, &sp, &ip, &fl).raw;
    sink = L4_AbortReceive_and_stop_SpIpFlags(t, &sp, &ip, &fl).raw;
    sink = L4_AbortSend_and_stop_SpIpFlags(t, &sp, &ip, &fl).raw;
    sink = L4_AssociateInterrupt(L4_GlobalId(3, 1), L4_Myself());
    sink = L4_DeassociateInterrupt(L4_GlobalId(3, 1));
    sink = L4_Set_Priority(t, 100) + L4_Set_ProcessorNo(t, 0) + L4_Timeslice(t, &ts, &tq);
    sink = L4_Set_Timeslice(t, L4_TimePeriod(10000), L4_Never);
    sink = L4_Set_PreemptionDelay(t, 200, 1000);
    L4_Yield();
    sink = L4_ProcessorNo() + L4_UserDefinedHandle() + L4_ErrorCode() + L4_XferTimeouts();
    L4_Set_XferTimeouts(0);
    sink = L4_ExceptionHandler().raw + L4_IntendedReceiver().raw + L4_ActualSender().raw;
    L4_Set_VirtualSender(t);
    L4_Set_ExceptionHandler(L4_nilthread);
    L4_Set_CopFlag(0);
    L4_Clr_CopFlag(0);
    sink = L4_EnablePreemption() + L4_DisablePreemption() + L4_PreemptionPending();
    sink = L4_EnablePreemptionFaultException() + L4_DisablePreemptionFaultException();
    L4_Reset_WordSizeMask();
    sink = L4_WordSizeMask() + __L4_TCR_ThreadWord(0);
}

/** Unmap helpers and MemoryControl helpers. */
void check_space_and_misc(void)
{
    L4_Fpage_t f[3] = { L4_FpageLog2(0x100000, 12), L4_FpageLog2(0x200000, 21),
                        L4_IoFpage(0x3F8, 8) };
    const L4_Word_t attr[4] = { L4_WriteCombiningMemory, 0, 0, 0 };
    sink = L4_UnmapFpage(f[0]).raw + L4_Flush(f[0]).raw + L4_GetStatus(f[1]).raw;
    L4_UnmapFpages(3, f);
    L4_FlushFpages(2, f);
    sink = L4_Set_PageAttribute(f[0], L4_UncacheableMemory);
    sink = L4_Set_PagesAttributes(2, f, attr) + L4_Set_PageAttributes(1, f, attr);
}

/** KIP lookups via the system call, sigma0 requests. */
void check_kip_and_sigma0(void)
{
    void *kip = L4_GetKernelInterface();
    sink = L4_ApiVersion() + L4_ApiFlags() + L4_KernelId() + L4_HasFeature("hscheduling");
    sink = L4_NumProcessors(kip) + L4_ThreadIdUserBase(kip);
    sink = L4_Sigma0_GetPage(L4_nilthread, L4_FpageLog2(0xB8000, 12)).raw;
    sink = L4_Sigma0_GetAny(L4_nilthread, 12, L4_CompleteAddressSpace).raw;
    sink = L4_Sigma0_GetPage_RcvWindow_High(L4_nilthread, L4_FpageLog2(0, 12),
                                            L4_CompleteAddressSpace, 1).raw;
    sink = (L4_Word_t)L4_Sigma0_GetSpecial(0x2E, (void *)0, 4096);
}

/** Kernel-debugger sequences. */
void check_kdebug(void)
{
    L4_KDB_PrintChar('x');
    L4_KDB_PrintString("100% \"quoted\"\n");
    sink = (L4_Word_t)L4_KDB_ReadChar() + (L4_Word_t)L4_KDB_ReadChar_Blocked();
    L4_KDB_ClearPage();
    L4_KDB_ToggleBreakin();
    L4_KDB_Enter("compile check");
    enter_kdebug("old name");
    sink = (L4_Word_t)kd_inchar();
    L4_KDB_PowerOff(0);
}
