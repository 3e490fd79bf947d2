// libFuzzer target: the durable records of the virtual ACD (records.h), whose
// values the ACD reads back from its store at every start — from a disk that
// may hold anything a crash, a bad sector or another version left there.
//
// Properties checked, besides memory safety (ASan, UBSan):
//  - a value either decodes or is refused (nullopt), never read beyond its
//    end, and never makes the decoder reserve more than the value can hold;
//  - what decodes encodes into a value that decodes again to the same
//    encoding (the record survives a save after a restore);
//  - the newest version has one spelling per record: a current-version value
//    that decodes is exactly what encoding it gives back;
//  - a key that parses prints back as the same key.
//
// Input layout: byte 0 selects the record kind (or the key parser); the rest
// is the value (or the key).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "acd/records.h"

namespace {

namespace acd = opentapi::acd;
namespace core = opentapi::core;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

// The restore time a version 1 value is given as its state_since.
const core::TimePoint kRestoredAt = core::TimePoint::from_unix_ms(1'700'000'000'000);

enum Kind : std::uint8_t { kAgent, kSession, kQueue, kAddress, kCall, kCounters, kKey, kKinds };

// Decodes `value` as `kind` and, when it decodes, re-encodes it.
std::optional<std::string> round(Kind kind, std::string_view value) {
  const auto encoded = [](const auto& decoded) -> std::optional<std::string> {
    if (!decoded) return std::nullopt;
    return acd::encode(*decoded);
  };
  switch (kind) {
    case kAgent:
      return encoded(acd::decode_agent(value, kRestoredAt));
    case kSession:
      return encoded(acd::decode_session(value, kRestoredAt));
    case kQueue:
      return encoded(acd::decode_queue(value));
    case kAddress:
      return encoded(acd::decode_address(value));
    case kCall:
      return encoded(acd::decode_call(value));
    case kCounters:
      return encoded(acd::decode_counters(value));
    default:
      return std::nullopt;
  }
}

void check_record(Kind kind, std::string_view value) {
  const auto first = round(kind, value);
  if (!first) return;
  const auto second = round(kind, *first);
  if (!second) fail("an encoded record does not decode");
  if (*second != *first) fail("a record changes when it is saved again");
  if (!value.empty() && static_cast<std::uint8_t>(value[0]) == acd::kRecordVersion && *first != value) {
    fail("a current-version value is not what encoding its record gives");
  }
}

void check_key(std::string_view key) {
  const auto parsed = acd::parse_hex_key(key);
  if (parsed && acd::hex_key(*parsed) != key) fail("a parsed key prints differently");
}

void write_file(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) fail("cannot write a seed file");
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

// With OPENTAPI_FUZZ_WRITE_SEEDS=DIR, writes records of every kind (and
// keys) into DIR and exits (cmake/run_fuzz_test.sh uses it).
void write_seeds(const std::string& dir) {
  int n = 0;
  const auto seed = [&](Kind kind, const std::string& value) {
    write_file(dir + "/seed-" + std::to_string(n++), std::string(1, static_cast<char>(kind)) + value);
  };
  const core::TimePoint t = core::TimePoint::from_unix_ms(1'764'000'000'000);

  acd::AgentRecord agent;
  agent.agent.handle = 1;
  agent.agent.user_name = "alice";
  agent.agent.id = "1001";
  agent.agent.pin = "1234";
  agent.agent.state = core::AgentState::kReady;
  agent.agent.next = core::AgentState::kNotReady;
  agent.agent.held = core::AgentState::kReady;
  agent.agent.active_since = t;
  agent.agent.state_since = t;
  agent.owner = "alice";
  agent.key = "1001";
  seed(kAgent, acd::encode(agent));

  acd::SessionRecord session;
  session.session.handle = 2;
  session.session.agent = 1;
  session.session.state = core::SessionState::kBusyOnCall;
  session.session.call = core::SessionSnapshot::Call{7, t, t};
  session.session.ended_at = t;
  session.device = 1;
  session.address = 3;
  session.ready_since = t;
  seed(kSession, acd::encode(session));

  core::QueueSnapshot queue;
  queue.id = 3;
  queue.name = "Support";
  queue.waiting.push_back({9, t, true});
  queue.waiting.push_back({10, t, false});
  queue.service_level_seconds = 20;
  seed(kQueue, acd::encode(queue));

  acd::AddressRecord address;
  address.device = 1;
  address.agent.address = 2;
  address.agent.groups.resize(2);
  seed(kAddress, acd::encode(address));

  acd::CallRecord call;
  call.id = 11;
  call.queue = 3;
  call.phase = 1;
  call.session = 2;
  call.address_busy = true;
  call.overflow_at = t;
  seed(kCall, acd::encode(call));

  seed(kCounters, acd::encode(acd::CountersRecord{5, 6, 7}));
  seed(kKey, acd::hex_key(0x00c0ffee));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("OPENTAPI_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<Kind>(data[0] % kKinds);
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (kind == kKey) {
    check_key(rest);
  } else {
    check_record(kind, rest);
  }
  return 0;
}
