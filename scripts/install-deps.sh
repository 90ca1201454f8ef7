#!/usr/bin/env bash
# Installs every build and test dependency of kspm from Debian 12 packages.
# Idempotent: skips apt entirely when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libyaml-dev libfyaml-dev libyaml-cpp-dev
  rapidjson-dev libsimdjson-dev nlohmann-json3-dev
  libcli11-dev libfmt-dev
  libre2-dev  # secret matching (RE2::Set); Hyperscan is added below on x86-64
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema python3-yaml  # schema validation; type-confusion mutants
  jq  # tests/integration/equivalents_doc_test.sh reads the rules catalog
  time  # GNU /usr/bin/time: peak RSS in scripts/bench.sh
  # Kubernetes' own YAML reader (../shared/tools/k8s-yaml-oracle, built by the
  # decoder's differential test) and valgrind for the decoder robustness test.
  golang-go golang-k8s-sigs-yaml-dev valgrind
)

# Hyperscan, the faster secret-matching engine, exists only for x86-64; other
# architectures build with RE2 alone (see docs/performance.md).
if [ "$(dpkg --print-architecture 2>/dev/null || true)" = "amd64" ]; then
  packages+=(libhyperscan-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Test-only dependencies from here on: `make demo` does not need them.
[ "${1:-}" = "--test" ] || exit 0

# The SARIF 2.1.0 JSON schema that tests/integration/sarif_schema_test.sh
# validates our SARIF against comes from an npm package, pinned in
# tests/sarif/package-lock.json. Debian's npm is used only where no npm is
# installed (a machine may carry a Node.js build that bundles its own).
if ! command -v npm >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "installing: nodejs npm" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
sarif_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/sarif"
if [ ! -f "$sarif_dir/node_modules/.package-lock.json" ] ||
   [ "$sarif_dir/package-lock.json" -nt "$sarif_dir/node_modules/.package-lock.json" ]; then
  echo "installing: npm packages of tests/sarif" >&2
  # Use the system's CA store where it exists: Debian's Node.js otherwise trusts only its
  # bundled roots, which fails behind a TLS-inspecting proxy whose CA the system trusts.
  ca_args=()
  [ -f /etc/ssl/certs/ca-certificates.crt ] && ca_args=(--cafile=/etc/ssl/certs/ca-certificates.crt)
  (cd "$sarif_dir" && npm ci "${ca_args[@]}" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
