// The tapi.h functions that complete the Windows line* API against a real
// opentapid (docs/tapi2.md "lineInitialize", "lineGetID", "lineGetStatusMessages",
// "lineTranslateAddress and the location", "Operations the switch does not
// provide"): what a program written for Windows gets from each, code by code.
//
// Numbering (docs/calls.md): `--lines 3`, two addresses per line, from
// "2001": line 0 has 2001 and 2002, line 1 2003 and 2004.
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
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

// A structure buffer of `size` bytes with dwTotalSize set.
template <class T>
struct Out {
  explicit Out(DWORD size = 512) : bytes(size, 0) { std::memcpy(bytes.data(), &size, 4); }
  T* get() { return reinterpret_cast<T*>(bytes.data()); }
  T* operator->() { return get(); }
  DWORD u32_at(DWORD offset) const {
    DWORD v = 0;
    std::memcpy(&v, bytes.data() + offset, 4);
    return v;
  }
  std::vector<unsigned char> bytes;
};

class WindowsFunctions : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(3);
    caller_ = std::make_unique<App>(false, "caller desk");
    callee_ = std::make_unique<App>(false, "callee desk");
    ASSERT_EQ(caller_->init_result(), 0);
    ASSERT_EQ(callee_->init_result(), 0);
    caller_line_ = caller_->open(0, 1, false, kOwner, kVoice);
    callee_line_ = callee_->open(1, 2, false, kOwner, kVoice);
    ASSERT_NE(caller_line_, 0u);
    ASSERT_NE(callee_line_, 0u);
  }

  // A call from 2001 to 2003, ringing at the callee: {caller's, callee's} handles.
  std::pair<HCALL, HCALL> offered_call() {
    HCALL a = 0;
    const LONG id = lineMakeCallA(caller_line_, &a, "2003", 0, nullptr);
    EXPECT_GT(id, 0);
    EXPECT_EQ(caller_->reply(id).value_or(1), 0);
    const auto m = callee_->wait(
        [&](const LINEMESSAGE& x) { return x.dwMessageID == LINE_CALLSTATE && x.dwParam1 == LINECALLSTATE_OFFERING; });
    EXPECT_TRUE(m) << "the callee is never offered the call";
    return {a, m ? static_cast<HCALL>(m->hDevice) : 0};
  }

  static DWORD call_state(HCALL call) {
    Out<LINECALLSTATUS> s(sizeof(LINECALLSTATUS));
    EXPECT_EQ(lineGetCallStatus(call, s.get()), 0);
    return s->dwCallState;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> caller_;
  std::unique_ptr<App> callee_;
  HLINE caller_line_ = 0;
  HLINE callee_line_ = 0;
};

// ---- lineInitialize: TAPI 1.x registration, callback on a library thread ----

struct CallbackLog {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<LINEMESSAGE> messages;
  std::thread::id thread;
};
CallbackLog* g_log = nullptr;

void CALLBACK on_message(DWORD device, DWORD msg, DWORD_PTR instance, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3) {
  {
    std::lock_guard lock(g_log->mu);
    g_log->messages.push_back(LINEMESSAGE{device, msg, instance, p1, p2, p3});
    g_log->thread = std::this_thread::get_id();
  }
  g_log->cv.notify_all();
}

TEST_F(WindowsFunctions, LineInitializeRegistersACallbackApplication) {
  CallbackLog log;
  g_log = &log;
  HLINEAPP h = 0;
  DWORD devs = 0;
  ASSERT_EQ(lineInitialize(&h, nullptr, on_message, "tapi 1.x program", &devs), 0);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(devs, 3u);
  LINEMESSAGE m;
  EXPECT_EQ(lineGetMessage(h, &m, 0), LINEERR_INVALAPPHANDLE) << "messages come through the callback only";
  DWORD version = 0;
  LINEEXTENSIONID ext;
  ASSERT_EQ(lineNegotiateAPIVersion(h, 2, TAPI_VERSION1_0, kApiVersion, &version, &ext), 0);
  HLINE line = 0;
  ASSERT_EQ(lineOpen(h, 2, &line, version, 0, 0x51, kOwner, kVoice, nullptr), 0);
  HCALL call = 0;
  const LONG id = lineMakeCall(line, &call, "2003", 0, nullptr);
  ASSERT_GT(id, 0);
  {
    std::unique_lock lock(log.mu);
    ASSERT_TRUE(log.cv.wait_for(lock, kWait, [&] {
      for (const auto& x : log.messages) {
        if (x.dwMessageID == LINE_REPLY && static_cast<LONG>(x.dwParam1) == id) return true;
      }
      return false;
    })) << "no LINE_REPLY through the callback";
    for (const auto& x : log.messages) {
      if (x.dwMessageID == LINE_REPLY) {
        EXPECT_EQ(static_cast<LONG>(x.dwParam2), 0);
      }
    }
    EXPECT_NE(log.thread, std::this_thread::get_id()) << "the callback runs on the library's thread";
  }
  EXPECT_NE(call, 0u);
  EXPECT_EQ(lineShutdown(h), 0);
  g_log = nullptr;
}

