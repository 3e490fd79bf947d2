// The line devices opentapid offers: what lineInitializeEx reports as the
// number of devices and what lineOpen accepts as a device id.
//
// Filled from the command line (--lines, --addresses), raised by opentapid to
// cover the lines its ACD configuration serves. The server keeps no call state, so a
// device is only a name and a number of addresses.
#ifndef OPENTAPI_SERVER_LINE_DEVICES_H
#define OPENTAPI_SERVER_LINE_DEVICES_H

#include <cstdint>
#include <string>
#include <vector>

namespace opentapi::server {

struct LineDevice {
  std::string name;                 // e.g. "line 0"
  std::uint32_t num_addresses = 1;  // address ids 0 .. num_addresses-1
};

struct LineDevices {
  std::vector<LineDevice> lines;  // device id = index

  std::uint32_t size() const { return static_cast<std::uint32_t>(lines.size()); }

  // `count` devices named "line 0", "line 1", ... with `addresses` addresses each.
  static LineDevices uniform(std::uint32_t count, std::uint32_t addresses);
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_LINE_DEVICES_H
