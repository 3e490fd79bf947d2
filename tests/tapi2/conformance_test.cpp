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

// The vendor-ACD side as Microsoft describes it. lineOpen with
// LINEOPENOPTION_PROXY names the request types in the LINECALLPARAMS
// device-specific area; LINE_PROXYREQUEST "dwDevice: the proxy's line
// handle; dwCallbackInstance: the instance given at lineOpen; dwParam1:
// pointer to a LINEPROXYREQUEST; dwParam2, dwParam3: reserved"; the
// LINEPROXYREQUEST names "the highest API version of the requesting
// application" (dwClientAppAPIVersion: the version its line was opened at);
// lineProxyResponse's dwResult becomes dwParam2 of the client's LINE_REPLY;
// LINE_PROXYSTATUS dwParam3 is reserved (0); lineProxyMessage passes its
// three parameters through and sends only the messages of a proxy's role.
TEST_F(Conformance, VendorProxyRequestsResponsesAndMessages) {
  App vendor(false, "vendor acd");
  ASSERT_EQ(vendor.init_result(), 0);
  std::vector<DWORD> types = {LINEPROXYREQUEST_SETAGENTSESSIONSTATE, LINEPROXYREQUEST_CREATEAGENTSESSION,
                              LINEPROXYREQUEST_SETAGENTSTATE};
  const auto open_with = [&](std::vector<unsigned char> params, HLINE* line) {
    return lineOpenA(vendor.handle(), 1, line, kApiVersion, 0, 0x77, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0,
                     reinterpret_cast<LPLINECALLPARAMS>(params.data()));
  };
  HLINE proxy = 0;
  EXPECT_EQ(open_with(proxy_call_params({0}), &proxy), LINEERR_INVALPARAM) << "no request type 0";
  EXPECT_EQ(open_with(proxy_call_params({0x15}), &proxy), LINEERR_INVALPARAM) << "none above SETAGENTSTATEEX";
  EXPECT_EQ(open_with(proxy_call_params({}), &proxy), LINEERR_INVALPARAM) << "a proxy serves something";
  EXPECT_EQ(lineOpenA(vendor.handle(), 1, &proxy, kApiVersion, 0, 0x77, LINEOPENOPTION_PROXY, 0, nullptr),
            LINEERR_INVALPARAM);
  EXPECT_EQ(proxy, 0u);

  // A desk at TAPI 2.2 and one at 2.0 have the line open before the proxy.
  HLINE desk = 0;
  ASSERT_EQ(lineOpenA(app_->handle(), 1, &desk, 0x00020002, 0, 0x51, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);
  App old_desk(false, "old desk");
  HLINE old_line = 0;
  ASSERT_EQ(lineOpenA(old_desk.handle(), 1, &old_line, 0x00020000, 0, 0x52, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);

  ASSERT_EQ(open_with(proxy_call_params(types), &proxy), 0);
  for (const DWORD type : types) {
    const auto status = app_->wait([&](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_OPEN && m.dwParam2 == type;
    });
    ASSERT_TRUE(status) << type;
    EXPECT_EQ(status->hDevice, desk);
    EXPECT_EQ(status->dwCallbackInstance, 0x51u);
    EXPECT_EQ(status->dwParam3, 0u);
  }
  // Not every type TAPI 3 needs is served: no ALLOPENFORACD.
  EXPECT_FALSE(app_->wait(
      [](const LINEMESSAGE& m) {
        return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_ALLOPENFORACD;
      },
      200ms));
  // LINE_PROXYSTATUS is a TAPI 2.2 message.
  EXPECT_FALSE(old_desk.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYSTATUS; }, 200ms));

  // A request, its LINE_PROXYREQUEST and the LINEPROXYREQUEST it points to.
  GUID group{0x12345678, 0x9ABC, 0xDEF0, {1, 2, 3, 4, 5, 6, 7, 8}};
  HAGENTSESSION session = 0;
  const LONG create = lineCreateAgentSessionA(desk, 0x1001, const_cast<LPSTR>("4321"), 1, &group, &session);
  ASSERT_GT(create, 0);
  const auto delivered = vendor.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYREQUEST; });
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->hDevice, proxy);
  EXPECT_EQ(delivered->dwCallbackInstance, 0x77u);
  EXPECT_EQ(delivered->dwParam2, 0u);
  EXPECT_EQ(delivered->dwParam3, 0u);
  // LINE_PROXYREQUEST carries the request's address in dwParam1.
  auto* request = reinterpret_cast<LPLINEPROXYREQUEST>(delivered->dwParam1);  // NOLINT(performance-no-int-to-ptr)
  ASSERT_NE(request, nullptr);
  EXPECT_GE(request->dwSize, sizeof(LINEPROXYREQUEST));
  EXPECT_EQ(request->dwRequestType, LINEPROXYREQUEST_CREATEAGENTSESSION);
  EXPECT_EQ(request->dwClientAppAPIVersion, 0x00020002u);
  EXPECT_EQ(request->CreateAgentSession.hAgent, 0x1001u);
  EXPECT_EQ(request->CreateAgentSession.dwWorkingAddressID, 1u);
  EXPECT_EQ(std::memcmp(&request->CreateAgentSession.GroupID, &group, sizeof group), 0);
  ASSERT_EQ(request->CreateAgentSession.dwAgentPINSize, 5u);
  EXPECT_STREQ(reinterpret_cast<const char*>(request) + request->CreateAgentSession.dwAgentPINOffset, "4321");
  ASSERT_GT(request->dwClientUserNameSize, 1u);
  EXPECT_EQ(reinterpret_cast<const char*>(request)[request->dwClientUserNameOffset + request->dwClientUserNameSize - 1],
            '\0');
  request->CreateAgentSession.hAgentSession = 0x2002;
  ASSERT_EQ(lineProxyResponse(proxy, request, 0), 0);
  const auto created = app_->wait(
      [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_REPLY && static_cast<LONG>(m.dwParam1) == create; });
  ASSERT_TRUE(created);
  EXPECT_EQ(created->dwParam2, 0u);
  EXPECT_EQ(created->dwCallbackInstance, 0x51u);
  EXPECT_EQ(session, 0x2002u);

  // A failure the proxy returns is the client's LINE_REPLY result, and the
  // output stays untouched.
  const LONG set = lineSetAgentSessionState(desk, 0x2002, LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0);
  ASSERT_GT(set, 0);
  const auto second = vendor.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYREQUEST; });
  ASSERT_TRUE(second);
  request = reinterpret_cast<LPLINEPROXYREQUEST>(second->dwParam1);  // NOLINT(performance-no-int-to-ptr)
  EXPECT_EQ(request->dwRequestType, LINEPROXYREQUEST_SETAGENTSESSIONSTATE);
  EXPECT_EQ(request->SetAgentSessionState.hAgentSession, 0x2002u);
  EXPECT_EQ(request->SetAgentSessionState.dwAgentSessionState, LINEAGENTSESSIONSTATE_BUSYWRAPUP);
  EXPECT_EQ(request->SetAgentSessionState.dwNextAgentSessionState, 0u);
  ASSERT_EQ(lineProxyResponse(proxy, request, static_cast<DWORD>(LINEERR_INVALAGENTSESSIONSTATE)), 0);
  EXPECT_EQ(app_->reply(set), LINEERR_INVALAGENTSESSIONSTATE);

  // The messages of a proxy's role go to every other opener, parameters as
  // sent; the 2.2 ones not to a 2.0 opener. Others are refused.
  for (const DWORD msg : {DWORD{LINE_REPLY}, DWORD{LINE_PROXYREQUEST}, DWORD{LINE_PROXYSTATUS}, DWORD{LINE_CLOSE},
                          DWORD{LINE_CALLSTATE}, DWORD{LINE_LINEDEVSTATE}, DWORD{LINE_ADDRESSSTATE}, DWORD{99}}) {
    EXPECT_EQ(lineProxyMessage(proxy, 0, msg, 1, 2, 0), LINEERR_INVALPARAM) << msg;
  }
  ASSERT_EQ(lineProxyMessage(proxy, 0, LINE_QUEUESTATUS, 7, LINEQUEUESTATUS_NEWQUEUE, 0), 0);
  ASSERT_EQ(lineProxyMessage(proxy, 0, LINE_GROUPSTATUS, 0, LINEGROUPSTATUS_GROUPREMOVED, 0), 0);
  ASSERT_EQ(lineProxyMessage(proxy, 0, LINE_AGENTSTATUS, 1, LINEAGENTSTATUS_STATE, LINEAGENTSTATE_READY), 0);
  const auto queue = app_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_QUEUESTATUS; });
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->hDevice, desk);
  EXPECT_EQ(queue->dwParam1, 7u);
  EXPECT_EQ(queue->dwParam2, LINEQUEUESTATUS_NEWQUEUE);
  EXPECT_EQ(queue->dwParam3, 0u);
  const auto group_status = app_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_GROUPSTATUS; });
  ASSERT_TRUE(group_status);
  EXPECT_EQ(group_status->dwParam1, 0u);
  EXPECT_EQ(group_status->dwParam2, LINEGROUPSTATUS_GROUPREMOVED);
  const auto old_status = old_desk.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_AGENTSTATUS; });
  ASSERT_TRUE(old_status) << "LINE_AGENTSTATUS is a TAPI 2.0 message";
  EXPECT_EQ(old_status->hDevice, old_line);
  EXPECT_EQ(old_status->dwCallbackInstance, 0x52u);
  EXPECT_EQ(old_status->dwParam3, LINEAGENTSTATE_READY);
  for (const LINEMESSAGE& m : old_desk.take_all()) {
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_QUEUESTATUS));
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_GROUPSTATUS));
  }
  EXPECT_FALSE(vendor.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_QUEUESTATUS; }, 200ms))
      << "nothing on the proxy's own line";

  // Closing the proxy line: LINE_PROXYSTATUS CLOSE per type.
  ASSERT_EQ(lineClose(proxy), 0);
  for (const DWORD type : types) {
    EXPECT_TRUE(app_->wait([&](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_CLOSE && m.dwParam2 == type;
    })) << type;
  }
}

}  // namespace
}  // namespace tapi2_test
