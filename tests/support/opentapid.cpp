#include "support/opentapid.h"

#include <cstdlib>
#include <thread>

namespace opentapi::test_support {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> command_line(std::vector<std::string> args) {
  args.insert(args.begin(), opentapid_binary());
  return args;
}

SpawnOptions into_log(const std::string& log, bool die_with_parent) {
  SpawnOptions options;
  options.stdout_path = log;
  options.stderr_path = log;
  options.die_with_parent = die_with_parent;
  return options;
}

}  // namespace

std::string opentapid_binary() {
  const char* value = std::getenv("OPENTAPID_BINARY");
  return value != nullptr && *value != '\0' ? value : OPENTAPID_DEFAULT;
}

Opentapid::Opentapid(std::vector<std::string> args, std::string log, bool die_with_parent)
    : Process(command_line(std::move(args)), into_log(log, die_with_parent)), log_(std::move(log)) {}

bool Opentapid::wait_listening(const std::string& socket, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (can_connect(socket)) return true;
    if (!running() || Clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
}

bool Opentapid::wait_for_log(const std::regex& pattern, std::smatch* match, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const bool gone = !running();  // before reading: a last line is still seen
    text_ = log();
    std::smatch m;
    if (std::regex_search(text_, m, pattern)) {
      if (match != nullptr) *match = m;
      return true;
    }
    if (gone || Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

std::optional<std::string> Opentapid::wait_tcp_address(std::chrono::milliseconds timeout) {
  std::smatch m;
  if (!wait_for_log(std::regex(R"re(event=listen address="((?:tcp|tls):[^"]+)")re"), &m, timeout)) return std::nullopt;
  return m[1].str();
}

}  // namespace opentapi::test_support
