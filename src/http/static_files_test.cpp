#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace opentapi::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    base_ = fs::temp_directory_path() / ("opentapi-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "web" / "sub");
    write(base_ / "web" / "index.html", "<h1>board</h1>");
    write(base_ / "web" / "app.js", "export {};");
    write(base_ / "web" / "style.CSS", "body{}");
    write(base_ / "web" / "sub" / "index.html", "sub");
    write(base_ / "web" / "a b.txt", "spaced");
    write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "web" / "link.txt");
  }
  ~StaticFilesTest() override { fs::remove_all(base_); }

  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  fs::path base_;
};

TEST_F(StaticFilesTest, ServesIndexAtRootWithItsContentType) {
  const StaticFiles files((base_ / "web").string());
  const Response r = files.serve("GET", "/");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "<h1>board</h1>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(files.serve("GET", "/sub/").body, "sub");
  EXPECT_EQ(files.serve("GET", "/sub").body, "sub");
  EXPECT_EQ(files.serve("GET", "/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(files.serve("GET", "/style.CSS").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(files.serve("GET", "/a%20b.txt").body, "spaced");
}

TEST_F(StaticFilesTest, NeverLeavesTheWebRoot) {
  const StaticFiles files((base_ / "web").string());
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt", "/..%2fsecret.txt",
                           "/link.txt", "/sub/..%5c..%5csecret.txt", "/index.html%00.png"}) {
    const Response r = files.serve("GET", path);
    EXPECT_EQ(r.status, 404u) << path;
    EXPECT_EQ(r.body.find("secret\""), std::string::npos) << path;
    EXPECT_NE(r.body, "secret") << path;
  }
}

TEST_F(StaticFilesTest, AnswersMissingFilesAndOtherMethods) {
  const StaticFiles files((base_ / "web").string());
  EXPECT_EQ(files.serve("GET", "/nope.html").status, 404u);
  const Response post = files.serve("POST", "/");
  EXPECT_EQ(post.status, 405u);
  ASSERT_EQ(post.headers.size(), 1u);
  EXPECT_EQ(post.headers[0].first, "Allow");
  EXPECT_EQ(StaticFiles((base_ / "missing").string()).serve("GET", "/").status, 404u);
  EXPECT_EQ(StaticFiles("").serve("GET", "/").status, 404u);
}

TEST_F(StaticFilesTest, HeadGivesTheLengthWithoutTheBody) {
  const Response r = StaticFiles((base_ / "web").string()).serve("HEAD", "/index.html");
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.empty());
  bool length = false;
  for (const auto& [name, value] : r.headers) length |= name == "Content-Length" && value == "14";
  EXPECT_TRUE(length);
}

TEST(StaticFilesContentType, KnowsTheWallboardsTypes) {
  EXPECT_EQ(StaticFiles::content_type("x.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::content_type("x.json"), "application/json");
  EXPECT_EQ(StaticFiles::content_type("x.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::content_type("README"), "application/octet-stream");
}

}  // namespace
}  // namespace opentapi::http
