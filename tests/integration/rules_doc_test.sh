#!/usr/bin/env bash
# docs/rules.md is generated from the registry; it must not go stale.
# Usage: rules_doc_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$1
src=$2
if diff -u "$src/docs/rules.md" <("$kspm" rules list -o markdown); then
  echo "1 passed, 0 failed"
else
  echo "docs/rules.md is stale: run 'make docs' and commit it"
  echo "0 passed, 1 failed"
  exit 1
fi
