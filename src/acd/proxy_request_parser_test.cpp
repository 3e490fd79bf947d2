#include "acd/proxy_request_parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "acd/test_support.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

#define OFF(T, f) static_cast<std::uint32_t>(offsetof(T, f))
constexpr std::uint32_t kUnion = OFF(LINEPROXYREQUEST, dwRequestType) + 4;

// A LINEPROXYREQUEST as the server allocates it: the fixed part plus
// `extra` bytes, dwSize set, followed by guard bytes outside the span.
struct Request {
  explicit Request(std::uint32_t type, std::uint32_t extra = 0)
      : bytes(sizeof(LINEPROXYREQUEST) + extra + 64, 0xEE), size(sizeof(LINEPROXYREQUEST) + extra) {
    std::memset(bytes.data(), 0, size);
    put(OFF(LINEPROXYREQUEST, dwSize), size);
    put(OFF(LINEPROXYREQUEST, dwRequestType), type);
    put(OFF(LINEPROXYREQUEST, dwClientAppAPIVersion), 0x00020002);
  }
  void put(std::uint32_t pos, std::uint32_t v) { std::memcpy(bytes.data() + pos, &v, 4); }
  std::uint32_t at(std::uint32_t pos) const {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + pos, 4);
    return v;
  }
  // Writes `text` as a wide string at `pos` and its size/offset pair at `pair`.
  void wide(std::uint32_t pair, std::uint32_t pos, const std::wstring& text) {
    const auto n = static_cast<std::uint32_t>((text.size() + 1) * sizeof(wchar_t));
    std::memcpy(bytes.data() + pos, text.c_str(), n);
    put(pair, n);
    put(pair + 4, pos);
  }
  ProxyRequest parse() { return parse_proxy_request(std::span<unsigned char>(bytes.data(), size), Charset::kWide); }

  std::vector<unsigned char> bytes;
  std::uint32_t size;
};

TEST(ProxyRequestParser, ReadsTheHeaderAndACreateAgentSession) {
  using M = lineproxyrequest_createagentsession_tag;
  Request r(LINEPROXYREQUEST_CREATEAGENTSESSION, 64);
  const std::uint32_t strings = sizeof(LINEPROXYREQUEST);
  r.wide(OFF(LINEPROXYREQUEST, dwClientUserNameSize), strings, L"alice");
  r.wide(kUnion + OFF(M, dwAgentPINSize), strings + 24, L"1234");
  r.put(kUnion + OFF(M, hAgent), 7);
  r.put(kUnion + OFF(M, dwWorkingAddressID), 2);
  std::memcpy(r.bytes.data() + kUnion + OFF(M, GroupID), testing::sales().bytes.data(), 16);

  ProxyRequest p = r.parse();
  EXPECT_EQ(p.type, LINEPROXYREQUEST_CREATEAGENTSESSION);
  EXPECT_EQ(p.user, "alice");
  EXPECT_EQ(p.client_api_version, 0x00020002u);
  EXPECT_EQ(p.charset, Charset::kWide);
  auto* c = std::get_if<CreateAgentSessionRequest>(&p.body);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->agent, 7u);
  EXPECT_EQ(c->pin, "1234");
  EXPECT_EQ(c->working_address_id, 2u);
  EXPECT_EQ(c->group, testing::sales());
  c->session.set(42);  // hAgentSession, the first member of the union
  EXPECT_EQ(r.at(kUnion), 42u);
}

TEST(ProxyRequestParser, AStringOutsideTheRequestRejectsIt) {
  using M = lineproxyrequest_createagentsession_tag;
  Request r(LINEPROXYREQUEST_CREATEAGENTSESSION);
  r.put(kUnion + OFF(M, dwAgentPINSize), 8);
  r.put(kUnion + OFF(M, dwAgentPINOffset), r.size - 4);  // 4 of its 8 bytes lie beyond dwSize
  ProxyRequest p = r.parse();
  auto* rejected = std::get_if<RejectedRequest>(&p.body);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->error.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(rejected->error.message(), "malformed PIN string");
}

TEST(ProxyRequestParser, AMalformedUserNameIsNoUser) {
  Request r(LINEPROXYREQUEST_GETGROUPLIST);
  r.put(OFF(LINEPROXYREQUEST, dwClientUserNameSize), 6);  // not a whole number of wchar_t
  r.put(OFF(LINEPROXYREQUEST, dwClientUserNameOffset), sizeof(LINEPROXYREQUEST) - 8);
  ProxyRequest p = r.parse();
  EXPECT_EQ(p.user, "");
  EXPECT_TRUE(std::holds_alternative<GetGroupListRequest>(p.body));
}

TEST(ProxyRequestParser, AnUnknownTypeIsOperationUnavail) {
  Request r(0x15);
  ProxyRequest p = r.parse();
  EXPECT_EQ(p.type, 0x15u);
  auto* rejected = std::get_if<RejectedRequest>(&p.body);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->error.code(), ErrorCode::kOperationUnavail);
  EXPECT_EQ(rejected->error.message(), "unknown request type 21");
}

