// The Switchboard is the telephony server's meaning, without its sockets: the
// applications connected to opentapid, the lines they have open, who handles
// which agent request type on which line, the requests waiting for a proxy,
// and where every message goes (docs/reference/flows.md §1–§3, docs/reference/tapi2-agent.md §2–§4).
//
// It holds no ACD state: an agent request is forwarded untouched to the
// application registered as proxy for its type on that line, and the proxy's
// answer is forwarded back.
//
// Calls (docs/calls.md). The Switchboard drives the switch (src/switch: the
// calls themselves, the part of a TAPI service provider) and plays TAPISRV
// for them: it gives each application its own call handles (HCALL, per line
// open), with OWNER or MONITOR privilege, turns the switch's events into
// LINE_APPNEWCALL / LINE_CALLSTATE / LINE_CALLINFO / LINE_ADDRESSSTATE /
// LINE_LINEDEVSTATE messages, answers the call functions and queries, and
// ends the calls of an owner that goes away. The call handlers live in
// call_requests.cpp; the capability and status structures in call_views.h.
//
// Single-threaded and deterministic. The I/O layer calls connect() when a
// connection is accepted, receive() for every decoded frame,
// receive_malformed() when a frame cannot be decoded, and disconnect() when the
// connection is gone. Everything the Switchboard has to say goes out through
// the Outbox, synchronously, in the order it is said.
//
// One connection is one application (one HLINEAPP). Line handles and request
// ids are per application; proxy request ids are server-global.
#ifndef OPENTAPI_SERVER_SWITCHBOARD_H
#define OPENTAPI_SERVER_SWITCHBOARD_H

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/failed_logins.h"
#include "core/log_throttle.h"
#include "core/units.h"
#include "opentapi.pb.h"
#include "server/cluster_role.h"
#include "server/line_devices.h"
#include "server/proxy_registry.h"
#include "server/request_ids.h"
#include "switch/switch.h"

namespace opentapi::server {

enum class Transport { kUnix, kTcp };

// Who is on the other end of a connection, as the I/O layer established it.
struct Identity {
  std::string user;  // UNIX: login name from SO_PEERCRED; TCP: "tcp:<peer address>"
  Transport transport = Transport::kUnix;
};

// Where the Switchboard's output goes. Implemented by the I/O layer (and by
// tests). Neither method may call back into the Switchboard.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Queues `message` for connection `to`, after everything queued before.
  virtual void send(ConnectionId to, const wire::ServerToClient& message) = 0;
  // Asks that `conn` be closed once what was queued before it has been
  // written. The Switchboard has already forgotten the application's lines and
  // requests; the I/O layer still calls disconnect() later, as usual.
  virtual void close(ConnectionId conn, std::string_view reason) = 0;
};

// Where the Switchboard's log lines go: one structured `key=value` line per
// connection, handshake, disconnection and proxy registration change.
class Journal {
 public:
  enum class Level { kDebug, kInfo, kWarn };
  virtual ~Journal() = default;
  virtual void record(Level level, std::string_view line) = 0;
};

// The status messages a resumed line missed, read from the event log of the
// call center whose proxy announced them (docs/ha.md "Status messages
// replayed").
struct ReplayedStatus {
  std::uint32_t device = 0;
  std::uint32_t msg = 0;
  std::uint32_t param1 = 0;
  std::uint32_t param2 = 0;
  std::uint32_t param3 = 0;
  std::uint64_t event_seq = 0;
};
struct StatusReplay {
  std::vector<ReplayedStatus> messages;  // oldest first, every device
  std::uint64_t through = 0;             // the stream goes on after this seq
  bool gap = false;                      // the log does not hold every change asked for
  // The lines of the call center whose proxy sent the messages: its agent,
  // queue and group messages go to an application's lowest open one of them
  // (docs/acd.md "Announcements"). Empty: the messages' own devices.
  std::vector<std::uint32_t> handler_devices;
};

