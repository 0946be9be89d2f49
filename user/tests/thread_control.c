/* SPDX-License-Identifier: BSD-2-Clause */
/* ThreadControl (X.2 §2.4): creation, activation, modification, deletion,
 * every error code, and that a failing call changes nothing. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/kip.h>

#define UNCHANGED ((void *)-1)
#define FILLER_BASE 0x10000UL           /* thread numbers for mass creation */

static L4_Word_t state_of(L4_ThreadId_t t)
{
    L4_Word_t old;
    return L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old);
}

/* The root task's UTCB area holds 256 UTCBs (protocols.md §7). */
#define ROOT_UTCB_AREA_SIZE (256 * L4_UtcbSize(test_kip()))

static L4_Word_t root_utcb_base(void)
{
    return L4_MyLocalId().raw & ~(ROOT_UTCB_AREA_SIZE - 1);
}

static L4_Fpage_t kip_area(void)
{
    return L4_FpageLog2(0xBFF00000UL, 12);
}

static L4_Fpage_t utcb_area(void)
{
    return L4_FpageLog2(0xBF000000UL, 14);
}

static L4_Word_t my_global_id_tcr(L4_ThreadId_t t)
{
    return ((L4_Word_t *)L4_LocalIdOf(t).raw)[-15];
}

static L4_ThreadId_t with_version(L4_ThreadId_t t, L4_Word_t v)
{
    return L4_GlobalId(L4_ThreadNo(t), v);
}

TEST(thread_control, create_inactive_in_own_space)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_DEAD);            /* exists, inactive */
    CHECK(L4_IsNilThread(L4_LocalIdOf(t)));                /* no UTCB: exregs refuses */
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
    test_kill_thread(t);
    CHECK_EQ(state_of(t), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
}

TEST(thread_control, create_active_in_own_space)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_WAITING);         /* start-up wait */
    CHECK_EQ(L4_LocalIdOf(t).raw, utcb + 512);
    CHECK_EQ(my_global_id_tcr(t), t.raw);
    CHECK_EQ(L4_PagerOf(t).raw, L4_Myself().raw);
    test_kill_thread(t);
    CHECK_EQ(state_of(t), 0);
}

TEST(thread_control, activate_inactive_thread_later)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_DEAD);
    /* UtcbLocation -1: the one recorded at creation is used. */
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_Myself(), UNCHANGED), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_WAITING);
    CHECK_EQ(L4_LocalIdOf(t).raw, utcb + 512);
    test_kill_thread(t);
}

TEST(thread_control, new_space_l4test_sequence)
{
    L4_Word_t unused, ctl;
    L4_ThreadId_t t = test_new_tid(&unused);
    CHECK_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_DEAD);
    CHECK_EQ(L4_SpaceControl(t, 0, kip_area(), utcb_area(), L4_nilthread, &ctl), 1);
    CHECK_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)0xBF000000UL), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_WAITING);
    /* Another space: ExchangeRegisters refuses it. */
    CHECK(L4_IsNilThread(L4_LocalIdOf(t)));
    test_kill_thread(t);
    CHECK_EQ(state_of(t), 0);
}

TEST(thread_control, activation_needs_initialised_space)
{
    L4_Word_t unused;
    L4_ThreadId_t t = test_new_tid(&unused);
    /* Active creation in a brand-new space is impossible. */
    CHECK_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)0xBF000000UL), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
    CHECK_EQ(state_of(t), 0);                               /* not created */
    CHECK_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(L4_ThreadControl(t, t, L4_nilthread, L4_Myself(), (void *)0xBF000000UL), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_DEAD);             /* still inactive */
    test_kill_thread(t);
}

TEST(thread_control, modify_pager_of_active_thread)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_ThreadId_t other = L4_GlobalId(0x4321, 5);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb), 1);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, other, UNCHANGED), 1);
    CHECK_EQ(L4_PagerOf(t).raw, other.raw);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_WAITING);          /* not restarted */
    /* A local pager id is stored as the global id it names. */
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_MyLocalId(), UNCHANGED), 1);
    CHECK_EQ(L4_PagerOf(t).raw, L4_Myself().raw);
    test_kill_thread(t);
}

