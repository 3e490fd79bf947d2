// One TAPI application (one HLINEAPP): its connection to opentapid, its open
// lines, its outstanding requests and its message queue.
//
// Threads. The process's one Receiver thread (client/receiver.h) reads every
// application's connection, decodes the server's frames and routes them; it
// never runs application code. In callback mode a dispatcher thread per
// application takes messages off the queue and invokes the callback, one at a
// time. Application threads call the methods below concurrently.
//
// Locks. `mu_` guards the tables (pending calls, requests, lines, issued proxy
// buffers, state); `send_mu_` serialises whole frames on the socket. Neither
// is held while waiting for the server: a caller registers what it waits for
// under `mu_`, releases it, writes its frame under `send_mu_` alone, then
// sleeps on a condition variable. The queue has its own lock.
//
// The reply-before-return race (docs/reference/tapi2-agent.md §1.3). An asynchronous call
// registers {seq -> output sink} before sending. The server answers the call
// with Result(seq, request id) before it can send the Reply for that request
// on the same connection, and the receiver handles one connection's frames in
// order: on the Result it moves the sink to {request id -> sink} before it
// decodes the next frame. So a Reply always finds its sink, whether or not the
// calling thread has woken up yet. lineOpen uses the same trick: the receiver
// registers the new line on the Result, so messages for the line that follow
// at once are not lost.
//
// Connection loss. When the application may be resumed (a resume window,
// no proxy line, the transport failed rather than the stream being
// undecodable), it is: its lines get LINE_LINEDEVSTATE(OUTOFSERVICE) if they
// asked for it, a resumer thread reconnects (connect_any: the list, a
// standby's redirection), says Hello with the same instance id, reopens every
// line with its parameters and status-message selection under the same
// HLINE, and the lines get INSERVICE; then the agent requests that were in
// flight are sent again with their origin ids (docs/ha.md "Handles
// survive"), and their LINE_REPLY carries the id the application holds.
// Meanwhile waiting agent requests keep waiting, other waiting calls fail
// with LINEERR_OPERATIONFAILED, call requests get
// LINE_REPLY(LINEERR_OPERATIONFAILED). The calls ended with the server: at
// the resume, before INSERVICE, each call handle of a reopened line is told
// DISCONNECTED then IDLE and stays the application's until
// lineDeallocateCall (docs/ha.md "Calls at a resume"). If the window passes without a server, or resuming is not
// possible: every waiting call fails with LINEERR_OPERATIONFAILED;
// every outstanding request completes with LINE_REPLY(LINEERR_OPERATIONFAILED);
// every open line gets LINE_CLOSE; then LINE_LINEDEVSTATE(LINEDEVSTATE_REINIT)
// is queued (hDevice 0). Later calls fail with LINEERR_OPERATIONFAILED; the
// queue can still be drained and lineShutdown still succeeds.
//
// Shutdown. No LINE_REPLY (nor any other message) is delivered once
// shutdown() has returned; the Receiver no longer reads the connection, the
// dispatcher is joined (or, when shutdown() runs on the dispatcher thread
// inside the callback, finishes by itself); issued proxy buffers are freed;
// the eventfd is closed.
#ifndef OPENTAPI_CLIENT_APPLICATION_H_
#define OPENTAPI_CLIENT_APPLICATION_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client/message_queue.h"
#include "client/proxy_request_buffer.h"
#include "client/receiver.h"
#include "client/stream.h"
#include "opentapi.pb.h"
#include "proto/framing.h"

