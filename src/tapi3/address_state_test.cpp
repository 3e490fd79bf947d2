// The address state across a lost server (docs/porting.md "Address state"):
// LINE_LINEDEVSTATE OUTOFSERVICE / INSERVICE on a line the layer opened
// become ITAddressEvent AE_STATE (TE_ADDRESS) on its addresses, and
// ITAddress::get_State follows them.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

class AddressStateTest : public TapiTest {
 protected:
  // The state, or -1 if get_State wrote none (an ADDRESS_STATE is an int).
  static int state_of(ITAddress* address) {
    int raw = -1;
    static_assert(sizeof(ADDRESS_STATE) == sizeof(int));
    EXPECT_EQ(address->get_State(reinterpret_cast<ADDRESS_STATE*>(&raw)), S_OK);
    return raw;
  }
  IUnknown* identity(ITAddress* address) { return query<IUnknown>(address, IID_IUnknown).get(); }
};

TEST_F(AddressStateTest, EveryLineOpenAsksForOutOfServiceAndInService) {
  initialize();
  EXPECT_EQ(fake_->line_states(line_of(0)), LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE);
  EXPECT_EQ(fake_->line_states(line_of(1)), LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE);
  EXPECT_EQ(fake_->count("set_status_messages"), 2);
}

TEST_F(AddressStateTest, ALineThatRefusesTheMessagesStillInitializes) {
  fake_->status_messages_result = LINEERR_INVALLINESTATE;
  initialize();
  auto a = address(handler().get());
  ASSERT_TRUE(a);
  EXPECT_EQ(state_of(a.get()), AS_INSERVICE);
}

TEST_F(AddressStateTest, OutOfServiceThenInServiceAreAddressStateEvents) {
  initialize();
  auto h = handler();
  auto first = address(h.get(), 0);
  auto second = address(h.get(), 1);
  ASSERT_TRUE(first && second);
  RecordingSink* sink = advise(TE_ADDRESS);
  // The state as the program reads it inside Event().
  std::mutex mu;
  std::condition_variable seen_cv;
  std::vector<int> seen_states;
  std::vector<HRESULT> terminal_results;
  std::vector<bool> terminal_null;
  sink->on_event = [&](TAPI_EVENT, IDispatch* event) {
    auto e = query<ITAddressEvent>(event, IID_ITAddressEvent);
    if (!e) return;
    Ref<ITAddress> a;
    int state = -1;
    if (SUCCEEDED(e->get_Address(a.out()))) state = state_of(a.get());
    ITTerminal* terminal = reinterpret_cast<ITTerminal*>(1);
    const HRESULT hr = e->get_Terminal(&terminal);
    std::lock_guard lock(mu);
    seen_states.push_back(state);
    terminal_results.push_back(hr);
    terminal_null.push_back(terminal == nullptr);
    seen_cv.notify_all();
  };

  // The sink records an event before it runs on_event: wait for the
  // handler to have looked, so that it reads the state of its own event
  // (get_State says the state now, not at the event).
  auto wait_seen = [&](std::size_t n) {
    std::unique_lock lock(mu);
    return seen_cv.wait_for(lock, std::chrono::seconds(5), [&] { return seen_states.size() >= n; });
  };
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_OUTOFSERVICE, 0, 0);
  ASSERT_TRUE(sink->wait_for(1));
  ASSERT_TRUE(wait_seen(1));
  EXPECT_EQ(state_of(first.get()), AS_OUTOFSERVICE);
  EXPECT_EQ(state_of(second.get()), AS_INSERVICE);  // the other line was not lost

  // Said again (a stepping-down node, then the resume): no second event.
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_OUTOFSERVICE, 0, 0);
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_INSERVICE, 0, 0);
  ASSERT_TRUE(sink->wait_for(2));
  ASSERT_TRUE(settle());
  EXPECT_EQ(state_of(first.get()), AS_INSERVICE);

  const auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) {
    EXPECT_EQ(e.kind, TE_ADDRESS);
    EXPECT_EQ(e.code, AE_STATE);
    EXPECT_EQ(e.object, identity(first.get()));  // the very object the program holds
  }
  ASSERT_TRUE(wait_seen(2));
  std::lock_guard lock(mu);
  EXPECT_EQ(seen_states, (std::vector<int>{AS_OUTOFSERVICE, AS_INSERVICE}));
  EXPECT_EQ(terminal_results, (std::vector<HRESULT>{S_OK, S_OK}));
  EXPECT_EQ(terminal_null, (std::vector<bool>{true, true}));
}

