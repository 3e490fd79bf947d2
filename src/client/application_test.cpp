// client::Application against a scripted fake server on a temporary UNIX
// socket: the orderings that the real server makes likely but not certain
// (a Reply in the same segment as its Result, messages right behind an open)
// are forced here, byte for byte.
#include "client/application.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "client/registry.h"
#include "client/send_batch.h"
#include "opentapi_ext.h"
#include "proto/framing.h"

namespace opentapi::client {
namespace {

using namespace std::chrono_literals;

// Accepts one connection and lets the test read and write frames on it.
class FakeServer {
 public:
  FakeServer() {
    char tmpl[] = "/tmp/client-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    const std::string path = dir_ + "/s.sock";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path.c_str());
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    EXPECT_EQ(::listen(listener_, 4), 0);
    ::setenv("OPENTAPI_SERVER", ("unix:" + path).c_str(), 1);
  }
  ~FakeServer() {
    if (conn_ >= 0) ::close(conn_);
    ::close(listener_);
    std::filesystem::remove_all(dir_);
  }

  // Accepts, reads Hello, answers Welcome followed (in the same write) by `behind`.
  void accept_and_welcome(std::uint32_t devices = 2, std::vector<wire::ServerToClient> behind = {}) {
    conn_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(conn_, 0);
    const auto hello = read();
    ASSERT_TRUE(hello.has_hello());
    last_hello = hello.hello();
    EXPECT_EQ(hello.hello().protocol_version(), proto::kProtocolVersion);
    wire::ServerToClient w;
    w.mutable_welcome()->set_num_devices(devices);
    w.mutable_welcome()->set_server_api_version(0x00030001);
    std::string bytes;
    proto::append_frame(bytes, w);
    for (const auto& f : behind) proto::append_frame(bytes, f);
    ASSERT_EQ(::send(conn_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
  void accept_and_refuse(std::int32_t code, const std::string& owner = "") {
    conn_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(conn_, 0);
    read();
    wire::ServerToClient e;
    e.mutable_error()->set_code(code);
    e.mutable_error()->set_owner(owner);
    send({e});
  }

  wire::ClientToServer read() {
    wire::ClientToServer m;
    char buf[4096];
    while (decoder_.next(m) != proto::FrameDecoder::Status::kMessage) {
      const ssize_t n = ::recv(conn_, buf, sizeof buf, 0);
      if (n <= 0) return {};
      decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
    return m;
  }

  // All frames in one write, so the client reads them back to back.
  void send(std::initializer_list<wire::ServerToClient> frames) {
    std::string bytes;
    for (const auto& f : frames) proto::append_frame(bytes, f);
    ASSERT_EQ(::send(conn_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  int fd() const { return conn_; }
  // A connection waits in the listener's backlog (a client tried this server).
  bool connection_waiting() const {
    pollfd p{listener_, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
  }
  wire::Hello last_hello;  // of the latest accept_and_welcome
  std::string address() const { return "unix:" + dir_ + "/s.sock"; }

  void drop() {
    ::close(conn_);
    conn_ = -1;
  }

 private:
  std::string dir_;
  int listener_ = -1;
  int conn_ = -1;
  proto::FrameDecoder decoder_;
};

wire::ServerToClient result(std::uint32_t seq, std::int32_t value, std::uint32_t hline = 0) {
  wire::ServerToClient m;
  m.mutable_result()->set_seq(seq);
  m.mutable_result()->set_result(value);
  m.mutable_result()->set_hline(hline);
  return m;
}

wire::ServerToClient reply(std::uint32_t id, std::int32_t value, const std::string& output) {
  wire::ServerToClient m;
  m.mutable_reply()->set_request_id(id);
  m.mutable_reply()->set_result(value);
  m.mutable_reply()->set_output(output);
  return m;
}

wire::ServerToClient message(std::uint32_t hline, std::uint32_t msg, std::uint32_t p1, std::uint32_t p2) {
  wire::ServerToClient m;
  m.mutable_message()->set_hline(hline);
  m.mutable_message()->set_msg(msg);
  m.mutable_message()->set_param1(p1);
  m.mutable_message()->set_param2(p2);
  return m;
}

std::shared_ptr<Application> connect_event_app(FakeServer& server) {
  std::shared_ptr<Application> app;
  std::thread accept([&] { server.accept_and_welcome(); });
  ConnectOptions options;
  options.app_name = "unit";
  EXPECT_EQ(Application::connect(options, &app), 0);
  accept.join();
  return app;
}

LineMessage next(Application& app) {
  LineMessage m;
  EXPECT_EQ(app.get_message(5000, &m), 0);
  return m;
}

TEST(Application, ReplyInTheSameSegmentAsItsResultFindsTheOutputSink) {
  FakeServer server;
  auto app = connect_event_app(server);
  ASSERT_TRUE(app);
  std::atomic<int> sink_runs{0};
  std::string written;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_request_type(LINEPROXYREQUEST_GETAGENTINFO);
    const std::int32_t id = app->start_request(msg, [&](const std::string& out) {
      written = out;
      ++sink_runs;
      return 0;
    });
    EXPECT_EQ(id, 77);
  });
  const auto req = server.read();
  ASSERT_TRUE(req.has_request());
  // The Reply right behind the Result: the reader binds 77 before it reads on.
  server.send({result(req.seq(), 77), reply(77, 0, "payload")});
  caller.join();
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 77u);
  EXPECT_EQ(m.param2, 0u);
  EXPECT_EQ(sink_runs.load(), 1);
  EXPECT_EQ(written, "payload");
  app->shutdown();
}

TEST(Application, FailedReplyNeverRunsTheSinkAndCarriesTheErrorSignExtended) {
  FakeServer server;
  auto app = connect_event_app(server);
  bool ran = false;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request();
    EXPECT_EQ(app->start_request(msg,
                                 [&](const std::string&) {
                                   ran = true;
                                   return 0;
                                 }),
              5);
  });
  const auto req = server.read();
  server.send({result(req.seq(), 5), reply(5, LINEERR_INVALPARAM, "junk")});
  caller.join();
  const LineMessage m = next(*app);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_INVALPARAM);
  EXPECT_EQ(m.param2, static_cast<std::uintptr_t>(static_cast<std::intptr_t>(LINEERR_INVALPARAM)));
  EXPECT_FALSE(ran);
  app->shutdown();
}

TEST(Application, MessagesRightBehindTheOpenResultReachTheNewLine) {
  FakeServer server;
  auto app = connect_event_app(server);
  LineInfo line;
  std::thread opener([&] {
    wire::ClientToServer msg;
    msg.mutable_open()->set_device_id(0);
    EXPECT_EQ(app->open_line(msg, true, 0xAB, &line), 0);
  });
  const auto open = server.read();
  ASSERT_TRUE(open.has_open());
  server.send({result(open.seq(), 0, 9), message(9, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 0x0E),
               message(3, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 1)});  // 3: not ours, dropped
  opener.join();
  ASSERT_NE(line.hline, 0u);
  EXPECT_NE(line.hline, 9u) << "library handle, not the server's";
  EXPECT_TRUE(line.wide);
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_PROXYSTATUS);
  EXPECT_EQ(m.device, line.hline);
  EXPECT_EQ(m.instance, 0xABu);
  EXPECT_EQ(m.param2, 0x0Eu);
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED);
  app->shutdown();
}

TEST(Application, LosingTheServerRepliesClosesThenReinits) {
  FakeServer server;
  auto app = connect_event_app(server);
  LineInfo line;
  std::thread opener([&] {
    wire::ClientToServer msg;
    msg.mutable_open();
    EXPECT_EQ(app->open_line(msg, false, 5, &line), 0);
  });
  auto open = server.read();
  server.send({result(open.seq(), 0, 1)});
  opener.join();
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request();
    EXPECT_EQ(app->start_request(msg, {}), 40);
  });
  const auto req = server.read();
  server.send({result(req.seq(), 40)});
  caller.join();
  server.drop();

  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_OPERATIONFAILED);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CLOSE);
  EXPECT_EQ(m.device, line.hline);
  EXPECT_EQ(m.instance, 5u);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_REINIT);
  EXPECT_FALSE(app->line(line.hline));
  wire::ClientToServer later;
  later.mutable_request();
  EXPECT_EQ(app->start_request(later, {}), LINEERR_OPERATIONFAILED);
  app->shutdown();
}

