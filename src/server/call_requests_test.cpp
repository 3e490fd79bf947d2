// The Switchboard's call functions, driven with frames as libopentapi sends
// them (docs/calls.md, docs/server.md "Calls").
#include <gtest/gtest.h>
#include <tapi.h>

#include <cstdio>
#include <string>
#include <vector>

#include "server/switchboard_test_support.h"

namespace opentapi::server {
namespace {

using namespace test_support;  // NOLINT: the fixture and its constants

constexpr std::uint32_t kOwner = LINECALLPRIVILEGE_OWNER;
constexpr std::uint32_t kMonitor = LINECALLPRIVILEGE_MONITOR;
constexpr std::uint32_t kVoice = LINEMEDIAMODE_INTERACTIVEVOICE;
constexpr std::int64_t kNowMs = 1'700'000'000'000;

// Devices: 0: 2001 2002, 1: 2003 2004, 2: 2005 2006 (stations); 3: the ACD
// route point, 8001 (Sales) 8002 (Support); 4: the trunk, 0.
LineDevices acd_devices() {
  switching::NumberPlanConfig c;
  c.stations = 3;
  c.addresses_per_station = 2;
  c.route_point = true;
  c.queues = {{1, "8001", "Sales"}, {2, "8002", "Support"}};
  c.trunk = true;
  return LineDevices{std::move(switching::NumberPlan::build(c)).value()};
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

const char* state_name(std::uint32_t s) {
  switch (s) {
    case LINECALLSTATE_IDLE:
      return "IDLE";
    case LINECALLSTATE_OFFERING:
      return "OFFERING";
    case LINECALLSTATE_DIALING:
      return "DIALING";
    case LINECALLSTATE_RINGBACK:
      return "RINGBACK";
    case LINECALLSTATE_BUSY:
      return "BUSY";
    case LINECALLSTATE_CONNECTED:
      return "CONNECTED";
    case LINECALLSTATE_PROCEEDING:
      return "PROCEEDING";
    case LINECALLSTATE_ONHOLD:
      return "ONHOLD";
    case LINECALLSTATE_DISCONNECTED:
      return "DISCONNECTED";
    default:
      return "?";
  }
}

using Lines = std::vector<std::string>;

class CallTest : public SwitchboardTest {
 protected:
  CallTest() {
    SwitchboardConfig config;
    config.devices = acd_devices();
    config.clock = [] { return core::TimePoint::from_unix_ms(kNowMs); };
    make(std::move(config));
  }

  // Everything sent to `conn` since the last take(), one line each (Result
  // and Reply included), and forgets it.
  Lines take(ConnectionId conn) {
    Lines out;
    std::vector<Sent> keep;
    for (const Sent& s : out_.sent) {
      if (s.to != conn) {
        keep.push_back(s);
        continue;
      }
      if (s.m.has_result()) {
        out.push_back("Result " + std::to_string(s.m.result().result()));
      } else if (s.m.has_reply()) {
        out.push_back("Reply " + std::to_string(s.m.reply().result()) +
                      " hcall=" + std::to_string(s.m.reply().hcall()));
      } else if (s.m.has_message()) {
        const wire::Message& m = s.m.message();
        const std::string h = "hline=" + std::to_string(m.hline()) + " hcall=" + std::to_string(m.hcall());
        switch (m.msg()) {
          case LINE_APPNEWCALL:
            out.push_back("APPNEWCALL " + h + " addr=" + std::to_string(m.param1()) +
                          " p2=" + std::to_string(m.param2()) + " priv=" + std::to_string(m.param3()));
            break;
          case LINE_CALLSTATE:
            out.push_back("CALLSTATE " + h + " " + state_name(m.param1()) + " " + hex(m.param2()) + " " +
                          std::to_string(m.param3()));
            break;
          case LINE_CALLINFO:
            out.push_back("CALLINFO " + h + " " + hex(m.param1()));
            break;
          case LINE_ADDRESSSTATE:
            out.push_back("ADDRESSSTATE " + h + " addr=" + std::to_string(m.param1()) + " " + hex(m.param2()));
            break;
          case LINE_LINEDEVSTATE:
            out.push_back("LINEDEVSTATE " + h + " " + hex(m.param1()));
            break;
          default:
            out.push_back("msg " + std::to_string(m.msg()));
        }
      } else {
        out.push_back("other");
      }
    }
    out_.sent = keep;
    return out;
  }

  std::uint32_t open_line(ConnectionId conn, std::uint32_t device, std::uint32_t privileges,
                          std::optional<std::uint32_t> media = std::nullopt, std::uint64_t callback = 0) {
    std::uint32_t hline = 0;
    EXPECT_EQ(open_result(conn, device, kV31, privileges, {}, callback, &hline, media), 0);
    out_.sent.clear();
    return hline;
  }

  wire::Result make_call(ConnectionId conn, std::uint32_t hline, const std::string& dest,
                         const wire::CallParams* params = nullptr, std::uint32_t address = 0,
                         const std::string& orig = "") {
    wire::ClientToServer m;
    auto* c = m.mutable_make_call();
    c->set_hline(hline);
    c->set_address_id(address);
    c->set_destination(dest);
    c->set_orig_address(orig);
    if (params != nullptr) *c->mutable_params() = *params;
    return call(conn, m);
  }

  // lineMakeCall that must succeed: returns the HCALL from the Reply.
  std::uint32_t dial(ConnectionId conn, std::uint32_t hline, const std::string& dest,
                     const wire::CallParams* params = nullptr) {
    const std::size_t before = out_.sent.size();
    const wire::Result r = make_call(conn, hline, dest, params);
    EXPECT_GT(r.result(), 0) << std::hex << r.result();
    for (std::size_t i = before; i < out_.sent.size(); ++i) {
      if (out_.sent[i].to == conn && out_.sent[i].m.has_reply()) return out_.sent[i].m.reply().hcall();
    }
    ADD_FAILURE() << "no Reply";
    return 0;
  }

  std::int32_t control(ConnectionId conn, std::uint32_t hcall, wire::CallControl::Op op, const std::string& dest = "",
                       std::uint32_t value = 0, const std::string& data = "") {
    wire::ClientToServer m;
    auto* c = m.mutable_call_control();
    c->set_hcall(hcall);
    c->set_op(op);
    c->set_destination(dest);
    c->set_privilege(value);
    c->set_app_specific(value);
    c->set_call_data(data);
    return call(conn, m).result();
  }

  wire::Result call_info(ConnectionId conn, std::uint32_t hcall) {
    wire::ClientToServer m;
    m.mutable_get_call_info()->set_hcall(hcall);
    return call(conn, m);
  }
  wire::Result call_status(ConnectionId conn, std::uint32_t hcall) {
    wire::ClientToServer m;
    m.mutable_get_call_status()->set_hcall(hcall);
    return call(conn, m);
  }

  // The HCALL the last LINE_APPNEWCALL to `conn` named (0 if none).
  std::uint32_t new_call(ConnectionId conn) {
    std::uint32_t h = 0;
    for (const Sent& s : out_.sent) {
      if (s.to == conn && s.m.has_message() && s.m.message().msg() == LINE_APPNEWCALL) h = s.m.message().param2();
    }
    return h;
  }
};

// ---------------------------------------------------------------- making a call

TEST_F(CallTest, MakeCallRepliesWithTheHandleBeforeTheFirstCallState) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner, kVoice, 0xA1);
  const std::uint32_t b = open_line(2, 1, kOwner, kVoice, 0xB2);
  const wire::Result r = make_call(1, a, "2003");
  EXPECT_EQ(r.result(), 1);  // the first request id
  EXPECT_EQ(take(1), (Lines{"Result 1", "Reply 0 hcall=1", "CALLSTATE hline=1 hcall=1 DIALING 0x0 4",
                            "CALLSTATE hline=1 hcall=1 PROCEEDING 0x0 0", "CALLSTATE hline=1 hcall=1 RINGBACK 0x0 0"}));
  EXPECT_EQ(take(2),
            (Lines{"APPNEWCALL hline=1 hcall=1 addr=0 p2=1 priv=4", "CALLSTATE hline=1 hcall=1 OFFERING 0x1 4"}));
  (void)b;
}

TEST_F(CallTest, MessagesCarryEachOpensCallbackInstance) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner, kVoice, 0xA1);
  open_line(2, 1, kOwner, kVoice, 0xB2);
  make_call(1, a, "2003");
  for (const Sent& s : out_.sent) {
    if (!s.m.has_message()) continue;
    EXPECT_EQ(s.m.message().callback_instance(), s.to == 1 ? 0xA1u : 0xB2u);
  }
}

