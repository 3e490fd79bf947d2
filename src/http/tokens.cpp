#include "http/tokens.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace opentapi::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::vector<std::pair<std::string, std::string>> entries_of(const std::map<std::string, std::string>& token_to_user) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [token, user] : token_to_user) {
    if (!token.empty()) entries.emplace_back(token, user);
  }
  return entries;
}

}  // namespace

Tokens::Tokens(const std::map<std::string, std::string>& token_to_user, core::LockoutPolicy lockout)
    : entries_(entries_of(token_to_user)), failed_(lockout) {}

void Tokens::replace(const std::map<std::string, std::string>& token_to_user) {
  auto entries = entries_of(token_to_user);
  std::lock_guard lock(mu_);
  entries_ = std::move(entries);
}

std::optional<std::string> Tokens::lookup(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> entries;
  {
    std::lock_guard lock(mu_);
    entries = entries_;
  }
  // Every entry is looked at; the quick answers first, so that a known
  // token never waits for a slow check of another entry.
  const std::pair<std::string, std::string>* found = nullptr;
  std::vector<const std::pair<std::string, std::string>*> unknown;
  for (const auto& entry : entries) {
    const std::optional<bool> quick = verifier_->verify_quick(entry.first, token);
    if (!quick) {
      unknown.push_back(&entry);
    } else if (*quick && found == nullptr) {
      found = &entry;
    }
  }
  if (found == nullptr) {
    for (const auto* entry : unknown) {
      if (verifier_->verify(entry->first, token) && found == nullptr) found = entry;
    }
  }
  if (found == nullptr) return std::nullopt;
  return found->second;
}

bool Tokens::has_user(std::string_view user) const {
  std::lock_guard lock(mu_);
  return std::any_of(entries_.begin(), entries_.end(), [user](const auto& entry) { return entry.second == user; });
}

bool Tokens::empty() const {
  std::lock_guard lock(mu_);
  return entries_.empty();
}

std::optional<std::string_view> Tokens::presented_token(std::string_view authorization,
                                                        const std::optional<std::string_view>& query_token) {
  if (!authorization.empty()) {
    // RFC 6750: the scheme is case-insensitive; one space, then the token.
    const std::size_t space = authorization.find(' ');
    if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "Bearer")) {
      return std::string_view();
    }
    std::string_view token = authorization.substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return token;
  }
  return query_token;
}

std::optional<std::string> Tokens::user_of(std::string_view authorization,
                                           const std::optional<std::string_view>& query_token) const {
  const auto token = presented_token(authorization, query_token);
  if (!token) return std::nullopt;
  return lookup(*token);
}

Tokens::Outcome Tokens::authenticate(std::string_view authorization, const std::optional<std::string_view>& query_token,
                                     std::string_view peer, std::int64_t now_ms) {
  Outcome out;
  const auto token = presented_token(authorization, query_token);
  if (!token) return out;
  out.presented = true;
  {
    std::lock_guard lock(mu_);
    out.retry_after_ms = failed_.locked_for(peer, now_ms);
    if (out.retry_after_ms > 0) {
      ++counters_.locked_out;
      return out;
    }
  }
  out.user = lookup(*token);  // unlocked: a slow check must not hold other requests' counting
  std::lock_guard lock(mu_);
  if (out.user) {
    failed_.record_success(peer);
  } else {
    ++counters_.wrong;
    out.lockout_ms = failed_.record_failure(peer, now_ms);
    if (out.lockout_ms > 0) ++counters_.lockouts;
  }
  return out;
}

Tokens::Counters Tokens::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

std::variant<std::string, Response> authenticate_request(Tokens& tokens, const Request& request,
                                                         const std::optional<std::string_view>& query_token,
                                                         std::string_view no_token_hint,
                                                         acd::Supervision* supervision) {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
  const Tokens::Outcome o = tokens.authenticate(request.authorization, query_token, request.peer, now_ms);
  if (o.user) return *o.user;
  if (o.retry_after_ms > 0) {
    Response r = error_response(429, "TOO_MANY_REQUESTS",
                                "too many wrong tokens from this address: try again in " +
                                    std::to_string((o.retry_after_ms + 999) / 1000) + " s");
    r.headers.emplace_back("Retry-After", std::to_string((o.retry_after_ms + 999) / 1000));
    return r;
  }
  if (o.presented && supervision != nullptr) {
    std::string what = "HTTP: wrong token peer=" + request.peer;
    if (o.lockout_ms > 0) what += " lockout_ms=" + std::to_string(o.lockout_ms);
    supervision->audit_failed_login("http:" + request.peer, what);
  }
  Response r = error_response(401, "UNAUTHORIZED", o.presented ? "unknown token" : std::string(no_token_hint));
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"opentapi\"");
  return r;
}

}  // namespace opentapi::http
