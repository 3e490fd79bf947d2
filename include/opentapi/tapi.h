/*
 * tapi.h — the TAPI 2 line API as far as opentapi implements it: the agent,
 * session, queue and group functions of the call-center layer, the proxy
 * (ACD handler) functions, and the handful of infrastructure functions a
 * call-center application needs around them (initialize, open, message loop).
 *
 * The header is source-compatible with Microsoft's tapi.h for that subset:
 * the same names, numeric values, structure tags, field names, field order and
 * byte layout (1-byte packing), so that Windows TAPI applications compile on
 * Linux unchanged. Everything here follows the specification tapi2-agent.md;
 * the section numbers cited below ("§5.8") are sections of that document.
 *
 * Usable from C (C11 or later) and C++ (C++11 or later). The functions are
 * exported by libopentapi with C linkage.
 *
 * Conventions shared by every function (tapi2-agent.md §1):
 *  - Every function returns LONG. Synchronous functions return 0 or a negative
 *    LINEERR_* code. Asynchronous functions return a positive request ID and
 *    later deliver LINE_REPLY (dwParam1 = request ID, dwParam2 = result), or
 *    a negative LINEERR_* when they fail at once (§1.3). Memory an
 *    asynchronous call writes into must stay valid until its LINE_REPLY.
 *  - Handles (HLINEAPP, HLINE, HAGENT, ...) are 32-bit values, as in Microsoft's
 *    current headers, so the structures below are identical on 32-bit and
 *    64-bit builds (§1.1).
 *  - Variable-size structures follow the VARSTRING convention (§1.4): the
 *    caller sets dwTotalSize; the implementation sets dwNeededSize and
 *    dwUsedSize; variable data is addressed by dwXxxSize/dwXxxOffset pairs,
 *    sizes in bytes (strings include their terminating NUL), offsets in bytes
 *    from the start of the structure; an absent field has size 0 and offset 0.
 *  - Strings: an "...A" function takes and returns 8-bit strings (UTF-8 on
 *    Linux), a "...W" function takes and returns wide strings of WCHAR, which
 *    on Linux is wchar_t: 4 bytes per character (UTF-32), not 2 as on Windows.
 *    Sizes stay in bytes, so a W-form string of n characters occupies
 *    4 * (n + 1) bytes including its NUL. The unsuffixed names are macros
 *    selecting the W form when UNICODE is defined and the A form otherwise.
 *  - All structures are declared with 1-byte packing, as Microsoft does, so
 *    the byte offsets of §5 hold; a pointer to a member of one of them may
 *    therefore be unaligned.
 */
#ifndef OPENTAPI_TAPI_H
#define OPENTAPI_TAPI_H

#include "tapi_port.h"

/* ------------------------------------------------------------------------
 * Versions (§1.2).
 *
 * TAPI_CURRENT_VERSION is the version a program is written for; it defaults
 * to 3.1 unless the program defines it before including this header. This
 * header does not hide declarations for lower versions: which functions and
 * messages an application may use is decided at run time by the version it
 * negotiates (lineNegotiateAPIVersion), as §1.2 describes.
 * ---------------------------------------------------------------------- */
#ifndef TAPI_CURRENT_VERSION
#define TAPI_CURRENT_VERSION 0x00030001
#endif

#ifndef TAPI_VERSION1_0
#define TAPI_VERSION1_0 0x00010003
#endif
#ifndef TAPI_VERSION1_4
#define TAPI_VERSION1_4 0x00010004
#endif
#ifndef TAPI_VERSION2_0
#define TAPI_VERSION2_0 0x00020000 /* address-based agent functions, proxies */
#endif
#ifndef TAPI_VERSION2_1
#define TAPI_VERSION2_1 0x00020001 /* "TAPI 2.1 functions" of the TAPI 3 docs */
#endif
#ifndef TAPI_VERSION2_2
#define TAPI_VERSION2_2 0x00020002 /* agent handles, sessions, queues, groups */
#endif
#ifndef TAPI_VERSION3_0
#define TAPI_VERSION3_0 0x00030000 /* LINEQUEUEINFO / LINEQUEUELIST */
#endif
#ifndef TAPI_VERSION3_1
#define TAPI_VERSION3_1 0x00030001
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Handles (§1.1): opaque 32-bit values chosen by the implementation (line,
 * call, application handles) or by the ACD proxy (agent and session handles).
 * ---------------------------------------------------------------------- */
#ifndef DECLARE_OPAQUE32
#define DECLARE_OPAQUE32(name) typedef DWORD name
#endif

DECLARE_OPAQUE32(HLINEAPP);
typedef HLINEAPP *LPHLINEAPP;
DECLARE_OPAQUE32(HLINE);
typedef HLINE *LPHLINE;
DECLARE_OPAQUE32(HCALL);
typedef HCALL *LPHCALL;
DECLARE_OPAQUE32(HAGENT);
typedef HAGENT *LPHAGENT;
DECLARE_OPAQUE32(HAGENTSESSION);
typedef HAGENTSESSION *LPHAGENTSESSION;
DECLARE_OPAQUE32(HPHONEAPP);
typedef HPHONEAPP *LPHPHONEAPP;
DECLARE_OPAQUE32(HPHONE);
typedef HPHONE *LPHPHONE;

/* The notification callback of the callback mechanism (§3.4). hDevice is the
 * line (or call) handle the message is about, dwInstance the
 * dwCallbackInstance given to lineOpen, the parameters as in §4.2. */
typedef void(CALLBACK *LINECALLBACK)(DWORD hDevice, DWORD dwMessage, DWORD_PTR dwInstance,
                                     DWORD_PTR dwParam1, DWORD_PTR dwParam2, DWORD_PTR dwParam3);

/* ------------------------------------------------------------------------
 * Message IDs (§4.1): LINEMESSAGE.dwMessageID and the callback's dwMessage.
 * The call-center messages are LINE_REPLY, LINE_PROXYREQUEST and the status
 * messages 21-22 and 27-31; their parameters are described in §4.2.
 * ---------------------------------------------------------------------- */
#define LINE_ADDRESSSTATE 0u
#define LINE_CALLINFO 1u
#define LINE_CALLSTATE 2u
#define LINE_CLOSE 3u /* line closed under the app; proxies answer pending requests */
#define LINE_DEVSPECIFIC 4u
#define LINE_DEVSPECIFICFEATURE 5u
#define LINE_GATHERDIGITS 6u
#define LINE_GENERATE 7u
#define LINE_LINEDEVSTATE 8u
#define LINE_MONITORDIGITS 9u
#define LINE_MONITORMEDIA 10u
#define LINE_MONITORTONE 11u
#define LINE_REPLY 12u /* dwParam1 request ID, dwParam2 result (cast to LONG) */
#define LINE_REQUEST 13u
#define PHONE_BUTTON 14u
#define PHONE_CLOSE 15u
#define PHONE_DEVSPECIFIC 16u
#define PHONE_REPLY 17u
#define PHONE_STATE 18u
#define LINE_CREATE 19u
#define PHONE_CREATE 20u
#define LINE_AGENTSPECIFIC 21u /* dwParam1 extension index (LINEAGENTCAPS) */
#define LINE_AGENTSTATUS 22u   /* dwParam1 address, dwParam2 LINEAGENTSTATUS_* */
#define LINE_APPNEWCALL 23u
#define LINE_PROXYREQUEST 24u /* dwParam1 = LPLINEPROXYREQUEST, to the handler */
#define LINE_REMOVE 25u
#define PHONE_REMOVE 26u
#define LINE_AGENTSESSIONSTATUS 27u /* dwParam1 HAGENTSESSION, dwParam2 LINEAGENTSESSIONSTATUS_* */
#define LINE_QUEUESTATUS 28u        /* dwParam1 queue ID, dwParam2 LINEQUEUESTATUS_* */
#define LINE_AGENTSTATUSEX 29u      /* dwParam1 HAGENT, dwParam2 LINEAGENTSTATUSEX_* */
#define LINE_GROUPSTATUS 30u        /* dwParam2 LINEGROUPSTATUS_* */
#define LINE_PROXYSTATUS 31u        /* dwParam1 LINEPROXYSTATUS_*, dwParam2 request type */
#define LINE_APPNEWCALLHUB 32u
#define LINE_CALLHUBCLOSE 33u
#define LINE_DEVSPECIFICEX 34u

/* ------------------------------------------------------------------------
 * Agent session states (§6.1): LINEAGENTSESSIONINFO.dwAgentSessionState and
 * the arguments of lineSetAgentSessionState (0 there = "leave unchanged").
 * ---------------------------------------------------------------------- */
#define LINEAGENTSESSIONSTATE_NOTREADY 0x00000001u
#define LINEAGENTSESSIONSTATE_READY 0x00000002u
#define LINEAGENTSESSIONSTATE_BUSYONCALL 0x00000004u
#define LINEAGENTSESSIONSTATE_BUSYWRAPUP 0x00000008u
#define LINEAGENTSESSIONSTATE_ENDED 0x00000010u
#define LINEAGENTSESSIONSTATE_RELEASED 0x00000020u

/* What changed, in dwParam2 of LINE_AGENTSESSIONSTATUS (§6.2). */
#define LINEAGENTSESSIONSTATUS_NEWSESSION 0x00000001u
#define LINEAGENTSESSIONSTATUS_STATE 0x00000002u /* dwParam3 = new session state */
#define LINEAGENTSESSIONSTATUS_UPDATEINFO 0x00000004u

/* States of an agent handle (§6.3): LINEAGENTINFO.dwAgentState and the
 * arguments of lineSetAgentStateEx. */
#define LINEAGENTSTATEEX_NOTREADY 0x00000001u
#define LINEAGENTSTATEEX_READY 0x00000002u
#define LINEAGENTSTATEEX_BUSYACD 0x00000004u
#define LINEAGENTSTATEEX_BUSYINCOMING 0x00000008u
#define LINEAGENTSTATEEX_BUSYOUTGOING 0x00000010u
#define LINEAGENTSTATEEX_UNKNOWN 0x00000020u
#define LINEAGENTSTATEEX_RELEASED 0x00000040u

