/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the I/O-port cases (io_helpers.c): a pager that records IO
 * page faults, probe threads that try a port from a given space, and
 * "anchor" threads that keep a space alive and receive or pass on IO
 * fpages.  Port 0x80 (POST code) and its neighbours are harmless to touch. */
#pragma once

#include <l4/types.h>

#define IO_TEST_PORT 0x80UL

/* What the IO pager saw last (MR0 without u/t, MR1, MR2, sender). */
typedef struct {
    volatile L4_Word_t count, label, fpage, ip, from;
    volatile L4_Word_t reply;       /* IO fpage to map in answer, 0 = no reply */
} io_log_t;
extern io_log_t io_log;

/* Start / stop the test pager and the IO pager (memory faults on our image
 * are mapped 1:1, IO faults recorded in io_log). */
int io_setup(void);
void io_teardown(void);
L4_ThreadId_t io_pager(void);

/* How the probe touches the port (decoding cases). */
typedef enum { PROBE_INB_DX, PROBE_INB_IMM, PROBE_OUTW_DX, PROBE_INL_DX, PROBE_INW_IMM,
               PROBE_OUTSB_DX } probe_kind_t;
/* Instruction address of the probe's port access (the fault IP). */
L4_Word_t io_probe_ip(probe_kind_t kind);
/* Run a probe in the space of thread `space`: 1 = the access completed
 * without an IO fault reaching the IO pager unanswered, 0 = it faulted and
 * stayed blocked (the fault is in io_log), -1 = neither happened. */
int io_probe(L4_ThreadId_t space, L4_Word_t port, probe_kind_t kind);

/* A thread in a new space that accepts map items in `window`. */
L4_ThreadId_t io_anchor_start(L4_Fpage_t window);
/* Send (map or grant) the IO fpage f from `via` (the caller if nil, or an
 * anchor) to anchor `to`; returns the receiver's IPC error code (0 = ok). */
L4_Word_t io_send(L4_ThreadId_t via, L4_ThreadId_t to, L4_Fpage_t f, int grant);
/* Ask the anchor to Unmap f (flush if set). */
void io_anchor_unmap(L4_ThreadId_t anchor, L4_Fpage_t f, int flush);
/* Get the ports of f from sigma0 for the calling thread (nil if refused). */
L4_Fpage_t io_from_sigma0(L4_Fpage_t f);
