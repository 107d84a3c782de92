// IsLoopbackHost and CheckTlsFlags: which --listen hosts may serve plaintext
// without --insecure, and the flag combinations refused at start.
#include "service/server/tls_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qantara::server {
namespace {

using ::testing::HasSubstr;

TEST(IsLoopbackHost, Loopback) {
  for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "127.255.255.255", "[::1]",
                           "::1", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(IsLoopbackHost, NotLoopback) {
  for (const char* host :
       {"0.0.0.0", "[::]", "::", "192.168.1.10", "10.0.0.1", "128.0.0.1", "126.0.0.1", "[fe80::1]",
        "[::ffff:10.0.0.1]", "example.com", "localhost.example.com", "mylocalhost", "127.0.0.1.nip.io", "",
        "[]", "127.0.0", "[127.0.0.1]", "[localhost]"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(CheckTlsFlags, PlaintextOnLoopbackNeedsNothing) {
  EXPECT_TRUE(CheckTlsFlags(TlsFlags{}, ListenAddress{"127.0.0.1", 0}).ok());
  EXPECT_TRUE(CheckTlsFlags(TlsFlags{}, ListenAddress{"localhost", 50051}).ok());
  EXPECT_TRUE(CheckTlsFlags(TlsFlags{}, ListenAddress{"[::1]", 50051}).ok());
}

TEST(CheckTlsFlags, PlaintextBeyondLoopbackNeedsInsecure) {
  const absl::Status refused = CheckTlsFlags(TlsFlags{}, ListenAddress{"0.0.0.0", 50051});
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("0.0.0.0:50051"));
  EXPECT_THAT(refused.message(), HasSubstr("--tls-cert FILE --tls-key FILE"));
  EXPECT_THAT(refused.message(), HasSubstr("--insecure"));
  TlsFlags insecure;
  insecure.insecure = true;
  EXPECT_TRUE(CheckTlsFlags(insecure, ListenAddress{"0.0.0.0", 50051}).ok());
  TlsFlags tls;
  tls.cert_file = "cert.pem";
  tls.key_file = "key.pem";
  EXPECT_TRUE(CheckTlsFlags(tls, ListenAddress{"192.168.1.10", 50051}).ok());
}

TEST(CheckTlsFlags, CertAndKeyBothOrNeither) {
  TlsFlags cert_only;
  cert_only.cert_file = "cert.pem";
  const absl::Status no_key = CheckTlsFlags(cert_only, ListenAddress{"127.0.0.1", 0});
  EXPECT_EQ(no_key.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_key.message(), HasSubstr("--tls-cert given without --tls-key"));
  TlsFlags key_only;
  key_only.key_file = "key.pem";
  EXPECT_THAT(CheckTlsFlags(key_only, ListenAddress{"127.0.0.1", 0}).message(),
              HasSubstr("--tls-key given without --tls-cert"));
  TlsFlags ca_only;
  ca_only.client_ca_file = "ca.pem";
  EXPECT_THAT(CheckTlsFlags(ca_only, ListenAddress{"127.0.0.1", 0}).message(),
              HasSubstr("--tls-client-ca needs --tls-cert and --tls-key"));
}

TEST(LoadTlsMaterial, UnreadableFilesNamed) {
  TlsFlags f;
  f.cert_file = "/nonexistent/cert.pem";
  f.key_file = "/nonexistent/key.pem";
  const absl::StatusOr<TlsMaterial> m = LoadTlsMaterial(f);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("--tls-cert /nonexistent/cert.pem: cannot read it"));
}

}  // namespace
}  // namespace qantara::server
