#include "store/sqlite/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "store/sqlite/test_util.h"

namespace opentapi::store::sqlite {
namespace {

using testing::read_file;
using testing::ScratchDir;

TEST(DirLock, SecondHolderIsRefusedWithDirectoryAndPid) {
  ScratchDir dir;
  auto first = DirLock::acquire(dir.path());
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  auto second = DirLock::acquire(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.code(), ErrorCode::kResourceUnavail);
  const std::string msg = second.status().message();
  EXPECT_NE(msg.find("data directory " + dir.path() + " is in use"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(pid " + std::to_string(::getpid())), std::string::npos) << msg;
}

TEST(DirLock, WritesTheHoldersPid) {
  ScratchDir dir;
  auto lock = DirLock::acquire(dir.path());
  ASSERT_TRUE(lock.ok());
  EXPECT_EQ(read_file(dir.path() + "/opentapid.lock"), std::to_string(::getpid()) + "\n");
}

TEST(DirLock, ReleasedWhenDestroyed) {
  ScratchDir dir;
  {
    auto lock = DirLock::acquire(dir.path());
    ASSERT_TRUE(lock.ok());
  }
  auto again = DirLock::acquire(dir.path());
  EXPECT_TRUE(again.ok()) << again.status().to_string();
}

TEST(DirLock, MovedLockStaysHeld) {
  ScratchDir dir;
  auto lock = DirLock::acquire(dir.path());
  ASSERT_TRUE(lock.ok());
  DirLock moved = std::move(*lock);
  EXPECT_FALSE(DirLock::acquire(dir.path()).ok());
}

TEST(MakeDirs, CreatesMissingParentsPrivate) {
  ScratchDir dir;
  const std::string deep = dir.path() + "/a/b/c";
  ASSERT_TRUE(make_dirs(deep).ok());
  struct stat st {};
  ASSERT_EQ(::stat(deep.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(make_dirs(deep).ok());  // existing: fine
}

TEST(MakeDirs, RefusesAFileInTheWay) {
  ScratchDir dir;
  testing::write_file(dir.path() + "/f", "x");
  Status s = make_dirs(dir.path() + "/f");
  EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(s.message().find("not a directory"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace opentapi::store::sqlite
