/* SPDX-License-Identifier: BSD-2-Clause */
/* test_libl4_kip — host unit tests of libl4's KIP, KCP, bootinfo and sigma0
 * helpers on hand-built structures (no kernel needed). */
#include "libl4_check.h"
static L4_Word_t kip_page[512] __attribute__((aligned(4096)));

/* Builds a KIP the way kip.md describes it (2 CPUs, 3 memory descriptors). */
static void build_kip(void)
{
    char *k = (char *)kip_page;
    static const char strings[] = "Pecan test kernel\0feat-a\0bb\0";
    int i;
    memset(kip_page, 0, sizeof kip_page);
    kip_page[0] = 0x4BE6344CUL;
    kip_page[1] = 0x84050000UL;
    kip_page[2] = 0x4;
    kip_page[3] = 0x280;                       /* KernelVerPtr */
    kip_page[21] = (0x300UL << 32) | 3;        /* MemoryInfo */
    kip_page[42] = 0x000C2801UL;               /* UtcbAreaInfo */
    kip_page[43] = 12;                         /* KipAreaInfo */
    kip_page[46] = 0x123000;                   /* BootInfo */
    kip_page[47] = 0x240;                      /* ProcDescPtr */
    kip_page[48] = 1 | (2UL << 16);            /* ClockInfo */
    kip_page[49] = 18 | (16UL << 8) | (48UL << 20); /* ThreadInfo */
    kip_page[50] = 0x00201007UL;               /* PageInfo: 4K + 2M, rwx */
    kip_page[51] = 1 | (5UL << 60);            /* 2 CPUs, 32-byte descriptors */
    for (i = 52; i <= 62; i++)
        kip_page[i] = 0xFFFFFFFFC0800000UL + 0x100UL * (L4_Word_t)(i - 52);
    /* Processor descriptors at 0x240, 32 bytes each. */
    kip_page[0x240 / 8] = 100000;
    kip_page[0x240 / 8 + 1] = 2000000;
    kip_page[0x260 / 8] = 133000;
    kip_page[0x260 / 8 + 1] = 3000000;
    /* Kernel descriptor at 0x280, strings at 0x2A0. */
    kip_page[0x280 / 8] = 0x04020000UL;
    kip_page[0x280 / 8 + 1] = 5 | (6 << 5) | (24 << 9);
    kip_page[0x280 / 8 + 2] = 0x00040000UL;
    memcpy(&kip_page[0x280 / 8 + 3], "UKa ", 4);
    memcpy(k + 0x2A0, strings, sizeof strings); /* ends with "" */
    /* Memory descriptors at 0x300. */
    kip_page[0x300 / 8] = 0x1;                  /* conventional [0, 0x9FFFF] */
    kip_page[0x300 / 8 + 1] = 0x9FC00;
    kip_page[0x300 / 8 + 2] = 0x1000000UL | (2 << 4) | 0xE; /* loader, subtype 2 */
    kip_page[0x300 / 8 + 3] = 0x10FFC00UL;
    kip_page[0x300 / 8 + 4] = (1 << 9) | 1;     /* virtual conventional */
    kip_page[0x300 / 8 + 5] = 0x7FFFFFFFFC00UL;
}

