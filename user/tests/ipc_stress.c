/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC under load: 16 threads, 12 in the root space and 4 in a second one,
 * do random sends, receives (open and closed), calls and send-receives
 * to random partners with random short timeouts, and now and then cancel
 * each other's IPC with ExchangeRegisters.
 *
 * Every message names its sender, its sequence number and its intended
 * receiver and carries words derived from them.  A sender notes which
 * messages its send phase delivered; receivers count what they got.  In
 * the end each message must have been received exactly once if and only
 * if its sender saw it delivered, by the thread it was sent to, intact,
 * with the right `from`; and every thread must have finished.  The random
 * choices come from fixed seeds; the interleaving depends on the timer.
 */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>

#define WORKERS     16
#define LOCAL       12                  /* workers 0..11 in our space, the rest elsewhere */
#define OPS         2000                /* IPC operations per worker */
#define MAX_SEQ     OPS                 /* at most one message per operation */
#define LABEL       0x57A0UL

static L4_ThreadId_t gid[WORKERS];      /* global ids */
static volatile L4_Word_t lid[WORKERS]; /* local ids, registered by the workers */
static volatile L4_Word_t registered, finished;
static volatile unsigned char delivered[WORKERS][MAX_SEQ];
static volatile unsigned char received[WORKERS][MAX_SEQ];
static volatile L4_Word_t sent_count[WORKERS];
static volatile L4_Word_t errors, first_error;
static volatile int go;

static int space_of(int w)
{
    return w < LOCAL ? 0 : 1;
}

static L4_Word_t word_for(L4_Word_t sender, L4_Word_t seq, L4_Word_t k)
{
    L4_Word_t x = (sender << 40 | seq << 8 | k) * 0x9E3779B97F4A7C15UL;
    return x ^ (x >> 29);
}

static void error(L4_Word_t code)
{
    if (!errors) {
        first_error = code;
    }
    errors++;
}