// Sets OPENTAPI_RESUME_SECONDS for one test.
struct ResumeWindow {
  explicit ResumeWindow(const char* seconds) { ::setenv("OPENTAPI_RESUME_SECONDS", seconds, 1); }
  ~ResumeWindow() { ::unsetenv("OPENTAPI_RESUME_SECONDS"); }
};

// The server goes away with a request outstanding; the application is
// resumed on the next server: same HLINE, OUTOFSERVICE then INSERVICE, the
// line reopened with its status messages, the request sent again under its
// origin id, and its LINE_REPLY carrying the id the application holds.
TEST(Application, ALostServerIsResumedUnderTheSameHandles) {
  ResumeWindow window("10");
  FakeServer server;
  auto app = connect_event_app(server);
  ASSERT_TRUE(app);
  const std::string instance = server.last_hello.instance_id();
  EXPECT_EQ(instance.size(), 16u);
  EXPECT_EQ(server.last_hello.first_request_id(), 0u);
  LineInfo line;
  std::thread opener([&] {
    wire::ClientToServer msg;
    msg.mutable_open()->set_device_id(1);
    msg.mutable_open()->set_privileges(LINECALLPRIVILEGE_MONITOR);
    EXPECT_EQ(app->open_line(msg, false, 5, &line), 0);
  });
  auto open = server.read();
  server.send({result(open.seq(), 0, 3)});
  opener.join();
  app->record_status_messages(line.hline, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0);
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_hline(3);
    msg.mutable_request()->set_request_type(LINEPROXYREQUEST_SETAGENTSTATEEX);
    EXPECT_EQ(app->start_request(msg, {}), 40);
  });
  const auto req = server.read();
  ASSERT_TRUE(req.has_request());
  const std::uint64_t origin = req.request().origin_id();
  EXPECT_NE(origin, 0u);
  server.send({result(req.seq(), 40)});
  caller.join();
  server.drop();

  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_OUTOFSERVICE);
  EXPECT_EQ(m.device, line.hline);
  EXPECT_EQ(m.instance, 5u);

  server.accept_and_welcome();
  EXPECT_EQ(server.last_hello.instance_id(), instance);
  EXPECT_EQ(server.last_hello.first_request_id(), 41u);
  open = server.read();
  ASSERT_TRUE(open.has_open());
  EXPECT_EQ(open.open().device_id(), 1u);
  EXPECT_EQ(open.open().privileges(), static_cast<std::uint32_t>(LINECALLPRIVILEGE_MONITOR));
  server.send({result(open.seq(), 0, 8)});
  const auto select = server.read();
  ASSERT_TRUE(select.has_set_status_messages());
  EXPECT_EQ(select.set_status_messages().hline(), 8u);
  EXPECT_EQ(select.set_status_messages().line_states(),
            static_cast<std::uint32_t>(LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE));
  server.send({result(select.seq(), 0)});

  m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_INSERVICE);
  EXPECT_EQ(m.device, line.hline);

  const auto again = server.read();
  ASSERT_TRUE(again.has_request());
  EXPECT_EQ(again.request().origin_id(), origin);
  EXPECT_EQ(again.request().hline(), 8u) << "sent on the reopened line";
  server.send({result(again.seq(), 41), reply(41, 0, ""), message(8, LINE_LINEDEVSTATE, LINEDEVSTATE_CONNECTED, 0)});
  m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u) << "the id the application holds";
  EXPECT_EQ(m.param2, 0u);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.device, line.hline);
  EXPECT_EQ(m.param1, LINEDEVSTATE_CONNECTED);
  EXPECT_TRUE(app->line(line.hline));
  EXPECT_EQ(app->resumes(), 1u);
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing twice";
  app->shutdown();
}

// Nobody to resume with within the window: the lost connection's usual end.
TEST(Application, ResumeGivesUpAfterItsWindow) {
  ResumeWindow window("0.3");
  FakeServer server;
  auto app = connect_event_app(server);
  LineInfo line;
  std::thread opener([&] {
    wire::ClientToServer msg;
    msg.mutable_open();
    EXPECT_EQ(app->open_line(msg, false, 5, &line), 0);
  });
  auto open = server.read();
  server.send({result(open.seq(), 0, 1)});
  opener.join();
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_hline(1);
    EXPECT_EQ(app->start_request(msg, {}), 40);
  });
  const auto req = server.read();
  server.send({result(req.seq(), 40)});
  caller.join();
  // Nothing there from now on (the fake server still listens, and a Hello
  // nobody answers would use up the window).
  ::setenv("OPENTAPI_SERVER", "unix:/nonexistent/opentapi-test.sock", 1);
  server.drop();
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_OPERATIONFAILED);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CLOSE);
  EXPECT_EQ(m.device, line.hline);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_REINIT);
  EXPECT_EQ(app->resumes(), 0u);
  app->shutdown();
}

// An undecodable stream is not resumed, whatever the window.
TEST(Application, AnUndecodableStreamIsNotResumed) {
  ResumeWindow window("10");
  FakeServer server;
  auto app = connect_event_app(server);
  const char junk[] = "\xff\xff\xff\xff";
  ASSERT_EQ(::send(server.fd(), junk, 4, MSG_NOSIGNAL), 4);
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_REINIT);
  app->shutdown();
}

TEST(Application, ShutdownReleasesAThreadWaitingForTheServer) {
  FakeServer server;
  auto app = connect_event_app(server);
  std::atomic<std::int32_t> rc{0};
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request();
    rc = app->start_request(msg, {});
  });
  server.read();  // never answered
  const auto start = std::chrono::steady_clock::now();
  app->shutdown();
  caller.join();
  EXPECT_EQ(rc.load(), LINEERR_INVALAPPHANDLE);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(app->event_fd(), -1) << "the eventfd is closed";
}

TEST(Application, FramesRightBehindTheWelcomeAreHandled) {
  FakeServer server;
  std::shared_ptr<Application> app;
  std::thread accept([&] { server.accept_and_welcome(2, {reply(9, LINEERR_INVALPARAM, "")}); });
  ASSERT_EQ(Application::connect({}, &app), 0);
  accept.join();
  // A Reply for an id the library does not know is passed on as is.
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 9u);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_INVALPARAM);
  app->shutdown();
}

std::size_t threads_in_process() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& t : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

