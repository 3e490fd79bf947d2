#include "acd/structures.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "acd/test_support.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

// A buffer standing for an embedded output structure with dwTotalSize = room,
// followed by guard bytes that must stay untouched.
struct Buffer {
  explicit Buffer(std::uint32_t room) : bytes(room + 64, 0xEE), room_(room) {
    std::memset(bytes.data(), 0, room);
    std::memcpy(bytes.data(), &room, 4);
  }
  OutputArea area() { return OutputArea{bytes.data(), room_}; }
  std::uint32_t at(std::uint32_t pos) const {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + pos, 4);
    return v;
  }
  bool guard_intact() const {
    for (std::size_t i = room_; i < bytes.size(); ++i) {
      if (bytes[i] != 0xEE) return false;
    }
    return true;
  }
  std::wstring wide(std::uint32_t size_pos, std::uint32_t base = 0) const {
    const std::uint32_t size = at(size_pos);
    const std::uint32_t off = at(size_pos + 4);
    if (size == 0) return L"<absent>";
    return std::wstring(reinterpret_cast<const wchar_t*>(bytes.data() + base + off), size / 4 - 1);
  }
  std::vector<unsigned char> bytes;
  std::uint32_t room_;
};

#define OFF(T, f) static_cast<std::uint32_t>(offsetof(T, f))

std::vector<GroupEntry> two_groups() { return {{testing::sales(), "Sales"}, {testing::support(), "Support"}}; }

TEST(StructuresGroupList, FitsCompletely) {
  using T = LINEAGENTGROUPLIST;
  using E = LINEAGENTGROUPENTRY;
  const std::uint32_t needed = sizeof(T) + 2 * sizeof(E) + (6 + 8) * 4;  // "Sales\0", "Support\0" in wchar_t
  Buffer b(needed);
  ASSERT_TRUE(fill_group_list(b.area(), two_groups(), Charset::kWide));
  EXPECT_EQ(b.at(OFF(T, dwNeededSize)), needed);
  EXPECT_EQ(b.at(OFF(T, dwUsedSize)), needed);
  EXPECT_EQ(b.at(OFF(T, dwNumEntries)), 2u);
  EXPECT_EQ(b.at(OFF(T, dwListSize)), 2 * sizeof(E));
  EXPECT_EQ(b.at(OFF(T, dwListOffset)), sizeof(T));
  const std::uint32_t e1 = sizeof(T) + sizeof(E);
  EXPECT_EQ(b.wide(e1 + OFF(E, dwNameSize)), L"Support");  // offsets relative to the list
  EXPECT_EQ(std::memcmp(b.bytes.data() + sizeof(T), testing::sales().bytes.data(), 16), 0);
  EXPECT_TRUE(b.guard_intact());
}

TEST(StructuresGroupList, ArrayButNotAllNamesFit) {
  using T = LINEAGENTGROUPLIST;
  using E = LINEAGENTGROUPENTRY;
  // Room for the array and "Sales" only: "Support" is left empty, never truncated.
  Buffer b(sizeof(T) + 2 * sizeof(E) + 6 * 4 + 10);
  ASSERT_TRUE(fill_group_list(b.area(), two_groups(), Charset::kWide));
  EXPECT_EQ(b.at(OFF(T, dwNeededSize)), sizeof(T) + 2 * sizeof(E) + (6 + 8) * 4);
  EXPECT_EQ(b.at(OFF(T, dwUsedSize)), sizeof(T) + 2 * sizeof(E) + 6 * 4);
  EXPECT_EQ(b.wide(sizeof(T) + OFF(E, dwNameSize)), L"Sales");
  EXPECT_EQ(b.at(sizeof(T) + sizeof(E) + OFF(E, dwNameSize)), 0u);
  EXPECT_EQ(b.at(sizeof(T) + sizeof(E) + OFF(E, dwNameOffset)), 0u);
  EXPECT_TRUE(b.guard_intact());
}

