// The HTTP listener's TLS certificate, key and client CAs, reloadable while
// it serves (SIGHUP, as the gRPC listener's): each new connection takes the
// material current when its handshake asks for a certificate (OpenSSL's
// certificate callback), open connections keep theirs. A load that fails
// (unreadable file, not PEM, key not matching) changes nothing.
#ifndef QANTARA_SERVICE_HTTP_TLS_IDENTITY_H_
#define QANTARA_SERVICE_HTTP_TLS_IDENTITY_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace qantara::http {

class TlsIdentity {
 public:
  TlsIdentity(std::string cert_file, std::string key_file, std::string client_ca_file);
  ~TlsIdentity();

  // Reads and checks the files; on success new handshakes use them.
  absl::Status Load();

  // Sets up the listener's context: TLS 1.2 or newer, the certificate
  // callback, client certificates required when there is a client CA file.
  bool Configure(SSL_CTX& ctx);

 private:
  struct Material;
  static int OnCertificate(SSL* ssl, void* self);

  const std::string cert_file_, key_file_, client_ca_file_;
  absl::Mutex mu_;
  std::shared_ptr<Material> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qantara::http

#endif  // QANTARA_SERVICE_HTTP_TLS_IDENTITY_H_
