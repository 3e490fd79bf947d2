// The line devices opentapid offers: what lineInitializeEx reports as the
// number of devices, what lineOpen accepts as a device id, and the number of
// every address (docs/calls.md "Devices, addresses and numbers").
//
// Built by opentapid from the command line (--lines, --addresses,
// --first-number) and the ACD configuration (line numbers, queue numbers; the
// ACD route point and the trunk after the station lines). The switch's
// NumberPlan is the whole description.
#ifndef OPENTAPI_SERVER_LINE_DEVICES_H
#define OPENTAPI_SERVER_LINE_DEVICES_H

#include <cstdint>

#include "switch/number_plan.h"

namespace opentapi::server {

struct LineDevices {
  switching::NumberPlan plan;

  std::uint32_t size() const { return plan.size(); }

  // `count` station lines of `addresses` addresses each, numbered from 2001.
  // REQUIRES: count >= 1, addresses >= 1.
  static LineDevices uniform(std::uint32_t count, std::uint32_t addresses);
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_LINE_DEVICES_H
