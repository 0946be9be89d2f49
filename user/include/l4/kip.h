/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/kip.h — kernel interface page: lookup and field getters */
#ifndef L4_KIP_H
#define L4_KIP_H

#include <l4/types.h>
#include <l4/kiptypes.h>
#if defined(__x86_64__)
#include <l4/amd64/syscalls.h>
#endif

/* API versions (ApiVersion.version) and flags. */
#define L4_APIVERSION_2 0x02
#define L4_APIVERSION_4 0x04
#define L4_APIVERSION_X0 0x83
#define L4_APISUBVERSION_X0 0x80
#define L4_APIVERSION_X1 0x83
#define L4_APISUBVERSION_X1 0x81
#define L4_APIVERSION_X2 0x84
#define L4_APIFLAG_LE 0x0
#define L4_APIFLAG_BE 0x1
#define L4_APIFLAG_32BIT 0x0
#define L4_APIFLAG_64BIT 0x1

/* Memory descriptor types (types.md §8). */
#define L4_UndefinedMemoryType 0x0UL
#define L4_ConventionalMemoryType 0x1UL
#define L4_ReservedMemoryType 0x2UL
#define L4_DedicatedMemoryType 0x3UL
#define L4_SharedMemoryType 0x4UL
#define L4_BootLoaderSpecificMemoryType 0xEUL
#define L4_ArchitectureSpecificMemoryType 0xFUL

#define __L4_KIP(k) ((L4_KernelInterfacePage_t *)(k))

/** KIP address in the caller's space (KernelInterface system call). */
L4_INLINE void *L4_GetKernelInterface(void) { return L4_KernelInterface(0, 0, 0); }

/** API version word, as returned by KernelInterface. */
L4_INLINE L4_Word_t L4_ApiVersion(void)
{
    L4_Word_t v;
    (void)L4_KernelInterface(&v, 0, 0);
    return v;
}

/** API flags word, as returned by KernelInterface. */
L4_INLINE L4_Word_t L4_ApiFlags(void)
{
    L4_Word_t f;
    (void)L4_KernelInterface(0, &f, 0);
    return f;
}

/** Kernel id word, as returned by KernelInterface. */
L4_INLINE L4_Word_t L4_KernelId(void)
{
    L4_Word_t id;
    (void)L4_KernelInterface(0, 0, &id);
    return id;
}

/** Kernel descriptor of the KIP. */
L4_INLINE L4_KernelDesc_t *__L4_KernelDesc(void *KernelInterface)
{
    return (L4_KernelDesc_t *)(void *)((char *)KernelInterface +
                                         __L4_KIP(KernelInterface)->KernelVerPtr);
}

/** Kernel build date: year (full, e.g. 2024), month and day. */
L4_INLINE void L4_KernelGenDate(void *KernelInterface, L4_Word_t *year, L4_Word_t *month,
                                L4_Word_t *day)
{
    L4_KernelGenDate_t d = __L4_KernelDesc(KernelInterface)->KernelGenDate;
    *year = d.X.year + 2000;
    *month = d.X.month;
    *day = d.X.day;
}

/** Kernel version word (version, subversion, subsubversion). */
L4_INLINE L4_Word_t L4_KernelVersion(void *KernelInterface)
{
    return __L4_KernelDesc(KernelInterface)->KernelVer.raw;
}

/** Kernel supplier: four ASCII characters in the low bytes of the word. */
L4_INLINE L4_Word_t L4_KernelSupplier(void *KernelInterface)
{
    return __L4_KernelDesc(KernelInterface)->Supplier;
}

/** NUL-terminated kernel version string. */
L4_INLINE char *L4_KernelVersionString(void *KernelInterface)
{
    return __L4_KernelDesc(KernelInterface)->VersionString;
}

/** Pointer just past the NUL of string s. */
L4_INLINE char *__L4_StrEnd(char *s)
{
    while (*s)
        s++;
    return s + 1;
}

/** The num-th feature string (0-based), or NULL if there are fewer. */
L4_INLINE char *L4_Feature(void *KernelInterface, L4_Word_t num)
{
    char *s = __L4_StrEnd(L4_KernelVersionString(KernelInterface));
    for (;;) {
        if (*s == 0)
            return (char *)0;
        if (num-- == 0)
            return s;
        s = __L4_StrEnd(s);
    }
}

/** True if the KIP at KernelInterface lists feature `name` (exact match). */
L4_INLINE L4_Bool_t __L4_KipHasFeature(void *KernelInterface, const char *name)
{
    L4_Word_t i;
    char *f;
    for (i = 0; (f = L4_Feature(KernelInterface, i)) != (char *)0; i++) {
        const char *a = f, *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (*a == 0 && *b == 0)
            return 1;
    }
    return 0;
}

/**
 * True if the kernel publishes feature `name`.  Unlike Pistachio's buggy
 * comparison (true whenever any feature exists) this compares the strings.
 */
L4_INLINE L4_Bool_t L4_HasFeature(const char *name)
{
    return __L4_KipHasFeature(L4_GetKernelInterface(), name);
}

/** Number of processors. */
L4_INLINE L4_Word_t L4_NumProcessors(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->ProcessorInfo.X.processors + 1;
}

