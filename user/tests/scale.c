/* SPDX-License-Identifier: BSD-2-Clause */
/* Scale: 100,000 threads created and deleted; O(1) id lookup; all kernel
 * memory returned.  With a 512 MiB kernel pool (make test: kmem=512M) all
 * threads are alive at once; smaller pools run the same count in batches. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/thread.h>
#include <l4/schedule.h>

#define TOTAL     100000UL
#define BASE_NO   0x100000UL
#define RESERVE   256UL                 /* pages left for everyone else */

static L4_ThreadId_t tid(L4_Word_t i)
{
    return L4_GlobalId(BASE_NO + i, 1 + (i % 63));
}

TEST(scale, create_and_delete_100000_threads)
{
    L4_Word_t start = test_kmem_free(), old;
    L4_Word_t done = 0, batches = 0, create_us = 0, delete_us = 0, max_pages = 0, max_n = 1;
    while (done < TOTAL) {
        L4_Word_t room = test_kmem_free() * 511 / 512;
        CHECK(room > RESERVE);
        L4_Word_t n = TOTAL - done < room - RESERVE ? TOTAL - done : room - RESERVE;
        L4_Word_t before = test_kmem_free();
        L4_Word64_t t0 = L4_SystemClock().raw;
        for (L4_Word_t i = 0; i < n; i++) {
            CHECK(L4_ThreadControl(tid(done + i), L4_Myself(), L4_Myself(), L4_nilthread,
                                   (void *)-1));
        }
        L4_Word64_t t1 = L4_SystemClock().raw;
        L4_Word_t used = before - test_kmem_free();
        if (n > max_n) {
            max_n = n;
            max_pages = used;
        }
        CHECK(used <= n + n / 500 + 4);                 /* a TCB page plus table leaves */
        /* Every id resolves (exact version); a stale version does not. */
        for (L4_Word_t i = 0; i < n; i += 97) {
            CHECK_EQ(L4_Schedule(tid(done + i), ~0UL, ~0UL, ~0UL, ~0UL, &old),
                     L4_SCHEDRESULT_DEAD);
        }
        CHECK_EQ(L4_Schedule(L4_GlobalId(BASE_NO + done, 64 + 1 + (done % 63)), ~0UL, ~0UL,
                             ~0UL, ~0UL, &old), 0);
        L4_Word64_t t2 = L4_SystemClock().raw;
        for (L4_Word_t i = 0; i < n; i++) {
            CHECK(L4_ThreadControl(tid(done + i), L4_nilthread, L4_nilthread, L4_nilthread,
                                   (void *)-1));
        }
        L4_Word64_t t3 = L4_SystemClock().raw;
        CHECK_EQ(test_kmem_free(), before);
        create_us += t1 - t0;
        delete_us += t3 - t2;
        done += n;
        batches++;
    }
    CHECK_EQ(test_kmem_free(), start);
    printf("scale: %lu threads in %lu batch(es); create %lu ns, delete %lu ns per thread; "
           "%lu pool pages for %lu threads\n", TOTAL, batches, create_us * 1000 / TOTAL,
           delete_us * 1000 / TOTAL, max_pages, max_n);
}
