/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel debugger interface (console I/O for user programs).
 *
 * KDB_Enter behaves according to the "kdb=" option: "go" prints the message
 * and continues; "exit" (for unattended test runs) prints it and stops the
 * machine with a failure status; the default "prompt" waits on the console
 * for 'g' (go) or 'q' (quit).
 */
#include <kernel/kdb.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/kmem.h>
#include <kernel/space.h>
#include <arch/uaccess.h>
#include <arch/cpu.h>
#include <arch/timer.h>
#include <plat/platform.h>
#include <mode/layout.h>

#define KDB_EXIT_STATUS 0x7E
#define PRINT_STRING_MAX 4096

static enum { KDB_PROMPT, KDB_GO, KDB_EXIT } kdb_mode;

void kdb_init(void)
{
    char buf[16];
    if (boot_option("kdb", buf, sizeof(buf))) {
        kdb_mode = !strcmp(buf, "go") ? KDB_GO : !strcmp(buf, "exit") ? KDB_EXIT : KDB_PROMPT;
    }
}

static void print_user_string(word_t addr)
{
    char chunk[64];
    for (size_t done = 0; done < PRINT_STRING_MAX; done += sizeof(chunk)) {
        size_t n = sizeof(chunk);
        /* Do not cross into a page we were not asked to read. */
        size_t to_page = PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1));
        if (n > to_page) {
            n = to_page;
        }
        if (copy_from_user(chunk, addr + done, n) != 0) {
            return;
        }
        for (size_t i = 0; i < n; i++) {
            if (!chunk[i]) {
                return;
            }
            plat_putc(chunk[i]);
        }
        done -= sizeof(chunk) - n;
    }
}

static int read_char(bool block)
{
    int c;
    while ((c = plat_getc()) < 0 && block) {
        cpu_relax();
    }
    return c;
}

/* log2 of the hardware page mapping va in s, 0 if none. */
static word_t page_size_at(space_t *s, word_t va)
{
    unsigned size_log2;
    if (!user_range_ok(va, 1) || !pgt_lookup(&s->pgt, va, NULL, &size_log2, NULL)) {
        return 0;
    }
    return size_log2;
}

bool kdb_operation(tcb_t *t, unsigned op, word_t arg, word_t *result)
{
    switch (op) {
    case KDB_OP_PRINT_CHAR:
        plat_putc((char)arg);
        return false;
    case KDB_OP_PRINT_STRING:
        print_user_string(arg);
        return false;
    case KDB_OP_READ_CHAR:
    case KDB_OP_READ_CHAR_BLOCKED: {
        int c = read_char(op == KDB_OP_READ_CHAR_BLOCKED);
        *result = c < 0 ? ~0UL : (word_t)(long)(signed char)c;
        return true;
    }
    case KDB_OP_POWER_OFF:
        if (thread_is_privileged(t)) {
            printk("pecan: power-off requested by %lx, status %lu\n", t->id, arg & 0xFF);
            plat_poweroff((unsigned)(arg & 0xFF));
        }
        return false;
    case KDB_OP_KMEM_FREE:
        /* Leak checks of the test suite; not for unprivileged spaces. */
        *result = thread_is_privileged(t) ? kmem_free_pages() : ~0UL;
        return true;
    case KDB_OP_MEMORY_TYPE:
        /* MemoryControl tests: how the caller itself maps an address. */
        *result = thread_is_privileged(t) ? pgt_memory_type_at(&t->space->pgt, arg) : ~0UL;
        return true;
    case KDB_OP_PAGE_SIZE:
        /* Page-size tests: how large the hardware page mapping the
         * caller's own address is. */
        *result = thread_is_privileged(t) ? page_size_at(t->space, arg) : ~0UL;
        return true;
    case KDB_OP_BOOT_TSC:
        /* For the boot benchmark: the time stamp of the first kernel instruction. */
        *result = arch_boot_timestamp();
        return true;
    default:
        printk("pecan: unknown kernel-debugger operation %x from %lx\n", op, t->id);
        kdb_enter(t, 0, 0);
        return false;
    }
}

void kdb_enter(tcb_t *t, word_t msg, word_t ip)
{
    printk("--- KD# ");
    if (msg) {
        print_user_string(msg);
    }
    printk(" --- (thread %lx, ip %lx)\n", t->id, ip);
    if (kdb_mode == KDB_EXIT) {
        plat_poweroff(KDB_EXIT_STATUS);
    }
    while (kdb_mode == KDB_PROMPT) {
        printk("kdb: 'g' go, 'q' quit > ");
        int c = read_char(true);
        printk("%c\n", c);
        if (c == 'g') {
            return;
        }
        if (c == 'q') {
            plat_poweroff(KDB_EXIT_STATUS);
        }
    }
}
