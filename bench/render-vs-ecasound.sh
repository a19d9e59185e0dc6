#!/usr/bin/env bash
# Whole-program comparison: `reel render` vs Ecasound mixing the same 16 stems.
#
#   bash bench/render-vs-ecasound.sh [BUILD_DIR] [--runs N] [--peer-only]
#   env: REEL (the binary; default BUILD_DIR/reel), REEL_BENCH_DATA (stem cache; default
#        BUILD_DIR/bench-data; BUILD_DIR defaults to build-bench),
#        REEL_BENCH_KEEP=DIR (keep both mixes there), ECASOUND_BUFFER (frames per buffer)
#
# 16 stems (8 mono, 8 stereo; 4 minutes, 48 kHz, 24-bit WAV; synthesized with sox once and
# cached in $REEL_BENCH_DATA, default BUILD_DIR/bench-data) are mixed by both tools with the
# same clip gain, fades, track volume and pan, to a 24-bit stereo WAV. Each tool runs N times
# (default 3), interleaved, and the best wall-clock time is kept; peak RSS comes from
# /usr/bin/time. Prints the realtime factor (audio seconds / wall seconds) of each, the
# speed ratio reel/ecasound, peak memory, and how far apart the two mixes are.
#
# The Ecasound chain per track reproduces Reel's mix exactly where Ecasound can:
#   mono:   -chcopy:1,2 -eac:L,1 -eac:R,2 -ea:G -klg:(fade envelope)
#   stereo:             -eac:L,1 -eac:R,2 -ea:G -klg:(fade envelope)
# with L/R Reel's pan laws (constant-power for mono, balance for stereo; dsp/pan_law.hpp),
# G = clip gain x track volume, chains summed (-z:mixmode,sum). Ecasound updates its
# envelope controller once per buffer, so its fades are stepped; everything else should
# match to within dither.
#
# --peer-only runs only Ecasound (to record the peer's figures before reel builds).
# --commands prints both command lines (the whole Ecasound chain) and exits.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=""
runs=3
peer_only=0
show_commands=0
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --peer-only) peer_only=1; shift ;;
    --commands) show_commands=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "render-vs-ecasound: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
build=$(cd "${build:-$repo/build-bench}" && pwd) || { echo "$(basename "$0" .sh): no build folder ${build:-$repo/build-bench}" >&2; exit 1; }
reel=${REEL:-$build/reel}
data=${REEL_BENCH_DATA:-$build/bench-data}/render-16

need() {
  command -v "$1" > /dev/null 2>&1 || { echo "render-vs-ecasound: '$1' is not installed; $2" >&2; exit 1; }
}
need sox "install it with: apt-get install sox"
need ecasound "install it with: apt-get install ecasound"
need awk "install gawk or mawk"
[[ -x /usr/bin/time ]] || { echo "render-vs-ecasound: /usr/bin/time is missing; install it with: apt-get install time" >&2; exit 1; }
if ((!peer_only)) && [[ ! -x $reel ]]; then
  echo "render-vs-ecasound: no reel binary at $reel; build it first (cmake --build $build --target reel)" \
       "or pass --peer-only" >&2
  exit 1
fi

seconds=240
rate=48000

