#include "acd/pbx_extension.h"

#include <cstring>

namespace opentapi::acd {

Status handle_pbx_request(CallCenter& acd, const Actor& actor, std::uint32_t extension_index, unsigned char* params,
                          std::uint32_t size, TimePoint now) {
  if (extension_index != 0) {
    return Status::error(ErrorCode::kInvalParam, "unknown agent extension index " + std::to_string(extension_index));
  }
  if (params == nullptr || size < sizeof(OPENTAPI_ACD_PBX_PARAMS)) {
    // The block is lineAgentSpecific's only structure, and its list has
    // LINEERR_STRUCTURETOOSMALL (docs/reference/tapi2-agent.md §3.2).
    return Status::error(ErrorCode::kStructureTooSmall, "PBX extension block smaller than 32 bytes");
  }
  OPENTAPI_ACD_PBX_PARAMS p;
  std::memcpy(&p, params, sizeof p);
  if (p.dwVersion != kPbxParamsVersion) {
    return Status::error(ErrorCode::kInvalParam, "PBX extension block version " + std::to_string(p.dwVersion));
  }
  Status allowed = acd.check_pbx_actor(actor);
  if (!allowed.ok()) return allowed;
  if (p.dwCallID == 0) return Status::error(ErrorCode::kInvalParam, "PBX call id 0");
  const CallId call = make_call_id(CallOrigin::kPbx, p.dwCallID);
  using E = CallCenter::CallEvent;
  switch (p.dwOperation) {
    case kPbxQueued:
      return acd.report_call(actor, E::kQueued, call, p.dwQueueID, now);
    case kPbxAnswered:
      return acd.report_call(actor, E::kAnswered, call, 0, now);
    case kPbxEnded:
      return acd.report_call(actor, E::kEnded, call, 0, now);
    case kPbxAbandoned:
      return acd.report_call(actor, E::kAbandoned, call, 0, now);
    case kPbxQuery: {
      auto v = acd.find_call(call);
      if (!v) return v.status();
      p.dwSession = v->session;
      p.dwPhase = static_cast<std::uint32_t>(v->phase);
      p.dwDevice = v->device;
      p.dwAddressID = v->address;
      p.dwQueueID = v->queue;
      std::memcpy(params, &p, sizeof p);
      return Status();
    }
    default:
      return Status::error(ErrorCode::kInvalParam, "unknown PBX operation " + std::to_string(p.dwOperation));
  }
}

}  // namespace opentapi::acd
