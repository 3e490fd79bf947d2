// A LINEPROXYREQUEST buffer the library issued to a proxy application in
// LINE_PROXYREQUEST (dwParam1 = data.get()), and what the library needs to
// read the proxy's answer back out of it in lineProxyResponse. The buffer's
// layout is the business of the tapi2 codec; the client layer only keeps the
// buffer alive, finds it again by address and frees it.
#ifndef OPENTAPI_CLIENT_PROXY_REQUEST_BUFFER_H_
#define OPENTAPI_CLIENT_PROXY_REQUEST_BUFFER_H_

#include <cstdint>
#include <memory>

namespace opentapi::client {

struct ProxyRequestBuffer {
  std::unique_ptr<unsigned char[]> data;
  std::uint32_t size = 0;           // bytes allocated (= LINEPROXYREQUEST.dwSize)
  std::uint32_t request_type = 0;   // LINEPROXYREQUEST_*
  std::uint32_t output_offset = 0;  // where the proxy writes its answer, from data.get()
  std::uint32_t output_room = 0;    // bytes there the proxy may fill
  bool wide = false;                // strings in wchar_t (W-opened proxy line)
};

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_PROXY_REQUEST_BUFFER_H_
