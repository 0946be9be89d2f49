/* SPDX-License-Identifier: BSD-2-Clause */
/* Nodes for the memory tests (see mem_helpers.h).
 *
 * A node serves one request per message; the label names it and MR1..MR3
 * carry its arguments.  Its replies have u = 2: MR1 the result (a word read,
 * the tag of an onward map Call, the fpage Unmap returned), MR2 a word read
 * right after an Unmap.  A map or grant message from anyone is simply
 * answered.
 */
#include "suite.h"
#include "mem_helpers.h"
#include <l4/ipc.h>
#include <l4/space.h>
#include <l4/items.h>
#include <l4/acceptor.h>

enum { OP_WINDOW = 1, OP_MAP, OP_READ, OP_WRITE, OP_MAP_TO, OP_UNMAP };

static L4_Word_t *scratch;
static L4_Time_t call_timeout;

static L4_MsgTag_t tag_of(L4_Word_t op, unsigned u, unsigned t)
{
    return (L4_MsgTag_t){ .raw = op << 16 | (L4_Word_t)t << 6 | u };
}

static L4_Word_t node_map_to(L4_Word_t to, L4_Word_t fpage, L4_Word_t base_and_grant)
{
    L4_Fpage_t f = { .raw = fpage };
    L4_Word_t base = base_and_grant & ~0x3FFUL;
    L4_Word_t w0 = base_and_grant & 1 ? L4_GrantItem(f, base).raw[0] : L4_MapItem(f, base).raw[0];
    L4_LoadMR(0, tag_of(OP_MAP, 0, 2).raw);
    L4_LoadMR(1, w0);
    L4_LoadMR(2, fpage);
    return L4_Call_Timeouts((L4_ThreadId_t){ .raw = to }, call_timeout, call_timeout).raw;
}

/* Carry out one request; returns the result word (*r2: the second one). */
static L4_Word_t node_op(L4_MsgTag_t tag, L4_Word_t *acceptor, L4_Word_t *r2)
{
    L4_Word_t mr1, mr2, mr3;
    L4_StoreMR(1, &mr1);
    L4_StoreMR(2, &mr2);
    L4_StoreMR(3, &mr3);
    switch (L4_Label(tag)) {
    case OP_WINDOW:
        *acceptor = mr1;
        return 0;
    case OP_READ:
        return *(volatile L4_Word_t *)mr1;
    case OP_WRITE:
        *(volatile L4_Word_t *)mr1 = mr2;
        return 0;
    case OP_MAP_TO:
        return node_map_to(mr1, mr2, mr3);
    case OP_UNMAP:
        L4_LoadMR(0, mr1);
        L4_Unmap(mr2 ? 0x40 : 0);
        L4_StoreMR(0, &mr1);
        if (mr3) {                      /* still in our space: no switch since */
            *r2 = *(volatile L4_Word_t *)mr3;
        }
        return mr1;
    default:
        return 0;
    }
}

static void node_loop(void)
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
        L4_Word_t r2 = 0, r = node_op(tag, &acceptor, &r2);
        L4_LoadMR(0, tag_of(0, 2, 0).raw);
        L4_LoadMR(1, r);
        L4_LoadMR(2, r2);
        L4_Accept((L4_Acceptor_t){ .raw = acceptor });
        tag = L4_ReplyWait(from, &from);
    }
}

int mem_pager_start(void)
{
    if (!scratch) {
        scratch = test_alloc(12);
    }
    if (!scratch || L4_IsNilThread(test_pager_start())) {
        return 0;
    }
    for (int i = 0; i < 512; i++) {
        scratch[i] = 0;
    }
    scratch[0] = MEM_SCRATCH_MARK;
    test_pager_log.scratch = (L4_Word_t)scratch;
    test_pager_log.scratch_rights = L4_ReadWriteOnly;
    call_timeout = L4_TimePeriod(1000000);
    return 1;
}

L4_Word_t *mem_scratch(void)
{
    return scratch;
}

