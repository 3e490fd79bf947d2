// A store that refuses commits on demand ("disk full"), for the tests of what
// the ACD does when its durable state cannot be written (docs/acd.md).
//
// It wraps a real store: while `failing` is set, a commit is refused with
// kResourceUnavail, its callback sent through the real store as an empty
// barrier so that callbacks keep the order of the commits; everything else
// goes to the real store.
#ifndef OPENTAPI_TESTS_SUPPORT_FAILING_STORE_H_
#define OPENTAPI_TESTS_SUPPORT_FAILING_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace opentapi::test_support {

class FailingStore final : public store::Store {
 public:
  explicit FailingStore(store::Store& inner) : inner_(inner) {}
  ~FailingStore() override { (void)inner_.flush(); }

  void commit(store::Batch batch, store::DurableCallback on_durable) override {
    if (!failing.load()) {
      inner_.commit(std::move(batch), std::move(on_durable));
      return;
    }
    inner_.commit(store::Batch{}, [cb = std::move(on_durable)](const core::Status&, std::uint64_t) {
      cb(core::Status::error(core::ErrorCode::kResourceUnavail, "disk full (test)"), 0);
    });
  }
  core::Status flush() override { return inner_.flush(); }
  core::Result<std::vector<store::Record>> load(std::string_view kind) override { return inner_.load(kind); }
  core::Result<std::optional<store::Record>> get(std::string_view kind, std::string_view key) override {
    return inner_.get(kind, key);
  }
  core::Result<std::vector<store::AuditEntry>> audit(std::string_view kind, std::string_view key, std::uint64_t after,
                                                     std::size_t limit) override {
    return inner_.audit(kind, key, after, limit);
  }
  core::Result<std::uint64_t> last_audit_seq() override { return inner_.last_audit_seq(); }
  store::StoreStats stats() const override { return inner_.stats(); }

  // Set: every commit from now on is refused.
  std::atomic<bool> failing{false};

 private:
  store::Store& inner_;
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_FAILING_STORE_H_