TEST(Application, ManyApplicationsAreReadByOneThread) {
  constexpr int kApps = 16;
  {
    // The process's receiver thread exists once any application has connected.
    FakeServer warm_up;
    connect_event_app(warm_up)->shutdown();
  }
  const std::size_t before = threads_in_process();
  std::vector<std::unique_ptr<FakeServer>> servers;
  std::vector<std::shared_ptr<Application>> apps;
  for (int i = 0; i < kApps; ++i) {
    servers.push_back(std::make_unique<FakeServer>());
    apps.push_back(connect_event_app(*servers.back()));
    ASSERT_TRUE(apps.back());
  }
  EXPECT_EQ(threads_in_process(), before) << "event-mode applications add no thread of their own";
  // Every connection is still read: an unknown Reply comes back as LINE_REPLY.
  for (int i = 0; i < kApps; ++i) servers[static_cast<std::size_t>(i)]->send({reply(100 + i, 0, "")});
  for (int i = 0; i < kApps; ++i) {
    const LineMessage m = next(*apps[static_cast<std::size_t>(i)]);
    EXPECT_EQ(m.id, LINE_REPLY);
    EXPECT_EQ(m.param1, static_cast<std::uintptr_t>(100 + i));
  }
  for (auto& app : apps) app->shutdown();
}

TEST(Application, ACallerWaitingForItsResultReadsTheConnectionItself) {
  FakeServer server;
  auto app = connect_event_app(server);
  std::thread::id sink_thread;
  std::thread::id caller_thread;
  std::thread caller([&] {
    caller_thread = std::this_thread::get_id();
    wire::ClientToServer msg;
    msg.mutable_request();
    EXPECT_EQ(app->start_request(msg,
                                 [&](const std::string&) {
                                   sink_thread = std::this_thread::get_id();
                                   return 0;
                                 }),
              12);
  });
  const auto req = server.read();
  // Once the caller reads the connection itself, it, not the receiver
  // thread, reads both frames, and the sink runs on it.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!app->caller_reading() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(app->caller_reading());
  server.send({result(req.seq(), 12), reply(12, 0, "x")});
  caller.join();
  EXPECT_EQ(next(*app).id, static_cast<std::uint32_t>(LINE_REPLY));
  EXPECT_EQ(sink_thread, caller_thread);
  // Afterwards the receiver reads the connection again.
  server.send({reply(13, 0, "")});
  EXPECT_EQ(next(*app).param1, 13u);
  app->shutdown();
}

TEST(Application, AForkedChildReadsItsOwnApplications) {
  {
    FakeServer warm_up;  // the parent's receiver thread is running
    connect_event_app(warm_up)->shutdown();
  }
  FakeServer server;
  int connected[2];
  ASSERT_EQ(::pipe(connected), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child has no receiver thread of its own unless one is started for it.
    ::close(connected[0]);
    std::shared_ptr<Application> app;
    if (Application::connect({}, &app) != 0) ::_exit(2);
    if (::write(connected[1], "c", 1) != 1) ::_exit(3);
    LineMessage m;
    const bool got = app->get_message(30'000, &m) == 0 && m.id == LINE_REPLY && m.param1 == 5;
    ::_exit(got ? 0 : 1);
  }
  ::close(connected[1]);
  server.accept_and_welcome();
  // Once the child has taken its Welcome: the reply comes after it, so the
  // child's receiver, not connect(), must read it.
  pollfd p{connected[0], POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 30'000), 1) << "the child never connected";
  ::close(connected[0]);
  server.send({reply(5, 0, "")});
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the child's application was never read";
}

TEST(Application, PostSendsWithoutWaitingAndKeepsTheOrder) {
  FakeServer server;
  auto app = connect_event_app(server);
  wire::ClientToServer first;
  first.mutable_proxy_message()->set_msg(LINE_AGENTSTATUS);
  wire::ClientToServer second;
  second.mutable_proxy_message()->set_msg(LINE_AGENTSESSIONSTATUS);
  // Nobody answers: post() must not wait for a Result.
  EXPECT_EQ(app->post(first), 0);
  EXPECT_EQ(app->post(second), 0);
  const auto a = server.read();
  const auto b = server.read();
  EXPECT_EQ(a.seq(), 0u) << "seq 0: the server carries it out without an answer";
  EXPECT_EQ(a.proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSTATUS));
  EXPECT_EQ(b.proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSESSIONSTATUS));
  app->shutdown();
  EXPECT_EQ(app->post(first), LINEERR_INVALAPPHANDLE);
}

bool server_has_bytes(const FakeServer& server) {
  pollfd p{server.fd(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

// docs/performance.md step 12: a send batch holds what post() sends on this
// thread; another send of the same thread on the connection writes the held
// frames first, and the end of the batch writes the rest, in order.
TEST(Application, PostsInASendBatchLeaveWhenItEndsAndStayInOrder) {
  FakeServer server;
  auto app = connect_event_app(server);
  auto proxy_message = [](std::uint32_t msg) {
    wire::ClientToServer m;
    m.mutable_proxy_message()->set_msg(msg);
    return m;
  };
  send_batch::begin();
  EXPECT_TRUE(send_batch::active());
  EXPECT_EQ(app->post(proxy_message(LINE_AGENTSTATUS)), 0);
  EXPECT_EQ(app->post(proxy_message(LINE_AGENTSESSIONSTATUS)), 0);
  // A write to a local stream socket is complete when send() returns: had
  // post() written, the bytes would be there now.
  EXPECT_FALSE(server_has_bytes(server)) << "held until the batch ends";
  send_batch::begin();  // nested: only the outermost end writes
  EXPECT_EQ(app->post(proxy_message(LINE_AGENTSTATUSEX)), 0);
  EXPECT_TRUE(send_batch::end());
  EXPECT_FALSE(server_has_bytes(server));
  // Another frame of this thread goes behind the held ones, at once.
  wire::ClientToServer notice;
  notice.mutable_queue_overflow()->set_limit(16);
  EXPECT_TRUE(app->send_only(notice));
  EXPECT_EQ(server.read().proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSTATUS));
  EXPECT_EQ(server.read().proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSESSIONSTATUS));
  EXPECT_EQ(server.read().proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSTATUSEX));
  EXPECT_TRUE(server.read().has_queue_overflow());
  EXPECT_EQ(app->post(proxy_message(LINE_AGENTSPECIFIC)), 0);
  EXPECT_TRUE(send_batch::end());
  EXPECT_FALSE(send_batch::active());
  EXPECT_EQ(server.read().proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSPECIFIC));
  // Outside a batch post() writes at once again.
  EXPECT_EQ(app->post(proxy_message(LINE_AGENTSTATUS)), 0);
  EXPECT_EQ(server.read().proxy_message().msg(), static_cast<std::uint32_t>(LINE_AGENTSTATUS));
  EXPECT_TRUE(send_batch::end()) << "an end without a batch does nothing";
  app->shutdown();
}

TEST(Application, ASendBatchToAShutDownApplicationReportsTheLostFrames) {
  FakeServer server;
  auto app = connect_event_app(server);
  wire::ClientToServer m;
  m.mutable_proxy_message()->set_msg(LINE_AGENTSTATUS);
  send_batch::begin();
  EXPECT_EQ(app->post(m), 0);
  std::thread([&] { app->shutdown(); }).join();  // not this thread: its goodbye would write them first
  EXPECT_FALSE(send_batch::end());
}

TEST(Application, PostAfterLosingTheServerFails) {
  FakeServer server;
  auto app = connect_event_app(server);
  server.drop();
  // The loss is noticed by the receiver; then post() reports it.
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  wire::ClientToServer msg;
  msg.mutable_proxy_message();
  EXPECT_EQ(app->post(msg), LINEERR_OPERATIONFAILED);
  app->shutdown();
}

