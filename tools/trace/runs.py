# SPDX-License-Identifier: BSD-2-Clause
"""Print a list of program counters as runs of "symbol count"."""
import bisect
import subprocess
import sys

STUBS = (0xFFFFFF0000000000, 0xFFFFFF0000001000)


def symbols(elves):
    syms = []
    for elf in elves:
        out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                syms.append((int(parts[0], 16), parts[2]))
    syms.sort()
    return syms


def main():
    syms = symbols(sys.argv[2:])
    addrs = [a for a, _ in syms]
    runs = []
    for line in open(sys.argv[1]):
        pc = int(line, 16)
        if STUBS[0] <= pc < STUBS[1]:
            name = "stub"
        else:
            i = bisect.bisect_right(addrs, pc) - 1
            name = syms[i][1] if i >= 0 else "?"
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    for name, count in runs:
        print(name, count)


main()
