// Blocking stream-socket helpers for the connection to opentapid.
#ifndef OPENTAPI_CLIENT_SOCKET_H_
#define OPENTAPI_CLIENT_SOCKET_H_

#include <chrono>
#include <cstddef>
#include <string_view>

#include "proto/address.h"

namespace opentapi::client {

// Connects to `address` (UNIX or TCP; TCP with TCP_NODELAY). Returns the
// connected, close-on-exec fd or -1 (errno set).
int connect_socket(const proto::ServerAddress& address);

// Writes all of `bytes` (MSG_NOSIGNAL, retrying EINTR). False on error.
bool write_all(int fd, std::string_view bytes);

// Waits up to `timeout` for `fd` to be readable. False on time-out or error.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_SOCKET_H_