namespace opentapi::client {

// Writes a successful Reply's output into the caller's memory. Returns 0, or a
// LINEERR_* that replaces the LINE_REPLY result (undecodable output).
using OutputSink = std::function<std::int32_t(const std::string& output)>;

// Receives the library HCALL of the call a successful lineMakeCall created. It
// runs on the reading thread, after the call is registered and before the
// LINE_REPLY is queued (so *lphCall is written when the reply arrives).
using CallSink = std::function<void(std::uint32_t hcall)>;

// Builds the LINEPROXYREQUEST for a delivery, in the charset of the proxy line
// (wide = W-opened); nullopt if the payload is malformed.
using ProxyRequestBuilder =
    std::function<std::optional<ProxyRequestBuffer>(const wire::ProxyRequestDelivery& delivery, bool wide)>;

struct ConnectOptions {
  std::string app_name;           // UTF-8
  std::uint32_t api_version = 0;  // Hello.app_api_version
  // Callback mode when set (USEHIDDENWINDOW), else event mode (USEEVENT).
  std::function<void(const LineMessage&)> callback;
  ProxyRequestBuilder build_proxy_request;
  // Hello.instance_id; connect() draws 16 random bytes when empty.
  std::string instance_id;
  // Hello.first_request_id (a resuming application; 0 = the server's choice).
  std::uint32_t first_request_id = 0;
};

// How long a lost application tries to resume before it gives up with
// LINE_CLOSE and REINIT: $OPENTAPI_RESUME_SECONDS (0 = never resume), else
// 30 s when OPENTAPI_SERVER names several servers (a cluster) and 0 for one.
std::chrono::milliseconds resume_window();

// A line as the library knows it.
struct LineInfo {
  std::uint32_t hline = 0;         // the library's HLINE
  std::uint32_t server_hline = 0;  // the server's handle on this connection
  bool wide = false;               // opened with lineOpenW
  std::uintptr_t instance = 0;     // dwCallbackInstance
  bool proxy = false;              // opened with LINEOPENOPTION_PROXY (its types are registered)
  std::uint32_t api_version = 0;   // the version the line was opened with (structure layouts)
  std::uint32_t device_id = 0;     // the line device opened (lineGetID "tapi/line")
  // What lineSetStatusMessages last selected for this open (lineGetStatusMessages).
  std::uint32_t line_states = 0;
  std::uint32_t address_states = 0;
  // The server said LINEDEVSTATE_OUTOFSERVICE on this open (a node stepping
  // down) and has not said INSERVICE since: a resume does not say it again.
  bool out_of_service = false;
  // The Open it was made with, replayed when the application resumes.
  std::shared_ptr<const wire::Open> open;
  // The event-log seq of the last status message delivered on this open
  // (or where its stream began): a message at or below it is a duplicate
  // (docs/ha.md "Status messages replayed").
  std::uint64_t event_seq = 0;
};

// A call handle as the library knows it. Like HLINE, an HCALL is
// library-local (registry.h): the server's handles are per connection and
// two applications of one process would see the same values.
struct CallHandle {
  std::uint32_t hcall = 0;         // the library's HCALL
  std::uint32_t server_hcall = 0;  // the server's handle on this connection
  std::uint32_t hline = 0;         // the library HLINE of the open the handle belongs to
  std::uint32_t address_id = 0;    // LINE_APPNEWCALL's dwParam1 (0 for a call made here)
  std::uint32_t privilege = 0;     // LINECALLPRIVILEGE_* as last said (0: not said)
  // The call state of the last LINE_CALLSTATE delivered for the handle (0: none yet).
  std::uint32_t last_state = 0;
  // The call ended with the server that held it (docs/ha.md "Calls at a
  // resume"): the application was told DISCONNECTED then IDLE, the handle
  // answers lineGetCallStatus (IDLE) and lineGetCallInfo (`info`) here, and
  // lineDeallocateCall frees it here. No server knows it any more.
  bool ended = false;
  std::int64_t ended_at_ms = 0;  // when it went IDLE (ms since the UNIX epoch)
  // What lineGetCallInfo last answered for the call, kept for after its end.
  std::shared_ptr<const wire::CallInfo> info;
};

// A LINEPROXYREQUEST handed to the application and not yet answered.
struct IssuedProxyRequest {
  ProxyRequestBuffer buffer;
  std::uint32_t hline = 0;  // library HLINE it was delivered on
  std::uint32_t server_hline = 0;
  std::uint64_t proxy_request_id = 0;
  std::string client_instance_id;  // ProxyRequestDelivery.client_instance_id
  std::uint64_t origin_id = 0;     // ProxyRequestDelivery.origin_id
};

class Application : public std::enable_shared_from_this<Application>, private Receiver::Connection {
 public:
  // Connects to the server named by OPENTAPI_SERVER (else the default
  // socket), says Hello and waits for Welcome. Returns 0 and *out, or
  // LINEERR_SERVICE_NOT_RUNNING (nothing listens / connection refused),
  // LINEERR_INIFILECORRUPT (OPENTAPI_SERVER malformed), the code of the
  // server's Error, LINEERR_OPERATIONFAILED (no or bad answer),
  // LINEERR_NOMEM / LINEERR_RESOURCEUNAVAIL (no thread, no eventfd).
  static std::int32_t connect(ConnectOptions options, std::shared_ptr<Application>* out);

  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  std::uint32_t num_devices() const { return num_devices_; }
  std::uint32_t server_api_version() const { return server_api_version_; }
  std::uint32_t app_api_version() const { return app_api_version_; }
  bool event_mode() const { return !callback_; }
  // USEEVENT: the eventfd (valid until shutdown), else -1.
  int event_fd() const { return queue_->event_fd(); }