static int test_kip_fields(void)
{
    void *kip = kip_page;
    L4_KernelInterfacePage_t *k = (L4_KernelInterfacePage_t *)kip;
    L4_Word_t y, m, d;
    build_kip();
    CHECK_EQ(k->magic, L4_MAGIC);
    CHECK_EQ(k->ApiVersion.X.version, L4_APIVERSION_X2);
    CHECK_EQ(k->ApiVersion.version, 0x84);
    CHECK_EQ(k->ApiVersion.X.subversion, 5);
    CHECK_EQ(k->ApiFlags.X.ww, L4_APIFLAG_64BIT);
    CHECK_EQ(k->ApiFlags.X.ee, L4_APIFLAG_LE);
    CHECK_EQ(k->MemoryInfo.n, 3);
    CHECK_EQ(k->MemoryInfo.X.MemDescPtr, 0x300);
    CHECK_EQ(k->ThreadInfo.X.UserBase, 48);
    CHECK_EQ(k->Ipc, 0xFFFFFFFFC0800400UL); /* word 56 */
    CHECK_EQ(k->SpaceControl, 0xFFFFFFFFC0800000UL);
    CHECK_EQ(k->Schedule, 0xFFFFFFFFC0800A00UL);
    CHECK_EQ(__builtin_offsetof(L4_KernelInterfacePage_t, ExchangeRegisters), 0x1D8);
    CHECK_EQ(__builtin_offsetof(L4_KernelInterfacePage_t, BootInfo), 0x170);
    CHECK_EQ(L4_ThreadIdBits(kip), 18);
    CHECK_EQ(L4_ThreadIdSystemBase(kip), 16);
    CHECK_EQ(L4_ThreadIdUserBase(kip), 48);
    CHECK_EQ(L4_PageSizeMask(kip), 0x201000);
    CHECK_EQ(L4_PageRights(kip), 7);
    CHECK_EQ(L4_UtcbAreaSizeLog2(kip), 12);
    CHECK_EQ(L4_UtcbAreaSize(kip), 4096);
    CHECK_EQ(L4_UtcbAlignmentLog2(kip), 10);
    CHECK_EQ(L4_UtcbSize(kip), 1024);
    CHECK_EQ(L4_KipAreaSizeLog2(kip), 12);
    CHECK_EQ(L4_KipAreaSize(kip), 4096);
    CHECK_EQ(L4_ReadPrecision(kip), 1);
    CHECK_EQ(L4_SchedulePrecision(kip), 2);
    CHECK_EQ(L4_BootInfo(kip), 0x123000);
    CHECK_EQ(L4_KernelVersion(kip), 0x00040000);
    CHECK_EQ(L4_KernelSupplier(kip) & 0xFFFFFFFFUL, 0x20614B55UL); /* "UKa " */
    L4_KernelGenDate(kip, &y, &m, &d);
    CHECK(y == 2024 && m == 6 && d == 5);
    CHECK(strcmp(L4_KernelVersionString(kip), "Pecan test kernel") == 0);
    return 1;
}

static int test_kip_features(void)
{
    void *kip = kip_page;
    build_kip();
    CHECK(strcmp(L4_Feature(kip, 0), "feat-a") == 0);
    CHECK(strcmp(L4_Feature(kip, 1), "bb") == 0);
    CHECK(L4_Feature(kip, 2) == 0);
    CHECK(__L4_KipHasFeature(kip, "bb"));
    CHECK(__L4_KipHasFeature(kip, "feat-a"));
    CHECK(!__L4_KipHasFeature(kip, "b"));
    CHECK(!__L4_KipHasFeature(kip, "feat"));
    CHECK(!__L4_KipHasFeature(kip, "feat-ab"));
    CHECK(!__L4_KipHasFeature(kip, "hscheduling"));
    ((char *)kip_page)[0x2A0 + 18] = 0; /* no feature strings at all */
    CHECK(L4_Feature(kip, 0) == 0);
    CHECK(!__L4_KipHasFeature(kip, "tracebuffer"));
    return 1;
}

