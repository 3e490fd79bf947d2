// The configuration of the virtual ACD: which lines it serves, its ACD groups,
// queues, agents, activities, timing rules and the traffic simulator
// (docs/acd.md "Configuration"). Read from a TOML file; the built-in default
// is etc/opentapi/callcenter.toml compiled in.
//
// Every error names the source, line and column and the key at fault
// ("callcenter.toml:12:9: [[queue]] group: no group named \"Sale\""); an
// invalid configuration is never partly used.
#ifndef OPENTAPI_ACD_CONFIG_H_
#define OPENTAPI_ACD_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/failed_logins.h"
#include "core/ids.h"
#include "core/status.h"

namespace opentapi::acd {

using core::Result;
using core::Status;

struct GroupConfig {
  std::string name;
  core::GroupId id;
};

struct QueueConfig {
  core::QueueId id = 0;
  std::string name;
  std::string group;  // a GroupConfig name
  std::optional<core::QueueId> overflow_to;
  std::uint32_t overflow_seconds = 60;
  // Service-level target: a call that waited at most this long before an
  // agent got it counts as answered within target (wallboard, docs/http.md).
  std::uint32_t service_level_seconds = 20;
  // The number dialled to reach the queue (docs/calls.md); default 8000 + id.
  std::string number;
};

// [[line]]: numbers given to one station line, address 0 first (docs/calls.md).
struct LineNumbersConfig {
  std::uint32_t device = 0;
  std::vector<std::string> numbers;
};

// [switch]: how the switch numbers its addresses (docs/calls.md).
struct SwitchConfig {
  std::string first_number = "2001";  // the first station address's number; digits only
  std::string trunk_number = "0";     // the trunk's number
  std::vector<LineNumbersConfig> lines;
};

// True for 1-32 characters of 0-9 * #, with an optional leading +.
bool is_dialable_number(std::string_view number);

struct AgentConfig {
  std::string id;
  std::string pin;   // empty: no PIN; plain, or an Argon2id hash (secrets/stored_secret.h)
  std::string name;  // display only
  std::string user;  // empty: any OS user who knows the PIN
};

struct ActivityConfig {
  core::ActivityId id = 0;
  std::string name;
};

// A bearer token of the HTTP API ([[http.token]]): whoever presents `token`
// acts as the OS user `user`, with that user's rights (docs/http.md).
struct HttpToken {
  std::string token;  // the secret (plain, or an Argon2id hash), at least kMinHttpTokenLength bytes, unique
  std::string user;
};
inline constexpr std::size_t kMinHttpTokenLength = 8;

enum class Distribution { kExponential, kFixed };

struct SimulatorConfig {
  bool enabled = false;
  std::uint64_t seed = 1;
  double calls_per_hour = 30;  // per queue
  double handle_seconds = 120;
  Distribution handle_distribution = Distribution::kExponential;
  double patience_seconds = 90;
  Distribution patience_distribution = Distribution::kExponential;
  double answer_seconds = 2;
  std::vector<core::QueueId> queues;  // where calls arrive; empty = every queue
  std::vector<std::string> agents;    // agent IDs the simulator logs in
};

struct AcdConfig {
  std::vector<std::uint32_t> lines{0, 1};  // line device IDs served
  std::uint32_t addresses_per_line = 2;

  std::uint32_t wrap_up_seconds = 15;  // 0 = until the agent asks
  // A delivered call still ringing after this long goes back to the head of
  // its queue and the session goes NOT_READY (docs/calls.md); 0 = never.
  std::uint32_t ring_timeout_seconds = 20;
  std::uint32_t agent_period_seconds = 86'400;
  std::uint32_t queue_period_seconds = 86'400;
  std::uint32_t max_groups_per_address = 4;
  std::vector<std::string> supervisors;
  std::vector<std::string> pbx_users;

  std::vector<GroupConfig> groups;
  std::vector<QueueConfig> queues;
  std::vector<AgentConfig> agents;
  std::vector<ActivityConfig> activities;
  SimulatorConfig simulator;
  std::vector<HttpToken> http_tokens;
  SwitchConfig switching;
  // [security]: lockouts after wrong PINs (per agent and per client) and
  // wrong HTTP tokens (per address). docs/security.md "Brute force".
  core::LockoutPolicy lockout;

  // Where it came from, for logs ("built-in default" or the file path).
  std::string source;

  const GroupConfig* find_group(std::string_view name) const;
  const GroupConfig* find_group(const core::GroupId& id) const;
  const QueueConfig* find_queue(core::QueueId id) const;
  const AgentConfig* find_agent(std::string_view id) const;
  bool is_supervisor(std::string_view user) const;
  bool is_pbx_user(std::string_view user) const;
  // The entries whose secret is stored as itself rather than hashed, named
  // for a log line without the secret ("[[agent]] 1001 pin",
  // "[[http.token]] #2 (user bob)"). docs/security.md "Secrets at rest".
  std::vector<std::string> plain_secrets() const;
};

// Parses TOML text. `source` names it in error messages. Errors: kInvalParam
// with "source:line:column: key: what is wrong".
Result<AcdConfig> parse_config(std::string_view text, std::string_view source);

// Reads and parses a file. A file that cannot be read is kOperationFailed.
Result<AcdConfig> load_config(const std::string& path);

// The built-in demo call center (etc/opentapi/callcenter.toml), and its text.
AcdConfig default_config();
std::string_view default_config_text();

// The configuration as TOML that parse_config reads back to an equal
// configuration (for --print-config and tests).
std::string print_config(const AcdConfig& config);

// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (braces optional, any case) → the
// GUID's 16 bytes in memory order; nullopt if malformed.
std::optional<core::GroupId> parse_guid(std::string_view text);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_CONFIG_H_
