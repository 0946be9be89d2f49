# SPDX-License-Identifier: BSD-2-Clause
# User level: libl4 runtime, the small C library, sigma0 and root tasks.

UINC    := -Iuser/include -Ikernel/include
UCFLAGS := $(COMMON) $(UINC) -fno-builtin -fno-omit-frame-pointer
ULIBSRCS := $(wildcard user/lib/l4/*.c) $(wildcard user/lib/l4/amd64/*.S) \
            $(wildcard user/lib/c/*.c) $(wildcard user/lib/pecan/*.c) \
            kernel/lib/format.c kernel/lib/string.c
ULIBOBJS := $(patsubst %,$(O)/ulib/%.o,$(ULIBSRCS))

# program name -> link address (physical = virtual; see docs/abi.md)
SIGMA0_BASE := 0x00F00000
ROOT_BASE   := 0x01000000

define user_program
$(1)_SRCS := $$(wildcard user/$(1)/*.c) $$(wildcard user/$(1)/*.S)
$(1)_OBJS := $$(patsubst %,$(O)/%.o,$$($(1)_SRCS))
$(O)/user/$(1).elf: $$($(1)_OBJS) $(ULIBOBJS)
	@mkdir -p $$(dir $$@)
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack -e _start \
	    -Ttext-segment=$(2) $$^ -o $$@
USER_ELFS += $(O)/user/$(1).elf
endef

$(eval $(call user_program,sigma0,$(SIGMA0_BASE)))
$(eval $(call user_program,demo,$(ROOT_BASE)))
$(eval $(call user_program,tests,$(ROOT_BASE)))
$(eval $(call user_program,bench,$(ROOT_BASE)))

.PHONY: user
user: $(USER_ELFS)

$(O)/user/%.c.o: user/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@
$(O)/user/%.S.o: user/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(O)/ulib/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@
$(O)/ulib/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -D__ASSEMBLER__ -c $< -o $@
