/* SPDX-License-Identifier: BSD-2-Clause */
/* MemoryControl (X.2 §6.4, syscalls.md §11, docs/control.md): memory
 * attributes of the caller's own mappings.  The resulting memory type of a
 * mapping is read back with the kdebug extension 0x23 (privileged, own
 * space only): 0 UC, 1 WC, 4 WT, 5 WP, 6 WB. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/misc.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <pecan/kdb.h>

enum { MT_UC = 0, MT_WC = 1, MT_WT = 4, MT_WP = 5, MT_WB = 6 };

#define UNMAPPED_VA 0x500000000000UL

static L4_Fpage_t page_fp(const void *p)
{
    return L4_FpageLog2((L4_Word_t)p & ~0xFFFUL, 12);
}

/* Fpage f selecting attribute a (the low two bits, X.2). */
static L4_Word_t sel(L4_Fpage_t f, L4_Word_t a)
{
    return (f.raw & ~0xFUL) | a;
}

static L4_Word_t *fresh_page(void)
{
    L4_Word_t *p = test_alloc(12);
    if (p) {
        p[0] = (L4_Word_t)p ^ 0x5A5A;       /* also maps it in our space */
    }
    return p;
}

TEST(memory_control, sets_memory_type)
{
    L4_Word_t *p = fresh_page();
    CHECK(p);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_WB);
    static const L4_Word_t attr[] = { L4_UncacheableMemory, L4_WriteCombiningMemory,
                                      L4_WriteThroughMemory, L4_WriteProtectedMemory,
                                      L4_WriteBackMemory, L4_UncacheableMemory,
                                      L4_DefaultMemory };
    static const L4_Word_t type[] = { MT_UC, MT_WC, MT_WT, MT_WP, MT_WB, MT_UC, MT_WB };
    for (unsigned i = 0; i < sizeof(attr) / sizeof(attr[0]); i++) {
        CHECK_EQ(L4_Set_PageAttribute(page_fp(p), attr[i]), 1);
        CHECK_EQ(pecan_memory_type((L4_Word_t)p), type[i]);
        CHECK_EQ(p[0], (L4_Word_t)p ^ 0x5A5A);   /* same frame, still readable */
    }
    /* A fpage smaller than a page means its page. */
    CHECK_EQ(L4_Set_PageAttribute(L4_FpageLog2((L4_Word_t)p + 0x100, 8), L4_UncacheableMemory),
             1);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_UC);
    CHECK_EQ(L4_Set_PageAttribute(page_fp(p), L4_DefaultMemory), 1);
}

/* Part of a 2 MiB mapping: only that page changes (the entry is split). */
TEST(memory_control, part_of_large_page)
{
    L4_Word_t base = (L4_Word_t)test_alloc(21);
    CHECK(base);
    for (L4_Word_t off = 0; off < (1UL << 21); off += 0x1000) {
        *(volatile L4_Word_t *)(base + off) = off;
    }
    CHECK_EQ(L4_Set_PageAttribute(L4_FpageLog2(base + 0x5000, 12), L4_WriteThroughMemory), 1);
    CHECK_EQ(pecan_memory_type(base + 0x5000), MT_WT);
    CHECK_EQ(pecan_memory_type(base + 0x4000), MT_WB);
    CHECK_EQ(pecan_memory_type(base + 0x6000), MT_WB);
    CHECK_EQ(*(volatile L4_Word_t *)(base + 0x5000), 0x5000);
    CHECK_EQ(L4_Set_PageAttribute(L4_FpageLog2(base, 21), L4_UncacheableMemory), 1);
    for (L4_Word_t off = 0; off < (1UL << 21); off += 0x3000) {
        CHECK_EQ(pecan_memory_type(base + off), MT_UC);
        CHECK_EQ(*(volatile L4_Word_t *)(base + off), off);
    }
    /* Revoking write access to one page splits the mapping itself: the
     * pieces keep their type. */
    L4_Flush(L4_FpageAddRights(L4_FpageLog2(base + 0x7000, 12), L4_Writable));
    CHECK_EQ(pecan_memory_type(base + 0x7000), MT_UC);
    CHECK_EQ(pecan_memory_type(base + 0x8000), MT_UC);
    CHECK_EQ(*(volatile L4_Word_t *)(base + 0x7000), 0x7000);
    *(volatile L4_Word_t *)(base + 0x8000) = 0x8000;
    /* The complete address space: everything of ours back to default. */
    CHECK_EQ(L4_Set_PageAttribute(L4_CompleteAddressSpace, L4_DefaultMemory), 1);
    CHECK_EQ(pecan_memory_type(base + 0x5000), MT_WB);
    CHECK_EQ(pecan_memory_type(base + 0x1FF000), MT_WB);
}

