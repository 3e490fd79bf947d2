#include "server/switchboard.h"

#include <tapi.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/secret.h"
#include "proto/framing.h"

namespace opentapi::server {
namespace {

constexpr std::uint32_t kApi22 = 0x00020002;
constexpr std::uint32_t kApi30 = 0x00030000;
constexpr std::uint32_t kOpenOptions = LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY;

// The version an application must have negotiated on the line to call a
// request type (docs/reference/tapi2-agent.md §1.2, §6.9): 2.2 for the agent-handle, session,
// queue and group functions, 3.0 for the two that return the queue structures
// (LINEQUEUELIST, LINEQUEUEINFO). lineSetQueueMeasurementPeriod carries none:
// it is 2.2 like its request type.
std::uint32_t min_version_for_request(std::uint32_t type) {
  switch (type) {
    case LINEPROXYREQUEST_GETQUEUELIST:
    case LINEPROXYREQUEST_GETQUEUEINFO:
      return kApi30;
    default:
      return type >= LINEPROXYREQUEST_CREATEAGENT ? kApi22 : Switchboard::kLowestApiVersion;
  }
}

// The messages a proxy may generate with lineProxyMessage (docs/reference/tapi2-agent.md §3.3
// [DECIDE]) and the version a receiver needs to get each (§4.2).
std::optional<std::uint32_t> proxy_message_min_version(std::uint32_t msg) {
  switch (msg) {
    case LINE_AGENTSTATUS:
    case LINE_AGENTSPECIFIC:
      return Switchboard::kLowestApiVersion;
    case LINE_AGENTSESSIONSTATUS:
    case LINE_QUEUESTATUS:
    case LINE_AGENTSTATUSEX:
    case LINE_GROUPSTATUS:
      return kApi22;
    default:
      return std::nullopt;
  }
}

// An agent handler's messages about agents, queues and groups, which no line
// of their own: each application gets them once per open of one line
// (docs/acd.md "Announcements"), not on every line it has open.
bool handler_scoped(std::uint32_t msg) {
  return msg == LINE_AGENTSTATUSEX || msg == LINE_QUEUESTATUS || msg == LINE_GROUPSTATUS;
}

// NONE, MONITOR, OWNER, or OWNER | MONITOR (Windows: owner of the offered
// calls it takes, monitor of all the others; docs/calls.md), optionally with
// SINGLEADDRESS or PROXY (not both), nothing else (docs/reference/tapi2-agent.md §3.4 lineOpen).
bool valid_privileges(std::uint32_t privileges) {
  if ((privileges & kOpenOptions) == kOpenOptions) return false;
  const std::uint32_t base = privileges & ~kOpenOptions;
  return base == LINECALLPRIVILEGE_NONE || base == LINECALLPRIVILEGE_MONITOR || base == LINECALLPRIVILEGE_OWNER ||
         base == (LINECALLPRIVILEGE_OWNER | LINECALLPRIVILEGE_MONITOR);
}

// Every LINEMEDIAMODE_ bit Windows defines (UNKNOWN .. VIDEO).
constexpr std::uint32_t kAllMediaModes = 0x0000FFFE;

// A log value: bare if it is a simple token, else double-quoted with escapes.
std::string quote(std::string_view v) {
  const bool bare = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '"' && c != '=' && c != '\\';
  });
  if (bare) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string hex(std::uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x00000000";
  for (int i = 9; i >= 2; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHex[v & 0xF];
  return out;
}

std::string join(const std::vector<std::uint32_t>& types) {
  std::string out;
  for (std::uint32_t t : types) {
    if (!out.empty()) out += ',';
    out += std::to_string(t);
  }
  return out.empty() ? "-" : out;
}

const char* to_string(Transport t) { return t == Transport::kTcp ? "tcp" : "unix"; }

// "tcp:192.0.2.7:40312" -> "192.0.2.7", "tcp:[::1]:40312" -> "[::1]": the
// address a TCP peer's failures are counted under.
std::string peer_address(std::string_view user) {
  if (user.starts_with("tcp:")) user.remove_prefix(4);
  const std::size_t colon = user.rfind(':');
  if (colon != std::string_view::npos && colon > 0 && user.find(':') == colon) user = user.substr(0, colon);
  if (colon != std::string_view::npos && user.starts_with('[') && user[colon - 1] == ']') user = user.substr(0, colon);
  return std::string(user);
}

}  // namespace

Switchboard::Switchboard(SwitchboardConfig config, Outbox& outbox, Journal* journal)
    : config_(std::move(config)),
      outbox_(outbox),
      journal_(journal),
      opens_(config_.devices.size()),
      registry_(config_.devices.size()),
      token_failures_(config_.token_lockout),
      switch_(config_.devices.plan, config_.call_limits) {}

void Switchboard::connect(ConnectionId conn, Identity identity) {
  auto [it, inserted] = apps_.try_emplace(conn, config_.first_request_id, config_.last_request_id);
  if (!inserted) return;
  connected_.store(apps_.size(), std::memory_order_relaxed);
  it->second.identity = std::move(identity);
  log(Journal::Level::kInfo, "event=connect conn=" + std::to_string(conn) + " user=" + quote(it->second.identity.user) +
                                 " transport=" + to_string(it->second.identity.transport));
}

void Switchboard::receive(ConnectionId conn, const wire::ClientToServer& m) {
  const auto it = apps_.find(conn);
  if (it == apps_.end()) return;
  Application& app = it->second;
  if (app.stage == Stage::kClosing) return;
  if (app.stage == Stage::kAwaitingHello) {
    on_hello(conn, app, m);
    return;
  }
  const std::uint32_t seq = m.seq();
  switch (m.body_case()) {
    case wire::ClientToServer::kHello:
      refuse(conn, app, LINEERR_OPERATIONFAILED, "Hello sent twice");
      return;
    case wire::ClientToServer::kNegotiate:
      on_negotiate(conn, seq, m.negotiate());
      return;
    case wire::ClientToServer::kOpen:
      on_open(conn, app, seq, m.open());
      return;
    case wire::ClientToServer::kClose:
      on_close(conn, app, seq, m.close());
      return;
    case wire::ClientToServer::kRequest:
      on_request(conn, app, seq, m.request());
      return;
    case wire::ClientToServer::kProxyResponse:
      on_proxy_response(conn, app, seq, m.proxy_response());
      return;
    case wire::ClientToServer::kProxyMessage:
      on_proxy_message(conn, app, seq, m.proxy_message());
      return;
    case wire::ClientToServer::kGetProxyStatus:
      on_get_proxy_status(conn, seq, m.get_proxy_status());
      return;
    case wire::ClientToServer::kShutdown:
      on_shutdown(conn, app, seq);
      return;
    case wire::ClientToServer::kMakeCall:
      on_make_call(conn, app, seq, m.make_call());
      return;
    case wire::ClientToServer::kCallControl:
      on_call_control(conn, app, seq, m.call_control());
      return;
    case wire::ClientToServer::kGetDevCaps:
      on_get_dev_caps(conn, seq, m.get_dev_caps());
      return;
    case wire::ClientToServer::kGetAddressCaps:
      on_get_address_caps(conn, seq, m.get_address_caps());
      return;
    case wire::ClientToServer::kGetAddressStatus:
      on_get_address_status(conn, app, seq, m.get_address_status());
      return;
    case wire::ClientToServer::kGetLineDevStatus:
      on_get_line_dev_status(conn, app, seq, m.get_line_dev_status());
      return;
    case wire::ClientToServer::kGetCallInfo:
      on_get_call_info(conn, app, seq, m.get_call_info());
      return;
    case wire::ClientToServer::kGetCallStatus:
      on_get_call_status(conn, app, seq, m.get_call_status());
      return;
    case wire::ClientToServer::kGetCallIds:
      on_get_call_ids(conn, app, seq, m.get_call_ids());
      return;
    case wire::ClientToServer::kGetNewCalls:
      on_get_new_calls(conn, app, seq, m.get_new_calls());
      return;
    case wire::ClientToServer::kGetAddressId:
      on_get_address_id(conn, app, seq, m.get_address_id());
      return;
    case wire::ClientToServer::kSetStatusMessages:
      on_set_status_messages(conn, app, seq, m.set_status_messages());
      return;
    case wire::ClientToServer::kSetNumRings:
      on_set_num_rings(conn, app, seq, m.set_num_rings());
      return;
    case wire::ClientToServer::kGetNumRings:
      on_get_num_rings(conn, app, seq, m.get_num_rings());
      return;
    case wire::ClientToServer::kQueueOverflow: {
      client_queue_overflows_.fetch_add(1, std::memory_order_relaxed);
      const auto d = overflow_log_.admit(now().unix_ms());
      if (d.log) {
        log(Journal::Level::kWarn,
            "event=client-queue-overflow " + describe(conn, app) +
                " limit=" + std::to_string(m.queue_overflow().limit()) + " suppressed=" + std::to_string(d.suppressed) +
                " note=\"the application does not take its messages; it was told to reinitialize\"");
      }
      return;
    }
    case wire::ClientToServer::BODY_NOT_SET:
      break;
  }
  refuse(conn, app, LINEERR_OPERATIONFAILED, "message without a known body");
}

void Switchboard::receive_malformed(ConnectionId conn, std::string_view why) {
  const auto it = apps_.find(conn);
  if (it == apps_.end() || it->second.stage == Stage::kClosing) return;
  refuse(conn, it->second, LINEERR_OPERATIONFAILED, "undecodable frame: " + std::string(why));
}

void Switchboard::disconnect(ConnectionId conn, std::string_view reason) {
  const auto it = apps_.find(conn);
  if (it == apps_.end()) return;
  Application& app = it->second;
  if (app.stage != Stage::kClosing) shut_down(conn, app);
  const std::string why = app.close_reason.empty() ? std::string(reason) : app.close_reason;
  log(Journal::Level::kInfo, "event=disconnect " + describe(conn, app) + " reason=" + quote(why));
  if (app.close_reason.empty() && reason.starts_with(kOverflowReason)) {
    slow_consumers_.store(slow_consumers_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  apps_.erase(it);
  connected_.store(apps_.size(), std::memory_order_relaxed);
}

// ---- handshake ----

void Switchboard::on_hello(ConnectionId conn, Application& app, const wire::ClientToServer& m) {
  if (m.body_case() != wire::ClientToServer::kHello) {
    refuse(conn, app, LINEERR_UNINITIALIZED, "the first message must be Hello");
    return;
  }
  const wire::Hello& h = m.hello();
  if (h.protocol_version() != proto::kProtocolVersion) {
    refuse(conn, app, LINEERR_OPERATIONFAILED,
           "protocol version " + std::to_string(h.protocol_version()) + " is not supported (this server speaks " +
               std::to_string(proto::kProtocolVersion) + ")");
    return;
  }
  if (app.identity.transport == Transport::kTcp) {
    // Guessing the token is slowed per peer address (the port changes with
    // every attempt): after a run of wrong tokens the address is locked out
    // for a time that doubles, and its Hellos are refused unchecked.
    const std::string address = peer_address(app.identity.user);
    const std::int64_t now_ms = now().unix_ms();
    if (const std::int64_t wait_ms = token_failures_.locked_for(address, now_ms); wait_ms > 0) {
      tcp_token_locked_out_.fetch_add(1, std::memory_order_relaxed);
      refuse(conn, app, LINEERR_OPERATIONFAILED,
             "authentication refused: too many wrong tokens from " + address + "; try again in " +
                 std::to_string((wait_ms + 999) / 1000) + " s");
      return;
    }
    if (config_.tcp_token.empty() || !core::same_secret(h.token(), config_.tcp_token)) {
      tcp_token_failures_.fetch_add(1, std::memory_order_relaxed);
      if (const std::int64_t lockout_ms = token_failures_.record_failure(address, now_ms); lockout_ms > 0) {
        log(Journal::Level::kWarn,
            "event=token-lockout peer=" + quote(address) + " lockout_ms=" + std::to_string(lockout_ms));
      }
      refuse(conn, app, LINEERR_OPERATIONFAILED, "authentication failed: a TCP client must present the server's token");
      return;
    }
    token_failures_.record_success(address);
  }
  if (h.app_name().size() > kMaxNameBytes) {
    refuse(conn, app, LINEERR_INVALAPPNAME, "application name longer than " + std::to_string(kMaxNameBytes) + " bytes");
    return;
  }
  if (h.machine().size() > kMaxNameBytes) {
    refuse(conn, app, LINEERR_INVALPARAM, "machine name longer than " + std::to_string(kMaxNameBytes) + " bytes");
    return;
  }
  if (config_.cluster) {
    if (auto refusal = config_.cluster->refusal()) {
      // Not a protocol error: the client is sent on to the owner.
      wire::ServerToClient out;
      wire::Error* e = out.mutable_error();
      e->set_code(LINEERR_REINIT);
      e->set_text(refusal->text);
      e->set_owner(refusal->owner);
      outbox_.send(conn, out);
      log(Journal::Level::kInfo, "event=redirect " + describe(conn, app) + " owner=" + quote(refusal->owner) +
                                     " reason=" + quote(refusal->text));
      app.close_reason = refusal->text;
      shut_down(conn, app);
      outbox_.close(conn, app.close_reason);
      return;
    }
  }
  app.app_name = h.app_name();
  app.machine = h.machine();
  app.pid = h.pid();
  app.instance_id = h.instance_id().substr(0, kMaxInstanceIdBytes);
  // A resuming client continues its numbering (docs/ha.md "Handles survive").
  if (h.first_request_id() != 0) app.requests = RequestIds(h.first_request_id(), config_.last_request_id);
  app.stage = Stage::kReady;

  wire::ServerToClient out;
  wire::Welcome* w = out.mutable_welcome();
  w->set_protocol_version(proto::kProtocolVersion);
  w->set_num_devices(config_.devices.size());
  w->set_server_api_version(kHighestApiVersion);
  w->set_user(app.identity.user);
  w->set_server_version(config_.server_version);
  outbox_.send(conn, out);
  log(Journal::Level::kInfo, "event=hello " + describe(conn, app) + " machine=" + quote(app.machine) +
                                 " pid=" + std::to_string(app.pid) + " app_api=" + hex(h.app_api_version()));
}

// ---- line functions ----

void Switchboard::on_negotiate(ConnectionId conn, std::uint32_t seq, const wire::NegotiateApiVersion& m) {
  if (m.device_id() >= config_.devices.size()) return answer(conn, seq, LINEERR_BADDEVICEID);
  if (m.low() > m.high() || m.high() < kLowestApiVersion || m.low() > kHighestApiVersion) {
    return answer(conn, seq, LINEERR_INCOMPATIBLEAPIVERSION);
  }
  wire::Result extra;
  extra.set_api_version(std::min(m.high(), kHighestApiVersion));
  extra.set_ext_version(0);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_open(ConnectionId conn, Application& app, std::uint32_t seq, const wire::Open& m) {
  const std::uint32_t device = m.device_id();
  if (device >= config_.devices.size()) return answer(conn, seq, LINEERR_BADDEVICEID);
  if (m.api_version() < kLowestApiVersion || m.api_version() > kHighestApiVersion) {
    return answer(conn, seq, LINEERR_INCOMPATIBLEAPIVERSION);
  }
  // opentapid offers no device extensions.
  if (m.ext_version() != 0) return answer(conn, seq, LINEERR_INCOMPATIBLEEXTVERSION);
  if (!valid_privileges(m.privileges())) return answer(conn, seq, LINEERR_INVALPRIVSELECT);
  // An owner names the media modes it takes calls of; others' are ignored
  // (Windows' lineOpen).
  if ((m.privileges() & LINECALLPRIVILEGE_OWNER) != 0 &&
      (m.media_modes() == 0 || (m.media_modes() & ~kAllMediaModes) != 0)) {
    return answer(conn, seq, LINEERR_INVALMEDIAMODE);
  }
  const bool single_address = (m.privileges() & LINEOPENOPTION_SINGLEADDRESS) != 0;
  if (single_address && m.address_id() >= config_.devices.plan.device(device)->addresses.size()) {
    return answer(conn, seq, LINEERR_INVALADDRESSID);
  }
  const bool proxy = (m.privileges() & LINEOPENOPTION_PROXY) != 0;
  const std::vector<std::uint32_t> types(m.proxy_request_types().begin(), m.proxy_request_types().end());
  if (proxy) {
    // docs/reference/tapi2-agent.md §3.4 [DECIDE]: a non-empty list of types 1..0x14.
    if (types.empty() || !std::all_of(types.begin(), types.end(), ProxyRegistry::valid_type)) {
      return answer(conn, seq, LINEERR_INVALPARAM);
    }
  }
  if (app.lines.size() >= config_.max_open_lines) return answer(conn, seq, LINEERR_RESOURCEUNAVAIL);

  std::uint32_t hline = app.last_hline;
  do {
    ++hline;
  } while (hline == 0 || app.lines.contains(hline));

  const bool acd_before = registry_.serves_acd(device);
  std::vector<std::uint32_t> registered;
  if (proxy) {
    auto added = registry_.register_all(device, ProxyHandler{conn, hline}, types);
    // docs/reference/tapi2-agent.md §2: a type already handled on the line, by anyone.
    if (!added) return answer(conn, seq, LINEERR_NOTREGISTERED);
    registered = std::move(*added);
  }
  app.last_hline = hline;
  LineOpen& open = app.lines[hline];
  open.device_id = device;
  open.api_version = m.api_version();
  open.privileges = m.privileges();
  open.media_modes = (m.privileges() & LINECALLPRIVILEGE_OWNER) != 0 ? m.media_modes() : 0;
  if (single_address) open.single_address = m.address_id();
  open.callback_instance = m.callback_instance();
  open.proxy_types = registered;
  opens_[device].push_back(OpenRef{conn, hline});

  wire::Result extra;
  extra.set_hline(hline);
  if (!proxy) add_replay(app, conn, open, hline, m.resume_after_event_seq(), extra);
  answer(conn, seq, 0, &extra);

  if (proxy) {
    log(Journal::Level::kInfo, "event=proxy-open " + describe(conn, app) + " device=" + std::to_string(device) +
                                   " hline=" + std::to_string(hline) + " types=" + join(registered));
    // docs/reference/flows.md §2.1 step 4: one OPEN per newly registered type, then
    // ALLOPENFORACD if this open completed the ACD set.
    for (std::uint32_t t : registered) {
      fan_out(device, OpenRef{conn, hline}, kApi22, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, t, 0);
    }
    if (!acd_before && registry_.serves_acd(device)) {
      log(Journal::Level::kInfo, "event=acd-ready device=" + std::to_string(device));
      fan_out(device, OpenRef{conn, hline}, kApi22, LINE_PROXYSTATUS, LINEPROXYSTATUS_ALLOPENFORACD, 0, 0);
    }
  }
}

void Switchboard::on_close(ConnectionId conn, Application& app, std::uint32_t seq, const wire::Close& m) {
  if (!app.lines.contains(m.hline())) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  answer(conn, seq, 0);
  close_line(conn, app, m.hline());
}

void Switchboard::close_line(ConnectionId conn, Application& app, std::uint32_t hline) {
  if (!app.lines.contains(hline)) return;
  // docs/calls.md: the line's call handles go first; the calls they were the
  // last owner of are dropped, so their far ends hear of it.
  release_calls(conn, app, hline);
  const auto it = app.lines.find(hline);
  LineOpen open = std::move(it->second);
  app.lines.erase(it);
  auto& refs = opens_[open.device_id];
  std::erase_if(refs, [&](const OpenRef& r) { return r.conn == conn && r.hline == hline; });

  std::vector<std::uint64_t> waiting(open.delivered.begin(), open.delivered.end());
  std::sort(waiting.begin(), waiting.end());
  if (!open.proxy_types.empty()) {
    const std::vector<std::uint32_t> released = registry_.release(open.device_id, ProxyHandler{conn, hline});
    log(Journal::Level::kInfo, "event=proxy-close " + describe(conn, app) +
                                   " device=" + std::to_string(open.device_id) + " hline=" + std::to_string(hline) +
                                   " types=" + join(released) + " failed_requests=" + std::to_string(waiting.size()));
    for (std::uint32_t t : released) {
      fan_out(open.device_id, OpenRef{conn, hline}, kApi22, LINE_PROXYSTATUS, LINEPROXYSTATUS_CLOSE, t, 0);
    }
  }
  // docs/reference/flows.md §2.1 step 5, §6.2 item 7: the server completes what the proxy
  // left unanswered.
  for (std::uint64_t id : waiting) {
    const auto f = in_flight_.find(id);
    if (f == in_flight_.end()) continue;
    const InFlight request = f->second;
    in_flight_.erase(f);
    count_request(request.type, LINEERR_OPERATIONFAILED);
    send_reply(request.client, request.request_id, LINEERR_OPERATIONFAILED, nullptr);
  }
}

void Switchboard::on_shutdown(ConnectionId conn, Application& app, std::uint32_t seq) {
  answer(conn, seq, 0);
  app.close_reason = "application shut down";
  shut_down(conn, app);
  outbox_.close(conn, app.close_reason);
}

void Switchboard::shut_down(ConnectionId conn, Application& app) {
  app.stage = Stage::kClosing;
  // docs/reference/tapi2-agent.md §3.4 lineShutdown [DECIDE]: the app's outstanding requests
  // are cancelled: no reply will ever be sent; the proxy's late answer is
  // accepted and discarded.
  for (std::uint64_t id : app.requests.take_all()) {
    const auto f = in_flight_.find(id);
    if (f != in_flight_.end()) f->second.client = 0;
  }
  while (!app.lines.empty()) close_line(conn, app, app.lines.begin()->first);
}

// ---- agent requests ----

void Switchboard::on_request(ConnectionId conn, Application& app, std::uint32_t seq, const wire::AgentRequest& m) {
  const std::uint32_t type = m.request_type();
  const auto refuse_request = [&](std::int32_t code) {
    count_request(type, code);
    answer(conn, seq, code);
  };
  std::uint32_t device = 0;
  std::uint32_t client_api_version = 0;
  if (type == LINEPROXYREQUEST_GETAGENTCAPS) {
    // lineGetAgentCaps takes a device id, not a line (docs/reference/tapi2-agent.md §3.2).
    device = m.device_id();
    if (device >= config_.devices.size()) return refuse_request(LINEERR_BADDEVICEID);
    client_api_version = m.app_api_version();
    if (client_api_version < kLowestApiVersion || client_api_version > kHighestApiVersion) {
      return refuse_request(LINEERR_INCOMPATIBLEAPIVERSION);
    }
  } else {
    const auto it = app.lines.find(m.hline());
    if (it == app.lines.end()) return refuse_request(LINEERR_INVALLINEHANDLE);
    device = it->second.device_id;
    client_api_version = it->second.api_version;
    if (client_api_version < min_version_for_request(type)) return refuse_request(LINEERR_OPERATIONUNAVAIL);
  }
  // docs/reference/tapi2-agent.md §2 [DECIDE]: no handler fails at once. A type outside
  // 1..0x14 (a function this server does not know) never has one.
  const std::optional<ProxyHandler> handler = registry_.handler(device, type);
  if (!handler) return refuse_request(LINEERR_OPERATIONUNAVAIL);
  if (m.payload().size() > proto::kMaxPayloadBytes) return refuse_request(LINEERR_INVALPARAM);
  if (app.requests.size() >= config_.max_outstanding_requests) return refuse_request(LINEERR_RESOURCEUNAVAIL);

  const std::uint64_t proxy_request_id = last_proxy_request_id_ + 1;
  const std::uint32_t request_id = app.requests.allocate(proxy_request_id);
  if (request_id == 0) return refuse_request(LINEERR_RESOURCEUNAVAIL);
  last_proxy_request_id_ = proxy_request_id;
  in_flight_.emplace(proxy_request_id, InFlight{conn, request_id, *handler, type});
  apps_.at(handler->conn).lines.at(handler->hline).delivered.insert(proxy_request_id);

  // docs/reference/flows.md §3.1: the client has its request id before the proxy sees the request.
  answer(conn, seq, static_cast<std::int32_t>(request_id));

  wire::ServerToClient out;
  wire::ProxyRequestDelivery* d = out.mutable_proxy_request();
  d->set_hline(handler->hline);
  d->set_proxy_request_id(proxy_request_id);
  d->set_request_type(type);
  d->set_payload(m.payload());
  d->set_output_size(m.output_size());
  d->set_client_machine(app.machine);
  d->set_client_user(app.identity.user);
  d->set_client_api_version(client_api_version);
  if (!app.instance_id.empty() && m.origin_id() != 0) {
    d->set_client_instance_id(app.instance_id);
    d->set_origin_id(m.origin_id());
  }
  outbox_.send(handler->conn, out);
}

void Switchboard::on_proxy_response(ConnectionId conn, Application& app, std::uint32_t seq,
                                    const wire::ProxyResponse& m) {
  const auto f = in_flight_.find(m.proxy_request_id());
  // docs/reference/tapi2-agent.md §3.3 [DECIDE]: unknown or already answered.
  if (f == in_flight_.end()) return answer(conn, seq, LINEERR_INVALPOINTER);
  if (!(f->second.proxy == ProxyHandler{conn, m.hline()})) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  // A result is 0 or a negative LINEERR_*; the request stays pending so the
  // proxy can answer again properly.
  if (m.result() > 0) return answer(conn, seq, LINEERR_INVALPARAM);
  if (m.output().size() > proto::kMaxPayloadBytes) return answer(conn, seq, LINEERR_INVALPARAM);

  const InFlight request = f->second;
  in_flight_.erase(f);
  app.lines.at(m.hline()).delivered.erase(m.proxy_request_id());
  count_request(request.type, m.result());
  answer(conn, seq, 0);
  send_reply(request.client, request.request_id, m.result(), m.result() == 0 ? &m.output() : nullptr);
}

void Switchboard::on_proxy_message(ConnectionId conn, Application& app, std::uint32_t seq,
                                   const wire::ProxyMessage& m) {
  const auto it = app.lines.find(m.hline());
  if (it == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  const std::optional<std::uint32_t> min_version = proxy_message_min_version(m.msg());
  if (!min_version) return answer(conn, seq, LINEERR_INVALPARAM);
  // docs/reference/tapi2-agent.md §3.3 [DECIDE]: only a registered handler speaks for the line.
  if (it->second.proxy_types.empty()) return answer(conn, seq, LINEERR_NOTREGISTERED);
  // The agent messages a proxy may send are about lines, not calls: a call
  // handle in one is refused rather than translated for every receiver.
  if (m.hcall() != 0) return answer(conn, seq, LINEERR_INVALCALLHANDLE);
  answer(conn, seq, 0);
  last_event_seq_ = std::max(last_event_seq_, m.event_seq());
  if (handler_scoped(m.msg())) {
    // The agent handler's lines: those this proxy application serves.
    std::vector<std::uint32_t> served;
    for (const auto& [h, open] : app.lines) {
      if (!open.proxy_types.empty()) served.push_back(open.device_id);
    }
    std::sort(served.begin(), served.end());
    served.erase(std::unique(served.begin(), served.end()), served.end());
    return fan_out_to_handler_apps(served, OpenRef{conn, m.hline()}, *min_version, m.msg(), m.param1(), m.param2(),
                                   m.param3(), m.event_seq());
  }
  fan_out(it->second.device_id, OpenRef{conn, m.hline()}, *min_version, m.msg(), m.param1(), m.param2(), m.param3(),
          m.event_seq());
}

void Switchboard::add_replay(const Application& app, ConnectionId conn, const LineOpen& open, std::uint32_t hline,
                             std::uint64_t after, wire::Result& result) {
  std::optional<StatusReplay> replay;
  if (after != 0 && config_.replay) replay = config_.replay(after);
  if (after != 0 && (!replay || replay->gap)) {
    // The application re-reads at INSERVICE instead (docs/ha.md).
    result.set_replay_gap(true);
    log(Journal::Level::kInfo, "event=replay-gap hline=" + std::to_string(hline) + " after=" + std::to_string(after));
  }
  std::uint64_t position = last_event_seq_;
  if (replay) {
    position = std::max(position, replay->through);
    // What fan_out would have sent this open, in the same order.
    for (const ReplayedStatus& r : replay->messages) {
      const std::optional<std::uint32_t> min_version = proxy_message_min_version(r.msg);
      if (!min_version || open.api_version < *min_version) continue;
      if (handler_scoped(r.msg)) {
        // Where fan_out_to_handler_apps sends it now: the lowest of the
        // application's lines reopened so far (the library reopens them
        // lowest device first, so that is where they went before).
        const std::vector<std::uint32_t> own{r.device};
        const std::vector<std::uint32_t>& served = replay->handler_devices.empty() ? own : replay->handler_devices;
        if (handler_device(app, conn, served, *min_version, OpenRef{0, 0}) != open.device_id) continue;
      } else if (r.device != open.device_id) {
        continue;
      }
      wire::Message* m = result.add_replayed();
      m->set_hline(hline);
      m->set_msg(r.msg);
      m->set_param1(r.param1);
      m->set_param2(r.param2);
      m->set_param3(r.param3);
      m->set_callback_instance(open.callback_instance);
      m->set_event_seq(r.event_seq);
    }
  } else if (position == 0 && config_.event_seq) {
    position = config_.event_seq();
  }
  result.set_event_seq(position);
}

void Switchboard::on_get_proxy_status(ConnectionId conn, std::uint32_t seq, const wire::GetProxyStatus& m) {
  if (m.device_id() >= config_.devices.size()) return answer(conn, seq, LINEERR_BADDEVICEID);
  // lineGetProxyStatus is a 2.2 function.
  if (m.app_api_version() < kApi22 || m.app_api_version() > kHighestApiVersion) {
    return answer(conn, seq, LINEERR_INCOMPATIBLEAPIVERSION);
  }
  wire::Result extra;
  for (std::uint32_t t : registry_.served_types(m.device_id())) extra.add_request_types(t);
  answer(conn, seq, 0, &extra);
}

// ---- output ----

void Switchboard::answer(ConnectionId conn, std::uint32_t seq, std::int32_t result, const wire::Result* extra) {
  if (seq == 0) return;
  wire::ServerToClient out;
  wire::Result* r = out.mutable_result();
  if (extra != nullptr) *r = *extra;
  r->set_seq(seq);
  r->set_result(result);
  outbox_.send(conn, out);
}

void Switchboard::send_reply(ConnectionId client, std::uint32_t request_id, std::int32_t result,
                             const std::string* output, std::uint32_t hcall) {
  if (client == 0) return;  // the client shut down: discarded
  const auto it = apps_.find(client);
  if (it == apps_.end() || it->second.stage != Stage::kReady) return;
  it->second.requests.complete(request_id);
  wire::ServerToClient out;
  wire::Reply* r = out.mutable_reply();
  r->set_request_id(request_id);
  r->set_result(result);
  if (output != nullptr) r->set_output(*output);
  if (hcall != 0) r->set_hcall(hcall);
  outbox_.send(client, out);
}

namespace {

// A status message for fan-out: each receiver's hline and callback
// instance are set per send.
wire::ServerToClient status_frame(std::uint32_t msg, std::uint32_t param1, std::uint32_t param2, std::uint32_t param3,
                                  std::uint64_t event_seq) {
  wire::ServerToClient out;
  wire::Message* message = out.mutable_message();
  message->set_event_seq(event_seq);
  message->set_msg(msg);
  message->set_param1(param1);
  message->set_param2(param2);
  message->set_param3(param3);
  return out;
}

}  // namespace

void Switchboard::fan_out(std::uint32_t device, OpenRef except, std::uint32_t min_version, std::uint32_t msg,
                          std::uint32_t param1, std::uint32_t param2, std::uint32_t param3, std::uint64_t event_seq) {
  wire::ServerToClient out = status_frame(msg, param1, param2, param3, event_seq);
  wire::Message* message = out.mutable_message();
  for (const OpenRef& ref : opens_[device]) {
    if (ref.conn == except.conn && ref.hline == except.hline) continue;
    const auto it = apps_.find(ref.conn);
    if (it == apps_.end() || it->second.stage != Stage::kReady) continue;
    const LineOpen& open = it->second.lines.at(ref.hline);
    if (open.api_version < min_version) continue;
    // Each receiver sees its own handle and callback instance (§3.3 lineProxyMessage).
    message->set_hline(ref.hline);
    message->set_callback_instance(open.callback_instance);
    outbox_.send(ref.conn, out);
  }
}

std::optional<std::uint32_t> Switchboard::handler_device(const Application& app, ConnectionId conn,
                                                         const std::vector<std::uint32_t>& served,
                                                         std::uint32_t min_version, OpenRef except) {
  std::optional<std::uint32_t> lowest;
  for (const auto& [hline, open] : app.lines) {
    if (conn == except.conn && hline == except.hline) continue;
    if (!open.proxy_types.empty() || open.api_version < min_version) continue;
    if (lowest && open.device_id >= *lowest) continue;
    if (std::binary_search(served.begin(), served.end(), open.device_id)) lowest = open.device_id;
  }
  return lowest;
}

void Switchboard::fan_out_to_handler_apps(const std::vector<std::uint32_t>& served, OpenRef except,
                                          std::uint32_t min_version, std::uint32_t msg, std::uint32_t param1,
                                          std::uint32_t param2, std::uint32_t param3, std::uint64_t event_seq) {
  wire::ServerToClient out = status_frame(msg, param1, param2, param3, event_seq);
  wire::Message* message = out.mutable_message();
  for (const auto& [conn, app] : apps_) {
    if (app.stage != Stage::kReady) continue;
    const std::optional<std::uint32_t> device = handler_device(app, conn, served, min_version, except);
    if (!device) continue;
    for (const auto& [hline, open] : app.lines) {
      if (open.device_id != *device || !open.proxy_types.empty() || open.api_version < min_version) continue;
      if (conn == except.conn && hline == except.hline) continue;
      message->set_hline(hline);
      message->set_callback_instance(open.callback_instance);
      outbox_.send(conn, out);
    }
  }
}

// ---- counters ----

void Switchboard::count_request(std::uint32_t type, std::int32_t result) {
  const std::size_t t = type < kTypeSlots ? type : 0;
  std::size_t r = kResultSlots - 1;
  if (result >= 0) {
    r = 0;
  } else if (const std::uint32_t bits = static_cast<std::uint32_t>(result);
             bits > 0x80000000u && bits - 0x80000000u <= kLineErrSlots) {
    r = bits - 0x80000000u;
  }
  std::atomic<std::uint64_t>& counter = request_counts_[t][r];
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

SwitchboardStats Switchboard::stats() const {
  SwitchboardStats out;
  out.applications = connected_.load(std::memory_order_relaxed);
  out.slow_consumers = slow_consumers_.load(std::memory_order_relaxed);
  out.calls = calls_now_.load(std::memory_order_relaxed);
  out.calls_made = calls_made_.load(std::memory_order_relaxed);
  out.client_queue_overflows = client_queue_overflows_.load(std::memory_order_relaxed);
  out.tcp_token_failures = tcp_token_failures_.load(std::memory_order_relaxed);
  out.tcp_token_locked_out = tcp_token_locked_out_.load(std::memory_order_relaxed);
  for (std::size_t t = 0; t < kTypeSlots; ++t) {
    for (std::size_t r = 0; r < kResultSlots; ++r) {
      const std::uint64_t count = request_counts_[t][r].load(std::memory_order_relaxed);
      if (count == 0) continue;
      SwitchboardStats::RequestCount c;
      c.type = static_cast<std::uint32_t>(t);
      // The last slot holds every negative result outside 0x80000001…; it is
      // reported as 0x80000000, which no LINEERR_ uses.
      c.result = r == 0 ? 0 : static_cast<std::int32_t>(0x80000000u + (r == kResultSlots - 1 ? 0u : r));
      c.count = count;
      out.requests.push_back(c);
    }
  }
  return out;
}

// ---- errors and logs ----

void Switchboard::refuse(ConnectionId conn, Application& app, std::int32_t code, std::string reason) {
  wire::ServerToClient out;
  wire::Error* e = out.mutable_error();
  e->set_code(code);
  e->set_text(reason);
  outbox_.send(conn, out);
  log(Journal::Level::kWarn, "event=protocol-error " + describe(conn, app) +
                                 " code=" + hex(static_cast<std::uint32_t>(code)) + " reason=" + quote(reason));
  app.close_reason = std::move(reason);
  shut_down(conn, app);
  outbox_.close(conn, app.close_reason);
}

std::size_t Switchboard::out_of_service(std::string_view reason) {
  std::size_t closed = 0;
  wire::ServerToClient out;
  wire::Message* message = out.mutable_message();
  message->set_msg(LINE_LINEDEVSTATE);
  message->set_param1(LINEDEVSTATE_OUTOFSERVICE);
  for (auto& [conn, app] : apps_) {
    if (app.stage == Stage::kClosing) continue;
    if (app.stage == Stage::kReady) {
      for (const auto& [hline, open] : app.lines) {
        if ((open.line_states & LINEDEVSTATE_OUTOFSERVICE) == 0) continue;
        message->set_hline(hline);
        message->set_callback_instance(open.callback_instance);
        outbox_.send(conn, out);
      }
    }
    app.close_reason = std::string(reason);
    shut_down(conn, app);
    outbox_.close(conn, app.close_reason);
    ++closed;
  }
  log(Journal::Level::kWarn,
      "event=out-of-service applications=" + std::to_string(closed) + " reason=" + quote(reason));
  return closed;
}

void Switchboard::log(Journal::Level level, const std::string& line) {
  if (journal_ != nullptr) journal_->record(level, line);
}

std::string Switchboard::describe(ConnectionId conn, const Application& app) const {
  return "conn=" + std::to_string(conn) + " user=" + quote(app.identity.user) + " app=" + quote(app.app_name);
}

}  // namespace opentapi::server
