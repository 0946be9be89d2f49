/* SPDX-License-Identifier: BSD-2-Clause */
/* I/O ports as IO fpages (X.2 appendix IO-Ports; docs/io.md): IO page
 * faults and their decoding, sigma0's port protocol, map and grant into
 * other spaces, receive windows, Unmap (recursive, flush) and bad fpages.
 * Without the iopl=3 boot option a port is usable only once it is mapped. */
#include "suite.h"
#include "io_helpers.h"
#include <l4/space.h>
#include <l4/thread.h>

#define IOPF_LABEL_RAW  (((L4_Word_t)-8 << 4) & 0xFFFFFFFFFFFFUL)
#define PORT            IO_TEST_PORT

static L4_Fpage_t port_fpage(L4_Word_t port, int log2)
{
    return L4_IoFpageLog2(port, log2);
}

#define SETUP()                                                                       \
    do {                                                                              \
        if (test_have_iopl()) {                                                       \
            test_skip("booted with iopl=3: every port is open");                     \
            return;                                                                   \
        }                                                                             \
        CHECK(io_setup());                                                            \
    } while (0)

/* The fault reaches the pager with label -8 << 4 (r for in, w for out), the
 * IO fpage of the accessed ports and the instruction's address. */
static void check_fault(probe_kind_t kind, L4_Word_t port, L4_Word_t fport, int flog2,
                        L4_Word_t rw)
{
    L4_Word_t before = io_log.count;
    CHECK_EQ(io_probe(L4_Myself(), port, kind), 0);
    CHECK_EQ(io_log.count, before + 1);
    CHECK_EQ(io_log.label, IOPF_LABEL_RAW | rw);
    CHECK_EQ(io_log.fpage, port_fpage(fport, flog2).raw);
    CHECK_EQ(io_log.ip, io_probe_ip(kind));
}

TEST(io, fault_reaches_pager)
{
    SETUP();
    check_fault(PROBE_INB_DX, PORT, PORT, 0, L4_Readable);
    if (!test_failed()) {
        check_fault(PROBE_INB_IMM, PORT, PORT, 0, L4_Readable);
    }
    io_teardown();
}

TEST(io, fault_decodes_width_and_direction)
{
    SETUP();
    check_fault(PROBE_INW_IMM, PORT, PORT, 1, L4_Readable);            /* 66 e5 80 */
    if (!test_failed()) {
        check_fault(PROBE_INL_DX, PORT + 4, PORT + 4, 2, L4_Readable);
    }
    if (!test_failed()) {
        /* Ports 0x81..0x82: the smallest aligned IO fpage holding both. */
        check_fault(PROBE_OUTW_DX, PORT + 1, PORT, 2, L4_Writable);
    }
    if (!test_failed()) {
        check_fault(PROBE_OUTSB_DX, PORT + 3, PORT + 3, 0, L4_Writable);
    }
    io_teardown();
}

TEST(io, fault_then_mapping_works)
{
    SETUP();
    /* The root task gets the port from sigma0; the pager maps it on the fault. */
    L4_Fpage_t f = port_fpage(PORT, 0);
    CHECK_EQ(io_from_sigma0(f).raw, f.raw);
    L4_ThreadId_t a = io_anchor_start(L4_CompleteAddressSpace);
    CHECK(!L4_IsNilThread(a));
    io_log.reply = f.raw;
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_DX), 1);
    io_log.reply = 0;
    CHECK_EQ(io_log.count, 1);                      /* one fault, then it worked */
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_IMM), 1);  /* mapped now: no fault */
    CHECK_EQ(io_log.count, 1);
    CHECK_EQ(io_probe(a, PORT + 1, PROBE_INB_DX), 0);   /* only that port */
    test_kill_thread(a);
    io_teardown();
}

TEST(io, sigma0_gives_root_task_ports_on_fault)
{
    SETUP();
    /* Our own IO page faults go to sigma0, which maps the port. */
    unsigned char v;
    __asm__ volatile("inb %%dx, %%al" : "=a"(v) : "d"(PORT));
    (void)v;
    CHECK_EQ(io_probe(L4_Myself(), PORT, PROBE_INB_DX), 1);   /* the space has it */
    L4_Flush(port_fpage(PORT, 0));
    CHECK_EQ(io_probe(L4_Myself(), PORT, PROBE_INB_DX), 0);   /* flushed */
    io_teardown();
}