TEST(StructuresGroupList, HeaderOnlyKeepsTheCount) {
  using T = LINEAGENTGROUPLIST;
  Buffer b(sizeof(T));
  ASSERT_TRUE(fill_group_list(b.area(), two_groups(), Charset::kAnsi));
  EXPECT_EQ(b.at(OFF(T, dwNumEntries)), 2u);
  EXPECT_EQ(b.at(OFF(T, dwListSize)), 0u);
  EXPECT_EQ(b.at(OFF(T, dwListOffset)), 0u);
  EXPECT_EQ(b.at(OFF(T, dwUsedSize)), sizeof(T));
  EXPECT_EQ(b.at(OFF(T, dwNeededSize)), sizeof(T) + 2 * sizeof(LINEAGENTGROUPENTRY) + 6 + 8);
  EXPECT_TRUE(b.guard_intact());
}

TEST(StructuresGroupList, SmallerThanFixedPartIsRefused) {
  Buffer b(20);
  EXPECT_FALSE(fill_group_list(b.area(), two_groups(), Charset::kWide));
  EXPECT_EQ(b.at(4), sizeof(LINEAGENTGROUPLIST));  // dwNeededSize tells the caller
  EXPECT_TRUE(b.guard_intact());
}

TEST(StructuresSessionList, EntriesAndTooSmall) {
  using T = LINEAGENTSESSIONLIST;
  using E = LINEAGENTSESSIONENTRY;
  std::vector<SessionListEntry> s{{5, 2, testing::sales(), 1}, {6, 2, testing::support(), 3}};
  Buffer big(sizeof(T) + 2 * sizeof(E));
  ASSERT_TRUE(fill_session_list(big.area(), s));
  EXPECT_EQ(big.at(sizeof(T) + sizeof(E) + OFF(E, hAgentSession)), 6u);
  EXPECT_EQ(big.at(sizeof(T) + sizeof(E) + OFF(E, dwWorkingAddressID)), 3u);
  Buffer small(sizeof(T) + sizeof(E));  // one entry's room: the array is all or nothing
  ASSERT_TRUE(fill_session_list(small.area(), s));
  EXPECT_EQ(small.at(OFF(T, dwNumEntries)), 2u);
  EXPECT_EQ(small.at(OFF(T, dwListSize)), 0u);
  EXPECT_EQ(small.at(OFF(T, dwNeededSize)), sizeof(T) + 2 * sizeof(E));
  EXPECT_TRUE(small.guard_intact());
}

TEST(StructuresAgentCaps, HandlerInfoExtensionAndGuid) {
  using T = LINEAGENTCAPS;
  AgentCapsData caps;
  caps.handler_info = "opentapi virtual ACD 0.1.0";
  caps.caps_version = 0x00020002;
  caps.max_group_entries = 4;
  caps.extension_ids.push_back({1, 2, 3, 4});
  caps.proxy_guid[0] = 0xAB;
  Buffer b(512);
  ASSERT_TRUE(fill_agent_caps(b.area(), caps, Charset::kWide));
  EXPECT_EQ(b.wide(OFF(T, dwAgentHandlerInfoSize)), L"opentapi virtual ACD 0.1.0");
  EXPECT_EQ(b.at(OFF(T, dwNumAgentExtensionIDs)), 1u);
  EXPECT_EQ(b.at(OFF(T, dwAgentExtensionIDListSize)), 16u);
  EXPECT_EQ(b.at(b.at(OFF(T, dwAgentExtensionIDListOffset)) + 12), 4u);
  EXPECT_EQ(b.bytes[OFF(T, ProxyGUID)], 0xAB);
  EXPECT_EQ(b.at(OFF(T, dwCapsVersion)), 0x00020002u);
  EXPECT_EQ(b.at(OFF(T, dwMaxNumGroupEntries)), 4u);
  EXPECT_EQ(b.at(OFF(T, dwNeededSize)), sizeof(T) + 16 + (26 + 1) * 4);

  // Room for the extension list only: the string is left out.
  Buffer small(sizeof(T) + 16 + 8);
  caps.include_proxy_guid = false;
  ASSERT_TRUE(fill_agent_caps(small.area(), caps, Charset::kWide));
  EXPECT_EQ(small.at(OFF(T, dwAgentHandlerInfoSize)), 0u);
  EXPECT_EQ(small.at(OFF(T, dwAgentExtensionIDListSize)), 16u);
  EXPECT_EQ(small.bytes[OFF(T, ProxyGUID)], 0);
  EXPECT_TRUE(small.guard_intact());
}

