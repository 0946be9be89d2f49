#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run host unit-test programs and make every way of failing visible.
#
#   tests/host/run-host-tests.sh [-t SEC] PROGRAM... [-- CASE-GLOB...]
#
# Each program prints "ok <case>" / "FAIL <case>: <reason>" lines and ends
# with "<name>: N passed, M failed" (tests/host/check.h).  Their stdout is
# passed through; a sanitizer report (stderr) is shown when a program fails.
# A program that crashes, hangs, exits non-zero without a FAIL line, or does
# not end with its summary line gets one extra "FAIL <program>: <reason>" line, so
# a harness that counts ok/FAIL lines cannot miss it.  Exit status 1 if
# anything failed.

set -uo pipefail

timeout_s=60
if [ "${1:-}" = -t ]; then
    timeout_s=$2
    shift 2
fi
progs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    progs+=("$1")
    shift
done
[ "${1:-}" = -- ] && shift
patterns=("$@")

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pecan-host-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0
for prog in "${progs[@]}"; do
    name=$(basename "$prog")
    if [ ! -x "$prog" ]; then
        echo "FAIL $name: not built ($prog)"
        failed=1
        continue
    fi
    timeout -k 5 "$timeout_s" "$prog" "${patterns[@]}" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    cat "$tmp/out"
    fails=$(grep -c '^FAIL ' "$tmp/out")
    reason=
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        reason="timed out after $timeout_s s"
    elif [ "$rc" -gt 128 ]; then
        reason="killed by signal $((rc - 128))"
    elif ! tail -n 1 "$tmp/out" | grep -qE '^[^ ]+: [0-9]+ passed, [0-9]+ failed$'; then
        reason="crashed before its summary line (exit $rc)"
    elif [ "$rc" != 0 ] && [ "$fails" = 0 ]; then
        reason="exit status $rc without a failed case"
    elif [ "$rc" = 0 ] && [ "$fails" != 0 ]; then
        reason="exit status 0 despite failed cases"
    fi
    if [ -n "$reason" ] || [ "$rc" != 0 ]; then
        failed=1
        if [ -s "$tmp/err" ]; then
            echo "--- $name stderr (first 40 lines):"
            head -n 40 "$tmp/err" | sed 's/^/    /'
        fi
    fi
    [ -n "$reason" ] && echo "FAIL $name: $reason"
done
exit $failed
