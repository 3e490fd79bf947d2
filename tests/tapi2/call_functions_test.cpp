// The call functions end to end against a real opentapid (its switch):
// applications place, offer, answer, hold, transfer and drop internal calls
// through tapi.h only, and see what docs/calls.md says they see — the
// messages, the structures, the codes.
//
// Numbering (docs/calls.md): `--lines 3`, two addresses per line, from
// "2001": line 0 has 2001 and 2002, line 1 2003 and 2004, line 2 2005 and
// 2006.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <cwchar>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace tapi2_test {
namespace {

constexpr DWORD kVoice = LINEMEDIAMODE_INTERACTIVEVOICE;
constexpr DWORD kOwner = LINECALLPRIVILEGE_OWNER;
constexpr DWORD kMonitor = LINECALLPRIVILEGE_MONITOR;

// A structure buffer of `size` bytes with dwTotalSize set.
template <class T>
struct Out {
  explicit Out(DWORD size = 2048) : bytes(size, 0) { std::memcpy(bytes.data(), &size, 4); }
  T* get() { return reinterpret_cast<T*>(bytes.data()); }
  T* operator->() { return get(); }
  const void* base() const { return bytes.data(); }
  std::string a(DWORD size, DWORD offset) const { return read_a(bytes.data(), size, offset); }
  std::wstring w(DWORD size, DWORD offset) const { return read_w(bytes.data(), size, offset); }
  std::vector<unsigned char> bytes;
};

bool is_state(const LINEMESSAGE& m, HCALL call, DWORD state) {
  return m.dwMessageID == LINE_CALLSTATE && m.hDevice == call && m.dwParam1 == state;
}

class CallFunctions : public testing::Test {
 protected:
  static constexpr DWORD_PTR kCallerInstance = 0xC0;
  static constexpr DWORD_PTR kCalleeInstance = 0xCE;

  void SetUp() override {
    server_ = std::make_unique<Server>(3);
    caller_ = std::make_unique<App>(false, "caller desk");
    callee_ = std::make_unique<App>(false, "callee desk");
    ASSERT_EQ(caller_->init_result(), 0);
    ASSERT_EQ(callee_->init_result(), 0);
    caller_line_ = caller_->open(0, kCallerInstance, false, kOwner, kVoice);
    callee_line_ = callee_->open(1, kCalleeInstance, false, kOwner, kVoice);
    ASSERT_NE(caller_line_, 0u);
    ASSERT_NE(callee_line_, 0u);
  }

  // The LINE_REPLY result of an asynchronous call that must have started.
  static LONG complete(App& app, LONG request_id) {
    EXPECT_GT(request_id, 0) << "an asynchronous function returns a positive request ID";
    if (request_id <= 0) return request_id;
    const auto result = app.reply(request_id);
    EXPECT_TRUE(result) << "no LINE_REPLY for request " << request_id;
    return result.value_or(LINEERR_OPERATIONFAILED);
  }

  // Waits for LINE_CALLSTATE(state) on `call`; its message.
  static std::optional<LINEMESSAGE> state(App& app, HCALL call, DWORD s) {
    auto m = app.wait([&](const LINEMESSAGE& x) { return is_state(x, call, s); });
    EXPECT_TRUE(m) << "no LINE_CALLSTATE 0x" << std::hex << s << " for call " << call;
    return m;
  }

  // Waits for LINE_APPNEWCALL on `line`; the new handle (0 if none).
  static HCALL new_call(App& app, HLINE line, DWORD privilege, DWORD address = 0) {
    const auto m =
        app.wait([&](const LINEMESSAGE& x) { return x.dwMessageID == LINE_APPNEWCALL && x.hDevice == line; });
    EXPECT_TRUE(m) << "no LINE_APPNEWCALL on line " << line;
    if (!m) return 0;
    EXPECT_EQ(m->dwParam1, address);
    EXPECT_EQ(m->dwParam3, privilege);
    EXPECT_NE(m->dwParam2, 0u);
    return static_cast<HCALL>(m->dwParam2);
  }

  // lineMakeCallA from the caller's line to `number`; the handle.
  HCALL dial(const char* number) {
    HCALL call = 0;
    EXPECT_EQ(complete(*caller_, lineMakeCallA(caller_line_, &call, number, 0, nullptr)), 0);
    EXPECT_NE(call, 0u);
    return call;
  }

  // A call from the caller (2001) to the callee (2003), answered; the two handles.
  std::pair<HCALL, HCALL> connected_call() {
    const HCALL a = dial("2003");
    const HCALL b = new_call(*callee_, callee_line_, kOwner);
    state(*callee_, b, LINECALLSTATE_OFFERING);
    EXPECT_EQ(complete(*callee_, lineAnswer(b, nullptr, 0)), 0);
    state(*caller_, a, LINECALLSTATE_CONNECTED);
    state(*callee_, b, LINECALLSTATE_CONNECTED);
    return {a, b};
  }