/* Several fpages, each selecting one of the four attributes. */
TEST(memory_control, several_fpages)
{
    L4_Word_t *p[4];
    for (int i = 0; i < 4; i++) {
        p[i] = fresh_page();
        CHECK(p[i]);
    }
    L4_Fpage_t f[5];
    for (int i = 0; i < 4; i++) {
        f[i].raw = sel(page_fp(p[i]), (L4_Word_t)i);
    }
    f[4].raw = L4_Nilpage.raw | 2;                  /* a no-op */
    L4_Word_t attr[4] = { L4_UncacheableMemory, L4_WriteThroughMemory,
                          L4_WriteCombiningMemory, L4_WriteProtectedMemory };
    CHECK_EQ(L4_Set_PagesAttributes(5, f, attr), 1);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p[0]), MT_UC);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p[1]), MT_WT);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p[2]), MT_WC);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p[3]), MT_WP);
    L4_Word_t dflt[4] = { 0, 0, 0, 0 };
    CHECK_EQ(L4_Set_PagesAttributes(4, f, dflt), 1);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(pecan_memory_type((L4_Word_t)p[i]), MT_WB);
    }
}

/* Unmapped parts are skipped, the KIP and UTCB pages are never changed. */
TEST(memory_control, unmapped_kip_and_utcb)
{
    CHECK_EQ(L4_Set_PageAttribute(L4_FpageLog2(UNMAPPED_VA, 12), L4_UncacheableMemory), 1);
    CHECK_EQ(pecan_memory_type(UNMAPPED_VA), ~0UL);
    L4_Word_t kip = (L4_Word_t)test_kip(), utcb = L4_MyLocalId().raw;
    CHECK_EQ(pecan_memory_type(kip), MT_WB);
    CHECK_EQ(L4_Set_PageAttribute(page_fp((void *)kip), L4_UncacheableMemory), 1);
    CHECK_EQ(L4_Set_PageAttribute(page_fp((void *)utcb), L4_UncacheableMemory), 1);
    CHECK_EQ(L4_Set_PageAttribute(L4_FpageLog2(0, 40), L4_UncacheableMemory), 1);
    CHECK_EQ(pecan_memory_type(kip), MT_WB);
    CHECK_EQ(pecan_memory_type(utcb), MT_WB);
    CHECK_EQ(L4_Set_PageAttribute(L4_FpageLog2(0, 40), L4_DefaultMemory), 1);
}

