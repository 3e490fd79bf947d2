#include "proto/address.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace opentapi::proto {
namespace {

ServerAddress parse_ok(std::string_view text) {
  const ParsedAddress p = parse_server_address(text);
  EXPECT_TRUE(p) << p.error;
  return p.address.value_or(ServerAddress{});
}

std::string parse_error(std::string_view text) {
  const ParsedAddress p = parse_server_address(text);
  EXPECT_FALSE(p) << text;
  return p.error;
}

TEST(ServerAddress, ParsesUnixPath) {
  EXPECT_EQ(parse_ok("unix:/run/opentapi/opentapid.sock"), ServerAddress::unix_socket("/run/opentapi/opentapid.sock"));
  EXPECT_EQ(parse_ok("unix:relative.sock"), ServerAddress::unix_socket("relative.sock"));
}

TEST(ServerAddress, ParsesTcpHostAndPort) {
  EXPECT_EQ(parse_ok("tcp:127.0.0.1:4610"), ServerAddress::tcp("127.0.0.1", 4610));
  EXPECT_EQ(parse_ok("tcp:acd.example.com:1"), ServerAddress::tcp("acd.example.com", 1));
  EXPECT_EQ(parse_ok("tcp:[::1]:65535"), ServerAddress::tcp("::1", 65535));
  EXPECT_EQ(parse_ok("tcp:0.0.0.0:0"), ServerAddress::tcp("0.0.0.0", 0));
}

TEST(ServerAddress, TcpWithoutHostMeansLoopback) {
  EXPECT_EQ(parse_ok("tcp:4610"), ServerAddress::tcp("127.0.0.1", 4610));
}

TEST(ServerAddress, ParsesTlsLikeTcp) {
  EXPECT_EQ(parse_ok("tls:acd.example.com:4611"), ServerAddress::tls("acd.example.com", 4611));
  EXPECT_EQ(parse_ok("tls:[::1]:4611"), ServerAddress::tls("::1", 4611));
  EXPECT_EQ(parse_ok("tls:4611"), ServerAddress::tls("127.0.0.1", 4611));
  EXPECT_TRUE(parse_ok("tls:h:1").is_network());
  EXPECT_FALSE(parse_ok("unix:/x").is_network());
  EXPECT_NE(parse_error("tls::1").find("tls:HOST:PORT"), std::string::npos);
}

TEST(ServerAddress, ToStringRoundTrips) {
  for (const char* text :
       {"unix:/tmp/x.sock", "tcp:127.0.0.1:4610", "tcp:[::1]:4610", "tcp:host:9", "tls:host:9", "tls:[::1]:4611"}) {
    EXPECT_EQ(parse_ok(text).to_string(), text);
  }
}

TEST(ServerAddress, RejectsUnknownScheme) {
  EXPECT_NE(parse_error("/tmp/x.sock").find("expected unix:PATH"), std::string::npos);
  EXPECT_NE(parse_error("udp:1.2.3.4:5").find("expected unix:PATH"), std::string::npos);
  EXPECT_NE(parse_error("").find("expected unix:PATH"), std::string::npos);
}

TEST(ServerAddress, RejectsEmptyAndOverlongUnixPaths) {
  EXPECT_NE(parse_error("unix:").find("empty"), std::string::npos);
  EXPECT_TRUE(parse_server_address("unix:/" + std::string(106, 'a')));
  EXPECT_NE(parse_error("unix:/" + std::string(107, 'a')).find("at most 107"), std::string::npos);
  EXPECT_NE(parse_error(std::string("unix:/a\0b", 9)).find("NUL"), std::string::npos);
}

TEST(ServerAddress, RejectsBadTcpForms) {
  EXPECT_NE(parse_error("tcp:host:").find("port ''"), std::string::npos);
  EXPECT_NE(parse_error("tcp:host:65536").find("0..65535"), std::string::npos);
  EXPECT_NE(parse_error("tcp:host:12x").find("0..65535"), std::string::npos);
  EXPECT_NE(parse_error("tcp:host:-1").find("0..65535"), std::string::npos);
  EXPECT_NE(parse_error("tcp::4610").find("host is empty"), std::string::npos);
  EXPECT_NE(parse_error("tcp:::1:4610").find("brackets"), std::string::npos);
  EXPECT_NE(parse_error("tcp:[::1:4610").find("']'"), std::string::npos);
  EXPECT_NE(parse_error("tcp:[::1]4610").find("':PORT'"), std::string::npos);
  EXPECT_NE(parse_error("tcp:[]:4610").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("tcp:").find("port"), std::string::npos);
}

TEST(ServerAddress, ErrorQuotesTheText) { EXPECT_NE(parse_error("nonsense").find("'nonsense'"), std::string::npos); }

// Restores an environment variable when the test ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DefaultServerAddress, UsesXdgRuntimeDir) {
  ScopedEnv env("XDG_RUNTIME_DIR", "/run/user/1234");
  EXPECT_EQ(default_server_address(), "/run/user/1234/opentapi/opentapid.sock");
}

TEST(DefaultServerAddress, FallsBackToTmpPerUid) {
  ScopedEnv env("XDG_RUNTIME_DIR", nullptr);
  EXPECT_EQ(default_server_address(), "/tmp/opentapi-" + std::to_string(::getuid()) + "/opentapid.sock");
  ScopedEnv empty("XDG_RUNTIME_DIR", "");
  EXPECT_EQ(default_server_address(), "/tmp/opentapi-" + std::to_string(::getuid()) + "/opentapid.sock");
}

TEST(ClientServerAddress, PrefersOpentapiServer) {
  ScopedEnv xdg("XDG_RUNTIME_DIR", "/run/user/1");
  {
    ScopedEnv env(kServerAddressVariable, "tcp:10.0.0.1:4610");
    const ParsedAddress p = client_server_address();
    ASSERT_TRUE(p);
    EXPECT_EQ(*p.address, ServerAddress::tcp("10.0.0.1", 4610));
  }
  {
    ScopedEnv env(kServerAddressVariable, "bogus");
    EXPECT_FALSE(client_server_address());
  }
  ScopedEnv env(kServerAddressVariable, nullptr);
  const ParsedAddress p = client_server_address();
  ASSERT_TRUE(p);
  EXPECT_EQ(p.address->path, "/run/user/1/opentapi/opentapid.sock");
}

}  // namespace
}  // namespace opentapi::proto
