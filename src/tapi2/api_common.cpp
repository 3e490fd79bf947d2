#include "tapi2/api_common.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <cwchar>

#include "client/registry.h"
#include "proto/framing.h"

namespace opentapi::tapi2 {

LONG find_application(HLINEAPP happ, std::shared_ptr<client::Application>* app) {
  auto& registry = client::Registry::instance();
  if (!registry.any_application()) return LINEERR_UNINITIALIZED;
  *app = registry.application(happ);
  return *app ? 0 : LINEERR_INVALAPPHANDLE;
}

LONG find_line(HLINE hline, LineTarget* target) {
  auto& registry = client::Registry::instance();
  if (!registry.any_application()) return LINEERR_UNINITIALIZED;
  target->app = registry.line_owner(hline);
  if (!target->app) return LINEERR_INVALLINEHANDLE;
  const auto line = target->app->line(hline);
  if (!line) return LINEERR_INVALLINEHANDLE;
  target->line = *line;
  return 0;
}

LONG any_application() { return client::Registry::instance().any_application() ? 0 : LINEERR_UNINITIALIZED; }

LONG find_call(HCALL hcall, CallTarget* target) {
  auto& registry = client::Registry::instance();
  if (!registry.any_application()) return LINEERR_UNINITIALIZED;
  target->app = registry.call_owner(hcall);
  if (!target->app) return LINEERR_INVALCALLHANDLE;
  const auto call = target->app->call_handle(hcall);
  if (!call) return LINEERR_INVALCALLHANDLE;
  target->call = *call;
  const auto line = target->app->line(call->hline);
  if (!line) return LINEERR_INVALCALLHANDLE;  // closed meanwhile: its handles die with it
  target->api_version = line->api_version;
  return 0;
}

LONG call_server(client::Application& app, wire::ClientToServer& msg, wire::Result* result) {
  if (const LONG rc = app.call(msg, result)) return rc;
  return result->result();
}

LONG check_state_pair(DWORD state, DWORD next_state, DWORD valid_bits) {
  if (state == 0 && next_state == 0) return LINEERR_INVALPARAM;
  for (const DWORD s : {state, next_state}) {
    if (s != 0 && (std::popcount(s) != 1 || (s & ~valid_bits) != 0)) return LINEERR_INVALAGENTSTATE;
  }
  return 0;
}

LONG check_output(const void* structure, OutputKind kind, LONG null_code, std::uint32_t* total_size,
                  std::uint32_t fixed) {
  if (structure == nullptr) return null_code;
  std::memcpy(total_size, structure, sizeof *total_size);  // dwTotalSize, first in every structure
  return *total_size < (fixed != 0 ? fixed : fixed_size(kind)) ? LINEERR_STRUCTURETOOSMALL : 0;
}

LONG start_agent_request(const std::shared_ptr<client::Application>& app, std::uint32_t server_hline,
                         std::uint32_t device_id, std::uint32_t request_type, std::uint32_t app_api_version,
                         const agent::AgentCall& call, std::uint32_t output_size, client::OutputSink sink) {
  wire::ClientToServer msg;
  auto* r = msg.mutable_request();
  r->set_hline(server_hline);
  r->set_device_id(device_id);
  r->set_request_type(request_type);
  r->set_app_api_version(app_api_version);
  if (!call.SerializeToString(r->mutable_payload())) return LINEERR_NOMEM;
  if (r->payload().size() > proto::kMaxPayloadBytes) return LINEERR_INVALPARAM;
  r->set_output_size(output_size);
  return app->start_request(msg, std::move(sink));
}

client::OutputSink structure_sink(OutputKind kind, void* structure, std::uint32_t total_size, Charset charset,
                                  std::uint32_t caller_fixed_size) {
  return [=](const std::string& bytes) -> std::int32_t {
    agent::AgentOutput output;
    if (!output.ParseFromString(bytes)) return LINEERR_OPERATIONFAILED;
    return write_caller_output(kind, output, static_cast<unsigned char*>(structure), total_size, charset,
                               caller_fixed_size)
               ? 0
               : LINEERR_OPERATIONFAILED;
  };
}

client::OutputSink handle_sink(DWORD* handle) {
  return [handle](const std::string& bytes) -> std::int32_t {
    agent::AgentOutput output;
    if (!output.ParseFromString(bytes)) return LINEERR_OPERATIONFAILED;
    DWORD value;
    if (output.has_hagent()) {
      value = output.hagent();
    } else if (output.has_hagent_session()) {
      value = output.hagent_session();
    } else {
      return LINEERR_OPERATIONFAILED;
    }
    std::memcpy(handle, &value, sizeof value);
    return 0;
  };
}

client::OutputSink params_sink(void* params, std::uint32_t size) {
  return [params, size](const std::string& bytes) -> std::int32_t {
    agent::AgentOutput output;
    if (!output.ParseFromString(bytes) || !output.has_params()) return LINEERR_OPERATIONFAILED;
    const std::size_t n = std::min<std::size_t>(size, output.params().size());
    if (n != 0) std::memcpy(params, output.params().data(), n);
    return 0;
  };
}

bool proxy_message_allowed(DWORD msg) {
  switch (msg) {
    case LINE_AGENTSTATUS:
    case LINE_AGENTSPECIFIC:
    case LINE_AGENTSESSIONSTATUS:
    case LINE_QUEUESTATUS:
    case LINE_AGENTSTATUSEX:
    case LINE_GROUPSTATUS:
      return true;
    default:
      return false;
  }
}

std::optional<client::ProxyRequestBuffer> build_delivery(const wire::ProxyRequestDelivery& d, bool wide) {
  agent::AgentCall call;
  if (!call.ParseFromString(d.payload())) return std::nullopt;
  ClientIdentity client{d.client_machine(), d.client_user(), d.client_api_version()};
  return build_proxy_request(d.request_type(), call, d.output_size(), client, wide ? Charset::kWide : Charset::kAnsi);
}

std::optional<std::string> utf8_arg(const char* s, bool* ok) {
  *ok = true;
  if (s == nullptr) return std::nullopt;
  std::string text(s);
  *ok = is_valid_utf8(text);
  return text;
}

std::optional<std::string> utf8_arg(const wchar_t* s, bool* ok) {
  *ok = true;
  if (s == nullptr) return std::nullopt;
  auto text = wide_to_utf8(std::wstring_view(s, std::wcslen(s)));
  *ok = text.has_value();
  return text;
}

}  // namespace opentapi::tapi2
