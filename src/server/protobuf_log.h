// libprotobuf's own log lines ("String field ... contains invalid UTF-8 data
// when parsing a protocol buffer", from any client's frame) routed into the
// server's structured log, rate-limited: a client sending bad frames in a
// loop must not flood the log (docs/security.md "Logs").
#ifndef OPENTAPI_SERVER_PROTOBUF_LOG_H
#define OPENTAPI_SERVER_PROTOBUF_LOG_H

namespace opentapi::server {

// Installs the handler (once per process; later calls do nothing). Lines go
// to spdlog as `event=protobuf-log level=… source=FILE:LINE message="…"`, at
// most 5 per 10 s, the next line after a pause saying how many were left out.
void route_protobuf_log();

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_PROTOBUF_LOG_H
