#include "store/store.h"

#include <cstdlib>
#include <future>
#include <utility>
#include <vector>

namespace opentapi::store {
namespace {
thread_local int t_callback_depth = 0;
// after_group()'s functions, waiting for the end of the current group.
thread_local std::vector<std::function<void()>> t_after_group;

Status invalid(std::string message) {
  return Status::error(ErrorCode::kInvalParam, "invalid batch: " + std::move(message));
}

Status check_name(std::string_view what, std::string_view s, std::size_t max) {
  if (s.empty()) return invalid(std::string(what) + " is empty");
  if (s.size() > max) {
    return invalid(std::string(what) + " is " + std::to_string(s.size()) + " bytes, more than " + std::to_string(max));
  }
  return Status();
}

}  // namespace

Status validate_batch(const Batch& b) {
  for (const RecordKey& d : b.deletes) {
    if (Status s = check_name("delete kind", d.kind, kMaxKindBytes); !s.ok()) return s;
    if (Status s = check_name("delete key", d.key, kMaxKeyBytes); !s.ok()) return s;
  }
  for (const Record& r : b.puts) {
    if (Status s = check_name("record kind", r.kind, kMaxKindBytes); !s.ok()) return s;
    if (Status s = check_name("record key", r.key, kMaxKeyBytes); !s.ok()) return s;
    if (r.value.size() > kMaxValueBytes) {
      return invalid("value of " + r.kind + "/" + r.key + " is " + std::to_string(r.value.size()) +
                     " bytes, more than " + std::to_string(kMaxValueBytes));
    }
  }
  for (const AuditEntry& a : b.audit) {
    if (Status s = check_name("audit object_kind", a.object_kind, kMaxKindBytes); !s.ok()) return s;
    if (Status s = check_name("audit object_key", a.object_key, kMaxKeyBytes); !s.ok()) return s;
    if (a.actor.size() > kMaxAuditTextBytes || a.what.size() > kMaxAuditTextBytes) {
      return invalid("audit actor or what longer than " + std::to_string(kMaxAuditTextBytes) + " bytes");
    }
  }
  return Status();
}

std::size_t batch_bytes(const Batch& b) {
  std::size_t n = 64;
  for (const Record& r : b.puts) n += r.kind.size() + r.key.size() + r.value.size() + 32;
  for (const RecordKey& d : b.deletes) n += d.kind.size() + d.key.size() + 32;
  for (const AuditEntry& a : b.audit) {
    n += a.actor.size() + a.object_kind.size() + a.object_key.size() + a.what.size() + 64;
  }
  return n;
}

Store::~Store() = default;

void Store::invoke(const DurableCallback& callback, const Status& status, std::uint64_t last_audit_seq) {
  if (!callback) return;
  ++t_callback_depth;
  callback(status, last_audit_seq);
  --t_callback_depth;
}

bool Store::in_commit_callback() { return t_callback_depth > 0; }

void Store::after_group(std::function<void()> fn) {
  if (!in_commit_callback()) {
    fn();
    return;
  }
  t_after_group.push_back(std::move(fn));
}

void Store::run_after_group() {
  // Taken out first: a function may commit, and its callback run later, in
  // a group of its own.
  std::vector<std::function<void()>> fns;
  fns.swap(t_after_group);
  for (auto& fn : fns) fn();
}

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
