# SPDX-License-Identifier: BSD-2-Clause
# Pecan build: kernel, libl4, sigma0, root tasks, host tools and tests.
#
#   make            build everything for ARCH (default x86_64)
#   make run        install missing tools, build, boot the demo in QEMU
#   make test       host unit tests + every in-QEMU suite; ends "N passed, N failed"
#   make iso        GRUB rescue ISO with kernel and modules
#   make debug      boot the demo with QEMU waiting for gdb on :1234
#
# Variables: ARCH=x86_64, CC=gcc|clang, O=<output dir>.

ARCH    ?= x86_64
PLAT    ?= pc99
O       ?= build/$(ARCH)
CC      ?= gcc
ifeq ($(origin CC),default)
CC      := gcc
endif
LD      ?= ld
OBJCOPY ?= objcopy
HOSTCC  ?= gcc

ifeq ($(ARCH),x86_64)
ARCH_DIR  := x86
MODE_DIR  := 64
else
$(error ARCH=$(ARCH) is not supported yet (x86_64))
endif

CC_INCLUDE := $(shell $(CC) -print-file-name=include)
ifeq ($(CC_INCLUDE),)
$(error cannot find the compiler's own headers: is $(CC) installed?)
endif

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
COMMON  := -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
           -fno-asynchronous-unwind-tables -nostdinc -isystem $(CC_INCLUDE) \
           -O2 -g $(WARN) -MMD -MP

V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

all: kernel user

include mk/kernel.mk
include mk/user.mk
include mk/test.mk

.PHONY: all clean
clean:
	rm -rf build

-include $(shell find $(O) -name '*.d' 2>/dev/null)
