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

/* sigma0 serves ports to at most 255 owners; requests it refuses (the
 * port is someone else's) must not take one of those places, or 255
 * refused threads would shut every later thread out. */
static L4_Fpage_t asked_port;
static volatile L4_Word_t asked_got[5];
static volatile int asked_done;

static void port_asker(void)
{
    L4_Word_t got = io_from_sigma0(asked_port).raw;
    for (int i = 0; i < 5; i++) {
        if (asked_got[i] == ~0UL) {
            asked_got[i] = got;
            break;
        }
    }
    asked_done++;
}

/* n (at most 5) new threads ask for port at once; 1 if all got `want`.
 * Thread ids come from slots of the test helpers with versions that
 * advance on every reuse, so rounds of them are all distinct ids. */
static int ask_in_new_threads(L4_Fpage_t port, int n, L4_Word_t want)
{
    L4_ThreadId_t t[5];
    asked_port = port;
    asked_done = 0;
    for (int i = 0; i < 5; i++) {
        asked_got[i] = ~0UL;
    }
    for (int i = 0; i < n; i++) {
        t[i] = test_start_thread(port_asker);
    }
    for (int i = 0; i < 1000 && asked_done < n; i++) {
        L4_Yield();
    }
    int ok = asked_done == n;
    for (int i = 0; i < n; i++) {
        test_kill_thread(t[i]);
        ok &= asked_got[i] == want;
    }
    return ok;
}

TEST(memhostile, refused_port_requests_leave_sigma0_room)
{
    /* Ports no other case asks for (only their ownership is touched). */
    L4_Fpage_t mine = L4_IoFpage(0xEE0, 1);
    L4_Fpage_t free_port = L4_IoFpage(0xEE1, 1);
    CHECK_EQ(io_from_sigma0(mine).raw, mine.raw);
    for (int round = 0; round < 60; round++) {              /* 300 distinct ids */
        CHECK(ask_in_new_threads(mine, 5, L4_Nilpage.raw)); /* ours: refused */
    }
    CHECK(ask_in_new_threads(free_port, 1, free_port.raw)); /* still served */
}
