/*
 * tapi2_call_program.c — a TAPI 2 call program in C, written the way Windows
 * programs of this kind (dialers, agent desktops, ACD proxies) use tapi.h:
 * initialize with an event, negotiate versions, read LINEDEVCAPS and
 * LINEADDRESSCAPS with the dwNeededSize retry, open lines as owner and
 * monitor, place, answer, hold, transfer and drop calls, and follow them
 * through LINE_APPNEWCALL, LINE_CALLSTATE and LINE_CALLINFO.
 *
 * Compile check only (tests/headers/CMakeLists.txt): it proves that such a
 * program compiles against tapi.h unchanged, as C11 with ANSI strings (the
 * unsuffixed names select the ...A forms). It is never run.
 */
#include <stdlib.h>
#include <string.h>
#include <tapi.h>

/* Grows a VARSTRING-convention structure until dwNeededSize fits, as every
 * TAPI 2 program does around lineGetDevCaps and friends. */
static void* grow(void* buffer, DWORD needed) {
  void* bigger = realloc(buffer, needed);
  if (bigger == NULL) {
    free(buffer);
    return NULL;
  }
  memset(bigger, 0, needed);
  ((LPVARSTRING)bigger)->dwTotalSize = needed;
  return bigger;
}

LPLINEDEVCAPS GetDevCaps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion) {
  DWORD needed = sizeof(LINEDEVCAPS) + 256;
  LPLINEDEVCAPS caps = NULL;
  for (;;) {
    caps = (LPLINEDEVCAPS)grow(caps, needed);
    if (caps == NULL) return NULL;
    if (lineGetDevCaps(hLineApp, dwDeviceID, dwAPIVersion, 0, caps) != 0) {
      free(caps);
      return NULL;
    }
    if (caps->dwNeededSize <= caps->dwTotalSize) return caps;
    needed = caps->dwNeededSize;
  }
}

LPLINEADDRESSCAPS GetAddressCaps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID, DWORD dwAPIVersion) {
  LPLINEADDRESSCAPS caps = (LPLINEADDRESSCAPS)grow(NULL, sizeof(LINEADDRESSCAPS) + 256);
  if (caps == NULL) return NULL;
  if (lineGetAddressCaps(hLineApp, dwDeviceID, dwAddressID, dwAPIVersion, 0, caps) != 0 ||
      caps->dwNeededSize > caps->dwTotalSize) {
    free(caps);
    return NULL;
  }
  return caps;
}

/* Opens every line that carries interactive voice, as owner and monitor,
 * and asks for the line and address messages a desktop shows. */
LONG OpenVoiceLines(HLINEAPP hLineApp, DWORD dwNumDevs, HLINE* lines) {
  DWORD dev;
  for (dev = 0; dev < dwNumDevs; ++dev) {
    DWORD dwAPIVersion = 0;
    LINEEXTENSIONID ext;
    LPLINEDEVCAPS caps;
    LONG rc = lineNegotiateAPIVersion(hLineApp, dev, TAPI_VERSION2_0, TAPI_CURRENT_VERSION, &dwAPIVersion, &ext);
    lines[dev] = 0;
    if (rc != 0) continue;
    caps = GetDevCaps(hLineApp, dev, dwAPIVersion);
    if (caps == NULL) continue;
    if ((caps->dwMediaModes & LINEMEDIAMODE_INTERACTIVEVOICE) && caps->dwNumAddresses > 0) {
      const char* name = (const char*)caps + caps->dwLineNameOffset;
      LPLINEADDRESSCAPS address = GetAddressCaps(hLineApp, dev, 0, dwAPIVersion);
      (void)name;
      if (address != NULL) {
        const char* number = (const char*)address + address->dwAddressOffset;
        (void)number;
        if ((address->dwAddrCapFlags & LINEADDRCAPFLAGS_ROUTEPOINT) == 0 &&
            (address->dwCallFeatures & LINECALLFEATURE_ANSWER)) {
          rc = lineOpen(hLineApp, dev, &lines[dev], dwAPIVersion, 0, (DWORD_PTR)dev,
                        LINECALLPRIVILEGE_OWNER | LINECALLPRIVILEGE_MONITOR, LINEMEDIAMODE_INTERACTIVEVOICE, NULL);
          if (rc == 0) {
            lineSetStatusMessages(lines[dev], LINEDEVSTATE_NUMCALLS | LINEDEVSTATE_REINIT,
                                  LINEADDRESSSTATE_INUSEZERO | LINEADDRESSSTATE_INUSEONE | LINEADDRESSSTATE_NUMCALLS);
          }
        }
        free(address);
      }
    }
    free(caps);
  }
  return 0;
}

