/*
 * bad_wdm_list_packed: impls/wdm_port.h, except that the books are
 * declared under #pragma pack(4), as the headers of the port's debugger
 * extension declare the structures it reads (<pshpack4.h>). The lookaside
 * list of records follows the 12 bytes of Live and LiveCount, so it starts
 * at offset 12 of the books: 4 bytes short of a 16-byte boundary. A
 * lookaside list must be 16-byte aligned on a 64-bit system (its
 * SLIST_HEADER is updated with a 16-byte compare-exchange, which faults on
 * an address that is not). Breaks LL-3, when the list is initialized.
 */
#include <stddef.h>

#include <vpcert/video.h>

#define WDM_BOOKS_LAYOUT_BEGIN _Pragma("pack(push, 4)")
#define WDM_BOOKS_LAYOUT_END _Pragma("pack(pop)")
#include "wdm_port.h"

_Static_assert(offsetof(WDM_BOOKS, Records) % 16 == 12,
               "the record list is not 16-byte aligned");
