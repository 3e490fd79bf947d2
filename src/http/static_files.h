// The wallboard's static files (docs/http.md "Wallboard"): GET and HEAD of
// any path below the web root, "/" and directories answered with their
// index.html, a Content-Type from the file's extension. A path that would
// leave the web root (a ".." segment, percent-encoded or not; a NUL or a
// backslash; a symbolic link pointing outside) is answered 404 like any
// missing file.
#ifndef OPENTAPI_HTTP_STATIC_FILES_H_
#define OPENTAPI_HTTP_STATIC_FILES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "http/exchange.h"

namespace opentapi::http {

class StaticFiles {
 public:
  // Files larger than this are not served (the wallboard's are a few KiB).
  static constexpr std::size_t kMaxFileBytes = 16u << 20;

  // `web_root` need not exist (then every file is 404).
  explicit StaticFiles(std::string web_root);

  // `path`: the request target's path, still percent-encoded. GET and HEAD
  // only (405 otherwise); for HEAD the body is left empty and the
  // Content-Length header field carries the file's size.
  Response serve(std::string_view method, std::string_view path) const;

  // The media type for a file name's extension; application/octet-stream if unknown.
  static std::string_view content_type(std::string_view file_name);

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_STATIC_FILES_H_