/* Places a call with call parameters carrying the caller's number, as a
 * trunk or a predictive dialer does. The handle is valid after LINE_REPLY. */
LONG PlaceCall(HLINE hLine, const char* destination, LPHCALL phCall) {
  static const char calling[] = "+15551234567";
  DWORD size = (DWORD)(sizeof(LINECALLPARAMS) + sizeof calling);
  LPLINECALLPARAMS params = (LPLINECALLPARAMS)calloc(1, size);
  LONG request;
  if (params == NULL) return LINEERR_NOMEM;
  params->dwTotalSize = size;
  params->dwBearerMode = LINEBEARERMODE_VOICE;
  params->dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
  params->dwAddressMode = LINEADDRESSMODE_ADDRESSID;
  params->dwAddressID = 0;
  params->dwCallingPartyIDSize = (DWORD)sizeof calling;
  params->dwCallingPartyIDOffset = (DWORD)sizeof(LINECALLPARAMS);
  params->dwAddressType = LINEADDRESSTYPE_PHONENUMBER;
  memcpy((char*)params + params->dwCallingPartyIDOffset, calling, sizeof calling);
  request = lineMakeCall(hLine, phCall, destination, 0, params);
  free(params); /* safe once lineMakeCall returned: the request copied it */
  return request;
}

/* The caller's number from LINECALLINFO, for the screen pop. */
void ShowCallerId(HCALL hCall, char* out, size_t out_size) {
  LPLINECALLINFO info = (LPLINECALLINFO)grow(NULL, sizeof(LINECALLINFO) + 512);
  out[0] = '\0';
  if (info == NULL) return;
  if (lineGetCallInfo(hCall, info) == 0 && (info->dwCallerIDFlags & LINECALLPARTYID_ADDRESS) &&
      info->dwCallerIDSize > 0 && info->dwCallerIDSize <= out_size) {
    memcpy(out, (const char*)info + info->dwCallerIDOffset, info->dwCallerIDSize);
  }
  if (info->dwReason == LINECALLREASON_REDIRECT || info->dwReason == LINECALLREASON_TRANSFER) {
    /* routed by the ACD: dwCallData* holds what it attached */
  }
  free(info);
}

/* What a desktop does on each call state. */
static void OnCallState(HCALL hCall, DWORD state, DWORD detail, DWORD privilege) {
  LINECALLSTATUS status;
  memset(&status, 0, sizeof status);
  status.dwTotalSize = sizeof status;
  switch (state) {
    case LINECALLSTATE_OFFERING:
      if (privilege == LINECALLPRIVILEGE_OWNER && lineGetCallStatus(hCall, &status) == 0 &&
          (status.dwCallFeatures & LINECALLFEATURE_ANSWER)) {
        lineAnswer(hCall, NULL, 0);
      }
      break;
    case LINECALLSTATE_CONNECTED:
      if (detail == LINECONNECTEDMODE_ACTIVE) {
        lineSetAppSpecific(hCall, 42);
      }
      break;
    case LINECALLSTATE_BUSY:
      if (detail == LINEBUSYMODE_STATION) lineDrop(hCall, NULL, 0);
      break;
    case LINECALLSTATE_DISCONNECTED:
      if (detail == LINEDISCONNECTMODE_NORMAL || detail == LINEDISCONNECTMODE_BADADDRESS ||
          detail == LINEDISCONNECTMODE_NOANSWER) {
        lineDrop(hCall, NULL, 0);
      }
      break;
    case LINECALLSTATE_IDLE:
      lineDeallocateCall(hCall);
      break;
    case LINECALLSTATE_ONHOLD:
    case LINECALLSTATE_DIALING:
    case LINECALLSTATE_PROCEEDING:
    case LINECALLSTATE_RINGBACK:
    default:
      break;
  }
}

/* The buttons of a desktop's call window. */
LONG Hold(HCALL hCall) { return lineHold(hCall); }
LONG Resume(HCALL hCall) { return lineUnhold(hCall); }
LONG TransferToQueue(HCALL hCall) { return lineBlindTransfer(hCall, "8001", 0); }
LONG Deflect(HCALL hCall, const char* number) { return lineRedirect(hCall, number, 0); }
LONG AttachData(HCALL hCall, const char* text) { return lineSetCallData(hCall, (LPVOID)text, (DWORD)strlen(text) + 1); }
LONG BecomeOwner(HCALL hCall) { return lineSetCallPrivilege(hCall, LINECALLPRIVILEGE_OWNER); }