TEST_F(CallTest, MakeCallRefusesBadArguments) {
  join(1, "alice");
  const std::uint32_t a = open_line(1, 0, kOwner);
  EXPECT_EQ(make_call(1, a + 7, "2003").result(), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(make_call(1, a, "2003", nullptr, 2).result(), LINEERR_INVALADDRESSID);
  EXPECT_EQ(make_call(1, a, "").result(), LINEERR_INVALADDRESS);
  EXPECT_EQ(make_call(1, a, "20a3").result(), LINEERR_INVALADDRESS);
  EXPECT_EQ(make_call(1, a, "2003", nullptr, 0, "2003").result(), LINEERR_INVALADDRESS);  // not this line's
  EXPECT_EQ(make_call(1, a, "2003", nullptr, 0, "9999").result(), LINEERR_INVALADDRESS);
  wire::CallParams p;
  p.set_media_mode(LINEMEDIAMODE_DATAMODEM);
  EXPECT_EQ(make_call(1, a, "2003", &p).result(), LINEERR_INVALMEDIAMODE);
  p.Clear();
  p.set_bearer_mode(LINEBEARERMODE_DATA);
  EXPECT_EQ(make_call(1, a, "2003", &p).result(), LINEERR_INVALBEARERMODE);
  p.Clear();
  p.set_caller_number("5551234");
  EXPECT_EQ(make_call(1, a, "2003", &p).result(), LINEERR_INVALCALLPARAMS);  // only the trunk
  p.Clear();
  p.set_call_data(std::string(4097, 'x'));
  EXPECT_EQ(make_call(1, a, "2003", &p).result(), LINEERR_INVALPARAM);
  EXPECT_EQ(take(1).size(), 10u);  // ten Results and nothing else
  EXPECT_EQ(board_->calls().size(), 0u);

  dial(1, a, "2003");
  EXPECT_EQ(make_call(1, a, "2005").result(), LINEERR_CALLUNAVAIL);
}

TEST_F(CallTest, MakeCallFromADialableOriginAddress) {
  join(1, "alice");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const wire::Result r = make_call(1, a, "2003", nullptr, 0, "2002");
  ASSERT_GT(r.result(), 0);
  const wire::CallInfo info = call_info(1, 1).call_info();
  EXPECT_EQ(info.address_id(), 1u);
  EXPECT_EQ(info.caller_id(), "2002");
}

TEST_F(CallTest, NumberNobodyHasEndsWithBadAddress) {
  join(1, "alice");
  const std::uint32_t a = open_line(1, 0, kOwner);
  make_call(1, a, "2999");
  EXPECT_EQ(take(1),
            (Lines{"Result 1", "Reply 0 hcall=1", "CALLSTATE hline=1 hcall=1 DIALING 0x0 4",
                   "CALLSTATE hline=1 hcall=1 PROCEEDING 0x0 0", "CALLSTATE hline=1 hcall=1 DISCONNECTED 0x80 0"}));
}

TEST_F(CallTest, BusyDestinationGivesBusy) {
  join(1, "alice");
  join(3, "carol");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t c = open_line(3, 2, kOwner);
  dial(1, a, "2003");
  take(1);
  make_call(3, c, "2003");
  EXPECT_EQ(take(3), (Lines{"Result 1", "Reply 0 hcall=1", "CALLSTATE hline=1 hcall=1 DIALING 0x0 4",
                            "CALLSTATE hline=1 hcall=1 PROCEEDING 0x0 0", "CALLSTATE hline=1 hcall=1 BUSY 0x1 0"}));
}

TEST_F(CallTest, SeqZeroMakeCallIsCarriedOutSilently) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  wire::ClientToServer m;
  m.mutable_make_call()->set_hline(a);
  m.mutable_make_call()->set_destination("2003");
  board_->receive(1, m);
  const Lines mine = take(1);
  ASSERT_EQ(mine.size(), 3u);  // the three LINE_CALLSTATEs, no Result, no Reply
  EXPECT_EQ(mine[0], "CALLSTATE hline=1 hcall=1 DIALING 0x0 4");
  EXPECT_EQ(new_call(2), 1u);
}

