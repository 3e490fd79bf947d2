#include "wide_text.h"

#include "layout/text.h"

namespace opentapi::cli {

// The one conversion of the project (layout/text.h).
std::wstring utf8_to_wide(const std::string& s) { return layout::utf8_to_wide_lossy(s); }

std::string wide_to_utf8(const std::wstring& w) { return layout::wide_to_utf8_lossy(w); }

}  // namespace opentapi::cli
