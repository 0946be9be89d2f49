/* SPDX-License-Identifier: BSD-2-Clause */
/* Isolation: a thread of a fresh address space reaches only what was mapped
 * to it (X.2 §4: an address space holds what its pagers mapped; the KIP and
 * UTCB areas are the kernel's).  A probe thread touches one address; we see
 * whether it went through, faulted to its pager (the test pager, which here
 * answers nothing, so the probe stays blocked), or raised an exception
 * (we are its exception handler).  The root task's pages other than those
 * the pager hands out, the kernel's half of the address space and the
 * non-canonical hole stay out of reach; docs/abi.md lists what happens for
 * each kind of address.
 */
#include "suite.h"
#include "mem_helpers.h"
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/kip.h>

#define MAGIC        0x15017ED15017ED00UL
#define KERNEL_IMAGE 0xFFFFFFFF80100000UL   /* the kernel at -2 GiB */
#define PHYSMAP      0xFFFF800000000000UL   /* all RAM, kernel only */
#define USER_WINDOW  0xFFFFFF0000000000UL   /* stubs (r-x), UTCB-pointer words (r--) */
#define USER_END     0x0000800000000000UL

enum { READ = 1, WRITE, EXEC };
enum { NOTHING, DONE, PAGE_FAULT, EXCEPTION };

typedef struct {
    int kind;
    L4_Word_t value;                /* DONE, READ: the word read */
    L4_Word_t addr, access;         /* PAGE_FAULT: as the pager saw it */
    L4_Word_t vector, ip;           /* EXCEPTION: MR19, MR1 */
} outcome_t;

/* Root-task pages the pager never maps: data, code and our stack page. */
static L4_Word_t secret[512] __attribute__((aligned(4096))) = { MAGIC };
extern char secret_code[];
__asm__(".pushsection .text.secret, \"ax\"\n"
        ".balign 4096\n"
        "secret_code: ret\n"
        ".balign 4096\n"
        ".popsection");

static volatile L4_Word_t probe_addr, probe_value, probe_done;
static volatile int probe_op;
static L4_ThreadId_t handler;
extern char probe_insn[];

static void probe(void)
{
    L4_Set_ExceptionHandler(handler);
    L4_Word_t v = probe_value;
    switch (probe_op) {
    case READ:
        __asm__ volatile(".globl probe_insn\nprobe_insn: movq (%1), %0"
                         : "=r"(v) : "r"(probe_addr) : "memory");
        break;
    case WRITE:
        *(volatile L4_Word_t *)probe_addr = v;
        break;
    default:
        ((void (*)(void))probe_addr)();
        break;
    }
    probe_value = v;
    probe_done = 1;
}

/* Run the probe in a new space (or in the space of thread `space`). */
static outcome_t touch_in(L4_ThreadId_t space, int op, L4_Word_t addr, L4_Word_t value)
{
    outcome_t o = { NOTHING, 0, 0, 0, 0, 0 };
    L4_Word_t before = test_pager_log.count;
    probe_op = op;
    probe_addr = addr;
    probe_value = value;
    probe_done = 0;
    handler = L4_Myself();
    L4_ThreadId_t t = test_start_thread_in(space, probe);
    if (L4_IsNilThread(t)) {
        return o;
    }
    for (int i = 0; i < 2000 && o.kind == NOTHING; i++) {
        if (probe_done) {
            o.kind = DONE;
            o.value = probe_value;
        } else if (test_pager_log.count != before) {
            o.kind = PAGE_FAULT;
            o.addr = test_pager_log.addr;
            o.access = test_pager_log.access;
        } else if (L4_IpcSucceeded(L4_Receive_Timeout(t, L4_ZeroTime))) {
            o.kind = EXCEPTION;
            L4_StoreMR(19, &o.vector);
            L4_StoreMR(1, &o.ip);
        } else {
            L4_Yield();
        }
    }
    test_kill_thread(t);
    return o;
}

static outcome_t touch(int op, L4_Word_t addr, L4_Word_t value)
{
    return touch_in(L4_nilthread, op, addr, value);
}

/* The pager answers no fault: a probe that faults stays blocked. */
static int start(void)
{
    if (!mem_pager_start()) {
        return 0;
    }
    test_pager_log.scratch = 0;
    return 1;
}