  // A synchronous round trip: sets msg.seq, sends, waits for the Result.
  // Returns 0 and *result, or LINEERR_INVALAPPHANDLE (shut down, before or
  // during the wait), LINEERR_OPERATIONFAILED (connection lost, or no answer
  // within the call time limit).
  std::int32_t call(wire::ClientToServer& msg, wire::Result* result);

  // Starts an asynchronous agent request (msg holds an AgentRequest). Returns
  // the positive request id or a negative LINEERR_*. `sink` (may be empty)
  // runs on the Receiver thread when a successful Reply arrives. The
  // LINE_REPLY carries the callback instance of the request's line: the
  // AgentRequest's, else `hline` (a call request names its call's line).
  std::int32_t start_request(wire::ClientToServer& msg, OutputSink sink, std::uint32_t hline = 0);

  // Starts an asynchronous request that creates a call (msg holds a
  // MakeCall on `hline`). Returns the request id or a LINEERR_*. When the
  // Reply succeeds and carries the new call's handle, the handle is
  // registered on `hline` and `sink` gets its library HCALL before anything
  // else of the connection is read; a success without a handle, or for a
  // line closed meanwhile, becomes LINE_REPLY(LINEERR_OPERATIONFAILED).
  std::int32_t start_call_request(wire::ClientToServer& msg, std::uint32_t hline, CallSink sink);

  // A synchronous request answered with new call handles (msg holds a
  // GetNewCalls on `hline`). The handles of Result.hcalls are registered on
  // `hline` while the Result is read, so messages for them that follow at
  // once find them. Returns 0 and *result with *hcalls the library handles
  // (in the server's order), or a LINEERR_* (result.result() of a refusal is
  // returned as is).
  std::int32_t call_new_calls(wire::ClientToServer& msg, std::uint32_t hline, wire::Result* result,
                              std::vector<std::uint32_t>* hcalls);

  // The live call handle `hcall` of this application.
  std::optional<CallHandle> call_handle(std::uint32_t hcall) const;

  // Forgets a call handle the server has deallocated (lineDeallocateCall).
  void forget_call(std::uint32_t hcall) noexcept;

  // lineDeallocateCall of a handle no server knows: one whose call ended
  // with a lost server (CallHandle::ended), or any handle while the
  // application is being resumed (its call ends with the old server; the
  // resume says nothing of it any more). True if the handle was such a one
  // and is forgotten; false: ask the server.
  bool deallocate_without_server(std::uint32_t hcall);

  // Keeps what lineGetCallInfo answered for `hcall`, for after its call ends.
  void note_call_info(std::uint32_t hcall, const wire::CallInfo& info);

