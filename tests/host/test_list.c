/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the intrusive lists in kernel/include/kernel/list.h.
 *
 * Every case ends by walking the list both ways and checking the prev/next
 * links against the expected order, so a broken pointer shows up as a
 * failed check, and use of a stale node as an AddressSanitizer report.
 */
#define CHECK_SUITE "list"
#include "check.h"

#include <kernel/list.h>
#include <stdlib.h>

typedef struct {
    int value;
    list_node_t link;
} item_t;

/* Does head hold exactly want[0..n-1], in order, in both directions? */
static bool list_is(const list_node_t *head, const int *want, size_t n)
{
    size_t i = 0;
    const list_node_t *p;
    for (p = head->next; p != head; p = p->next, i++) {
        if (i >= n || container_of(p, item_t, link)->value != want[i] || p->next->prev != p) {
            return false;
        }
    }
    if (i != n) {
        return false;
    }
    for (p = head->prev; p != head; p = p->prev) {
        if (i == 0 || container_of(p, item_t, link)->value != want[--i]) {
            return false;
        }
    }
    return i == 0;
}

#define LIST_IS(head, ...)                                                  \
    __extension__({                                                         \
        static const int want_[] = { __VA_ARGS__ };                         \
        list_is(head, want_, sizeof(want_) / sizeof(want_[0]));             \
    })

TEST(init_is_empty)
{
    list_node_t head;
    list_init(&head);
    CHECK(list_empty(&head));
    CHECK(head.next == &head && head.prev == &head);
    CHECK(!list_linked(&head));
}

TEST(static_initializer)
{
    static list_node_t head = LIST_INIT(head);
    CHECK(list_empty(&head));
    CHECK(head.prev == &head);
}

TEST(add_tail_keeps_order)
{
    list_node_t head;
    item_t it[3] = { { .value = 1 }, { .value = 2 }, { .value = 3 } };
    list_init(&head);
    for (int i = 0; i < 3; i++) {
        list_add_tail(&head, &it[i].link);
    }
    CHECK(!list_empty(&head));
    CHECK(LIST_IS(&head, 1, 2, 3));
    CHECK(head.next == &it[0].link);
    CHECK(head.prev == &it[2].link);
}

TEST(add_head_reverses)
{
    list_node_t head;
    item_t it[3] = { { .value = 1 }, { .value = 2 }, { .value = 3 } };
    list_init(&head);
    for (int i = 0; i < 3; i++) {
        list_add_head(&head, &it[i].link);
    }
    CHECK(LIST_IS(&head, 3, 2, 1));
}

TEST(mixed_adds)
{
    list_node_t head;
    item_t a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 }, d = { .value = 4 };
    list_init(&head);
    list_add_tail(&head, &b.link);
    list_add_head(&head, &a.link);
    list_add_tail(&head, &c.link);
    list_add_head(&head, &d.link);
    CHECK(LIST_IS(&head, 4, 1, 2, 3));
}

TEST(del_head_middle_tail)
{
    list_node_t head;
    item_t it[5];
    list_init(&head);
    for (int i = 0; i < 5; i++) {
        it[i].value = i;
        list_add_tail(&head, &it[i].link);
    }
    list_del(&it[2].link);
    CHECK(LIST_IS(&head, 0, 1, 3, 4));
    list_del(&it[0].link);
    CHECK(LIST_IS(&head, 1, 3, 4));
    list_del(&it[4].link);
    CHECK(LIST_IS(&head, 1, 3));
    list_del(&it[1].link);
    list_del(&it[3].link);
    CHECK(list_empty(&head));
    CHECK(head.next == &head && head.prev == &head);
}

TEST(deleted_node_is_unlinked)
{
    list_node_t head;
    item_t a = { .value = 7 };
    list_init(&head);
    list_init(&a.link);
    CHECK(!list_linked(&a.link));
    list_add_tail(&head, &a.link);
    CHECK(list_linked(&a.link));
    list_del(&a.link);
    CHECK(!list_linked(&a.link));
    CHECK(a.link.next == &a.link && a.link.prev == &a.link);
    /* a deleted node can be put back, on the same or another list */
    list_node_t other;
    list_init(&other);
    list_add_head(&other, &a.link);
    CHECK(LIST_IS(&other, 7));
    CHECK(list_empty(&head));
}

TEST(zeroed_node_is_unlinked)
{
    /* nodes in zero-filled memory (fresh TCBs) count as not on a list */
    item_t *it = calloc(1, sizeof(*it));
    if (!CHECK(it != NULL)) {
        return;
    }
    CHECK(!list_linked(&it->link));
    free(it);
}

TEST(container_of_recovers_item)
{
    item_t x = { .value = 42 };
    list_node_t *n = &x.link;
    CHECK(container_of(n, item_t, link) == &x);
    CHECK_EQ(container_of(n, item_t, link)->value, 42);
}

TEST(rotate_like_a_ready_queue)
{
    /* the scheduler's round robin: take the head, append it again */
    list_node_t head;
    item_t it[4];
    list_init(&head);
    for (int i = 0; i < 4; i++) {
        it[i].value = i;
        list_add_tail(&head, &it[i].link);
    }
    for (int round = 0; round < 6; round++) {
        list_node_t *first = head.next;
        list_del(first);
        list_add_tail(&head, first);
    }
    CHECK(LIST_IS(&head, 2, 3, 0, 1));
}

TEST(many_nodes)
{
    enum { N = 1000 };
    item_t *items = calloc(N, sizeof(*items));
    if (!CHECK(items != NULL)) {
        return;
    }
    list_node_t head;
    list_init(&head);
    for (int i = 0; i < N; i++) {
        items[i].value = i;
        list_add_tail(&head, &items[i].link);
    }
    /* remove every odd one, then check what remains */
    for (int i = 1; i < N; i += 2) {
        list_del(&items[i].link);
    }
    int want[N / 2];
    for (int i = 0; i < N / 2; i++) {
        want[i] = 2 * i;
    }
    CHECK(list_is(&head, want, N / 2));
    free(items);
}
