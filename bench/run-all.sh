#!/usr/bin/env bash
# Everything `make bench` runs: the micro benchmarks (every build/bench/reel_*_bench), then
# the comparisons with peer tools (every bench/*-vs-*.sh), then the other whole-program
# benchmarks (every bench/<area>/*.sh), then a summary.
#
#   bash bench/run-all.sh BUILD_DIR
#   env: REEL_BENCH_MIN_TIME (seconds per micro benchmark, default 0.5),
#        REEL_BENCH_RUNS (runs per tool in the comparisons, default 3),
#        REEL_BENCH_DATA (where the comparisons cache their input; default BUILD_DIR/bench-data)
#
# Exits non-zero if any part failed (a missing peer tool included); the others still run.
# Figures depend on the machine and on what else it is doing: compare runs on one machine,
# and see docs/BENCHMARKS.md for the recorded ones.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if (($# != 1)); then
  echo "usage: bash bench/run-all.sh BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" 2> /dev/null && pwd) || { echo "run-all: no build folder $1; build first (make build)" >&2; exit 1; }
min_time=${REEL_BENCH_MIN_TIME:-0.5}
runs=${REEL_BENCH_RUNS:-3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-all.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=()
summary=()

echo "== machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- micro benchmarks (Google Benchmark) ---
shopt -s nullglob
programs=("$build"/bench/reel_*_bench)
if ((${#programs[@]} == 0)); then
  echo "run-all: no micro benchmarks in $build/bench (is libbenchmark-dev installed and REEL_BENCH on?)" >&2
  failed+=("micro benchmarks: none built")
fi
for program in "${programs[@]}"; do
  name=$(basename "$program")
  echo
  echo "== $name"
  if "$program" --benchmark_min_time="$min_time" --benchmark_out="$tmp/$name.json" --benchmark_out_format=json; then
    if command -v jq > /dev/null; then
      # One line per benchmark family: its best realtime factor over the swept arguments.
      while IFS= read -r line; do summary+=("$line"); done < <(jq -r '
        [.benchmarks[] | select(.error_occurred != true) | {family: (.name | split("/")[0]), name, realtime}]
        | group_by(.family)[] | max_by(.realtime)
        | "micro: \(.name)  \((.realtime | floor))x realtime (best of its sweep)"' "$tmp/$name.json")
    fi
  else
    failed+=("$name")
  fi
done

# --- whole-program comparisons with peers: every bench/*-vs-*.sh, which all take
# BUILD_DIR --runs N and end with "summary:" lines ---
for path in "$here"/*-vs-*.sh; do
  script=$(basename "$path" .sh)
  echo
  echo "== $script"
  if bash "$path" "$build" --runs "$runs" 2>&1 | tee "$tmp/$script.log"; then
    while IFS= read -r line; do summary+=("$line"); done < <(grep '^summary:' "$tmp/$script.log" || true)
  else
    failed+=("$script")
  fi
done

# --- the other whole-program benchmarks: every bench/<area>/*.sh (e.g. reel master vs
# ffmpeg loudnorm, reel demo against its budget). Their conventions differ, but all take
# BUILD_DIR as their first argument and keep their own number of runs; "summary:" lines
# they print are collected like the comparisons' ---
for path in "$here"/*/*.sh; do
  script=${path#"$here"/}
  echo
  echo "== bench/$script"
  log="$tmp/$(echo "$script" | tr / -).log"
  if bash "$path" "$build" 2>&1 | tee "$log"; then
    while IFS= read -r line; do summary+=("$line"); done < <(grep '^summary:' "$log" || true)
  else
    failed+=("bench/$script")
  fi
done

echo
echo "== summary"
for line in "${summary[@]}"; do echo "  $line"; done
if ((${#failed[@]})); then
  echo "  FAILED: ${failed[*]}"
  exit 1
fi
