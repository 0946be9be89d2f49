/* SPDX-License-Identifier: BSD-2-Clause */
/* test_libl4 — host unit tests of libl4's pure helpers (no kernel needed):
 * ids, fpages, tags, time, items, messages, virtual registers. */
#include "libl4_check.h"

static int test_sizes(void)
{
    CHECK_EQ(sizeof(L4_Word_t), 8);
    CHECK_EQ(sizeof(L4_ThreadId_t), 8);
    CHECK_EQ(sizeof(L4_Fpage_t), 8);
    CHECK_EQ(sizeof(L4_MsgTag_t), 8);
    CHECK_EQ(sizeof(L4_Clock_t), 8);
    CHECK_EQ(sizeof(L4_Time_t), 2);
    CHECK_EQ(sizeof(L4_Acceptor_t), 8);
    CHECK_EQ(sizeof(L4_MapItem_t), 16);
    CHECK_EQ(sizeof(L4_GrantItem_t), 16);
    CHECK_EQ(sizeof(L4_StringItem_t), 16);
    CHECK_EQ(sizeof(L4_MsgBuffer_t), 256);
    CHECK_EQ(sizeof(L4_Msg_t), 512);
    CHECK_EQ(sizeof(L4_MemoryDesc_t), 16);
    CHECK_EQ(sizeof(L4_ProcDesc_t), 32);
    CHECK_EQ(sizeof(L4_KernelInterfacePage_t), 0x240);
    return 1;
}

static int test_threadid(void)
{
    L4_ThreadId_t t = L4_GlobalId(48, 1), l;
    CHECK_EQ(t.raw, 0x0000003000000001UL);
    CHECK_EQ(L4_ThreadNo(t), 48);
    CHECK_EQ(L4_Version(t), 1);
    CHECK_EQ(t.global.X.thread_no, 48);
    CHECK_EQ(t.global.X.version, 1);
    CHECK(L4_IsGlobalId(t) && !L4_IsLocalId(t));
    CHECK_EQ(L4_GlobalId(0xFFFFFFFFUL, 0x12345678UL).raw, 0xFFFFFFFF12345678UL);
    l.raw = 0xBF000200UL;
    CHECK(L4_IsLocalId(l) && !L4_IsGlobalId(l));
    CHECK_EQ(l.local.X.local_id, 0xBF000200UL >> 6);
    CHECK_EQ(L4_nilthread.raw, 0);
    CHECK_EQ(L4_anythread.raw, ~0UL);
    CHECK_EQ(L4_anylocalthread.raw, 0xFFFFFFFFFFFFFFC0UL);
    CHECK(L4_IsGlobalId(L4_anythread));
    CHECK(L4_IsLocalId(L4_anylocalthread));
    CHECK(L4_IsNilThread(L4_nilthread) && !L4_IsNilThread(t));
    CHECK(L4_IsThreadEqual(t, L4_GlobalId(48, 1)));
    CHECK(L4_IsThreadNotEqual(t, L4_GlobalId(48, 2)));
    return 1;
}

static int test_fpage(void)
{
    L4_Fpage_t f = L4_Fpage(0x1000, 4096), g;
    CHECK_EQ(f.raw, 0x10C0);
    CHECK_EQ(L4_SizeLog2(f), 12);
    CHECK_EQ(L4_Size(f), 4096);
    CHECK_EQ(L4_Address(f), 0x1000);
    CHECK_EQ(L4_Rights(f), 0);
    CHECK_EQ(L4_SizeLog2(L4_Fpage(0x2000, 5000)), 13);
    CHECK_EQ(L4_SizeLog2(L4_Fpage(0, 1)), 0);
    f = L4_FpageLog2(0x12345678, 16); /* unaligned base kept, masked by Address */
    CHECK_EQ(f.raw, (0x12345678UL & ~0x3F7UL) | (16 << 4));
    CHECK_EQ(L4_Address(f), 0x12340000);
    CHECK_EQ(L4_FpageLog2(~0UL, 12).raw & 0xF, 0x8); /* bit 3 survives */
    CHECK(L4_FpageLog2(~0UL, 12).X.extended);
    CHECK_EQ(L4_Nilpage.raw, 0);
    CHECK(L4_IsNilFpage(L4_Nilpage));
    CHECK_EQ(L4_Size(L4_Nilpage), 0);
    CHECK_EQ(L4_CompleteAddressSpace.raw, 0x10);
    CHECK_EQ(L4_Address(L4_CompleteAddressSpace), 0);
    f = L4_FpageLog2(0x200000, 21);
    L4_Set_Rights(&f, L4_ReadWriteOnly);
    CHECK_EQ(L4_Rights(f), 6);
    CHECK_EQ(L4_Rights(L4_FpageAddRights(f, L4_eXecutable)), 7);
    CHECK_EQ(L4_Rights(L4_FpageRemoveRights(f, L4_Writable)), 4);
    g = f;
    CHECK_EQ(L4_FpageAddRightsTo(&g, L4_FullyAccessible).raw, g.raw);
    CHECK_EQ(L4_Rights(g), 7);
    CHECK_EQ(L4_Rights(L4_FpageRemoveRightsFrom(&g, L4_ReadeXecOnly)), 2);
    CHECK(L4_WasWritten(g) && !L4_WasReferenced(g) && !L4_WaseXecuted(g));
    CHECK(L4_WasReferenced(f) && !L4_WaseXecuted(f));
    CHECK_EQ(L4_Readable | L4_Writable | L4_eXecutable, L4_FullyAccessible);
    CHECK_EQ(L4_NoAccess, 0);
    return 1;
}

