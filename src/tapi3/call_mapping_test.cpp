// The pure translations between the TAPI 2 call model and the TAPI 3 call
// objects (call_mapping.h, docs/porting.md "Calls").
#include "tapi3/call_mapping.h"

#include <gtest/gtest.h>

#include <cstring>

#include "layout/var_struct.h"
#include "tapi3/mapping.h"

namespace opentapi::tapi3 {
namespace {

// A W string of a LINECALLPARAMS as lineMakeCall receives it.
std::wstring params_string(const void* params, layout::Pair pair) {
  auto r = layout::VarStructReader::passed_in(params, sizeof(LINECALLPARAMS), sizeof(LINECALLPARAMS),
                                              layout::Charset::kWide);
  const auto text = r ? r->string(pair) : std::nullopt;
  return text ? layout::utf8_to_wide_lossy(*text) : std::wstring();
}

TEST(CallMapping, LineCallStatesBecomeCallStates) {
  struct Row {
    DWORD line;
    DWORD detail;
    CALL_STATE state;
    CALL_STATE_EVENT_CAUSE cause;
  };
  const Row rows[] = {
      {LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE, CS_OFFERING, CEC_NONE},
      {LINECALLSTATE_ACCEPTED, 0, CS_OFFERING, CEC_NONE},
      {LINECALLSTATE_DIALTONE, 0, CS_INPROGRESS, CEC_NONE},
      {LINECALLSTATE_DIALING, 0, CS_INPROGRESS, CEC_NONE},
      {LINECALLSTATE_PROCEEDING, 0, CS_INPROGRESS, CEC_NONE},
      {LINECALLSTATE_RINGBACK, 0, CS_INPROGRESS, CEC_NONE},
      {LINECALLSTATE_SPECIALINFO, 0, CS_INPROGRESS, CEC_NONE},
      {LINECALLSTATE_CONNECTED, 0, CS_CONNECTED, CEC_NONE},
      {LINECALLSTATE_CONFERENCED, 0, CS_CONNECTED, CEC_NONE},
      {LINECALLSTATE_ONHOLD, 0, CS_HOLD, CEC_NONE},
      {LINECALLSTATE_ONHOLDPENDCONF, 0, CS_HOLD, CEC_NONE},
      {LINECALLSTATE_ONHOLDPENDTRANSFER, 0, CS_HOLD, CEC_NONE},
      {LINECALLSTATE_BUSY, LINEBUSYMODE_STATION, CS_DISCONNECTED, CEC_DISCONNECT_BUSY},
      {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_NORMAL, CS_DISCONNECTED, CEC_DISCONNECT_NORMAL},
      {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_BADADDRESS, CS_DISCONNECTED, CEC_DISCONNECT_BADADDRESS},
      {LINECALLSTATE_IDLE, 0, CS_DISCONNECTED, CEC_DISCONNECT_NORMAL},
  };
  for (const auto& r : rows) {
    const auto got = call_state_from_line(r.line, r.detail);
    ASSERT_TRUE(got) << r.line;
    EXPECT_EQ(got->state, r.state) << r.line;
    EXPECT_EQ(got->cause, r.cause) << r.line;
  }
  EXPECT_FALSE(call_state_from_line(LINECALLSTATE_UNKNOWN, 0));
  EXPECT_FALSE(call_state_from_line(0, 0));
  EXPECT_FALSE(call_state_from_line(LINECALLSTATE_IDLE | LINECALLSTATE_CONNECTED, 0));
}

TEST(CallMapping, DisconnectModesBecomeCauses) {
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_NORMAL), CEC_DISCONNECT_NORMAL);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_PICKUP), CEC_DISCONNECT_NORMAL);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_FORWARDED), CEC_DISCONNECT_NORMAL);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_BUSY), CEC_DISCONNECT_BUSY);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_BADADDRESS), CEC_DISCONNECT_BADADDRESS);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_NOANSWER), CEC_DISCONNECT_NOANSWER);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_REJECT), CEC_DISCONNECT_REJECTED);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_CANCELLED), CEC_DISCONNECT_CANCELLED);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_BLOCKED), CEC_DISCONNECT_BLOCKED);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_DONOTDISTURB), CEC_DISCONNECT_BLOCKED);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_UNREACHABLE), CEC_DISCONNECT_FAILED);
  EXPECT_EQ(cause_from_disconnect_mode(LINEDISCONNECTMODE_UNKNOWN), CEC_DISCONNECT_FAILED);
  EXPECT_EQ(cause_from_disconnect_mode(0), CEC_DISCONNECT_FAILED);
}

