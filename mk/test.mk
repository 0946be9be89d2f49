# SPDX-License-Identifier: BSD-2-Clause
# Tests: host unit tests, the conformance suite in QEMU (-kernel and GRUB ISO).
#
#   make test               everything; the last line is "N passed, M failed"
#   make test-host          host unit tests (ASan + UBSan)
#   make test-qemu          suite booted with QEMU's multiboot loader
#   make test-iso           suite booted through GRUB from an ISO
#   make test-qemu RUN='ipc.*'   only the cases matching a glob
#
# Every part prints one line per case ("ok x.y" / "FAIL x.y: why"); a part
# that dies prints one "FAIL <part>: why" line of its own; tools/test-total
# adds the lines up.  See docs/testing.md.

include mk/iso.mk
include mk/run.mk
include mk/bench.mk

# ---- host unit tests -------------------------------------------------------
# Each tests/host/test_*.c is a program.  kernel/lib is compiled for the host
# with the sanitizers into one archive that the tests link against (only the
# members they use are pulled in); symbols it shares with libc are renamed
# through a generated header (tools/host-renames).  test_libl4* test libl4
# headers only and gets neither.

HOST_O         := $(O)/host
HOST_CFLAGS    := -std=gnu11 -Wall -Wextra -Werror -g -fsanitize=address,undefined \
                  -fno-sanitize-recover=all -Ikernel/include -Iuser/include \
                  -U_FORTIFY_SOURCE -MMD -MP