TEST(thread_control, modify_utcb_location_of_inactive_thread)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_Word_t other = root_utcb_base() + 200 * L4_UtcbSize(test_kip());
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_nilthread, (void *)other), 1);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_Myself(), UNCHANGED), 1);
    CHECK_EQ(L4_LocalIdOf(t).raw, other + 512);
    test_kill_thread(t);
}

TEST(thread_control, version_change_of_active_thread)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_ThreadId_t t2 = with_version(t, L4_Version(t) + 64);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb), 1);
    CHECK_EQ(L4_ThreadControl(t2, L4_Myself(), L4_nilthread, L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(state_of(t), 0);                               /* old id is stale */
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
    CHECK_EQ(state_of(t2), L4_SCHEDRESULT_WAITING);
    CHECK_EQ(my_global_id_tcr(t2), t2.raw);                 /* MyGlobalId TCR */
    CHECK_EQ(L4_GlobalIdOf(L4_LocalIdOf(t2)).raw, t2.raw);
    test_kill_thread(t2);
}

TEST(thread_control, version_change_of_inactive_thread)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_ThreadId_t t2 = with_version(t, L4_Version(t) + 128);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    /* Space specifier = dest under its new version names dest itself. */
    CHECK_EQ(L4_ThreadControl(t2, t2, L4_nilthread, L4_Myself(), UNCHANGED), 1);
    CHECK_EQ(state_of(t), 0);
    CHECK_EQ(my_global_id_tcr(t2), t2.raw);
    test_kill_thread(t2);
}

TEST(thread_control, delete_nonexistent_succeeds)
{
    L4_ThreadId_t t = L4_GlobalId(FILLER_BASE + 77, 1);
    CHECK_EQ(state_of(t), 0);
    CHECK_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, UNCHANGED), 1);
}

TEST(thread_control, delete_uses_thread_number_only)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, UNCHANGED), 1);
    L4_ThreadId_t stale = with_version(t, L4_Version(t) + 64);
    CHECK_EQ(L4_ThreadControl(stale, L4_nilthread, L4_nilthread, L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(state_of(t), 0);
    test_kill_thread(t);
}

TEST(thread_control, space_freed_with_its_last_thread)
{
    L4_Word_t u1, u2, ctl;
    L4_ThreadId_t a = test_new_tid(&u1), b = test_new_tid(&u2);
    /* Warm up: table pages for these numbers exist before the baseline. */
    CHECK_EQ(L4_ThreadControl(a, a, L4_Myself(), L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(L4_ThreadControl(a, L4_nilthread, L4_nilthread, L4_nilthread, UNCHANGED), 1);
    L4_Word_t before = test_kmem_free();
    CHECK_EQ(L4_ThreadControl(a, a, L4_Myself(), L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(L4_SpaceControl(a, 0, kip_area(), utcb_area(), L4_nilthread, &ctl), 1);
    CHECK_EQ(L4_ThreadControl(b, a, L4_Myself(), L4_Myself(), (void *)0xBF000400UL), 1);
    CHECK_EQ(L4_ThreadControl(a, a, L4_nilthread, L4_Myself(), (void *)0xBF000000UL), 1);
    L4_Word_t with_space = test_kmem_free();
    CHECK(with_space < before - 4);                 /* space, PML4, TCBs, UTCB page, ... */
    test_kill_thread(a);
    CHECK_EQ(state_of(b), L4_SCHEDRESULT_WAITING);  /* b and the space live on */
    CHECK_EQ(test_kmem_free(), with_space + 1);     /* only a's TCB came back */
    test_kill_thread(b);
    CHECK_EQ(test_kmem_free(), before);             /* the space went with b */
}

static void create_delete_cycle(void)
{
    L4_Word_t utcb, ctl;
    L4_ThreadId_t t = test_new_tid(&utcb), s = test_new_tid(&ctl);
    L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb);
    L4_ThreadControl(s, s, L4_Myself(), L4_nilthread, UNCHANGED);
    L4_SpaceControl(s, 0, kip_area(), L4_FpageLog2(0x40000000UL, 20), L4_nilthread, &ctl);
    L4_ThreadControl(s, s, L4_nilthread, L4_Myself(), (void *)0x400FFC00UL);
    test_kill_thread(t);
    test_kill_thread(s);
}

TEST(thread_control, deletion_frees_all_kernel_memory)
{
    create_delete_cycle();                          /* root-space UTCB page warmed up */
    L4_Word_t before = test_kmem_free();
    for (int i = 0; i < 50; i++) {
        create_delete_cycle();
    }
    CHECK_EQ(test_kmem_free(), before);
}

TEST(thread_control, migrate_inactive_thread)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_Word_t before = test_kmem_free();
    CHECK_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, UNCHANGED), 1);
    /* Into our space: its old, now empty space is freed. */
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_Myself(), (void *)utcb), 1);
    CHECK_EQ(L4_LocalIdOf(t).raw, utcb + 512);
    test_kill_thread(t);
    CHECK_EQ(test_kmem_free(), before);
}

