#include "server/socket_path.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace opentapi::server {
namespace {

namespace fs = std::filesystem;

class SocketPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/opentapi-sockpath-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
    fs::remove_all(dir_);
  }

  // Binds a UNIX socket at `path`; listens if `listen`. Keeps it open until TearDown.
  void bind_socket(const std::string& path, bool listen) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    fds_.push_back(fd);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    if (listen) {
      ASSERT_EQ(::listen(fd, 4), 0);
    }
  }

  std::string dir_;
  std::vector<int> fds_;
};

TEST_F(SocketPathTest, AbsentPathIsReady) {
  const PathCheck c = prepare_socket_path(dir_ + "/s.sock");
  EXPECT_TRUE(c.ok) << c.error;
  EXPECT_FALSE(c.removed_stale);
}

TEST_F(SocketPathTest, LiveServerMakesItRefuse) {
  const std::string path = dir_ + "/s.sock";
  bind_socket(path, true);
  const PathCheck c = prepare_socket_path(path);
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.error.find("already listening"), std::string::npos) << c.error;
  EXPECT_TRUE(fs::exists(path));
}

TEST_F(SocketPathTest, StaleSocketIsRemoved) {
  const std::string path = dir_ + "/s.sock";
  bind_socket(path, false);  // bound, never listening: connect is refused
  const PathCheck c = prepare_socket_path(path);
  EXPECT_TRUE(c.ok) << c.error;
  EXPECT_TRUE(c.removed_stale);
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(SocketPathTest, RegularFileIsNeverReplaced) {
  const std::string path = dir_ + "/s.sock";
  std::ofstream(path) << "data";
  const PathCheck c = prepare_socket_path(path);
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.error.find("not a socket"), std::string::npos);
  EXPECT_TRUE(fs::exists(path));
}

TEST_F(SocketPathTest, PrivateDirectoryIsCreatedWithMode0700) {
  const std::string path = dir_ + "/opentapi/s.sock";
  const PathCheck c = make_private_directory(path);
  ASSERT_TRUE(c.ok) << c.error;
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/opentapi").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(SocketPathTest, ExistingPrivateDirectoryIsTightened) {
  const std::string sub = dir_ + "/opentapi";
  ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(sub.c_str(), 0755), 0);
  ASSERT_TRUE(make_private_directory(sub + "/s.sock").ok);
  struct stat st {};
  ASSERT_EQ(::stat(sub.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(SocketPathTest, SymlinkedDirectoryIsRefused) {
  const std::string real = dir_ + "/real";
  ASSERT_EQ(::mkdir(real.c_str(), 0700), 0);
  ASSERT_EQ(::symlink(real.c_str(), (dir_ + "/link").c_str()), 0);
  const PathCheck c = make_private_directory(dir_ + "/link/s.sock");
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.error.find("not a directory"), std::string::npos) << c.error;
}

TEST_F(SocketPathTest, RemoveIfSameLeavesAReplacedFileAlone) {
  const std::string path = dir_ + "/s.sock";
  std::ofstream(path) << "first";
  const FileIdentity first = file_identity(path);
  ASSERT_TRUE(first.valid);
  fs::remove(path);
  std::ofstream(dir_ + "/other") << "x";  // occupy the freed inode number, likely
  std::ofstream(path) << "second";
  const FileIdentity second = file_identity(path);
  if (second.ino != first.ino) {
    EXPECT_FALSE(remove_if_same(path, first));
  }
  EXPECT_TRUE(remove_if_same(path, second));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(remove_if_same(path, second));
}

}  // namespace
}  // namespace opentapi::server
