/* impl: an implementation loaded from a shared object, its imports checked
 * first, and its exports. */
#include "impl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

/* Functions that take memory from the host instead of the pool (HOST-1),
 * and the prefixes of C++'s operator new and new[]. */
static const char *const host_memory[] = {
    "malloc",        "calloc",         "realloc",  "reallocarray",
    "aligned_alloc", "posix_memalign", "memalign", "valloc",
    "pvalloc",       "strdup",         "strndup",  "mmap",
    "mmap64",        "mremap",         "sbrk",     "brk"};
static const char *const host_memory_prefix[] = {"_Znw", "_Zna"};

static int takes_host_memory(const char *name) {
    for (size_t i = 0; i < sizeof host_memory / sizeof *host_memory; i++)
        if (strcmp(name, host_memory[i]) == 0)
            return 1;
    for (size_t i = 0; i < 2; i++)
        if (strncmp(name, host_memory_prefix[i], 4) == 0)
            return 1;
    return 0;
}

/* Append name to a comma-separated list; "..." once it is full. */
static void list_add(char *list, size_t cap, const char *name) {
    size_t n = strlen(list);
    if (n >= 3 && strcmp(list + n - 3, "...") == 0)
        return;
    if (n + strlen(name) + 8 > cap) {
        snprintf(list + n, cap - n, "%s...", n ? ", " : "");
        return;
    }
    snprintf(list + n, cap - n, "%s%s", n ? ", " : "", name);
}

/* What a plug-in imports, sorted while its ELF file is read. */
struct import_scan {
    void *self;                     /* vpcert and what it links */
    char missing[IMPL_ERR_MAX / 2]; /* imports nobody provides */
    char host[IMPL_HOST_MAX];       /* host-memory imports (HOST-1) */
};

static void import_one(void *ctx, const char *name) {
    struct import_scan *s = ctx;
    if (!dlsym(s->self, name))
        list_add(s->missing, sizeof s->missing, name);
    else if (takes_host_memory(name))
        list_add(s->host, sizeof s->host, name);
}

/* Check path's imports before it is loaded. Returns 0 (host-memory
 * imports in impl->host_imports), or -1 with the message in err. A file
 * this reader does not understand is left to dlopen. */
static int check_imports(struct impl *impl, const char *path, char *err,
                         size_t errlen) {
    struct import_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.self = dlopen(NULL, RTLD_LAZY);
    int rc = scan.self ? impl_elf_imports(path, import_one, &scan) : 1;
    if (scan.self)
        dlclose(scan.self);
    if (rc != 0 || !scan.missing[0]) {
        snprintf(impl->host_imports, sizeof impl->host_imports, "%s",
                 rc == 0 ? scan.host : "");
        return 0;
    }
    snprintf(err, errlen,
             "it imports what vpcert does not provide: %s\n"
             "  vpcert provides the C library and these kernel calls: %s\n"
             "  (KeAcquireSpinLock, KeRaiseIrql, KeLowerIrql, "
             "KeInitializeSpinLock, ExInitializeFastMutex, ExAllocatePoolZero, "
             "ExAllocateFrom/FreeTo(N)PagedLookasideList and the Rtl*Memory "
             "helpers are macros or inline functions of "
             "include/vpcert/video.h over them)",
             scan.missing, impl_kernel_calls);
    return -1;
}

/* Each entry point of the plug-in ABI: its SVC_* bit, the name it is
 * exported under, and where it goes in struct impl. */
struct impl_symbol {
    unsigned bit;     /* SVC_* */
    const char *name; /* exported symbol */
    size_t offset;    /* of its function pointer in struct impl */
    size_t size;      /* of that function pointer */
};

#define IMPL_SYMBOL(bit, name, field)                                          \
    {                                                                          \
        bit, name, offsetof(struct impl, field),                               \
            sizeof(((struct impl *)0)->field)                                  \
    }

static const struct impl_symbol symbols[] = {
    IMPL_SYMBOL(SVC_ALLOCATE_BUFFER, "VideoPortAllocateBuffer", alloc_buffer),
    IMPL_SYMBOL(SVC_RELEASE_BUFFER, "VideoPortReleaseBuffer", release_buffer),
    IMPL_SYMBOL(SVC_ALLOCATE_POOL, "VideoPortAllocatePool", alloc_pool),
    IMPL_SYMBOL(SVC_FREE_POOL, "VideoPortFreePool", free_pool),
    IMPL_SYMBOL(SVC_DEVICE_START, "VpcertDeviceStart", dev_start),
    IMPL_SYMBOL(SVC_DEVICE_STOP, "VpcertDeviceStop", dev_stop),
};

