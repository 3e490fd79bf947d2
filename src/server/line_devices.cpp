#include "server/line_devices.h"

namespace opentapi::server {

LineDevices LineDevices::uniform(std::uint32_t count, std::uint32_t addresses) {
  LineDevices d;
  d.lines.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) d.lines.push_back({"line " + std::to_string(i), addresses});
  return d;
}

}  // namespace opentapi::server
