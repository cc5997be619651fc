/* elfsym.h - does an ELF file define a symbol? (corace run ./prog checks __tsan_init) */
#ifndef CORACE_CLI_ELFSYM_H
#define CORACE_CLI_ELFSYM_H

enum elfsym_result {
    ELFSYM_DEFINED,   /* in .symtab or .dynsym, and defined there */
    ELFSYM_ABSENT,    /* not defined (or only an undefined reference) */
    ELFSYM_NO_SYMTAB, /* no symbol table at all: a stripped file, say */
    ELFSYM_NOT_ELF,   /* not an ELF file of this machine's byte order, or truncated */
    ELFSYM_ERROR      /* cannot be read: errno is set */
};

/* Look for name in path's static (SHT_SYMTAB) and dynamic (SHT_DYNSYM)
   symbol tables, ELF32 or ELF64. */
enum elfsym_result elf_defines_symbol(const char *path, const char *name);

#endif