  static DWORD call_state(HCALL call, DWORD* mode = nullptr, DWORD* privilege = nullptr) {
    Out<LINECALLSTATUS> s(sizeof(LINECALLSTATUS));
    EXPECT_EQ(lineGetCallStatus(call, s.get()), 0);
    if (mode != nullptr) *mode = s->dwCallStateMode;
    if (privilege != nullptr) *privilege = s->dwCallPrivilege;
    return s->dwCallState;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> caller_;
  std::unique_ptr<App> callee_;
  HLINE caller_line_ = 0;
  HLINE callee_line_ = 0;
};

TEST_F(CallFunctions, InternalCallFromDialToIdle) {
  HCALL a = 0;
  const LONG id = lineMakeCallA(caller_line_, &a, "2003", 0, nullptr);
  ASSERT_EQ(complete(*caller_, id), 0);
  ASSERT_NE(a, 0u);
  // The callee is offered the call with OWNER privilege.
  const HCALL b = new_call(*callee_, callee_line_, kOwner);
  ASSERT_NE(b, 0u);
  const auto offering = state(*callee_, b, LINECALLSTATE_OFFERING);
  ASSERT_TRUE(offering);
  EXPECT_EQ(offering->dwParam2, LINEOFFERINGMODE_ACTIVE);
  EXPECT_EQ(offering->dwParam3, kOwner) << "the first LINE_CALLSTATE after LINE_APPNEWCALL carries the privilege";
  EXPECT_EQ(offering->dwCallbackInstance, kCalleeInstance);
  const auto ringback = state(*caller_, a, LINECALLSTATE_RINGBACK);
  ASSERT_TRUE(ringback);
  EXPECT_EQ(ringback->dwCallbackInstance, kCallerInstance);
  EXPECT_FALSE(caller_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; }, 200ms))
      << "the placing application gets no LINE_APPNEWCALL for its own call";

  // Who is calling, as the callee's desktop reads it.
  Out<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoA(b, info.get()), 0);
  EXPECT_EQ(info->hLine, callee_line_);
  EXPECT_EQ(info->dwLineDeviceID, 1u);
  EXPECT_EQ(info->dwAddressID, 0u);
  EXPECT_EQ(info->dwMediaMode, kVoice);
  EXPECT_EQ(info->dwBearerMode, LINEBEARERMODE_VOICE);
  EXPECT_EQ(info->dwNeededSize, info->dwUsedSize);
  EXPECT_NE(info->dwCallerIDFlags & LINECALLPARTYID_ADDRESS, 0u);
  EXPECT_EQ(info.a(info->dwCallerIDSize, info->dwCallerIDOffset), "2001");
  EXPECT_EQ(info.a(info->dwCalledIDSize, info->dwCalledIDOffset), "2003");
  Out<LINECALLINFO> mine;
  ASSERT_EQ(lineGetCallInfo(a, mine.get()), 0);  // the unsuffixed (ANSI) export
  EXPECT_NE(mine->dwCallID, info->dwCallID);
  EXPECT_EQ(info->dwRelatedCallID, mine->dwCallID) << "each appearance names the other";
  EXPECT_EQ(mine->dwRelatedCallID, info->dwCallID);
  DWORD address = 9, call_id = 0, related = 0;
  ASSERT_EQ(lineGetCallIDs(b, &address, &call_id, &related), 0);
  EXPECT_EQ(address, 0u);
  EXPECT_EQ(call_id, info->dwCallID);
  EXPECT_EQ(related, mine->dwCallID);

  // Answer: CONNECTED on both sides.
  ASSERT_EQ(complete(*callee_, lineAnswer(b, nullptr, 0)), 0);
  ASSERT_TRUE(state(*callee_, b, LINECALLSTATE_CONNECTED));
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_CONNECTED));
  DWORD privilege = 0;
  EXPECT_EQ(call_state(b, nullptr, &privilege), LINECALLSTATE_CONNECTED);
  EXPECT_EQ(privilege, kOwner);

  // Hold and unhold: the holding side ONHOLD, the other stays CONNECTED.
  ASSERT_EQ(complete(*callee_, lineHold(b)), 0);
  ASSERT_TRUE(state(*callee_, b, LINECALLSTATE_ONHOLD));
  EXPECT_EQ(call_state(a), LINECALLSTATE_CONNECTED);
  EXPECT_EQ(lineHold(b), LINEERR_INVALCALLSTATE) << "holding a held call";
  ASSERT_EQ(complete(*callee_, lineUnhold(b)), 0);
  ASSERT_TRUE(state(*callee_, b, LINECALLSTATE_CONNECTED));

  // The caller hangs up: IDLE there, DISCONNECTED (NORMAL) at the callee.
  ASSERT_EQ(complete(*caller_, lineDrop(a, nullptr, 0)), 0);
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_IDLE));
  const auto disconnected = state(*callee_, b, LINECALLSTATE_DISCONNECTED);
  ASSERT_TRUE(disconnected);
  EXPECT_EQ(disconnected->dwParam2, LINEDISCONNECTMODE_NORMAL);
  ASSERT_EQ(complete(*callee_, lineDrop(b, nullptr, 0)), 0);
  ASSERT_TRUE(state(*callee_, b, LINECALLSTATE_IDLE));

  EXPECT_EQ(lineDeallocateCall(a), 0);
  EXPECT_EQ(lineDeallocateCall(b), 0);
  Out<LINECALLSTATUS> status;
  EXPECT_EQ(lineGetCallStatus(a, status.get()), LINEERR_INVALCALLHANDLE) << "a deallocated handle";
  EXPECT_EQ(lineDeallocateCall(b), LINEERR_INVALCALLHANDLE);
}

