/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's one mapping database (see memory_db.c). */
#pragma once

#include <kernel/mdb.h>

extern mdb_t kernel_mdb;

/* Set the database up (after the kernel pool exists). */
void memory_db_init(void);
