#include "store/postgres/pg_util.h"

#include <cstring>

namespace opentapi::store::postgres {
namespace {

std::string trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

Status pg_status(const PGresult* result, PGconn* conn, std::string_view doing, Failure* failure) {
  auto set = [&](Failure f) {
    if (failure != nullptr) *failure = f;
  };
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string message;
  if (result != nullptr) {
    message = trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (message.empty()) message = trimmed(PQresultErrorMessage(result));
  }
  if (message.empty() && conn != nullptr) message = trimmed(PQerrorMessage(conn));
  if (message.empty()) message = "no result";
  const std::string detail = std::string(doing) + ": " + message;

  const bool lost = conn == nullptr || PQstatus(conn) == CONNECTION_BAD;
  if (sqlstate == kSqlStateFenced) {
    set(Failure::kFenced);
    return Status::error(ErrorCode::kOperationFailed, "fenced: " + message);
  }
  if (sqlstate == kSqlStateOwned) {
    set(Failure::kStatement);
    return Status::error(ErrorCode::kResourceUnavail, message);
  }
  if (lost || sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate == "25006") {
    set(Failure::kConnection);
    return Status::error(ErrorCode::kOperationFailed, "connection to PostgreSQL lost: " + detail);
  }
  set(Failure::kStatement);
  if (sqlstate == "53100") return Status::error(ErrorCode::kResourceUnavail, "disk full: " + detail);
  if (sqlstate.starts_with("53")) {
    return Status::error(ErrorCode::kResourceUnavail, "database out of resources: " + detail);
  }
  return Status::error(ErrorCode::kOperationFailed,
                       "database error" + (sqlstate.empty() ? std::string() : " (" + sqlstate + ")") + ": " + detail);
}

Result<PgConn> connect(const std::string& conninfo, int connect_timeout, const std::string& application_name) {
  // expand_dbname: the conninfo (URI or key=value) is expanded in place of
  // "dbname" and overrides the defaults given before it.
  const std::string timeout = std::to_string(connect_timeout);
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), application_name.c_str(), conninfo.c_str(), nullptr};
  PgConn conn(PQconnectdbParams(keywords, values, 1));
  if (!conn) return Status::error(ErrorCode::kNoMem, "cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::error(ErrorCode::kOperationFailed,
                         "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn.get())));
  }
  return conn;
}

Status exec(PGconn* conn, const char* sql, std::string_view doing) {
  PgResult r(PQexec(conn, sql));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_status(r.get(), conn, doing);
  return Status();
}

void append_be32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
  out.append(b, 4);
}

void append_be64(std::string& out, std::uint64_t v) {
  append_be32(out, static_cast<std::uint32_t>(v >> 32));
  append_be32(out, static_cast<std::uint32_t>(v));
}

std::int64_t read_be64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return static_cast<std::int64_t>(v);
}

namespace {
// array_recv: ndim, has-nulls flag, element type, then per dimension its
// size and lower bound, then each element as length + bytes.
std::string array_header(std::size_t n, Oid element) {
  std::string out;
  append_be32(out, n == 0 ? 0 : 1);
  append_be32(out, 0);
  append_be32(out, element);
  if (n != 0) {
    append_be32(out, static_cast<std::uint32_t>(n));
    append_be32(out, 1);
  }
  return out;
}
}  // namespace

std::string bytea_array(const std::vector<std::string_view>& items) {
  std::size_t bytes = 20;
  for (auto s : items) bytes += 4 + s.size();
  std::string out = array_header(items.size(), kOidBytea);
  out.reserve(bytes);
  for (auto s : items) {
    append_be32(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
  }
  return out;
}

std::string int8_array(const std::vector<std::int64_t>& items) {
  std::string out = array_header(items.size(), kOidInt8);
  out.reserve(20 + items.size() * 12);
  for (std::int64_t v : items) {
    append_be32(out, 8);
    append_be64(out, static_cast<std::uint64_t>(v));
  }
  return out;
}

std::string column_bytes(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}

std::int64_t column_int8(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 8) return 0;
  return read_be64(PQgetvalue(r, row, col));
}

Params& Params::add(std::string v, int format) {
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(format);
  values_.push_back(std::move(v));
  return *this;
}

const char* const* Params::values() {
  pointers_.clear();
  for (const std::string& v : values_) pointers_.push_back(v.data());
  return pointers_.data();
}

}  // namespace opentapi::store::postgres
