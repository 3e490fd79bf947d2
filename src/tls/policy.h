// The TLS rules every opentapi endpoint follows (docs/security.md "TLS"),
// written once: opentapid's TAPI listeners and HTTPS, and libopentapi's
// client side. Plain OpenSSL, no Asio, so the client library can use it.
#ifndef OPENTAPI_TLS_POLICY_H
#define OPENTAPI_TLS_POLICY_H

#include <openssl/ssl.h>

#include <string>

namespace opentapi::tls {

// TLS 1.2 and 1.3 only; for 1.2, forward-secret AEAD suites only (ECDHE with
// AES-GCM or ChaCha20-Poly1305); no compression, no renegotiation, no session
// tickets that outlive a key reload. Returns "" or what OpenSSL refused.
std::string apply_policy(SSL_CTX* ctx);

// Empties OpenSSL's error queue of this thread into one line ("" if empty).
std::string take_errors();

// Why a peer's certificate was refused, in words an operator acts on, from
// SSL_get_verify_result's code: "not signed by a trusted CA", "expired",
// "does not name HOST", ... `host` is the name the peer was expected to have.
std::string describe_verify_error(long code, const std::string& host);

}  // namespace opentapi::tls

#endif  // OPENTAPI_TLS_POLICY_H
