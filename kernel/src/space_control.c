/* SPDX-License-Identifier: BSD-2-Clause */
/* SpaceControl (X.2 §3.5): KIP area, UTCB area and redirector of a space.
 *
 * The areas can be set while the space has no active thread; afterwards
 * they are ignored, as the manual says.  The control word has no meaning on
 * x86 and reads back as 0.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
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
    tcb_t *t = thread_resolve(self, space_spec);
    if (!t) {
        syscall_set_error(self, ERR_INVALID_SPACE);
        return 0;
    }
    space_t *s = t->space;
    tcb_t *redir = NULL;
    if (!tid_is_nil(redirector) && redirector != ANYTHREAD) {
        redir = thread_resolve(self, redirector);
        if (!redir) {
            syscall_set_error(self, ERR_INVALID_THREAD);
            return 0;
        }
    }
    if (s->active_threads == 0) {
        int e = space_set_areas(s, kip_area, utcb_area);
        if (e) {
            syscall_set_error(self, (enum syscall_error)e);
            return 0;
        }
    }
    if (!tid_is_nil(redirector)) {
        s->redirector = redir ? redir->id : ANYTHREAD;
    }
    return 1;
}
