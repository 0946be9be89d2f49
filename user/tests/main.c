/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance-suite runner: the root task that executes every TEST case.
 *
 * The root task's module command line may hold "run=<pattern>" ('*' matches
 * any run of characters; several patterns separated by commas) to select
 * cases by name.  It powers the machine off
 * with 0x10 when every selected case passed and 0x11 otherwise.
 */
#include "suite.h"
#include <l4/kip.h>
#include <l4/kdebug.h>
#include <l4/bootinfo.h>
#include <kernel/format.h>
#include <kernel/string.h>
#include <stdarg.h>

#define POWEROFF_PASS 0x10
#define POWEROFF_FAIL 0x11

extern const test_case_t __start_pecan_tests[], __stop_pecan_tests[];

static char failure[200];
static int failed;
static const char *skipped;

void test_skip(const char *why)
{
    skipped = why;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    if (failed) {
        return;
    }
    failed = 1;
    size_t n = format_buf(failure, sizeof(failure), "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    format_vbuf(failure + n, sizeof(failure) - n, fmt, ap);
    va_end(ap);
}

int test_failed(void)
{
    return failed;
}

/* Does the pattern p (up to its end or a comma) match all of s? */
static int glob_match(const char *p, const char *s)
{
    if (!*p || *p == ',') {
        return !*s;
    }
    if (*p == '*') {
        return glob_match(p + 1, s) || (*s && glob_match(p, s + 1));
    }
    return *s == *p && glob_match(p + 1, s + 1);
}

static int selected(const char *patterns, const char *name)
{
    for (const char *p = patterns; p; p = strchr(p, ',')) {
        p += *p == ',';
        if (glob_match(p, name)) {
            return 1;
        }
    }
    return 0;
}

const char *test_option(const char *key, char *buf, unsigned long size)
{
    void *bi = test_bootinfo();
    if (!bi || !L4_BootInfo_Valid(bi) || L4_BootInfo_Entries(bi) < 2) {
        return 0;
    }
    L4_BootRec_t *rec = L4_BootRec_Next(L4_BootInfo_FirstEntry(bi));  /* the root task */
    const char *cmd = L4_SimpleExec_Cmdline(rec);
    size_t klen = strlen(key);
    /* "key=value" words; any other word (a file name) is ignored. */
    for (const char *w = cmd; w && *w;) {
        while (*w == ' ') {
            w++;
        }
        if (!strncmp(w, key, klen) && w[klen] == '=') {
            size_t i = 0;
            for (const char *v = w + klen + 1; v[i] && v[i] != ' ' && i + 1 < size; i++) {
                buf[i] = v[i];
            }
            buf[i] = '\0';
            return buf;
        }
        while (*w && *w != ' ') {
            w++;
        }
    }
    return 0;
}

int main(void)
{
    char buf[64];
    test_touch_image();
    const char *pattern = test_option("run", buf, sizeof(buf));
    if (!pattern) {
        pattern = "*";
    }
    unsigned passed = 0, fails = 0, skips = 0;
    printf("tests: running cases matching \"%s\"\n", pattern);
    for (const test_case_t *tc = __start_pecan_tests; tc < __stop_pecan_tests; tc++) {
        if (!selected(pattern, tc->name)) {
            continue;
        }
        failed = 0;
        skipped = 0;
        tc->fn();
        if (skipped && !failed) {
            skips++;
            printf("skip %s: %s\n", tc->name, skipped);
        } else if (failed) {
            fails++;
            printf("FAIL %s: %s\n", tc->name, failure);
        } else {
            passed++;
            printf("ok %s\n", tc->name);
        }
    }
    if (skips) {
        printf("tests: %u skipped (see the skip lines)\n", skips);
    }
    printf("tests: %u passed, %u failed\n", passed, fails);
    L4_KDB_PowerOff(fails ? POWEROFF_FAIL : POWEROFF_PASS);
    return 0;
}
