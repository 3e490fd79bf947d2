// The agent requests the ACD has applied, by their origin (the requesting
// application's instance and the request's origin id, docs/ha.md "Requests
// in flight exactly once"), kept in the store beside the changes they made.
//
// A client that loses its server sends the requests it had in flight again,
// under the same origin, to whichever server it reaches next (the same one
// restarted, or another cluster node that took the call center over). A
// request whose origin is found here was applied and acknowledged before (or
// at least committed): it is answered with the stored result, and output for
// the requests that have one (lineCreateAgent's HAGENT, lineCreateAgentSession's
// HAGENTSESSION), instead of being applied again. A request not found is new
// to the store and is applied once.
//
// Each entry is a record of kind "request" written in the same batch as the
// request's changes (so both are durable or neither is), with the time it was
// applied. Entries older than the window are deleted by later batches and
// skipped at load: the window bounds the store and the memory, and only has to
// outlast a client's resume (30 s by default).
//
// Not thread-safe: the ACD's model thread owns it.
#ifndef OPENTAPI_ACD_APPLIED_REQUESTS_H_
#define OPENTAPI_ACD_APPLIED_REQUESTS_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace opentapi::acd {

struct AppliedRequest {
  std::int32_t result = 0;
  // The whole LINEPROXYREQUEST as answered (its output written in place), for
  // requests with output; empty otherwise.
  std::string buffer;
  std::int64_t time_ms = 0;
};

class AppliedRequests {
 public:
  static constexpr const char* kKind = "request";
  static constexpr std::chrono::minutes kDefaultWindow{10};

  explicit AppliedRequests(std::chrono::milliseconds window = kDefaultWindow) : window_ms_(window.count()) {}

  // The record key of an origin: the instance in hex, ':', the origin id in
  // decimal. Empty (no origin) when either is missing.
  static std::string key(std::string_view instance_id, std::uint64_t origin_id);

  // Replaces the contents with the records of kind kKind (any order);
  // malformed or expired ones are skipped. Returns the keys of the skipped
  // records, for the caller to delete.
  std::vector<std::string> load(const std::vector<store::Record>& records, std::int64_t now_ms);

  // The entry of `key`, or nullptr.
  const AppliedRequest* find(const std::string& key) const;

  // Records `key` as applied now: in memory at once, and as a put in `batch`
  // (the batch of the request's changes), with deletes of the entries that
  // have left the window.
  void add(const std::string& key, AppliedRequest applied, store::Batch& batch);

  std::size_t size() const { return by_key_.size(); }

  static std::string encode(const AppliedRequest& applied);
  static std::optional<AppliedRequest> decode(std::string_view value);

 private:
  std::int64_t window_ms_;
  std::unordered_map<std::string, AppliedRequest> by_key_;
  std::deque<std::pair<std::int64_t, std::string>> by_time_;  // oldest first
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_APPLIED_REQUESTS_H_
