// Secrets at rest (docs/security.md "Secrets at rest"): an agent PIN, an HTTP
// bearer token or the TCP token as the configuration stores it — either the
// value itself ("plain", as before) or an Argon2id hash string
// ("$argon2id$v=19$m=…,t=…,p=1$salt$hash") made by `opentapi hash-secret`.
//
// A SecretVerifier says whether a presented secret is the one a stored value
// holds. A hash check costs what its parameters say (milliseconds on
// purpose); the verifier remembers each successful one as a keyed BLAKE2b
// digest of the secret, so that the next presentation of the same secret —
// and of any other, which is then known to be wrong — is answered in
// microseconds. Every comparison runs in constant time through
// core::same_secret.
#ifndef OPENTAPI_SECRETS_STORED_SECRET_H_
#define OPENTAPI_SECRETS_STORED_SECRET_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace opentapi::secrets {

// The prefix of every hash this tree makes or accepts.
inline constexpr std::string_view kHashPrefix = "$argon2id$";

// Argon2id parameters of a new hash (the hash string records them, so a
// verification costs what the hash was made with).
struct HashCost {
  std::uint64_t passes = 0;      // t: passes over the memory
  std::size_t memory_bytes = 0;  // m
};

// PINs: few digits, so the hash is all that stands between a copied
// configuration and the PINs. 3 passes over 32 MiB: about 50 ms per check
// on one core of a 2020s server (docs/security.md "Secrets at rest" gives
// the measured figure). A PIN is checked once per agent log-in.
inline constexpr HashCost kPinCost{3, 32u << 20};
// Tokens are long random values (`openssl rand -hex 32`): no dictionary to
// try, so a hash only has to be one-way. 1 pass over 8 MiB (about 5 ms);
// checked once per token and opentapid run, then remembered.
inline constexpr HashCost kTokenCost{1, 8u << 20};

// Whether `stored` is a hash string (starts with kHashPrefix).
bool is_hashed(std::string_view stored) noexcept;

// Whether `stored` is a hash string libsodium can verify against (a
// configuration check: a truncated hash would refuse every secret).
bool is_valid_hash(std::string_view stored);

// A new Argon2id hash string of `secret` with a random salt. kNoMem when
// libsodium cannot get the memory, kInvalParam when `cost` is outside what
// libsodium accepts.
core::Result<std::string> hash_secret(std::string_view secret, HashCost cost);

// Thread-safe. One per process (or per test); holds a random key for the
// digests, made at construction, and the digests of secrets verified so far.
class SecretVerifier {
 public:
  SecretVerifier();

  // Whether `presented` is the secret `stored` holds: constant-time equality
  // for a plain value, an Argon2id verification (or its remembered outcome)
  // for a hash. An empty `presented` or `stored` never matches.
  bool verify(std::string_view stored, std::string_view presented);

  // The answer without a slow check: set for a plain value, and for a hash
  // once some secret has been verified against it (the one secret it holds
  // is then known); nullopt when only an Argon2id check can tell.
  std::optional<bool> verify_quick(std::string_view stored, std::string_view presented) const;

  // Slow (Argon2id) verifications made so far, successful or not.
  std::uint64_t slow_checks() const;

 private:
  using Digest = std::array<unsigned char, 32>;
  Digest digest(std::string_view presented) const;

  std::array<unsigned char, 32> key_{};
  mutable std::mutex mu_;
  std::unordered_map<std::string, Digest> verified_;  // stored hash → digest of its secret
  std::uint64_t slow_checks_ = 0;
};

}  // namespace opentapi::secrets

#endif  // OPENTAPI_SECRETS_STORED_SECRET_H_
