#include "tls/server_context.h"

#include <openssl/ssl.h>

#include "tls/policy.h"

namespace opentapi::tls {

std::shared_ptr<boost::asio::ssl::context> make_server_context(const ServerFiles& files, std::string* error) {
  namespace ssl = boost::asio::ssl;
  take_errors();  // what an earlier failure left must not be reported as ours
  if (files.cert.empty() || files.key.empty()) {
    *error = "TLS needs both a certificate (--tls-cert) and its private key (--tls-key)";
    return nullptr;
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  if (std::string e = apply_policy(native); !e.empty()) {
    *error = e;
    return nullptr;
  }
  if (SSL_CTX_use_certificate_chain_file(native, files.cert.c_str()) != 1) {
    *error = "cannot load the TLS certificate " + files.cert + ": " + take_errors();
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(native, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = "cannot load the TLS private key " + files.key + ": " + take_errors();
    return nullptr;
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    *error = "the TLS private key " + files.key + " does not belong to the certificate " + files.cert;
    take_errors();
    return nullptr;
  }
  if (!files.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(native, files.client_ca.c_str(), nullptr) != 1) {
      *error = "cannot load the client CA file " + files.client_ca + ": " + take_errors();
      return nullptr;
    }
    // Tell clients which CAs are accepted, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca.c_str())) {
      SSL_CTX_set_client_CA_list(native, names);
    }
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return ctx;
}

}  // namespace opentapi::tls
