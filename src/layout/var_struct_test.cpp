#include "layout/var_struct.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "tapi.h"

namespace opentapi::layout {
namespace {

// A structure of `room` bytes (its dwTotalSize) followed by guard bytes that
// must stay untouched; the room starts out as garbage, as a caller's may.
struct Room {
  explicit Room(std::uint32_t size) : bytes(size + 16, 0xEE), room(size) {
    std::memset(bytes.data(), 0x5A, size);
    if (size >= 4) encode_fixed32(bytes.data(), size);
  }
  unsigned char* data() { return bytes.data(); }
  std::uint32_t at(std::uint32_t pos) const { return decode_fixed32(bytes.data() + pos); }
  bool guard_intact() const {
    for (std::size_t i = room; i < bytes.size(); ++i) {
      if (bytes[i] != 0xEE) return false;
    }
    return true;
  }
  std::vector<unsigned char> bytes;
  std::uint32_t room;
};

using List = LINEAGENTACTIVITYLIST;
using Entry = LINEAGENTACTIVITYENTRY;
constexpr std::uint32_t kList = sizeof(List);    // 24
constexpr std::uint32_t kEntry = sizeof(Entry);  // 12

// An activity list of two entries, "Email" (6 bytes A, 24 W) and "Phone
// calls" (12 / 48), the way the codecs write one.
std::optional<VarStructWriter> write_activities(Room& r, Charset cs) {
  auto w = VarStructWriter::begin(r.data(), r.room, kList, cs);
  if (!w) return w;
  const char* names[] = {"Email", "Phone calls"};
  w->u32(OT_OFF(List, dwNumEntries), 2);
  const Array a = w->array(OT_PAIR(List, List), 2, kEntry);
  for (std::uint32_t i = 0; i < 2; ++i) {
    if (a.placed()) w->u32(a.element(i) + OT_OFF(Entry, dwID), 10 + i);
    w->element_string(a, i, OT_PAIR(Entry, Name), names[i]);
  }
  w->finish();
  return w;
}

TEST(VarStructWriter, EverythingFits) {
  Room r(kList + 2 * kEntry + 24 + 48);
  ASSERT_TRUE(write_activities(r, Charset::kWide));
  EXPECT_EQ(r.at(0), r.room) << "dwTotalSize is the caller's";
  EXPECT_EQ(r.at(4), 120u);
  EXPECT_EQ(r.at(8), 120u);
  EXPECT_EQ(r.at(OT_OFF(List, dwNumEntries)), 2u);
  EXPECT_EQ(r.at(OT_OFF(List, dwListSize)), 24u);
  EXPECT_EQ(r.at(OT_OFF(List, dwListOffset)), 24u);
  EXPECT_EQ(r.at(24 + OT_OFF(Entry, dwID)), 10u);
  EXPECT_EQ(r.at(24 + OT_OFF(Entry, dwNameSize)), 24u);
  EXPECT_EQ(r.at(24 + OT_OFF(Entry, dwNameOffset)), 48u);  // right after the array, relative to the list
  EXPECT_EQ(r.at(36 + OT_OFF(Entry, dwID)), 11u);
  EXPECT_EQ(r.at(36 + OT_OFF(Entry, dwNameSize)), 48u);
  EXPECT_EQ(r.at(36 + OT_OFF(Entry, dwNameOffset)), 72u);
  EXPECT_EQ(r.at(48), static_cast<std::uint32_t>('E'));
  EXPECT_EQ(r.at(68), 0u);  // "Email"'s NUL
  EXPECT_TRUE(r.guard_intact());
}

TEST(VarStructWriter, AFieldThatDoesNotFitIsLeftEmptyAndLaterSmallerOnesArePlaced) {
  // Room for the array and 10 more bytes: "Phone calls" (12) does not fit.
  // Written in the other order, "Email" (6) would still be placed after it.
  Room r(kList + 2 * kEntry + 10);
  auto w = VarStructWriter::begin(r.data(), r.room, kList, Charset::kAnsi);
  ASSERT_TRUE(w);
  const Array a = w->array(OT_PAIR(List, List), 2, kEntry);
  ASSERT_TRUE(a.placed());
  EXPECT_FALSE(w->element_string(a, 1, OT_PAIR(Entry, Name), "Phone calls"));
  EXPECT_TRUE(w->element_string(a, 0, OT_PAIR(Entry, Name), "Email"));
  w->finish();
  EXPECT_EQ(r.at(36 + OT_OFF(Entry, dwNameSize)), 0u);
  EXPECT_EQ(r.at(36 + OT_OFF(Entry, dwNameOffset)), 0u);
  EXPECT_EQ(r.at(24 + OT_OFF(Entry, dwNameSize)), 6u);
  EXPECT_EQ(r.at(24 + OT_OFF(Entry, dwNameOffset)), 48u);
  EXPECT_EQ(std::memcmp(r.data() + 48, "Email", 6), 0);
  EXPECT_EQ(r.at(4), kList + 2 * kEntry + 12 + 6) << "dwNeededSize counts what was left out";
  EXPECT_EQ(r.at(8), kList + 2 * kEntry + 6) << "dwUsedSize ends at the last byte placed";
  EXPECT_TRUE(r.guard_intact());
}

TEST(VarStructWriter, NamesGoOnlyWithTheirArray) {
  // Room for "Email" but not for the array: neither is placed, both counted.
  Room r(kList + 20);
  ASSERT_TRUE(write_activities(r, Charset::kAnsi));
  EXPECT_EQ(r.at(OT_OFF(List, dwNumEntries)), 2u) << "the count is a fixed field: always the real one";
  EXPECT_EQ(r.at(OT_OFF(List, dwListSize)), 0u);
  EXPECT_EQ(r.at(OT_OFF(List, dwListOffset)), 0u);
  EXPECT_EQ(r.at(4), kList + 2 * kEntry + 6 + 12);
  EXPECT_EQ(r.at(8), kList);
  EXPECT_EQ(r.bytes[kList], 0x5A) << "nothing written after the fixed part";
  EXPECT_TRUE(r.guard_intact());
}

TEST(VarStructWriter, ARoomSmallerThanTheFixedPartGetsOnlyTheHeader) {
  Room r(20);
  EXPECT_FALSE(VarStructWriter::begin(r.data(), r.room, kList, Charset::kWide));
  EXPECT_EQ(r.at(0), 20u);
  EXPECT_EQ(r.at(4), kList) << "dwNeededSize: what to retry with";
  EXPECT_EQ(r.at(8), 12u);
  EXPECT_EQ(r.bytes[12], 0x5A);
  EXPECT_TRUE(r.guard_intact());

  Room tiny(8);  // not even the header: nothing is written
  EXPECT_FALSE(VarStructWriter::begin(tiny.data(), tiny.room, kList, Charset::kWide));
  EXPECT_EQ(tiny.bytes[4], 0x5A);
  EXPECT_TRUE(tiny.guard_intact());
  EXPECT_FALSE(VarStructWriter::begin(nullptr, 100, kList, Charset::kWide));
}

TEST(VarStructWriter, TheFixedPartStartsZeroed) {
  Room r(kList + 8);
  auto w = VarStructWriter::begin(r.data(), r.room, kList, Charset::kWide);
  ASSERT_TRUE(w);
  w->finish();
  for (std::uint32_t pos = 12; pos < kList; pos += 4) EXPECT_EQ(r.at(pos), 0u) << pos;
  EXPECT_EQ(r.at(4), kList);
  EXPECT_EQ(r.at(8), kList);
  EXPECT_EQ(r.bytes[kList], 0x5A) << "the slack is not the writer's";
}

TEST(VarStructWriter, AbsentIsNotEmpty) {
  using T = LINEAGENTSTATUS;
  Room r(200);
  auto w = VarStructWriter::begin(r.data(), r.room, sizeof(T), Charset::kWide);
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->optional_string(OT_PAIR(T, Activity), std::nullopt));
  EXPECT_FALSE(w->data(OT_PAIR(T, GroupList), nullptr, 0));
  EXPECT_EQ(w->needed(), sizeof(T));
  EXPECT_TRUE(w->optional_string(OT_PAIR(T, Activity), std::string()));
  w->finish();
  EXPECT_EQ(r.at(OT_OFF(T, dwActivitySize)), 4u) << "\"\" is a present string: its NUL";
  EXPECT_EQ(r.at(OT_OFF(T, dwActivityOffset)), sizeof(T));
  EXPECT_EQ(r.at(OT_OFF(T, dwGroupListSize)), 0u);
  EXPECT_EQ(r.at(OT_OFF(T, dwGroupListOffset)), 0u);
  EXPECT_EQ(r.at(4), sizeof(T) + 4);
}

TEST(VarStructWriter, FixedFieldsAndRawData) {
  using T = LINEAGENTCAPS;
  Room r(sizeof(T) + 32);
  auto w = VarStructWriter::begin(r.data(), r.room, sizeof(T), Charset::kAnsi);
  ASSERT_TRUE(w);
  w->u32(OT_OFF(T, dwFeatures), 0x3F);
  const GUID g = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 16}};
  w->value(OT_OFF(T, ProxyGUID), g);
  const std::uint32_t ids[4] = {1, 2, 3, 4};
  EXPECT_TRUE(w->data(OT_PAIR(T, AgentExtensionIDList), ids, sizeof ids));
  EXPECT_FALSE(w->string(OT_PAIR(T, AgentHandlerInfo), "seventeen letters"));  // 18 > 16 left
  w->finish();
  EXPECT_EQ(r.at(OT_OFF(T, dwFeatures)), 0x3Fu);
  EXPECT_EQ(r.at(OT_OFF(T, ProxyGUID)), 0x01020304u);
  EXPECT_EQ(r.bytes[OT_OFF(T, ProxyGUID) + 15], 16);
  EXPECT_EQ(r.at(OT_OFF(T, dwAgentExtensionIDListSize)), 16u);
  EXPECT_EQ(r.at(OT_OFF(T, dwAgentExtensionIDListOffset)), sizeof(T));
  EXPECT_EQ(r.at(sizeof(T) + 12), 4u);
  EXPECT_EQ(r.at(OT_OFF(T, dwAgentHandlerInfoSize)), 0u);
  EXPECT_EQ(r.at(4), sizeof(T) + 16 + 18);
  EXPECT_EQ(r.at(8), sizeof(T) + 16);
  EXPECT_TRUE(r.guard_intact());
}