TEST(StructuresAgentStatus, GroupsWithNamesAndActivity) {
  using T = LINEAGENTSTATUS;
  using E = LINEAGENTGROUPENTRY;
  core::AddressAgentStatus s;
  s.groups = {testing::support()};
  s.state = LINEAGENTSTATE_READY;
  s.activity_id = 2;
  s.valid_states = 6;
  Buffer b(256);
  ASSERT_TRUE(fill_agent_status(b.area(), s, two_groups(), "Email", Charset::kWide));
  EXPECT_EQ(b.at(OFF(T, dwNumEntries)), 1u);
  EXPECT_EQ(b.wide(b.at(OFF(T, dwGroupListOffset)) + OFF(E, dwNameSize)), L"Support");
  EXPECT_EQ(b.wide(OFF(T, dwActivitySize)), L"Email");
  EXPECT_EQ(b.at(OFF(T, dwState)), LINEAGENTSTATE_READY);
  EXPECT_EQ(b.at(OFF(T, dwActivityID)), 2u);
  EXPECT_NE(b.at(OFF(T, dwAgentFeatures)) & LINEAGENTFEATURE_AGENTSPECIFIC, 0u);
}

TEST(StructuresFixed, SessionInfoWritesEveryField) {
  using T = LINEAGENTSESSIONINFO;
  core::AgentSessionInfo i;
  i.agent_session_state = 2;
  i.session_start_time = 45000.5;
  i.number_of_calls = 3;
  i.acd_call_rate = 125000;
  i.average_time_to_answer = 9;
  Buffer b(sizeof(T));
  ASSERT_TRUE(fill_session_info(b.area(), i));
  EXPECT_EQ(b.at(OFF(T, dwNeededSize)), sizeof(T));
  EXPECT_EQ(b.at(OFF(T, dwUsedSize)), sizeof(T));
  EXPECT_EQ(b.at(OFF(T, dwAgentSessionState)), 2u);
  EXPECT_EQ(b.at(OFF(T, dwNumberOfCalls)), 3u);
  EXPECT_EQ(b.at(OFF(T, dwAverageTimeToAnswer)), 9u);
  double date = 0;
  std::memcpy(&date, b.bytes.data() + OFF(T, dateSessionStartTime), 8);
  EXPECT_EQ(date, 45000.5);
  std::int64_t rate = 0;
  std::memcpy(&rate, b.bytes.data() + OFF(T, cyACDCallRate), 8);
  EXPECT_EQ(rate, 125000);
  Buffer small(sizeof(T) - 4);
  EXPECT_FALSE(fill_session_info(small.area(), i));
  EXPECT_TRUE(small.guard_intact());
}

TEST(StructuresText, EncodesAndDecodesBothCharsets) {
  const std::string wide = encode_text("Zoë", Charset::kWide);
  EXPECT_EQ(wide.size(), 4u * 4);
  auto back = decode_text(reinterpret_cast<const unsigned char*>(wide.data()), wide.size(),
                          static_cast<std::uint32_t>(wide.size()), 0, Charset::kWide);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, "Zoë");
  const std::string ansi = encode_text("abc", Charset::kAnsi);
  EXPECT_EQ(ansi.size(), 4u);
  const auto* p = reinterpret_cast<const unsigned char*>(ansi.data());
  EXPECT_EQ(*decode_text(p, 4, 4, 0, Charset::kAnsi), "abc");
  EXPECT_FALSE(decode_text(p, 4, 3, 0, Charset::kAnsi));  // no NUL
  EXPECT_FALSE(decode_text(p, 3, 4, 0, Charset::kAnsi));  // outside the limit
  EXPECT_FALSE(decode_text(p, 4, 4, 0, Charset::kWide));  // not a whole wchar_t + NUL... "abc\0" = one bad char
  EXPECT_EQ(*decode_text(p, 4, 0, 0, Charset::kAnsi), "");
}

}  // namespace
}  // namespace opentapi::acd