# The tracks: file, channels, sox synth recipe, clip gain dB, fade in ms, fade out ms,
# track volume dB, pan. Beat = 0.625 s (96 bpm); repeats fill exactly 240 s.
tracks=$(cat <<'EOF'
t01|1|synth 0.625 sine 150:40 vol 0.6 fade q 0.002 0.625 0.45 repeat 383|-2|10|40|-4|0.0
t02|1|synth 0.3125 whitenoise vol 0.25 highpass 7000 fade q 0 0.3125 0.28 repeat 767|-4|10|40|-9|0.4
t03|1|synth 0.625 whitenoise vol 0.35 bandpass 2000 1q fade q 0.001 0.625 0.5 pad 0.625 0 repeat 191|-3|5|60|-7|-0.1
t04|1|synth 240 square 55 vol 0.3 lowpass 300 tremolo 1.6 70|-1|20|500|-6|0.0
t05|2|synth 240 sine 220 sine 277.18 vol 0.25 tremolo 0.2 40|-3|2000|3000|-8|-0.5
t06|1|synth 0.625 pluck A3 vol 0.5 repeat 383|-2|10|100|-8|0.6
t07|2|synth 0.9375 pluck C4 pluck E4 vol 0.4 repeat 255|-4|10|100|-9|-0.3
t08|1|synth 240 pinknoise vol 0.3 lowpass 3000 tremolo 0.5 80|-6|1000|2000|-12|-0.7
t09|2|synth 240 brownnoise brownnoise vol 0.4 highpass 40|-6|500|1500|-14|0.2
t10|1|synth 240 triangle 330 vol 0.3 tremolo 6 50|-3|50|200|-10|0.3
t11|2|synth 240 sine 196 sine 293.66 vol 0.25 tremolo 3 30|-2|300|800|-9|0.0
t12|1|synth 240 sine 5 synth sine fmod 440 vol 0.25|-5|20|20|-11|-0.45
t13|2|synth 240 tpdfnoise tpdfnoise vol 0.3 bandpass 800 0.5q tremolo 0.25 90|-3|1000|1000|-12|0.8
t14|2|synth 240 sawtooth 130.81 sawtooth 196 vol 0.2 lowpass 1200|-4|100|400|-10|-0.8
t15|1|synth 0.3125 pluck E5 vol 0.3 repeat 767|-3|10|40|-9|0.55
t16|2|synth 240 sine 100:2000 sine 2000:100 vol 0.15|-6|3000|3000|-12|0.1
EOF
)

# --- stems: synthesized once, cached (a stamp names the recipe, so a change regenerates) ---
stamp="v1 $(printf '%s' "$tracks" | cksum | cut -d' ' -f1)"
mkdir -p "$data/audio"
if [[ ! -f $data/.stems-ok || $(cat "$data/.stems-ok") != "$stamp" ]]; then
  echo "render-vs-ecasound: synthesizing 16 stems of ${seconds}s into $data/audio (once)"
  rm -f "$data/.stems-ok"
  while IFS='|' read -r name ch recipe _; do
    # -t wavpcm: a plain WAVE_FORMAT_PCM header; Ecasound's WAV reader rejects the
    # WAVE_FORMAT_EXTENSIBLE header sox writes by default for 24-bit files.
    # shellcheck disable=SC2086  # the recipe is a word list on purpose
    sox -V1 -n -r $rate -b 24 -c "$ch" -t wavpcm "$data/audio/$name.wav.part" $recipe
    mv "$data/audio/$name.wav.part" "$data/audio/$name.wav"
  done <<< "$tracks"
  printf '%s' "$stamp" > "$data/.stems-ok"
fi
while IFS='|' read -r name ch _; do
  n=$(sox --i -s "$data/audio/$name.wav")
  [[ $n == $((seconds * rate)) ]] || { echo "render-vs-ecasound: $name.wav has $n frames, expected $((seconds * rate)); delete $data and rerun" >&2; exit 1; }
done <<< "$tracks"

# --- the session for reel, and the equivalent Ecasound chains ---
session=$data/session.yaml
{
  echo "# Generated by bench/render-vs-ecasound.sh: 16 tracks of 4 minutes."
  echo "reel: 1"
  echo "title: Bench 16 tracks"
  echo "sample_rate: $rate"
  echo "tracks:"
  while IFS='|' read -r name ch _ gain fin fout vol pan; do
    echo "  - name: $name"
    echo "    clips:"
    echo "      - {file: audio/$name.wav, at: 0s, gain: ${gain}dB, fade_in: ${fin}ms, fade_out: ${fout}ms}"
    echo "    volume: ${vol}dB"
    echo "    pan: $pan"
  done <<< "$tracks"
} > "$session"