TEST(memory_control, bad_input)
{
    L4_Word_t *p = fresh_page(), *q = fresh_page();
    CHECK(p && q);
    static const L4_Word_t bad[] = { 3, 4, 8, 0x100, ~0UL };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(L4_Set_PageAttribute(page_fp(p), bad[i]), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
        CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_WB);
    }
    /* Control bits above 0..5. */
    L4_Word_t attr[4] = { L4_UncacheableMemory, 0, 0, 0 };
    L4_LoadMR(0, page_fp(p).raw);
    CHECK_EQ(L4_MemoryControl(64, attr), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    L4_LoadMR(0, page_fp(p).raw);
    CHECK_EQ(L4_MemoryControl(1UL << 63, attr), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    /* One bad attribute refuses the whole call: the first page unchanged. */
    L4_Fpage_t f[2] = { page_fp(p), { .raw = sel(page_fp(q), 1) } };
    L4_Word_t mixed[4] = { L4_UncacheableMemory, 4, 0, 0 };
    CHECK_EQ(L4_Set_PagesAttributes(2, f, mixed), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_WB);
    /* Attributes no fpage selects are not looked at. */
    L4_Word_t unused_bad[4] = { L4_UncacheableMemory, L4_WriteThroughMemory, 99, ~0UL };
    CHECK_EQ(L4_Set_PagesAttributes(2, f, unused_bad), 1);
    CHECK_EQ(pecan_memory_type((L4_Word_t)q), MT_WT);
    L4_Word_t dflt[4] = { 0, 0, 0, 0 };
    CHECK_EQ(L4_Set_PagesAttributes(2, f, dflt), 1);
}

/* Registers at the stub (syscalls.md §11): attribute0 in RCX (R9 is not
 * MR0), attribute3 in R11; out RDX = result, RAX = MR1, RCX = MR0,
 * RSI = RDI = UTCB pointer. */
TEST(memory_control, registers)
{
    L4_Word_t *p = fresh_page(), *q = fresh_page();
    CHECK(p && q);
    L4_Word_t *utcb = __L4_Utcb();
    utcb[0] = page_fp(p).raw;
    utcb[1] = sel(page_fp(q), 3);
    register L4_Word_t r8 __asm__("r8") = 99;
    register L4_Word_t r9 __asm__("r9") = L4_WriteThroughMemory;
    register L4_Word_t r11 __asm__("r11") = L4_WriteCombiningMemory;
    L4_Word_t rax = 0x1111, rbx = 0x2222, rcx = L4_UncacheableMemory, rdx = 1, rsi = 77;
    L4_Word_t rdi = (L4_Word_t)utcb;
    __asm__ __volatile__(__L4_STUB_CALL(__L4_MemoryControl)
                         : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi),
                           "+r"(r8), "+r"(r9), "+r"(r11)
                         :
                         : "r10", "r12", "r13", "r14", "r15", "memory", "cc");
    CHECK_EQ(rdx, 1);
    CHECK_EQ(rcx, page_fp(p).raw);
    CHECK_EQ(rax, sel(page_fp(q), 3));
    CHECK_EQ(rsi, (L4_Word_t)utcb);
    CHECK_EQ(rdi, (L4_Word_t)utcb);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_UC);
    CHECK_EQ(pecan_memory_type((L4_Word_t)q), MT_WC);
    L4_Fpage_t f[2] = { page_fp(p), page_fp(q) };
    L4_Word_t dflt[4] = { 0, 0, 0, 0 };
    CHECK_EQ(L4_Set_PagesAttributes(2, f, dflt), 1);
}

static volatile L4_Word_t mc_result = 99, mc_error, mc_type;

static void try_memory_control(void)
{
    mc_result = L4_Set_PageAttribute(page_fp((const void *)&mc_result), L4_UncacheableMemory);
    mc_error = L4_ErrorCode();
    mc_type = pecan_memory_type((L4_Word_t)&mc_result);
}

TEST(memory_control, no_privilege)
{
    CHECK(test_run_unprivileged(try_memory_control));
    CHECK_EQ(mc_result, 0);
    CHECK_EQ(mc_error, L4_ErrNoPrivilege);
    CHECK_EQ(mc_type, ~0UL);                    /* the debugger answers no one else */
    CHECK_EQ(pecan_memory_type((L4_Word_t)&mc_result), MT_WB);
}

/* An IO fpage names ports, not memory: MemoryControl leaves the page its
 * bits would name as a memory fpage (port << 16) alone, and succeeds. */
TEST(memory_control, io_fpage_touches_no_memory)
{
    L4_Word_t *p = test_alloc(16);                  /* 64 KiB aligned, below 4 GiB */
    CHECK(p);
    p[0] = 1;                                       /* map its first page */
    L4_Word_t port = (L4_Word_t)p >> 16;
    CHECK(port < 0x10000);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_WB);
    CHECK_EQ(L4_Set_PageAttribute(L4_IoFpage(port, 1), L4_UncacheableMemory), 1);
    CHECK_EQ(pecan_memory_type((L4_Word_t)p), MT_WB);
}
