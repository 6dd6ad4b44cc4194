/*
 * conc_port: a video port written to be called from several threads at
 * once (impls/conc_port.h): the quota reserved and given back under the
 * device's quota lock, the live list under a list lock taken after it,
 * paged pool asked for outside every lock. Certified under impls/default.ics
 * (serialized) and impls/thread-safe.ics.
 */
#include "conc_port.h"
