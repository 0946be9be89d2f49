/* SPDX-License-Identifier: BSD-2-Clause */
/* Map and grant items (X.2 §5.2–5.3, spec ipc.md §4.3): pages arrive in
 * another space, rights are intersected and extended, grant moves the
 * mapping, the send fpage and the receive window are matched by size, the
 * nil fpage is a legal no-op, KIP and UTCB areas stay untouched.
 *
 * A "map server" (map_server) runs in a new space or in ours; the root
 * thread drives it by Call: set the receive window, take a map message,
 * read, write, or map on to a third thread.  Its pager is the test pager:
 * an access to a page the server does not have is recorded there and
 * answered with the scratch page, so a read tells by its value and by the
 * fault log whether the page had arrived.
 */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/items.h>
#include <l4/acceptor.h>
#include <l4/kip.h>

#define SECOND      L4_TimePeriod(1000000)
#define SCRATCH_MARK 0x5C5C5C5C00000000UL

enum { OP_WINDOW = 1, OP_MAP, OP_READ, OP_WRITE, OP_MAP_TO, OP_SELF };

#define WIN_BASE    0x40000000UL        /* receive windows in the server's space */

static L4_Word_t *scratch;

static L4_MsgTag_t op_tag(L4_Word_t op, unsigned u, unsigned t)
{
    return (L4_MsgTag_t){ .raw = op << 16 | (L4_Word_t)t << 6 | u };
}

/* The map server: one request per message, replies u = 3 (MR1..MR3). */
static void map_server(void)
{
    L4_Word_t acceptor = 0;
    L4_ThreadId_t from;
    L4_Accept((L4_Acceptor_t){ .raw = acceptor });
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        if (L4_IpcFailed(tag)) {
            L4_Accept((L4_Acceptor_t){ .raw = acceptor });
            tag = L4_Wait(&from);
            continue;
        }
        L4_Word_t mr1, mr2, mr3, r1 = 0, r2 = 0, r3 = 0;
        L4_StoreMR(1, &mr1);
        L4_StoreMR(2, &mr2);
        L4_StoreMR(3, &mr3);
        switch (L4_Label(tag)) {
        case OP_WINDOW:
            acceptor = mr1;
            break;
        case OP_MAP:                    /* the items' words as received */
            r1 = mr1;
            r2 = mr2;
            r3 = mr3;
            break;
        case OP_READ:
            r1 = *(volatile L4_Word_t *)mr1;
            break;
        case OP_WRITE:
            *(volatile L4_Word_t *)mr1 = mr2;
            break;
        case OP_MAP_TO: {
            L4_MapItem_t m = L4_MapItem((L4_Fpage_t){ .raw = mr2 }, mr3);
            L4_LoadMR(0, op_tag(OP_MAP, 0, 2).raw);
            L4_LoadMR(1, m.raw[0]);
            L4_LoadMR(2, m.raw[1]);
            r1 = L4_Call_Timeouts((L4_ThreadId_t){ .raw = mr1 }, SECOND, SECOND).raw;
            break;
        }
        case OP_SELF:
            r1 = L4_MyLocalId().raw;
            r2 = L4_Myself().raw;
            break;
        default:
            break;
        }
        L4_LoadMR(0, op_tag(0, 3, 0).raw);
        L4_LoadMR(1, r1);
        L4_LoadMR(2, r2);
        L4_LoadMR(3, r3);
        L4_Accept((L4_Acceptor_t){ .raw = acceptor });
        tag = L4_ReplyWait(from, &from);
    }
}

