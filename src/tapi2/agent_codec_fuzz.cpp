// libFuzzer target: the agent-payload codec (agent_codec.h) with the bytes
// it takes from other programs.
//
// Every decoder of the codec reads something it cannot trust: the payload
// another library sent (AgentCall), the structure a proxy filled in its
// LINEPROXYREQUEST, the output another proxy library sent (AgentOutput), the
// structures a caller passes to lineSetAgentGroup and lineOpen. Properties
// checked, besides memory safety (ASan):
//  - a LINEPROXYREQUEST built from any payload is consistent: its dwSize is
//    the buffer's size, the output room lies inside it, and the untouched
//    room reads back as "the proxy wrote nothing" (0 or LINEERR_INVALPARAM);
//  - whatever a proxy writes is accepted (0) or refused with
//    LINEERR_INVALPARAM, never read beyond the buffer; an accepted output
//    survives its own wire round trip;
//  - a caller's structure is never written at or beyond its dwTotalSize,
//    and a written one has dwNeededSize >= dwUsedSize >= the fixed part;
//  - the caller input readers answer 0 or their documented codes, and what
//    they read is within what the caller described.
//
// Input layout: byte 0 selects the decoder (bits 0-2) and the character sets
// (bit 6: the proxy's line is wide, bit 7: the caller is); byte 1 the request
// type or structure kind; bytes 2-5 a size (the caller's dwTotalSize); the
// rest is the untrusted data.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tapi2/agent_codec.h"

