/*
 * bad_wdm_malloc: impls/wdm_port.h, except that the device's books come
 * from calloc instead of the pool: memory vpcert cannot account, check or
 * see leak. Breaks HOST-1 (a SHOULD: CERTIFIED_WITH_WARNINGS).
 */
#include <stdlib.h>

#define WDM_BOOKS_ALLOCATE() calloc(1, sizeof(WDM_BOOKS))
#define WDM_BOOKS_FREE(Books) free(Books)
#include "wdm_port.h"
