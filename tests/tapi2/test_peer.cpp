// A second process for the integration tests, so that a test can SIGKILL a
// proxy or a client in the middle of a request. Reports on stdout, one line
// per event; runs until killed or until its stdin reaches EOF.
//
//   test_peer proxy [--wide] [--hold]   READY <lineOpen result>, then
//                                       REQUEST <type> per request (held ones
//                                       are never answered)
//   test_peer client <device>           REQUEST <id> after lineGetAgentInfo
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "support.h"

using namespace tapi2_test;

namespace {

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

void wait_for_eof() {
  char c;
  while (::read(0, &c, 1) > 0) {
  }
}

int run_proxy(bool wide, bool hold) {
  TestProxy::Options options;
  options.wide = wide;
  options.hold = hold;
  TestProxy proxy(options);
  say("READY " + std::to_string(proxy.open_result()));
  if (hold) {
    for (;;) {
      if (LPLINEPROXYREQUEST r = proxy.next_request(1h)) say("REQUEST " + std::to_string(r->dwRequestType));
    }
  }
  wait_for_eof();
  return 0;
}

int run_client(DWORD device) {
  App app;
  const HLINE line = app.open(device, 1);
  static LINEAGENTINFO info;
  info.dwTotalSize = sizeof info;
  const LONG id = line ? lineGetAgentInfo(line, kFirstAgent, &info) : 0;
  say("REQUEST " + std::to_string(id));
  wait_for_eof();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "proxy") == 0) {
    bool wide = false;
    bool hold = false;
    for (int i = 2; i < argc; ++i) {
      wide = wide || std::strcmp(argv[i], "--wide") == 0;
      hold = hold || std::strcmp(argv[i], "--hold") == 0;
    }
    return run_proxy(wide, hold);
  }
  if (argc == 3 && std::strcmp(argv[1], "client") == 0) return run_client(static_cast<DWORD>(std::stoul(argv[2])));
  std::fprintf(stderr, "usage: test_peer proxy [--wide] [--hold] | client DEVICE\n");
  return 2;
}
