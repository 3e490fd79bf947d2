#include "hash_secret_command.h"

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "cli_failure.h"
#include "secrets/stored_secret.h"

namespace opentapi::cli {
namespace {

// One line of standard input without its line end; nullopt at end of input.
std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

termios g_saved{};  // the terminal's settings while echo is off

// Ctrl-C at the prompt: echo back on, then exit as interrupted
// (tcsetattr and _exit are async-signal-safe).
extern "C" void restore_and_exit(int) {
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
  ::_exit(kExitInterrupted);
}

// Asks on the terminal with echo off (restored whatever happens).
std::optional<std::string> ask(const char* prompt) {
  std::fputs(prompt, stderr);
  std::fflush(stderr);
  const bool tty = ::tcgetattr(STDIN_FILENO, &g_saved) == 0;
  if (tty) {
    std::signal(SIGINT, restore_and_exit);
    std::signal(SIGTERM, restore_and_exit);
    termios quiet = g_saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto line = read_line();
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
  std::fputs("\n", stderr);
  return line;
}

}  // namespace

int cmd_hash_secret(bool token) {
  std::optional<std::string> secret;
  if (::isatty(STDIN_FILENO)) {
    secret = ask(token ? "Token: " : "PIN: ");
    if (secret && !secret->empty()) {
      const auto again = ask("Again: ");
      if (!again || *again != *secret) {
        std::fprintf(stderr, "opentapi hash-secret: the two entries differ; nothing hashed\n");
        return kExitUsage;
      }
    }
  } else {
    secret = read_line();
  }
  if (!secret || secret->empty()) {
    std::fprintf(stderr, "opentapi hash-secret: no secret on standard input (an empty one cannot be hashed)\n");
    return kExitUsage;
  }
  auto hash = secrets::hash_secret(*secret, token ? secrets::kTokenCost : secrets::kPinCost);
  if (!hash) {
    std::fprintf(stderr, "opentapi hash-secret: %s\n", hash.status().message().c_str());
    return kExitTapi;
  }
  std::printf("%s\n", hash->c_str());
  return kExitOk;
}

}  // namespace opentapi::cli
