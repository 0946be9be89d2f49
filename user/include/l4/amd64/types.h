/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/amd64/types.h — machine word types and architecture macros for amd64 */
#ifndef L4_AMD64_TYPES_H
#define L4_AMD64_TYPES_H

#if !defined(__x86_64__)
#error "l4/amd64/types.h used on a non-amd64 compiler target"
#endif

#define L4_64BIT 1
#define L4_LITTLE_ENDIAN 1
#define L4_ARCH_AMD64 1
#define L4_BITS_PER_WORD 64
#define L4_BYTES_PER_WORD 8

/* Self-contained fixed-width types: no libc or compiler header needed. */
typedef unsigned long L4_Word_t;
typedef unsigned long L4_Word64_t;
typedef unsigned int L4_Word32_t;
typedef unsigned short L4_Word16_t;
typedef unsigned char L4_Word8_t;

typedef signed long L4_SignedWord_t;
typedef signed long L4_SignedWord64_t;
typedef signed int L4_SignedWord32_t;
typedef signed short L4_SignedWord16_t;
typedef signed char L4_SignedWord8_t;

typedef unsigned long L4_Size_t;
typedef unsigned long L4_Paddr_t;

/* Field widths that differ between the 32- and 64-bit binary interfaces. */
#define __L4_THREADNO_BITS 32 /* global id: thread number, bits 32..63 */
#define __L4_VERSION_BITS 32  /* global id: version, bits 0..31 */
#define __L4_HALF_WORD_BITS 32

/* amd64 UTCB geometry (vregs.md §2): p = UTCB block start + 512. */
#define __L4_UTCB_SIZE 1024
#define __L4_UTCB_MR0_OFFSET 512

#endif /* L4_AMD64_TYPES_H */
