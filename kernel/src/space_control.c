/* SPDX-License-Identifier: BSD-2-Clause */
/* SpaceControl (X.2 §4.3): KIP area, UTCB area and redirector of a space.
 *
 * The areas can be (re)defined while no thread of the space has ever been
 * activated in it (no UTCB page exists yet); afterwards they are ignored, as
 * the manual says for spaces with active threads.  Unlike Pistachio, which
 * ignores them once set, a space can thus be reconfigured before its first
 * activation, and no UTCB page is ever stranded outside the UTCB area.  The
 * control word has no meaning on x86-64 (Pecan has no compatibility-mode
 * spaces) and reads back as 0.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>

word_t sys_space_control(tcb_t *self, threadid_t space_spec, word_t control, fpage_t kip_area,
                         fpage_t utcb_area, threadid_t redirector, word_t *old_control)
{
    (void)control;
    *old_control = 0;
    if (!thread_is_privileged(self)) {
        syscall_set_error(self, ERR_NO_PRIVILEGE);
        return 0;
    }
    tcb_t *t = thread_table_resolve(self, space_spec);
    if (!t) {
        syscall_set_error(self, ERR_INVALID_SPACE);
        return 0;
    }
    space_t *s = t->space;
    /* A local redirector is stored as the global id it names. */
    if (!tid_is_nil(redirector) && tid_is_local(redirector) && redirector != ANYLOCALTHREAD) {
        tcb_t *r = thread_table_local(self->space, redirector);
        if (!r) {
            syscall_set_error(self, ERR_INVALID_THREAD);
            return 0;
        }
        redirector = r->id;
    }
    if (s->active_threads == 0 && !s->utcb_pages) {
        int e = space_set_areas(s, kip_area, utcb_area);
        if (e) {
            syscall_set_error(self, (enum syscall_error)e);
            return 0;
        }
    }
    if (!tid_is_nil(redirector)) {
        s->redirector = redirector;
    }
    return 1;
}