TEST_F(CallFunctions, MakeCallRepliesBeforeTheCallsFirstState) {
  HCALL a = 0;
  const LONG id = lineMakeCallA(caller_line_, &a, "2003", 0, nullptr);
  ASSERT_GT(id, 0);
  // Once the caller hears ringback, everything before it is queued, in order.
  ASSERT_TRUE(caller_->wait(
      [](const LINEMESSAGE& m) { return m.dwMessageID == LINE_CALLSTATE && m.dwParam1 == LINECALLSTATE_RINGBACK; }));
  const std::vector<LINEMESSAGE> seen = caller_->take_all();
  const auto reply = std::find_if(seen.begin(), seen.end(), [&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_REPLY && m.dwParam1 == static_cast<DWORD_PTR>(id);
  });
  ASSERT_NE(reply, seen.end()) << "LINE_REPLY must come before the call's first LINE_CALLSTATE";
  EXPECT_EQ(reply->dwParam2, 0u);
  for (auto it = seen.begin(); it != reply; ++it) {
    EXPECT_NE(it->dwMessageID, static_cast<DWORD>(LINE_CALLSTATE));
  }
  EXPECT_NE(a, 0u) << "*lphCall is written before LINE_REPLY";
  for (auto it = reply + 1; it != seen.end(); ++it) {
    if (it->dwMessageID == LINE_CALLSTATE) {
      EXPECT_EQ(it->hDevice, a);
    }
  }
}

TEST_F(CallFunctions, WideFormsTakeAndReturnWideStrings) {
  HCALL a = 0;
  ASSERT_EQ(complete(*caller_, lineMakeCallW(caller_line_, &a, L"2003", 0, nullptr)), 0);
  const HCALL b = new_call(*callee_, callee_line_, kOwner);
  Out<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoW(b, info.get()), 0);
  EXPECT_EQ(info.w(info->dwCallerIDSize, info->dwCallerIDOffset), L"2001");
  EXPECT_EQ(info->dwCallerIDSize, 5u * sizeof(wchar_t));
  EXPECT_EQ(info.w(info->dwCalledIDSize, info->dwCalledIDOffset), L"2003");
  Out<LINECALLINFO> narrow;
  ASSERT_EQ(lineGetCallInfoA(b, narrow.get()), 0);
  EXPECT_EQ(narrow->dwCallerIDSize, 5u);
  // The maker's application name, on the maker's appearance (docs/calls.md).
  Out<LINECALLINFO> maker;
  ASSERT_EQ(lineGetCallInfoW(a, maker.get()), 0);
  EXPECT_EQ(maker.w(maker->dwAppNameSize, maker->dwAppNameOffset), L"caller desk");
  ASSERT_EQ(lineGetCallInfoA(a, maker.get()), 0);
  EXPECT_EQ(maker.a(maker->dwAppNameSize, maker->dwAppNameOffset), "caller desk");

  DWORD id = 9;
  EXPECT_EQ(lineGetAddressIDW(callee_line_, &id, LINEADDRESSMODE_DIALABLEADDR, L"2004", 5 * sizeof(wchar_t)), 0);
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(lineGetAddressIDA(callee_line_, &id, LINEADDRESSMODE_DIALABLEADDR, "2003", 5), 0);
  EXPECT_EQ(id, 0u);
  EXPECT_EQ(lineGetAddressID(callee_line_, &id, LINEADDRESSMODE_DIALABLEADDR, "2004xyz", 4), 0)
      << "dwSize bounds the number";
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(lineGetAddressIDA(callee_line_, &id, LINEADDRESSMODE_DIALABLEADDR, "2001", 5), LINEERR_INVALADDRESS)
      << "a number of another line";
  EXPECT_EQ(lineGetAddressIDA(callee_line_, &id, LINEADDRESSMODE_ADDRESSID, "2003", 5), LINEERR_INVALADDRESSMODE);
  EXPECT_EQ(lineGetAddressIDA(callee_line_, nullptr, LINEADDRESSMODE_DIALABLEADDR, "2003", 5), LINEERR_INVALPOINTER);
}