TEST(Application, ShutdownWhileTheServerFloodsStopsDeliveriesAtOnce) {
  FakeServer server;
  auto app = connect_event_app(server);
  LineInfo line;
  std::thread opener([&] {
    wire::ClientToServer msg;
    msg.mutable_open();
    EXPECT_EQ(app->open_line(msg, false, 0, &line), 0);
  });
  const auto open = server.read();
  server.send({result(open.seq(), 0, 1)});
  opener.join();
  std::atomic<bool> stop{false};
  std::thread flood([&] {
    std::string bytes;
    for (int i = 0; i < 64; ++i)
      proto::append_frame(bytes, message(1, LINE_AGENTSTATUS, 0, static_cast<std::uint32_t>(i)));
    while (!stop) {
      if (::send(server.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) break;
    }
  });
  ASSERT_EQ(next(*app).id, static_cast<std::uint32_t>(LINE_AGENTSTATUS));
  app->shutdown();
  LineMessage m;
  EXPECT_EQ(app->get_message(0, &m), LINEERR_INVALAPPHANDLE);
  stop = true;
  ::shutdown(server.fd(), SHUT_RDWR);
  flood.join();
}

// ---- call handles (docs/tapi2.md "Call handles") ----

wire::ServerToClient call_message(std::uint32_t hline, std::uint32_t hcall, std::uint32_t msg, std::uint32_t p1,
                                  std::uint32_t p2, std::uint32_t p3 = 0) {
  wire::ServerToClient m = message(hline, msg, p1, p2);
  m.mutable_message()->set_hcall(hcall);
  m.mutable_message()->set_param3(p3);
  return m;
}

// Opens one line whose server handle is `server_hline`.
LineInfo open_line(FakeServer& server, Application& app, std::uint32_t server_hline, std::uintptr_t instance = 7) {
  LineInfo line;
  std::thread opener([&] {
    wire::ClientToServer msg;
    msg.mutable_open()->set_api_version(0x00030001);
    EXPECT_EQ(app.open_line(msg, false, instance, &line), 0);
  });
  const auto open = server.read();
  server.send({result(open.seq(), 0, server_hline)});
  opener.join();
  return line;
}

TEST(Application, MakeCallRegistersTheHandleBeforeTheCallsFirstStateIsHandled) {
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo line = open_line(server, *app, 4);
  EXPECT_EQ(line.api_version, 0x00030001u);
  std::atomic<std::uint32_t> written{0};
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_make_call()->set_hline(4);
    EXPECT_EQ(app->start_call_request(msg, line.hline, [&](std::uint32_t h) { written = h; }), 31);
  });
  const auto req = server.read();
  ASSERT_TRUE(req.has_make_call());
  wire::ServerToClient done = reply(31, 0, "");
  done.mutable_reply()->set_hcall(900);
  // Result, Reply and the call's first two states in one segment.
  server.send({result(req.seq(), 31), done, call_message(4, 900, LINE_CALLSTATE, LINECALLSTATE_DIALING, 0),
               call_message(4, 900, LINE_CALLSTATE, LINECALLSTATE_PROCEEDING, 0)});
  caller.join();
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param2, 0u);
  const std::uint32_t hcall = written.load();
  ASSERT_NE(hcall, 0u);
  EXPECT_NE(hcall, 900u) << "library handle, not the server's";
  EXPECT_EQ(Registry::instance().call_owner(hcall), app);
  const auto handle = app->call_handle(hcall);
  ASSERT_TRUE(handle);
  EXPECT_EQ(handle->server_hcall, 900u);
  EXPECT_EQ(handle->hline, line.hline);
  for (const DWORD state : {LINECALLSTATE_DIALING, LINECALLSTATE_PROCEEDING}) {
    m = next(*app);
    EXPECT_EQ(m.id, LINE_CALLSTATE);
    EXPECT_EQ(m.device, hcall) << "hDevice of LINE_CALLSTATE is the HCALL";
    EXPECT_EQ(m.instance, 7u);
    EXPECT_EQ(m.param1, state);
  }
  app->shutdown();
  EXPECT_FALSE(Registry::instance().call_owner(hcall)) << "shutdown frees the handles";
}

TEST(Application, MakeCallWithoutAHandleInItsReplyFails) {
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo line = open_line(server, *app, 4);
  bool ran = false;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_make_call();
    EXPECT_EQ(app->start_call_request(msg, line.hline, [&](std::uint32_t) { ran = true; }), 3);
  });
  const auto req = server.read();
  server.send({result(req.seq(), 3), reply(3, 0, "")});
  caller.join();
  const LineMessage m = next(*app);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_OPERATIONFAILED);
  EXPECT_FALSE(ran);
  app->shutdown();
}

TEST(Application, AppNewCallGivesEachApplicationItsOwnHandle) {
  // Two applications of one process whose server handles coincide (each
  // FakeServer points OPENTAPI_SERVER at itself when it is made).
  FakeServer server_b;
  auto b = connect_event_app(server_b);
  const LineInfo line_b = open_line(server_b, *b, 1);
  FakeServer server_a;
  auto a = connect_event_app(server_a);
  const LineInfo line_a = open_line(server_a, *a, 1);
  for (auto* s : {&server_a, &server_b}) {
    s->send({call_message(1, 5, LINE_APPNEWCALL, 0, 5, LINECALLPRIVILEGE_MONITOR),
             call_message(1, 5, LINE_CALLSTATE, LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE,
                          LINECALLPRIVILEGE_MONITOR)});
  }
  std::uint32_t handles[2] = {};
  int i = 0;
  for (const auto& [app, line] : {std::pair{a, line_a}, std::pair{b, line_b}}) {
    const LineMessage n = next(*app);
    EXPECT_EQ(n.id, LINE_APPNEWCALL);
    EXPECT_EQ(n.device, line.hline) << "hDevice of LINE_APPNEWCALL is the HLINE";
    EXPECT_EQ(n.param1, 0u);
    EXPECT_EQ(n.param3, LINECALLPRIVILEGE_MONITOR);
    const LineMessage st = next(*app);
    EXPECT_EQ(st.id, LINE_CALLSTATE);
    EXPECT_EQ(st.device, n.param2);
    EXPECT_EQ(st.param2, LINEOFFERINGMODE_ACTIVE);
    EXPECT_EQ(st.param3, LINECALLPRIVILEGE_MONITOR);
    handles[i++] = static_cast<std::uint32_t>(n.param2);
  }
  EXPECT_NE(handles[0], handles[1]);
  EXPECT_EQ(Registry::instance().call_owner(handles[0]), a);
  EXPECT_EQ(Registry::instance().call_owner(handles[1]), b);
  a->shutdown();
  b->shutdown();
}

TEST(Application, NewCallsAreRegisteredAsTheirResultIsRead) {
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo line = open_line(server, *app, 2);
  std::vector<std::uint32_t> handles;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_get_new_calls()->set_hline(2);
    wire::Result r;
    EXPECT_EQ(app->call_new_calls(msg, line.hline, &r, &handles), 0);
  });
  const auto req = server.read();
  ASSERT_TRUE(req.has_get_new_calls());
  wire::ServerToClient answer = result(req.seq(), 0);
  answer.mutable_result()->add_hcalls(11);
  answer.mutable_result()->add_hcalls(12);
  server.send({answer, call_message(2, 12, LINE_CALLINFO, LINECALLINFOSTATE_CALLERID, 0)});
  caller.join();
  ASSERT_EQ(handles.size(), 2u);
  EXPECT_EQ(app->call_handle(handles[0])->server_hcall, 11u);
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_CALLINFO);
  EXPECT_EQ(m.device, handles[1]);
  app->shutdown();
}

