// The process-wide tables behind the handles of tapi.h: HLINEAPP -> the
// application, HLINE -> the application that opened the line, HCALL -> the
// application that holds the call handle.
//
// Every kind of handle is library-local, non-zero and never reused within a
// process (a 32-bit counter each), so a stale handle can never reach another
// application or line. The server's own line handles never leave the library:
// two applications of one process are two connections whose server handles
// may coincide, but the agent functions take only an HLINE (and the call
// functions only an HCALL).
//
// A line stays in the table after it is closed, until its application shuts
// down, so lineProxyResponse can still find the owner of a request delivered
// on it (see Application::take_proxy_request).
//
// Thread safety: every method may be called from any thread; no method calls
// out while holding the table lock.
#ifndef OPENTAPI_CLIENT_REGISTRY_H_
#define OPENTAPI_CLIENT_REGISTRY_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace opentapi::client {

class Application;

class Registry {
 public:
  // The one table of the process (never destroyed, so threads still running
  // at exit never see it gone).
  static Registry& instance();

  // Registers an application; returns its new HLINEAPP.
  std::uint32_t add_application(std::shared_ptr<Application> app);
  std::shared_ptr<Application> application(std::uint32_t happ) const;
  // Unregisters and returns the application (nullptr if unknown).
  std::shared_ptr<Application> remove_application(std::uint32_t happ);
  // True while at least one application is registered (else LINEERR_UNINITIALIZED).
  bool any_application() const;
  // One registered application, or nullptr: for the functions that take a
  // device ID but no HLINEAPP (lineGetIcon, lineGetDevConfig, ...), which
  // judge the ID against the number of devices the server announced.
  std::shared_ptr<Application> some_application() const;

  // Allocates an HLINE for a line of `app`.
  std::uint32_t add_line(const std::shared_ptr<Application>& app);
  // The application that opened `hline` (even if since closed), or nullptr.
  std::shared_ptr<Application> line_owner(std::uint32_t hline) const;
  void remove_lines(const std::vector<std::uint32_t>& hlines);

  // Allocates an HCALL for a call handle of `app`.
  std::uint32_t add_call(const std::shared_ptr<Application>& app);
  // The application holding `hcall`, or nullptr (unknown, or deallocated).
  std::shared_ptr<Application> call_owner(std::uint32_t hcall) const;
  void remove_calls(const std::vector<std::uint32_t>& hcalls);
  // One handle; allocates nothing (lineDeallocateCall must not fail after
  // the server has freed the handle).
  void remove_call(std::uint32_t hcall) noexcept;

 private:
  Registry() = default;

  mutable std::mutex mu_;
  std::uint32_t next_app_ = 0;
  std::uint32_t next_line_ = 0;
  std::uint32_t next_call_ = 0;
  std::unordered_map<std::uint32_t, std::shared_ptr<Application>> apps_;
  std::unordered_map<std::uint32_t, std::weak_ptr<Application>> lines_;
  std::unordered_map<std::uint32_t, std::weak_ptr<Application>> calls_;
};

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_REGISTRY_H_
