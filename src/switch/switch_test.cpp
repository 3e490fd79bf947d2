#include "switch/switch.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace opentapi::switching {
namespace {

constexpr std::uint32_t kInvalCallHandle = 0x80000018;
constexpr std::uint32_t kInvalCallState = 0x8000001C;
constexpr std::uint32_t kInvalAddress = 0x80000010;
constexpr std::uint32_t kResourceUnavail = 0x8000004B;
constexpr std::uint32_t kCallUnavail = 0x80000005;

std::uint32_t code(const Status& s) { return static_cast<std::uint32_t>(s.code()); }
template <typename T>
std::uint32_t code(const Result<T>& r) {
  return static_cast<std::uint32_t>(r.code());
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

std::string where(AddressRef a) { return std::to_string(a.device) + "." + std::to_string(a.address); }

// One line per event, so a whole sequence is compared at once.
std::vector<std::string> lines(const Events& events) {
  std::vector<std::string> out;
  for (const CallEvent& e : events) {
    const std::string c = "c" + std::to_string(e.call);
    switch (e.kind) {
      case CallEvent::Kind::kCreated:
        out.push_back("new " + c + " " + where(e.address) + " " + std::string(to_string(e.state)) + " " + hex(e.mode));
        break;
      case CallEvent::Kind::kState:
        out.push_back(c + " " + std::string(to_string(e.state)) + " " + hex(e.mode));
        break;
      case CallEvent::Kind::kInfo:
        out.push_back("info " + c + " " + hex(e.info));
        break;
      case CallEvent::Kind::kAddressCalls:
        out.push_back("calls " + where(e.address) + " active " + std::to_string(e.before.active) + "->" +
                      std::to_string(e.after.active) + " held " + std::to_string(e.before.on_hold) + "->" +
                      std::to_string(e.after.on_hold));
        break;
    }
  }
  return out;
}

using Lines = std::vector<std::string>;

// Devices: 0: 2001 2002, 1: 2003 2004, 2: 2005 2006 (stations); 3: the ACD
// route point, 8001 (Sales) 8002 (Support); 4: the trunk, 0.
NumberPlan acd_plan() {
  NumberPlanConfig c;
  c.stations = 3;
  c.addresses_per_station = 2;
  c.route_point = true;
  c.queues = {{1, "8001", "Sales"}, {2, "8002", "Support"}};
  c.trunk = true;
  return std::move(NumberPlan::build(c)).value();
}

constexpr AddressRef kA{0, 0};
constexpr AddressRef kB{1, 0};
constexpr AddressRef kC{2, 0};
constexpr AddressRef kQueues{3, 0};
constexpr AddressRef kTrunk{4, 0};

class SwitchTest : public ::testing::Test {
 protected:
  TimePoint at(std::int64_t s) const { return TimePoint::from_unix_seconds(1'700'000'000 + s); }

  // Makes a call and expects it to succeed; the events are left in events_.
  CallId call(AddressRef from, std::string_view to, const MakeCallParams& params = {}) {
    events_.clear();
    auto r = sw_.make_call(from, to, params, at(0), events_);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : 0;
  }
  // A call from `from` to `to`, answered: returns {caller, callee}.
  std::pair<CallId, CallId> connected(AddressRef from, std::string_view to) {
    const CallId a = call(from, to);
    const CallId b = sw_.find(a)->peer;
    Events ignored;
    EXPECT_TRUE(sw_.answer(b, at(1), ignored).ok());
    return {a, b};
  }
  Lines run(const std::function<Status(Events&)>& op) {
    events_.clear();
    const Status s = op(events_);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return lines(events_);
  }
  const Appearance& at_call(CallId id) { return *sw_.find(id); }

  Switch sw_{acd_plan()};
  Events events_;
};

TEST_F(SwitchTest, InternalCallRingsAndConnects) {
  const CallId a = call(kA, "2003");
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(lines(events_),
            (Lines{"new c1 0.0 DIALING 0x0", "c1 PROCEEDING 0x0", "new c2 1.0 OFFERING 0x1", "c1 RINGBACK 0x0",
                   "calls 0.0 active 0->1 held 0->0", "calls 1.0 active 0->1 held 0->0"}));
  const Appearance& caller = at_call(1);
  const Appearance& callee = at_call(2);
  EXPECT_EQ(caller.peer, 2u);
  EXPECT_EQ(caller.related, 2u);
  EXPECT_EQ(callee.related, 1u);
  EXPECT_EQ(caller.origin, origin::kOutbound);
  EXPECT_EQ(callee.origin, origin::kInternal);
  EXPECT_EQ(callee.reason, reason::kDirect);
  EXPECT_EQ(callee.caller, (PartyId{"2001", "Station 2001"}));
  EXPECT_EQ(callee.caller.flags(), party_flags::kAddress | party_flags::kName);
  EXPECT_EQ(callee.called, (PartyId{"2003", "Station 2003"}));
  EXPECT_EQ(caller.called, (PartyId{"2003", "Station 2003"}));
  EXPECT_EQ(caller.caller, (PartyId{"2001", "Station 2001"}));
  EXPECT_EQ(callee.media_mode, kMediaInteractiveVoice);
  EXPECT_EQ(callee.bearer_mode, kBearerVoice);
  EXPECT_EQ(callee.state_since, at(0));

  Events events;
  ASSERT_TRUE(sw_.answer(2, at(5), events).ok());
  EXPECT_EQ(lines(events), (Lines{"c2 CONNECTED 0x1", "c1 CONNECTED 0x1", "info c2 0x20000", "info c1 0x20000"}));
  EXPECT_EQ(at_call(2).connected, (PartyId{"2001", "Station 2001"}));
  EXPECT_EQ(at_call(1).connected, (PartyId{"2003", "Station 2003"}));
  EXPECT_EQ(at_call(2).state_since, at(5));
}

TEST_F(SwitchTest, DropDisconnectsTheFarEndThenItsDropEndsTheCall) {
  const auto [a, b] = connected(kA, "2003");
  EXPECT_EQ(run([&, a = a](Events& e) { return sw_.drop(a, at(9), e); }),
            (Lines{"c1 IDLE 0x0", "c2 DISCONNECTED 0x1", "calls 0.0 active 1->0 held 0->0"}));
  EXPECT_EQ(at_call(b).peer, 0u);
  EXPECT_EQ(at_call(b).related, a);    // still names its last party
  EXPECT_EQ(sw_.counts(kB).busy, 0u);  // a DISCONNECTED call leaves the telephone free
  EXPECT_EQ(sw_.counts(kB).active, 1u);
  EXPECT_EQ(run([&, b = b](Events& e) { return sw_.drop(b, at(10), e); }),
            (Lines{"c2 IDLE 0x0", "calls 1.0 active 1->0 held 0->0"}));
  EXPECT_TRUE(sw_.forget(a));
  EXPECT_TRUE(sw_.forget(b));
  EXPECT_EQ(sw_.size(), 0u);
  EXPECT_TRUE(sw_.calls_at(kA).empty());
}

TEST_F(SwitchTest, CallerHangingUpWhileItRingsDisconnectsTheCallee) {
  const CallId a = call(kA, "2003");
  EXPECT_EQ(run([&](Events& e) { return sw_.drop(a, at(2), e); }),
            (Lines{"c1 IDLE 0x0", "c2 DISCONNECTED 0x1", "calls 0.0 active 1->0 held 0->0"}));
  Events events;
  EXPECT_EQ(code(sw_.answer(2, at(3), events)), kInvalCallState);
  EXPECT_TRUE(events.empty());
}

TEST_F(SwitchTest, CalleeDroppingAnOfferingCallDisconnectsTheCaller) {
  call(kA, "2003");
  EXPECT_EQ(run([&](Events& e) { return sw_.drop(2, at(2), e); }),
            (Lines{"c2 IDLE 0x0", "c1 DISCONNECTED 0x4", "calls 1.0 active 1->0 held 0->0"}))
      << "LINEDISCONNECTMODE_REJECT: the remote user rejected the call";
}

TEST_F(SwitchTest, AnOfferingCallWhoseOwnerWentAwayIsNotARejection) {
  call(kA, "2003");
  EXPECT_EQ(run([&](Events& e) { return sw_.drop(2, at(2), e, Switch::DropBy::kOwnerGone); }),
            (Lines{"c2 IDLE 0x0", "c1 DISCONNECTED 0x1", "calls 1.0 active 1->0 held 0->0"}));
}

TEST_F(SwitchTest, BusyDestinationGivesBusy) {
  call(kA, "2003");
  const CallId c = call(kC, "2003");
  EXPECT_EQ(lines(events_),
            (Lines{"new c3 2.0 DIALING 0x0", "c3 PROCEEDING 0x0", "c3 BUSY 0x1", "calls 2.0 active 0->1 held 0->0"}));
  EXPECT_EQ(at_call(c).peer, 0u);
  // A BUSY call keeps its telephone busy until it is dropped.
  Events events;
  EXPECT_EQ(code(sw_.make_call(kC, "2004", {}, at(1), events)), kCallUnavail);
  EXPECT_EQ(run([&](Events& e) { return sw_.drop(c, at(2), e); }),
            (Lines{"c3 IDLE 0x0", "calls 2.0 active 1->0 held 0->0"}));
}

TEST_F(SwitchTest, CallingYourOwnStationIsBusy) {
  call(kA, "2001");
  EXPECT_EQ(lines(events_)[2], "c1 BUSY 0x1");
}

TEST_F(SwitchTest, NumberNobodyHasDisconnectsWithBadAddress) {
  const CallId a = call(kA, "2999");
  EXPECT_EQ(lines(events_), (Lines{"new c1 0.0 DIALING 0x0", "c1 PROCEEDING 0x0", "c1 DISCONNECTED 0x80",
                                   "calls 0.0 active 0->1 held 0->0"}));
  EXPECT_EQ(at_call(a).called, (PartyId{"2999", ""}));
  EXPECT_EQ(at_call(a).called.flags(), party_flags::kAddress);
  // DISCONNECTED frees the telephone: the next call can be made at once.
  call(kA, "2003");
}

TEST_F(SwitchTest, RefusesWhatCannotBeDialled) {
  Events events;
  for (const char* bad : {"", "20a1", "+", "2 003", "123456789012345678901234567890123"}) {
    EXPECT_EQ(code(sw_.make_call(kA, bad, {}, at(0), events)), kInvalAddress) << bad;
  }
  EXPECT_EQ(code(sw_.make_call({0, 2}, "2003", {}, at(0), events)), 0x80000011u);
  EXPECT_EQ(code(sw_.make_call({9, 0}, "2003", {}, at(0), events)), 0x80000011u);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(sw_.size(), 0u);
}

TEST_F(SwitchTest, ACallerWithACallCannotMakeAnother) {
  call(kA, "2003");
  Events events;
  const auto r = sw_.make_call(kA, "2005", {}, at(1), events);
  EXPECT_EQ(code(r), kCallUnavail);
  EXPECT_EQ(r.status().message(), "the address already has a call");
  EXPECT_TRUE(events.empty());
  call({0, 1}, "2005");  // the line's other address is free
}

TEST_F(SwitchTest, CarriesOnlyVoice) {
  Events events;
  MakeCallParams p;
  p.media_mode = 0x10;  // DATAMODEM
  EXPECT_EQ(code(sw_.make_call(kA, "2003", p, at(0), events)), 0x8000002Fu);
  p.media_mode = 0x4 | 0x8;
  EXPECT_EQ(code(sw_.make_call(kA, "2003", p, at(0), events)), 0x8000002Fu);
  p.media_mode = 0x4;
  p.bearer_mode = 0x8;  // DATA
  EXPECT_EQ(code(sw_.make_call(kA, "2003", p, at(0), events)), 0x80000016u);
  p.bearer_mode = 0x1;
  EXPECT_TRUE(events.empty());
  call(kA, "2003", p);
}

TEST_F(SwitchTest, OnlyTheTrunkPresentsAnotherCaller) {
  MakeCallParams p;
  p.caller = PartyId{"5551234", "Jane Roe"};
  Events events;
  const auto r = sw_.make_call(kA, "2003", p, at(0), events);
  EXPECT_EQ(code(r), 0x80000019u);
  EXPECT_EQ(r.status().message(), "only a call from the trunk may present another caller ID");

  p.caller = PartyId{"555-1234", ""};
  EXPECT_EQ(code(sw_.make_call(kTrunk, "8001", p, at(0), events)), 0x80000019u);
  p.caller = PartyId{"5551234", std::string(257, 'x')};
  EXPECT_EQ(code(sw_.make_call(kTrunk, "8001", p, at(0), events)), 0x80000019u);
  EXPECT_TRUE(events.empty());

  p.caller = PartyId{"5551234", "Jane Roe"};
  const CallId t = call(kTrunk, "8001", p);
  const Appearance& q = at_call(at_call(t).peer);
  EXPECT_EQ(q.address, kQueues);
  EXPECT_EQ(q.caller, (PartyId{"5551234", "Jane Roe"}));
  EXPECT_EQ(q.called, (PartyId{"8001", "Sales"}));
  EXPECT_EQ(q.origin, origin::kExternal);
  EXPECT_EQ(at_call(t).caller, (PartyId{"5551234", "Jane Roe"}));
}

TEST_F(SwitchTest, TrunkCallWithoutCallerIsUnknown) {
  const CallId t = call(kTrunk, "2003");
  const Appearance& b = at_call(at_call(t).peer);
  EXPECT_FALSE(b.caller.known());
  EXPECT_EQ(b.caller.flags(), party_flags::kUnknown);
}

TEST_F(SwitchTest, TrunkAndRoutePointTakeManyCalls) {
  for (int i = 0; i < 3; ++i) {
    const CallId t = call(kTrunk, "8001");
    EXPECT_EQ(at_call(t).state, CallState::kRingback);
  }
  EXPECT_EQ(sw_.counts(kQueues).active, 3u);
  EXPECT_EQ(sw_.counts(kTrunk).active, 3u);
  EXPECT_EQ(sw_.calls_at(kQueues), (std::vector<CallId>{2, 4, 6}));
  EXPECT_EQ(sw_.calls_on(3), (std::vector<CallId>{2, 4, 6}));
  EXPECT_EQ(sw_.calls_on(9), (std::vector<CallId>{}));
}

TEST_F(SwitchTest, CallDataTravelsWithTheCallAndHasALimit) {
  MakeCallParams p;
  p.call_data = std::string(4097, 'd');
  Events events;
  EXPECT_EQ(code(sw_.make_call(kA, "2003", p, at(0), events)), 0x80000032u);
  p.call_data = "order 42";
  const CallId a = call(kA, "2003", p);
  EXPECT_EQ(at_call(at_call(a).peer).call_data, "order 42");
  EXPECT_EQ(run([&](Events& e) { return sw_.set_call_data(a, "order 43", e); }), (Lines{"info c1 0x40000000"}));
  EXPECT_EQ(at_call(a).call_data, "order 43");
  EXPECT_EQ(code(sw_.set_call_data(a, std::string(4097, 'd'), events)), 0x80000032u);
  EXPECT_EQ(at_call(a).call_data, "order 43");
}

TEST_F(SwitchTest, HoldAndUnhold) {
  const auto [a, b] = connected(kA, "2003");
  EXPECT_EQ(run([&, a = a](Events& e) { return sw_.hold(a, at(3), e); }),
            (Lines{"c1 ONHOLD 0x0", "calls 0.0 active 1->0 held 0->1"}));
  EXPECT_EQ(at_call(b).state, CallState::kConnected);
  EXPECT_EQ(run([&, a = a](Events& e) { return sw_.unhold(a, at(4), e); }),
            (Lines{"c1 CONNECTED 0x1", "calls 0.0 active 0->1 held 1->0"}));
}

TEST_F(SwitchTest, HoldAndUnholdKeepTheLimits) {
  const auto [a, b] = connected(kA, "2003");
  Events events;
  EXPECT_EQ(code(sw_.unhold(a, at(2), events)), kInvalCallState);
  ASSERT_TRUE(sw_.hold(a, at(2), events).ok());
  EXPECT_EQ(code(sw_.hold(a, at(2), events)), kInvalCallState);
  // With one call held, the telephone can make another (a consultation)...
  const auto [c, d] = connected(kA, "2005");
  events.clear();
  // ...but holds only one call, and brings one back only when it is free.
  const Status held = sw_.hold(c, at(3), events);
  EXPECT_EQ(code(held), kResourceUnavail);
  EXPECT_EQ(held.message(), "the address already holds 1 call(s) on hold");
  EXPECT_EQ(code(sw_.unhold(a, at(3), events)), kResourceUnavail);
  EXPECT_TRUE(events.empty());
  ASSERT_TRUE(sw_.drop(c, at(4), events).ok());
  EXPECT_TRUE(sw_.unhold(a, at(5), events).ok());
  (void)b;
  (void)d;
}

TEST_F(SwitchTest, HoldingAnOfferingCallIsRefused) {
  call(kA, "2003");
  Events events;
  EXPECT_EQ(code(sw_.hold(2, at(1), events)), kInvalCallState);
  EXPECT_EQ(code(sw_.hold(1, at(1), events)), kInvalCallState);  // RINGBACK
}

TEST_F(SwitchTest, DroppingTheOtherSideOfAHeldCallDisconnectsIt) {
  const auto [a, b] = connected(kA, "2003");
  Events events;
  ASSERT_TRUE(sw_.hold(a, at(2), events).ok());
  EXPECT_EQ(run([&, b = b](Events& e) { return sw_.drop(b, at(3), e); }),
            (Lines{"c2 IDLE 0x0", "c1 DISCONNECTED 0x1", "calls 1.0 active 1->0 held 0->0",
                   "calls 0.0 active 0->1 held 1->0"}));
}

TEST_F(SwitchTest, BlindTransferRingsTheNewDestination) {
  const auto [a, b] = connected(kA, "2003");
  EXPECT_EQ(run([&, b = b](Events& e) { return sw_.blind_transfer(b, "2005", at(7), e); }),
            (Lines{"c2 IDLE 0x0", "c1 RINGBACK 0x0", "new c3 2.0 OFFERING 0x1", "info c1 0x60080",
                   "calls 1.0 active 1->0 held 0->0", "calls 2.0 active 0->1 held 0->0"}));
  const Appearance& c = at_call(3);
  EXPECT_EQ(c.reason, reason::kTransfer);
  EXPECT_EQ(c.origin, origin::kInternal);
  EXPECT_EQ(c.caller, (PartyId{"2001", "Station 2001"}));
  EXPECT_EQ(c.called, (PartyId{"2005", "Station 2005"}));
  EXPECT_EQ(c.redirecting, (PartyId{"2003", "Station 2003"}));
  EXPECT_EQ(c.peer, a);
  EXPECT_EQ(at_call(a).peer, 3u);
  EXPECT_EQ(at_call(a).related, 3u);
  EXPECT_EQ(at_call(a).redirection, (PartyId{"2005", "Station 2005"}));
  EXPECT_FALSE(at_call(a).connected.known());
  EXPECT_EQ(at_call(b).peer, 0u);

  EXPECT_EQ(run([&](Events& e) { return sw_.answer(3, at(8), e); }),
            (Lines{"c3 CONNECTED 0x1", "c1 CONNECTED 0x1", "info c3 0x20000", "info c1 0x20000"}));
}

TEST_F(SwitchTest, BlindTransferToAQueueNumberReachesTheRoutePoint) {
  const auto [a, b] = connected(kA, "2003");
  Events events;
  ASSERT_TRUE(sw_.blind_transfer(b, "8002", at(7), events).ok());
  const Appearance& q = at_call(at_call(a).peer);
  EXPECT_EQ(q.address, (AddressRef{3, 1}));
  EXPECT_EQ(q.called, (PartyId{"8002", "Support"}));
  EXPECT_EQ(q.reason, reason::kTransfer);
}

TEST_F(SwitchTest, FailedBlindTransferKeepsTheCall) {
  const auto [a, b] = connected(kA, "2003");
  call(kC, "2006");  // 2005's line is busy on its first address
  Events events;
  EXPECT_EQ(code(sw_.blind_transfer(b, "2999", at(7), events)), kInvalAddress);
  EXPECT_EQ(code(sw_.blind_transfer(b, "20x", at(7), events)), kInvalAddress);
  EXPECT_EQ(code(sw_.blind_transfer(b, "2005", at(7), events)), kResourceUnavail);
  EXPECT_EQ(code(sw_.blind_transfer(a + 100, "2005", at(7), events)), kInvalCallHandle);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(at_call(a).state, CallState::kConnected);
  EXPECT_EQ(at_call(b).state, CallState::kConnected);
  // Neither a held call nor one whose far end holds it can be transferred.
  ASSERT_TRUE(sw_.hold(a, at(8), events).ok());
  events.clear();
  EXPECT_EQ(code(sw_.blind_transfer(a, "2004", at(9), events)), kInvalCallState);
  const Status far_held = sw_.blind_transfer(b, "2004", at(9), events);
  EXPECT_EQ(code(far_held), kInvalCallState);
  EXPECT_EQ(far_held.message(), "the far end has the call ONHOLD");
  EXPECT_TRUE(events.empty());
}

TEST_F(SwitchTest, RoutePointRedirectsAQueuedCallToAnAgent) {
  MakeCallParams p;
  p.caller = PartyId{"5551234", "Jane Roe"};
  const CallId t = call(kTrunk, "8001", p);
  const CallId q = at_call(t).peer;
  Events events;
  ASSERT_TRUE(sw_.set_call_data(q, "queue=1", events).ok());
  EXPECT_EQ(run([&](Events& e) { return sw_.redirect(q, "2003", at(12), e); }),
            (Lines{"c2 IDLE 0x0", "new c3 1.0 OFFERING 0x1", "info c1 0x40080", "calls 3.0 active 1->0 held 0->0",
                   "calls 1.0 active 0->1 held 0->0"}));
  const Appearance& agent = at_call(3);
  EXPECT_EQ(agent.caller, (PartyId{"5551234", "Jane Roe"}));
  EXPECT_EQ(agent.called, (PartyId{"8001", "Sales"}));
  EXPECT_EQ(agent.redirecting, (PartyId{"8001", "Sales"}));
  EXPECT_EQ(agent.redirection, (PartyId{"2003", "Station 2003"}));
  EXPECT_EQ(agent.reason, reason::kRedirect);
  EXPECT_EQ(agent.origin, origin::kExternal);
  EXPECT_EQ(agent.call_data, "queue=1");
  EXPECT_EQ(agent.peer, t);
  EXPECT_EQ(at_call(t).state, CallState::kRingback);
  EXPECT_EQ(at_call(t).related, 3u);
  EXPECT_EQ(at_call(t).redirection, (PartyId{"2003", "Station 2003"}));

  // Ring-no-answer: the ACD sends it back to its queue number.
  EXPECT_EQ(run([&](Events& e) { return sw_.redirect(3, "8001", at(32), e); }),
            (Lines{"c3 IDLE 0x0", "new c4 3.0 OFFERING 0x1", "info c1 0x40080", "calls 1.0 active 1->0 held 0->0",
                   "calls 3.0 active 0->1 held 0->0"}));
  EXPECT_EQ(at_call(4).redirecting, (PartyId{"2003", "Station 2003"}));
  EXPECT_EQ(at_call(4).called, (PartyId{"8001", "Sales"}));

  // The caller gives up: the queued call is disconnected.
  EXPECT_EQ(run([&](Events& e) { return sw_.drop(t, at(40), e); }),
            (Lines{"c1 IDLE 0x0", "c4 DISCONNECTED 0x1", "calls 4.0 active 1->0 held 0->0"}));
}

TEST_F(SwitchTest, FailedRedirectKeepsTheCallOffered) {
  call(kA, "8001");
  call(kC, "2003");  // 2003 is ringing
  Events events;
  EXPECT_EQ(code(sw_.redirect(2, "2999", at(1), events)), kInvalAddress);
  EXPECT_EQ(code(sw_.redirect(2, "", at(1), events)), kInvalAddress);
  const Status busy = sw_.redirect(2, "2003", at(1), events);
  EXPECT_EQ(code(busy), kResourceUnavail);
  EXPECT_EQ(busy.message(), "2003 is busy");
  EXPECT_EQ(code(sw_.redirect(1, "2005", at(1), events)), kInvalCallState);  // RINGBACK
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(at_call(2).state, CallState::kOffering);
  // A route point can take the call again on another queue.
  EXPECT_TRUE(sw_.redirect(2, "8002", at(1), events).ok());
}

TEST_F(SwitchTest, UnknownCallsAreInvalCallHandle) {
  Events events;
  EXPECT_EQ(code(sw_.answer(7, at(0), events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.drop(7, at(0), events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.hold(7, at(0), events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.unhold(7, at(0), events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.blind_transfer(7, "2003", at(0), events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.redirect(7, "2003", at(0), events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.set_call_data(7, "x", events)), kInvalCallHandle);
  EXPECT_EQ(code(sw_.set_app_specific(7, 1, events)), kInvalCallHandle);
  EXPECT_TRUE(events.empty());
  EXPECT_FALSE(sw_.forget(7));
}

TEST_F(SwitchTest, IdleCallsTakeOnlyAppSpecificUntilForgotten) {
  const auto [a, b] = connected(kA, "2003");
  Events events;
  EXPECT_FALSE(sw_.forget(a));  // not IDLE
  ASSERT_TRUE(sw_.drop(a, at(2), events).ok());
  events.clear();
  EXPECT_EQ(code(sw_.drop(a, at(3), events)), kInvalCallState);
  EXPECT_EQ(code(sw_.set_call_data(a, "x", events)), kInvalCallState);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(run([&, a = a](Events& e) { return sw_.set_app_specific(a, 77, e); }), (Lines{"info c1 0x20"}));
  EXPECT_EQ(at_call(a).app_specific, 77u);
  EXPECT_TRUE(sw_.forget(a));
  EXPECT_EQ(sw_.find(a), nullptr);
  (void)b;
}

TEST_F(SwitchTest, CallIdsAreNeverReused) {
  const CallId a = call(kA, "2999");
  Events events;
  ASSERT_TRUE(sw_.drop(a, at(1), events).ok());
  ASSERT_TRUE(sw_.forget(a));
  EXPECT_EQ(call(kA, "2999"), a + 1);
}

TEST_F(SwitchTest, RefusesCallsBeyondTheLimit) {
  Switch small(acd_plan(), SwitchLimits{3, 16, 16});
  Events events;
  ASSERT_TRUE(small.make_call(kA, "8001", {}, at(0), events).ok());  // calls 1 and 2
  const auto r = small.make_call(kC, "2004", {}, at(0), events);
  EXPECT_EQ(code(r), kResourceUnavail);
  EXPECT_EQ(r.status().message(), "the switch holds its maximum of 3 calls");
  // A redirect needs one more appearance: the third fits, a fourth does not.
  ASSERT_TRUE(small.redirect(2, "2003", at(1), events).ok());
  EXPECT_EQ(code(small.redirect(3, "8002", at(2), events)), kResourceUnavail);
  ASSERT_TRUE(small.drop(1, at(3), events).ok());
  EXPECT_EQ(small.size(), 3u);  // IDLE appearances count until forgotten
}

}  // namespace
}  // namespace opentapi::switching