static int test_io_fpage(void)
{
    L4_Fpage_t f = L4_IoFpage(0x3F8, 8);
    CHECK_EQ(f.raw, (0x3F8UL << 16) | (3 << 10) | (2 << 4));
    CHECK(L4_IsIoFpage(f));
    CHECK(!L4_IsIoFpage(L4_Fpage(0x1000, 4096)));
    CHECK_EQ(L4_IoFpagePort(f), 0x3F8);
    CHECK_EQ(L4_IoFpageSizeLog2(f), 3);
    CHECK_EQ(L4_IoFpageSize(f), 8);
    CHECK_EQ(L4_IoFpageLog2(0x60, 0).raw, (0x60UL << 16) | 0x20);
    CHECK_EQ(L4_IoFpageSizeLog2(L4_IoFpage(0, 5)), 3);
    CHECK_EQ(L4_IoFpageSizeLog2(L4_IoFpage(0x70, 1)), 0);
    CHECK_EQ(L4_IoFpage(0, 65536).raw, (16UL << 10) | 0x20);
    CHECK_EQ(L4_Rights(f), L4_NoAccess);            /* as Pistachio: no rights */
    /* The field view (Pistachio's L4_IoFpage_t) matches the accessors. */
    L4_IoFpage_t io;
    io.raw = L4_IoFpageLog2(0x1F0, 3).raw;
    CHECK_EQ(io.X.p, 0x1F0);
    CHECK_EQ(io.X.s, 3);
    CHECK_EQ(io.X.__two, 2);
    CHECK_EQ(io.X.rwx, 0);
    io.X.rwx = L4_FullyAccessible;
    CHECK_EQ(io.raw, (0x1F0UL << 16) | (3 << 10) | 0x27);
    CHECK(L4_IsIoFpage((L4_Fpage_t){ .raw = io.raw }));
    CHECK(!L4_IsIoFpage(L4_CompleteAddressSpace) && !L4_IsIoFpage(L4_Nilpage));
    return 1;
}

static int test_msgtag(void)
{
    L4_MsgTag_t t = L4_Niltag;
    CHECK_EQ(t.raw, 0);
    t.X.u = 3;
    t.X.t = 6;
    L4_Set_Label(&t, 0x1234);
    CHECK_EQ(t.raw, (0x1234UL << 16) | (6 << 6) | 3);
    CHECK_EQ(L4_Label(t), 0x1234);
    CHECK_EQ(L4_UntypedWords(t), 3);
    CHECK_EQ(L4_TypedWords(t), 6);
    CHECK_EQ(L4_Label(L4_MsgTagAddLabel(t, 0xFFFFFFFFFFA0UL)), 0xFFFFFFFFFFA0UL);
    CHECK_EQ(L4_MsgTagAddLabel(t, 7).raw, (7UL << 16) | (6 << 6) | 3);
    CHECK_EQ(L4_MsgTagAddLabelTo(&t, 9).raw, t.raw);
    CHECK_EQ(L4_Label(t), 9);
    CHECK(L4_IsMsgTagEqual(t, t) && !L4_IsMsgTagNotEqual(t, t));
    CHECK(L4_IsMsgTagNotEqual(t, L4_Niltag));
    CHECK(L4_IpcSucceeded(t) && !L4_IpcFailed(t));
    t.raw |= 1UL << 15;
    CHECK(L4_IpcFailed(t) && !L4_IpcSucceeded(t));
    t.raw = 1UL << 12;
    CHECK(L4_IpcPropagated(t) && !L4_IpcRedirected(t) && !L4_IpcXcpu(t));
    t.raw = 1UL << 13;
    CHECK(L4_IpcRedirected(t));
    t.raw = 1UL << 14;
    CHECK(L4_IpcXcpu(t));
    t.raw = 0xF000 | 5;
    L4_Set_Propagation(&t);
    CHECK_EQ(t.raw, 0x1000 | 5); /* Pistachio semantics: flags := p */
    return 1;
}

