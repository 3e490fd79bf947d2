#include "acd/records.h"

#include <cstdio>
#include <cstring>

namespace opentapi::acd {
namespace {

// Optional enum values travel as their DWORD, 0 = none (no state is 0).
template <typename E>
void opt_state(ValueWriter& w, const std::optional<E>& s) {
  w.u32(s ? static_cast<std::uint32_t>(*s) : 0u);
}
template <typename E>
std::optional<E> read_opt_state(ValueReader& r) {
  const std::uint32_t v = r.u32();
  if (v == 0) return std::nullopt;
  return static_cast<E>(v);
}

void write_period(ValueWriter& w, const core::PeriodSnapshot& p) {
  w.u32(p.seconds);
  w.time(p.start);
}
core::PeriodSnapshot read_period(ValueReader& r) {
  core::PeriodSnapshot p;
  p.seconds = r.u32();
  p.start = r.time();
  return p;
}

// The format version of the value, 0 for one this build cannot read.
std::uint8_t begin(ValueReader& r) {
  const std::uint8_t version = r.u8();
  return r.ok() && version >= 1 && version <= kRecordVersion ? version : 0;
}

template <typename T>
std::optional<T> finish(const ValueReader& r, T value) {
  if (!r.done()) return std::nullopt;
  return value;
}

}  // namespace

std::string hex_key(std::uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", value);
  return buf;
}

std::string hex_key64(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string address_key(std::uint32_t device, std::uint32_t address) {
  return hex_key(device) + ":" + hex_key(address);
}

std::optional<std::uint32_t> parse_hex_key(std::string_view key) {
  if (key.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char ch : key) {
    std::uint32_t d = 0;
    if (ch >= '0' && ch <= '9') {
      d = static_cast<std::uint32_t>(ch - '0');
    } else if (ch >= 'a' && ch <= 'f') {
      d = static_cast<std::uint32_t>(ch - 'a' + 10);
    } else {
      return std::nullopt;
    }
    v = v * 16 + d;
  }
  return v;
}

// --- ValueWriter / ValueReader -------------------------------------------------

void ValueWriter::u32(std::uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  out_.append(b, sizeof b);
}

void ValueWriter::u64(std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  out_.append(b, sizeof b);
}

void ValueWriter::opt_time(const std::optional<core::TimePoint>& t) {
  boolean(t.has_value());
  if (t) time(*t);
}

void ValueWriter::str(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  out_.append(s);
}

void ValueWriter::guid(const core::GroupId& g) {
  out_.append(reinterpret_cast<const char*>(g.bytes.data()), g.bytes.size());
}

bool ValueReader::take(std::size_t n, const char** p) {
  if (!ok_ || in_.size() - pos_ < n) {
    ok_ = false;
    return false;
  }
  *p = in_.data() + pos_;
  pos_ += n;
  return true;
}

std::uint8_t ValueReader::u8() {
  const char* p = nullptr;
  return take(1, &p) ? static_cast<std::uint8_t>(*p) : 0;
}

std::uint32_t ValueReader::u32() {
  const char* p = nullptr;
  if (!take(4, &p)) return 0;
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

std::uint64_t ValueReader::u64() {
  const char* p = nullptr;
  if (!take(8, &p)) return 0;
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

bool ValueReader::boolean() {
  const std::uint8_t v = u8();
  if (v > 1) ok_ = false;
  return v == 1;
}

std::optional<core::TimePoint> ValueReader::opt_time() {
  if (!boolean()) return std::nullopt;
  return time();
}

std::string ValueReader::str() {
  const std::uint32_t n = u32();
  const char* p = nullptr;
  if (!take(n, &p)) return {};
  return std::string(p, n);
}

core::GroupId ValueReader::guid() {
  core::GroupId g;
  const char* p = nullptr;
  if (take(g.bytes.size(), &p)) std::memcpy(g.bytes.data(), p, g.bytes.size());
  return g;
}

// --- records ----------------------------------------------------------------------

std::string encode(const AgentRecord& r) {
  ValueWriter w;
  w.u8(kRecordVersion);
  const core::AgentSnapshot& a = r.agent;
  w.u32(a.handle);
  w.str(a.user_name);
  w.str(a.id);
  w.str(a.pin);
  w.u32(static_cast<std::uint32_t>(a.state));
  opt_state(w, a.next);
  w.u32(static_cast<std::uint32_t>(a.held));
  opt_state(w, a.deferred);
  w.u32(a.acd_calls_in_progress);
  w.u32(a.non_acd_calls_in_progress);
  w.time(a.active_since);
  write_period(w, a.period);
  w.u64(a.counters.acd_calls);
  w.u64(a.counters.incoming_calls);
  w.u64(a.counters.outgoing_calls);
  w.i64(a.counters.talk_ms);
  w.i64(a.counters.wrap_up_ms);
  w.i64(a.counters.active_ms);
  w.str(r.owner);
  w.str(r.key);
  w.time(a.state_since);  // version 2
  return w.take();
}

std::optional<AgentRecord> decode_agent(std::string_view value, core::TimePoint restored_at) {
  ValueReader r(value);
  const std::uint8_t version = begin(r);
  if (version == 0) return std::nullopt;
  AgentRecord out;
  core::AgentSnapshot& a = out.agent;
  a.handle = r.u32();
  a.user_name = r.str();
  a.id = r.str();
  a.pin = r.str();
  a.state = static_cast<core::AgentState>(r.u32());
  a.next = read_opt_state<core::AgentState>(r);
  a.held = static_cast<core::AgentState>(r.u32());
  a.deferred = read_opt_state<core::AgentState>(r);
  a.acd_calls_in_progress = r.u32();
  a.non_acd_calls_in_progress = r.u32();
  a.active_since = r.time();
  a.period = read_period(r);
  a.counters.acd_calls = r.u64();
  a.counters.incoming_calls = r.u64();
  a.counters.outgoing_calls = r.u64();
  a.counters.talk_ms = r.i64();
  a.counters.wrap_up_ms = r.i64();
  a.counters.active_ms = r.i64();
  out.owner = r.str();
  out.key = r.str();
  a.state_since = version >= 2 ? r.time() : restored_at;
  return finish(r, std::move(out));
}

std::string encode(const SessionRecord& r) {
  ValueWriter w;
  w.u8(kRecordVersion);
  const core::SessionSnapshot& s = r.session;
  w.u32(s.handle);
  w.u32(s.agent);
  w.guid(s.group);
  w.u32(s.working_address);
  w.time(s.start);
  w.u32(static_cast<std::uint32_t>(s.state));
  opt_state(w, s.next);
  w.boolean(s.call.has_value());
  if (s.call) {
    w.u64(s.call->id);
    w.time(s.call->offered_at);
    w.opt_time(s.call->answered_at);
  }
  w.time(s.wrap_up_since);
  w.opt_time(s.ended_at);
  w.u64(s.calls);
  w.i64(s.talk_ms);
  w.i64(s.wrap_up_ms);
  w.i64(s.answer_wait_total_ms);
  w.i64(s.answer_wait_longest_ms);
  w.u32(r.device);
  w.u32(r.address);
  w.time(r.ready_since);
  w.time(s.state_since);  // version 2
  return w.take();
}

std::optional<SessionRecord> decode_session(std::string_view value, core::TimePoint restored_at) {
  ValueReader r(value);
  const std::uint8_t version = begin(r);
  if (version == 0) return std::nullopt;
  SessionRecord out;
  core::SessionSnapshot& s = out.session;
  s.handle = r.u32();
  s.agent = r.u32();
  s.group = r.guid();
  s.working_address = r.u32();
  s.start = r.time();
  s.state = static_cast<core::SessionState>(r.u32());
  s.next = read_opt_state<core::SessionState>(r);
  if (r.boolean()) {
    core::SessionSnapshot::Call c;
    c.id = r.u64();
    c.offered_at = r.time();
    c.answered_at = r.opt_time();
    s.call = c;
  }
  s.wrap_up_since = r.time();
  s.ended_at = r.opt_time();
  s.calls = r.u64();
  s.talk_ms = r.i64();
  s.wrap_up_ms = r.i64();
  s.answer_wait_total_ms = r.i64();
  s.answer_wait_longest_ms = r.i64();
  out.device = r.u32();
  out.address = r.u32();
  out.ready_since = r.time();
  s.state_since = version >= 2 ? r.time() : restored_at;
  return finish(r, std::move(out));
}

std::string encode(const core::QueueSnapshot& q) {
  ValueWriter w;
  w.u8(kRecordVersion);
  w.u32(q.id);
  w.str(q.name);
  w.guid(q.group);
  w.u32(static_cast<std::uint32_t>(q.waiting.size()));
  for (const auto& c : q.waiting) {
    w.u64(c.call);
    w.time(c.entered_at);
    w.boolean(c.flowed_in);
  }
  write_period(w, q.period);
  const auto& c = q.counters;
  w.u64(c.queued);
  w.u64(c.abandoned);
  w.u64(c.flowed_in);
  w.u64(c.flowed_out);
  w.u64(c.final_disposition);
  w.u64(c.left);
  w.i64(c.left_wait_total_ms);
  w.i64(c.left_wait_longest_ms);
  // version 2
  w.u32(q.service_level_seconds);
  w.u64(c.answered);
  w.u64(c.answered_within_target);
  w.i64(c.answered_wait_total_ms);
  return w.take();
}

std::optional<core::QueueSnapshot> decode_queue(std::string_view value) {
  ValueReader r(value);
  const std::uint8_t version = begin(r);
  if (version == 0) return std::nullopt;
  core::QueueSnapshot q;
  q.id = r.u32();
  q.name = r.str();
  q.group = r.guid();
  const std::uint32_t n = r.u32();
  // Each waiting call takes 17 bytes: refuse counts the value cannot hold
  // before reserving anything.
  if (!r.ok() || n > value.size() / 17) return std::nullopt;
  for (std::uint32_t i = 0; i < n; ++i) {
    core::QueuedCallSnapshot c;
    c.call = r.u64();
    c.entered_at = r.time();
    c.flowed_in = r.boolean();
    q.waiting.push_back(c);
  }
  q.period = read_period(r);
  auto& c = q.counters;
  c.queued = r.u64();
  c.abandoned = r.u64();
  c.flowed_in = r.u64();
  c.flowed_out = r.u64();
  c.final_disposition = r.u64();
  c.left = r.u64();
  c.left_wait_total_ms = r.i64();
  c.left_wait_longest_ms = r.i64();
  if (version >= 2) {
    q.service_level_seconds = r.u32();
    c.answered = r.u64();
    c.answered_within_target = r.u64();
    c.answered_wait_total_ms = r.i64();
  }
  return finish(r, std::move(q));
}

std::string encode(const AddressRecord& r) {
  ValueWriter w;
  w.u8(kRecordVersion);
  w.u32(r.device);
  const auto& a = r.agent;
  w.u32(a.address);
  w.u32(static_cast<std::uint32_t>(a.state));
  opt_state(w, a.next);
  w.u32(static_cast<std::uint32_t>(a.held));
  w.u32(static_cast<std::uint32_t>(a.groups.size()));
  for (const auto& g : a.groups) w.guid(g);
  w.u32(a.activity);
  w.u32(a.calls_in_progress);
  return w.take();
}

std::optional<AddressRecord> decode_address(std::string_view value) {
  ValueReader r(value);
  if (begin(r) == 0) return std::nullopt;
  AddressRecord out;
  out.device = r.u32();
  auto& a = out.agent;
  a.address = r.u32();
  a.state = static_cast<core::AddressAgentState>(r.u32());
  a.next = read_opt_state<core::AddressAgentState>(r);
  a.held = static_cast<core::AddressAgentState>(r.u32());
  const std::uint32_t n = r.u32();
  if (!r.ok() || n > value.size() / 16) return std::nullopt;
  for (std::uint32_t i = 0; i < n; ++i) a.groups.push_back(r.guid());
  a.activity = r.u32();
  a.calls_in_progress = r.u32();
  return finish(r, std::move(out));
}

std::string encode(const CallRecord& c) {
  ValueWriter w;
  w.u8(kRecordVersion);
  w.u64(c.id);
  w.u32(c.queue);
  w.u8(c.phase);
  w.u32(c.session);
  w.boolean(c.address_busy);
  w.opt_time(c.overflow_at);
  w.str(c.caller_number);
  w.str(c.caller_name);
  return w.take();
}

std::optional<CallRecord> decode_call(std::string_view value) {
  ValueReader r(value);
  const std::uint8_t version = begin(r);
  if (version == 0) return std::nullopt;
  CallRecord c;
  c.id = r.u64();
  c.queue = r.u32();
  c.phase = r.u8();
  c.session = r.u32();
  c.address_busy = r.boolean();
  c.overflow_at = r.opt_time();
  if (version >= 3) {
    c.caller_number = r.str();
    c.caller_name = r.str();
  }
  return finish(r, c);
}

std::string encode(const CountersRecord& c) {
  ValueWriter w;
  w.u8(kRecordVersion);
  w.u32(c.next_agent);
  w.u32(c.next_session);
  w.u64(c.next_call);
  return w.take();
}

std::optional<CountersRecord> decode_counters(std::string_view value) {
  ValueReader r(value);
  if (begin(r) == 0) return std::nullopt;
  CountersRecord c;
  c.next_agent = r.u32();
  c.next_session = r.u32();
  c.next_call = r.u64();
  return finish(r, c);
}

}  // namespace opentapi::acd
