#include "acd/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "acd/test_support.h"
#include "secrets/stored_secret.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;

// The error for `text`, which must be refused.
std::string error_of(const std::string& text) {
  auto c = parse_config(text, "cc.toml");
  EXPECT_FALSE(c.ok()) << "accepted:\n" << text;
  EXPECT_EQ(c.code(), ErrorCode::kInvalParam);
  return c.status().message();
}

const char* kMinimal = R"([[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"
)";

TEST(ConfigDefault, IsTheShippedFileCompiledIn) {
  std::ifstream in(OPENTAPI_ACD_CONFIG_FILE);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(default_config_text(), text.str());
}

TEST(ConfigDefault, DescribesTheDemoCallCenter) {
  auto parsed = parse_config(default_config_text(), "default");
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  const AcdConfig c = default_config();
  EXPECT_EQ(c.groups.size(), 2u);
  EXPECT_EQ(c.groups[0].name, "Sales");
  EXPECT_EQ(c.queues.size(), 3u);
  EXPECT_EQ(c.agents.size(), 8u);
  EXPECT_EQ(c.lines, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_TRUE(c.simulator.enabled);
  EXPECT_EQ(c.simulator.agents.size(), 4u);
  EXPECT_EQ(c.queues[0].overflow_to, 3u);
}

TEST(ConfigPrint, ReadsBackToTheSameConfiguration) {
  const AcdConfig c = default_config();
  const std::string printed = print_config(c);
  auto again = parse_config(printed, "printed");
  ASSERT_TRUE(again.ok()) << again.status().to_string() << "\n" << printed;
  again->source = c.source;
  EXPECT_EQ(print_config(*again), printed);
}

TEST(ConfigGuid, ParsesMemoryOrderAndRefusesMalformed) {
  auto g = parse_guid("{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->bytes[0], 0x13);  // Data1 little-endian
  EXPECT_EQ(g->bytes[3], 0xA1);
  EXPECT_EQ(g->bytes[8], 0xBA);  // Data4 as written
  EXPECT_EQ(g->to_string(), "{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}");
  EXPECT_TRUE(parse_guid("a1c44a13-0635-4b3c-baa0-e1e4694e033a"));
  EXPECT_FALSE(parse_guid("{A1C44A13-0635-4B3C-BAA0-E1E4694E033}"));
  EXPECT_FALSE(parse_guid("{A1C44A13+0635-4B3C-BAA0-E1E4694E033A}"));
  EXPECT_FALSE(parse_guid("{G1C44A13-0635-4B3C-BAA0-E1E4694E033A}"));
}

TEST(ConfigErrors, UnknownKeyNamesKeyAndLine) {
  const std::string e = error_of(std::string(kMinimal) + "\n[acd]\nwrapup_seconds = 3\n");
  EXPECT_NE(e.find("cc.toml:6:1"), std::string::npos) << e;
  EXPECT_NE(e.find("[acd] wrapup_seconds"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(ConfigErrors, BadTypeNamesKeyAndLine) {
  const std::string e = error_of(std::string(kMinimal) + "[acd]\nwrap_up_seconds = \"ten\"\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("[acd] wrap_up_seconds: expected an integer, found a string"), std::string::npos) << e;
}

TEST(ConfigErrors, OutOfRangeValue) {
  const std::string e = error_of(std::string(kMinimal) + "[acd]\nagent_period_seconds = 0\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("agent_period_seconds: must be in 1.."), std::string::npos) << e;
}

TEST(ConfigErrors, SyntaxErrorHasLine) {
  const std::string e = error_of(std::string(kMinimal) + "[acd\n");
  EXPECT_NE(e.find("cc.toml:4:"), std::string::npos) << e;
  EXPECT_NE(e.find("syntax error"), std::string::npos) << e;
}

TEST(ConfigErrors, MalformedGuid) {
  const std::string e = error_of("[[group]]\nname = \"S\"\nguid = \"{1234}\"\n");
  EXPECT_NE(e.find("cc.toml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[group]] guid: malformed GUID"), std::string::npos) << e;
}

TEST(ConfigErrors, DuplicateGroupNameAndGuid) {
  std::string e = error_of(std::string(kMinimal) +
                           "[[group]]\nname = \"Sales\"\nguid = \"{21111111-2222-3333-4444-555555555555}\"\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate group name"), std::string::npos) << e;
  e = error_of(std::string(kMinimal) + "[[group]]\nname = \"B\"\nguid = \"{11111111-2222-3333-4444-555555555555}\"\n");
  EXPECT_NE(e.find("cc.toml:6:"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate group GUID"), std::string::npos) << e;
}

TEST(ConfigErrors, QueueOfUnknownGroup) {
  const std::string e = error_of(std::string(kMinimal) + "[[queue]]\nid = 1\nname = \"Q\"\ngroup = \"Sale\"\n");
  EXPECT_NE(e.find("cc.toml:7:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[queue]] group: no group named \"Sale\""), std::string::npos) << e;
}

TEST(ConfigErrors, DuplicateQueueId) {
  const std::string e = error_of(std::string(kMinimal) + "[[queue]]\nid = 1\nname = \"Q\"\ngroup = \"Sales\"\n" +
                                 "[[queue]]\nid = 1\nname = \"R\"\ngroup = \"Sales\"\n");
  EXPECT_NE(e.find("cc.toml:9:"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate queue id 1"), std::string::npos) << e;
}

TEST(ConfigErrors, OverflowToUnknownQueue) {
  const std::string e =
      error_of(std::string(kMinimal) + "[[queue]]\nid = 1\nname = \"Q\"\ngroup = \"Sales\"\noverflow_to = 9\n");
  EXPECT_NE(e.find("cc.toml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("overflow_to: no queue with id 9"), std::string::npos) << e;
}

TEST(ConfigErrors, MissingRequiredKeyNamesTheTable) {
  const std::string e = error_of(std::string(kMinimal) + "[[queue]]\nid = 1\ngroup = \"Sales\"\n");
  EXPECT_NE(e.find("cc.toml:4:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[queue]] name: missing (required)"), std::string::npos) << e;
}

TEST(ConfigErrors, DuplicateAgentId) {
  const std::string e = error_of(std::string(kMinimal) + "[[agent]]\nid = \"7\"\n[[agent]]\nid = \"7\"\npin = \"1\"\n");
  EXPECT_NE(e.find("cc.toml:7:"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate agent id"), std::string::npos) << e;
}

TEST(ConfigErrors, SimulatorAgentMustBeConfigured) {
  const std::string e = error_of(std::string(kMinimal) + "[simulator]\nagents = [\"42\"]\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("[simulator] agents: no [[agent]] with id \"42\""), std::string::npos) << e;
}

TEST(ConfigErrors, UnknownDistribution) {
  const std::string e = error_of(std::string(kMinimal) + "[simulator]\nhandle_distribution = \"normal\"\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("not a distribution"), std::string::npos) << e;
}

TEST(ConfigErrors, DuplicateLineDevice) {
  const std::string e = error_of(std::string(kMinimal) + "[server]\nlines = [0, 3, 3]\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("device 3 listed twice"), std::string::npos) << e;
}

TEST(ConfigErrors, NoGroupAtAll) {
  auto c = parse_config("[acd]\nwrap_up_seconds = 1\n", "cc.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("at least one group"), std::string::npos);
}

TEST(ConfigLoad, MissingFileIsOperationFailed) {
  auto c = load_config("/nonexistent/callcenter.toml");
  EXPECT_EQ(c.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(c.status().message().find("/nonexistent/callcenter.toml"), std::string::npos);
}

TEST(ConfigLoad, LinesAsCountOrList) {
  auto c = parse_config(std::string(kMinimal) + "[server]\nlines = [4, 7]\naddresses_per_line = 3\n", "x");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->lines, (std::vector<std::uint32_t>{4, 7}));
  EXPECT_EQ(c->addresses_per_line, 3u);
  c = parse_config(std::string(kMinimal) + "[server]\nlines = 3\n", "x");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->lines, (std::vector<std::uint32_t>{0, 1, 2}));
}

// --- service level and HTTP tokens ------------------------------------------

TEST(ConfigServiceLevel, DefaultsToTwentySecondsAndReadsTheKey) {
  auto c = parse_config(std::string(kMinimal) + "[[queue]]\nid = 1\nname = \"Q\"\ngroup = \"Sales\"\n" +
                            "[[queue]]\nid = 2\nname = \"R\"\ngroup = \"Sales\"\nservice_level_seconds = 45\n",
                        "cc.toml");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->queues[0].service_level_seconds, 20u);
  EXPECT_EQ(c->queues[1].service_level_seconds, 45u);
}

TEST(ConfigErrors, ServiceLevelMustBePositive) {
  const std::string e = error_of(std::string(kMinimal) + "[[queue]]\nid = 1\nname = \"Q\"\ngroup = \"Sales\"\n" +
                                 "service_level_seconds = 0\n");
  EXPECT_NE(e.find("cc.toml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[queue]] service_level_seconds: must be in 1.."), std::string::npos) << e;
}

TEST(ConfigHttpToken, ReadsTokensAndFindsThemExactly) {
  auto c = parse_config(std::string(kMinimal) + "[[http.token]]\ntoken = \"secret-one\"\nuser = \"alice\"\n" +
                            "[[http.token]]\ntoken = \"secret-two\"\nuser = \"bob\"\n",
                        "cc.toml");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->http_tokens.size(), 2u);
  EXPECT_EQ(c->http_tokens[1].token, "secret-two");
  EXPECT_EQ(c->http_tokens[1].user, "bob");
  EXPECT_EQ(c->http_tokens[0].token, "secret-one");
  EXPECT_EQ(c->http_tokens[0].user, "alice");
}

TEST(ConfigHttpToken, DemoConfigurationHasTheDemoTokens) {
  const AcdConfig c = default_config();
  ASSERT_EQ(c.http_tokens.size(), 2u);
  EXPECT_EQ(c.http_tokens[0].token, "demo-supervisor");
  EXPECT_EQ(c.http_tokens[0].user, "supervisor");
  EXPECT_TRUE(c.is_supervisor("supervisor"));
  EXPECT_EQ(c.http_tokens[1].token, "demo-agent-1001");
  EXPECT_EQ(c.http_tokens[1].user, "agent1001");
  // --print-config prints them back.
  const std::string printed = print_config(c);
  EXPECT_NE(printed.find("[[http.token]]\ntoken = \"demo-supervisor\"\nuser = \"supervisor\"\n"), std::string::npos)
      << printed;
  auto again = parse_config(printed, "printed");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  ASSERT_EQ(again->http_tokens.size(), 2u);
  EXPECT_EQ(again->http_tokens[1].token, "demo-agent-1001");
  EXPECT_EQ(again->queues[0].service_level_seconds, 20u);
}

TEST(ConfigSecrets, AcceptsHashesAndNamesThePlainEntries) {
  auto pin = secrets::hash_secret("1234", secrets::kTokenCost);
  auto token = secrets::hash_secret("a-long-random-token", secrets::kTokenCost);
  ASSERT_TRUE(pin && token);
  auto c = parse_config(std::string(kMinimal) + "[[agent]]\nid = \"1001\"\npin = \"" + *pin + "\"\n" +
                            "[[agent]]\nid = \"1002\"\npin = \"2222\"\n[[agent]]\nid = \"1003\"\n" +
                            "[[http.token]]\ntoken = \"" + *token + "\"\nuser = \"alice\"\n" +
                            "[[http.token]]\ntoken = \"plain-token\"\nuser = \"bob\"\n",
                        "cc.toml");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->find_agent("1001")->pin, *pin);
  EXPECT_EQ(c->plain_secrets(), (std::vector<std::string>{"[[agent]] 1002 pin", "[[http.token]] #2 (user bob)"}));
}

TEST(ConfigErrors, ATruncatedHashIsRefused) {
  auto pin = secrets::hash_secret("1234", secrets::kTokenCost);
  ASSERT_TRUE(pin);
  std::string e = error_of(std::string(kMinimal) + "[[agent]]\nid = \"1001\"\npin = \"" + pin->substr(0, 40) + "\"\n");
  EXPECT_NE(e.find("cc.toml:6:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[agent]] pin: not a valid Argon2id hash"), std::string::npos) << e;
  e = error_of(std::string(kMinimal) + "[[http.token]]\ntoken = \"$argon2id$v=19$m=8192\"\nuser = \"a\"\n");
  EXPECT_NE(e.find("[[http.token]] token: not a valid Argon2id hash"), std::string::npos) << e;
}

TEST(ConfigErrors, HttpTokenTooShortMissingOrTwice) {
  std::string e = error_of(std::string(kMinimal) + "[[http.token]]\ntoken = \"short\"\nuser = \"a\"\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[http.token]] token: must be at least 8 characters"), std::string::npos) << e;

  e = error_of(std::string(kMinimal) + "[[http.token]]\ntoken = \"long-enough\"\n");
  EXPECT_NE(e.find("cc.toml:4:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[http.token]] user: missing (required)"), std::string::npos) << e;

  e = error_of(std::string(kMinimal) + "[[http.token]]\nuser = \"a\"\n");
  EXPECT_NE(e.find("[[http.token]] token: missing (required)"), std::string::npos) << e;

  e = error_of(std::string(kMinimal) + "[[http.token]]\ntoken = \"long-enough\"\nuser = \"a\"\n" +
               "[[http.token]]\ntoken = \"long-enough\"\nuser = \"b\"\n");
  EXPECT_NE(e.find("cc.toml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("the same token is given twice"), std::string::npos) << e;
  EXPECT_EQ(e.find("long-enough"), std::string::npos) << "the secret must not be echoed: " << e;
}

TEST(ConfigErrors, HttpTokenUnknownKeysAndWrongShapes) {
  std::string e = error_of(std::string(kMinimal) + "[[http.token]]\ntoken = \"long-enough\"\nuser = \"a\"\nrole = 1\n");
  EXPECT_NE(e.find("cc.toml:7:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[http.token]] role: unknown key"), std::string::npos) << e;

  e = error_of(std::string(kMinimal) + "[http]\nport = 8080\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("[http] port: unknown key"), std::string::npos) << e;

  e = error_of(std::string(kMinimal) + "[http]\ntoken = \"long-enough\"\n");
  EXPECT_NE(e.find("cc.toml:5:"), std::string::npos) << e;
  EXPECT_NE(e.find("[[http.token]]: expected an array of tables, found a string"), std::string::npos) << e;

  e = error_of(std::string(kMinimal) + "[[http.token]]\ntoken = \"long-enough\"\nuser = \"\"\n");
  EXPECT_NE(e.find("[[http.token]] user: must not be empty"), std::string::npos) << e;
}

}  // namespace
}  // namespace opentapi::acd

// ---- numbers (docs/calls.md) ----

namespace opentapi::acd {
namespace {

const char* kQueues = R"([[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[queue]]
id = 12
name = "VIP"
group = "Sales"
)";

TEST(ConfigNumbers, QueuesAreNumberedFrom8000ByDefault) {
  auto c = parse_config(kQueues, "cc.toml");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->queues[0].number, "8001");
  EXPECT_EQ(c->queues[1].number, "8012");
  EXPECT_EQ(c->switching.first_number, "2001");
  EXPECT_EQ(c->switching.trunk_number, "0");
  EXPECT_TRUE(c->switching.lines.empty());
}

TEST(ConfigNumbers, ReadsQueueLineAndSwitchNumbersAndPrintsThem) {
  const std::string text = std::string(kQueues) + R"(number = "+49*12#"

[switch]
first_number = "0100"
trunk_number = "9"

[[line]]
device = 3
numbers = ["3100", "3101"]
)";
  auto c = parse_config(text, "cc.toml");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->queues[1].number, "+49*12#");
  EXPECT_EQ(c->switching.first_number, "0100");
  EXPECT_EQ(c->switching.trunk_number, "9");
  ASSERT_EQ(c->switching.lines.size(), 1u);
  EXPECT_EQ(c->switching.lines[0].device, 3u);
  EXPECT_EQ(c->switching.lines[0].numbers, (std::vector<std::string>{"3100", "3101"}));
  const std::string printed = print_config(*c);
  EXPECT_NE(printed.find("number = \"+49*12#\""), std::string::npos);
  EXPECT_NE(printed.find("[[line]]\ndevice = 3\nnumbers = [\"3100\", \"3101\"]"), std::string::npos);
  auto again = parse_config(printed, "printed");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  again->source = c->source;
  EXPECT_EQ(print_config(*again), printed);
}

TEST(ConfigNumbers, RefusesBadNumbersNamingTheKey) {
  EXPECT_EQ(error_of(std::string(kQueues) + "number = \"80 12\"\n"),
            "cc.toml:14:10: [[queue]] number: \"80 12\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
  EXPECT_EQ(error_of(std::string(kQueues) + "number = \"8001\"\n"),
            "cc.toml:14:10: [[queue]] number: number 8001 is already queue 1");
  EXPECT_EQ(error_of(std::string(kMinimal) + "[switch]\nfirst_number = \"20a\"\n"),
            "cc.toml:5:16: [switch] first_number: \"20a\" is not 1-32 digits");
  EXPECT_EQ(error_of(std::string(kMinimal) + "[switch]\ntrunk_number = \"\"\n"),
            "cc.toml:5:16: [switch] trunk_number: \"\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
  EXPECT_EQ(error_of(std::string(kMinimal) + "[switch]\nnumbers = 1\n"), "cc.toml:5:1: [switch] numbers: unknown key");
  EXPECT_EQ(error_of(std::string(kMinimal) + "[[line]]\ndevice = 1\nnumbers = [\"x\"]\n"),
            "cc.toml:6:11: [[line]] numbers: \"x\" is not a dialable number (1-32 of 0-9 * #, + allowed first)");
  EXPECT_EQ(
      error_of(std::string(kMinimal) + "[[line]]\ndevice = 1\nnumbers = [\"1\"]\n[[line]]\ndevice = 1\nnumbers = []\n"),
      "cc.toml:8:10: [[line]] device: device 1 listed twice");
  EXPECT_EQ(error_of(std::string(kMinimal) + "[[line]]\ndevice = 1\n"),
            "cc.toml:4:1: [[line]] numbers: missing (required)");
}

}  // namespace
}  // namespace opentapi::acd
