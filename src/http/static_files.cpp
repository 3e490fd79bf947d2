#include "http/static_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace opentapi::http {
namespace {

namespace fs = std::filesystem;

Response not_found(std::string_view path) { return error_response(404, "NOT_FOUND", "no file " + std::string(path)); }

// True when `inside` is `root` or below it (both canonical).
bool is_within(const fs::path& root, const fs::path& inside) {
  auto r = root.begin();
  auto i = inside.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == inside.end() || *r != *i) return false;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::string web_root) : root_(std::move(web_root)) {}

std::string_view StaticFiles::content_type(std::string_view file_name) {
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(file_name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

Response StaticFiles::serve(std::string_view method, std::string_view path) const {
  if (method != "GET" && method != "HEAD") {
    Response r = error_response(405, "METHOD_NOT_ALLOWED", std::string(method) + " is not allowed on static files");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  const auto decoded = percent_decode(path, false);
  if (!decoded || decoded->find('\0') != std::string::npos || decoded->find('\\') != std::string::npos) {
    return not_found(path);
  }
  if (root_.empty()) return not_found(path);

  // Built from the segments, never from the raw text, so ".." cannot climb.
  fs::path relative;
  std::string_view rest = *decoded;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return not_found(path);
    relative /= std::string(segment);
  }

  std::error_code ec;
  const fs::path root = fs::canonical(root_, ec);
  if (ec) return not_found(path);
  fs::path file = fs::weakly_canonical(root / relative, ec);
  if (ec || !is_within(root, file)) return not_found(path);
  if (fs::is_directory(file, ec)) file /= "index.html";
  // index.html itself may be a link; check again where it really is.
  file = fs::weakly_canonical(file, ec);
  if (ec || !is_within(root, file) || !fs::is_regular_file(file, ec)) return not_found(path);
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxFileBytes) return not_found(path);

  Response r;
  r.content_type = std::string(content_type(file.filename().string()));
  // The wallboard has no build step and no versioned names: revalidate.
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (method == "HEAD") {
    r.headers.emplace_back("Content-Length", std::to_string(size));
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found(path);
  r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
}

}  // namespace opentapi::http
