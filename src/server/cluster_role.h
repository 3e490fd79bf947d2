// Whether this opentapid serves its call center or stands by for it
// (docs/ha.md "Cluster ownership"). opentapid's cluster loop sets it as the
// lease comes and goes; the Switchboard reads it at every Hello, on the
// server's thread, so it is guarded by its own mutex.
//
// A node that is not the owner refuses Hello with LINEERR_REINIT and names
// the owner's endpoint (wire::Error.owner), so libopentapi can go there.
#ifndef OPENTAPI_SERVER_CLUSTER_ROLE_H_
#define OPENTAPI_SERVER_CLUSTER_ROLE_H_

#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace opentapi::server {

class ClusterRole {
 public:
  explicit ClusterRole(std::string call_center) : call_center_(std::move(call_center)) {}

  // Serving: every Hello is accepted.
  void set_owner() {
    std::lock_guard lock(mu_);
    owner_ = true;
    owner_endpoint_.clear();
    owner_name_.clear();
  }
  // Standing by: Hello is refused, naming `endpoint` ("" = not known, e.g.
  // nobody holds the call center now) and the owning node's name.
  void set_standby(std::string endpoint, std::string name) {
    std::lock_guard lock(mu_);
    owner_ = false;
    owner_endpoint_ = std::move(endpoint);
    owner_name_ = std::move(name);
  }

  struct Refusal {
    std::string text;   // for Error.text and the log
    std::string owner;  // for Error.owner
  };
  // Why a Hello is refused now; nullopt while this node is the owner.
  std::optional<Refusal> refusal() const {
    std::lock_guard lock(mu_);
    if (owner_) return std::nullopt;
    Refusal r;
    r.owner = owner_endpoint_;
    r.text = "this opentapid is a standby for call center " + call_center_ + "; ";
    if (owner_name_.empty()) {
      r.text += "no node owns it at the moment (try again shortly)";
    } else {
      r.text += "it is owned by " + owner_name_ + (owner_endpoint_.empty() ? "" : " at " + owner_endpoint_);
    }
    return r;
  }

  const std::string& call_center() const { return call_center_; }

 private:
  const std::string call_center_;
  mutable std::mutex mu_;
  bool owner_ = false;
  std::string owner_endpoint_;
  std::string owner_name_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_CLUSTER_ROLE_H_
