/*
 * tapi3.h — what a Windows TAPI 3 program includes: the COM base
 * (tapi_com.h), the TAPI 3 error codes (tapi3err.h), the core interfaces
 * (tapi3if.h) and the call-center interfaces (tapi3cc.h). Link with
 * libopentapi (pkg-config opentapi, or find_package(opentapi)).
 *
 * C++ only. TAPI 2 (<tapi.h>) is separate and may be included alongside.
 */
#ifndef OPENTAPI_TAPI3_H
#define OPENTAPI_TAPI3_H

#include "tapi3cc.h"
#include "tapi3err.h"
#include "tapi3if.h"
#include "tapi_com.h"

#endif /* OPENTAPI_TAPI3_H */
