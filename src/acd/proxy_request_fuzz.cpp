// libFuzzer target: arbitrary bytes as the LINEPROXYREQUEST buffer the
// virtual ACD receives (proxy_request_parser.h).
//
// The input is copied into a heap buffer of exactly its size, so AddressSanitizer
// catches any read or write outside it. Properties checked:
//  - the parser never reads outside the buffer, whatever its offsets, sizes
//    and counts say;
//  - every output place it returns (output structures, the handle slot, the
//    PBX parameter block) lies inside the buffer: each is written whole,
//    and the output structures are then filled by structures.h as the
//    handler would (lists and strings that may not fit, in both charsets),
//    which must keep to the room the parser gave them;
//  - a rejected request carries an error, kInvalParam or kOperationUnavail;
//  - the type is the buffer's dwRequestType (0 when the buffer is shorter);
//  - parsing is deterministic: the same bytes give the same request.
//
// With OPENTAPI_FUZZ_WRITE_SEEDS=DIR it writes a seed corpus of one
// well-formed request of every type into DIR and exits
// (cmake/run_fuzz_test.sh uses it).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "acd/proxy_request_parser.h"
#include "acd/structures.h"
#include "tapi.h"

namespace {

using namespace opentapi::acd;  // NOLINT: the code under test

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

struct Buffer {
  const unsigned char* begin;
  std::size_t size;