TEST_F(CallFunctions, DevCapsAndAddressCapsInBothCharsets) {
  Out<LINEDEVCAPS> a;
  ASSERT_EQ(lineGetDevCapsA(caller_->handle(), 0, kApiVersion, 0, a.get()), 0);
  EXPECT_EQ(a->dwStringFormat, STRINGFORMAT_ASCII);
  EXPECT_EQ(a.a(a->dwLineNameSize, a->dwLineNameOffset), "Station 2001");
  EXPECT_EQ(a->dwNumAddresses, 2u);
  EXPECT_NE(a->dwMediaModes & kVoice, 0u);
  EXPECT_EQ(a->dwPermanentLineID & 0xFFFF, 1u) << "device id + 1";
  EXPECT_EQ(a->dwNeededSize, a->dwUsedSize);
  Out<LINEDEVCAPS> w;
  ASSERT_EQ(lineGetDevCapsW(caller_->handle(), 2, kApiVersion, 0, w.get()), 0);
  EXPECT_EQ(w->dwStringFormat, STRINGFORMAT_UNICODE);
  EXPECT_EQ(w.w(w->dwLineNameSize, w->dwLineNameOffset), L"Station 2005");
  Out<LINEDEVCAPS> plain;
  ASSERT_EQ(lineGetDevCaps(caller_->handle(), 1, kApiVersion, 0, plain.get()), 0);
  EXPECT_EQ(plain->dwStringFormat, STRINGFORMAT_ASCII);

  Out<LINEADDRESSCAPS> caps;
  ASSERT_EQ(lineGetAddressCapsA(caller_->handle(), 1, 1, kApiVersion, 0, caps.get()), 0);
  EXPECT_EQ(caps.a(caps->dwAddressSize, caps->dwAddressOffset), "2004");
  EXPECT_EQ(caps->dwLineDeviceID, 1u);
  EXPECT_NE(caps->dwCallFeatures & LINECALLFEATURE_ANSWER, 0u);
  Out<LINEADDRESSCAPS> wcaps;
  ASSERT_EQ(lineGetAddressCapsW(caller_->handle(), 1, 0, kApiVersion, 0, wcaps.get()), 0);
  EXPECT_EQ(wcaps.w(wcaps->dwAddressSize, wcaps->dwAddressOffset), L"2003");

  EXPECT_EQ(lineGetDevCapsA(caller_->handle(), 99, kApiVersion, 0, a.get()), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineGetDevCapsA(caller_->handle(), 0, 0x00010000, 0, a.get()), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineGetDevCapsA(0xBAD, 0, kApiVersion, 0, a.get()), LINEERR_INVALAPPHANDLE);
  EXPECT_EQ(lineGetDevCapsA(caller_->handle(), 0, kApiVersion, 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetAddressCapsA(caller_->handle(), 0, 2, kApiVersion, 0, caps.get()), LINEERR_INVALADDRESSID);
}

TEST_F(CallFunctions, BuffersTooSmallGetDwNeededSize) {
  const auto [a, b] = connected_call();
  // Below the fixed part: STRUCTURETOOSMALL, dwNeededSize = the fixed part.
  Out<LINECALLINFO> tiny(sizeof(LINECALLINFO) - 1);
  EXPECT_EQ(lineGetCallInfoA(b, tiny.get()), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(tiny->dwNeededSize, sizeof(LINECALLINFO));
  // The fixed part alone: success, the strings left out and counted.
  Out<LINECALLINFO> fixed(sizeof(LINECALLINFO));
  ASSERT_EQ(lineGetCallInfoW(b, fixed.get()), 0);
  EXPECT_EQ(fixed->dwUsedSize, sizeof(LINECALLINFO));
  EXPECT_GT(fixed->dwNeededSize, fixed->dwUsedSize);
  EXPECT_EQ(fixed->dwCallerIDSize, 0u);
  EXPECT_EQ(fixed->dwCallerIDOffset, 0u);
  EXPECT_NE(fixed->dwCallID, 0u) << "the fixed part is always filled";
  // Retry with dwNeededSize: everything.
  Out<LINECALLINFO> retry(fixed->dwNeededSize);
  ASSERT_EQ(lineGetCallInfoW(b, retry.get()), 0);
  EXPECT_EQ(retry->dwUsedSize, retry->dwNeededSize);
  EXPECT_EQ(retry.w(retry->dwCallerIDSize, retry->dwCallerIDOffset), L"2001");

  Out<LINECALLSTATUS> status(sizeof(LINECALLSTATUS) - 4);
  EXPECT_EQ(lineGetCallStatus(a, status.get()), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(status->dwNeededSize, sizeof(LINECALLSTATUS));

  Out<LINEDEVCAPS> caps(sizeof(LINEDEVCAPS));
  ASSERT_EQ(lineGetDevCapsW(caller_->handle(), 0, kApiVersion, 0, caps.get()), 0);
  EXPECT_GT(caps->dwNeededSize, caps->dwUsedSize);
  EXPECT_EQ(caps->dwLineNameSize, 0u);
  Out<LINEDEVCAPS> small_caps(100);
  EXPECT_EQ(lineGetDevCapsA(caller_->handle(), 0, kApiVersion, 0, small_caps.get()), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(small_caps->dwNeededSize, sizeof(LINEDEVCAPS));
  // A 2.0 application's LINEDEVCAPS is 252 bytes.
  Out<LINEDEVCAPS> v20(252);
  ASSERT_EQ(lineGetDevCapsA(caller_->handle(), 0, 0x00020000, 0, v20.get()), 0);
  EXPECT_EQ(v20->dwUsedSize, 252u);

  Out<LINEADDRESSCAPS> address(sizeof(LINEADDRESSCAPS) - 1);
  EXPECT_EQ(lineGetAddressCapsA(caller_->handle(), 0, 0, kApiVersion, 0, address.get()), LINEERR_STRUCTURETOOSMALL);
  Out<LINEADDRESSSTATUS> as(sizeof(LINEADDRESSSTATUS) - 1);
  EXPECT_EQ(lineGetAddressStatus(callee_line_, 0, as.get()), LINEERR_STRUCTURETOOSMALL);
  Out<LINEDEVSTATUS> ds(sizeof(LINEDEVSTATUS));
  ASSERT_EQ(lineGetLineDevStatusA(callee_line_, ds.get()), 0);
  EXPECT_GT(ds->dwNeededSize, ds->dwUsedSize) << "the LINEAPPINFO array did not fit";
  EXPECT_EQ(ds->dwAppInfoSize, 0u);
  EXPECT_EQ(ds->dwNumOpens, 1u);
}

TEST_F(CallFunctions, AVersion20LineGetsThe20Layout) {
  HLINE old = 0;
  ASSERT_EQ(lineOpenA(callee_->handle(), 1, &old, 0x00020000, 0, 5, kMonitor, kVoice, nullptr), 0);
  dial("2003");
  const HCALL m = new_call(*callee_, old, kMonitor);
  Out<LINECALLINFO> info(324);
  ASSERT_EQ(lineGetCallInfoA(m, info.get()), 0) << "324 bytes are a whole 2.0 LINECALLINFO";
  Out<LINECALLINFO> more;
  ASSERT_EQ(lineGetCallInfoA(m, more.get()), 0);
  EXPECT_EQ(more->dwCallerIDOffset, 324u) << "the variable part follows the 2.0 fixed part";
  EXPECT_EQ(more.a(more->dwCallerIDSize, more->dwCallerIDOffset), "2001");
}

TEST_F(CallFunctions, MonitorSeesEveryCallAndCannotControlIt) {
  App supervisor(false, "supervisor");
  ASSERT_EQ(supervisor.init_result(), 0);
  const HLINE watched = supervisor.open(1, 0x5E, false, kMonitor, kVoice);
  ASSERT_NE(watched, 0u);
  const HCALL a = dial("2003");
  const HCALL m = new_call(supervisor, watched, kMonitor);
  const auto offering = state(supervisor, m, LINECALLSTATE_OFFERING);
  ASSERT_TRUE(offering);
  EXPECT_EQ(offering->dwParam3, kMonitor);
  const HCALL b = new_call(*callee_, callee_line_, kOwner);
  EXPECT_NE(m, b) << "each application has its own handle";

  EXPECT_EQ(lineAnswer(m, nullptr, 0), LINEERR_NOTOWNER);
  EXPECT_EQ(lineDrop(m, nullptr, 0), LINEERR_NOTOWNER);
  EXPECT_EQ(lineRedirectA(m, "2005", 0), LINEERR_NOTOWNER);
  DWORD privilege = 0;
  EXPECT_EQ(call_state(m, nullptr, &privilege), LINECALLSTATE_OFFERING);
  EXPECT_EQ(privilege, kMonitor);

  // The monitor follows the call to its end.
  ASSERT_EQ(complete(*callee_, lineAnswer(b, nullptr, 0)), 0);
  ASSERT_TRUE(state(supervisor, m, LINECALLSTATE_CONNECTED));
  ASSERT_EQ(complete(*caller_, lineDrop(a, nullptr, 0)), 0);
  const auto disconnected = state(supervisor, m, LINECALLSTATE_DISCONNECTED);
  ASSERT_TRUE(disconnected);
  EXPECT_EQ(disconnected->dwParam2, LINEDISCONNECTMODE_NORMAL);
  EXPECT_EQ(lineDeallocateCall(m), 0) << "a monitor can always free its handle";

  // The last owner of a call that is not IDLE cannot walk away from it.
  EXPECT_EQ(lineDeallocateCall(b), LINEERR_INVALCALLSTATE);
}

TEST_F(CallFunctions, MonitorTakesOwnershipAndAnswers) {
  App supervisor(false, "supervisor");
  ASSERT_EQ(supervisor.init_result(), 0);
  const HLINE watched = supervisor.open(1, 0, false, kMonitor, kVoice);
  const HCALL a = dial("2003");
  const HCALL m = new_call(supervisor, watched, kMonitor);
  state(supervisor, m, LINECALLSTATE_OFFERING);
  EXPECT_EQ(lineSetCallPrivilege(m, 0x10), LINEERR_INVALCALLPRIVILEGE);
  ASSERT_EQ(lineSetCallPrivilege(m, kOwner), 0);
  ASSERT_EQ(complete(supervisor, lineAnswer(m, nullptr, 0)), 0);
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_CONNECTED));
}

TEST_F(CallFunctions, AppSpecificAndCallDataReachEveryHandleHolder) {
  const auto [a, b] = connected_call();
  ASSERT_EQ(lineSetAppSpecific(b, 0x1234), 0);
  const auto changed = callee_->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_CALLINFO && m.hDevice == b && (m.dwParam1 & LINECALLINFOSTATE_APPSPECIFIC) != 0;
  });
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->dwCallbackInstance, kCalleeInstance);
  Out<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoA(b, info.get()), 0);
  EXPECT_EQ(info->dwAppSpecific, 0x1234u);

  const char data[] = {'q', '=', '1', 0, 7};
  ASSERT_EQ(complete(*callee_, lineSetCallData(b, const_cast<char*>(data), sizeof data)), 0);
  ASSERT_TRUE(callee_->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_CALLINFO && m.hDevice == b && (m.dwParam1 & LINECALLINFOSTATE_CALLDATA) != 0;
  }));
  ASSERT_EQ(lineGetCallInfoW(b, info.get()), 0);
  ASSERT_EQ(info->dwCallDataSize, sizeof data);
  EXPECT_EQ(std::memcmp(info.bytes.data() + info->dwCallDataOffset, data, sizeof data), 0);
  EXPECT_EQ(lineSetCallData(b, nullptr, 4), LINEERR_INVALPOINTER);
  (void)a;
}

