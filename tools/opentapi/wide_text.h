// UTF-8 ↔ wchar_t (UTF-32 on Linux) for the strings the CLI passes to the W
// functions of tapi.h and reads back from their structures. The CLI's own
// conversion, kept in these two functions so that the shared conversion of
// the TAPI layout library can replace them in one place.
#ifndef OPENTAPI_TOOLS_OPENTAPI_WIDE_TEXT_H_
#define OPENTAPI_TOOLS_OPENTAPI_WIDE_TEXT_H_

#include <string>

namespace opentapi::cli {

// A byte that starts no sequence, or a sequence cut short by the end of the
// string, becomes U+FFFD; continuation bytes are taken as they come.
std::wstring utf8_to_wide(const std::string& s);

// Values above U+10FFFF become U+FFFD.
std::string wide_to_utf8(const std::wstring& w);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_WIDE_TEXT_H_
