// A C++ program written the way a Windows TAPI 3 agent application is: it
// includes <tapi3.h>, holds an ITAgentSession* and calls put_State through it.
// Only the call's compilation and linking are checked here: the session
// objects come with the TAPI 3 layer. The COM runtime pieces that already
// exist (BSTRs, GUIDs) are exercised for real, so linking is proven.
#include <tapi3.h>

#include <cstdio>

static HRESULT SetReady(ITAgentSession* session) { return session->put_State(ASST_READY); }

int main(int argc, char** argv) {
  (void)argv;
  ITAgentSession* session = nullptr;
  if (argc > 99) {  // never true when run by the test; keeps the call linked in
    return SetReady(session) == S_OK ? 0 : 1;
  }
  BSTR name = SysAllocString(L"agent 4711");
  const bool bstr_ok = name != nullptr && SysStringLen(name) == 10;
  SysFreeString(name);
  const bool iid_ok = !IsEqualIID(IID_ITAgentSession, IID_ITAgent);
  const bool enum_ok =
      ASST_SESSION_ENDED == 4 && TE_AGENTSESSION == 0x400 && TAPI_E_TIMEOUT == static_cast<HRESULT>(0x80040044);
  if (!(bstr_ok && iid_ok && enum_ok)) {
    std::fprintf(stderr, "cpp_program: bstr=%d iid=%d enum=%d\n", bstr_ok, iid_ok, enum_ok);
    return 1;
  }
  std::puts("cpp_program: tapi3.h compiles, put_State is callable, libopentapi links");
  return 0;
}
