/*
 * bad_conc_lock_order: conc_port whose ReleaseBuffer takes the list lock
 * and then the quota lock, while AllocateBuffer takes them the other way
 * round. Alone, every call is right (CERTIFIED under impls/default.ics);
 * an allocation holding the quota lock and a release holding the list lock
 * wait for each other forever: CONC-2 under impls/thread-safe.ics.
 */
#define CONC_RELEASE_LIST_FIRST 1
#include "conc_port.h"
