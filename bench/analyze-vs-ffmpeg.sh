#!/usr/bin/env bash
# Whole-program comparison: `reel analyze` vs FFmpeg's EBU R128 scanner on the same file.
#
#   bash bench/analyze-vs-ffmpeg.sh [BUILD_DIR] [--runs N] [--peer-only]
#   env: REEL (the binary; default BUILD_DIR/reel), REEL_BENCH_DATA (where the test file is
#        cached; default BUILD_DIR/bench-data; BUILD_DIR defaults to build-bench)
#
# The file: 5 minutes of music-like material (drums, bass, plucks, pad, noise; sox synth),
# 44.1 kHz stereo 16-bit WAV, with a slow swell so the loudness range is not zero, normalized
# to -1.5 dBFS sample peak. Both tools run N times (default 3), interleaved; the best
# wall-clock time is kept. Printed: both times, the ratio ffmpeg/reel, and both tools'
# integrated loudness and true peak, which should agree (BS.1770: within 0.1 LU; true peak
# within a few tenths of a dB, since the oversampling filters differ).
#
#   reel analyze f.wav --json
#   ffmpeg -nostats -hide_banner -i f.wav -af ebur128=peak=true -f null -
#
# --peer-only runs only ffmpeg (to record the peer's figures before reel builds).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=""
runs=3
peer_only=0
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --peer-only) peer_only=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "analyze-vs-ffmpeg: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
build=$(cd "${build:-$repo/build-bench}" && pwd) || { echo "$(basename "$0" .sh): no build folder ${build:-$repo/build-bench}" >&2; exit 1; }
reel=${REEL:-$build/reel}
data=${REEL_BENCH_DATA:-$build/bench-data}/analyze

need() {
  command -v "$1" > /dev/null 2>&1 || { echo "analyze-vs-ffmpeg: '$1' is not installed; $2" >&2; exit 1; }
}
need sox "install it with: apt-get install sox"
need ffmpeg "install it with: apt-get install ffmpeg"
need jq "install it with: apt-get install jq"
need awk "install gawk or mawk"
[[ -x /usr/bin/time ]] || { echo "analyze-vs-ffmpeg: /usr/bin/time is missing; install it with: apt-get install time" >&2; exit 1; }
if ((!peer_only)) && [[ ! -x $reel ]]; then
  echo "analyze-vs-ffmpeg: no reel binary at $reel; build it first (cmake --build $build --target reel)" \
       "or pass --peer-only" >&2
  exit 1
fi

seconds=300
rate=44100
file=$data/music-5min.wav

# --- the test file: synthesized once, cached (a stamp names the recipe) ---
layers=(
  "synth 0.5 sine 150:40 sine 150:40 vol 0.5 fade q 0.002 0.5 0.4 repeat 599"
  "synth 0.25 whitenoise whitenoise vol 0.15 highpass 6000 fade q 0 0.25 0.22 repeat 1199"
  "synth 1 pluck C3 pluck G3 vol 0.4 repeat 299"
  "synth 0.25 pluck E5 pluck B4 vol 0.15 repeat 1199"
  "synth $seconds square 55 square 55 vol 0.25 lowpass 300 tremolo 2 60"
  "synth $seconds pinknoise pinknoise vol 0.1 lowpass 4000 tremolo 0.3 60"
  "synth $seconds sine 220 sine 277.18 vol 0.1 tremolo 0.2 40"
)
master="tremolo 0.01 40 fade t 20 $seconds 10 gain -n -1.5"
stamp="v1 $(printf '%s\n' "${layers[@]}" "$master" | cksum | cut -d' ' -f1)"
mkdir -p "$data"
if [[ ! -f $data/.file-ok || $(cat "$data/.file-ok") != "$stamp" ]]; then
  echo "analyze-vs-ffmpeg: synthesizing ${seconds}s of test material into $file (once)"
  rm -f "$data/.file-ok"
  inputs=()
  for layer in "${layers[@]}"; do inputs+=(-v 1 "|sox -n -r $rate -c 2 -p $layer"); done
  # shellcheck disable=SC2086  # $master is a word list on purpose
  sox -V1 -m "${inputs[@]}" -r $rate -b 16 -c 2 -t wav "$file.part" $master
  mv "$file.part" "$file"
  printf '%s' "$stamp" > "$data/.file-ok"
fi
n=$(sox --i -s "$file")
[[ $n == $((seconds * rate)) ]] || { echo "analyze-vs-ffmpeg: $file has $n frames, expected $((seconds * rate)); delete it and rerun" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-analyze.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat "$file" > /dev/null  # same page-cache state for both tools

# Runs a command under /usr/bin/time, its stdout+stderr to $tmp/NAME.log; prints "wall_s peak_kb user_s sys_s".
timed() {
  local name=$1; shift
  if ! /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" > "$tmp/$name.log" 2>&1; then
    echo "analyze-vs-ffmpeg: '$*' failed:" >&2
    cat "$tmp/$name.log" >&2
    exit 1
  fi
  tail -n 1 "$tmp/time"
}
# The best of the "wall_s peak_kb user_s sys_s" lines on stdin: "wall_s peak_kb cpu_s" of the
# fastest run, with the highest peak RSS of all runs.
best() {
  awk 'NR == 1 || $1 < t { t = $1; c = $3 + $4 } $2 > m { m = $2 } END { printf "%s %s %.2f\n", t, m, c }'
}

run_line() {  # run_line TOOL "wall_s peak_kb user_s sys_s"
  local wall kb user sys
  read -r wall kb user sys <<< "$2"
  printf '  run %d %-7s %6s s wall %6.2f s cpu %5d MB\n' "$r" "$1" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $((kb / 1024))
}

: > "$tmp/reel.times"; : > "$tmp/ffmpeg.times"
echo "analyze-vs-ffmpeg: ${seconds}s, $rate Hz stereo 16-bit, best of $runs ($(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg))"
for ((r = 1; r <= runs; r++)); do
  if ((!peer_only)); then
    # --json prints to stdout; keep stdout apart from stderr so the JSON parses.
    # shellcheck disable=SC2016  # expanded by the inner sh
    t=$(timed reel sh -c '"$0" analyze "$1" --json > "$2"' "$reel" "$file" "$tmp/reel.json")
    run_line reel "$t"
    echo "$t" >> "$tmp/reel.times"
  fi
  t=$(timed ffmpeg ffmpeg -nostats -hide_banner -i "$file" -af ebur128=peak=true -f null -)
  run_line ffmpeg "$t"
  echo "$t" >> "$tmp/ffmpeg.times"
done

# ffmpeg's summary (the per-frame lines also contain "I:", so read after "Summary:").
read -r f_i f_tp f_lra < <(awk '/Summary:/ { s = 1 } s && $1 == "I:" { i = $2 } s && $1 == "Peak:" { p = $2 }
  s && $1 == "LRA:" { l = $2 } END { printf "%s %s %s\n", i, p, l }' "$tmp/ffmpeg.log")
[[ -n $f_i && -n $f_tp ]] || { echo "analyze-vs-ffmpeg: could not read ffmpeg's summary:" >&2; tail -n 20 "$tmp/ffmpeg.log" >&2; exit 1; }
read -r f_t f_kb f_cpu < <(best < "$tmp/ffmpeg.times")

echo
printf '  %-7s %7s %6s %9s %8s %16s %15s %7s\n' tool "wall s" "cpu s" realtime "peak MB" "integrated LUFS" "true peak dBTP" "LRA LU"
printf '  %-7s %7s %6s %8sx %8d %16s %15s %7s\n' ffmpeg "$f_t" "$f_cpu" "$(awk -v s=$seconds -v t="$f_t" 'BEGIN { printf "%.0f", s / t }')" \
  $((f_kb / 1024)) "$f_i" "$f_tp" "$f_lra"
if ((peer_only)); then
  echo "summary: analyze ffmpeg_s=$f_t ffmpeg_integrated_lufs=$f_i ffmpeg_true_peak_dbtp=$f_tp reel=not-measured"
  exit 0
fi

# reel's JSON: the schema is the CLI's; find the fields by name wherever they sit
# (e.g. "integrated_lufs", "true_peak_dbtp"; a per-channel list counts by its maximum).
json=$tmp/reel.json
jq empty "$json" 2> /dev/null || { echo "analyze-vs-ffmpeg: reel's --json output does not parse:" >&2; head -c 2000 "$json" >&2; exit 1; }
pick() {  # pick REGEX EXCLUDE_REGEX: the largest number whose key path matches
  jq -r --arg re "$1" --arg ex "$2" '[paths(numbers) as $p | select(($p | map(tostring) | join(".")) | test($re; "i"))
    | select(($p | map(tostring) | join(".")) | test($ex; "i") | not) | getpath($p)] | max // empty' "$json"
}
r_i=$(pick 'integrated' 'threshold|gate')
r_tp=$(pick 'true_?peak' 'sample|max_?frame|position|time|_s$')
r_lra=$(pick '(^|[._])(lra|loudness_range)' 'low|high|threshold')
[[ -n $r_i && -n $r_tp ]] || { echo "analyze-vs-ffmpeg: no integrated loudness / true peak found in reel's JSON:" >&2; cat "$json" >&2; exit 1; }
read -r r_t r_kb r_cpu < <(best < "$tmp/reel.times")
printf '  %-7s %7s %6s %8sx %8d %16.1f %15.1f %7s\n' reel "$r_t" "$r_cpu" "$(awk -v s=$seconds -v t="$r_t" 'BEGIN { printf "%.0f", s / t }')" \
  $((r_kb / 1024)) "$r_i" "$r_tp" "$(printf '%.1f' "${r_lra:-nan}")"
ratio=$(awk -v a="$f_t" -v b="$r_t" 'BEGIN { printf "%.2f", a / b }')
di=$(awk -v a="$r_i" -v b="$f_i" 'BEGIN { printf "%+.2f", a - b }')
dtp=$(awk -v a="$r_tp" -v b="$f_tp" 'BEGIN { printf "%+.2f", a - b }')
echo
echo "  speed reel/ffmpeg: ${ratio}x"
echo "  reel - ffmpeg: integrated ${di} LU, true peak ${dtp} dB (ffmpeg prints one decimal)"
awk -v d="$di" 'BEGIN { exit !(d <= 0.15 && d >= -0.15) }' || echo "  WARNING: integrated loudness differs by more than 0.15 LU (ffmpeg rounds to 0.1)"
awk -v d="$dtp" 'BEGIN { exit !(d <= 0.5 && d >= -0.5) }' || echo "  WARNING: true peak differs by more than 0.5 dB"
echo "summary: analyze reel_s=$r_t reel_cpu_s=$r_cpu ffmpeg_s=$f_t ffmpeg_cpu_s=$f_cpu ratio=$ratio reel_integrated_lufs=$r_i ffmpeg_integrated_lufs=$f_i" \
     "reel_true_peak_dbtp=$r_tp ffmpeg_true_peak_dbtp=$f_tp"
