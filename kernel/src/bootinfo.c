/* SPDX-License-Identifier: BSD-2-Clause */
/* Generic bootinfo builder.
 *
 * Header (8 words): magic, version 1, total size, offset of the first record,
 * number of records, 3 reserved.  Each record: type, version, offset of the
 * next record, its fields, and its command line (NUL-terminated, padded to a
 * word) whose offset from the record start is the last field.
 */
#include <kernel/bootinfo.h>
#include <kernel/boot.h>
#include <kernel/string.h>
#include <kernel/console.h>

#define HEADER_WORDS      8
#define MODULE_WORDS      6
#define SIMPLEEXEC_WORDS  16

static size_t record_size(unsigned idx)
{
    size_t words = idx < 2 ? SIMPLEEXEC_WORDS : MODULE_WORDS;
    size_t str = strlen(boot_info.mod[idx].cmdline) + 1;
    return words * WORD_BYTES + ALIGN_UP(str, WORD_BYTES);
}

size_t bootinfo_size(void)
{
    size_t n = HEADER_WORDS * WORD_BYTES;
    for (unsigned i = 0; i < boot_info.nmod; i++) {
        n += record_size(i);
    }
    return n;
}

static void fill_simple_exec(word_t *r, const elf_image_t *img)
{
    const word_t f[] = {
        img->text_p, img->text_v, img->text_size,
        img->data_p, img->data_v, img->data_size,
        img->data_p + img->data_size, img->data_v + img->data_size, img->bss_size,
        img->entry, 0 /* flags */, 0 /* label */,
    };
    memcpy(&r[3], f, sizeof(f));
}

void bootinfo_build(void *dst, size_t size, const elf_image_t *s0, const elf_image_t *root)
{
    assert(bootinfo_size() <= size);
    memset(dst, 0, size);
    word_t *hdr = dst;
    size_t off = HEADER_WORDS * WORD_BYTES;
    hdr[0] = BOOTINFO_MAGIC;
    hdr[1] = 1;
    hdr[2] = bootinfo_size();
    hdr[3] = off;
    hdr[4] = boot_info.nmod;
    for (unsigned i = 0; i < boot_info.nmod; i++) {
        const boot_module_t *m = &boot_info.mod[i];
        word_t *r = (word_t *)((char *)dst + off);
        size_t words = i < 2 ? SIMPLEEXEC_WORDS : MODULE_WORDS;
        r[0] = i < 2 ? BOOTREC_SIMPLEEXEC : BOOTREC_MODULE;
        r[1] = 1;
        r[2] = record_size(i);
        if (i < 2) {
            fill_simple_exec(r, i == 0 ? s0 : root);
        } else {
            r[3] = m->start;
            r[4] = m->end - m->start;
        }
        r[words - 1] = words * WORD_BYTES;
        memcpy(&r[words], m->cmdline, strlen(m->cmdline) + 1);
        off += record_size(i);
    }
}
