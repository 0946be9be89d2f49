/* SPDX-License-Identifier: BSD-2-Clause */
/* Unmap benchmarks: 1, 64 and 4096 mappings of 4 KiB pages, which a server
 * in another space got from us with one map item, are revoked by one Unmap
 * of the fpage that covers them.  Each round maps, then unmaps, timed
 * apart, so the map figures are those of map items that create new
 * mappings (map.4KiB in transfer.c maps the same page again and again).
 */
#include "bench.h"
#include <l4/ipc.h>
#include <l4/space.h>
#include <l4/sigma0.h>
#include <pecan/io.h>
#include <pecan/task.h>
#include <kernel/format.h>

#define REGION      0x100000000UL      /* our 16 MiB of 4 KiB pages */
#define REGION_LOG2 24
#define WINDOW      0x200000000UL      /* where the sink receives them */
#define LARGE       (1UL << 21)

static unsigned char stack[8192] __attribute__((aligned(16)));
static unsigned char pager_stack[8192] __attribute__((aligned(16)));

/* Takes map items into WINDOW and replies with an empty message. */
static void sink(void)
{
    L4_ThreadId_t from;
    L4_Acceptor_t window = L4_MapGrantItems(L4_FpageLog2(WINDOW, REGION_LOG2));
    L4_Accept(window);
    L4_Wait(&from);
    for (;;) {
        L4_Accept(window);
        L4_LoadMR(0, 0);
        L4_ReplyWait(from, &from);
    }
}

/* The region from sigma0 comes as 2 MiB pages; an Unmap of a 4 KiB part
 * of each splits it, so the sink receives 4 KiB pages. */
static int get_region(void)
{
    L4_Fpage_t f = L4_Sigma0_GetAny(L4_nilthread, REGION_LOG2,
                                    L4_FpageLog2(REGION, REGION_LOG2));
    if (L4_IsNilFpage(f)) {
        return 0;
    }
    L4_Fpage_t parts[(1UL << REGION_LOG2) / LARGE];
    for (unsigned k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
        parts[k] = L4_FpageAddRights(L4_FpageLog2(REGION + k * LARGE, 12), L4_eXecutable);
    }
    L4_UnmapFpages(sizeof(parts) / sizeof(parts[0]), parts);
    return 1;
}

static void measure(L4_ThreadId_t to, unsigned log2, unsigned rounds)
{
    L4_Fpage_t f = L4_FpageAddRights(L4_FpageLog2(REGION, log2), L4_FullyAccessible);
    L4_MapItem_t m = L4_MapItem(f, 0);
    L4_Word_t map_total = 0, unmap_total = 0;
    for (unsigned r = 0; r <= rounds; r++) {   /* round 0 warms up */
        L4_LoadMR(0, 2 << 6);
        L4_LoadMR(1, m.raw[0]);
        L4_LoadMR(2, m.raw[1]);
        L4_Word_t t0 = bench_tsc();
        L4_Call(to);
        L4_Word_t t1 = bench_tsc();
        L4_UnmapFpage(f);
        L4_Word_t t2 = bench_tsc();
        if (r) {
            map_total += t1 - t0;
            unmap_total += t2 - t1;
        }
    }
    char name[40];
    unsigned pages = 1U << (log2 - 12);
    format_buf(name, sizeof(name), "map.4KiB_new_x%u", pages);
    bench_report(name, map_total, rounds);
    format_buf(name, sizeof(name), "unmap.4KiB_x%u", pages);
    bench_report(name, unmap_total, rounds);
}

void bench_unmap(void)
{
    if (!get_region()) {
        printf("bench: no 16 MiB from sigma0, unmap figures skipped\n");
        return;
    }
    L4_ThreadId_t pager = task_start_local(task_pager_loop, pager_stack + sizeof(pager_stack), 254);
    L4_ThreadId_t srv = task_start_space(sink, stack + sizeof(stack), pager, 255);
    measure(srv, 12, 200);
    measure(srv, 18, 50);
    measure(srv, 24, 4);
    task_delete(srv);
    task_delete(pager);
}
