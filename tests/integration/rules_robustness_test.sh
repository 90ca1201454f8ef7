#!/usr/bin/env bash
# Every built-in rule reads fields written by anyone. Over thousands of real
# manifests whose fields were given the wrong type (tests/tools/type_confusion.py:
# a map where a list belongs, null, huge numbers, strings for booleans, deep
# nesting), a scan must not crash or hang, must exit 0, 1 or 2, and must
# produce a well-formed report in every format, at several Kubernetes
# versions and framework selections.
# Usage: rules_robustness_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$1
src=$2
shared="$src/../shared"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

inputs=("$src/examples" "$src/tests/golden/cases")
[ -d "$shared/corpus/realworld" ] && inputs+=("$shared/corpus/realworld")
if ! python3 "$src/tests/tools/type_confusion.py" 11 2000 "$work/mutants" "${inputs[@]}"; then
  echo "FAIL could not generate mutants"
  exit 1
fi

# scan NAME FORMAT ARGS...: exit 0/1/2 within the time bound, no signal.
scan() {
  local name=$1 format=$2
  shift 2
  timeout 300 "$kspm" scan -q -o "$format" "$@" "$work/mutants" >"$work/out" 2>"$work/err"
  local rc=$?
  case $rc in
    0 | 1 | 2) ;;
    124) fail "$name: no result within 300 s"; return 1 ;;
    *) fail "$name: exit $rc"; tail -c 600 "$work/err"; return 1 ;;
  esac
  case $format in
    json | sarif)
      if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/out"; then
        fail "$name: the $format report is not JSON"; return 1
      fi ;;
    junit)
      if ! python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$work/out"; then
        fail "$name: the JUnit report is not XML"; return 1
      fi ;;
    *)
      if [ ! -s "$work/out" ]; then fail "$name: empty $format report"; return 1; fi ;;
  esac
  ok "$name (exit $rc)"
}

scan "all rules, newest Kubernetes" json
scan "all rules, Kubernetes 1.16" json --k8s-version 1.16
scan "all rules, Kubernetes 1.25" json --k8s-version 1.25
scan "pss-restricted at 1.29" json --framework pss-restricted --k8s-version 1.29
scan "pss-baseline at 1.0" json --framework pss-baseline --k8s-version 1.0
scan "passing findings listed" json --include-passed
for format in table sarif junit markdown; do scan "$format report" "$format"; done

# Every mutant that still has a kind and a name is scanned, not dropped: the
# report counts as many resources as the input has such documents (Lists
# expand into their items, so at least as many).
timeout 300 "$kspm" scan -q -o json "$work/mutants" >"$work/out.json" 2>/dev/null
if python3 - "$work/out.json" "$work/mutants" <<'PY'
import json, os, sys
import yaml
report = json.load(open(sys.argv[1]))
named = 0
for name in os.listdir(sys.argv[2]):
    for doc in yaml.safe_load_all(open(os.path.join(sys.argv[2], name), encoding="utf-8")):
        if isinstance(doc, dict) and isinstance(doc.get("kind"), str) and doc.get("apiVersion"):
            named += 1
resources = report["summary"]["resources"]
print("documents with apiVersion and kind: %d; resources in the report: %d" % (named, resources))
sys.exit(0 if resources >= named * 0.95 else 1)
PY
then ok "mutated objects are still scanned"; else fail "mutated objects went missing"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