/* Root-side helpers: each returns 0 on IPC failure (and fails the case). */
static int call(L4_ThreadId_t srv, L4_MsgTag_t tag, L4_Word_t a, L4_Word_t b, L4_Word_t c,
                L4_Word_t *r1, L4_Word_t *r2)
{
    L4_LoadMR(0, tag.raw);
    L4_LoadMR(1, a);
    L4_LoadMR(2, b);
    L4_LoadMR(3, c);
    L4_MsgTag_t t = L4_Call_Timeouts(srv, SECOND, SECOND);
    if (L4_IpcFailed(t)) {
        test_fail(__FILE__, __LINE__, "call op %lu failed, ErrorCode %lx", L4_Label(tag),
                  L4_ErrorCode());
        return 0;
    }
    L4_Word_t w1, w2;
    L4_StoreMR(1, &w1);
    L4_StoreMR(2, &w2);
    if (r1) {
        *r1 = w1;
    }
    if (r2) {
        *r2 = w2;
    }
    return 1;
}

static int set_window(L4_ThreadId_t srv, L4_Fpage_t window)
{
    return call(srv, op_tag(OP_WINDOW, 1, 0), L4_MapGrantItems(window).raw, 0, 0, 0, 0);
}

/* Send one map (or grant) item of f with send base `base` to srv. */
static int send_item(L4_ThreadId_t srv, L4_Fpage_t f, L4_Word_t base, int grant)
{
    L4_Word_t w0 = grant ? L4_GrantItem(f, base).raw[0] : L4_MapItem(f, base).raw[0];
    L4_LoadMR(0, op_tag(OP_MAP, 0, 2).raw);
    L4_LoadMR(1, w0);
    L4_LoadMR(2, f.raw);
    L4_MsgTag_t t = L4_Call_Timeouts(srv, SECOND, SECOND);
    if (L4_IpcFailed(t)) {
        test_fail(__FILE__, __LINE__, "map message failed, ErrorCode %lx", L4_ErrorCode());
        return 0;
    }
    return 1;
}

static int srv_read(L4_ThreadId_t srv, L4_Word_t addr, L4_Word_t *value)
{
    return call(srv, op_tag(OP_READ, 1, 0), addr, 0, 0, value, 0);
}

static int srv_write(L4_ThreadId_t srv, L4_Word_t addr, L4_Word_t value)
{
    return call(srv, op_tag(OP_WRITE, 2, 0), addr, value, 0, 0, 0);
}

/* Fresh zeroed memory whose 4 KiB page n starts with the word mark + n
 * (sigma0 hands out memory as it is, not cleared). */
static L4_Word_t *fresh(unsigned log2, L4_Word_t mark)
{
    L4_Word_t *p = test_alloc(log2);
    if (p) {
        for (L4_Word_t i = 0; i < (1UL << log2) / sizeof(L4_Word_t); i++) {
            p[i] = i % 512 ? 0 : mark + i / 512;
        }
    }
    return p;
}

/* Start the pager (with a scratch page) and a map server in a new space. */
static L4_ThreadId_t setup(void)
{
    if (!scratch) {
        scratch = test_alloc(12);
    }
    if (!scratch || L4_IsNilThread(test_pager_start())) {
        return L4_nilthread;
    }
    for (int i = 0; i < 512; i++) {
        scratch[i] = 0;
    }
    scratch[0] = SCRATCH_MARK;
    test_pager_log.scratch = (L4_Word_t)scratch;
    test_pager_log.scratch_rights = L4_ReadWriteOnly;
    return test_start_space_thread(map_server);
}

static void teardown(L4_ThreadId_t srv)
{
    if (!L4_IsNilThread(srv)) {
        test_kill_thread(srv);
    }
    test_pager_stop();
}

static L4_Fpage_t rights(L4_Fpage_t f, L4_Word_t r)
{
    L4_Set_Rights(&f, r);
    return f;
}

TEST(ipc_map, page_arrives_in_other_space)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0xA000);
    CHECK(p);
    L4_Word_t win = WIN_BASE;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_FullyAccessible), 0, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(v, 0xA000);
    CHECK_EQ(test_pager_log.count, 0);
    CHECK(srv_write(srv, win + 8, 0xFEED));
    CHECK_EQ(p[1], 0xFEED);                     /* the same memory */
    teardown(srv);
}

