/* tp_no_symbol: a shared object without the entry point. */
#include "nbaq.h"

NBAQ_EXPORT int tp_no_symbol_something(void);
NBAQ_EXPORT int tp_no_symbol_something(void)
{
    return 42;
}
