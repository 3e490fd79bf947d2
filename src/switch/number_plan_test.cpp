#include "switch/number_plan.h"

#include <gtest/gtest.h>

namespace opentapi::switching {
namespace {

NumberPlanConfig acd_config() {
  NumberPlanConfig c;
  c.stations = 3;
  c.addresses_per_station = 2;
  c.route_point = true;
  c.queues = {{1, "8001", "Sales"}, {2, "8002", "Support"}};
  c.trunk = true;
  return c;
}

TEST(DialableNumber, AcceptsDigitsStarHashAndALeadingPlus) {
  EXPECT_TRUE(is_dialable_number("2001"));
  EXPECT_TRUE(is_dialable_number("*72#"));
  EXPECT_TRUE(is_dialable_number("+4930123"));
  EXPECT_TRUE(is_dialable_number(std::string(32, '9')));
  EXPECT_FALSE(is_dialable_number(""));
  EXPECT_FALSE(is_dialable_number("+"));
  EXPECT_FALSE(is_dialable_number("20+01"));
  EXPECT_FALSE(is_dialable_number("20 01"));
  EXPECT_FALSE(is_dialable_number("abc"));
  EXPECT_FALSE(is_dialable_number(std::string(33, '9')));
}

TEST(DialableNumber, AddsKeepingTheWidth) {
  EXPECT_EQ(add_to_number("2001", 0), "2001");
  EXPECT_EQ(add_to_number("2001", 5), "2006");
  EXPECT_EQ(add_to_number("0099", 1), "0100");
  EXPECT_EQ(add_to_number("99", 1), "100");
  EXPECT_EQ(add_to_number("1", 12345), "12346");
  EXPECT_EQ(add_to_number("12a", 1), std::nullopt);
  EXPECT_EQ(add_to_number(std::string(32, '9'), 1), std::nullopt);
}

TEST(NumberPlan, NumbersStationsInDeviceThenAddressOrder) {
  const NumberPlan plan = NumberPlan::uniform(2, 2);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan.devices()[0].addresses[0].number, "2001");
  EXPECT_EQ(plan.devices()[0].addresses[1].number, "2002");
  EXPECT_EQ(plan.devices()[1].addresses[0].number, "2003");
  EXPECT_EQ(plan.devices()[1].addresses[1].number, "2004");
  EXPECT_EQ(plan.devices()[1].name, "Station 2003");
  EXPECT_EQ(plan.devices()[1].addresses[1].name, "Station 2003");
  EXPECT_EQ(plan.devices()[0].kind, DeviceKind::kStation);
  EXPECT_EQ(plan.devices()[0].max_active_calls, 1u);
  EXPECT_EQ(plan.route_point_device(), std::nullopt);
  EXPECT_EQ(plan.trunk_device(), std::nullopt);
  EXPECT_EQ(plan.find("2004"), (AddressRef{1, 1}));
  EXPECT_EQ(plan.find("2005"), std::nullopt);
}

TEST(NumberPlan, AddsTheRoutePointAndTheTrunkAfterTheStations) {
  auto plan = NumberPlan::build(acd_config());
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  ASSERT_EQ(plan->size(), 5u);
  EXPECT_EQ(plan->stations(), 3u);
  EXPECT_EQ(plan->route_point_device(), 3u);
  EXPECT_EQ(plan->trunk_device(), 4u);
  const PlannedDevice& rp = plan->devices()[3];
  EXPECT_EQ(rp.kind, DeviceKind::kRoutePoint);
  EXPECT_EQ(rp.name, "ACD queues");
  ASSERT_EQ(rp.addresses.size(), 2u);
  EXPECT_EQ(rp.addresses[1].number, "8002");
  EXPECT_EQ(rp.addresses[1].name, "Support");
  EXPECT_EQ(rp.max_active_calls, kUnlimited);
  EXPECT_EQ(plan->queue_ids(), (std::vector<std::uint32_t>{1, 2}));
  const PlannedDevice& trunk = plan->devices()[4];
  EXPECT_EQ(trunk.kind, DeviceKind::kTrunk);
  EXPECT_EQ(trunk.name, "Outside lines");
  ASSERT_EQ(trunk.addresses.size(), 1u);
  EXPECT_EQ(trunk.addresses[0].number, "0");
  EXPECT_EQ(plan->find("8001"), (AddressRef{3, 0}));
  EXPECT_EQ(plan->find("0"), (AddressRef{4, 0}));
}

TEST(NumberPlan, LeavesTheRoutePointOutWithoutQueues) {
  NumberPlanConfig c = acd_config();
  c.queues.clear();
  auto plan = NumberPlan::build(c);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->route_point_device(), std::nullopt);
  EXPECT_EQ(plan->trunk_device(), 3u);
}

