#include "tapi2/agent_codec.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

namespace opentapi::tapi2 {
namespace {

using agent::AgentCall;
using agent::AgentOutput;

constexpr Charset kBoth[] = {Charset::kAnsi, Charset::kWide};

std::string guid(unsigned char seed) {
  std::string g(16, '\0');
  for (int i = 0; i < 16; ++i) g[static_cast<std::size_t>(i)] = static_cast<char>(seed + i);
  return g;
}

std::uint32_t get32(const unsigned char* p, std::size_t off) {
  std::uint32_t v;
  std::memcpy(&v, p + off, 4);
  return v;
}
void put32(unsigned char* p, std::size_t off, std::uint32_t v) { std::memcpy(p + off, &v, 4); }

std::string read_string(const unsigned char* base, std::uint32_t size, std::uint32_t off, Charset cs) {
  if (size == 0) return "<absent>";
  return decode_string(base + off, size, cs).value_or("<malformed>");
}

const char* name(Charset cs) { return cs == Charset::kAnsi ? "A" : "W"; }

// One request type per structure kind, to carry it in a LINEPROXYREQUEST.
std::uint32_t type_of(OutputKind kind) {
  switch (kind) {
    case OutputKind::kSessionInfo:
      return LINEPROXYREQUEST_GETAGENTSESSIONINFO;
    case OutputKind::kAgentInfo:
      return LINEPROXYREQUEST_GETAGENTINFO;
    case OutputKind::kQueueInfo:
      return LINEPROXYREQUEST_GETQUEUEINFO;
    case OutputKind::kSessionList:
      return LINEPROXYREQUEST_GETAGENTSESSIONLIST;
    case OutputKind::kGroupList:
      return LINEPROXYREQUEST_GETGROUPLIST;
    case OutputKind::kActivityList:
      return LINEPROXYREQUEST_GETAGENTACTIVITYLIST;
    case OutputKind::kQueueList:
      return LINEPROXYREQUEST_GETQUEUELIST;
    case OutputKind::kAgentCaps:
      return LINEPROXYREQUEST_GETAGENTCAPS;
    case OutputKind::kAgentStatus:
      return LINEPROXYREQUEST_GETAGENTSTATUS;
    default:
      return 0;
  }
}

constexpr OutputKind kStructureKinds[] = {OutputKind::kSessionInfo, OutputKind::kAgentInfo, OutputKind::kQueueInfo,
                                          OutputKind::kSessionList, OutputKind::kGroupList, OutputKind::kActivityList,
                                          OutputKind::kQueueList,   OutputKind::kAgentCaps, OutputKind::kAgentStatus};

// What a proxy might return for each structure: every field distinct,
// non-ASCII names, one entry without a name.
AgentOutput sample(OutputKind kind) {
  AgentOutput o;
  switch (kind) {
    case OutputKind::kSessionInfo: {
      auto* s = o.mutable_session_info();
      s->set_state(LINEAGENTSESSIONSTATE_READY);
      s->set_next_state(LINEAGENTSESSIONSTATE_BUSYWRAPUP);
      s->set_session_start_time(45123.5);
      s->set_session_duration(3600);
      s->set_number_of_calls(12);
      s->set_total_talk_time(1200);
      s->set_average_talk_time(100);
      s->set_total_call_time(1500);
      s->set_average_call_time(125);
      s->set_total_wrap_up_time(300);
      s->set_average_wrap_up_time(25);
      s->set_acd_call_rate(120000);
      s->set_longest_time_to_answer(40);
      s->set_average_time_to_answer(7);
      break;
    }
    case OutputKind::kAgentInfo: {
      auto* a = o.mutable_agent_info();
      a->set_state(LINEAGENTSTATEEX_BUSYACD);
      a->set_next_state(LINEAGENTSTATEEX_READY);
      a->set_measurement_period(900);
      a->set_overall_call_rate(-5);
      a->set_number_of_acd_calls(3);
      a->set_number_of_incoming_calls(4);
      a->set_number_of_outgoing_calls(5);
      a->set_total_acd_talk_time(6);
      a->set_total_acd_call_time(7);
      a->set_total_acd_wrap_up_time(8);
      break;
    }
    case OutputKind::kQueueInfo: {
      auto* q = o.mutable_queue_info();
      q->set_measurement_period(60);
      q->set_total_calls_queued(1);
      q->set_current_calls_queued(2);
      q->set_total_calls_abandoned(3);
      q->set_total_calls_flowed_in(4);
      q->set_total_calls_flowed_out(5);
      q->set_longest_ever_wait_time(6);
      q->set_current_longest_wait_time(7);
      q->set_average_wait_time(8);
      q->set_final_disposition(9);
      break;
    }
    case OutputKind::kSessionList: {
      auto* l = o.mutable_session_list();
      for (std::uint32_t i = 0; i < 2; ++i) {
        auto* e = l->add_entries();
        e->set_hagent_session(100 + i);
        e->set_hagent(7);
        e->set_group_id(guid(static_cast<unsigned char>(i * 16)));
        e->set_working_address_id(i);
      }
      l->set_num_entries(2);
      break;
    }
    case OutputKind::kGroupList: {
      auto* l = o.mutable_group_list();
      auto* a = l->add_entries();
      a->set_group_id(guid(1));
      a->set_name("Sales");
      auto* b = l->add_entries();
      b->set_group_id(guid(2));
      b->set_name("Support Zo\xC3\xAB");
      auto* c = l->add_entries();
      c->set_group_id(guid(3));
      c->set_name("QA");
      l->set_num_entries(3);
      break;
    }
    case OutputKind::kActivityList: {
      auto* l = o.mutable_activity_list();
      auto* a = l->add_entries();
      a->set_id(10);
      a->set_name("Lunch");
      auto* b = l->add_entries();
      b->set_id(11);  // no name
      l->set_num_entries(2);
      break;
    }
    case OutputKind::kQueueList: {
      auto* l = o.mutable_queue_list();
      auto* a = l->add_entries();
      a->set_queue_id(1);
      a->set_name("Hotline \xE2\x82\xAC");
      auto* b = l->add_entries();
      b->set_queue_id(2);
      b->set_name("");
      l->set_num_entries(2);
      break;
    }
    case OutputKind::kAgentCaps: {
      auto* c = o.mutable_agent_caps();
      c->set_handler_info("opentapi virtual ACD 0.1");
      c->set_caps_version(0x00020002);
      c->set_features(0x3F);
      c->set_states(0x3FF);
      c->set_next_states(0x1FF);
      c->set_max_num_group_entries(4);
      c->set_agent_status_messages(0x1FF);
      c->add_extension_ids(guid(0x40));
      c->add_extension_ids(guid(0x50));
      c->set_num_extension_ids(2);
      c->set_proxy_guid(guid(0x60));
      break;
    }
    case OutputKind::kAgentStatus: {
      auto* s = o.mutable_agent_status();
      auto* g = s->add_groups();
      g->set_group_id(guid(5));
      g->set_name("Sales");
      auto* h = s->add_groups();
      h->set_group_id(guid(6));
      s->set_num_entries(2);
      s->set_state(LINEAGENTSTATE_READY);
      s->set_next_state(LINEAGENTSTATE_WORKINGAFTERCALL);
      s->set_activity_id(10);
      s->set_activity("Lunch");
      s->set_agent_features(0x3F);
      s->set_valid_states(0x6);
      s->set_valid_next_states(0x84);
      break;
    }
    default:
      break;
  }
  return o;
}

// The data of `o` without the transport fields, for comparisons.
std::string data_of(AgentOutput o) {
  o.clear_proxy_needed_size();
  o.clear_missing_bytes();
  o.clear_proxy_wide();
  return o.SerializeAsString();
}

// Writes `o` the way a proxy would fill it: into the embedded structure of a
// freshly built request whose client offered `total` bytes.
client::ProxyRequestBuffer filled_request(OutputKind kind, const AgentOutput& o, std::uint32_t total, Charset cs) {
  AgentCall call;
  call.set_group_id(guid(9));  // GETQUEUELIST needs one
  auto b = build_proxy_request(type_of(kind), call, total, ClientIdentity{"pc1", "alice", 0x00030000}, cs);
  EXPECT_TRUE(b);
  if (!b) return {};
  EXPECT_TRUE(write_caller_output(kind, o, b->data.get() + b->output_offset, b->output_room, cs));
  return std::move(*b);
}

std::uint32_t full_size(OutputKind kind, const AgentOutput& o, Charset cs) {
  std::vector<unsigned char> big(64 * 1024);
  put32(big.data(), 0, static_cast<std::uint32_t>(big.size()));
  EXPECT_TRUE(write_caller_output(kind, o, big.data(), static_cast<std::uint32_t>(big.size()), cs));
  return get32(big.data(), 4);
}

// ---------------------------------------------------------------------------

TEST(AgentCodec, EveryStructureRoundTripsThroughAProxyInBothCharsets) {
  for (const OutputKind kind : kStructureKinds) {
    for (const Charset proxy : kBoth) {
      for (const Charset caller : kBoth) {
        SCOPED_TRACE(testing::Message() << "kind " << static_cast<int>(kind) << " proxy " << name(proxy) << " caller "
                                        << name(caller));
        const AgentOutput in = sample(kind);
        const auto req = filled_request(kind, in, 4096, proxy);
        AgentOutput parsed;
        ASSERT_EQ(parse_proxy_output(req, &parsed), 0);
        EXPECT_EQ(data_of(parsed), data_of(in));
        EXPECT_EQ(parsed.missing_bytes(), 0u);

        // And on to the caller, then back again: nothing is lost.
        std::vector<unsigned char> out(4096, 0xCD);
        put32(out.data(), 0, 4096);
        ASSERT_TRUE(write_caller_output(kind, parsed, out.data(), 4096, caller));
        EXPECT_EQ(get32(out.data(), 0), 4096u) << "dwTotalSize must stay";
        EXPECT_EQ(get32(out.data(), 4), get32(out.data(), 8)) << "everything fitted";
        EXPECT_EQ(get32(out.data(), 4), full_size(kind, in, caller));
        client::ProxyRequestBuffer again;
        again.data.reset(new unsigned char[4096]);
        std::memcpy(again.data.get(), out.data(), 4096);
        again.size = 4096;
        again.output_room = 4096;
        again.request_type = type_of(kind);
        again.wide = caller == Charset::kWide;
        AgentOutput reparsed;
        ASSERT_EQ(parse_proxy_output(again, &reparsed), 0);
        EXPECT_EQ(data_of(reparsed), data_of(in));
      }
    }
  }
}

TEST(AgentCodec, WritesExactlyTheDocumentedLayout) {
  // LINEAGENTGROUPLIST in W: header, 3 entries, then names in entry order,
  // offsets relative to the list, sizes in bytes with the NUL.
  std::vector<unsigned char> out(512);
  put32(out.data(), 0, 512);
  ASSERT_TRUE(
      write_caller_output(OutputKind::kGroupList, sample(OutputKind::kGroupList), out.data(), 512, Charset::kWide));
  const auto* list = reinterpret_cast<const LINEAGENTGROUPLIST*>(out.data());
  EXPECT_EQ(list->dwNumEntries, 3u);
  EXPECT_EQ(list->dwListSize, 3 * sizeof(LINEAGENTGROUPENTRY));
  EXPECT_EQ(list->dwListOffset, sizeof(LINEAGENTGROUPLIST));
  const auto* e = reinterpret_cast<const LINEAGENTGROUPENTRY*>(out.data() + list->dwListOffset);
  EXPECT_EQ(std::memcmp(&e[1].GroupID, guid(2).data(), 16), 0);
  EXPECT_EQ(e[0].dwNameOffset, 24u + 72u);
  EXPECT_EQ(e[0].dwNameSize, 4u * 6);  // "Sales" + NUL
  EXPECT_EQ(e[1].dwNameOffset, 24u + 72u + 24u);
  EXPECT_EQ(e[1].dwNameSize, 4u * 12);  // "Support Zoë" + NUL
  EXPECT_EQ(std::wstring(reinterpret_cast<const wchar_t*>(out.data() + e[1].dwNameOffset)), L"Support Zo\u00EB");
  EXPECT_EQ(list->dwUsedSize, 24u + 72u + 24u + 48u + 12u);
  EXPECT_EQ(list->dwNeededSize, list->dwUsedSize);
}

TEST(AgentCodec, ArrayThatDoesNotFitIsLeftEmptyButTheCountStays) {
  const AgentOutput o = sample(OutputKind::kGroupList);
  std::vector<unsigned char> out(24 + 10, 0);
  put32(out.data(), 0, 34);
  ASSERT_TRUE(write_caller_output(OutputKind::kGroupList, o, out.data(), 34, Charset::kAnsi));
  const auto* list = reinterpret_cast<const LINEAGENTGROUPLIST*>(out.data());
  EXPECT_EQ(list->dwNumEntries, 3u);
  EXPECT_EQ(list->dwListSize, 0u);
  EXPECT_EQ(list->dwListOffset, 0u);
  EXPECT_EQ(list->dwUsedSize, 24u);
  EXPECT_EQ(list->dwNeededSize, 24u + 72u + 6u + 13u + 3u);
}

TEST(AgentCodec, NamesThatDoNotFitAreLeftEmptyAndLaterOnesMayStillFit) {
  const AgentOutput o = sample(OutputKind::kGroupList);
  const std::uint32_t total = 24 + 72 + 6 + 3;  // room for "Sales" and "QA", not "Support Zoë"
  std::vector<unsigned char> out(total + 16, 0xCD);
  put32(out.data(), 0, total);
  ASSERT_TRUE(write_caller_output(OutputKind::kGroupList, o, out.data(), total, Charset::kAnsi));
  const auto* list = reinterpret_cast<const LINEAGENTGROUPLIST*>(out.data());
  const auto* e = reinterpret_cast<const LINEAGENTGROUPENTRY*>(out.data() + list->dwListOffset);
  EXPECT_EQ(read_string(out.data(), e[0].dwNameSize, e[0].dwNameOffset, Charset::kAnsi), "Sales");
  EXPECT_EQ(e[1].dwNameSize, 0u);
  EXPECT_EQ(e[1].dwNameOffset, 0u);
  EXPECT_EQ(read_string(out.data(), e[2].dwNameSize, e[2].dwNameOffset, Charset::kAnsi), "QA");
  EXPECT_EQ(list->dwUsedSize, total);
  EXPECT_EQ(list->dwNeededSize, total + 13u);
  for (std::uint32_t i = total; i < out.size(); ++i) EXPECT_EQ(out[i], 0xCD);
}

TEST(AgentCodec, AgentStatusKeepsItsActivityWhenTheGroupsDoNotFit) {
  const AgentOutput o = sample(OutputKind::kAgentStatus);
  const std::uint32_t total = sizeof(LINEAGENTSTATUS) + 6;  // "Lunch" only
  std::vector<unsigned char> out(total, 0);
  put32(out.data(), 0, total);
  ASSERT_TRUE(write_caller_output(OutputKind::kAgentStatus, o, out.data(), total, Charset::kAnsi));
  const auto* s = reinterpret_cast<const LINEAGENTSTATUS*>(out.data());
  EXPECT_EQ(s->dwNumEntries, 2u);
  EXPECT_EQ(s->dwGroupListSize, 0u);
  EXPECT_EQ(s->dwGroupListOffset, 0u);
  EXPECT_EQ(read_string(out.data(), s->dwActivitySize, s->dwActivityOffset, Charset::kAnsi), "Lunch");
  EXPECT_EQ(s->dwState, LINEAGENTSTATE_READY);
  EXPECT_EQ(s->dwNeededSize, sizeof(LINEAGENTSTATUS) + 48u + 6u + 6u);
}

TEST(AgentCodec, NeverWritesAtOrBeyondTotalSizeWhateverTheSize) {
  for (const OutputKind kind : kStructureKinds) {
    for (const Charset cs : kBoth) {
      const AgentOutput o = sample(kind);
      const std::uint32_t full = full_size(kind, o, cs);
      for (std::uint32_t total = fixed_size(kind); total <= full + 8; ++total) {
        std::vector<unsigned char> out(full + 64, 0xCD);
        put32(out.data(), 0, total);
        ASSERT_TRUE(write_caller_output(kind, o, out.data(), total, cs));
        for (std::size_t i = total; i < out.size(); ++i) {
          ASSERT_EQ(out[i], 0xCD) << "kind " << static_cast<int>(kind) << " total " << total << " byte " << i;
        }
        EXPECT_EQ(get32(out.data(), 4), full);
        EXPECT_LE(get32(out.data(), 8), total);
        // Whatever was placed is well-formed: a strict reader accepts it.
        client::ProxyRequestBuffer b;
        b.data.reset(new unsigned char[total]);
        std::memcpy(b.data.get(), out.data(), total);
        b.size = b.output_room = total;
        b.request_type = type_of(kind);
        b.wide = cs == Charset::kWide;
        AgentOutput back;
        ASSERT_EQ(parse_proxy_output(b, &back), 0) << "kind " << static_cast<int>(kind) << " total " << total;
      }
    }
  }
}

TEST(AgentCodec, RefusesToWriteMalformedOutput) {
  std::vector<unsigned char> out(256, 0xCD);
  put32(out.data(), 0, 256);
  AgentOutput wrong_kind = sample(OutputKind::kAgentInfo);
  EXPECT_FALSE(write_caller_output(OutputKind::kGroupList, wrong_kind, out.data(), 256, Charset::kAnsi));
  AgentOutput bad_guid = sample(OutputKind::kGroupList);
  bad_guid.mutable_group_list()->mutable_entries(0)->set_group_id("short");
  EXPECT_FALSE(write_caller_output(OutputKind::kGroupList, bad_guid, out.data(), 256, Charset::kAnsi));
  AgentOutput bad_text = sample(OutputKind::kQueueList);
  bad_text.mutable_queue_list()->mutable_entries(0)->set_name("\xFF");
  EXPECT_FALSE(write_caller_output(OutputKind::kQueueList, bad_text, out.data(), 256, Charset::kWide));
  EXPECT_EQ(out[4], 0xCD) << "nothing written";
}

// ---- dwNeededSize across character sets ----

TEST(AgentCodec, CompleteAnsiProxyGivesAWideCallerTheExactNeededSize) {
  const AgentOutput in = sample(OutputKind::kGroupList);
  const auto req = filled_request(OutputKind::kGroupList, in, 4096, Charset::kAnsi);
  AgentOutput parsed;
  ASSERT_EQ(parse_proxy_output(req, &parsed), 0);
  std::vector<unsigned char> out(100);
  put32(out.data(), 0, 100);
  ASSERT_TRUE(write_caller_output(OutputKind::kGroupList, parsed, out.data(), 100, Charset::kWide));
  EXPECT_EQ(get32(out.data(), 4), full_size(OutputKind::kGroupList, in, Charset::kWide));
}

TEST(AgentCodec, IncompleteWideProxyGivesAnAnsiCallerAnUpperBound) {
  const AgentOutput in = sample(OutputKind::kGroupList);
  // The A caller offered exactly what it needs in A; in W the names do not fit.
  const std::uint32_t a_full = full_size(OutputKind::kGroupList, in, Charset::kAnsi);
  const auto req = filled_request(OutputKind::kGroupList, in, a_full, Charset::kWide);
  AgentOutput parsed;
  ASSERT_EQ(parse_proxy_output(req, &parsed), 0);
  EXPECT_GT(parsed.proxy_needed_size(), a_full);
  EXPECT_GT(parsed.missing_bytes(), 0u);
  std::vector<unsigned char> out(a_full);
  put32(out.data(), 0, a_full);
  ASSERT_TRUE(write_caller_output(OutputKind::kGroupList, parsed, out.data(), a_full, Charset::kAnsi));
  // In W only "QA" fitted after the array. Present data in A plus the
  // proxy's missing W bytes: never less than the truth.
  EXPECT_EQ(parsed.group_list().entries(2).name(), "QA");
  EXPECT_FALSE(parsed.group_list().entries(0).has_name());
  EXPECT_GE(get32(out.data(), 4), a_full);
  EXPECT_EQ(get32(out.data(), 4), 24u + 72u + 3u + parsed.missing_bytes());
}

TEST(AgentCodec, IncompleteAnsiProxyScalesTheMissingBytesForAWideCaller) {
  const AgentOutput in = sample(OutputKind::kActivityList);
  const auto req = filled_request(OutputKind::kActivityList, in, 24 + 24, Charset::kAnsi);  // array, no names
  AgentOutput parsed;
  ASSERT_EQ(parse_proxy_output(req, &parsed), 0);
  EXPECT_EQ(parsed.missing_bytes(), 6u);  // "Lunch"
  std::vector<unsigned char> out(48);
  put32(out.data(), 0, 48);
  ASSERT_TRUE(write_caller_output(OutputKind::kActivityList, parsed, out.data(), 48, Charset::kWide));
  EXPECT_EQ(get32(out.data(), 4), 48u + 4 * 6u);
  EXPECT_GE(get32(out.data(), 4), full_size(OutputKind::kActivityList, in, Charset::kWide));
}

// ---- malformed proxy output ----

class MalformedProxyOutput : public testing::Test {
 protected:
  void SetUp() override {
    req_ = filled_request(OutputKind::kGroupList, sample(OutputKind::kGroupList), 512, Charset::kAnsi);
    AgentOutput ok;
    ASSERT_EQ(parse_proxy_output(req_, &ok), 0);
  }
  unsigned char* list() { return req_.data.get() + req_.output_offset; }
  LONG parse() {
    AgentOutput o;
    return parse_proxy_output(req_, &o);
  }
  client::ProxyRequestBuffer req_;
};

TEST_F(MalformedProxyOutput, UsedSizeBeyondTheRoom) {
  put32(list(), 8, 513);
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, UsedSizeBelowTheFixedPart) {
  put32(list(), 8, 10);
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, NeededSizeBelowUsedSize) {
  put32(list(), 4, get32(list(), 8) - 1);
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, ArrayInsideTheFixedPart) {
  put32(list(), offsetof(LINEAGENTGROUPLIST, dwListOffset), 8);
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, ArraySizeNotCountTimesElementSize) {
  put32(list(), offsetof(LINEAGENTGROUPLIST, dwListSize), 71);
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
  put32(list(), offsetof(LINEAGENTGROUPLIST, dwListSize), 72);
  put32(list(), offsetof(LINEAGENTGROUPLIST, dwNumEntries), 0x40000003);  // 0x40000003 * 24 wraps to 72
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, FieldPastUsedSizeOrWrappingAround) {
  const std::uint32_t e0 = get32(list(), offsetof(LINEAGENTGROUPLIST, dwListOffset));
  put32(list(), e0 + offsetof(LINEAGENTGROUPENTRY, dwNameOffset), get32(list(), 8));
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
  put32(list(), e0 + offsetof(LINEAGENTGROUPENTRY, dwNameOffset), 0xFFFFFFF0u);
  put32(list(), e0 + offsetof(LINEAGENTGROUPENTRY, dwNameSize), 0x20);
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, StringWithoutItsNul) {
  const std::uint32_t e0 = get32(list(), offsetof(LINEAGENTGROUPLIST, dwListOffset));
  const std::uint32_t off = get32(list(), e0 + offsetof(LINEAGENTGROUPENTRY, dwNameOffset));
  list()[off + 5] = 'X';  // "SalesX", no NUL
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST_F(MalformedProxyOutput, TextThatIsNotUtf8) {
  const std::uint32_t e0 = get32(list(), offsetof(LINEAGENTGROUPLIST, dwListOffset));
  const std::uint32_t off = get32(list(), e0 + offsetof(LINEAGENTGROUPENTRY, dwNameOffset));
  list()[off] = 0xFF;
  EXPECT_EQ(parse(), LINEERR_INVALPARAM);
}

TEST(AgentCodec, WideStringWithAnOddSizeIsRejected) {
  auto req = filled_request(OutputKind::kAgentCaps, sample(OutputKind::kAgentCaps), 512, Charset::kWide);
  unsigned char* caps = req.data.get() + req.output_offset;
  put32(caps, offsetof(LINEAGENTCAPS, dwAgentHandlerInfoSize),
        get32(caps, offsetof(LINEAGENTCAPS, dwAgentHandlerInfoSize)) - 2);
  AgentOutput o;
  EXPECT_EQ(parse_proxy_output(req, &o), LINEERR_INVALPARAM);
}

TEST(AgentCodec, ProxyThatLeftEverythingZeroIsRejected) {
  AgentCall call;
  auto req = build_proxy_request(LINEPROXYREQUEST_GETAGENTINFO, call, sizeof(LINEAGENTINFO), {}, Charset::kAnsi);
  ASSERT_TRUE(req);
  AgentOutput o;
  EXPECT_EQ(parse_proxy_output(*req, &o), LINEERR_INVALPARAM) << "dwUsedSize 0";
}

TEST(AgentCodec, RandomlyCorruptedProxyOutputNeverReadsOutOfBounds) {
  // Seeded: deterministic. Under ASan any out-of-bounds read fails the test.
  std::mt19937 rng(20240611);
  for (const OutputKind kind : kStructureKinds) {
    for (const Charset cs : kBoth) {
      for (int round = 0; round < 300; ++round) {
        auto req = filled_request(kind, sample(kind), 64 + static_cast<std::uint32_t>(rng() % 400), cs);
        unsigned char* s = req.data.get() + req.output_offset;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) {
          const auto pos = static_cast<std::uint32_t>(rng() % req.output_room);
          s[pos & ~3u] = static_cast<unsigned char>(rng());  // hit size/offset fields often
        }
        AgentOutput o;
        const LONG rc = parse_proxy_output(req, &o);
        EXPECT_TRUE(rc == 0 || rc == LINEERR_INVALPARAM);
        if (rc == 0) {
          // Whatever passed is writable for a caller of any size.
          std::vector<unsigned char> out(fixed_size(kind) + 100);
          EXPECT_TRUE(write_caller_output(kind, o, out.data(), static_cast<std::uint32_t>(out.size()), cs));
        }
      }
    }
  }
}

// ---- building LINEPROXYREQUEST ----

TEST(AgentCodec, BuildsTheRequestHeaderAndClientStrings) {
  for (const Charset cs : kBoth) {
    AgentCall call;
    call.set_hagent_session(77);
    call.set_state(LINEAGENTSESSIONSTATE_READY);
    auto b = build_proxy_request(LINEPROXYREQUEST_SETAGENTSESSIONSTATE, call, 0,
                                 ClientIdentity{"workstation-7", "J\xC3\xB6rg", 0x00020002}, cs);
    ASSERT_TRUE(b);
    const auto* r = reinterpret_cast<const LINEPROXYREQUEST*>(b->data.get());
    EXPECT_EQ(r->dwSize, b->size);
    EXPECT_GE(r->dwSize, sizeof(LINEPROXYREQUEST));
    EXPECT_EQ(r->dwRequestType, LINEPROXYREQUEST_SETAGENTSESSIONSTATE);
    EXPECT_EQ(r->dwClientAppAPIVersion, 0x00020002u);
    EXPECT_EQ(r->SetAgentSessionState.hAgentSession, 77u);
    EXPECT_EQ(r->SetAgentSessionState.dwAgentSessionState, LINEAGENTSESSIONSTATE_READY);
    EXPECT_EQ(r->SetAgentSessionState.dwNextAgentSessionState, 0u);
    EXPECT_GE(r->dwClientMachineNameOffset, sizeof(LINEPROXYREQUEST));
    EXPECT_EQ(r->dwClientMachineNameOffset % 4, 0u);
    EXPECT_EQ(read_string(b->data.get(), r->dwClientMachineNameSize, r->dwClientMachineNameOffset, cs),
              "workstation-7");
    EXPECT_EQ(read_string(b->data.get(), r->dwClientUserNameSize, r->dwClientUserNameOffset, cs), "J\xC3\xB6rg");
    EXPECT_LE(r->dwClientUserNameOffset + r->dwClientUserNameSize, r->dwSize);
  }
}

TEST(AgentCodec, EmbeddedOutputGetsTheClientsTotalSizeAndDwSizeFollowsTheFormula) {
  AgentCall call;
  call.set_address_id(3);
  auto b = build_proxy_request(LINEPROXYREQUEST_GETAGENTSTATUS, call, 200, ClientIdentity{"m", "u", 0}, Charset::kAnsi);
  ASSERT_TRUE(b);
  const auto* r = reinterpret_cast<const LINEPROXYREQUEST*>(b->data.get());
  EXPECT_EQ(r->GetAgentStatus.dwAddressID, 3u);
  EXPECT_EQ(b->output_offset, offsetof(LINEPROXYREQUEST, GetAgentStatus.AgentStatus));
  EXPECT_EQ(r->GetAgentStatus.AgentStatus.dwTotalSize, 200u);
  EXPECT_EQ(r->GetAgentStatus.AgentStatus.dwNeededSize, 0u);
  EXPECT_EQ(r->GetAgentStatus.AgentStatus.dwUsedSize, 0u);
  EXPECT_EQ(r->GetAgentStatus.AgentStatus.dwGroupListOffset, 0u);
  // §5.8: 28 + member fixed (4 + 56) + (200 - 56), then the two names ("m", "u").
  EXPECT_EQ(r->dwClientMachineNameOffset, 28u + 4u + 200u);
  EXPECT_EQ(r->dwSize, 28u + 4u + 200u + 2u + 2u);
}

TEST(AgentCodec, OutputRoomIsCappedNotTheClientsFigure) {
  auto b = build_proxy_request(LINEPROXYREQUEST_GETGROUPLIST, {}, 0xFFFFFFFFu, {}, Charset::kWide);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->output_room, kMaxOutputRoom);
  const auto* r = reinterpret_cast<const LINEPROXYREQUEST*>(b->data.get());
  EXPECT_EQ(r->GetGroupList.GroupList.dwTotalSize, kMaxOutputRoom);
}

TEST(AgentCodec, CreateAgentStringsAreRelativeToTheRequestInTheProxysCharset) {
  AgentCall call;
  call.set_agent_id("4711");
  auto b = build_proxy_request(LINEPROXYREQUEST_CREATEAGENT, call, 0, {"m", "u", 0}, Charset::kWide);
  ASSERT_TRUE(b);
  auto* r = reinterpret_cast<LINEPROXYREQUEST*>(b->data.get());
  EXPECT_EQ(r->CreateAgent.dwAgentIDSize, 4u * 5);
  EXPECT_EQ(std::wstring(reinterpret_cast<const wchar_t*>(b->data.get() + r->CreateAgent.dwAgentIDOffset)), L"4711");
  EXPECT_EQ(r->CreateAgent.dwAgentPINSize, 0u) << "NULL PIN stays absent";
  EXPECT_EQ(r->CreateAgent.dwAgentPINOffset, 0u);
  r->CreateAgent.hAgent = 0xA6E27;
  AgentOutput o;
  ASSERT_EQ(parse_proxy_output(*b, &o), 0);
  EXPECT_EQ(o.hagent(), 0xA6E27u);
}

TEST(AgentCodec, CreateAgentSessionCarriesGroupAndReturnsTheSessionHandle) {
  AgentCall call;
  call.set_hagent(5);
  call.set_agent_pin("");
  call.set_working_address_id(2);
  call.set_group_id(guid(0x70));
  auto b = build_proxy_request(LINEPROXYREQUEST_CREATEAGENTSESSION, call, 0, {}, Charset::kAnsi);
  ASSERT_TRUE(b);
  auto* r = reinterpret_cast<LINEPROXYREQUEST*>(b->data.get());
  EXPECT_EQ(r->CreateAgentSession.hAgent, 5u);
  EXPECT_EQ(r->CreateAgentSession.dwWorkingAddressID, 2u);
  EXPECT_EQ(std::memcmp(&r->CreateAgentSession.GroupID, guid(0x70).data(), 16), 0);
  EXPECT_EQ(r->CreateAgentSession.dwAgentPINSize, 1u) << "\"\" is a NUL, not absent";
  r->CreateAgentSession.hAgentSession = 99;
  AgentOutput o;
  ASSERT_EQ(parse_proxy_output(*b, &o), 0);
  EXPECT_EQ(o.hagent_session(), 99u);
}

TEST(AgentCodec, SetAgentGroupDeliversAnInputListOfIds) {
  AgentCall call;
  call.set_address_id(1);
  call.add_groups()->set_group_id(guid(1));
  call.add_groups()->set_group_id(guid(2));
  auto b = build_proxy_request(LINEPROXYREQUEST_SETAGENTGROUP, call, 0, {}, Charset::kAnsi);
  ASSERT_TRUE(b);
  const auto* r = reinterpret_cast<const LINEPROXYREQUEST*>(b->data.get());
  const LINEAGENTGROUPLIST& list = r->SetAgentGroup.GroupList;
  EXPECT_EQ(list.dwNumEntries, 2u);
  EXPECT_EQ(list.dwListSize, 48u);
  EXPECT_EQ(list.dwListOffset, 24u);
  EXPECT_EQ(list.dwTotalSize, 72u);
  const auto* e = reinterpret_cast<const LINEAGENTGROUPENTRY*>(reinterpret_cast<const unsigned char*>(&list) + 24);
  EXPECT_EQ(std::memcmp(&e[1].GroupID, guid(2).data(), 16), 0);
  EXPECT_EQ(e[1].dwNameSize, 0u);
  EXPECT_LE(offsetof(LINEPROXYREQUEST, SetAgentGroup.GroupList) + 72u, r->dwClientMachineNameOffset);
}

TEST(AgentCodec, AgentSpecificParamsAreInOut) {
  AgentCall call;
  call.set_params(std::string("ping\0\0\0\0", 8));
  call.set_extension_index(1);
  auto b = build_proxy_request(LINEPROXYREQUEST_AGENTSPECIFIC, call, 8, {}, Charset::kAnsi);
  ASSERT_TRUE(b);
  auto* r = reinterpret_cast<LINEPROXYREQUEST*>(b->data.get());
  EXPECT_EQ(r->AgentSpecific.dwSize, 8u);
  EXPECT_EQ(r->AgentSpecific.dwAgentExtensionIDIndex, 1u);
  EXPECT_EQ(std::memcmp(r->AgentSpecific.Params, "ping", 4), 0);
  std::memcpy(r->AgentSpecific.Params, "pong!!!", 8);
  AgentOutput o;
  ASSERT_EQ(parse_proxy_output(*b, &o), 0);
  EXPECT_EQ(o.params(), std::string("pong!!!\0", 8));
}

TEST(AgentCodec, RefusesToBuildFromBadCalls) {
  EXPECT_FALSE(build_proxy_request(0, {}, 0, {}, Charset::kAnsi));
  EXPECT_FALSE(build_proxy_request(0x15, {}, 0, {}, Charset::kAnsi));
  AgentCall short_guid;
  short_guid.set_group_id("x");
  EXPECT_FALSE(build_proxy_request(LINEPROXYREQUEST_GETQUEUELIST, short_guid, 24, {}, Charset::kAnsi));
  AgentCall bad_text;
  bad_text.set_agent_id("\xC0\x80");
  EXPECT_FALSE(build_proxy_request(LINEPROXYREQUEST_CREATEAGENT, bad_text, 0, {}, Charset::kWide));
}

// ---- caller inputs ----

TEST(AgentCodec, ProxyRequestTypesFromCallParams) {
  std::vector<unsigned char> buf(sizeof(LINECALLPARAMS) + 12, 0);
  auto* p = reinterpret_cast<LINECALLPARAMS*>(buf.data());
  p->dwTotalSize = static_cast<DWORD>(buf.size());
  p->dwDevSpecificSize = 12;
  p->dwDevSpecificOffset = sizeof(LINECALLPARAMS);
  put32(buf.data(), sizeof(LINECALLPARAMS), LINEPROXYREQUEST_SETAGENTSESSIONSTATE);
  put32(buf.data(), sizeof(LINECALLPARAMS) + 4, LINEPROXYREQUEST_SETAGENTGROUP);
  put32(buf.data(), sizeof(LINECALLPARAMS) + 8, LINEPROXYREQUEST_SETAGENTSTATEEX);
  std::vector<std::uint32_t> types;
  ASSERT_EQ(read_proxy_request_types(p, &types), 0);
  EXPECT_EQ(types, (std::vector<std::uint32_t>{0x0E, 0x01, 0x14}));

  EXPECT_EQ(read_proxy_request_types(nullptr, &types), LINEERR_INVALPARAM);
  put32(buf.data(), sizeof(LINECALLPARAMS) + 8, 0x15);
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_INVALPARAM);
  put32(buf.data(), sizeof(LINECALLPARAMS) + 8, 0);
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_INVALPARAM);
  put32(buf.data(), sizeof(LINECALLPARAMS) + 8, 1);
  p->dwDevSpecificSize = 10;
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_INVALPARAM);
  p->dwDevSpecificSize = 0;
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_INVALPARAM);
  p->dwDevSpecificSize = 16;  // past dwTotalSize
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_INVALPARAM);
  p->dwDevSpecificSize = 12;
  p->dwTotalSize = 111;  // does not reach dwDevSpecificOffset's end (112)
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_STRUCTURETOOSMALL);
  p->dwTotalSize = 112;
  p->dwDevSpecificOffset = 100;
  p->dwDevSpecificSize = 12;
  EXPECT_EQ(read_proxy_request_types(p, &types), LINEERR_INVALPARAM) << "12 bytes at 100 pass 112";
}

