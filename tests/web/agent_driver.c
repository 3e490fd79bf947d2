/* agent_driver: an agent desktop reduced to what the wallboard test needs,
 * written in C against the public TAPI 2 API only (tapi.h, libopentapi).
 *
 * It opens one line (device 0 unless argv[1] says otherwise) with API version
 * 3.1 and then obeys commands read from stdin, one per line, answering each on
 * stdout with one line:
 *
 *   login AGENT_ID PIN GROUP_GUID [ADDRESS]
 *       lineCreateAgentW + lineCreateAgentSessionW
 *       -> "ok login agent=H session=H returned_ms=T"
 *   state SESSION STATE [NEXT_STATE]
 *       lineSetAgentSessionState (states by name: READY, NOTREADY, ...)
 *       -> "ok state session=H returned_ms=T replied_ms=T"
 *   pbx queued|answered|ended CALL [QUEUE]
 *       a call event through the ACD's PBX extension (lineAgentSpecific,
 *       docs/acd.md "PBX extension"; the driver's OS user must be one of
 *       [acd] pbx_users) -> "ok pbx call=N returned_ms=T replied_ms=T"
 *   quit
 *
 * returned_ms is the wall clock (CLOCK_REALTIME, ms since the Unix epoch)
 * right after the last asynchronous function returned its request id, so the
 * test can compare it with the moment the browser showed the change;
 * replied_ms is when its LINE_REPLY arrived. A failure answers
 * "error FUNCTION 0xCODE" and the driver goes on; a lost server ends it with
 * exit status 1. It starts by printing "ready devices=N". */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tapi.h>
#include <time.h>

#define API_VERSION 0x00030001u
#define REPLY_TIMEOUT_MS 10000

static HLINEAPP app;
static HLINE line;

