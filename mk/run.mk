# SPDX-License-Identifier: BSD-2-Clause
# Booting by hand: the demo on the serial console, with or without gdb.
#
#   make run                  install missing tools, build, boot the demo
#   make run RUN_ROOT=tests RUN_ARGS='run=ipc.*' RUN_OPTS='kdb=go'
#   make run-iso              boot build/x86_64/pecan.iso (make iso) the same way
#   make debug                the same as run, but QEMU waits for gdb on :1234
#
# The console is this terminal: Ctrl-A X quits QEMU, Ctrl-A C switches to the
# QEMU monitor and back.  The kernel's own command line is RUN_OPTS.

RUN_ROOT ?= demo
RUN_ARGS ?=
RUN_OPTS ?=

RUN_BOOT = -k $(KERNEL_MB) $(if $(RUN_OPTS),-a $(call sh_quote,$(RUN_OPTS))) \
    -M '$(O)/user/sigma0.elf sigma0' -M $(call sh_quote,$(O)/user/$(RUN_ROOT).elf $(RUN_ROOT) $(RUN_ARGS))

.PHONY: deps run run-iso debug

deps:
	@tools/install-deps.sh

# Recursive make (-s: no "is up to date" chatter): the build starts only
# after the tools are there.
RUN_BUILD = $(MAKE) -s --no-print-directory

run: deps
	@$(RUN_BUILD) $(KERNEL_MB) $(O)/user/sigma0.elf $(O)/user/$(RUN_ROOT).elf
	@tools/qemu-run -i -n $(RUN_ROOT) -l $(O)/log/run.log $(RUN_BOOT)

run-iso: deps
	@$(RUN_BUILD) iso
	@tools/qemu-run -i -n iso -l $(O)/log/run-iso.log -c $(ISO)

# tools/qemu-run -g prints the gdb command line; docs/debugging.md has more.
debug: deps
	@$(RUN_BUILD) $(KERNEL_MB) $(KERNEL_ELF) $(O)/user/sigma0.elf $(O)/user/$(RUN_ROOT).elf
	@tools/qemu-run -i -g -n $(RUN_ROOT) -l $(O)/log/debug.log $(RUN_BOOT)
