// Stream-socket helpers for the connection to opentapid. Every wait on the
// server is bounded: a server that is stopped (SIGSTOP, a VM stall) or hung
// keeps its sockets open, accepts connections into its listen backlog and
// takes bytes into its receive buffer until both are full, and a blocking
// call on it would otherwise wait until it resumes (docs/tapi2.md
// "Time-outs").
#ifndef OPENTAPI_CLIENT_SOCKET_H_
#define OPENTAPI_CLIENT_SOCKET_H_

#include <chrono>
#include <cstddef>
#include <string_view>

#include "proto/address.h"

namespace opentapi::client {

// Connects to `address` (UNIX or TCP; TCP with TCP_NODELAY) within
// `timeout`. Returns the connected, blocking, close-on-exec fd or -1 (errno
// set; ETIMEDOUT when the time ran out: a TCP peer that never answered the
// SYN, or a UNIX listener whose backlog stayed full).
int connect_socket(const proto::ServerAddress& address, std::chrono::milliseconds timeout);

// Writes all of `bytes` (MSG_NOSIGNAL, retrying EINTR), waiting at most
// `timeout` in all for the peer to take them. False on error, or with errno
// ETIMEDOUT when the peer took too little in time; then part of `bytes` may
// have been written.
bool write_all(int fd, std::string_view bytes, std::chrono::milliseconds timeout);

// Waits up to `timeout` for `fd` to be readable. False on time-out or error.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_SOCKET_H_