static int test_ipc_error(void)
{
    L4_Word_t code = 99;
    CHECK_EQ(L4_IpcError(0x3, &code), L4_ErrRecvPhase);
    CHECK_EQ(code, L4_ErrTimeout);
    CHECK_EQ(L4_IpcError(0x2, &code), L4_ErrSendPhase);
    CHECK_EQ(code, L4_ErrTimeout);
    CHECK_EQ(L4_IpcError(0x7, &code), 1);
    CHECK_EQ(code, L4_ErrCanceled);
    CHECK_EQ(L4_IpcError((252UL << 4) | 0x9, &code), 1);
    CHECK_EQ(code, L4_ErrMsgOverflow);
    CHECK_EQ(L4_IpcErrorOffset((252UL << 4) | 0x9), 252);
    CHECK_EQ(L4_IpcError(0xE, 0), 0);
    CHECK(strcmp(L4_ErrorCode_String(L4_ErrNoPrivilege), "no privilege") == 0);
    CHECK(strcmp(L4_ErrorCode_String(L4_ErrNoMem), "out of memory") == 0);
    CHECK(strcmp(L4_ErrorCode_String(1234), "unknown error") == 0);
    return 1;
}

static int test_time_period(void)
{
    volatile L4_Word64_t zero = 0, big = 1ULL << 31, huge = 1ULL << 41;
    CHECK_EQ(L4_Never.raw, 0);
    CHECK_EQ(L4_ZeroTime.raw, 0x0400);
    CHECK_EQ(L4_TimePeriod(0).raw, L4_Never.raw); /* the quirk */
    CHECK_EQ(L4_TimePeriod(zero).raw, 0);
    CHECK_EQ(L4_TimePeriod(1).raw, 1);
    CHECK_EQ(L4_TimePeriod(1000).raw, 1000);
    CHECK_EQ(L4_TimePeriod(1023).raw, 1023);
    CHECK_EQ(L4_TimePeriod(1024).raw, (1 << 10) | 512);
    CHECK_EQ(L4_TimePeriod(10000).raw, (4 << 10) | 625); /* 10 ms = 625 * 2^4 */
    CHECK_EQ(L4_TimePeriod(1000001).raw, (10 << 10) | 976); /* truncates */
    /* Constants >= 2^31 µs give Never; the run-time loop goes to e = 31. */
    CHECK_EQ(L4_TimePeriod(1ULL << 31).raw, 0);
    CHECK_EQ(L4_TimePeriod(big).raw, (22 << 10) | 512);
    CHECK_EQ(L4_TimePeriod((1ULL << 31) - 1).raw, (21 << 10) | 1023);
    CHECK_EQ(L4_TimePeriod(huge).raw, 0);
    CHECK_EQ(__L4_TimePeriod((1ULL << 41) - 1).raw, (31 << 10) | 1023);
    {
        L4_Time_t t = L4_TimePeriod(10000);
        CHECK_EQ(t.period.m, 625);
        CHECK_EQ(t.period.e, 4);
        CHECK_EQ(t.period.a, 0);
    }
    return 1;
}

static int test_timeouts(void)
{
    CHECK_EQ(L4_Timeouts(L4_Never, L4_Never), 0);
    CHECK_EQ(L4_Timeouts(L4_Never, L4_ZeroTime), 0x400);
    CHECK_EQ(L4_Timeouts(L4_ZeroTime, L4_Never), 0x04000000);
    CHECK_EQ(L4_Timeouts(L4_TimePeriod(1000), L4_TimePeriod(5)), (1000UL << 16) | 5);
    return 1;
}

