/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF loader for sigma0 and the root task.
 *
 * Segments go to their physical addresses (p_paddr), as Pistachio's loader
 * does: the initial servers later run 1:1 on memory sigma0 maps to them.
 * Both ELF classes are read so an IA-32 server can be described as well.
 */
#include <kernel/elf.h>
#include <kernel/string.h>
#include <mode/layout.h>

#define PT_LOAD 1
#define PF_X    1
#define PF_W    2

typedef struct {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
} elf_common_t;

typedef struct {
    elf_common_t c;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf64_ehdr_t;

typedef struct {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
} elf64_phdr_t;

typedef struct {
    elf_common_t c;
    uint32_t entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr_t;

typedef struct {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr_t;

/* Program header i in a class-independent form; false if out of bounds. */
static bool phdr(const void *file, size_t size, unsigned cls, unsigned i, elf64_phdr_t *out)
{
    if (cls == 2) {
        const elf64_ehdr_t *eh = file;
        uint64_t off = eh->phoff + (uint64_t)i * eh->phentsize;
        if (eh->phentsize < sizeof(elf64_phdr_t) || off + sizeof(elf64_phdr_t) > size) {
            return false;
        }
        memcpy(out, (const char *)file + off, sizeof(*out));
        return true;
    }
    const elf32_ehdr_t *eh = file;
    uint64_t off = eh->phoff + (uint64_t)i * eh->phentsize;
    if (eh->phentsize < sizeof(elf32_phdr_t) || off + sizeof(elf32_phdr_t) > size) {
        return false;
    }
    elf32_phdr_t p;
    memcpy(&p, (const char *)file + off, sizeof(p));
    *out = (elf64_phdr_t){ p.type, p.flags, p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.align };
    return true;
}

static unsigned phnum(const void *file, unsigned cls)
{
    return cls == 2 ? ((const elf64_ehdr_t *)file)->phnum : ((const elf32_ehdr_t *)file)->phnum;
}

const char *elf_inspect(const void *file, size_t size, elf_image_t *img)
{
    const elf_common_t *c = file;
    if (size < sizeof(elf64_ehdr_t) || memcmp(c->ident, "\177ELF", 4) != 0) {
        return "not an ELF file";
    }
    unsigned cls = c->ident[4];
    if (cls != 1 && cls != 2) {
        return "unknown ELF class";
    }
    memset(img, 0, sizeof(*img));
    img->elf_class = cls;
    img->entry = cls == 2 ? ((const elf64_ehdr_t *)file)->entry : ((const elf32_ehdr_t *)file)->entry;
    img->low = ~(paddr_t)0;
    unsigned loads = 0;
    for (unsigned i = 0; i < phnum(file, cls); i++) {
        elf64_phdr_t p;
        if (!phdr(file, size, cls, i, &p)) {
            return "program header outside the file";
        }
        if (p.type != PT_LOAD || p.memsz == 0) {
            continue;
        }
        if (p.filesz > p.memsz || p.offset + p.filesz > size || p.offset + p.filesz < p.offset) {
            return "segment outside the file";
        }
        loads++;
        if (p.paddr < img->low) {
            img->low = p.paddr;
        }
        if (p.paddr + p.memsz > img->high) {
            img->high = p.paddr + p.memsz;
        }
        if ((p.flags & PF_X) && !img->text_size) {
            img->text_p = p.paddr, img->text_v = p.vaddr, img->text_size = p.memsz;
        } else if ((p.flags & PF_W) && !img->data_size) {
            img->data_p = p.paddr, img->data_v = p.vaddr, img->data_size = p.filesz;
            img->bss_size = p.memsz - p.filesz;
        }
    }
    return loads ? NULL : "no loadable segment";
}

void elf_load(const void *file, const elf_image_t *img)
{
    for (unsigned i = 0; i < phnum(file, img->elf_class); i++) {
        elf64_phdr_t p;
        if (!phdr(file, ~(size_t)0, img->elf_class, i, &p) || p.type != PT_LOAD) {
            continue;
        }
        char *dst = phys_to_virt(p.paddr);
        memmove(dst, (const char *)file + p.offset, p.filesz);
        memset(dst + p.filesz, 0, p.memsz - p.filesz);
    }
}
