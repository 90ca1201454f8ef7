#!/usr/bin/env bash
# Differential test of kspm's decoder against Kubernetes' own YAML reader
# (../shared/tools/k8s-yaml-oracle: sigs.k8s.io/yaml over go-yaml v2, with
# -strict for duplicate keys). Every document of (a) the real-world corpus,
# (b) the hand-written edge cases in tests/decode_cases plus generated long and
# deep ones, and (c) thousands of deterministic mutations and random
# documents must read the same in both, or fail in both. JSON streams are
# compared the same way with Go's encoding/json as kubectl uses it
# (tests/tools/json_oracle). Any disagreement fails the test and prints the
# input (tests/tools/yaml_oracle_compare.py).
# Usage: yaml_oracle_test.sh KSPM_BINARY SOURCE_DIR
# Env: KSPM_DECODE_DUMP (the decode_dump tool; default next to kspm),
#      KSPM_FUZZ_SEED / KSPM_FUZZ_CASES to explore beyond the fixed seed.
set -euo pipefail
kspm=$1
src=$2
shared="$src/../shared"
build_dir=$(cd "$(dirname "$kspm")" && pwd)
dump=${KSPM_DECODE_DUMP:-$build_dir/tests/decode_dump}
compare="$src/tests/tools/yaml_oracle_compare.py"

if [ ! -x "$dump" ]; then echo "FAIL decode_dump not built at $dump"; exit 1; fi
# build.sh installs Go and sigs.k8s.io/yaml from Debian when missing
# (scripts/install-deps.sh already does); the binary is cached in the build tree.
oracle=$("$shared/tools/k8s-yaml-oracle/build.sh" "$build_dir/k8s-yaml-oracle")
json_oracle="$build_dir/k8s-yaml-oracle/json-oracle"
GO111MODULE=off GOCACHE="$build_dir/k8s-yaml-oracle/.gocache" \
  go build -o "$json_oracle" "$src/tests/tools/json_oracle/main.go"

status=0
python3 "$compare" "$dump" "$oracle" files "$shared/corpus/realworld" || status=1
python3 "$compare" "$dump" "$oracle" cases "$src/tests/decode_cases" || status=1
python3 "$compare" "$dump" "$oracle" fuzz "${KSPM_FUZZ_SEED:-20240611}" "${KSPM_FUZZ_CASES:-8000}" \
  "$shared/corpus/realworld" || status=1
python3 "$compare" "$dump" "$json_oracle" json "${KSPM_FUZZ_SEED:-20240611}" 3000 \
  "$shared/corpus/realworld" || status=1
if [ "$status" = 0 ]; then echo "ok   kspm reads every document as Kubernetes does"; fi
exit "$status"