static int test_time_arith(void)
{
    L4_Time_t a = L4_TimePeriod(1000), b = L4_TimePeriod(24), t;
    CHECK_EQ(L4_TimeAddUsec(a, 24).raw, L4_TimePeriod(1024).raw);
    CHECK_EQ(L4_TimeAdd(a, b).raw, L4_TimePeriod(1024).raw);
    CHECK_EQ(L4_TimeSubUsec(a, 1000).raw, L4_ZeroTime.raw);
    CHECK_EQ(L4_TimeSubUsec(a, 5000).raw, L4_ZeroTime.raw);
    CHECK_EQ(L4_TimeSub(a, b).raw, L4_TimePeriod(976).raw);
    CHECK_EQ(L4_TimeAdd(a, L4_Never).raw, L4_Never.raw);
    CHECK_EQ(L4_TimeAddUsec(L4_Never, 5).raw, L4_Never.raw);
    CHECK_EQ(L4_TimeSub(a, L4_Never).raw, L4_ZeroTime.raw);
    CHECK_EQ(L4_TimeAddUsec(L4_ZeroTime, 7).raw, 7);
    t = a;
    CHECK_EQ(L4_TimeAddUsecTo(&t, 24).raw, t.raw);
    CHECK_EQ(t.raw, L4_TimePeriod(1024).raw);
    CHECK_EQ(L4_TimeSubUsecFrom(&t, 24).raw, L4_TimePeriod(1000).raw);
    CHECK_EQ(L4_TimeAddTo(&t, b).raw, L4_TimePeriod(1024).raw);
    CHECK_EQ(L4_TimeSubFrom(&t, b).raw, L4_TimePeriod(1000).raw);
    CHECK(L4_IsTimeLonger(L4_Never, a) && L4_IsTimeShorter(L4_ZeroTime, a));
    CHECK(L4_IsTimeLonger(a, b) && !L4_IsTimeShorter(a, b));
    CHECK(L4_IsTimeEqual(L4_TimePeriod(1024), __L4_TimeMake(256, 2))); /* same µs */
    CHECK(L4_IsTimeNotEqual(a, b));
    return 1;
}

static int test_time_point(void)
{
    L4_Clock_t now = { .raw = 1000000 }, at;
    L4_Time_t t;
    at.raw = now.raw + 500; /* fits with e = 0 */
    t = __L4_TimePointAt(at, now);
    CHECK_EQ(t.point.a, 1);
    CHECK_EQ(t.point.e, 0);
    CHECK_EQ(t.point.m, at.raw & 0x3FF);
    CHECK_EQ(t.point.c, (at.raw >> 10) & 1);
    at.raw = now.raw + 3000000; /* 3 s: needs e = 11 */
    t = __L4_TimePointAt(at, now);
    CHECK_EQ(t.point.e, 11);
    CHECK_EQ(t.point.m, (at.raw >> 11) & 0x3FF);
    CHECK_EQ(t.point.c, (at.raw >> 21) & 1);
    CHECK_EQ(__L4_TimePointAt(now, now).raw, L4_ZeroTime.raw);
    at.raw = now.raw + 100000000; /* 100 s: not representable */
    CHECK_EQ(__L4_TimePointAt(at, now).raw, L4_Never.raw);
    return 1;
}

static int test_clock(void)
{
    L4_Clock_t c = { .raw = 0x100000000ULL }, d;
    CHECK_EQ(c.X.low, 0);
    CHECK_EQ(c.X.high, 1);
    d = L4_ClockAddUsec(c, 5);
    CHECK_EQ(d.raw, 0x100000005ULL);
    CHECK_EQ(L4_ClockSubUsec(d, 6).raw, 0xFFFFFFFFULL);
    CHECK(L4_IsClockEarlier(c, d) && L4_IsClockLater(d, c));
    CHECK(L4_IsClockEqual(c, c) && L4_IsClockNotEqual(c, d));
    return 1;
}

