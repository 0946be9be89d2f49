/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-debugger interface: print and read operations from user mode. */
#include "suite.h"
#include <l4/kdebug.h>
#include <kernel/string.h>

/* Run an int3 operation with RAX = arg and patterned callee registers;
 * returns RAX afterwards and whether every other register survived. */
static int op_preserves(unsigned char op, L4_Word_t arg, L4_Word_t *rax_out)
{
    L4_Word_t rbx = 0xB0B0B0B0B0B0B0B0UL, r12 = 0x1212121212121212UL, r15 = 0x1515151515151515UL;
    L4_Word_t rcx = 0xC0C0C0C0C0C0C0C0UL, rdx = 0xD0D0D0D0D0D0D0D0UL, rsi = 0x5151515151515151UL;
    L4_Word_t rax = arg;
    L4_Word_t b = rbx, c = rcx, d = rdx, s = rsi, x12 = r12, x15 = r15;
    if (op == 0x00) {
        __asm__ volatile("int3; cmpb $0x00, %%al"
                         : "+a"(rax), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+r"(x12), "+r"(x15));
    } else if (op == 0x01) {
        __asm__ volatile("int3; cmpb $0x01, %%al"
                         : "+a"(rax), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+r"(x12), "+r"(x15)
                         :: "memory");
    } else {
        __asm__ volatile("int3; cmpb $0x08, %%al"
                         : "+a"(rax), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+r"(x12), "+r"(x15));
    }
    *rax_out = rax;
    return b == rbx && c == rcx && d == rdx && s == rsi && x12 == r12 && x15 == r15;
}

TEST(kdebug, print_char_preserves_registers)
{
    L4_Word_t rax;
    CHECK(op_preserves(0x00, '+', &rax));
    CHECK_EQ(rax, '+');
    op_preserves(0x00, '\n', &rax);
}

TEST(kdebug, print_string_preserves_registers)
{
    static const char msg[] = "kdebug: print string works\n";
    L4_Word_t rax;
    CHECK(op_preserves(0x01, (L4_Word_t)msg, &rax));
    CHECK_EQ(rax, (L4_Word_t)msg);
}

TEST(kdebug, print_string_bad_pointer)
{
    /* Unmapped, kernel and non-canonical addresses print nothing and
     * return normally. */
    L4_Word_t rax;
    CHECK(op_preserves(0x01, 0xFFFF800000000000UL, &rax));
    CHECK(op_preserves(0x01, 0x0000900000000000UL, &rax));
    CHECK(op_preserves(0x01, 0x00007FFFFFFFF000UL, &rax));
}

/* The "K" the harness types may reach whichever of the two read cases
 * runs first (their order is the link order, which differs between
 * compilers). */
static int typed_k_seen;

TEST(kdebug, read_char_nonblocking)
{
    /* No input: -1 in all of RAX; else the character. */
    L4_Word_t rax;
    CHECK(op_preserves(0x08, 0x1234, &rax));
    CHECK(rax == ~0UL || rax < 0x100 || rax >= ~0x7FUL);
    typed_k_seen |= (rax & 0xFF) == 'K' && rax < 0x100;
}

TEST(kdebug, read_char_blocked_gets_input)
{
    /* The harness types "K" on the console before booting; wait for it. */
    char buf[8];
    const char *input = test_option("input", buf, sizeof(buf));
    if (input && !strcmp(input, "none")) {
        test_skip("no console input in this boot");
        return;
    }
    if (typed_k_seen) {
        return;                             /* the other case took it */
    }
    int c = (int)L4_KDB_ReadChar_Blocked() & 0xFF;
    while (c != 'K' && c != 0xFF) {
        c = (int)L4_KDB_ReadChar_Blocked() & 0xFF;
    }
    CHECK_EQ(c, 'K');
}
