#!/usr/bin/env bash
# Times `reel demo` end to end (chart -> arrangement -> MIDI -> stems -> mix -> master ->
# reports) against issue 5's budget of 30 s on this 2-core machine.
#
#   bash bench/compose/demo_bench.sh BUILD_DIR [--runs N]
#
# Prints each run's wall and CPU seconds and peak memory, then a summary line with the
# best run. Needs /usr/bin/time.
set -euo pipefail
if (($# < 1)); then
  echo "usage: bash bench/compose/demo_bench.sh BUILD_DIR [--runs N]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
runs=3
if [[ ${2:-} == --runs ]]; then runs=${3:?--runs needs a number}; fi
reel="$build/reel"
[[ -x $reel ]] || { echo "demo_bench: no $reel; build first" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "demo_bench: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reel-demo-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
best=
for ((i = 1; i <= runs; ++i)); do
  rm -rf "$tmp/song"
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$reel" demo "$tmp/song" --json > "$tmp/out.json"
  read -r wall user sys rss < "$tmp/time"
  lufs=$(grep -o '"integrated_lufs":[-0-9.]*' "$tmp/out.json" | cut -d: -f2)
  music=$(grep -o '"duration_s":[0-9.]*' "$tmp/out.json" | cut -d: -f2)
  echo "run $i: ${wall} s wall, $(echo "$user + $sys" | bc) s CPU, $((rss / 1024)) MB peak, ${music} s of music, master ${lufs} LUFS"
  if [[ -z $best ]] || (($(echo "$wall < $best" | bc))); then best=$wall; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
verdict=$( (($(echo "$best <= 30" | bc))) && echo "within" || echo "OVER")
echo "summary: reel demo end to end ${best} s (best of $runs), ${verdict} the 30 s budget"