TEST(ipc_map, received_item_words_in_mrs)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 1);
    CHECK(p);
    CHECK(set_window(srv, L4_CompleteAddressSpace));
    L4_Fpage_t f = rights(L4_FpageLog2((L4_Word_t)p, 12), L4_Readable);
    L4_MapItem_t m = L4_MapItem(f, WIN_BASE);
    L4_LoadMR(0, op_tag(OP_MAP, 0, 2).raw);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
    L4_MsgTag_t t = L4_Call_Timeouts(srv, SECOND, SECOND);
    CHECK(L4_IpcSucceeded(t));
    L4_Word_t w0, w1;
    L4_StoreMR(1, &w0);
    L4_StoreMR(2, &w1);
    CHECK_EQ(w0, m.raw[0]);
    CHECK_EQ(w1, m.raw[1]);
    teardown(srv);
}

/* Rights: a read-only page can be read; a write faults to the pager with
 * the w access bit at the exact address. */
TEST(ipc_map, read_only_mapping_faults_on_write)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0xB000);
    CHECK(p);
    L4_Word_t win = WIN_BASE + 0x10000;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_Readable), 0, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(v, 0xB000);
    CHECK_EQ(test_pager_log.count, 0);
    CHECK(srv_write(srv, win + 0x18, 0x1234));
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(test_pager_log.addr, win + 0x18);
    CHECK_EQ(test_pager_log.access, L4_Writable);
    CHECK_EQ(test_pager_log.from, srv.raw);
    CHECK_EQ(p[3], 0);                          /* the write went to the scratch page */
    CHECK_EQ(scratch[3], 0x1234);
    teardown(srv);
}

TEST(ipc_map, rights_zero_maps_nothing)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0xC000);
    CHECK(p);
    L4_Word_t win = WIN_BASE;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_NoAccess), 0, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(test_pager_log.addr, win);
    CHECK_EQ(v, SCRATCH_MARK);
    teardown(srv);
}

/* Mapping on from a read-only page: the rights are those of the item
 * intersected with the mapper's own (X.2 §5.2), so rwx becomes r. */
TEST(ipc_map, rights_intersected_with_mappers)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_ThreadId_t local = test_start_thread_in(L4_Myself(), map_server);
    CHECK(!L4_IsNilThread(local));
    L4_Word_t *p = fresh(12, 0xD000);
    CHECK(p);
    L4_Word_t win = WIN_BASE + 0x20000, mine = 0x48000000UL;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_Readable), 0, 0));
    CHECK(set_window(local, L4_FpageLog2(mine, 12)));
    L4_Word_t r;
    CHECK(call(srv, op_tag(OP_MAP_TO, 3, 0), local.raw,
               rights(L4_FpageLog2(win, 12), L4_FullyAccessible).raw, 0, &r, 0));
    CHECK(L4_IpcSucceeded((L4_MsgTag_t){ .raw = r }));
    L4_Word_t v;
    CHECK(srv_read(local, mine, &v));
    CHECK_EQ(v, 0xD000);                        /* the page arrived ... */
    CHECK_EQ(test_pager_log.count, 0);
    CHECK(srv_write(local, mine + 8, 0x77));    /* ... read-only */
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(test_pager_log.addr, mine + 8);
    CHECK_EQ(test_pager_log.access, L4_Writable);
    CHECK_EQ(p[1], 0);
    test_kill_thread(local);
    teardown(srv);
}

/* X.2 §5.2: mapping the very same page again extends the rights (OR);
 * mapping cannot revoke rights. */
TEST(ipc_map, remap_extends_rights_never_revokes)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0xE000);
    CHECK(p);
    L4_Word_t win = WIN_BASE;
    L4_Fpage_t f = L4_FpageLog2((L4_Word_t)p, 12);
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(f, L4_Readable), 0, 0));
    CHECK(send_item(srv, rights(f, L4_Writable), 0, 0));
    CHECK(srv_write(srv, win + 8, 1));
    CHECK_EQ(test_pager_log.count, 0);          /* now rw */
    CHECK_EQ(p[1], 1);
    CHECK(send_item(srv, rights(f, L4_Readable), 0, 0));
    CHECK(srv_write(srv, win + 8, 2));
    CHECK_EQ(test_pager_log.count, 0);          /* still rw */
    CHECK_EQ(p[1], 2);
    teardown(srv);
}

