/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 boot trampoline: Multiboot entry in 32-bit protected mode, switch to
 * long mode and jump to the higher-half kernel.
 *
 * The loader (QEMU -kernel or GRUB) enters here with paging off.  We map the
 * first GiB three times with 2 MiB pages (identity, physmap, kernel image),
 * enable PAE + long mode (+ NX when the CPU has it) and call c_kernel_entry
 * with the Multiboot magic and information pointer.  C code later replaces
 * these tables with the kernel's own.
 */
#include <mode/layout.h>

#define MB1_MAGIC   0x1BADB002
#define MB1_FLAGS   0x00000003      /* page-align modules, memory map */
#define CR0_PG      0x80000000
#define CR0_WP      0x00010000
#define CR0_PE      0x00000001
#define CR4_PAE     0x00000020
#define MSR_EFER    0xC0000080
#define EFER_LME    0x00000100
#define EFER_NXE    0x00000800
#define PTE_P_W     0x3
#define PDE_LARGE   0x83

    .section .boot.text, "ax"
    .code32
    .align 4
multiboot1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

    .globl _start
    .type _start, @function
_start:
    cli
    cld
    movl %eax, boot_mb_magic
    movl %ebx, boot_mb_info
    rdtsc                           /* for the boot benchmark */
    movl %eax, boot_tsc
    movl %edx, boot_tsc + 4
    movl $boot_stack32_top, %esp

    /* PML4: slot 0 (identity) and 256 (physmap) share one PDPT; slot 511 the image. */
    movl $boot_pdpt_low + PTE_P_W, boot_pml4
    movl $boot_pdpt_low + PTE_P_W, boot_pml4 + 256 * 8
    movl $boot_pdpt_high + PTE_P_W, boot_pml4 + 511 * 8
    movl $boot_pd + PTE_P_W, boot_pdpt_low
    movl $boot_pd + PTE_P_W, boot_pdpt_high + 510 * 8
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $PDE_LARGE, %eax
    movl %eax, boot_pd(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 1b

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3

    /* NX is used when the CPU offers it (CPUID 0x80000001 EDX bit 20). */
    movl $0x80000001, %eax
    cpuid
    movl $EFER_LME, %esi
    btl $20, %edx
    jnc 2f
    orl $EFER_NXE, %esi
    movl $1, boot_nx
2:  movl $MSR_EFER, %ecx
    rdmsr
    orl %esi, %eax
    wrmsr

    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0
    lgdt boot_gdt_ptr
    ljmp $0x08, $start64
    .size _start, . - _start

    .code64
start64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $high_entry, %rax
    jmp *%rax

    .align 8
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit kernel code */
    .quad 0x00CF92000000FFFF        /* 0x10: kernel data */
boot_gdt_ptr:
    .word . - boot_gdt - 1
    .long boot_gdt

boot_mb_magic: .long 0
boot_mb_info:  .long 0
boot_nx:       .long 0
    .align 8
boot_tsc:      .quad 0

    .section .boot.bss, "aw", @nobits
    .align 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
boot_stack32:   .skip 1024
boot_stack32_top:

    .text
high_entry:
    /* Zero .bss ourselves: not every loader clears NOBITS memory. */
    movabsq $_bss_start, %rdi
    movabsq $_bss_end, %rcx
    subq %rdi, %rcx
    shrq $3, %rcx
    xorl %eax, %eax
    rep stosq
    movabsq $boot_stack_top, %rsp
    /* The identity map dies with the boot page tables: copy what C needs. */
    movl boot_nx, %eax
    movl %eax, boot_has_nx(%rip)
    movq boot_tsc, %rax
    movq %rax, boot_timestamp(%rip)
    xorl %ebp, %ebp
    movl boot_mb_magic, %edi
    movl boot_mb_info, %esi
    call c_kernel_entry
1:  hlt
    jmp 1b

    .data
    .globl boot_has_nx, boot_timestamp
boot_has_nx: .long 0
    .align 8
boot_timestamp: .quad 0

    .bss
    .align 16
    .globl boot_stack_top
boot_stack:     .skip 16384
boot_stack_top:
