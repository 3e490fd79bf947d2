// Conformance with Microsoft's pages for the line functions a TAPI 2 agent
// desktop or supervisor tool calls: the codes each function documents, the
// parameters of the messages, the structure size protocol, written as a
// Windows program would call them (tapi.h only). What other files of this
// directory cover already is not repeated here.
//
// Numbering (docs/calls.md): `--lines 3`, two addresses per line, from
// "2001": line 0 has 2001 and 2002, line 1 2003 and 2004, line 2 2005 and
// 2006.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "support.h"

namespace tapi2_test {
namespace {

constexpr DWORD kVoice = LINEMEDIAMODE_INTERACTIVEVOICE;
constexpr DWORD kOwner = LINECALLPRIVILEGE_OWNER;

// A LINECALLPARAMS naming one address (LINEOPENOPTION_SINGLEADDRESS).
LINECALLPARAMS single_address(DWORD address, DWORD mode = LINEADDRESSMODE_ADDRESSID) {
  LINECALLPARAMS p{};
  p.dwTotalSize = sizeof p;
  p.dwAddressMode = mode;
  p.dwAddressID = address;
  return p;
}

class Conformance : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(3);
    app_ = std::make_unique<App>(false, "desk");
    ASSERT_EQ(app_->init_result(), 0);
  }

  LONG open_single(DWORD device, const LINECALLPARAMS* params, HLINE* line, DWORD_PTR instance = 0x51) {
    return lineOpenA(app_->handle(), device, line, kApiVersion, 0, instance, kOwner | LINEOPENOPTION_SINGLEADDRESS,
                     kVoice, const_cast<LPLINECALLPARAMS>(params));
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> app_;
};

// lineOpen: "If LINEOPENOPTION_SINGLEADDRESS is specified, the application is
// interested only in new calls on the address given by dwAddressID of the
// LINECALLPARAMS pointed to by lpCallParams (which must be specified) ... if
// lpCallParams is invalid or dwAddressID does not exist on the line, the open
// fails with LINEERR_INVALADDRESSID" and dwAddressMode must be ADDRESSID.
TEST_F(Conformance, SingleAddressOpenTakesTheAddressOfTheCallParams) {
  HLINE line = 0;
  EXPECT_EQ(open_single(1, nullptr, &line), LINEERR_INVALADDRESSID);
  auto absent = single_address(2);
  EXPECT_EQ(open_single(1, &absent, &line), LINEERR_INVALADDRESSID);
  auto dialable = single_address(1, LINEADDRESSMODE_DIALABLEADDR);
  EXPECT_EQ(open_single(1, &dialable, &line), LINEERR_INVALADDRESSID);
  auto truncated = single_address(1);
  truncated.dwTotalSize = 16;  // ends before dwAddressID
  EXPECT_EQ(open_single(1, &truncated, &line), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(line, 0u) << "nothing opened";

  // Line 1's second address (2004) only.
  auto second = single_address(1);
  ASSERT_EQ(open_single(1, &second, &line), 0);
  App caller(false, "caller");
  ASSERT_EQ(caller.init_result(), 0);
  const HLINE from = caller.open(0, 0, false, kOwner, kVoice);
  const HLINE other = caller.open(2, 0, false, kOwner, kVoice);  // one call per address
  ASSERT_NE(from, 0u);
  ASSERT_NE(other, 0u);

  HCALL to_first = 0;
  const LONG first_id = lineMakeCallA(from, &to_first, "2003", 0, nullptr);
  ASSERT_GT(first_id, 0);
  EXPECT_EQ(caller.reply(first_id), 0);
  HCALL to_second = 0;
  const LONG second_id = lineMakeCallA(other, &to_second, "2004", 0, nullptr);
  ASSERT_GT(second_id, 0);
  EXPECT_EQ(caller.reply(second_id), 0);

  const auto offered =
      app_->wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL && m.hDevice == line; });
  ASSERT_TRUE(offered) << "the call to 2004 is offered to the open of its address";
  EXPECT_EQ(offered->dwParam1, 1u) << "address ID";
  EXPECT_EQ(offered->dwParam3, kOwner);
  EXPECT_EQ(offered->dwCallbackInstance, 0x51u);
  EXPECT_FALSE(app_->wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; }, 300ms))
      << "the call to 2003 (address 0) is not this open's";
  EXPECT_EQ(lineClose(line), 0);
}

// LINE_REPLY: "dwCallbackInstance: returns the application's callback
// instance" — as on Windows, that of the open the request was made through
// (the line's, or the line of the call's handle); a request on no line
// (lineGetAgentCaps takes the HLINEAPP) has none.
TEST_F(Conformance, ReplyCarriesTheCallbackInstanceOfTheRequestsLine) {
  TestProxy proxy;
  ASSERT_EQ(proxy.open_result(), 0);
  const HLINE agent_line = app_->open(0, 0xA6E47);
  ASSERT_NE(agent_line, 0u);
  const auto reply = [&](LONG id) {
    EXPECT_GT(id, 0);
    return app_->wait(
        [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_REPLY && m.dwParam1 == static_cast<DWORD_PTR>(id); });
  };
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const auto agent = reply(lineGetAgentInfo(agent_line, kFirstAgent, &info));
  ASSERT_TRUE(agent);
  EXPECT_EQ(static_cast<LONG>(agent->dwParam2), 0);
  EXPECT_EQ(agent->dwCallbackInstance, 0xA6E47u);
  EXPECT_EQ(agent->hDevice, 0u) << "hDevice: not used";
  EXPECT_EQ(agent->dwParam3, 0u);
  const auto failed = reply(lineSetAgentSessionState(agent_line, kUnknownSession, LINEAGENTSESSIONSTATE_READY, 0));
  ASSERT_TRUE(failed);
  EXPECT_LT(static_cast<LONG>(failed->dwParam2), 0);
  EXPECT_EQ(failed->dwCallbackInstance, 0xA6E47u) << "a failed request's reply too";

  std::vector<unsigned char> caps(1024, 0);
  const DWORD caps_size = 1024;
  std::memcpy(caps.data(), &caps_size, 4);
  const auto no_line =
      reply(lineGetAgentCapsA(app_->handle(), 0, 0, kApiVersion, reinterpret_cast<LPLINEAGENTCAPS>(caps.data())));
  ASSERT_TRUE(no_line);
  EXPECT_EQ(no_line->dwCallbackInstance, 0u);

  // Call requests: lineMakeCall on the caller's line, lineAnswer / lineDrop
  // on the callee's call.
  App callee(false, "callee");
  ASSERT_EQ(callee.init_result(), 0);
  const HLINE to = callee.open(1, 0xCA11EE, false, kOwner, kVoice);
  const HLINE from = app_->open(2, 0xCA11E4, false, kOwner, kVoice);
  ASSERT_NE(to, 0u);
  ASSERT_NE(from, 0u);
  HCALL call = 0;
  const auto made = reply(lineMakeCallA(from, &call, "2003", 0, nullptr));
  ASSERT_TRUE(made);
  EXPECT_EQ(static_cast<LONG>(made->dwParam2), 0);
  EXPECT_EQ(made->dwCallbackInstance, 0xCA11E4u);
  const auto offered =
      callee.wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL && m.hDevice == to; });
  ASSERT_TRUE(offered);
  const auto incoming = static_cast<HCALL>(offered->dwParam2);
  const LONG answer_id = lineAnswer(incoming, nullptr, 0);
  ASSERT_GT(answer_id, 0);
  const auto answered = callee.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_REPLY && m.dwParam1 == static_cast<DWORD_PTR>(answer_id);
  });
  ASSERT_TRUE(answered);
  EXPECT_EQ(static_cast<LONG>(answered->dwParam2), 0);
  EXPECT_EQ(answered->dwCallbackInstance, 0xCA11EEu);
  const auto dropped = reply(lineDrop(call, nullptr, 0));
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->dwCallbackInstance, 0xCA11E4u);
}

