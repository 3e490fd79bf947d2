// Small libpq helpers of the PostgreSQL store: owning handles, the one
// mapping of a failed result to a Status, and the binary wire formats of the
// parameters and columns it uses (bytea, bigint, arrays of them).
//
// Internal to store/postgres.
#ifndef OPENTAPI_STORE_POSTGRES_PG_UTIL_H_
#define OPENTAPI_STORE_POSTGRES_PG_UTIL_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace opentapi::store::postgres {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, ConnDeleter>;

// What a failed statement means for the connection that ran it.
enum class Failure {
  kNone,
  kStatement,   // this transaction failed; the connection is fine
  kConnection,  // connection lost or the server is no primary any more: reconnect
  kFenced,      // the lease was taken over: never write again
};

// Our own SQLSTATEs, raised by the schema's functions (schema.cpp).
inline constexpr std::string_view kSqlStateFenced = "OTF01";
inline constexpr std::string_view kSqlStateOwned = "OTL01";

// The Status of a failed `result` (may be null: then the connection's
// message) while `doing` something; *failure (if given) says what it means.
//   53100 disk_full            kResourceUnavail "disk full: …"
//   53xxx out of resources     kResourceUnavail "database out of resources: …"
//   lost connection, 08xxx, 57Pxx, 25006 (read-only: no primary)
//                              kOperationFailed "connection to PostgreSQL lost: …"
//   OTF01                      kOperationFailed "fenced: …"
//   OTL01                      kResourceUnavail (the message as raised)
//   anything else              kOperationFailed "database error (SQLSTATE): …"
Status pg_status(const PGresult* result, PGconn* conn, std::string_view doing, Failure* failure = nullptr);

// Connects with `conninfo` (URI or key=value), `connect_timeout` seconds
// unless it sets one, and `application_name` unless it sets one.
Result<PgConn> connect(const std::string& conninfo, int connect_timeout, const std::string& application_name);

// Runs `sql` without parameters on a connection outside pipeline mode.
Status exec(PGconn* conn, const char* sql, std::string_view doing);

// Binary formats (PostgreSQL's send/recv functions).
void append_be32(std::string& out, std::uint32_t v);
void append_be64(std::string& out, std::uint64_t v);
std::int64_t read_be64(const char* p);
// A one-dimensional bytea[] / bigint[] in binary format.
std::string bytea_array(const std::vector<std::string_view>& items);
std::string int8_array(const std::vector<std::int64_t>& items);

// Column accessors for results in binary format.
std::string column_bytes(const PGresult* r, int row, int col);
std::int64_t column_int8(const PGresult* r, int row, int col);

// Type OIDs (pg_type.dat; stable across releases).
inline constexpr Oid kOidBytea = 17;
inline constexpr Oid kOidInt8 = 20;
inline constexpr Oid kOidText = 25;
inline constexpr Oid kOidByteaArray = 1001;
inline constexpr Oid kOidInt8Array = 1016;

// Parameters for PQexecPrepared / PQsendQueryPrepared: text or binary.
class Params {
 public:
  Params& text(std::string v) { return add(std::move(v), 0); }
  Params& binary(std::string v) { return add(std::move(v), 1); }
  Params& int8(std::int64_t v) { return text(std::to_string(v)); }

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values();
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& add(std::string v, int format);
  std::vector<std::string> values_;
  std::vector<const char*> pointers_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

}  // namespace opentapi::store::postgres

#endif  // OPENTAPI_STORE_POSTGRES_PG_UTIL_H_