struct SwitchboardConfig {
  LineDevices devices = LineDevices::uniform(4, 2);
  // Shared secret a TCP client must present in Hello.token. Empty: TCP
  // clients are refused.
  std::string tcp_token;
  // Lockouts after wrong tokens, per TCP peer address ([security], as for
  // PINs and HTTP tokens; docs/security.md "Brute force").
  core::LockoutPolicy token_lockout;
  std::string server_version = "0";
  // Limits per application; beyond them the request fails with
  // LINEERR_RESOURCEUNAVAIL.
  std::size_t max_open_lines = 65536;
  std::size_t max_outstanding_requests = 65536;
  // First request id handed to each application, and the highest before the
  // ids wrap to 1. Only tests change them, to reach the wrap.
  std::uint32_t first_request_id = 1;
  std::uint32_t last_request_id = RequestIds::kMaxId;
  // The switch's limits (calls held at once, call data size).
  switching::SwitchLimits call_limits;
  // The wall clock for the calls' state entry times; empty: the system clock.
  std::function<core::TimePoint()> clock;
  // In a cluster (docs/ha.md): whether this node owns its call center now.
  // Null: a single node, always serving.
  std::shared_ptr<const ClusterRole> cluster;
  // The event log behind the proxies' status messages, read on the
  // Switchboard's thread (a resume is rare; the read is one query or a few):
  // `replay(after)` gives the messages of the changes after `after`, nullopt
  // when the log cannot be read now (then the line reopens with a gap);
  // `event_seq()` the last durable seq. Empty: nothing is replayed (an
  // external proxy's call center).
  std::function<std::optional<StatusReplay>(std::uint64_t after)> replay;
  std::function<std::uint64_t()> event_seq;
};

// Counters for /metrics (src/http): a copy taken with Switchboard::stats(),
// which any thread may call while the Switchboard runs (Server::stats()).
struct SwitchboardStats {
  // Agent requests completed with `result` (0 or a LINEERR_*; 0x80000000
  // for any other negative value), by request type (LINEPROXYREQUEST_*; 0
  // stands for every type this server does not know). Counted once, when the
  // caller's result is known: refused by the server, answered by the proxy,
  // or failed because the proxy closed its line. Only non-zero counts are
  // listed, ordered by type, then result.
  struct RequestCount {
    std::uint32_t type = 0;
    std::int32_t result = 0;
    std::uint64_t count = 0;
  };
  std::uint64_t applications = 0;            // connections open now (one per application)
  std::uint64_t slow_consumers = 0;          // disconnected because they did not read their messages
  std::uint64_t calls = 0;                   // call appearances the switch holds now
  std::uint64_t calls_made = 0;              // lineMakeCall requests that placed a call
  std::uint64_t client_queue_overflows = 0;  // libopentapi queues that overflowed (QueueOverflow notices)
  std::uint64_t tcp_token_failures = 0;      // Hellos over TCP/TLS with a wrong token
  std::uint64_t tcp_token_locked_out = 0;    // Hellos refused unchecked while their address was locked out
  std::vector<RequestCount> requests;
};

class Switchboard {
 public:
  // API versions lineNegotiateAPIVersion and lineOpen accept (docs/reference/tapi2-agent.md §1.2).
  static constexpr std::uint32_t kLowestApiVersion = 0x00020000;
  static constexpr std::uint32_t kHighestApiVersion = 0x00030001;
  // Longest Hello.app_name / Hello.machine accepted, in bytes.
  static constexpr std::size_t kMaxNameBytes = 1024;
  // Hello.instance_id beyond this is cut (a client sends 16 bytes).
  static constexpr std::size_t kMaxInstanceIdBytes = 64;

  // `outbox` and `journal` must outlive the Switchboard; `journal` may be null.
  Switchboard(SwitchboardConfig config, Outbox& outbox, Journal* journal = nullptr);

  Switchboard(const Switchboard&) = delete;
  Switchboard& operator=(const Switchboard&) = delete;

  // A connection was accepted. REQUIRES: `conn` is not connected already, and != 0.
  void connect(ConnectionId conn, Identity identity);

  // A frame arrived on `conn`. Frames on unknown or closing connections are ignored.
  void receive(ConnectionId conn, const wire::ClientToServer& message);

  // The byte stream of `conn` cannot be decoded any more (oversize or
  // malformed frame): answers Error and closes that connection only.
  void receive_malformed(ConnectionId conn, std::string_view why);

  // `conn` is gone (peer closed, I/O error, or after Outbox::close). Treated as
  // lineShutdown. `reason` is logged unless the Switchboard closed it itself.
  void disconnect(ConnectionId conn, std::string_view reason = "peer closed the connection");

  // This node stopped serving its call center (its lease is gone: docs/ha.md):
  // every line open that asked for it gets LINE_LINEDEVSTATE(OUTOFSERVICE),
  // then every application is closed, so that its library reconnects to
  // the owner. Returns how many applications were closed.
  std::size_t out_of_service(std::string_view reason);