TEST(ProxyRequestParser, ABufferShorterThanTheHeaderReadsAsZeros) {
  std::vector<unsigned char> bytes(10, 0xFF);
  ProxyRequest p = parse_proxy_request(std::span<unsigned char>(bytes.data(), bytes.size()), Charset::kWide);
  EXPECT_EQ(p.type, 0u);
  EXPECT_EQ(p.user, "");
  auto* rejected = std::get_if<RejectedRequest>(&p.body);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->error.code(), ErrorCode::kOperationUnavail);
}

TEST(ProxyRequestParser, SetAgentGroupReadsItsListAndRefusesOneOutsideItsStructure) {
  using L = LINEAGENTGROUPLIST;
  using E = LINEAGENTGROUPENTRY;
  const std::uint32_t list = kUnion + 4;
  Request r(LINEPROXYREQUEST_SETAGENTGROUP, 2 * sizeof(E));
  r.put(kUnion, 1);  // dwAddressID
  r.put(list + OFF(L, dwTotalSize), sizeof(L) + 2 * sizeof(E));
  r.put(list + OFF(L, dwNumEntries), 2);
  r.put(list + OFF(L, dwListSize), 2 * sizeof(E));
  r.put(list + OFF(L, dwListOffset), sizeof(L));
  std::memcpy(r.bytes.data() + list + sizeof(L), testing::sales().bytes.data(), 16);
  std::memcpy(r.bytes.data() + list + sizeof(L) + sizeof(E), testing::support().bytes.data(), 16);
  {
    ProxyRequest p = r.parse();
    auto* s = std::get_if<SetAgentGroupRequest>(&p.body);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->address_id, 1u);
    ASSERT_EQ(s->groups.size(), 2u);
    EXPECT_EQ(s->groups[0], testing::sales());
    EXPECT_EQ(s->groups[1], testing::support());
  }
  r.put(list + OFF(L, dwTotalSize), sizeof(L) + sizeof(E));  // the second entry lies outside the list
  ProxyRequest p = r.parse();
  auto* rejected = std::get_if<RejectedRequest>(&p.body);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->error.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(rejected->error.message(), "group list outside its structure");
}

TEST(ProxyRequestParser, AnOutputStructureIsClippedToTheBuffer) {
  Request r(LINEPROXYREQUEST_GETQUEUEINFO);
  r.put(kUnion, 3);            // dwQueueID
  r.put(kUnion + 4, 0x10000);  // QueueInfo.dwTotalSize: far more than the buffer holds
  ProxyRequest p = r.parse();
  auto* q = std::get_if<GetQueueInfoRequest>(&p.body);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->queue, 3u);
  EXPECT_EQ(q->info.base, r.bytes.data() + kUnion + 4);
  EXPECT_EQ(q->info.room, r.size - (kUnion + 4));
}

TEST(ProxyRequestParser, AgentSpecificParamsMustLieInsideTheRequest) {
  const std::uint32_t params = kUnion + 12;
  Request r(LINEPROXYREQUEST_AGENTSPECIFIC, 32);
  r.put(kUnion + 4, 0);   // extension index
  r.put(kUnion + 8, 32);  // dwSize
  {
    ProxyRequest p = r.parse();
    auto* a = std::get_if<AgentSpecificRequest>(&p.body);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->params.data(), r.bytes.data() + params);
    EXPECT_EQ(a->params.size(), 32u);
  }
  r.put(kUnion + 8, r.size - params + 1);
  ProxyRequest p = r.parse();
  auto* rejected = std::get_if<RejectedRequest>(&p.body);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->error.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(rejected->error.message(), "parameter block outside the request");
}

TEST(ProxyRequestParser, TheProxyRegistersForAllTwentyRequestTypes) {
  const std::vector<unsigned char> params = proxy_open_call_params();
  ASSERT_EQ(params.size(), sizeof(LINECALLPARAMS) + 20 * 4);
  const auto at = [&](std::uint32_t pos) {
    std::uint32_t v = 0;
    std::memcpy(&v, params.data() + pos, 4);
    return v;
  };
  EXPECT_EQ(at(OFF(LINECALLPARAMS, dwTotalSize)), params.size());
  EXPECT_EQ(at(OFF(LINECALLPARAMS, dwDevSpecificSize)), 20u * 4);
  EXPECT_EQ(at(OFF(LINECALLPARAMS, dwDevSpecificOffset)), sizeof(LINECALLPARAMS));
  for (std::uint32_t t = 1; t <= 20; ++t) EXPECT_EQ(at(sizeof(LINECALLPARAMS) + (t - 1) * 4), t);
}

}  // namespace
}  // namespace opentapi::acd
