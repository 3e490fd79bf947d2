// The backend-independent parts of store.h.
#include "store/store.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/test_support.h"

namespace opentapi::store {
namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  const char* operator()(const char* name) const {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

TEST(DefaultDataDir, OpentapiDataDirWins) {
  FakeEnv env{{{"OPENTAPI_DATA_DIR", "/srv/otapi"}, {"XDG_DATA_HOME", "/x"}, {"HOME", "/home/a"}}};
  auto dir = default_data_dir(env);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(*dir, "/srv/otapi");
}

TEST(DefaultDataDir, XdgDataHomeBeforeHome) {
  FakeEnv env{{{"XDG_DATA_HOME", "/x/data"}, {"HOME", "/home/a"}}};
  auto dir = default_data_dir(env);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(*dir, "/x/data/opentapi");
}

TEST(DefaultDataDir, IgnoresRelativeXdgDataHome) {
  FakeEnv env{{{"XDG_DATA_HOME", "relative/data"}, {"HOME", "/home/a"}}};
  auto dir = default_data_dir(env);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(*dir, "/home/a/.local/share/opentapi");
}

TEST(DefaultDataDir, EmptyVariablesCountAsUnset) {
  FakeEnv env{{{"OPENTAPI_DATA_DIR", ""}, {"XDG_DATA_HOME", ""}, {"HOME", "/home/a"}}};
  auto dir = default_data_dir(env);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(*dir, "/home/a/.local/share/opentapi");
}

TEST(DefaultDataDir, FailsWithoutAnyVariable) {
  auto dir = default_data_dir(FakeEnv{});
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(dir.status().message().find("--data-dir"), std::string::npos);
}

TEST(Batch, EmptyMeansNothingToWrite) {
  Batch b;
  EXPECT_TRUE(b.empty());
  b.deletes.push_back({"agent", "a1"});
  EXPECT_FALSE(b.empty());
}

}  // namespace
}  // namespace opentapi::store
