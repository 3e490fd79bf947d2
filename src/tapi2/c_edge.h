// The exception barrier of libopentapi's C API: the twin of com_call
// (tapi3/com_support.h) for the functions of tapi.h.
//
// THE RULE: every function libopentapi exports with C linkage that returns a
// LONG (every line* function, today's and the call functions to come) runs
// its whole body inside c_call:
//
//   OPENTAPI_EXPORT LONG WINAPI lineSomething(HLINE hLine, ...) {
//     return c_call([&]() -> LONG { ... });
//   }
//
// so that no C++ exception ever reaches a C caller (docs/tapi2.md "No
// exception crosses the C API"). Inside, code is ordinary C++: it may
// allocate and let std::bad_alloc fly. c_call turns what reaches it into the
// documented LINEERR_ codes and logs nothing: a library has no business
// writing to the application's stderr, and the code says what happened.
//
// Model: leveldb's db/c.cc, where each C function converts the C++ failure
// into the C error once, at the edge.
#ifndef OPENTAPI_TAPI2_C_EDGE_H_
#define OPENTAPI_TAPI2_C_EDGE_H_

#include <new>
#include <type_traits>

#include "tapi.h"

namespace opentapi::tapi2 {

// Runs `body` and returns its LONG. std::bad_alloc (and anything derived from
// it, e.g. std::bad_array_new_length) becomes LINEERR_NOMEM; any other
// exception LINEERR_OPERATIONFAILED, the code every TAPI function may return
// for a failure it has no more specific code for.
template <class F>
LONG c_call(F&& body) noexcept {
  static_assert(std::is_same_v<std::invoke_result_t<F&>, LONG>, "a C API body returns the function's LONG");
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return LINEERR_NOMEM;
  } catch (...) {
    return LINEERR_OPERATIONFAILED;
  }
}

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_C_EDGE_H_
