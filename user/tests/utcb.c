/* SPDX-License-Identifier: BSD-2-Clause */
/* The UTCB: %gs:0, local ids, thread control registers at their offsets. */
#include "suite.h"
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/kip.h>

static volatile L4_Word_t seen_gs, seen_global;

TEST(utcb, gs_is_local_id)
{
    L4_Word_t p;
    __asm__("movq %%gs:0, %0" : "=r"(p));
    CHECK_EQ(p, 0xBF000200);
    CHECK_EQ(L4_MyLocalId().raw, p);
}

TEST(utcb, tcrs_of_root_task)
{
    L4_Word_t *p = (L4_Word_t *)L4_MyLocalId().raw;
    CHECK_EQ(p[-15], L4_Myself().raw);          /* MyGlobalId */
    CHECK_EQ(p[-14], 0);                        /* ProcessorNo */
    CHECK_EQ(L4_Pager().raw, L4_GlobalId(L4_ThreadIdUserBase(test_kip()), 1).raw);
    CHECK_EQ(L4_ExceptionHandler().raw, 0);
    CHECK_EQ(p[-1], ~0UL);                      /* WordSizeMask */
}

TEST(utcb, user_handle_roundtrip)
{
    L4_Set_UserDefinedHandle(0xC0FFEE);
    CHECK_EQ(L4_UserDefinedHandle(), 0xC0FFEE);
    CHECK_EQ(L4_UserDefinedHandleOf(L4_Myself()), 0xC0FFEE);
    L4_Set_UserDefinedHandleOf(L4_Myself(), 0xBEEF);
    CHECK_EQ(L4_UserDefinedHandle(), 0xBEEF);
}

static void record_self(void)
{
    L4_Word_t p;
    __asm__("movq %%gs:0, %0" : "=r"(p));
    seen_gs = p;
    seen_global = L4_Myself().raw;
}

static int recorded(void)
{
    return seen_gs != 0;
}

TEST(utcb, second_thread_sees_its_own)
{
    seen_gs = 0;
    L4_ThreadId_t t = test_start_thread(record_self);
    CHECK(!L4_IsNilThread(t));
    CHECK(test_wait_until(recorded, 1000));
    CHECK_EQ(seen_global, t.raw);
    CHECK_EQ(seen_gs, L4_LocalIdOf(t).raw);
    CHECK(seen_gs != L4_MyLocalId().raw);
    L4_Word_t mine;
    __asm__("movq %%gs:0, %0" : "=r"(mine));
    CHECK_EQ(mine, L4_MyLocalId().raw);         /* switched back correctly */
    test_kill_thread(t);
}

TEST(utcb, global_local_conversion)
{
    CHECK_EQ(L4_GlobalIdOf(L4_MyLocalId()).raw, L4_Myself().raw);
    CHECK_EQ(L4_LocalIdOf(L4_Myself()).raw, L4_MyLocalId().raw);
    CHECK(L4_SameThreads(L4_MyLocalId(), L4_Myself()));
}