TEST(NumberPlan, OverridesALinesNumbersOneByOne) {
  NumberPlanConfig c = acd_config();
  c.line_numbers = {{1, {"3100"}}};
  auto plan = NumberPlan::build(c);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->devices()[1].addresses[0].number, "3100");
  EXPECT_EQ(plan->devices()[1].addresses[1].number, "2004");  // keeps its default
  EXPECT_EQ(plan->devices()[1].name, "Station 3100");
  EXPECT_EQ(plan->find("2003"), std::nullopt);
}

TEST(NumberPlan, StartsFromTheFirstNumber) {
  NumberPlanConfig c;
  c.stations = 1;
  c.addresses_per_station = 2;
  c.first_number = "0999";
  auto plan = NumberPlan::build(c);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->devices()[0].addresses[1].number, "1000");
}

Status build_error(const NumberPlanConfig& c) {
  auto plan = NumberPlan::build(c);
  return plan.ok() ? Status() : plan.status();
}

TEST(NumberPlan, RefusesADuplicateNamingBothPlaces) {
  NumberPlanConfig c = acd_config();
  c.queues[1].number = "2003";
  Status s = build_error(c);
  EXPECT_EQ(s.code(), core::ErrorCode::kInvalParam);
  EXPECT_EQ(s.message(), "number 2003 is both station line 1 address 0 and queue 2");

  c = acd_config();
  c.line_numbers = {{2, {"2001"}}};
  s = build_error(c);
  EXPECT_EQ(s.message(), "number 2001 is both station line 0 address 0 and station line 2 address 0");

  c = acd_config();
  c.trunk_number = "8001";
  s = build_error(c);
  EXPECT_EQ(s.message(), "number 8001 is both queue 1 and the trunk");
}

TEST(NumberPlan, RefusesBadConfigurationsWithClearErrors) {
  NumberPlanConfig c = acd_config();
  c.first_number = "20a1";
  EXPECT_EQ(build_error(c).message(), "first_number: \"20a1\" is not 1-32 digits");

  c = acd_config();
  c.stations = 0;
  EXPECT_EQ(build_error(c).message(), "stations: at least one station line is needed");

  c = acd_config();
  c.addresses_per_station = 0;
  EXPECT_EQ(build_error(c).message(), "addresses: a station line needs at least one address");

  c = acd_config();
  c.line_numbers = {{3, {"3100"}}};
  EXPECT_EQ(build_error(c).message(), "line 3: numbers: not a station line (stations are 0-2)");

  c = acd_config();
  c.line_numbers = {{0, {"3100", "3101", "3102"}}};
  EXPECT_EQ(build_error(c).message(), "line 0: numbers: 3 numbers for 2 addresses");

  c = acd_config();
  c.line_numbers = {{0, {"31 00"}}};
  EXPECT_EQ(build_error(c).message(),
            "line 0: numbers: \"31 00\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");

  c = acd_config();
  c.line_numbers = {{0, {"3100"}}, {0, {"3200"}}};
  EXPECT_EQ(build_error(c).message(), "line 0: numbers given twice");

  c = acd_config();
  c.queues[0].number = "";
  EXPECT_EQ(build_error(c).message(),
            "queue 1: number: \"\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");

  c = acd_config();
  c.queues[1].queue_id = 1;
  EXPECT_EQ(build_error(c).message(), "queue 1: two queues with this id");

  c = acd_config();
  c.trunk_number = "x";
  EXPECT_EQ(build_error(c).message(),
            "trunk_number: \"x\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");

  c = acd_config();
  c.first_number = std::string(32, '9');
  EXPECT_EQ(build_error(c).message(),
            "first_number: numbering from \"" + std::string(32, '9') + "\" runs past 32 digits");
}

TEST(NumberPlan, LooksAddressesUp) {
  auto plan = NumberPlan::build(acd_config());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->address({0, 2}), nullptr);
  EXPECT_EQ(plan->address({9, 0}), nullptr);
  EXPECT_EQ(plan->device(5), nullptr);
  ASSERT_NE(plan->address({2, 1}), nullptr);
  EXPECT_EQ(plan->address({2, 1})->number, "2006");
}

}  // namespace
}  // namespace opentapi::switching
