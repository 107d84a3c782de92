// Shared plumbing of the qantara CLI: the connection, deadlines, errors.
#include "clients/cli/client.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/exit_status.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "nlohmann/json.hpp"
#include "qantara/v1/server.grpc.pb.h"
#include "service/base/flag_file.h"

namespace qantara::cli {

std::string DefaultServer() {
  const char* env = std::getenv("QANTARA_SERVER");
  if (env != nullptr && *env != '\0') return env;
  return "127.0.0.1:50051";
}

namespace {

// `path`'s contents, which must hold PEM text of `kind` ("CERTIFICATE",
// "PRIVATE KEY": the word after BEGIN ends with it).
absl::Status ReadPem(const char* flag, const std::string& path, const char* kind, std::string* out) {
  absl::StatusOr<std::string> text = ReadFlagFile(flag, path);
  if (!text.ok()) return text.status();
  *out = *std::move(text);
  if (out->find(absl::StrCat(kind, "-----")) == std::string::npos ||
      out->find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, ": no PEM ", absl::AsciiStrToLower(kind),
                                                   " in it (want -----BEGIN ", kind, "-----)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadTlsFiles(TlsOptions* tls) {
  if (tls->cert_file.empty() != tls->key_file.empty()) {
    return absl::InvalidArgumentError(
        tls->cert_file.empty()
            ? "--tls-key (or QANTARA_TLS_KEY) given without --tls-cert (QANTARA_TLS_CERT): give both"
            : "--tls-cert (or QANTARA_TLS_CERT) given without --tls-key (QANTARA_TLS_KEY): give both");
  }
  if (!tls->ca_file.empty()) {
    if (absl::Status s = ReadPem("--tls-ca", tls->ca_file, "CERTIFICATE", &tls->ca_pem); !s.ok()) return s;
  }
  if (!tls->cert_file.empty()) {
    if (absl::Status s = ReadPem("--tls-cert", tls->cert_file, "CERTIFICATE", &tls->cert_pem); !s.ok()) {
      return s;
    }
    if (absl::Status s = ReadPem("--tls-key", tls->key_file, "PRIVATE KEY", &tls->key_pem); !s.ok()) return s;
  }
  return absl::OkStatus();
}

namespace {

// A channel to options.server with `service_config` ("": none).
std::shared_ptr<grpc::Channel> NewChannel(const GlobalOptions& options, const std::string& service_config) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  args.SetMaxSendMessageSize(256 * 1024 * 1024);
  if (!service_config.empty()) args.SetServiceConfigJSON(service_config);
  if (!options.tls.enabled()) {
    return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.tls.ca_pem;  // "": the system's roots
  ssl.pem_private_key = options.tls.key_pem;
  ssl.pem_cert_chain = options.tls.cert_pem;
  return grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), args);
}

}  // namespace

std::string WithoutTimeouts(const std::string& json) {
  nlohmann::json config = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object()) return "";
  if (auto methods = config.find("methodConfig"); methods != config.end() && methods->is_array()) {
    for (nlohmann::json& method : *methods) {
      if (method.is_object()) method.erase("timeout");
    }
  }
  return config.dump();
}

absl::StatusOr<qantara::v1::ServerInfo> FetchServerInfo(const GlobalOptions& options,
                                                        double timeout_seconds) {
  qantara::v1::ServerService::Stub stub(NewChannel(options, ""));
  grpc::ClientContext context;
  AddToken(context, options);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000)));
  qantara::v1::ServerInfo info;
  const grpc::Status status = stub.GetServerInfo(&context, qantara::v1::GetServerInfoRequest(), &info);
  if (!status.ok()) return FromGrpc(status);
  return info;
}

std::string ClientServiceConfig(const GlobalOptions& options) {
  static std::mutex mu;
  static auto* configs = new std::map<std::string, std::string>();  // by server; never freed
  const std::string key = absl::StrCat(options.tls.enabled() ? "tls:" : "plain:", options.server);
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = configs->find(key); it != configs->end()) return it->second;
  absl::StatusOr<qantara::v1::ServerInfo> info =
      FetchServerInfo(options, std::min(2.0, options.timeout_seconds));
  std::string config = info.ok() ? WithoutTimeouts(info->service_config_json()) : "";
  (*configs)[key] = config;
  return config;
}

std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options) {
  return NewChannel(options, ClientServiceConfig(options));
}

absl::Status ResolveToken(GlobalOptions* options) {
  if (!options->token.empty()) return absl::OkStatus();
  if (!options->token_file.empty()) {
    std::ifstream in(options->token_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return absl::InvalidArgumentError(absl::StrCat("--token-file ", options->token_file,
                                                     ": cannot read it (", std::strerror(errno), ")"));
    }
    options->token = std::string(absl::StripAsciiWhitespace(line));
    if (options->token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token-file ", options->token_file, ": its first line holds no token"));
    }
    return absl::OkStatus();
  }
  const char* env = std::getenv("QANTARA_TOKEN");
  if (env != nullptr) options->token = std::string(absl::StripAsciiWhitespace(env));
  return absl::OkStatus();
}

void AddToken(grpc::ClientContext& context, const GlobalOptions& options) {
  if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
}

void Prepare(grpc::ClientContext& context, const GlobalOptions& options) {
  AddToken(context, options);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000)));
  context.set_wait_for_ready(false);
}

std::string NewRequestId() {
  absl::BitGen gen;
  return absl::StrFormat("cli-%016x%016x", absl::Uniform<uint64_t>(gen), absl::Uniform<uint64_t>(gen));
}

int ReportError(const std::string& message, int code) {
  std::fprintf(stderr, "qantara: %.*s\n", static_cast<int>(message.size()), message.data());
  return code;
}

int ReportRpcError(const GlobalOptions& options, const char* what, const grpc::Status& status) {
  const absl::Status s = FromGrpc(status);
  return ReportError(RpcErrorMessage(options, what, s), ExitCodeFor(s));
}

int ReportRpcError(const GlobalOptions& options, const char* what, const absl::Status& status) {
  return ReportError(RpcErrorMessage(options, what, status), ExitCodeFor(status));
}

int PrintOutput(const std::string& text) {
  const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  return written && std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
}

}  // namespace qantara::cli
