#include "acd/proxy_request_parser.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <optional>

#include "layout/coding.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;
using core::Status;

#define REQ_OFF(field) static_cast<std::uint32_t>(offsetof(LINEPROXYREQUEST, field))

// The one fixed-width codec (layout/coding.h).
std::uint32_t get32(const unsigned char* p, std::uint64_t pos) { return layout::decode_fixed32(p + pos); }
void put32(unsigned char* p, std::uint64_t pos, std::uint32_t v) { layout::encode_fixed32(p + pos, v); }

// The start of the union of request-specific members (28).
constexpr std::uint32_t U = REQ_OFF(dwRequestType) + 4;

RejectedRequest rejected(ErrorCode code, std::string message) {
  return RejectedRequest{Status::error(code, std::move(message))};
}

// Bounds-checked reads of one request buffer.
class Reader {
 public:
  explicit Reader(std::span<unsigned char> bytes)
      : base_(bytes.data()),
        size_(static_cast<std::uint32_t>(
            std::min<std::size_t>(bytes.size(), std::numeric_limits<std::uint32_t>::max()))) {}

  unsigned char* base() const { return base_; }
  std::uint32_t size() const { return size_; }

  // The DWORD at `pos`; 0 if it lies beyond the buffer.
  std::uint32_t u32(std::uint32_t pos) const { return std::uint64_t{pos} + 4 <= size_ ? get32(base_, pos) : 0u; }

  // An embedded output structure at `pos`: its dwTotalSize, clipped to the buffer.
  OutputArea area(std::uint32_t pos) const {
    if (std::uint64_t{pos} + 12 > size_) return OutputArea{};
    return OutputArea{base_ + pos, std::min(get32(base_, pos), size_ - pos)};
  }

  // The string whose size and offset (from the start of the request) are
  // the DWORDs at `size_pos` and `offset_pos`.
  std::optional<std::string> text(std::uint32_t size_pos, std::uint32_t offset_pos, Charset cs) const {
    return decode_text(base_, size_, u32(size_pos), u32(offset_pos), cs);
  }

  // A GUID at `pos`; REQUIRES: pos + 16 <= size().
  core::GroupId guid(std::uint64_t pos) const {
    core::GroupId g;
    std::memcpy(g.bytes.data(), base_ + pos, 16);
    return g;
  }

  HandleSlot slot(std::uint32_t pos) const {
    return std::uint64_t{pos} + 4 <= size_ ? HandleSlot(base_ + pos) : HandleSlot();
  }

 private:
  unsigned char* base_;
  std::uint32_t size_;
};

ProxyRequestBody parse_set_agent_group(const Reader& r) {
  const std::uint32_t list = U + 4;
  const std::uint32_t total = r.u32(list);
  const std::uint32_t count = r.u32(list + offsetof(LINEAGENTGROUPLIST, dwNumEntries));
  const std::uint32_t off = r.u32(list + offsetof(LINEAGENTGROUPLIST, dwListOffset));
  const std::uint64_t bytes = std::uint64_t{count} * sizeof(LINEAGENTGROUPENTRY);
  if (count != 0 && (std::uint64_t{off} + bytes > total || std::uint64_t{list} + off + bytes > r.size())) {
    return rejected(ErrorCode::kInvalParam, "group list outside its structure");
  }
  SetAgentGroupRequest req{r.u32(U), {}};
  req.groups.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    req.groups.push_back(r.guid(std::uint64_t{list} + off + std::uint64_t{i} * sizeof(LINEAGENTGROUPENTRY)));
  }
  return req;
}

ProxyRequestBody parse_agent_specific(const Reader& r) {
  const std::uint32_t block = r.u32(U + 8);
  const std::uint32_t at = U + 12;
  if (std::uint64_t{at} + block > r.size()) {
    return rejected(ErrorCode::kInvalParam, "parameter block outside the request");
  }
  return AgentSpecificRequest{r.u32(U), r.u32(U + 4), std::span<unsigned char>(r.base() + at, block)};
}

ProxyRequestBody parse_create_agent(const Reader& r, Charset cs) {
  auto id = r.text(U + 4, U + 8, cs);
  auto pin = r.text(U + 12, U + 16, cs);
  if (!id || !pin) return rejected(ErrorCode::kInvalParam, "malformed agent ID or PIN string");
  return CreateAgentRequest{std::move(*id), std::move(*pin), r.slot(U)};
}