TEST_F(CallFunctions, BadHandlesAndPointers) {
  HCALL call = 0;
  Out<LINECALLINFO> info;
  Out<LINECALLSTATUS> status;
  EXPECT_EQ(lineMakeCallA(0xBAD, &call, "2003", 0, nullptr), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(lineMakeCallA(caller_line_, nullptr, "2003", 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineMakeCallA(0xBAD, nullptr, "2003", 0, nullptr), LINEERR_INVALPOINTER) << "pointers before handles";
  for (const HCALL bad : {HCALL{0}, HCALL{0xDEAD}}) {
    EXPECT_EQ(lineAnswer(bad, nullptr, 0), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineDrop(bad, nullptr, 0), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineHold(bad), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineUnhold(bad), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineDeallocateCall(bad), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineGetCallInfoA(bad, info.get()), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineGetCallStatus(bad, status.get()), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineBlindTransferA(bad, "2005", 0), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineRedirectW(bad, L"2005", 0), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineSetCallPrivilege(bad, kOwner), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineSetAppSpecific(bad, 1), LINEERR_INVALCALLHANDLE);
    EXPECT_EQ(lineSetCallData(bad, nullptr, 0), LINEERR_INVALCALLHANDLE);
  }
  const auto [a, b] = connected_call();
  EXPECT_EQ(lineGetCallInfoA(b, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetCallStatus(b, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineBlindTransferA(b, nullptr, 0), LINEERR_INVALPOINTER);
  DWORD x = 0;
  EXPECT_EQ(lineGetCallIDs(b, &x, nullptr, &x), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineAnswer(b, "uui", 3), LINEERR_USERUSERINFOTOOBIG);
  EXPECT_EQ(lineAnswer(b, nullptr, 0), LINEERR_INVALCALLSTATE) << "answering a CONNECTED call";
  // A handle dies with its line.
  ASSERT_EQ(lineClose(callee_line_), 0);
  EXPECT_EQ(lineGetCallStatus(b, status.get()), LINEERR_INVALCALLHANDLE) << "closing the line freed its handles";
  // The server dropped the call of the owner that went away.
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_DISCONNECTED));
}

TEST_F(CallFunctions, UnknownAndMalformedNumbers) {
  HCALL call = 0;
  ASSERT_EQ(complete(*caller_, lineMakeCallA(caller_line_, &call, "2999", 0, nullptr)), 0);
  const auto gone = state(*caller_, call, LINECALLSTATE_DISCONNECTED);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->dwParam2, LINEDISCONNECTMODE_BADADDRESS);
  ASSERT_EQ(complete(*caller_, lineDrop(call, nullptr, 0)), 0);
  EXPECT_EQ(lineDeallocateCall(call), 0);

  HCALL none = 0;
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "20x3", 0, nullptr), LINEERR_INVALADDRESS);
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "", 0, nullptr), LINEERR_INVALADDRESS);
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, nullptr, 0, nullptr), LINEERR_INVALADDRESS);
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "\xFF\xFE", 0, nullptr), LINEERR_INVALADDRESS);
  EXPECT_EQ(lineMakeCallW(caller_line_, &none, L"123456789012345678901234567890123", 0, nullptr), LINEERR_INVALADDRESS)
      << "33 digits";
  EXPECT_EQ(none, 0u) << "*lphCall untouched on failure";
}

