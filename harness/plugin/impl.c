/* impl: an implementation loaded from a shared object, and its exports. */
#include "impl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

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

unsigned impl_missing(const struct impl *impl, unsigned declared) {
    return declared & ~impl_services(impl); /* ICS-1 */
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
    /* RTLD_LOCAL: two loaded implementations never bind to each other;
     * RTLD_NOW: an unresolved import fails here, with the loader's message. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "%s", dlerror());
        return -1;
    }
    impl->name = name;
    impl->handle = h;
    for (size_t i = 0; i < NSYMBOLS; i++)
        bind_symbol(h, impl, &symbols[i]);
    return 0;
}

int impl_open(struct impl *impl, const char *path, char *err, size_t errlen) {
    char why[512];
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
