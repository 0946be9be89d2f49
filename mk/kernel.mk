# SPDX-License-Identifier: BSD-2-Clause
# The kernel: generic core, arch, mode and platform sources.

KDIRS   := kernel/src kernel/lib kernel/arch/$(ARCH_DIR) \
           kernel/arch/$(ARCH_DIR)/$(MODE_DIR) kernel/plat/$(PLAT)
KSRCS   := $(foreach d,$(KDIRS),$(wildcard $(d)/*.c) $(wildcard $(d)/*.S))
KOBJS   := $(patsubst %,$(O)/%.o,$(KSRCS))
KINC    := -Ikernel/include -Ikernel/arch/$(ARCH_DIR)/include \
           -Ikernel/arch/$(ARCH_DIR)/$(MODE_DIR)/include -Ikernel/plat/$(PLAT)/include
KCFLAGS := $(COMMON) $(KINC) -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
           -mno-80387 -fno-omit-frame-pointer $(KCONFIG)
KERNEL_ELF := $(O)/kernel/pecan.elf
KERNEL_MB  := $(O)/pecan.mb

.PHONY: kernel
kernel: $(KERNEL_MB)

$(O)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(O)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(KERNEL_ELF): $(KOBJS) kernel/arch/$(ARCH_DIR)/$(MODE_DIR)/kernel.ld
	@mkdir -p $(dir $@)
	$(Q)$(LD) -n -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
	    -T kernel/arch/$(ARCH_DIR)/$(MODE_DIR)/kernel.ld $(KOBJS) -o $@

# QEMU's Multiboot loader refuses ELF64: hand it the same image as ELF32.
$(KERNEL_MB): $(KERNEL_ELF)
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# The IPC fast path and what it calls run without frame pointers: every
# instruction there counts (docs/benchmarks.md).
KHOT := kernel/src/ipc_fast.c kernel/arch/$(ARCH_DIR)/$(MODE_DIR)/thread.c \
        kernel/src/thread_table.c
$(patsubst %,$(O)/%.o,$(KHOT)): KCFLAGS += -fomit-frame-pointer
