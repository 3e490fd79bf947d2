// Character sets at the edges of the C API: the A functions (and A-opened
// proxy lines) use UTF-8, the W functions wchar_t (UTF-32 on Linux);
// everything in between (the payload codec, the wire) is UTF-8.
//
// The conversions are the layout library's (layout/text.h), strict where
// this layer uses them: malformed UTF-8 or a wchar_t that is not a Unicode
// scalar value is reported, never repaired, so a caller can answer
// LINEERR_INVALPARAM instead of passing garbage on. These declarations give
// them the names the C API files use.
#ifndef OPENTAPI_TAPI2_CHARSET_H_
#define OPENTAPI_TAPI2_CHARSET_H_

#include "layout/text.h"

namespace opentapi::tapi2 {

using layout::Charset;
using layout::decode_string;
using layout::encode_string;
using layout::encoded_size;
using layout::is_valid_utf8;
using layout::utf8_to_wide;
using layout::wide_to_utf8;

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_CHARSET_H_