// ---------------------------------------------------------------- answer, drop, deallocate

TEST_F(CallTest, AnswerConnectsAndDropDisconnectsTheFarEnd) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t b = open_line(2, 1, kOwner);
  const std::uint32_t ha = dial(1, a, "2003");
  const std::uint32_t hb = new_call(2);
  take(1);
  take(2);

  EXPECT_EQ(control(2, hb, wire::CallControl::ANSWER), 1);
  EXPECT_EQ(take(2), (Lines{"Result 1", "Reply 0 hcall=0", "CALLSTATE hline=1 hcall=1 CONNECTED 0x1 0",
                            "CALLINFO hline=1 hcall=1 0x20000"}));
  EXPECT_EQ(take(1), (Lines{"CALLSTATE hline=1 hcall=1 CONNECTED 0x1 0", "CALLINFO hline=1 hcall=1 0x20000"}));

  EXPECT_EQ(control(2, hb, wire::CallControl::ANSWER), LINEERR_INVALCALLSTATE);
  EXPECT_EQ(control(1, ha, wire::CallControl::DROP), 2);
  EXPECT_EQ(take(1), (Lines{"Result 2", "Reply 0 hcall=0", "CALLSTATE hline=1 hcall=1 IDLE 0x0 0"}));
  EXPECT_EQ(take(2), (Lines{"Result " + std::to_string(LINEERR_INVALCALLSTATE),
                            "CALLSTATE hline=1 hcall=1 DISCONNECTED 0x1 0"}));
  EXPECT_EQ(control(1, ha, wire::CallControl::DROP), LINEERR_INVALCALLSTATE);  // IDLE already

  // Even the sole owner of a live call may let go of it (API 2.0 and
  // later); nobody holds it any more, so it is dropped.
  EXPECT_EQ(control(2, hb, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(call_info(2, hb).result(), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(control(1, ha, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(board_->calls().size(), 0u);
  EXPECT_EQ(call_info(1, ha).result(), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(control(1, ha, wire::CallControl::DEALLOCATE), LINEERR_INVALCALLHANDLE);
  (void)a;
  (void)b;
}

TEST_F(CallTest, UnknownAndForeignHandlesAreInvalCallHandle) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  const std::uint32_t ha = dial(1, a, "2003");
  for (auto op :
       {wire::CallControl::ANSWER, wire::CallControl::DROP, wire::CallControl::HOLD, wire::CallControl::UNHOLD,
        wire::CallControl::BLIND_TRANSFER, wire::CallControl::REDIRECT, wire::CallControl::SET_CALL_DATA,
        wire::CallControl::DEALLOCATE, wire::CallControl::SET_PRIVILEGE, wire::CallControl::SET_APP_SPECIFIC}) {
    EXPECT_EQ(control(1, 99, op), LINEERR_INVALCALLHANDLE) << op;
    EXPECT_EQ(control(1, 0, op), LINEERR_INVALCALLHANDLE) << op;
  }
  // Bob's handle number 1 exists, on his connection only: Alice's 1 is hers.
  EXPECT_EQ(control(2, ha + 1, wire::CallControl::DROP), LINEERR_INVALCALLHANDLE);
  wire::ClientToServer m;
  m.mutable_get_call_status()->set_hcall(99);
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALCALLHANDLE);
  m.mutable_get_call_ids()->set_hcall(99);
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(control(1, ha, wire::CallControl::OP_UNSPECIFIED), LINEERR_INVALPARAM);
  EXPECT_EQ(control(1, ha, static_cast<wire::CallControl::Op>(77)), LINEERR_INVALPARAM);
}

// ---------------------------------------------------------------- privileges

TEST_F(CallTest, MonitorsSeeEveryCallButCannotControlIt) {
  join(1, "alice");
  join(2, "bob");
  join(9, "acd");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  const std::uint32_t acd = open_line(9, 1, kMonitor);
  dial(1, a, "2003");
  EXPECT_EQ(take(9), (Lines{"APPNEWCALL hline=" + std::to_string(acd) + " hcall=1 addr=0 p2=1 priv=2",
                            "CALLSTATE hline=1 hcall=1 OFFERING 0x1 2"}));
  for (auto op : {wire::CallControl::ANSWER, wire::CallControl::DROP, wire::CallControl::HOLD,
                  wire::CallControl::UNHOLD, wire::CallControl::BLIND_TRANSFER, wire::CallControl::REDIRECT,
                  wire::CallControl::SET_CALL_DATA, wire::CallControl::SET_APP_SPECIFIC}) {
    EXPECT_EQ(control(9, 1, op, "2005"), LINEERR_NOTOWNER) << op;
  }
  // A monitor lets go whenever it likes; the owners are told.
  take(2);
  EXPECT_EQ(control(9, 1, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(take(2), (Lines{"CALLINFO hline=1 hcall=1 0x2000"}));
}

TEST_F(CallTest, OutgoingCallsReachMonitorsOnly) {
  join(1, "alice");
  join(2, "owner-only");
  join(3, "owner-and-monitor");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 0, kOwner);
  open_line(3, 0, kOwner | kMonitor);
  dial(1, a, "2003");
  EXPECT_TRUE(take(2).empty());
  EXPECT_EQ(take(3), (Lines{"APPNEWCALL hline=1 hcall=1 addr=0 p2=1 priv=2", "CALLSTATE hline=1 hcall=1 DIALING 0x0 2",
                            "CALLSTATE hline=1 hcall=1 PROCEEDING 0x0 0", "CALLSTATE hline=1 hcall=1 RINGBACK 0x0 0"}));
}

TEST_F(CallTest, AnOfferedCallHasOneOwnerOfItsMediaMode) {
  join(1, "alice");
  join(2, "fax");
  join(3, "desk");
  join(4, "second-desk");
  join(5, "desk-and-monitor");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner, LINEMEDIAMODE_G3FAX);
  open_line(3, 1, kOwner, kVoice | LINEMEDIAMODE_G3FAX);
  open_line(4, 1, kOwner, kVoice);
  open_line(5, 1, kOwner | kMonitor, kVoice);
  dial(1, a, "2003");
  EXPECT_TRUE(take(2).empty());  // not its media mode
  EXPECT_EQ(take(3)[0], "APPNEWCALL hline=1 hcall=1 addr=0 p2=1 priv=4");
  EXPECT_TRUE(take(4).empty());  // the call has its owner already
  EXPECT_EQ(take(5)[0], "APPNEWCALL hline=1 hcall=1 addr=0 p2=1 priv=2");
}

TEST_F(CallTest, OpenChecksTheOwnersMediaModes) {
  join(1, "alice");
  EXPECT_EQ(open_result(1, 1, kV31, kOwner, {}, 0, nullptr, 0u), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(open_result(1, 1, kV31, kOwner, {}, 0, nullptr, 0x10000u), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(open_result(1, 1, kV31, kOwner | kMonitor, {}, 0, nullptr, 0u), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(open_result(1, 1, kV31, kMonitor, {}, 0, nullptr, 0u), 0);
  EXPECT_EQ(open_result(1, 1, kV31, kMonitor, {}, 0, nullptr, 0x10000u), 0);  // ignored without OWNER
}

TEST_F(CallTest, SingleAddressOpenGetsOnlyThatAddressesCalls) {
  join(1, "alice");
  join(2, "bob");
  wire::ClientToServer m;
  auto* o = m.mutable_open();
  o->set_device_id(1);
  o->set_api_version(kV31);
  o->set_privileges(kOwner | LINEOPENOPTION_SINGLEADDRESS);
  o->set_media_modes(kVoice);
  o->set_address_id(2);
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALADDRESSID);
  o->set_address_id(1);
  const std::uint32_t only_2004 = call(1, m).hline();
  ASSERT_NE(only_2004, 0u);
  dial(2, open_line(2, 0, kOwner), "2003");
  EXPECT_TRUE(take(1).empty());
  dial(2, open_line(2, 2, kOwner), "2004");
  EXPECT_EQ(take(1)[0], "APPNEWCALL hline=" + std::to_string(only_2004) + " hcall=1 addr=1 p2=1 priv=4");
}

TEST_F(CallTest, SetCallPrivilegeMovesBetweenOwnerAndMonitor) {
  join(1, "alice");
  join(9, "acd");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(9, 1, kMonitor);
  const std::uint32_t ha = dial(1, a, "2003");
  take(1);
  take(9);
  EXPECT_EQ(control(9, 1, wire::CallControl::SET_PRIVILEGE, "", LINECALLPRIVILEGE_NONE), LINEERR_INVALCALLPRIVILEGE);
  EXPECT_EQ(control(9, 1, wire::CallControl::SET_PRIVILEGE, "", 0), LINEERR_INVALCALLPRIVILEGE);
  EXPECT_EQ(control(9, 1, wire::CallControl::SET_PRIVILEGE, "", kOwner | kMonitor), LINEERR_INVALCALLPRIVILEGE);
  take(9);
  EXPECT_EQ(control(9, 1, wire::CallControl::SET_PRIVILEGE, "", kMonitor), 0);
  EXPECT_EQ(take(9), (Lines{"Result 0"}));  // no change, no message

  EXPECT_EQ(control(9, 1, wire::CallControl::SET_PRIVILEGE, "", kOwner), 0);
  // Told by LINE_CALLSTATE; not by LINE_CALLINFO (Microsoft's LINE_CALLINFO:
  // the application changing the number of owners is not told of it).
  EXPECT_EQ(take(9), (Lines{"Result 0", "CALLSTATE hline=1 hcall=1 OFFERING 0x1 4"}));
  EXPECT_EQ(take(1), (Lines{}));  // Alice holds the other appearance (on 2001), not this one
  // Now it may act on the call: ring-no-answer sends it elsewhere.
  EXPECT_EQ(control(9, 1, wire::CallControl::REDIRECT, "2005"), 1);             // the monitor's first request
  EXPECT_EQ(control(9, 1, wire::CallControl::SET_PRIVILEGE, "", kMonitor), 0);  // IDLE: allowed
  // The last owner of a live call cannot become a monitor.
  EXPECT_EQ(control(1, ha, wire::CallControl::SET_PRIVILEGE, "", kMonitor), LINEERR_INVALCALLSTATE);
}

// ---------------------------------------------------------------- hold, transfer, redirect

TEST_F(CallTest, HoldAndUnhold) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  const std::uint32_t ha = dial(1, a, "2003");
  EXPECT_EQ(control(1, ha, wire::CallControl::HOLD), LINEERR_INVALCALLSTATE);  // RINGBACK
  EXPECT_EQ(control(2, 1, wire::CallControl::HOLD), LINEERR_INVALCALLSTATE);   // OFFERING
  ASSERT_GT(control(2, 1, wire::CallControl::ANSWER), 0);
  EXPECT_EQ(control(1, ha, wire::CallControl::UNHOLD), LINEERR_INVALCALLSTATE);
  take(1);
  EXPECT_GT(control(1, ha, wire::CallControl::HOLD), 0);
  EXPECT_EQ(take(1)[2], "CALLSTATE hline=1 hcall=1 ONHOLD 0x0 0");
  EXPECT_GT(control(1, ha, wire::CallControl::UNHOLD), 0);
  EXPECT_EQ(take(1)[2], "CALLSTATE hline=1 hcall=1 CONNECTED 0x1 0");
}

TEST_F(CallTest, BlindTransferOffersTheCallElsewhere) {
  join(1, "alice");
  join(2, "bob");
  join(3, "carol");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  open_line(3, 2, kOwner);
  dial(1, a, "2003");
  ASSERT_GT(control(2, 1, wire::CallControl::ANSWER), 0);
  EXPECT_EQ(control(2, 1, wire::CallControl::BLIND_TRANSFER, "2999"), LINEERR_INVALADDRESS);
  EXPECT_EQ(control(2, 1, wire::CallControl::BLIND_TRANSFER, "2a"), LINEERR_INVALADDRESS);
  take(1);
  take(2);
  EXPECT_GT(control(2, 1, wire::CallControl::BLIND_TRANSFER, "2005"), 0);
  EXPECT_EQ(take(2)[2], "CALLSTATE hline=1 hcall=1 IDLE 0x0 0");
  EXPECT_EQ(take(1), (Lines{"CALLSTATE hline=1 hcall=1 RINGBACK 0x0 0", "CALLINFO hline=1 hcall=1 0x60080"}));
  EXPECT_EQ(take(3),
            (Lines{"APPNEWCALL hline=1 hcall=1 addr=0 p2=1 priv=4", "CALLSTATE hline=1 hcall=1 OFFERING 0x1 4"}));
  const wire::CallInfo info = call_info(3, 1).call_info();
  EXPECT_EQ(info.reason(), LINECALLREASON_TRANSFER);
  EXPECT_EQ(info.caller_id(), "2001");
  EXPECT_EQ(info.redirecting_id(), "2003");
  EXPECT_EQ(info.redirecting_id_name(), "Station 2003");
}

TEST_F(CallTest, TheAcdRoutesAQueuedCallToAnAgent) {
  join(7, "trunk");
  join(8, "acd");
  join(2, "agent");
  const std::uint32_t trunk = open_line(7, 4, kOwner);
  const std::uint32_t rp = open_line(8, 3, kOwner);
  const std::uint32_t station_monitor = open_line(8, 1, kMonitor);
  open_line(2, 1, kOwner);

  wire::CallParams p;
  p.set_caller_number("5551234");
  p.set_caller_name("Jane Roe");
  const std::uint32_t ht = dial(7, trunk, "8001", &p);
  take(7);
  EXPECT_EQ(take(8), (Lines{"APPNEWCALL hline=" + std::to_string(rp) + " hcall=1 addr=0 p2=1 priv=4",
                            "CALLSTATE hline=1 hcall=1 OFFERING 0x1 4"}));
  const wire::CallInfo queued = call_info(8, 1).call_info();
  EXPECT_EQ(queued.caller_id(), "5551234");
  EXPECT_EQ(queued.caller_id_name(), "Jane Roe");
  EXPECT_EQ(queued.caller_id_flags(), LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME);
  EXPECT_EQ(queued.called_id(), "8001");
  EXPECT_EQ(queued.called_id_name(), "Sales");
  EXPECT_EQ(queued.origin(), LINECALLORIGIN_EXTERNAL);

  // Call data is attached, then the call is redirected to the agent's number.
  EXPECT_GT(control(8, 1, wire::CallControl::SET_CALL_DATA, "", 0, "queue=1"), 0);
  EXPECT_EQ(take(8).back(), "CALLINFO hline=1 hcall=1 0x40000000");
  EXPECT_EQ(control(8, 1, wire::CallControl::REDIRECT, "2003"), 2);
  EXPECT_EQ(take(8), (Lines{"Result 2", "Reply 0 hcall=0", "CALLSTATE hline=1 hcall=1 IDLE 0x0 0",
                            "APPNEWCALL hline=" + std::to_string(station_monitor) + " hcall=2 addr=0 p2=2 priv=2",
                            "CALLSTATE hline=2 hcall=2 OFFERING 0x1 2"}));
  EXPECT_EQ(take(7), (Lines{"CALLINFO hline=1 hcall=1 0x40080"}));
  EXPECT_EQ(take(2),
            (Lines{"APPNEWCALL hline=1 hcall=1 addr=0 p2=1 priv=4", "CALLSTATE hline=1 hcall=1 OFFERING 0x1 4"}));
  const wire::CallInfo agent = call_info(2, 1).call_info();
  EXPECT_EQ(agent.caller_id(), "5551234");
  EXPECT_EQ(agent.caller_id_name(), "Jane Roe");
  EXPECT_EQ(agent.called_id(), "8001");
  EXPECT_EQ(agent.redirecting_id(), "8001");
  EXPECT_EQ(agent.redirecting_id_name(), "Sales");
  EXPECT_EQ(agent.redirection_id(), "2003");
  EXPECT_EQ(agent.reason(), LINECALLREASON_REDIRECT);
  EXPECT_EQ(agent.call_data(), "queue=1");
  EXPECT_EQ(agent.related_call_id(), call_info(7, ht).call_info().call_id());

  // The agent answers; the caller hangs up; the agent is told and hangs up.
  ASSERT_GT(control(2, 1, wire::CallControl::ANSWER), 0);
  take(2);
  ASSERT_GT(control(7, ht, wire::CallControl::DROP), 0);
  EXPECT_EQ(take(2), (Lines{"CALLSTATE hline=1 hcall=1 DISCONNECTED 0x1 0"}));
  EXPECT_EQ(take(8).back(), "CALLSTATE hline=2 hcall=2 DISCONNECTED 0x1 0");
}

TEST_F(CallTest, RedirectToABusyOrUnknownNumberKeepsTheCallOffered) {
  join(1, "alice");
  join(8, "acd");
  join(3, "carol");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(8, 3, kOwner);
  dial(1, a, "8001");
  dial(3, open_line(3, 2, kOwner), "2003");  // 2003 rings
  EXPECT_EQ(control(8, 1, wire::CallControl::REDIRECT, "2999"), LINEERR_INVALADDRESS);
  EXPECT_EQ(control(8, 1, wire::CallControl::REDIRECT, "2003"), LINEERR_RESOURCEUNAVAIL);
  EXPECT_EQ(call_status(8, 1).call_status().call_state(), LINECALLSTATE_OFFERING);
}

TEST_F(CallTest, SetCallDataKeepsTheLimit) {
  join(1, "alice");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t ha = dial(1, a, "2003");
  EXPECT_EQ(control(1, ha, wire::CallControl::SET_CALL_DATA, "", 0, std::string(4097, 'x')), LINEERR_INVALPARAM);
  EXPECT_GT(control(1, ha, wire::CallControl::SET_CALL_DATA, "", 0, std::string(4096, 'x')), 0);
  EXPECT_EQ(call_info(1, ha).call_info().call_data().size(), 4096u);
}

TEST_F(CallTest, CallRequestsCountAgainstTheOutstandingLimit) {
  SwitchboardConfig config;
  config.devices = acd_devices();
  config.max_outstanding_requests = 0;
  make(std::move(config));
  join(1, "alice");
  const std::uint32_t a = open_line(1, 0, kOwner);
  EXPECT_EQ(make_call(1, a, "2003").result(), LINEERR_RESOURCEUNAVAIL);
  EXPECT_EQ(board_->calls().size(), 0u);
}

// ---------------------------------------------------------------- queries

TEST_F(CallTest, CallInfoStatusAndIds) {
  join(1, "alice");
  join(2, "bob");
  join(9, "acd");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  open_line(9, 1, kMonitor);
  const std::uint32_t ha = dial(1, a, "2003");

  const wire::Result r = call_info(2, 1);
  ASSERT_EQ(r.result(), 0);
  const wire::CallInfo& i = r.call_info();
  EXPECT_EQ(i.line_device_id(), 1u);
  EXPECT_EQ(i.address_id(), 0u);
  EXPECT_EQ(i.bearer_mode(), LINEBEARERMODE_VOICE);
  EXPECT_EQ(i.media_mode(), LINEMEDIAMODE_INTERACTIVEVOICE);
  EXPECT_EQ(i.call_id(), 2u);
  EXPECT_EQ(i.related_call_id(), 1u);
  EXPECT_EQ(i.origin(), LINECALLORIGIN_INTERNAL);
  EXPECT_EQ(i.reason(), LINECALLREASON_DIRECT);
  EXPECT_EQ(i.num_owners(), 1u);
  EXPECT_EQ(i.num_monitors(), 1u);
  EXPECT_EQ(i.caller_id(), "2001");
  EXPECT_EQ(i.caller_id_name(), "Station 2001");
  EXPECT_EQ(i.called_id(), "2003");
  EXPECT_EQ(i.called_id_flags(), LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME);
  EXPECT_EQ(i.connected_id_flags(), LINECALLPARTYID_UNKNOWN);
  EXPECT_EQ(i.trunk(), 0xFFFFFFFFu);
  EXPECT_EQ(i.address_type(), LINEADDRESSTYPE_PHONENUMBER);
  EXPECT_EQ(call_info(1, ha).call_info().app_name(), "alice-app");
  EXPECT_EQ(call_info(1, ha).call_info().origin(), LINECALLORIGIN_OUTBOUND);

  const wire::CallStatus owner = call_status(2, 1).call_status();
  EXPECT_EQ(owner.call_state(), LINECALLSTATE_OFFERING);
  EXPECT_EQ(owner.call_state_mode(), LINEOFFERINGMODE_ACTIVE);
  EXPECT_EQ(owner.call_privilege(), kOwner);
  EXPECT_EQ(owner.call_features(),
            LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP | LINECALLFEATURE_REDIRECT | LINECALLFEATURE_SETCALLDATA);
  EXPECT_EQ(owner.state_entry_time_ms(), kNowMs);
  const wire::CallStatus monitor = call_status(9, 1).call_status();
  EXPECT_EQ(monitor.call_privilege(), kMonitor);
  EXPECT_EQ(monitor.call_features(), 0u);

  wire::ClientToServer m;
  m.mutable_get_call_ids()->set_hcall(ha);
  const wire::CallIds ids = call(1, m).call_ids();
  EXPECT_EQ(ids.address_id(), 0u);
  EXPECT_EQ(ids.call_id(), 1u);
  EXPECT_EQ(ids.related_call_id(), 2u);
}

TEST_F(CallTest, AppSpecificIsSharedAndReported) {
  join(1, "alice");
  join(9, "mon");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(9, 0, kMonitor);
  const std::uint32_t ha = dial(1, a, "2003");
  take(9);
  EXPECT_EQ(control(1, ha, wire::CallControl::SET_APP_SPECIFIC, "", 42), 0);
  EXPECT_EQ(take(9), (Lines{"CALLINFO hline=1 hcall=1 0x20"}));
  EXPECT_EQ(call_info(9, 1).call_info().app_specific(), 42u);
}

TEST_F(CallTest, DevCapsNeedNoOpenLine) {
  join(1, "alice");
  wire::ClientToServer m;
  auto* q = m.mutable_get_dev_caps();
  q->set_device_id(0);
  q->set_api_version(kV31);
  wire::Result r = call(1, m);
  ASSERT_EQ(r.result(), 0);
  EXPECT_EQ(r.dev_caps().line_name(), "Station 2001");
  EXPECT_EQ(r.dev_caps().permanent_line_id(), 1u);
  EXPECT_EQ(r.dev_caps().num_addresses(), 2u);
  EXPECT_EQ(r.dev_caps().media_modes(), LINEMEDIAMODE_INTERACTIVEVOICE);
  EXPECT_EQ(r.dev_caps().bearer_modes(), LINEBEARERMODE_VOICE);
  EXPECT_EQ(r.dev_caps().address_modes(), LINEADDRESSMODE_ADDRESSID | LINEADDRESSMODE_DIALABLEADDR);
  EXPECT_EQ(r.dev_caps().max_num_active_calls(), 2u);
  EXPECT_EQ(r.dev_caps().line_features(), LINEFEATURE_MAKECALL);
  EXPECT_EQ(r.dev_caps().line_states(), static_cast<std::uint32_t>(LINEDEVSTATE_NUMCALLS | LINEDEVSTATE_OUTOFSERVICE));
  EXPECT_EQ(r.dev_caps().provider_info(), "opentapi switch");
  EXPECT_EQ(r.dev_caps().switch_info(), "opentapid test");
  q->set_device_id(3);
  EXPECT_EQ(call(1, m).dev_caps().line_name(), "ACD queues");
  q->set_device_id(4);
  EXPECT_EQ(call(1, m).dev_caps().line_name(), "Outside lines");
  EXPECT_EQ(call(1, m).dev_caps().permanent_line_id(), 5u);
  q->set_device_id(5);
  EXPECT_EQ(call(1, m).result(), LINEERR_BADDEVICEID);
  q->set_device_id(0);
  q->set_api_version(0x00010004);
  EXPECT_EQ(call(1, m).result(), LINEERR_INCOMPATIBLEAPIVERSION);
  q->set_api_version(kV31);
  q->set_ext_version(1);
  EXPECT_EQ(call(1, m).result(), LINEERR_INCOMPATIBLEEXTVERSION);
}

TEST_F(CallTest, AddressCapsGiveTheNumber) {
  join(1, "alice");
  wire::ClientToServer m;
  auto* q = m.mutable_get_address_caps();
  q->set_device_id(1);
  q->set_address_id(1);
  q->set_api_version(kV31);
  wire::Result r = call(1, m);
  ASSERT_EQ(r.result(), 0);
  const wire::AddressCaps& c = r.address_caps();
  EXPECT_EQ(c.address(), "2004");
  EXPECT_EQ(c.line_device_id(), 1u);
  EXPECT_EQ(c.max_num_active_calls(), 1u);
  EXPECT_EQ(c.max_num_on_hold_calls(), 1u);
  EXPECT_EQ(c.addr_cap_flags(), 0u);
  EXPECT_EQ(c.call_features(), LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP | LINECALLFEATURE_HOLD |
                                   LINECALLFEATURE_UNHOLD | LINECALLFEATURE_BLINDTRANSFER | LINECALLFEATURE_REDIRECT |
                                   LINECALLFEATURE_SETCALLDATA);
  EXPECT_EQ(c.address_features(), LINEADDRFEATURE_MAKECALL);
  EXPECT_EQ(c.address_states(), LINEADDRESSSTATE_INUSEZERO | LINEADDRESSSTATE_INUSEONE | LINEADDRESSSTATE_NUMCALLS);
  EXPECT_EQ(c.disconnect_modes(), LINEDISCONNECTMODE_NORMAL | LINEDISCONNECTMODE_REJECT |
                                      LINEDISCONNECTMODE_BADADDRESS | LINEDISCONNECTMODE_UNAVAIL);
  EXPECT_EQ(c.max_call_data_size(), 4096u);
  EXPECT_EQ(c.available_media_modes(), LINEMEDIAMODE_INTERACTIVEVOICE);
  q->set_device_id(3);
  q->set_address_id(1);
  r = call(1, m);
  EXPECT_EQ(r.address_caps().address(), "8002");
  EXPECT_EQ(r.address_caps().addr_cap_flags(), LINEADDRCAPFLAGS_ROUTEPOINT);
  q->set_address_id(2);
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALADDRESSID);
  q->set_device_id(9);
  EXPECT_EQ(call(1, m).result(), LINEERR_BADDEVICEID);
}

TEST_F(CallTest, AddressAndLineStatusCountTheCalls) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t b = open_line(2, 1, kMonitor);
  wire::ClientToServer m;
  m.mutable_get_address_status()->set_hline(b);
  wire::Result r = call(2, m);
  EXPECT_EQ(r.address_status().num_in_use(), 0u);
  EXPECT_EQ(r.address_status().address_features(), LINEADDRFEATURE_MAKECALL);
  dial(1, a, "2003");
  r = call(2, m);
  EXPECT_EQ(r.address_status().num_in_use(), 1u);
  EXPECT_EQ(r.address_status().num_active_calls(), 1u);
  EXPECT_EQ(r.address_status().address_features(), 0u);  // busy
  m.mutable_get_address_status()->set_address_id(2);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALADDRESSID);
  m.mutable_get_address_status()->set_hline(99);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALLINEHANDLE);

  wire::ClientToServer s;
  s.mutable_get_line_dev_status()->set_hline(b);
  r = call(2, s);
  ASSERT_EQ(r.result(), 0);
  EXPECT_EQ(r.line_dev_status().num_opens(), 1u);
  EXPECT_EQ(r.line_dev_status().num_active_calls(), 1u);
  EXPECT_EQ(r.line_dev_status().dev_status_flags(), LINEDEVSTATUSFLAGS_CONNECTED | LINEDEVSTATUSFLAGS_INSERVICE);
  ASSERT_EQ(r.line_dev_status().app_info_size(), 1);
  EXPECT_EQ(r.line_dev_status().app_info(0).user_name(), "bob");
  EXPECT_EQ(r.line_dev_status().app_info(0).friendly_name(), "bob-app");
  EXPECT_EQ(r.line_dev_status().app_info(0).address_id(), 0xFFFFFFFFu);
  s.mutable_get_line_dev_status()->set_hline(99);
  EXPECT_EQ(call(2, s).result(), LINEERR_INVALLINEHANDLE);
}