static int test_kip_descriptors(void)
{
    void *kip = kip_page;
    L4_MemoryDesc_t *md;
    L4_ProcDesc_t *pd;
    build_kip();
    CHECK_EQ(L4_NumProcessors(kip), 2);
    pd = L4_ProcDesc(kip, 1);
    CHECK((char *)pd == (char *)kip + 0x260);
    CHECK_EQ(L4_ProcDescExternalFreq(pd), 133000);
    CHECK_EQ(L4_ProcDescInternalFreq(pd), 3000000);
    CHECK_EQ(L4_ProcDescInternalFreq(L4_ProcDesc(kip, 0)), 2000000);
    CHECK(L4_ProcDesc(kip, 2) == 0);
    CHECK_EQ(L4_NumMemoryDescriptors(kip), 3);
    CHECK(L4_MemoryDesc(kip, 3) == 0);
    md = L4_MemoryDesc(kip, 0);
    CHECK((char *)md == (char *)kip + 0x300);
    CHECK_EQ(L4_MemoryDescType(md), L4_ConventionalMemoryType);
    CHECK_EQ(L4_MemoryDescLow(md), 0);
    CHECK_EQ(L4_MemoryDescHigh(md), 0x9FFFF);
    CHECK(!L4_IsMemoryDescVirtual(md));
    md = L4_MemoryDesc(kip, 1);
    CHECK_EQ(L4_MemoryDescType(md), 0x2E); /* type + subtype * 16 */
    CHECK_EQ(md->X.type, L4_BootLoaderSpecificMemoryType);
    CHECK_EQ(md->X.t, 2);
    CHECK_EQ(L4_MemoryDescLow(md), 0x1000000);
    CHECK_EQ(L4_MemoryDescHigh(md), 0x10FFFFF);
    md = L4_MemoryDesc(kip, 2);
    CHECK(L4_IsMemoryDescVirtual(md));
    CHECK_EQ(L4_MemoryDescType(md), 1);
    CHECK_EQ(L4_MemoryDescHigh(md), 0x7FFFFFFFFFFFUL);
    /* Subtype bits are ignored for ordinary types. */
    md->raw[0] |= 0x30;
    CHECK_EQ(L4_MemoryDescType(md), 1);
    return 1;
}

static int test_kcp(void)
{
    L4_KernelConfigurationPage_t *kcp = (L4_KernelConfigurationPage_t *)kip_page;
    build_kip();
    kip_page[9] = 0xF00000;   /* sigma0 IP */
    kip_page[17] = 0x1000000; /* root server IP */
    kip_page[19] = 0x1100000; /* root server high */
    CHECK_EQ(kcp->sigma0.ip, 0xF00000);
    CHECK_EQ(kcp->root_server.ip, 0x1000000);
    CHECK_EQ(kcp->root_server.high, 0x1100000);
    CHECK_EQ(kcp->MemoryInfo.X.n, 3);
    CHECK_EQ(kcp->BootInfo, 0x123000);
    CHECK_EQ(kcp->Syscalls[4], 0xFFFFFFFFC0800400UL);
    return 1;
}

