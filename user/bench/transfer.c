/* SPDX-License-Identifier: BSD-2-Clause */
/* Transfer benchmarks: string items from 4 bytes to 64 KiB and map items
 * of a 4 KiB and a 2 MiB page, each as a Call to a server in another
 * space that replies with an empty message. */
#include "bench.h"
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/sigma0.h>
#include <pecan/task.h>
#include <kernel/format.h>

#define ROUNDS 200
#define STRING_MAX 65536

static unsigned char src[STRING_MAX] __attribute__((aligned(4096)));
static unsigned char dst[STRING_MAX] __attribute__((aligned(4096)));
static unsigned char stack[8192] __attribute__((aligned(16)));
static unsigned char pager_stack[8192] __attribute__((aligned(16)));

/* Accepts strings into dst and mappings anywhere above 1 GiB; replies empty. */
static void sink(void)
{
    L4_ThreadId_t from;
    L4_Word_t brs[] = { 0, (STRING_MAX << 10), (L4_Word_t)dst };
    brs[0] = 1 | L4_MapGrantItems(L4_FpageLog2(1UL << 30, 30)).raw;
    L4_LoadBRs(0, 3, brs);
    L4_Wait(&from);
    for (;;) {
        L4_LoadBRs(0, 3, brs);
        L4_LoadMR(0, 0);
        L4_ReplyWait(from, &from);
    }
}

static L4_Word_t calls(L4_ThreadId_t to, unsigned t, const L4_Word_t *items)
{
    L4_Word_t t0 = bench_tsc();
    for (unsigned i = 0; i < ROUNDS; i++) {
        L4_LoadMR(0, (L4_Word_t)t << 6);
        L4_LoadMRs(1, t, (L4_Word_t *)items);
        L4_Call(to);
    }
    return bench_tsc() - t0;
}

void bench_transfer(void)
{
    L4_ThreadId_t pager = task_start_local(task_pager_loop, pager_stack + sizeof(pager_stack), 254);
    L4_ThreadId_t srv = task_start_space(sink, stack + sizeof(stack), pager, 255);
    for (unsigned i = 0; i < STRING_MAX; i += 4096) {
        src[i] = 1;                 /* our source pages are mapped */
    }
    static const unsigned sizes[] = { 4, 64, 1024, 4096, 16384, 65536 };
    char name[40];
    L4_Word_t items[2] = { 0, 0 };
    calls(srv, 0, items);           /* warm up: the sink's pages fault in */
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        items[0] = (L4_Word_t)sizes[k] << 10;
        items[1] = (L4_Word_t)src;
        calls(srv, 2, items);       /* touch the receive buffer once */
        format_buf(name, sizeof(name), "string.%uB", sizes[k]);
        bench_report(name, calls(srv, 2, items), ROUNDS);
    }
    /* Map items: a page of ours (from sigma0) into the sink's window. */
    L4_Fpage_t small = L4_FpageLog2(0x5000000UL, 12), large = L4_FpageLog2(0x5200000UL, 21);
    L4_Sigma0_GetPage(L4_nilthread, small);
    L4_Sigma0_GetPage(L4_nilthread, large);
    items[0] = L4_MapItem(L4_FpageAddRights(small, L4_FullyAccessible), 0).raw[0];
    items[1] = L4_FpageAddRights(small, L4_FullyAccessible).raw;
    bench_report("map.4KiB", calls(srv, 2, items), ROUNDS);
    items[0] = L4_MapItem(L4_FpageAddRights(large, L4_FullyAccessible), 0).raw[0];
    items[1] = L4_FpageAddRights(large, L4_FullyAccessible).raw;
    bench_report("map.2MiB", calls(srv, 2, items), ROUNDS);
    task_delete(srv);
    task_delete(pager);
}
