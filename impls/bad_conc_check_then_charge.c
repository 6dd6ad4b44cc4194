/*
 * bad_conc_check_then_charge: conc_port with the quota tested before the
 * pool request and charged after it, with no lock: the classic
 * check-then-act race. Alone, every call is right (CERTIFIED under
 * impls/default.ics); two allocations whose pool requests overlap both pass
 * the test and take the device over its quota, which no order of the two
 * calls explains: CONC-1 under impls/thread-safe.ics.
 */
#define CONC_CHECK_THEN_CHARGE 1
#include "conc_port.h"