/* Another page at the same place replaces the old mapping. */
TEST(ipc_map, other_page_replaces_mapping)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0xF000), *q = fresh(12, 0xF100);
    CHECK(p && q);
    L4_Word_t win = WIN_BASE;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_ReadWriteOnly), 0, 0));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)q, 12), L4_Readable), 0, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(v, 0xF100);
    CHECK(srv_write(srv, win + 8, 5));          /* q is read-only here */
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(p[1], 0);
    CHECK_EQ(q[1], 0);
    teardown(srv);
}

/* Grant: the page arrives and leaves the granter.  A thread of ours with
 * the test pager then faults on the old address. */
static volatile L4_Word_t probe_addr, probe_value, probe_done;

static void probe_read(void)
{
    probe_value = *(volatile L4_Word_t *)probe_addr;
    probe_done = 1;
}

static int probed(void)
{
    return probe_done != 0;
}

TEST(ipc_map, grant_moves_the_page)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0x6000);
    CHECK(p);
    L4_Word_t win = WIN_BASE;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_FullyAccessible), 0, 1));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(v, 0x6000);
    CHECK_EQ(test_pager_log.count, 0);
    probe_addr = (L4_Word_t)p;
    probe_done = 0;
    L4_ThreadId_t probe = test_start_thread_in(L4_Myself(), probe_read);
    CHECK(!L4_IsNilThread(probe));
    CHECK(test_wait_until(probed, 1000));
    CHECK_EQ(test_pager_log.count, 1);          /* gone from our space */
    CHECK_EQ(test_pager_log.addr, (L4_Word_t)p);
    CHECK_EQ(probe_value, SCRATCH_MARK);
    test_kill_thread(probe);
    teardown(srv);
}

/* Send fpage smaller than the window: the send base picks the place
 * inside the window (base mod 2^r, rounded down to 2^s). */
TEST(ipc_map, small_fpage_placed_in_large_window)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(14, 0x1400);           /* 4 pages: 0x1400 .. 0x1403 */
    CHECK(p);
    L4_Word_t win = WIN_BASE + 0x100000;        /* 64 KiB window */
    CHECK(set_window(srv, L4_FpageLog2(win, 16)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 14), L4_Readable),
                    0x7770000UL + 0x9000 + 0x123, 0));
    for (L4_Word_t i = 0; i < 4; i++) {
        L4_Word_t v;
        CHECK(srv_read(srv, win + 0x8000 + i * 0x1000, &v));
        CHECK_EQ(v, 0x1400 + i);
    }
    CHECK_EQ(test_pager_log.count, 0);
    L4_Word_t v;
    CHECK(srv_read(srv, win + 0x7000, &v));     /* just before: nothing */
    CHECK_EQ(test_pager_log.count, 1);
    CHECK(srv_read(srv, win + 0xC000, &v));     /* just after: nothing */
    CHECK_EQ(test_pager_log.count, 2);
    CHECK_EQ(test_pager_log.addr, win + 0xC000);
    teardown(srv);
}

/* Send fpage larger than the window: the send base picks which
 * window-sized part of the fpage is sent (base mod 2^s, rounded down to
 * 2^r). */
TEST(ipc_map, large_fpage_cut_to_small_window)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(16, 0x1600);           /* 16 pages */
    CHECK(p);
    L4_Word_t win = WIN_BASE + 0x200000;        /* 8 KiB window */
    CHECK(set_window(srv, L4_FpageLog2(win, 13)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 16), L4_Readable), 0x35000, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(v, 0x1604);
    CHECK(srv_read(srv, win + 0x1000, &v));
    CHECK_EQ(v, 0x1605);
    CHECK_EQ(test_pager_log.count, 0);
    CHECK(srv_read(srv, win + 0x2000, &v));     /* outside the window */
    CHECK_EQ(test_pager_log.count, 1);
    teardown(srv);
}

