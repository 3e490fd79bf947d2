// Getting a UNIX socket path ready for opentapid to bind, and cleaning it up.
//
// A path already holding a socket that accepts connections belongs to a live
// server: opentapid refuses to start rather than steal it. A socket nobody
// accepts on is left over from a server that died: it is replaced. Anything
// that is not a socket is never removed.
#ifndef OPENTAPI_SERVER_SOCKET_PATH_H
#define OPENTAPI_SERVER_SOCKET_PATH_H

#include <sys/types.h>

#include <string>

namespace opentapi::server {

struct PathCheck {
  bool ok = false;
  bool removed_stale = false;  // a dead server's socket file was removed
  std::string error;           // when !ok: what is wrong, naming the path
};

// Creates the parent directory of `path` with mode 0700 if it does not exist;
// if it exists it must be a directory (not a symlink) owned by this user, and
// is made mode 0700. Used for the default socket path, whose directory is the
// server's own.
PathCheck make_private_directory(const std::string& path);

// Makes `path` bindable: absent, or a stale socket (removed). Fails if a live
// server accepts connections on it or if it is not a socket.
PathCheck prepare_socket_path(const std::string& path);

// The file identity of a socket file, remembered after bind so that shutdown
// removes the file only if it is still the one this server created.
struct FileIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool valid = false;
};
FileIdentity file_identity(const std::string& path);
// Removes `path` if it still is the file `id`. Returns true if removed.
bool remove_if_same(const std::string& path, const FileIdentity& id);

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_SOCKET_PATH_H
