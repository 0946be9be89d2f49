/* SPDX-License-Identifier: BSD-2-Clause */
/* Basic kernel types: machine words, fixed-width integers, bool. */
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* One machine word: 64 bits on x86-64, 32 bits on IA-32. */
typedef unsigned long word_t;
typedef long sword_t;
typedef uint64_t paddr_t;

#define WORD_BITS   (sizeof(word_t) * 8)
#define WORD_BYTES  sizeof(word_t)

#define ALIGN_DOWN(x, a)  ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)    ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a)  (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define ARRAY_SIZE(a)     (sizeof(a) / sizeof((a)[0]))
#define BIT(n)            (1UL << (n))
#define MASK(n)           ((n) >= WORD_BITS ? ~0UL : BIT(n) - 1)

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define NORETURN    __attribute__((noreturn))
#define PACKED      __attribute__((packed))
#define ALWAYS_INLINE __attribute__((always_inline))
#define NOINLINE    __attribute__((noinline))
#define ALIGNED(n)  __attribute__((aligned(n)))
#define SECTION(s)  __attribute__((section(s)))
#define UNUSED      __attribute__((unused))
