/* SPDX-License-Identifier: BSD-2-Clause */
/* Fault-tolerant copies between kernel and user memory.
 *
 * The caller has checked that the user range lies in the user area.  A page
 * fault on the marked instruction is redirected by the trap handler to the
 * fixup label through the .extable section, and the copy returns -1.
 */
    .text
    .globl uaccess_copy
    .type uaccess_copy, @function
/* int uaccess_copy(void *dst, const void *src, size_t n) */
uaccess_copy:
    movq %rdx, %rcx
1:  rep movsb
    xorl %eax, %eax
    ret
2:  movl $-1, %eax
    ret
    .size uaccess_copy, . - uaccess_copy

    .section .extable, "a"
    .align 8
    .quad 1b, 2b
