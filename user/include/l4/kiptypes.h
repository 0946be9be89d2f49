/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/kiptypes.h — layout of the kernel interface page and its descriptors */
#ifndef L4_KIPTYPES_H
#define L4_KIPTYPES_H

#include <l4/types.h>

/*
 * Each encoded KIP word is a union of the raw word, a bitfield view X and
 * the same bitfields unnamed, so both kip->W.X.f and kip->W.f compile.
 */
#define __L4_KIP_WORD(name, ...)                                               \
    typedef union {                                                            \
        L4_Word_t raw;                                                         \
        struct {                                                               \
            __VA_ARGS__                                                        \
        } X;                                                                   \
        struct {                                                               \
            __VA_ARGS__                                                        \
        };                                                                     \
    } name

__L4_KIP_WORD(L4_ApiVersion_t, L4_Word_t : 16; L4_Word_t subversion : 8;
              L4_Word_t version : 8;);
__L4_KIP_WORD(L4_ApiFlags_t, L4_Word_t ee : 2; L4_Word_t ww : 2;);
__L4_KIP_WORD(L4_KipMemoryInfo_t, L4_Word_t n : __L4_HALF_WORD_BITS;
              L4_Word_t MemDescPtr : __L4_HALF_WORD_BITS;);
__L4_KIP_WORD(L4_UtcbAreaInfo_t, L4_Word_t m : 10; L4_Word_t a : 6; L4_Word_t s : 6;);
__L4_KIP_WORD(L4_KipAreaInfo_t, L4_Word_t s : 6;);
__L4_KIP_WORD(L4_ClockInfo_t, L4_Word_t ReadPrecision : 16;
              L4_Word_t SchedulePrecision : 16;);
__L4_KIP_WORD(L4_ThreadInfo_t, L4_Word_t t : 8; L4_Word_t SystemBase : 12;
              L4_Word_t UserBase : 12;);
__L4_KIP_WORD(L4_PageInfo_t, L4_Word_t rwx : 3; L4_Word_t : 7;
              L4_Word_t page_size_mask : L4_BITS_PER_WORD - 10;);
__L4_KIP_WORD(L4_ProcessorInfo_t, L4_Word_t processors : 16;
              L4_Word_t : L4_BITS_PER_WORD - 20; L4_Word_t s : 4;);
__L4_KIP_WORD(L4_KernelId_t, L4_Word_t : 16; L4_Word_t subid : 8; L4_Word_t id : 8;);
__L4_KIP_WORD(L4_KernelGenDate_t, L4_Word_t day : 5; L4_Word_t month : 4;
              L4_Word_t year : 7;);
__L4_KIP_WORD(L4_KernelVersion_t, L4_Word_t subsubver : 16; L4_Word_t subver : 8;
              L4_Word_t ver : 8;);

/** Kernel descriptor at KIP + KernelVerPtr (kip.md §3). */
typedef struct {
    L4_KernelId_t KernelId;
    L4_KernelGenDate_t KernelGenDate;
    L4_KernelVersion_t KernelVer;
    L4_Word_t Supplier;    /* four ASCII characters, blank padded */
    char VersionString[]; /* then feature strings, ended by "" */
} L4_KernelDesc_t;

/** {low, high} pair of the legacy memory-region fields. */
typedef struct {
    L4_Word_t low;
    L4_Word_t high;
} L4_KipMemRegion_t;

/** Initial-server record {sp, ip, low, high} filled in by the loader. */
typedef struct {
    L4_Word_t sp;
    L4_Word_t ip;
    L4_Word_t low;
    L4_Word_t high;
} L4_KipServer_t;

/** Memory descriptor (types.md §8). */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t type : 4;
        L4_Word_t t : 4;
        L4_Word_t : 1;
        L4_Word_t v : 1;
        L4_Word_t low : L4_BITS_PER_WORD - 10;
        L4_Word_t : 10;
        L4_Word_t high : L4_BITS_PER_WORD - 10;
    } X;
} L4_MemoryDesc_t;

/** Processor descriptor (types.md §8); frequencies in kHz. */
typedef union {
    L4_Word_t raw[4];
    struct {
        L4_Word_t ExternalFreq;
        L4_Word_t InternalFreq;
        L4_Word_t FreqChange;
        L4_Word_t Arch;
    } X;
} L4_ProcDesc_t;

