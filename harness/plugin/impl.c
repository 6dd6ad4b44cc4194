/* impl: load an implementation from a shared object. */
#include "impl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

unsigned impl_services(const struct impl *impl) {
    return (impl->alloc_buffer ? SVC_ALLOCATE_BUFFER : 0u) |
           (impl->release_buffer ? SVC_RELEASE_BUFFER : 0u) |
           (impl->alloc_pool ? SVC_ALLOCATE_POOL : 0u) |
           (impl->free_pool ? SVC_FREE_POOL : 0u) |
           (impl->dev_start ? SVC_DEVICE_START : 0u) |
           (impl->dev_stop ? SVC_DEVICE_STOP : 0u);
}

unsigned impl_missing(const struct impl *impl, unsigned declared) {
    return declared & ~impl_services(impl); /* ICS-1 */
}

/* dlsym returns a void *; POSIX guarantees it converts to a function
 * pointer, which ISO C does not, hence the memcpy. */
static void sym(void *h, const char *name, void *fnptr, size_t size) {
    void *p = dlsym(h, name);
    memset(fnptr, 0, size);
    if (p)
        memcpy(fnptr, &p, size);
}

int impl_load(struct impl *impl, const char *name, char *err, size_t errlen) {
    const char *path = name;
    memset(impl, 0, sizeof *impl);
    /* RTLD_LOCAL: two loaded implementations never bind to each other;
     * RTLD_NOW: an unresolved import fails here, with the loader's message. */
    /* A name without a slash would be searched for in the library path:
     * the user means the file in this directory. */
    char local[4096];
    if (!strchr(path, '/')) {
        snprintf(local, sizeof local, "./%s", path);
        path = local;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "%s", dlerror());
        return -1;
    }
    impl->name = name;
    impl->handle = h;
    sym(h, "VideoPortAllocateBuffer", &impl->alloc_buffer,
        sizeof impl->alloc_buffer);
    sym(h, "VideoPortReleaseBuffer", &impl->release_buffer,
        sizeof impl->release_buffer);
    sym(h, "VideoPortAllocatePool", &impl->alloc_pool, sizeof impl->alloc_pool);
    sym(h, "VideoPortFreePool", &impl->free_pool, sizeof impl->free_pool);
    sym(h, "VpcertDeviceStart", &impl->dev_start, sizeof impl->dev_start);
    sym(h, "VpcertDeviceStop", &impl->dev_stop, sizeof impl->dev_stop);
    return 0;
}

void impl_unload(struct impl *impl) {
    if (impl->handle)
        dlclose(impl->handle);
    memset(impl, 0, sizeof *impl);
}
