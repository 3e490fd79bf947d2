// Posted frames held per thread and written together (docs/performance.md,
// step 12).
//
// A proxy that answers a group of requests at once (the ACD, from its store's
// durability callback) posts a lineProxyResponse and one or more
// lineProxyMessages per request. Written one by one, each is a system call in
// the proxy and a wake-up and a read in opentapid. Between begin() and end()
// on one thread, Application::post holds its frames instead, per
// application, and end() writes each application's frames with one write.
//
// Order. The frames of one thread keep their order on each connection: any
// other frame this thread sends on a connection with held frames (a call
// that waits for its Result, a send_only) writes the held ones first. Frames
// that other threads send meanwhile may leave before the held ones; a caller
// holds only where that does not matter (the ACD: one thread delivers at a
// time). At most kMaxHeldBytes are held per connection; more are written at
// once.
//
// Thread safety: the held frames are the calling thread's own.
#ifndef OPENTAPI_CLIENT_SEND_BATCH_H_
#define OPENTAPI_CLIENT_SEND_BATCH_H_

#include <cstddef>
#include <string>

namespace opentapi::client {

class Application;

namespace send_batch {

constexpr std::size_t kMaxHeldBytes = std::size_t{64} * 1024;

// Opens a batch on this thread (batches nest; the outermost end() writes).
void begin();

// Closes the batch; the outermost writes everything held. False if a
// connection could not be written (lost or shut down): its frames are gone,
// as a post() that failed would have lost them.
bool end();

// Whether a batch is open on this thread.
bool active();

// Holds `frame` for `app` if a batch is open on this thread; false (nothing
// done) if not. REQUIRES: `app` is owned by a shared_ptr.
bool hold(Application& app, const std::string& frame);

// Takes this thread's frames held for `app` (empty if none), for a send that
// must go behind them.
std::string take(const Application* app);

}  // namespace send_batch
}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_SEND_BATCH_H_