TEST_F(WindowsFunctions, LineInitializeChecksItsArguments) {
  HLINEAPP h = 0;
  DWORD devs = 0;
  EXPECT_EQ(lineInitialize(&h, nullptr, nullptr, "no callback", &devs), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineInitialize(nullptr, nullptr, on_message, "x", &devs), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineInitialize(&h, nullptr, on_message, "x", nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineInitialize(&h, nullptr, on_message, "\xff\xfe", &devs), LINEERR_INVALAPPNAME);
  EXPECT_EQ(h, 0u) << "no handle on failure";
}

// ---- lineGetStatusMessages ----

TEST_F(WindowsFunctions, GetStatusMessagesReturnsWhatWasSet) {
  DWORD line_states = 0xFFFF;
  DWORD address_states = 0xFFFF;
  ASSERT_EQ(lineGetStatusMessages(caller_line_, &line_states, &address_states), 0);
  EXPECT_EQ(line_states, 0u) << "none by default, as on Windows";
  EXPECT_EQ(address_states, 0u);

  const DWORD want_line = LINEDEVSTATE_OPEN | LINEDEVSTATE_CLOSE;
  const DWORD want_address = LINEADDRESSSTATE_INUSEZERO | LINEADDRESSSTATE_NUMCALLS;
  ASSERT_EQ(lineSetStatusMessages(caller_line_, want_line, want_address), 0);
  ASSERT_EQ(lineGetStatusMessages(caller_line_, &line_states, &address_states), 0);
  EXPECT_EQ(line_states, want_line);
  EXPECT_EQ(address_states, want_address);

  // A refused selection leaves the previous one.
  EXPECT_EQ(lineSetStatusMessages(caller_line_, 0, 0x80000000u), LINEERR_INVALADDRESSSTATE);
  ASSERT_EQ(lineGetStatusMessages(caller_line_, &line_states, &address_states), 0);
  EXPECT_EQ(line_states, want_line);
  EXPECT_EQ(address_states, want_address);

  // Per open: another application's open of another line is untouched.
  ASSERT_EQ(lineGetStatusMessages(callee_line_, &line_states, &address_states), 0);
  EXPECT_EQ(line_states, 0u);
  EXPECT_EQ(address_states, 0u);
}

TEST_F(WindowsFunctions, GetStatusMessagesChecksPointersThenHandle) {
  DWORD a = 0;
  DWORD b = 0;
  EXPECT_EQ(lineGetStatusMessages(caller_line_, nullptr, &b), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetStatusMessages(caller_line_, &a, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetStatusMessages(0xBAD, &a, &b), LINEERR_INVALLINEHANDLE);
  ASSERT_EQ(lineClose(caller_line_), 0);
  EXPECT_EQ(lineGetStatusMessages(caller_line_, &a, &b), LINEERR_INVALLINEHANDLE);
}

// ---- lineGetID ----

TEST_F(WindowsFunctions, GetIdGivesTheLineDeviceForLineAddressAndCall) {
  Out<VARSTRING> v;
  ASSERT_EQ(lineGetIDA(callee_line_, 0, 0, LINECALLSELECT_LINE, v.get(), "tapi/line"), 0);
  EXPECT_EQ(v->dwStringFormat, STRINGFORMAT_BINARY);
  EXPECT_EQ(v->dwStringSize, 4u);
  EXPECT_EQ(v->dwStringOffset, sizeof(VARSTRING));
  EXPECT_EQ(v->dwNeededSize, sizeof(VARSTRING) + 4);
  EXPECT_EQ(v->dwUsedSize, sizeof(VARSTRING) + 4);
  EXPECT_EQ(v.u32_at(v->dwStringOffset), 1u) << "the callee opened line device 1";

  Out<VARSTRING> w;
  ASSERT_EQ(lineGetIDW(caller_line_, 1, 0, LINECALLSELECT_ADDRESS, w.get(), L"TAPI/Line"), 0)
      << "device class names compare without case";
  EXPECT_EQ(w.u32_at(w->dwStringOffset), 0u);

  const auto [a, b] = offered_call();
  ASSERT_NE(b, 0u);
  Out<VARSTRING> c;
  ASSERT_EQ(lineGetID(0, 0, b, LINECALLSELECT_CALL, c.get(), "tapi/line"), 0) << "hLine is ignored for a call";
  EXPECT_EQ(c.u32_at(c->dwStringOffset), 1u);
  ASSERT_EQ(lineGetID(0, 0, a, LINECALLSELECT_CALL, c.get(), "tapi/line"), 0);
  EXPECT_EQ(c.u32_at(c->dwStringOffset), 0u);
}

TEST_F(WindowsFunctions, GetIdRefusesWithWindowsCodes) {
  Out<VARSTRING> v;
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE, nullptr, "tapi/line"), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE, v.get(), nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, 0, v.get(), "tapi/line"), LINEERR_INVALCALLSELECT);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE | LINECALLSELECT_ADDRESS, v.get(), "tapi/line"),
            LINEERR_INVALCALLSELECT);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_CALLID, v.get(), "tapi/line"), LINEERR_INVALCALLSELECT);
  EXPECT_EQ(lineGetIDA(0xBAD, 0, 0, LINECALLSELECT_LINE, v.get(), "tapi/line"), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0xBAD, LINECALLSELECT_CALL, v.get(), "tapi/line"), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineGetIDA(caller_line_, 7, 0, LINECALLSELECT_ADDRESS, v.get(), "tapi/line"), LINEERR_INVALADDRESSID);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE, v.get(), "tapi/phone"), LINEERR_NODEVICE);
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE, v.get(), "wave/in"), LINEERR_INVALDEVICECLASS);
  EXPECT_EQ(lineGetIDW(caller_line_, 0, 0, LINECALLSELECT_LINE, v.get(), L"comm/datamodem"), LINEERR_INVALDEVICECLASS);

  // Below the fixed part: refused; the fixed part alone: success without the ID.
  Out<VARSTRING> small(sizeof(VARSTRING));
  small->dwTotalSize = sizeof(VARSTRING) - 1;
  EXPECT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE, small.get(), "tapi/line"), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(small->dwNeededSize, sizeof(VARSTRING));
  small->dwTotalSize = sizeof(VARSTRING);
  ASSERT_EQ(lineGetIDA(caller_line_, 0, 0, LINECALLSELECT_LINE, small.get(), "tapi/line"), 0);
  EXPECT_EQ(small->dwNeededSize, sizeof(VARSTRING) + 4);
  EXPECT_EQ(small->dwUsedSize, sizeof(VARSTRING));
  EXPECT_EQ(small->dwStringSize, 0u);
  EXPECT_EQ(small->dwStringFormat, STRINGFORMAT_BINARY);
}

