/* SPDX-License-Identifier: BSD-2-Clause */
/* Page attribute table (see arch/pat.h).
 *
 * Entries 0..3 keep their power-on types (WB, WT, UC-, UC), which is also
 * what an entry means on a CPU without a PAT; 4 and 5 become WC and WP,
 * 6 and 7 stay UC- and UC.  Nothing maps with the PAT bit before pat_init
 * runs, so the entries that change are unused when they change.
 */
#include <arch/pat.h>
#include <arch/cpu.h>

#define CPUID1_EDX_PAT BIT(16)

/* IA32_PAT memory-type encodings. */
enum { MT_UC = 0, MT_WC = 1, MT_WT = 4, MT_WP = 5, MT_WB = 6, MT_UC_MINUS = 7 };

static const uint8_t pat_types[8] = {
    [PAT_WB] = MT_WB, [PAT_WT] = MT_WT, [PAT_UC_MINUS] = MT_UC_MINUS, [PAT_UC] = MT_UC,
    [PAT_WC] = MT_WC, [PAT_WP] = MT_WP, [6] = MT_UC_MINUS, [7] = MT_UC,
};

static bool have_pat;

void pat_init(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    have_pat = r[3] & CPUID1_EDX_PAT;
    if (!have_pat) {
        return;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        v |= (uint64_t)pat_types[i] << (8 * i);
    }
    wrmsr(MSR_PAT, v);
}

bool pat_index_of_attribute(word_t attribute, unsigned *index)
{
    switch (attribute) {
    case 0: /* default */
    case 7: *index = PAT_WB; return true;
    case 1: *index = PAT_UC; return true;
    case 5: *index = PAT_WT; return true;
    case 2: *index = PAT_WC; return have_pat;
    case 6: *index = PAT_WP; return have_pat;
    default: return false;
    }
}

unsigned pat_memory_type(unsigned index)
{
    return index < 8 && (have_pat || index < 4) ? pat_types[index] : pat_types[index & 3];
}