  // Opens a line (msg holds an Open). Returns 0 and *line, or a LINEERR_*.
  std::int32_t open_line(wire::ClientToServer& msg, bool wide, std::uintptr_t instance, LineInfo* line);

  // Closes a line: it stops receiving messages at once, queued
  // LINE_PROXYREQUESTs for it are dropped and their buffers freed, and its
  // call handles die (the server deallocates them with the open).
  std::int32_t close_line(std::uint32_t hline);

  // The open line `hline` of this application.
  std::optional<LineInfo> line(std::uint32_t hline) const;

  // Records the selection lineSetStatusMessages made on `hline` once the
  // server accepted it (lineGetStatusMessages reads it back). Nothing happens
  // if the line has been closed meanwhile.
  void record_status_messages(std::uint32_t hline, std::uint32_t line_states, std::uint32_t address_states);

  // lineGetMessage. Returns 0, LINEERR_OPERATIONFAILED (time-out), or
  // LINEERR_INVALAPPHANDLE (not an event-mode application, or shut down
  // before or during the wait).
  std::int32_t get_message(std::uint32_t timeout_ms, LineMessage* out);

  // Takes the unanswered proxy request whose buffer is at `buffer` out of the
  // table, for lineProxyResponse. Returns 0, LINEERR_INVALPOINTER (not a
  // buffer this application holds: never issued, already answered, freed),
  // or LINEERR_INVALLINEHANDLE (delivered on another line; left in place).
  std::int32_t take_proxy_request(const void* buffer, std::uint32_t hline, IssuedProxyRequest* out);
  // Puts a request taken by take_proxy_request back (the response was refused,
  // or memory ran out before it was sent). Never throws: without memory for
  // the table entry the request is dropped.
  void return_proxy_request(IssuedProxyRequest request) noexcept;
  // The client instance and origin id of an unanswered proxy request (empty
  // and 0 when the client sent none). Errors as take_proxy_request; the
  // request stays in the table.
  std::int32_t proxy_request_origin(const void* buffer, std::uint32_t hline, std::string* instance_id,
                                    std::uint64_t* origin_id) const;

  // Sends without waiting for an answer (seq 0). False if the frame could
  // not be written.
  bool send_only(const wire::ClientToServer& msg);

  // Sends a request whose every refusal the caller has ruled out itself,
  // without a round trip: seq 0, so the server carries it out silently, in
  // order with everything sent before and after on this connection. Returns
  // 0, LINEERR_INVALAPPHANDLE (shut down), LINEERR_OPERATIONFAILED
  // (connection lost, frame not written) or LINEERR_INVALPARAM (larger than
  // a frame).
  // Inside a send batch of the calling thread (client/send_batch.h) the frame
  // is held and written when the batch ends; the checks are made now.
  std::int32_t post(const wire::ClientToServer& msg);

  // Writes already encoded frames, whole, in one write where the socket
  // takes them (client/send_batch.h). False if they could not be written.
  bool write_frames(const std::string& frames);

  // lineShutdown; idempotent. See the header comment.
  void shutdown();

  // Whether a thread waiting for its answer reads the connection itself
  // right now (instead of the receiver). Lets a test wait for that moment.
  bool caller_reading() const;

  // How many times the application was resumed after a lost connection.
  std::uint64_t resumes() const;

 private:
  enum class State { kRunning, kResuming, kLost, kShutdown };

  // An agent request as sent, to be sent again after a reconnect: plain
  // values, not a copy of the protobuf message (copying one can leak when
  // memory runs out half-way, docs/tapi2.md "Out of memory").
  struct RetryRequest {
    std::uint32_t device_id = 0;
    std::uint32_t request_type = 0;
    std::uint32_t app_api_version = 0;
    std::string payload;
    std::uint32_t output_size = 0;
    std::uint64_t origin_id = 0;
  };

