/* SPDX-License-Identifier: BSD-2-Clause */
/* SpaceControl (X.2 §4.3): KIP and UTCB area validation, areas ignored once
 * a thread is active, privilege and space checks. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>

#define UNCHANGED ((void *)-1)

static L4_ThreadId_t new_space(void)
{
    L4_Word_t unused;
    L4_ThreadId_t t = test_new_tid(&unused);
    if (!L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, UNCHANGED)) {
        return L4_nilthread;
    }
    return t;
}

/* Still uninitialised: activation is refused with InvalidSpace. */
static int uninitialised(L4_ThreadId_t t)
{
    return !L4_ThreadControl(t, t, L4_nilthread, L4_Myself(), (void *)0xBF000000UL) &&
           L4_ErrorCode() == L4_ErrInvalidSpace;
}

static L4_Fpage_t fp(L4_Word_t base, int log2)
{
    return L4_FpageLog2(base, log2);
}

TEST(space_control, utcb_area_errors)
{
    L4_Word_t ctl;
    L4_ThreadId_t t = new_space();
    CHECK(!L4_IsNilThread(t));
    L4_Fpage_t bad[] = { L4_Nilpage, fp(0xBF000000UL, 11), fp(0x800000000000UL, 12),
                         fp(0xFFFF800000000000UL, 12), fp(0, 48) };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(L4_SpaceControl(t, 0, fp(0xBFF00000UL, 12), bad[i], L4_nilthread, &ctl), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
    }
    CHECK(uninitialised(t));
    test_kill_thread(t);
}

TEST(space_control, kip_area_errors)
{
    L4_Word_t ctl;
    L4_ThreadId_t t = new_space();
    CHECK(!L4_IsNilThread(t));
    L4_Fpage_t bad[] = { L4_Nilpage, fp(0xBFF00000UL, 11), fp(0x800000000000UL, 12),
                         fp(0xBF000000UL, 12), fp(0xBE000000UL, 25) /* overlaps */ };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(L4_SpaceControl(t, 0, bad[i], fp(0xBF000000UL, 14), L4_nilthread, &ctl), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrKipArea);
    }
    CHECK(uninitialised(t));
    test_kill_thread(t);
}

TEST(space_control, success_and_old_control)
{
    L4_Word_t ctl = 77;
    L4_ThreadId_t t = new_space();
    CHECK(!L4_IsNilThread(t));
    CHECK_EQ(L4_SpaceControl(t, 0, fp(0x1000UL, 12), fp(0x100000UL, 20), L4_nilthread, &ctl), 1);
    CHECK_EQ(ctl, 0);
    /* Reconfigurable until a thread is activated. */
    CHECK_EQ(L4_SpaceControl(t, 0, fp(0xBFF00000UL, 12), fp(0xBF000000UL, 14), L4_anythread,
                             &ctl), 1);
    CHECK_EQ(L4_ThreadControl(t, t, L4_nilthread, L4_Myself(), (void *)0xBF000000UL), 1);
    /* Now the areas are ignored, even invalid ones. */
    CHECK_EQ(L4_SpaceControl(t, 0, L4_Nilpage, L4_Nilpage, L4_nilthread, &ctl), 1);
    CHECK_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, UNCHANGED), 1);
    test_kill_thread(t);
}

TEST(space_control, root_space_areas_ignored)
{
    L4_Word_t ctl;
    CHECK_EQ(L4_SpaceControl(L4_Myself(), 0, L4_Nilpage, L4_Nilpage, L4_nilthread, &ctl), 1);
    CHECK_EQ(L4_LocalIdOf(L4_Myself()).raw, L4_MyLocalId().raw);    /* UTCB still works */
}

TEST(space_control, invalid_space)
{
    L4_Word_t ctl;
    CHECK_EQ(L4_SpaceControl(L4_GlobalId(0x33333, 1), 0, fp(0xBFF00000UL, 12),
                             fp(0xBF000000UL, 12), L4_nilthread, &ctl), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
    CHECK_EQ(L4_SpaceControl(L4_nilthread, 0, fp(0xBFF00000UL, 12), fp(0xBF000000UL, 12),
                             L4_nilthread, &ctl), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
}

static volatile L4_Word_t sc_result = 99, sc_error;
static volatile int sc_done;
static L4_ThreadId_t sc_target;

static void try_space_control(void)
{
    L4_Word_t ctl;
    sc_result = L4_SpaceControl(sc_target, 0, fp(0xBFF00000UL, 12), fp(0xBF000000UL, 12),
                                L4_nilthread, &ctl);
    sc_error = L4_ErrorCode();
    sc_done = 1;
}

static int sc_finished(void)
{
    return sc_done;
}

TEST(space_control, no_privilege)
{
    L4_ThreadId_t pager;
    sc_target = new_space();
    CHECK(!L4_IsNilThread(sc_target));
    sc_done = 0;
    L4_ThreadId_t c = test_start_in_new_space(try_space_control, &pager);
    CHECK(!L4_IsNilThread(c));
    int done = test_wait_until(sc_finished, 5000);
    test_end_new_space(c, pager);
    CHECK(done);
    CHECK_EQ(sc_result, 0);
    CHECK_EQ(sc_error, L4_ErrNoPrivilege);
    CHECK(uninitialised(sc_target));
    test_kill_thread(sc_target);
}