// ---- operations the switch does not provide ----

TEST_F(WindowsFunctions, AcceptDialAndDigitsAreUnavailableAtOnce) {
  const auto [a, b] = offered_call();
  ASSERT_NE(b, 0u);
  EXPECT_EQ(lineAccept(b, nullptr, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineDial(a, "1234", 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineDialA(a, "1234", 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineDialW(a, L"1234", 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGenerateDigits(b, LINEDIGITMODE_DTMF, "123", 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGenerateDigitsA(b, LINEDIGITMODE_DTMF, nullptr, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGenerateDigitsW(b, LINEDIGITMODE_PULSE, L"9", 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineMonitorDigits(b, LINEDIGITMODE_DTMF), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineMonitorDigits(b, 0), LINEERR_OPERATIONUNAVAIL);
  // Nothing changed: the call still rings and can be answered.
  EXPECT_EQ(call_state(b), LINECALLSTATE_OFFERING);
  const LONG id = lineAnswer(b, nullptr, 0);
  ASSERT_GT(id, 0);
  EXPECT_EQ(callee_->reply(id).value_or(1), 0);
  // And no LINE_REPLY ever comes for the refusals (they had no request ID).
  EXPECT_FALSE(callee_->wait(
      [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_REPLY && static_cast<LONG>(m.dwParam1) != id; }, 200ms));
}

TEST_F(WindowsFunctions, UnavailableOperationsCheckPointerAndHandleFirst) {
  EXPECT_EQ(lineAccept(0xBAD, nullptr, 0), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineDial(0xBAD, nullptr, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineDialA(0xBAD, nullptr, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineDialW(0xBAD, nullptr, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineDialA(0xBAD, "1", 0), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineGenerateDigitsA(0xBAD, LINEDIGITMODE_DTMF, "1", 0), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineMonitorDigits(0xBAD, LINEDIGITMODE_DTMF), LINEERR_INVALCALLHANDLE);
}

// ---- lineTranslateAddress ----

class ScopedLocation {
 public:
  explicit ScopedLocation(const char* value) { ::setenv("OPENTAPI_LOCATION", value, 1); }
  ~ScopedLocation() { ::unsetenv("OPENTAPI_LOCATION"); }
};

TEST_F(WindowsFunctions, TranslateAddressAppliesTheLocation) {
  ScopedLocation here("1,425,9");
  Out<LINETRANSLATEOUTPUT> out;
  ASSERT_EQ(lineTranslateAddressA(caller_->handle(), 0, kApiVersion, "+1 (206) 555-1234", 0, 0, out.get()), 0);
  EXPECT_EQ(read_a(out.bytes.data(), out->dwDialableStringSize, out->dwDialableStringOffset), "912065551234");
  EXPECT_EQ(read_a(out.bytes.data(), out->dwDisplayableStringSize, out->dwDisplayableStringOffset), "912065551234");
  EXPECT_EQ(out->dwCurrentCountry, 1u);
  EXPECT_EQ(out->dwDestCountry, 1u);
  EXPECT_EQ(out->dwTranslateResults, LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_LONGDISTANCE);

  Out<LINETRANSLATEOUTPUT> w;
  ASSERT_EQ(lineTranslateAddressW(0, 0, TAPI_VERSION2_0, L"+44 (20) 7946 0000", 0, 0, w.get()), 0)
      << "a TAPI 2.x application may translate without an hLineApp";
  EXPECT_EQ(read_w(w.bytes.data(), w->dwDialableStringSize, w->dwDialableStringOffset), L"9011442079460000");
  EXPECT_EQ(w->dwTranslateResults, LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_INTERNATIONAL);

  Out<LINETRANSLATEOUTPUT> ext;
  ASSERT_EQ(lineTranslateAddress(caller_->handle(), 1, kApiVersion, "2003", 0, 0, ext.get()), 0);
  EXPECT_EQ(read_a(ext.bytes.data(), ext->dwDialableStringSize, ext->dwDialableStringOffset), "2003")
      << "an extension is dialled as given";
  EXPECT_EQ(ext->dwTranslateResults, LINETRANSLATERESULT_NOTRANSLATION);
}

TEST_F(WindowsFunctions, TranslateAddressRefusesWithWindowsCodes) {
  Out<LINETRANSLATEOUTPUT> out;
  const HLINEAPP h = caller_->handle();
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, nullptr, 0, 0, out.get()), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, "+1 5551234", 0, 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineTranslateAddressA(0xBAD, 0, kApiVersion, "+1 5551234", 0, 0, out.get()), LINEERR_INVALAPPHANDLE);
  EXPECT_EQ(lineTranslateAddressA(h, 3, kApiVersion, "+1 5551234", 0, 0, out.get()), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineTranslateAddressA(h, 0, 0x00040000, "+1 5551234", 0, 0, out.get()), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, "+1 (12", 0, 0, out.get()), LINEERR_INVALADDRESS);
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, "+1 5551234", 0, LINETRANSLATEOPTION_CARDOVERRIDE, out.get()),
            LINEERR_INVALCARD);
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, "+1 5551234", 0,
                                  LINETRANSLATEOPTION_FORCELOCAL | LINETRANSLATEOPTION_FORCELD, out.get()),
            LINEERR_INVALPARAM);
  Out<LINETRANSLATEOUTPUT> small(sizeof(LINETRANSLATEOUTPUT));
  small->dwTotalSize = sizeof(LINETRANSLATEOUTPUT) - 4;
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, "+1 5551234", 0, 0, small.get()), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(small->dwNeededSize, sizeof(LINETRANSLATEOUTPUT));
  ScopedLocation broken("one,425");
  EXPECT_EQ(lineTranslateAddressA(h, 0, kApiVersion, "+1 5551234", 0, 0, out.get()), LINEERR_INIFILECORRUPT);
}

// ---- the rest of the line API (docs/tapi2.md "The rest of the line API") ----

TEST_F(WindowsFunctions, OperationsTheSwitchLacksAreUnavailableAfterTheirChecks) {
  const auto [a, b] = offered_call();
  ASSERT_NE(b, 0u);
  HCALL consult = 0;
  DWORD id = 0;
  HICON icon = nullptr;
  Out<VARSTRING> v;
  // Calls.
  EXPECT_EQ(lineSwapHold(a, b), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSwapHold(a, 0xBAD), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineSetupTransferA(a, &consult, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetupTransferW(a, nullptr, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineCompleteTransfer(a, b, nullptr, LINETRANSFERMODE_TRANSFER), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetupConferenceA(a, 0, &consult, &consult, 3, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(linePrepareAddToConferenceW(a, &consult, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineAddToConference(a, b), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineRemoveFromConference(a), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineParkA(a, LINEPARKMODE_DIRECTED, "2005", nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineUnparkW(caller_line_, 0, &consult, L"2005"), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(linePickupA(callee_line_, 0, &consult, "2003", nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(linePickupA(callee_line_, 0, nullptr, "2003", nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineForwardA(caller_line_, 1, 0, nullptr, 0, &consult, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineCompleteCall(a, &id, LINECALLCOMPLMODE_CALLBACK, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineUncompleteCall(caller_line_, 1), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSecureCall(b), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSendUserUserInfo(b, "x", 2), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineReleaseUserUserInfo(b), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetCallParams(b, LINEBEARERMODE_VOICE, 0, 0, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetCallTreatment(b, 1), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetCallQualityOfService(b, nullptr, 0, nullptr, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineHandoffA(b, "other.exe", 0), LINEERR_OPERATIONUNAVAIL);
  // Media.
  EXPECT_EQ(lineMonitorMedia(b, LINEMEDIAMODE_DATAMODEM), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineMonitorTones(b, nullptr, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGenerateTone(b, LINETONEMODE_BEEP, 100, 0, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGatherDigitsW(b, LINEDIGITMODE_DTMF, nullptr, 0, nullptr, 0, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetMediaControl(0, 0, b, LINECALLSELECT_CALL, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0),
            LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetMediaControl(caller_line_, 0, 0, 0, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0),
            LINEERR_INVALCALLSELECT);
  EXPECT_EQ(lineSetTerminal(caller_line_, 0, 0, LINECALLSELECT_LINE, LINETERMMODE_RINGER, 0, 1),
            LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetTerminal(0xBAD, 0, 0, LINECALLSELECT_LINE, LINETERMMODE_RINGER, 0, 1), LINEERR_INVALLINEHANDLE);
  // Line devices, dialogs, providers, toll lists.
  EXPECT_EQ(lineSetLineDevStatus(caller_line_, LINEDEVSTATUSFLAGS_MSGWAIT, 1), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineDevSpecific(caller_line_, 0, 0, nullptr, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineDevSpecificFeature(caller_line_, 1, nullptr, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineNegotiateExtVersion(caller_->handle(), 0, kApiVersion, 1, 2, &id), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineNegotiateExtVersion(caller_->handle(), 9, kApiVersion, 1, 2, &id), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineNegotiateExtVersion(caller_->handle(), 0, kApiVersion, 1, 2, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetDevConfigA(0, v.get(), "comm/datamodem"), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGetDevConfigW(3, v.get(), L"comm/datamodem"), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineSetDevConfigA(0, nullptr, 0, "comm/datamodem"), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineConfigDialogA(0, nullptr, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineConfigDialogEditW(0, nullptr, nullptr, nullptr, 0, v.get()), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineTranslateDialogA(caller_->handle(), 0, kApiVersion, nullptr, "+1 5551234"), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineAddProviderA("my.tsp", nullptr, &id), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineAddProviderW(nullptr, nullptr, &id), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineRemoveProvider(1, nullptr), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineConfigProvider(nullptr, 1), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineSetTollListA(caller_->handle(), 0, "+1 (425) 5551234", LINETOLLLISTOPTION_ADD),
            LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGetIconA(0, nullptr, &icon), 0);
  // Nothing changed: the call still rings.
  EXPECT_EQ(call_state(b), LINECALLSTATE_OFFERING);
}

TEST_F(WindowsFunctions, SetMediaModeAcceptsTheCallsOwnModeOnly) {
  const auto [a, b] = offered_call();
  ASSERT_NE(b, 0u);
  EXPECT_EQ(lineSetMediaMode(b, LINEMEDIAMODE_INTERACTIVEVOICE), 0);
  EXPECT_EQ(lineSetMediaMode(b, LINEMEDIAMODE_DATAMODEM), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(lineSetMediaMode(b, 0), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(lineSetMediaMode(b, LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_DATAMODEM), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(lineSetMediaMode(b, 0x00010000u), LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(lineSetMediaMode(0xBAD, LINEMEDIAMODE_INTERACTIVEVOICE), LINEERR_INVALCALLHANDLE);
  ASSERT_EQ(lineSetCallPrivilege(a, LINECALLPRIVILEGE_MONITOR), LINEERR_INVALCALLSTATE)
      << "the caller is the call's last owner";
  // A monitor may not.
  Out<LINECALLLIST> list;
  HCALL monitor = 0;
  {
    App watcher(false, "watcher");
    ASSERT_EQ(watcher.init_result(), 0);
    const HLINE line = watcher.open(1, 9, false, LINECALLPRIVILEGE_MONITOR, kVoice);
    ASSERT_NE(line, 0u);
    ASSERT_EQ(lineGetNewCalls(line, 0, LINECALLSELECT_LINE, list.get()), 0);
    ASSERT_EQ(list->dwCallsNumEntries, 1u);
    std::memcpy(&monitor, list.bytes.data() + list->dwCallsOffset, sizeof monitor);
    EXPECT_EQ(lineSetMediaMode(monitor, LINEMEDIAMODE_INTERACTIVEVOICE), LINEERR_NOTOWNER);
  }
}

TEST_F(WindowsFunctions, ConfRelatedCallsSaysNoConference) {
  const auto [a, b] = offered_call();
  ASSERT_NE(a, 0u);
  Out<LINECALLLIST> list;
  EXPECT_EQ(lineGetConfRelatedCalls(a, list.get()), LINEERR_NOCONFERENCE);
  EXPECT_EQ(lineGetConfRelatedCalls(a, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetConfRelatedCalls(0xBAD, list.get()), LINEERR_INVALCALLHANDLE);
  Out<LINECALLLIST> small(sizeof(LINECALLLIST));
  small->dwTotalSize = sizeof(LINECALLLIST) - 1;
  EXPECT_EQ(lineGetConfRelatedCalls(a, small.get()), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(small->dwNeededSize, sizeof(LINECALLLIST));
}

TEST_F(WindowsFunctions, NumRingsIsTheSmallestAnyOpenSet) {
  DWORD rings = 0;
  ASSERT_EQ(lineGetNumRings(callee_line_, 0, &rings), 0);
  EXPECT_EQ(rings, 0xFFFFFFFFu) << "nobody set one";
  ASSERT_EQ(lineSetNumRings(callee_line_, 0, 5), 0);
  App other(false, "other desk");
  ASSERT_EQ(other.init_result(), 0);
  const HLINE other_line = other.open(1, 7, false, LINECALLPRIVILEGE_NONE, 0);
  ASSERT_NE(other_line, 0u);
  ASSERT_EQ(lineGetNumRings(other_line, 0, &rings), 0);
  EXPECT_EQ(rings, 5u) << "another application's open of the same device counts";
  ASSERT_EQ(lineSetNumRings(other_line, 0, 3), 0);
  ASSERT_EQ(lineGetNumRings(callee_line_, 0, &rings), 0);
  EXPECT_EQ(rings, 3u);
  ASSERT_EQ(lineGetNumRings(callee_line_, 1, &rings), 0);
  EXPECT_EQ(rings, 0xFFFFFFFFu) << "per address";
  ASSERT_EQ(lineGetNumRings(caller_line_, 0, &rings), 0);
  EXPECT_EQ(rings, 0xFFFFFFFFu) << "per device";
  ASSERT_EQ(lineClose(other_line), 0);
  ASSERT_EQ(lineGetNumRings(callee_line_, 0, &rings), 0);
  EXPECT_EQ(rings, 5u) << "a closed open's number goes with it";
  EXPECT_EQ(lineSetNumRings(callee_line_, 7, 1), LINEERR_INVALADDRESSID);
  EXPECT_EQ(lineGetNumRings(callee_line_, 7, &rings), LINEERR_INVALADDRESSID);
  EXPECT_EQ(lineGetNumRings(callee_line_, 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineSetNumRings(0xBAD, 0, 1), LINEERR_INVALLINEHANDLE);
}

TEST_F(WindowsFunctions, ProviderListNamesTheSwitch) {
  Out<LINEPROVIDERLIST> list;
  ASSERT_EQ(lineGetProviderListA(kApiVersion, list.get()), 0);
  ASSERT_EQ(list->dwNumProviders, 1u);
  ASSERT_EQ(list->dwProviderListSize, sizeof(LINEPROVIDERENTRY));
  LINEPROVIDERENTRY e;
  std::memcpy(&e, list.bytes.data() + list->dwProviderListOffset, sizeof e);
  EXPECT_EQ(e.dwPermanentProviderID, 1u);
  EXPECT_EQ(read_a(list.bytes.data(), e.dwProviderFilenameSize, e.dwProviderFilenameOffset), "opentapid");
  Out<LINEPROVIDERLIST> w;
  ASSERT_EQ(lineGetProviderListW(kApiVersion, w.get()), 0);
  std::memcpy(&e, w.bytes.data() + w->dwProviderListOffset, sizeof e);
  EXPECT_EQ(read_w(w.bytes.data(), e.dwProviderFilenameSize, e.dwProviderFilenameOffset), L"opentapid");
  EXPECT_EQ(lineGetProviderList(TAPI_VERSION1_0, list.get()), LINEERR_INCOMPATIBLEAPIVERSION) << "a 1.4 function";
  EXPECT_EQ(lineGetProviderList(kApiVersion, nullptr), LINEERR_INVALPOINTER);
  Out<LINEPROVIDERLIST> small(sizeof(LINEPROVIDERLIST));
  ASSERT_EQ(lineGetProviderList(kApiVersion, small.get()), 0);
  EXPECT_EQ(small->dwNumProviders, 1u);
  EXPECT_EQ(small->dwProviderListSize, 0u);
  EXPECT_EQ(small->dwNeededSize, sizeof(LINEPROVIDERLIST) + sizeof(LINEPROVIDERENTRY) + 10);
}

TEST_F(WindowsFunctions, TranslateCapsDescribeTheLocation) {
  ScopedLocation here("44,20,9");
  Out<LINETRANSLATECAPS> caps;
  ASSERT_EQ(lineGetTranslateCapsA(caller_->handle(), kApiVersion, caps.get()), 0);
  EXPECT_EQ(caps->dwNumLocations, 1u);
  EXPECT_EQ(caps->dwCurrentLocationID, 1u);
  EXPECT_EQ(caps->dwNumCards, 0u);
  ASSERT_EQ(caps->dwLocationListSize, sizeof(LINELOCATIONENTRY));
  LINELOCATIONENTRY e;
  std::memcpy(&e, caps.bytes.data() + caps->dwLocationListOffset, sizeof e);
  EXPECT_EQ(e.dwPermanentLocationID, 1u);
  EXPECT_EQ(e.dwCountryCode, 44u);
  EXPECT_EQ(e.dwCountryID, 44u);
  EXPECT_EQ(read_a(caps.bytes.data(), e.dwCityCodeSize, e.dwCityCodeOffset), "20");
  EXPECT_EQ(read_a(caps.bytes.data(), e.dwLocalAccessCodeSize, e.dwLocalAccessCodeOffset), "9");
  EXPECT_EQ(read_a(caps.bytes.data(), e.dwLocationNameSize, e.dwLocationNameOffset), "Default location");
  Out<LINETRANSLATECAPS> w;
  ASSERT_EQ(lineGetTranslateCapsW(0, kApiVersion, w.get()), 0);
  std::memcpy(&e, w.bytes.data() + w->dwLocationListOffset, sizeof e);
  EXPECT_EQ(read_w(w.bytes.data(), e.dwCityCodeSize, e.dwCityCodeOffset), L"20");
  EXPECT_EQ(lineSetCurrentLocation(caller_->handle(), 1), 0);
  EXPECT_EQ(lineSetCurrentLocation(caller_->handle(), 2), LINEERR_INVALLOCATION);
  EXPECT_EQ(lineSetCurrentLocation(0xBAD, 1), LINEERR_INVALAPPHANDLE);
  EXPECT_EQ(lineGetTranslateCaps(caller_->handle(), kApiVersion, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetTranslateCaps(caller_->handle(), 0x00040000, caps.get()), LINEERR_INCOMPATIBLEAPIVERSION);
}

TEST_F(WindowsFunctions, CountryListGivesDialingRules) {
  Out<LINECOUNTRYLIST> one;
  ASSERT_EQ(lineGetCountryA(44, kApiVersion, one.get()), 0);
  ASSERT_EQ(one->dwNumCountries, 1u);
  LINECOUNTRYENTRY e;
  std::memcpy(&e, one.bytes.data() + one->dwCountryListOffset, sizeof e);
  EXPECT_EQ(e.dwCountryID, 44u);
  EXPECT_EQ(e.dwCountryCode, 44u);
  EXPECT_EQ(e.dwNextCountryID, 46u);
  EXPECT_EQ(read_a(one.bytes.data(), e.dwCountryNameSize, e.dwCountryNameOffset), "United Kingdom");
  EXPECT_EQ(read_a(one.bytes.data(), e.dwSameAreaRuleSize, e.dwSameAreaRuleOffset), "G");
  EXPECT_EQ(read_a(one.bytes.data(), e.dwLongDistanceRuleSize, e.dwLongDistanceRuleOffset), "0FG");
  EXPECT_EQ(read_a(one.bytes.data(), e.dwInternationalRuleSize, e.dwInternationalRuleOffset), "00EFG");
  Out<LINECOUNTRYLIST> us;
  ASSERT_EQ(lineGetCountryW(1, kApiVersion, us.get()), 0);
  std::memcpy(&e, us.bytes.data() + us->dwCountryListOffset, sizeof e);
  EXPECT_EQ(read_w(us.bytes.data(), e.dwLongDistanceRuleSize, e.dwLongDistanceRuleOffset), L"1FG");
  EXPECT_EQ(read_w(us.bytes.data(), e.dwInternationalRuleSize, e.dwInternationalRuleOffset), L"011EFG");
  Out<LINECOUNTRYLIST> all(8192);
  ASSERT_EQ(lineGetCountry(0, kApiVersion, all.get()), 0);
  EXPECT_GT(all->dwNumCountries, 10u);
  EXPECT_EQ(all->dwNeededSize, all->dwUsedSize);
  std::memcpy(&e, all.bytes.data() + all->dwCountryListOffset + (all->dwNumCountries - 1) * sizeof e, sizeof e);
  EXPECT_EQ(e.dwNextCountryID, 0u) << "the last entry";
  EXPECT_EQ(lineGetCountry(999, kApiVersion, one.get()), LINEERR_INVALCOUNTRYCODE);
  EXPECT_EQ(lineGetCountry(44, TAPI_VERSION1_0, one.get()), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineGetCountry(44, kApiVersion, nullptr), LINEERR_INVALPOINTER);
}

TEST_F(WindowsFunctions, AppPrioritiesAreKeptPerMediaMode) {
  DWORD priority = 7;
  ASSERT_EQ(lineGetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, &priority), 0);
  EXPECT_EQ(priority, 0u) << "not in the list";
  ASSERT_EQ(lineSetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, 1), 0);
  ASSERT_EQ(lineSetAppPriorityW(L"C:\\apps\\other.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, 1), 0);
  ASSERT_EQ(lineGetAppPriority("DESK.EXE", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, &priority), 0);
  EXPECT_EQ(priority, 2u) << "the later one went first; names compare without case";
  ASSERT_EQ(lineGetAppPriorityW(L"other.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, &priority), 0);
  EXPECT_EQ(priority, 1u) << "the directory is not part of the name";
  ASSERT_EQ(lineGetAppPriorityA("desk.exe", LINEMEDIAMODE_G3FAX, nullptr, 0, nullptr, &priority), 0);
  EXPECT_EQ(priority, 0u) << "per media mode";
  ASSERT_EQ(lineSetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, 0), 0);
  ASSERT_EQ(lineGetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, &priority), 0);
  EXPECT_EQ(priority, 0u) << "removed";
  ASSERT_EQ(lineSetAppPriorityA("desk.exe", 0, nullptr, LINEREQUESTMODE_MAKECALL, nullptr, 1), 0);
  ASSERT_EQ(lineGetAppPriorityA("desk.exe", 0, nullptr, LINEREQUESTMODE_MAKECALL, nullptr, &priority), 0);
  EXPECT_EQ(priority, 1u);
  EXPECT_EQ(lineSetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, 2),
            LINEERR_INVALPARAM);
  EXPECT_EQ(
      lineSetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_G3FAX, nullptr, 0, nullptr, 1),
      LINEERR_INVALMEDIAMODE);
  EXPECT_EQ(lineSetAppPriorityA("desk.exe", 0, nullptr, LINEREQUESTMODE_DROP, nullptr, 1), LINEERR_INVALREQUESTMODE);
  EXPECT_EQ(lineSetAppPriorityA(nullptr, LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, 1), LINEERR_INVALAPPNAME);
  EXPECT_EQ(lineGetAppPriorityA("desk.exe", LINEMEDIAMODE_INTERACTIVEVOICE, nullptr, 0, nullptr, nullptr),
            LINEERR_INVALPOINTER);
}

TEST_F(WindowsFunctions, RegisteredRequestRecipientFindsNoRequest) {
  LINEREQMAKECALL request;
  const HLINEAPP h = caller_->handle();
  EXPECT_EQ(lineGetRequestA(h, LINEREQUESTMODE_MAKECALL, &request), LINEERR_NOTREGISTERED);
  ASSERT_EQ(lineRegisterRequestRecipient(h, 1, LINEREQUESTMODE_MAKECALL, 1), 0);
  EXPECT_EQ(lineGetRequestA(h, LINEREQUESTMODE_MAKECALL, &request), LINEERR_NOREQUEST);
  EXPECT_EQ(lineGetRequestW(h, LINEREQUESTMODE_MEDIACALL, &request), LINEERR_NOTREGISTERED);
  ASSERT_EQ(lineRegisterRequestRecipient(h, 1, LINEREQUESTMODE_MAKECALL, 0), 0);
  EXPECT_EQ(lineGetRequest(h, LINEREQUESTMODE_MAKECALL, &request), LINEERR_NOTREGISTERED);
  EXPECT_EQ(lineRegisterRequestRecipient(h, 1, LINEREQUESTMODE_DROP, 1), LINEERR_INVALREQUESTMODE);
  EXPECT_EQ(lineGetRequestA(h, LINEREQUESTMODE_MAKECALL | LINEREQUESTMODE_MEDIACALL, &request),
            LINEERR_INVALREQUESTMODE);
  EXPECT_EQ(lineGetRequestA(h, LINEREQUESTMODE_MAKECALL, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineRegisterRequestRecipient(0xBAD, 1, LINEREQUESTMODE_MAKECALL, 1), LINEERR_INVALAPPHANDLE);
}

TEST_F(WindowsFunctions, CallHubsAreNotTracked) {
  Out<LINECALLHUBTRACKINGINFO> info(sizeof(LINECALLHUBTRACKINGINFO));
  std::memset(info.bytes.data() + 4, 0xEE, sizeof(LINECALLHUBTRACKINGINFO) - 4);
  ASSERT_EQ(lineGetCallHubTracking(caller_line_, info.get()), 0);
  EXPECT_EQ(info->dwAvailableTracking, LINECALLHUBTRACKING_NONE);
  EXPECT_EQ(info->dwCurrentTracking, LINECALLHUBTRACKING_NONE);
  EXPECT_EQ(info->dwNeededSize, sizeof(LINECALLHUBTRACKINGINFO));
  EXPECT_EQ(info->dwUsedSize, sizeof(LINECALLHUBTRACKINGINFO));
  EXPECT_EQ(lineSetCallHubTracking(caller_line_, info.get()), 0) << "NONE is what is in effect";
  info->dwCurrentTracking = LINECALLHUBTRACKING_ALLCALLS;
  EXPECT_EQ(lineSetCallHubTracking(caller_line_, info.get()), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGetCallHubTracking(0xBAD, info.get()), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(lineGetCallHubTracking(caller_line_, nullptr), LINEERR_INVALPOINTER);
  info->dwTotalSize = sizeof(LINECALLHUBTRACKINGINFO) - 4;
  EXPECT_EQ(lineGetCallHubTracking(caller_line_, info.get()), LINEERR_STRUCTURETOOSMALL);
  const auto [a, b] = offered_call();
  Out<LINECALLLIST> list;
  EXPECT_EQ(lineGetHubRelatedCalls(0, a, list.get()), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(lineGetHubRelatedCalls(0, 0xBAD, list.get()), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineGetHubRelatedCalls(0, a, nullptr), LINEERR_INVALPOINTER);
}

TEST_F(WindowsFunctions, IconIsNullForTheLineClass) {
  HICON icon = reinterpret_cast<HICON>(0x1);
  ASSERT_EQ(lineGetIconW(1, L"tapi/line", &icon), 0);
  EXPECT_EQ(icon, nullptr);
  EXPECT_EQ(lineGetIconA(1, "wave/out", &icon), LINEERR_INVALDEVICECLASS);
  EXPECT_EQ(lineGetIcon(3, nullptr, &icon), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineGetIcon(0, nullptr, nullptr), LINEERR_INVALPOINTER);
}

// ---- before any application ----

TEST(WindowsFunctionsUninitialized, EveryNewFunctionSaysUninitialized) {
  DWORD a = 0;
  DWORD b = 0;
  Out<VARSTRING> v;
  EXPECT_EQ(lineGetStatusMessages(1, &a, &b), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineGetID(1, 0, 0, LINECALLSELECT_LINE, v.get(), "tapi/line"), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineGetIDW(1, 0, 0, LINECALLSELECT_LINE, v.get(), L"tapi/line"), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineAccept(1, nullptr, 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineDial(1, "1", 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineDialW(1, L"1", 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineGenerateDigits(1, LINEDIGITMODE_DTMF, "1", 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineMonitorDigits(1, 0), LINEERR_UNINITIALIZED);
  // lineTranslateAddress needs no application (hLineApp NULL)...
  Out<LINETRANSLATEOUTPUT> out;
  EXPECT_EQ(lineTranslateAddressA(0, 0, kApiVersion, "+1 (425) 5551234", 0, 0, out.get()), 0);
  // ...but a handle that is not one is refused.
  EXPECT_EQ(lineTranslateAddressA(5, 0, kApiVersion, "+1 5551234", 0, 0, out.get()), LINEERR_UNINITIALIZED);
}

}  // namespace
}  // namespace tapi2_test
