// The TAPI side of the CLI's commands: one TAPI application in event mode
// (Tapi), the buffers of variable-size structures (VarBuf), the options every
// TAPI command shares, and how a failure becomes an exit code. Written only
// against the public tapi.h of libopentapi.
#ifndef OPENTAPI_TOOLS_OPENTAPI_TAPI_APP_H_
#define OPENTAPI_TOOLS_OPENTAPI_TAPI_APP_H_

#include <tapi.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opentapi::cli {

// Options shared by every subcommand.
struct GlobalOptions {
  bool json = false;
  double timeout = 10.0;  // seconds, for each LINE_REPLY or HTTP response
  DWORD line = 0;
};

// The address libopentapi connects to: $OPENTAPI_SERVER, else the default
// socket. For messages.
std::string default_server_address();

// "LINEERR_INVALAGENTSTATE" for a LINEERR_ value (core/status.h names them).
std::string lineerr_name(long code);

// Throws the Failure of a TAPI function that returned `code`
// (kExitTapi, naming the function and the code; a hint for OPERATIONUNAVAIL).
[[noreturn]] void tapi_fail(const char* function, LONG code);

// SIGINT, SIGTERM and SIGPIPE set the interrupted flag instead of ending the
// process; waits poll it and end with kExitInterrupted.
void catch_interrupts();
bool interrupted();

// One TAPI application in event mode.
class Tapi {
 public:
  // lineInitializeExW; throws Failure (kExitNoServer when no server runs).
  explicit Tapi(double timeout_s);
  ~Tapi();
  Tapi(const Tapi&) = delete;
  Tapi& operator=(const Tapi&) = delete;

  DWORD num_devs() const { return num_devs_; }

  // Opens `device`, by default for monitoring (sees every call on the line,
  // controls none); `call` opens it as OWNER for interactive voice, to
  // place calls. Throws Failure.
  HLINE open(DWORD device, DWORD privileges = LINECALLPRIVILEGE_MONITOR, DWORD media_modes = 0);

  // Waits for the LINE_REPLY of an asynchronous call; returns only on success.
  void complete(const char* function, LONG request);

  // Next message within `ms`, or nullopt.
  std::optional<LINEMESSAGE> next(DWORD ms);

  // The device of one of our line handles; 0xFFFFFFFF for another.
  DWORD device_of(DWORD hline) const;

  // --timeout, in milliseconds.
  long timeout_ms() const { return timeout_ms_; }

  // Throws Failure (kExitNoServer) when `m` says the server connection is lost.
  static void check_lost(const LINEMESSAGE& m);

 private:
  HLINEAPP app_ = 0;
  DWORD num_devs_ = 0;
  long timeout_ms_;
  std::map<DWORD, DWORD> lines_;
};

// A variable-size structure buffer: fixed part T, grown to dwNeededSize.
template <typename T>
class VarBuf {
 public:
  explicit VarBuf(std::size_t size = 4096) { resize(size); }
  T* get() { return reinterpret_cast<T*>(buf_.data()); }
  const unsigned char* bytes() const { return buf_.data(); }
  DWORD size() const { return static_cast<DWORD>(buf_.size()); }
  void resize(std::size_t size) {
    buf_.assign(std::max(size, sizeof(T)), 0);
    DWORD total = static_cast<DWORD>(buf_.size());
    std::memcpy(buf_.data(), &total, sizeof total);  // dwTotalSize is the first DWORD
  }
  // Calls `start` (returns the request id) until the whole structure fits.
  template <typename Start>
  void fill(Tapi& tapi, const char* function, Start start) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      tapi.complete(function, start(get()));
      DWORD needed = 0;
      std::memcpy(&needed, buf_.data() + 4, sizeof needed);
      if (needed <= buf_.size()) return;
      resize(needed);
    }
  }

 private:
  std::vector<unsigned char> buf_;
};

// A W string of `size` bytes (NUL included) at `base + offset` inside a
// structure of `limit` bytes, possibly unaligned, in UTF-8; "" when absent
// or outside the structure.
std::string wide_field(const unsigned char* base, DWORD limit, DWORD size, DWORD offset);

// Who calls whom, from a call's LINECALLINFO (lineGetCallInfoW): the
// caller's and the called party's numbers and names, the address the call
// is on and its call ID. Empty strings for what the switch did not give.
struct CallParties {
  DWORD call_id = 0;
  DWORD address = 0;
  std::string caller, caller_name, called, called_name;
};
// nullopt when the call cannot be read (gone already, or a malformed answer).
std::optional<CallParties> call_parties(HCALL call);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_TAPI_APP_H_
