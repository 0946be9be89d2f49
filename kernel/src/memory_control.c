/* SPDX-License-Identifier: BSD-2-Clause */
/* MemoryControl (X.2 §6.4): memory attributes of the caller's own mappings.
 *
 * The fpages are in MR0..MRk; the low two bits of each select one of the
 * four attribute arguments.  Everything is checked before anything changes:
 * the control word, privilege, every selected attribute; then large pages
 * straddling an fpage's ends are split (invisible, but it needs memory); only
 * then are the attributes set.  Unmapped parts of an fpage, the KIP area and
 * the UTCB area are left alone; mappings derived from the caller's keep
 * their own attributes.  Decisions in docs/control.md.
 */
#include <kernel/syscall.h>
#include <kernel/space.h>
#include <arch/pgtable.h>
#include <mode/layout.h>

#define MC_COUNT_MASK 0x3FUL
#define MC_SELECT     0x3UL

/* The page-aligned range [*start, *end) of f in the user area; false if
 * none (nil, or beyond the user area). */
static bool fpage_span(fpage_t f, word_t *start, word_t *end)
{
    if (fpage_is_nil(f)) {
        return false;
    }
    if (fpage_is_complete(f)) {
        *start = 0;
        *end = USER_AREA_END;
        return true;
    }
    unsigned s = fpage_size_log2(f);
    if (s < PAGE_BITS) {
        s = PAGE_BITS;              /* the page that holds it, as Unmap */
    }
    *start = s >= WORD_BITS ? 0 : fpage_base(f) & ~MASK(s);
    if (*start >= USER_AREA_END) {
        return false;
    }
    *end = s >= WORD_BITS || MASK(s) >= USER_AREA_END - *start ? USER_AREA_END
                                                                 : *start + BIT(s);
    return true;
}

/* Set code on [start, end) except the n areas in skip; the areas before
 * the first overlapping one overlap no part of the range either. */
static void set_except(space_t *s, word_t start, word_t end, const fpage_t *skip, unsigned n,
                       unsigned code)
{
    if (start >= end) {
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        fpage_t a = skip[i];
        if (!fpage_is_nil(a) && fpage_base(a) < end && fpage_last(a) >= start) {
            set_except(s, start, fpage_base(a), skip + i + 1, n - i - 1, code);
            if (fpage_last(a) < end - 1) {
                set_except(s, fpage_last(a) + 1, end, skip + i + 1, n - i - 1, code);
            }
            return;
        }
    }
    pgt_set_attribute(&s->pgt, start, end, code);
}

word_t sys_memory_control(tcb_t *self, word_t control, const word_t attributes[4])
{
    if (!thread_is_privileged(self)) {
        syscall_set_error(self, ERR_NO_PRIVILEGE);
        return 0;
    }
    if (control & ~MC_COUNT_MASK) {
        syscall_set_error(self, ERR_INVALID_PARAM);
        return 0;
    }
    unsigned k = control & MC_COUNT_MASK, code[4] = { 0 };
    for (unsigned i = 0; i <= k; i++) {
        fpage_t f = utcb_mr(self->utcb, i);
        if (!fpage_is_nil(f) && !pgt_attribute_code(attributes[f & MC_SELECT],
                                                    &code[f & MC_SELECT])) {
            syscall_set_error(self, ERR_INVALID_PARAM);
            return 0;
        }
    }
    space_t *s = self->space;
    word_t start, end;
    for (unsigned i = 0; i <= k; i++) {
        fpage_t f = utcb_mr(self->utcb, i);
        if (!arch_fpage_special(f) && fpage_span(f, &start, &end) &&
            (!pgt_split_at(&s->pgt, start) || !pgt_split_at(&s->pgt, end))) {
            syscall_set_error(self, ERR_NO_MEM);
            return 0;
        }
    }
    const fpage_t kernel_areas[2] = { s->kip_area, s->utcb_area };
    for (unsigned i = 0; i <= k; i++) {
        fpage_t f = utcb_mr(self->utcb, i);
        if (!arch_fpage_special(f) && fpage_span(f, &start, &end)) {  /* ports: no memory */
            set_except(s, start, end, kernel_areas, 2, code[f & MC_SELECT]);
        }
    }
    return 1;
}