static L4_Word_t next(L4_Word_t *s)
{
    L4_Word_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static L4_Time_t short_time(L4_Word_t r)
{
    static const L4_Word_t us[] = { 0, 100, 300, 700, 1000, 2000 };
    L4_Word_t t = us[r % 6];
    return t ? L4_TimePeriod(t) : L4_ZeroTime;
}

/* The id worker `me` uses for `other` as a destination or expects as from. */
static L4_ThreadId_t id_for(int me, int other, int prefer_local)
{
    if (space_of(me) == space_of(other) && prefer_local) {
        return (L4_ThreadId_t){ .raw = lid[other] };
    }
    return gid[other];
}

/* Check a received message (tag t from `from`) at worker me. */
static void account_received(int me, L4_MsgTag_t t, L4_ThreadId_t from)
{
    L4_Word_t mr[12];
    unsigned u = (unsigned)L4_UntypedWords(t);
    if (L4_Label(t) != LABEL || u < 4 || u > 11 || L4_TypedWords(t) != 0 || t.X.flags != 0) {
        error(0x100000 | t.raw);
        return;
    }
    L4_StoreMRs(1, (int)u, mr + 1);
    L4_Word_t s = mr[1], seq = mr[2];
    if (s >= WORKERS || seq >= MAX_SEQ || mr[3] != (L4_Word_t)me) {
        error(0x200000 | me);
        return;
    }
    for (unsigned k = 4; k <= u; k++) {
        if (mr[k] != word_for(s, seq, k)) {
            error(0x300000 | k);
            return;
        }
    }
    L4_ThreadId_t expect = id_for(me, (int)s, 1);
    if (from.raw != expect.raw) {
        error(0x400000 | s << 8 | (L4_Word_t)me);
        return;
    }
    received[s][seq]++;
}

static void worker(void)
{
    int me = -1;
    for (int tries = 0; me < 0; tries++) {
        for (int i = 0; i < WORKERS; i++) {
            if (gid[i].raw == L4_Myself().raw) {
                me = i;
            }
        }
        if (me < 0) {
            if (tries > 1000) {
                error(0x500000);
                return;
            }
            L4_Sleep(L4_TimePeriod(500));       /* the root thread is still setting up */
        }
    }
    lid[me] = L4_MyLocalId().raw;
    registered++;
    while (!go) {
        L4_Sleep(L4_TimePeriod(500));
    }
    L4_Word_t rnd = 0x243F6A8885A308D3UL + (L4_Word_t)me * 0x13198A2E03707344UL;
    L4_Word_t seq = 0;
    for (int op = 0; op < OPS; op++) {
        L4_Word_t r = next(&rnd);
        int partner = (int)((r >> 8) % WORKERS);
        L4_ThreadId_t to = L4_nilthread, from_spec = L4_nilthread, from = L4_nilthread;
        switch (r % 8) {
        case 0: case 1: case 2:             /* send */
            to = id_for(me, partner, (r >> 16) & 1);
            break;
        case 3: case 4:                     /* open receive */
            from_spec = L4_anythread;
            break;
        case 5:                             /* closed receive */
            from_spec = id_for(me, partner, (r >> 16) & 1);
            break;
        case 6:                             /* call */
            to = from_spec = id_for(me, partner, (r >> 16) & 1);
            break;
        default:                            /* send, then open receive */
            to = id_for(me, partner, (r >> 16) & 1);
            from_spec = L4_anythread;
            break;
        }
        if ((r >> 20) % 16 == 0) {
            /* Cancel a partner's IPC (ExchangeRegisters works in our space). */
            int victim = (int)((r >> 24) % WORKERS);
            if (space_of(victim) == space_of(me) && victim != me) {
                L4_Word_t d;
                L4_ThreadId_t p;
                L4_ExchangeRegisters(gid[victim], L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread,
                                     &d, &d, &d, &d, &d, &p);
            }
        }
        unsigned u = 4 + (unsigned)((r >> 28) % 8);
        if (!L4_IsNilThread(to)) {
            L4_LoadMR(0, LABEL << 16 | u);
            L4_LoadMR(1, (L4_Word_t)me);
            L4_LoadMR(2, seq);
            L4_LoadMR(3, (L4_Word_t)partner);
            for (unsigned k = 4; k <= u; k++) {
                L4_LoadMR((int)k, word_for((L4_Word_t)me, seq, k));
            }
        }
        L4_Word_t timeouts = L4_Timeouts(short_time(r >> 32), short_time(r >> 40));
        L4_MsgTag_t t = L4_Ipc(to, from_spec, timeouts, &from);
        L4_Word_t err = L4_IpcFailed(t) ? L4_ErrorCode() : 0;
        if (!L4_IsNilThread(to)) {
            /* Delivered unless the send phase failed (phase bit 0). */
            if (!err || (err & 1)) {
                delivered[me][seq] = 1;
            }
            seq++;
        }
        if (!L4_IsNilThread(from_spec) && !err) {
            account_received(me, t, from);
        }
        if (err && (err >> 4) != 0) {
            error(0x600000 | err);
        }
    }
    sent_count[me] = seq;
    finished++;
}

static int all_registered(void)
{
    return registered == WORKERS;
}

TEST(ipc_stress, random_ipc_16_threads)
{
    registered = finished = errors = first_error = 0;
    go = 0;
    for (int s = 0; s < WORKERS; s++) {
        sent_count[s] = 0;
        lid[s] = 0;
        for (int q = 0; q < MAX_SEQ; q++) {
            delivered[s][q] = received[s][q] = 0;
        }
    }
    CHECK(!L4_IsNilThread(test_pager_start()));
    /* Workers find themselves in gid[] (waiting until they are there). */
    L4_ThreadId_t space = L4_nilthread;
    for (int i = 0; i < WORKERS; i++) {
        gid[i] = L4_nilthread;
    }
    for (int i = 0; i < WORKERS; i++) {
        L4_ThreadId_t t = i < LOCAL ? test_start_thread_in(L4_Myself(), worker)
                                    : test_start_thread_in(space, worker);
        CHECK(!L4_IsNilThread(t));
        gid[i] = t;
        if (i == LOCAL) {
            space = t;
        }
    }
    L4_Word_t t0 = L4_SystemClock().raw;
    for (int i = 0; i < 200 && !all_registered(); i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    CHECK_EQ(registered, WORKERS);
    go = 1;
    for (int i = 0; i < 3000 && finished < WORKERS; i++) {
        L4_Sleep(L4_TimePeriod(5000));
    }
    L4_Word_t took = L4_SystemClock().raw - t0;
    CHECK_EQ(finished, WORKERS);                /* nobody stuck */
    if (errors) {
        test_fail(__FILE__, __LINE__, "%lu bad messages, first %lx", errors, first_error);
        return;
    }
    L4_Word_t sent = 0, got = 0;
    for (int s = 0; s < WORKERS; s++) {
        for (L4_Word_t q = 0; q < MAX_SEQ; q++) {
            if (received[s][q] > 1) {
                test_fail(__FILE__, __LINE__, "message %d/%lu received %d times", s, q,
                          received[s][q]);
                return;
            }
            if (received[s][q] != delivered[s][q]) {
                test_fail(__FILE__, __LINE__, "message %d/%lu: delivered %d, received %d", s, q,
                          delivered[s][q], received[s][q]);
                return;
            }
            sent += q < sent_count[s];
            got += received[s][q];
        }
    }
    printf("  ipc_stress: %lu messages sent, %lu delivered, %lu ms\n", sent, got, took / 1000);
    CHECK(got > sent / 20);                     /* the load really exchanged messages */
    for (int i = 0; i < WORKERS; i++) {
        test_kill_thread(gid[i]);
    }
    test_pager_stop();
}

/* IPC leaves no kernel memory behind: a round of a second space, its
 * pager, page faults, calls and a timed-out send costs nothing once its
 * threads are gone.  The first round warms up what stays (UTCB pages of
 * our own slots, thread-table levels). */
static volatile L4_Word_t round_done;

static void round_client(void)
{
    for (int i = 0; i < 20; i++) {
        L4_LoadMR(0, LABEL << 16 | 1);
        L4_LoadMR(1, (L4_Word_t)i);
        L4_Call_Timeouts(gid[0], L4_TimePeriod(100000), L4_TimePeriod(100000));
    }
    L4_LoadMR(0, 0);
    L4_Send_Timeout(gid[0], L4_TimePeriod(1000));     /* nobody receives: times out */
    round_done = 1;
}

static int round_finished(void)
{
    return round_done != 0;
}

static int one_round(void)
{
    round_done = 0;
    gid[0] = L4_Myself();
    if (L4_IsNilThread(test_pager_start())) {
        printf("  ipc_stress: no pager thread (error %lu)\n", L4_ErrorCode());
        return 0;
    }
    L4_ThreadId_t c = test_start_space_thread(round_client);
    if (L4_IsNilThread(c)) {
        printf("  ipc_stress: no client in a new space (error %lu)\n", L4_ErrorCode());
        test_pager_stop();
        return 0;
    }
    for (int i = 0; i < 20; i++) {
        L4_ThreadId_t from;
        L4_MsgTag_t t = L4_Wait_Timeout(L4_TimePeriod(1000000), &from);
        if (L4_IpcFailed(t)) {
            printf("  ipc_stress: round wait %d failed, error %lx\n", i, L4_ErrorCode());
            break;
        }
        L4_LoadMR(0, 0);
        if (L4_IpcFailed(L4_Reply(from))) {
            printf("  ipc_stress: round reply %d failed, error %lx\n", i, L4_ErrorCode());
        }
    }
    /* Sleep, not yield: the client may run below our priority. */
    for (int i = 0; i < 2000 && !round_finished(); i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    int ok = round_finished();
    if (!ok) {
        printf("  ipc_stress: the round's client did not finish\n");
    }
    test_kill_thread(c);
    test_pager_stop();
    return ok;
}

TEST(ipc_stress, no_kernel_memory_left_behind)
{
    CHECK(one_round());
    L4_Word_t before = test_kmem_free();
    CHECK(one_round());
    CHECK_EQ(test_kmem_free(), before);
}