TEST(Application, ClosingALineOrLosingItKillsItsCallHandles) {
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo first = open_line(server, *app, 1);
  const LineInfo second = open_line(server, *app, 2);
  server.send({call_message(1, 5, LINE_APPNEWCALL, 0, 5, LINECALLPRIVILEGE_OWNER),
               call_message(2, 6, LINE_APPNEWCALL, 0, 6, LINECALLPRIVILEGE_OWNER),
               call_message(2, 7, LINE_APPNEWCALL, 0, 7, LINECALLPRIVILEGE_OWNER)});
  const auto h1 = static_cast<std::uint32_t>(next(*app).param2);
  const auto h2 = static_cast<std::uint32_t>(next(*app).param2);
  const auto h3 = static_cast<std::uint32_t>(next(*app).param2);
  // LINE_CLOSE from the server for line 2.
  server.send({message(2, LINE_CLOSE, 0, 0)});
  EXPECT_EQ(next(*app).id, LINE_CLOSE);
  EXPECT_FALSE(app->call_handle(h2));
  EXPECT_FALSE(Registry::instance().call_owner(h3));
  EXPECT_TRUE(app->call_handle(h1));
  // lineClose of line 1.
  std::thread closer([&] { EXPECT_EQ(app->close_line(first.hline), 0); });
  const auto close = server.read();
  ASSERT_TRUE(close.has_close());
  server.send({result(close.seq(), 0)});
  closer.join();
  EXPECT_FALSE(app->call_handle(h1));
  EXPECT_FALSE(Registry::instance().call_owner(h1));
  (void)second;
  app->shutdown();
}

TEST(Application, MessagesForAForgottenHandleAreDropped) {
  FakeServer server;
  auto app = connect_event_app(server);
  open_line(server, *app, 1);
  server.send({call_message(1, 5, LINE_APPNEWCALL, 0, 5, LINECALLPRIVILEGE_MONITOR)});
  const auto h = static_cast<std::uint32_t>(next(*app).param2);
  app->forget_call(h);
  EXPECT_FALSE(Registry::instance().call_owner(h));
  server.send({call_message(1, 5, LINE_CALLSTATE, LINECALLSTATE_IDLE, 0),
               message(1, LINE_LINEDEVSTATE, LINEDEVSTATE_NUMCALLS, 0)});
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE) << "the LINE_CALLSTATE for the forgotten handle was dropped";
  app->shutdown();
}

TEST(Application, ServerErrorInsteadOfWelcomeIsReturned) {
  FakeServer server;
  std::thread accept([&] { server.accept_and_refuse(LINEERR_REINIT); });
  std::shared_ptr<Application> app;
  EXPECT_EQ(Application::connect({}, &app), LINEERR_REINIT);
  accept.join();
  EXPECT_FALSE(app);
}

// OPENTAPI_SERVER as a list (docs/ha.md "Client redirection"): an address
// with nothing behind it is passed over, and a standby's answer naming the
// owner is followed, also to an address not in the list.
TEST(Application, TriesTheListAndFollowsTheStandbysRedirection) {
  std::string gone;
  {
    FakeServer dead;
    gone = dead.address();
  }
  FakeServer standby;
  FakeServer owner;
  ::setenv("OPENTAPI_SERVER", (gone + "," + standby.address()).c_str(), 1);
  std::thread serve([&] {
    standby.accept_and_refuse(LINEERR_REINIT, owner.address());
    owner.accept_and_welcome(3);
  });
  std::shared_ptr<Application> app;
  EXPECT_EQ(Application::connect({}, &app), 0);
  serve.join();
  ASSERT_TRUE(app);
  EXPECT_EQ(app->num_devices(), 3u);
  app->shutdown();
}

// Every node a standby that knows no owner (a takeover under way): the
// answer is theirs, LINEERR_REINIT (try again), not "not running".
TEST(Application, StandbysWithoutAnOwnerAnswerReinit) {
  FakeServer a;
  FakeServer b;
  ::setenv("OPENTAPI_SERVER", (a.address() + "," + b.address()).c_str(), 1);
  std::thread serve([&] {
    a.accept_and_refuse(LINEERR_REINIT);
    b.accept_and_refuse(LINEERR_REINIT);
  });
  std::shared_ptr<Application> app;
  EXPECT_EQ(Application::connect({}, &app), LINEERR_REINIT);
  serve.join();
  EXPECT_FALSE(app);
}

// docs/tapi2.md "Time-outs": with several servers (a cluster), a node that
// takes a request and never answers it (stopped with SIGSTOP, hung) gives
// the caller LINEERR_OPERATIONFAILED after the call time-out, and its
// connection is given up: the application sees a lost connection (LINE_CLOSE
// of its lines, then REINIT) instead of waiting until the node resumes.
// Resuming on: the agent request the node left without a Result is not
// failed (that node may have applied it) but sent again, under the same
// origin id, on the node the application is resumed on; the caller gets the
// request id from there.
TEST(Application, ARequestAClusterNodeLeftUnansweredIsSentAgainOnTheNext) {
  ResumeWindow window("10");
  FakeServer stopped;
  FakeServer next_node;
  ::setenv("OPENTAPI_SERVER", (stopped.address() + "," + next_node.address()).c_str(), 1);
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "400", 1);
  auto app = connect_event_app(stopped);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  open_line(stopped, *app, 1);

  std::int32_t id = 0;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_hline(1);
    id = app->start_request(msg, {});
  });
  const auto first = stopped.read();
  ASSERT_TRUE(first.has_request());
  // No answer: after the call time-out the node is given up; the stopped
  // node's listener still takes connections, but a Hello it never answers
  // passes to the next node.
  next_node.accept_and_welcome();
  const auto reopen = next_node.read();
  ASSERT_TRUE(reopen.has_open());
  next_node.send({result(reopen.seq(), 0, 5)});
  const auto again = next_node.read();
  ASSERT_TRUE(again.has_request());
  EXPECT_EQ(again.request().origin_id(), first.request().origin_id());
  EXPECT_EQ(again.request().hline(), 5u);
  next_node.send({result(again.seq(), 9)});
  caller.join();
  EXPECT_EQ(id, 9);
  EXPECT_EQ(app->resumes(), 1u);
  app->shutdown();
}

// True once `fd` reads end of stream within `within` (the peer shut down).
bool ends_within(int fd, std::chrono::milliseconds within) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(within.count())) != 1) return false;
  char byte;
  return ::recv(fd, &byte, 1, 0) == 0;
}

