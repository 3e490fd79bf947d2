#include "switch/number_plan.h"

#include <algorithm>
#include <set>
#include <utility>

namespace opentapi::switching {
namespace {

Status invalid(std::string message) { return Status::error(core::ErrorCode::kInvalParam, std::move(message)); }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string place_name(const NumberPlan& plan, AddressRef ref) {
  const PlannedDevice* d = plan.device(ref.device);
  if (d == nullptr) return "device " + std::to_string(ref.device);
  switch (d->kind) {
    case DeviceKind::kStation:
      return "station line " + std::to_string(ref.device) + " address " + std::to_string(ref.address);
    case DeviceKind::kRoutePoint:
      return "queue " + std::to_string(plan.queue_ids().at(ref.address));
    case DeviceKind::kTrunk:
      return "the trunk";
  }
  return "device " + std::to_string(ref.device);
}

}  // namespace

std::string_view to_string(DeviceKind kind) noexcept {
  switch (kind) {
    case DeviceKind::kStation:
      return "station";
    case DeviceKind::kRoutePoint:
      return "route point";
    case DeviceKind::kTrunk:
      return "trunk";
  }
  return "unknown";
}

bool is_dialable_number(std::string_view number) noexcept {
  if (number.empty() || number.size() > kMaxNumberLength) return false;
  if (number.front() == '+') number.remove_prefix(1);
  if (number.empty()) return false;
  return std::all_of(number.begin(), number.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; });
}

std::optional<std::string> add_to_number(std::string_view number, std::uint64_t step) {
  if (!all_digits(number)) return std::nullopt;
  std::string out(number);
  // Schoolbook addition from the right: numbers may be longer than any integer type.
  std::uint64_t carry = step;
  for (std::size_t i = out.size(); i-- > 0 && carry != 0;) {
    const std::uint64_t sum = static_cast<std::uint64_t>(out[i] - '0') + carry % 10;
    out[i] = static_cast<char>('0' + sum % 10);
    carry = carry / 10 + sum / 10;
  }
  while (carry != 0) {
    out.insert(out.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
  if (out.size() > kMaxNumberLength) return std::nullopt;
  return out;
}

Result<NumberPlan> NumberPlan::build(const NumberPlanConfig& config) {
  if (config.stations == 0) return invalid("stations: at least one station line is needed");
  if (config.addresses_per_station == 0) return invalid("addresses: a station line needs at least one address");
  if (!all_digits(config.first_number) || config.first_number.size() > kMaxNumberLength) {
    return invalid("first_number: \"" + config.first_number + "\" is not 1-32 digits");
  }

  NumberPlan plan;
  plan.stations_ = config.stations;
  plan.devices_.reserve(config.stations + 2);
  std::uint64_t next = 0;
  for (std::uint32_t d = 0; d < config.stations; ++d) {
    PlannedDevice device;
    device.kind = DeviceKind::kStation;
    device.addresses.resize(config.addresses_per_station);
    for (PlannedAddress& a : device.addresses) {
      std::optional<std::string> number = add_to_number(config.first_number, next++);
      if (!number) {
        return invalid("first_number: numbering from \"" + config.first_number + "\" runs past " +
                       std::to_string(kMaxNumberLength) + " digits");
      }
      a.number = std::move(*number);
    }
    plan.devices_.push_back(std::move(device));
  }

  std::set<std::uint32_t> overridden;
  for (const LineNumbers& line : config.line_numbers) {
    const std::string where = "line " + std::to_string(line.device);
    if (line.device >= config.stations) {
      return invalid(where + ": numbers: not a station line (stations are 0-" + std::to_string(config.stations - 1) +
                     ")");
    }
    if (!overridden.insert(line.device).second) return invalid(where + ": numbers given twice");
    if (line.numbers.size() > config.addresses_per_station) {
      return invalid(where + ": numbers: " + std::to_string(line.numbers.size()) + " numbers for " +
                     std::to_string(config.addresses_per_station) + " addresses");
    }
    for (std::size_t i = 0; i < line.numbers.size(); ++i) {
      if (!is_dialable_number(line.numbers[i])) {
        return invalid(where + ": numbers: \"" + line.numbers[i] +
                       "\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
      }
      plan.devices_[line.device].addresses[i].number = line.numbers[i];
    }
  }
  for (PlannedDevice& device : plan.devices_) {
    device.name = "Station " + device.addresses.front().number;
    for (PlannedAddress& a : device.addresses) a.name = device.name;
  }

  if (config.route_point && !config.queues.empty()) {
    PlannedDevice device;
    device.kind = DeviceKind::kRoutePoint;
    device.name = "ACD queues";
    device.max_active_calls = kUnlimited;
    device.max_on_hold_calls = kUnlimited;
    std::set<std::uint32_t> ids;
    for (const QueueNumber& q : config.queues) {
      const std::string where = "queue " + std::to_string(q.queue_id);
      if (!ids.insert(q.queue_id).second) return invalid(where + ": two queues with this id");
      if (!is_dialable_number(q.number)) {
        return invalid(where + ": number: \"" + q.number +
                       "\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
      }
      device.addresses.push_back(PlannedAddress{q.number, q.name});
      plan.queue_ids_.push_back(q.queue_id);
    }
    plan.route_point_ = plan.size();
    plan.devices_.push_back(std::move(device));
  }

  if (config.trunk) {
    if (!is_dialable_number(config.trunk_number)) {
      return invalid("trunk_number: \"" + config.trunk_number +
                     "\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
    }
    PlannedDevice device;
    device.kind = DeviceKind::kTrunk;
    device.name = "Outside lines";
    device.max_active_calls = kUnlimited;
    device.max_on_hold_calls = kUnlimited;
    device.addresses.push_back(PlannedAddress{config.trunk_number, device.name});
    plan.trunk_ = plan.size();
    plan.devices_.push_back(std::move(device));
  }

  for (std::uint32_t d = 0; d < plan.size(); ++d) {
    const auto& addresses = plan.devices_[d].addresses;
    for (std::uint32_t a = 0; a < addresses.size(); ++a) {
      const AddressRef ref{d, a};
      const auto [it, inserted] = plan.by_number_.try_emplace(addresses[a].number, ref);
      if (!inserted) {
        return invalid("number " + addresses[a].number + " is both " + place_name(plan, it->second) + " and " +
                       place_name(plan, ref));
      }
    }
  }
  return plan;
}

NumberPlan NumberPlan::uniform(std::uint32_t stations, std::uint32_t addresses) {
  NumberPlanConfig config;
  config.stations = stations;
  config.addresses_per_station = addresses;
  Result<NumberPlan> plan = build(config);
  return plan ? std::move(plan).value() : NumberPlan();
}

const PlannedDevice* NumberPlan::device(std::uint32_t device) const noexcept {
  return device < devices_.size() ? &devices_[device] : nullptr;
}

const PlannedAddress* NumberPlan::address(AddressRef ref) const noexcept {
  const PlannedDevice* d = device(ref.device);
  if (d == nullptr || ref.address >= d->addresses.size()) return nullptr;
  return &d->addresses[ref.address];
}

std::optional<AddressRef> NumberPlan::find(std::string_view number) const {
  const auto it = by_number_.find(std::string(number));
  if (it == by_number_.end()) return std::nullopt;
  return it->second;
}

}  // namespace opentapi::switching
