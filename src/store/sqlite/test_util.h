// Helpers shared by the store tests (not part of opentapi_store): a scratch
// directory that removes itself, and small builders for batches.
#ifndef OPENTAPI_STORE_SQLITE_TEST_UTIL_H_
#define OPENTAPI_STORE_SQLITE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "core/test_support.h"  // PrintTo for Status and ErrorCode
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace opentapi::store::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its content.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/opentapi-store-test-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string data_dir() const { return path_ + "/data"; }
  std::string db_path() const { return data_dir() + "/opentapi.db"; }

 private:
  std::string path_;
};

inline SqliteOptions options_for(const ScratchDir& dir) {
  SqliteOptions o;
  o.data_dir = dir.data_dir();
  return o;
}

inline std::unique_ptr<Store> open_or_fail(const SqliteOptions& options) {
  auto store = open_sqlite_store(options);
  EXPECT_TRUE(store.ok()) << store.status().to_string();
  return store.ok() ? std::move(*store) : nullptr;
}

// "a" + number as a key ("a17"). Built by appending: GCC 12 at -O3 reports a false
// -Wrestrict in libstdc++ for `"a" + std::to_string(n)` (prepend to a temporary).
template <typename Int>
std::string numbered(const char* prefix, Int n) {
  std::string key(prefix);
  key += std::to_string(n);
  return key;
}

inline Record rec(std::string kind, std::string key, std::string value) {
  return Record{std::move(kind), std::move(key), std::move(value)};
}

inline AuditEntry change(std::string kind, std::string key, std::uint32_t from, std::uint32_t to,
                         std::uint32_t request_id = 0, std::string what = "SetState") {
  AuditEntry a;
  a.time_ms = 1'704'067'200'000;
  a.actor = "app-1";
  a.object_kind = std::move(kind);
  a.object_key = std::move(key);
  a.from = from;
  a.to = to;
  a.what = std::move(what);
  a.request_id = request_id;
  return a;
}

// One put plus the audit line that goes with it.
inline Batch put_with_audit(const std::string& kind, const std::string& key, const std::string& value,
                            std::uint32_t from = 1, std::uint32_t to = 2) {
  Batch b;
  b.puts.push_back(rec(kind, key, value));
  b.audit.push_back(change(kind, key, from, to));
  return b;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

// Runs `sql` on the database file at `path` with a plain connection.
inline int raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open(path.c_str(), &db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

}  // namespace opentapi::store::testing

#endif  // OPENTAPI_STORE_SQLITE_TEST_UTIL_H_
