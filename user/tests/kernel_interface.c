/* SPDX-License-Identifier: BSD-2-Clause */
/* KernelInterface ("lock; nop"): results and preservation of all registers. */
#include "suite.h"
#include <l4/kip.h>

TEST(kernel_interface, results)
{
    L4_Word_t version, flags, id;
    void *kip = L4_KernelInterface(&version, &flags, &id);
    CHECK_EQ(kip, 0xBFF00000);
    CHECK_EQ(version, 0x84050000);
    CHECK_EQ(flags, 0x4);
    L4_Word_t *w = kip;
    CHECK_EQ(id, *(L4_Word_t *)((char *)kip + w[3]));
}

/* Load a distinct pattern into every general register but RAX, RCX, RDX,
 * RSI, execute "lock; nop", and store them all back. */
TEST(kernel_interface, preserves_registers)
{
    L4_Word_t in[12], out[12];
    for (int i = 0; i < 12; i++) {
        in[i] = 0x1111111111111111UL * (L4_Word_t)(i + 1) ^ 0x0123456789ABCDEFUL;
    }
    __asm__ volatile(
        "push %%rbp\n\t"
        "push %%rbx\n\t"
        "push %%rax\n\t"                /* out */
        "mov 0(%%rdi), %%rbx\n\t"
        "mov 8(%%rdi), %%rbp\n\t"
        "mov 16(%%rdi), %%r8\n\t"
        "mov 24(%%rdi), %%r9\n\t"
        "mov 32(%%rdi), %%r10\n\t"
        "mov 40(%%rdi), %%r11\n\t"
        "mov 48(%%rdi), %%r12\n\t"
        "mov 56(%%rdi), %%r13\n\t"
        "mov 64(%%rdi), %%r14\n\t"
        "mov 72(%%rdi), %%r15\n\t"
        "mov %%rsp, 80(%%rdi)\n\t"    /* in[10] = RSP before */
        "lock; nop\n\t"
        "mov %%rsp, %%rax\n\t"
        "mov (%%rsp), %%rcx\n\t"        /* out */
        "mov %%rbx, 0(%%rcx)\n\t"
        "mov %%rbp, 8(%%rcx)\n\t"
        "mov %%r8, 16(%%rcx)\n\t"
        "mov %%r9, 24(%%rcx)\n\t"
        "mov %%r10, 32(%%rcx)\n\t"
        "mov %%r11, 40(%%rcx)\n\t"
        "mov %%r12, 48(%%rcx)\n\t"
        "mov %%r13, 56(%%rcx)\n\t"
        "mov %%r14, 64(%%rcx)\n\t"
        "mov %%r15, 72(%%rcx)\n\t"
        "mov %%rdi, 80(%%rcx)\n\t"
        "mov %%rax, 88(%%rcx)\n\t"      /* RSP after the call */
        "pop %%rax\n\t"
        "pop %%rbx\n\t"
        "pop %%rbp\n\t"
        :
        : "a"(out), "D"(in)
        : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
          "memory", "cc");
    for (int i = 0; i < 10; i++) {
        CHECK_EQ(out[i], in[i]);
    }
    CHECK_EQ(out[10], (L4_Word_t)in);           /* RDI */
    CHECK_EQ(out[11], in[10]);                  /* RSP */
}

TEST(kernel_interface, preserves_sse)
{
    volatile double a = 1.5, b = 2.25;
    double r;
    __asm__ volatile("movsd %1, %%xmm0\n\t"
                     "movsd %2, %%xmm1\n\t"
                     "lock; nop\n\t"
                     "addsd %%xmm1, %%xmm0\n\t"
                     "movsd %%xmm0, %0"
                     : "=m"(r)
                     : "m"(a), "m"(b)
                     : "rax", "rcx", "rdx", "rsi", "xmm0", "xmm1");
    CHECK(r == 3.75);
}