TEST_F(CallFunctions, CallParamsChooseTheAddressAndAreChecked) {
  std::vector<unsigned char> bytes(sizeof(LINECALLPARAMS) + 16, 0);
  auto* p = reinterpret_cast<LINECALLPARAMS*>(bytes.data());
  p->dwTotalSize = static_cast<DWORD>(bytes.size());
  p->dwMediaMode = kVoice;
  p->dwAddressMode = LINEADDRESSMODE_DIALABLEADDR;
  p->dwOrigAddressSize = 5;
  p->dwOrigAddressOffset = sizeof(LINECALLPARAMS);
  std::memcpy(bytes.data() + sizeof(LINECALLPARAMS), "2002", 5);
  HCALL a = 0;
  ASSERT_EQ(complete(*caller_, lineMakeCallA(caller_line_, &a, "2003", 0, p)), 0);
  Out<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoA(a, info.get()), 0);
  EXPECT_EQ(info->dwAddressID, 1u) << "2002 is address 1 of line 0";
  const HCALL b = new_call(*callee_, callee_line_, kOwner);
  ASSERT_EQ(lineGetCallInfoA(b, info.get()), 0);
  EXPECT_EQ(info.a(info->dwCallerIDSize, info->dwCallerIDOffset), "2002");

  HCALL none = 0;
  p->dwOrigAddressOffset = 4000;
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "2005", 0, p), LINEERR_INVALCALLPARAMS);
  p->dwOrigAddressOffset = sizeof(LINECALLPARAMS);
  p->dwMediaMode = kVoice | LINEMEDIAMODE_G3FAX;
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "2005", 0, p), LINEERR_INVALMEDIAMODE);
  p->dwMediaMode = kVoice;
  p->dwAddressMode = 7;
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "2005", 0, p), LINEERR_INVALADDRESSMODE);
  p->dwAddressMode = LINEADDRESSMODE_ADDRESSID;
  p->dwAddressID = 5;
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "2005", 0, p), LINEERR_INVALADDRESSID);
  p->dwAddressID = 0;
  p->dwTotalSize = 100;
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "2005", 0, p), LINEERR_STRUCTURETOOSMALL);
  p->dwTotalSize = static_cast<DWORD>(bytes.size());
  p->dwCallingPartyIDSize = 5;
  p->dwCallingPartyIDOffset = sizeof(LINECALLPARAMS);
  EXPECT_EQ(lineMakeCallA(caller_line_, &none, "2005", 0, p), LINEERR_INVALCALLPARAMS)
      << "only the trunk presents another caller ID";
}