// The version, extension, privilege and media-mode checks of
// lineNegotiateAPIVersion, lineGetDevCaps and lineOpen, with the codes their
// pages list; and lineGetMessage's answer when nothing comes in time.
TEST_F(Conformance, VersionsExtensionsAndPrivilegesGetTheDocumentedCodes) {
  const HLINEAPP app = app_->handle();
  DWORD version = 0;
  LINEEXTENSIONID ext;
  // The negotiated version lies in the application's range: the highest both sides speak.
  ASSERT_EQ(lineNegotiateAPIVersion(app, 0, 0x00020000, 0x00040000, &version, &ext), 0);
  EXPECT_EQ(version, 0x00030001u);
  ASSERT_EQ(lineNegotiateAPIVersion(app, 0, 0x00020000, 0x00020001, &version, &ext), 0);
  EXPECT_EQ(version, 0x00020001u);
  EXPECT_EQ(lineNegotiateAPIVersion(app, 0, 0x00020001, 0x00020000, &version, &ext), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineNegotiateAPIVersion(app, 0, 0x00030002, 0x00040000, &version, &ext), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineNegotiateAPIVersion(app, 3, 0x00020000, 0x00030001, &version, &ext), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineNegotiateAPIVersion(app + 1000, 0, 0x00020000, 0x00030001, &version, &ext), LINEERR_INVALAPPHANDLE);

  std::vector<unsigned char> caps(1024, 0);
  auto* dev_caps = reinterpret_cast<LPLINEDEVCAPS>(caps.data());
  dev_caps->dwTotalSize = 1024;
  EXPECT_EQ(lineGetDevCapsA(app, 0, 0x00050000, 0, dev_caps), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineGetDevCapsA(app, 0, 0x00020001, 0x00010000, dev_caps), LINEERR_INCOMPATIBLEEXTVERSION);
  EXPECT_EQ(lineGetDevCapsA(app, 3, 0x00020001, 0, dev_caps), LINEERR_BADDEVICEID);
  ASSERT_EQ(lineGetDevCapsA(app, 0, 0x00020001, 0, dev_caps), 0);
  EXPECT_EQ(dev_caps->dwStringFormat, static_cast<DWORD>(STRINGFORMAT_ASCII));
  EXPECT_EQ(dev_caps->dwNumAddresses, 2u);

  HLINE line = 0;
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00020001, 0, 0, 0x10, 0, nullptr), LINEERR_INVALPRIVSELECT);
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00020001, 0, 0, kOwner, 0, nullptr), LINEERR_INVALMEDIAMODE)
      << "an owner names the media modes it takes";
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00020001, 0x00010000, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_INCOMPATIBLEEXTVERSION);
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00050000, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineOpenA(app, 3, &line, 0x00020001, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr), LINEERR_BADDEVICEID);
  EXPECT_EQ(line, 0u);

  // A second application polls its own, empty, queue.
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT | LINEINITIALIZEEXOPTION_CALLHUBTRACKING;
  HLINEAPP quiet = 0;
  DWORD devices = 0;
  DWORD api = 0x00020001;
  ASSERT_EQ(lineInitializeExA(&quiet, nullptr, nullptr, "quiet", &devices, &api, &params), 0);
  EXPECT_EQ(api, 0x00030001u) << "out: the highest version the implementation supports";
  EXPECT_EQ(params.dwNeededSize, sizeof params);
  EXPECT_EQ(params.dwUsedSize, sizeof params);
  LINEMESSAGE m;
  EXPECT_EQ(lineGetMessage(quiet, &m, 0), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(lineGetMessage(quiet, &m, 20), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(lineGetMessage(quiet, nullptr, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineShutdown(quiet), 0);
  EXPECT_EQ(lineShutdown(quiet), LINEERR_INVALAPPHANDLE) << "another application is still there";
  EXPECT_EQ(lineGetMessage(quiet, &m, 0), LINEERR_INVALAPPHANDLE);
}

}  // namespace
}  // namespace tapi2_test
