#include "http/tokens.h"

#include <algorithm>
#include <cctype>

#include "core/secret.h"

namespace opentapi::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Tokens::Tokens(std::map<std::string, std::string> token_to_user) {
  for (auto& [token, user] : token_to_user) {
    if (!token.empty()) entries_.emplace_back(token, std::move(user));
  }
}

std::optional<std::string> Tokens::lookup(std::string_view token) const {
  const std::pair<std::string, std::string>* found = nullptr;
  for (const auto& entry : entries_) {
    if (core::same_secret(entry.first, token) && found == nullptr) found = &entry;
  }
  if (found == nullptr || token.empty()) return std::nullopt;
  return found->second;
}

bool Tokens::has_user(std::string_view user) const {
  return std::any_of(entries_.begin(), entries_.end(), [user](const auto& entry) { return entry.second == user; });
}

std::optional<std::string> Tokens::user_of(std::string_view authorization,
                                           const std::optional<std::string_view>& query_token) const {
  if (!authorization.empty()) {
    // RFC 6750: the scheme is case-insensitive; one space, then the token.
    const std::size_t space = authorization.find(' ');
    if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "Bearer")) return std::nullopt;
    std::string_view token = authorization.substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return lookup(token);
  }
  if (query_token) return lookup(*query_token);
  return std::nullopt;
}

}  // namespace opentapi::http
