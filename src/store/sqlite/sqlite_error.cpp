#include "store/sqlite/sqlite_error.h"

namespace opentapi::store::sqlite {

Status sqlite_status(int rc, sqlite3* db, std::string_view doing) {
  std::string detail(doing);
  detail += ": ";
  // sqlite3_errmsg describes the most recent failure on `db`; fall back to the
  // generic text when there is no connection or it has moved on.
  const char* msg = db != nullptr && sqlite3_extended_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  detail += msg;
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Status::error(ErrorCode::kResourceUnavail, "disk full: " + detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::error(ErrorCode::kResourceUnavail, "database busy: " + detail);
    case SQLITE_NOMEM:
      return Status::error(ErrorCode::kNoMem, "out of memory: " + detail);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::error(ErrorCode::kOperationFailed, "database file is corrupt: " + detail);
    case SQLITE_IOERR:
      return Status::error(ErrorCode::kOperationFailed, "I/O error: " + detail);
    default:
      return Status::error(ErrorCode::kOperationFailed, "database error: " + detail);
  }
}

bool is_fatal(int rc) {
  switch (rc & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return true;
    default:
      return false;
  }
}

}  // namespace opentapi::store::sqlite