static int test_bootinfo(void)
{
    static L4_Word_t bi[64];
    char *base = (char *)bi;
    L4_Word_t *w;
    L4_BootRec_t *r;
    L4_Word_t i, seen = 0;
    memset(bi, 0, sizeof bi);
    bi[0] = L4_BOOTINFO_MAGIC;
    bi[1] = 1;
    bi[2] = 0x130;
    bi[3] = 0x40;
    bi[4] = 3;
    w = (L4_Word_t *)(base + 0x40); /* SimpleExec */
    w[0] = L4_BootInfo_SimpleExec, w[1] = 1, w[2] = 0x90;
    for (i = 3; i <= 14; i++)
        w[i] = 0x1000 * i;
    w[15] = 0x80;
    strcpy(base + 0x40 + 0x80, "sigma0");
    w = (L4_Word_t *)(base + 0xD0); /* Module */
    w[0] = L4_BootInfo_Module, w[1] = 1, w[2] = 0x40;
    w[3] = 0x2000000, w[4] = 0x1234, w[5] = 0x30;
    strcpy(base + 0xD0 + 0x30, "mod arg");
    w = (L4_Word_t *)(base + 0x110); /* Multiboot */
    w[0] = L4_BootInfo_Multiboot, w[1] = 1, w[2] = 0x20, w[3] = 0x9000;

    CHECK(L4_BootInfo_Valid(bi));
    CHECK_EQ(L4_BootInfo_Size(bi), 0x130);
    CHECK_EQ(L4_BootInfo_Entries(bi), 3);
    r = L4_BootInfo_FirstEntry(bi);
    CHECK((char *)r == base + 0x40);
    for (i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r)) {
        switch (L4_BootRec_Type(r)) {
        case L4_BootInfo_SimpleExec:
            CHECK_EQ(L4_SimpleExec_TextPstart(r), 0x3000);
            CHECK_EQ(L4_SimpleExec_TextVstart(r), 0x4000);
            CHECK_EQ(L4_SimpleExec_TextSize(r), 0x5000);
            CHECK_EQ(L4_SimpleExec_DataPstart(r), 0x6000);
            CHECK_EQ(L4_SimpleExec_DataVstart(r), 0x7000);
            CHECK_EQ(L4_SimpleExec_DataSize(r), 0x8000);
            CHECK_EQ(L4_SimpleExec_BssPstart(r), 0x9000);
            CHECK_EQ(L4_SimpleExec_BssVstart(r), 0xA000);
            CHECK_EQ(L4_SimpleExec_BssSize(r), 0xB000);
            CHECK_EQ(L4_SimpleExec_InitialIP(r), 0xC000);
            CHECK_EQ(L4_SimpleExec_Flags(r), 0xD000);
            CHECK_EQ(L4_SimpleExec_Label(r), 0xE000);
            L4_SimpleExec_Set_Flags(r, 1);
            L4_SimpleExec_Set_Label(r, 2);
            CHECK(L4_SimpleExec_Flags(r) == 1 && L4_SimpleExec_Label(r) == 2);
            CHECK(strcmp(L4_SimpleExec_Cmdline(r), "sigma0") == 0);
            seen |= 1;
            break;
        case L4_BootInfo_Module:
            CHECK_EQ(L4_Module_Start(r), 0x2000000);
            CHECK_EQ(L4_Module_Size(r), 0x1234);
            CHECK(strcmp(L4_Module_Cmdline(r), "mod arg") == 0);
            seen |= 2;
            break;
        case L4_BootInfo_Multiboot:
            CHECK_EQ(L4_MBI_Address(r), 0x9000);
            seen |= 4;
            break;
        default:
            CHECK(!"unexpected record type");
        }
    }
    CHECK_EQ(seen, 7);
    ((L4_Word_t *)(base + 0xD0))[5] = 0;
    CHECK(L4_Module_Cmdline((L4_BootRec_t *)(base + 0xD0)) == 0);
    bi[1] = 2;
    CHECK(!L4_BootInfo_Valid(bi));
    bi[1] = 1;
    bi[0] = 0x1D02B014UL;
    CHECK(!L4_BootInfo_Valid(bi));
    return 1;
}

static int test_sigma0_tag(void)
{
    /* The sigma0 label must be the full sign-extended -6 << 4 (protocols.md). */
    L4_MsgTag_t t;
    t.raw = __L4_SIGMA0_TAG(2);
    CHECK_EQ(t.X.label, 0xFFFFFFFFFFA0UL);
    CHECK_EQ(t.X.u, 2);
    CHECK_EQ(t.raw & ~((1UL << 20) - 1), (L4_Word_t)-6 << 20);
    return 1;
}

static int test_constants(void)
{
    CHECK_EQ(L4_SCHEDRESULT_ERROR, 0);
    CHECK_EQ(L4_SCHEDRESULT_RECEIVING, 7);
    CHECK_EQ(L4_ErrNoPrivilege, 1);
    CHECK_EQ(L4_ErrNoMem, 8);
    CHECK_EQ(L4_ExReg_Deliver | L4_ExReg_haltflag | L4_ExReg_Halt, 0x301);
    CHECK_EQ(L4_SharedMemoryType, 4);
    CHECK_EQ(L4_UseDefaultCacheLineAllocation.raw, 0);
    return 1;
}


int main(void)
{
    static const libl4_case_t cases[] = {
        { "kip_fields", test_kip_fields },
        { "kip_features", test_kip_features },
        { "kip_descriptors", test_kip_descriptors },
        { "kcp", test_kcp },
        { "bootinfo", test_bootinfo },
        { "sigma0_tag", test_sigma0_tag },
        { "constants", test_constants },
    };
    return libl4_run("libl4_kip", cases, sizeof cases / sizeof cases[0]);
}