ProxyRequestBody parse_create_agent_session(const Reader& r, Charset cs) {
  using M = lineproxyrequest_createagentsession_tag;
  auto pin = r.text(U + offsetof(M, dwAgentPINSize), U + offsetof(M, dwAgentPINOffset), cs);
  if (!pin) return rejected(ErrorCode::kInvalParam, "malformed PIN string");
  if (std::uint64_t{U} + sizeof(M) > r.size()) return rejected(ErrorCode::kInvalParam, "request too short");
  CreateAgentSessionRequest req;
  req.agent = r.u32(U + offsetof(M, hAgent));
  req.pin = std::move(*pin);
  req.working_address_id = r.u32(U + offsetof(M, dwWorkingAddressID));
  req.group = r.guid(U + offsetof(M, GroupID));
  req.session = r.slot(U);
  return req;
}

ProxyRequestBody parse_get_queue_list(const Reader& r) {
  if (std::uint64_t{U} + 16 > r.size()) return rejected(ErrorCode::kInvalParam, "request too short");
  return GetQueueListRequest{r.guid(U), r.area(U + 16)};
}

ProxyRequestBody parse_body(const Reader& r, std::uint32_t type, Charset cs) {
  switch (type) {
    case LINEPROXYREQUEST_SETAGENTGROUP:
      return parse_set_agent_group(r);
    case LINEPROXYREQUEST_SETAGENTSTATE:
      return SetAgentStateRequest{r.u32(U), r.u32(U + 4), r.u32(U + 8)};
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      return SetAgentActivityRequest{r.u32(U), r.u32(U + 4)};
    case LINEPROXYREQUEST_GETAGENTCAPS:
      return GetAgentCapsRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_GETAGENTSTATUS:
      return GetAgentStatusRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      return parse_agent_specific(r);
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
      return GetAgentActivityListRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      return GetAgentGroupListRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_CREATEAGENT:
      return parse_create_agent(r, cs);
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD:
      return SetAgentMeasurementPeriodRequest{r.u32(U), r.u32(U + 4)};
    case LINEPROXYREQUEST_GETAGENTINFO:
      return GetAgentInfoRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_CREATEAGENTSESSION:
      return parse_create_agent_session(r, cs);
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST:
      return GetAgentSessionListRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
      return SetAgentSessionStateRequest{r.u32(U), r.u32(U + 4), r.u32(U + 8)};
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO:
      return GetAgentSessionInfoRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_GETQUEUELIST:
      return parse_get_queue_list(r);
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD:
      return SetQueueMeasurementPeriodRequest{r.u32(U), r.u32(U + 4)};
    case LINEPROXYREQUEST_GETQUEUEINFO:
      return GetQueueInfoRequest{r.u32(U), r.area(U + 4)};
    case LINEPROXYREQUEST_GETGROUPLIST:
      return GetGroupListRequest{r.area(U)};
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      return SetAgentStateExRequest{r.u32(U), r.u32(U + 4), r.u32(U + 8)};
    default:
      return rejected(ErrorCode::kOperationUnavail, "unknown request type " + std::to_string(type));
  }
}

}  // namespace

void HandleSlot::set(std::uint32_t handle) const {
  if (at_ != nullptr) put32(at_, 0, handle);
}

std::span<unsigned char> proxy_request_bytes(LPLINEPROXYREQUEST request) {
  auto* base = reinterpret_cast<unsigned char*>(request);
  return std::span<unsigned char>(base, get32(base, REQ_OFF(dwSize)));
}

std::vector<unsigned char> proxy_open_call_params() {
  // The request types as a DWORD array in the device-specific area
  // (docs/reference/tapi2-agent.md §5.9).
  constexpr std::uint32_t kTypes = LINEPROXYREQUEST_SETAGENTSTATEEX;  // 1 … 0x14, all of them
  std::vector<unsigned char> params(sizeof(LINECALLPARAMS) + kTypes * sizeof(DWORD), 0);
  put32(params.data(), offsetof(LINECALLPARAMS, dwTotalSize), static_cast<std::uint32_t>(params.size()));
  put32(params.data(), offsetof(LINECALLPARAMS, dwDevSpecificSize), kTypes * sizeof(DWORD));
  put32(params.data(), offsetof(LINECALLPARAMS, dwDevSpecificOffset), sizeof(LINECALLPARAMS));
  for (std::uint32_t t = 1; t <= kTypes; ++t) put32(params.data(), sizeof(LINECALLPARAMS) + (t - 1) * 4, t);
  return params;
}

ProxyRequest parse_proxy_request(std::span<unsigned char> bytes, Charset charset) {
  const Reader r(bytes);
  ProxyRequest req;
  req.type = r.u32(REQ_OFF(dwRequestType));
  req.charset = charset;
  auto user = r.text(REQ_OFF(dwClientUserNameSize), REQ_OFF(dwClientUserNameOffset), req.charset);
  if (user) req.user = std::move(*user);
  req.client_api_version = r.u32(REQ_OFF(dwClientAppAPIVersion));
  req.body = parse_body(r, req.type, req.charset);
  return req;
}

}  // namespace opentapi::acd
