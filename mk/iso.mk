# SPDX-License-Identifier: BSD-2-Clause
# GRUB rescue ISOs: the kernel, sigma0 and one root task behind GRUB 2.
#
#   make iso                          build/x86_64/pecan.iso with the demo
#   make iso ISO_ROOT=tests ISO_ARGS='run=ipc.*'
#   make iso ISO_OPTS='kdb=go iopl=3' kernel options on the multiboot line
#
# tools/mkiso writes grub.cfg and calls grub-mkrescue for i386-pc (BIOS).
# The ISO depends on its settings through a small file that changes only
# when they change, so a new ISO_ARGS rebuilds it and nothing else does.

ISO_ROOT ?= demo
ISO_ARGS ?=
ISO_OPTS ?= $(if $(filter tests,$(ISO_ROOT)),kdb=exit)
ISO      := $(O)/pecan.iso

# Single-quote a string for the shell.
sh_quote = '$(subst ','\'',$(1))'

# $(call iso_image,<iso path>,<root task>,<root args>,<kernel options>)
define iso_image
$(1).settings: FORCE
	@mkdir -p $$(dir $$@)
	@printf '%s\n' $(call sh_quote,$(2)) $(call sh_quote,$(3)) $(call sh_quote,$(4)) >$$@.tmp
	@if cmp -s $$@.tmp $$@; then rm -f $$@.tmp; else mv -f $$@.tmp $$@; fi

$(1): $(KERNEL_MB) $(O)/user/sigma0.elf $(O)/user/$(2).elf $(1).settings tools/mkiso
	@echo "  ISO     $$@ (root $(2)$(if $(3), $(3)))"
	$(Q)tools/mkiso -o $$@ -k $(KERNEL_MB) -a $(call sh_quote,$(4)) \
	    -M '$(O)/user/sigma0.elf sigma0' -M $(call sh_quote,$(O)/user/$(2).elf $(2) $(3))
endef

$(eval $(call iso_image,$(ISO),$(ISO_ROOT),$(ISO_ARGS),$(ISO_OPTS)))

.PHONY: iso FORCE
iso: $(ISO)
FORCE:
