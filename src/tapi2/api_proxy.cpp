// The proxy-side functions of docs/reference/tapi2-agent.md §3.3 (synchronous):
// lineProxyResponse, lineProxyMessage, lineGetProxyStatus; and the send
// batches of opentapi_ext.h.
//
// lineProxyResponse and lineProxyMessage check locally everything opentapid
// would refuse (the library knows the proxy's lines, registrations and
// undelivered requests), then send without waiting for the server's Result:
// a proxy answering and announcing pays no round trip per call, and the
// frames still reach the server in the order they were sent. opentapid keeps
// its own checks for other clients.
#include <cstdint>
#include <cstring>
#include <string>

#include "client/registry.h"
#include "client/send_batch.h"
#include "opentapi_ext.h"
#include "proto/framing.h"
#include "tapi2/api_common.h"

namespace t2 = opentapi::tapi2;
namespace client = opentapi::client;
namespace wire = opentapi::wire;

namespace {

// lineProxyResponse once the request is taken: sends the response, or hands
// the request back to the application when the response is refused.
LONG respond(client::Application& app, client::IssuedProxyRequest& request, HLINE hLine, DWORD dwResult) {
  if (!app.line(hLine)) {
    // The line was closed (lineClose, LINE_CLOSE, lost server) after the
    // request was delivered; the server has completed the request with
    // LINEERR_OPERATIONFAILED already. Accept and discard, like a late answer
    // for a client that shut down (§3.4 lineShutdown [DECIDE]).
    return 0;
  }
  const auto result = static_cast<LONG>(dwResult);
  if (result > 0) {
    // A positive value would read as a request ID in LINE_REPLY.
    app.return_proxy_request(std::move(request));
    return LINEERR_INVALPARAM;
  }
  wire::ClientToServer msg;
  auto* response = msg.mutable_proxy_response();
  response->set_hline(request.server_hline);
  response->set_proxy_request_id(request.proxy_request_id);
  response->set_result(result);
  if (result == 0) {
    opentapi::agent::AgentOutput output;
    if (const LONG rc = t2::parse_proxy_output(request.buffer, &output)) {
      app.return_proxy_request(std::move(request));  // the proxy may fix it and answer again
      return rc;
    }
    if (t2::output_kind(request.buffer.request_type) != t2::OutputKind::kNone &&
        !output.SerializeToString(response->mutable_output())) {
      app.return_proxy_request(std::move(request));
      return LINEERR_NOMEM;
    }
  }
  if (response->output().size() > opentapi::proto::kMaxPayloadBytes) {
    // The server would refuse it and keep the request pending.
    app.return_proxy_request(std::move(request));
    return LINEERR_INVALPARAM;
  }
  return app.post(msg);
}

}  // namespace

OPENTAPI_EXPORT LONG WINAPI opentapi_proxy_request_origin(HLINE hLine, LPLINEPROXYREQUEST lpProxyRequest,
                                                          LPBYTE lpInstance, DWORD dwInstanceBufferSize,
                                                          LPDWORD lpdwInstanceSize, unsigned long long* lpOriginID) {
  return t2::c_call([&]() -> LONG {
    auto& registry = client::Registry::instance();
    if (!registry.any_application()) return LINEERR_UNINITIALIZED;
    const auto app = registry.line_owner(hLine);
    if (!app) return LINEERR_INVALLINEHANDLE;
    if (lpProxyRequest == nullptr || lpInstance == nullptr || lpdwInstanceSize == nullptr || lpOriginID == nullptr) {
      return LINEERR_INVALPOINTER;
    }
    std::string instance;
    std::uint64_t origin = 0;
    if (const LONG rc = app->proxy_request_origin(lpProxyRequest, hLine, &instance, &origin)) return rc;
    if (instance.size() > dwInstanceBufferSize) return LINEERR_INVALPOINTER;
    std::memcpy(lpInstance, instance.data(), instance.size());
    *lpdwInstanceSize = static_cast<DWORD>(instance.size());
    *lpOriginID = origin;
    return 0;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineProxyResponse(HLINE hLine, LPLINEPROXYREQUEST lpProxyRequest, DWORD dwResult) {
  return t2::c_call([&]() -> LONG {
    auto& registry = client::Registry::instance();
    if (!registry.any_application()) return LINEERR_UNINITIALIZED;
    // The owner even of a line closed since the request was delivered on it.
    const auto app = registry.line_owner(hLine);
    if (!app) return LINEERR_INVALLINEHANDLE;
    if (lpProxyRequest == nullptr) return LINEERR_INVALPOINTER;
    // Found by address before anything is read from it: a buffer the library
    // did not issue, or one already answered, is never dereferenced.
    client::IssuedProxyRequest request;
    if (const LONG rc = app->take_proxy_request(lpProxyRequest, hLine, &request)) return rc;
    // From here on `request` owns the buffer: it is freed when we return,
    // unless the response is refused and handed back.
    try {
      return respond(*app, request, hLine, dwResult);
    } catch (...) {
      // Out of memory before the response left: the request is the proxy's
      // again, to answer once memory allows (the edge answers LINEERR_NOMEM).
      if (request.buffer.data) app->return_proxy_request(std::move(request));
      throw;
    }
  });
}

OPENTAPI_EXPORT LONG WINAPI lineProxyMessage(HLINE hLine, HCALL hCall, DWORD dwMsg, DWORD dwParam1, DWORD dwParam2,
                                             DWORD dwParam3) {
  return opentapi_proxy_message_seq(hLine, hCall, dwMsg, dwParam1, dwParam2, dwParam3, 0);
}

OPENTAPI_EXPORT LONG WINAPI opentapi_proxy_message_seq(HLINE hLine, HCALL hCall, DWORD dwMsg, DWORD dwParam1,
                                                       DWORD dwParam2, DWORD dwParam3, unsigned long long ulEventSeq) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    // The server's checks, in its order (docs/reference/tapi2-agent.md §3.3 [DECIDE]; docs/server.md).
    if (!t2::proxy_message_allowed(dwMsg)) return LINEERR_INVALPARAM;
    if (!t.line.proxy) return LINEERR_NOTREGISTERED;  // only a registered handler speaks for the line
    if (hCall != 0) return LINEERR_INVALCALLHANDLE;   // the server tracks no calls
    wire::ClientToServer msg;
    auto* m = msg.mutable_proxy_message();
    m->set_hline(t.line.server_hline);
    m->set_hcall(hCall);
    m->set_msg(dwMsg);
    m->set_param1(dwParam1);
    m->set_param2(dwParam2);
    m->set_param3(dwParam3);
    m->set_event_seq(ulEventSeq);
    return t.app->post(msg);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetProxyStatus(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAppAPIVersion,
                                               LPLINEPROXYREQUESTLIST lpLineProxyReqestList) {
  return t2::c_call([&]() -> LONG {
    std::shared_ptr<client::Application> app;
    if (const LONG rc = t2::find_application(hLineApp, &app)) return rc;
    if (lpLineProxyReqestList == nullptr) return LINEERR_INVALPARAM;  // INVALPOINTER is not in its list
    const DWORD total = lpLineProxyReqestList->dwTotalSize;
    if (total < sizeof(LINEPROXYREQUESTLIST)) return LINEERR_STRUCTURETOOSMALL;
    wire::ClientToServer msg;
    auto* g = msg.mutable_get_proxy_status();
    g->set_device_id(dwDeviceID);
    g->set_app_api_version(dwAppAPIVersion);
    wire::Result result;
    if (const LONG rc = app->call(msg, &result)) return rc;
    if (result.result() != 0) return result.result();

    // Synchronous, so the list is written here (§1.4 rules as everywhere).
    const auto count = static_cast<DWORD>(result.request_types_size());
    const DWORD array = count * static_cast<DWORD>(sizeof(DWORD));
    auto* list = lpLineProxyReqestList;
    list->dwNeededSize = static_cast<DWORD>(sizeof(LINEPROXYREQUESTLIST)) + array;
    list->dwNumEntries = count;
    if (count != 0 && list->dwNeededSize <= total) {
      auto* base = reinterpret_cast<unsigned char*>(list);
      for (DWORD i = 0; i < count; ++i) {
        const DWORD type = result.request_types(static_cast<int>(i));
        std::memcpy(base + sizeof(LINEPROXYREQUESTLIST) + i * sizeof(DWORD), &type, sizeof type);
      }
      list->dwListSize = array;
      list->dwListOffset = sizeof(LINEPROXYREQUESTLIST);
      list->dwUsedSize = list->dwNeededSize;
    } else {
      list->dwListSize = 0;
      list->dwListOffset = 0;
      list->dwUsedSize = sizeof(LINEPROXYREQUESTLIST);
    }
    return 0;
  });
}

// begin cannot throw; end writes (a lost connection fails the write, it does
// not throw), but stays behind the C edge all the same.
OPENTAPI_EXPORT void opentapi_begin_send_batch(void) { client::send_batch::begin(); }

OPENTAPI_EXPORT LONG opentapi_end_send_batch(void) {
  return t2::c_call([&]() -> LONG { return client::send_batch::end() ? 0 : LINEERR_OPERATIONFAILED; });
}