/* What changed, in dwParam2 of LINE_AGENTSTATUSEX (§6.4). */
#define LINEAGENTSTATUSEX_NEWAGENT 0x00000001u
#define LINEAGENTSTATUSEX_STATE 0x00000002u /* dwParam3 = new LINEAGENTSTATEEX_* */
#define LINEAGENTSTATUSEX_UPDATEINFO 0x00000004u

/* State of the agent on an address (§6.5, TAPI 2.0): LINEAGENTSTATUS.dwState
 * and lineSetAgentState. The upper 16 bits are for device-specific states. */
#define LINEAGENTSTATE_LOGGEDOFF 0x00000001u
#define LINEAGENTSTATE_NOTREADY 0x00000002u
#define LINEAGENTSTATE_READY 0x00000004u
#define LINEAGENTSTATE_BUSYACD 0x00000008u
#define LINEAGENTSTATE_BUSYINCOMING 0x00000010u
#define LINEAGENTSTATE_BUSYOUTBOUND 0x00000020u
#define LINEAGENTSTATE_BUSYOTHER 0x00000040u
#define LINEAGENTSTATE_WORKINGAFTERCALL 0x00000080u
#define LINEAGENTSTATE_UNKNOWN 0x00000100u
#define LINEAGENTSTATE_UNAVAIL 0x00000200u

/* Which parts of LINEAGENTSTATUS changed, in dwParam2 of LINE_AGENTSTATUS
 * and in LINEAGENTCAPS.dwAgentStatusMessages (§6.6). */
#define LINEAGENTSTATUS_GROUP 0x00000001u
#define LINEAGENTSTATUS_STATE 0x00000002u /* dwParam3 = new LINEAGENTSTATE_* */
#define LINEAGENTSTATUS_NEXTSTATE 0x00000004u
#define LINEAGENTSTATUS_ACTIVITY 0x00000008u
#define LINEAGENTSTATUS_ACTIVITYLIST 0x00000010u
#define LINEAGENTSTATUS_GROUPLIST 0x00000020u
#define LINEAGENTSTATUS_CAPSCHANGE 0x00000040u
#define LINEAGENTSTATUS_VALIDSTATES 0x00000080u
#define LINEAGENTSTATUS_VALIDNEXTSTATES 0x00000100u

/* Address-based agent functions that may be invoked (§6.7):
 * LINEAGENTCAPS.dwFeatures and LINEAGENTSTATUS.dwAgentFeatures. */
#define LINEAGENTFEATURE_SETAGENTGROUP 0x00000001u
#define LINEAGENTFEATURE_SETAGENTSTATE 0x00000002u
#define LINEAGENTFEATURE_SETAGENTACTIVITY 0x00000004u
#define LINEAGENTFEATURE_AGENTSPECIFIC 0x00000008u
#define LINEAGENTFEATURE_GETAGENTACTIVITYLIST 0x00000010u
#define LINEAGENTFEATURE_GETAGENTGROUP 0x00000020u

/* dwParam2 of LINE_QUEUESTATUS / LINE_GROUPSTATUS, dwParam1 of
 * LINE_PROXYSTATUS (§6.8). */
#define LINEQUEUESTATUS_UPDATEINFO 0x00000001u
#define LINEQUEUESTATUS_NEWQUEUE 0x00000002u
#define LINEQUEUESTATUS_QUEUEREMOVED 0x00000004u

#define LINEGROUPSTATUS_NEWGROUP 0x00000001u
#define LINEGROUPSTATUS_GROUPREMOVED 0x00000002u

#define LINEPROXYSTATUS_OPEN 0x00000001u
#define LINEPROXYSTATUS_CLOSE 0x00000002u
#define LINEPROXYSTATUS_ALLOPENFORACD 0x00000004u /* handlers for all of 0x09..0x14 */

/* ------------------------------------------------------------------------
 * Proxy request types (§6.9). One per routed agent function. They appear as
 * the DWORD array in the LINECALLPARAMS of a LINEOPENOPTION_PROXY open, as
 * LINEPROXYREQUEST.dwRequestType (selecting the union member), as elements
 * of LINEPROXYREQUESTLIST and in dwParam2 of LINE_PROXYSTATUS.
 * ---------------------------------------------------------------------- */
#define LINEPROXYREQUEST_SETAGENTGROUP 0x00000001u
#define LINEPROXYREQUEST_SETAGENTSTATE 0x00000002u
#define LINEPROXYREQUEST_SETAGENTACTIVITY 0x00000003u
#define LINEPROXYREQUEST_GETAGENTCAPS 0x00000004u
#define LINEPROXYREQUEST_GETAGENTSTATUS 0x00000005u
#define LINEPROXYREQUEST_AGENTSPECIFIC 0x00000006u
#define LINEPROXYREQUEST_GETAGENTACTIVITYLIST 0x00000007u
#define LINEPROXYREQUEST_GETAGENTGROUPLIST 0x00000008u
#define LINEPROXYREQUEST_CREATEAGENT 0x00000009u
#define LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD 0x0000000Au
#define LINEPROXYREQUEST_GETAGENTINFO 0x0000000Bu
#define LINEPROXYREQUEST_CREATEAGENTSESSION 0x0000000Cu
#define LINEPROXYREQUEST_GETAGENTSESSIONLIST 0x0000000Du
#define LINEPROXYREQUEST_SETAGENTSESSIONSTATE 0x0000000Eu
#define LINEPROXYREQUEST_GETAGENTSESSIONINFO 0x0000000Fu
#define LINEPROXYREQUEST_GETQUEUELIST 0x00000010u
#define LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD 0x00000011u
#define LINEPROXYREQUEST_GETQUEUEINFO 0x00000012u
#define LINEPROXYREQUEST_GETGROUPLIST 0x00000013u
#define LINEPROXYREQUEST_SETAGENTSTATEEX 0x00000014u

/* ------------------------------------------------------------------------
 * Other constants of the proxy and application flows (§6.10).
 * ---------------------------------------------------------------------- */
/* lineOpen dwPrivileges: one LINECALLPRIVILEGE_* optionally OR'ed with options. */
#define LINECALLPRIVILEGE_NONE 0x00000001u
#define LINECALLPRIVILEGE_MONITOR 0x00000002u
#define LINECALLPRIVILEGE_OWNER 0x00000004u
#define LINEOPENOPTION_SINGLEADDRESS 0x80000000u
#define LINEOPENOPTION_PROXY 0x40000000u /* open as ACD handler; see LINECALLPARAMS */

/* LINEINITIALIZEEXPARAMS.dwOptions: the notification mechanism (§3.4). */
#define LINEINITIALIZEEXOPTION_USEHIDDENWINDOW 0x00000001u
#define LINEINITIALIZEEXOPTION_USEEVENT 0x00000002u
#define LINEINITIALIZEEXOPTION_USECOMPLETIONPORT 0x00000003u
#define LINEINITIALIZEEXOPTION_CALLHUBTRACKING 0x80000000u

#define LINEMAPPER 0xFFFFFFFFu             /* lineOpen: any device that fits */
#define INITIALIZE_NEGOTIATION 0xFFFFFFFFu

/* VARSTRING.dwStringFormat. */
#define STRINGFORMAT_ASCII 0x00000001u
#define STRINGFORMAT_DBCS 0x00000002u
#define STRINGFORMAT_UNICODE 0x00000003u
#define STRINGFORMAT_BINARY 0x00000004u

/* LINECALLPARAMS.dwAddressMode. */
#define LINEADDRESSMODE_ADDRESSID 0x00000001u
#define LINEADDRESSMODE_DIALABLEADDR 0x00000002u

/* LINEADDRESSCAPS.dwAddrCapFlags bits that mark call-center addresses. */
#define LINEADDRCAPFLAGS_QUEUE 0x01000000u    /* the address is a queue */

/* LINEDEVSTATE_: dwParam1 of LINE_LINEDEVSTATE. libopentapi sends
 * LINE_LINEDEVSTATE(LINEDEVSTATE_REINIT) after the connection to opentapid was
 * lost: the application must call lineShutdown and initialize again. */
#define LINEDEVSTATE_OTHER 0x00000001u
#define LINEDEVSTATE_RINGING 0x00000002u
#define LINEDEVSTATE_CONNECTED 0x00000004u
#define LINEDEVSTATE_DISCONNECTED 0x00000008u
#define LINEDEVSTATE_MSGWAITON 0x00000010u
#define LINEDEVSTATE_MSGWAITOFF 0x00000020u
#define LINEDEVSTATE_INSERVICE 0x00000040u
#define LINEDEVSTATE_OUTOFSERVICE 0x00000080u
#define LINEDEVSTATE_MAINTENANCE 0x00000100u
#define LINEDEVSTATE_OPEN 0x00000200u
#define LINEDEVSTATE_CLOSE 0x00000400u
#define LINEDEVSTATE_NUMCALLS 0x00000800u
#define LINEDEVSTATE_NUMCOMPLETIONS 0x00001000u
#define LINEDEVSTATE_TERMINALS 0x00002000u
#define LINEDEVSTATE_ROAMMODE 0x00004000u
#define LINEDEVSTATE_BATTERY 0x00008000u
#define LINEDEVSTATE_SIGNAL 0x00010000u
#define LINEDEVSTATE_DEVSPECIFIC 0x00020000u
#define LINEDEVSTATE_REINIT 0x00040000u
#define LINEDEVSTATE_LOCK 0x00080000u
#define LINEDEVSTATE_CAPSCHANGE 0x00100000u
#define LINEDEVSTATE_CONFIGCHANGE 0x00200000u
#define LINEDEVSTATE_TRANSLATECHANGE 0x00400000u
#define LINEDEVSTATE_COMPLCANCEL 0x00800000u
#define LINEDEVSTATE_REMOVED 0x01000000u
#define LINEADDRCAPFLAGS_ACDGROUP 0x40000000u /* the address is an ACD group pilot */

