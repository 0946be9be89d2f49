/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/sigma0.h — client side of the sigma0 memory protocol (protocols.md §6) */
#ifndef L4_SIGMA0_H
#define L4_SIGMA0_H

#include <l4/types.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/ipc.h>

/* Tag of a sigma0 request: label -6 << 4, sign-extended over the label field. */
#define __L4_SIGMA0_TAG(u) ((((L4_Word_t)-6) << 20) | (u))

/** Global id of sigma0: (UserBase, 1). */
L4_INLINE L4_ThreadId_t __L4_Sigma0Id(void)
{
    return L4_GlobalId(L4_ThreadIdUserBase(L4_GetKernelInterface()), 1);
}

/**
 * Requests fpage f from sigma0 s0 (nil = the standard sigma0) into
 * RcvWindow; `high` is sent as MR3 when f's bit 3 is set.  Returns the
 * fpage sigma0 mapped (nil if refused) or the nil fpage if the IPC failed.
 */
L4_INLINE L4_Fpage_t L4_Sigma0_GetPage_RcvWindow_High(L4_ThreadId_t s0, L4_Fpage_t f,
                                                      L4_Fpage_t RcvWindow, L4_Word_t high)
{
    L4_Word_t u = f.X.extended ? 3 : 2;
    L4_MsgTag_t tag;
    if (L4_IsNilThread(s0))
        s0 = __L4_Sigma0Id();
    L4_LoadMR(0, __L4_SIGMA0_TAG(u));
    L4_LoadMR(1, f.raw);
    L4_LoadMR(2, 0); /* memory attributes: default */
    if (u == 3)
        L4_LoadMR(3, high);
    L4_Accept(L4_MapGrantItems(RcvWindow));
    tag = L4_Call(s0);
    if (L4_IpcFailed(tag))
        return L4_Nilpage;
    L4_StoreMR(2, &f.raw); /* send fpage of the returned map item */
    return f;
}

/** Requests fpage f from sigma0 s0, accepting the mapping into RcvWindow. */
L4_INLINE L4_Fpage_t L4_Sigma0_GetPage_RcvWindow(L4_ThreadId_t s0, L4_Fpage_t f,
                                                 L4_Fpage_t RcvWindow)
{
    return L4_Sigma0_GetPage_RcvWindow_High(s0, f, RcvWindow, 0);
}

/** Requests fpage f from sigma0 s0 (window: complete address space). */
L4_INLINE L4_Fpage_t L4_Sigma0_GetPage(L4_ThreadId_t s0, L4_Fpage_t f)
{
    return L4_Sigma0_GetPage_RcvWindow(s0, f, L4_CompleteAddressSpace);
}

/** Requests any free conventional block of 2^s bytes from sigma0 s0. */
L4_INLINE L4_Fpage_t L4_Sigma0_GetAny(L4_ThreadId_t s0, L4_Word_t s, L4_Fpage_t RcvWindow)
{
    return L4_Sigma0_GetPage_RcvWindow(s0, L4_FpageLog2(~0UL, (int)s), RcvWindow);
}

/**
 * Maps all pages of the first physical memory descriptor of the given type
 * (as returned by L4_MemoryDescType) from sigma0, 1:1 or at `address`, in
 * pages of `pagesize` bytes (a power of two).  Returns where the region's
 * first byte is mapped, or NULL if there is no such descriptor, a request
 * was refused, or the caller is sigma0 itself.
 */
L4_INLINE void *L4_Sigma0_GetSpecial(L4_Word_t type, void *address, L4_Word_t pagesize)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_Word_t i, log2, low, high, start, rcv, count;

    if (L4_IsThreadEqual(L4_Myself(), s0) || pagesize == 0)
        return (void *)0;
    log2 = __L4_Msb(pagesize);
    for (i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        if (L4_MemoryDescType(m) != type || L4_IsMemoryDescVirtual(m))
            continue;
        low = L4_MemoryDescLow(m);
        high = L4_MemoryDescHigh(m);
        start = low & ~(pagesize - 1);
        rcv = address ? ((L4_Word_t)address & ~(pagesize - 1)) : start;
        count = ((high - start) >> log2) + 1;
        for (; count > 0; count--, start += pagesize, rcv += pagesize) {
            L4_Fpage_t f = L4_FpageLog2(start, (int)log2);
            L4_Set_Rights(&f, L4_ReadWriteOnly);
            f = L4_Sigma0_GetPage_RcvWindow(s0, f, L4_FpageLog2(rcv, (int)log2));
            if (L4_IsNilFpage(f))
                return (void *)0;
        }
        return address ? address : (void *)low;
    }
    return (void *)0;
}

#endif /* L4_SIGMA0_H */
