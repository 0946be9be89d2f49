/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared fixture of the libl4 host tests: a fake UTCB, the libl4 headers,
 * CHECK macros and the case runner. */
#pragma once
#include <stdio.h>
#include <string.h>

/*
 * A plain memory block stands in for the UTCB so that the MR/BR/TCR
 * accessors can be checked against the layout of vregs.md §3: p (the UTCB
 * pointer, &MR0) is word 64 of a 128-word block.
 */
static unsigned long utcb_block[128] __attribute__((aligned(1024)));
#define __L4_TEST_UTCB (&utcb_block[64])

#include <l4/types.h>
#include <l4/thread.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/misc.h>
#include <l4/arch.h>
#include <l4/kip.h>
#include <l4/kcp.h>
#include <l4/bootinfo.h>
#include <l4/sigma0.h>
#include <l4/kdebug.h>

static const char *fail_why;
static int fail_line;
static char fail_buf[256];

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fail_why = #cond;                                                  \
            fail_line = __LINE__;                                              \
            return 0;                                                          \
        }                                                                      \
    } while (0)

#define CHECK_EQ(a, b)                                                         \
    do {                                                                       \
        unsigned long va_ = (unsigned long)(a), vb_ = (unsigned long)(b);      \
        if (va_ != vb_) {                                                      \
            snprintf(fail_buf, sizeof fail_buf, "%s == %#lx, expected %s == %#lx", \
                     #a, va_, #b, vb_);                                        \
            fail_why = fail_buf;                                               \
            fail_line = __LINE__;                                              \
            return 0;                                                          \
        }                                                                      \
    } while (0)

/* Word i relative to the fake UTCB pointer p. */
#define P(i) (utcb_block[64 + (i)])

typedef struct {
    const char *name;
    int (*fn)(void);
} libl4_case_t;

/* Run the cases; one "ok libl4.<name>" / "FAIL ..." line each, then the
 * "<suite>: N passed, M failed" summary. */
static inline int libl4_run(const char *suite, const libl4_case_t *cases, unsigned n)
{
    unsigned passed = 0, failed = 0;
    for (unsigned i = 0; i < n; i++) {
        fail_why = "";
        fail_line = 0;
        if (cases[i].fn()) {
            printf("ok libl4.%s\n", cases[i].name);
            passed++;
        } else {
            printf("FAIL libl4.%s: %s (line %d)\n", cases[i].name, fail_why, fail_line);
            failed++;
        }
    }
    printf("%s: %u passed, %u failed\n", suite, passed, failed);
    return failed ? 1 : 0;
}
