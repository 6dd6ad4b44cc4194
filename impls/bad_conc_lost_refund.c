/*
 * bad_conc_lost_refund: conc_port whose allocations are serialized by a
 * fast mutex and write back the charge they read before their pool
 * request, while ReleaseBuffer refunds under the spin lock alone. Two
 * allocations never race (the mutex), and alone every call is right
 * (CERTIFIED under impls/default.ics); a release whose refund lands while
 * an allocation on another thread is in its pool request is overwritten,
 * so the room it gave back never returns. A later request that fits is
 * refused: QU-4 (a refund lost) under impls/thread-safe.ics, or CONC-1
 * when that request itself overlaps another call.
 */
#define CONC_STALE_CHARGE 1
#include "conc_port.h"
