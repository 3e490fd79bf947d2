#include "acd/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include "acd/default_config.h"  // generated: kDefaultConfigToml
#include "secrets/stored_secret.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;

// Collects the first error, located and named.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  bool failed() const { return error_.has_value(); }
  Status error() const { return *error_; }

  void fail(const toml::source_region& where, std::string_view key, const std::string& what) {
    if (error_) return;
    std::string text = source_;
    if (where.begin.line != 0) {
      text += ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
    }
    text += ": ";
    text += key;
    text += ": ";
    text += what;
    error_ = Status::error(ErrorCode::kInvalParam, text);
  }

  // Every key of `t` must be in `allowed`.
  void only_keys(const toml::table& t, std::string_view where, std::initializer_list<std::string_view> allowed) {
    for (auto&& [k, v] : t) {
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
        fail(k.source(), std::string(where) + " " + std::string(k.str()), "unknown key");
        (void)v;
      }
    }
  }

  std::optional<std::int64_t> integer(const toml::table& t, std::string_view where, std::string_view key,
                                      std::int64_t min, std::int64_t max, bool required = false) {
    const toml::node* n = t.get(key);
    const std::string name = std::string(where) + " " + std::string(key);
    if (n == nullptr) {
      if (required) fail(t.source(), name, "missing (required)");
      return std::nullopt;
    }
    const auto* i = n->as_integer();
    if (i == nullptr) {
      fail(n->source(), name, "expected an integer, found " + type_name(*n));
      return std::nullopt;
    }
    const std::int64_t v = i->get();
    if (v < min || v > max) {
      fail(n->source(), name,
           "must be in " + std::to_string(min) + ".." + std::to_string(max) + ", is " + std::to_string(v));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::uint32_t> u32(const toml::table& t, std::string_view where, std::string_view key,
                                   std::uint32_t min, std::uint32_t max, bool required = false) {
    auto v = integer(t, where, key, min, max, required);
    if (!v) return std::nullopt;
    return static_cast<std::uint32_t>(*v);
  }

  std::optional<double> number(const toml::table& t, std::string_view where, std::string_view key, double min,
                               double max) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    const std::string name = std::string(where) + " " + std::string(key);
    double v = 0;
    if (const auto* i = n->as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto* f = n->as_floating_point()) {
      v = f->get();
    } else {
      fail(n->source(), name, "expected a number, found " + type_name(*n));
      return std::nullopt;
    }
    if (!std::isfinite(v) || v < min || v > max) {
      std::ostringstream range;
      range << "must be in " << min << ".." << max;
      fail(n->source(), name, range.str());
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> string(const toml::table& t, std::string_view where, std::string_view key,
                                    bool required = false, bool non_empty = false) {
    const toml::node* n = t.get(key);
    const std::string name = std::string(where) + " " + std::string(key);
    if (n == nullptr) {
      if (required) fail(t.source(), name, "missing (required)");
      return std::nullopt;
    }
    const auto* s = n->as_string();
    if (s == nullptr) {
      fail(n->source(), name, "expected a string, found " + type_name(*n));
      return std::nullopt;
    }
    if (non_empty && s->get().empty()) {
      fail(n->source(), name, "must not be empty");
      return std::nullopt;
    }
    if (s->get().find('\0') != std::string::npos) {
      fail(n->source(), name, "must not contain NUL");
      return std::nullopt;
    }
    return s->get();
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view where, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    const auto* b = n->as_boolean();
    if (b == nullptr) {
      fail(n->source(), std::string(where) + " " + std::string(key), "expected true or false, found " + type_name(*n));
      return std::nullopt;
    }
    return b->get();
  }

  std::optional<std::vector<std::string>> strings(const toml::table& t, std::string_view where, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    const std::string name = std::string(where) + " " + std::string(key);
    const auto* a = n->as_array();
    if (a == nullptr) {
      fail(n->source(), name, "expected an array of strings, found " + type_name(*n));
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const toml::node& e : *a) {
      const auto* s = e.as_string();
      if (s == nullptr || s->get().empty()) {
        fail(e.source(), name, s == nullptr ? "expected a string, found " + type_name(e) : "empty string");
        return std::nullopt;
      }
      out.push_back(s->get());
    }
    return out;
  }

  // An array of tables ([[name]]); empty when absent.
  std::vector<const toml::table*> tables(const toml::table& root, std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(key);
    if (n == nullptr) return out;
    const auto* a = n->as_array();
    if (a == nullptr) {
      fail(n->source(), "[[" + std::string(key) + "]]", "expected an array of tables, found " + type_name(*n));
      return out;
    }
    for (const toml::node& e : *a) {
      const auto* t = e.as_table();
      if (t == nullptr) {
        fail(e.source(), "[[" + std::string(key) + "]]", "expected a table, found " + type_name(e));
        return {};
      }
      out.push_back(t);
    }
    return out;
  }

  const toml::table* table(const toml::table& root, std::string_view key) {
    const toml::node* n = root.get(key);
    if (n == nullptr) return nullptr;
    const auto* t = n->as_table();
    if (t == nullptr) fail(n->source(), "[" + std::string(key) + "]", "expected a table, found " + type_name(*n));
    return t;
  }

  static std::string type_name(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string:
        return "a string";
      case toml::node_type::integer:
        return "an integer";
      case toml::node_type::floating_point:
        return "a floating-point number";
      case toml::node_type::boolean:
        return "a boolean";
      case toml::node_type::array:
        return "an array";
      case toml::node_type::table:
        return "a table";
      case toml::node_type::date:
      case toml::node_type::time:
      case toml::node_type::date_time:
        return "a date/time";
      default:
        return "nothing";
    }
  }

 private:
  std::string source_;
  std::optional<Status> error_;
};

std::optional<Distribution> parse_distribution(std::string_view s) {
  if (s == "exponential") return Distribution::kExponential;
  if (s == "fixed") return Distribution::kFixed;
  return std::nullopt;
}

const char* distribution_name(Distribution d) { return d == Distribution::kFixed ? "fixed" : "exponential"; }

void read_server(Reader& r, const toml::table& root, AcdConfig& c) {
  const toml::table* t = r.table(root, "server");
  if (t == nullptr) return;
  r.only_keys(*t, "[server]", {"lines", "addresses_per_line"});
  if (const toml::node* n = t->get("lines")) {
    c.lines.clear();
    if (const auto* i = n->as_integer()) {
      if (i->get() < 1 || i->get() > 65536) {
        r.fail(n->source(), "[server] lines", "must be in 1..65536 (a count) or a list of device IDs");
        return;
      }
      for (std::int64_t d = 0; d < i->get(); ++d) c.lines.push_back(static_cast<std::uint32_t>(d));
    } else if (const auto* a = n->as_array()) {
      std::set<std::int64_t> seen;
      for (const toml::node& e : *a) {
        const auto* d = e.as_integer();
        if (d == nullptr || d->get() < 0 || d->get() > 0xFFFFFFFE) {
          r.fail(e.source(), "[server] lines", "device IDs are integers in 0..4294967294");
          return;
        }
        if (!seen.insert(d->get()).second) {
          r.fail(e.source(), "[server] lines", "device " + std::to_string(d->get()) + " listed twice");
          return;
        }
        c.lines.push_back(static_cast<std::uint32_t>(d->get()));
      }
      if (c.lines.empty()) r.fail(n->source(), "[server] lines", "must name at least one device");
    } else {
      r.fail(n->source(), "[server] lines",
             "expected an integer or an array of integers, found " + Reader::type_name(*n));
    }
  }
  if (auto v = r.u32(*t, "[server]", "addresses_per_line", 1, 65536)) c.addresses_per_line = *v;
}

void read_acd(Reader& r, const toml::table& root, AcdConfig& c) {
  const toml::table* t = r.table(root, "acd");
  if (t == nullptr) return;
  r.only_keys(*t, "[acd]",
              {"wrap_up_seconds", "ring_timeout_seconds", "agent_period_seconds", "queue_period_seconds",
               "max_groups_per_address", "supervisors", "pbx_users"});
  if (auto v = r.u32(*t, "[acd]", "wrap_up_seconds", 0, 86'400)) c.wrap_up_seconds = *v;
  if (auto v = r.u32(*t, "[acd]", "ring_timeout_seconds", 0, 3'600)) c.ring_timeout_seconds = *v;
  if (auto v = r.u32(*t, "[acd]", "agent_period_seconds", 1, 0xFFFFFFFF)) c.agent_period_seconds = *v;
  if (auto v = r.u32(*t, "[acd]", "queue_period_seconds", 1, 0xFFFFFFFF)) c.queue_period_seconds = *v;
  if (auto v = r.u32(*t, "[acd]", "max_groups_per_address", 1, 1024)) c.max_groups_per_address = *v;
  if (auto v = r.strings(*t, "[acd]", "supervisors")) c.supervisors = *v;
  if (auto v = r.strings(*t, "[acd]", "pbx_users")) c.pbx_users = *v;
}

void read_security(Reader& r, const toml::table& root, AcdConfig& c) {
  const toml::table* t = r.table(root, "security");
  if (t == nullptr) return;
  const char* w = "[security]";
  r.only_keys(*t, w, {"failures_before_lockout", "lockout_ms", "max_lockout_ms", "quiet_seconds"});
  core::LockoutPolicy& p = c.lockout;
  if (auto v = r.u32(*t, w, "failures_before_lockout", 1, 1000)) p.free_failures = *v;
  if (auto v = r.u32(*t, w, "lockout_ms", 1, 3'600'000)) p.first_delay_ms = *v;
  if (auto v = r.u32(*t, w, "max_lockout_ms", 1, 86'400'000)) p.max_delay_ms = *v;
  if (auto v = r.u32(*t, w, "quiet_seconds", 1, 86'400)) p.quiet_ms = std::int64_t{*v} * 1000;
  if (!r.failed() && p.max_delay_ms < p.first_delay_ms) {
    r.fail(t->get("max_lockout_ms") != nullptr ? t->get("max_lockout_ms")->source() : t->source(),
           "[security] max_lockout_ms", "must be at least lockout_ms (" + std::to_string(p.first_delay_ms) + ")");
  }
}

void read_groups(Reader& r, const toml::table& root, AcdConfig& c) {
  std::set<std::string> names;
  std::set<core::GroupId> ids;
  for (const toml::table* t : r.tables(root, "group")) {
    r.only_keys(*t, "[[group]]", {"name", "guid"});
    GroupConfig g;
    auto name = r.string(*t, "[[group]]", "name", true, true);
    auto guid = r.string(*t, "[[group]]", "guid", true, true);
    if (!name || !guid) return;
    g.name = *name;
    auto id = parse_guid(*guid);
    if (!id) {
      r.fail(t->get("guid")->source(), "[[group]] guid",
             "malformed GUID \"" + *guid + "\" (expected {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX})");
      return;
    }
    if (id->is_nil()) {
      r.fail(t->get("guid")->source(), "[[group]] guid", "the nil GUID cannot name a group");
      return;
    }
    g.id = *id;
    if (!names.insert(g.name).second) {
      r.fail(t->get("name")->source(), "[[group]] name", "duplicate group name \"" + g.name + "\"");
      return;
    }
    if (!ids.insert(g.id).second) {
      r.fail(t->get("guid")->source(), "[[group]] guid", "duplicate group GUID " + g.id.to_string());
      return;
    }
    c.groups.push_back(std::move(g));
  }
}

core::QueueId find_queue_by_number(const AcdConfig& c, const std::string& number) {
  for (const auto& q : c.queues) {
    if (q.number == number) return q.id;
  }
  return 0;
}

// `key` of `t` as a dialable number, if present and well formed.
std::optional<std::string> dialable(Reader& r, const toml::table& t, std::string_view where, std::string_view key) {
  auto v = r.string(t, where, key);
  if (v && !is_dialable_number(*v)) {
    r.fail(t.get(key)->source(), std::string(where) + " " + std::string(key),
           "\"" + *v + "\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
    return std::nullopt;
  }
  return v;
}

void read_queues(Reader& r, const toml::table& root, AcdConfig& c) {
  std::vector<std::pair<const toml::table*, QueueConfig>> read;
  std::set<core::QueueId> ids;
  std::set<std::string> numbers;
  for (const toml::table* t : r.tables(root, "queue")) {
    r.only_keys(*t, "[[queue]]",
                {"id", "name", "group", "overflow_to", "overflow_seconds", "service_level_seconds", "number"});
    QueueConfig q;
    auto id = r.u32(*t, "[[queue]]", "id", 1, 0xFFFFFFFF, true);
    auto name = r.string(*t, "[[queue]]", "name", true, true);
    auto group = r.string(*t, "[[queue]]", "group", true, true);
    if (!id || !name || !group) return;
    q.id = *id;
    q.name = *name;
    q.group = *group;
    if (!ids.insert(q.id).second) {
      r.fail(t->get("id")->source(), "[[queue]] id", "duplicate queue id " + std::to_string(q.id));
      return;
    }
    if (c.find_group(q.group) == nullptr) {
      r.fail(t->get("group")->source(), "[[queue]] group", "no group named \"" + q.group + "\"");
      return;
    }
    if (auto o = r.u32(*t, "[[queue]]", "overflow_to", 1, 0xFFFFFFFF)) q.overflow_to = *o;
    if (auto s = r.u32(*t, "[[queue]]", "overflow_seconds", 1, 86'400)) q.overflow_seconds = *s;
    if (auto s = r.u32(*t, "[[queue]]", "service_level_seconds", 1, 86'400)) q.service_level_seconds = *s;
    // docs/calls.md: queue 1 is "8001", queue 12 is "8012".
    q.number = dialable(r, *t, "[[queue]]", "number").value_or(std::to_string(8000ull + q.id));
    if (r.failed()) return;
    if (!numbers.insert(q.number).second) {
      r.fail(t->get("number") != nullptr ? t->get("number")->source() : t->source(), "[[queue]] number",
             "number " + q.number + " is already queue " + std::to_string(find_queue_by_number(c, q.number)));
      return;
    }
    read.emplace_back(t, q);
    c.queues.push_back(q);
  }
  for (const auto& [t, q] : read) {
    if (!q.overflow_to) continue;
    if (*q.overflow_to == q.id) {
      r.fail(t->get("overflow_to")->source(), "[[queue]] overflow_to", "a queue cannot overflow to itself");
      return;
    }
    if (c.find_queue(*q.overflow_to) == nullptr) {
      r.fail(t->get("overflow_to")->source(), "[[queue]] overflow_to",
             "no queue with id " + std::to_string(*q.overflow_to));
      return;
    }
  }
}

void read_switch(Reader& r, const toml::table& root, AcdConfig& c) {
  if (const toml::table* t = r.table(root, "switch")) {
    r.only_keys(*t, "[switch]", {"first_number", "trunk_number"});
    if (auto v = r.string(*t, "[switch]", "first_number")) {
      const bool digits = !v->empty() && v->size() <= 32 &&
                          std::all_of(v->begin(), v->end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (!digits) {
        r.fail(t->get("first_number")->source(), "[switch] first_number", "\"" + *v + "\" is not 1-32 digits");
        return;
      }
      c.switching.first_number = *v;
    }
    if (auto v = dialable(r, *t, "[switch]", "trunk_number")) c.switching.trunk_number = *v;
  }
  std::set<std::uint32_t> devices;
  for (const toml::table* t : r.tables(root, "line")) {
    r.only_keys(*t, "[[line]]", {"device", "numbers"});
    LineNumbersConfig line;
    auto device = r.u32(*t, "[[line]]", "device", 0, 0xFFFFFFFE, true);
    auto numbers = r.strings(*t, "[[line]]", "numbers");
    if (!device) return;
    if (!numbers) {
      if (!r.failed()) r.fail(t->source(), "[[line]] numbers", "missing (required)");
      return;
    }
    if (!devices.insert(*device).second) {
      r.fail(t->get("device")->source(), "[[line]] device", "device " + std::to_string(*device) + " listed twice");
      return;
    }
    for (const std::string& n : *numbers) {
      if (!is_dialable_number(n)) {
        r.fail(t->get("numbers")->source(), "[[line]] numbers",
               "\"" + n + "\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
        return;
      }
    }
    line.device = *device;
    line.numbers = std::move(*numbers);
    c.switching.lines.push_back(std::move(line));
  }
}

void read_agents(Reader& r, const toml::table& root, AcdConfig& c) {
  std::set<std::string> ids;
  for (const toml::table* t : r.tables(root, "agent")) {
    r.only_keys(*t, "[[agent]]", {"id", "pin", "name", "user"});
    AgentConfig a;
    auto id = r.string(*t, "[[agent]]", "id", true, true);
    if (!id) return;
    a.id = *id;
    if (auto v = r.string(*t, "[[agent]]", "pin")) a.pin = *v;
    if (secrets::is_hashed(a.pin) && !secrets::is_valid_hash(a.pin)) {
      r.fail(t->get("pin")->source(), "[[agent]] pin",
             "not a valid Argon2id hash (make one with opentapi hash-secret)");
      return;
    }
    if (auto v = r.string(*t, "[[agent]]", "name")) a.name = *v;
    if (auto v = r.string(*t, "[[agent]]", "user")) a.user = *v;
    if (r.failed()) return;
    if (!ids.insert(a.id).second) {
      r.fail(t->get("id")->source(), "[[agent]] id", "duplicate agent id \"" + a.id + "\"");
      return;
    }
    c.agents.push_back(std::move(a));
  }
}

void read_activities(Reader& r, const toml::table& root, AcdConfig& c) {
  std::set<core::ActivityId> ids;
  for (const toml::table* t : r.tables(root, "activity")) {
    r.only_keys(*t, "[[activity]]", {"id", "name"});
    auto id = r.u32(*t, "[[activity]]", "id", 1, 0xFFFFFFFF, true);
    auto name = r.string(*t, "[[activity]]", "name", true, true);
    if (!id || !name) return;
    if (!ids.insert(*id).second) {
      r.fail(t->get("id")->source(), "[[activity]] id", "duplicate activity id " + std::to_string(*id));
      return;
    }
    c.activities.push_back(ActivityConfig{*id, *name});
  }
}

void read_simulator(Reader& r, const toml::table& root, AcdConfig& c) {
  const toml::table* t = r.table(root, "simulator");
  if (t == nullptr) return;
  const char* w = "[simulator]";
  r.only_keys(*t, w,
              {"enabled", "seed", "calls_per_hour", "handle_seconds", "handle_distribution", "patience_seconds",
               "patience_distribution", "answer_seconds", "queues", "agents"});
  SimulatorConfig& s = c.simulator;
  if (auto v = r.boolean(*t, w, "enabled")) s.enabled = *v;
  if (auto v = r.integer(*t, w, "seed", 0, std::numeric_limits<std::int64_t>::max())) {
    s.seed = static_cast<std::uint64_t>(*v);
  }
  if (auto v = r.number(*t, w, "calls_per_hour", 0, 1e6)) s.calls_per_hour = *v;
  if (auto v = r.number(*t, w, "handle_seconds", 0, 86'400)) s.handle_seconds = *v;
  if (auto v = r.number(*t, w, "patience_seconds", 0, 86'400)) s.patience_seconds = *v;
  if (auto v = r.number(*t, w, "answer_seconds", 0, 3'600)) s.answer_seconds = *v;
  for (const char* key : {"handle_distribution", "patience_distribution"}) {
    if (auto v = r.string(*t, w, key)) {
      auto d = parse_distribution(*v);
      if (!d) {
        r.fail(t->get(key)->source(), std::string(w) + " " + key,
               "\"" + *v + "\" is not a distribution (exponential, fixed)");
        return;
      }
      (std::string_view(key) == "handle_distribution" ? s.handle_distribution : s.patience_distribution) = *d;
    }
  }
  if (const toml::node* n = t->get("queues")) {
    const auto* a = n->as_array();
    if (a == nullptr) {
      r.fail(n->source(), std::string(w) + " queues", "expected an array of queue ids, found " + Reader::type_name(*n));
      return;
    }
    for (const toml::node& e : *a) {
      const auto* q = e.as_integer();
      if (q == nullptr || q->get() < 1 || q->get() > 0xFFFFFFFF ||
          c.find_queue(static_cast<core::QueueId>(q->get())) == nullptr) {
        r.fail(e.source(), std::string(w) + " queues", "not the id of a [[queue]]");
        return;
      }
      s.queues.push_back(static_cast<core::QueueId>(q->get()));
    }
  }
  if (auto v = r.strings(*t, w, "agents")) {
    const toml::array& arr = *t->get("agents")->as_array();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string& id = (*v)[i];
      if (c.find_agent(id) == nullptr) {
        r.fail(arr[i].source(), std::string(w) + " agents", "no [[agent]] with id \"" + id + "\"");
        return;
      }
      if (!seen.insert(id).second) {
        r.fail(arr[i].source(), std::string(w) + " agents", "agent \"" + id + "\" listed twice");
        return;
      }
    }
    s.agents = *v;
  }
}

// [[http.token]]: the HTTP API's bearer tokens (docs/http.md).
void read_http(Reader& r, const toml::table& root, AcdConfig& c) {
  const toml::table* t = r.table(root, "http");
  if (t == nullptr) return;
  r.only_keys(*t, "[http]", {"token"});
  if (const toml::node* n = t->get("token"); n != nullptr && !n->is_array_of_tables()) {
    r.fail(n->source(), "[[http.token]]", "expected an array of tables, found " + Reader::type_name(*n));
    return;
  }
  std::set<std::string> seen;
  for (const toml::table* e : r.tables(*t, "token")) {
    const char* w = "[[http.token]]";
    r.only_keys(*e, w, {"token", "user"});
    auto token = r.string(*e, w, "token", true, true);
    auto user = r.string(*e, w, "user", true, true);
    if (!token || !user) return;
    if (secrets::is_hashed(*token) && !secrets::is_valid_hash(*token)) {
      r.fail(e->get("token")->source(), std::string(w) + " token",
             "not a valid Argon2id hash (make one with opentapi hash-secret --token)");
      return;
    }
    if (token->size() < kMinHttpTokenLength) {
      r.fail(e->get("token")->source(), std::string(w) + " token",
             "must be at least " + std::to_string(kMinHttpTokenLength) + " characters");
      return;
    }
    if (!seen.insert(*token).second) {
      // The secret is not repeated in the message: it may end up in a log.
      r.fail(e->get("token")->source(), std::string(w) + " token", "the same token is given twice");
      return;
    }
    c.http_tokens.push_back(HttpToken{*token, *user});
  }
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", u);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string string_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quoted(v[i]);
  return out + "]";
}

std::string number_text(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  std::string s = os.str();
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

}  // namespace

const GroupConfig* AcdConfig::find_group(std::string_view name) const {
  for (const auto& g : groups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

const GroupConfig* AcdConfig::find_group(const core::GroupId& id) const {
  for (const auto& g : groups) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

bool is_dialable_number(std::string_view number) {
  if (number.empty() || number.size() > 32) return false;
  if (number.front() == '+') number.remove_prefix(1);
  return !number.empty() && std::all_of(number.begin(), number.end(),
                                        [](char ch) { return (ch >= '0' && ch <= '9') || ch == '*' || ch == '#'; });
}

const QueueConfig* AcdConfig::find_queue(core::QueueId id) const {
  for (const auto& q : queues) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

const AgentConfig* AcdConfig::find_agent(std::string_view id) const {
  for (const auto& a : agents) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::vector<std::string> AcdConfig::plain_secrets() const {
  std::vector<std::string> out;
  for (const AgentConfig& a : agents) {
    if (!a.pin.empty() && !secrets::is_hashed(a.pin)) out.push_back("[[agent]] " + a.id + " pin");
  }
  for (std::size_t i = 0; i < http_tokens.size(); ++i) {
    if (!secrets::is_hashed(http_tokens[i].token)) {
      out.push_back("[[http.token]] #" + std::to_string(i + 1) + " (user " + http_tokens[i].user + ")");
    }
  }
  return out;
}

bool AcdConfig::is_supervisor(std::string_view user) const { return contains(supervisors, user); }
bool AcdConfig::is_pbx_user(std::string_view user) const { return contains(pbx_users, user); }

std::optional<core::GroupId> parse_guid(std::string_view s) {
  if (s.size() == 38) {
    if (s.front() != '{' || s.back() != '}') return std::nullopt;
    s = s.substr(1, 36);
  }
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return std::nullopt;
  std::uint8_t raw[16];
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '-') {
      ++i;
      continue;
    }
    const int hi = hex_value(s[i]);
    const int lo = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
    if (hi < 0 || lo < 0 || n >= 16) return std::nullopt;
    raw[n++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  if (n != 16) return std::nullopt;
  // Text order is Data1 Data2 Data3 (big-endian digits) then Data4; memory
  // order stores Data1..Data3 little-endian (GroupId::to_string reads it so).
  core::GroupId id;
  const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  for (int i = 0; i < 16; ++i) id.bytes[static_cast<std::size_t>(order[i])] = raw[i];
  return id;
}

Result<AcdConfig> parse_config(std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::string msg = std::string(source);
    const auto& where = e.source().begin;
    if (where.line != 0) msg += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    msg += ": syntax error: ";
    msg += e.description();
    return Status::error(ErrorCode::kInvalParam, msg);
  }

  AcdConfig c;
  c.source = std::string(source);
  Reader r{std::string(source)};
  r.only_keys(
      root, "top level",
      {"server", "acd", "group", "queue", "agent", "activity", "simulator", "http", "switch", "line", "security"});
  read_server(r, root, c);
  read_acd(r, root, c);
  read_security(r, root, c);
  read_groups(r, root, c);
  read_queues(r, root, c);
  read_agents(r, root, c);
  read_activities(r, root, c);
  read_simulator(r, root, c);
  read_http(r, root, c);
  read_switch(r, root, c);
  if (r.failed()) return r.error();
  if (c.groups.empty()) {
    return Status::error(ErrorCode::kInvalParam, std::string(source) + ": [[group]]: at least one group is required");
  }
  return c;
}

Result<AcdConfig> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(ErrorCode::kOperationFailed, path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::error(ErrorCode::kOperationFailed, path + ": error reading the configuration file");
  return parse_config(text.str(), path);
}

std::string_view default_config_text() { return kDefaultConfigToml; }

AcdConfig default_config() {
  auto c = parse_config(kDefaultConfigToml, "built-in default");
  // The text is fixed at build time and a unit test parses it; a failure here
  // would be a build defect, so fall back to the minimal configuration.
  if (!c) return AcdConfig{};
  return std::move(c).value();
}

std::string print_config(const AcdConfig& c) {
  std::ostringstream o;
  o << "# opentapi virtual ACD configuration (" << c.source << ")\n\n[server]\nlines = [";
  for (std::size_t i = 0; i < c.lines.size(); ++i) o << (i ? ", " : "") << c.lines[i];
  o << "]\naddresses_per_line = " << c.addresses_per_line << "\n\n[acd]\n"
    << "wrap_up_seconds = " << c.wrap_up_seconds << "\n"
    << "ring_timeout_seconds = " << c.ring_timeout_seconds << "\n"
    << "agent_period_seconds = " << c.agent_period_seconds << "\n"
    << "queue_period_seconds = " << c.queue_period_seconds << "\n"
    << "max_groups_per_address = " << c.max_groups_per_address << "\n"
    << "supervisors = " << string_list(c.supervisors) << "\n"
    << "pbx_users = " << string_list(c.pbx_users) << "\n"
    << "\n[security]\nfailures_before_lockout = " << c.lockout.free_failures << "\n"
    << "lockout_ms = " << c.lockout.first_delay_ms << "\n"
    << "max_lockout_ms = " << c.lockout.max_delay_ms << "\n"
    << "quiet_seconds = " << c.lockout.quiet_ms / 1000 << "\n";
  for (const auto& g : c.groups) {
    o << "\n[[group]]\nname = " << quoted(g.name) << "\nguid = " << quoted(g.id.to_string()) << "\n";
  }
  for (const auto& q : c.queues) {
    o << "\n[[queue]]\nid = " << q.id << "\nname = " << quoted(q.name) << "\ngroup = " << quoted(q.group) << "\n";
    if (q.overflow_to) o << "overflow_to = " << *q.overflow_to << "\n";
    o << "overflow_seconds = " << q.overflow_seconds << "\n";
    o << "service_level_seconds = " << q.service_level_seconds << "\n";
    o << "number = " << quoted(q.number) << "\n";
  }
  for (const auto& a : c.agents) {
    o << "\n[[agent]]\nid = " << quoted(a.id) << "\npin = " << quoted(a.pin) << "\nname = " << quoted(a.name)
      << "\nuser = " << quoted(a.user) << "\n";
  }
  for (const auto& a : c.activities) o << "\n[[activity]]\nid = " << a.id << "\nname = " << quoted(a.name) << "\n";
  const SimulatorConfig& s = c.simulator;
  o << "\n[simulator]\nenabled = " << (s.enabled ? "true" : "false") << "\nseed = " << s.seed
    << "\ncalls_per_hour = " << number_text(s.calls_per_hour) << "\nhandle_seconds = " << number_text(s.handle_seconds)
    << "\nhandle_distribution = \"" << distribution_name(s.handle_distribution) << "\""
    << "\npatience_seconds = " << number_text(s.patience_seconds) << "\npatience_distribution = \""
    << distribution_name(s.patience_distribution) << "\"\nanswer_seconds = " << number_text(s.answer_seconds)
    << "\nqueues = [";
  for (std::size_t i = 0; i < s.queues.size(); ++i) o << (i ? ", " : "") << s.queues[i];
  o << "]\nagents = " << string_list(s.agents) << "\n";
  for (const auto& t : c.http_tokens) {
    o << "\n[[http.token]]\ntoken = " << quoted(t.token) << "\nuser = " << quoted(t.user) << "\n";
  }
  o << "\n[switch]\nfirst_number = " << quoted(c.switching.first_number)
    << "\ntrunk_number = " << quoted(c.switching.trunk_number) << "\n";
  for (const auto& l : c.switching.lines) {
    o << "\n[[line]]\ndevice = " << l.device << "\nnumbers = " << string_list(l.numbers) << "\n";
  }
  return o.str();
}

}  // namespace opentapi::acd