  bool holds(const unsigned char* p, std::size_t n) const {
    return p >= begin && n <= size && static_cast<std::size_t>(p - begin) <= size - n;
  }
};

// Checks that an output structure lies in the buffer and writes all of it
// but its dwTotalSize, which the fill_* call after it reads.
void check_area(const Buffer& buf, OutputArea area) {
  if (area.base == nullptr) {
    if (area.room != 0) fail("an absent output structure has room");
    return;
  }
  // Its header, dwTotalSize to dwUsedSize, is always inside: fill_* writes
  // dwNeededSize even into a structure too small for anything else.
  if (!buf.holds(area.base, 12)) fail("output structure header outside the buffer");
  if (!buf.holds(area.base, area.room)) fail("output structure outside the buffer");
  if (area.room > 4) std::memset(area.base + 4, 0x5A, area.room - 4);
}

std::vector<GroupEntry> two_groups() {
  return {{opentapi::core::GroupId{{1, 2, 3}}, "Sales"}, {opentapi::core::GroupId{{4, 5, 6}}, "Support \xE2\x82\xAC"}};
}

void check(const Buffer& buf, ProxyRequest& req) {
  struct Visitor {
    const Buffer& buf;
    void operator()(RejectedRequest& r) const {
      if (r.error.ok()) fail("a rejected request without an error");
      if (r.error.code() != ErrorCode::kInvalParam && r.error.code() != ErrorCode::kOperationUnavail) {
        fail("a rejected request with an unexpected code");
      }
    }
    void operator()(SetAgentGroupRequest& r) const {
      if (r.groups.size() * sizeof(LINEAGENTGROUPENTRY) > buf.size) fail("more groups than the buffer holds");
    }
    void operator()(SetAgentStateRequest&) const {}
    void operator()(SetAgentActivityRequest&) const {}
    void operator()(GetAgentCapsRequest& r) const {
      check_area(buf, r.caps);
      AgentCapsData caps;
      caps.handler_info = "opentapi virtual ACD fuzz";
      caps.extension_ids.push_back({1, 2, 3, 4});
      (void)fill_agent_caps(r.caps, caps, Charset::kWide);
    }
    void operator()(GetAgentStatusRequest& r) const {
      check_area(buf, r.status);
      opentapi::core::AddressAgentStatus status;
      status.groups.push_back(opentapi::core::GroupId{{1, 2, 3}});
      const std::vector<GroupEntry> names = {{opentapi::core::GroupId{{1, 2, 3}}, "Sales"}};
      (void)fill_agent_status(r.status, status, names, "Lunch", Charset::kWide);
    }
    void operator()(AgentSpecificRequest& r) const {
      if (!r.params.empty()) {
        if (!buf.holds(r.params.data(), r.params.size())) fail("PBX parameter block outside the buffer");
        std::memset(r.params.data(), 0xA5, r.params.size());
      }
    }
    void operator()(GetAgentActivityListRequest& r) const {
      check_area(buf, r.list);
      (void)fill_activity_list(r.list, {{1, "Lunch"}, {2, "Training"}}, Charset::kWide);
    }
    void operator()(GetAgentGroupListRequest& r) const {
      check_area(buf, r.list);
      (void)fill_group_list(r.list, two_groups(), Charset::kWide);
    }
    void operator()(CreateAgentRequest& r) const { r.agent.set(0x12345678); }
    void operator()(SetAgentMeasurementPeriodRequest&) const {}
    void operator()(GetAgentInfoRequest& r) const {
      check_area(buf, r.info);
      (void)fill_agent_info(r.info, opentapi::core::AgentInfo{});
    }
    void operator()(CreateAgentSessionRequest& r) const { r.session.set(0x12345678); }
    void operator()(GetAgentSessionListRequest& r) const {
      check_area(buf, r.list);
      (void)fill_session_list(r.list, {SessionListEntry{1, 2, {}, 0}, SessionListEntry{3, 2, {}, 1}});
    }
    void operator()(SetAgentSessionStateRequest&) const {}
    void operator()(GetAgentSessionInfoRequest& r) const {
      check_area(buf, r.info);
      (void)fill_session_info(r.info, opentapi::core::AgentSessionInfo{});
    }
    void operator()(GetQueueListRequest& r) const {
      check_area(buf, r.list);
      (void)fill_queue_list(r.list, {{1, "Sales"}, {3, "Support"}}, Charset::kWide);
    }
    void operator()(SetQueueMeasurementPeriodRequest&) const {}
    void operator()(GetQueueInfoRequest& r) const {
      check_area(buf, r.info);
      (void)fill_queue_info(r.info, opentapi::core::QueueInfo{});
    }
    void operator()(GetGroupListRequest& r) const {
      check_area(buf, r.list);
      (void)fill_group_list(r.list, two_groups(), Charset::kAnsi);
    }
    void operator()(SetAgentStateExRequest&) const {}
  };
  std::visit(Visitor{buf}, req.body);
}

// --- seeds ---------------------------------------------------------------------------

constexpr std::uint32_t kUnion = offsetof(LINEPROXYREQUEST, dwRequestType) + 4;

struct Seed {
  explicit Seed(std::uint32_t type, std::uint32_t extra = 64) : bytes(sizeof(LINEPROXYREQUEST) + extra, 0) {
    put(offsetof(LINEPROXYREQUEST, dwSize), static_cast<std::uint32_t>(bytes.size()));
    put(offsetof(LINEPROXYREQUEST, dwRequestType), type);
    put(offsetof(LINEPROXYREQUEST, dwClientAppAPIVersion), 0x00030001);
    wide(offsetof(LINEPROXYREQUEST, dwClientUserNameSize), L"alice");
  }
  void put(std::size_t pos, std::uint32_t v) { std::memcpy(bytes.data() + pos, &v, 4); }
  // Appends a wide string and points the size/offset pair at `pair` to it.
  void wide(std::size_t pair, const std::wstring& text) {
    const auto at = static_cast<std::uint32_t>(bytes.size());
    const auto n = static_cast<std::uint32_t>((text.size() + 1) * sizeof(wchar_t));
    bytes.resize(bytes.size() + n, 0);
    std::memcpy(bytes.data() + at, text.c_str(), n);
    put(pair, n);
    put(pair + 4, at);
    put(offsetof(LINEPROXYREQUEST, dwSize), static_cast<std::uint32_t>(bytes.size()));
  }
  // An embedded output structure at `pos` with room to the end of the fixed part and `extra` beyond.
  void area(std::size_t pos) { put(pos, static_cast<std::uint32_t>(bytes.size() - pos)); }
  std::vector<unsigned char> bytes;
};

std::vector<std::vector<unsigned char>> seeds() {
  std::vector<std::vector<unsigned char>> out;
  for (std::uint32_t type = 1; type <= 0x14; ++type) {
    Seed s(type);
    s.put(kUnion, 1);
    s.put(kUnion + 4, 2);
    s.put(kUnion + 8, 3);
    switch (type) {
      case LINEPROXYREQUEST_SETAGENTGROUP: {
        const std::size_t list = kUnion + 4;
        s.put(list + offsetof(LINEAGENTGROUPLIST, dwTotalSize), sizeof(LINEAGENTGROUPLIST) + 2 * 24);
        s.put(list + offsetof(LINEAGENTGROUPLIST, dwNumEntries), 2);
        s.put(list + offsetof(LINEAGENTGROUPLIST, dwListSize), 2 * 24);
        s.put(list + offsetof(LINEAGENTGROUPLIST, dwListOffset), sizeof(LINEAGENTGROUPLIST));
        break;
      }
      case LINEPROXYREQUEST_AGENTSPECIFIC:
        s.put(kUnion + 4, 0);
        s.put(kUnion + 8, 32);
        break;
      case LINEPROXYREQUEST_CREATEAGENT:
        s.wide(kUnion + 4, L"1001");
        s.wide(kUnion + 12, L"1234");
        break;
      case LINEPROXYREQUEST_CREATEAGENTSESSION:
        s.wide(kUnion + offsetof(lineproxyrequest_createagentsession_tag, dwAgentPINSize), L"1234");
        break;
      case LINEPROXYREQUEST_GETGROUPLIST:
        s.area(kUnion);
        break;
      case LINEPROXYREQUEST_GETQUEUELIST:
        s.area(kUnion + 16);
        break;
      default:
        s.area(kUnion + 4);
        break;
    }
    out.push_back(std::move(s.bytes));
  }
  out.push_back(std::vector<unsigned char>(10, 0xFF));  // shorter than the header
  return out;
}

void write_seeds(const char* dir) {
  const auto all = seeds();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string path = std::string(dir) + "/seed-" + std::to_string(i);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) fail("cannot write a seed file");
    std::fwrite(all[i].data(), 1, all[i].size(), f);
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("OPENTAPI_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Exactly `size` bytes on the heap: one byte beyond is a reported overflow.
  std::unique_ptr<unsigned char[]> bytes(new unsigned char[size == 0 ? 1 : size]);
  if (size != 0) std::memcpy(bytes.get(), data, size);
  const std::span<unsigned char> span(bytes.get(), size);

  ProxyRequest req = parse_proxy_request(span, Charset::kWide);
  std::uint32_t type = 0;
  if (size >= kUnion) std::memcpy(&type, data + offsetof(LINEPROXYREQUEST, dwRequestType), 4);
  if (req.type != type) fail("the type is not the buffer's dwRequestType");

  const ProxyRequest again = parse_proxy_request(span, Charset::kWide);
  if (again.body.index() != req.body.index() || again.user != req.user ||
      again.client_api_version != req.client_api_version) {
    fail("the same bytes parse differently");
  }

  check(Buffer{bytes.get(), size}, req);
  return 0;
}