TEST_F(CallTest, GetNewCallsGivesMonitorHandlesOnce) {
  join(1, "alice");
  join(2, "late");
  const std::uint32_t a = open_line(1, 0, kOwner);
  dial(1, a, "2003");
  const std::uint32_t late = open_line(2, 1, LINECALLPRIVILEGE_NONE);
  wire::ClientToServer m;
  auto* q = m.mutable_get_new_calls();
  q->set_hline(late);
  q->set_select(LINECALLSELECT_LINE);
  wire::Result r = call(2, m);
  ASSERT_EQ(r.result(), 0);
  ASSERT_EQ(r.hcalls_size(), 1);
  const std::uint32_t h = r.hcalls(0);
  EXPECT_EQ(call_status(2, h).call_status().call_privilege(), kMonitor);
  EXPECT_EQ(call(2, m).hcalls_size(), 0);  // it has a handle now
  q->set_select(LINECALLSELECT_ADDRESS);
  q->set_address_id(2);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALADDRESSID);
  q->set_select(LINECALLSELECT_CALL);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALCALLSELECT);
  q->set_hline(99);
  q->set_select(LINECALLSELECT_LINE);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALLINEHANDLE);
}

TEST_F(CallTest, GetAddressIdFindsTheNumberOnTheLine) {
  join(1, "alice");
  const std::uint32_t b = open_line(1, 1, kMonitor);
  wire::ClientToServer m;
  auto* q = m.mutable_get_address_id();
  q->set_hline(b);
  q->set_address_mode(LINEADDRESSMODE_DIALABLEADDR);
  q->set_address("2004");
  wire::Result r = call(1, m);
  EXPECT_EQ(r.result(), 0);
  EXPECT_EQ(r.address_id(), 1u);
  q->set_address("2001");
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALADDRESS);
  q->set_address_mode(LINEADDRESSMODE_ADDRESSID);
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALADDRESSMODE);
  q->set_hline(99);
  EXPECT_EQ(call(1, m).result(), LINEERR_INVALLINEHANDLE);
}