TEST(CallMapping, PrivilegesAndMediaTypes) {
  EXPECT_EQ(privilege_from_line(LINECALLPRIVILEGE_OWNER), CP_OWNER);
  EXPECT_EQ(privilege_from_line(LINECALLPRIVILEGE_MONITOR), CP_MONITOR);
  EXPECT_FALSE(privilege_from_line(0));
  EXPECT_FALSE(privilege_from_line(LINECALLPRIVILEGE_NONE));
  EXPECT_EQ(media_types_from_line(LINEMEDIAMODE_INTERACTIVEVOICE), TAPIMEDIATYPE_AUDIO);
  EXPECT_EQ(media_types_from_line(LINEMEDIAMODE_AUTOMATEDVOICE), TAPIMEDIATYPE_AUDIO);
  EXPECT_EQ(media_types_from_line(LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_VIDEO),
            TAPIMEDIATYPE_AUDIO | TAPIMEDIATYPE_VIDEO);
  EXPECT_EQ(media_types_from_line(LINEMEDIAMODE_DATAMODEM | LINEMEDIAMODE_G3FAX),
            TAPIMEDIATYPE_DATAMODEM | TAPIMEDIATYPE_G3FAX);
  EXPECT_EQ(media_types_from_line(LINEMEDIAMODE_TDD), 0);
  EXPECT_EQ(line_media_from_types(TAPIMEDIATYPE_AUDIO), LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_AUTOMATEDVOICE);
  EXPECT_EQ(line_media_from_types(TAPIMEDIATYPE_VIDEO), LINEMEDIAMODE_VIDEO);
  EXPECT_EQ(line_media_from_types(TAPIMEDIATYPE_MULTITRACK), 0u);
}

TEST(CallMapping, CallInfoBitsGiveOneCauseEach) {
  EXPECT_TRUE(info_change_causes(0).empty());
  const auto causes = info_change_causes(LINECALLINFOSTATE_CALLERID | LINECALLINFOSTATE_CALLDATA |
                                         LINECALLINFOSTATE_MEDIAMODE | LINECALLINFOSTATE_NUMOWNERINCR);
  const std::vector<CALLINFOCHANGE_CAUSE> expected = {CIC_MEDIATYPE, CIC_NUMOWNERINCR, CIC_CALLERID, CIC_CALLDATA};
  EXPECT_EQ(causes, expected);
  // Items without a TAPI 3 cause give one CIC_OTHER between them.
  EXPECT_EQ(info_change_causes(LINECALLINFOSTATE_DISPLAY | LINECALLINFOSTATE_QOS | LINECALLINFOSTATE_OTHER),
            std::vector<CALLINFOCHANGE_CAUSE>{CIC_OTHER});
}

