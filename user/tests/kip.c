/* SPDX-License-Identifier: BSD-2-Clause */
/* KIP: every field of the kernel interface page against the AMD64 layout. */
#include "suite.h"
#include <l4/kip.h>
#include <l4/thread.h>
#include <l4/bootinfo.h>
#include <kernel/string.h>

#define W(i) (((L4_Word_t *)test_kip())[i])

TEST(kip, location)
{
    CHECK_EQ(test_kip(), 0xBFF00000);
    CHECK_EQ(W(0), 0x4BE6344C);                 /* magic; upper half 0 on 64-bit */
}

TEST(kip, version_and_flags)
{
    CHECK_EQ(W(1), 0x84050000);
    CHECK_EQ(W(2), 0x4);
    CHECK_EQ(L4_ApiVersion(), W(1));
    CHECK_EQ(L4_ApiFlags(), W(2));
}

TEST(kip, kernel_descriptor)
{
    L4_Word_t off = W(3);
    CHECK(off >= 0x240 && off < 0x1000 - 64 && off % 8 == 0);
    L4_Word_t *kd = (L4_Word_t *)((char *)test_kip() + off);
    CHECK_EQ(kd[0], L4_KernelId());
    CHECK(L4_KernelSupplier(test_kip()) != 0);
    const char *version = L4_KernelVersionString(test_kip());
    CHECK(!strncmp(version, "Pecan", 5));
    /* No feature strings: the version string is followed by an empty one. */
    CHECK(version[strlen(version) + 1] == '\0');
    CHECK(L4_Feature(test_kip(), 0) == 0);
    L4_Word_t y, m, d;
    L4_KernelGenDate(test_kip(), &y, &m, &d);
    CHECK(y >= 2024 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
}

TEST(kip, reserved_words_zero)
{
    CHECK_EQ(W(20), 0);
    CHECK_EQ(W(40) | W(41) | W(44) | W(45), 0);
    for (int i = 63; i <= 71; i++) {
        CHECK_EQ(W(i), 0);
    }
}

TEST(kip, area_info)
{
    CHECK_EQ(W(42), 0x000C2801);                /* UTCB: m 1, a 10, s 12 */
    CHECK_EQ(W(43) & 0x3F, 12);                 /* KIP area: 4 KiB */
    CHECK_EQ(L4_UtcbSize(test_kip()), 1024);
    CHECK_EQ(L4_UtcbAlignmentLog2(test_kip()), 10);
    CHECK_EQ(L4_UtcbAreaSizeLog2(test_kip()), 12);
    CHECK_EQ(L4_KipAreaSizeLog2(test_kip()), 12);
}

TEST(kip, thread_info)
{
    L4_Word_t t = L4_ThreadIdBits(test_kip()), sys = L4_ThreadIdSystemBase(test_kip());
    L4_Word_t user = L4_ThreadIdUserBase(test_kip());
    CHECK_EQ(t, 32);
    CHECK(sys >= 16 && user > sys && user < 200);
    CHECK_EQ(L4_ThreadNo(L4_Myself()), user + 2);
    CHECK_EQ(L4_Version(L4_Myself()), 1);
}

/* CPUID 0x80000001 EDX bit 26: the CPU maps 1 GiB pages. */
static int cpu_has_gib_pages(void)
{
    unsigned a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000U), "c"(0));
    if (a < 0x80000001U) {
        return 0;
    }
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001U), "c"(0));
    return (d >> 26) & 1;
}

TEST(kip, page_info)
{
    L4_Word_t mask = L4_PageSizeMask(test_kip());
    CHECK(mask & (1UL << 12));
    CHECK(mask & (1UL << 21));
    CHECK_EQ((mask >> 30) & 1, cpu_has_gib_pages());   /* 1 GiB only if the CPU has it */
    CHECK_EQ(mask & ~((1UL << 12) | (1UL << 21) | (1UL << 30)), 0);
    CHECK_EQ(mask & 0x3FF, 0);
    CHECK(L4_PageRights(test_kip()) == 7 || L4_PageRights(test_kip()) == 6);
}