TEST_F(CallTest, StatusMessagesGoOnlyWhereAskedFor) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t b = open_line(2, 1, LINECALLPRIVILEGE_NONE);
  dial(1, a, "2003");
  EXPECT_TRUE(take(2).empty());  // lineOpen asks for none

  wire::ClientToServer m;
  auto* q = m.mutable_set_status_messages();
  q->set_hline(b);
  q->set_line_states(0x02000000);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALLINESTATE);
  q->set_line_states(LINEDEVSTATE_NUMCALLS | LINEDEVSTATE_RINGING);
  q->set_address_states(0x200);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALADDRESSSTATE);
  q->set_address_states(LINEADDRESSSTATE_NUMCALLS | LINEADDRESSSTATE_INUSEZERO);
  EXPECT_EQ(call(2, m).result(), 0);
  q->set_hline(99);
  EXPECT_EQ(call(2, m).result(), LINEERR_INVALLINEHANDLE);
  take(2);

  ASSERT_GT(control(1, 1, wire::CallControl::DROP), 0);  // 2003's call goes DISCONNECTED and, unowned, IDLE
  EXPECT_EQ(take(2), (Lines{"ADDRESSSTATE hline=1 hcall=0 addr=0 0x24", "LINEDEVSTATE hline=1 hcall=0 0x800"}));
}

