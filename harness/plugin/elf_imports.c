/* elf_imports: the undefined dynamic symbols of a 64-bit ELF shared object,
 * read from the file without loading it, so that vpcert can say before
 * dlopen everything a plug-in imports that it cannot provide. The file may
 * be hostile: every offset, size and name read from it is checked against
 * the file and the table it lies in. */
#include "impl.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ELF_TABLE_MAX ((uint64_t)64 << 20) /* largest table read, bytes */

/* An open file and its size. */
struct elf_file {
    int fd;        /* open for reading */
    uint64_t size; /* bytes */
};

/* Read n bytes at off: 0, or -1 if they are not all in the file. */
static int elf_read(const struct elf_file *f, uint64_t off, void *buf,
                    uint64_t n) {
    if (off > f->size || n > f->size - off)
        return -1;
    return pread(f->fd, buf, (size_t)n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

/* A table of the file (n bytes at off) in memory; NULL if it is not in the
 * file, too large, or the host refuses memory. The caller frees it. */
static void *elf_table(const struct elf_file *f, uint64_t off, uint64_t n) {
    if (n > ELF_TABLE_MAX)
        return NULL;
    void *t = malloc(n ? (size_t)n : 1);
    if (t && elf_read(f, off, t, n) != 0) {
        free(t);
        t = NULL;
    }
    return t;
}

/* 1 if the header is a 64-bit shared object in this machine's byte order
 * with section headers of the size this reader knows. */
static int elf_is_ours(const Elf64_Ehdr *eh) {
    const union {
        uint16_t u;   /* 1 */
        uint8_t b[2]; /* its bytes */
    } order = {1};
    unsigned data = order.b[0] ? ELFDATA2LSB : ELFDATA2MSB;
    return memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
           eh->e_ident[EI_CLASS] == ELFCLASS64 &&
           eh->e_ident[EI_DATA] == data && eh->e_type == ET_DYN &&
           eh->e_shentsize == sizeof(Elf64_Shdr);
}

/* The dynamic symbol table's section header and its string table's.
 * Returns 1 found, 0 none (nothing imported), -1 malformed. */
static int elf_dynsym(const struct elf_file *f, const Elf64_Ehdr *eh,
                      Elf64_Shdr *sym, Elf64_Shdr *str) {
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (elf_read(f, eh->e_shoff + (uint64_t)i * sizeof *sym, sym,
                     sizeof *sym) != 0)
            return -1;
        if (sym->sh_type != SHT_DYNSYM)
            continue;
        if (sym->sh_link >= eh->e_shnum ||
            sym->sh_entsize != sizeof(Elf64_Sym) ||
            elf_read(f, eh->e_shoff + (uint64_t)sym->sh_link * sizeof *str, str,
                     sizeof *str) != 0)
            return -1;
        return 1;
    }
    return 0;
}

/* Call fn for each undefined global (not weak) symbol of the tables. */
static int elf_each_import(const Elf64_Sym *syms, size_t nsyms,
                           const char *strs, uint64_t nstrs, impl_symbol_fn fn,
                           void *ctx) {
    for (size_t i = 0; i < nsyms; i++) {
        const Elf64_Sym *s = &syms[i];
        if (s->st_shndx != SHN_UNDEF || s->st_name == 0 ||
            ELF64_ST_BIND(s->st_info) != STB_GLOBAL)
            continue;
        if (s->st_name >= nstrs ||
            !memchr(strs + s->st_name, 0, (size_t)(nstrs - s->st_name)))
            return -1;
        fn(ctx, strs + s->st_name);
    }
    return 0;
}

/* The imports of an open file; see impl_elf_imports. */
static int elf_imports_of(const struct elf_file *f, impl_symbol_fn fn,
                          void *ctx) {
    Elf64_Ehdr eh;
    Elf64_Shdr sym, str;
    if (elf_read(f, 0, &eh, sizeof eh) != 0 || !elf_is_ours(&eh))
        return 1;
    int found = elf_dynsym(f, &eh, &sym, &str);
    if (found <= 0)
        return found;
    Elf64_Sym *syms = elf_table(f, sym.sh_offset, sym.sh_size);
    char *strs = elf_table(f, str.sh_offset, str.sh_size);
    int rc = -1;
    if (syms && strs)
        rc = elf_each_import(syms, (size_t)(sym.sh_size / sizeof *syms), strs,
                             str.sh_size, fn, ctx);
    free(syms);
    free(strs);
    return rc;
}

int impl_elf_imports(const char *path, impl_symbol_fn fn, void *ctx) {
    struct stat st;
    struct elf_file f = {open(path, O_RDONLY), 0};
    if (f.fd < 0)
        return -1;
    int rc = -1;
    if (fstat(f.fd, &st) == 0 && S_ISREG(st.st_mode)) {
        f.size = (uint64_t)st.st_size;
        rc = elf_imports_of(&f, fn, ctx);
    }
    close(f.fd);
    return rc;
}
