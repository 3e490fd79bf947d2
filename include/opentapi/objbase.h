/* objbase.h — lets Windows code write `#include <objbase.h>`: the COM base is in tapi_com.h. */
#include "tapi_com.h"