TEST(CallMapping, ResultsOfCallControl) {
  EXPECT_EQ(call_control_hresult(S_OK), S_OK);
  EXPECT_EQ(call_control_hresult(static_cast<HRESULT>(LINEERR_INVALCALLSTATE)), TAPI_E_INVALCALLSTATE);
  EXPECT_EQ(call_control_hresult(static_cast<HRESULT>(LINEERR_INVALCALLHANDLE)), TAPI_E_INVALCALLSTATE);
  EXPECT_EQ(call_control_hresult(static_cast<HRESULT>(LINEERR_NOTOWNER)), TAPI_E_NOTOWNER);
  EXPECT_EQ(call_control_hresult(static_cast<HRESULT>(LINEERR_INVALADDRESS)), TAPI_E_INVALADDRESS);
  EXPECT_EQ(call_control_hresult(TAPI_E_TIMEOUT), TAPI_E_TIMEOUT);
  EXPECT_EQ(call_control_hresult(TAPI_E_NOT_INITIALIZED), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(call_control_hresult(E_OUTOFMEMORY), E_OUTOFMEMORY);
  EXPECT_EQ(connect_failure(CEC_DISCONNECT_BUSY), TAPI_E_DESTBUSY);
  EXPECT_EQ(connect_failure(CEC_DISCONNECT_NOANSWER), TAPI_E_DESTNOANSWER);
  EXPECT_EQ(connect_failure(CEC_DISCONNECT_BADADDRESS), TAPI_E_INVALADDRESS);
  EXPECT_EQ(connect_failure(CEC_DISCONNECT_REJECTED), TAPI_E_DESTUNAVAIL);
  EXPECT_EQ(connect_failure(CEC_DISCONNECT_FAILED), TAPI_E_DESTUNAVAIL);
}

// A LINECALLINFO with a caller ID, a called ID and call data appended.
std::vector<unsigned char> sample_call_info() {
  std::vector<unsigned char> b(sizeof(LINECALLINFO));
  const auto append = [&](const void* data, std::size_t size, DWORD LINECALLINFO::*size_member,
                          DWORD LINECALLINFO::*offset_member) {
    const auto offset = static_cast<DWORD>(b.size());
    b.resize(b.size() + size);
    std::memcpy(b.data() + offset, data, size);
    reinterpret_cast<LINECALLINFO*>(b.data())->*size_member = static_cast<DWORD>(size);
    reinterpret_cast<LINECALLINFO*>(b.data())->*offset_member = offset;
  };
  const std::wstring number = L"5551234", name = L"Jane Doe", called = L"8001";
  append(number.c_str(), (number.size() + 1) * sizeof(wchar_t), &LINECALLINFO::dwCallerIDSize,
         &LINECALLINFO::dwCallerIDOffset);
  append(name.c_str(), (name.size() + 1) * sizeof(wchar_t), &LINECALLINFO::dwCallerIDNameSize,
         &LINECALLINFO::dwCallerIDNameOffset);
  append(called.c_str(), (called.size() + 1) * sizeof(wchar_t), &LINECALLINFO::dwCalledIDSize,
         &LINECALLINFO::dwCalledIDOffset);
  const unsigned char data[] = {0xAA, 0xBB};
  append(data, sizeof data, &LINECALLINFO::dwCallDataSize, &LINECALLINFO::dwCallDataOffset);
  auto* info = reinterpret_cast<LINECALLINFO*>(b.data());
  info->dwTotalSize = info->dwNeededSize = info->dwUsedSize = static_cast<DWORD>(b.size());
  info->dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
  info->dwReason = LINECALLREASON_REDIRECT;
  info->dwCallID = 42;
  info->dwNumMonitors = 2;
  info->DialParams.dwDigitDuration = 90;
  return b;
}

TEST(CallMapping, CallInfoItemsComeFromTheirFields) {
  const auto b = sample_call_info();
  EXPECT_TRUE(call_info_complete(b.data(), b.size()));
  EXPECT_EQ(call_info_string(b.data(), b.size(), CIS_CALLERIDNUMBER), L"5551234");
  EXPECT_EQ(call_info_string(b.data(), b.size(), CIS_CALLERIDNAME), L"Jane Doe");
  EXPECT_EQ(call_info_string(b.data(), b.size(), CIS_CALLEDIDNUMBER), L"8001");
  EXPECT_EQ(call_info_string(b.data(), b.size(), CIS_CONNECTEDIDNUMBER), L"");
  EXPECT_FALSE(call_info_string(b.data(), b.size(), CIS_CALLINGPARTYID));  // LINECALLPARAMS only
  EXPECT_EQ(call_info_long(b.data(), b.size(), CIL_MEDIATYPESAVAILABLE), TAPIMEDIATYPE_AUDIO);
  EXPECT_EQ(call_info_long(b.data(), b.size(), CIL_REASON), static_cast<LONG>(LINECALLREASON_REDIRECT));
  EXPECT_EQ(call_info_long(b.data(), b.size(), CIL_CALLID), 42);
  EXPECT_EQ(call_info_long(b.data(), b.size(), CIL_NUMBEROFMONITORS), 2);
  EXPECT_EQ(call_info_long(b.data(), b.size(), CIL_GENERATEDIGITDURATION), 90);
  EXPECT_FALSE(call_info_long(b.data(), b.size(), CIL_MINRATE));
  const auto data = call_info_buffer(b.data(), b.size(), CIB_CALLDATABUFFER);
  ASSERT_TRUE(data);
  EXPECT_EQ(*data, (std::vector<unsigned char>{0xAA, 0xBB}));
  EXPECT_EQ(call_info_buffer(b.data(), b.size(), CIB_USERUSERINFO), std::vector<unsigned char>());
}

TEST(CallMapping, MalformedCallInfoIsNotRead) {
  auto b = sample_call_info();
  auto* info = reinterpret_cast<LINECALLINFO*>(b.data());
  info->dwCallDataOffset = static_cast<DWORD>(b.size());  // points past the end
  EXPECT_FALSE(call_info_buffer(b.data(), b.size(), CIB_CALLDATABUFFER));
  info->dwCallerIDOffset = 0xFFFFFF00u;
  EXPECT_EQ(call_info_string(b.data(), b.size(), CIS_CALLERIDNUMBER), L"");
  info->dwNeededSize = info->dwTotalSize + 1;
  EXPECT_FALSE(call_info_complete(b.data(), b.size()));
  // A structure shorter than the field reads as zero.
  EXPECT_EQ(call_info_long(b.data(), 12, CIL_CALLID), 0);
}

TEST(CallMapping, CapabilitiesComeFromLineAndAddressCaps) {
  LINEDEVCAPS dev{};
  dev.dwTotalSize = dev.dwNeededSize = dev.dwUsedSize = sizeof dev;
  dev.dwPermanentLineID = 7;
  dev.dwBearerModes = LINEBEARERMODE_VOICE;
  dev.DefaultDialParams.dwDigitDuration = 100;
  LINEADDRESSCAPS addr{};
  addr.dwTotalSize = addr.dwNeededSize = addr.dwUsedSize = sizeof addr;
  addr.dwLineDeviceID = 3;
  addr.dwMaxNumActiveCalls = 1;
  addr.dwCallFeatures = LINECALLFEATURE_ANSWER;
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_ADDRESSTYPES),
            static_cast<LONG>(LINEADDRESSTYPE_PHONENUMBER));  // 0 in the caps: a phone number
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_PERMANENTDEVICEID), 7);
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_LINEID), 3);
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_ADDRESSID), 2);
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_MAXACTIVECALLS), 1);
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_CALLFEATURES1),
            static_cast<LONG>(LINECALLFEATURE_ANSWER));
  EXPECT_EQ(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_GENERATEDIGITDEFAULTDURATION), 100);
  EXPECT_EQ(address_capability(nullptr, 0, nullptr, 0, 0, AC_MAXACTIVECALLS), 0);
  EXPECT_FALSE(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, AC_GENERATEDIGITDEFAULTDURATION + 1));
  EXPECT_FALSE(address_capability(&dev, sizeof dev, &addr, sizeof addr, 2, -1));
  dev.PermanentLineGuid = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 16}};
  EXPECT_EQ(address_capability_string(&dev, sizeof dev, &addr, sizeof addr, ACS_PERMANENTDEVICEGUID),
            L"{01020304-0506-0708-090A-0B0C0D0E0F10}");
  EXPECT_FALSE(address_capability_string(&dev, sizeof dev, &addr, sizeof addr, 99));
}

