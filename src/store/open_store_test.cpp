// --store strings (open_store.h).
#include "store/open_store.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace opentapi::store {
namespace {

TEST(StoreLocation, ParsesEveryForm) {
  auto sqlite = parse_store_location("sqlite:/var/lib/opentapi");
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(sqlite->backend, Backend::kSqlite);
  EXPECT_EQ(sqlite->target, "/var/lib/opentapi");
  for (const char* uri : {"postgresql://u@db1,db2/opentapi?target_session_attrs=read-write", "postgres://h/d"}) {
    auto pg = parse_store_location(uri);
    ASSERT_TRUE(pg.ok());
    EXPECT_EQ(pg->backend, Backend::kPostgres);
    EXPECT_EQ(pg->target, uri);
  }
  auto kv = parse_store_location("postgresql:host=/run/postgresql dbname=opentapi");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->backend, Backend::kPostgres);
  EXPECT_EQ(kv->target, "host=/run/postgresql dbname=opentapi");
}

TEST(StoreLocation, RefusesAnythingElse) {
  for (const char* bad : {"", "/var/lib/opentapi", "sqlite:", "postgresql:", "mysql://x", "redis://y"}) {
    auto r = parse_store_location(bad);
    EXPECT_EQ(r.code(), ErrorCode::kInvalParam) << bad;
    EXPECT_NE(r.status().message().find("is none of sqlite:DIR, postgresql://"), std::string::npos) << bad;
  }
}

TEST(StoreLocation, DescribeHidesPasswords) {
  EXPECT_EQ(describe({Backend::kPostgres, "postgresql://ops:s3cret@db/opentapi"}), "postgresql://ops:***@db/opentapi");
  EXPECT_EQ(describe({Backend::kPostgres, "host=db password=s3cret dbname=x"}),
            "postgresql:host=db password=*** dbname=x");
  EXPECT_EQ(describe({Backend::kSqlite, "/d"}), "sqlite:/d");
}

}  // namespace
}  // namespace opentapi::store
