/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/kdebug.h — kernel-debugger interface and its compatibility names */
#ifndef L4_KDEBUG_H
#define L4_KDEBUG_H

#include <l4/types.h>
#if defined(__x86_64__)
#include <l4/amd64/kdebug.h>
#endif

/* Old names still used by some programs. */
#define enter_kdebug(x) L4_KDB_Enter(x)
#define kd_inchar() L4_KDB_ReadChar_Blocked()

#endif /* L4_KDEBUG_H */
