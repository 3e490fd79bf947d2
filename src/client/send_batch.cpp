#include "client/send_batch.h"

#include <memory>
#include <utility>
#include <vector>

#include "client/application.h"

namespace opentapi::client::send_batch {
namespace {

struct Held {
  std::shared_ptr<Application> app;
  std::string frames;
};

struct Batch {
  int depth = 0;
  // Few entries (one per connection the thread posts on): a vector, searched.
  std::vector<Held> held;
};

thread_local Batch tl_batch;

}  // namespace

void begin() { ++tl_batch.depth; }

bool active() { return tl_batch.depth > 0; }

bool end() {
  if (tl_batch.depth == 0) return true;
  if (--tl_batch.depth > 0) return true;
  bool ok = true;
  // Taken out first: nothing a write does on this thread finds the entries
  // half written.
  std::vector<Held> held = std::move(tl_batch.held);
  tl_batch.held.clear();
  for (Held& h : held) {
    if (!h.frames.empty() && !h.app->write_frames(h.frames)) ok = false;
  }
  return ok;
}

bool hold(Application& app, const std::string& frame) {
  if (tl_batch.depth == 0) return false;
  Held* entry = nullptr;
  for (Held& h : tl_batch.held) {
    if (h.app.get() == &app) entry = &h;
  }
  if (entry == nullptr) entry = &tl_batch.held.emplace_back(Held{app.shared_from_this(), {}});
  entry->frames += frame;
  if (entry->frames.size() >= kMaxHeldBytes) {
    const std::string frames = std::move(entry->frames);
    entry->frames.clear();
    // A failure shows in the connection's state, as for an unheld post.
    (void)app.write_frames(frames);
  }
  return true;
}

std::string take(const Application* app) {
  if (tl_batch.depth == 0) return {};
  for (Held& h : tl_batch.held) {
    if (h.app.get() == app) {
      std::string frames = std::move(h.frames);
      h.frames.clear();
      return frames;
    }
  }
  return {};
}

}  // namespace opentapi::client::send_batch
