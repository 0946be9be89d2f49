/* SPDX-License-Identifier: BSD-2-Clause */
/* 1 GiB pages (docs/mdb.md): the root task gets a whole aligned GiB from
 * sigma0 as one fpage and maps it as one fpage into other spaces and into
 * its own space at a second address; unmapping part of it splits the
 * mappings into 2 MiB and 4 KiB pieces around that part, and the rest
 * stays.  Helpers and the pool check at the end of every case:
 * mem_gib_helpers.[ch]; grant, access bits and memory attributes of parts:
 * mem_gib_parts.c.
 *
 * On a CPU without 1 GiB pages (KIP page-size mask without bit 30) the
 * same cases run with 2 MiB pages as the largest; without a free aligned
 * GiB of RAM they are skipped (make test boots the suite with TEST_MEM).
 */
#include "suite.h"
#include "mem_helpers.h"
#include "mem_gib_helpers.h"
#include <l4/space.h>
#include <l4/sigma0.h>
#include <l4/thread.h>
#include <l4/kip.h>
#include <pecan/kdb.h>

#define MID       0x23456000UL          /* a 4 KiB page in the middle */
#define PART_2M   0x20200000UL          /* a 2 MiB part */
#define OTHER_VA  0x0000008100000000UL  /* receive window of refused requests */

static volatile L4_Word_t other_answer;

static void other_thread_asks(void)
{
    L4_Fpage_t f = L4_Sigma0_GetPage_RcvWindow(L4_nilthread,
                                               L4_FpageLog2(gib_phys + MID, 12),
                                               L4_FpageLog2(OTHER_VA, 12));
    other_answer = f.raw | 1;
}

static int other_answered(void)
{
    return other_answer != 0;
}

/* sigma0 refuses a GiB request at base (window OTHER_VA). */
static int refused(L4_Word_t base)
{
    L4_Fpage_t f = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, L4_FpageLog2(base, 30),
                                               L4_FpageLog2(OTHER_VA, 30));
    if (!L4_IsNilFpage(f)) {
        test_fail(__FILE__, __LINE__, "sigma0 gave the GiB at %lx", base);
        return 0;
    }
    return 1;
}

TEST(mem, gib_from_sigma0)
{
    if (!gib_get()) {
        return;
    }
    CHECK_EQ((L4_PageSizeMask(test_kip()) >> 30) & 1, gib_largest == 30);
    for (L4_Word_t off = 0; off < GIB; off += 0x4000000) {
        *gib_at(off + 8) = off ^ 0x600D;
    }
    for (L4_Word_t off = 0; off < GIB; off += 0x4000000) {
        CHECK_EQ(*gib_at(off + 8), off ^ 0x600D);
    }
    /* Asked again by its owner: the same GiB, still one page. */
    L4_Fpage_t again = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, L4_FpageLog2(gib_phys, 30),
                                                   L4_FpageLog2(GIB_VA, 30));
    CHECK_EQ(L4_Address(again), gib_phys);
    CHECK_EQ(L4_SizeLog2(again), 30);
    CHECK_EQ(pecan_page_size_log2(GIB_VA + MID), gib_largest);
    CHECK_EQ(*gib_at(8), 0x600D);
}

/* One owner per page: another thread gets no page of our GiB; no GiB
 * holding the kernel pool or lying beyond RAM is handed out. */
TEST(mem, gib_sigma0_refuses)
{
    if (!gib_get()) {
        return;
    }
    other_answer = 0;
    L4_ThreadId_t t = test_start_thread(other_thread_asks);
    CHECK(!L4_IsNilThread(t));
    int answered = test_wait_until(other_answered, 1000);
    test_kill_thread(t);
    CHECK(answered);
    CHECK_EQ(other_answer, 1);                      /* the nil fpage */
    CHECK_EQ(pecan_page_size_log2(OTHER_VA), 0);
    void *kip = test_kip();
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        if (!L4_IsMemoryDescVirtual(m) && L4_MemoryDescType(m) == L4_ReservedMemoryType &&
            L4_MemoryDescLow(m) >= GIB) {
            CHECK(refused(L4_MemoryDescLow(m) & ~(GIB - 1)));
        }
    }
    CHECK(refused(256 * GIB));
    CHECK_EQ(pecan_page_size_log2(OTHER_VA), 0);
}