TEST(VarStructWriter, NeededSizeSaturates) {
  Room r(kList);
  auto w = VarStructWriter::begin(r.data(), r.room, kList, Charset::kWide);
  ASSERT_TRUE(w);
  w->need(0xFFFFFFF0u);
  w->need(0x100u);
  w->finish();
  EXPECT_EQ(r.at(4), 0xFFFFFFFFu);
  EXPECT_EQ(r.at(8), kList);
}

TEST(VarStructWriter, WithoutAHeaderPlacesFromTheGivenStart) {
  // As for a LINEPROXYREQUEST: strings from byte 32 up to 48, no header.
  std::vector<unsigned char> b(48 + 4, 0);
  VarStructWriter w(b.data(), 32, 48, Charset::kAnsi);
  EXPECT_TRUE(w.string(Pair{4, 8}, "machine"));
  EXPECT_FALSE(w.string(Pair{12, 16}, "user-name"));
  EXPECT_EQ(decode_fixed32(b.data() + 4), 8u);
  EXPECT_EQ(decode_fixed32(b.data() + 8), 32u);
  EXPECT_EQ(decode_fixed32(b.data() + 12), 0u);
  EXPECT_EQ(w.used(), 40u);
  EXPECT_EQ(w.needed(), 40u + 10u);
  EXPECT_EQ(decode_fixed32(b.data() + 48), 0u);
}

