#include "client/registry.h"

namespace opentapi::client {
namespace {

// Next non-zero value of a handle counter not currently in `used`.
template <class Map>
std::uint32_t next_handle(std::uint32_t& counter, const Map& used) {
  do {
    ++counter;
  } while (counter == 0 || used.count(counter) != 0);
  return counter;
}

}  // namespace

Registry& Registry::instance() {
  static Registry* registry = new Registry();
  return *registry;
}

std::uint32_t Registry::add_application(std::shared_ptr<Application> app) {
  std::lock_guard lock(mu_);
  const std::uint32_t h = next_handle(next_app_, apps_);
  apps_.emplace(h, std::move(app));
  return h;
}

std::shared_ptr<Application> Registry::application(std::uint32_t happ) const {
  std::lock_guard lock(mu_);
  const auto it = apps_.find(happ);
  return it == apps_.end() ? nullptr : it->second;
}

std::shared_ptr<Application> Registry::remove_application(std::uint32_t happ) {
  std::lock_guard lock(mu_);
  const auto it = apps_.find(happ);
  if (it == apps_.end()) return nullptr;
  auto app = std::move(it->second);
  apps_.erase(it);
  return app;
}

bool Registry::any_application() const {
  std::lock_guard lock(mu_);
  return !apps_.empty();
}

std::shared_ptr<Application> Registry::some_application() const {
  std::lock_guard lock(mu_);
  return apps_.empty() ? nullptr : apps_.begin()->second;
}

std::uint32_t Registry::add_line(const std::shared_ptr<Application>& app) {
  std::lock_guard lock(mu_);
  const std::uint32_t h = next_handle(next_line_, lines_);
  lines_.emplace(h, app);
  return h;
}

std::shared_ptr<Application> Registry::line_owner(std::uint32_t hline) const {
  std::lock_guard lock(mu_);
  const auto it = lines_.find(hline);
  return it == lines_.end() ? nullptr : it->second.lock();
}

void Registry::remove_lines(const std::vector<std::uint32_t>& hlines) {
  std::lock_guard lock(mu_);
  for (const auto h : hlines) lines_.erase(h);
}

std::uint32_t Registry::add_call(const std::shared_ptr<Application>& app) {
  std::lock_guard lock(mu_);
  const std::uint32_t h = next_handle(next_call_, calls_);
  calls_.emplace(h, app);
  return h;
}

std::shared_ptr<Application> Registry::call_owner(std::uint32_t hcall) const {
  std::lock_guard lock(mu_);
  const auto it = calls_.find(hcall);
  return it == calls_.end() ? nullptr : it->second.lock();
}

void Registry::remove_call(std::uint32_t hcall) noexcept {
  std::lock_guard lock(mu_);
  calls_.erase(hcall);
}

void Registry::remove_calls(const std::vector<std::uint32_t>& hcalls) {
  std::lock_guard lock(mu_);
  for (const auto h : hcalls) calls_.erase(h);
}

}  // namespace opentapi::client
