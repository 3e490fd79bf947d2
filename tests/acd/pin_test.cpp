// Hashed PINs and lockouts through the public C API against a real opentapid
// and the virtual ACD (in this process, on a hand-driven clock):
// docs/security.md "Secrets at rest" and "Brute force".
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "acd/clock.h"
#include "acd/config.h"
#include "acd/virtual_acd.h"
#include "core/test_support.h"
#include "harness.h"
#include "secrets/stored_secret.h"
#include "store/sqlite/sqlite_store.h"

namespace acd_test {
namespace {

namespace acd = opentapi::acd;
namespace core = opentapi::core;
namespace secrets = opentapi::secrets;
namespace store = opentapi::store;
using core::testing_time::at;

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";
constexpr LONG err(DWORD lineerr) { return static_cast<LONG>(lineerr); }

class HashedPinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto hash = secrets::hash_secret("1111", secrets::kPinCost);  // the shipped cost: its time is measured
    ASSERT_TRUE(hash);
    pin_hash_ = *hash;
    const std::string text = std::string(R"(
[server]
lines = 1
addresses_per_line = 2

[security]
failures_before_lockout = 3
lockout_ms = 1000
max_lockout_ms = 4000

[[group]]
name = "Sales"
guid = ")") + kSales + R"("

[[agent]]
id = "1001"
pin = ")" + pin_hash_ + R"("

[[agent]]
id = "1002"
pin = "2222"
)";
    auto c = acd::parse_config(text, "pin_test.toml");
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    server_ = std::make_unique<Opentapid>(dir_.path(), 1, 2);
    store::SqliteOptions options;
    options.data_dir = dir_.path() + "/data";
    auto opened = store::open_sqlite_store(options);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    db_ = std::move(opened).value();
    acd::VirtualAcdOptions o;
    o.server_address = server_->address();
    o.clock = &clock_;
    o.log = [](acd::LogLevel, std::string_view) {};
    auto started = acd::VirtualAcd::start(*c, *db_, o);
    ASSERT_TRUE(started.ok()) << started.status().to_string();
    vacd_ = std::move(started).value();
    client_ = std::make_unique<Client>();
    line_ = client_->open(0);
    ASSERT_NE(line_, 0u);
  }

  void TearDown() override {
    client_.reset();
    if (vacd_) vacd_->stop();
    vacd_.reset();
    db_.reset();
    if (server_) server_->stop();
  }

  LONG create_agent(const char* id, const char* pin) {
    HAGENT agent = 0;
    return client_->create_agent(line_, id, pin, &agent);
  }

  TempDir dir_;
  std::string pin_hash_;
  acd::ManualClock clock_{at(0)};
  std::unique_ptr<Opentapid> server_;
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<acd::VirtualAcd> vacd_;
  std::unique_ptr<Client> client_;
  HLINE line_ = 0;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

TEST_F(HashedPinTest, AHashedPinLogsInAndAWrongOneIsInvalParam) {
  auto start = Clock::now();
  EXPECT_EQ(create_agent("1001", "1112"), err(LINEERR_INVALPARAM));
  const double wrong_ms = ms_since(start);
  start = Clock::now();
  HAGENT agent = 0;
  ASSERT_EQ(client_->create_agent(line_, "1001", "1111", &agent), 0);
  const double first_ms = ms_since(start);
  start = Clock::now();
  ASSERT_EQ(client_->create_agent(line_, "1001", "1111", &agent), 0);
  const double again_ms = ms_since(start);
  // The session PIN is checked against the same hash.
  HAGENTSESSION session = 0;
  EXPECT_EQ(client_->create_session(line_, agent, "1112", 0, guid(kSales), &session), err(LINEERR_INVALPARAM));
  EXPECT_EQ(client_->create_session(line_, agent, "1111", 0, guid(kSales), &session), 0);
  std::printf(
      "[figure] lineCreateAgent round trip with a hashed PIN: %.1f ms wrong (slow check), %.1f ms first "
      "right, %.1f ms once known\n",
      wrong_ms, first_ms, again_ms);
  const acd::AcdMetrics m = vacd_->metrics();
  EXPECT_EQ(m.pin_failures, 2u);
  EXPECT_EQ(m.pin_locked_out, 0u);
}

TEST_F(HashedPinTest, ThreeWrongPinsLockOutUntilTheDelayIsOverAndAreAudited) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(create_agent("1001", "0000"), err(LINEERR_INVALPARAM)) << i;
  // Locked out: the right PIN is refused with the same code.
  EXPECT_EQ(create_agent("1001", "1111"), err(LINEERR_INVALPARAM));
  clock_.advance_ms(999);
  EXPECT_EQ(create_agent("1001", "1111"), err(LINEERR_INVALPARAM));
  clock_.advance_ms(1);
  EXPECT_EQ(create_agent("1001", "1111"), 0);
  vacd_->sync();
  const acd::AcdMetrics m = vacd_->metrics();
  EXPECT_EQ(m.pin_failures, 3u);
  EXPECT_EQ(m.pin_locked_out, 2u);
  EXPECT_EQ(m.pin_lockouts, 1u);
  auto audit = vacd_->audit("login", "id:1001", 0, 100);
  ASSERT_TRUE(audit.ok()) << audit.status().to_string();
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ(audit->back().what, "lineCreateAgent: wrong PIN peer=" + current_user() + " lockout_ms=1000");
  EXPECT_EQ(audit->back().actor, current_user());
}

}  // namespace
}  // namespace acd_test
