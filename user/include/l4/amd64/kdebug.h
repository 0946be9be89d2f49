/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/amd64/kdebug.h — amd64 kernel-debugger calls (int3 sequences, kdebug.md §1) */
#ifndef L4_AMD64_KDEBUG_H
#define L4_AMD64_KDEBUG_H

#include <l4/types.h>

/* `int3` followed by `cmpb $op, %al` names debugger operation op. */
#define __L4_KDB_OP(op) "int3\n\tcmpb $" #op ", %%al"

/**
 * Prints `str` (a string literal) and enters the kernel debugger.  Encoding:
 * int3; jmp (EB 07) over `movq $str, %rax` (48 C7 C0 imm32), so the string
 * must lie in the low 2 GiB (true for our statically linked programs; it
 * needs non-PIC code).  Execution continues after the sequence.
 */
#define L4_KDB_Enter(str)                                                      \
    __asm__ __volatile__("int3\n\t"                                            \
                         "jmp 1f\n\t"                                          \
                         "movq %0, %%rax\n"                                    \
                         "1:"                                                  \
                         :                                                     \
                         : "i"(str)                                            \
                         : "memory")

/** Prints one character on the kernel console. */
L4_INLINE void L4_KDB_PrintChar(char c)
{
    __asm__ __volatile__(__L4_KDB_OP(0x00) : : "a"(c) : "cc");
}

/** Prints a NUL-terminated string on the kernel console. */
L4_INLINE void L4_KDB_PrintString(const char *s)
{
    __asm__ __volatile__(__L4_KDB_OP(0x01) : : "a"(s) : "cc", "memory");
}

/** Clears the debugger's console page (not implemented by Pistachio on x86). */
L4_INLINE void L4_KDB_ClearPage(void) { __asm__ __volatile__(__L4_KDB_OP(0x02) : : : "cc"); }

/** Toggles serial break-in. */
L4_INLINE void L4_KDB_ToggleBreakin(void) { __asm__ __volatile__(__L4_KDB_OP(0x03) : : : "cc"); }

/** Reads a console character without blocking; (char)-1 if none is available. */
L4_INLINE char L4_KDB_ReadChar(void)
{
    L4_Word_t c;
    __asm__ __volatile__(__L4_KDB_OP(0x08) : "=a"(c) : : "cc");
    return (char)c;
}

/** Reads a console character, blocking until one arrives. */
L4_INLINE char L4_KDB_ReadChar_Blocked(void)
{
    L4_Word_t c;
    __asm__ __volatile__(__L4_KDB_OP(0x0d) : "=a"(c) : : "cc");
    return (char)c;
}

/**
 * Pecan extension (not in Pistachio): stops the machine with exit status
 * `code` (int3; cmpb $0x20, %al with the code in RAX).  Used by the test
 * harness; returns only if the kernel does not implement it.
 */
L4_INLINE void L4_KDB_PowerOff(L4_Word_t code)
{
    __asm__ __volatile__(__L4_KDB_OP(0x20) : : "a"(code) : "cc", "memory");
}

#endif /* L4_AMD64_KDEBUG_H */