TEST(io, map_to_other_space)
{
    SETUP();
    L4_Fpage_t f = port_fpage(PORT, 3);
    CHECK_EQ(io_from_sigma0(f).raw, f.raw);
    L4_ThreadId_t a = io_anchor_start(L4_CompleteAddressSpace);
    CHECK(!L4_IsNilThread(a));
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_DX), 0);
    CHECK_EQ(io_send(L4_nilthread, a, f, 0), 0);
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_DX), 1);
    CHECK_EQ(io_probe(a, PORT + 7, PROBE_INB_DX), 1);
    CHECK_EQ(io_probe(a, PORT + 8, PROBE_INB_DX), 0);   /* outside the fpage */
    CHECK_EQ(io_probe(L4_Myself(), PORT, PROBE_INB_DX), 1);    /* we keep it */
    test_kill_thread(a);
    io_teardown();
}

/* We get f from sigma0 and map it to a; b is a second space, empty. */
static int two_spaces(L4_Fpage_t f, L4_ThreadId_t *a, L4_ThreadId_t *b)
{
    *a = io_anchor_start(L4_CompleteAddressSpace);
    *b = io_anchor_start(L4_CompleteAddressSpace);
    return io_from_sigma0(f).raw == f.raw && !L4_IsNilThread(*a) && !L4_IsNilThread(*b) &&
           io_send(L4_nilthread, *a, f, 0) == 0;
}

TEST(io, grant_moves_ports)
{
    SETUP();
    L4_Fpage_t f = port_fpage(PORT, 1);
    L4_ThreadId_t a, b;
    CHECK(two_spaces(f, &a, &b));
    CHECK_EQ(io_send(a, b, f, 1), 0);                   /* a grants to b */
    CHECK_EQ(io_probe(b, PORT + 1, PROBE_INB_DX), 1);
    CHECK_EQ(io_probe(a, PORT + 1, PROBE_INB_DX), 0);   /* gone from a */
    /* Still derived from our mapping: our Unmap reaches it in b. */
    L4_UnmapFpage(f);
    CHECK_EQ(io_probe(b, PORT + 1, PROBE_INB_DX), 0);
    test_kill_thread(b);
    test_kill_thread(a);
    io_teardown();
}

TEST(io, receive_windows)
{
    SETUP();
    L4_Fpage_t f = port_fpage(PORT, 3);
    CHECK_EQ(io_from_sigma0(f).raw, f.raw);
    /* Nil window: no mapping accepted (message overflow). */
    L4_ThreadId_t a = io_anchor_start(L4_Nilpage);
    CHECK(io_send(L4_nilthread, a, f, 0) != 0);
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_DX), 0);
    test_kill_thread(a);
    /* An IO window takes only its own ports. */
    a = io_anchor_start(port_fpage(PORT + 4, 2));
    CHECK_EQ(io_send(L4_nilthread, a, f, 0), 0);
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_DX), 0);
    CHECK_EQ(io_probe(a, PORT + 5, PROBE_INB_DX), 1);
    test_kill_thread(a);
    /* Any memory window accepts the whole port space. */
    a = io_anchor_start(L4_FpageLog2(0x7000000, 12));
    CHECK_EQ(io_send(L4_nilthread, a, f, 0), 0);
    CHECK_EQ(io_probe(a, PORT + 2, PROBE_INB_DX), 1);
    test_kill_thread(a);
    io_teardown();
}