/* ------------------------------------------------------------------------
 * Error codes (§7). Negative LONG values, written as Microsoft does so that
 * they compare equal to a function's LONG result. 0x80000004 and 0x80000031
 * are unassigned. An application should treat any code it does not know as
 * LINEERR_OPERATIONFAILED; 0xC0000000 and above are device-specific.
 * ---------------------------------------------------------------------- */
#define LINEERR_ALLOCATED ((LONG)0x80000001)
#define LINEERR_BADDEVICEID ((LONG)0x80000002)
#define LINEERR_BEARERMODEUNAVAIL ((LONG)0x80000003)
#define LINEERR_CALLUNAVAIL ((LONG)0x80000005)
#define LINEERR_COMPLETIONOVERRUN ((LONG)0x80000006)
#define LINEERR_CONFERENCEFULL ((LONG)0x80000007)
#define LINEERR_DIALBILLING ((LONG)0x80000008)
#define LINEERR_DIALDIALTONE ((LONG)0x80000009)
#define LINEERR_DIALPROMPT ((LONG)0x8000000A)
#define LINEERR_DIALQUIET ((LONG)0x8000000B)
#define LINEERR_INCOMPATIBLEAPIVERSION ((LONG)0x8000000C)
#define LINEERR_INCOMPATIBLEEXTVERSION ((LONG)0x8000000D)
#define LINEERR_INIFILECORRUPT ((LONG)0x8000000E)
#define LINEERR_INUSE ((LONG)0x8000000F)
#define LINEERR_INVALADDRESS ((LONG)0x80000010)
#define LINEERR_INVALADDRESSID ((LONG)0x80000011)
#define LINEERR_INVALADDRESSMODE ((LONG)0x80000012)
#define LINEERR_INVALADDRESSSTATE ((LONG)0x80000013)
#define LINEERR_INVALAPPHANDLE ((LONG)0x80000014)
#define LINEERR_INVALAPPNAME ((LONG)0x80000015)
#define LINEERR_INVALBEARERMODE ((LONG)0x80000016)
#define LINEERR_INVALCALLCOMPLMODE ((LONG)0x80000017)
#define LINEERR_INVALCALLHANDLE ((LONG)0x80000018)
#define LINEERR_INVALCALLPARAMS ((LONG)0x80000019)
#define LINEERR_INVALCALLPRIVILEGE ((LONG)0x8000001A)
#define LINEERR_INVALCALLSELECT ((LONG)0x8000001B)
#define LINEERR_INVALCALLSTATE ((LONG)0x8000001C)
#define LINEERR_INVALCALLSTATELIST ((LONG)0x8000001D)
#define LINEERR_INVALCARD ((LONG)0x8000001E)
#define LINEERR_INVALCOMPLETIONID ((LONG)0x8000001F)
#define LINEERR_INVALCONFCALLHANDLE ((LONG)0x80000020)
#define LINEERR_INVALCONSULTCALLHANDLE ((LONG)0x80000021)
#define LINEERR_INVALCOUNTRYCODE ((LONG)0x80000022)
#define LINEERR_INVALDEVICECLASS ((LONG)0x80000023)
#define LINEERR_INVALDEVICEHANDLE ((LONG)0x80000024)
#define LINEERR_INVALDIALPARAMS ((LONG)0x80000025)
#define LINEERR_INVALDIGITLIST ((LONG)0x80000026)
#define LINEERR_INVALDIGITMODE ((LONG)0x80000027)
#define LINEERR_INVALDIGITS ((LONG)0x80000028)
#define LINEERR_INVALEXTVERSION ((LONG)0x80000029)
#define LINEERR_INVALGROUPID ((LONG)0x8000002A)
#define LINEERR_INVALLINEHANDLE ((LONG)0x8000002B)
#define LINEERR_INVALLINESTATE ((LONG)0x8000002C)
#define LINEERR_INVALLOCATION ((LONG)0x8000002D)
#define LINEERR_INVALMEDIALIST ((LONG)0x8000002E)
#define LINEERR_INVALMEDIAMODE ((LONG)0x8000002F)
#define LINEERR_INVALMESSAGEID ((LONG)0x80000030)
#define LINEERR_INVALPARAM ((LONG)0x80000032)
#define LINEERR_INVALPARKID ((LONG)0x80000033)
#define LINEERR_INVALPARKMODE ((LONG)0x80000034)
#define LINEERR_INVALPOINTER ((LONG)0x80000035)
#define LINEERR_INVALPRIVSELECT ((LONG)0x80000036)
#define LINEERR_INVALRATE ((LONG)0x80000037)
#define LINEERR_INVALREQUESTMODE ((LONG)0x80000038)
#define LINEERR_INVALTERMINALID ((LONG)0x80000039)
#define LINEERR_INVALTERMINALMODE ((LONG)0x8000003A)
#define LINEERR_INVALTIMEOUT ((LONG)0x8000003B)
#define LINEERR_INVALTONE ((LONG)0x8000003C)
#define LINEERR_INVALTONELIST ((LONG)0x8000003D)
#define LINEERR_INVALTONEMODE ((LONG)0x8000003E)
#define LINEERR_INVALTRANSFERMODE ((LONG)0x8000003F)
#define LINEERR_LINEMAPPERFAILED ((LONG)0x80000040)
#define LINEERR_NOCONFERENCE ((LONG)0x80000041)
#define LINEERR_NODEVICE ((LONG)0x80000042)
#define LINEERR_NODRIVER ((LONG)0x80000043)
#define LINEERR_NOMEM ((LONG)0x80000044)
#define LINEERR_NOREQUEST ((LONG)0x80000045)
#define LINEERR_NOTOWNER ((LONG)0x80000046)
#define LINEERR_NOTREGISTERED ((LONG)0x80000047)
#define LINEERR_OPERATIONFAILED ((LONG)0x80000048)
#define LINEERR_OPERATIONUNAVAIL ((LONG)0x80000049)
#define LINEERR_RATEUNAVAIL ((LONG)0x8000004A)
#define LINEERR_RESOURCEUNAVAIL ((LONG)0x8000004B)
#define LINEERR_REQUESTOVERRUN ((LONG)0x8000004C)
#define LINEERR_STRUCTURETOOSMALL ((LONG)0x8000004D)
#define LINEERR_TARGETNOTFOUND ((LONG)0x8000004E)
#define LINEERR_TARGETSELF ((LONG)0x8000004F)
#define LINEERR_UNINITIALIZED ((LONG)0x80000050)
#define LINEERR_USERUSERINFOTOOBIG ((LONG)0x80000051)
#define LINEERR_REINIT ((LONG)0x80000052)
#define LINEERR_ADDRESSBLOCKED ((LONG)0x80000053)
#define LINEERR_BILLINGREJECTED ((LONG)0x80000054)
#define LINEERR_INVALFEATURE ((LONG)0x80000055)
#define LINEERR_NOMULTIPLEINSTANCE ((LONG)0x80000056)
#define LINEERR_INVALAGENTID ((LONG)0x80000057)            /* >= 2.0 */
#define LINEERR_INVALAGENTGROUP ((LONG)0x80000058)         /* >= 2.0 */
#define LINEERR_INVALPASSWORD ((LONG)0x80000059)           /* >= 2.0 */
#define LINEERR_INVALAGENTSTATE ((LONG)0x8000005A)         /* >= 2.0 */
#define LINEERR_INVALAGENTACTIVITY ((LONG)0x8000005B)      /* >= 2.0 */
#define LINEERR_DIALVOICEDETECT ((LONG)0x8000005C)         /* >= 2.0 */
#define LINEERR_USERCANCELLED ((LONG)0x8000005D)           /* >= 2.2 */
#define LINEERR_INVALADDRESSTYPE ((LONG)0x8000005E)        /* >= 3.0 */
#define LINEERR_INVALAGENTSESSIONSTATE ((LONG)0x8000005F)  /* >= 2.2 */
#define LINEERR_DISCONNECTED ((LONG)0x80000060)            /* >= 2.2 */
#define LINEERR_SERVICE_NOT_RUNNING ((LONG)0x80000061)

/* ========================================================================
 * Structures. 1-byte packing throughout, as in Microsoft's tapi.h, so the
 * byte offsets of §5 hold on every platform; the layout is checked by the
 * static assertions at the end of this header.
 * ====================================================================== */
#pragma pack(push, 1)

/* The generic variable-size string (§1.4). Also the model every other
 * variable-size structure follows: dwTotalSize set by the caller,
 * dwNeededSize/dwUsedSize by the implementation. 24 bytes. */
typedef struct varstring_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwStringFormat; /* STRINGFORMAT_* */
  DWORD dwStringSize;
  DWORD dwStringOffset;
} VARSTRING, *LPVARSTRING;

/* A 128-bit extension ID (§5.6): the elements of LINEAGENTCAPS'
 * AgentExtensionIDList; lineAgentSpecific selects one by its index, and
 * lineNegotiateAPIVersion returns the provider's. 16 bytes. */
typedef struct lineextensionid_tag {
  DWORD dwExtensionID0;
  DWORD dwExtensionID1;
  DWORD dwExtensionID2;
  DWORD dwExtensionID3;
} LINEEXTENSIONID, *LPLINEEXTENSIONID;

/* Dialing timings, embedded in LINECALLPARAMS (milliseconds). 16 bytes. */
typedef struct linedialparams_tag {
  DWORD dwDialPause;
  DWORD dwDialSpeed;
  DWORD dwDigitDuration;
  DWORD dwWaitForDialtone;
} LINEDIALPARAMS, *LPLINEDIALPARAMS;

/* Parameters of a call or of a special open (§3.4, §5.9): the full TAPI 3.x
 * layout, 180 bytes (the TAPI 1.4 part ends at byte 112).
 *
 * For lineOpen with LINEOPENOPTION_PROXY only dwTotalSize and the
 * dwDevSpecificSize/dwDevSpecificOffset pair (bytes 104/108) matter: they
 * delimit an array of DWORDs, each a LINEPROXYREQUEST_* type the opening
 * application will handle (five types: size 20). Other fields should be 0. */
