/* SPDX-License-Identifier: BSD-2-Clause */
/* Intrusive circular doubly linked lists (arch-neutral, host-testable). */
#pragma once

#include <kernel/types.h>

typedef struct list_node {
    struct list_node *next, *prev;
} list_node_t;

#define LIST_INIT(name) { &(name), &(name) }
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

static inline void list_init(list_node_t *head)
{
    head->next = head->prev = head;
}

static inline bool list_empty(const list_node_t *head)
{
    return head->next == head;
}

/* A node that is on no list points at itself. */
static inline bool list_linked(const list_node_t *n)
{
    return n->next != n && n->next != NULL;
}

static inline void list_add_tail(list_node_t *head, list_node_t *n)
{
    n->prev = head->prev;
    n->next = head;
    head->prev->next = n;
    head->prev = n;
}

static inline void list_add_head(list_node_t *head, list_node_t *n)
{
    n->next = head->next;
    n->prev = head;
    head->next->prev = n;
    head->next = n;
}

static inline void list_del(list_node_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}
