// A fresh directory under /tmp for one test or benchmark run, removed with
// everything in it when the object goes.
#ifndef OPENTAPI_TESTS_SUPPORT_TEMP_DIR_H_
#define OPENTAPI_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace opentapi::test_support {

class TempDir {
 public:
  // "/tmp/<prefix>-XXXXXX"; aborts if it cannot be made (nothing could run).
  explicit TempDir(const std::string& prefix = "opentapi-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_TEMP_DIR_H_
