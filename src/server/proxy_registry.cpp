#include "server/proxy_registry.h"

namespace opentapi::server {

ProxyRegistry::ProxyRegistry(std::uint32_t num_devices) : devices_(num_devices) {}

std::optional<std::vector<std::uint32_t>> ProxyRegistry::register_all(std::uint32_t device, ProxyHandler handler,
                                                                      std::span<const std::uint32_t> types) {
  Slots& slots = devices_.at(device);
  for (std::uint32_t t : types) {
    if (slots.at(t).has_value()) return std::nullopt;
  }
  std::vector<std::uint32_t> added;
  for (std::uint32_t t = kFirstType; t <= kLastType; ++t) {
    for (std::uint32_t wanted : types) {
      if (wanted == t) {
        slots[t] = handler;
        added.push_back(t);
        break;
      }
    }
  }
  return added;
}

std::vector<std::uint32_t> ProxyRegistry::release(std::uint32_t device, ProxyHandler handler) {
  Slots& slots = devices_.at(device);
  std::vector<std::uint32_t> released;
  for (std::uint32_t t = kFirstType; t <= kLastType; ++t) {
    if (slots[t] == handler) {
      slots[t].reset();
      released.push_back(t);
    }
  }
  return released;
}

std::optional<ProxyHandler> ProxyRegistry::handler(std::uint32_t device, std::uint32_t type) const {
  if (device >= devices_.size() || !valid_type(type)) return std::nullopt;
  return devices_[device][type];
}

std::vector<std::uint32_t> ProxyRegistry::served_types(std::uint32_t device) const {
  std::vector<std::uint32_t> out;
  const Slots& slots = devices_.at(device);
  for (std::uint32_t t = kFirstType; t <= kLastType; ++t) {
    if (slots[t]) out.push_back(t);
  }
  return out;
}

bool ProxyRegistry::serves_acd(std::uint32_t device) const {
  const Slots& slots = devices_.at(device);
  for (std::uint32_t t = kFirstAcdType; t <= kLastType; ++t) {
    if (!slots[t]) return false;
  }
  return true;
}

}  // namespace opentapi::server
