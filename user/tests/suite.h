/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance-suite framework.
 *
 * TEST(area, name) registers a case in the "pecan_tests" linker section; the
 * runner (main.c) executes the cases in link order, one output line each:
 *   ok <area>.<name>
 *   FAIL <area>.<name>: <file>:<line>: <what>
 * and ends with the fixed line "tests: N passed, M failed".  A case stops at
 * its first failed CHECK.  Cases must leave no threads behind.
 */
#pragma once

#include <l4/types.h>
#include <pecan/io.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case_t;

#define TEST(area, name)                                                              \
    static void test_##area##_##name(void);                                           \
    static const test_case_t tc_##area##_##name                                       \
        __attribute__((section("pecan_tests"), used, aligned(8))) = {                  \
            #area "." #name, test_##area##_##name };                                  \
    static void test_##area##_##name(void)

/* Record a failure of the running case (first failure wins). */
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Mark the running case skipped (prerequisite missing); the case should
 * return right after.  Skips are listed but count neither way. */
void test_skip(const char *why);
/* Has the running case failed? */
int test_failed(void);

#define CHECK(cond)                                                                    \
    do {                                                                              \
        if (!(cond)) {                                                                \
            test_fail(__FILE__, __LINE__, "%s", #cond);                               \
            return;                                                                   \
        }                                                                             \
    } while (0)

#define CHECK_EQ(a, b)                                                                 \
    do {                                                                              \
        unsigned long _a = (unsigned long)(a), _b = (unsigned long)(b);               \
        if (_a != _b) {                                                               \
            test_fail(__FILE__, __LINE__, "%s == %s: %lx != %lx", #a, #b, _a, _b);    \
            return;                                                                   \
        }                                                                             \
    } while (0)

/* Value of "key=value" in the root task's module command line, or NULL.
 * Options: run=<glob> selects cases; input=none says no console input
 * is typed (the harness types "K" otherwise). */
const char *test_option(const char *key, char *buf, unsigned long size);

/* Helpers shared by the test files (helpers.c). */
void *test_kip(void);
/* The generic bootinfo, obtained from sigma0 on first use (NULL if none). */
void *test_bootinfo(void);
/* A fresh thread id in the root task's range, and its UTCB location. */
L4_ThreadId_t test_new_tid(L4_Word_t *utcb_location);
/* Create a thread in the caller's space running fn on its own stack. */
L4_ThreadId_t test_start_thread(void (*fn)(void));
/* The same with another pager (nilthread: faults are reported and halt). */
L4_ThreadId_t test_start_thread_pager(void (*fn)(void), L4_ThreadId_t pager);
/* Map the root task's whole image (done once at start-up). */
void test_touch_image(void);
/* Delete a thread created by test_start_thread. */
void test_kill_thread(L4_ThreadId_t t);
/* Does this thread run with IOPL 3 (kernel option iopl=3)? */
int test_have_iopl(void);
/* Yield until cond() holds or about max_yields yields have passed. */
int test_wait_until(int (*cond)(void), unsigned max_yields);
/* A thread that aborts the IPC of thread t (of our space) if it still runs
 * after ms milliseconds, so that a wait without a timeout fails its case
 * instead of hanging the run; delete it with test_kill_thread. */
L4_ThreadId_t test_start_watchdog(L4_ThreadId_t t, unsigned ms);

/* --- IPC test support (helpers.c) --- */
/* The ErrorCode an IPC error gives: code (L4_Err...) and phase (1 = receive). */
#define ERR(num, phase) ((L4_Word_t)(num) << 1 | (phase))
/* 2^log2 bytes of fresh memory from sigma0, mapped 1:1 (NULL if none). */
void *test_alloc(unsigned log2);
/* The test pager, a thread of the root task.  It maps the root task's own
 * pages for faults on the root image (so threads of other spaces run our
 * code and share our globals), except those in [deny_lo, deny_hi), and
 * records every other fault in test_pager_log, answering it with the
 * scratch page (at the fault page, scratch_rights) if one is set and not
 * at all otherwise. */
typedef struct {
    volatile L4_Word_t count;               /* faults recorded */
    volatile L4_Word_t addr, ip, access;    /* the last one: MR1, MR2, rwx */
    volatile L4_Word_t from;
    volatile L4_Word_t scratch;             /* page to map, 0 = do not reply */
    volatile L4_Word_t scratch_rights;
    volatile L4_Word_t deny_lo, deny_hi;    /* image pages not to map */
} test_pager_log_t;
extern test_pager_log_t test_pager_log;
#define TEST_PAGER_START 0x7E01UL           /* MR1 thread, MR2 IP, MR3 SP */
#define TEST_PAGER_STOP  0x7E02UL
/* Start the test pager (clearing its log) / stop and delete it. */
L4_ThreadId_t test_pager_start(void);
void test_pager_stop(void);
L4_ThreadId_t test_pager(void);
/* Start fn in a new thread paged by the test pager, in the address space of
 * thread `space` (nilthread: a new space with the root task's KIP and UTCB
 * area addresses); the start-up message comes from the pager.  The thread
 * stops itself when fn returns; delete it with test_kill_thread. */
L4_ThreadId_t test_start_thread_in(L4_ThreadId_t space, void (*fn)(void));
L4_ThreadId_t test_start_space_thread(void (*fn)(void));
