/* SPDX-License-Identifier: BSD-2-Clause */
/* IO page faults: a user port access without permission (docs/io.md §5).
 *
 * At IOPL 0 an in, out, ins or outs on a port the TSS bitmap denies raises
 * #GP(0).  The instruction is decoded (legacy prefixes, REX, opcode; port
 * from imm8 or DX; width 1, 2 or 4 bytes) and the thread's pager receives
 * an IO page fault: label -8 << 4 with r for in/ins and w for out/outs,
 * MR1 = the smallest IO fpage covering the accessed ports, MR2 = the
 * instruction pointer, receive window = the whole port space.  The
 * instruction is then executed again.  sigma0 owns every port: its faults
 * just open the ports in its own bitmap.  A #GP that is not a denied port
 * access (another cause, or ports that are allowed) stays an exception.
 */
#include <arch/io.h>
#include <arch/uaccess.h>
#include <arch/segments.h>
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <mode/frame.h>

#define LABEL_IO_PAGEFAULT  ((word_t)-8 << 4)
#define IO_WINDOW_ALL       (((word_t)IO_PORT_BITS << 10) | (2UL << 4))
#define MAX_INSN            15

typedef struct {
    word_t port, width;
    bool out;
} io_access_t;

static bool decode(const frame_t *f, io_access_t *a)
{
    bool opsize16 = false;
    for (word_t i = 0; i < MAX_INSN; i++) {
        uint8_t b, imm;
        if (copy_from_user(&b, f->rip + i, 1)) {
            return false;
        }
        switch (b) {
        case 0x66:
            opsize16 = true;
            continue;
        case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
        case 0x67: case 0xF0: case 0xF2: case 0xF3:
            continue;
        default:
            break;
        }
        if (b >= 0x40 && b <= 0x4F) {
            continue;               /* REX: does not change the port width */
        }
        /* Bit 0: byte or word/dword; bit 1: out; E4-E7 take the port
         * from imm8, EC-EF and 6C-6F (ins/outs) from DX. */
        if ((b & 0xFC) == 0xE4) {
            if (copy_from_user(&imm, f->rip + i + 1, 1)) {
                return false;
            }
            a->port = imm;
        } else if ((b & 0xFC) == 0xEC || (b & 0xFC) == 0x6C) {
            a->port = f->rdx & 0xFFFF;
        } else {
            return false;
        }
        a->width = (b & 1) ? (opsize16 ? 2 : 4) : 1;
        a->out = b & 2;
        return true;
    }
    return false;
}

bool io_fault(tcb_t *t, frame_t *f)
{
    io_access_t a;
    if (f->error != 0 || (f->rflags & RFLAGS_IOPL3) == RFLAGS_IOPL3 || !decode(f, &a) ||
        a.port + a.width > IO_PORTS) {
        return false;
    }
    space_t *s = t->space;
    if (io_bitmap_allows(s, a.port, a.width)) {
        if (io_active == s->arch.io_map[0]) {
            return false;           /* allowed and installed: another cause */
        }
        io_switch(s);
        return true;
    }
    if (s->arch.io_sigma0) {
        if (!io_bitmap_alloc(s)) {
            return false;
        }
        io_bitmap_open(s, a.port, a.width);
        return true;
    }
    /* The smallest naturally aligned block holding every accessed port. */
    unsigned log2 = 0;
    word_t last = a.port + a.width - 1;
    while ((a.port >> log2) != (last >> log2)) {
        log2++;
    }
    fpage_t iof = (ALIGN_DOWN(a.port, BIT(log2)) << 16) | ((word_t)log2 << 10) | (2UL << 4);
    word_t access = a.out ? FPAGE_RIGHT_W : FPAGE_RIGHT_R;
    fault_arch_page(t, LABEL_IO_PAGEFAULT | access, iof, f->rip, IO_WINDOW_ALL);
    return true;
}
