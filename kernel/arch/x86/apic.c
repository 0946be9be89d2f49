/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC timer and the TSC clock.
 *
 * Both are calibrated once against the PIT: a 10 ms PIT interval gives the
 * TSC frequency (the KIP's processor frequency and SystemClock) and the APIC
 * timer's count rate, from which the periodic tick is programmed.  Under QEMU
 * with -icount the PIT runs on virtual time, so the figures are exact there.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/idt.h>
#include <arch/pgtable.h>
#include <plat/platform.h>
#include <kernel/console.h>
#include <kernel/kip.h>
#include <mode/layout.h>

#define APIC_PHYS        0xFEE00000UL
#define APIC_ID          0x020
#define APIC_EOI         0x0B0
#define APIC_SVR         0x0F0
#define APIC_LVT_TIMER   0x320
#define APIC_TIMER_INIT  0x380
#define APIC_TIMER_CUR   0x390
#define APIC_TIMER_DIV   0x3E0
#define LVT_PERIODIC     BIT(17)
#define LVT_MASKED       BIT(16)
#define CALIBRATE_US     10000

static volatile uint32_t *apic;
static uint64_t tsc_khz, tsc_boot;
static uint64_t us_mult;        /* microseconds per TSC tick, 32.32 fixed point */

static uint32_t apic_read(unsigned reg)
{
    return apic[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
    apic[reg / 4] = v;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

extern uint64_t boot_timestamp;

uint64_t arch_boot_timestamp(void)
{
    return boot_timestamp;
}

uint64_t cpu_khz(void)
{
    return tsc_khz;
}

uint64_t clock_us(void)
{
    uint64_t d = rdtsc() - tsc_boot;
    return (uint64_t)(((unsigned __int128)d * us_mult) >> 32);
}

void apic_init(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | BIT(11));   /* global enable */
    pgt_kernel_uncached(APIC_PHYS);
    apic = phys_to_virt(APIC_PHYS);
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);

    apic_write(APIC_TIMER_DIV, 0x3);                         /* divide by 16 */
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_TIMER_INIT, 0xFFFFFFFF);
    uint64_t t0 = rdtsc();
    plat_pit_wait_us(CALIBRATE_US);
    uint64_t t1 = rdtsc();
    uint32_t apic_ticks = 0xFFFFFFFF - apic_read(APIC_TIMER_CUR);

    tsc_khz = (t1 - t0) * 1000 / CALIBRATE_US;
    if (!tsc_khz) {
        tsc_khz = 1;
    }
    us_mult = (1000ULL << 32) / tsc_khz;
    tsc_boot = rdtsc();

    kip_set_cpu_freq(0, tsc_khz, 0);
    uint64_t per_tick = (uint64_t)apic_ticks * TIMER_TICK_US / CALIBRATE_US;
    apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
    apic_write(APIC_TIMER_INIT, per_tick ? (uint32_t)per_tick : 1);
    printk("apic: cpu %lu kHz, timer %lu counts per %u us tick\n", (unsigned long)tsc_khz,
           (unsigned long)per_tick, TIMER_TICK_US);
}