  // ---- observation, for tests and logs ----
  std::size_t connections() const { return apps_.size(); }
  // Whether `conn`'s Hello was accepted (it is authenticated) and it is not closing.
  bool is_ready(ConnectionId conn) const {
    const auto it = apps_.find(conn);
    return it != apps_.end() && it->second.stage == Stage::kReady;
  }
  // Requests delivered to a proxy and not answered yet (server-wide).
  std::size_t requests_in_flight() const { return in_flight_.size(); }
  std::vector<std::uint32_t> served_types(std::uint32_t device) const { return registry_.served_types(device); }
  const SwitchboardConfig& config() const { return config_; }
  // The calls, as the switch holds them.
  const switching::Switch& calls() const { return switch_; }
  // Thread-safe: reads only the counters (relaxed atomics).
  SwitchboardStats stats() const;
  // The start of the reason the I/O layer gives disconnect() for a client
  // whose write queue overflowed (connection.cpp); such disconnections are
  // counted as slow consumers.
  static constexpr std::string_view kOverflowReason = "write queue overflow";

 private:
  // One lineOpen of one application.
  struct LineOpen {
    std::uint32_t device_id = 0;
    std::uint32_t api_version = 0;
    std::uint32_t privileges = 0;
    std::uint32_t media_modes = 0;
    std::optional<std::uint32_t> single_address;  // LINEOPENOPTION_SINGLEADDRESS
    std::uint64_t callback_instance = 0;
    std::vector<std::uint32_t> proxy_types;                      // registered through this open, ascending
    std::unordered_set<std::uint64_t> delivered;                 // proxy requests awaiting this open's response
    std::uint32_t line_states = 0;                               // lineSetStatusMessages: LINEDEVSTATE_* wanted
    std::uint32_t address_states = 0;                            // LINEADDRESSSTATE_* wanted
    std::unordered_map<std::uint32_t, std::uint32_t> num_rings;  // lineSetNumRings: address ID -> rings
    std::unordered_map<switching::CallId, std::uint32_t> calls;  // call -> this open's HCALL
  };

  // One HCALL of one application.
  struct CallHandle {
    switching::CallId call = 0;
    std::uint32_t hline = 0;      // the open it was given through
    std::uint32_t privilege = 0;  // LINECALLPRIVILEGE_OWNER or _MONITOR
  };

  enum class Stage { kAwaitingHello, kReady, kClosing };

  struct Application {
    Identity identity;
    Stage stage = Stage::kAwaitingHello;
    std::string app_name;
    std::string machine;
    std::uint32_t pid = 0;
    std::string instance_id;                  // Hello.instance_id (at most kMaxInstanceIdBytes)
    std::map<std::uint32_t, LineOpen> lines;  // by line handle
    std::uint32_t last_hline = 0;
    std::unordered_map<std::uint32_t, CallHandle> calls;  // by HCALL
    std::uint32_t last_hcall = 0;
    RequestIds requests;
    std::string close_reason;
    Application(std::uint32_t first_request_id, std::uint32_t last_request_id)
        : requests(first_request_id, last_request_id) {}
  };

  // A request delivered to a proxy, not yet answered.
  struct InFlight {
    ConnectionId client = 0;  // 0: the client shut down; the answer is discarded
    std::uint32_t request_id = 0;
    ProxyHandler proxy;
    std::uint32_t type = 0;  // LINEPROXYREQUEST_*, for the counters
  };

  // Completed agent requests by type and result. Written by the Switchboard's
  // thread only (load + store, no read-modify-write needed), read by any.
  // Result slots: 0 success, 1..kLineErrSlots LINEERR_ 0x80000001…, then one
  // for any other value.
  static constexpr std::size_t kTypeSlots = 0x15;
  static constexpr std::size_t kLineErrSlots = 0x80;
  static constexpr std::size_t kResultSlots = kLineErrSlots + 2;
  using RequestCounters = std::array<std::array<std::atomic<std::uint64_t>, kResultSlots>, kTypeSlots>;
  void count_request(std::uint32_t type, std::int32_t result);

  struct OpenRef {
    ConnectionId conn;
    std::uint32_t hline;
  };

