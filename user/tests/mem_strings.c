/* SPDX-License-Identifier: BSD-2-Clause */
/* String items cannot reach memory their owner may not touch (X.2 §5.3).
 * Addresses outside the user area, as source or as receive buffer, end the
 * IPC with a message overflow at the byte where they begin, without a page
 * fault (docs/ipc.md); unmapped user memory is a page fault of its owner,
 * whose pager decides what is copied.  Sender and receiver live in fresh
 * spaces with the test pager; transfer timeouts bound every case, so a
 * regression fails instead of hanging.
 */
#include "suite.h"
#include "mem_helpers.h"
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/items.h>
#include <kernel/string.h>

#define MAGIC        0x5EC2E75EC2E75EC2UL
#define KERNEL_IMAGE 0xFFFFFFFF80100000UL
#define PHYSMAP      0xFFFF800000000000UL
#define TOP_PAGE     0x00007FFFFFFFF000UL   /* the last user page */
#define LEN          64
#define OVERFLOW     4

#define STR(len) ((L4_Word_t)(len) << 10)   /* simple string item, one substring */

static L4_Word_t victim[512] __attribute__((aligned(4096))) = { MAGIC, MAGIC };
static L4_Word_t buf[LEN / 8 + 2];

static L4_ThreadId_t root;
static volatile L4_Word_t src_addr, dst_addr, map_first, result_tag, result_err;
static volatile int finished;
static L4_Word_t saved_xfer;
static volatile L4_Word_t receiver_xfer_us;     /* the receiver's transfer timeouts */

static L4_Time_t bound(void)
{
    return L4_TimePeriod(1000000);
}

/* In a fresh space: optionally receive a page at TOP_PAGE first, then send
 * one string of LEN bytes from src_addr to the root thread. */
static void sender(void)
{
    L4_Set_XferTimeouts(L4_Timeouts(bound(), bound()));
    if (map_first) {
        L4_Accept(L4_MapGrantItems(L4_FpageLog2(TOP_PAGE, 12)));
        L4_Receive_Timeout(root, bound());
    }
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(LEN));
    L4_LoadMR(2, src_addr);
    L4_MsgTag_t t = L4_Send_Timeout(root, bound());
    result_tag = t.raw;
    result_err = L4_ErrorCode();
    finished = 1;
}

/* In a fresh space: receive one string from the root into dst_addr. */
static void receiver(void)
{
    L4_Time_t x = L4_TimePeriod(receiver_xfer_us);
    L4_Set_XferTimeouts(L4_Timeouts(x, x));
    L4_Word_t brs[3] = { 1, STR(LEN), dst_addr };
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t t = L4_Receive_Timeout(root, bound());
    result_tag = t.raw;
    result_err = L4_ErrorCode();
    finished = 1;
}

static int is_finished(void)
{
    return finished;
}

static L4_ThreadId_t start(void (*fn)(void))
{
    root = L4_Myself();
    finished = 0;
    result_tag = result_err = 0;
    saved_xfer = L4_XferTimeouts();
    L4_Set_XferTimeouts(L4_Timeouts(bound(), bound()));
    if (!mem_pager_start()) {
        return L4_nilthread;
    }
    test_pager_log.scratch = 0;
    return test_start_space_thread(fn);
}

static void stop(L4_ThreadId_t t)
{
    if (!L4_IsNilThread(t)) {
        test_kill_thread(t);
    }
    test_pager_stop();
    L4_Set_XferTimeouts(saved_xfer);
}

/* Receive the sender's string into buf (filled with 0xEE first). */
static L4_MsgTag_t receive_into_buf(L4_ThreadId_t t, L4_Word_t *err)
{
    memset(buf, 0xEE, sizeof(buf));
    L4_Word_t brs[3] = { 1, STR(sizeof(buf)), (L4_Word_t)buf };
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, bound());
    *err = L4_ErrorCode();
    test_wait_until(is_finished, 1000);
    return tag;
}

static int untouched(void)
{
    const unsigned char *b = (const unsigned char *)buf;
    for (unsigned i = 0; i < sizeof(buf); i++) {
        if (b[i] != 0xEE) {
            return 0;
        }
    }
    return 1;
}

/* Both sides failed with a message overflow after `offset` bytes. */
static int overflowed(L4_MsgTag_t tag, L4_Word_t err, L4_Word_t offset)
{
    if (!L4_IpcFailed(tag) || err != (offset << 4 | OVERFLOW << 1 | 1) || !finished ||
        !(result_tag & 0x8000) || result_err != (offset << 4 | OVERFLOW << 1)) {
        test_fail(__FILE__, __LINE__, "receiver tag %lx err %lx, sender tag %lx err %lx",
                  tag.raw, err, result_tag, result_err);
        return 0;
    }
    return 1;
}

static void string_from(L4_Word_t addr)
{
    src_addr = addr;
    map_first = 0;
    L4_ThreadId_t t = start(sender);
    CHECK(!L4_IsNilThread(t));
    L4_Word_t err;
    L4_MsgTag_t tag = receive_into_buf(t, &err);
    stop(t);
    CHECK(overflowed(tag, err, 0));
    CHECK(untouched());
    CHECK_EQ(test_pager_log.count, 0);
}