  // What completes an outstanding asynchronous request.
  struct Completion {
    OutputSink sink;
    CallSink call_sink;  // MakeCall: the new handle goes to it
    std::uint32_t call_hline = 0;
    std::uint32_t app_id = 0;  // the request id the application holds (LINE_REPLY's dwRequestID)
    std::uint32_t hline = 0;   // agent request: the library HLINE it was made on (0: none)
    // Agent request: the frame to send again after a reconnect.
    std::shared_ptr<const RetryRequest> retry;
    std::uintptr_t instance = 0;  // LINE_REPLY's dwCallbackInstance
    // Agent request in a cluster: when its LINE_REPLY is due (reply_timeout_
    // after its Result); past it the node is given up.
    std::chrono::steady_clock::time_point reply_by = std::chrono::steady_clock::time_point::max();
  };

  struct Pending {
    bool done = false;
    wire::Result result;
    bool is_request = false;
    // LINE_REPLY's dwCallbackInstance: that of the line the request concerns
    // (Windows' TAPI fills it from the line's open), 0 for none.
    std::uintptr_t reply_instance = 0;
    OutputSink sink;
    CallSink call_sink;
    std::uint32_t call_hline = 0;
    bool is_new_calls = false;             // GetNewCalls on call_hline
    std::vector<std::uint32_t> new_calls;  // their library handles
    bool is_open = false;
    bool open_wide = false;
    bool open_proxy = false;
    std::uintptr_t open_instance = 0;
    std::uint32_t open_api_version = 0;
    std::uint32_t open_device_id = 0;
    std::shared_ptr<const wire::Open> open_msg;
    LineInfo opened;
    std::int32_t error = 0;  // done without a Result: the call fails with this
    // Agent request: its frame (sent again after a reconnect), the library
    // HLINE and, for a request re-sent after its first Result, the id the
    // application already holds.
    std::shared_ptr<const RetryRequest> retry;
    std::uint32_t retry_hline = 0;
    std::uint32_t app_id = 0;
    bool abandoned = false;  // the caller gave up: never sent again
    std::string frame;       // the retry's frame as last registered (register_again_locked)
    // Sent again after a reconnect: a refusal meaning "no proxy here yet"
    // (the new owner's ACD still starting) is retried until then.
    bool resent = false;
    std::chrono::steady_clock::time_point retry_until;
    // Sent again in a cluster: its Result is due by then, else the node it
    // went to is given up as well (docs/tapi2.md "Time-outs").
    std::chrono::steady_clock::time_point result_by = std::chrono::steady_clock::time_point::max();
  };

  Application() = default;

  std::int32_t exchange(wire::ClientToServer& msg, const std::shared_ptr<Pending>& slot, wire::Result* result);
  std::int32_t unavailable_code_locked() const;
  // Writes a frame behind what this thread holds for the connection.
  bool send_frame(const std::string& frame, bool blocking);
  bool write_encoded(const std::string& frame, bool blocking);
  // The message queue's capacity: $OPENTAPI_MAX_QUEUED_MESSAGES, else the default.
  static std::size_t queue_limit();
  // Tells the server the queue overflowed (receiver thread).
  void report_overflow();