/** The kernel interface page, fixed part (kip.md §2). */
typedef struct {
    L4_Word_t magic;                   /* word 0 */
    L4_ApiVersion_t ApiVersion;        /* 1 */
    L4_ApiFlags_t ApiFlags;            /* 2 */
    L4_Word_t KernelVerPtr;            /* 3: offset of the kernel descriptor */
    L4_Word_t __pad0[17];              /* 4..20: kdebug/servers (see kcp.h) */
    L4_KipMemoryInfo_t MemoryInfo;     /* 21 */
    L4_Word_t __pad1[2];               /* 22..23: KdebugConfig */
    L4_KipMemRegion_t MainMem;         /* 24..25 */
    L4_KipMemRegion_t ReservedMem[2];  /* 26..29 */
    L4_KipMemRegion_t DedicatedMem[5]; /* 30..39 */
    L4_Word_t __pad2[2];               /* 40..41 */
    L4_UtcbAreaInfo_t UtcbAreaInfo;    /* 42 */
    L4_KipAreaInfo_t KipAreaInfo;      /* 43 */
    L4_Word_t __pad3[2];               /* 44..45 */
    L4_Word_t BootInfo;                /* 46 */
    L4_Word_t ProcDescPtr;             /* 47 */
    L4_ClockInfo_t ClockInfo;          /* 48 */
    L4_ThreadInfo_t ThreadInfo;        /* 49 */
    L4_PageInfo_t PageInfo;            /* 50 */
    L4_ProcessorInfo_t ProcessorInfo;  /* 51 */
    L4_Word_t SpaceControl;            /* 52..62: system-call entries */
    L4_Word_t ThreadControl;
    L4_Word_t ProcessorControl;
    L4_Word_t MemoryControl;
    L4_Word_t Ipc;
    L4_Word_t Lipc;
    L4_Word_t Unmap;
    L4_Word_t ExchangeRegisters;
    L4_Word_t SystemClock;
    L4_Word_t ThreadSwitch;
    L4_Word_t Schedule;
    L4_Word_t __pad4[5];               /* 63..67 */
    L4_Word_t ArchSyscall0;            /* 68..71 */
    L4_Word_t ArchSyscall1;
    L4_Word_t ArchSyscall2;
    L4_Word_t ArchSyscall3;
} L4_KernelInterfacePage_t;

#define L4_MAGIC 0x4BE6344CUL /* "L4\xE6K" */

/* Pin every member to its word index (kip.md §2). */
#define __L4_KIP_AT(member, word)                                              \
    _Static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, member) ==     \
                       (word) * L4_BYTES_PER_WORD,                             \
                   "KIP member " #member " not at word " #word)
__L4_KIP_AT(magic, 0);
__L4_KIP_AT(ApiVersion, 1);
__L4_KIP_AT(ApiFlags, 2);
__L4_KIP_AT(KernelVerPtr, 3);
__L4_KIP_AT(MemoryInfo, 21);
__L4_KIP_AT(MainMem, 24);
__L4_KIP_AT(ReservedMem, 26);
__L4_KIP_AT(DedicatedMem, 30);
__L4_KIP_AT(UtcbAreaInfo, 42);
__L4_KIP_AT(KipAreaInfo, 43);
__L4_KIP_AT(BootInfo, 46);
__L4_KIP_AT(ProcDescPtr, 47);
__L4_KIP_AT(ClockInfo, 48);
__L4_KIP_AT(ThreadInfo, 49);
__L4_KIP_AT(PageInfo, 50);
__L4_KIP_AT(ProcessorInfo, 51);
__L4_KIP_AT(SpaceControl, 52);
__L4_KIP_AT(ThreadControl, 53);
__L4_KIP_AT(ProcessorControl, 54);
__L4_KIP_AT(MemoryControl, 55);
__L4_KIP_AT(Ipc, 56);
__L4_KIP_AT(Lipc, 57);
__L4_KIP_AT(Unmap, 58);
__L4_KIP_AT(ExchangeRegisters, 59);
__L4_KIP_AT(SystemClock, 60);
__L4_KIP_AT(ThreadSwitch, 61);
__L4_KIP_AT(Schedule, 62);
__L4_KIP_AT(ArchSyscall0, 68);
__L4_KIP_AT(ArchSyscall3, 71);
_Static_assert(sizeof(L4_KernelInterfacePage_t) == 72 * L4_BYTES_PER_WORD, "KIP size");
#if defined(L4_64BIT)
_Static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, Ipc) == 0x1C0, "amd64 Ipc");
_Static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, MemoryInfo) == 0xA8, "amd64 MI");
#endif
_Static_assert(sizeof(L4_MemoryDesc_t) == 2 * L4_BYTES_PER_WORD, "MemoryDesc size");
_Static_assert(sizeof(L4_ProcessorInfo_t) == L4_BYTES_PER_WORD, "ProcessorInfo size");

#endif /* L4_KIPTYPES_H */
