// The way tools/opentapid embeds the ACD: the server and the virtual ACD in
// one process, the ACD connecting through libopentapi to the server's own
// UNIX listener once the server's event loop runs (connect_in_background).
// This test links the server library itself, as opentapid does; the ACD
// library never does.
#include <gtest/gtest.h>

#include <thread>

#include "acd/config.h"
#include "acd/virtual_acd.h"
#include "harness.h"
#include "server/server.h"
#include "store/sqlite/sqlite_store.h"

namespace acd_test {
namespace {

namespace acd = opentapi::acd;
namespace server = opentapi::server;
namespace store = opentapi::store;

TEST(InProcess, ServerAndAcdShareTheProcessWithTheDefaultConfiguration) {
  TempDir dir;
  const std::string socket = dir.path() + "/opentapid.sock";
  server::ServerOptions options;
  options.listen.push_back(server::Listen{opentapi::proto::ServerAddress::unix_socket(socket), false});
  options.switchboard.devices = server::LineDevices::uniform(4, 2);
  options.handle_signals = false;
  server::Server daemon(std::move(options));
  ASSERT_EQ(daemon.start(), "");

  store::SqliteOptions so;
  so.data_dir = dir.path() + "/data";
  auto st = store::open_sqlite_store(so);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  acd::VirtualAcdOptions o;
  o.server_address = "unix:" + socket;
  o.connect_in_background = true;
  o.reconnect_interval = 50ms;
  o.log = [](acd::LogLevel, std::string_view) {};
  // Started before the event loop runs, as opentapid does between start() and run().
  auto vacd = acd::VirtualAcd::start(acd::default_config(), **st, o);
  ASSERT_TRUE(vacd.ok()) << vacd.status().to_string();
  std::thread loop([&] { daemon.run(); });

  LONG rc = 1;
  for (int i = 0; i < 1500 && rc != 0; ++i) {  // at least 30 s
    Client c;
    const HLINE line = c.open(0);
    HAGENT agent = 0;
    rc = line == 0 ? 1 : c.create_agent(line, "1001", "1111", &agent);
    if (rc != 0) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(rc, 0);
  // The demo's simulated agents are logged in.
  EXPECT_EQ((*vacd)->stats().live_sessions, 8u);  // 4 agents × 2 groups

  (*vacd)->stop();
  daemon.stop();
  loop.join();
}

}  // namespace
}  // namespace acd_test