# -b:4096: Reel's block size, and Ecasound's fastest setting here (its default 1024 took
# ~12 % longer on the machine of docs/BENCHMARKS.md).
eca_args=(-q "-z:mixmode,sum" "-b:${ECASOUND_BUFFER:-4096}")
i=0
while IFS='|' read -r name ch _ gain fin fout vol pan; do
  i=$((i + 1))
  read -r gl gr g fi_s fo_s < <(awk -v ch="$ch" -v pan="$pan" -v gain="$gain" -v vol="$vol" \
      -v fin="$fin" -v fout="$fout" -v len="$seconds" 'BEGIN {
    pi = atan2(0, -1); p = pan < -1 ? -1 : (pan > 1 ? 1 : pan)
    th = (p + 1) * pi / 4; l = cos(th); r = sin(th)
    if (ch == 2) { l = sqrt(2) * l; r = sqrt(2) * r; if (l > 1) l = 1; if (r > 1) r = 1 }
    printf "%.6f %.6f %.6f %.6f %.6f\n", 100 * l, 100 * r, 100 * 10 ^ ((gain + vol) / 20), fin / 1000, len - fout / 1000 }')
  eca_args+=("-a:$i" "-i:$data/audio/$name.wav")
  [[ $ch == 1 ]] && eca_args+=("-chcopy:1,2")
  eca_args+=("-eac:$gl,1" "-eac:$gr,2" "-ea:$g" "-klg:1,0,$g,4,0,0,$fi_s,1,$fo_s,1,$seconds,0")
done <<< "$tracks"

# --- runs ---
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-render.XXXXXX")
# REEL_BENCH_KEEP=DIR keeps the mixes there for inspection.
keep() {
  if [[ -n ${REEL_BENCH_KEEP:-} ]]; then
    mkdir -p "$REEL_BENCH_KEEP"
    cp "$tmp"/*.wav "$REEL_BENCH_KEEP"/ 2> /dev/null || true
  fi
  rm -rf "$tmp"
}
trap keep EXIT
eca_args+=(-a:all "-f:24,2,$rate" "-o:$tmp/ecasound.wav")
if ((show_commands)); then
  echo "$reel render $session -o reel.wav --bits 24 --quiet"
  echo "ecasound ${eca_args[*]/#-o:*/-o:ecasound.wav}"
  exit 0
fi

