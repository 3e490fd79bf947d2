#include "store/open_store.h"

#include <regex>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace opentapi::store {

Result<StoreLocation> parse_store_location(std::string_view text) {
  auto starts = [&](std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; };
  if (starts("postgresql://") || starts("postgres://")) return StoreLocation{Backend::kPostgres, std::string(text)};
  if (starts("postgresql:") && text.size() > 11) return StoreLocation{Backend::kPostgres, std::string(text.substr(11))};
  if (starts("sqlite:") && text.size() > 7) return StoreLocation{Backend::kSqlite, std::string(text.substr(7))};
  return Status::error(ErrorCode::kInvalParam, "store \"" + std::string(text) +
                                                   "\" is none of sqlite:DIR, postgresql://…, postgres://… or "
                                                   "postgresql:KEY=VALUE…");
}

Result<std::unique_ptr<Store>> open_store(const StoreLocation& location, const SharedStoreSettings& settings) {
  if (location.backend == Backend::kSqlite) {
    SqliteOptions o;
    o.data_dir = location.target;
    return open_sqlite_store(o);
  }
  PostgresOptions o;
  o.conninfo = location.target;
  o.call_center = settings.call_center;
  o.node_name = settings.node_name;
  o.advertise = settings.advertise;
  o.lease = settings.lease;
  o.wait_for_lease = settings.wait_for_lease;
  o.event_log_retention = settings.event_log_retention;
  return open_postgres_store(o);
}

std::string describe(const StoreLocation& location) {
  if (location.backend == Backend::kSqlite) return "sqlite:" + location.target;
  // URI user:password@ and key=value password=…
  static const std::regex kUriPassword(R"(^(postgres(?:ql)?://[^:/@]*:)[^@/]*@)");
  static const std::regex kKvPassword(R"((^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+))");
  std::string out = std::regex_replace(location.target, kUriPassword, "$1***@");
  out = std::regex_replace(out, kKvPassword, "$1password=***");
  return location.target.starts_with("postgres") ? out : "postgresql:" + out;
}

}  // namespace opentapi::store