// ---------------------------------------------------------------------------

TEST(VarStructReader, ReadsWhatTheWriterWrote) {
  for (const Charset cs : {Charset::kAnsi, Charset::kWide}) {
    Room r(200);
    ASSERT_TRUE(write_activities(r, cs));
    auto rd = VarStructReader::filled(r.data(), r.room, kList, cs);
    ASSERT_TRUE(rd);
    const Array a = rd->array(OT_PAIR(List, List), rd->u32(OT_OFF(List, dwNumEntries)), kEntry);
    ASSERT_TRUE(a.placed());
    EXPECT_EQ(a.count, 2u);
    EXPECT_EQ(a.size, 24u);
    EXPECT_EQ(rd->u32(a.element(1) + OT_OFF(Entry, dwID)), 11u);
    EXPECT_EQ(rd->string(OT_PAIR(Entry, Name).at(a.element(0))), "Email");
    EXPECT_EQ(rd->string(OT_PAIR(Entry, Name).at(a.element(1))), "Phone calls");
    EXPECT_TRUE(rd->ok());
    EXPECT_EQ(rd->present_bytes(), 24u + (cs == Charset::kWide ? 72u : 18u));
  }
}

TEST(VarStructReader, FilledChecksTheHeader) {
  Room r(100);
  ASSERT_TRUE(write_activities(r, Charset::kAnsi));
  const std::uint32_t used = r.at(8);
  EXPECT_FALSE(VarStructReader::filled(r.data(), kList - 1, kList, Charset::kAnsi)) << "room below the fixed part";
  EXPECT_FALSE(VarStructReader::filled(r.data(), used - 1, kList, Charset::kAnsi)) << "dwUsedSize beyond the room";
  encode_fixed32(r.data() + 4, used - 1);
  EXPECT_FALSE(VarStructReader::filled(r.data(), r.room, kList, Charset::kAnsi)) << "dwNeededSize < dwUsedSize";
  encode_fixed32(r.data() + 4, used);
  encode_fixed32(r.data() + 8, kList - 4);
  EXPECT_FALSE(VarStructReader::filled(r.data(), r.room, kList, Charset::kAnsi)) << "dwUsedSize in the fixed part";
  encode_fixed32(r.data() + 8, used);
  EXPECT_TRUE(VarStructReader::filled(r.data(), r.room, kList, Charset::kAnsi));
}

