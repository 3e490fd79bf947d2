// No exception crosses a COM boundary (STYLE.md): every allocation a method
// makes on the caller's thread is failed in turn, and the method must answer
// E_OUTOFMEMORY (or S_OK when the failure was absorbed), leak nothing, hand
// out nothing, and leave the objects usable.
#include <cstdlib>
#include <new>

#include "tapi3/testing/test_support.h"

// Replaced for this test program: the n-th allocation of an armed thread throws.
void* operator new(std::size_t size) {
  long& countdown = opentapi::tapi3::testing::injected_failure_countdown();
  if (countdown > 0 && --countdown == 0) throw std::bad_alloc();
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace opentapi::tapi3::testing {
namespace {

// Runs `call` with the n-th allocation failing, for n = 1, 2, ... until it
// makes no more allocations; `check` sees each result. Returns how many
// allocations were failed.
template <class Call, class Check>
long fail_each_allocation(Call call, Check check) {
  for (long n = 1; n < 4000; ++n) {
    injected_failure_countdown() = n;
    const HRESULT hr = call();
    const bool failed = injected_failure_countdown() == 0;
    injected_failure_countdown() = -1;
    check(hr, failed, n);
    if (!failed) return n - 1;  // the call ran to its end without hitting the failure
  }
  ADD_FAILURE() << "the call never completed";
  return 0;
}

class OutOfMemory : public TapiTest {
 protected:
  void SetUp() override {
    TapiTest::SetUp();
    initialize();
  }
};

TEST_F(OutOfMemory, InitializeUndoesItselfWhenMemoryRunsOut) {
  const long points = fail_each_allocation(
      [&] {
        Ref<ITTAPI> tapi;
        std::shared_ptr<FakeTapi2> fake;
        HRESULT hr = E_FAIL;
        {
          NoInjectedFailures setup;
          fake = std::make_shared<FakeTapi2>();
          if (FAILED(
                  create_tapi_object([fake] { return fake; }, {}, IID_ITTAPI, reinterpret_cast<void**>(tapi.out())))) {
            return E_FAIL;
          }
        }
        hr = tapi->Initialize();
        NoInjectedFailures teardown;
        if (hr == S_OK) tapi->Shutdown();
        return hr;
      },
      [](HRESULT hr, bool failed, long n) {
        if (failed) {
          EXPECT_TRUE(hr == E_OUTOFMEMORY || hr == S_OK) << n << " " << std::hex << hr;
        } else {
          EXPECT_EQ(hr, S_OK);
        }
      });
  EXPECT_GT(points, 20);
}

TEST_F(OutOfMemory, CreatingAgentsAndSessions) {
  auto h = handler();
  auto g = group(h.get());
  auto a = address(h.get());
  const long points = fail_each_allocation(
      [&] {
        Ref<ITAgent> agent;
        const HRESULT hr = h->CreateAgent(agent.out());
        if (SUCCEEDED(hr) != static_cast<bool>(agent)) return E_FAIL;  // an object only with S_OK
        if (FAILED(hr)) return hr;
        Ref<ITAgentSession> s;
        const HRESULT hs = agent->CreateSession(g.get(), a.get(), s.out());
        if (SUCCEEDED(hs) != static_cast<bool>(s)) return E_FAIL;
        return hs;
      },
      [](HRESULT hr, bool failed, long n) {
        EXPECT_TRUE(hr == S_OK || (failed && hr == E_OUTOFMEMORY)) << n << " " << std::hex << hr;
      });
  EXPECT_GT(points, 10);
}

TEST_F(OutOfMemory, EnumeratorsCollectionsAndStatistics) {
  auto h = handler();
  auto s = session();
  ASSERT_TRUE(s);
  const auto accept = [](HRESULT hr, bool failed, long n) {
    EXPECT_TRUE(hr == S_OK || (failed && hr == E_OUTOFMEMORY)) << n << " " << std::hex << hr;
  };
  fail_each_allocation(
      [&] {
        Ref<IEnumACDGroup> e;
        return h->EnumerateACDGroups(e.out());
      },
      accept);
  fail_each_allocation(
      [&] {
        VARIANT v;
        const HRESULT hr = h->get_UsableAddresses(&v);
        if (SUCCEEDED(hr)) VariantClear(&v);
        return hr;
      },
      accept);
  fail_each_allocation(
      [&] {
        Ref<IEnumAgentHandler> e;
        HRESULT hr = call_center()->EnumerateAgentHandlers(e.out());
        if (FAILED(hr)) return hr;
        Ref<IEnumAgentHandler> clone;
        return e->Clone(clone.out());
      },
      accept);
  fail_each_allocation(
      [&] {
        LONG calls = 0;
        return s->get_NumberOfCalls(&calls);
      },
      accept);
  fail_each_allocation([&] { return s->put_State(ASST_READY); },
                       [](HRESULT hr, bool failed, long n) {
                         // READY twice is success without a change at the proxy.
                         EXPECT_TRUE(hr == S_OK || (failed && hr == E_OUTOFMEMORY)) << n << " " << std::hex << hr;
                       });
  fail_each_allocation(
      [&] {
        auto cpc = query<IConnectionPointContainer>(tapi_.get(), IID_IConnectionPointContainer);
        Ref<IConnectionPoint> cp;
        HRESULT hr = cpc->FindConnectionPoint(IID_ITTAPIEventNotification, cp.out());
        if (FAILED(hr)) return hr;
        RecordingSink* sink = nullptr;
        {
          NoInjectedFailures test_code;
          sink = new RecordingSink();
        }
        DWORD cookie = 0;
        hr = cp->Advise(sink, &cookie);
        sink->Release();
        if (SUCCEEDED(hr)) cp->Unadvise(cookie);
        return hr;
      },
      accept);
  // Still fully usable afterwards.
  EXPECT_EQ(s->put_State(ASST_NOT_READY), S_OK);
}

class CallsOutOfMemory : public TapiTest {
 protected:
  void SetUp() override {
    TapiTest::SetUp();
    fake_->lines[0] = {L"Station 2001", {L"2001"}};
    initialize();
    Ref<IEnumAddress> e;
    ASSERT_EQ(tapi_->EnumerateAddresses(e.out()), S_OK);
    ASSERT_EQ(e->Next(1, address_.out(), nullptr), S_OK);
  }
  void TearDown() override {
    address_.reset();
    TapiTest::TearDown();
  }
  Ref<ITAddress> address_;
};

TEST_F(CallsOutOfMemory, MakingReadingListingAndDroppingCalls) {
  const auto accept = [](HRESULT hr, bool failed, long n) {
    EXPECT_TRUE(hr == S_OK || (failed && hr == E_OUTOFMEMORY)) << n << " " << std::hex << hr;
  };
  BSTR dest = SysAllocString(L"2002");
  const long points = fail_each_allocation(
      [&] {
        Ref<ITBasicCallControl> call;
        HRESULT hr = address_->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER, TAPIMEDIATYPE_AUDIO, call.out());
        if (SUCCEEDED(hr) != static_cast<bool>(call)) return E_FAIL;  // an object only with S_OK
        if (FAILED(hr)) return hr;
        // Whatever failed, the call ends: calls left live would grow every round.
        struct HangUp {
          ITBasicCallControl* call;
          ~HangUp() {
            NoInjectedFailures cleanup;
            call->Disconnect(DC_NORMAL);
          }
        } hang_up{call.get()};
        if (FAILED(hr = call->Connect(VARIANT_FALSE))) return hr;
        auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
        if (!info) return E_OUTOFMEMORY;  // QueryInterface does not allocate; keeps the check honest
        BSTR number = nullptr;
        if (FAILED(hr = info->get_CallInfoString(CIS_CALLEDIDNUMBER, &number))) return hr;
        SysFreeString(number);
        Ref<IEnumCall> calls;
        if (FAILED(hr = address_->EnumerateCalls(calls.out()))) return hr;
        return call->Disconnect(DC_NORMAL);
      },
      accept);
  SysFreeString(dest);
  EXPECT_GT(points, 5);
  // Still fully usable afterwards.
  auto caps = query<ITAddressCapabilities>(address_.get(), IID_ITAddressCapabilities);
  LONG types = 0;
  EXPECT_EQ(caps->get_AddressCapability(AC_ADDRESSTYPES, &types), S_OK);
}

TEST_F(CallsOutOfMemory, RegisteringForCallsAndReadingCapabilities) {
  const auto accept = [](HRESULT hr, bool failed, long n) {
    EXPECT_TRUE(hr == S_OK || (failed && hr == E_OUTOFMEMORY)) << n << " " << std::hex << hr;
  };
  fail_each_allocation(
      [&] {
        LONG reg = 0;
        const HRESULT hr =
            tapi_->RegisterCallNotifications(address_.get(), VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 0, &reg);
        if (FAILED(hr)) return hr;
        return tapi_->UnregisterNotifications(reg);
      },
      accept);
  auto caps = query<ITAddressCapabilities>(address_.get(), IID_ITAddressCapabilities);
  fail_each_allocation(
      [&] {
        VARIANT v;
        HRESULT hr = caps->get_DeviceClasses(&v);
        if (SUCCEEDED(hr)) VariantClear(&v);
        if (FAILED(hr)) return hr;
        Ref<IEnumBstr> e;
        return caps->EnumerateDeviceClasses(e.out());
      },
      accept);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
