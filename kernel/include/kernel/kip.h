/* SPDX-License-Identifier: BSD-2-Clause */
/* The Kernel Interface Page (X.2 §1.1; layout per the AMD64/IA-32 ABI).
 *
 * The fixed part is word-indexed: field i sits at byte i * sizeof(word_t).
 * Loaders and binaries built for other X.2 kernels read it directly, so each
 * offset is pinned below.
 */
#pragma once

#include <kernel/types.h>

#define KIP_MAGIC        0x4BE6344CUL           /* 'L' '4' 0xE6 'K' */
#define KIP_API_VERSION  0x84050000UL           /* X.2, subversion 5 */
#define KIP_MAX_MEMDESC  128

typedef struct {
    word_t sp, ip, low, high;
} kip_server_t;

typedef struct {
    word_t raw[2];
} kip_memdesc_t;

typedef struct {
    word_t external_freq;       /* kHz */
    word_t internal_freq;       /* kHz */
    word_t reserved[2];
} kip_procdesc_t;

typedef struct {
    word_t magic;               /* 0 */
    word_t api_version;         /* 1 */
    word_t api_flags;           /* 2 */
    word_t kernel_desc_ptr;     /* 3 */
    kip_server_t kdebug;        /* 4..7: init, entry, low, high */
    kip_server_t sigma0;        /* 8..11 */
    kip_server_t sigma1;        /* 12..15 */
    kip_server_t root_server;   /* 16..19 */
    word_t reserved0;           /* 20 */
    word_t memory_info;         /* 21 */
    word_t kdebug_config[2];    /* 22..23 */
    word_t main_mem[2];         /* 24..25 */
    word_t reserved_mem0[2];    /* 26..27 */
    word_t reserved_mem1[2];    /* 28..29 */
    word_t dedicated_mem[5][2]; /* 30..39 */
    word_t reserved1[2];        /* 40..41 */
    word_t utcb_area_info;      /* 42 */
    word_t kip_area_info;       /* 43 */
    word_t reserved2[2];        /* 44..45 */
    word_t boot_info;           /* 46 */
    word_t proc_desc_ptr;       /* 47 */
    word_t clock_info;          /* 48 */
    word_t thread_info;         /* 49 */
    word_t page_info;           /* 50 */
    word_t processor_info;      /* 51 */
    word_t syscalls[11];        /* 52..62: SpaceControl .. Schedule */
    word_t reserved3[5];        /* 63..67 */
    word_t arch_syscalls[4];    /* 68..71 */
} kip_t;

/* Index into kip_t.syscalls, in KIP order. */
enum kip_syscall {
    KIP_SC_SPACE_CONTROL, KIP_SC_THREAD_CONTROL, KIP_SC_PROCESSOR_CONTROL,
    KIP_SC_MEMORY_CONTROL, KIP_SC_IPC, KIP_SC_LIPC, KIP_SC_UNMAP,
    KIP_SC_EXCHANGE_REGISTERS, KIP_SC_SYSTEM_CLOCK, KIP_SC_THREAD_SWITCH,
    KIP_SC_SCHEDULE, KIP_SC_COUNT
};

#define KIP_WORD(f, i) _Static_assert(offsetof(kip_t, f) == (i) * sizeof(word_t), #f)
KIP_WORD(api_version, 1);
KIP_WORD(kernel_desc_ptr, 3);
KIP_WORD(kdebug, 4);
KIP_WORD(sigma0, 8);
KIP_WORD(sigma1, 12);
KIP_WORD(root_server, 16);
KIP_WORD(memory_info, 21);
KIP_WORD(main_mem, 24);
KIP_WORD(reserved_mem0, 26);
KIP_WORD(dedicated_mem, 30);
KIP_WORD(utcb_area_info, 42);
KIP_WORD(kip_area_info, 43);
KIP_WORD(boot_info, 46);
KIP_WORD(proc_desc_ptr, 47);
KIP_WORD(clock_info, 48);
KIP_WORD(thread_info, 49);
KIP_WORD(page_info, 50);
KIP_WORD(processor_info, 51);
KIP_WORD(syscalls, 52);
KIP_WORD(arch_syscalls, 68);
_Static_assert(sizeof(kip_t) == 72 * sizeof(word_t), "fixed KIP part");

/* Memory descriptor types (X.2 §1.1 memory descriptor). */
enum memdesc_type {
    MEMDESC_UNDEFINED = 0, MEMDESC_CONVENTIONAL = 1, MEMDESC_RESERVED = 2,
    MEMDESC_DEDICATED = 3, MEMDESC_SHARED = 4, MEMDESC_BOOTLOADER = 0xE,
    MEMDESC_ARCH = 0xF
};

/* The one KIP of the system; its physical page is mapped into every space. */
extern kip_t kip;

/* Fill the kernel-owned KIP fields (called once at boot). */
void kip_init(void);
/* Append a memory descriptor for [low, high] (inclusive); later ones win. */
void kip_add_memdesc(unsigned type, unsigned subtype, bool virt, word_t low, word_t high);
/* Record the measured frequencies of a CPU in its processor descriptor. */
void kip_set_cpu_freq(unsigned cpu, word_t internal_khz, word_t external_khz);
/* The frequencies a CPU's processor descriptor announces. */
void kip_cpu_freq(unsigned cpu, word_t *internal_khz, word_t *external_khz);