/** Descriptor of processor num, or NULL if num is out of range. */
L4_INLINE L4_ProcDesc_t *L4_ProcDesc(void *KernelInterface, L4_Word_t num)
{
    L4_KernelInterfacePage_t *kip = __L4_KIP(KernelInterface);
    if (num >= L4_NumProcessors(KernelInterface))
        return (L4_ProcDesc_t *)0;
    return (L4_ProcDesc_t *)(void *)((char *)kip + kip->ProcDescPtr +
                                     (num << kip->ProcessorInfo.X.s));
}

/** External (bus) frequency of a processor in kHz. */
L4_INLINE L4_Word_t L4_ProcDescExternalFreq(const L4_ProcDesc_t *p) { return p->X.ExternalFreq; }

/** Internal (core) frequency of a processor in kHz. */
L4_INLINE L4_Word_t L4_ProcDescInternalFreq(const L4_ProcDesc_t *p) { return p->X.InternalFreq; }

/** Number of memory descriptors. */
L4_INLINE L4_Word_t L4_NumMemoryDescriptors(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->MemoryInfo.X.n;
}

/** Memory descriptor num, or NULL if num is out of range. */
L4_INLINE L4_MemoryDesc_t *L4_MemoryDesc(void *KernelInterface, L4_Word_t num)
{
    L4_KernelInterfacePage_t *kip = __L4_KIP(KernelInterface);
    if (num >= kip->MemoryInfo.X.n)
        return (L4_MemoryDesc_t *)0;
    return (L4_MemoryDesc_t *)(void *)((char *)kip + kip->MemoryInfo.X.MemDescPtr) + num;
}

/** Type of a descriptor; for types 0xE/0xF the subtype is added as t * 16. */
L4_INLINE L4_Word_t L4_MemoryDescType(const L4_MemoryDesc_t *m)
{
    return m->X.type >= 0xE ? (m->raw[0] & 0xFF) : m->X.type;
}

/** First byte of the region. */
L4_INLINE L4_Word_t L4_MemoryDescLow(const L4_MemoryDesc_t *m) { return m->raw[0] & ~0x3FFUL; }

/** Last byte of the region. */
L4_INLINE L4_Word_t L4_MemoryDescHigh(const L4_MemoryDesc_t *m) { return m->raw[1] | 0x3FFUL; }

/** True if the descriptor describes virtual addresses. */
L4_INLINE L4_Bool_t L4_IsMemoryDescVirtual(const L4_MemoryDesc_t *m) { return m->X.v; }

/** Supported page sizes: bit k set means 2^k-byte pages. */
L4_INLINE L4_Word_t L4_PageSizeMask(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->PageInfo.raw & ~0x3FFUL;
}

/** Access rights the hardware distinguishes (rwx bits). */
L4_INLINE L4_Word_t L4_PageRights(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->PageInfo.X.rwx;
}

/** Number of significant thread-number bits. */
L4_INLINE L4_Word_t L4_ThreadIdBits(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->ThreadInfo.X.t;
}

/** Lowest thread number of kernel threads (= number of interrupt threads). */
L4_INLINE L4_Word_t L4_ThreadIdSystemBase(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->ThreadInfo.X.SystemBase;
}

/** Lowest user thread number (sigma0's). */
L4_INLINE L4_Word_t L4_ThreadIdUserBase(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->ThreadInfo.X.UserBase;
}

/** SystemClock read precision in µs. */
L4_INLINE L4_Word_t L4_ReadPrecision(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->ClockInfo.X.ReadPrecision;
}

/** Maximal wake-up jitter in µs. */
L4_INLINE L4_Word_t L4_SchedulePrecision(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->ClockInfo.X.SchedulePrecision;
}

/** log2 of the minimal UTCB-area size. */
L4_INLINE L4_Word_t L4_UtcbAreaSizeLog2(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->UtcbAreaInfo.X.s;
}

/** Minimal UTCB-area size in bytes. */
L4_INLINE L4_Word_t L4_UtcbAreaSize(void *KernelInterface)
{
    return 1UL << L4_UtcbAreaSizeLog2(KernelInterface);
}

/** log2 of the required UTCB alignment. */
L4_INLINE L4_Word_t L4_UtcbAlignmentLog2(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->UtcbAreaInfo.X.a;
}

/** Size of one UTCB in bytes (m * 2^a). */
L4_INLINE L4_Word_t L4_UtcbSize(void *KernelInterface)
{
    L4_UtcbAreaInfo_t u = __L4_KIP(KernelInterface)->UtcbAreaInfo;
    return (L4_Word_t)u.X.m << u.X.a;
}

/** log2 of the KIP-area size. */
L4_INLINE L4_Word_t L4_KipAreaSizeLog2(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->KipAreaInfo.X.s;
}

/** KIP-area size in bytes. */
L4_INLINE L4_Word_t L4_KipAreaSize(void *KernelInterface)
{
    return 1UL << L4_KipAreaSizeLog2(KernelInterface);
}

/** Contents of the BootInfo field (physical address of the boot info). */
L4_INLINE L4_Word_t L4_BootInfo(void *KernelInterface)
{
    return __L4_KIP(KernelInterface)->BootInfo;
}

#endif /* L4_KIP_H */