/* A supervisor picking up the calls already on a line. */
DWORD MonitorExistingCalls(HLINE hLine, HCALL* calls, DWORD max_calls) {
  DWORD size = (DWORD)(sizeof(LINECALLLIST) + max_calls * sizeof(HCALL));
  LPLINECALLLIST list = (LPLINECALLLIST)grow(NULL, size);
  DWORD found = 0;
  if (list == NULL) return 0;
  if (lineGetNewCalls(hLine, 0, LINECALLSELECT_LINE, list) == 0) {
    found = list->dwCallsNumEntries < max_calls ? list->dwCallsNumEntries : max_calls;
    memcpy(calls, (const char*)list + list->dwCallsOffset, found * sizeof(HCALL));
  }
  free(list);
  return found;
}

/* Line and address status, and the address that owns a number. */
void ShowLineStatus(HLINE hLine) {
  LINEDEVSTATUS line;
  LINEADDRESSSTATUS address;
  DWORD dwAddressID = 0;
  VARSTRING id;
  memset(&line, 0, sizeof line);
  memset(&address, 0, sizeof address);
  memset(&id, 0, sizeof id);
  line.dwTotalSize = sizeof line;
  address.dwTotalSize = sizeof address;
  id.dwTotalSize = sizeof id;
  lineGetLineDevStatus(hLine, &line);
  lineGetAddressStatus(hLine, 0, &address);
  lineGetAddressID(hLine, &dwAddressID, LINEADDRESSMODE_DIALABLEADDR, "2001", 5);
  lineGetID(hLine, 0, 0, LINECALLSELECT_LINE, &id, "tapi/line");
  if (line.dwNumActiveCalls > 0 && address.dwNumInUse > 0) {
    /* busy */
  }
}

/* The message loop of the event mechanism. */
int RunDesktop(void) {
  HLINEAPP hLineApp = 0;
  DWORD dwNumDevs = 0;
  DWORD dwAPIVersion = TAPI_CURRENT_VERSION;
  LINEINITIALIZEEXPARAMS params;
  HLINE lines[16];
  HCALL placed = 0;
  LINEMESSAGE msg;
  LONG request;

  memset(&params, 0, sizeof params);
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  if (lineInitializeEx(&hLineApp, NULL, NULL, "Agent desktop", &dwNumDevs, &dwAPIVersion, &params) != 0) {
    return 1;
  }
  if (dwNumDevs > 16) dwNumDevs = 16;
  OpenVoiceLines(hLineApp, dwNumDevs, lines);
  request = PlaceCall(lines[0], "2002", &placed);

  while (lineGetMessage(hLineApp, &msg, INFINITE) == 0) {
    switch (msg.dwMessageID) {
      case LINE_REPLY:
        if ((LONG)msg.dwParam1 == request && (LONG)msg.dwParam2 != 0) placed = 0;
        break;
      case LINE_APPNEWCALL: {
        HCALL hCall = (HCALL)msg.dwParam2;
        DWORD privilege = (DWORD)msg.dwParam3;
        char caller[64];
        ShowCallerId(hCall, caller, sizeof caller);
        (void)privilege;
        break;
      }
      case LINE_CALLSTATE:
        OnCallState((HCALL)msg.hDevice, (DWORD)msg.dwParam1, (DWORD)msg.dwParam2, (DWORD)msg.dwParam3);
        break;
      case LINE_CALLINFO:
        if (msg.dwParam1 & (LINECALLINFOSTATE_CALLERID | LINECALLINFOSTATE_CALLDATA)) {
          char caller[64];
          ShowCallerId((HCALL)msg.hDevice, caller, sizeof caller);
        }
        break;
      case LINE_LINEDEVSTATE:
        if (msg.dwParam1 & LINEDEVSTATE_REINIT) {
          lineShutdown(hLineApp);
          return 2;
        }
        break;
      case LINE_ADDRESSSTATE:
        if (msg.dwParam2 & LINEADDRESSSTATE_INUSEZERO) {
          /* the address is free again */
        }
        break;
      case LINE_CLOSE:
        break;
      default:
        break;
    }
  }
  {
    DWORD dev;
    for (dev = 0; dev < dwNumDevs; ++dev) {
      if (lines[dev] != 0) lineClose(lines[dev]);
    }
  }
  lineShutdown(hLineApp);
  return 0;
}
