#include "support/temp_dir.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace opentapi::test_support {

TempDir::TempDir(const std::string& prefix) {
  std::string path = "/tmp/" + prefix + "-XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) std::abort();
  path_ = path;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace opentapi::test_support