typedef struct linecallparams_tag {
  DWORD dwTotalSize;
  DWORD dwBearerMode;
  DWORD dwMinRate;
  DWORD dwMaxRate;
  DWORD dwMediaMode;
  DWORD dwCallParamFlags;
  DWORD dwAddressMode; /* LINEADDRESSMODE_* */
  DWORD dwAddressID;
  LINEDIALPARAMS DialParams;
  DWORD dwOrigAddressSize;
  DWORD dwOrigAddressOffset;
  DWORD dwDisplayableAddressSize;
  DWORD dwDisplayableAddressOffset;
  DWORD dwCalledPartySize;
  DWORD dwCalledPartyOffset;
  DWORD dwCommentSize;
  DWORD dwCommentOffset;
  DWORD dwUserUserInfoSize;
  DWORD dwUserUserInfoOffset;
  DWORD dwHighLevelCompSize;
  DWORD dwHighLevelCompOffset;
  DWORD dwLowLevelCompSize;
  DWORD dwLowLevelCompOffset;
  DWORD dwDevSpecificSize;
  DWORD dwDevSpecificOffset;
  /* TAPI 2.0 and later */
  DWORD dwPredictiveAutoTransferStates;
  DWORD dwTargetAddressSize;
  DWORD dwTargetAddressOffset;
  DWORD dwSendingFlowspecSize;
  DWORD dwSendingFlowspecOffset;
  DWORD dwReceivingFlowspecSize;
  DWORD dwReceivingFlowspecOffset;
  DWORD dwDeviceClassSize;
  DWORD dwDeviceClassOffset;
  DWORD dwDeviceConfigSize;
  DWORD dwDeviceConfigOffset;
  DWORD dwCallDataSize;
  DWORD dwCallDataOffset;
  DWORD dwNoAnswerTimeout;
  DWORD dwCallingPartyIDSize;
  DWORD dwCallingPartyIDOffset;
  /* TAPI 3.0 and later */
  DWORD dwAddressType;
} LINECALLPARAMS, *LPLINECALLPARAMS;

/* One message as lineGetMessage returns it (§3.4, §4). Pointer-sized
 * fields: 40 bytes on 64-bit, 24 bytes on 32-bit. */
typedef struct linemessage_tag {
  DWORD hDevice;     /* line or call handle the message is about */
  DWORD dwMessageID; /* LINE_* */
  DWORD_PTR dwCallbackInstance;
  DWORD_PTR dwParam1;
  DWORD_PTR dwParam2;
  DWORD_PTR dwParam3;
} LINEMESSAGE, *LPLINEMESSAGE;

/* Selects the notification mechanism in lineInitializeEx (§3.4). With
 * LINEINITIALIZEEXOPTION_USEEVENT the implementation returns the event in
 * Handles.hEvent. Pointer-sized: 28 bytes on 64-bit, 24 bytes on 32-bit. */
typedef struct lineinitializeexparams_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwOptions; /* LINEINITIALIZEEXOPTION_* */
  union {
    HANDLE hEvent;
    HANDLE hCompletionPort;
  } Handles;
  DWORD dwCompletionKey;
} LINEINITIALIZEEXPARAMS, *LPLINEINITIALIZEEXPARAMS;

/* State and statistics of one agent session (§5.1), filled by
 * lineGetAgentSessionInfo. Times in seconds; rates are CURRENCY fixed point
 * (value x 10 000). No variable part. 76 bytes. */
typedef struct lineagentsessioninfo_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwAgentSessionState;     /* LINEAGENTSESSIONSTATE_* */
  DWORD dwNextAgentSessionState; /* LINEAGENTSESSIONSTATE_* or 0 */
  DATE dateSessionStartTime;
  DWORD dwSessionDuration;
  DWORD dwNumberOfCalls;
  DWORD dwTotalTalkTime;
  DWORD dwAverageTalkTime;
  DWORD dwTotalCallTime;
  DWORD dwAverageCallTime;
  DWORD dwTotalWrapUpTime;
  DWORD dwAverageWrapUpTime;
  CURRENCY cyACDCallRate;
  DWORD dwLongestTimeToAnswer;
  DWORD dwAverageTimeToAnswer;
} LINEAGENTSESSIONINFO, *LPLINEAGENTSESSIONINFO;

/* State and agent-wide statistics of an agent handle (§5.2), filled by
 * lineGetAgentInfo over the last dwMeasurementPeriod seconds. 56 bytes. */
typedef struct lineagentinfo_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwAgentState;     /* LINEAGENTSTATEEX_* */
  DWORD dwNextAgentState; /* LINEAGENTSTATEEX_* */
  DWORD dwMeasurementPeriod;
  CURRENCY cyOverallCallRate;
  DWORD dwNumberOfACDCalls;
  DWORD dwNumberOfIncomingCalls;
  DWORD dwNumberOfOutgoingCalls;
  DWORD dwTotalACDTalkTime;
  DWORD dwTotalACDCallTime;
  DWORD dwTotalACDWrapUpTime;
} LINEAGENTINFO, *LPLINEAGENTINFO;

/* Queue statistics over the last dwMeasurementPeriod seconds (§5.5), filled
 * by lineGetQueueInfo. Requires TAPI 3.0 negotiation. 52 bytes. */
typedef struct linequeueinfo_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwMeasurementPeriod;
  DWORD dwTotalCallsQueued;
  DWORD dwCurrentCallsQueued;
  DWORD dwTotalCallsAbandoned;
  DWORD dwTotalCallsFlowedIn;
  DWORD dwTotalCallsFlowedOut;
  DWORD dwLongestEverWaitTime;
  DWORD dwCurrentLongestWaitTime;
  DWORD dwAverageWaitTime;
  DWORD dwFinalDisposition;
} LINEQUEUEINFO, *LPLINEQUEUEINFO;

/* Agent capabilities of an address (§5.6), filled by lineGetAgentCaps.
 * Variable part: the handler's identification string and an array of
 * dwNumAgentExtensionIDs LINEEXTENSIONID (stable order: the index is the
 * extension selector of lineAgentSpecific). ProxyGUID is filled only for
 * applications that negotiated 2.2 or later. 72 bytes. */
typedef struct lineagentcaps_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwAgentHandlerInfoSize;
  DWORD dwAgentHandlerInfoOffset;
  DWORD dwCapsVersion;
  DWORD dwFeatures;   /* LINEAGENTFEATURE_* */
  DWORD dwStates;     /* LINEAGENTSTATE_* */
  DWORD dwNextStates; /* LINEAGENTSTATE_* */
  DWORD dwMaxNumGroupEntries;
  DWORD dwAgentStatusMessages; /* LINEAGENTSTATUS_* */
  DWORD dwNumAgentExtensionIDs;
  DWORD dwAgentExtensionIDListSize;
  DWORD dwAgentExtensionIDListOffset;
  GUID ProxyGUID;
} LINEAGENTCAPS, *LPLINEAGENTCAPS;

/* Status of the agent on an address (§5.7), filled by lineGetAgentStatus.
 * Variable part: the dwNumEntries LINEAGENTGROUPENTRY the agent is logged
 * into (element offsets relative to this structure, see below) and the
 * current activity string. 56 bytes. */
typedef struct lineagentstatus_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwGroupListSize;
  DWORD dwGroupListOffset;
  DWORD dwState;     /* LINEAGENTSTATE_* */
  DWORD dwNextState; /* LINEAGENTSTATE_* */
  DWORD dwActivityID;
  DWORD dwActivitySize;
  DWORD dwActivityOffset;
  DWORD dwAgentFeatures; /* LINEAGENTFEATURE_* */
  DWORD dwValidStates;
  DWORD dwValidNextStates;
} LINEAGENTSTATUS, *LPLINEAGENTSTATUS;

/* ------------------------------------------------------------------------
 * Lists and their elements (§5.3, §5.4).
 *
 * Every list starts with the same 24-byte header: dwTotalSize, dwNeededSize,
 * dwUsedSize, dwNumEntries (elements in the array, 0 = none), dwListSize
 * (bytes of the array = dwNumEntries x element size) and dwListOffset (bytes
 * from the start of the list structure to the array).
 *
 * Offsets inside list elements (dwNameOffset, dwIDOffset, dwPINOffset) are
 * relative to the start of the ENCLOSING LIST structure, not to the element
 * (tapi2-agent.md §1.4 [DECIDE]), so a list stays self-contained when copied.
 * The same holds for LINEAGENTGROUPENTRY elements inside LINEAGENTSTATUS
 * (relative to the LINEAGENTSTATUS), and for a list embedded in a
 * LINEPROXYREQUEST (relative to the embedded list, not to the request).
 * W-form strings in elements are wchar_t strings: 4 bytes per character on
 * Linux, sizes in bytes including the NUL.
 * ---------------------------------------------------------------------- */

/* Sessions of one agent (lineGetAgentSessionList): LINEAGENTSESSIONENTRY[]. */
typedef struct lineagentsessionlist_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwListSize;
  DWORD dwListOffset;
} LINEAGENTSESSIONLIST, *LPLINEAGENTSESSIONLIST;

/* One session: both handles are proxy-generated. 28 bytes. (The tag is
 * lineagentsession_tag, as in Microsoft's header.) */
typedef struct lineagentsession_tag {
  HAGENTSESSION hAgentSession;
  HAGENT hAgent;
  GUID GroupID;
  DWORD dwWorkingAddressID;
} LINEAGENTSESSIONENTRY, *LPLINEAGENTSESSIONENTRY;

/* Agents: LINEAGENTENTRY[]. No documented function returns it. */
typedef struct lineagentlist_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwListSize;
  DWORD dwListOffset;
} LINEAGENTLIST, *LPLINEAGENTLIST;

/* One agent: name (operating-system user name), legacy ACD ID and PIN.
 * 28 bytes. */