// ---------------------------------------------------------------- going away

TEST_F(CallTest, ClosingTheLineDropsTheCallsItOwned) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t b = open_line(2, 1, kOwner);
  dial(1, a, "2003");
  take(1);
  take(2);
  EXPECT_EQ(close(2, b), 0);
  EXPECT_EQ(take(1), (Lines{"CALLSTATE hline=1 hcall=1 DISCONNECTED 0x1 0"}));
  EXPECT_EQ(board_->calls().size(), 1u);  // Alice's, until she drops and deallocates it
  EXPECT_EQ(take(2), (Lines{"Result 0"}));
}

TEST_F(CallTest, AnApplicationThatGoesAwayLeavesNoGhostCall) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(2, 1, kOwner);
  dial(1, a, "2003");
  ASSERT_GT(control(2, 1, wire::CallControl::ANSWER), 0);
  take(2);
  board_->disconnect(1);
  EXPECT_EQ(take(2), (Lines{"CALLSTATE hline=1 hcall=1 DISCONNECTED 0x1 0"}));
  ASSERT_GT(control(2, 1, wire::CallControl::DROP), 0);
  EXPECT_EQ(control(2, 1, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(board_->calls().size(), 0u);
}

TEST_F(CallTest, AnEndedCallNobodyOwnsIsDroppedForItsMonitors) {
  join(1, "alice");
  join(9, "acd");
  const std::uint32_t a = open_line(1, 0, kOwner);
  open_line(9, 1, kMonitor);
  const std::uint32_t ha = dial(1, a, "2003");
  take(9);
  ASSERT_GT(control(1, ha, wire::CallControl::DROP), 0);
  EXPECT_EQ(take(9), (Lines{"CALLSTATE hline=1 hcall=1 DISCONNECTED 0x1 0", "CALLSTATE hline=1 hcall=1 IDLE 0x0 0"}));
  EXPECT_EQ(control(9, 1, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(control(1, ha, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(board_->calls().size(), 0u);
}

TEST_F(CallTest, CallsNobodyHoldsAreForgotten) {
  join(1, "alice");
  const std::uint32_t a = open_line(1, 0, kOwner);
  const std::uint32_t ha = dial(1, a, "2003");  // nobody has 2003's line open
  ASSERT_GT(control(1, ha, wire::CallControl::DROP), 0);
  EXPECT_EQ(board_->calls().size(), 1u);  // 2003's was dropped and forgotten; Alice's is IDLE and held
  EXPECT_EQ(control(1, ha, wire::CallControl::DEALLOCATE), 0);
  EXPECT_EQ(board_->calls().size(), 0u);
  const SwitchboardStats stats = board_->stats();
  EXPECT_EQ(stats.calls, 0u);
  EXPECT_EQ(stats.calls_made, 1u);
}

}  // namespace
}  // namespace opentapi::server
