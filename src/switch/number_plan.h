// The switch's devices and their dialable numbers (docs/calls.md "Devices,
// addresses and numbers"): which line devices exist, what kind each is, how
// many addresses it has, and the number and name of every address.
//
// Device order: the station lines 0 .. stations-1 (agents' telephones), then,
// when asked for, the ACD route point (one address per queue, in the order
// given, whose number is the queue's number), then the trunk (one address,
// where calls from the outside world start).
//
// Numbers. A dialable number is 1-32 characters of 0-9 * #, with an optional
// leading +. Station addresses are numbered in device, then address, order
// from `first_number` (digits only), each one more than the last, keeping the
// width ("0100" is followed by "0101"); a line's numbers can be replaced one
// by one. Every number belongs to one address: a duplicate is an error that
// names both places.
//
// A plain value: built once (validated), then read only.
#ifndef OPENTAPI_SWITCH_NUMBER_PLAN_H_
#define OPENTAPI_SWITCH_NUMBER_PLAN_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace opentapi::switching {

using core::Result;
using core::Status;

// One address of one line device.
struct AddressRef {
  std::uint32_t device = 0;
  std::uint32_t address = 0;
  friend auto operator<=>(const AddressRef&, const AddressRef&) = default;
};

enum class DeviceKind : std::uint8_t {
  kStation,     // an agent's telephone: one active call per address
  kRoutePoint,  // the ACD's queues: any number of calls, offered to the ACD
  kTrunk,       // the outside world: any number of calls
};

std::string_view to_string(DeviceKind kind) noexcept;

struct PlannedAddress {
  std::string number;
  std::string name;  // caller/called ID name: the line name, or the queue's name
};

struct PlannedDevice {
  DeviceKind kind = DeviceKind::kStation;
  std::string name;  // LINEDEVCAPS line name: "Station 2001", "ACD queues", "Outside lines"
  std::vector<PlannedAddress> addresses;
  // Calls an address may carry at once that are not on hold (the busy rule),
  // and on hold (docs/calls.md). kUnlimited for the route point and the trunk.
  std::uint32_t max_active_calls = 1;
  std::uint32_t max_on_hold_calls = 1;
};

inline constexpr std::uint32_t kUnlimited = 0xFFFFFFFFu;
inline constexpr std::size_t kMaxNumberLength = 32;

// A queue as the switch needs it: its number is dialled to reach it.
struct QueueNumber {
  std::uint32_t queue_id = 0;
  std::string number;
  std::string name;
};

// Numbers given to one station line, address 0 first. Addresses beyond the
// list keep their default numbers.
struct LineNumbers {
  std::uint32_t device = 0;
  std::vector<std::string> numbers;
};

struct NumberPlanConfig {
  std::uint32_t stations = 4;
  std::uint32_t addresses_per_station = 2;
  std::string first_number = "2001";
  std::vector<LineNumbers> line_numbers;
  // The ACD route point, after the stations; left out when there is no queue.
  bool route_point = false;
  std::vector<QueueNumber> queues;
  // The trunk, last.
  bool trunk = false;
  std::string trunk_number = "0";
};

// True for 1-32 characters of 0-9 * #, with an optional leading +.
bool is_dialable_number(std::string_view number) noexcept;

// `number` + `step` in decimal, keeping at least its width ("0099" + 1 is
// "0100", "99" + 1 is "100"). nullopt if `number` is not all digits or the
// result would be longer than kMaxNumberLength.
std::optional<std::string> add_to_number(std::string_view number, std::uint64_t step);

class NumberPlan {
 public:
  // Validates and numbers. Errors (kInvalParam, the message names the key and
  // the place): no station, no address per station, first_number not digits,
  // a number that is not dialable, an override for a line that is not a
  // station or with more numbers than the line has addresses, two overrides
  // for one line, a duplicate number ("number 2003 is both station line 1
  // address 0 and queue 3"), two queues with one id.
  static Result<NumberPlan> build(const NumberPlanConfig& config);

  // `stations` lines of `addresses` addresses numbered from 2001, no route
  // point, no trunk. REQUIRES: stations >= 1, addresses >= 1, and
  // stations * addresses small enough to stay within 32 digits.
  static NumberPlan uniform(std::uint32_t stations, std::uint32_t addresses);

  const std::vector<PlannedDevice>& devices() const noexcept { return devices_; }
  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(devices_.size()); }
  std::uint32_t stations() const noexcept { return stations_; }
  std::optional<std::uint32_t> route_point_device() const noexcept { return route_point_; }
  std::optional<std::uint32_t> trunk_device() const noexcept { return trunk_; }
  // Queue ids of the route point's addresses, by address id.
  const std::vector<std::uint32_t>& queue_ids() const noexcept { return queue_ids_; }

  // nullptr unless `ref` names an address of the plan.
  const PlannedDevice* device(std::uint32_t device) const noexcept;
  const PlannedAddress* address(AddressRef ref) const noexcept;
  // The address whose number is `number`.
  std::optional<AddressRef> find(std::string_view number) const;

 private:
  std::vector<PlannedDevice> devices_;
  std::uint32_t stations_ = 0;
  std::optional<std::uint32_t> route_point_;
  std::optional<std::uint32_t> trunk_;
  std::vector<std::uint32_t> queue_ids_;
  std::unordered_map<std::string, AddressRef> by_number_;
};

}  // namespace opentapi::switching

#endif  // OPENTAPI_SWITCH_NUMBER_PLAN_H_
