// How the virtual ACD files its call center in the store (store/store.h):
// the record kinds and keys, and the binary encoding of each record's value.
//
//   kind      key                  value
//   meta      counters             next agent handle, next session handle, next call number
//   agent     %08x handle          core::AgentSnapshot + owner + identity key
//   session   %08x handle          core::SessionSnapshot + line device, address, ready-since
//   queue     %08x queue id        core::QueueSnapshot (waiting calls included)
//   address   %08x:%08x dev:addr   core::AddressAgentSnapshot
//   call      %016x call id        queue, phase, session, address-busy flag, overflow time
//
// Keys are fixed-width lower-case hex so that the store's bytewise order is
// numeric order (sessions load in creation order). Values start with a
// format version byte; decoding checks lengths and returns nullopt for a
// value that is truncated, too long or of an unknown version.
//
// Versions: 1 is the first format. 2 appends, to agent and session values,
// when the object entered its current state (state_since) and, to queue
// values, the service-level target and the answered-call counters. Version 1
// values still decode: state_since becomes `restored_at` (the restore time:
// "in this state since at least now") and the answered counters start at 0.
// Version 3 appends, to call values, the caller's number and name.
// Values are always written in the newest version.
#ifndef OPENTAPI_ACD_RECORDS_H_
#define OPENTAPI_ACD_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/snapshot.h"

namespace opentapi::acd {

std::string hex_key(std::uint32_t value);
std::string hex_key64(std::uint64_t value);
std::string address_key(std::uint32_t device, std::uint32_t address);
std::optional<std::uint32_t> parse_hex_key(std::string_view key);

// Little-endian binary writer / reader for record values.
class ValueWriter {
 public:
  // Room for a typical record, so that encoding one allocates once.
  ValueWriter() { out_.reserve(256); }
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void time(core::TimePoint t) { i64(t.unix_ms()); }
  void opt_time(const std::optional<core::TimePoint>& t);
  void str(std::string_view s);
  void guid(const core::GroupId& g);
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class ValueReader {
 public:
  explicit ValueReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  // True when everything was read and nothing is left over.
  bool done() const { return ok_ && pos_ == in_.size(); }

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  bool boolean();
  core::TimePoint time() { return core::TimePoint::from_unix_ms(i64()); }
  std::optional<core::TimePoint> opt_time();
  std::string str();
  core::GroupId guid();

 private:
  bool take(std::size_t n, const char** p);
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

inline constexpr std::uint8_t kRecordVersion = 3;

// Extra per-object data the model keeps beside the core snapshots.
struct AgentRecord {
  core::AgentSnapshot agent;
  std::string owner;
  std::string key;
};
struct SessionRecord {
  core::SessionSnapshot session;
  std::uint32_t device = 0;
  std::uint32_t address = 0;
  core::TimePoint ready_since;
};
struct AddressRecord {
  std::uint32_t device = 0;
  core::AddressAgentSnapshot agent;
};
struct CallRecord {
  std::uint64_t id = 0;
  std::uint32_t queue = 0;
  std::uint8_t phase = 0;
  std::uint32_t session = 0;
  bool address_busy = false;
  std::optional<core::TimePoint> overflow_at;
  // Version 3: who is calling (docs/calls.md), so that a queued call placed
  // again after a restart keeps its caller ID.
  std::string caller_number;
  std::string caller_name;
};
struct CountersRecord {
  std::uint32_t next_agent = 1;
  std::uint32_t next_session = 1;
  std::uint64_t next_call = 1;
};

std::string encode(const AgentRecord& r);
std::string encode(const SessionRecord& r);
std::string encode(const core::QueueSnapshot& r);
std::string encode(const AddressRecord& r);
std::string encode(const CallRecord& r);
std::string encode(const CountersRecord& r);

// `restored_at`: the state_since of a version 1 value, which had none.
std::optional<AgentRecord> decode_agent(std::string_view value, core::TimePoint restored_at);
std::optional<SessionRecord> decode_session(std::string_view value, core::TimePoint restored_at);
std::optional<core::QueueSnapshot> decode_queue(std::string_view value);
std::optional<AddressRecord> decode_address(std::string_view value);
std::optional<CallRecord> decode_call(std::string_view value);
std::optional<CountersRecord> decode_counters(std::string_view value);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_RECORDS_H_