TEST(VarStructReader, AFieldOutsideTheBoundsIsAbsentAndClearsOk) {
  using T = LINEAGENTSTATUS;
  std::vector<unsigned char> b(sizeof(T) + 8, 0);
  VarStructReader r(b.data(), sizeof(T), sizeof(T) + 8, Charset::kAnsi);
  const Pair activity = OT_PAIR(T, Activity);
  encode_fixed32(b.data() + activity.size_pos, 4);
  encode_fixed32(b.data() + activity.offset_pos, sizeof(T) + 6);  // 2 bytes past the limit
  EXPECT_TRUE(r.data(activity).empty());
  EXPECT_FALSE(r.ok());

  VarStructReader wrap(b.data(), sizeof(T), sizeof(T) + 8, Charset::kAnsi);
  encode_fixed32(b.data() + activity.size_pos, 0x20);
  encode_fixed32(b.data() + activity.offset_pos, 0xFFFFFFF0u);  // offset + size wraps in 32 bits
  EXPECT_TRUE(wrap.data(activity).empty());
  EXPECT_FALSE(wrap.ok());

  VarStructReader inside_fixed(b.data(), sizeof(T), sizeof(T) + 8, Charset::kAnsi);
  encode_fixed32(b.data() + activity.size_pos, 4);
  encode_fixed32(b.data() + activity.offset_pos, 12);  // in the fixed part
  EXPECT_TRUE(inside_fixed.data(activity).empty());
  EXPECT_FALSE(inside_fixed.ok());

  VarStructReader absent(b.data(), sizeof(T), sizeof(T) + 8, Charset::kAnsi);
  encode_fixed32(b.data() + activity.size_pos, 0);  // size 0: absent, whatever the offset
  EXPECT_FALSE(absent.string(activity));
  EXPECT_TRUE(absent.ok());
  EXPECT_EQ(absent.u32(sizeof(T) + 8), 0u) << "a fixed field past the limit";
  EXPECT_FALSE(absent.ok());
}

TEST(VarStructReader, KeepsReadingAfterABadFieldForLenientCallers) {
  using T = LINEAGENTSTATUS;
  std::vector<unsigned char> b(sizeof(T) + 4, 0);
  encode_fixed32(b.data() + OT_OFF(T, dwGroupListSize), 64);  // outside
  encode_fixed32(b.data() + OT_OFF(T, dwGroupListOffset), sizeof(T));
  encode_fixed32(b.data() + OT_OFF(T, dwActivitySize), 4);
  encode_fixed32(b.data() + OT_OFF(T, dwActivityOffset), sizeof(T));
  std::memcpy(b.data() + sizeof(T), "abc", 4);
  VarStructReader r(b.data(), sizeof(T), sizeof(T) + 4, Charset::kAnsi);
  EXPECT_TRUE(r.data(OT_PAIR(T, GroupList)).empty());
  EXPECT_EQ(r.string(OT_PAIR(T, Activity)), "abc");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.present_bytes(), 4u);
}

