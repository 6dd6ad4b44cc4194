/*
 * bad_own_tag: AllocatePool tags every block with the implementation's own
 * tag 'Dvcb' instead of the caller's (FreePool uses ExFreePool, so no free
 * rule is broken). A WARN on the SHOULD clause AP-TAG-1 at the first
 * AllocatePool (ap-tag-1-caller-tag.vpt op 0): CERTIFIED_WITH_WARNINGS.
 */
#define BASE_POOL_TAG(tag)                                                     \
    ((void)(tag), BASE_TAG) /* FAULT: caller's tag lost */
#include "common.h"
