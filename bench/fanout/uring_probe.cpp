// uring_probe: does submitting a fan-out's sends in one system call help?
// (docs/performance.md, "Fan-out: one submission instead of 1 000 sends").
//
//   uring_probe [N=1000] [ROUNDS=200] [send|uring]
//
// One 25-byte frame (the size of a LINE_AGENTSESSIONSTATUS frame) to each of
// N local stream sockets, by N send() calls, as opentapid's I/O thread does,
// or by one io_uring submission of N IORING_OP_SEND. A reader thread reads
// the peers from one epoll loop, as libopentapi's receiver does. Prints the
// sender's CPU time per round and the time until the reader has every frame
// (p50/p99 over the rounds, after 10 warm-up rounds). Built only when
// liburing is installed (Debian: liburing-dev); not part of bench/run.sh.
#include <liburing.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

static double now_us(clockid_t c) {
  timespec t;
  clock_gettime(c, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

int main(int argc, char** argv) {
  const int n = argc > 1 ? atoi(argv[1]) : 1000;
  const int rounds = argc > 2 ? atoi(argv[2]) : 200;
  const bool uring = argc > 3 && strcmp(argv[3], "uring") == 0;
  std::vector<int> tx(n), rx(n);
  for (int i = 0; i < n; ++i) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) {
      perror("socketpair");
      return 1;
    }
    tx[i] = sv[0];
    rx[i] = sv[1];
  }
  std::atomic<long> got{0};
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    int ep = epoll_create1(0);
    for (int i = 0; i < n; ++i) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = i;
      epoll_ctl(ep, EPOLL_CTL_ADD, rx[i], &ev);
    }
    epoll_event evs[256];
    char buf[4096];
    while (!stop) {
      int k = epoll_wait(ep, evs, 256, 100);
      for (int j = 0; j < k; ++j) {
        ssize_t r = recv(rx[evs[j].data.u32], buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0) got += r;
      }
    }
  });
  io_uring ring;
  if (uring && io_uring_queue_init(n < 4096 ? 4096 : n, &ring, 0) != 0) {
    perror("io_uring_queue_init");
    return 1;
  }
  const char frame[25] = {5};
  std::vector<double> cpu, lat;
  long expect = 0;
  for (int r = 0; r < rounds + 10; ++r) {
    const double w0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
    if (!uring) {
      for (int i = 0; i < n; ++i) send(tx[i], frame, sizeof frame, MSG_NOSIGNAL | MSG_DONTWAIT);
    } else {
      for (int i = 0; i < n; ++i) {
        io_uring_sqe* s = io_uring_get_sqe(&ring);
        io_uring_prep_send(s, tx[i], frame, sizeof frame, MSG_NOSIGNAL);
      }
      io_uring_submit_and_wait(&ring, n);
      unsigned head, seen = 0;
      io_uring_cqe* cqe;
      io_uring_for_each_cqe(&ring, head, cqe) {
        if (cqe->res != (int)sizeof frame) {
          fprintf(stderr, "send res %d\n", cqe->res);
        }
        ++seen;
      }
      io_uring_cq_advance(&ring, seen);
    }
    const double c1 = now_us(CLOCK_THREAD_CPUTIME_ID);
    expect += static_cast<long>(static_cast<std::size_t>(n) * sizeof frame);
    while (got.load() < expect) std::this_thread::yield();
    const double w1 = now_us(CLOCK_MONOTONIC);
    if (r >= 10) {
      cpu.push_back(c1 - c0);
      lat.push_back(w1 - w0);
    }
    usleep(2000);
  }
  stop = true;
  reader.join();
  std::sort(cpu.begin(), cpu.end());
  std::sort(lat.begin(), lat.end());
  auto q = [](std::vector<double>& v, double p) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
  };
  printf("%s n=%d rounds=%d sender CPU p50 %.0f us p99 %.0f us; last frame read p50 %.0f us p99 %.0f us\n",
         uring ? "io_uring" : "send()  ", n, rounds, q(cpu, .5), q(cpu, .99), q(lat, .5), q(lat, .99));
}
