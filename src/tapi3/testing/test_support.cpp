#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

// The code and object of an event, whatever its interface.
void describe(TAPI_EVENT kind, IDispatch* event, SeenEvent* seen) {
  IUnknown* object = nullptr;
  switch (kind) {
    case TE_AGENT: {
      auto e = query<ITAgentEvent>(event, IID_ITAgentEvent);
      AGENT_EVENT code{};
      ITAgent* a = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_Agent(&a))) {
        seen->code = code;
        object = a;
      }
      break;
    }
    case TE_AGENTSESSION: {
      auto e = query<ITAgentSessionEvent>(event, IID_ITAgentSessionEvent);
      AGENT_SESSION_EVENT code{};
      ITAgentSession* s = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_Session(&s))) {
        seen->code = code;
        object = s;
      }
      break;
    }
    case TE_ACDGROUP: {
      auto e = query<ITACDGroupEvent>(event, IID_ITACDGroupEvent);
      ACDGROUP_EVENT code{};
      ITACDGroup* g = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_Group(&g))) {
        seen->code = code;
        object = g;
      }
      break;
    }
    case TE_QUEUE: {
      auto e = query<ITQueueEvent>(event, IID_ITQueueEvent);
      ACDQUEUE_EVENT code{};
      ITQueue* q = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_Queue(&q))) {
        seen->code = code;
        object = q;
      }
      break;
    }
    case TE_AGENTHANDLER: {
      auto e = query<ITAgentHandlerEvent>(event, IID_ITAgentHandlerEvent);
      AGENTHANDLER_EVENT code{};
      ITAgentHandler* h = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_AgentHandler(&h))) {
        seen->code = code;
        object = h;
      }
      break;
    }
    case TE_ADDRESS: {
      auto e = query<ITAddressEvent>(event, IID_ITAddressEvent);
      ADDRESS_EVENT code{};
      ITAddress* a = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_Address(&a))) {
        seen->code = code;
        object = a;
      }
      break;
    }
    case TE_CALLSTATE: {
      auto e = query<ITCallStateEvent>(event, IID_ITCallStateEvent);
      CALL_STATE state{};
      CALL_STATE_EVENT_CAUSE cause{};
      ITCallInfo* call = nullptr;
      if (e && SUCCEEDED(e->get_State(&state)) && SUCCEEDED(e->get_Cause(&cause)) &&
          SUCCEEDED(e->get_CallbackInstance(&seen->instance)) && SUCCEEDED(e->get_Call(&call))) {
        seen->code = state;
        seen->cause = cause;
        object = call;
      }
      break;
    }
    case TE_CALLNOTIFICATION: {
      auto e = query<ITCallNotificationEvent>(event, IID_ITCallNotificationEvent);
      CALL_NOTIFICATION_EVENT code{};
      ITCallInfo* call = nullptr;
      if (e && SUCCEEDED(e->get_Event(&code)) && SUCCEEDED(e->get_CallbackInstance(&seen->instance)) &&
          SUCCEEDED(e->get_Call(&call))) {
        seen->code = code;
        object = call;
      }
      break;
    }
    case TE_CALLINFOCHANGE: {
      auto e = query<ITCallInfoChangeEvent>(event, IID_ITCallInfoChangeEvent);
      CALLINFOCHANGE_CAUSE cause{};
      ITCallInfo* call = nullptr;
      if (e && SUCCEEDED(e->get_Cause(&cause)) && SUCCEEDED(e->get_CallbackInstance(&seen->instance)) &&
          SUCCEEDED(e->get_Call(&call))) {
        seen->code = cause;
        object = call;
      }
      break;
    }
    default:
      break;
  }
  if (object != nullptr) {
    IUnknown* identity = nullptr;
    if (SUCCEEDED(object->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&identity)))) {
      seen->object = identity;  // released by ~RecordingSink
    }
    object->Release();
  }
}

}  // namespace

HRESULT RecordingSink::Event(TAPI_EVENT kind, IDispatch* event) {
  SeenEvent seen{kind};
  describe(kind, event, &seen);
  {
    std::lock_guard lock(mu_);
    events_.push_back(seen);
    last_thread_ = std::this_thread::get_id();
  }
  cv_.notify_all();
  if (on_event) on_event(kind, event);
  return S_OK;
}