TEST_F(CallFunctions, BlindTransferOffersTheCallElsewhere) {
  App third(true, "third desk");
  ASSERT_EQ(third.init_result(), 0);
  const HLINE third_line = third.open(2, 0x3D, true, kOwner, kVoice);
  ASSERT_NE(third_line, 0u);
  const auto [a, b] = connected_call();
  ASSERT_EQ(complete(*callee_, lineBlindTransferW(b, L"2005", 0)), 0);
  ASSERT_TRUE(state(*callee_, b, LINECALLSTATE_IDLE));
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_RINGBACK));
  const HCALL c = new_call(third, third_line, kOwner);
  ASSERT_TRUE(state(third, c, LINECALLSTATE_OFFERING));
  Out<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoW(c, info.get()), 0);
  EXPECT_EQ(info->dwReason, LINECALLREASON_TRANSFER);
  EXPECT_EQ(info.w(info->dwCallerIDSize, info->dwCallerIDOffset), L"2001");
  ASSERT_EQ(complete(third, lineAnswer(c, nullptr, 0)), 0);
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_CONNECTED));
  EXPECT_EQ(lineBlindTransferA(a, "20x5", 0), LINEERR_INVALADDRESS);
}

TEST_F(CallFunctions, RedirectDeflectsAnOfferedCall) {
  App third(false, "third desk");
  ASSERT_EQ(third.init_result(), 0);
  const HLINE third_line = third.open(2, 0, false, kOwner, kVoice);
  const HCALL a = dial("2003");
  const HCALL b = new_call(*callee_, callee_line_, kOwner);
  state(*callee_, b, LINECALLSTATE_OFFERING);
  ASSERT_EQ(complete(*callee_, lineRedirectA(b, "2006", 0)), 0);
  ASSERT_TRUE(state(*callee_, b, LINECALLSTATE_IDLE));
  const HCALL c = new_call(third, third_line, kOwner, 1);
  ASSERT_TRUE(state(third, c, LINECALLSTATE_OFFERING));
  EXPECT_EQ(call_state(a), LINECALLSTATE_RINGBACK) << "the caller keeps ringing";
  Out<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfo(c, info.get()), 0);
  EXPECT_EQ(info->dwReason, LINECALLREASON_REDIRECT);
  EXPECT_EQ(info.a(info->dwRedirectingIDSize, info->dwRedirectingIDOffset), "2003");
  EXPECT_EQ(info.a(info->dwCallerIDSize, info->dwCallerIDOffset), "2001");
  ASSERT_EQ(complete(third, lineAnswer(c, nullptr, 0)), 0);
  ASSERT_TRUE(state(*caller_, a, LINECALLSTATE_CONNECTED));
}

TEST_F(CallFunctions, StatusMessagesOnlyForTheOpenThatAskedForThem) {
  App quiet(false, "quiet");
  ASSERT_EQ(quiet.init_result(), 0);
  const HLINE quiet_line = quiet.open(1, 0, false, LINECALLPRIVILEGE_NONE, 0);
  ASSERT_NE(quiet_line, 0u);
  ASSERT_EQ(lineSetStatusMessages(callee_line_, LINEDEVSTATE_NUMCALLS, LINEADDRESSSTATE_NUMCALLS), 0);
  dial("2003");
  const auto dev = callee_->wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_LINEDEVSTATE; });
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->hDevice, callee_line_);
  EXPECT_EQ(dev->dwParam1, LINEDEVSTATE_NUMCALLS);
  const auto address = callee_->wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_ADDRESSSTATE; });
  ASSERT_TRUE(address);
  EXPECT_EQ(address->dwParam1, 0u);
  EXPECT_EQ(address->dwParam2, LINEADDRESSSTATE_NUMCALLS);
  for (const auto& m : quiet.take_all()) {
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_LINEDEVSTATE)) << "nobody asked on this open";
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_ADDRESSSTATE));
  }
  EXPECT_EQ(lineSetStatusMessages(0xBAD, 0, 0), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(lineSetStatusMessages(callee_line_, 0x80000000, 0), LINEERR_INVALLINESTATE);
  EXPECT_EQ(lineSetStatusMessages(callee_line_, 0, 0x80000000), LINEERR_INVALADDRESSSTATE);
}

TEST_F(CallFunctions, GetNewCallsHandsOutMonitorHandles) {
  const auto [a, b] = connected_call();
  App late(false, "late");
  ASSERT_EQ(late.init_result(), 0);
  const HLINE line = late.open(1, 0, false, LINECALLPRIVILEGE_NONE, 0);
  ASSERT_NE(line, 0u);
  Out<LINECALLLIST> tiny(20);
  EXPECT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_LINE, tiny.get()), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(tiny->dwNeededSize, sizeof(LINECALLLIST));
  EXPECT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_CALL, tiny.get()), LINEERR_INVALCALLSELECT);
  EXPECT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_LINE, nullptr), LINEERR_INVALPOINTER);
  // Room for the header only: the handle is given back, and the retry gets it.
  Out<LINECALLLIST> header(sizeof(LINECALLLIST));
  ASSERT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_LINE, header.get()), 0);
  EXPECT_EQ(header->dwCallsNumEntries, 0u);
  EXPECT_EQ(header->dwNeededSize, sizeof(LINECALLLIST) + sizeof(HCALL));
  Out<LINECALLLIST> list(header->dwNeededSize);
  ASSERT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_LINE, list.get()), 0);
  ASSERT_EQ(list->dwCallsNumEntries, 1u);
  HCALL m = 0;
  std::memcpy(&m, list.bytes.data() + list->dwCallsOffset, sizeof m);
  DWORD privilege = 0;
  EXPECT_EQ(call_state(m, nullptr, &privilege), LINECALLSTATE_CONNECTED);
  EXPECT_EQ(privilege, kMonitor);
  DWORD address = 9, id = 0, related = 0;
  ASSERT_EQ(lineGetCallIDs(m, &address, &id, &related), 0);
  DWORD b_address = 9, b_id = 0, b_related = 0;
  ASSERT_EQ(lineGetCallIDs(b, &b_address, &b_id, &b_related), 0);
  EXPECT_EQ(id, b_id) << "the same appearance";
  EXPECT_EQ(address, 0u);
  // Nothing new the second time.
  Out<LINECALLLIST> again;
  ASSERT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_ADDRESS, again.get()), 0);
  EXPECT_EQ(again->dwCallsNumEntries, 0u);
  EXPECT_EQ(lineGetNewCalls(line, 5, LINECALLSELECT_ADDRESS, again.get()), LINEERR_INVALADDRESSID);
  EXPECT_FALSE(late.wait([](const LINEMESSAGE& x) { return x.dwMessageID == LINE_APPNEWCALL; }, 100ms));
  (void)a;
}

