// Helpers shared by the ACD unit tests (not part of opentapi_acd).
#ifndef OPENTAPI_ACD_TEST_SUPPORT_H_
#define OPENTAPI_ACD_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "acd/call_center.h"
#include "acd/config.h"
#include "core/test_support.h"

namespace opentapi::acd::testing {

using core::testing_time::at;
using core::testing_time::at_ms;

// A small call center: lines 0 and 1 with 4 addresses each, groups Sales and
// Support, queues 1 (Sales, overflows to 3 after 60 s), 2 (Support) and 3
// (Support), agents 1001..1004 (PIN 1111..4444; 1004 only for user dora),
// wrap-up 15 s, supervisor "boss", PBX user "pbx", two activities.
inline constexpr const char* kTestConfig = R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
wrap_up_seconds = 15
supervisors = ["boss"]
pbx_users = ["pbx"]

[[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[group]]
name = "Support"
guid = "{66666666-7777-8888-9999-AAAAAAAAAAAA}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"
overflow_to = 3
overflow_seconds = 60

[[queue]]
id = 2
name = "Support"
group = "Support"

[[queue]]
id = 3
name = "Sales overflow"
group = "Support"

[[agent]]
id = "1001"
pin = "1111"
name = "Ada"

[[agent]]
id = "1002"
pin = "2222"

[[agent]]
id = "1003"
pin = "3333"

[[agent]]
id = "1004"
pin = "4444"
user = "dora"

[[activity]]
id = 1
name = "Calls"

[[activity]]
id = 2
name = "Email"
)";

inline AcdConfig test_config(const std::string& extra = "") {
  auto c = parse_config(std::string(kTestConfig) + extra, "test.toml");
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  return c.ok() ? std::move(c).value() : AcdConfig{};
}

inline core::GroupId sales() { return *parse_guid("{11111111-2222-3333-4444-555555555555}"); }
inline core::GroupId support() { return *parse_guid("{66666666-7777-8888-9999-AAAAAAAAAAAA}"); }

inline Actor user(std::string name) { return Actor{std::move(name), 1, false}; }

// The records a store would hold after applying every batch in order.
class RecordMap {
 public:
  void apply(const store::Batch& b) {
    for (const auto& d : b.deletes) records_.erase({d.kind, d.key});
    for (const auto& p : b.puts) records_[{p.kind, p.key}] = p.value;
    for (const auto& a : b.audit) audit_.push_back(a);
  }
  std::vector<store::Record> all() const {
    std::vector<store::Record> out;
    for (const auto& [k, v] : records_) out.push_back({k.first, k.second, v});
    return out;
  }
  std::size_t count(const std::string& kind) const {
    std::size_t n = 0;
    for (const auto& [k, v] : records_) n += k.first == kind ? 1 : 0;
    return n;
  }
  const std::vector<store::AuditEntry>& audit() const { return audit_; }

 private:
  std::map<std::pair<std::string, std::string>, std::string> records_;
  std::vector<store::AuditEntry> audit_;
};

}  // namespace opentapi::acd::testing

#endif  // OPENTAPI_ACD_TEST_SUPPORT_H_
