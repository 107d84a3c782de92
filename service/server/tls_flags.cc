// The flags and TLS credentials of service/server/tls_flags.h.
#include "service/server/tls_flags.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "service/base/flag_file.h"

namespace qantara::server {

void AddTlsFlags(CLI::App& app, TlsFlags* f) {
  app.add_option("--tls-cert", f->cert_file,
                 "PEM file of the server's certificate chain (its own certificate first); with "
                 "--tls-key the server speaks TLS only. Reloaded on SIGHUP");
  app.add_option("--tls-key", f->key_file,
                 "PEM file of the private key (unencrypted) of --tls-cert. Reloaded on SIGHUP");
  app.add_option("--tls-client-ca", f->client_ca_file,
                 "PEM file of the CA(s) that sign client certificates: clients must then present "
                 "one (mutual TLS). Reloaded on SIGHUP");
  app.add_flag("--insecure", f->insecure,
               "allow plaintext (no TLS) on a non-loopback --listen address, e.g. behind a "
               "TLS-terminating proxy; anyone on the network can then read and alter calls");
  app.add_flag("--reflection", f->reflection,
               "serve the gRPC reflection service (lets grpcurl/grpc_cli list and call the API)");
}

bool IsLoopbackHost(std::string_view host) {
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);  // IPv6 only
  const std::string h(host);
  if (!bracketed && absl::AsciiStrToLower(h) == "localhost") return true;
  in_addr v4{};
  if (!bracketed && inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

absl::Status CheckTlsFlags(const TlsFlags& f, const ListenAddress& address) {
  if (f.cert_file.empty() != f.key_file.empty()) {
    return absl::InvalidArgumentError(
        f.cert_file.empty() ? "--tls-key given without --tls-cert: give both (the certificate chain and "
                              "its private key) or neither"
                            : "--tls-cert given without --tls-key: give both (the certificate chain and "
                              "its private key) or neither");
  }
  if (!f.client_ca_file.empty() && !f.tls()) {
    return absl::InvalidArgumentError(
        "--tls-client-ca needs --tls-cert and --tls-key (mutual TLS is TLS with client certificates)");
  }
  if (!f.tls() && !f.insecure && !IsLoopbackHost(address.host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to serve plaintext on ", address.host, ":", address.port,
        ", which is reachable beyond this machine: give --tls-cert FILE --tls-key FILE to serve TLS, "
        "or --insecure to serve plaintext anyway (e.g. behind a TLS-terminating proxy), or listen on "
        "127.0.0.1"));
  }
  return absl::OkStatus();
}

namespace {

// Drops the reflection plugin from a ServerBuilder.
class NoReflection : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin>& p) {
      return p->name().find("reflection") != std::string::npos;
    });
  }
};

}  // namespace

void ApplyReflectionFlag(const TlsFlags& flags, grpc::ServerBuilder& builder) {
  if (!flags.reflection) builder.SetOption(std::make_unique<NoReflection>());
}

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Refuses to prompt for a passphrase (an encrypted key then fails to load).
int NoPassword(char*, int, int, void*) { return -1; }

BioPtr MemoryBio(const std::string& data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Every certificate of a PEM text, in order.
std::vector<X509Ptr> ParseCertificates(const std::string& pem) {
  std::vector<X509Ptr> certs;
  BioPtr bio = MemoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr)) certs.emplace_back(cert);
  ERR_clear_error();  // the end of the text
  return certs;
}

std::string NameOf(const X509_NAME* name) {
  BioPtr out(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string Summary(X509* cert) {
  std::string serial = "?";
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    if (char* hex = BN_bn2hex(bn)) {
      serial = hex;
      OPENSSL_free(hex);
    }
    BN_free(bn);
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(out.get(), X509_get0_notAfter(cert));
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return absl::StrCat("subject ", NameOf(X509_get_subject_name(cert)), ", serial ", serial, ", valid until ",
                      std::string(data, static_cast<size_t>(n)));
}

std::string PemOf(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// A memfd holding `data`, close-on-exec.
absl::StatusOr<int> MemoryFile(const char* name, const std::string& data) {
  const int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("memfd_create: ", std::strerror(errno)));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      close(fd);
      return absl::InternalError(absl::StrCat("writing a memfd: ", std::strerror(error)));
    }
    done += static_cast<size_t>(n);
  }
  return fd;
}

// Puts `data` behind descriptor `*fd` atomically (a new memfd dup2'ed over
// it), or makes `*fd` when it is -1.
absl::Status Replace(int* fd, const char* name, const std::string& data) {
  absl::StatusOr<int> fresh = MemoryFile(name, data);
  if (!fresh.ok()) return fresh.status();
  if (*fd < 0) {
    *fd = *fresh;
    return absl::OkStatus();
  }
  const int r = dup3(*fresh, *fd, O_CLOEXEC);
  const int error = errno;
  close(*fresh);
  if (r < 0) return absl::InternalError(absl::StrCat("dup3: ", std::strerror(error)));
  return absl::OkStatus();
}

