/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/bootinfo.h — generic boot information structure (boot.md §5) */
#ifndef L4_BOOTINFO_H
#define L4_BOOTINFO_H

#include <l4/types.h>

#define L4_BOOTINFO_MAGIC 0x14B0021DUL
#define L4_BOOTINFO_VERSION 1

/* Record types. */
#define L4_BootInfo_Module 0x0001UL
#define L4_BootInfo_SimpleExec 0x0002UL
#define L4_BootInfo_EFITables 0x0101UL
#define L4_BootInfo_Multiboot 0x0102UL

/** Header of the boot information (all fields are words). */
typedef struct {
    L4_Word_t magic;
    L4_Word_t version;
    L4_Word_t size;        /* bytes, including all records and their data */
    L4_Word_t first_entry; /* offset of the first record from the header */
    L4_Word_t num_entries;
    L4_Word_t __reserved[3];
} L4_BootInfo_t;

/** Common beginning of every record. */
typedef struct {
    L4_Word_t type;
    L4_Word_t version;
    L4_Word_t offset_next; /* bytes from this record to the next */
} L4_BootRec_t;

/** Module record (type 0x1). */
typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t start;
    L4_Word_t size;
    L4_Word_t cmdline_offset; /* from the record start; 0 = none */
} L4_Boot_Module_t;

/** Simple executable record (type 0x2). */
typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t text_pstart, text_vstart, text_size;
    L4_Word_t data_pstart, data_vstart, data_size;
    L4_Word_t bss_pstart, bss_vstart, bss_size;
    L4_Word_t initial_ip;
    L4_Word_t flags;
    L4_Word_t label;
    L4_Word_t cmdline_offset;
} L4_Boot_SimpleExec_t;

/** EFI tables record (type 0x101). */
typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t systab, memmap, memmap_size, memdesc_size, memdesc_version;
} L4_Boot_EFI_t;

/** Multiboot-info record (type 0x102). */
typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t address;
} L4_Boot_MBI_t;

/** True if BootInfo starts with the right magic and version. */
L4_INLINE L4_Bool_t L4_BootInfo_Valid(void *BootInfo)
{
    L4_BootInfo_t *b = (L4_BootInfo_t *)BootInfo;
    return b->magic == L4_BOOTINFO_MAGIC && b->version == L4_BOOTINFO_VERSION;
}

/** Total size of the boot information in bytes. */
L4_INLINE L4_Word_t L4_BootInfo_Size(void *BootInfo) { return ((L4_BootInfo_t *)BootInfo)->size; }

/** First record. */
L4_INLINE L4_BootRec_t *L4_BootInfo_FirstEntry(void *BootInfo)
{
    return (L4_BootRec_t *)(void *)((char *)BootInfo + ((L4_BootInfo_t *)BootInfo)->first_entry);
}

/** Number of records. */
L4_INLINE L4_Word_t L4_BootInfo_Entries(void *BootInfo)
{
    return ((L4_BootInfo_t *)BootInfo)->num_entries;
}

/** Type of a record. */
L4_INLINE L4_Word_t L4_BootRec_Type(L4_BootRec_t *r) { return r->type; }

/** The record following r (undefined after the last one). */
L4_INLINE L4_BootRec_t *L4_BootRec_Next(L4_BootRec_t *r)
{
    return (L4_BootRec_t *)(void *)((char *)r + r->offset_next);
}

/** Command line at `offset` from record r, or NULL if offset is 0. */
L4_INLINE char *__L4_BootRec_String(L4_BootRec_t *r, L4_Word_t offset)
{
    return offset ? (char *)r + offset : (char *)0;
}

/** Start address of a module. */
L4_INLINE L4_Word_t L4_Module_Start(L4_BootRec_t *r) { return ((L4_Boot_Module_t *)r)->start; }

/** Size of a module in bytes. */
L4_INLINE L4_Word_t L4_Module_Size(L4_BootRec_t *r) { return ((L4_Boot_Module_t *)r)->size; }

/** Command line of a module, or NULL. */
L4_INLINE char *L4_Module_Cmdline(L4_BootRec_t *r)
{
    return __L4_BootRec_String(r, ((L4_Boot_Module_t *)r)->cmdline_offset);
}

#define __L4_SEXEC(r) ((L4_Boot_SimpleExec_t *)(r))

