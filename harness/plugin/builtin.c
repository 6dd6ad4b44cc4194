/* builtin: the statically linked shim as a struct impl. */
#include "impl.h"

#include <string.h>

void impl_builtin(struct impl *impl) {
    memset(impl, 0, sizeof *impl);
    impl->name = "shim (built in)";
    impl->alloc_buffer = VideoPortAllocateBuffer;
    impl->release_buffer = VideoPortReleaseBuffer;
    impl->alloc_pool = VideoPortAllocatePool;
    impl->free_pool = VideoPortFreePool;
    impl->dev_start = VpcertDeviceStart;
    impl->dev_stop = VpcertDeviceStop;
}
