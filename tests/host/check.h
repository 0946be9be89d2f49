/* SPDX-License-Identifier: BSD-2-Clause */
/* Host unit-test harness: CHECK macros, case registration, ok/FAIL lines.
 *
 * A test program defines CHECK_SUITE (e.g. "format") and includes this
 * header once.  Each TEST(name) becomes case "<suite>.<name>"; the cases run
 * in definition order and print one line each, "ok <suite>.<name>" or
 * "FAIL <suite>.<name>: <file>:<line>: <what>" (the first failed check, plus
 * a count of further ones), then the program prints
 * "<program>: N passed, M failed" and exits 1 if M > 0.  Arguments are glob
 * patterns: only matching cases run (`test_format 'format.hex*'`).
 *
 * Deliberately self-contained: it uses only <stdio.h>-level libc so that the
 * renamed kernel string functions (docs/testing.md) never meet libc's.
 */
#pragma once

#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef CHECK_SUITE
#error "define CHECK_SUITE (the case-name prefix) before including check.h"
#endif

#define CHECK_MAX_CASES 256
#define UNUSED_CHECK __attribute__((unused))

typedef struct {
    const char *name;
    void (*fn)(void);
} check_case_t;

static check_case_t check_cases[CHECK_MAX_CASES];
static unsigned check_ncases;
static unsigned check_case_failures;   /* failed checks in the running case */
static char check_first_failure[512];

UNUSED_CHECK static void check_register(const char *name, void (*fn)(void))
{
    if (check_ncases == CHECK_MAX_CASES) {
        fprintf(stderr, "check.h: more than %d cases\n", CHECK_MAX_CASES);
        return;
    }
    check_cases[check_ncases++] = (check_case_t){ name, fn };
}

/* Constructors run in definition order within one translation unit. */
#define TEST(name)                                                        \
    static void test_##name(void);                                        \
    __attribute__((constructor)) static void check_reg_##name(void)       \
    {                                                                     \
        check_register(CHECK_SUITE "." #name, test_##name);               \
    }                                                                     \
    static void test_##name(void)

__attribute__((format(printf, 3, 4))) UNUSED_CHECK
static bool check_fail(const char *file, int line, const char *fmt, ...)
{
    if (check_case_failures++ == 0) {
        const char *base = file;
        for (const char *p = file; *p; p++) {
            if (*p == '/') {
                base = p + 1;
            }
        }
        int n = snprintf(check_first_failure, sizeof(check_first_failure), "%s:%d: ", base, line);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(check_first_failure + n, sizeof(check_first_failure) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

UNUSED_CHECK static bool check_str_equal(const char *a, const char *b)
{
    if (!a || !b) {
        return a == b;
    }
    while (*a && *a == *b) {
        a++, b++;
    }
    return *a == *b;
}

/* Each CHECK evaluates to true if it held, so a case can bail out early:
 * `if (!CHECK(p != NULL)) return;` */
#define CHECK(cond)                                                                \
    __extension__({                                                                \
        bool check_ok_ = (cond);                                                   \
        check_ok_ ? true : check_fail(__FILE__, __LINE__, "%s", #cond);            \
    })

#define CHECK_EQ(got, want)                                                        \
    __extension__({                                                                \
        unsigned long long check_g_ = (unsigned long long)(got);                   \
        unsigned long long check_w_ = (unsigned long long)(want);                  \
        check_g_ == check_w_ ? true                                                \
            : check_fail(__FILE__, __LINE__, "%s is %#llx, want %#llx", #got,      \
                         check_g_, check_w_);                                      \
    })

#define CHECK_STR(got, want)                                                       \
    __extension__({                                                                \
        const char *check_g_ = (got), *check_w_ = (want);                          \
        check_str_equal(check_g_, check_w_) ? true                                 \
            : check_fail(__FILE__, __LINE__, "%s is \"%s\", want \"%s\"", #got,    \
                         check_g_ ? check_g_ : "(null)", check_w_ ? check_w_ : "(null)"); \
    })

UNUSED_CHECK static bool check_selected(const char *name, int argc, char **argv)
{
    if (argc < 2) {
        return true;
    }
    for (int i = 1; i < argc; i++) {
        if (fnmatch(argv[i], name, 0) == 0) {
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    const char *prog = argv[0];
    for (const char *p = argv[0]; *p; p++) {
        if (*p == '/') {
            prog = p + 1;
        }
    }
    unsigned passed = 0, failed = 0;
    for (unsigned i = 0; i < check_ncases; i++) {
        if (!check_selected(check_cases[i].name, argc, argv)) {
            continue;
        }
        check_case_failures = 0;
        check_cases[i].fn();
        if (check_case_failures == 0) {
            printf("ok %s\n", check_cases[i].name);
            passed++;
        } else if (check_case_failures == 1) {
            printf("FAIL %s: %s\n", check_cases[i].name, check_first_failure);
            failed++;
        } else {
            printf("FAIL %s: %s (and %u more failed checks)\n", check_cases[i].name,
                   check_first_failure, check_case_failures - 1);
            failed++;
        }
        fflush(stdout);
    }
    printf("%s: %u passed, %u failed\n", prog, passed, failed);
    return failed ? 1 : 0;
}