TEST(kip, processor_info)
{
    CHECK_EQ(L4_NumProcessors(test_kip()), 1);
    CHECK_EQ(W(51) >> 60, 5);                   /* 32-byte descriptors */
    CHECK_EQ(W(47), 0x240);
    L4_ProcDesc_t *p = L4_ProcDesc(test_kip(), 0);
    CHECK(L4_ProcDescInternalFreq(p) > 1000);   /* kHz: more than 1 MHz */
}

TEST(kip, clock_info)
{
    CHECK_EQ(L4_ReadPrecision(test_kip()), 1);
    CHECK(L4_SchedulePrecision(test_kip()) >= 1);
}

TEST(kip, syscall_entries)
{
    /* Words 52..62: distinct, user-executable absolute addresses. */
    for (int i = 52; i <= 62; i++) {
        CHECK(W(i) != 0);
        for (int j = 52; j < i; j++) {
            CHECK(W(i) != W(j));
        }
        /* Readable from user mode; a SYSCALL (0F 05) near the start
         * (MemoryControl's stub saves two registers first). */
        volatile unsigned char *code = (volatile unsigned char *)W(i);
        int found = 0;
        for (int b = 0; b < 8; b++) {
            found |= code[b] == 0x0F && code[b + 1] == 0x05;
        }
        CHECK(found);
    }
}

TEST(kip, memory_descriptors)
{
    L4_Word_t n = L4_NumMemoryDescriptors(test_kip());
    L4_Word_t off = W(21) >> 32;
    CHECK(n > 3 && off % 16 == 0 && off + n * 16 <= 0x1000);
    int conventional = 0, reserved = 0, user_virtual = 0;
    for (L4_Word_t i = 0; i < n; i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(test_kip(), i);
        CHECK(L4_MemoryDescLow(m) <= L4_MemoryDescHigh(m));
        if (L4_IsMemoryDescVirtual(m)) {
            user_virtual |= L4_MemoryDescType(m) == L4_ConventionalMemoryType &&
                            L4_MemoryDescLow(m) == 0 &&
                            L4_MemoryDescHigh(m) == 0x00007FFFFFFFFFFFUL;
        } else if (L4_MemoryDescType(m) == L4_ConventionalMemoryType) {
            conventional++;
        } else if (L4_MemoryDescType(m) == L4_ReservedMemoryType) {
            reserved++;
        }
    }
    CHECK(conventional >= 1);
    CHECK(reserved >= 2);                       /* kernel image and pool */
    CHECK(user_virtual);
}

TEST(kip, initial_servers)
{
    L4_Word_t *k = (L4_Word_t *)test_kip();
    CHECK(k[9] != 0 && k[10] < k[11]);          /* sigma0 IP, region */
    CHECK(k[17] != 0 && k[18] < k[19]);         /* root task IP, region */
    CHECK(k[17] >= k[18] && k[17] < k[19]);
    CHECK_EQ(k[13] | k[14] | k[15], 0);         /* no sigma1 */
    extern char _start[];
    CHECK_EQ(k[17], (L4_Word_t)_start);
}

TEST(kip, bootinfo)
{
    CHECK(L4_BootInfo(test_kip()) != 0);
    void *bi = test_bootinfo();
    CHECK(bi != 0);
    CHECK(L4_BootInfo_Valid(bi));
    CHECK(L4_BootInfo_Entries(bi) >= 2);
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    CHECK_EQ(L4_BootRec_Type(r), L4_BootInfo_SimpleExec);
    CHECK(L4_SimpleExec_Cmdline(r) != 0);
    r = L4_BootRec_Next(r);
    CHECK_EQ(L4_BootRec_Type(r), L4_BootInfo_SimpleExec);
    extern char _start[];
    CHECK_EQ(L4_SimpleExec_InitialIP(r), (L4_Word_t)_start);
}