  // Receiver::Connection: reads what is there, handles every complete frame
  // (unless a caller is reading the connection itself).
  bool on_readable(char* scratch, std::size_t size) override;
  // Takes the right to read the connection (reading_) for a waiting caller,
  // taking it out of the receiver's set. False if someone else reads, or the
  // connection is not running.
  bool take_reading();
  // With reading_ taken: reads and handles frames until done() (evaluated
  // under mu_), the deadline, or the end of the connection; then gives the
  // connection back to the receiver and releases reading_.
  void read_as_caller(const std::function<bool()>& done, std::optional<std::chrono::steady_clock::time_point> deadline);
  // Reads what the socket holds now (never blocks) and handles every
  // complete frame. False once the connection is finished (lost).
  bool read_available(char* scratch, std::size_t size);
  // Handles the frames buffered in decoder_; false if the stream is undecodable.
  bool handle_buffered();
  void dispatch_loop();
  void handle(const wire::ServerToClient& msg);
  void on_result(const wire::Result& r);
  void on_reply(const wire::Reply& r);
  void on_proxy_request(const wire::ProxyRequestDelivery& d);
  void on_message(const wire::Message& m);
  // `may_resume`: the transport failed (not an undecodable stream, not out
  // of memory), so the application may be resumed.
  void connection_lost(bool may_resume = false);
  // Completes everything as a lost connection does (LINE_REPLY failures,
  // LINE_CLOSE, REINIT); state_ becomes kLost. Returns what to queue.
  std::vector<LineMessage> give_up_locked(std::vector<std::uint32_t>* calls);
  // The resumer thread: resumes whenever state_ is kResuming, until shutdown.
  void resume_loop();
  // One resume within `deadline`: true once running again.
  bool resume_once(std::chrono::steady_clock::time_point deadline);
  // The event-log seq a resumed line asks the changes after.
  std::uint64_t resume_after_event_seq(const LineInfo& line) const;
  // Takes the status messages replayed in `opened` (the reopened line's
  // Open answer) that `line` has not delivered, into *said, and where its
  // stream goes on (docs/ha.md "Status messages replayed").
  void take_replay_locked(LineInfo& line, const wire::Result& opened, std::vector<LineMessage>* said);
  // Gives each slot of `again` a new seq and its frame the line's current
  // server handle, registered in calls_; slots whose line is gone fail (their
  // LINE_REPLY is added to *said) and leave `again`.
  void register_again_locked(std::vector<std::shared_ptr<Pending>>& again, std::vector<LineMessage>* said);
  // Registers the server's handle `server_hcall` on the open `hline` (the
  // call on `address_id`, this handle's LINECALLPRIVILEGE_* `privilege`); the
  // new library HCALL, or 0 if the line is not open here (any more) or the
  // application is not running.
  std::uint32_t register_call(std::uint32_t server_hcall, std::uint32_t hline, std::uint32_t address_id,
                              std::uint32_t privilege);
  // Takes every call handle of `hline` (every handle when hline == 0) out of
  // the tables; returns them, for Registry::remove_calls.
  std::vector<std::uint32_t> drop_calls_locked(std::uint32_t hline);
  // The connection is lost: the server handles mean nothing any more; the
  // library handles stay for end_lost_calls_locked.
  void detach_calls_locked();
  // Resumed: the calls of the lines kept (`kept`) ended with the lost
  // server. Each handle not yet told is told LINE_CALLSTATE(DISCONNECTED,
  // LINEDISCONNECTMODE_UNAVAIL) unless it was disconnected already, then
  // LINE_CALLSTATE(IDLE), appended to *said; the handles of other lines die
  // (their lines get LINE_CLOSE) and are appended to *dead.
  void end_lost_calls_locked(const std::vector<LineInfo*>& kept, std::vector<LineMessage>* said,
                             std::vector<std::uint32_t>* dead);
  // Re-sent requests whose Result is overdue (bounded by call_timeout_ in a
  // cluster): true if one is, and the connection must be given up.
  bool resent_result_overdue_locked(std::chrono::steady_clock::time_point now,
                                    std::chrono::steady_clock::time_point* next);
  // Arms the Result deadline of requests sent again on a new connection.
  void bound_resent_locked(const std::vector<std::shared_ptr<Pending>>& again);
  // A LINE_REPLY is due at `when`: the reply timer is armed if it is not.
  void reply_due_locked(std::chrono::steady_clock::time_point when);
  // The reply timer fired (receiver thread): gives the connection up if an
  // agent request's LINE_REPLY is overdue, else re-arms for the next one.
  void reply_timer_fired();

