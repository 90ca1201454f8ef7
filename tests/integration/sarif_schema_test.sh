#!/usr/bin/env bash
# SARIF output validates against the published SARIF 2.1.0 JSON schema, and
# carries what code-scanning viewers rely on (rule index, locations, escaped
# URIs, suppressions, notifications for unreadable input).
#
# The schema is lib/schemas/sarif-2.1.0-rtm.5.json of the npm package
# @microsoft/jest-sarif, pinned in tests/sarif/package-lock.json and installed
# by scripts/install-deps.sh; the validator is Debian's python3-jsonschema,
# using the draft the schema declares.
# Usage: sarif_schema_test.sh KSPM_BINARY SOURCE_DIR
set -euo pipefail
kspm=$(realpath "$1")
src=$(realpath "$2")
schema="$src/tests/sarif/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
if [ ! -f "$schema" ]; then
  echo "FAIL: SARIF schema not installed at $schema (run scripts/install-deps.sh)"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A scan with every kind of SARIF content: a failing finding in a file whose
# name needs URI escaping, a document that does not parse (next to one that
# does), an excepted finding, and an expired exception.
mkdir -p "$work/in/sub dir"
cat >"$work/in/sub dir/priv#1.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: priv, namespace: team-a}
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {privileged: true}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: dup}
data: {a: "1", a: "2"}
Y
cat >"$work/in/excepted.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata:
  name: accepted
  namespace: team-b
  annotations:
    kspm.dev/ignore: "privileged-container the node agent needs it | <reviewed>"
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {privileged: true}
Y
cat >"$work/exceptions.yaml" <<'Y'
apiVersion: kspm.dev/v1
kind: Exceptions
exceptions:
  - rule: "*"
    resource: {name: long-gone}
    reason: an old exception
    expires: "2000-01-01"
Y

run() {  # run OUTPUT ARGS...: kspm exits 1 on findings and 2 on input errors
  local out=$1
  shift
  local rc=0
  "$kspm" scan -q -o sarif --output "$out" "$@" 2>/dev/null || rc=$?
  if [ "$rc" -gt 2 ]; then
    echo "FAIL: kspm scan $* exited $rc"
    exit 1
  fi
}

(cd "$work" && run "$work/mixed.sarif" --rule privileged-container --exceptions exceptions.yaml in)
run "$work/examples.sarif" "$src/examples"
sarifs=("$work/mixed.sarif" "$work/examples.sarif")
n=0
for input in "$src"/tests/golden/cases/*/input; do
  [ -d "$input" ] || continue
  n=$((n + 1))
  run "$work/golden-$n.sarif" "$input"
  sarifs+=("$work/golden-$n.sarif")
done

python3 - "$schema" "$work/mixed.sarif" "${sarifs[@]}" <<'PY'
import json
import sys

import jsonschema

schema_path, mixed_path, *paths = sys.argv[1:]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
Validator = jsonschema.validators.validator_for(schema)
Validator.check_schema(schema)
validator = Validator(schema, format_checker=Validator.FORMAT_CHECKER)

failures = 0
checks = 0


def check(name, ok, detail=""):
    global failures, checks
    checks += 1
    if ok:
        print(f"ok   {name}")
    else:
        failures += 1
        print(f"FAIL {name} {detail}")


# The validator must be able to fail: a log with a wrong version is rejected.
broken = {"version": "2.0.0", "runs": []}
check("schema rejects an invalid log", not validator.is_valid(broken))

for path in paths:
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors[:10]:
        print(f"  {path}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")
    check(f"{path.rsplit('/', 1)[-1]} validates against {Validator.__name__}", not errors)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    bad_index = [r for r in run.get("results", [])
                 if rules[r["ruleIndex"]]["id"] != r["ruleId"]]
    check(f"{path.rsplit('/', 1)[-1]} ruleIndex points at ruleId", not bad_index)

with open(mixed_path, encoding="utf-8") as f:
    run = json.load(f)["runs"][0]
results = run["results"]
inv = run["invocations"][0]
failing = [r for r in results if "suppressions" not in r]
suppressed = [r for r in results if "suppressions" in r]
check("one failing and one suppressed result", len(failing) == 1 and len(suppressed) == 1,
      f"{len(failing)} failing, {len(suppressed)} suppressed")
if failing:
    loc = failing[0]["locations"][0]
    phys = loc["physicalLocation"]
    check("artifact URI is relative and escaped",
          phys["artifactLocation"]["uri"] == "in/sub%20dir/priv%231.yaml",
          phys["artifactLocation"]["uri"])
    check("region points at the privileged field",
          phys["region"] == {"startLine": 8, "startColumn": 35}, str(phys["region"]))
    check("logical location names the resource",
          loc["logicalLocations"][0]["fullyQualifiedName"] == "Pod/team-a/priv")
    check("critical finding is an error", failing[0]["level"] == "error")
if suppressed:
    s = suppressed[0]["suppressions"][0]
    check("annotation exception is an inSource suppression with its reason",
          s["kind"] == "inSource" and s["justification"] == "the node agent needs it | <reviewed>",
          str(s))
check("input error makes the execution unsuccessful", inv["executionSuccessful"] is False)
errors = [n for n in inv["toolExecutionNotifications"] if n["level"] == "error"]
check("one error notification", len(errors) == 1, str(errors))
if errors:
    phys = errors[0]["locations"][0]["physicalLocation"]
    check("error notification names file and line",
          phys["artifactLocation"]["uri"] == "in/sub%20dir/priv%231.yaml"
          and phys["region"]["startLine"] == 13
          and "duplicate key" in errors[0]["message"]["text"], str(errors[0]))
expired = inv.get("toolConfigurationNotifications", [])
check("expired exception is a configuration warning",
      len(expired) == 1 and expired[0]["level"] == "warning"
      and expired[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
      == "exceptions.yaml", str(expired))
rule = next(r for r in run["tool"]["driver"]["rules"] if r["name"] == "privileged-container")
check("rule carries security-severity for code scanning",
      rule["properties"]["security-severity"] == "9.5"
      and rule["defaultConfiguration"]["level"] == "error")
check("run carries the score", isinstance(run["properties"]["score"], (int, float)))

print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
PY
