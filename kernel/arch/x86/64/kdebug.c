/* SPDX-License-Identifier: BSD-2-Clause */
/* Decoder of the x86 kernel-debugger calls made with int3.
 *
 * The bytes after the int3 select the operation: "cmpb $op, %al" (3C op) is
 * an operation with its argument in RAX; "jmp" (EB rel8) is KDB_Enter, whose
 * message address follows as "movq $imm32, %rax" (48 C7 C0); a leading nop
 * is skipped.  Execution continues after the int3 in every case.
 */
#include <arch/uaccess.h>
#include <kernel/kdb.h>
#include <kernel/sched.h>
#include <kernel/tcb.h>
#include <mode/frame.h>

void arch_kdebug_trap(frame_t *f);

void arch_kdebug_trap(frame_t *f)
{
    uint8_t code[9];
    word_t at = f->rip;
    if (copy_from_user(code, at, 1) == 0 && code[0] == 0x90) {
        at++;
    }
    if (copy_from_user(code, at, sizeof(code)) != 0) {
        /* Too close to an unmapped page: try the short forms only. */
        if (copy_from_user(code, at, 2) != 0) {
            code[0] = 0;
        }
    }
    tcb_t *cur = sched_current();
    if (code[0] == 0x3C) {
        word_t result = f->rax;
        if (kdb_operation(cur, code[1], f->rax, &result)) {
            f->rax = result;
        }
        return;
    }
    if (code[0] == 0xEB) {
        word_t msg = 0;
        if (code[2] == 0x48 && code[3] == 0xC7 && code[4] == 0xC0) {
            int32_t imm = (int32_t)(code[5] | code[6] << 8 | code[7] << 16 |
                                    (uint32_t)code[8] << 24);
            msg = (word_t)(long)imm;
        }
        kdb_enter(cur, msg, f->rip - 1);
        return;
    }
    kdb_enter(cur, 0, f->rip - 1);
}