  std::unique_ptr<Stream> stream_;  // the connection to opentapid (set once by connect)
  // How long a call waits for its Result; with several servers, a call
  // that gets none in time also ends the connection (docs/tapi2.md
  // "Time-outs"). Set once by connect.
  std::chrono::milliseconds call_timeout_{60'000};
  bool drop_on_call_timeout_ = false;
  // With several servers and resuming: how long an agent request waits for
  // its LINE_REPLY after its Result before the connection is given up and
  // the application resumed on the next node (docs/tapi2.md "Time-outs");
  // 0 = no bound. Set once by connect.
  std::chrono::milliseconds reply_timeout_{0};
  std::uint32_t num_devices_ = 0;
  std::uint32_t server_api_version_ = 0;
  std::uint32_t app_api_version_ = 0;
  std::function<void(const LineMessage&)> callback_;
  ProxyRequestBuilder build_proxy_request_;
  std::unique_ptr<MessageQueue> queue_;

  std::mutex send_mu_;

  mutable std::mutex mu_;
  std::condition_variable calls_cv_;
  State state_ = State::kRunning;
  // Someone (the receiver, or a caller waiting for its answer) is reading
  // the connection; only that thread touches decoder_ and arrived_.
  bool reading_ = false;
  bool caller_reading_ = false;  // reading_ is held by a waiting caller
  std::uint32_t next_seq_ = 0;
  std::unordered_map<std::uint32_t, std::shared_ptr<Pending>> calls_;  // by seq
  std::map<std::uint32_t, Completion> requests_;                       // by request id
  std::unordered_map<std::uint32_t, LineInfo> lines_;                  // by library HLINE
  std::unordered_map<std::uint32_t, std::uint32_t> by_server_line_;    // server hline -> HLINE
  std::vector<std::uint32_t> all_lines_;                               // every HLINE ever opened
  std::unordered_map<const void*, IssuedProxyRequest> issued_;
  std::unordered_map<std::uint32_t, CallHandle> call_handles_;       // by library HCALL
  std::unordered_map<std::uint32_t, std::uint32_t> by_server_call_;  // server hcall -> HCALL

  // The reading state of the connection: touched only by whoever holds
  // reading_ (and by connect() before the connection is watched).
  proto::FrameDecoder decoder_;
  std::vector<LineMessage> arrived_;  // messages of the frames being handled, queued together
  Receiver::Ticket ticket_ = 0;       // 0: not watched (any more)

  std::thread dispatcher_;

  // Resuming (docs/ha.md "Handles survive"); guarded by mu_ except the
  // constants set by connect().
  std::string app_name_;
  std::string instance_id_;
  std::chrono::milliseconds resume_window_{0};
  bool proxy_ = false;  // a proxy line was opened: never resumed
  std::uint64_t next_origin_ = 0;
  std::uint32_t max_request_id_ = 0;  // highest request id handed to the application
  // The highest event-log seq this connection delivered (any line): a
  // resumed line asks for the changes after it, since the server sends the
  // messages of every line in seq order.
  std::uint64_t event_seq_ = 0;
  std::vector<std::shared_ptr<Pending>> lost_slots_;   // agent requests without a Result at the loss
  std::vector<std::shared_ptr<Pending>> retry_later_;  // re-sent requests refused for want of a proxy
  std::thread resumer_;
  std::uint64_t resumes_ = 0;  // completed resumes (tests)
  // The server this application is connected to: a resume tries it last
  // (docs/ha.md "Handles survive").
  std::optional<proto::ServerAddress> server_address_;
  // The LINE_REPLY deadlines (reply_timeout_ > 0): one timerfd per
  // application, watched by the Receiver's thread like the connection, armed
  // at the earliest deadline; no thread per request. Guarded by mu_.
  class ReplyTimer;
  std::unique_ptr<ReplyTimer> reply_timer_;
  std::chrono::steady_clock::time_point reply_timer_at_ = std::chrono::steady_clock::time_point::max();
  std::mutex shutdown_mu_;  // serialises shutdown() callers
};

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_APPLICATION_H_