static int test_map_grant_items(void)
{
    L4_Fpage_t f = L4_FpageLog2(0x400000, 22);
    L4_MapItem_t m;
    L4_GrantItem_t g;
    L4_Set_Rights(&f, L4_FullyAccessible);
    m = L4_MapItem(f, 0x12345678);
    CHECK_EQ(m.raw[0], 0x12345400UL | 0x8);
    CHECK_EQ(m.raw[1], f.raw);
    CHECK(L4_IsMapItem(m));
    CHECK_EQ(L4_MapItemSndFpage(m).raw, f.raw);
    CHECK_EQ(L4_MapItemSndBase(m), 0x12345400);
    CHECK_EQ(m.X.snd_base, 0x12345400UL >> 10);
    CHECK_EQ(m.X.C, 0);
    g = L4_GrantItem(f, 0x1000);
    CHECK_EQ(g.raw[0], 0x100A);
    CHECK(L4_IsGrantItem(g));
    CHECK_EQ(L4_GrantItemSndFpage(g).raw, f.raw);
    CHECK_EQ(L4_GrantItemSndBase(g), 0x1000);
    m.raw[0] = 0xA;
    CHECK(!L4_IsMapItem(m));
    g.raw[0] = 0x8;
    CHECK(!L4_IsGrantItem(g));
    return 1;
}

static int test_string_items(void)
{
    static char a[16], b[16], c[16];
    L4_Word_t buf[8] = { 0 };
    L4_StringItem_t *s = (L4_StringItem_t *)buf, add = L4_StringItem(7, c);
    *s = L4_StringItem(16, a);
    CHECK_EQ(buf[0], 16UL << 10);
    CHECK_EQ(buf[1], (L4_Word_t)a);
    CHECK(L4_IsStringItem(s));
    CHECK(!L4_CompoundString(s));
    CHECK_EQ(L4_Substrings(s), 1);
    CHECK(L4_Substring(s, 1) == a);
    CHECK(L4_Substring(s, 2) == 0);
    L4_AddSubstringAddressTo(s, b); /* same length, j becomes 1 */
    CHECK_EQ(buf[0], (16UL << 10) | (1 << 4));
    CHECK_EQ(buf[2], (L4_Word_t)b);
    CHECK_EQ(L4_Substrings(s), 2);
    CHECK(L4_Substring(s, 2) == b);
    L4_AddSubstringTo(s, &add); /* new item chained with c */
    CHECK(L4_CompoundString(s));
    CHECK_EQ(buf[3], 7UL << 10);
    CHECK_EQ(buf[4], (L4_Word_t)c);
    CHECK_EQ(L4_Substrings(s), 3);
    CHECK(L4_Substring(s, 3) == c);
    CHECK_EQ(__L4_StringItemWords(s), 5);
    {
        L4_StringItem_t h = L4_AddCacheAllocationHint(*s, L4_AllocateNewCacheLines);
        CHECK_EQ(h.raw[0] & 0xF, 0x2);
        CHECK(L4_IsStringItem(&h));
        CHECK(L4_IsCacheAllocationHintEqual(L4_CacheAllocationHint(h), L4_AllocateNewCacheLines));
        CHECK(L4_IsCacheAllocationHintNotEqual(L4_CacheAllocationHint(*s),
                                               L4_AllocateNewCacheLines));
        CHECK_EQ(L4_CacheAlloctionHint(h).raw, 2);
        L4_AddCacheAllocationHintTo(&h, L4_UseDefaultCacheLineAllocation);
        CHECK_EQ(h.raw[0] & 0xF, 0);
    }
    {
        L4_MapItem_t m = L4_MapItem(L4_Nilpage, 0);
        CHECK(!L4_IsStringItem((L4_StringItem_t *)&m));
    }
    return 1;
}

static int test_acceptor(void)
{
    L4_Acceptor_t a = L4_MapGrantItems(L4_CompleteAddressSpace), b;
    L4_Fpage_t win = L4_FpageLog2(0x40000000, 30);
    CHECK_EQ(a.raw, 0x10);
    CHECK(L4_HasMapGrantItems(a) && !L4_HasStringItems(a));
    CHECK_EQ(L4_UntypedWordsAcceptor.raw, 0);
    CHECK_EQ(L4_StringItemsAcceptor.raw, 1);
    CHECK_EQ(L4_CtrlXferAcceptor.raw, 2);
    L4_Set_Rights(&win, L4_FullyAccessible);
    CHECK_EQ(L4_MapGrantItems(win).raw, 0x40000000UL | (30 << 4));
    CHECK_EQ(L4_RcvWindow(L4_MapGrantItems(win)).raw, 0x40000000UL | (30 << 4));
    b = L4_AddAcceptor(a, L4_StringItemsAcceptor);
    CHECK_EQ(b.raw, 0x11);
    CHECK(L4_HasStringItems(b) && L4_HasMapGrantItems(b));
    CHECK_EQ(L4_AddAcceptor(b, L4_MapGrantItems(win)).raw, 0x40000000UL | (30 << 4) | 1);
    CHECK_EQ(L4_RemoveAcceptor(b, L4_StringItemsAcceptor).raw, 0x10);
    CHECK_EQ(L4_RemoveAcceptor(b, L4_MapGrantItems(win)).raw, 0x1); /* window removed */
    CHECK_EQ(L4_AddAcceptorTo(&a, L4_StringItemsAcceptor).raw, 0x11);
    CHECK_EQ(L4_RemoveAcceptorFrom(&a, L4_MapGrantItems(L4_CompleteAddressSpace)).raw, 1);
    CHECK_EQ(a.raw, 1);
    CHECK(L4_IsNilFpage(L4_RcvWindow(a)));
    return 1;
}