TEST(CallMapping, CallParamsCarryWhatWasSetBeforeConnect) {
  MakeCallParams p;
  p.address_id = 3;
  p.calling_party_id = L"8001";
  p.comment = L"hi";
  p.call_data = {1, 2, 3};
  const auto b = build_call_params(p);
  const auto* params = reinterpret_cast<const LINECALLPARAMS*>(b.data());
  EXPECT_EQ(params->dwTotalSize, b.size());
  EXPECT_EQ(b.size() % 4, 0u);
  EXPECT_EQ(params->dwAddressMode, LINEADDRESSMODE_ADDRESSID);
  EXPECT_EQ(params->dwAddressID, 3u);
  EXPECT_EQ(params->dwMediaMode, LINEMEDIAMODE_INTERACTIVEVOICE);
  EXPECT_EQ(params->dwBearerMode, LINEBEARERMODE_VOICE);
  EXPECT_EQ(params_string(b.data(), OT_PAIR(LINECALLPARAMS, CallingPartyID)), L"8001");
  EXPECT_EQ(params_string(b.data(), OT_PAIR(LINECALLPARAMS, Comment)), L"hi");
  ASSERT_EQ(params->dwCallDataSize, 3u);
  EXPECT_EQ(b[params->dwCallDataOffset + 2], 3);
  EXPECT_EQ(params->dwDisplayableAddressSize, 0u);
  EXPECT_EQ(params->dwUserUserInfoSize, 0u);
}

}  // namespace
}  // namespace opentapi::tapi3
