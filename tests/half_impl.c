/*
 * half_impl: a library that exports VideoPortAllocateBuffer and nothing
 * else, as a half-written port would. Loading it must be refused with a
 * message that names exactly what is missing (VideoPortReleaseBuffer), not
 * one that says it exports neither service (tests/cli_usage.sh).
 */
#include <vpcert/video.h>

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    (void)HwDeviceExtension;
    (void)Size;
    *Buffer = NULL;
    return ERROR_NOT_ENOUGH_MEMORY;
}
