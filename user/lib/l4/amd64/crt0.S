/* SPDX-License-Identifier: BSD-2-Clause */
/* crt0 for amd64 — entry point: own stack, libl4 init, main(), debugger loop */

	.section .bss
	.balign 16
crt0_stack:
	.skip 16384			/* 16 KiB initial stack */
crt0_stack_top:

	.section .rodata
crt0_main_returned:
	.asciz "main returned"

	.text
	.globl _start
	.type _start, @function
_start:
	/* The kernel starts initial servers with SP = 0: set our own first. */
	movq	$crt0_stack_top, %rsp
	xorl	%ebp, %ebp		/* outermost frame for debuggers */
	cld
	call	__L4_Init		/* copy the KIP system-call links */
	xorl	%edi, %edi		/* argc = 0 */
	xorl	%esi, %esi		/* argv = NULL */
	call	main
	/* main returned: L4_KDB_Enter("main returned") forever. */
1:	int3
	jmp	2f
	movq	$crt0_main_returned, %rax
2:	jmp	1b
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