HOST_KLIB_SRCS := $(wildcard kernel/lib/*.c)
HOST_PROBES    := $(patsubst kernel/lib/%.c,$(HOST_O)/probe/%.o,$(HOST_KLIB_SRCS))
HOST_KLIB_OBJS := $(patsubst kernel/lib/%.c,$(HOST_O)/klib/%.o,$(HOST_KLIB_SRCS))
HOST_KLIB      := $(HOST_O)/libkernel.a
HOST_RENAMES   := $(HOST_O)/kernel-renames.h
HOST_TESTS     := $(patsubst tests/host/%.c,$(HOST_O)/%,$(wildcard tests/host/test_*.c))

$(HOST_O)/probe/%.o: kernel/lib/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -Ikernel/include -MMD -MP -c $< -o $@

$(HOST_RENAMES): $(HOST_PROBES) tools/host-renames
	$(Q)HOSTCC=$(HOSTCC) tools/host-renames $@ $(HOST_PROBES)

$(HOST_O)/klib/%.o: kernel/lib/%.c $(HOST_RENAMES)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -include $(HOST_RENAMES) -c $< -o $@

$(HOST_KLIB): $(HOST_KLIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(HOST_O)/test_%: tests/host/test_%.c $(HOST_KLIB) $(HOST_RENAMES)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MF $@.d -include $(HOST_RENAMES) $< $(HOST_KLIB) -o $@

$(HOST_O)/test_libl4 $(HOST_O)/test_libl4_kip: $(HOST_O)/%: tests/host/%.c tests/host/libl4_check.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MF $@.d $< -o $@

# ---- the conformance suite in QEMU -----------------------------------------
comma        := ,
RUN          ?=
TEST_ARGS    ?= $(if $(RUN),run=$(RUN))
# The pool stays at 512 MiB (a quarter of 2 GiB) so that the cases filling
# it take as long as before the guest grew.
TEST_KOPTS   ?= kdb=exit kmem=512M
# Guest RAM of the suite runs: mem.gib_* need a free aligned GiB (the pool
# sits at the top of RAM), and mem.scale_1gib_chain another GiB of 2 MiB
# pieces besides.
TEST_MEM     ?= 3G
TEST_TIMEOUT ?= 300
TEST_IDLE    ?= 60
TEST_OUT     := $(O)/test
TEST_ISO     := $(TEST_OUT)/pecan-tests.iso
TEST_BOOT    := $(KERNEL_MB) $(O)/user/sigma0.elf $(O)/user/tests.elf

# GRUB reads the serial console itself, so nothing can be typed ahead there.
$(eval $(call iso_image,$(TEST_ISO),tests,$(TEST_ARGS) input=none,$(TEST_KOPTS)))

# $(call suite_cmd,<part name>,<qemu-run boot arguments>)
suite_cmd = tools/qemu-run -C -q -s -n $(1) -t $(TEST_TIMEOUT) -I $(TEST_IDLE) --input K \
    --mem $(TEST_MEM) -l $(TEST_OUT)/$(1).log $(2)

TEST_HOST_CMD = tests/host/run-host-tests.sh $(HOST_TESTS)
TEST_QEMU_CMD = $(call suite_cmd,qemu.tests,-k $(KERNEL_MB) -a $(call sh_quote,$(TEST_KOPTS)) \
    -M '$(O)/user/sigma0.elf sigma0' -M $(call sh_quote,$(O)/user/tests.elf tests $(TEST_ARGS)))
TEST_ISO_CMD  = $(call suite_cmd,iso.tests,-c $(TEST_ISO))
# The device-interrupt cases (port I/O) boot again with iopl=3: compatibility
# with Pistachio's default, where every port is open without IO fpages.
TEST_IOPL_CMD = $(call suite_cmd,iopl.tests,-k $(KERNEL_MB) -a 'kdb=exit iopl=3' \
    -M '$(O)/user/sigma0.elf sigma0' -M '$(O)/user/tests.elf tests run=irq.*')
# The page-size cases again on a CPU without 1 GiB pages: the KIP must not
# announce them, and the GiB cases run with 2 MiB pages as the largest.
NOGIB_RUN      := kip.*,mem.gib_*,memory_control.*
TEST_NOGIB_CMD = $(call suite_cmd,nogib.tests,-k $(KERNEL_MB) -a $(call sh_quote,$(TEST_KOPTS)) \
    -M '$(O)/user/sigma0.elf sigma0' \
    -M '$(O)/user/tests.elf tests run=$(NOGIB_RUN)' -- -cpu max$(comma)pdpe1gb=off)

.PHONY: test test-host test-qemu test-iso

test-host: $(HOST_TESTS)
	@$(TEST_HOST_CMD)

test-qemu: $(TEST_BOOT)
	@mkdir -p $(TEST_OUT)
	@$(TEST_QEMU_CMD)

test-iso: $(TEST_ISO)
	@$(TEST_ISO_CMD)

# Each part's lines also go to $(TEST_OUT)/<part>.out for the total; a part
# failing does not stop the others.
test: $(HOST_TESTS) $(TEST_BOOT) $(TEST_ISO)
	@mkdir -p $(TEST_OUT)
	@rm -f $(TEST_OUT)/host.out $(TEST_OUT)/qemu.out $(TEST_OUT)/iso.out $(TEST_OUT)/iopl.out $(TEST_OUT)/clang.out $(TEST_OUT)/clang-suite.out $(TEST_OUT)/nofast.out $(TEST_OUT)/nogib.out
	@echo "== host unit tests"
	@$(TEST_HOST_CMD) | tee $(TEST_OUT)/host.out || true
	@echo "== conformance suite, QEMU multiboot (-kernel)"
	@$(TEST_QEMU_CMD) | tee $(TEST_OUT)/qemu.out || true
	@echo "== conformance suite, GRUB ISO"
	@$(TEST_ISO_CMD) | tee $(TEST_OUT)/iso.out || true
	@echo "== the kernel and user programs built with clang, and the suite on them"
	@if $(MAKE) --no-print-directory O=$(O)/clang CC=clang kernel user \
	    $(O)/clang/pecan.mb $(O)/clang/user/sigma0.elf $(O)/clang/user/tests.elf \
	    >$(TEST_OUT)/clang.log 2>&1; \
	    then echo "ok build.clang"; else echo "FAIL build.clang: see $(TEST_OUT)/clang.log"; fi \
	    | tee $(TEST_OUT)/clang.out
	@tools/qemu-run -C -q -s -n clang.tests -t $(TEST_TIMEOUT) -I $(TEST_IDLE) --input K \
	    --mem $(TEST_MEM) \
	    -l $(TEST_OUT)/clang.tests.log -k $(O)/clang/pecan.mb -a '$(TEST_KOPTS)' \
	    -M '$(O)/clang/user/sigma0.elf sigma0' -M '$(O)/clang/user/tests.elf tests' \
	    | tee $(TEST_OUT)/clang-suite.out || true
	@echo "== conformance suite with the IPC fast path compiled out"
	@$(MAKE) --no-print-directory O=$(O)/nofast KCONFIG=-DCONFIG_IPC_FASTPATH=0 \
	    $(O)/nofast/pecan.mb $(O)/nofast/user/sigma0.elf $(O)/nofast/user/tests.elf \
	    >$(TEST_OUT)/nofast-build.log 2>&1 || echo "FAIL nofast.build: see $(TEST_OUT)/nofast-build.log"
	@tools/qemu-run -C -q -s -n nofast.tests -t $(TEST_TIMEOUT) -I $(TEST_IDLE) --input K \
	    --mem $(TEST_MEM) \
	    -l $(TEST_OUT)/nofast.tests.log -k $(O)/nofast/pecan.mb -a '$(TEST_KOPTS)' \
	    -M '$(O)/nofast/user/sigma0.elf sigma0' -M '$(O)/nofast/user/tests.elf tests' \
	    | tee $(TEST_OUT)/nofast.out || true
	@echo "== device-interrupt cases again, kernel option iopl=3"
	@$(TEST_IOPL_CMD) | tee $(TEST_OUT)/iopl.out || true
	@echo "== page-size cases again on a CPU without 1 GiB pages"
	@$(TEST_NOGIB_CMD) | tee $(TEST_OUT)/nogib.out || true
	@tools/test-total $(TEST_OUT)/host.out $(TEST_OUT)/qemu.out $(TEST_OUT)/iso.out \
	    $(TEST_OUT)/clang.out $(TEST_OUT)/clang-suite.out $(TEST_OUT)/nofast.out $(TEST_OUT)/iopl.out \
	    $(TEST_OUT)/nogib.out