  // Who holds a handle to a call appearance, in the order the handles were given.
  struct Holder {
    ConnectionId conn = 0;
    std::uint32_t hline = 0;
    std::uint32_t hcall = 0;
    std::uint32_t privilege = 0;
    bool told_privilege = false;  // its first LINE_CALLSTATE (which carries the privilege) is sent
  };
  struct CallRecord {
    std::vector<Holder> holders;
    std::string app_name;  // the application that placed the call (LINECALLINFO.dwAppName)
  };

  // One handler per request. Each answers with answer() first (when seq != 0)
  // and then sends whatever the request causes elsewhere, so a caller always
  // has its Result before anything that follows from it (e.g. the request id
  // before the proxy sees the request).
  void on_hello(ConnectionId conn, Application& app, const wire::ClientToServer& m);
  void on_negotiate(ConnectionId conn, std::uint32_t seq, const wire::NegotiateApiVersion& m);
  void on_open(ConnectionId conn, Application& app, std::uint32_t seq, const wire::Open& m);
  void on_close(ConnectionId conn, Application& app, std::uint32_t seq, const wire::Close& m);
  void on_request(ConnectionId conn, Application& app, std::uint32_t seq, const wire::AgentRequest& m);
  void on_proxy_response(ConnectionId conn, Application& app, std::uint32_t seq, const wire::ProxyResponse& m);
  void on_proxy_message(ConnectionId conn, Application& app, std::uint32_t seq, const wire::ProxyMessage& m);
  void on_get_proxy_status(ConnectionId conn, std::uint32_t seq, const wire::GetProxyStatus& m);
  void on_shutdown(ConnectionId conn, Application& app, std::uint32_t seq);

  // ---- calls (call_requests.cpp) ----
  void on_make_call(ConnectionId conn, Application& app, std::uint32_t seq, const wire::MakeCall& m);
  void on_call_control(ConnectionId conn, Application& app, std::uint32_t seq, const wire::CallControl& m);
  void on_get_dev_caps(ConnectionId conn, std::uint32_t seq, const wire::GetDevCaps& m);
  void on_get_address_caps(ConnectionId conn, std::uint32_t seq, const wire::GetAddressCaps& m);
  void on_get_address_status(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetAddressStatus& m);
  void on_get_line_dev_status(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetLineDevStatus& m);
  void on_get_call_info(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetCallInfo& m);
  void on_get_call_status(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetCallStatus& m);
  void on_get_call_ids(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetCallIds& m);
  void on_get_new_calls(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetNewCalls& m);
  void on_get_address_id(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetAddressId& m);
  void on_set_status_messages(ConnectionId conn, Application& app, std::uint32_t seq, const wire::SetStatusMessages& m);
  void on_set_num_rings(ConnectionId conn, Application& app, std::uint32_t seq, const wire::SetNumRings& m);
  void on_get_num_rings(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetNumRings& m);

  // The asynchronous call functions: a request id (Result), then LINE_REPLY
  // 0, then what the switch reports. `hcall` (MakeCall) goes in the Reply.
  // `request_id` was reserved with app.requests.allocate(0) before the
  // switch acted (0 and nothing is sent if seq is 0... see the .cpp).
  void complete_at_once(ConnectionId conn, Application& app, std::uint32_t seq, std::uint32_t request_id,
                        std::uint32_t hcall);
  // Gives `conn` a new handle to `call` through the open `hline`.
  std::uint32_t give_handle(ConnectionId conn, Application& app, std::uint32_t hline, switching::CallId call,
                            std::uint32_t privilege, bool told_privilege);
  // Takes one handle away (no message to its holder). The call is settled
  // later by the caller (settle()).
  void take_handle(ConnectionId conn, Application& app, std::uint32_t hcall);
  // Sends what the switch reported, in order, to the handle holders and the
  // opens that asked for status messages; then settles the calls involved.
  void publish(const switching::Events& events);
  void on_created(const switching::CallEvent& e);
  void on_address_calls(const switching::CallEvent& e);
  // A call nobody owns any more that cannot end by itself (DISCONNECTED,
  // BUSY; or any state when its last owner went away: `owner_left`) is
  // dropped; an IDLE call nobody holds is forgotten.
  void settle(switching::CallId call, bool owner_left = false);
  // LINE_CALLINFO `bits` to every holder of `call` but the handle `except` names
  // (conn, hcall): Microsoft's LINE_CALLINFO, the application that changes
  // the number of owners or monitors is not told of its own change.
  void call_info_to_holders(switching::CallId call, std::uint32_t bits,
                            std::optional<std::pair<ConnectionId, std::uint32_t>> except = std::nullopt);
  void send_call_message(const Holder& h, std::uint32_t msg, std::uint32_t p1, std::uint32_t p2, std::uint32_t p3);
  std::size_t owners_of(switching::CallId call) const;
  core::TimePoint now() const;
  // Deallocates every handle of the open `hline` (line closed, app gone),
  // dropping the calls it was the last owner of.
  void release_calls(ConnectionId conn, Application& app, std::uint32_t hline);