static int test_msg_object(void)
{
    L4_Msg_t msg;
    L4_MapItem_t m = L4_MapItem(L4_FpageLog2(0x1000, 12), 0x1000), m2;
    L4_GrantItem_t g;
    L4_Word_t w, ut[2] = { 0x11, 0x22 }, items[2], ut2[4];
    memset(&msg, 0xAB, sizeof msg);
    L4_MsgClear(&msg);
    CHECK_EQ(msg.raw[0], 0);
    L4_MsgAppendWord(&msg, 0x11);
    L4_MsgAppendMapItem(&msg, m);
    CHECK_EQ(msg.tag.X.u, 1);
    CHECK_EQ(msg.tag.X.t, 2);
    L4_MsgAppendWord(&msg, 0x22); /* typed words move up */
    CHECK_EQ(msg.tag.X.u, 2);
    CHECK_EQ(msg.msg[1], 0x11);
    CHECK_EQ(msg.msg[2], 0x22);
    CHECK_EQ(msg.msg[3], m.raw[0]);
    CHECK_EQ(msg.msg[4], m.raw[1]);
    CHECK_EQ(L4_MsgWord(&msg, 1), 0x22);
    L4_MsgGetWord(&msg, 0, &w);
    CHECK_EQ(w, 0x11);
    L4_MsgPutWord(&msg, 1, 0x33);
    CHECK_EQ(L4_MsgWord(&msg, 1), 0x33);
    CHECK_EQ(L4_MsgGetMapItem(&msg, 0, &m2), 2);
    CHECK(m2.raw[0] == m.raw[0] && m2.raw[1] == m.raw[1]);
    L4_MsgPutGrantItem(&msg, 0, L4_GrantItem(L4_Nilpage, 0x2000));
    CHECK_EQ(L4_MsgGetGrantItem(&msg, 0, &g), 2);
    CHECK(L4_IsGrantItem(g));
    L4_MsgPutMapItem(&msg, 0, m);
    L4_Set_MsgLabel(&msg, 0xBEEF);
    CHECK_EQ(L4_MsgLabel(&msg), 0xBEEF);
    CHECK_EQ(L4_MsgMsgTag(&msg).raw, (0xBEEFUL << 16) | (2 << 6) | 2);
    L4_Set_MsgMsgTag(&msg, L4_Niltag);
    CHECK_EQ(msg.tag.raw, 0);
    L4_MsgPut(&msg, 0x42, 2, ut, 2, m.raw);
    CHECK_EQ(msg.tag.raw, (0x42UL << 16) | (2 << 6) | 2);
    CHECK_EQ(msg.msg[2], 0x22);
    L4_MsgGet(&msg, ut2, items);
    CHECK(ut2[0] == 0x11 && ut2[1] == 0x22 && items[0] == m.raw[0] && items[1] == m.raw[1]);
    {
        static char s1[8];
        L4_StringItem_t s = L4_StringItem(8, s1), out[2];
        L4_MsgClear(&msg);
        L4_MsgAppendSimpleStringItem(&msg, s);
        L4_MsgAppendStringItem(&msg, &s);
        CHECK_EQ(msg.tag.X.t, 4);
        CHECK_EQ(L4_MsgGetStringItem(&msg, 2, out), 2);
        CHECK(out[0].X.str.string_ptr == s1 && out[0].X.string_length == 8);
        L4_MsgPutSimpleStringItem(&msg, 0, L4_StringItem(3, s1));
        L4_MsgPutStringItem(&msg, 2, &s);
        CHECK_EQ(msg.msg[1], 3UL << 10);
        CHECK_EQ(msg.msg[3], 8UL << 10);
    }
    return 1;
}

