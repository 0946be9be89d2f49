/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/types.h — basic L4 X.2 data types: words, thread ids, clock, error codes */
#ifndef L4_TYPES_H
#define L4_TYPES_H

#define L4_INLINE static inline

#if defined(__x86_64__)
#include <l4/amd64/types.h>
#else
#error "libl4: unsupported architecture (only amd64 is implemented so far)"
#endif

/** Truth value type of the API; any non-zero value is true. */
typedef L4_Word_t L4_Bool_t;

/* Error codes of the ErrorCode TCR after non-IPC system calls (types.md §10). */
#define L4_ErrOk 0
#define L4_ERROR_OK 0
#define L4_ErrNoPrivilege 1
#define L4_ErrInvalidThread 2
#define L4_ErrInvalidSpace 3
#define L4_ErrInvalidScheduler 4
#define L4_ErrInvalidParam 5
#define L4_ErrUtcbArea 6
#define L4_ErrKipArea 7
#define L4_ErrNoMem 8

/** Human-readable name of a non-IPC error code. */
L4_INLINE char *L4_ErrorCode_String(L4_Word_t err)
{
    static char *const names[] = {
        "no error",          "no privilege",    "invalid thread",
        "invalid space",     "invalid scheduler", "invalid parameter",
        "invalid UTCB area", "invalid KIP area", "out of memory",
    };
    return err < sizeof(names) / sizeof(names[0]) ? names[err] : "unknown error";
}

/* ------------------------------------------------------------------ */
/* Thread identifiers (types.md §2)                                     */

/** Global thread id view: version in the low bits, thread number above. */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t version : __L4_VERSION_BITS;
        L4_Word_t thread_no : __L4_THREADNO_BITS;
    } X;
} L4_GthreadId_t;

/** Local thread id view: six zero bits, then the local id proper. */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __zeros : 6;
        L4_Word_t local_id : L4_BITS_PER_WORD - 6;
    } X;
} L4_LthreadId_t;

/** A thread id: global or local form, chosen by the low six bits. */
typedef union {
    L4_Word_t raw;
    L4_GthreadId_t global;
    L4_LthreadId_t local;
} L4_ThreadId_t;

#define L4_nilthread ((L4_ThreadId_t){ .raw = 0UL })
#define L4_anythread ((L4_ThreadId_t){ .raw = ~0UL })
#define L4_anylocalthread ((L4_ThreadId_t){ .raw = ~0UL << 6 })

/** Builds the global id with thread number threadno and version version. */
L4_INLINE L4_ThreadId_t L4_GlobalId(L4_Word_t threadno, L4_Word_t version)
{
    L4_ThreadId_t t;
    t.global.X.thread_no = threadno;
    t.global.X.version = version;
    return t;
}

/** Version field of a global id. */
L4_INLINE L4_Word_t L4_Version(L4_ThreadId_t t) { return t.global.X.version; }

/** Thread-number field of a global id. */
L4_INLINE L4_Word_t L4_ThreadNo(L4_ThreadId_t t) { return t.global.X.thread_no; }

/** True if both ids have the same bit pattern (local vs. global never match). */
L4_INLINE L4_Bool_t L4_IsThreadEqual(L4_ThreadId_t l, L4_ThreadId_t r)
{
    return l.raw == r.raw;
}

/** True if the two ids differ as bit patterns. */
L4_INLINE L4_Bool_t L4_IsThreadNotEqual(L4_ThreadId_t l, L4_ThreadId_t r)
{
    return l.raw != r.raw;
}

/** True for the nil thread id. */
L4_INLINE L4_Bool_t L4_IsNilThread(L4_ThreadId_t t) { return t.raw == 0; }

/** True if t is in local form (low six bits zero). */
L4_INLINE L4_Bool_t L4_IsLocalId(L4_ThreadId_t t) { return t.local.X.__zeros == 0; }

/** True if t is in global form (some of the low six bits set). */
L4_INLINE L4_Bool_t L4_IsGlobalId(L4_ThreadId_t t) { return t.local.X.__zeros != 0; }

/* ------------------------------------------------------------------ */
/* Clock (types.md §3): 64-bit microsecond counter                      */

/** System clock value in microseconds. */
typedef union {
    L4_Word64_t raw;
    struct {
        L4_Word32_t low;
        L4_Word32_t high;
    } X;
} L4_Clock_t;

/** Clock value r microseconds after l. */
L4_INLINE L4_Clock_t L4_ClockAddUsec(L4_Clock_t l, L4_Word64_t r)
{
    l.raw += r;
    return l;
}

/** Clock value r microseconds before l. */
L4_INLINE L4_Clock_t L4_ClockSubUsec(L4_Clock_t l, L4_Word64_t r)
{
    l.raw -= r;
    return l;
}

/** True if l is earlier than r. */
L4_INLINE L4_Bool_t L4_IsClockEarlier(L4_Clock_t l, L4_Clock_t r) { return l.raw < r.raw; }

/** True if l is later than r. */
L4_INLINE L4_Bool_t L4_IsClockLater(L4_Clock_t l, L4_Clock_t r) { return l.raw > r.raw; }

/** True if l and r are the same instant. */
L4_INLINE L4_Bool_t L4_IsClockEqual(L4_Clock_t l, L4_Clock_t r) { return l.raw == r.raw; }

/** True if l and r differ. */
L4_INLINE L4_Bool_t L4_IsClockNotEqual(L4_Clock_t l, L4_Clock_t r) { return l.raw != r.raw; }

#if defined(__x86_64__)
#include <l4/amd64/specials.h>
#endif
#include <l4/fpage.h>
#include <l4/time.h>

#endif /* L4_TYPES_H */