TEST(io, unmap_recursive_and_flush)
{
    SETUP();
    L4_Fpage_t f = port_fpage(PORT, 2);
    L4_ThreadId_t a, b;
    CHECK(two_spaces(f, &a, &b));
    CHECK_EQ(io_send(a, b, port_fpage(PORT, 1), 0), 0);     /* a maps half to b */
    CHECK_EQ(io_probe(b, PORT, PROBE_INB_DX), 1);
    CHECK_EQ(io_probe(b, PORT + 2, PROBE_INB_DX), 0);
    /* a unmaps without flush: b loses, a keeps. */
    io_anchor_unmap(a, port_fpage(PORT, 0), 0);
    CHECK_EQ(io_probe(b, PORT, PROBE_INB_DX), 0);
    CHECK_EQ(io_probe(b, PORT + 1, PROBE_INB_DX), 1);
    CHECK_EQ(io_probe(a, PORT, PROBE_INB_DX), 1);
    /* Our Unmap reaches b through a; a keeps what was not in the fpage. */
    L4_UnmapFpage(port_fpage(PORT, 1));
    CHECK_EQ(io_probe(b, PORT + 1, PROBE_INB_DX), 0);
    CHECK_EQ(io_probe(a, PORT + 1, PROBE_INB_DX), 0);
    CHECK_EQ(io_probe(a, PORT + 3, PROBE_INB_DX), 1);
    CHECK_EQ(io_probe(L4_Myself(), PORT + 1, PROBE_INB_DX), 1);
    /* Flush takes our own mapping as well. */
    L4_Flush(f);
    CHECK_EQ(io_probe(a, PORT + 3, PROBE_INB_DX), 0);
    CHECK_EQ(io_probe(L4_Myself(), PORT + 3, PROBE_INB_DX), 0);
    test_kill_thread(b);
    test_kill_thread(a);
    io_teardown();
}

TEST(io, bad_fpages_ignored)
{
    SETUP();
    L4_Fpage_t f = port_fpage(PORT, 3);
    CHECK_EQ(io_from_sigma0(f).raw, f.raw);
    L4_ThreadId_t a = io_anchor_start(L4_CompleteAddressSpace);
    CHECK(!L4_IsNilThread(a));
    /* Misaligned base, more than 2^16 ports, bits above the port field. */
    const L4_Word_t bad[] = { port_fpage(PORT + 1, 1).raw, port_fpage(PORT + 4, 3).raw,
                              port_fpage(0, 17).raw, port_fpage(PORT, 0).raw | (1UL << 32) };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(io_send(L4_nilthread, a, (L4_Fpage_t){ .raw = bad[i] }, 0), 0);
        CHECK_EQ(io_probe(a, PORT + 1, PROBE_INB_DX), 0);
        CHECK_EQ(io_probe(a, PORT + 4, PROBE_INB_DX), 0);
    }
    /* Unmap ignores them too (and leaves the status bits 0). */
    CHECK_EQ(io_send(L4_nilthread, a, f, 0), 0);
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        L4_Fpage_t r = L4_UnmapFpage((L4_Fpage_t){ .raw = bad[i] });
        CHECK_EQ(r.raw, bad[i]);
    }
    CHECK_EQ(io_probe(a, PORT + 1, PROBE_INB_DX), 1);
    test_kill_thread(a);
    io_teardown();
}

static volatile L4_Word_t other_result;

static int other_done(void)
{
    return other_result != ~0UL;
}

static void other_requester(void)
{
    other_result = io_from_sigma0(port_fpage(PORT + 8, 2)).raw;
    for (;;) {
        L4_Stop(L4_Myself());
    }
}

TEST(io, sigma0_refuses_given_ports)
{
    SETUP();
    /* Another thread takes 0x88..0x8B first. */
    other_result = ~0UL;
    L4_ThreadId_t t = test_start_thread(other_requester);
    CHECK(test_wait_until(other_done, 2000));
    CHECK_EQ(other_result, port_fpage(PORT + 8, 2).raw);
    test_kill_thread(t);
    CHECK(L4_IsNilFpage(io_from_sigma0(port_fpage(PORT + 8, 0))));
    CHECK(L4_IsNilFpage(io_from_sigma0(port_fpage(PORT, 4))));     /* overlaps */
    CHECK_EQ(io_from_sigma0(port_fpage(PORT, 3)).raw, port_fpage(PORT, 3).raw);
    CHECK_EQ(io_from_sigma0(port_fpage(PORT, 3)).raw, port_fpage(PORT, 3).raw); /* again */
    /* Malformed requests are refused as well. */
    CHECK(L4_IsNilFpage(io_from_sigma0(port_fpage(PORT + 1, 1))));
    CHECK(L4_IsNilFpage(io_from_sigma0(port_fpage(0, 17))));
    io_teardown();
}
