// A throw-away certificate authority for TLS tests and benchmarks, made with
// the `openssl` command line in a directory of the caller's: a CA, then
// server and client certificates it signs (valid, expired, for any names).
#ifndef OPENTAPI_TESTS_SUPPORT_TEST_CA_H_
#define OPENTAPI_TESTS_SUPPORT_TEST_CA_H_

#include <string>

namespace opentapi::test_support {

class TestCa {
 public:
  struct Issued {
    std::string cert;  // PEM certificate file
    std::string key;   // PEM private key file (unencrypted)
  };

  // Makes `dir`/`name`.pem and its key (P-256, valid for two days). On
  // failure error() says why (the openssl output).
  TestCa(std::string dir, const std::string& name);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& ca_file() const { return ca_.cert; }

  // A certificate `file`.pem (+ `file`.key) signed by this CA for the
  // subjectAltName `san` (e.g. "DNS:localhost,IP:127.0.0.1"), valid from now
  // for `days` days; days < 0 gives one already expired (its notAfter is
  // in the past). Empty fields and error() set on failure.
  Issued issue(const std::string& file, const std::string& san, int days = 1);

 private:
  bool run(const std::string& command);

  std::string dir_;
  Issued ca_;
  std::string error_;
  int serial_ = 1;
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_TEST_CA_H_
