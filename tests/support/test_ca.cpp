#include "support/test_ca.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace opentapi::test_support {

TestCa::TestCa(std::string dir, const std::string& name) : dir_(std::move(dir)) {
  ca_.cert = dir_ + "/" + name + ".pem";
  ca_.key = dir_ + "/" + name + ".key";
  run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=" + name +
      "' -keyout '" + ca_.key + "' -out '" + ca_.cert + "'");
}

TestCa::Issued TestCa::issue(const std::string& file, const std::string& san, int days) {
  Issued out{dir_ + "/" + file + ".pem", dir_ + "/" + file + ".key"};
  const std::string csr = dir_ + "/" + file + ".csr";
  const std::string ext = dir_ + "/" + file + ".ext";
  { std::ofstream(ext) << "subjectAltName=" << san << "\nextendedKeyUsage=serverAuth,clientAuth\n"; }
  const bool ok = run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=" + file +
                      "' -keyout '" + out.key + "' -out '" + csr + "'") &&
                  run("openssl x509 -req -in '" + csr + "' -CA '" + ca_.cert + "' -CAkey '" + ca_.key +
                      "' -set_serial " + std::to_string(++serial_) + " -days " + std::to_string(days) + " -extfile '" +
                      ext + "' -out '" + out.cert + "'");
  if (!ok) return {};
  return out;
}

bool TestCa::run(const std::string& command) {
  const std::string log = dir_ + "/openssl.log";
  if (std::system((command + " >'" + log + "' 2>&1").c_str()) == 0) return true;
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  error_ = command + ": " + text.str();
  return false;
}

}  // namespace opentapi::test_support
