#!/usr/bin/env bash
# The command-line contract: exit codes, error messages, inputs and outputs.
# Usage: cli_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME EXPECTED_EXIT ACTUAL_EXIT [CONDITION...]
  local name=$1 want=$2 got=$3
  shift 3
  if [ "$want" != "$got" ]; then
    echo "FAIL $name: exit $got, want $want"; failed=$((failed + 1)); return
  fi
  for cond in "$@"; do
    if ! eval "$cond"; then echo "FAIL $name: $cond"; failed=$((failed + 1)); return; fi
  done
  echo "ok   $name"; passed=$((passed + 1))
}

cat >"$work/priv.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: priv}
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {privileged: true}
Y
cat >"$work/clean.yaml" <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
Y
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: broken\n' >"$work/broken.yaml"

"$kspm" version >"$work/out" 2>&1
check "version" 0 $? 'grep -q "^kspm " "$work/out"'

"$kspm" scan --framework pci "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "unknown framework is a usage error" 2 $? 'grep -q "unknown framework \"pci\"" "$work/err"'

"$kspm" scan --rule NOPE-999 "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "unknown rule is a usage error" 2 $? 'grep -q "unknown rule \"NOPE-999\"" "$work/err"'

"$kspm" scan --skip-rule nope "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "unknown skipped rule is a usage error" 2 $? 'grep -q "unknown rule \"nope\"" "$work/err"'

"$kspm" scan >"$work/out" 2>"$work/err"
check "no input is a usage error" 2 $? 'grep -q "nothing to scan" "$work/err"'

"$kspm" scan --k8s-version 1.99 "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "unsupported k8s version" 2 $? 'grep -q "unsupported --k8s-version" "$work/err"'

"$kspm" scan -o yamlx "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "unknown format" 2 $? 'grep -q "unknown output format" "$work/err"'

"$kspm" scan --fail-on severe "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "unknown severity" 2 $? 'grep -q "unknown severity" "$work/err"'

"$kspm" scan "$work/missing.yaml" >"$work/out" 2>"$work/err"
check "missing file is an input error" 2 $? 'grep -q "missing.yaml: no such file" "$work/err"'

"$kspm" scan -o json "$work/clean.yaml" >"$work/out" 2>"$work/err"
check "clean input exits 0" 0 $? 'grep -q "\"resources\": 1" "$work/out"'

"$kspm" scan -o json "$work/priv.yaml" >"$work/out" 2>"$work/err"
check "critical finding exits 1" 1 $? 'grep -q "\"status\": \"fail\"" "$work/out"'

"$kspm" scan -o json --skip-rule privileged-container "$work/priv.yaml" >"$work/out" 2>"$work/err"
check "skipped rule does not fail" 0 $? '! grep -q "\"slug\": \"privileged-container\"" "$work/out"'

"$kspm" scan -o json --exceptions /dev/null "$work/priv.yaml" --min-score 0 --fail-on critical >"$work/out" 2>&1
check "fail-on critical still fails on critical" 1 $?

"$kspm" scan -o json "$work/broken.yaml" "$work/priv.yaml" >"$work/out" 2>"$work/err"
check "bad input exits 2 and the rest is still scanned" 2 $? \
  'grep -q "broken.yaml:4:1" "$work/err"' 'grep -q "\"name\": \"priv\"" "$work/out"'

"$kspm" scan -o json - <"$work/priv.yaml" >"$work/out" 2>"$work/err"
check "stdin" 1 $? 'grep -q "\"file\": \"<stdin>\"" "$work/out"'

"$kspm" scan -o json --output "$work/report.json" "$work/priv.yaml" >"$work/out" 2>"$work/err"
check "--output writes the file, not stdout" 1 $? '[ ! -s "$work/out" ]' 'grep -q ScanReport "$work/report.json"'

"$kspm" scan --min-score 99 -o json "$work/priv.yaml" --framework pss-baseline --skip-rule PSS-002 >"$work/out" 2>"$work/err"
check "min-score met when nothing fails" 0 $?

mkdir -p "$work/empty"
"$kspm" scan "$work/empty" >"$work/out" 2>"$work/err"
check "empty folder warns" 0 $? 'grep -q "no Kubernetes objects found" "$work/err"'

mkdir -p "$work/chart/templates"
printf 'apiVersion: v2\nname: demo\nversion: 0.1.0\n' >"$work/chart/Chart.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n' >"$work/chart/templates/pod.yaml"
"$kspm" scan "$work/chart" >"$work/out" 2>"$work/err"
check "helm chart is detected, templates are not parsed" 0 $? 'grep -q "helm template" "$work/err"'

"$kspm" rules show NOPE-1 >"$work/out" 2>"$work/err"
check "rules show unknown" 2 $? 'grep -q "unknown rule" "$work/err"'

"$kspm" rules show privileged-container >"$work/out" 2>"$work/err"
check "rules show by slug" 0 $? 'grep -q "PSS-002" "$work/out"'

"$kspm" rules list -o json >"$work/out" 2>"$work/err"
check "rules list json" 0 $? 'python3 -c "import json,sys; assert len(json.load(open(sys.argv[1])))>0" "$work/out"'

mkdir -p "$work/repo"
cp "$work/priv.yaml" "$work/repo/"
printf 'exceptions:\n  - {rule: privileged-container, resource: {name: priv}, reason: folder exception}\n' >"$work/repo/.kspm.yaml"
(cd "$work" && "$kspm" scan -o json --rule PSS-002 repo >"$work/out" 2>"$work/err")
check "a scanned folder's .kspm.yaml applies" 0 $? 'grep -q "folder exception" "$work/out"'

printf 'exceptions:\n  - {rule: NOPE-1, reason: r}\n' >"$work/bad-exceptions.yaml"
"$kspm" scan --exceptions "$work/bad-exceptions.yaml" "$work/priv.yaml" >"$work/out" 2>"$work/err"
check "bad exceptions file names file:line:column" 2 $? 'grep -q "bad-exceptions.yaml:2:12: unknown rule" "$work/err"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
