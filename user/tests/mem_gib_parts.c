/* SPDX-License-Identifier: BSD-2-Clause */
/* 1 GiB pages, continued (see mem_gib.c): a node grants parts of its GiB
 * on, the write right is revoked from one page of it, access bits are read
 * over the whole GiB and over parts of it without splitting anything, and
 * MemoryControl re-types one page inside our GiB.
 */
#include "suite.h"
#include "mem_helpers.h"
#include "mem_gib_helpers.h"
#include <l4/space.h>
#include <l4/misc.h>
#include <pecan/kdb.h>

#define PART_2M  0x1000000UL            /* granted 2 MiB */
#define PART_4K  0x2345000UL            /* granted 4 KiB */
#define TYPED    0x30007000UL           /* re-typed 4 KiB */
#define RDONLY   0x3A5C3000UL           /* 4 KiB made read-only */

enum { MT_WT = 4, MT_WB = 6 };

static L4_Fpage_t part(L4_Word_t off, int log2)
{
    return mem_rights(L4_FpageLog2(GIB_VA + off, log2), L4_FullyAccessible);
}

/* B grants a 2 MiB and a 4 KiB part of its GiB to C: C has exactly those,
 * B has all but those, and our Unmap of the GiB reaches C's parts too. */
static void grant(gib_case_t *c)
{
    L4_ThreadId_t b = c->n[0], cc = c->n[1];
    CHECK(mem_unmap(cc, mem_rights(L4_FpageLog2(GIB_VA, 30), L4_FullyAccessible), 1, 0));
    CHECK(mem_map_to(b, cc, part(PART_2M, 21), PART_2M, 1));
    CHECK(mem_map_to(b, cc, part(PART_4K, 12), PART_4K, 1));
    CHECK(gib_node_reads(cc, PART_2M, 1));
    CHECK(gib_node_reads(cc, PART_2M + 0x1FF000, 1));
    CHECK(gib_node_reads(cc, PART_4K, 1));
    CHECK(gib_node_reads(cc, PART_4K + 0x1000, 0));
    CHECK(gib_node_reads(b, PART_2M, 0));
    CHECK(gib_node_reads(b, PART_4K, 0));
    CHECK(gib_node_reads(b, PART_2M + 0x200000, 1));
    CHECK(gib_node_reads(b, PART_4K + 0x1000, 1));
    CHECK(gib_node_reads(b, GIB - 0x1000, 1));
    CHECK(mem_write(cc, GIB_VA + PART_2M + 8, 0xC0C));
    CHECK_EQ(*gib_at(PART_2M + 8), 0xC0C);
    CHECK(gib_alias_size(0, gib_largest));          /* only B's mapping was split */
    L4_UnmapFpage(gib_whole());
    CHECK(gib_node_reads(cc, PART_2M + 0x1000, 0));
    CHECK(gib_node_reads(cc, PART_4K, 0));
}

TEST(mem, gib_grant_part)
{
    gib_run(2, grant);
}

/* The write right revoked from one 4 KiB page: it can still be read, a
 * write to it faults, the pages around it stay writable. */
static void read_only_part(gib_case_t *c)
{
    L4_UnmapFpage(mem_rights(L4_FpageLog2(GIB_VA + RDONLY, 12), L4_Writable));
    CHECK(gib_node_reads(c->n[0], RDONLY, 1));
    CHECK(gib_alias_size(RDONLY, 12));
    CHECK(gib_alias_size(RDONLY + 0x200000, 21));
    CHECK(mem_write(c->n[0], GIB_VA + RDONLY + 0x1000, 0xAB));
    CHECK_EQ(*gib_at(RDONLY + 0x1000), 0xAB);
    *gib_at(RDONLY) = 0xCD;
    L4_Word_t before = test_pager_log.count;
    CHECK(mem_write(c->n[0], GIB_VA + RDONLY, 0xEF));   /* faults, gets the scratch page */
    CHECK_EQ(test_pager_log.count, before + 1);
    CHECK_EQ(test_pager_log.access & 2, 2);
    CHECK_EQ(*gib_at(RDONLY), 0xCD);
}

TEST(mem, gib_write_revoked_on_part)
{
    gib_run(1, read_only_part);
}

/* Access bits of derived mappings over the whole GiB and parts of it:
 * reported once, and a query of a part splits nothing. */
static void access_bits(gib_case_t *c)
{
    L4_Fpage_t all = L4_FpageLog2(GIB_VA, 30);
    L4_GetStatus(all);                              /* reset */
    L4_Fpage_t s = L4_GetStatus(all);
    CHECK(!L4_WasReferenced(s) && !L4_WasWritten(s));
    L4_Word_t v;
    CHECK(mem_read(c->n[0], GIB_VA + 0x30000000, &v));
    s = L4_GetStatus(all);
    CHECK(L4_WasReferenced(s));
    CHECK(!L4_WasWritten(s));
    CHECK(mem_write(c->n[0], GIB_VA + 0x100, 1));
    s = L4_GetStatus(L4_FpageLog2(GIB_VA, 12));     /* the part holding it */
    CHECK(L4_WasWritten(s));
    CHECK_EQ(L4_Address(s), GIB_VA);
    CHECK_EQ(L4_SizeLog2(s), 12);
    CHECK(gib_alias_size(0, gib_largest));
    CHECK_EQ(pecan_page_size_log2(GIB_VA), gib_largest);
    CHECK(L4_WasWritten(L4_GetStatus(all)));        /* kept for the rest */
    CHECK(!L4_WasWritten(L4_GetStatus(all)));
    CHECK(!L4_WasReferenced(L4_GetStatus(all)));
}

TEST(mem, gib_access_bits)
{
    gib_run(1, access_bits);
}

/* MemoryControl on one page of our GiB: that page alone changes type (our
 * entry is split), the data stays; derived mappings are not touched. */
static void memory_type(gib_case_t *c)
{
    (void)c;
    *gib_at(TYPED) = 0x7E7E;
    L4_Fpage_t f = L4_FpageLog2(GIB_VA + TYPED, 12);
    CHECK_EQ(L4_Set_PageAttribute(f, L4_WriteThroughMemory), 1);
    CHECK_EQ(pecan_memory_type(GIB_VA + TYPED), MT_WT);
    CHECK_EQ(pecan_memory_type(GIB_VA + TYPED + 0x1000), MT_WB);
    CHECK_EQ(pecan_memory_type(GIB_VA), MT_WB);
    CHECK_EQ(pecan_page_size_log2(GIB_VA + TYPED), 12);
    CHECK_EQ(pecan_page_size_log2(GIB_VA), 21);
    CHECK_EQ(*gib_at(TYPED), 0x7E7E);
    CHECK(gib_alias_size(TYPED, gib_largest));
    CHECK_EQ(pecan_memory_type(ALIAS_VA + TYPED), MT_WB);
    CHECK_EQ(L4_Set_PageAttribute(f, L4_DefaultMemory), 1);
    CHECK_EQ(pecan_memory_type(GIB_VA + TYPED), MT_WB);
}

TEST(mem, gib_memory_control_part)
{
    gib_run(0, memory_type);
}