typedef struct lineagententry_tag {
  HAGENT hAgent;
  DWORD dwNameSize;
  DWORD dwNameOffset;
  DWORD dwIDSize;
  DWORD dwIDOffset;
  DWORD dwPINSize;
  DWORD dwPINOffset;
} LINEAGENTENTRY, *LPLINEAGENTENTRY;

/* Queues of one ACD group (lineGetQueueList, TAPI >= 3.0): LINEQUEUEENTRY[]. */
typedef struct linequeuelist_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwListSize;
  DWORD dwListOffset;
} LINEQUEUELIST, *LPLINEQUEUELIST;

/* One queue: proxy-unique ID and name. 12 bytes. */
typedef struct linequeueentry_tag {
  DWORD dwQueueID;
  DWORD dwNameSize;
  DWORD dwNameOffset;
} LINEQUEUEENTRY, *LPLINEQUEUEENTRY;

/* ACD groups (lineGetGroupList, lineGetAgentGroupList, lineSetAgentGroup):
 * LINEAGENTGROUPENTRY[]. For lineSetAgentGroup, zero entries means "log out
 * of all groups" and the entry names are ignored. */
typedef struct lineagentgrouplist_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwListSize;
  DWORD dwListOffset;
} LINEAGENTGROUPLIST, *LPLINEAGENTGROUPLIST;

/* One group: its 128-bit ID as four DWORDs (byte-identical to a GUID, so it
 * may be copied to and from one with memcpy) and its display name. 24 bytes. */
typedef struct lineagentgroupentry_tag {
  struct {
    DWORD dwGroupID1;
    DWORD dwGroupID2;
    DWORD dwGroupID3;
    DWORD dwGroupID4;
  } GroupID;
  DWORD dwNameSize;
  DWORD dwNameOffset;
} LINEAGENTGROUPENTRY, *LPLINEAGENTGROUPENTRY;

/* Selectable activity codes (lineGetAgentActivityList):
 * LINEAGENTACTIVITYENTRY[]. */
typedef struct lineagentactivitylist_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwListSize;
  DWORD dwListOffset;
} LINEAGENTACTIVITYLIST, *LPLINEAGENTACTIVITYLIST;

/* One activity: proxy-unique ID and name. 12 bytes. */
typedef struct lineagentactivityentry_tag {
  DWORD dwID;
  DWORD dwNameSize;
  DWORD dwNameOffset;
} LINEAGENTACTIVITYENTRY, *LPLINEAGENTACTIVITYENTRY;

/* Request types serviced on a device (lineGetProxyStatus): an array of
 * DWORD LINEPROXYREQUEST_* values. */
typedef struct lineproxyrequestlist_tag {
  DWORD dwTotalSize;
  DWORD dwNeededSize;
  DWORD dwUsedSize;
  DWORD dwNumEntries;
  DWORD dwListSize;
  DWORD dwListOffset;
} LINEPROXYREQUESTLIST, *LPLINEPROXYREQUESTLIST;

/* ------------------------------------------------------------------------
 * The request delivered to an ACD proxy (§2, §5.8).
 *
 * The server allocates it, passes its address in dwParam1 of
 * LINE_PROXYREQUEST and frees it inside lineProxyResponse; the handler must
 * not free it and must answer each request exactly once. dwRequestType
 * (LINEPROXYREQUEST_*) selects the member of the anonymous union at byte 28.
 *
 * Output structures embedded in a member (AgentCaps, SessionInfo, ...) get
 * dwTotalSize from the server and are filled by the handler, dwNeededSize and
 * dwUsedSize included; offsets inside them are relative to the embedded
 * structure. dwSize covers the whole allocation, which extends past
 * sizeof(LINEPROXYREQUEST) when the embedded structure has a variable part.
 * The strings of CreateAgent and CreateAgentSession (no embedded structure)
 * are located relative to the start of the LINEPROXYREQUEST.
 *
 * Size: the members are packed, so sizeof(LINEPROXYREQUEST) is the 28-byte
 * header plus the largest member, GetAgentSessionInfo (a 4-byte
 * HAGENTSESSION and the 76-byte LINEAGENTSESSIONINFO = 80 bytes):
 * 28 + 80 = 108 bytes, the "fixed part" of §5.8. The same holds with
 * Microsoft's header, which also packs to 1 byte. AgentSpecific.Params
 * (byte 40) is declared with one element as Microsoft does; its real length
 * is AgentSpecific.dwSize.
 *
 * The member types are declared with tags outside the union (Microsoft
 * declares them inline) because ISO C++ forbids declaring types inside an
 * anonymous union; member names and layout are the same.
 * ---------------------------------------------------------------------- */
struct lineproxyrequest_setagentgroup_tag {
  DWORD dwAddressID;
  LINEAGENTGROUPLIST GroupList; /* input */
};
struct lineproxyrequest_setagentstate_tag {
  DWORD dwAddressID;
  DWORD dwAgentState;     /* LINEAGENTSTATE_*, 0 = unchanged */
  DWORD dwNextAgentState; /* LINEAGENTSTATE_*, 0 = the state's default */
};
struct lineproxyrequest_setagentactivity_tag {
  DWORD dwAddressID;
  DWORD dwActivityID;
};
struct lineproxyrequest_getagentcaps_tag {
  DWORD dwAddressID;
  LINEAGENTCAPS AgentCaps; /* output */
};
struct lineproxyrequest_getagentstatus_tag {
  DWORD dwAddressID;
  LINEAGENTSTATUS AgentStatus; /* output */
};
struct lineproxyrequest_agentspecific_tag {
  DWORD dwAddressID;
  DWORD dwAgentExtensionIDIndex;
  DWORD dwSize;
  BYTE Params[1]; /* dwSize bytes, in and out */
};
struct lineproxyrequest_getagentactivitylist_tag {
  DWORD dwAddressID;
  LINEAGENTACTIVITYLIST ActivityList; /* output */
};
struct lineproxyrequest_getagentgrouplist_tag {
  DWORD dwAddressID;
  LINEAGENTGROUPLIST GroupList; /* output */
};
struct lineproxyrequest_createagent_tag {
  HAGENT hAgent; /* output: chosen by the handler */
  DWORD dwAgentIDSize;
  DWORD dwAgentIDOffset;
  DWORD dwAgentPINSize;
  DWORD dwAgentPINOffset;
};
struct lineproxyrequest_setagentmeasurementperiod_tag {
  HAGENT hAgent;
  DWORD dwMeasurementPeriod; /* seconds, > 0 */
};
struct lineproxyrequest_getagentinfo_tag {
  HAGENT hAgent;
  LINEAGENTINFO AgentInfo; /* output */
};
struct lineproxyrequest_createagentsession_tag {
  HAGENTSESSION hAgentSession; /* output: chosen by the handler */
  DWORD dwAgentPINSize;
  DWORD dwAgentPINOffset;
  HAGENT hAgent;
  GUID GroupID;
  DWORD dwWorkingAddressID;
};
struct lineproxyrequest_getagentsessionlist_tag {
  HAGENT hAgent;
  LINEAGENTSESSIONLIST SessionList; /* output */
};
struct lineproxyrequest_setagentsessionstate_tag {
  HAGENTSESSION hAgentSession;
  DWORD dwAgentSessionState;     /* LINEAGENTSESSIONSTATE_*, 0 = unchanged */
  DWORD dwNextAgentSessionState; /* LINEAGENTSESSIONSTATE_* or 0 */
};
struct lineproxyrequest_getagentsessioninfo_tag {
  HAGENTSESSION hAgentSession;
  LINEAGENTSESSIONINFO SessionInfo; /* output */
};
struct lineproxyrequest_getqueuelist_tag {
  GUID GroupID;
  LINEQUEUELIST QueueList; /* output */
};
struct lineproxyrequest_setqueuemeasurementperiod_tag {
  DWORD dwQueueID;
  DWORD dwMeasurementPeriod; /* seconds, > 0 */
};
struct lineproxyrequest_getqueueinfo_tag {
  DWORD dwQueueID;
  LINEQUEUEINFO QueueInfo; /* output */
};
struct lineproxyrequest_getgrouplist_tag {
  LINEAGENTGROUPLIST GroupList; /* output */
};
struct lineproxyrequest_setagentstateex_tag {
  HAGENT hAgent;
  DWORD dwAgentState;     /* LINEAGENTSTATEEX_*, 0 = unchanged */
  DWORD dwNextAgentState; /* LINEAGENTSTATEEX_* or 0 */
};

/* Anonymous unions are standard from C11 and in C++; older C dialects get
 * them as a GNU extension. */
#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L) && \
    defined(__GNUC__)
#define OPENTAPI_TAPI_ANONYMOUS_UNION __extension__ union
#else
#define OPENTAPI_TAPI_ANONYMOUS_UNION union
#endif

typedef struct lineproxyrequest_tag {
  DWORD dwSize;
  DWORD dwClientMachineNameSize;
  DWORD dwClientMachineNameOffset;
  DWORD dwClientUserNameSize;
  DWORD dwClientUserNameOffset;
  DWORD dwClientAppAPIVersion;
  DWORD dwRequestType; /* LINEPROXYREQUEST_* */
  OPENTAPI_TAPI_ANONYMOUS_UNION {
    struct lineproxyrequest_setagentgroup_tag SetAgentGroup;                         /* 0x01 */
    struct lineproxyrequest_setagentstate_tag SetAgentState;                         /* 0x02 */
    struct lineproxyrequest_setagentactivity_tag SetAgentActivity;                   /* 0x03 */
    struct lineproxyrequest_getagentcaps_tag GetAgentCaps;                           /* 0x04 */
    struct lineproxyrequest_getagentstatus_tag GetAgentStatus;                       /* 0x05 */
    struct lineproxyrequest_agentspecific_tag AgentSpecific;                         /* 0x06 */
    struct lineproxyrequest_getagentactivitylist_tag GetAgentActivityList;           /* 0x07 */
    struct lineproxyrequest_getagentgrouplist_tag GetAgentGroupList;                 /* 0x08 */
    struct lineproxyrequest_createagent_tag CreateAgent;                             /* 0x09 */
    struct lineproxyrequest_setagentmeasurementperiod_tag SetAgentMeasurementPeriod; /* 0x0A */
    struct lineproxyrequest_getagentinfo_tag GetAgentInfo;                           /* 0x0B */
    struct lineproxyrequest_createagentsession_tag CreateAgentSession;               /* 0x0C */
    struct lineproxyrequest_getagentsessionlist_tag GetAgentSessionList;             /* 0x0D */
    struct lineproxyrequest_setagentsessionstate_tag SetAgentSessionState;           /* 0x0E */
    struct lineproxyrequest_getagentsessioninfo_tag GetAgentSessionInfo;             /* 0x0F */
    struct lineproxyrequest_getqueuelist_tag GetQueueList;                           /* 0x10 */
    struct lineproxyrequest_setqueuemeasurementperiod_tag SetQueueMeasurementPeriod; /* 0x11 */
    struct lineproxyrequest_getqueueinfo_tag GetQueueInfo;                           /* 0x12 */
    struct lineproxyrequest_getgrouplist_tag GetGroupList;                           /* 0x13 */
    struct lineproxyrequest_setagentstateex_tag SetAgentStateEx;                     /* 0x14 */
  };
} LINEPROXYREQUEST, *LPLINEPROXYREQUEST;