TEST(thread_control, err_invalid_thread_dest)
{
    void *kip = test_kip();
    L4_Word_t sysbase = L4_ThreadIdSystemBase(kip), userbase = L4_ThreadIdUserBase(kip);
    L4_ThreadId_t bad[] = {
        L4_nilthread, L4_anythread, L4_anylocalthread, L4_MyLocalId(),
        { .raw = L4_GlobalId(FILLER_BASE + 1, 1).raw & ~0x3FUL },   /* version 64: local form */
        L4_GlobalId(sysbase, 1), L4_GlobalId(userbase - 1, 1),       /* kernel threads */
        L4_GlobalId(1, 2),                                           /* interrupt, version 2 */
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ((L4_Word_t *)L4_MyLocalId().raw)[-9] = 0;     /* ErrorCode TCR */
        CHECK_EQ(L4_ThreadControl(bad[i], L4_Myself(), L4_Myself(), L4_nilthread, UNCHANGED), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
    }
}

TEST(thread_control, err_delete_self)
{
    CHECK_EQ(L4_ThreadControl(L4_Myself(), L4_nilthread, L4_nilthread, L4_nilthread, UNCHANGED), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
    CHECK_EQ(state_of(L4_Myself()), L4_SCHEDRESULT_RUNNING);
}

TEST(thread_control, err_invalid_space)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_ThreadId_t ghost = L4_GlobalId(FILLER_BASE + 5, 1);
    CHECK_EQ(L4_ThreadControl(t, ghost, L4_Myself(), L4_nilthread, UNCHANGED), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
    CHECK_EQ(state_of(t), 0);                               /* nothing created */
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, UNCHANGED), 1);
    CHECK_EQ(L4_ThreadControl(t, ghost, L4_nilthread, L4_Myself(), (void *)utcb), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_DEAD);             /* still inactive */
    test_kill_thread(t);
}

TEST(thread_control, err_invalid_scheduler)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_nilthread, UNCHANGED), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidScheduler);
    CHECK_EQ(state_of(t), 0);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_anythread, L4_nilthread, UNCHANGED), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidScheduler);
    CHECK_EQ(state_of(t), 0);
    test_kill_thread(t);
}

TEST(thread_control, err_utcb_area)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_Word_t area_end = root_utcb_base() + ROOT_UTCB_AREA_SIZE;
    void *bad[] = { (void *)(utcb + 8), (void *)(utcb + 512), (void *)area_end,
                    (void *)(root_utcb_base() - 1024), (void *)0x1000UL };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), bad[i]), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
        CHECK_EQ(state_of(t), 0);
    }
    /* Activation without any location. */
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), UNCHANGED), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
    CHECK_EQ(state_of(t), 0);
    test_kill_thread(t);
}