TEST(VarStructReader, MalformedTextClearsOk) {
  using T = LINEAGENTSTATUS;
  std::vector<unsigned char> b(sizeof(T) + 4, 0);
  encode_fixed32(b.data() + OT_OFF(T, dwActivitySize), 4);
  encode_fixed32(b.data() + OT_OFF(T, dwActivityOffset), sizeof(T));
  std::memcpy(b.data() + sizeof(T), "abcd", 4);  // no NUL
  VarStructReader r(b.data(), sizeof(T), sizeof(T) + 4, Charset::kAnsi);
  EXPECT_FALSE(r.string(OT_PAIR(T, Activity)));
  EXPECT_FALSE(r.ok());
}

TEST(VarStructReader, ArraysMustCoverTheirCount) {
  std::vector<unsigned char> b(kList + 2 * kEntry, 0);
  encode_fixed32(b.data(), static_cast<std::uint32_t>(b.size()));
  encode_fixed32(b.data() + OT_OFF(List, dwListSize), 2 * kEntry);
  encode_fixed32(b.data() + OT_OFF(List, dwListOffset), kList);
  const auto read = [&](std::uint32_t count) {
    VarStructReader r(b.data(), kList, static_cast<std::uint32_t>(b.size()), Charset::kAnsi);
    const Array a = r.array(OT_PAIR(List, List), count, kEntry);
    return std::make_pair(a.placed(), r.ok());
  };
  EXPECT_EQ(read(2), std::make_pair(true, true));
  EXPECT_EQ(read(1), std::make_pair(true, true)) << "a larger size is the caller's to refuse";
  EXPECT_EQ(read(3), std::make_pair(false, false));
  EXPECT_EQ(read(0x40000001), std::make_pair(false, false)) << "count x size must not wrap";
  encode_fixed32(b.data() + OT_OFF(List, dwListSize), 0);
  EXPECT_EQ(read(2), std::make_pair(false, true)) << "absent: the caller decides";
  encode_fixed32(b.data() + OT_OFF(List, dwListSize), 2 * kEntry);
  encode_fixed32(b.data() + OT_OFF(List, dwListOffset), 0);
  VarStructReader anywhere(b.data(), 0, static_cast<std::uint32_t>(b.size()), Charset::kAnsi);
  EXPECT_FALSE(anywhere.array(OT_PAIR(List, List), 2, kEntry).placed()) << "offset 0 overlaps the header";
  EXPECT_FALSE(anywhere.ok());
}

TEST(VarStructReader, PassedInIsBoundedByItsOwnTotalSize) {
  using T = LINECALLPARAMS;
  std::vector<unsigned char> b(sizeof(T) + 8, 0);
  encode_fixed32(b.data(), sizeof(T) + 8);
  encode_fixed32(b.data() + OT_OFF(T, dwDevSpecificSize), 8);
  encode_fixed32(b.data() + OT_OFF(T, dwDevSpecificOffset), sizeof(T));
  encode_fixed32(b.data() + sizeof(T) + 4, 0x14);
  auto r = VarStructReader::passed_in(b.data(), sizeof(T), sizeof(T), Charset::kWide);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->limit(), sizeof(T) + 8);
  const auto types = r->data(OT_PAIR(T, DevSpecific));
  ASSERT_EQ(types.size(), 8u);
  EXPECT_EQ(decode_fixed32(types.data() + 4), 0x14u);
  EXPECT_TRUE(r->ok());

  encode_fixed32(b.data(), sizeof(T) + 4);  // the array now ends past dwTotalSize
  r = VarStructReader::passed_in(b.data(), sizeof(T), sizeof(T), Charset::kWide);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->data(OT_PAIR(T, DevSpecific)).empty());
  EXPECT_FALSE(r->ok());

  encode_fixed32(b.data(), sizeof(T) - 1);
  EXPECT_FALSE(VarStructReader::passed_in(b.data(), sizeof(T), sizeof(T), Charset::kWide));
  EXPECT_FALSE(VarStructReader::passed_in(nullptr, sizeof(T), sizeof(T), Charset::kWide));
}

}  // namespace
}  // namespace opentapi::layout