#undef OPENTAPI_TAPI_ANONYMOUS_UNION

#pragma pack(pop)

/* ========================================================================
 * Functions. All return LONG (§1.3). Defined in libopentapi.
 * ====================================================================== */

/* ------------------------------------------------------------------------
 * Infrastructure (§3.4): registering the application, negotiating the
 * version, opening lines (also as an ACD proxy) and receiving messages.
 * All synchronous.
 * ---------------------------------------------------------------------- */

/* Registers the application and selects the notification mechanism
 * (lpLineInitializeExParams->dwOptions). *lpdwAPIVersion: in, the highest
 * version the application was written for; out, the highest the
 * implementation supports. *lpdwNumDevs receives the number of line devices. */
LONG WINAPI lineInitializeExA(LPHLINEAPP lphLineApp, HINSTANCE hInstance, LINECALLBACK lpfnCallback,
                              LPCSTR lpszFriendlyAppName, LPDWORD lpdwNumDevs,
                              LPDWORD lpdwAPIVersion,
                              LPLINEINITIALIZEEXPARAMS lpLineInitializeExParams);
LONG WINAPI lineInitializeExW(LPHLINEAPP lphLineApp, HINSTANCE hInstance, LINECALLBACK lpfnCallback,
                              LPCWSTR lpszFriendlyAppName, LPDWORD lpdwNumDevs,
                              LPDWORD lpdwAPIVersion,
                              LPLINEINITIALIZEEXPARAMS lpLineInitializeExParams);

/* Agrees an API version for a device within [dwAPILowVersion,
 * dwAPIHighVersion]; *lpExtensionID receives the provider's extension ID. */
LONG WINAPI lineNegotiateAPIVersion(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPILowVersion,
                                    DWORD dwAPIHighVersion, LPDWORD lpdwAPIVersion,
                                    LPLINEEXTENSIONID lpExtensionID);

/* Opens a line. dwPrivileges = LINECALLPRIVILEGE_* optionally OR'ed with
 * LINEOPENOPTION_SINGLEADDRESS or LINEOPENOPTION_PROXY; for a proxy open,
 * lpCallParams lists the request types handled (see LINECALLPARAMS).
 * dwCallbackInstance is echoed in every message of this line.
 * lineOpen is the unsuffixed ANSI export (§8); it is declared here as a real
 * function, and the UNICODE mapping macro below, defined after it, makes a
 * program's calls to lineOpen resolve to lineOpenW or lineOpenA, as with
 * Microsoft's header. (A file that defines the unsuffixed export itself must
 * #undef lineOpen first.) */
LONG WINAPI lineOpen(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                     DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                     DWORD dwMediaModes, LPLINECALLPARAMS const lpCallParams);
LONG WINAPI lineOpenA(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                      DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                      DWORD dwMediaModes, LPLINECALLPARAMS const lpCallParams);
LONG WINAPI lineOpenW(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                      DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                      DWORD dwMediaModes, LPLINECALLPARAMS const lpCallParams);

/* Closes a line; for a proxy this ends its registrations. */
LONG WINAPI lineClose(HLINE hLine);

/* Ends the application's use of the API; closes its lines and cancels its
 * outstanding requests (no LINE_REPLY is delivered for them). */
LONG WINAPI lineShutdown(HLINEAPP hLineApp);

/* Dequeues the next message (USEEVENT mechanism). dwTimeout in ms, 0 = poll,
 * INFINITE = wait; a time-out returns LINEERR_OPERATIONFAILED. */
LONG WINAPI lineGetMessage(HLINEAPP hLineApp, LPLINEMESSAGE lpMessage, DWORD dwTimeout);

/* ------------------------------------------------------------------------
 * Agent handles, sessions, queues and groups (§3.1, TAPI 2.2). Asynchronous;
 * each is routed to the proxy registered for its LINEPROXYREQUEST_* type on
 * the line. Output handles and structures are valid when LINE_REPLY reports
 * success.
 * ---------------------------------------------------------------------- */

/* Creates an agent (ID/PIN for legacy ACDs, both NULL with OS-login
 * authentication); *lphAgent receives the proxy-chosen handle. */
LONG WINAPI lineCreateAgentA(HLINE hLine, LPSTR lpszAgentID, LPSTR lpszAgentPIN, LPHAGENT lphAgent);
LONG WINAPI lineCreateAgentW(HLINE hLine, LPWSTR lpszAgentID, LPWSTR lpszAgentPIN,
                             LPHAGENT lphAgent);

/* Logs an agent into the ACD group *lpGroupID on dwWorkingAddressID;
 * *lphAgentSession receives the proxy-chosen session handle. */
LONG WINAPI lineCreateAgentSessionA(HLINE hLine, HAGENT hAgent, LPSTR lpszAgentPIN,
                                    DWORD dwWorkingAddressID, LPGUID lpGroupID,
                                    LPHAGENTSESSION lphAgentSession);
LONG WINAPI lineCreateAgentSessionW(HLINE hLine, HAGENT hAgent, LPWSTR lpszAgentPIN,
                                    DWORD dwWorkingAddressID, LPGUID lpGroupID,
                                    LPHAGENTSESSION lphAgentSession);

/* Sets a session's state and/or next state (LINEAGENTSESSIONSTATE_*; 0 =
 * leave unchanged, not both 0). Fails with LINEERR_INVALAGENTSTATE. */
LONG WINAPI lineSetAgentSessionState(HLINE hLine, HAGENTSESSION hAgentSession,
                                     DWORD dwAgentSessionState, DWORD dwNextAgentSessionState);

/* Fills a LINEAGENTSESSIONINFO (caller sets dwTotalSize). */
LONG WINAPI lineGetAgentSessionInfo(HLINE hLine, HAGENTSESSION hAgentSession,
                                    LPLINEAGENTSESSIONINFO lpAgentSessionInfo);

/* Lists an agent's sessions (caller sets dwTotalSize). */
LONG WINAPI lineGetAgentSessionList(HLINE hLine, HAGENT hAgent,
                                    LPLINEAGENTSESSIONLIST lpAgentSessionList);

/* Fills a LINEAGENTINFO (caller sets dwTotalSize). */
LONG WINAPI lineGetAgentInfo(HLINE hLine, HAGENT hAgent, LPLINEAGENTINFO lpAgentInfo);

/* Sets an agent's state and/or next state (LINEAGENTSTATEEX_*; 0 = leave
 * unchanged). */
LONG WINAPI lineSetAgentStateEx(HLINE hLine, HAGENT hAgent, DWORD dwAgentState,
                                DWORD dwNextAgentState);

/* Sets the window of an agent's statistics, in seconds (> 0). */
LONG WINAPI lineSetAgentMeasurementPeriod(HLINE hLine, HAGENT hAgent, DWORD dwMeasurementPeriod);

/* Lists the ACD groups of the ACD system (caller sets dwTotalSize). */
LONG WINAPI lineGetGroupListA(HLINE hLine, LPLINEAGENTGROUPLIST lpGroupList);
LONG WINAPI lineGetGroupListW(HLINE hLine, LPLINEAGENTGROUPLIST lpGroupList);

/* Fills a LINEQUEUEINFO for one queue (caller sets dwTotalSize). */
LONG WINAPI lineGetQueueInfo(HLINE hLine, DWORD dwQueueID, LPLINEQUEUEINFO lpLineQueueInfo);

/* Lists the queues of the ACD group *lpGroupID (caller sets dwTotalSize). */
LONG WINAPI lineGetQueueListA(HLINE hLine, LPGUID lpGroupID, LPLINEQUEUELIST lpQueueList);
LONG WINAPI lineGetQueueListW(HLINE hLine, LPGUID lpGroupID, LPLINEQUEUELIST lpQueueList);

/* Sets the window of a queue's statistics, in seconds (> 0). */
LONG WINAPI lineSetQueueMeasurementPeriod(HLINE hLine, DWORD dwQueueID, DWORD dwMeasurementPeriod);

/* ------------------------------------------------------------------------
 * Address-based agent functions (§3.2, TAPI 2.0): they act on "the agent on
 * an address". Asynchronous; routed to the proxy like those above.
 * ---------------------------------------------------------------------- */

/* Agent capabilities of an address; needs no open line. dwAppAPIVersion is
 * the highest version the application supports. */
LONG WINAPI lineGetAgentCapsA(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                              DWORD dwAppAPIVersion, LPLINEAGENTCAPS lpAgentCaps);
LONG WINAPI lineGetAgentCapsW(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                              DWORD dwAppAPIVersion, LPLINEAGENTCAPS lpAgentCaps);

/* Agent status on an address (caller sets dwTotalSize). */
LONG WINAPI lineGetAgentStatusA(HLINE hLine, DWORD dwAddressID, LPLINEAGENTSTATUS lpAgentStatus);
LONG WINAPI lineGetAgentStatusW(HLINE hLine, DWORD dwAddressID, LPLINEAGENTSTATUS lpAgentStatus);