#define NSYMBOLS (sizeof symbols / sizeof symbols[0])

/* Is the function pointer of symbol s in impl set? */
static int present(const struct impl *impl, const struct impl_symbol *s) {
    const unsigned char *p = (const unsigned char *)impl + s->offset;
    for (size_t i = 0; i < s->size; i++)
        if (p[i])
            return 1;
    return 0;
}

unsigned impl_services(const struct impl *impl) {
    unsigned mask = 0;
    for (size_t i = 0; i < NSYMBOLS; i++)
        mask |= present(impl, &symbols[i]) ? symbols[i].bit : 0u;
    return mask;
}

unsigned impl_missing_of(unsigned exported, unsigned declared) {
    return declared & ~exported; /* ICS-1 */
}

unsigned impl_missing(const struct impl *impl, unsigned declared) {
    return impl_missing_of(impl_services(impl), declared);
}

size_t impl_service_names(unsigned mask, const char *sep, char *out,
                          size_t cap) {
    size_t n = 0;
    if (cap)
        out[0] = 0;
    for (size_t i = 0; i < NSYMBOLS; i++) {
        if (!(mask & symbols[i].bit))
            continue;
        int w = snprintf(out + (n < cap ? n : cap), n < cap ? cap - n : 0,
                         "%s%s", n ? sep : "", symbols[i].name);
        n += w > 0 ? (size_t)w : 0;
    }
    return n;
}

/* dlsym returns a void *; POSIX guarantees it converts to a function
 * pointer, which ISO C does not, hence the copy of its bytes. */
static void bind_symbol(void *h, struct impl *impl,
                        const struct impl_symbol *s) {
    void *p = dlsym(h, s->name);
    unsigned char *field = (unsigned char *)impl + s->offset;
    memset(field, 0, s->size);
    if (p && s->size == sizeof p)
        memcpy(field, &p, sizeof p);
}

/* HOST-2: kernel calls the library made while it loaded (its
 * constructors), which no program owns: the stand-in served none of them. */
static int loaded_stray(char *err, size_t errlen) {
    const char *first;
    unsigned long n = kernel_stray_calls(&first);
    if (!n)
        return 0;
    snprintf(err, errlen,
             "it called %s while loading (%lu kernel call%s outside any "
             "service call; the kernel stand-in serves calls made within a "
             "service call only: do that set-up in VpcertDeviceStart) "
             "[HOST-2]",
             first, n, n == 1 ? "" : "s");
    return -1;
}

int impl_load(struct impl *impl, const char *name, char *err, size_t errlen) {
    const char *path = name;
    memset(impl, 0, sizeof *impl);
    /* A name without a slash would be searched for in the library path:
     * the user means the file in this directory. */
    char local[4096];
    if (!strchr(path, '/')) {
        snprintf(local, sizeof local, "./%s", path);
        path = local;
    }
    if (check_imports(impl, path, err, errlen) != 0)
        return -1;
    /* RTLD_LOCAL: two loaded implementations never bind to each other;
     * RTLD_NOW: an unresolved import fails here, with the loader's message. */
    kernel_stray_reset();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "%s", dlerror());
        return -1;
    }
    if (loaded_stray(err, errlen) != 0) {
        dlclose(h);
        kernel_stray_reset();
        return -1;
    }
    impl->name = name;
    impl->handle = h;
    for (size_t i = 0; i < NSYMBOLS; i++)
        bind_symbol(h, impl, &symbols[i]);
    return 0;
}

int impl_open(struct impl *impl, const char *path, char *err, size_t errlen) {
    char why[IMPL_ERR_MAX];
    if (impl_load(impl, path, why, sizeof why) != 0) {
        snprintf(err, errlen, "cannot load %s: %s", path, why);
        return -1;
    }
    unsigned missing = impl_missing(impl, IMPL_REQUIRED);
    if (!missing)
        return 0;
    char names[128];
    impl_service_names(missing, ", ", names, sizeof names);
    snprintf(err, errlen,
             "%s: not an implementation: required export%s missing: %s", path,
             missing & (missing - 1) ? "s" : "", names);
    impl_unload(impl);
    return -1;
}

void impl_unload(struct impl *impl) {
    if (impl->handle)
        dlclose(impl->handle);
    memset(impl, 0, sizeof *impl);
}