static long long wall_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long long monotonic_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void answer(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void answer(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vprintf(format, args);
  va_end(args);
  putchar('\n');
  fflush(stdout);
}

/* Waits for the LINE_REPLY of `request`; its result, or 1 on a time-out.
 * Exits when the server is lost: nothing more could succeed. */
static LONG wait_reply(LONG request) {
  const long long deadline = monotonic_ms() + REPLY_TIMEOUT_MS;
  for (;;) {
    const long long left = deadline - monotonic_ms();
    LINEMESSAGE m;
    if (left <= 0) return 1;
    if (lineGetMessage(app, &m, (DWORD)(left < 200 ? left : 200)) != 0) continue;
    if (m.dwMessageID == LINE_REPLY && m.dwParam1 == (DWORD_PTR)request) return (LONG)(DWORD)m.dwParam2;
    if (m.dwMessageID == LINE_LINEDEVSTATE && (m.dwParam1 & LINEDEVSTATE_REINIT)) {
      answer("error server-lost 0x%08X", (unsigned)LINEERR_REINIT);
      exit(1);
    }
  }
}

/* Runs one asynchronous call to its LINE_REPLY; 0 on success (already answered otherwise). */
static int complete(const char* function, LONG request, long long* returned_ms) {
  LONG result;
  *returned_ms = wall_ms();
  if (request < 0) {
    answer("error %s 0x%08X", function, (unsigned)request);
    return -1;
  }
  result = wait_reply(request);
  if (result == 1) {
    answer("error %s no-reply", function);
    return -1;
  }
  if (result != 0) {
    answer("error %s 0x%08X", function, (unsigned)result);
    return -1;
  }
  return 0;
}

/* ASCII text to a wide string (agent IDs and PINs are ASCII here). */
static void widen(const char* text, WCHAR* out, size_t capacity) {
  size_t i = 0;
  for (; text[i] != '\0' && i + 1 < capacity; ++i) out[i] = (WCHAR)(unsigned char)text[i];
  out[i] = 0;
}

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (braces optional). */
static int parse_guid(const char* text, GUID* out) {
  unsigned d1, d2, d3, b[8];
  int used = 0;
  const char* p = text[0] == '{' ? text + 1 : text;
  if (sscanf(p, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x%n", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
             &b[6], &b[7], &used) != 11 ||
      used != 36)
    return -1;
  if (text[0] == '{' && strcmp(p + used, "}") != 0) return -1;
  if (text[0] != '{' && p[used] != '\0') return -1;
  out->Data1 = d1;
  out->Data2 = (unsigned short)d2;
  out->Data3 = (unsigned short)d3;
  for (int i = 0; i < 8; ++i) out->Data4[i] = (unsigned char)b[i];
  return 0;
}

static DWORD session_state(const char* name) {
  static const struct {
    const char* name;
    DWORD value;
  } states[] = {{"NOTREADY", LINEAGENTSESSIONSTATE_NOTREADY},     {"READY", LINEAGENTSESSIONSTATE_READY},
                {"BUSYONCALL", LINEAGENTSESSIONSTATE_BUSYONCALL}, {"BUSYWRAPUP", LINEAGENTSESSIONSTATE_BUSYWRAPUP},
                {"ENDED", LINEAGENTSESSIONSTATE_ENDED},           {"NONE", 0}};
  for (size_t i = 0; i < sizeof states / sizeof states[0]; ++i)
    if (strcmp(name, states[i].name) == 0) return states[i].value;
  return 0xFFFFFFFFu;
}

static void login(char* agent_id, char* pin, char* group_text, char* address_text) {
  WCHAR id[64], wpin[64];
  GUID group;
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
  long long returned_ms;
  if (agent_id == NULL || pin == NULL || group_text == NULL || parse_guid(group_text, &group) != 0) {
    answer("error usage login AGENT_ID PIN GROUP_GUID [ADDRESS]");
    return;
  }
  widen(agent_id, id, 64);
  widen(pin, wpin, 64);
  if (complete("lineCreateAgentW", lineCreateAgentW(line, id, wpin, &agent), &returned_ms) != 0) return;
  if (complete("lineCreateAgentSessionW",
               lineCreateAgentSessionW(line, agent, wpin, address_text ? (DWORD)strtoul(address_text, NULL, 10) : 0,
                                       &group, &session),
               &returned_ms) != 0)
    return;
  answer("ok login agent=%u session=%u returned_ms=%lld", (unsigned)agent, (unsigned)session, returned_ms);
}

static void set_state(char* session_text, char* state_text, char* next_text) {
  DWORD state, next;
  long long returned_ms;
  if (session_text == NULL || state_text == NULL) {
    answer("error usage state SESSION STATE [NEXT_STATE]");
    return;
  }
  state = session_state(state_text);
  next = next_text ? session_state(next_text) : 0;
  if (state == 0xFFFFFFFFu || next == 0xFFFFFFFFu) {
    answer("error unknown-state");
    return;
  }
  if (complete("lineSetAgentSessionState",
               lineSetAgentSessionState(line, (HAGENTSESSION)strtoul(session_text, NULL, 10), state, next),
               &returned_ms) != 0)
    return;
  answer("ok state session=%s returned_ms=%lld replied_ms=%lld", session_text, returned_ms, wall_ms());
}

static void pbx(char* operation_text, char* call_text, char* queue_text) {
  /* OPENTAPI_ACD_PBX_PARAMS: version, operation, call id, queue id, then four out fields. */
  DWORD block[8] = {1, 0, 0, 0, 0, 0, 0, 0};
  long long returned_ms;
  if (operation_text == NULL || call_text == NULL) {
    answer("error usage pbx queued|answered|ended CALL [QUEUE]");
    return;
  }
  if (strcmp(operation_text, "queued") == 0)
    block[1] = 1;
  else if (strcmp(operation_text, "answered") == 0)
    block[1] = 2;
  else if (strcmp(operation_text, "ended") == 0)
    block[1] = 3;
  else {
    answer("error unknown-pbx-operation");
    return;
  }
  block[2] = (DWORD)strtoul(call_text, NULL, 10);
  block[3] = queue_text ? (DWORD)strtoul(queue_text, NULL, 10) : 0;
  if (complete("lineAgentSpecific", lineAgentSpecific(line, 0, 0, block, sizeof block), &returned_ms) != 0) return;
  answer("ok pbx call=%s returned_ms=%lld replied_ms=%lld", call_text, returned_ms, wall_ms());
}

int main(int argc, char** argv) {
  LINEINITIALIZEEXPARAMS params;
  DWORD devices = 0, version = API_VERSION;
  const DWORD device = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 0;
  char* text = NULL;
  size_t capacity = 0;
  LONG rc;

  memset(&params, 0, sizeof params);
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  rc = lineInitializeExW(&app, NULL, NULL, L"opentapi wallboard test agent", &devices, &version, &params);
  if (rc != 0) {
    answer("error lineInitializeExW 0x%08X", (unsigned)rc);
    return 1;
  }
  rc = lineOpenW(app, device, &line, API_VERSION, 0, 0, LINECALLPRIVILEGE_NONE, 0, NULL);
  if (rc != 0) {
    answer("error lineOpenW 0x%08X", (unsigned)rc);
    lineShutdown(app);
    return 1;
  }
  answer("ready devices=%u", (unsigned)devices);

  while (getline(&text, &capacity, stdin) >= 0) {
    char* save = NULL;
    char* command = strtok_r(text, " \t\r\n", &save);
    char* a = strtok_r(NULL, " \t\r\n", &save);
    char* b = strtok_r(NULL, " \t\r\n", &save);
    char* c = strtok_r(NULL, " \t\r\n", &save);
    char* d = strtok_r(NULL, " \t\r\n", &save);
    if (command == NULL) continue;
    if (strcmp(command, "quit") == 0) break;
    if (strcmp(command, "login") == 0)
      login(a, b, c, d);
    else if (strcmp(command, "state") == 0)
      set_state(a, b, c);
    else if (strcmp(command, "pbx") == 0)
      pbx(a, b, c);
    else
      answer("error unknown-command %s", command);
  }
  free(text);
  lineClose(line);
  lineShutdown(app);
  return 0;
}