/* Activity codes selectable with lineSetAgentActivity. */
LONG WINAPI lineGetAgentActivityListA(HLINE hLine, DWORD dwAddressID,
                                      LPLINEAGENTACTIVITYLIST lpAgentActivityList);
LONG WINAPI lineGetAgentActivityListW(HLINE hLine, DWORD dwAddressID,
                                      LPLINEAGENTACTIVITYLIST lpAgentActivityList);

/* Groups the agent on the address may log into. */
LONG WINAPI lineGetAgentGroupListA(HLINE hLine, DWORD dwAddressID,
                                   LPLINEAGENTGROUPLIST lpAgentGroupList);
LONG WINAPI lineGetAgentGroupListW(HLINE hLine, DWORD dwAddressID,
                                   LPLINEAGENTGROUPLIST lpAgentGroupList);

/* Sets the current activity code of the address. */
LONG WINAPI lineSetAgentActivity(HLINE hLine, DWORD dwAddressID, DWORD dwActivityID);

/* Sets the groups the agent is logged into (NULL or no entries: log out of
 * all; only the group IDs are used). */
LONG WINAPI lineSetAgentGroup(HLINE hLine, DWORD dwAddressID,
                              LPLINEAGENTGROUPLIST lpAgentGroupList);

/* Sets the agent state and/or next state on the address (LINEAGENTSTATE_*;
 * 0 = unchanged / default next state). */
LONG WINAPI lineSetAgentState(HLINE hLine, DWORD dwAddressID, DWORD dwAgentState,
                              DWORD dwNextAgentState);

/* Invokes handler extension number dwAgentExtensionIDIndex (index into
 * LINEAGENTCAPS' extension list) with an opaque in/out block. */
LONG WINAPI lineAgentSpecific(HLINE hLine, DWORD dwAddressID, DWORD dwAgentExtensionIDIndex,
                              LPVOID lpParams, DWORD dwSize);

/* ------------------------------------------------------------------------
 * Proxy (ACD handler) side (§3.3). Synchronous.
 * ---------------------------------------------------------------------- */

/* Completes a request received in LINE_PROXYREQUEST, exactly once; dwResult
 * (0 or a negative LINEERR_*) becomes the client's LINE_REPLY result. The
 * embedded output structure must be filled first. Frees lpProxyRequest. */
LONG WINAPI lineProxyResponse(HLINE hLine, LPLINEPROXYREQUEST lpProxyRequest, DWORD dwResult);

/* Sends an agent status message (LINE_AGENTSTATUS, LINE_AGENTSPECIFIC,
 * LINE_AGENTSESSIONSTATUS, LINE_QUEUESTATUS, LINE_AGENTSTATUSEX,
 * LINE_GROUPSTATUS) to every other application with the line open. */
LONG WINAPI lineProxyMessage(HLINE hLine, HCALL hCall, DWORD dwMsg, DWORD dwParam1,
                             DWORD dwParam2, DWORD dwParam3);

/* Lists the request types currently serviced by proxies on a device. */
LONG WINAPI lineGetProxyStatus(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAppAPIVersion,
                               LPLINEPROXYREQUESTLIST lpLineProxyReqestList);

/* ------------------------------------------------------------------------
 * A/W selection (§1.1, §8): the unsuffixed names of the ten functions with
 * string forms. Defined after all declarations, so that the real unsuffixed
 * lineOpen export above is declared under its own name.
 * ---------------------------------------------------------------------- */
#ifdef UNICODE
#define lineInitializeEx lineInitializeExW
#define lineOpen lineOpenW
#define lineCreateAgent lineCreateAgentW
#define lineCreateAgentSession lineCreateAgentSessionW
#define lineGetGroupList lineGetGroupListW
#define lineGetQueueList lineGetQueueListW
#define lineGetAgentCaps lineGetAgentCapsW
#define lineGetAgentStatus lineGetAgentStatusW
#define lineGetAgentActivityList lineGetAgentActivityListW
#define lineGetAgentGroupList lineGetAgentGroupListW
#else
#define lineInitializeEx lineInitializeExA
#define lineOpen lineOpenA
#define lineCreateAgent lineCreateAgentA
#define lineCreateAgentSession lineCreateAgentSessionA
#define lineGetGroupList lineGetGroupListA
#define lineGetQueueList lineGetQueueListA
#define lineGetAgentCaps lineGetAgentCapsA
#define lineGetAgentStatus lineGetAgentStatusA
#define lineGetAgentActivityList lineGetAgentActivityListA
#define lineGetAgentGroupList lineGetAgentGroupListA
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

/* ========================================================================
 * Layout checks: the size of every structure and the byte offset of every
 * field that tapi2-agent.md §1.4 and §5 list. A failure here means the
 * structures no longer match Windows binaries or the spec.
 * ====================================================================== */
#if defined(__cplusplus)
#define OPENTAPI_TAPI_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define OPENTAPI_TAPI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#else /* C99: redeclaring one array, with a negative size if cond is false */
#define OPENTAPI_TAPI_STATIC_ASSERT(cond, msg) \
  extern char opentapi_tapi_layout_check[(cond) ? 1 : -1]
#endif
#define OPENTAPI_TAPI_SIZE(type, size) \
  OPENTAPI_TAPI_STATIC_ASSERT(sizeof(type) == (size), "sizeof(" #type ") must be " #size)
#define OPENTAPI_TAPI_OFFSET(type, member, off)                  \
  OPENTAPI_TAPI_STATIC_ASSERT(offsetof(type, member) == (off), \
                              "offsetof(" #type ", " #member ") must be " #off)

/* Base types (§1.1). */
OPENTAPI_TAPI_SIZE(DWORD, 4);
OPENTAPI_TAPI_SIZE(LONG, 4);
OPENTAPI_TAPI_SIZE(HLINEAPP, 4);
OPENTAPI_TAPI_SIZE(HLINE, 4);
OPENTAPI_TAPI_SIZE(HCALL, 4);
OPENTAPI_TAPI_SIZE(HAGENT, 4);
OPENTAPI_TAPI_SIZE(HAGENTSESSION, 4);
OPENTAPI_TAPI_SIZE(GUID, 16);
OPENTAPI_TAPI_SIZE(CURRENCY, 8);
OPENTAPI_TAPI_SIZE(DATE, 8);

/* VARSTRING (§1.4). */
OPENTAPI_TAPI_SIZE(VARSTRING, 24);
OPENTAPI_TAPI_OFFSET(VARSTRING, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(VARSTRING, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(VARSTRING, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(VARSTRING, dwStringFormat, 12);
OPENTAPI_TAPI_OFFSET(VARSTRING, dwStringSize, 16);
OPENTAPI_TAPI_OFFSET(VARSTRING, dwStringOffset, 20);

/* LINEAGENTSESSIONINFO (§5.1). */
OPENTAPI_TAPI_SIZE(LINEAGENTSESSIONINFO, 76);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwAgentSessionState, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwNextAgentSessionState, 16);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dateSessionStartTime, 20);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwSessionDuration, 28);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwNumberOfCalls, 32);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwTotalTalkTime, 36);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwAverageTalkTime, 40);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwTotalCallTime, 44);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwAverageCallTime, 48);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwTotalWrapUpTime, 52);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwAverageWrapUpTime, 56);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, cyACDCallRate, 60);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwLongestTimeToAnswer, 68);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONINFO, dwAverageTimeToAnswer, 72);

/* LINEAGENTINFO (§5.2). */
OPENTAPI_TAPI_SIZE(LINEAGENTINFO, 56);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwAgentState, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwNextAgentState, 16);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwMeasurementPeriod, 20);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, cyOverallCallRate, 24);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwNumberOfACDCalls, 32);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwNumberOfIncomingCalls, 36);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwNumberOfOutgoingCalls, 40);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwTotalACDTalkTime, 44);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwTotalACDCallTime, 48);
OPENTAPI_TAPI_OFFSET(LINEAGENTINFO, dwTotalACDWrapUpTime, 52);

/* The common 24-byte list header (§5.3), for each of the six lists. */
#define OPENTAPI_TAPI_LIST_HEADER(type)             \
  OPENTAPI_TAPI_SIZE(type, 24);                     \
  OPENTAPI_TAPI_OFFSET(type, dwTotalSize, 0);       \
  OPENTAPI_TAPI_OFFSET(type, dwNeededSize, 4);      \
  OPENTAPI_TAPI_OFFSET(type, dwUsedSize, 8);        \
  OPENTAPI_TAPI_OFFSET(type, dwNumEntries, 12);     \
  OPENTAPI_TAPI_OFFSET(type, dwListSize, 16);       \
  OPENTAPI_TAPI_OFFSET(type, dwListOffset, 20)
OPENTAPI_TAPI_LIST_HEADER(LINEAGENTSESSIONLIST);
OPENTAPI_TAPI_LIST_HEADER(LINEAGENTLIST);
OPENTAPI_TAPI_LIST_HEADER(LINEQUEUELIST);
OPENTAPI_TAPI_LIST_HEADER(LINEAGENTGROUPLIST);
OPENTAPI_TAPI_LIST_HEADER(LINEAGENTACTIVITYLIST);
OPENTAPI_TAPI_LIST_HEADER(LINEPROXYREQUESTLIST);

/* List elements (§5.4). */
OPENTAPI_TAPI_SIZE(LINEAGENTSESSIONENTRY, 28);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONENTRY, hAgentSession, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONENTRY, hAgent, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONENTRY, GroupID, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTSESSIONENTRY, dwWorkingAddressID, 24);

OPENTAPI_TAPI_SIZE(LINEAGENTENTRY, 28);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, hAgent, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, dwNameSize, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, dwNameOffset, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, dwIDSize, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, dwIDOffset, 16);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, dwPINSize, 20);
OPENTAPI_TAPI_OFFSET(LINEAGENTENTRY, dwPINOffset, 24);