  // Sends Result{seq, result, ...} unless seq == 0. `extra` fills the other fields.
  void answer(ConnectionId conn, std::uint32_t seq, std::int32_t result, const wire::Result* extra = nullptr);

  // Closes one line of `conn` as lineClose does: ends its registrations
  // (LINE_PROXYSTATUS CLOSE to the other opens) and fails the requests waiting
  // for it with LINEERR_OPERATIONFAILED.
  void close_line(ConnectionId conn, Application& app, std::uint32_t hline);
  // lineShutdown: drops the app's own requests (never answered) and closes its lines.
  void shut_down(ConnectionId conn, Application& app);
  // Error + close, for protocol violations.
  void refuse(ConnectionId conn, Application& app, std::int32_t code, std::string reason);

  // Sends LINE_* `msg` to every open of `device` except `except`, skipping
  // applications that are closing and opens negotiated below `min_version`.
  // `event_seq`: the event-log seq of the change a proxy's message announces.
  void fan_out(std::uint32_t device, OpenRef except, std::uint32_t min_version, std::uint32_t msg, std::uint32_t param1,
               std::uint32_t param2, std::uint32_t param3, std::uint64_t event_seq = 0);
  // The Open answer's place in the status stream and, for a resumed line
  // (`after` != 0), the messages it missed (docs/ha.md).
  // The agent, queue and group messages of an agent handler (LINE_AGENTSTATUSEX,
  // LINE_QUEUESTATUS, LINE_GROUPSTATUS) reach each application once per open
  // of the lowest line device it has open among `served` (ascending), with a
  // version of at least `min_version`; not `except`.
  void fan_out_to_handler_apps(const std::vector<std::uint32_t>& served, OpenRef except, std::uint32_t min_version,
                               std::uint32_t msg, std::uint32_t param1, std::uint32_t param2, std::uint32_t param3,
                               std::uint64_t event_seq);
  // The device on which `app` gets an agent handler's messages that need
  // `min_version`, serving `served` (ascending): its lowest open non-proxy
  // line among them, not `except`; nullopt if none.
  static std::optional<std::uint32_t> handler_device(const Application& app, ConnectionId conn,
                                                     const std::vector<std::uint32_t>& served,
                                                     std::uint32_t min_version, OpenRef except);
  void add_replay(const Application& app, ConnectionId conn, const LineOpen& open, std::uint32_t hline,
                  std::uint64_t after, wire::Result& result);
  void send_reply(ConnectionId client, std::uint32_t request_id, std::int32_t result, const std::string* output,
                  std::uint32_t hcall = 0);
  void log(Journal::Level level, const std::string& line);
  std::string describe(ConnectionId conn, const Application& app) const;

  SwitchboardConfig config_;
  Outbox& outbox_;
  Journal* journal_;
  std::unordered_map<ConnectionId, Application> apps_;
  std::vector<std::vector<OpenRef>> opens_;  // by device id, in open order
  ProxyRegistry registry_;
  std::unordered_map<std::uint64_t, InFlight> in_flight_;  // by proxy request id
  std::uint64_t last_proxy_request_id_ = 0;
  std::uint64_t last_event_seq_ = 0;  // the highest a proxy's status message carried
  RequestCounters request_counts_{};
  std::atomic<std::uint64_t> connected_{0};
  std::atomic<std::uint64_t> slow_consumers_{0};
  std::atomic<std::uint64_t> calls_now_{0};
  std::atomic<std::uint64_t> calls_made_{0};
  std::atomic<std::uint64_t> client_queue_overflows_{0};
  // Wrong TCP tokens by peer address; used on the I/O thread only.
  core::FailedLogins token_failures_;
  std::atomic<std::uint64_t> tcp_token_failures_{0};
  std::atomic<std::uint64_t> tcp_token_locked_out_{0};
  core::LogThrottle overflow_log_{10000, 5};

  switching::Switch switch_;
  std::unordered_map<switching::CallId, CallRecord> records_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_SWITCHBOARD_H