// Back in service after a resume, the agents and sessions read their state
// again (docs/ha.md "Status messages replayed"): a change made while the
// line was away that no status message brought (the event log no longer
// held it) fires its event once; a state that did not change fires none.
TEST_F(AddressStateTest, BackInServiceSessionsReadTheirStateAgain) {
  initialize();
  Ref<ITAgent> agent;
  auto s = session(&agent);
  ASSERT_TRUE(s);
  RecordingSink* sink = advise(TE_AGENTSESSION | TE_AGENT);
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_OUTOFSERVICE, 0, 0);
  ASSERT_TRUE(settle());
  LINEAGENTSESSIONINFO info{};
  info.dwTotalSize = sizeof info;
  info.dwAgentSessionState = LINEAGENTSESSIONSTATE_READY;
  fake_->set_session_info(kFirstSession, info);
  const int reads = fake_->count("get_agent_session_info");
  const int agent_reads = fake_->count("get_agent_info");
  // Only the session's state changed: only its event (the agent's comes
  // only if its state differs, which is not this test's business).
  const auto session_events = [&] {
    std::vector<SeenEvent> out;
    for (const auto& e : sink->events()) {
      if (e.kind == TE_AGENTSESSION) out.push_back(e);
    }
    return out;
  };
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_INSERVICE, 0, 0);
  ASSERT_TRUE(eventually([&] { return !session_events().empty(); }));
  ASSERT_TRUE(eventually([&] { return fake_->count("get_agent_info") > agent_reads; }));
  ASSERT_TRUE(settle());
  EXPECT_EQ(fake_->count("get_agent_session_info"), reads + 1);
  AGENT_SESSION_STATE state = ASST_NOT_READY;
  EXPECT_EQ(s->get_State(&state), S_OK);
  EXPECT_EQ(state, ASST_READY);
  auto events = session_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].code, ASE_READY);
  EXPECT_EQ(events[0].object, query<IUnknown>(s.get(), IID_IUnknown).get());
  const std::size_t total = sink->events().size();

  // Lost and back again without a change: read again, nothing fired.
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_OUTOFSERVICE, 0, 0);
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_INSERVICE, 0, 0);
  ASSERT_TRUE(settle());
  ASSERT_TRUE(eventually([&] {
    return fake_->count("get_agent_session_info") >= reads + 2 && fake_->count("get_agent_info") >= agent_reads + 2;
  }));
  ASSERT_TRUE(settle());
  EXPECT_EQ(sink->events().size(), total);
}

TEST_F(AddressStateTest, InServiceWhileInServiceSaysNothing) {
  initialize();
  RecordingSink* sink = advise(TE_ADDRESS | TE_AGENTHANDLER);
  fake_->post(LINE_LINEDEVSTATE, line_of(1), LINEDEVSTATE_INSERVICE, 0, 0);
  ASSERT_TRUE(settle());
  EXPECT_TRUE(sink->events().empty());
}

TEST_F(AddressStateTest, WithoutTeAddressInTheFilterOnlyTheStateChanges) {
  initialize();
  auto a = address(handler().get());
  ASSERT_TRUE(a);
  RecordingSink* sink = advise(TE_AGENTHANDLER | TE_AGENT | TE_AGENTSESSION);
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_OUTOFSERVICE, 0, 0);
  ASSERT_TRUE(settle());
  EXPECT_EQ(state_of(a.get()), AS_OUTOFSERVICE);
  EXPECT_TRUE(sink->events().empty());
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_INSERVICE, 0, 0);
  ASSERT_TRUE(settle());
  EXPECT_EQ(state_of(a.get()), AS_INSERVICE);
  EXPECT_TRUE(sink->events().empty());
}

TEST_F(AddressStateTest, AddressEventIsItsOwnInterface) {
  initialize();
  auto a = address(handler().get());
  ASSERT_TRUE(a);
  RecordingSink* sink = advise(TE_ADDRESS);
  Ref<IDispatch> kept;
  std::mutex mu;
  std::condition_variable kept_cv;
  sink->on_event = [&](TAPI_EVENT, IDispatch* event) {
    event->AddRef();
    std::lock_guard lock(mu);
    *kept.out() = event;
    kept_cv.notify_all();
  };
  fake_->post(LINE_LINEDEVSTATE, line_of(0), LINEDEVSTATE_OUTOFSERVICE, 0, 0);
  ASSERT_TRUE(sink->wait_for(1));
  ASSERT_TRUE(settle());
  // The sink records an event before it runs on_event.
  std::unique_lock lock(mu);
  ASSERT_TRUE(kept_cv.wait_for(lock, std::chrono::seconds(5), [&] { return static_cast<bool>(kept); }));
  EXPECT_TRUE(query<ITAddressEvent>(kept.get(), IID_ITAddressEvent));
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(kept->QueryInterface(IID_ITAgentEvent, &p), E_NOINTERFACE);
  EXPECT_EQ(p, nullptr);
  auto e = query<ITAddressEvent>(kept.get(), IID_ITAddressEvent);
  EXPECT_EQ(e->get_Event(nullptr), E_POINTER);
  EXPECT_EQ(e->get_Address(nullptr), E_POINTER);
  EXPECT_EQ(e->get_Terminal(nullptr), E_POINTER);
  ADDRESS_EVENT code = AE_LASTITEM;
  EXPECT_EQ(e->get_Event(&code), S_OK);
  EXPECT_EQ(code, AE_STATE);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
