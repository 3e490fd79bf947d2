// Test support for the TAPI 2 integration tests: a real opentapid on a
// temporary socket, applications that collect their messages, and a test ACD
// proxy that answers every request type with fixed data. Everything here
// uses only the public API (tapi.h, opentapi_ext.h), like a real program.
#ifndef OPENTAPI_TESTS_TAPI2_SUPPORT_H_
#define OPENTAPI_TESTS_TAPI2_SUPPORT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "opentapi_ext.h"
#include "support/opentapid.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tapi.h"

namespace tapi2_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// How long a test waits for something that should happen at once.
inline constexpr std::chrono::milliseconds kWait = 5s;

inline constexpr DWORD kApiVersion = 0x00030001;
inline constexpr DWORD kAllTypes = 20;  // LINEPROXYREQUEST_ 1..0x14

// ---- fixed data the test proxy returns (both charsets) ----
struct Text {
  const char* a;
  const wchar_t* w;
};
struct Group {
  GUID id;
  Text name;
};
extern const Group kGroups[3];
struct Named {
  DWORD id;
  Text name;
};
extern const Named kQueues[2];
extern const Named kActivities[2];
extern const Text kHandlerInfo;
extern const GUID kProxyGuid;
extern const LINEEXTENSIONID kExtensionId;
inline constexpr HAGENT kFirstAgent = 0x1001;
inline constexpr HAGENTSESSION kFirstSession = 0x2001;
inline constexpr HAGENTSESSION kUnknownSession = 0xBAD;  // the proxy answers LINEERR_INVALPARAM
inline constexpr DWORD kTalkTime = 1234;                 // LINEAGENTSESSIONINFO.dwTotalTalkTime
inline constexpr DWORD kQueuedCalls = 17;                // LINEQUEUEINFO.dwTotalCallsQueued

// opentapid (tests/support) on a temporary UNIX socket, or with `tcp` on a
// free loopback port with token kToken. The constructor points
// OPENTAPI_SERVER (and OPENTAPI_TOKEN) at it, for this process and its
// children, and returns once the server accepts connections.
inline constexpr const char* kToken = "s3cret-t0ken";
class Server {
 public:
  explicit Server(int lines = 2, bool tcp = false);
  ~Server();  // SIGTERM, SIGKILL after kWait
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void kill_now();  // SIGKILL, reaped
  const std::string& address() const { return address_; }
  std::string log() const { return process_->log(); }

 private:
  opentapi::test_support::TempDir dir_{"tapi2-test"};
  std::string address_;
  std::unique_ptr<opentapi::test_support::Opentapid> process_;
};

// One USEEVENT application whose messages a background thread collects.
class App {
 public:
  explicit App(bool wide = false, const char* name = "test client");
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  LONG init_result() const { return init_result_; }
  HLINEAPP handle() const { return happ_; }
  DWORD num_devices() const { return num_devs_; }
  HANDLE event() const { return event_; }

  // lineNegotiateAPIVersion + lineOpen (A or W) on `device`; 0 on failure
  // (ADD_FAILURE). `media_modes` are lineOpen's dwMediaModes (an OWNER open
  // names the media modes it takes calls of).
  HLINE open(DWORD device, DWORD_PTR instance, bool wide = false, DWORD privileges = LINECALLPRIVILEGE_NONE,
             DWORD media_modes = 0);

  // The first collected message matching `match` (removed), waiting up to `timeout`.
  std::optional<LINEMESSAGE> wait(const std::function<bool(const LINEMESSAGE&)>& match,
                                  std::chrono::milliseconds timeout = kWait);
  // The LINE_REPLY result for `request_id`.
  std::optional<LONG> reply(LONG request_id, std::chrono::milliseconds timeout = kWait);
  // Everything collected so far (removed).
  std::vector<LINEMESSAGE> take_all();

  // lineShutdown (once); the collector thread ends.
  LONG shutdown();

 private:
  void collect();

  HLINEAPP happ_ = 0;
  DWORD num_devs_ = 0;
  HANDLE event_ = nullptr;
  LONG init_result_ = 0;
  bool shut_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LINEMESSAGE> messages_;
  std::thread collector_;
};

// The test ACD proxy: opens `device` with LINEOPENOPTION_PROXY for `types`
// and answers each request type with the fixed data above, in its charset,
// honouring the embedded dwTotalSize (§1.4) like a well-behaved proxy. After
// a successful state change it announces it with lineProxyMessage.
class TestProxy {
 public:
  struct Options {
    bool wide = false;
    DWORD device = 0;
    std::vector<DWORD> types;  // empty = all 20
    bool hold = false;         // keep requests for the test instead of answering
  };

  explicit TestProxy(Options options);
  TestProxy() : TestProxy(Options{}) {}
  ~TestProxy();

  LONG open_result() const { return open_result_; }
  HLINE line() const { return hline_; }
  HLINEAPP handle() const { return happ_; }

  // Hold mode: the next request received (the buffer stays the library's).
  LPLINEPROXYREQUEST next_request(std::chrono::milliseconds timeout = kWait);
  // What the proxy saw, and every lineProxyResponse / lineProxyMessage result.
  std::vector<std::string> agent_ids_seen() const;
  std::vector<LONG> response_results() const;
  std::vector<LINEMESSAGE> other_messages() const;
  int groups_set() const;

  void close();     // lineClose (once)
  void shutdown();  // lineShutdown (once)

  // Answers a request with the fixed data; what lineProxyResponse returned.
  LONG answer(LPLINEPROXYREQUEST request);

 private:
  void run();

  Options options_;
  HLINEAPP happ_ = 0;
  HLINE hline_ = 0;
  LONG open_result_ = 0;
  bool closed_ = false;
  bool shut_ = false;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LPLINEPROXYREQUEST> held_;
  std::vector<std::string> agent_ids_;
  std::vector<LONG> responses_;
  std::vector<LINEMESSAGE> others_;
  std::map<HAGENTSESSION, DWORD> session_states_;
  DWORD agent_state_ = LINEAGENTSTATEEX_UNKNOWN;
  DWORD agent_period_ = 900;
  DWORD queue_period_ = 60;
  int groups_set_ = -1;
  HAGENT next_agent_ = kFirstAgent;
  HAGENTSESSION next_session_ = kFirstSession;
  std::thread loop_;
};

// A LINECALLPARAMS listing proxy request types (§5.9).
std::vector<unsigned char> proxy_call_params(const std::vector<DWORD>& types);
std::vector<DWORD> all_types();

// A child process running tests/tapi2/test_peer; its stdout lines can be awaited.
class Peer {
 public:
  explicit Peer(const std::vector<std::string>& args);
  // The next stdout line starting with `prefix` (the rest of it), or nullopt.
  std::optional<std::string> wait_line(const std::string& prefix, std::chrono::milliseconds timeout = kWait) {
    return process_.wait_line(prefix, timeout);
  }
  void kill_now() { process_.kill_now(); }

 private:
  opentapi::test_support::Process process_;
};

// Strings of a returned structure.
std::string read_a(const void* base, DWORD size, DWORD offset);
std::wstring read_w(const void* base, DWORD size, DWORD offset);

}  // namespace tapi2_test

#endif  // OPENTAPI_TESTS_TAPI2_SUPPORT_H_
