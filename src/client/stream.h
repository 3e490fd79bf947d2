// The byte stream between libopentapi and opentapid: a plain socket (unix:,
// tcp:) or TLS over TCP (tls:, tls_stream.cpp). Everything above it
// (application.cpp, receiver.cpp) sees bytes and a descriptor to wait on,
// never which transport carries them.
//
// Thread safety: one reader (the Receiver or a caller reading for itself)
// and any number of writers serialised by the caller may use a Stream at
// the same time; shutdown() may be called from any thread.
#ifndef OPENTAPI_CLIENT_STREAM_H_
#define OPENTAPI_CLIENT_STREAM_H_

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "proto/address.h"

namespace opentapi::client {

class Stream {
 public:
  virtual ~Stream() = default;

  // The descriptor to poll/epoll for input. Readable means read_some() may
  // return bytes; bytes that pending() reports do not make it readable.
  virtual int fd() const = 0;

  // Writes all of `bytes`, waiting for the peer as needed but no longer than
  // the stream's write time-out (open_stream). False on error or time-out;
  // either way the stream is then shut down (a frame written in part leaves
  // nothing the server could read on), so the reader sees its end.
  virtual bool write_all(std::string_view bytes) = 0;

  // Writes all of `bytes` only if that needs no waiting (a best-effort
  // goodbye). False if nothing or not everything was written.
  virtual bool try_write(std::string_view bytes) = 0;

  // Reads what has arrived, without waiting: > 0 bytes, 0 at the end of the
  // stream, -1 with errno set (EAGAIN/EWOULDBLOCK: nothing yet).
  virtual ssize_t read_some(char* buffer, std::size_t size) = 0;

  // Bytes already received and buffered above the descriptor (TLS records
  // read but not yet handed out). A reader keeps reading while true.
  virtual bool pending() const { return false; }

  // Ends both directions: a reader waiting on fd() wakes up and reads 0.
  virtual void shutdown() = 0;

  // Why the stream failed, in words, once read_some or a write failed ("" if
  // the transport has nothing to add to errno).
  virtual std::string error() const { return {}; }
};

// The outcome of open_stream: a stream, or a LINEERR_* and the reason.
struct OpenedStream {
  std::unique_ptr<Stream> stream;
  std::int32_t result = 0;  // 0, or LINEERR_SERVICE_NOT_RUNNING / LINEERR_INIFILECORRUPT / LINEERR_OPERATIONFAILED
  std::string error;        // why, for the log; empty when the transport has nothing to add to the code
};

// How long a stream waits for the server (docs/tapi2.md "Time-outs").
struct StreamTimeouts {
  // Connecting (and for tls:, the handshake), each within this.
  std::chrono::milliseconds connect{10'000};
  // One write_all: how long the server may leave its receive buffer full.
  std::chrono::milliseconds write{60'000};
};

// Connects to `address` within `timeouts.connect`. For tls:, also performs
// the TLS handshake within it, verifying the server's certificate and name
// (OPENTAPI_CA_FILE, else the system's CAs) and presenting
// OPENTAPI_CERT_FILE/OPENTAPI_KEY_FILE when set (docs/security.md "Clients").
// Nothing accepting the connection in time (a stopped server whose backlog
// is full, a host that does not answer) is LINEERR_SERVICE_NOT_RUNNING, as
// nothing listening is.
OpenedStream open_stream(const proto::ServerAddress& address, const StreamTimeouts& timeouts);

// Writes one line about a failed connection to stderr ("libopentapi: ...");
// libopentapi has no other log, and a refused certificate must be explained
// somewhere the operator looks.
void report_connect_error(const proto::ServerAddress& address, const std::string& why);

namespace detail {
// tls_stream.cpp: the tls: half of open_stream, over a connected TCP socket
// (taken over, closed on failure).
OpenedStream open_tls(int fd, const proto::ServerAddress& address, const StreamTimeouts& timeouts);
}  // namespace detail

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_STREAM_H_
