/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/kcp.h — kernel configuration page: the KIP as seen by a boot loader */
#ifndef L4_KCP_H
#define L4_KCP_H

#include <l4/types.h>
#include <l4/kiptypes.h>

/**
 * Loader view of the KIP inside the kernel image (boot.md §3): the same
 * page, with the debugger and initial-server records at words 4..19 named.
 */
typedef struct {
    L4_Word_t magic;                   /* 0 */
    L4_ApiVersion_t ApiVersion;        /* 1 */
    L4_ApiFlags_t ApiFlags;            /* 2 */
    L4_Word_t KernelVerPtr;            /* 3 */
    L4_KipServer_t Kdebug;             /* 4..7: {init, entry, low, high} */
    L4_KipServer_t sigma0;             /* 8..11 */
    L4_KipServer_t sigma1;             /* 12..15 */
    L4_KipServer_t root_server;        /* 16..19 */
    L4_Word_t __pad0;                  /* 20 */
    L4_KipMemoryInfo_t MemoryInfo;     /* 21 */
    L4_Word_t KdebugConfig[2];         /* 22..23 */
    L4_KipMemRegion_t MainMem;         /* 24..25 */
    L4_KipMemRegion_t ReservedMem[2];  /* 26..29 */
    L4_KipMemRegion_t DedicatedMem[5]; /* 30..39 */
    L4_Word_t __pad1[2];               /* 40..41 */
    L4_UtcbAreaInfo_t UtcbAreaInfo;    /* 42 */
    L4_KipAreaInfo_t KipAreaInfo;      /* 43 */
    L4_Word_t __pad2[2];               /* 44..45 */
    L4_Word_t BootInfo;                /* 46 */
    L4_Word_t ProcDescPtr;             /* 47 */
    L4_ClockInfo_t ClockInfo;          /* 48 */
    L4_ThreadInfo_t ThreadInfo;        /* 49 */
    L4_PageInfo_t PageInfo;            /* 50 */
    L4_ProcessorInfo_t ProcessorInfo;  /* 51 */
    L4_Word_t Syscalls[11];            /* 52..62 */
    L4_Word_t __pad3[5];               /* 63..67 */
    L4_Word_t ArchSyscall[4];          /* 68..71 */
} L4_KernelConfigurationPage_t;

#define __L4_KCP_AT(member, word)                                              \
    _Static_assert(__builtin_offsetof(L4_KernelConfigurationPage_t, member) == \
                       (word) * L4_BYTES_PER_WORD,                             \
                   "KCP member " #member " not at word " #word)
__L4_KCP_AT(Kdebug, 4);
__L4_KCP_AT(sigma0, 8);
__L4_KCP_AT(sigma1, 12);
__L4_KCP_AT(root_server, 16);
__L4_KCP_AT(MemoryInfo, 21);
__L4_KCP_AT(KdebugConfig, 22);
__L4_KCP_AT(UtcbAreaInfo, 42);
__L4_KCP_AT(BootInfo, 46);
__L4_KCP_AT(PageInfo, 50);
__L4_KCP_AT(Syscalls, 52);
__L4_KCP_AT(ArchSyscall, 68);
_Static_assert(sizeof(L4_KernelConfigurationPage_t) == sizeof(L4_KernelInterfacePage_t),
               "KCP and KIP must have the same fixed part");

#endif /* L4_KCP_H */