std::string ProcPath(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

}  // namespace

absl::StatusOr<TlsMaterial> LoadTlsMaterial(const TlsFlags& f) {
  absl::StatusOr<std::string> cert_text = ReadFlagFile("--tls-cert", f.cert_file);
  if (!cert_text.ok()) return cert_text.status();
  absl::StatusOr<std::string> key_text = ReadFlagFile("--tls-key", f.key_file);
  if (!key_text.ok()) return key_text.status();

  std::vector<X509Ptr> chain = ParseCertificates(*cert_text);
  if (chain.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls-cert ", f.cert_file, ": no PEM certificate in it (want -----BEGIN CERTIFICATE-----)"));
  }
  BioPtr key_bio = MemoryBio(*key_text);
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassword, nullptr));
  if (key == nullptr) {
    const bool encrypted = key_text->find("ENCRYPTED") != std::string::npos;
    ERR_clear_error();
    return absl::InvalidArgumentError(
        encrypted
            ? absl::StrCat("--tls-key ", f.key_file,
                           ": the private key is encrypted; give an unencrypted one (e.g. `openssl pkey "
                           "-in KEY -out PLAIN`, readable only by the server's user)")
            : absl::StrCat("--tls-key ", f.key_file,
                           ": no PEM private key in it (want -----BEGIN PRIVATE KEY-----)"));
  }
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("--tls-key ", f.key_file, " does not match the certificate in --tls-cert ", f.cert_file,
                     " (", NameOf(X509_get_subject_name(chain.front().get())), ")"));
  }

  TlsMaterial m;
  // The key first, then the chain, as gRPC reads them (see the header).
  BioPtr out(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return absl::InternalError(absl::StrCat("--tls-key ", f.key_file, ": cannot re-encode the key"));
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  m.key_and_chain_pem.assign(data, static_cast<size_t>(n));
  for (const X509Ptr& cert : chain) m.key_and_chain_pem += PemOf(cert.get());
  m.summary = Summary(chain.front().get());
  if (X509_cmp_current_time(X509_get0_notAfter(chain.front().get())) < 0) {
    m.warning =
        absl::StrCat("the certificate in --tls-cert ", f.cert_file, " has expired: clients will refuse it");
  } else if (X509_cmp_current_time(X509_get0_notBefore(chain.front().get())) > 0) {
    m.warning = absl::StrCat("the certificate in --tls-cert ", f.cert_file,
                             " is not valid yet: clients will refuse it");
  }

  if (!f.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca_text = ReadFlagFile("--tls-client-ca", f.client_ca_file);
    if (!ca_text.ok()) return ca_text.status();
    std::vector<X509Ptr> cas = ParseCertificates(*ca_text);
    if (cas.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--tls-client-ca ", f.client_ca_file,
                                                     ": no PEM certificate in it (want -----BEGIN "
                                                     "CERTIFICATE-----)"));
    }
    for (const X509Ptr& ca : cas) m.client_ca_pem += PemOf(ca.get());
  }
  return m;
}

absl::StatusOr<std::unique_ptr<TlsServer>> TlsServer::Create(const TlsFlags& flags) {
  absl::StatusOr<TlsMaterial> material = LoadTlsMaterial(flags);
  if (!material.ok()) return material.status();
  std::unique_ptr<TlsServer> server(new TlsServer(flags));
  if (absl::Status published = server->Publish(*material); !published.ok()) return published;
  const std::string identity = ProcPath(server->identity_fd_);
  // Polled each second: a reload reaches new connections within about that.
  constexpr unsigned kRefreshSeconds = 1;
  auto provider = server->ca_fd_ < 0 ? std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
                                           identity, identity, kRefreshSeconds)
                                     : std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
                                           identity, identity, ProcPath(server->ca_fd_), kRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (server->ca_fd_ >= 0) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  } else {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  }
  server->credentials_ = grpc::experimental::TlsServerCredentials(options);
  if (server->credentials_ == nullptr) return absl::InternalError("cannot build the TLS credentials");
  return server;
}

// The descriptors stay open until the process exits: gRPC's watcher thread
// may outlive this object (it is owned by the credentials, which the server
// keeps).
TlsServer::~TlsServer() = default;

absl::Status TlsServer::Publish(const TlsMaterial& material) {
  if (absl::Status s = Replace(&identity_fd_, "qantara-tls-identity", material.key_and_chain_pem); !s.ok()) {
    return s;
  }
  if (!material.client_ca_pem.empty()) {
    if (absl::Status s = Replace(&ca_fd_, "qantara-tls-client-ca", material.client_ca_pem); !s.ok()) return s;
  }
  material_ = material;
  return absl::OkStatus();
}

absl::Status TlsServer::Reload() {
  absl::StatusOr<TlsMaterial> material = LoadTlsMaterial(flags_);
  if (!material.ok()) return material.status();
  return Publish(*material);
}

}  // namespace qantara::server
