/* SPDX-License-Identifier: BSD-2-Clause */
/* I/O-port test support (io_helpers.h).
 *
 * Threads of other spaces run our code on our pages (the test pager and
 * the IO pager map our image 1:1), so they report through our globals.
 */
#include "suite.h"
#include "io_helpers.h"
#include <l4/ipc.h>
#include <l4/items.h>
#include <l4/space.h>
#include <l4/sigma0.h>
#include <l4/thread.h>

#define LABEL_MASK   (~((1UL << 20) - 1))
#define PF_LABEL     ((L4_Word_t)-2 << 20)
#define IOPF_LABEL   ((L4_Word_t)-8 << 20)
#define CMD_FORWARD  0x10
#define CMD_UNMAP    0x11
#define ONE_SECOND   L4_TimePeriod(1000000)

io_log_t io_log;
static L4_ThreadId_t io_pager_tid;
static volatile L4_Word_t probe_port, anchor_window;
static volatile probe_kind_t probe_kind;
static volatile int probe_done, anchor_ready;

extern const char io_probe_inb_dx[], io_probe_inb_imm[], io_probe_outw_dx[],
    io_probe_inl_dx[], io_probe_inw_imm[], io_probe_outsb_dx[];

/* One port access of the given kind; each has a label for its fault IP. */
__attribute__((noinline)) static void access_port(probe_kind_t kind, L4_Word_t port)
{
    unsigned char buf[4] = { 0 };
    const unsigned char *src = buf;
    switch (kind) {
    case PROBE_INB_DX:
        __asm__ volatile(".globl io_probe_inb_dx\nio_probe_inb_dx: inb %%dx, %%al"
                         ::"d"(port) : "rax", "memory");
        break;
    case PROBE_INB_IMM:
        __asm__ volatile(".globl io_probe_inb_imm\nio_probe_inb_imm: inb $0x80, %%al"
                         ::: "rax", "memory");
        break;
    case PROBE_OUTW_DX:
        __asm__ volatile(".globl io_probe_outw_dx\nio_probe_outw_dx: outw %%ax, %%dx"
                         ::"a"(0), "d"(port) : "memory");
        break;
    case PROBE_INL_DX:
        __asm__ volatile(".globl io_probe_inl_dx\nio_probe_inl_dx: inl %%dx, %%eax"
                         ::"d"(port) : "rax", "memory");
        break;
    case PROBE_INW_IMM:
        __asm__ volatile(".globl io_probe_inw_imm\nio_probe_inw_imm: inw $0x80, %%ax"
                         ::: "rax", "memory");
        break;
    case PROBE_OUTSB_DX:
        __asm__ volatile(".globl io_probe_outsb_dx\nio_probe_outsb_dx: outsb"
                         : "+S"(src) : "d"(port) : "memory");
        break;
    }
}

L4_Word_t io_probe_ip(probe_kind_t kind)
{
    static const char *const ips[] = {
        [PROBE_INB_DX] = io_probe_inb_dx, [PROBE_INB_IMM] = io_probe_inb_imm,
        [PROBE_OUTW_DX] = io_probe_outw_dx, [PROBE_INL_DX] = io_probe_inl_dx,
        [PROBE_INW_IMM] = io_probe_inw_imm, [PROBE_OUTSB_DX] = io_probe_outsb_dx,
    };
    return (L4_Word_t)ips[kind];
}

static void load_item(L4_Fpage_t f, L4_Word_t base, int grant)
{
    L4_MapItem_t m = L4_MapItem(f, base);
    L4_LoadMR(0, 2UL << 6);
    L4_LoadMR(1, m.raw[0] | (grant ? 2 : 0));   /* grant item: type 101 */
    L4_LoadMR(2, m.raw[1]);
}

/* Memory faults: our page 1:1.  IO faults: recorded, answered if asked. */
static void io_pager_loop(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        int reply = 0;
        L4_Word_t mr1, mr2;
        L4_StoreMR(1, &mr1);
        L4_StoreMR(2, &mr2);
        if (L4_IpcSucceeded(tag) && L4_UntypedWords(tag) == 2 && L4_TypedWords(tag) == 0) {
            if ((tag.raw & LABEL_MASK) == PF_LABEL) {
                load_item(L4_FpageAddRights(L4_FpageLog2(mr1 & ~0xFFFUL, 12), L4_FullyAccessible),
                          mr1 & ~0xFFFUL, 0);
                reply = 1;
            } else if ((tag.raw & LABEL_MASK) == IOPF_LABEL) {
                io_log.label = tag.raw >> 16;
                io_log.fpage = mr1;
                io_log.ip = mr2;
                io_log.from = from.raw;
                io_log.count++;
                if (io_log.reply) {
                    load_item((L4_Fpage_t){ .raw = io_log.reply }, 0, 0);
                    reply = 1;
                }
            }
        }
        tag = reply ? L4_ReplyWait(from, &from) : L4_Wait(&from);
    }
}

