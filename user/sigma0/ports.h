/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0's I/O ports: every port goes to at most one owner (docs/io.md §6). */
#pragma once

#include <l4/types.h>

/* Give the ports of the IO fpage f to owner if none of them belongs to
 * another thread; returns f without rights, or the nil fpage (refused or
 * not a valid IO fpage). */
L4_Fpage_t ports_claim(L4_Fpage_t f, L4_ThreadId_t owner);