/* The whole GiB as one page to another space and to our own alias: both
 * see and change the same memory. */
static void whole(gib_case_t *c)
{
    static const L4_Word_t offs[] = { 0, 0x1000, MID, PART_2M, GIB - 0x1000 };
    for (unsigned i = 0; i < 5; i++) {
        CHECK(gib_node_reads(c->n[0], offs[i], 1));
        *(volatile L4_Word_t *)(ALIAS_VA + offs[i] + 16) = offs[i] + 1;
        CHECK_EQ(*gib_at(offs[i] + 16), offs[i] + 1);
    }
    CHECK(mem_write(c->n[0], GIB_VA + GIB - 8, 0xB0B));
    CHECK_EQ(*gib_at(GIB - 8), 0xB0B);
    CHECK_EQ(*(volatile L4_Word_t *)(ALIAS_VA + GIB - 8), 0xB0B);
    L4_UnmapFpage(gib_whole());
    CHECK(gib_alias_size(0, 0) && gib_alias_size(GIB - 0x1000, 0));
    CHECK(gib_node_reads(c->n[0], 0, 0));
    CHECK(gib_node_reads(c->n[0], GIB - 0x1000, 0));
    CHECK_EQ(pecan_page_size_log2(GIB_VA), gib_largest);   /* ours stays */
}

TEST(mem, gib_whole_to_another_space)
{
    gib_run(1, whole);
}

/* One 4 KiB page in the middle unmapped: only that page faults; the GiB
 * around it is now 2 MiB pages, and 4 KiB pages in the 2 MiB around it. */
static void unmap_4k(gib_case_t *c)
{
    L4_UnmapFpage(mem_rights(L4_FpageLog2(GIB_VA + MID, 12), L4_FullyAccessible));
    CHECK(gib_node_reads(c->n[0], MID, 0));
    CHECK(gib_node_reads(c->n[0], MID - 0x1000, 1));
    CHECK(gib_node_reads(c->n[0], MID + 0x1000, 1));
    CHECK(gib_node_reads(c->n[0], 0, 1));
    CHECK(gib_node_reads(c->n[0], GIB - 0x1000, 1));
    CHECK(gib_alias_size(MID, 0));
    CHECK(gib_alias_size(MID + 0x1000, 12));
    CHECK(gib_alias_size(MID & ~0x1FFFFFUL, 12));
    CHECK(gib_alias_size(0, 21));
    CHECK(gib_alias_size(GIB - 0x1000, 21));
    /* Our own mapping was split likewise, and kept. */
    CHECK_EQ(pecan_page_size_log2(GIB_VA + MID), 12);
    CHECK_EQ(pecan_page_size_log2(GIB_VA), 21);
    CHECK_EQ(*(volatile L4_Word_t *)(ALIAS_VA + MID + 0x1000), *gib_at(MID + 0x1000));
}

TEST(mem, gib_unmap_4k_in_the_middle)
{
    gib_run(1, unmap_4k);
}

/* A 2 MiB part unmapped: all of it faults, nothing else; no 4 KiB pages. */
static void unmap_2m(gib_case_t *c)
{
    L4_UnmapFpage(mem_rights(L4_FpageLog2(GIB_VA + PART_2M, 21), L4_FullyAccessible));
    CHECK(gib_node_reads(c->n[0], PART_2M, 0));
    CHECK(gib_node_reads(c->n[0], PART_2M + 0x1FF000, 0));
    CHECK(gib_node_reads(c->n[0], PART_2M - 0x1000, 1));
    CHECK(gib_node_reads(c->n[0], PART_2M + 0x200000, 1));
    CHECK(gib_alias_size(PART_2M, 0));
    CHECK(gib_alias_size(PART_2M - 0x1000, 21));
    CHECK(gib_alias_size(PART_2M + 0x200000, 21));
    CHECK_EQ(pecan_page_size_log2(GIB_VA + PART_2M), 21);
}

TEST(mem, gib_unmap_2m_part)
{
    gib_run(1, unmap_2m);
}