/** Physical start of the text section. */
L4_INLINE L4_Word_t L4_SimpleExec_TextPstart(L4_BootRec_t *r) { return __L4_SEXEC(r)->text_pstart; }
/** Virtual start of the text section. */
L4_INLINE L4_Word_t L4_SimpleExec_TextVstart(L4_BootRec_t *r) { return __L4_SEXEC(r)->text_vstart; }
/** Size of the text section. */
L4_INLINE L4_Word_t L4_SimpleExec_TextSize(L4_BootRec_t *r) { return __L4_SEXEC(r)->text_size; }
/** Physical start of the data section. */
L4_INLINE L4_Word_t L4_SimpleExec_DataPstart(L4_BootRec_t *r) { return __L4_SEXEC(r)->data_pstart; }
/** Virtual start of the data section. */
L4_INLINE L4_Word_t L4_SimpleExec_DataVstart(L4_BootRec_t *r) { return __L4_SEXEC(r)->data_vstart; }
/** Size of the data section. */
L4_INLINE L4_Word_t L4_SimpleExec_DataSize(L4_BootRec_t *r) { return __L4_SEXEC(r)->data_size; }
/** Physical start of the bss section. */
L4_INLINE L4_Word_t L4_SimpleExec_BssPstart(L4_BootRec_t *r) { return __L4_SEXEC(r)->bss_pstart; }
/** Virtual start of the bss section. */
L4_INLINE L4_Word_t L4_SimpleExec_BssVstart(L4_BootRec_t *r) { return __L4_SEXEC(r)->bss_vstart; }
/** Size of the bss section. */
L4_INLINE L4_Word_t L4_SimpleExec_BssSize(L4_BootRec_t *r) { return __L4_SEXEC(r)->bss_size; }
/** Entry point of the executable. */
L4_INLINE L4_Word_t L4_SimpleExec_InitialIP(L4_BootRec_t *r) { return __L4_SEXEC(r)->initial_ip; }
/** Loader/application-defined flags word. */
L4_INLINE L4_Word_t L4_SimpleExec_Flags(L4_BootRec_t *r) { return __L4_SEXEC(r)->flags; }
/** Sets the flags word. */
L4_INLINE void L4_SimpleExec_Set_Flags(L4_BootRec_t *r, L4_Word_t w) { __L4_SEXEC(r)->flags = w; }
/** Loader/application-defined label word. */
L4_INLINE L4_Word_t L4_SimpleExec_Label(L4_BootRec_t *r) { return __L4_SEXEC(r)->label; }
/** Sets the label word. */
L4_INLINE void L4_SimpleExec_Set_Label(L4_BootRec_t *r, L4_Word_t w) { __L4_SEXEC(r)->label = w; }

/** Command line of a simple executable, or NULL. */
L4_INLINE char *L4_SimpleExec_Cmdline(L4_BootRec_t *r)
{
    return __L4_BootRec_String(r, __L4_SEXEC(r)->cmdline_offset);
}

/** EFI system table address (0 if absent). */
L4_INLINE L4_Word_t L4_EFI_Systab(L4_BootRec_t *r) { return ((L4_Boot_EFI_t *)r)->systab; }
/** EFI memory map address. */
L4_INLINE L4_Word_t L4_EFI_Memmap(L4_BootRec_t *r) { return ((L4_Boot_EFI_t *)r)->memmap; }
/** EFI memory map size in bytes (0 if absent). */
L4_INLINE L4_Word_t L4_EFI_MemmapSize(L4_BootRec_t *r) { return ((L4_Boot_EFI_t *)r)->memmap_size; }
/** Size of one EFI memory descriptor. */
L4_INLINE L4_Word_t L4_EFI_MemdescSize(L4_BootRec_t *r) { return ((L4_Boot_EFI_t *)r)->memdesc_size; }
/** Version of the EFI memory descriptors. */
L4_INLINE L4_Word_t L4_EFI_MemdescVersion(L4_BootRec_t *r)
{
    return ((L4_Boot_EFI_t *)r)->memdesc_version;
}

/** Physical address of the multiboot information. */
L4_INLINE L4_Word_t L4_MBI_Address(L4_BootRec_t *r) { return ((L4_Boot_MBI_t *)r)->address; }

#endif /* L4_BOOTINFO_H */
