#include "store/store.h"

#include <cstdlib>
#include <future>
#include <utility>

namespace opentapi::store {
namespace {
thread_local int t_callback_depth = 0;
}  // namespace

Store::~Store() = default;

void Store::invoke(const DurableCallback& callback, const Status& status, std::uint64_t last_audit_seq) {
  if (!callback) return;
  ++t_callback_depth;
  callback(status, last_audit_seq);
  --t_callback_depth;
}

bool Store::in_commit_callback() { return t_callback_depth > 0; }

Status Store::commit_and_wait(Batch batch, std::uint64_t* last_audit_seq) {
  if (in_commit_callback()) {
    return Status::error(ErrorCode::kOperationFailed,
                         "commit_and_wait() called from a commit callback would wait for itself");
  }
  std::promise<std::pair<Status, std::uint64_t>> done;
  auto result = done.get_future();
  commit(std::move(batch), [&done](const Status& status, std::uint64_t seq) { done.set_value({status, seq}); });
  auto [status, seq] = result.get();
  if (last_audit_seq != nullptr) *last_audit_seq = seq;
  return status;
}

Result<std::string> default_data_dir() {
  return default_data_dir([](const char* name) { return std::getenv(name); });
}

Result<std::string> default_data_dir(const std::function<const char*(const char*)>& getenv) {
  auto var = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v != nullptr ? std::string(v) : std::string();
  };
  if (std::string dir = var("OPENTAPI_DATA_DIR"); !dir.empty()) return dir;
  // XDG Base Directory: a relative $XDG_DATA_HOME is invalid and ignored.
  if (std::string xdg = var("XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/') {
    return xdg + "/opentapi";
  }
  if (std::string home = var("HOME"); !home.empty()) return home + "/.local/share/opentapi";
  return Status::error(ErrorCode::kOperationFailed,
                       "no data directory: set --data-dir, $OPENTAPI_DATA_DIR, $XDG_DATA_HOME or $HOME");
}

}  // namespace opentapi::store