OPENTAPI_TAPI_SIZE(LINEQUEUEENTRY, 12);
OPENTAPI_TAPI_OFFSET(LINEQUEUEENTRY, dwQueueID, 0);
OPENTAPI_TAPI_OFFSET(LINEQUEUEENTRY, dwNameSize, 4);
OPENTAPI_TAPI_OFFSET(LINEQUEUEENTRY, dwNameOffset, 8);

OPENTAPI_TAPI_SIZE(LINEAGENTGROUPENTRY, 24);
OPENTAPI_TAPI_OFFSET(LINEAGENTGROUPENTRY, GroupID.dwGroupID1, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTGROUPENTRY, GroupID.dwGroupID2, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTGROUPENTRY, GroupID.dwGroupID3, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTGROUPENTRY, GroupID.dwGroupID4, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTGROUPENTRY, dwNameSize, 16);
OPENTAPI_TAPI_OFFSET(LINEAGENTGROUPENTRY, dwNameOffset, 20);

OPENTAPI_TAPI_SIZE(LINEAGENTACTIVITYENTRY, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTACTIVITYENTRY, dwID, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTACTIVITYENTRY, dwNameSize, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTACTIVITYENTRY, dwNameOffset, 8);

/* LINEQUEUEINFO (§5.5). */
OPENTAPI_TAPI_SIZE(LINEQUEUEINFO, 52);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwMeasurementPeriod, 12);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwTotalCallsQueued, 16);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwCurrentCallsQueued, 20);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwTotalCallsAbandoned, 24);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwTotalCallsFlowedIn, 28);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwTotalCallsFlowedOut, 32);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwLongestEverWaitTime, 36);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwCurrentLongestWaitTime, 40);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwAverageWaitTime, 44);
OPENTAPI_TAPI_OFFSET(LINEQUEUEINFO, dwFinalDisposition, 48);

/* LINEAGENTCAPS (§5.6) and LINEEXTENSIONID. */
OPENTAPI_TAPI_SIZE(LINEAGENTCAPS, 72);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwAgentHandlerInfoSize, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwAgentHandlerInfoOffset, 16);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwCapsVersion, 20);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwFeatures, 24);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwStates, 28);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwNextStates, 32);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwMaxNumGroupEntries, 36);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwAgentStatusMessages, 40);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwNumAgentExtensionIDs, 44);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwAgentExtensionIDListSize, 48);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, dwAgentExtensionIDListOffset, 52);
OPENTAPI_TAPI_OFFSET(LINEAGENTCAPS, ProxyGUID, 56);

OPENTAPI_TAPI_SIZE(LINEEXTENSIONID, 16);
OPENTAPI_TAPI_OFFSET(LINEEXTENSIONID, dwExtensionID0, 0);
OPENTAPI_TAPI_OFFSET(LINEEXTENSIONID, dwExtensionID1, 4);
OPENTAPI_TAPI_OFFSET(LINEEXTENSIONID, dwExtensionID2, 8);
OPENTAPI_TAPI_OFFSET(LINEEXTENSIONID, dwExtensionID3, 12);

/* LINEAGENTSTATUS (§5.7). */
OPENTAPI_TAPI_SIZE(LINEAGENTSTATUS, 56);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwNumEntries, 12);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwGroupListSize, 16);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwGroupListOffset, 20);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwState, 24);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwNextState, 28);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwActivityID, 32);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwActivitySize, 36);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwActivityOffset, 40);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwAgentFeatures, 44);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwValidStates, 48);
OPENTAPI_TAPI_OFFSET(LINEAGENTSTATUS, dwValidNextStates, 52);

/* LINEPROXYREQUEST (§5.8): header, then each union member at 28 + the
 * spec's offset, then the 108-byte fixed part. */
OPENTAPI_TAPI_SIZE(LINEPROXYREQUEST, 108);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwSize, 0);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwClientMachineNameSize, 4);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwClientMachineNameOffset, 8);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwClientUserNameSize, 12);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwClientUserNameOffset, 16);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwClientAppAPIVersion, 20);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, dwRequestType, 24);

OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentGroup.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentGroup.GroupList, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentState.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentState.dwAgentState, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentState.dwNextAgentState, 36);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentActivity.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentActivity.dwActivityID, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentCaps.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentCaps.AgentCaps, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentStatus.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentStatus.AgentStatus, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, AgentSpecific.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, AgentSpecific.dwAgentExtensionIDIndex, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, AgentSpecific.dwSize, 36);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, AgentSpecific.Params, 40);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentActivityList.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentActivityList.ActivityList, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentGroupList.dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentGroupList.GroupList, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgent.hAgent, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgent.dwAgentIDSize, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgent.dwAgentIDOffset, 36);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgent.dwAgentPINSize, 40);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgent.dwAgentPINOffset, 44);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentMeasurementPeriod.hAgent, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentMeasurementPeriod.dwMeasurementPeriod, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentInfo.hAgent, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentInfo.AgentInfo, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgentSession.hAgentSession, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgentSession.dwAgentPINSize, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgentSession.dwAgentPINOffset, 36);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgentSession.hAgent, 40);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgentSession.GroupID, 44);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, CreateAgentSession.dwWorkingAddressID, 60);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentSessionList.hAgent, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentSessionList.SessionList, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentSessionState.hAgentSession, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentSessionState.dwAgentSessionState, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentSessionState.dwNextAgentSessionState, 36);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentSessionInfo.hAgentSession, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetAgentSessionInfo.SessionInfo, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetQueueList.GroupID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetQueueList.QueueList, 44);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetQueueMeasurementPeriod.dwQueueID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetQueueMeasurementPeriod.dwMeasurementPeriod, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetQueueInfo.dwQueueID, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetQueueInfo.QueueInfo, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, GetGroupList.GroupList, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentStateEx.hAgent, 28);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentStateEx.dwAgentState, 32);
OPENTAPI_TAPI_OFFSET(LINEPROXYREQUEST, SetAgentStateEx.dwNextAgentState, 36);
/* The largest member decides the fixed part: 28 + 80 = 108. */
OPENTAPI_TAPI_STATIC_ASSERT(sizeof(struct lineproxyrequest_getagentsessioninfo_tag) == 80,
                            "GetAgentSessionInfo must be the 80-byte largest member");

/* LINEDIALPARAMS and LINECALLPARAMS (§5.9: 180 bytes, device-specific pair
 * at 104/108, TAPI 1.4 part ending at 112). */
OPENTAPI_TAPI_SIZE(LINEDIALPARAMS, 16);
OPENTAPI_TAPI_OFFSET(LINEDIALPARAMS, dwDialPause, 0);
OPENTAPI_TAPI_OFFSET(LINEDIALPARAMS, dwDialSpeed, 4);
OPENTAPI_TAPI_OFFSET(LINEDIALPARAMS, dwDigitDuration, 8);
OPENTAPI_TAPI_OFFSET(LINEDIALPARAMS, dwWaitForDialtone, 12);

OPENTAPI_TAPI_SIZE(LINECALLPARAMS, 180);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwBearerMode, 4);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwMinRate, 8);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwMaxRate, 12);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwMediaMode, 16);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCallParamFlags, 20);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwAddressMode, 24);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwAddressID, 28);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, DialParams, 32);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwOrigAddressSize, 48);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwOrigAddressOffset, 52);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDisplayableAddressSize, 56);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDisplayableAddressOffset, 60);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCalledPartySize, 64);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCalledPartyOffset, 68);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCommentSize, 72);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCommentOffset, 76);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwUserUserInfoSize, 80);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwUserUserInfoOffset, 84);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwHighLevelCompSize, 88);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwHighLevelCompOffset, 92);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwLowLevelCompSize, 96);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwLowLevelCompOffset, 100);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDevSpecificSize, 104);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDevSpecificOffset, 108);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwPredictiveAutoTransferStates, 112);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwTargetAddressSize, 116);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwTargetAddressOffset, 120);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwSendingFlowspecSize, 124);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwSendingFlowspecOffset, 128);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwReceivingFlowspecSize, 132);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwReceivingFlowspecOffset, 136);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDeviceClassSize, 140);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDeviceClassOffset, 144);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDeviceConfigSize, 148);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwDeviceConfigOffset, 152);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCallDataSize, 156);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCallDataOffset, 160);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwNoAnswerTimeout, 164);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCallingPartyIDSize, 168);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwCallingPartyIDOffset, 172);
OPENTAPI_TAPI_OFFSET(LINECALLPARAMS, dwAddressType, 176);

/* Pointer-size dependent structures (§1.1, §3.4). */
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, hDevice, 0);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwMessageID, 4);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwCallbackInstance, 8);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, dwTotalSize, 0);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, dwNeededSize, 4);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, dwUsedSize, 8);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, dwOptions, 12);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, Handles, 16);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, Handles.hEvent, 16);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, Handles.hCompletionPort, 16);
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
/* 64-bit: DWORD_PTR and HANDLE are 8 bytes. */
OPENTAPI_TAPI_SIZE(LINEMESSAGE, 40);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwParam1, 16);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwParam2, 24);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwParam3, 32);
OPENTAPI_TAPI_SIZE(LINEINITIALIZEEXPARAMS, 28);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, dwCompletionKey, 24);
#else
/* 32-bit: DWORD_PTR and HANDLE are 4 bytes. */
OPENTAPI_TAPI_SIZE(LINEMESSAGE, 24);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwParam1, 12);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwParam2, 16);
OPENTAPI_TAPI_OFFSET(LINEMESSAGE, dwParam3, 20);
OPENTAPI_TAPI_SIZE(LINEINITIALIZEEXPARAMS, 24);
OPENTAPI_TAPI_OFFSET(LINEINITIALIZEEXPARAMS, dwCompletionKey, 20);
#endif

#undef OPENTAPI_TAPI_LIST_HEADER
#undef OPENTAPI_TAPI_OFFSET
#undef OPENTAPI_TAPI_SIZE
#undef OPENTAPI_TAPI_STATIC_ASSERT

#endif /* OPENTAPI_TAPI_H */
