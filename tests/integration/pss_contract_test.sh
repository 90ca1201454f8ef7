#!/usr/bin/env bash
# The Pod Security Standards contract, exactly as it is checked from outside
# on Kubernetes' own fixtures, run here on ours (tests/pss_fixtures):
#
#   kspm scan -o json --framework pss-<level> --k8s-version 1.<N> --fail-on info DIR
#
# exits 1 when any pod in DIR would be rejected at that level and version,
# 0 when all would be admitted, and reports a "fail" finding whose
# resource.name is the pod's name for every rejected pod. Checked per
# directory (pass/ and fail/ together, then pass/ alone) and per file; the
# newest version is also checked without --k8s-version (the default).
# Usage: pss_contract_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$1
fixtures=$2/tests/pss_fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

bad() {
  echo "FAIL $*"
  failed=$((failed + 1))
}

# Prints the names of the resources that have a "fail" finding, sorted.
fail_names() {
  python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
names = {f["resource"]["name"] for f in report["findings"] if f["status"] == "fail"}
print("\n".join(sorted(names)))' "$1"
}

# Prints the metadata.name of every fixture file given, sorted.
pod_names() {
  for f in "$@"; do sed -n 's/^  name: //p' "$f" | head -1; done | sort
}

scan() {  # scan LEVEL MINOR PATH... ; sets $code, report in $work/out
  local level=$1 minor=$2
  shift 2
  local version=()
  [ "$minor" != default ] && version=(--k8s-version "1.$minor")
  "$kspm" scan -q -o json --framework "pss-$level" "${version[@]}" --fail-on info "$@" \
    >"$work/out" 2>"$work/err"
  code=$?
}

for level_dir in "$fixtures"/baseline "$fixtures"/restricted; do
  level=$(basename "$level_dir")
  for version_dir in "$level_dir"/v1.*; do
    minor=${version_dir##*/v1.}
    where="$level 1.$minor"
    shopt -s nullglob
    pass_files=("$version_dir"/pass/*.yaml)
    fail_files=("$version_dir"/fail/*.yaml)
    shopt -u nullglob

    # The whole directory: exactly the fail/ pods are reported as failing.
    pod_names "${fail_files[@]}" >"$work/want"
    minors=("$minor")
    [ "$minor" = 37 ] && minors+=(default)
    for m in "${minors[@]}"; do
      scan "$level" "$m" "$version_dir"
      want_code=0
      [ ${#fail_files[@]} -gt 0 ] && want_code=1
      if [ "$code" != "$want_code" ]; then
        bad "$where ($m) directory: exit $code, want $want_code: $(head -c 300 "$work/err")"
      else
        passed=$((passed + 1))
      fi
      fail_names "$work/out" >"$work/got"
      if ! diff -u "$work/want" "$work/got" >"$work/diff"; then
        bad "$where ($m) directory: failing pods differ (- expected, + reported):"
        grep '^[-+][^-+]' "$work/diff"
      else
        passed=$((passed + 1))
      fi
    done

    # pass/ alone is admitted.
    scan "$level" "$minor" "$version_dir/pass"
    if [ "$code" != 0 ] || [ -n "$(fail_names "$work/out")" ]; then
      bad "$where pass/: exit $code, failing: $(fail_names "$work/out" | tr '\n' ' ')"
    else
      passed=$((passed + 1))
    fi

    # One pod per run.
    for f in "${fail_files[@]}"; do
      name=$(pod_names "$f")
      scan "$level" "$minor" "$f"
      if [ "$code" != 1 ]; then
        bad "$where fail/${f##*/}: exit $code, want 1"
      elif ! grep -q '"status": "fail"' "$work/out" || ! grep -q "\"name\": \"$name\"" "$work/out"; then
        bad "$where fail/${f##*/}: no fail finding for pod $name"
      else
        passed=$((passed + 1))
      fi
    done
    for f in "${pass_files[@]}"; do
      scan "$level" "$minor" "$f"
      if [ "$code" != 0 ] || grep -q '"status": "fail"' "$work/out"; then
        bad "$where pass/${f##*/}: exit $code, findings: $(grep -o '"message": "[^"]*' "$work/out" | head -3 | tr '\n' ' ')"
      else
        passed=$((passed + 1))
      fi
    done
  done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