static int test_msg_buffer(void)
{
    static char r1[32], r2[32], r3[32];
    L4_MsgBuffer_t b;
    L4_Word_t cbuf[4] = { 0 };
    L4_StringItem_t *cs = (L4_StringItem_t *)cbuf;
    L4_MsgBufferClear(&b);
    CHECK_EQ(__L4_MsgBufferWords(&b), 0);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(32, r1));
    CHECK_EQ(__L4_MsgBufferWords(&b), 2);
    CHECK_EQ(b.raw[0], 32UL << 10);
    *cs = L4_StringItem(16, r2);
    L4_AddSubstringAddressTo(cs, r3);
    L4_MsgBufferAppendRcvString(&b, cs);
    CHECK_EQ(b.raw[0], (32UL << 10) | 1); /* C: another logical buffer follows */
    CHECK_EQ(b.raw[2], (16UL << 10) | (1 << 4));
    CHECK_EQ(b.raw[3], (L4_Word_t)r2);
    CHECK_EQ(b.raw[4], (L4_Word_t)r3);
    CHECK_EQ(__L4_MsgBufferWords(&b), 5);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(4, r1));
    CHECK_EQ(b.raw[2] & 1, 1);
    CHECK_EQ(b.raw[0] & 1, 1);
    CHECK_EQ(b.raw[5] & 1, 0);
    CHECK_EQ(__L4_MsgBufferWords(&b), 7);
    return 1;
}

static int test_mr_br(void)
{
    L4_Word_t in[5] = { 1, 2, 3, 4, 5 }, out[5] = { 0 }, w;
    int i;
    memset(utcb_block, 0, sizeof utcb_block);
    L4_LoadMR(0, 0xAA);
    CHECK_EQ(P(0), 0xAA);
    L4_LoadMRs(60, 4, in);
    CHECK(P(60) == 1 && P(63) == 4);
    L4_StoreMRs(60, 4, out);
    CHECK(out[0] == 1 && out[3] == 4);
    L4_StoreMR(61, &w);
    CHECK_EQ(w, 2);
    L4_LoadBR(0, 0x10);
    CHECK_EQ(P(-16), 0x10); /* BR0 at p - 128 bytes */
    L4_LoadBRs(1, 5, in);
    for (i = 0; i < 5; i++)
        CHECK_EQ(P(-17 - i), in[i]); /* BR1 at p - 136, growing downwards */
    L4_LoadBR(32, 0x32);
    CHECK_EQ(P(-48), 0x32); /* BR32 at p - 384 */
    L4_StoreBRs(1, 5, out);
    CHECK(out[0] == 1 && out[4] == 5);
    L4_StoreBR(0, &w);
    CHECK_EQ(w, 0x10);
    L4_Set_MsgTag(L4_MsgTagAddLabel(L4_Niltag, 5));
    CHECK_EQ(L4_MsgTag().raw, 5UL << 16);
    L4_Accept(L4_StringItemsAcceptor);
    CHECK_EQ(P(-16), 1);
    CHECK_EQ(L4_Accepted().raw, 1);
    {
        static char r[8];
        L4_MsgBuffer_t b;
        L4_MsgBufferClear(&b);
        L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(8, r));
        L4_AcceptStrings(L4_StringItemsAcceptor, &b);
        CHECK_EQ(P(-16), 1);
        CHECK_EQ(P(-17), 8UL << 10);
        CHECK_EQ(P(-18), (L4_Word_t)r);
    }
    {
        L4_Msg_t msg, back;
        L4_Word_t ut[3] = { 7, 8, 9 };
        L4_MsgPut(&msg, 3, 3, ut, 0, 0);
        L4_MsgLoad(&msg);
        CHECK(P(0) == msg.raw[0] && P(1) == 7 && P(3) == 9);
        L4_MsgStore(L4_MsgTag(), &back);
        CHECK(back.raw[0] == msg.raw[0] && back.msg[3] == 9);
    }
    return 1;
}

