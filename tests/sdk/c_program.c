/* A C program as a TAPI 2 agent application would be written: it uses the
 * constants and structures of <tapi.h> and checks their values and layout. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <tapi.h>

static int failures = 0;
#define CHECK(cond)                                            \
  do {                                                         \
    if (!(cond)) {                                             \
      fprintf(stderr, "c_program: check failed: %s\n", #cond); \
      ++failures;                                              \
    }                                                          \
  } while (0)

int main(void) {
  unsigned char buffer[sizeof(LINEPROXYREQUEST) + 64];
  LINEPROXYREQUEST* req = (LINEPROXYREQUEST*)buffer;
  LINEAGENTSESSIONINFO info;

  memset(buffer, 0, sizeof buffer);
  req->dwSize = (DWORD)sizeof buffer;
  req->dwRequestType = LINEPROXYREQUEST_SETAGENTSESSIONSTATE;
  req->SetAgentSessionState.hAgentSession = 7;
  req->SetAgentSessionState.dwAgentSessionState = LINEAGENTSESSIONSTATE_READY;
  CHECK(offsetof(LINEPROXYREQUEST, SetAgentSessionState) == 28);
  CHECK(buffer[32] == LINEAGENTSESSIONSTATE_READY);

  memset(&info, 0, sizeof info);
  info.dwTotalSize = sizeof info;
  info.cyACDCallRate.int64 = 125000; /* 12.5 calls per hour */
  CHECK(sizeof info == 76);
  CHECK(offsetof(LINEAGENTSESSIONINFO, cyACDCallRate) == 60);

  CHECK(LINEERR_INVALAGENTSTATE == (LONG)0x8000005A);
  CHECK(LINEPROXYREQUEST_SETAGENTSESSIONSTATE == 0x0E);
  CHECK(LINE_AGENTSESSIONSTATUS == 27);
  CHECK(LINEOPENOPTION_PROXY == 0x40000000);
  if (failures == 0) puts("c_program: tapi.h constants and layouts as specified");
  return failures == 0 ? 0 : 1;
}