// docs/tapi2.md "Time-outs": a cluster node that answers an agent request's
// Result and then stops (SIGSTOP after the Result) leaves its LINE_REPLY
// unanswered. After the reply time-out (OPENTAPI_CALL_TIMEOUT_MS here) the
// node is given up as for a missing Result: the application is resumed on
// the next node, the request sent again there under its origin id, and the
// LINE_REPLY carries the id the application was given first.
TEST(Application, AnAgentRequestWhoseReplyAClusterNodeNeverSendsIsSentAgainOnTheNext) {
  ResumeWindow window("10");
  FakeServer stopped;
  FakeServer next_node;
  ::setenv("OPENTAPI_SERVER", (stopped.address() + "," + next_node.address()).c_str(), 1);
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "400", 1);
  auto app = connect_event_app(stopped);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  open_line(stopped, *app, 1);

  std::int32_t id = 0;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_hline(1);
    id = app->start_request(msg, {});
  });
  const auto first = stopped.read();
  ASSERT_TRUE(first.has_request());
  stopped.send({result(first.seq(), 40)});
  const auto answered = std::chrono::steady_clock::now();
  caller.join();
  EXPECT_EQ(id, 40);
  // No LINE_REPLY: the connection is given up after the reply time-out.
  ASSERT_TRUE(ends_within(stopped.fd(), 10s));
  EXPECT_GE(std::chrono::steady_clock::now() - answered, 350ms);

  next_node.accept_and_welcome();
  const auto reopen = next_node.read();
  ASSERT_TRUE(reopen.has_open());
  next_node.send({result(reopen.seq(), 0, 5)});
  const auto again = next_node.read();
  ASSERT_TRUE(again.has_request());
  EXPECT_EQ(again.request().origin_id(), first.request().origin_id());
  EXPECT_EQ(again.request().hline(), 5u);
  next_node.send({result(again.seq(), 41), reply(41, 0, "")});
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u) << "the id the application holds";
  EXPECT_EQ(m.param2, 0u);
  EXPECT_EQ(app->resumes(), 1u);
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing twice";
  app->shutdown();
}

// With one server the LINE_REPLY has no time-out, resuming or not: the
// connection outlives the call time-out and the late reply is delivered.
TEST(Application, WithOneServerALateReplyIsWaitedFor) {
  ResumeWindow window("10");
  FakeServer server;
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "200", 1);
  auto app = connect_event_app(server);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request();
    EXPECT_EQ(app->start_request(msg, {}), 40);
  });
  const auto req = server.read();
  ASSERT_TRUE(req.has_request());
  server.send({result(req.seq(), 40)});
  caller.join();
  EXPECT_FALSE(ends_within(server.fd(), 1s)) << "kept past several call time-outs";
  server.send({reply(40, 0, "")});
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u);
  EXPECT_EQ(m.param2, 0u);
  EXPECT_EQ(app->resumes(), 0u);
  app->shutdown();
}

TEST(Application, AClusterNodeThatLeavesACallUnansweredIsGivenUp) {
  // Without resuming (docs/ha.md "Handles survive"): resumed, the request
  // would wait to be sent again on the node that comes next.
  ResumeWindow window("0");
  FakeServer stopped;
  std::string gone;
  {
    FakeServer other;
    gone = other.address();
  }
  ::setenv("OPENTAPI_SERVER", (stopped.address() + "," + gone).c_str(), 1);
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "400", 1);
  auto app = connect_event_app(stopped);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  const LineInfo line = open_line(stopped, *app, 1);

  const auto start = std::chrono::steady_clock::now();
  wire::ClientToServer msg;
  msg.mutable_request();
  EXPECT_EQ(app->start_request(msg, {}), LINEERR_OPERATIONFAILED);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 350ms);
  EXPECT_LT(waited, 10s);
  EXPECT_TRUE(stopped.read().has_request()) << "the request was sent";

  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_CLOSE);
  EXPECT_EQ(m.device, line.hline);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_REINIT);
  // The node sees the end of the connection.
  char byte;
  EXPECT_EQ(::recv(stopped.fd(), &byte, 1, 0), 0);
  app->shutdown();
}

// A stopped node accepts nothing, and once its listen backlog is full a
// connect to it would wait until it resumes: with several servers it is
// given up after the connect time-out and the next one serves.
TEST(Application, ANodeWhoseBacklogIsFullIsPassedOver) {
  FakeServer stopped;
  FakeServer live;
  const std::string path = stopped.address().substr(5);  // after "unix:"
  std::vector<int> held;
  for (int i = 0; i < 64; ++i) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      ASSERT_EQ(errno, EAGAIN);
      ::close(fd);
      break;
    }
    held.push_back(fd);
  }
  ::setenv("OPENTAPI_SERVER", (stopped.address() + "," + live.address()).c_str(), 1);
  std::thread serve([&] { live.accept_and_welcome(4); });
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<Application> app;
  EXPECT_EQ(Application::connect({}, &app), 0);
  const auto waited = std::chrono::steady_clock::now() - start;
  serve.join();
  ASSERT_TRUE(app);
  EXPECT_EQ(app->num_devices(), 4u);
  EXPECT_LT(waited, 10s);
  app->shutdown();
  for (int fd : held) ::close(fd);
}

// With one server, a call without an answer fails after the call time-out
// but the connection stays: a later call is answered.
TEST(Application, ASingleServerKeepsTheConnectionAfterACallTimeOut) {
  FakeServer server;
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "300", 1);
  auto app = connect_event_app(server);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  wire::ClientToServer first;
  first.mutable_request();
  EXPECT_EQ(app->start_request(first, {}), LINEERR_OPERATIONFAILED);
  server.read();  // never answered
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request();
    EXPECT_EQ(app->start_request(msg, {}), 21);
  });
  const auto req = server.read();
  server.send({result(req.seq(), 21)});
  caller.join();
  app->shutdown();
}

// A server that takes no more bytes (stopped, its receive buffer full): a
// write gives up after the write time-out (the call time-out) instead of
// blocking, and the connection is lost.
TEST(Application, AWriteTheServerDoesNotTakeGivesUp) {
  FakeServer server;
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "300", 1);
  auto app = connect_event_app(server);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  wire::ClientToServer msg;
  msg.mutable_request()->set_payload(std::string(60 * 1024, 'x'));
  const auto start = std::chrono::steady_clock::now();
  std::int32_t rc = 0;
  // The socket buffers take some frames; the server never reads them.
  for (int i = 0; i < 1000 && rc == 0; ++i) rc = app->post(msg);
  EXPECT_EQ(rc, LINEERR_OPERATIONFAILED);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  // The connection is lost: the application is told so.
  EXPECT_EQ(next(*app).param1, LINEDEVSTATE_REINIT);
  app->shutdown();
}

TEST(Application, NothingListeningIsServiceNotRunning) {
  {
    FakeServer server;  // sets OPENTAPI_SERVER, then goes away with its socket
  }
  std::shared_ptr<Application> app;
  EXPECT_EQ(Application::connect({}, &app), LINEERR_SERVICE_NOT_RUNNING);
}

// Answers a resumed application's reopening of one line (`server_hline`)
// and, with `select`, its replayed lineSetStatusMessages.
void answer_reopen(FakeServer& server, std::uint32_t server_hline, bool select) {
  const auto open = server.read();
  ASSERT_TRUE(open.has_open());
  server.send({result(open.seq(), 0, server_hline)});
  if (!select) return;
  const auto again = server.read();
  ASSERT_TRUE(again.has_set_status_messages());
  server.send({result(again.seq(), 0)});
}

