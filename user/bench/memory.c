/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory benchmarks: a page fault resolved by a pager (fault to resumed). */
#include "bench.h"

#define PAGES 256

void bench_memory(void)
{
    /* Fresh RAM above the image: each touch is a fault served by sigma0. */
    volatile char *p = (volatile char *)0x4000000UL;
    L4_Word_t t0 = bench_tsc();
    for (int i = 0; i < PAGES; i++) {
        p[i * 4096] = 1;
    }
    bench_report("memory.pagefault_sigma0", bench_tsc() - t0, PAGES);
}
