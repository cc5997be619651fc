/* elfsym.c - find a defined symbol in an ELF file's symbol tables, with <elf.h>
   and bounds checks on every offset the file gives. */
#include "elfsym.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* [off, off+len) lies inside a file of size n. */
static bool inside(uint64_t off, uint64_t len, size_t n)
{
    return off <= n && len <= n - off;
}

/* One body for ELF32 and ELF64: E is Elf32 or Elf64. */
#define SEARCH_BODY(E)                                                                        \
    const E##_Ehdr *eh = (const E##_Ehdr *)map;                                               \
    if (!inside(0, sizeof *eh, n) || eh->e_shentsize != sizeof(E##_Shdr) ||                   \
        eh->e_shoff % _Alignof(E##_Shdr) != 0 ||                                              \
        !inside(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(E##_Shdr), n))                    \
        return ELFSYM_NOT_ELF;                                                                \
    const E##_Shdr *sh = (const E##_Shdr *)(map + eh->e_shoff);                               \
    bool any_table = false;                                                                   \
    for (unsigned i = 0; i < eh->e_shnum; i++) {                                              \
        if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM)                       \
            continue;                                                                         \
        any_table = true;                                                                     \
        if (sh[i].sh_link >= eh->e_shnum || sh[i].sh_entsize != sizeof(E##_Sym) ||            \
            sh[i].sh_offset % _Alignof(E##_Sym) != 0 ||                                       \
            !inside(sh[i].sh_offset, sh[i].sh_size, n))                                       \
            continue;                                                                         \
        const E##_Shdr *str = &sh[sh[i].sh_link];                                             \
        if (!inside(str->sh_offset, str->sh_size, n))                                         \
            continue;                                                                         \
        const char *strtab = (const char *)map + str->sh_offset;                              \
        const E##_Sym *sym = (const E##_Sym *)(map + sh[i].sh_offset);                        \
        size_t count = sh[i].sh_size / sizeof(E##_Sym);                                       \
        for (size_t k = 0; k < count; k++) {                                                  \
            if (sym[k].st_shndx == SHN_UNDEF || sym[k].st_name >= str->sh_size)               \
                continue;                                                                     \
            size_t room = str->sh_size - sym[k].st_name;                                      \
            if (room > namelen && memcmp(strtab + sym[k].st_name, name, namelen + 1) == 0)   \
                return ELFSYM_DEFINED;                                                        \
        }                                                                                     \
    }                                                                                         \
    return any_table ? ELFSYM_ABSENT : ELFSYM_NO_SYMTAB;

static enum elfsym_result search64(const unsigned char *map, size_t n, const char *name,
                                   size_t namelen)
{
    SEARCH_BODY(Elf64)
}

static enum elfsym_result search32(const unsigned char *map, size_t n, const char *name,
                                   size_t namelen)
{
    SEARCH_BODY(Elf32)
}

enum elfsym_result elf_defines_symbol(const char *path, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ELFSYM_ERROR;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return ELFSYM_ERROR;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return ELFSYM_ERROR;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < EI_NIDENT) {
        close(fd);
        return ELFSYM_NOT_ELF;
    }
    size_t n = (size_t)st.st_size;
    unsigned char *map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED) {
        errno = e;
        return ELFSYM_ERROR;
    }
    enum elfsym_result r = ELFSYM_NOT_ELF;
    const uint16_t one = 1;
    unsigned char host_data = *(const unsigned char *)&one ? ELFDATA2LSB : ELFDATA2MSB;
    if (memcmp(map, ELFMAG, SELFMAG) == 0 && map[EI_DATA] == host_data) {
        if (map[EI_CLASS] == ELFCLASS64)
            r = search64(map, n, name, strlen(name));
        else if (map[EI_CLASS] == ELFCLASS32)
            r = search32(map, n, name, strlen(name));
    }
    munmap(map, n);
    return r;
}
