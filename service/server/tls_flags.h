// qantara-server's transport security: --tls-cert/--tls-key (TLS),
// --tls-client-ca (mutual TLS), --insecure (plaintext beyond loopback),
// --reflection (the gRPC reflection service), and the TLS credentials whose
// certificates reload on SIGHUP.
//
// How the reload works with Debian 12's gRPC (1.51): grpc::experimental::
// TlsServerCredentials takes a certificate provider, and 1.51 has only two:
// StaticDataCertificateProvider (never reloads; swapping it means a new
// listener) and FileWatcherCertificateProvider (re-reads files every N s; a
// bad or half-written file there would stop new handshakes). So the server
// validates the operator's files itself (PEM, the key matches the
// certificate) and hands gRPC's file watcher private in-memory copies
// (memfd, read through /proc/self/fd/N; the private key never lands on
// another disk). Key and chain are one copy (key first, then the chain; both
// paths name it), so the watcher never sees a new key with an old
// certificate. SIGHUP re-reads and re-validates the operator's files, then
// swaps the copies atomically (dup2); the watcher, polling each second, hands
// new connections the new certificates within about a second. A bad new file
// is refused with an error and the old certificates keep serving.
#ifndef QANTARA_SERVICE_SERVER_TLS_FLAGS_H_
#define QANTARA_SERVICE_SERVER_TLS_FLAGS_H_

#include <memory>
#include <string>
#include <string_view>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "service/server/listen_address.h"

namespace qantara::server {

struct TlsFlags {
  std::string cert_file;       // PEM certificate chain, the server's first
  std::string key_file;        // PEM private key of that certificate (unencrypted)
  std::string client_ca_file;  // PEM CA(s) client certificates must be signed by; "": no mTLS
  bool insecure = false;       // plaintext allowed on a non-loopback address
  bool reflection = false;     // serve grpc.reflection.v1alpha.ServerReflection

  bool tls() const { return !cert_file.empty() || !key_file.empty(); }
};

// Declares the flags on `app`, storing into `*flags`.
void AddTlsFlags(CLI::App& app, TlsFlags* flags);

// Whether a --listen host (as ParseListenAddress returns it) reaches only
// this machine: "localhost" (any case), an IPv4 address in 127.0.0.0/8,
// "[::1]" / "::1", or an IPv4-mapped 127.x address (::ffff:127.0.0.1).
// Anything else, including 0.0.0.0, [::] and other host names, is not.
bool IsLoopbackHost(std::string_view host);

// The checks made before anything starts: --tls-cert and --tls-key both or
// neither, --tls-client-ca only with them, and plaintext on a non-loopback
// address only with --insecure. InvalidArgument naming the flags and the fix.
absl::Status CheckTlsFlags(const TlsFlags& flags, const ListenAddress& address);

// Without --reflection, keeps the reflection service off `builder`: gRPC's
// reflection library registers its plugin from a static initializer once it
// is loaded, so linking it would serve reflection on every server. (With
// --reflection the caller calls grpc::reflection::
// InitProtoReflectionServerBuilderPlugin(), which links the library.)
void ApplyReflectionFlag(const TlsFlags& flags, grpc::ServerBuilder& builder);

// What the server's TLS serves, read from the flags' files and validated.
struct TlsMaterial {
  std::string key_and_chain_pem;  // the private key, then the certificate chain
  std::string client_ca_pem;      // "" without --tls-client-ca
  std::string summary;            // "subject CN=..., serial ..., valid until ..."
  std::string warning;            // e.g. "the certificate has expired"; "" when none
};

// Reads --tls-cert, --tls-key and --tls-client-ca. InvalidArgument naming the
// flag and the file when one cannot be read, holds no PEM certificate (or
// key), the key is encrypted or does not match the certificate.
// REQUIRES: flags.tls()
absl::StatusOr<TlsMaterial> LoadTlsMaterial(const TlsFlags& flags);

// The server's TLS credentials, reloadable. Thread-compatible: Reload is
// called from one thread (the signal loop).
class TlsServer {
 public:
  // Validates the files (LoadTlsMaterial) and builds the credentials.
  static absl::StatusOr<std::unique_ptr<TlsServer>> Create(const TlsFlags& flags);
  ~TlsServer();

  std::shared_ptr<grpc::ServerCredentials> credentials() const { return credentials_; }
  const TlsMaterial& material() const { return material_; }

  // Re-reads and validates the files; on success new connections get the
  // new certificates (within about a second) and material() describes them.
  // On error nothing changes.
  absl::Status Reload();

 private:
  TlsServer(const TlsFlags& flags) : flags_(flags) {}
  absl::Status Publish(const TlsMaterial& material);

  TlsFlags flags_;
  TlsMaterial material_;
  int identity_fd_ = -1;  // memfd: key then chain
  int ca_fd_ = -1;        // memfd: client CA; -1 without mTLS
  std::shared_ptr<grpc::ServerCredentials> credentials_;
};

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_TLS_FLAGS_H_
