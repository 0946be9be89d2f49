/* SPDX-License-Identifier: BSD-2-Clause */
/* Adversarial cases of the memory side: kernel-memory accounting of IO
 * fpages (docs/kmem.md, docs/io.md), MemoryControl and sigma0 given odd
 * arguments.  Each case stands alone (no state from earlier cases). */
#include "suite.h"
#include "io_helpers.h"
#include <l4/space.h>
#include <l4/thread.h>

#define CTRL_QUOTA  (1UL << 62)
#define CTRL_REPORT (1UL << 61)
#define UNLIMITED   0xFFFFFFFFUL

/* Pages charged to the space of t (~0 if the report failed). */
static L4_Word_t used_pages(L4_ThreadId_t t)
{
    L4_Word_t old = 0;
    L4_Word_t ok = L4_SpaceControl(t, CTRL_REPORT, L4_Nilpage, L4_Nilpage, L4_nilthread, &old);
    return ok ? (old >> 32) & ((1UL << 29) - 1) : ~0UL;
}

static int set_quota(L4_ThreadId_t t, L4_Word_t pages)
{
    L4_Word_t old = 0;
    return (int)L4_SpaceControl(t, CTRL_QUOTA | pages, L4_Nilpage, L4_Nilpage, L4_nilthread,
                                &old);
}

/* A space exactly at its quota cannot take ports: the receiver pays for its
 * IO mapping-database tables, nodes and permission bitmap like for memory. */
TEST(memhostile, io_ports_charged_to_receiver)
{
    if (test_have_iopl()) {
        test_skip("booted with iopl=3: every port is open");
        return;
    }
    CHECK(io_setup());
    L4_Fpage_t f = L4_IoFpageLog2(IO_TEST_PORT, 3);
    CHECK_EQ(io_from_sigma0(f).raw, f.raw);
    L4_ThreadId_t a = io_anchor_start(L4_CompleteAddressSpace);
    CHECK(!L4_IsNilThread(a));
    L4_Word_t before = used_pages(a);
    CHECK(before != ~0UL);
    CHECK(set_quota(a, before));
    CHECK(io_send(L4_nilthread, a, f, 0) != 0);         /* message overflow */
    CHECK_EQ(used_pages(a), before);
    CHECK(set_quota(a, UNLIMITED));
    CHECK_EQ(io_probe(a, IO_TEST_PORT, PROBE_INB_DX), 0);  /* nothing arrived */
    L4_Word_t with_thread = used_pages(a);
    CHECK_EQ(io_send(L4_nilthread, a, f, 0), 0);
    /* Index table and two bitmap pages at least. */
    CHECK(used_pages(a) >= with_thread + 3);
    CHECK_EQ(io_probe(a, IO_TEST_PORT, PROBE_INB_DX), 1);
    L4_UnmapFpage(f);
    CHECK_EQ(io_probe(a, IO_TEST_PORT, PROBE_INB_DX), 0);
    test_kill_thread(a);
    io_teardown();
}