TEST(AgentCodec, GroupIdsFromACallersList) {
  std::vector<unsigned char> buf(24 + 48, 0);
  auto* l = reinterpret_cast<LINEAGENTGROUPLIST*>(buf.data());
  l->dwTotalSize = 72;
  l->dwNumEntries = 2;
  l->dwListSize = 48;
  l->dwListOffset = 24;
  std::memcpy(buf.data() + 24, guid(1).data(), 16);
  std::memcpy(buf.data() + 48, guid(2).data(), 16);
  AgentCall call;
  ASSERT_EQ(read_group_ids(l, &call), 0);
  ASSERT_EQ(call.groups_size(), 2);
  EXPECT_EQ(call.groups(1).group_id(), guid(2));
  EXPECT_FALSE(call.groups(1).has_name());

  EXPECT_EQ(read_group_ids(nullptr, &call), 0);
  EXPECT_EQ(call.groups_size(), 0) << "NULL logs out of all groups";
  l->dwNumEntries = 3;
  EXPECT_EQ(read_group_ids(l, &call), LINEERR_INVALPARAM);
  l->dwNumEntries = 2;
  l->dwListOffset = 30;
  EXPECT_EQ(read_group_ids(l, &call), LINEERR_INVALPARAM);
  l->dwListOffset = 24;
  l->dwTotalSize = 20;
  EXPECT_EQ(read_group_ids(l, &call), LINEERR_INVALPARAM);
}

