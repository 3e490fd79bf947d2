#include "secrets/stored_secret.h"

#include <sodium.h>

#include <cstdlib>

#include "core/secret.h"

namespace opentapi::secrets {
namespace {

// sodium_init() may be called any number of times from any thread; it only
// fails when the system has no source of randomness, where nothing here
// could be done safely.
void init_sodium() {
  if (sodium_init() < 0) std::abort();
}

// Forgetting everything now and then keeps a configuration reloaded many
// times with new hashes from growing the map without bound.
constexpr std::size_t kMaxRemembered = 4096;

}  // namespace

bool is_hashed(std::string_view stored) noexcept { return stored.starts_with(kHashPrefix); }

bool is_valid_hash(std::string_view stored) {
  init_sodium();
  if (!is_hashed(stored) || stored.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string z(stored);
  // -1: not a string libsodium can read; 0/1: valid (1 = weaker than its defaults).
  return crypto_pwhash_str_needs_rehash(z.c_str(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != -1;
}

core::Result<std::string> hash_secret(std::string_view secret, HashCost cost) {
  init_sodium();
  if (cost.passes < crypto_pwhash_OPSLIMIT_MIN || cost.passes > crypto_pwhash_OPSLIMIT_MAX ||
      cost.memory_bytes < crypto_pwhash_MEMLIMIT_MIN || cost.memory_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    return core::Status::error(core::ErrorCode::kInvalParam, "Argon2id cost outside what libsodium accepts");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), cost.passes, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Status::error(core::ErrorCode::kNoMem, "Argon2id could not get its memory");
  }
  return std::string(out);
}

SecretVerifier::SecretVerifier() {
  init_sodium();
  randombytes_buf(key_.data(), key_.size());
}

SecretVerifier::Digest SecretVerifier::digest(std::string_view presented) const {
  Digest d{};
  crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(presented.data()), presented.size(),
                     key_.data(), key_.size());
  return d;
}

std::optional<bool> SecretVerifier::verify_quick(std::string_view stored, std::string_view presented) const {
  if (stored.empty() || presented.empty()) return false;
  if (!is_hashed(stored)) return core::same_secret(stored, presented);
  const Digest d = digest(presented);
  std::lock_guard lock(mu_);
  const auto it = verified_.find(std::string(stored));
  if (it == verified_.end()) return std::nullopt;
  // One secret verifies against a hash: anything else is wrong.
  return core::same_secret(std::string_view(reinterpret_cast<const char*>(it->second.data()), it->second.size()),
                           std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

bool SecretVerifier::verify(std::string_view stored, std::string_view presented) {
  if (auto quick = verify_quick(stored, presented)) return *quick;
  const std::string z(stored);
  const bool ok = crypto_pwhash_str_verify(z.c_str(), presented.data(), presented.size()) == 0;
  std::lock_guard lock(mu_);
  ++slow_checks_;
  if (ok) {
    if (verified_.size() >= kMaxRemembered) verified_.clear();
    verified_[z] = digest(presented);
  }
  return ok;
}

std::uint64_t SecretVerifier::slow_checks() const {
  std::lock_guard lock(mu_);
  return slow_checks_;
}

}  // namespace opentapi::secrets
