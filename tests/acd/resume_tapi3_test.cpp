// The TAPI 3 side of "Handles survive" (docs/ha.md, docs/porting.md "Address
// state"): a TAPI object initialized against a single opentapid keeps its
// ITAddress objects while the server is killed and started again on the same
// data directory, and each address reports the gap as ITAddressEvent
// AE_STATE (TE_ADDRESS), AS_OUTOFSERVICE then AS_INSERVICE.
#include <gtest/gtest.h>
#include <signal.h>
#include <tapi3.h>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <regex>
#include <vector>

#include "harness.h"
#include "support/opentapid.h"

namespace acd_test {
namespace {

// What the program saw: the event code, the address, and its state read
// inside Event().
struct AddressSeen {
  int code = -1;
  IUnknown* address = nullptr;  // identity; not kept alive (compared only)
  int state = -1;
};

class AddressSink final : public ITTAPIEventNotification {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_ITTAPIEventNotification)) {
      *ppv = static_cast<ITTAPIEventNotification*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return 2; }  // lives on the test's stack
  ULONG STDMETHODCALLTYPE Release() override { return 1; }

  HRESULT STDMETHODCALLTYPE Event(TAPI_EVENT kind, IDispatch* event) override {
    if (kind != TE_ADDRESS) return S_OK;
    ITAddressEvent* e = nullptr;
    if (FAILED(event->QueryInterface(IID_ITAddressEvent, reinterpret_cast<void**>(&e)))) return S_OK;
    AddressSeen seen;
    ADDRESS_EVENT code = AE_LASTITEM;
    ITAddress* address = nullptr;
    if (SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_Address(&address))) {
      seen.code = code;
      ADDRESS_STATE state = AS_INSERVICE;
      if (SUCCEEDED(address->get_State(&state))) seen.state = state;
      IUnknown* identity = nullptr;
      if (SUCCEEDED(address->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&identity)))) {
        seen.address = identity;
        identity->Release();
      }
      address->Release();
    }
    e->Release();
    std::lock_guard lock(mu_);
    seen_.push_back(seen);
    cv_.notify_all();
    return S_OK;
  }

  // Waits until n events with `state` arrived.
  bool wait_for(std::size_t n, int state, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      std::size_t count = 0;
      for (const auto& s : seen_) count += s.state == state ? 1 : 0;
      return count >= n;
    });
  }
  std::vector<AddressSeen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<AddressSeen> seen_;
};

class ResumeTapi3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.path() + "/callcenter.toml";
    std::ofstream(config_) << R"(
[server]
lines = 2
addresses_per_line = 2

[[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"
)";
    socket_ = dir_.path() + "/s.sock";
    ::setenv("OPENTAPI_SERVER", ("unix:" + socket_).c_str(), 1);
    ::setenv("OPENTAPI_RESUME_SECONDS", "30", 1);
  }
  void TearDown() override {
    ::unsetenv("OPENTAPI_RESUME_SECONDS");
    if (server_ && server_->running()) server_->kill_now();
  }
  void start_server() {
    server_ = std::make_unique<opentapi::test_support::Opentapid>(
        std::vector<std::string>{"--listen", "unix:" + socket_, "--store", "sqlite:" + dir_.path() + "/data",
                                 "--config", config_, "--no-simulator", "--summary-interval", "0"},
        dir_.path() + "/opentapid." + std::to_string(++starts_) + ".log");
    ASSERT_TRUE(server_->wait_listening(socket_, 30s)) << server_->log();
    ASSERT_TRUE(server_->wait_for_log(std::regex("event=acd-connected"), nullptr, 30s)) << server_->log();
  }

  TempDir dir_;
  std::string config_;
  std::string socket_;
  std::unique_ptr<opentapi::test_support::Opentapid> server_;
  int starts_ = 0;
};

