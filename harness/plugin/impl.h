/*
 * impl: one implementation under test behind one interface. The built-in
 * shim is linked statically (fast, for fuzzing); any other implementation
 * is a shared object loaded with dlopen (the plug-in ABI of video.h),
 * after its imports were read from the file (elf_imports.c): one vpcert
 * cannot provide makes the load fail with the list of them all.
 * A service an implementation does not export is NULL here.
 */
#ifndef VPCERT_IMPL_H
#define VPCERT_IMPL_H

#include <stddef.h>

#include "vpcert/video.h"

enum impl_service {
    SVC_ALLOCATE_BUFFER = 1u << 0,
    SVC_RELEASE_BUFFER = 1u << 1,
    SVC_ALLOCATE_POOL = 1u << 2,
    SVC_FREE_POOL = 1u << 3,
    SVC_ALL = 15u, /* the four services (an ICS `services` value) */
    SVC_DEVICE_START = 1u << 4, /* VpcertDeviceStart */
    SVC_DEVICE_STOP = 1u << 5   /* VpcertDeviceStop */
};

/* What every implementation must export. */
#define IMPL_REQUIRED (SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER)

#define IMPL_ERR_MAX 4096u /* room for impl_load's and impl_open's message */
#define IMPL_HOST_MAX 160u /* room for the host-memory imports */

struct impl {
    const char *name;                     /* "shim" or the library path */
    PFN_VP_ALLOCATE_BUFFER alloc_buffer;  /* required */
    PFN_VP_RELEASE_BUFFER release_buffer; /* required */
    PFN_VP_ALLOCATE_POOL alloc_pool;      /* optional */
    PFN_VP_FREE_POOL free_pool;           /* optional */
    PFN_VPCERT_DEVICE_START dev_start;    /* optional */
    PFN_VPCERT_DEVICE_STOP dev_stop;      /* optional */
    void *handle;                         /* dlopen handle, NULL if built in */
    char host_imports[IMPL_HOST_MAX];     /* functions it imports that take
                                             memory from the host (HOST-1),
                                             comma-separated; "" if none */
};

/* The kernel calls a plug-in may import (harness/kernel/exports.list),
 * comma-separated; generated at configure time. */
extern const char impl_kernel_calls[];

/* Services and lifecycle entry points exported, as a SVC_* mask. */
unsigned impl_services(const struct impl *impl);
/* Services declared (SVC_* mask) but not exported: ICS-1 fails when
 * this is not 0. AllocatePool and FreePool count separately. */
unsigned impl_missing(const struct impl *impl, unsigned declared);
/* The same from the SVC_* mask an implementation exports. */
unsigned impl_missing_of(unsigned exported, unsigned declared);
/* The exported names of the SVC_* bits in mask, joined by sep, into out
 * (as snprintf: returns the length it needed). */
size_t impl_service_names(unsigned mask, const char *sep, char *out,
                          size_t cap);
/* Load a shared object as it is, whatever it exports, once its imports
 * were read from the file. Returns 0, or -1 with a message in err (give it
 * IMPL_ERR_MAX bytes): every import vpcert does not provide, with what it
 * does provide; else the loader's message. */
int impl_load(struct impl *impl, const char *path, char *err, size_t errlen);
/* Call fn for every undefined global (not weak) dynamic symbol of the
 * 64-bit ELF shared object at path, without loading it. Returns 0; 1 if
 * the file is not a 64-bit ELF shared object of this machine (nothing is
 * called); -1 if it cannot be read or is malformed. */
typedef void (*impl_symbol_fn)(void *ctx, const char *name);
int impl_elf_imports(const char *path, impl_symbol_fn fn, void *ctx);
/* Load an implementation: impl_load, then every IMPL_REQUIRED export must
 * be there. Returns 0, or -1 with a one-line reason in err ("cannot load
 * PATH: ...", or one naming exactly the required exports that are
 * missing); nothing stays loaded. */
int impl_open(struct impl *impl, const char *path, char *err, size_t errlen);
void impl_unload(struct impl *impl);
/* The statically linked shim (defined in harness/plugin/builtin.c, library
 * vpcert_builtin, linked only into programs that carry the shim). */
void impl_builtin(struct impl *impl);

#endif /* VPCERT_IMPL_H */
