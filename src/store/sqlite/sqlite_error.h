// How SQLite result codes become store Statuses (docs/store.md "Errors"):
// one mapping, used by every part of store/sqlite.
//
// Internal to store/sqlite.
#ifndef OPENTAPI_STORE_SQLITE_SQLITE_ERROR_H_
#define OPENTAPI_STORE_SQLITE_SQLITE_ERROR_H_

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "store/store.h"

namespace opentapi::store::sqlite {

// The Status for SQLite result `rc` while doing `doing` ("commit", "load
// agent", …), with SQLite's message from `db` (may be null):
//   SQLITE_FULL                 kResourceUnavail "disk full: …"
//   SQLITE_BUSY / LOCKED        kResourceUnavail "database busy: …"
//   SQLITE_NOMEM                kNoMem
//   SQLITE_CORRUPT / NOTADB     kOperationFailed "database file is corrupt: …"
//   SQLITE_IOERR*               kOperationFailed "I/O error: …"
//   anything else               kOperationFailed
Status sqlite_status(int rc, sqlite3* db, std::string_view doing);

// True for failures after which the write connection, or what the OS holds
// of the file, can no longer be trusted: I/O errors (a failed write or fsync
// may have lost pages the kernel already accepted), corruption, a read-only
// or vanished file. The store then refuses commits until restarted.
bool is_fatal(int rc);

}  // namespace opentapi::store::sqlite

#endif  // OPENTAPI_STORE_SQLITE_SQLITE_ERROR_H_
