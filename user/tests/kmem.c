/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-memory accounting (docs/kmem.md): every space has a quota on the
 * kernel pool; ThreadControl, SpaceControl and map items that would exceed
 * it fail with "out of memory" (map items: message overflow) and change
 * nothing, other spaces carry on, and deleting a space gives back every
 * pool page.  The quota is set and read with Pecan's SpaceControl
 * extension; the pool's free-page count comes from the kdebug extension.
 *
 * The "hog" is a server in a new space, paged by the test pager: it takes
 * map items into any address and reads words on request.
 */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/items.h>
#include <l4/acceptor.h>

#define SECOND      L4_TimePeriod(1000000)
#define CTRL_QUOTA  (1UL << 62)
#define CTRL_REPORT (1UL << 61)
#define CTRL_PAGES  0xFFFFFFFFUL
#define OP_READ     1
#define HOG_BASE    0x40000000UL        /* map targets, 2 MiB apart */
#define FILL_BASE   0x300000UL          /* thread numbers of pool fillers */
#define MAGIC       0x4B4D454D00000001UL

/* Reply u = 1: the word read for OP_READ, 0 otherwise. */
static void hog_server(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        if (L4_IpcFailed(tag)) {        /* e.g. a map that did not fit */
            L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
            tag = L4_Wait(&from);
            continue;
        }
        L4_Word_t addr, value = 0;
        L4_StoreMR(1, &addr);
        if (L4_Label(tag) == OP_READ) {
            value = *(volatile L4_Word_t *)addr;
        }
        L4_LoadMR(0, 1);
        L4_LoadMR(1, value);
        L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
        tag = L4_ReplyWait(from, &from);
    }
}

