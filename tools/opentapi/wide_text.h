// UTF-8 ↔ wchar_t (UTF-32 on Linux) for the strings the CLI passes to the W
// functions of tapi.h and reads back from their structures: the layout
// library's lossy conversions (layout/text.h) under the CLI's names.
#ifndef OPENTAPI_TOOLS_OPENTAPI_WIDE_TEXT_H_
#define OPENTAPI_TOOLS_OPENTAPI_WIDE_TEXT_H_

#include <string>

namespace opentapi::cli {

// Each ill-formed sequence becomes one U+FFFD.
std::wstring utf8_to_wide(const std::string& s);

// Surrogates and values above U+10FFFF become U+FFFD.
std::string wide_to_utf8(const std::wstring& w);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_WIDE_TEXT_H_
