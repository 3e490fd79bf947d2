#include "server/line_devices.h"

namespace opentapi::server {

LineDevices LineDevices::uniform(std::uint32_t count, std::uint32_t addresses) {
  return LineDevices{switching::NumberPlan::uniform(count, addresses)};
}

}  // namespace opentapi::server