/* Map our page at dest in srv; 0 on success, else the ErrorCode. */
static L4_Word_t map_to(L4_ThreadId_t srv, void *page, L4_Word_t dest)
{
    L4_Fpage_t f = L4_FpageAddRights(L4_FpageLog2((L4_Word_t)page, 12), L4_ReadWriteOnly);
    L4_MapItem_t m = L4_MapItem(f, dest);
    L4_LoadMR(0, 2UL << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
    L4_MsgTag_t tag = L4_Call_Timeouts(srv, SECOND, SECOND);
    return L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
}

/* The word at addr in srv's space (~0 if the IPC failed). */
static L4_Word_t hog_read(L4_ThreadId_t srv, L4_Word_t addr)
{
    L4_LoadMR(0, (L4_Word_t)OP_READ << 16 | 1);
    L4_LoadMR(1, addr);
    L4_MsgTag_t tag = L4_Call_Timeouts(srv, SECOND, SECOND);
    L4_Word_t v = ~0UL;
    if (L4_IpcSucceeded(tag)) {
        L4_StoreMR(1, &v);
    }
    return v;
}

/* SpaceControl with the quota extension; returns the old control word. */
static L4_Word_t quota_ctl(L4_ThreadId_t space, L4_Word_t control, L4_Word_t *result)
{
    L4_Word_t old = 0;
    *result = L4_SpaceControl(space, control, L4_Nilpage, L4_Nilpage, L4_nilthread, &old);
    return old;
}

static L4_Word_t quota_of(L4_Word_t report)
{
    return report & CTRL_PAGES;
}

static L4_Word_t used_of(L4_Word_t report)
{
    return (report >> 32) & ((1UL << 29) - 1);
}

/* Pages used by the space of t (0 if the report failed). */
static L4_Word_t used_pages(L4_ThreadId_t t)
{
    L4_Word_t ok, r = quota_ctl(t, CTRL_REPORT, &ok);
    return ok ? used_of(r) : 0;
}

static int set_quota(L4_ThreadId_t t, L4_Word_t pages)
{
    L4_Word_t ok;
    quota_ctl(t, CTRL_QUOTA | pages, &ok);
    return (int)ok;
}

static volatile L4_Word_t probe = MAGIC + 1;

/* Start the test pager and a hog that has run every path of its loop once,
 * so it takes no page fault later (a fault it cannot get mapped would be
 * retried for ever). */
static L4_ThreadId_t start_hog(void)
{
    if (L4_IsNilThread(test_pager_start())) {
        return L4_nilthread;
    }
    L4_ThreadId_t hog = test_start_space_thread(hog_server);
    if (L4_IsNilThread(hog) || hog_read(hog, (L4_Word_t)&probe) != MAGIC + 1) {
        return L4_nilthread;
    }
    L4_LoadMR(0, 1UL << 6 | 63);                /* u + t > 63: overflow for both */
    L4_Call_Timeouts(hog, SECOND, SECOND);
    return hog_read(hog, (L4_Word_t)&probe) == MAGIC + 1 ? hog : L4_nilthread;
}

static void *magic_page(void)
{
    static L4_Word_t *page;
    if (!page) {
        page = test_alloc(12);
    }
    if (page) {
        page[0] = MAGIC;
    }
    return page;
}

TEST(kmem, report_and_set_quota)
{
    L4_Word_t ok, unused;
    L4_Word_t r = quota_ctl(L4_Myself(), CTRL_REPORT, &ok);
    CHECK_EQ(ok, 1);
    CHECK_EQ(r & (CTRL_QUOTA | CTRL_REPORT), CTRL_REPORT);
    CHECK_EQ(quota_of(r), CTRL_PAGES);          /* the root task: unlimited */
    CHECK(used_of(r) > 4);
    CHECK_EQ(quota_ctl(L4_Myself(), 0, &ok), 0);        /* no extension: 0 */
    /* A new space gets the default quota, a quarter of the pool. */
    L4_ThreadId_t t = test_new_tid(&unused);
    CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
    r = quota_ctl(t, CTRL_REPORT, &ok);
    CHECK_EQ(ok, 0);                            /* not initialised: areas needed */
    CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
    CHECK(L4_SpaceControl(t, CTRL_REPORT, L4_FpageLog2(0xBFF00000UL, 12),
                          L4_FpageLog2(0xBF000000UL, 14), L4_nilthread, &r));
    CHECK(quota_of(r) > 1000 && quota_of(r) < CTRL_PAGES);
    CHECK(used_of(r) >= 4 && used_of(r) < 16);  /* space, tables, TCB */
    L4_Word_t dflt = quota_of(r);
    /* Set: the old control word tells the previous quota. */
    r = quota_ctl(t, CTRL_QUOTA | 77, &ok);
    CHECK_EQ(ok, 1);
    CHECK_EQ(r & (CTRL_QUOTA | CTRL_REPORT), CTRL_QUOTA);
    CHECK_EQ(quota_of(r), dflt);
    CHECK_EQ(quota_of(quota_ctl(t, CTRL_REPORT, &ok)), 77);
    CHECK_EQ(quota_of(quota_ctl(t, CTRL_QUOTA | CTRL_PAGES, &ok)), 77);
    CHECK_EQ(quota_of(quota_ctl(t, CTRL_REPORT, &ok)), CTRL_PAGES);
    test_kill_thread(t);
}

/* Threads and spaces: NoMem at the quota, nothing changed. */
TEST(kmem, thread_and_space_control_at_quota)
{
    L4_Word_t before = test_kmem_free(), unused, ctl;
    L4_ThreadId_t t = test_new_tid(&unused), u = test_new_tid(&unused);
    CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
    /* SpaceControl must map the KIP: page tables do not fit. */
    CHECK(L4_SpaceControl(t, CTRL_QUOTA | 0, L4_FpageLog2(0xBFF00000UL, 12),
                          L4_FpageLog2(0xBF000000UL, 14), L4_nilthread, &ctl) == 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    CHECK_EQ(L4_ThreadControl(t, t, L4_nilthread, L4_Myself(), (void *)0xBF000000UL), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);       /* still uninitialised */
    CHECK(L4_SpaceControl(t, CTRL_QUOTA | 64, L4_FpageLog2(0xBFF00000UL, 12),
                          L4_FpageLog2(0xBF000000UL, 14), L4_nilthread, &ctl));
    L4_Word_t used = used_pages(t);
    CHECK(used > 0);
    /* No room for a TCB: creation fails and leaves nothing. */
    CHECK(set_quota(t, used));
    CHECK_EQ(L4_ThreadControl(u, t, L4_Myself(), L4_nilthread, (void *)-1), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    L4_Word_t old;
    CHECK_EQ(L4_Schedule(u, ~0UL, ~0UL, ~0UL, ~0UL, &old), 0);     /* no such thread */
    CHECK_EQ(used_pages(t), used);
    /* Room for the TCB but not the UTCB page: activation fails, the thread
     * stays inactive. */
    CHECK(set_quota(t, used + 1));
    CHECK(L4_ThreadControl(u, t, L4_Myself(), L4_nilthread, (void *)-1));
    CHECK_EQ(L4_ThreadControl(u, t, L4_nilthread, L4_Myself(), (void *)0xBF000400UL), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    CHECK_EQ(L4_Schedule(u, ~0UL, ~0UL, ~0UL, ~0UL, &old), L4_SCHEDRESULT_DEAD);
    /* With room it works. */
    CHECK(set_quota(t, used + 8));
    CHECK(L4_ThreadControl(u, t, L4_nilthread, L4_Myself(), (void *)0xBF000400UL));
    CHECK_EQ(L4_ThreadControl(u, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    /* Room for five more TCBs: the sixth thread is refused. */
    CHECK(set_quota(t, used_pages(t) + 5));
    L4_Word_t n = 0;
    while (n < 16 && L4_ThreadControl(L4_GlobalId(FILL_BASE + n, 1), t, L4_Myself(),
                                      L4_nilthread, (void *)-1)) {
        n++;
    }
    CHECK_EQ(n, 5);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    while (n) {
        n--;
        CHECK(L4_ThreadControl(L4_GlobalId(FILL_BASE + n, 1), L4_nilthread, L4_nilthread,
                               L4_nilthread, (void *)-1));
    }
    test_kill_thread(t);
    CHECK(test_kmem_back_to(before));
}

/* A space mapped full stops at its quota; the rest of the system does not
 * notice, and deleting the space returns every page. */
TEST(kmem, map_until_quota)
{
    L4_Word_t *page = magic_page(), unused;
    CHECK(page);
    L4_Word_t before = test_kmem_free();
    L4_ThreadId_t hog = start_hog();
    CHECK(!L4_IsNilThread(hog));
    L4_Word_t quota = used_pages(hog) + 24;
    CHECK(set_quota(hog, quota));
    L4_Word_t n = 0, err = 0;
    while (n < 64 && !(err = map_to(hog, page, HOG_BASE + (n << 21)))) {
        n++;
    }
    CHECK(n >= 5 && n < 24);
    CHECK_EQ(err & 0xF, 0x8);                   /* message overflow, send phase */
    CHECK_EQ(used_pages(hog), quota);           /* less than a page left */
    for (L4_Word_t i = 0; i < n; i++) {
        CHECK_EQ(hog_read(hog, HOG_BASE + (i << 21)), MAGIC);
    }
    L4_ThreadId_t t = test_new_tid(&unused);
    CHECK_EQ(L4_ThreadControl(t, hog, L4_Myself(), L4_nilthread, (void *)-1), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrNoMem);
    /* Others carry on: a new space, a mapping into it, IPC. */
    L4_ThreadId_t other = test_start_space_thread(hog_server);
    CHECK(!L4_IsNilThread(other));
    CHECK_EQ(map_to(other, page, HOG_BASE), 0);
    CHECK_EQ(hog_read(other, HOG_BASE), MAGIC);
    /* More quota, and the same map goes through. */
    CHECK(set_quota(hog, quota + 8));
    CHECK_EQ(map_to(hog, page, HOG_BASE + (n << 21)), 0);
    CHECK_EQ(hog_read(hog, HOG_BASE + (n << 21)), MAGIC);
    test_kill_thread(other);
    test_kill_thread(hog);
    test_pager_stop();
    CHECK(test_kmem_back_to(before));
}

/* The pool itself runs dry (the root task has no quota): a map fails
 * cleanly and works again once pages are back. */
TEST(kmem, map_with_empty_pool)
{
    L4_Word_t *page = magic_page();
    CHECK(page);
    L4_Word_t before = test_kmem_free();
    L4_ThreadId_t hog = start_hog();
    CHECK(!L4_IsNilThread(hog));
    L4_Word_t fillers = 0;
    while (L4_ThreadControl(L4_GlobalId(FILL_BASE + fillers, 1), L4_Myself(), L4_Myself(),
                            L4_nilthread, (void *)-1)) {
        fillers++;
    }
    L4_Word_t err = L4_ErrorCode(), free_then = test_kmem_free();
    L4_Word_t map_err = map_to(hog, page, HOG_BASE + (1UL << 30));
    L4_Word_t read_back = hog_read(hog, (L4_Word_t)&probe);
    while (fillers) {
        fillers--;
        L4_ThreadControl(L4_GlobalId(FILL_BASE + fillers, 1), L4_nilthread, L4_nilthread,
                         L4_nilthread, (void *)-1);
    }
    CHECK_EQ(err, L4_ErrNoMem);
    CHECK(free_then < 2);
    CHECK_EQ(map_err & 0xF, 0x8);
    CHECK_EQ(read_back, MAGIC + 1);             /* the hog still serves */
    CHECK_EQ(map_to(hog, page, HOG_BASE + (1UL << 30)), 0);
    CHECK_EQ(hog_read(hog, HOG_BASE + (1UL << 30)), MAGIC);
    test_kill_thread(hog);
    test_pager_stop();
    CHECK(test_kmem_back_to(before));
}
