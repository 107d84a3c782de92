#!/usr/bin/env bash
# Installs every Debian 12 package that qantara's build, server and tests need.
# Idempotent: when everything is already installed it changes nothing and
# does not touch the network. Run as root (or through sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git python3
  # gRPC and protobuf (health.proto comes from grpc-proto)
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  # google/rpc/{status,error_details,code}.proto: the rich error details every
  # error carries (README.md, "Errors"); Debian ships these protos, unchanged
  # from googleapis, only in this Go package
  golang-github-gogo-googleapis-dev
  # storage
  librocksdb-dev
  # the server's allocator (less CPU and a flat RSS under bulk imports)
  libjemalloc-dev
  # text engine
  libicu-dev libstemmer-dev libabsl-dev libxxhash-dev zlib1g-dev
  # formats (libxml2: HTML documents for import-docs)
  libexpat1-dev libxml2-dev
  # CLI and JSON; OpenSSL: the CLI's SHA-256 of an imported file (resume keys)
  libcli11-dev nlohmann-json3-dev libssl-dev
  # the HTTP/JSON edge (--http-listen): cpp-httplib, built with OpenSSL;
  # python3-jsonschema: its e2e test checks responses against the OpenAPI document
  libcpp-httplib-dev python3-jsonschema
  # tests and benchmarks (python3-grpcio, python3-protobuf: the crash harness and
  # the --sync-writes benchmark talk gRPC from /usr/bin/python3)
  libgtest-dev libgmock-dev libbenchmark-dev python3-grpcio python3-protobuf
  # fuzzing (tests/fuzz/run_fuzzers.sh: clang with libFuzzer and sanitizers)
  clang libclang-rt-14-dev
  # style: clang-format 14 (.clang-format; tests/format_check.sh in .ci/run)
  clang-format
  # real tools reading qantara's TMX exports (e2e tests): Translate Toolkit
  # (tmx2po), and OmegaT 3.6 in console mode (tests/e2e/omegat_test.py;
  # 80 packages, about 80 MB to download, 121 MB installed, 1 min, besides the
  # JRE; it pulls default-jre); python3-cheroot: the HTTP server Translate
  # Toolkit's tmserver runs on (not among its Depends; tests/e2e/tmserver_diff_test.py)
  translate-toolkit python3-cheroot omegat
  # PO files read by gettext's own parser (service/formats/po_reader.cc), CSV
  # by libcsv (service/formats/csv_reader.cc)
  libgettextpo-dev libcsv-dev
  # gettext's msgunfmt: PO files from Debian's installed Arabic catalogues
  # (tests/e2e/import_tools_test.py)
  gettext
  # bilingual dictionaries for alignment
  dict-freedict-ara-eng dict-freedict-eng-ara
  # promtool (`promtool check metrics`): the test of the /metrics text
  # (tests/service/rpc/metrics_test.cc); the package also ships the
  # Prometheus server, which is switched off below when this run installs it
  prometheus
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Installing `prometheus` on a systemd machine enables and starts a Prometheus
# server (port 9090, scraping itself, writing /var/lib/prometheus): qantara
# needs only its promtool. Stopped and disabled when this run installed it
# (one that was installed before is left as it is: someone may be using it).
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus || echo "install-deps: could not stop the prometheus service" >&2
fi
echo "install-deps: done"
