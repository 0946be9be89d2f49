/* SPDX-License-Identifier: BSD-2-Clause */
/* The Kernel Interface Page (see kernel/kip.h).
 *
 * Layout of the page (offsets stored in the fixed part):
 *   0x000  fixed part (72 words)
 *   0x240  processor descriptors (CONFIG_MAX_CPUS of 4 words)
 *   then   kernel descriptor, version string, empty feature list
 *   then   memory descriptors up to the end of the page
 * No feature strings are published: libl4 versions whose L4_HasFeature
 * matches any string would otherwise enable extensions Pecan lacks.
 */
#include <kernel/kip.h>
#include <kernel/thread.h>
#include <kernel/console.h>
#include <kernel/string.h>
#include <arch/kip.h>
#include <arch/init.h>

#define MAX_CPUS          8
#define PROCDESC_OFFSET   0x240
#define KERNEL_ID         0x50010000UL   /* id 0x50 ('P'), subid 1: Pecan */
#define KERNEL_VERSION    0x00010000UL   /* 0.1.0 */

/* The whole page.  The linker script names its start "kip" as well, which is
 * how the rest of the kernel reads the fixed part. */
typedef struct {
    kip_t fixed;
    kip_procdesc_t cpus[MAX_CPUS];
    struct {
        word_t kernel_id, gen_date, version, supplier;
        char text[48];              /* version string + empty feature list */
    } kdesc;
    kip_memdesc_t memdesc[KIP_MAX_MEMDESC];
} kip_page_t;

#define EXT_OFFSET(f) offsetof(kip_page_t, f)
_Static_assert(EXT_OFFSET(cpus) == PROCDESC_OFFSET, "procdesc offset");
_Static_assert(sizeof(kip_page_t) <= 4096, "KIP exceeds one page");
_Static_assert(EXT_OFFSET(memdesc) % 16 == 0, "memdesc alignment");

static const char version_string[] = "Pecan L4 X.2 kernel (" PECAN_ARCH ")";
_Static_assert(sizeof(version_string) + 1 <= sizeof(((kip_page_t *)0)->kdesc.text), "version");

static kip_page_t kip_page SECTION(".kip") ALIGNED(4096);

static unsigned memdesc_count;

/* Build date packed as KernelGenDate: day 0..4, month 5..8, year-2000 9..15. */
static word_t gen_date(void)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char *d = __DATE__;       /* "Mmm dd yyyy" */
    unsigned m = 0;
    while (m < 12 && memcmp(&months[m * 3], d, 3) != 0) {
        m++;
    }
    unsigned day = (unsigned)((d[4] == ' ' ? 0 : d[4] - '0') * 10 + (d[5] - '0'));
    unsigned year = (unsigned)((d[9] - '0') * 10 + (d[10] - '0'));
    return day | ((m + 1) << 5) | (year << 9);
}

void kip_init(void)
{
    kip_t *k = &kip_page.fixed;
    k->magic = KIP_MAGIC;
    k->api_version = KIP_API_VERSION;
    k->api_flags = WORD_BITS == 64 ? 0x4 : 0x0;
    k->kernel_desc_ptr = EXT_OFFSET(kdesc);
    k->proc_desc_ptr = PROCDESC_OFFSET;
    k->memory_info = (word_t)EXT_OFFSET(memdesc) << (WORD_BITS / 2);
    k->utcb_area_info = arch_kip_utcb_info();
    k->kip_area_info = 12;
    k->thread_info = THREAD_NUMBER_BITS | (THREAD_SYSTEM_BASE << 8) |
                     ((word_t)THREAD_USER_BASE << 20);
    k->page_info = arch_kip_page_info();
    k->processor_info = (word_t)(arch_kip_procdesc_log2()) << (WORD_BITS - 4);
    k->clock_info = 1 | (arch_kip_schedule_precision() << 16);
    for (unsigned i = 0; i < KIP_SC_COUNT; i++) {
        k->syscalls[i] = arch_kip_syscall_entry(i);
    }
    kip_page.kdesc.kernel_id = KERNEL_ID;
    kip_page.kdesc.gen_date = gen_date();
    kip_page.kdesc.version = KERNEL_VERSION;
    memcpy(&kip_page.kdesc.supplier, "PECN", 4);
    memcpy(kip_page.kdesc.text, version_string, sizeof(version_string));
}

void kip_set_cpu_freq(unsigned cpu, word_t internal_khz, word_t external_khz)
{
    kip_page.cpus[cpu].internal_freq = internal_khz;
    kip_page.cpus[cpu].external_freq = external_khz;
}

void kip_cpu_freq(unsigned cpu, word_t *internal_khz, word_t *external_khz)
{
    *internal_khz = kip_page.cpus[cpu].internal_freq;
    *external_khz = kip_page.cpus[cpu].external_freq;
}

void kip_add_memdesc(unsigned type, unsigned subtype, bool virt, word_t low, word_t high)
{
    if (memdesc_count == KIP_MAX_MEMDESC) {
        printk("kip: memory descriptor table full\n");
        return;
    }
    kip_memdesc_t *d = &kip_page.memdesc[memdesc_count++];
    d->raw[0] = (low & ~0x3FFUL) | (virt ? BIT(9) : 0) | ((subtype & 0xF) << 4) | (type & 0xF);
    d->raw[1] = high & ~0x3FFUL;
    kip_page.fixed.memory_info = (kip_page.fixed.memory_info & ~MASK(WORD_BITS / 2)) |
                                 memdesc_count;
}
