// The certificate files of a TLS server endpoint (opentapid's --tls-cert,
// --tls-key, --tls-client-ca; docs/server.md "TLS"). A plain value type, so
// headers that must not include Asio or OpenSSL can hold one.
#ifndef OPENTAPI_TLS_FILES_H
#define OPENTAPI_TLS_FILES_H

#include <string>

namespace opentapi::tls {

struct ServerFiles {
  std::string cert;       // PEM: the server's certificate, then its chain
  std::string key;        // PEM: its private key (unencrypted)
  std::string client_ca;  // PEM CA bundle: when set, clients must present a certificate it signed
  bool empty() const { return cert.empty() && key.empty(); }
};

}  // namespace opentapi::tls

#endif  // OPENTAPI_TLS_FILES_H
