/*
 * bad_nonpaged_buffers: buffers come from NonPagedPool. The caller cannot
 * tell, but it spends a scarce resource: a WARN on the SHOULD clause BUF-5
 * at the first grant (buf-5-paged-backing.vpt op 0), so the verdict is
 * CERTIFIED_WITH_WARNINGS.
 */
#define BASE_BUFFER_POOL NonPagedPool /* FAULT: not paged */
#include "common.h"