TEST_F(CallFunctions, AddressAndLineStatusFollowTheCall) {
  Out<LINEADDRESSSTATUS> idle;
  ASSERT_EQ(lineGetAddressStatus(callee_line_, 0, idle.get()), 0);
  EXPECT_EQ(idle->dwNumActiveCalls, 0u);
  connected_call();
  Out<LINEADDRESSSTATUS> busy;
  ASSERT_EQ(lineGetAddressStatusW(callee_line_, 0, busy.get()), 0);
  EXPECT_EQ(busy->dwNumActiveCalls, 1u);
  EXPECT_EQ(lineGetAddressStatusA(callee_line_, 2, busy.get()), LINEERR_INVALADDRESSID);
  EXPECT_EQ(lineGetAddressStatusA(callee_line_, 0, nullptr), LINEERR_INVALPOINTER);

  App other(true, "second opener");
  ASSERT_EQ(other.init_result(), 0);
  ASSERT_NE(other.open(1, 0, true, kMonitor, kVoice), 0u);
  Out<LINEDEVSTATUS> ds;
  ASSERT_EQ(lineGetLineDevStatusW(callee_line_, ds.get()), 0);
  EXPECT_EQ(ds->dwNumOpens, 2u);
  EXPECT_EQ(ds->dwNumActiveCalls, 1u);
  ASSERT_EQ(ds->dwAppInfoSize, 2 * sizeof(LINEAPPINFO));
  const auto* apps = reinterpret_cast<const LINEAPPINFO*>(ds.bytes.data() + ds->dwAppInfoOffset);
  std::vector<std::wstring> names;
  for (int i = 0; i < 2; ++i) names.push_back(ds.w(apps[i].dwFriendlyNameSize, apps[i].dwFriendlyNameOffset));
  EXPECT_NE(std::find(names.begin(), names.end(), L"callee desk"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), L"second opener"), names.end());
  Out<LINEDEVSTATUS> narrow;
  ASSERT_EQ(lineGetLineDevStatus(callee_line_, narrow.get()), 0);
  EXPECT_EQ(narrow->dwNumOpens, 2u);
}

TEST_F(CallFunctions, CallbackApplicationsGetCallMessagesToo) {
  struct Seen {
    std::mutex mu;
    std::vector<LINEMESSAGE> messages;
  };
  static Seen seen;
  HLINEAPP happ = 0;
  DWORD devices = 0;
  DWORD version = kApiVersion;
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEHIDDENWINDOW;
  auto callback = [](DWORD device, DWORD msg, DWORD_PTR instance, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3) {
    std::lock_guard lock(seen.mu);
    seen.messages.push_back(LINEMESSAGE{device, msg, instance, p1, p2, p3});
  };
  ASSERT_EQ(lineInitializeExA(&happ, nullptr, callback, "callback desk", &devices, &version, &params), 0);
  HLINE line = 0;
  ASSERT_EQ(lineOpenA(happ, 2, &line, kApiVersion, 0, 0x77, kOwner, kVoice, nullptr), 0);
  dial("2005");
  const auto deadline = Clock::now() + kWait;
  HCALL call = 0;
  bool offered = false;
  while (Clock::now() < deadline && !offered) {
    {
      std::lock_guard lock(seen.mu);
      for (const auto& m : seen.messages) {
        if (m.dwMessageID == LINE_APPNEWCALL && m.hDevice == line) call = static_cast<HCALL>(m.dwParam2);
        if (call != 0 && is_state(m, call, LINECALLSTATE_OFFERING)) offered = m.dwCallbackInstance == 0x77;
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(offered);
  EXPECT_EQ(lineShutdown(happ), 0);
}

// Before any application exists in this process (a test of its own: ctest
// runs every test in a fresh process).
TEST(CallFunctionsWithoutApplication, EverythingIsUninitialized) {
  HCALL call = 0;
  LINECALLSTATUS status{};
  status.dwTotalSize = sizeof status;
  EXPECT_EQ(lineMakeCallA(1, &call, "2003", 0, nullptr), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineDrop(1, nullptr, 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineDeallocateCall(1), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineGetCallStatus(1, &status), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineGetCallStatus(1, nullptr), LINEERR_UNINITIALIZED) << "before the pointer";
  EXPECT_EQ(lineSetStatusMessages(1, 0, 0), LINEERR_UNINITIALIZED);
  LINEDEVCAPS caps{};
  caps.dwTotalSize = sizeof caps;
  EXPECT_EQ(lineGetDevCapsA(1, 0, kApiVersion, 0, &caps), LINEERR_UNINITIALIZED);
}

}  // namespace
}  // namespace tapi2_test