// docs/ha.md "Calls at a resume": the calls of a resumed application ended
// with the server that held them. Each handle is told LINE_CALLSTATE
// DISCONNECTED (LINEDISCONNECTMODE_UNAVAIL) unless it was disconnected
// already, then IDLE, between OUTOFSERVICE and INSERVICE; a handle already
// IDLE is told nothing. The handles stay the application's until it
// deallocates them, and the new server's handles (the same numbers) are new
// library handles.
TEST(Application, AResumeEndsTheCallsOfTheLostServerAndKeepsTheirHandles) {
  ResumeWindow window("10");
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo line = open_line(server, *app, 4);
  app->record_status_messages(line.hline, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0);
  server.send({call_message(4, 5, LINE_APPNEWCALL, 2, 5, LINECALLPRIVILEGE_OWNER),
               call_message(4, 5, LINE_CALLSTATE, LINECALLSTATE_CONNECTED, 0),
               call_message(4, 6, LINE_APPNEWCALL, 0, 6, LINECALLPRIVILEGE_MONITOR),
               call_message(4, 6, LINE_CALLSTATE, LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_NORMAL),
               call_message(4, 7, LINE_APPNEWCALL, 0, 7, LINECALLPRIVILEGE_MONITOR),
               call_message(4, 7, LINE_CALLSTATE, LINECALLSTATE_IDLE, 0)});
  std::uint32_t connected = 0, disconnected = 0, idle = 0;
  for (std::uint32_t* h : {&connected, &disconnected, &idle}) {
    const LineMessage n = next(*app);
    ASSERT_EQ(n.id, LINE_APPNEWCALL);
    *h = static_cast<std::uint32_t>(n.param2);
    EXPECT_EQ(next(*app).id, LINE_CALLSTATE);
  }
  server.drop();
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE);
  EXPECT_EQ(m.param1, LINEDEVSTATE_OUTOFSERVICE);
  // Nothing of the calls while the application is away.
  LineMessage none;
  EXPECT_EQ(app->get_message(100, &none), LINEERR_OPERATIONFAILED);
  ASSERT_TRUE(app->call_handle(connected));

  server.accept_and_welcome();
  answer_reopen(server, 9, true);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CALLSTATE);
  EXPECT_EQ(m.device, connected);
  EXPECT_EQ(m.instance, 7u);
  EXPECT_EQ(m.param1, LINECALLSTATE_DISCONNECTED);
  EXPECT_EQ(m.param2, LINEDISCONNECTMODE_UNAVAIL);
  EXPECT_EQ(m.param3, 0u) << "the privilege did not change";
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CALLSTATE);
  EXPECT_EQ(m.device, connected);
  EXPECT_EQ(m.param1, LINECALLSTATE_IDLE);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CALLSTATE);
  EXPECT_EQ(m.device, disconnected) << "disconnected already: IDLE alone";
  EXPECT_EQ(m.param1, LINECALLSTATE_IDLE);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_LINEDEVSTATE) << "the idle call is told nothing; INSERVICE comes last";
  EXPECT_EQ(m.param1, LINEDEVSTATE_INSERVICE);

  for (const std::uint32_t h : {connected, disconnected, idle}) {
    const auto handle = app->call_handle(h);
    ASSERT_TRUE(handle) << "kept until lineDeallocateCall";
    EXPECT_TRUE(handle->ended);
    EXPECT_EQ(handle->last_state, static_cast<std::uint32_t>(LINECALLSTATE_IDLE));
    EXPECT_EQ(Registry::instance().call_owner(h), app);
  }
  EXPECT_EQ(app->call_handle(connected)->address_id, 2u);
  EXPECT_EQ(app->call_handle(connected)->privilege, static_cast<std::uint32_t>(LINECALLPRIVILEGE_OWNER));
  EXPECT_NE(app->call_handle(connected)->ended_at_ms, 0);

  // The new server's call 5 is another call: a new handle, and nothing of it
  // reaches the ended one.
  server.send({call_message(9, 5, LINE_APPNEWCALL, 0, 5, LINECALLPRIVILEGE_OWNER),
               call_message(9, 5, LINE_CALLSTATE, LINECALLSTATE_OFFERING, 0)});
  m = next(*app);
  ASSERT_EQ(m.id, LINE_APPNEWCALL);
  const auto fresh = static_cast<std::uint32_t>(m.param2);
  EXPECT_NE(fresh, connected);
  m = next(*app);
  EXPECT_EQ(m.device, fresh);
  EXPECT_FALSE(app->call_handle(fresh)->ended);

  // lineDeallocateCall of an ended handle succeeds here, without the server;
  // of a live one it is the server's.
  EXPECT_TRUE(app->deallocate_without_server(connected));
  EXPECT_FALSE(app->call_handle(connected));
  EXPECT_FALSE(Registry::instance().call_owner(connected));
  EXPECT_FALSE(app->deallocate_without_server(connected));
  EXPECT_FALSE(app->deallocate_without_server(fresh));
  EXPECT_TRUE(app->call_handle(fresh));
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing twice";
  app->shutdown();
  EXPECT_FALSE(Registry::instance().call_owner(disconnected)) << "shutdown frees the ended handles too";
}

// A line the new server does not reopen gets LINE_CLOSE, and its call
// handles die with it (no LINE_CALLSTATE for them); a handle deallocated
// while the application is away is told nothing at the resume.
TEST(Application, CallsOfALineNotReopenedDieWithItsLineClose) {
  ResumeWindow window("10");
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo line = open_line(server, *app, 4);
  const LineInfo other = open_line(server, *app, 5);
  server.send({call_message(4, 1, LINE_APPNEWCALL, 0, 1, LINECALLPRIVILEGE_OWNER),
               call_message(5, 2, LINE_APPNEWCALL, 0, 2, LINECALLPRIVILEGE_OWNER)});
  const auto on_line = static_cast<std::uint32_t>(next(*app).param2);
  const auto on_other = static_cast<std::uint32_t>(next(*app).param2);
  server.drop();
  // Away: lineDeallocateCall succeeds at once.
  ASSERT_TRUE(app->call_handle(on_line));
  for (int i = 0; i < 500 && !app->deallocate_without_server(on_line); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(app->call_handle(on_line));
  server.accept_and_welcome();
  auto open = server.read();
  server.send({result(open.seq(), LINEERR_NODEVICE)});  // the first line is refused now
  open = server.read();
  server.send({result(open.seq(), 0, 8)});
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_CLOSE);
  EXPECT_EQ(m.device, line.hline);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CALLSTATE);
  EXPECT_EQ(m.device, on_other);
  EXPECT_EQ(m.param1, LINECALLSTATE_DISCONNECTED);
  EXPECT_EQ(next(*app).param1, LINECALLSTATE_IDLE);
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing for the deallocated handle";
  EXPECT_TRUE(app->call_handle(on_other));
  (void)other;
  app->shutdown();
}

