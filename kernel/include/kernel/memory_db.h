/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's one mapping database (see memory_db.c). */
#pragma once

#include <kernel/mdb.h>

extern mdb_t kernel_mdb;

/* Pages for an mdb from the kernel pool (also used by the arch's databases). */
void *memory_db_alloc_page(void);
void memory_db_free_page(void *page);
/* Set the database up (after the kernel pool exists). */
void memory_db_init(void);
