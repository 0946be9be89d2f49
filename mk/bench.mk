# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks (docs/benchmarks.md).
#
#   make bench         run the benchmark root task under -icount shift=0
#                      and print the table of figures (instructions)
#   make bench-check   run it and compare the headline figures with the
#                      baseline in docs/benchmarks.md (fails on > 2% growth)

BENCH_RESULTS := $(O)/bench/results.txt

.PHONY: bench bench-check
bench: $(KERNEL_MB) $(O)/user/sigma0.elf $(O)/user/bench.elf
	@tools/bench run $(BENCH_RESULTS)
	@tools/bench table $(BENCH_RESULTS)

bench-check: $(KERNEL_MB) $(O)/user/sigma0.elf $(O)/user/bench.elf
	@tools/bench run $(BENCH_RESULTS)
	@tools/bench check $(BENCH_RESULTS) docs/benchmarks.md
