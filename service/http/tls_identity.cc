// Reloadable TLS material for the HTTP listener (service/http/tls_identity.h).
#include "service/http/tls_identity.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace qantara::http {

struct TlsIdentity::Material {
  X509* cert = nullptr;
  STACK_OF(X509) * chain = nullptr;
  EVP_PKEY* key = nullptr;
  X509_STORE* ca = nullptr;  // client CAs; null without mTLS
  STACK_OF(X509_NAME) * ca_names = nullptr;

  ~Material() {
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    EVP_PKEY_free(key);
    X509_STORE_free(ca);
    sk_X509_NAME_pop_free(ca_names, X509_NAME_free);
  }
};

namespace {

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "no details";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

}  // namespace

TlsIdentity::TlsIdentity(std::string cert_file, std::string key_file, std::string client_ca_file)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      client_ca_file_(std::move(client_ca_file)) {}

TlsIdentity::~TlsIdentity() = default;

absl::Status TlsIdentity::Load() {
  auto m = std::make_shared<Material>();
  {
    BIO* bio = BIO_new_file(cert_file_.c_str(), "r");
    if (bio == nullptr)
      return absl::InvalidArgumentError(absl::StrCat("--tls-cert ", cert_file_, ": cannot read"));
    m->cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    m->chain = sk_X509_new_null();
    while (X509* extra = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) sk_X509_push(m->chain, extra);
    ERR_clear_error();  // the end of the file reads as an error
    BIO_free(bio);
    if (m->cert == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("--tls-cert ", cert_file_, ": no PEM certificate"));
    }
  }
  {
    BIO* bio = BIO_new_file(key_file_.c_str(), "r");
    if (bio == nullptr)
      return absl::InvalidArgumentError(absl::StrCat("--tls-key ", key_file_, ": cannot read"));
    m->key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (m->key == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-key ", key_file_, ": no PEM private key (", OpenSslError(), ")"));
    }
    if (X509_check_private_key(m->cert, m->key) != 1) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-key ", key_file_, " is not the key of the certificate in ", cert_file_));
    }
  }
  if (!client_ca_file_.empty()) {
    m->ca = X509_STORE_new();
    m->ca_names = SSL_load_client_CA_file(client_ca_file_.c_str());
    if (X509_STORE_load_file(m->ca, client_ca_file_.c_str()) != 1 || m->ca_names == nullptr) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-client-ca ", client_ca_file_, ": no PEM certificates"));
    }
  }
  absl::MutexLock lock(&mu_);
  current_ = std::move(m);
  return absl::OkStatus();
}

bool TlsIdentity::Configure(SSL_CTX& ctx) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_cert_cb(&ctx, &TlsIdentity::OnCertificate, this);
  if (!client_ca_file_.empty()) {
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return true;
}

int TlsIdentity::OnCertificate(SSL* ssl, void* arg) {
  auto* self = static_cast<TlsIdentity*>(arg);
  std::shared_ptr<Material> m;
  {
    absl::MutexLock lock(&self->mu_);
    m = self->current_;
  }
  if (m == nullptr) return 0;
  if (SSL_use_cert_and_key(ssl, m->cert, m->key, m->chain, /*override=*/1) != 1) return 0;
  if (m->ca != nullptr) {
    if (SSL_set1_verify_cert_store(ssl, m->ca) != 1) return 0;
    STACK_OF(X509_NAME)* names = SSL_dup_CA_list(m->ca_names);
    if (names == nullptr) return 0;
    SSL_set_client_CA_list(ssl, names);  // takes ownership
  }
  return 1;
}

}  // namespace qantara::http
