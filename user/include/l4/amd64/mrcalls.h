/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/amd64/mrcalls.h — amd64 stubs that pass MR0..MR7 in registers */
#ifndef L4_AMD64_MRCALLS_H
#define L4_AMD64_MRCALLS_H

#include <l4/amd64/syscalls.h>

/*
 * Ipc, Lipc and Unmap pass MR0..MR7 in R9, RAX, RBX, R10, R12, R13, R14, R15
 * in both directions (syscalls.md §7/§8).  The UTCB copies of MR0..MR7 are
 * loaded into those registers before the call and the returned registers
 * are written back afterwards; MR8..MR63 stay in the UTCB.  RDI carries the
 * UTCB pointer; the kernel must hand it back, but these wrappers do not rely
 * on that and keep their own copy of the pointer.
 */

/*
 * Body shared by Ipc and Lipc; entry names the stub-pointer variable.
 * Returns the raw result tag; *from is written only for a receive phase.
 */
#define __L4_DEFINE_IPC_STUB(fname, entry)                                      \
    L4_INLINE L4_Word_t fname(L4_Word_t to, L4_Word_t FromSpecifier,           \
                              L4_Word_t Timeouts, L4_Word_t *from)             \
    {                                                                          \
        L4_Word_t *utcb = __L4_Utcb();                                         \
        L4_Word_t m0 = utcb[0], m3 = utcb[3], m4 = utcb[4], m5 = utcb[5];      \
        L4_Word_t m6 = utcb[6], m7 = utcb[7];                                  \
        L4_Word_t rax = utcb[1], rbx = utcb[2];                                \
        L4_Word_t rsi = to, rdx = FromSpecifier, rdi = (L4_Word_t)utcb;        \
        register L4_Word_t r8 __asm__("r8") = Timeouts;                        \
        register L4_Word_t r9 __asm__("r9") = m0;                              \
        register L4_Word_t r10 __asm__("r10") = m3;                            \
        register L4_Word_t r12 __asm__("r12") = m4;                            \
        register L4_Word_t r13 __asm__("r13") = m5;                            \
        register L4_Word_t r14 __asm__("r14") = m6;                            \
        register L4_Word_t r15 __asm__("r15") = m7;                            \
        __asm__ __volatile__(__L4_STUB_CALL(entry)                             \
                             : "+r"(r9), "+a"(rax), "+b"(rbx), "+r"(r10),      \
                               "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15),     \
                               "+S"(rsi), "+d"(rdx), "+r"(r8), "+D"(rdi)       \
                             :                                                 \
                             : "rcx", "r11", "memory", "cc");                  \
        utcb[0] = r9;                                                          \
        if (FromSpecifier != 0) {                                              \
            utcb[1] = rax;                                                     \
            utcb[2] = rbx;                                                     \
            utcb[3] = r10;                                                     \
            utcb[4] = r12;                                                     \
            utcb[5] = r13;                                                     \
            utcb[6] = r14;                                                     \
            utcb[7] = r15;                                                     \
            if (from)                                                          \
                *from = rsi;                                                   \
        }                                                                      \
        return r9;                                                             \
    }

/** Raw Ipc stub call: MR0..MR7 via registers, result tag returned raw. */
__L4_DEFINE_IPC_STUB(__L4_Ipc_Raw, __L4_Ipc)

/** Raw Lipc stub call, same register contract as Ipc. */
__L4_DEFINE_IPC_STUB(__L4_Lipc_Raw, __L4_Lipc)

/** Unmap: revoke rights to the fpages in MR0..MRk (k = control & 63). */
L4_INLINE void L4_Unmap(L4_Word_t control)
{
    L4_Word_t *utcb = __L4_Utcb();
    L4_Word_t k = control & 0x3F;
    L4_Word_t m0 = utcb[0], m3 = utcb[3], m4 = utcb[4], m5 = utcb[5];
    L4_Word_t m6 = utcb[6], m7 = utcb[7];
    L4_Word_t rax = utcb[1], rbx = utcb[2];
    L4_Word_t rdx = control, rdi = (L4_Word_t)utcb;
    register L4_Word_t r9 __asm__("r9") = m0;
    register L4_Word_t r10 __asm__("r10") = m3;
    register L4_Word_t r12 __asm__("r12") = m4;
    register L4_Word_t r13 __asm__("r13") = m5;
    register L4_Word_t r14 __asm__("r14") = m6;
    register L4_Word_t r15 __asm__("r15") = m7;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_Unmap)
                         : "+r"(r9), "+a"(rax), "+b"(rbx), "+r"(r10), "+r"(r12),
                           "+r"(r13), "+r"(r14), "+r"(r15), "+d"(rdx), "+D"(rdi)
                         :
                         : "rcx", "rsi", "r8", "r11", "memory", "cc");
    /* Results (status bits) come back for MR0..MRk only. */
    utcb[0] = r9;
    if (k >= 1)
        utcb[1] = rax;
    if (k >= 2)
        utcb[2] = rbx;
    if (k >= 3)
        utcb[3] = r10;
    if (k >= 4)
        utcb[4] = r12;
    if (k >= 5)
        utcb[5] = r13;
    if (k >= 6)
        utcb[6] = r14;
    if (k >= 7)
        utcb[7] = r15;
}

/**
 * MemoryControl (privileged): apply attributes[a] to the fpages in MR0..MRk.
 * Register use follows syscalls.md §11 including Pistachio's quirk: R9
 * carries attribute0, not MR0, so the kernel must take the fpage list from
 * the UTCB.  Only RDX (the result) is relied upon after the call.
 */
L4_INLINE L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t attributes[4])
{
    L4_Word_t *utcb = __L4_Utcb();
    L4_Word_t m3 = utcb[3], m4 = utcb[4], m5 = utcb[5], m6 = utcb[6], m7 = utcb[7];
    L4_Word_t a0 = attributes[0], a2 = attributes[2], a3 = attributes[3];
    L4_Word_t rax = utcb[1], rbx = utcb[2], rcx = a0, rdx = control;
    L4_Word_t rsi = attributes[1], rdi = (L4_Word_t)utcb;
    register L4_Word_t r8 __asm__("r8") = a2;
    register L4_Word_t r9 __asm__("r9") = a0;
    register L4_Word_t r10 __asm__("r10") = m3;
    register L4_Word_t r11 __asm__("r11") = a3;
    register L4_Word_t r12 __asm__("r12") = m4;
    register L4_Word_t r13 __asm__("r13") = m5;
    register L4_Word_t r14 __asm__("r14") = m6;
    register L4_Word_t r15 __asm__("r15") = m7;

    __asm__ __volatile__(__L4_STUB_CALL(__L4_MemoryControl)
                         : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi),
                           "+D"(rdi), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11),
                           "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
                         :
                         : "memory", "cc");
    return rdx;
}

#endif /* L4_AMD64_MRCALLS_H */