void TapiTest::SetUp() {
  ASSERT_EQ(live_object_count().load(), 0) << "an earlier test leaked COM objects";
  ASSERT_EQ(live_engine_count().load(), 0) << "an earlier test leaked an engine";
}

void TapiTest::TearDown() {
  if (tapi_) tapi_->Shutdown();
  tapi_.reset();
  if (check_leaks_) {
    EXPECT_EQ(live_object_count().load(), 0) << "COM objects leaked";
    EXPECT_EQ(live_engine_count().load(), 0) << "engine leaked";
  }
}

void TapiTest::create(EngineOptions options) {
  auto fake = fake_;
  ASSERT_EQ(create_tapi_object([fake] { return fake; }, options, IID_ITTAPI, reinterpret_cast<void**>(tapi_.out())),
            S_OK);
}

void TapiTest::initialize(EngineOptions options) {
  create(options);
  ASSERT_EQ(tapi_->Initialize(), S_OK);
}

Ref<ITTAPICallCenter> TapiTest::call_center() { return query<ITTAPICallCenter>(tapi_.get(), IID_ITTAPICallCenter); }

Ref<ITAgentHandler> TapiTest::handler(ULONG index) {
  auto cc = call_center();
  Ref<IEnumAgentHandler> e;
  if (!cc || FAILED(cc->EnumerateAgentHandlers(e.out()))) return {};
  if (index > 0) e->Skip(index);
  Ref<ITAgentHandler> h;
  if (e->Next(1, h.out(), nullptr) != S_OK) return {};
  return h;
}

Ref<ITAgent> TapiTest::agent() {
  auto h = handler();
  Ref<ITAgent> a;
  if (!h || FAILED(h->CreateAgent(a.out()))) return {};
  return a;
}

Ref<ITACDGroup> TapiTest::group(ITAgentHandler* h, ULONG index) {
  Ref<IEnumACDGroup> e;
  if (FAILED(h->EnumerateACDGroups(e.out()))) return {};
  if (index > 0) e->Skip(index);
  Ref<ITACDGroup> g;
  if (e->Next(1, g.out(), nullptr) != S_OK) return {};
  return g;
}

Ref<ITAddress> TapiTest::address(ITAgentHandler* h, ULONG index) {
  Ref<IEnumAddress> e;
  if (FAILED(h->EnumerateUsableAddresses(e.out()))) return {};
  if (index > 0) e->Skip(index);
  Ref<ITAddress> a;
  if (e->Next(1, a.out(), nullptr) != S_OK) return {};
  return a;
}

Ref<ITAgentSession> TapiTest::session(Ref<ITAgent>* agent_out) {
  auto h = handler();
  if (!h) return {};
  Ref<ITAgent> a;
  if (FAILED(h->CreateAgent(a.out()))) return {};
  auto g = group(h.get());
  auto addr = address(h.get());
  if (!g || !addr) return {};
  Ref<ITAgentSession> s;
  if (FAILED(a->CreateSession(g.get(), addr.get(), s.out()))) return {};
  fake_->drain();
  if (agent_out != nullptr) *agent_out = std::move(a);
  return s;
}

RecordingSink* TapiTest::advise(LONG filter) {
  auto container = query<IConnectionPointContainer>(tapi_.get(), IID_IConnectionPointContainer);
  Ref<IConnectionPoint> cp;
  EXPECT_EQ(container->FindConnectionPoint(IID_ITTAPIEventNotification, cp.out()), S_OK);
  sink_ = new RecordingSink();
  EXPECT_EQ(cp->Advise(sink_, &cookie_), S_OK);
  sink_->Release();  // the connection point holds it now
  EXPECT_EQ(tapi_->put_EventFilter(filter), S_OK);
  return sink_;
}

bool TapiTest::settle() {
  if (!fake_->drain(std::chrono::seconds(10))) return false;
  // TapiObject is the only implementation of ITTAPI.
  const auto engine = static_cast<TapiObject*>(tapi_.get())->ready_engine();
  return engine == nullptr || engine->dispatcher().wait_idle(std::chrono::seconds(10));
}

}  // namespace opentapi::tapi3::testing
