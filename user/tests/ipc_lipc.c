/* SPDX-License-Identifier: BSD-2-Clause */
/* Lipc and local ids on the fast path (X.2 §5.6 Lipc, spec lipc.md): a
 * thread reached by local id again and again, the kernel's per-thread
 * cache of the last local id (docs/ipc.md) never outliving the thread it
 * names, and global ids through the Lipc stub, as pingpong uses it.
 *
 * The servers run at the root's priority and wait without a timeout, so
 * that calls in both directions take the fast path; every case stops its
 * server before it returns.
 */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>

#define SECOND      L4_TimePeriod(1000000)
#define STOP_LABEL  0x5709UL

/* Replies to every call with its own global id in MR1, until STOP. */
static void id_server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait(&from);
    while (L4_IpcSucceeded(t) && L4_Label(t) != STOP_LABEL) {
        L4_LoadMR(0, (L4_MsgTag_t){ .X.u = 1 }.raw);
        L4_LoadMR(1, L4_Myself().raw);
        t = L4_LreplyWait(from, &from);
    }
}

/* A server at the caller's priority: then calls to it take the fast path
 * too (a lower-priority receiver would not run at once). */
static L4_ThreadId_t start_server(void)
{
    L4_ThreadId_t t = test_start_thread(id_server);
    if (!L4_IsNilThread(t)) {
        L4_Word_t old;
        L4_Schedule(t, ~0UL, ~0UL, 255, ~0UL, &old);
    }
    return t;
}

static L4_Word_t lcall(L4_ThreadId_t to, L4_Word_t *served_by)
{
    L4_LoadMR(0, (L4_MsgTag_t){ .X.label = 1 }.raw);
    L4_MsgTag_t t = L4_Lcall(to);
    if (L4_IpcFailed(t)) {
        return L4_ErrorCode();
    }
    L4_StoreMR(1, served_by);
    return 0;
}

static void stop(L4_ThreadId_t server)
{
    L4_LoadMR(0, (L4_MsgTag_t){ .X.label = STOP_LABEL }.raw);
    L4_Send_Timeout(server, SECOND);
    test_kill_thread(server);
}

TEST(lipc, call_by_local_id_again_and_again)
{
    L4_ThreadId_t server = start_server();
    CHECK(!L4_IsNilThread(server));
    for (int i = 0; i < 5; i++) {
        L4_Word_t by = 0;
        CHECK_EQ(lcall(L4_LocalIdOf(server), &by), 0);
        CHECK_EQ(by, server.raw);
    }
    stop(server);
}

TEST(lipc, remembered_local_id_dies_with_its_thread)
{
    L4_ThreadId_t a = start_server();
    CHECK(!L4_IsNilThread(a));
    L4_ThreadId_t local = L4_LocalIdOf(a);
    L4_Word_t by = 0;
    CHECK_EQ(lcall(local, &by), 0);
    CHECK_EQ(by, a.raw);
    stop(a);
    /* Nobody owns that UTCB now: the call must fail at once. */
    CHECK_EQ(lcall(local, &by), ERR(L4_ErrNonExist, 0));
    /* A new thread: if it took the same UTCB, the local id names it. */
    L4_ThreadId_t b = start_server();
    CHECK(!L4_IsNilThread(b));
    L4_ThreadId_t b_local = L4_LocalIdOf(b);
    by = 0;
    CHECK_EQ(lcall(b_local, &by), 0);
    CHECK_EQ(by, b.raw);
    if (b_local.raw == local.raw) {
        CHECK_EQ(lcall(local, &by), 0);
        CHECK_EQ(by, b.raw);
    }
    stop(b);
}

TEST(lipc, two_servers_alternately)
{
    L4_ThreadId_t a = start_server();
    L4_ThreadId_t b = start_server();
    CHECK(!L4_IsNilThread(a) && !L4_IsNilThread(b));
    for (int i = 0; i < 4; i++) {
        L4_ThreadId_t s = i & 1 ? b : a;
        L4_Word_t by = 0;
        CHECK_EQ(lcall(L4_LocalIdOf(s), &by), 0);
        CHECK_EQ(by, s.raw);
    }
    stop(a);
    stop(b);
}

TEST(lipc, global_id_through_the_lipc_stub)
{
    L4_ThreadId_t server = start_server();
    CHECK(!L4_IsNilThread(server));
    L4_Word_t by = 0;
    CHECK_EQ(lcall(server, &by), 0);
    CHECK_EQ(by, server.raw);
    stop(server);
}
