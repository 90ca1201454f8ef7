#!/usr/bin/env bash
# Scan throughput benchmark (`make bench`; figures in docs/performance.md).
#
#   scripts/bench.sh [BUILD_DIR]
#
# Generates realistic manifests with kspm_generate into /tmp once (reused
# while the generator's output is unchanged), then measures, each in its own
# process so that peak RSS is per measurement:
#   decode   scan_bench --mode decode: read + decode + inventory
#   full     scan_bench --mode full: + every built-in rule, exceptions, scores, JSON report
#   cli      kspm scan DIR -o json --output /dev/null under /usr/bin/time -v
# and prints best and median of KSPM_BENCH_RUNS runs. Nothing here asserts a timing.
#
# Environment: KSPM_BENCH_RESOURCES (100000), KSPM_BENCH_SEED (1), KSPM_BENCH_RUNS (3),
# KSPM_BENCH_DIR (where the manifests go; default under /tmp/kspm-bench).
# On a shared machine run it under `nice` and compare best figures.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
resources=${KSPM_BENCH_RESOURCES:-100000}
seed=${KSPM_BENCH_SEED:-1}
runs=${KSPM_BENCH_RUNS:-3}

gen=$build/bench/kspm_generate
bench=$build/bench/scan_bench
kspm=$build/kspm
for bin in "$gen" "$bench" "$kspm"; do
  if [ ! -x "$bin" ]; then
    echo "bench.sh: $bin is missing; build first: make build BUILD=$build" >&2
    exit 2
  fi
done
if [ ! -x /usr/bin/time ]; then
  echo "bench.sh: /usr/bin/time (GNU time) is missing; run scripts/install-deps.sh" >&2
  exit 2
fi

# The folder name carries a fingerprint of the generator's output, so a
# changed generator never benchmarks stale manifests.
fingerprint=$("$gen" -n 200 --seed "$seed" 2>/dev/null | sha256sum | cut -c1-12)
data=${KSPM_BENCH_DIR:-/tmp/kspm-bench/n$resources-s$seed-$fingerprint}
if [ ! -d "$data" ]; then
  echo "generating $resources resources into $data ..." >&2
  mkdir -p "$(dirname "$data")"
  tmp="$data.partial.$$"
  rm -rf "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  "$gen" -n "$resources" --seed "$seed" -o "$tmp"
  mv "$tmp" "$data"  # only a complete folder is ever reused
  trap - EXIT
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# One RESULT line per run: "RESULT mode=... key=value ...".
for ((i = 1; i <= runs; i++)); do
  for mode in decode full; do
    echo "run $i/$runs: scan_bench --mode $mode" >&2
    "$bench" --mode "$mode" "$data" | grep '^RESULT ' >>"$results"
  done
  echo "run $i/$runs: kspm scan -o json" >&2
  timing=$(mktemp)
  status=0
  /usr/bin/time -v -o "$timing" "$kspm" scan "$data" -o json --output /dev/null -q || status=$?
  if [ "$status" -gt 1 ]; then
    echo "bench.sh: kspm scan failed with exit code $status" >&2
    exit 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k] }
    /Maximum resident set size/ { rss = $2 / 1024 }
    /User time/ { user = $2 }
    /System time/ { sys = $2 }
    END { printf "RESULT mode=cli wall_s=%.3f cpu_s=%.2f peak_rss_mb=%.0f\n", s, user + sys, rss }
  ' "$timing" >>"$results"
  rm -f "$timing"
done

field() {  # field MODE KEY: the values of KEY over the runs of MODE, sorted
  awk -v mode="$1" -v key="$2" '$2 == "mode=" mode {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) print kv[2] } }' \
    "$results" | sort -g
}
best() { field "$1" "$2" | head -1; }
worst() { field "$1" "$2" | tail -1; }
median() { field "$1" "$2" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bytes=$(best full bytes)
count=$(best full resources)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ram=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)

echo
echo "kspm scan throughput: $count resources, $mb MB of YAML in $(find "$data" -type f | wc -l) files ($data)"
echo "machine: $cpu, $(nproc) cores, $ram RAM; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rules: $(best full rules) ($("$kspm" rules list | awk 'NR > 1 && $1 ~ /-[0-9]+$/ { printf "%s%s", sep, $1; sep = " " }'))"
echo "runs: $runs of each; wall: best / median; cpu (user + sys): median; throughput from the best wall; peak RSS: lowest - highest"
echo
printf '%-28s %16s %8s %12s %8s %16s\n' "" "wall s" "cpu s" "resources/s" "MB/s" "peak RSS MB"
for mode in decode full cli; do
  case $mode in
    decode) label="decode only (scan_bench)" ;;
    full) label="full scan (scan_bench)" ;;
    cli) label="kspm scan -o json (CLI)" ;;
  esac
  wall_best=$(best "$mode" wall_s)
  printf '%-28s %16s %8s %12.0f %8.1f %16s\n' "$label" "$wall_best / $(median "$mode" wall_s)" \
    "$(median "$mode" cpu_s)" \
    "$(awk -v n="$count" -v w="$wall_best" 'BEGIN { print n / w }')" \
    "$(awk -v b="$bytes" -v w="$wall_best" 'BEGIN { print b / 1e6 / w }')" \
    "$(best "$mode" peak_rss_mb) - $(worst "$mode" peak_rss_mb)"
done
echo
echo "full scan, median per phase (wall s / cpu s / rss MB at its end):"
for phase in load evaluate exceptions scores render teardown; do
  printf '  %-11s %7s / %7s / %6s\n' "$phase" "$(median full "${phase}_s")" \
    "$(median full "${phase}_cpu_s")" "$(median full "${phase}_rss_mb")"
done
echo "findings: $(best full findings) ($(best full failed) failing); JSON report $(awk -v b="$(best full report_bytes)" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
