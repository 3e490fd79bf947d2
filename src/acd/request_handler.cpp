#include "acd/request_handler.h"

#include <algorithm>
#include <array>
#include <string>

#include "acd/pbx_extension.h"
#include "acd/structures.h"
#include "acd/virtual_acd.h"

namespace opentapi::acd {
namespace {

// LINEAGENTCAPS.ProxyGUID of every opentapi virtual ACD:
// {5E0C7A31-9D42-4B8E-A1F3-27C6D0B94E12}, in memory order.
constexpr std::array<std::uint8_t, 16> kProxyGuid = {0x31, 0x7A, 0x0C, 0x5E, 0x42, 0x9D, 0x8E, 0x4B,
                                                     0xA1, 0xF3, 0x27, 0xC6, 0xD0, 0xB9, 0x4E, 0x12};

// The outcome of filling an output structure.
Status filled(bool ok) {
  if (ok) return Status();
  return Status::error(ErrorCode::kStructureTooSmall, "output structure smaller than its fixed part");
}

// One operator() per request type.
class Handler {
 public:
  Handler(CallCenter& model, const Actor& actor, std::uint32_t device, Charset cs, std::uint32_t client_api,
          TimePoint now)
      : model_(model), actor_(actor), device_(device), cs_(cs), client_api_(client_api), now_(now) {}

  Status operator()(const RejectedRequest& r) const { return r.error; }

  // --- TAPI 2.0 agent on an address ---
  Status operator()(const SetAgentGroupRequest& r) const {
    return model_.set_agent_group(actor_, device_, r.address_id, r.groups, now_);
  }
  Status operator()(const SetAgentStateRequest& r) const {
    return model_.set_address_agent_state(actor_, device_, r.address_id, r.agent_state, r.next_agent_state, now_);
  }
  Status operator()(const SetAgentActivityRequest& r) const {
    return model_.set_agent_activity(actor_, device_, r.address_id, r.activity_id, now_);
  }
  Status operator()(const GetAgentCapsRequest& r) const {
    if (Status s = check_address(r.address_id); !s.ok()) return s;
    AgentCapsData caps;
    caps.handler_info = handler_info();
    caps.caps_version = std::min<std::uint32_t>(client_api_, kAcdApiHigh);
    caps.max_group_entries = model_.config().max_groups_per_address;
    caps.extension_ids.push_back(kPbxExtensionId);
    caps.proxy_guid = kProxyGuid;
    caps.include_proxy_guid = client_api_ >= kAcdApi22;
    return filled(fill_agent_caps(r.caps, caps, cs_));
  }
  Status operator()(const GetAgentStatusRequest& r) const {
    auto s = model_.agent_status(device_, r.address_id);
    if (!s) return s.status();
    return filled(fill_agent_status(r.status, *s, model_.group_list(), model_.activity_name(s->activity_id), cs_));
  }
  Status operator()(const AgentSpecificRequest& r) const {
    if (Status s = check_address(r.address_id); !s.ok()) return s;
    return handle_pbx_request(model_, actor_, r.extension_index, r.params.data(),
                              static_cast<std::uint32_t>(r.params.size()), now_);
  }
  Status operator()(const GetAgentActivityListRequest& r) const {
    if (Status s = check_address(r.address_id); !s.ok()) return s;
    return filled(fill_activity_list(r.list, model_.activity_list(), cs_));
  }
  Status operator()(const GetAgentGroupListRequest& r) const {
    if (Status s = check_address(r.address_id); !s.ok()) return s;
    return filled(fill_group_list(r.list, model_.group_list(), cs_));
  }

  // --- TAPI 2.2 agents, sessions, queues and groups ---
  Status operator()(const CreateAgentRequest& r) const {
    auto h = model_.create_agent(actor_, r.agent_id, r.pin, now_);
    if (h) r.agent.set(*h);
    return h.status();
  }
  Status operator()(const SetAgentMeasurementPeriodRequest& r) const {
    return model_.set_agent_period(actor_, r.agent, r.seconds, now_);
  }
  Status operator()(const GetAgentInfoRequest& r) const {
    auto info = model_.agent_info(r.agent, now_);
    if (!info) return info.status();
    return filled(fill_agent_info(r.info, *info));
  }
  Status operator()(const CreateAgentSessionRequest& r) const {
    auto h = model_.create_session(actor_, r.agent, r.pin, device_, r.working_address_id, r.group, now_);
    if (h) r.session.set(*h);
    return h.status();
  }
  Status operator()(const GetAgentSessionListRequest& r) const {
    auto list = model_.session_list(r.agent);
    if (!list) return list.status();
    return filled(fill_session_list(r.list, *list));
  }
  Status operator()(const SetAgentSessionStateRequest& r) const {
    return model_.set_session_state(actor_, r.session, r.state, r.next_state, now_);
  }
  Status operator()(const GetAgentSessionInfoRequest& r) const {
    auto info = model_.session_info(r.session, now_);
    if (!info) return info.status();
    return filled(fill_session_info(r.info, *info));
  }
  Status operator()(const GetQueueListRequest& r) const {
    auto list = model_.queue_list(r.group);
    if (!list) return list.status();
    return filled(fill_queue_list(r.list, *list, cs_));
  }
  Status operator()(const SetQueueMeasurementPeriodRequest& r) const {
    return model_.set_queue_period(actor_, r.queue, r.seconds, now_);
  }
  Status operator()(const GetQueueInfoRequest& r) const {
    auto info = model_.queue_info(r.queue, now_);
    if (!info) return info.status();
    return filled(fill_queue_info(r.info, *info));
  }
  Status operator()(const GetGroupListRequest& r) const {
    return filled(fill_group_list(r.list, model_.group_list(), cs_));
  }
  Status operator()(const SetAgentStateExRequest& r) const {
    return model_.set_agent_state(actor_, r.agent, r.state, r.next_state, now_);
  }

 private:
  // The 2.0 reads and the PBX extension name an address of the line; the
  // model checks it itself for the 2.0 changes.
  Status check_address(std::uint32_t address) const {
    if (address < model_.config().addresses_per_line) return Status();
    return Status::error(ErrorCode::kInvalAddressId, "no address " + std::to_string(address));
  }

  CallCenter& model_;
  const Actor& actor_;
  std::uint32_t device_;
  Charset cs_;
  std::uint32_t client_api_;
  TimePoint now_;
};

}  // namespace

Status handle_proxy_request(CallCenter& model, const ProxyRequest& request, const Actor& actor, std::uint32_t device,
                            TimePoint now) {
  return std::visit(Handler(model, actor, device, request.charset, request.client_api_version, now), request.body);
}

std::optional<SlowPinCheck> slow_pin_check(const CallCenter& model, const ProxyRequest& request, const Actor& actor,
                                           TimePoint now) {
  std::optional<std::string> stored;
  std::string pin;
  if (const auto* r = std::get_if<CreateAgentRequest>(&request.body)) {
    stored = model.slow_pin_check(actor, 0, r->agent_id, r->pin, now);
    pin = r->pin;
  } else if (const auto* s = std::get_if<CreateAgentSessionRequest>(&request.body)) {
    stored = model.slow_pin_check(actor, s->agent, "", s->pin, now);
    pin = s->pin;
  }
  if (!stored) return std::nullopt;
  return SlowPinCheck{std::move(*stored), std::move(pin)};
}

}  // namespace opentapi::acd