// The program's COM references, released (and the TAPI object shut down)
// even when an assertion ends the test early; declared after the sink, so
// gone before it.
struct Program {
  ITTAPI* tapi = nullptr;
  IConnectionPointContainer* cpc = nullptr;
  IConnectionPoint* cp = nullptr;
  DWORD cookie = 0;
  std::vector<ITAddress*> addresses;
  ~Program() {
    for (ITAddress* a : addresses) a->Release();
    if (cp != nullptr && cookie != 0) cp->Unadvise(cookie);
    if (cp != nullptr) cp->Release();
    if (cpc != nullptr) cpc->Release();
    if (tapi != nullptr) {
      tapi->Shutdown();
      tapi->Release();
    }
    CoUninitialize();
  }
};

TEST_F(ResumeTapi3Test, AddressesGoOutOfServiceAndBackAcrossARestart) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  ASSERT_EQ(CoInitializeEx(nullptr, COINIT_MULTITHREADED), S_OK);
  AddressSink sink;
  Program p;
  ASSERT_EQ(CoCreateInstance(CLSID_TAPI, nullptr, CLSCTX_INPROC_SERVER, IID_ITTAPI, reinterpret_cast<void**>(&p.tapi)),
            S_OK);
  ASSERT_EQ(p.tapi->Initialize(), S_OK);
  ASSERT_EQ(p.tapi->QueryInterface(IID_IConnectionPointContainer, reinterpret_cast<void**>(&p.cpc)), S_OK);
  ASSERT_EQ(p.cpc->FindConnectionPoint(IID_ITTAPIEventNotification, &p.cp), S_OK);
  ASSERT_EQ(p.cp->Advise(&sink, &p.cookie), S_OK);
  ASSERT_EQ(p.tapi->put_EventFilter(TE_ADDRESS), S_OK);

  // Every address the program holds (every address of every line), all in
  // service.
  IEnumAddress* list = nullptr;
  ASSERT_EQ(p.tapi->EnumerateAddresses(&list), S_OK);
  for (ITAddress* a = nullptr; list->Next(1, &a, nullptr) == S_OK;) p.addresses.push_back(a);
  list->Release();
  const auto& addresses = p.addresses;
  ASSERT_GE(addresses.size(), 4u);  // at least the 2 ACD lines x 2 addresses
  for (ITAddress* a : addresses) {
    ADDRESS_STATE state = AS_OUTOFSERVICE;
    EXPECT_EQ(a->get_State(&state), S_OK);
    EXPECT_EQ(state, AS_INSERVICE);
  }

  server_->kill_now();
  ASSERT_TRUE(sink.wait_for(addresses.size(), AS_OUTOFSERVICE, 10s));
  for (ITAddress* a : addresses) {
    ADDRESS_STATE state = AS_INSERVICE;
    EXPECT_EQ(a->get_State(&state), S_OK);
    EXPECT_EQ(state, AS_OUTOFSERVICE);
  }
  ASSERT_NO_FATAL_FAILURE(start_server());
  ASSERT_TRUE(sink.wait_for(addresses.size(), AS_INSERVICE, 30s));
  for (ITAddress* a : addresses) {
    ADDRESS_STATE state = AS_OUTOFSERVICE;
    EXPECT_EQ(a->get_State(&state), S_OK);
    EXPECT_EQ(state, AS_INSERVICE);
  }

  // One AE_STATE per address each way, on the objects the program holds.
  const auto seen = sink.seen();
  ASSERT_EQ(seen.size(), 2 * addresses.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].code, AE_STATE);
    EXPECT_EQ(seen[i].state, i < addresses.size() ? AS_OUTOFSERVICE : AS_INSERVICE) << i;
  }
  for (ITAddress* a : addresses) {
    IUnknown* identity = nullptr;
    ASSERT_EQ(a->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&identity)), S_OK);
    identity->Release();
    int count = 0;
    for (const auto& s : seen) count += s.address == identity ? 1 : 0;
    EXPECT_EQ(count, 2);
  }
}

}  // namespace
}  // namespace acd_test