/* The complete address space as window: the send base is the address. */
TEST(ipc_map, complete_space_window_uses_send_base)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(13, 0x1300);           /* 2 pages */
    CHECK(p);
    CHECK(set_window(srv, L4_CompleteAddressSpace));
    L4_Word_t at = WIN_BASE + 0x3000000;
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 13), L4_Readable), at + 0x1FFF, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, at, &v));
    CHECK_EQ(v, 0x1300);
    CHECK(srv_read(srv, at + 0x1000, &v));
    CHECK_EQ(v, 0x1301);
    CHECK_EQ(test_pager_log.count, 0);
    teardown(srv);
}

/* A nil send fpage is a legal no-op: the IPC succeeds and the item words
 * arrive (sigma0's "refused" reply, spec ipc.md §4.3). */
TEST(ipc_map, nil_send_fpage_is_a_no_op)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    CHECK(set_window(srv, L4_FpageLog2(WIN_BASE, 12)));
    L4_LoadMR(0, op_tag(OP_MAP, 0, 2).raw);
    L4_LoadMR(1, 0x8);
    L4_LoadMR(2, 0);
    L4_MsgTag_t t = L4_Call_Timeouts(srv, SECOND, SECOND);
    CHECK(L4_IpcSucceeded(t));
    L4_Word_t w0, w1;
    L4_StoreMR(1, &w0);
    L4_StoreMR(2, &w1);
    CHECK_EQ(w0, 0x8);
    CHECK_EQ(w1, 0);
    L4_Word_t v;
    CHECK(srv_read(srv, WIN_BASE, &v));
    CHECK_EQ(test_pager_log.count, 1);          /* nothing was mapped */
    teardown(srv);
}

/* Two items in one message: both take effect. */
TEST(ipc_map, two_items_in_one_message)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(12, 0x2100), *q = fresh(12, 0x2200);
    CHECK(p && q);
    CHECK(set_window(srv, L4_CompleteAddressSpace));
    L4_MapItem_t a = L4_MapItem(rights(L4_FpageLog2((L4_Word_t)p, 12), L4_Readable), WIN_BASE);
    L4_MapItem_t b = L4_MapItem(rights(L4_FpageLog2((L4_Word_t)q, 12), L4_Readable),
                                WIN_BASE + 0x5000);
    L4_LoadMR(0, op_tag(OP_MAP, 0, 4).raw);
    L4_LoadMR(1, a.raw[0]);
    L4_LoadMR(2, a.raw[1]);
    L4_LoadMR(3, b.raw[0]);
    L4_LoadMR(4, b.raw[1]);
    CHECK(L4_IpcSucceeded(L4_Call_Timeouts(srv, SECOND, SECOND)));
    L4_Word_t v;
    CHECK(srv_read(srv, WIN_BASE, &v));
    CHECK_EQ(v, 0x2100);
    CHECK(srv_read(srv, WIN_BASE + 0x5000, &v));
    CHECK_EQ(v, 0x2200);
    CHECK_EQ(test_pager_log.count, 0);
    teardown(srv);
}

/* X.2 §5.1: the sender's C bits are ignored; in the receiver's MRs each
 * item's C bit says whether another item follows. */
