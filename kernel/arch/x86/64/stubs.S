/* SPDX-License-Identifier: BSD-2-Clause */
/* User-mode system-call stubs, one 32-byte slot per KIP entry (KIP order).
 *
 * This page is mapped user-executable at USER_STUBS_VA in every space.  The
 * kernel identifies the call by the return address SYSCALL leaves in RCX,
 * so a SYSCALL executed anywhere else is not a system call.  Every slot
 * starts with SYSCALL except MemoryControl's: its attribute0 (RCX) and
 * attribute3 (R11) would be destroyed by SYSCALL, so the stub first moves
 * them into RAX and RBX (MR copies the kernel does not read), and after the
 * call reloads RCX with MR0 from the UTCB (syscalls.md §11).
 */
#include <mode/layout.h>

#define MEMORY_CONTROL_SLOT 3           /* KIP_SC_MEMORY_CONTROL */

    .section .user_stubs, "ax"
    .code64
    .rept MEMORY_CONTROL_SLOT
    .align 32
    syscall
    ret
    .endr

    .align 32
0:  movq %rcx, %rax
    movq %r11, %rbx
1:  syscall
    movq (%rdi), %rcx                   /* RDI = UTCB pointer = &MR0 */
    ret
    .if (1b - 0b) != STUB_MEMCTL_PREFIX
    .error "MemoryControl stub prefix length"
    .endif

    .rept 11 - MEMORY_CONTROL_SLOT - 1
    .align 32
    syscall
    ret
    .endr
