// The TLS context of opentapid's listeners (TAPI tls: and HTTPS), built from
// the certificate files named on its command line (docs/server.md "TLS").
// Each connection keeps the context it was accepted with; a reload builds a
// new one for the connections that follow.
#ifndef OPENTAPI_TLS_SERVER_CONTEXT_H
#define OPENTAPI_TLS_SERVER_CONTEXT_H

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "tls/files.h"

namespace opentapi::tls {

// Reads the files and checks the key matches the certificate. On failure
// returns nullptr and sets *error to a message naming the file and the cause.
std::shared_ptr<boost::asio::ssl::context> make_server_context(const ServerFiles& files, std::string* error);

}  // namespace opentapi::tls

#endif  // OPENTAPI_TLS_SERVER_CONTEXT_H