TEST(ipc_map, continue_bits_set_for_the_receiver)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    CHECK(set_window(srv, L4_CompleteAddressSpace));
    L4_LoadMR(0, op_tag(OP_MAP, 1, 4).raw);
    L4_LoadMR(1, 0x1);                          /* an untyped word, left alone */
    L4_LoadMR(2, 0x8);                          /* nil map item, C = 0 but more follow */
    L4_LoadMR(3, 0);
    L4_LoadMR(4, 0x9);                          /* nil map item, C = 1 but the last */
    L4_LoadMR(5, 0);
    L4_MsgTag_t t = L4_Call_Timeouts(srv, SECOND, SECOND);
    CHECK(L4_IpcSucceeded(t));
    L4_Word_t w1, w2;
    L4_StoreMR(1, &w1);                         /* the server echoes MR1, MR2 */
    L4_StoreMR(2, &w2);
    CHECK_EQ(w1, 0x1);
    CHECK_EQ(w2, 0x9);                          /* first item: C set */
    L4_LoadMR(0, op_tag(OP_MAP, 0, 4).raw);
    L4_LoadMR(1, 0x9);
    L4_LoadMR(2, 0);
    L4_LoadMR(3, 0x9);
    L4_LoadMR(4, 0);
    t = L4_Call_Timeouts(srv, SECOND, SECOND);
    CHECK(L4_IpcSucceeded(t));
    L4_Word_t w3;
    L4_StoreMR(1, &w1);
    L4_StoreMR(3, &w3);
    CHECK_EQ(w1, 0x9);
    CHECK_EQ(w3, 0x8);                          /* last item: C clear */
    teardown(srv);
}

/* The receiver's KIP and UTCB areas are never overwritten, and the
 * sender's KIP and UTCB pages cannot be mapped. */
static L4_Word_t kip_word0(void)
{
    return *(L4_Word_t *)test_kip();
}

TEST(ipc_map, kip_and_utcb_areas_untouched)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(16, 0x3000);           /* 64 KiB */
    CHECK(p);
    L4_Word_t kip = (L4_Word_t)test_kip();
    L4_Word_t utcb_area = L4_MyLocalId().raw & ~0xFFFFUL;
    CHECK(set_window(srv, L4_CompleteAddressSpace));
    /* Over the server's KIP and UTCB areas (same addresses as ours). */
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_ReadWriteOnly), kip, 0));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 16), L4_ReadWriteOnly), utcb_area,
                    0));
    L4_Word_t v;
    CHECK(srv_read(srv, kip, &v));
    CHECK_EQ(v, kip_word0());
    CHECK_EQ(test_pager_log.count, 0);
    /* The server still works: its UTCB is its own (it answers, so its MRs
     * are intact), and MyGlobalId in its UTCB still names it. */
    L4_Word_t local_id, global_id;
    CHECK(call(srv, op_tag(OP_SELF, 0, 0), 0, 0, 0, &local_id, &global_id));
    CHECK_EQ(global_id, srv.raw);
    CHECK_EQ(local_id & ~0xFFFFUL, utcb_area);
    /* Our own KIP and UTCB pages cannot be sent. */
    CHECK(send_item(srv, rights(L4_FpageLog2(kip, 12), L4_Readable), WIN_BASE, 0));
    CHECK(send_item(srv, rights(L4_FpageLog2(utcb_area, 12), L4_Readable), WIN_BASE + 0x1000,
                    0));
    CHECK(srv_read(srv, WIN_BASE, &v));
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(v, SCRATCH_MARK);
    CHECK(srv_read(srv, WIN_BASE + 0x1000, &v));
    CHECK_EQ(test_pager_log.count, 2);
    teardown(srv);
}

/* A 2 MiB fpage (the large hardware page size) arrives whole, and a part
 * of it can be cut out by a small window. */
