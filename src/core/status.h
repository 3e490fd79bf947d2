// Status and Result<T>: how the core reports failure.
//
// A Status is either OK or an error code plus a human-readable message, in the
// style of leveldb::Status. Errors never travel as exceptions.
//
// ErrorCode values ARE the LINEERR_ numbers of docs/reference/tapi2-agent.md §7, so the edge
// (the ACD proxy answering lineProxyResponse) maps a core error with a cast —
// lineerr_value() — and never improvises a code. Only the codes the core
// produces, or that the ACD built on it needs, are listed; add more from §7
// with their exact value when needed.
//
// Thread safety: plain values; const methods may be called concurrently.
#ifndef OPENTAPI_CORE_STATUS_H_
#define OPENTAPI_CORE_STATUS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace opentapi::core {

// docs/reference/tapi2-agent.md §7. kOk is not a LINEERR; it is the 0 of a successful LINE_REPLY.
enum class ErrorCode : std::uint32_t {
  kOk = 0,
  kInvalAddressId = 0x80000011,
  kInvalAddressState = 0x80000013,
  kInvalParam = 0x80000032,
  kInvalPointer = 0x80000035,
  kNoMem = 0x80000044,
  kOperationFailed = 0x80000048,
  kOperationUnavail = 0x80000049,
  kResourceUnavail = 0x8000004B,
  kStructureTooSmall = 0x8000004D,
  kInvalAgentId = 0x80000057,
  kInvalAgentGroup = 0x80000058,
  kInvalPassword = 0x80000059,
  kInvalAgentState = 0x8000005A,
  kInvalAgentActivity = 0x8000005B,
  kInvalAgentSessionState = 0x8000005F,
};

// The value a LINE_REPLY / lineProxyResponse carries: 0 for kOk, otherwise the
// negative LONG whose bit pattern is the LINEERR_ constant.
constexpr std::int32_t lineerr_value(ErrorCode code) noexcept {
  // Modular conversion: well defined since C++20.
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(code));
}

// "LINEERR_INVALAGENTSTATE", … for every LINEERR_ constant of tapi.h, also
// those not in the enum ("OK" for kOk, "LINEERR_0x…" for a value that is no
// LINEERR_ constant). For logs, test output and the CLI's messages.
std::string error_code_name(ErrorCode code);

// "SETAGENTGROUP" … "SETAGENTSTATEEX" for the LINEPROXYREQUEST_ constants
// 1 … 0x14 of tapi.h; empty for any other value (each caller says how it
// shows an unknown type). The one table of their names.
std::string_view proxy_request_type_name(std::uint32_t type);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() noexcept = default;

  // REQUIRES: code != ErrorCode::kOk (an OK code yields an OK Status and the
  // message is dropped).
  static Status error(ErrorCode code, std::string message);

  bool ok() const noexcept { return code_ == ErrorCode::kOk; }
  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  std::int32_t lineerr() const noexcept { return lineerr_value(code_); }

  // "OK" or "LINEERR_INVALAGENTSTATE: <message>".
  std::string to_string() const;

 private:
  Status(ErrorCode code, std::string message) noexcept : code_(code), message_(std::move(message)) {}

  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A T, or the error Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<1>, std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok(). An OK status without a value is a programming
  // error; it is turned into kOperationFailed rather than an empty value.
  Result(Status status)  // NOLINT: implicit by design
      : data_(std::in_place_index<0>,
              status.ok() ? Status::error(ErrorCode::kOperationFailed, "Result built from an OK status without a value")
                          : std::move(status)) {}

  bool ok() const noexcept { return data_.index() == 1; }
  explicit operator bool() const noexcept { return ok(); }

  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<0>(data_); }
  ErrorCode code() const noexcept { return ok() ? ErrorCode::kOk : std::get<0>(data_).code(); }

  // REQUIRES: ok().
  T& value() & { return std::get<1>(data_); }
  const T& value() const& { return std::get<1>(data_); }
  T&& value() && { return std::get<1>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_STATUS_H_