TEST(AgentCodec, OutputKindsAndFixedSizes) {
  EXPECT_EQ(output_kind(LINEPROXYREQUEST_SETAGENTSESSIONSTATE), OutputKind::kNone);
  EXPECT_EQ(output_kind(LINEPROXYREQUEST_GETGROUPLIST), OutputKind::kGroupList);
  EXPECT_EQ(output_kind(LINEPROXYREQUEST_GETAGENTGROUPLIST), OutputKind::kGroupList);
  EXPECT_FALSE(output_kind(0));
  EXPECT_FALSE(output_kind(0x15));
  EXPECT_EQ(fixed_size(OutputKind::kSessionInfo), 76u);
  EXPECT_EQ(fixed_size(OutputKind::kAgentCaps), 72u);
  EXPECT_EQ(fixed_size(OutputKind::kQueueList), 24u);
}

// LINEAGENTCAPS.ProxyGUID is a TAPI 2.2 member: a 2.0 or 2.1 caller's
// structure is 56 bytes, its variable part starts there and nothing is
// written where a 2.2 caller has ProxyGUID.
TEST(AgentCodec, AgentCapsOfACallerBelowTwoPointTwoEndsBeforeProxyGuid) {
  EXPECT_EQ(agent_caps_fixed_size(0x00020000), 56u);
  EXPECT_EQ(agent_caps_fixed_size(0x00020001), 56u);
  EXPECT_EQ(agent_caps_fixed_size(0x00020002), 72u);
  EXPECT_EQ(agent_caps_fixed_size(0x00030001), 72u);
  const AgentOutput o = sample(OutputKind::kAgentCaps);
  for (const Charset charset : kBoth) {
    std::vector<unsigned char> old_caps(512, 0);
    put32(old_caps.data(), 0, 512);
    ASSERT_TRUE(write_caller_output(OutputKind::kAgentCaps, o, old_caps.data(), 512, charset, 56));
    const auto* c = reinterpret_cast<const LINEAGENTCAPS*>(old_caps.data());
    EXPECT_EQ(c->dwUsedSize, c->dwNeededSize);
    EXPECT_EQ(c->dwAgentExtensionIDListOffset, 56u) << "the variable part starts after the 2.0 fixed part";
    EXPECT_EQ(c->dwAgentExtensionIDListSize, 32u);
    EXPECT_EQ(c->dwAgentHandlerInfoOffset, 88u);
    EXPECT_EQ(c->dwCapsVersion, 0x00020002u);

    std::vector<unsigned char> new_caps(512, 0);
    put32(new_caps.data(), 0, 512);
    ASSERT_TRUE(write_caller_output(OutputKind::kAgentCaps, o, new_caps.data(), 512, charset));
    EXPECT_EQ(get32(new_caps.data(), 4), c->dwNeededSize + 16) << "16 bytes of ProxyGUID more";

    // Exactly the 2.0 fixed part: a partial answer, nothing at byte 56 or beyond.
    std::vector<unsigned char> fixed(64, 0xEE);
    put32(fixed.data(), 0, 56);
    ASSERT_TRUE(write_caller_output(OutputKind::kAgentCaps, o, fixed.data(), 56, charset, 56));
    EXPECT_EQ(get32(fixed.data(), 4), c->dwNeededSize);
    EXPECT_EQ(get32(fixed.data(), 8), 56u);
    for (std::size_t i = 56; i < fixed.size(); ++i) EXPECT_EQ(fixed[i], 0xEE) << i;
    EXPECT_FALSE(write_caller_output(OutputKind::kAgentCaps, o, fixed.data(), 52, charset, 56));
  }
}

}  // namespace
}  // namespace opentapi::tapi2
