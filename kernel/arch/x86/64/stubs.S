/* SPDX-License-Identifier: BSD-2-Clause */
/* User-mode system-call stubs, one 32-byte slot per KIP entry (KIP order).
 *
 * This page is mapped user-executable at USER_STUBS_VA in every space.  The
 * kernel identifies the call by the return address SYSCALL leaves in RCX,
 * so a SYSCALL executed anywhere else is not a system call.
 */
    .section .user_stubs, "ax"
    .code64
    .rept 11
    .align 32
    syscall
    ret
    .endr