/* The access faults to the pager at exactly addr with access rwx. */
static int faults_at(outcome_t o, L4_Word_t addr, L4_Word_t rwx)
{
    if (o.kind != PAGE_FAULT || o.addr != addr || o.access != rwx) {
        test_fail(__FILE__, __LINE__, "at %lx: outcome %d (addr %lx rwx %lx value %lx vector %lu)",
                  addr, o.kind, o.addr, o.access, o.value, o.vector);
        return 0;
    }
    return 1;
}

static void root_data(void)
{
    test_pager_log.deny_lo = (L4_Word_t)secret;
    test_pager_log.deny_hi = (L4_Word_t)secret + sizeof(secret);
    CHECK(faults_at(touch(READ, (L4_Word_t)&secret[8], 0), (L4_Word_t)&secret[8], L4_Readable));
    CHECK(faults_at(touch(WRITE, (L4_Word_t)secret, 1), (L4_Word_t)secret, L4_Writable));
    CHECK_EQ(secret[0], MAGIC);
}

static void root_code(void)
{
    test_pager_log.deny_lo = (L4_Word_t)secret_code;
    test_pager_log.deny_hi = (L4_Word_t)secret_code + 4096;
    L4_Word_t a = (L4_Word_t)secret_code;
    CHECK(faults_at(touch(READ, a, 0), a, L4_Readable));
    /* Without NX an instruction fetch is reported as a read. */
    outcome_t o = touch(EXEC, a, 0);
    CHECK(faults_at(o, a, o.access == L4_eXecutable ? L4_eXecutable : L4_Readable));
}

static void root_stack(void)
{
    volatile L4_Word_t mine = MAGIC;
    L4_Word_t page = (L4_Word_t)&mine & ~0xFFFUL;
    test_pager_log.deny_lo = page;
    test_pager_log.deny_hi = page + 4096;
    CHECK(faults_at(touch(READ, (L4_Word_t)&mine, 0), (L4_Word_t)&mine, L4_Readable));
    CHECK(faults_at(touch(WRITE, (L4_Word_t)&mine, 0), (L4_Word_t)&mine, L4_Writable));
    CHECK_EQ(mine, MAGIC);
}

/* Memory we got from sigma0 (outside our image). */
static void root_heap(void)
{
    L4_Word_t *p = test_alloc(12);
    CHECK(p);
    p[0] = MAGIC;
    CHECK(faults_at(touch(READ, (L4_Word_t)p, 0), (L4_Word_t)p, L4_Readable));
    CHECK(faults_at(touch(WRITE, (L4_Word_t)p, 0), (L4_Word_t)p, L4_Writable));
    CHECK_EQ(p[0], MAGIC);
}

/* Our UTCB's address names the probe's own UTCB area there: it never
 * shows our UTCB (a fresh page or no page at all). */
static void root_utcb(void)
{
    L4_Set_UserDefinedHandle(MAGIC);
    L4_Word_t a = (L4_Word_t)&__L4_Utcb()[__L4_TCR_USER_DEFINED_HANDLE];
    CHECK_EQ(*(volatile L4_Word_t *)a, MAGIC);
    outcome_t o = touch(READ, a, 0);
    CHECK(o.kind == DONE || o.kind == PAGE_FAULT);
    CHECK(o.kind == PAGE_FAULT || o.value != MAGIC);
    CHECK(o.kind == DONE || o.addr == a);
    o = touch(WRITE, a, 0);
    CHECK(o.kind == DONE || o.kind == PAGE_FAULT);
    CHECK_EQ(L4_UserDefinedHandle(), MAGIC);
}

/* Our KIP area: the probe's own KIP, read-only. */
static void kip_read_only(void)
{
    L4_Word_t kip = (L4_Word_t)test_kip();
    outcome_t o = touch(READ, kip, 0);
    CHECK_EQ(o.kind, DONE);
    CHECK_EQ(o.value, *(L4_Word_t *)kip);
    CHECK(faults_at(touch(WRITE, kip + 0x100, 0), kip + 0x100, L4_Writable));
}

/* The kernel's half: kernel image and physmap fault to the pager (the
 * address in the message is the kernel address; no pager can map there).
 * Reading our secret through the physmap does not work either. */
