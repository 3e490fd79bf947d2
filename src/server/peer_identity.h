// Who is on the other end of an accepted UNIX-domain socket, by the kernel's
// word (SO_PEERCRED) rather than the client's.
#ifndef OPENTAPI_SERVER_PEER_IDENTITY_H
#define OPENTAPI_SERVER_PEER_IDENTITY_H

#include <sys/types.h>

#include <optional>
#include <string>

namespace opentapi::server {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// The credentials of the peer of connected UNIX socket `fd`; nullopt if the
// kernel does not give them (not a UNIX socket).
std::optional<PeerCredentials> peer_credentials(int fd);

// The login name of `uid` (getpwuid_r), or the uid in decimal if it has no
// passwd entry.
std::string user_name(uid_t uid);

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_PEER_IDENTITY_H
