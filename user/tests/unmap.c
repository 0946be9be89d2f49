/* SPDX-License-Identifier: BSD-2-Clause */
/* Unmap: revocation of derived mappings (recursively), the flush bit, and
 * the access bits.  Mappings are made inside the root task's space by a
 * helper thread sending map items of our own pages to us. */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <l4/schedule.h>

#define MAGIC 0x5EC0DE5EC0DE5EC0UL
/* Free RAM above the image; each case uses its own addresses. */
#define PAGE_AT(n) (0x7000000UL + (n) * 0x1000UL)

static L4_Word_t map_src, map_dst;
static L4_ThreadId_t receiver;
static volatile int mapped;

static void mapper(void)
{
    L4_Fpage_t f = L4_FpageAddRights(L4_FpageLog2(map_src, 12), L4_FullyAccessible);
    L4_MapItem_t m = L4_MapItem(f, map_dst);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
    mapped = L4_IpcSucceeded(L4_Send_Timeout(receiver, L4_TimePeriod(1000000)));
}

/* Map our page src at dst (both in our space) through a helper thread. */
static int map_page(L4_Word_t src, L4_Word_t dst)
{
    map_src = src;
    map_dst = dst;
    receiver = L4_Myself();
    mapped = 0;
    L4_ThreadId_t t = test_start_thread(mapper);
    L4_Accept(L4_MapGrantItems(L4_FpageLog2(dst, 12)));
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(1000000));
    L4_Accept(L4_UntypedWordsAcceptor);
    for (int i = 0; i < 100 && !mapped; i++) {
        L4_Yield();
    }
    test_kill_thread(t);
    return L4_IpcSucceeded(tag) && mapped;
}

TEST(unmap, derived_mapping_revoked)
{
    volatile L4_Word_t *a = (L4_Word_t *)PAGE_AT(0), *b = (L4_Word_t *)PAGE_AT(1);
    *a = MAGIC;                                 /* A is ours (from sigma0) */
    CHECK(map_page(PAGE_AT(0), PAGE_AT(1)));
    CHECK_EQ(*b, MAGIC);                        /* B shows A's frame */
    *b = MAGIC + 1;
    CHECK_EQ(*a, MAGIC + 1);
    L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(PAGE_AT(0), 12), L4_FullyAccessible));
    CHECK_EQ(*a, MAGIC + 1);                    /* our own mapping stays */
    /* B is gone: touching it now gets sigma0's page B, another frame. */
    CHECK(*b != MAGIC + 1);
}

TEST(unmap, recursive_three_levels)
{
    volatile L4_Word_t *a = (L4_Word_t *)PAGE_AT(2), *b = (L4_Word_t *)PAGE_AT(3),
                       *c = (L4_Word_t *)PAGE_AT(4);
    *a = MAGIC;
    CHECK(map_page(PAGE_AT(2), PAGE_AT(3)));    /* A -> B */
    CHECK(map_page(PAGE_AT(3), PAGE_AT(4)));    /* B -> C */
    CHECK_EQ(*c, MAGIC);
    L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(PAGE_AT(2), 12), L4_FullyAccessible));
    CHECK(*c != MAGIC);                         /* C derived from B derived from A */
    CHECK(*b != MAGIC);
    CHECK_EQ(*a, MAGIC);
}

TEST(unmap, status_bits_reported_and_reset)
{
    volatile L4_Word_t *a = (L4_Word_t *)PAGE_AT(5), *b = (L4_Word_t *)PAGE_AT(6);
    *a = 1;
    CHECK(map_page(PAGE_AT(5), PAGE_AT(6)));
    L4_Fpage_t f = L4_FpageLog2(PAGE_AT(5), 12);
    L4_GetStatus(f);                            /* reset */
    *b = 2;                                     /* written through the derived mapping */
    L4_Fpage_t s = L4_GetStatus(f);
    CHECK(L4_WasWritten(s));
    CHECK(L4_WasReferenced(s));
    CHECK_EQ(L4_Address(s), PAGE_AT(5));        /* base and size come back */
    CHECK_EQ(L4_SizeLog2(s), 12);
    s = L4_GetStatus(f);
    CHECK(!L4_WasWritten(s));                   /* reported once */
    CHECK_EQ(*a, 2);                            /* rwx = 0 revoked nothing */
}

TEST(unmap, write_right_revoked)
{
    volatile L4_Word_t *a = (L4_Word_t *)PAGE_AT(7), *b = (L4_Word_t *)PAGE_AT(8);
    *a = MAGIC;
    CHECK(map_page(PAGE_AT(7), PAGE_AT(8)));
    L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(PAGE_AT(7), 12), L4_Writable));
    CHECK_EQ(*b, MAGIC);                        /* still readable */
    *b = 7;             /* write fault: sigma0 maps its own page B there */
    CHECK_EQ(*a, MAGIC);                        /* A's frame was not written */
}

TEST(unmap, flush_includes_own_mapping_status)
{
    volatile L4_Word_t *a = (L4_Word_t *)PAGE_AT(9);
    *a = MAGIC;
    L4_Fpage_t f = L4_FpageLog2(PAGE_AT(9), 12);
    /* Without flush our own accesses are not reported... */
    L4_GetStatus(f);
    *a = 3;
    CHECK(!L4_WasWritten(L4_GetStatus(f)));
    /* ...with flush (and no rights) they are. */
    *a = 4;
    L4_Fpage_t s = L4_Flush(f);
    CHECK(L4_WasWritten(s));
    CHECK_EQ(*a, 4);                            /* rwx = 0: nothing revoked */
}

TEST(unmap, bad_fpages_ignored)
{
    L4_Word_t before = *(volatile L4_Word_t *)PAGE_AT(0);
    L4_UnmapFpage(L4_Nilpage);
    L4_UnmapFpage(L4_FpageLog2(0xFFFFF00000000000UL, 12));  /* kernel half */
    L4_UnmapFpage(L4_FpageLog2(0xBFF00000UL, 12));          /* our KIP area */
    CHECK_EQ(*(volatile L4_Word_t *)PAGE_AT(0), before);
    CHECK_EQ(*(volatile L4_Word_t *)0xBFF00000UL & 0xFFFFFFFF, 0x4BE6344C);
}
