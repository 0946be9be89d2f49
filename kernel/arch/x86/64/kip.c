/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 values of the KIP.
 *
 * UTCBs are 1 KiB (a = 10, m = 1) in areas of at least 4 KiB; pages are
 * 4 KiB, 2 MiB and, if the CPU has them, 1 GiB; rwx are all distinguished
 * when the CPU has NX.  The system-call entries are 32-byte slots in the
 * user window, in KIP order.
 */
#include <arch/kip.h>
#include <arch/apic.h>
#include <arch/pgtable.h>
#include <mode/layout.h>


extern uint32_t boot_has_nx;

word_t arch_kip_utcb_info(void)
{
    return 1 | (10 << 10) | (12 << 16);
}

word_t arch_kip_page_info(void)
{
    return pgt_page_sizes() | (boot_has_nx ? 7 : 6);
}

unsigned arch_kip_procdesc_log2(void)
{
    return 5;
}

word_t arch_kip_schedule_precision(void)
{
    return TIMER_TICK_US;
}

word_t arch_kip_syscall_entry(unsigned i)
{
    return USER_STUBS_VA + i * STUB_SLOT_SIZE;
}
