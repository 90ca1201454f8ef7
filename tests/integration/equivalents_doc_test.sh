#!/usr/bin/env bash
# docs/equivalents.md maps other scanners' checks to kspm rules; its kspm column
# must agree with the registry's equivalents in both directions.
# Usage: equivalents_doc_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$1
doc=$2/docs/equivalents.md
failed=0
# "ID RULE" pairs from the registry.
registry=$("$kspm" rules list -o json | jq -r '.[] | .id as $r | .equivalents[] | "\(.id) \($r)"' | sort -u)
# "ID RULE" pairs from the tables: | `ID` | title | RULE, RULE | note |,
# leaving out the rows the note marks as listed on the page only.
documented=$(awk -F' [|] ' '/^[|] `/ && $4 !~ /^Listed here only/ {
    id = $1; gsub(/^[|] `|`$/, "", id)
    n = split($3, rules, ", ")
    for (i = 1; i <= n; i++) if (rules[i] != "not covered") print id, rules[i]
  }' "$doc" | sort -u)
if [ -z "$registry" ] || [ -z "$documented" ]; then
  echo "could not read the registry or $doc"
  failed=1
fi
missing=$(comm -23 <(echo "$registry") <(echo "$documented"))
extra=$(comm -13 <(echo "$registry") <(echo "$documented"))
if [ -n "$missing" ]; then
  echo "in the registry but not in docs/equivalents.md (check, rule):"
  echo "$missing"
  failed=1
fi
if [ -n "$extra" ]; then
  echo "in docs/equivalents.md but not in the registry (check, rule):"
  echo "$extra"
  failed=1
fi
if [ $failed -eq 0 ]; then
  echo "1 passed, 0 failed"
else
  echo "0 passed, 1 failed"
  exit 1
fi
