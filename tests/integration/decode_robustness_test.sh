#!/usr/bin/env bash
# kspm reads attacker-controlled YAML: whatever the input, it must not crash or
# hang, and it must exit 0, 1 or 2 with a well-formed report. Runs the kspm
# binary over the real-world corpus, over thousands of mutated documents and
# over hostile files (alias bomb, deep nesting, huge scalar, binary data,
# invalid UTF-8, a folder named like a manifest), and the decoder under
# valgrind on a subset.
# Usage: decode_robustness_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$1
src=$2
shared="$src/../shared"
build_dir=$(cd "$(dirname "$kspm")" && pwd)
dump=${KSPM_DECODE_DUMP:-$build_dir/tests/decode_dump}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# scan NAME EXPECTED_EXITS ARGS...: runs kspm scan -o json with a time bound
# and checks the exit code is one of EXPECTED_EXITS ("0 1 2") and the report
# is JSON.
scan() {
  local name=$1 allowed=$2
  shift 2
  timeout 120 "$kspm" scan -q -o json "$@" >"$work/out.json" 2>"$work/err.txt"
  local rc=$?
  case " $allowed " in
    *" $rc "*) ;;
    *) fail "$name: exit $rc (want one of $allowed)"; head -c 600 "$work/err.txt"; return 1 ;;
  esac
  if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/out.json" 2>/dev/null; then
    fail "$name: the report is not JSON"; return 1
  fi
  ok "$name (exit $rc)"
}

# expect_error NAME TEXT: the last scan's report lists an input error containing TEXT.
expect_error() {
  if python3 - "$work/out.json" "$2" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
sys.exit(0 if any(sys.argv[2] in e["message"] for e in report.get("errors", [])) else 1)
PY
  then ok "$1"; else fail "$1: no input error mentions '$2'"; head -c 600 "$work/err.txt"; fi
}

scan "real-world corpus" "0 1 2" "$shared/corpus/realworld"

mkdir -p "$work/fuzz"
python3 "$src/tests/tools/yaml_oracle_compare.py" - - generate 7 3000 \
  "$shared/corpus/realworld" "$work/fuzz" >/dev/null
scan "3000 mutated and random documents" "0 1 2" "$work/fuzz"

mkdir -p "$work/hostile"
python3 - "$work/hostile" <<'PY'
import os, random, sys
out = sys.argv[1]
def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
for prev, cur in zip("abcdefgh", "bcdefghi"):
    bomb += "%s: &%s [%s]\n" % (cur, cur, ",".join(["*" + prev] * 9))
write("bomb.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  " +
      bomb.replace("\n", "\n  ").rstrip() + "\n")
write("deep_flow.yaml", "a: " + "[" * 100000 + "]" * 100000 + "\n")
write("deep_json.json", '{"a":' + "[" * 100000 + "]" * 100000 + "}")
write("deep_block.yaml", "".join(" " * i + "k:\n" for i in range(3000)))
write("huge_scalar.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: " +
      "y" * (17 << 20) + "\n")
rng = random.Random(1)
write("binary.yaml", bytes(rng.randrange(256) for _ in range(20000)))
write("nul.yaml", b"apiVersion: v1\nkind: Pod\x00\n")
write("utf8.yaml", b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \xff\xfe}\n")
write("utf16.yaml", "apiVersion: v1\nkind: Pod\n".encode("utf-16"))
write("many_keys.yaml", "".join("k%d: v\n" % i for i in range(200000)))
write("long_line.yaml", "a: " + "x" * (4 << 20) + "\n")
# Minified documents: hundreds of thousands of nodes on one line (positions
# must not be found by rescanning the line).
write("one_line.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {k: [" +
      ",".join(["[]"] * 300000) + "]}\n")
write("one_line.json", '{"apiVersion": "v1", "kind": "List", "items": [' +
      ",".join(['{"a": [1, "x"]}'] * 200000) + "]}")
os.makedirs(os.path.join(out, "dir.yaml"))
write(os.path.join("dir.yaml", "inner.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: in}\n")
PY

for f in bomb.yaml deep_flow.yaml deep_json.json deep_block.yaml huge_scalar.yaml binary.yaml \
    nul.yaml utf8.yaml utf16.yaml; do
  scan "hostile $f is an input error" "2" "$work/hostile/$f"
done
scan "alias bomb" "2" "$work/hostile/bomb.yaml" && expect_error "alias bomb message" "excessive aliasing"
scan "deep nesting" "2" "$work/hostile/deep_flow.yaml" && expect_error "deep nesting message" "nesting deeper than 1000 levels"
scan "huge scalar" "2" "$work/hostile/huge_scalar.yaml" && expect_error "huge scalar message" "exceeds the limit"
scan "NUL byte" "2" "$work/hostile/nul.yaml" && expect_error "NUL byte message" "NUL byte"
scan "many keys and a long line" "0 1" "$work/hostile/many_keys.yaml" "$work/hostile/long_line.yaml"
scan "minified YAML and JSON on one line" "0 1 2" "$work/hostile/one_line.yaml" "$work/hostile/one_line.json"
scan "folder named dir.yaml" "0 1" "$work/hostile/dir.yaml"
scan "everything at once" "2" "$work/hostile" "$work/fuzz" "$shared/corpus/realworld"
scan "stdin" "0 1" - <"$shared/corpus/realworld/kubernetes__examples/$(cd "$shared/corpus/realworld/kubernetes__examples" && find . -name '*.yaml' | sort | head -1)"

# The decoder under valgrind: no invalid reads, writes or leaks.
if ! command -v valgrind >/dev/null; then
  fail "valgrind is not installed (run scripts/install-deps.sh)"
else
  small=$(find "$work/fuzz" -name '*.yaml' | sort | head -1500)
  if valgrind -q --error-exitcode=99 --leak-check=full "$dump" "$src"/tests/decode_cases/*.yaml \
      $small "$work/hostile/bomb.yaml" "$work/hostile/deep_flow.yaml" "$work/hostile/nul.yaml" \
      "$work/hostile/utf8.yaml" "$work/hostile/utf16.yaml" "$work/hostile/binary.yaml" \
      >/dev/null 2>"$work/valgrind.txt"; then
    ok "decoder under valgrind"
  else
    fail "decoder under valgrind"; head -c 3000 "$work/valgrind.txt"
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
