// Which application handles which agent request type on which line device
// (docs/reference/tapi2-agent.md §2): at most one handler per (device, LINEPROXYREQUEST_*).
//
// A handler is one proxy open: the connection of the application and the line
// handle it opened with LINEOPENOPTION_PROXY. Pure bookkeeping; the
// Switchboard decides what to tell whom.
#ifndef OPENTAPI_SERVER_PROXY_REGISTRY_H
#define OPENTAPI_SERVER_PROXY_REGISTRY_H

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace opentapi::server {

using ConnectionId = std::uint64_t;

struct ProxyHandler {
  ConnectionId conn = 0;
  std::uint32_t hline = 0;
  friend bool operator==(const ProxyHandler&, const ProxyHandler&) = default;
};

class ProxyRegistry {
 public:
  static constexpr std::uint32_t kFirstType = 0x01;  // LINEPROXYREQUEST_SETAGENTGROUP
  static constexpr std::uint32_t kLastType = 0x14;   // LINEPROXYREQUEST_SETAGENTSTATEEX
  // docs/reference/tapi2-agent.md §6.9 [DECIDE]: ALLOPENFORACD = handlers for 0x09..0x14.
  static constexpr std::uint32_t kFirstAcdType = 0x09;

  static bool valid_type(std::uint32_t type) { return type >= kFirstType && type <= kLastType; }

  explicit ProxyRegistry(std::uint32_t num_devices);

  // Registers `handler` for every type in `types` on `device`, or for none if
  // any of them already has a handler (docs/reference/tapi2-agent.md §3.4 lineOpen:
  // all-or-nothing). Duplicates in `types` are tolerated.
  // REQUIRES: device < number of devices; every type valid_type().
  // Returns the registered types, ascending and distinct; nullopt on conflict.
  std::optional<std::vector<std::uint32_t>> register_all(std::uint32_t device, ProxyHandler handler,
                                                         std::span<const std::uint32_t> types);

  // Ends every registration `handler` holds on `device`; returns those types, ascending.
  std::vector<std::uint32_t> release(std::uint32_t device, ProxyHandler handler);

  std::optional<ProxyHandler> handler(std::uint32_t device, std::uint32_t type) const;

  // The types with a handler on `device`, ascending (lineGetProxyStatus).
  std::vector<std::uint32_t> served_types(std::uint32_t device) const;

  // True when every type 0x09..0x14 has a handler on `device`.
  bool serves_acd(std::uint32_t device) const;

 private:
  using Slots = std::array<std::optional<ProxyHandler>, kLastType + 1>;  // index = type
  std::vector<Slots> devices_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_PROXY_REGISTRY_H