static void kernel_half(void)
{
    CHECK(faults_at(touch(READ, KERNEL_IMAGE, 0), KERNEL_IMAGE, L4_Readable));
    CHECK(faults_at(touch(WRITE, KERNEL_IMAGE, 0), KERNEL_IMAGE, L4_Writable));
    L4_Word_t alias = PHYSMAP + (L4_Word_t)secret;  /* our image: physical = virtual */
    CHECK(faults_at(touch(READ, alias, 0), alias, L4_Readable));
    CHECK(faults_at(touch(WRITE, PHYSMAP + 0x100000, 0), PHYSMAP + 0x100000, L4_Writable));
    CHECK(faults_at(touch(READ, 0xFFFFFFFFFFFFF000UL, 0), 0xFFFFFFFFFFFFF000UL, L4_Readable));
}

/* The non-canonical hole: a general-protection exception, no fault. */
static void noncanonical(void)
{
    static const L4_Word_t addrs[] = { USER_END, 0x0000900000000000UL, 0xFFFF7FFFFFFFF000UL };
    for (unsigned i = 0; i < 3; i++) {
        outcome_t o = touch(READ, addrs[i], 0);
        CHECK_EQ(o.kind, EXCEPTION);
        CHECK_EQ(o.vector, 13);
        CHECK_EQ(o.ip, (L4_Word_t)probe_insn);
        CHECK_EQ(test_pager_log.count, 0);
    }
}

/* The user window: stubs readable and executable, the UTCB-pointer words
 * readable (the probe's own UTCB), nothing writable. */
static void user_window(void)
{
    L4_Word_t stub = (L4_Word_t)__L4_Ipc;
    CHECK_EQ(stub & ~0xFFFUL, USER_WINDOW);
    outcome_t o = touch(READ, stub, 0);
    CHECK_EQ(o.kind, DONE);
    CHECK_EQ(o.value & 0xFFFF, 0x050F);             /* syscall */
    CHECK_EQ(touch(EXEC, stub + 2, 0).kind, DONE);  /* its ret */
    CHECK(faults_at(touch(WRITE, stub, 0), stub, L4_Writable));
    o = touch(READ, USER_WINDOW + 0x1000, 0);
    CHECK_EQ(o.kind, DONE);
    CHECK(o.value != (L4_Word_t)__L4_Utcb());       /* the probe's, not ours */
    CHECK_EQ(o.value & ~0xFFFFUL, (L4_Word_t)__L4_Utcb() & ~0xFFFFUL);
    CHECK(faults_at(touch(WRITE, USER_WINDOW + 0x1000, 0), USER_WINDOW + 0x1000, L4_Writable));
}

/* A page mapped read-only: reads work, a write faults and changes nothing;
 * after Unmap the data is gone for the probe. */
static void read_only_then_unmapped(void)
{
    L4_Word_t *p = test_alloc(12);
    CHECK(p);
    p[0] = MAGIC;
    L4_ThreadId_t node = mem_node_start();
    CHECK(!L4_IsNilThread(node));
    L4_Word_t win = 0x40000000UL;
    int ok = mem_window(node, L4_FpageLog2(win, 12)) &&
             mem_send(node, mem_rights(L4_FpageLog2((L4_Word_t)p, 12), L4_Readable), 0, 0);
    outcome_t r = touch_in(node, READ, win, 0), w = touch_in(node, WRITE, win, 1);
    L4_UnmapFpage(mem_rights(L4_FpageLog2((L4_Word_t)p, 12), L4_FullyAccessible));
    outcome_t gone = touch_in(node, READ, win, 0);
    test_kill_thread(node);
    CHECK(ok);
    CHECK_EQ(r.kind, DONE);
    CHECK_EQ(r.value, MAGIC);
    CHECK(faults_at(w, win, L4_Writable));
    CHECK_EQ(p[0], MAGIC);
    CHECK(faults_at(gone, win, L4_Readable));
}

static void run(void (*body)(void))
{
    if (start()) {
        body();
    } else {
        test_fail(__FILE__, __LINE__, "no test pager");
    }
    test_pager_stop();
}

TEST(mem, isolation_root_data_page) { run(root_data); }
TEST(mem, isolation_root_code_page) { run(root_code); }
TEST(mem, isolation_root_stack_page) { run(root_stack); }
TEST(mem, isolation_root_sigma0_memory) { run(root_heap); }
TEST(mem, isolation_root_utcb) { run(root_utcb); }
TEST(mem, isolation_kip_read_only) { run(kip_read_only); }
TEST(mem, isolation_kernel_half_faults) { run(kernel_half); }
TEST(mem, isolation_noncanonical_is_exception) { run(noncanonical); }
TEST(mem, isolation_user_window_not_writable) { run(user_window); }
TEST(mem, isolation_read_only_and_unmapped) { run(read_only_then_unmapped); }
