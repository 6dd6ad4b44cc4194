/*
 * wdm_port: a conforming implementation written the way a kernel video port
 * is (impls/wdm_port.h): per-device state under a spin lock, buffers from
 * ExAllocatePool2 relying on the zeroing it asked for, a per-device
 * lookaside list of records in nonpaged books made at device start and
 * deleted at stop, DbgPrint. Certified under impls/default.ics.
 */
#include "wdm_port.h"