// Call requests in flight at the loss complete exactly once: one whose
// Result had come gets LINE_REPLY(LINEERR_OPERATIONFAILED) (before
// OUTOFSERVICE), one without a Result fails synchronously with
// LINEERR_OPERATIONFAILED (no request id was given), and neither is sent
// again nor answered again after the resume.
TEST(Application, CallRequestsInFlightAtALossCompleteExactlyOnce) {
  ResumeWindow window("10");
  FakeServer server;
  auto app = connect_event_app(server);
  const LineInfo line = open_line(server, *app, 4);
  app->record_status_messages(line.hline, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0);
  std::atomic<int> sink_runs{0};
  std::thread answered([&] {
    wire::ClientToServer msg;
    msg.mutable_make_call()->set_hline(4);
    EXPECT_EQ(app->start_call_request(msg, line.hline, [&](std::uint32_t) { ++sink_runs; }), 31);
  });
  const auto first = server.read();
  ASSERT_TRUE(first.has_make_call());
  server.send({result(first.seq(), 31)});
  answered.join();
  std::int32_t unanswered_rc = 0;
  std::thread unanswered([&] {
    wire::ClientToServer msg;
    msg.mutable_call_control()->set_hcall(5);
    msg.mutable_call_control()->set_op(wire::CallControl::ANSWER);
    unanswered_rc = app->start_request(msg, {});
  });
  ASSERT_TRUE(server.read().has_call_control());
  server.drop();
  unanswered.join();
  EXPECT_EQ(unanswered_rc, LINEERR_OPERATIONFAILED);
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 31u);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_OPERATIONFAILED);
  m = next(*app);
  EXPECT_EQ(m.param1, LINEDEVSTATE_OUTOFSERVICE);

  server.accept_and_welcome();
  EXPECT_EQ(server.last_hello.first_request_id(), 32u) << "the new server never reuses id 31";
  answer_reopen(server, 4, true);
  m = next(*app);
  EXPECT_EQ(m.param1, LINEDEVSTATE_INSERVICE);
  // A late Reply 31 from the new server (it never knew the request) is not a
  // second answer: the new server numbers from 32. Nothing was sent again.
  std::thread probe([&] {
    wire::ClientToServer msg;
    wire::Result r;
    EXPECT_EQ(app->call(msg, &r), 0);
  });
  const auto next_frame = server.read();
  EXPECT_FALSE(next_frame.has_make_call());
  EXPECT_FALSE(next_frame.has_call_control());
  server.send({result(next_frame.seq(), 0)});
  probe.join();
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing twice";
  EXPECT_EQ(sink_runs.load(), 0);
  app->shutdown();
}

// docs/tapi2.md "Time-outs": a request sent again after a resume whose next
// node also falls silent (takes it, never answers its Result) is bounded by
// the same call time-out: that node is given up too, and the request goes
// again to a third under its origin id; its LINE_REPLY carries the id the
// application holds.
TEST(Application, ARequestSentAgainToANodeThatAlsoStopsIsBoundedAndSentOnceMore) {
  ResumeWindow window("20");
  auto first_node = std::make_unique<FakeServer>();
  FakeServer second_node;
  FakeServer third_node;
  ::setenv("OPENTAPI_SERVER",
           (first_node->address() + "," + second_node.address() + "," + third_node.address()).c_str(), 1);
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "400", 1);
  auto app = connect_event_app(*first_node);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  open_line(*first_node, *app, 1);
  std::int32_t id = 0;
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_hline(1);
    id = app->start_request(msg, {});
  });
  const auto first = first_node->read();
  ASSERT_TRUE(first.has_request());
  first_node->send({result(first.seq(), 40)});
  caller.join();
  EXPECT_EQ(id, 40);
  // No LINE_REPLY: given up after the reply time-out; the first node is
  // gone from then on (its socket too).
  ASSERT_TRUE(ends_within(first_node->fd(), 10s));
  first_node.reset();

  second_node.accept_and_welcome();
  answer_reopen(second_node, 5, false);
  const auto second = second_node.read();
  ASSERT_TRUE(second.has_request());
  EXPECT_EQ(second.request().origin_id(), first.request().origin_id());
  const auto sent_again = std::chrono::steady_clock::now();
  // Taken and never answered: given up after the call time-out.
  ASSERT_TRUE(ends_within(second_node.fd(), 10s)) << "the re-sent request's Result is bounded";
  EXPECT_GE(std::chrono::steady_clock::now() - sent_again, 350ms);

  third_node.accept_and_welcome();
  answer_reopen(third_node, 6, false);
  const auto third = third_node.read();
  ASSERT_TRUE(third.has_request());
  EXPECT_EQ(third.request().origin_id(), first.request().origin_id());
  EXPECT_EQ(third.request().hline(), 6u);
  third_node.send({result(third.seq(), 44), reply(44, 0, "")});
  const LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u) << "the id the application holds";
  EXPECT_EQ(m.param2, 0u);
  EXPECT_EQ(app->resumes(), 2u);
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing twice";
  app->shutdown();
}

// The same bound when no node is left to take the request: once the resume
// window passes the request fails with LINE_REPLY(LINEERR_OPERATIONFAILED),
// once.
TEST(Application, ARequestSentAgainFailsOnceWhenNoNodeAnswersWithinTheWindow) {
  ResumeWindow window("2");
  auto first_node = std::make_unique<FakeServer>();
  FakeServer second_node;
  ::setenv("OPENTAPI_SERVER", (first_node->address() + "," + second_node.address()).c_str(), 1);
  ::setenv("OPENTAPI_CALL_TIMEOUT_MS", "400", 1);
  auto app = connect_event_app(*first_node);
  ::unsetenv("OPENTAPI_CALL_TIMEOUT_MS");
  ASSERT_TRUE(app);
  const LineInfo line = open_line(*first_node, *app, 1);
  std::thread caller([&] {
    wire::ClientToServer msg;
    msg.mutable_request()->set_hline(1);
    EXPECT_EQ(app->start_request(msg, {}), 40);
  });
  const auto first = first_node->read();
  first_node->send({result(first.seq(), 40)});
  caller.join();
  ASSERT_TRUE(ends_within(first_node->fd(), 10s));
  first_node.reset();
  second_node.accept_and_welcome();
  answer_reopen(second_node, 5, false);
  ASSERT_TRUE(second_node.read().has_request());
  // Silent; then nobody at all.
  ASSERT_TRUE(ends_within(second_node.fd(), 10s));
  ::setenv("OPENTAPI_SERVER", "unix:/nonexistent/opentapi-test.sock", 1);
  LineMessage m = next(*app);
  EXPECT_EQ(m.id, LINE_REPLY);
  EXPECT_EQ(m.param1, 40u);
  EXPECT_EQ(static_cast<LONG>(m.param2), LINEERR_OPERATIONFAILED);
  m = next(*app);
  EXPECT_EQ(m.id, LINE_CLOSE);
  EXPECT_EQ(m.device, line.hline);
  EXPECT_EQ(next(*app).param1, LINEDEVSTATE_REINIT);
  LineMessage none;
  EXPECT_EQ(app->get_message(50, &none), LINEERR_OPERATIONFAILED) << "nothing twice";
  EXPECT_EQ(app->resumes(), 1u);
  app->shutdown();
}

// docs/ha.md "Handles survive": a resume tries the node it gave up last, so
// a stopped node (which takes connections and never answers a Hello) costs
// no Hello time-out; a redirection to that node is still followed at once.
TEST(Application, AResumeTriesTheNodeItGaveUpLast) {
  ResumeWindow window("10");
  FakeServer a;
  FakeServer b;
  ::setenv("OPENTAPI_SERVER", (a.address() + "," + b.address()).c_str(), 1);
  auto app = connect_event_app(a);
  ASSERT_TRUE(app);
  open_line(a, *app, 1);
  const auto lost = std::chrono::steady_clock::now();
  a.drop();  // a's listener still takes connections
  b.accept_and_welcome();
  const auto welcomed = std::chrono::steady_clock::now();
  EXPECT_FALSE(a.connection_waiting()) << "the node given up was tried first";
  answer_reopen(b, 2, false);
  for (int i = 0; i < 500 && app->resumes() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(app->resumes(), 1u);
  std::printf("loss -> Hello on the other node: %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(welcomed - lost).count()));

  // b goes: a is tried first now, is a standby naming b as the owner (b back
  // after a restart), and the client follows it there.
  b.drop();
  a.accept_and_refuse(LINEERR_REINIT, b.address());
  b.accept_and_welcome();
  answer_reopen(b, 3, false);
  for (int i = 0; i < 500 && app->resumes() == 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(app->resumes(), 2u);
  app->shutdown();
}

}  // namespace
}  // namespace opentapi::client
