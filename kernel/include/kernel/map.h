/* SPDX-License-Identifier: BSD-2-Clause */
/* Map and grant items: entering a sender's pages into a receiver's space. */
#pragma once

#include <kernel/tcb.h>
#include <kernel/fpage.h>

/* Transfer the send fpage f (send base snd_base) into the receive window of
 * dst, mapping or granting (X.2 §5.2, spec ipc.md §4.3).  False when kernel
 * memory ran out (what was transferred before stays). */
bool map_item(tcb_t *src, tcb_t *dst, word_t snd_base, fpage_t f, fpage_t window, bool grant);

/* String items starting at MR *i (ipc_string.c); advances *i past them and
 * adds the bytes copied to *bytes.  Returns 0 or a receive-phase error. */
word_t ipc_transfer_strings(tcb_t *src, tcb_t *dst, unsigned *i, unsigned last,
                            word_t acceptor, word_t *bytes);