static int test_tcrs(void)
{
    memset(utcb_block, 0, sizeof utcb_block);
    P(-15) = L4_GlobalId(50, 1).raw;
    CHECK_EQ(L4_MyGlobalId().raw, L4_GlobalId(50, 1).raw); /* p - 120 */
    CHECK_EQ(L4_Myself().raw, L4_GlobalId(50, 1).raw);
    CHECK_EQ(L4_MyLocalId().raw, (L4_Word_t)&P(0));
    P(-14) = 3;
    CHECK_EQ(L4_ProcessorNo(), 3); /* p - 112 */
    L4_Set_UserDefinedHandle(0x77);
    CHECK_EQ(P(-13), 0x77); /* p - 104 */
    CHECK_EQ(L4_UserDefinedHandle(), 0x77);
    L4_Set_Pager(L4_GlobalId(48, 1));
    CHECK_EQ(P(-12), L4_GlobalId(48, 1).raw); /* p - 96 */
    CHECK_EQ(L4_Pager().raw, L4_GlobalId(48, 1).raw);
    L4_Set_ExceptionHandler(L4_GlobalId(49, 1));
    CHECK_EQ(P(-11), L4_GlobalId(49, 1).raw); /* p - 88 */
    CHECK_EQ(L4_ExceptionHandler().raw, L4_GlobalId(49, 1).raw);
    P(-9) = 0x3;
    CHECK_EQ(L4_ErrorCode(), 3); /* p - 72 */
    L4_Set_XferTimeouts(0x12345678);
    CHECK_EQ(P(-8), 0x12345678); /* p - 64 */
    CHECK_EQ(L4_XferTimeouts(), 0x12345678);
    P(-7) = 0x55;
    CHECK_EQ(L4_IntendedReceiver().raw, 0x55); /* p - 56 */
    L4_Set_VirtualSender(L4_GlobalId(60, 1));
    CHECK_EQ(P(-6), L4_GlobalId(60, 1).raw); /* p - 48 */
    CHECK_EQ(L4_ActualSender().raw, L4_GlobalId(60, 1).raw);
    __L4_TCR_Set_ThreadWord(0, 0xA0);
    __L4_TCR_Set_ThreadWord(1, 0xA1);
    CHECK(P(-4) == 0xA0 && P(-5) == 0xA1); /* p - 32, p - 40 */
    CHECK_EQ(__L4_TCR_ThreadWord(1), 0xA1);
    L4_Reset_WordSizeMask();
    CHECK_EQ(P(-1), ~0UL);
    CHECK_EQ(L4_WordSizeMask(), ~0UL);
    /* Coprocessor flags: bit 8 + n of word -10 (p - 80). */
    L4_Set_CopFlag(2);
    CHECK_EQ(P(-10), 1UL << 10);
    L4_Clr_CopFlag(2);
    CHECK_EQ(P(-10), 0);
    return 1;
}

static int test_preemption_flags(void)
{
    memset(utcb_block, 0, sizeof utcb_block);
    /* amd64 quirk: EnablePreemption sets bit 6 (d), Disable clears it. */
    CHECK_EQ(L4_EnablePreemption(), 0);
    CHECK_EQ(P(-10), 1UL << 6);
    CHECK_EQ(L4_EnablePreemption(), 1);
    CHECK_EQ(L4_DisablePreemption(), 1);
    CHECK_EQ(P(-10), 0);
    CHECK_EQ(L4_EnablePreemptionFaultException(), 0);
    CHECK_EQ(P(-10), 1UL << 5);
    CHECK_EQ(L4_DisablePreemptionFaultException(), 1);
    CHECK_EQ(P(-10), 0);
    P(-10) = 0x80 | 0x300; /* pending, plus cop flags that must survive */
    CHECK_EQ(L4_PreemptionPending(), 1);
    CHECK_EQ(P(-10), 0x300);
    CHECK_EQ(L4_PreemptionPending(), 0);
    return 1;
}


int main(void)
{
    static const libl4_case_t cases[] = {
        { "sizes", test_sizes },
        { "threadid", test_threadid },
        { "fpage", test_fpage },
        { "io_fpage", test_io_fpage },
        { "msgtag", test_msgtag },
        { "ipc_error", test_ipc_error },
        { "time_period", test_time_period },
        { "timeouts", test_timeouts },
        { "time_arith", test_time_arith },
        { "time_point", test_time_point },
        { "clock", test_clock },
        { "map_grant_items", test_map_grant_items },
        { "string_items", test_string_items },
        { "acceptor", test_acceptor },
        { "msg_object", test_msg_object },
        { "msg_buffer", test_msg_buffer },
        { "mr_br", test_mr_br },
        { "tcrs", test_tcrs },
        { "preemption_flags", test_preemption_flags },
    };
    return libl4_run("libl4", cases, sizeof cases / sizeof cases[0]);
}
