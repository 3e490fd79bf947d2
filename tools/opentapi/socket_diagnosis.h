// Why the telephony server's UNIX socket cannot be reached, in words an
// operator can act on. libopentapi answers lineInitializeEx with
// LINEERR_SERVICE_NOT_RUNNING for any unreachable server (the Windows code);
// the CLI looks at the socket itself to tell "nothing there" from "not
// allowed" (docs/security.md "Local clients").
#ifndef OPENTAPI_TOOLS_OPENTAPI_SOCKET_DIAGNOSIS_H_
#define OPENTAPI_TOOLS_OPENTAPI_SOCKET_DIAGNOSIS_H_

#include <string>

namespace opentapi::cli {

// For an address "unix:PATH" whose socket this process may not use (EACCES on
// the socket or a directory above it): "permission denied on PATH (you are
// USER; the socket belongs to OWNER:GROUP, mode 0NNN)" (or "the directory
// DIR belongs to …" when a directory stops the way). "" when access is not
// the problem, or for other addresses.
std::string permission_problem(const std::string& address);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_SOCKET_DIAGNOSIS_H_
