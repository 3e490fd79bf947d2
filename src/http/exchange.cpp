#include "http/exchange.h"

namespace opentapi::http {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_digit(text[i + 1]);
      const int lo = hex_digit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  Target out;
  const std::size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  const std::size_t hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    // The first occurrence wins, so a parameter appended later cannot override it.
    out.query.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

Response json_response(unsigned status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  // Text from the request (a path, a field name) may be invalid UTF-8;
  // replace it rather than fail.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response error_response(unsigned status, std::string_view name, std::string message, std::string_view field) {
  nlohmann::json body{{"error", name}, {"code", 0}, {"message", std::move(message)}};
  if (!field.empty()) body["field"] = field;
  return json_response(status, body);
}

unsigned http_status_of(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalAgentState:
    case ErrorCode::kInvalAgentSessionState:
      return 409;
    case ErrorCode::kInvalParam:
    case ErrorCode::kInvalPointer:
    case ErrorCode::kInvalAddressId:
    case ErrorCode::kInvalAddressState:
    case ErrorCode::kInvalAgentId:
    case ErrorCode::kInvalAgentGroup:
    case ErrorCode::kInvalPassword:
    case ErrorCode::kInvalAgentActivity:
    case ErrorCode::kStructureTooSmall:
      return 400;
    case ErrorCode::kResourceUnavail:
    case ErrorCode::kNoMem:
    case ErrorCode::kOperationUnavail:
      return 503;
    case ErrorCode::kOperationFailed:
      return 500;
  }
  return 500;
}

Response lineerr_response(unsigned status, core::ErrorCode code, std::string message) {
  return json_response(status, nlohmann::json{{"error", core::error_code_name(code)},
                                              {"code", static_cast<std::uint32_t>(code)},
                                              {"message", std::move(message)}});
}

Response lineerr_response(const core::Status& status) {
  return lineerr_response(http_status_of(status.code()), status.code(), status.message());
}

}  // namespace opentapi::http
