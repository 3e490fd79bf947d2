// Scenario-test harness for the virtual ACD: a real opentapid on a temporary
// UNIX socket, the ACD host as a child process, and TAPI client applications
// that call the public C API (tapi.h) and wait for their LINE_REPLY.
#ifndef OPENTAPI_TESTS_ACD_HARNESS_H_
#define OPENTAPI_TESTS_ACD_HARNESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "opentapi_ext.h"
#include "support/opentapid.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tapi.h"

namespace acd_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline constexpr std::chrono::milliseconds kWait = 10s;

// Temporary directories, the login name, child processes and opentapid come
// from the tests' one support library (tests/support).
using opentapi::test_support::current_user;
using opentapi::test_support::TempDir;
// A child process whose output (stdout and stderr) can be awaited.
using Child = opentapi::test_support::Process;

// opentapid (without its ACD: the tests run their own) as a child on
// DIR/opentapid.sock, logging to DIR/opentapid.log. Sets OPENTAPI_SERVER and
// returns once it accepts connections.
class Opentapid {
 public:
  Opentapid(const std::string& dir, int lines, int addresses);
  ~Opentapid();  // SIGTERM, reaped
  void stop();
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  std::unique_ptr<opentapi::test_support::Opentapid> process_;
};

// The ACD host (tests/acd/acd_host.cpp) with a configuration file and a data
// directory, or a store location (sqlite:DIR, postgresql…: --store); ready
// when it printed READY.
struct AcdHostInfo {
  std::uint64_t restore_ms = 0;
  std::uint64_t live_sessions = 0;
  std::chrono::milliseconds startup{0};
};
std::unique_ptr<Child> start_acd_host(const std::string& config_path, const std::string& data_dir,
                                      AcdHostInfo* info = nullptr, bool expect_ready = true);

// One TAPI application (USEEVENT), used from one thread.
class Client {
 public:
  explicit Client(bool wide = false);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  LONG init_result() const { return init_; }
  HLINEAPP app() const { return happ_; }
  // lineNegotiateAPIVersion + lineOpen; 0 on failure.
  HLINE open(DWORD device);
  // lineOpen with call privileges (and media modes for an owner); 0 on failure.
  HLINE open(DWORD device, DWORD privileges, DWORD media_modes);

  // Waits for the LINE_REPLY of `request_id` (a negative id is returned as is).
  LONG reply(LONG request_id, std::chrono::milliseconds timeout = kWait);
  // The first message (received or arriving within `timeout`) that matches.
  std::optional<LINEMESSAGE> wait(const std::function<bool(const LINEMESSAGE&)>& match,
                                  std::chrono::milliseconds timeout = kWait);
  // Messages received so far that are not replies (and not yet taken).
  std::vector<LINEMESSAGE> take_messages();
  // Reads messages until none arrives within `timeout`, or `max` were read.
  void drain(std::chrono::milliseconds timeout = 0ms, std::size_t max = SIZE_MAX);
  // Drops the messages received so far (a load client that does not look).
  void forget_messages() { messages_.clear(); }
  // The messages received so far (not replies), without reading more.
  std::vector<LINEMESSAGE> take_received() {
    std::vector<LINEMESSAGE> out(messages_.begin(), messages_.end());
    messages_.clear();
    return out;
  }
  // LINE_REPLYs received that nobody waited for (a request answered twice).
  std::size_t stray_replies() const { return replies_.size(); }

  // Calls that wait for their reply; each returns the LINE_REPLY result.
  LONG create_agent(HLINE line, const char* id, const char* pin, HAGENT* agent);
  LONG create_session(HLINE line, HAGENT agent, const char* pin, DWORD address, const GUID& group,
                      HAGENTSESSION* session);
  LONG set_session_state(HLINE line, HAGENTSESSION session, DWORD state, DWORD next);
  LONG set_agent_period(HLINE line, HAGENT agent, DWORD seconds);
  LONG session_info(HLINE line, HAGENTSESSION session, LINEAGENTSESSIONINFO* info);
  LONG agent_info(HLINE line, HAGENT agent, LINEAGENTINFO* info);
  LONG queue_info(HLINE line, DWORD queue, LINEQUEUEINFO* info);
  // PBX extension: operation, call id, queue; *out receives the block.
  LONG pbx(HLINE line, DWORD operation, DWORD call, DWORD queue, std::vector<DWORD>* out = nullptr);

 private:
  bool pump(std::chrono::milliseconds timeout);
  HLINEAPP happ_ = 0;
  LONG init_ = 0;
  bool wide_ = false;
  std::deque<LINEMESSAGE> messages_;
  std::vector<std::pair<LONG, LONG>> replies_;
};

// The GUID of a "{...}" text.
GUID guid(const char* text);

}  // namespace acd_test

#endif  // OPENTAPI_TESTS_ACD_HARNESS_H_
