/*
 * impl: one implementation under test behind one interface. The built-in
 * shim is linked statically (fast, for fuzzing); any other implementation
 * is a shared object loaded with dlopen (the plug-in ABI of video.h).
 * A service an implementation does not export is NULL here.
 */
#ifndef VPCERT_IMPL_H
#define VPCERT_IMPL_H

#include <stddef.h>

#include "vpcert/video.h"

enum vp_service {
    VP_SVC_ALLOCATE_BUFFER = 1u << 0,
    VP_SVC_RELEASE_BUFFER = 1u << 1,
    VP_SVC_ALLOCATE_POOL = 1u << 2,
    VP_SVC_FREE_POOL = 1u << 3,
    VP_SVC_ALL = 15u, /* the four services (an ICS `services` value) */
    VP_SVC_DEVICE_START = 1u << 4, /* VpcertDeviceStart */
    VP_SVC_DEVICE_STOP = 1u << 5   /* VpcertDeviceStop */
};

struct vp_impl {
    const char *name;                     /* "shim" or the library path */
    PFN_VP_ALLOCATE_BUFFER alloc_buffer;  /* required */
    PFN_VP_RELEASE_BUFFER release_buffer; /* required */
    PFN_VP_ALLOCATE_POOL alloc_pool;      /* optional */
    PFN_VP_FREE_POOL free_pool;           /* optional */
    PFN_VPCERT_DEVICE_START dev_start;    /* optional */
    PFN_VPCERT_DEVICE_STOP dev_stop;      /* optional */
    void *handle;                         /* dlopen handle, NULL if built in */
};

/* Services and lifecycle entry points exported, as a VP_SVC_* mask. */
unsigned vp_impl_services(const struct vp_impl *impl);
/* Services declared (VP_SVC_* mask) but not exported: ICS-1 fails when
 * this is not 0. AllocatePool and FreePool count separately. */
unsigned vp_impl_missing(const struct vp_impl *impl, unsigned declared);
/* Load a shared object. Returns 0, or -1 with the loader's message in err. */
int vp_impl_load(struct vp_impl *impl, const char *path, char *err,
                 size_t errlen);
void vp_impl_unload(struct vp_impl *impl);
/* The statically linked shim (defined in tools/builtin.c, linked only into
 * programs that carry the shim). */
void vp_impl_builtin(struct vp_impl *impl);

#endif /* VPCERT_IMPL_H */