cat "$data"/audio/*.wav > /dev/null  # same page-cache state for both tools

# Runs a command under /usr/bin/time; prints "wall_s peak_kb user_s sys_s".
timed() {
  local out=$1; shift
  if ! /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" > "$tmp/$out.log" 2>&1; then
    echo "render-vs-ecasound: '$*' failed:" >&2
    cat "$tmp/$out.log" >&2
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
  printf '  run %d %-9s %6s s wall %6.2f s cpu %5d MB\n' "$r" "$1" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $((kb / 1024))
}

: > "$tmp/reel.times"; : > "$tmp/eca.times"
echo "render-vs-ecasound: 16 tracks x ${seconds}s at $rate Hz, best of $runs ($(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg))"
for ((r = 1; r <= runs; r++)); do
  if ((!peer_only)); then
    t=$(timed reel "$reel" render "$session" -o "$tmp/reel.wav" --bits 24 --quiet)
    run_line reel "$t"
    echo "$t" >> "$tmp/reel.times"
  fi
  t=$(timed eca ecasound "${eca_args[@]}")
  run_line ecasound "$t"
  echo "$t" >> "$tmp/eca.times"
done

# --- checks: both mixes must be 240 s of stereo and close in level ---
stat_line() {  # "length_s peak_db rms_db" of a file (both channels together)
  sox "$1" -n stats 2>&1 | awk '/^Length s/ { l = $3 } /^Pk lev dB/ { p = $4 } /^RMS lev dB/ { r = $4 }
    END { printf "%s %s %s\n", l, p, r }'
}
read -r e_len e_pk e_rms < <(stat_line "$tmp/ecasound.wav")
[[ $(sox --i -c "$tmp/ecasound.wav") == 2 ]] || { echo "render-vs-ecasound: ecasound's output is not stereo" >&2; exit 1; }
awk -v l="$e_len" -v s="$seconds" 'BEGIN { exit !(l > s - 0.01 && l < s + 0.01) }' ||
  { echo "render-vs-ecasound: ecasound's mix is ${e_len}s long, expected ${seconds}s: not all tracks were mixed" >&2; exit 1; }

read -r e_t e_kb e_cpu < <(best < "$tmp/eca.times")
e_rtf=$(awk -v s="$seconds" -v t="$e_t" 'BEGIN { printf "%.1f", s / t }')
echo
printf '  %-9s %7s %7s %9s %8s %9s %8s %7s\n' tool "wall s" "cpu s" realtime "peak MB" "length s" "peak dB" "RMS dB"
printf '  %-9s %7s %7s %8sx %8d %9s %8s %7s\n' ecasound "$e_t" "$e_cpu" "$e_rtf" $((e_kb / 1024)) "$e_len" "$e_pk" "$e_rms"
if ((peer_only)); then
  echo "summary: render ecasound_s=$e_t ecasound_cpu_s=$e_cpu ecasound_rtf=$e_rtf ecasound_mb=$((e_kb / 1024)) reel=not-measured"
  exit 0
fi

read -r r_len r_pk r_rms < <(stat_line "$tmp/reel.wav")
read -r r_t r_kb r_cpu < <(best < "$tmp/reel.times")
r_rtf=$(awk -v s="$seconds" -v t="$r_t" 'BEGIN { printf "%.1f", s / t }')
printf '  %-9s %7s %7s %8sx %8d %9s %8s %7s\n' reel "$r_t" "$r_cpu" "$r_rtf" $((r_kb / 1024)) "$r_len" "$r_pk" "$r_rms"
ratio=$(awk -v a="$e_t" -v b="$r_t" 'BEGIN { printf "%.2f", a / b }')
# The difference of the two mixes, relative to the mix: how far apart they are.
# Over the whole song, and away from the fades (Ecasound steps its fade envelopes once per
# buffer, so the fades differ by design; the middle should agree to within dither).
diff_rms=$(sox -m -v 1 "$tmp/reel.wav" -v -1 "$tmp/ecasound.wav" -n stats 2>&1 | awk '/^RMS lev dB/ { print $4 }')
read -r mid_pk mid_rms < <(sox -m -v 1 "$tmp/reel.wav" -v -1 "$tmp/ecasound.wav" -n trim 3.5 $((seconds - 7)) stats 2>&1 |
  awk '/^Pk lev dB/ { p = $4 } /^RMS lev dB/ { r = $4 } END { printf "%s %s\n", p, r }')
echo
echo "  speed reel/ecasound: ${ratio}x   (target >= 3x: $(awk -v x="$ratio" 'BEGIN { print (x >= 3 ? "met" : "NOT met") }'))"
echo "  reel peak memory: $((r_kb / 1024)) MB   (target < 100 MB: $( ((r_kb < 100 * 1024)) && echo met || echo "NOT met"))"
echo "  mix difference reel - ecasound: RMS ${diff_rms} dBFS over the song (mix RMS ${r_rms} dBFS);"
echo "    away from the fades (3.5 s to $((seconds - 4)).5 s): RMS ${mid_rms} dBFS, peak ${mid_pk} dBFS"
awk -v d="$mid_pk" 'BEGIN { exit !(d < -90 || d == "-inf") }' ||
  echo "  WARNING: the mixes differ by more than -90 dBFS away from the fades: reel's gain, pan or routing differs"
awk -v a="$r_len" -v b="$e_len" 'BEGIN { exit !(a - b < 0.01 && b - a < 0.01) }' ||
  echo "  WARNING: the two mixes differ in length (reel ${r_len}s, ecasound ${e_len}s)"
awk -v a="$r_rms" -v b="$e_rms" 'BEGIN { d = a - b; exit !(d < 0.1 && d > -0.1) }' ||
  echo "  WARNING: the two mixes differ in RMS level by more than 0.1 dB"
echo "summary: render reel_s=$r_t reel_cpu_s=$r_cpu reel_rtf=$r_rtf reel_mb=$((r_kb / 1024)) ecasound_s=$e_t ecasound_rtf=$e_rtf" \
     "ecasound_cpu_s=$e_cpu ecasound_mb=$((e_kb / 1024)) ratio=$ratio diff_rms_db=$diff_rms diff_middle_peak_db=$mid_pk"
