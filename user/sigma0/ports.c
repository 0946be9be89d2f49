/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0's I/O-port bookkeeping.
 *
 * The kernel gives sigma0 all 2^16 ports.  sigma0 hands a port to the first
 * thread that asks for it (an IO fpage in a sigma0 request, or an IO page
 * fault); the owner may ask again, everybody else is refused.  One byte per
 * port indexes a small table of owners (0 = free).
 */
#include "ports.h"
#include <l4/space.h>

#define PORTS      65536UL
#define MAX_OWNERS 255

static unsigned char port_owner[PORTS];
static L4_Word_t owners[MAX_OWNERS + 1];
static unsigned nowners;

/* The owner index of t, 0 if it owns no ports yet. */
static unsigned owner_find(L4_ThreadId_t t)
{
    for (unsigned i = 1; i <= nowners; i++) {
        if (owners[i] == t.raw) {
            return i;
        }
    }
    return 0;
}

L4_Fpage_t ports_claim(L4_Fpage_t f, L4_ThreadId_t owner)
{
    L4_Word_t port = L4_IoFpagePort(f), log2 = L4_IoFpageSizeLog2(f);
    if (!L4_IsIoFpage(f) || log2 > 16 || (f.raw >> 32) != 0 || (port & ((1UL << log2) - 1))) {
        return L4_Nilpage;
    }
    /* Conflicts first: a refused request must not use up an owner slot. */
    unsigned me = owner_find(owner);
    L4_Word_t end = port + (1UL << log2);
    for (L4_Word_t p = port; p < end; p++) {
        if (port_owner[p] != 0 && port_owner[p] != me) {
            return L4_Nilpage;
        }
    }
    if (me == 0) {
        if (nowners == MAX_OWNERS) {
            return L4_Nilpage;          /* that many owners already */
        }
        owners[++nowners] = owner.raw;
        me = nowners;
    }
    for (L4_Word_t p = port; p < end; p++) {
        port_owner[p] = (unsigned char)me;
    }
    return L4_IoFpageLog2(port, (int)log2);
}
