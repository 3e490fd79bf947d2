// Choosing the store from one string, as opentapid's --store takes it:
//
//   sqlite:DIR                     the embedded SQLite store in DIR
//   postgresql://…, postgres://…   PostgreSQL; the URI goes to libpq as is
//   postgresql:KEY=VALUE …         PostgreSQL; a libpq key=value string
//
// docs/store.md "Choosing the store".
#ifndef OPENTAPI_STORE_OPEN_STORE_H_
#define OPENTAPI_STORE_OPEN_STORE_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace opentapi::store {

enum class Backend { kSqlite, kPostgres };

struct StoreLocation {
  Backend backend = Backend::kSqlite;
  std::string target;  // SQLite: the data directory; PostgreSQL: the libpq conninfo
};

// kInvalParam with the accepted forms when `text` is none of them.
Result<StoreLocation> parse_store_location(std::string_view text);

// What only the PostgreSQL store uses (PostgresOptions has the rest).
struct SharedStoreSettings {
  std::string call_center = "default";
  std::string node_name;  // "" = HOSTNAME pid PID
  std::string advertise;  // where clients reach this node (the lease row; docs/ha.md)
  std::chrono::milliseconds lease{10000};
  std::chrono::milliseconds wait_for_lease{0};
  std::chrono::milliseconds event_log_retention{std::chrono::hours(24 * 7)};
};

// Opens the store at `location` (open_sqlite_store / open_postgres_store).
Result<std::unique_ptr<Store>> open_store(const StoreLocation& location, const SharedStoreSettings& settings = {});

// A location for messages and logs: the SQLite directory, or the conninfo
// with any password replaced by "***".
std::string describe(const StoreLocation& location);

}  // namespace opentapi::store

#endif  // OPENTAPI_STORE_OPEN_STORE_H_