int io_setup(void)
{
    io_log = (io_log_t){ 0 };
    if (L4_IsNilThread(test_pager_start())) {
        return 0;
    }
    io_pager_tid = test_start_thread(io_pager_loop);
    return !L4_IsNilThread(io_pager_tid);
}

void io_teardown(void)
{
    test_kill_thread(io_pager_tid);
    test_pager_stop();
    L4_Flush(L4_IoFpageLog2(0, 16));            /* the root task keeps no ports */
}

L4_ThreadId_t io_pager(void)
{
    return io_pager_tid;
}

static void probe_fn(void)
{
    L4_Set_Pager(io_pager_tid);
    access_port(probe_kind, probe_port);
    probe_done = 1;
}

int io_probe(L4_ThreadId_t space, L4_Word_t port, probe_kind_t kind)
{
    probe_port = port;
    probe_kind = kind;
    probe_done = 0;
    L4_Word_t before = io_log.count;
    L4_ThreadId_t t = test_start_thread_in(space, probe_fn);
    if (L4_IsNilThread(t)) {
        return -1;
    }
    for (int i = 0; i < 2000 && !probe_done && (io_log.count == before || io_log.reply); i++) {
        L4_Yield();
    }
    int r = probe_done ? 1 : io_log.count != before ? 0 : -1;
    test_kill_thread(t);
    return r;
}

static L4_Word_t send_item(L4_ThreadId_t to, L4_Fpage_t f, int grant)
{
    load_item(f, 0, grant);
    L4_MsgTag_t tag = L4_Call_Timeouts(to, ONE_SECOND, ONE_SECOND);
    return L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
}

static void anchor_fn(void)
{
    L4_Fpage_t window = { .raw = anchor_window };
    anchor_ready = 1;
    L4_ThreadId_t from;
    for (;;) {
        L4_Accept(L4_MapGrantItems(window));
        L4_MsgTag_t tag = L4_Wait(&from);
        if (L4_IpcFailed(tag)) {
            continue;
        }
        L4_Word_t mr1, mr2, mr3, result = 0;
        L4_StoreMR(1, &mr1);
        L4_StoreMR(2, &mr2);
        L4_StoreMR(3, &mr3);
        if (L4_Label(tag) == CMD_FORWARD) {
            result = send_item((L4_ThreadId_t){ .raw = mr1 }, (L4_Fpage_t){ .raw = mr2 },
                               (int)mr3);
        } else if (L4_Label(tag) == CMD_UNMAP) {
            L4_Fpage_t f = { .raw = mr1 };
            if (mr2) {
                L4_Flush(f);
            } else {
                L4_UnmapFpage(f);
            }
        }
        L4_LoadMR(0, 1);
        L4_LoadMR(1, result);
        L4_Reply(from);
    }
}

L4_ThreadId_t io_anchor_start(L4_Fpage_t window)
{
    anchor_window = window.raw;
    anchor_ready = 0;
    L4_ThreadId_t t = test_start_space_thread(anchor_fn);
    if (!L4_IsNilThread(t)) {
        for (int i = 0; i < 1000 && !anchor_ready; i++) {
            L4_Yield();
        }
    }
    return t;
}

L4_Word_t io_send(L4_ThreadId_t via, L4_ThreadId_t to, L4_Fpage_t f, int grant)
{
    if (L4_IsNilThread(via)) {
        return send_item(to, f, grant);
    }
    L4_LoadMR(0, (CMD_FORWARD << 16) | 3);
    L4_LoadMR(1, to.raw);
    L4_LoadMR(2, f.raw);
    L4_LoadMR(3, (L4_Word_t)grant);
    L4_MsgTag_t tag = L4_Call_Timeouts(via, ONE_SECOND, L4_TimePeriod(3000000));
    L4_Word_t result;
    L4_StoreMR(1, &result);
    return L4_IpcFailed(tag) ? ~0UL : result;
}

void io_anchor_unmap(L4_ThreadId_t anchor, L4_Fpage_t f, int flush)
{
    L4_LoadMR(0, (CMD_UNMAP << 16) | 2);
    L4_LoadMR(1, f.raw);
    L4_LoadMR(2, (L4_Word_t)flush);
    L4_Call_Timeouts(anchor, ONE_SECOND, ONE_SECOND);
}

L4_Fpage_t io_from_sigma0(L4_Fpage_t f)
{
    return L4_Sigma0_GetPage(L4_nilthread, f);
}