TEST(ipc_map, two_mib_fpage)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(21, 0x2000000);
    CHECK(p);
    L4_Word_t win = WIN_BASE + 0x400000;        /* 2 MiB aligned */
    CHECK(set_window(srv, L4_FpageLog2(win, 21)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 21), L4_ReadWriteOnly), 0, 0));
    static const L4_Word_t pages[] = { 0, 1, 255, 256, 511 };
    for (int i = 0; i < 5; i++) {
        L4_Word_t v;
        CHECK(srv_read(srv, win + pages[i] * 0x1000, &v));
        CHECK_EQ(v, 0x2000000 + pages[i]);
    }
    CHECK(srv_write(srv, win + 300 * 0x1000 + 8, 0xBEEF));
    CHECK_EQ(p[300 * 512 + 1], 0xBEEF);
    CHECK_EQ(test_pager_log.count, 0);
    L4_Word_t small = WIN_BASE + 0x800000;
    CHECK(set_window(srv, L4_FpageLog2(small, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2((L4_Word_t)p, 21), L4_Readable), 77 * 0x1000, 0));
    L4_Word_t v;
    CHECK(srv_read(srv, small, &v));
    CHECK_EQ(v, 0x2000000 + 77);
    CHECK_EQ(test_pager_log.count, 0);
    teardown(srv);
}

/* Within one space a page can be mapped at a second address (Pistachio
 * behaviour; the manual calls same-space mapping a no-op, see docs/ipc.md). */
TEST(ipc_map, map_within_own_space)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_ThreadId_t local = test_start_thread_in(L4_Myself(), map_server);
    CHECK(!L4_IsNilThread(local));
    L4_Word_t *p = fresh(12, 0x4400);
    CHECK(p);
    L4_Word_t alias = 0x49000000UL;
    CHECK(set_window(local, L4_FpageLog2(alias, 12)));
    CHECK(send_item(local, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_ReadWriteOnly), 0, 0));
    L4_Word_t v;
    CHECK(srv_read(local, alias, &v));
    CHECK_EQ(v, 0x4400);
    CHECK_EQ(test_pager_log.count, 0);
    CHECK(srv_write(local, alias + 8, 3));
    CHECK_EQ(p[1], 3);
    /* Mapping a page onto itself changes nothing. */
    CHECK(set_window(local, L4_CompleteAddressSpace));
    CHECK(send_item(local, rights(L4_FpageLog2((L4_Word_t)p, 12), L4_Readable), (L4_Word_t)p,
                    0));
    CHECK(srv_write(local, (L4_Word_t)p + 16, 4));     /* still writable */
    CHECK_EQ(test_pager_log.count, 0);
    CHECK_EQ(p[2], 4);
    test_kill_thread(local);
    teardown(srv);
}

/* Granting a 4 KiB part of a 2 MiB page (sigma0 hands out 2 MiB blocks as
 * large pages) removes just that part from the granter. */
TEST(ipc_map, grant_part_of_a_two_mib_page)
{
    L4_ThreadId_t srv = setup();
    CHECK(!L4_IsNilThread(srv));
    L4_Word_t *p = fresh(21, 0x7000);
    CHECK(p);
    L4_Word_t win = WIN_BASE;
    L4_Word_t part = (L4_Word_t)p + 10 * 0x1000;
    CHECK(set_window(srv, L4_FpageLog2(win, 12)));
    CHECK(send_item(srv, rights(L4_FpageLog2(part, 12), L4_ReadWriteOnly), 0, 1));
    L4_Word_t v;
    CHECK(srv_read(srv, win, &v));
    CHECK_EQ(v, 0x7000 + 10);
    CHECK_EQ(test_pager_log.count, 0);
    /* Page 11 is still ours, page 10 is gone. */
    probe_addr = (L4_Word_t)p + 11 * 0x1000;
    probe_done = 0;
    L4_ThreadId_t probe = test_start_thread_in(L4_Myself(), probe_read);
    CHECK(!L4_IsNilThread(probe));
    CHECK(test_wait_until(probed, 1000));
    CHECK_EQ(probe_value, 0x7000 + 11);
    CHECK_EQ(test_pager_log.count, 0);
    test_kill_thread(probe);
    probe_addr = part;
    probe_done = 0;
    probe = test_start_thread_in(L4_Myself(), probe_read);
    CHECK(!L4_IsNilThread(probe));
    CHECK(test_wait_until(probed, 1000));
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(test_pager_log.addr, part);
    test_kill_thread(probe);
    teardown(srv);
}