TEST(thread_control, err_utcb_location_of_active_thread)
{
    L4_Word_t utcb, other;
    L4_ThreadId_t t = test_new_tid(&utcb);
    L4_ThreadId_t u = test_new_tid(&other);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb), 1);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_nilthread, (void *)other), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
    CHECK_EQ(L4_LocalIdOf(t).raw, utcb + 512);              /* unchanged */
    /* A location another active thread of the space uses is refused too. */
    CHECK_EQ(L4_ThreadControl(u, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
    CHECK_EQ(state_of(u), 0);
    CHECK_EQ(my_global_id_tcr(t), t.raw);
    test_kill_thread(u);
    test_kill_thread(t);
}

/* --- NoPrivilege: from a thread in a new, unprivileged space --- */

static volatile L4_Word_t unpriv_result, unpriv_error, unpriv_done;
static L4_ThreadId_t unpriv_target;

static void try_thread_control(void)
{
    unpriv_result = L4_ThreadControl(unpriv_target, L4_Myself(), L4_Myself(), L4_nilthread,
                                     UNCHANGED);
    unpriv_error = L4_ErrorCode();
    unpriv_done = 1;
}

static int unpriv_finished(void)
{
    return unpriv_done != 0;
}

TEST(thread_control, err_no_privilege)
{
    L4_Word_t unused;
    L4_ThreadId_t pager;
    unpriv_target = test_new_tid(&unused);
    unpriv_done = 0;
    unpriv_result = 99;
    L4_ThreadId_t c = test_start_in_new_space(try_thread_control, &pager);
    CHECK(!L4_IsNilThread(c));
    CHECK(test_wait_until(unpriv_finished, 5000));
    test_end_new_space(c, pager);
    CHECK_EQ(unpriv_result, 0);
    CHECK_EQ(unpriv_error, L4_ErrNoPrivilege);
    CHECK_EQ(state_of(unpriv_target), 0);                   /* nothing created */
    test_kill_thread(unpriv_target);
}

/* --- NoMem: the kernel pool runs dry --- */

static L4_Word_t filled_end;            /* fillers may exist below this index */

static int filler(L4_Word_t i, int create)
{
    L4_ThreadId_t t = L4_GlobalId(FILLER_BASE + i, 1);
    return (int)(create ? L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, UNCHANGED)
                        : L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, UNCHANGED));
}

/* Create inactive filler threads from index from on until the pool is
 * empty; returns the index after the last one (0 on another error). */
static L4_Word_t fill_pool(L4_Word_t from)
{
    L4_Word_t n = from;
    while (filler(n, 1)) {
        filled_end = ++n;
    }
    if (L4_ErrorCode() != L4_ErrNoMem) {
        return 0;
    }
    if (test_kmem_free() != 0 && n > from) {
        /* One page left, but a new table leaf needs two: trade a filler. */
        filler(n - 1, 0);
        if (filler(n, 1)) {
            filled_end = ++n;
        }
    }
    return n;
}

static void drain_pool(void)
{
    while (filled_end) {
        filler(--filled_end, 0);
    }
}

static void no_mem(L4_Word_t before)
{
    L4_Word_t unused;
    L4_ThreadId_t s = test_new_tid(&unused);
    L4_Word_t n = fill_pool(0);
    CHECK(n > 100);
    CHECK_EQ(test_kmem_free(), 0);
    /* Creation in a new space: nothing may remain of a failed attempt. */
    CHECK_EQ(L4_ThreadControl(s, s, L4_Myself(), L4_nilthread, UNCHANGED), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    CHECK_EQ(test_kmem_free(), 0);
    /* Give back one filler at a time: each attempt fails cleanly or succeeds. */
    for (L4_Word_t tries = 0; !L4_ThreadControl(s, s, L4_Myself(), L4_nilthread, UNCHANGED);
         tries++) {
        CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
        CHECK_EQ(state_of(s), 0);
        CHECK(tries < 16 && n > 0);
        filler(--n, 0);
    }
    CHECK_EQ(state_of(s), L4_SCHEDRESULT_DEAD);
    test_kill_thread(s);
    /* Activation needs a UTCB page in a part of our UTCB area never used. */
    L4_Word_t fresh = root_utcb_base() + ROOT_UTCB_AREA_SIZE - L4_UtcbSize(test_kip());
    L4_ThreadId_t victim = L4_GlobalId(FILLER_BASE, 1);
    CHECK(fill_pool(n) >= n);
    CHECK_EQ(test_kmem_free(), 0);
    CHECK_EQ(L4_ThreadControl(victim, L4_Myself(), L4_nilthread, L4_Myself(), (void *)fresh), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    CHECK_EQ(state_of(victim), L4_SCHEDRESULT_DEAD);       /* still inactive */
    drain_pool();
    CHECK_EQ(test_kmem_free(), before);
}

TEST(thread_control, err_no_mem_changes_nothing)
{
    L4_Word_t before = test_kmem_free();
    filled_end = 0;
    no_mem(before);
    drain_pool();
}