static void from_kernel(void)
{
    string_from(KERNEL_IMAGE);
}

static void from_physmap(void)
{
    string_from(PHYSMAP + (L4_Word_t)victim);   /* our image: physical = virtual */
}

static void from_noncanonical(void)
{
    string_from(0x0000900000000000UL);
}

/* Send our string to a receiver whose buffer is at addr; *err gets our
 * ErrorCode (0 if the IPC succeeded). */
static int send_to_buffer(L4_Word_t addr, L4_Word_t xfer_us, L4_Word_t *err)
{
    static char text[LEN] = "must not arrive";
    dst_addr = addr;
    receiver_xfer_us = xfer_us;
    L4_ThreadId_t t = start(receiver);
    if (L4_IsNilThread(t)) {
        stop(t);
        return 0;
    }
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(LEN));
    L4_LoadMR(2, (L4_Word_t)text);
    L4_MsgTag_t tag = L4_Send_Timeout(t, bound());
    *err = L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
    test_wait_until(is_finished, 1000);
    stop(t);
    return 1;
}

/* A receive buffer in the physmap, over our own page: nothing is written. */
static void to_physmap(void)
{
    L4_Word_t err;
    CHECK(send_to_buffer(PHYSMAP + (L4_Word_t)victim, 1000000, &err));
    CHECK_EQ(err, OVERFLOW << 1);
    CHECK(finished);
    CHECK_EQ(result_err, OVERFLOW << 1 | 1);
    CHECK_EQ(victim[0], MAGIC);
    CHECK_EQ(victim[1], MAGIC);
    CHECK_EQ(test_pager_log.count, 0);
}

/* A receive buffer in the receiver's KIP (read-only): a tunnelled write
 * fault its pager cannot resolve; the transfer times out, the KIP (the
 * same page as ours) stays as it was. */
static void to_kip(void)
{
    unsigned char *kip = test_kip(), before[LEN];
    memcpy(before, kip + 0x800, LEN);
    L4_Word_t err;
    CHECK(send_to_buffer((L4_Word_t)kip + 0x800, 20000, &err));
    CHECK(!memcmp(before, kip + 0x800, LEN));
    CHECK(err == (5 << 1) || err == (6 << 1));          /* transfer timeout, offset 0 */
    CHECK(finished);
    CHECK(result_err == (5 << 1 | 1) || result_err == (6 << 1 | 1));
    CHECK(test_pager_log.count >= 1);
    CHECK_EQ(test_pager_log.addr, (L4_Word_t)kip + 0x800);
    CHECK_EQ(test_pager_log.access, L4_Writable);
}

/* Our page, not mapped to the sender: its pager is asked and what the
 * pager maps (the scratch page) is what arrives. */
static void from_unmapped(void)
{
    src_addr = (L4_Word_t)victim;
    map_first = 0;
    L4_ThreadId_t t = start(sender);
    CHECK(!L4_IsNilThread(t));
    test_pager_log.deny_lo = (L4_Word_t)victim;
    test_pager_log.deny_hi = (L4_Word_t)victim + sizeof(victim);
    test_pager_log.scratch = (L4_Word_t)mem_scratch();
    L4_Word_t err;
    L4_MsgTag_t tag = receive_into_buf(t, &err);
    stop(t);
    CHECK(L4_IpcSucceeded(tag));
    CHECK_EQ(test_pager_log.count, 1);
    CHECK_EQ(test_pager_log.addr, (L4_Word_t)victim);
    CHECK_EQ(test_pager_log.access, L4_Readable);
    CHECK_EQ(buf[0], MEM_SCRATCH_MARK);
    CHECK(buf[1] != MAGIC);
}

/* A string that starts in the last user page and runs past the end of the
 * user area: the bytes below the end arrive, then the overflow. */
static void across_user_end(void)
{
    L4_Word_t *p = test_alloc(12);
    CHECK(p);
    for (int i = 0; i < 512; i++) {
        p[i] = MAGIC + (L4_Word_t)i;
    }
    src_addr = TOP_PAGE + 0x1000 - 16;
    map_first = 1;
    L4_ThreadId_t t = start(sender);
    CHECK(!L4_IsNilThread(t));
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)p, 12),
                                                  L4_Readable), 0);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
    int sent = L4_IpcSucceeded(L4_Send_Timeout(t, bound()));
    L4_Word_t err;
    L4_MsgTag_t tag = receive_into_buf(t, &err);
    stop(t);
    CHECK(sent);
    CHECK(overflowed(tag, err, 16));
    CHECK_EQ(buf[0], MAGIC + 510);
    CHECK_EQ(buf[1], MAGIC + 511);
    CHECK_EQ(buf[2], 0xEEEEEEEEEEEEEEEEUL);
}

TEST(mem, string_from_kernel_image_overflows) { from_kernel(); }
TEST(mem, string_from_physmap_overflows) { from_physmap(); }
TEST(mem, string_from_noncanonical_overflows) { from_noncanonical(); }
TEST(mem, string_into_physmap_overflows) { to_physmap(); }
TEST(mem, string_into_kip_fails) { to_kip(); }
TEST(mem, string_from_unmapped_page_asks_pager) { from_unmapped(); }
TEST(mem, string_across_user_area_end) { across_user_end(); }