void mem_set_timeout(L4_Time_t t)
{
    call_timeout = t;
}

L4_ThreadId_t mem_node_start(void)
{
    return test_start_space_thread(node_loop);
}

L4_ThreadId_t mem_node_start_in(L4_ThreadId_t space)
{
    return test_start_thread_in(space, node_loop);
}

L4_Fpage_t mem_rights(L4_Fpage_t f, L4_Word_t r)
{
    L4_Set_Rights(&f, r);
    return f;
}

static int call2(L4_ThreadId_t node, L4_Word_t op, L4_Word_t a, L4_Word_t b, L4_Word_t c,
                 L4_Word_t *result, L4_Word_t *result2)
{
    L4_LoadMR(0, tag_of(op, 3, 0).raw);
    L4_LoadMR(1, a);
    L4_LoadMR(2, b);
    L4_LoadMR(3, c);
    L4_MsgTag_t t = L4_Call_Timeouts(node, call_timeout, call_timeout);
    if (L4_IpcFailed(t)) {
        test_fail(__FILE__, __LINE__, "request %lu to %lx failed, ErrorCode %lx", op, node.raw,
                  L4_ErrorCode());
        return 0;
    }
    if (result) {
        L4_StoreMR(1, result);
    }
    if (result2) {
        L4_StoreMR(2, result2);
    }
    return 1;
}

static int call(L4_ThreadId_t node, L4_Word_t op, L4_Word_t a, L4_Word_t b, L4_Word_t c,
                L4_Word_t *result)
{
    return call2(node, op, a, b, c, result, 0);
}

int mem_window(L4_ThreadId_t node, L4_Fpage_t window)
{
    return call(node, OP_WINDOW, L4_MapGrantItems(window).raw, 0, 0, 0);
}

int mem_read(L4_ThreadId_t node, L4_Word_t addr, L4_Word_t *value)
{
    return call(node, OP_READ, addr, 0, 0, value);
}

int mem_write(L4_ThreadId_t node, L4_Word_t addr, L4_Word_t value)
{
    return call(node, OP_WRITE, addr, value, 0, 0);
}

int mem_map_to(L4_ThreadId_t node, L4_ThreadId_t to, L4_Fpage_t f, L4_Word_t base, int grant)
{
    L4_Word_t tag;
    if (!call(node, OP_MAP_TO, to.raw, f.raw, (base & ~0x3FFUL) | (grant ? 1 : 0), &tag)) {
        return 0;
    }
    if (L4_IpcFailed((L4_MsgTag_t){ .raw = tag })) {
        test_fail(__FILE__, __LINE__, "node %lx could not map to %lx", node.raw, to.raw);
        return 0;
    }
    return 1;
}

int mem_unmap(L4_ThreadId_t node, L4_Fpage_t f, int flush, L4_Word_t *result)
{
    return call(node, OP_UNMAP, f.raw, (L4_Word_t)flush, 0, result);
}

int mem_unmap_read(L4_ThreadId_t node, L4_Fpage_t f, int flush, L4_Word_t addr,
                   L4_Word_t *value)
{
    L4_Word_t result;
    return call2(node, OP_UNMAP, f.raw, (L4_Word_t)flush, addr, &result, value);
}

int mem_send(L4_ThreadId_t node, L4_Fpage_t f, L4_Word_t base, int grant)
{
    L4_Word_t w0 = grant ? L4_GrantItem(f, base).raw[0] : L4_MapItem(f, base).raw[0];
    L4_LoadMR(0, tag_of(OP_MAP, 0, 2).raw);
    L4_LoadMR(1, w0);
    L4_LoadMR(2, f.raw);
    if (L4_IpcFailed(L4_Call_Timeouts(node, call_timeout, call_timeout))) {
        test_fail(__FILE__, __LINE__, "map message to %lx failed, ErrorCode %lx", node.raw,
                  L4_ErrorCode());
        return 0;
    }
    return 1;
}