namespace {

namespace agent = opentapi::agent;
namespace t2 = opentapi::tapi2;
using opentapi::client::ProxyRequestBuffer;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

constexpr std::size_t kHeader = 6;
constexpr std::uint32_t kMaxTotal = 64 * 1024;  // a caller's structure, bounded for speed
constexpr std::size_t kGuard = 64;
constexpr unsigned char kGuardByte = 0xA5;

enum Mode : std::uint8_t { kPayload, kProxyOutput, kWireOutput, kGroupList, kCallParams, kModes };

std::uint32_t get32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

t2::Charset charset(bool wide) { return wide ? t2::Charset::kWide : t2::Charset::kAnsi; }

// An AgentCall every request type accepts (a GUID where one is needed).
agent::AgentCall valid_call() {
  agent::AgentCall call;
  call.set_group_id(std::string(16, '\x11'));
  call.set_agent_id("1001");
  call.set_agent_pin("1234");
  return call;
}

// Writes `output` into a caller's structure of `total` bytes followed by
// guard bytes, and checks what write_caller_output promises.
void write_and_check(t2::OutputKind kind, const agent::AgentOutput& output, std::uint32_t total, bool wide) {
  const std::uint32_t fixed = t2::fixed_size(kind);
  if (fixed == 0) return;  // not a structure kind
  if (total < fixed) total = fixed;
  std::vector<unsigned char> caller(total + kGuard, kGuardByte);
  std::memset(caller.data(), 0, total);
  std::memcpy(caller.data(), &total, sizeof total);  // dwTotalSize
  const bool written = t2::write_caller_output(kind, output, caller.data(), total, charset(wide));
  for (std::size_t i = total; i < caller.size(); ++i) {
    if (caller[i] != kGuardByte) fail("the caller's structure was written beyond dwTotalSize");
  }
  if (get32(caller.data()) != total) fail("dwTotalSize was changed");
  if (!written) return;
  const std::uint32_t needed = get32(caller.data() + 4);
  const std::uint32_t used = get32(caller.data() + 8);
  if (used > total || used < fixed) fail("dwUsedSize outside [fixed part, dwTotalSize]");
  if (needed < used) fail("dwNeededSize below dwUsedSize");
}

void payload(std::uint32_t type, std::uint32_t size, bool proxy_wide, const std::string& bytes) {
  agent::AgentCall call;
  if (!call.ParseFromString(bytes)) return;
  const t2::ClientIdentity client{"machine", "user", 0x00030001};
  const auto buffer = t2::build_proxy_request(type, call, size, client, charset(proxy_wide));
  if (!buffer) return;
  if (!buffer->data || buffer->size < sizeof(LINEPROXYREQUEST)) fail("LINEPROXYREQUEST smaller than its header");
  if (get32(buffer->data.get()) != buffer->size) fail("dwSize is not the buffer's size");
  if (std::uint64_t{buffer->output_offset} + buffer->output_room > buffer->size) fail("output room outside the buffer");
  if (buffer->request_type != type) fail("request type changed");
  agent::AgentOutput out;
  const LONG rc = t2::parse_proxy_output(*buffer, &out);
  if (rc != 0 && rc != LINEERR_INVALPARAM) fail("untouched output: neither accepted nor INVALPARAM");
}

void proxy_output(std::uint32_t type, std::uint32_t total, bool proxy_wide, bool caller_wide,
                  const std::string& bytes) {
  const t2::ClientIdentity client{"machine", "user", 0x00030001};
  const auto buffer = t2::build_proxy_request(type, valid_call(), total, client, charset(proxy_wide));
  if (!buffer) return;
  // The proxy writes whatever it likes into its room (and only there: the
  // header is the library's).
  const std::size_t n = std::min<std::size_t>(bytes.size(), buffer->output_room);
  if (n != 0) std::memcpy(buffer->data.get() + buffer->output_offset, bytes.data(), n);
  agent::AgentOutput out;
  const LONG rc = t2::parse_proxy_output(*buffer, &out);
  if (rc == LINEERR_INVALPARAM) return;
  if (rc != 0) fail("proxy output: neither accepted nor INVALPARAM");
  // The output crosses the wire to the client's library.
  std::string wire;
  if (!out.SerializeToString(&wire)) fail("accepted output does not serialize");
  agent::AgentOutput received;
  if (!received.ParseFromString(wire)) fail("accepted output does not parse back");
  std::string again;
  if (!received.SerializeToString(&again) || again != wire) fail("accepted output changes on the wire");
  const auto kind = t2::output_kind(type);
  if (kind) write_and_check(*kind, received, total, caller_wide);
}

void wire_output(std::uint32_t selector, std::uint32_t total, bool caller_wide, const std::string& bytes) {
  agent::AgentOutput output;
  if (!output.ParseFromString(bytes)) return;
  static constexpr t2::OutputKind kKinds[] = {
      t2::OutputKind::kSessionInfo, t2::OutputKind::kAgentInfo, t2::OutputKind::kQueueInfo,
      t2::OutputKind::kSessionList, t2::OutputKind::kGroupList, t2::OutputKind::kActivityList,
      t2::OutputKind::kQueueList,   t2::OutputKind::kAgentCaps, t2::OutputKind::kAgentStatus,
  };
  write_and_check(kKinds[selector % std::size(kKinds)], output, total, caller_wide);
}

// A caller's structure: the bytes as given, at least `header` long, its
// dwTotalSize no larger than what is really there (the caller's contract).
std::vector<unsigned char> caller_structure(const std::string& bytes, std::size_t header) {
  std::vector<unsigned char> s(std::max(bytes.size(), header), 0);
  std::memcpy(s.data(), bytes.data(), bytes.size());
  const auto real = static_cast<std::uint32_t>(s.size());
  if (get32(s.data()) > real) std::memcpy(s.data(), &real, sizeof real);
  return s;
}

void group_list(const std::string& bytes) {
  auto s = caller_structure(bytes, sizeof(LINEAGENTGROUPLIST));
  const auto* list = reinterpret_cast<const LINEAGENTGROUPLIST*>(s.data());
  agent::AgentCall call;
  const LONG rc = t2::read_group_ids(list, &call);
  if (rc != 0 && rc != LINEERR_INVALPARAM) fail("read_group_ids: undocumented code");
  if (rc != 0) return;
  if (static_cast<std::uint32_t>(call.groups_size()) > list->dwNumEntries) fail("more groups than dwNumEntries");
  for (const auto& g : call.groups()) {
    if (g.group_id().size() != sizeof(GUID)) fail("a group ID is not a GUID");
  }
}

void call_params(const std::string& bytes) {
  auto s = caller_structure(bytes, sizeof(LINECALLPARAMS));
  std::vector<std::uint32_t> types;
  const LONG rc = t2::read_proxy_request_types(reinterpret_cast<const LINECALLPARAMS*>(s.data()), &types);
  if (rc != 0 && rc != LINEERR_INVALPARAM && rc != LINEERR_STRUCTURETOOSMALL) {
    fail("read_proxy_request_types: undocumented code");
  }
  if (rc != 0) return;
  for (const auto t : types) {
    if (t < 1 || t > 0x14) fail("a request type outside 1..0x14 was accepted");
  }
}

void write_file(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) fail("cannot write a seed file");
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

std::string header(Mode mode, std::uint8_t flags, std::uint8_t selector, std::uint32_t size) {
  std::string h(kHeader, '\0');
  h[0] = static_cast<char>(mode | flags);
  h[1] = static_cast<char>(selector);
  std::memcpy(h.data() + 2, &size, sizeof size);
  return h;
}

// With OPENTAPI_FUZZ_WRITE_SEEDS=DIR, writes valid inputs of every decoder
// into DIR and exits (cmake/run_fuzz_test.sh uses it).
void write_seeds(const std::string& dir) {
  int n = 0;
  const auto seed = [&](const std::string& bytes) { write_file(dir + "/seed-" + std::to_string(n++), bytes); };
  for (std::uint8_t type = 1; type <= 0x14; ++type) {
    for (const std::uint8_t wide : {std::uint8_t{0}, std::uint8_t{0xC0}}) {
      std::string call;
      valid_call().SerializeToString(&call);
      seed(header(kPayload, wide, type, 1024) + call);
      // A minimal well-formed answer: the fixed part only, nothing variable.
      const auto kind = t2::output_kind(type);
      const std::uint32_t fixed = kind ? t2::fixed_size(*kind) : 0;
      std::string answer(std::max<std::uint32_t>(fixed, 16), '\0');
      if (fixed != 0) {
        std::memcpy(answer.data() + 4, &fixed, 4);  // dwNeededSize
        std::memcpy(answer.data() + 8, &fixed, 4);  // dwUsedSize
      }
      seed(header(kProxyOutput, wide, type, 1024) + answer);
    }
  }
  agent::AgentOutput output;
  output.set_proxy_wide(true);
  std::string wire;
  output.SerializeToString(&wire);
  for (std::uint8_t kind = 0; kind < 9; ++kind) seed(header(kWireOutput, 0, kind, 512) + wire);
  LINEAGENTGROUPLIST groups{};
  groups.dwTotalSize = sizeof groups + 2 * sizeof(LINEAGENTGROUPENTRY);
  groups.dwNumEntries = 2;
  groups.dwListSize = 2 * sizeof(LINEAGENTGROUPENTRY);
  groups.dwListOffset = sizeof groups;
  std::string g(reinterpret_cast<const char*>(&groups), sizeof groups);
  g.append(2 * sizeof(LINEAGENTGROUPENTRY), '\x22');
  seed(header(kGroupList, 0, 0, 0) + g);
  LINECALLPARAMS params{};
  params.dwTotalSize = sizeof params + 8;
  params.dwDevSpecificSize = 8;
  params.dwDevSpecificOffset = sizeof params;
  std::string p(reinterpret_cast<const char*>(&params), sizeof params);
  const std::uint32_t types[2] = {LINEPROXYREQUEST_SETAGENTSESSIONSTATE, LINEPROXYREQUEST_GETAGENTSESSIONINFO};
  p.append(reinterpret_cast<const char*>(types), sizeof types);
  seed(header(kCallParams, 0, 0, 0) + p);
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
  if (size < kHeader) return 0;
  const std::uint8_t flags = data[0];
  const bool proxy_wide = (flags & 0x40) != 0;
  const bool caller_wide = (flags & 0x80) != 0;
  const std::uint32_t selector = data[1];
  const std::uint32_t total = get32(data + 2) % (kMaxTotal + 1);
  const std::string bytes(reinterpret_cast<const char*>(data + kHeader), size - kHeader);
  switch ((flags & 7) % kModes) {
    case kPayload:
      payload(selector % 0x16, total, proxy_wide, bytes);
      break;
    case kProxyOutput:
      proxy_output(selector % 0x16, total, proxy_wide, caller_wide, bytes);
      break;
    case kWireOutput:
      wire_output(selector, total, caller_wide, bytes);
      break;
    case kGroupList:
      group_list(bytes);
      break;
    case kCallParams:
      call_params(bytes);
      break;
  }
  return 0;
}
