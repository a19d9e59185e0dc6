#!/usr/bin/env bash
# Whole-program comparison: `reel render` of a 16-track session with an effects chain on
# every track vs SoX doing the same work per stem, two stems at a time, then mixing.
#
#   bash bench/mix-vs-sox.sh [BUILD_DIR] [--runs N] [--peer-only] [--commands]
#   env: REEL (the binary; default BUILD_DIR/reel), REEL_BENCH_DATA (stem cache; default
#        BUILD_DIR/bench-data; BUILD_DIR defaults to build-bench),
#        REEL_BENCH_KEEP=DIR (keep the three mixes there)
#
# 16 stereo stems (3.5 minutes, 44.1 kHz, 24-bit WAV; synthesized with sox once and cached
# in $REEL_BENCH_DATA/mix-16) go through, per stem,
#   high-pass 30 Hz (12 dB/oct) → bell 2500 Hz +3 dB q 1 → compressor → reverb
# and are summed to a 24-bit stereo WAV. Three ways, interleaved, each N times (default 3),
# best wall-clock time kept, peak RSS from /usr/bin/time:
#   sox     per stem: sox in.wav out.wav highpass 30 equalizer 2500 1q 3 \
#                       compand 0.3,1 6:-70,-60,-20 -5 -90 0.2 reverb 30
#           two stems at a time (xargs -P 2: both cores), then sox -m of the 16 results.
#           Its time is the whole pipeline; its peak memory the largest of its processes.
#   chains  reel render of the session with that chain on every track (16 reverbs).
#   bus     reel render of the usual layout: the same tracks with eq and compressor, each
#           sending to one shared reverb bus (one reverb).
# Prints the realtime factor (audio seconds / wall seconds) of each and the speed ratio
# reel chains / sox, against the targets of issue 3 (≥ 10× SoX, peak memory < 150 MB).
#
# The settings that stand for SoX's (SoX's effects are not Reel's, so the sounds differ;
# the work per frame is what is compared):
#   highpass 30            eq highpass: 30Hz        (both 2-pole Butterworth, RBJ)
#   equalizer 2500 1q 3    eq bell: 2500Hz, gain: 3dB, q: 1
#   compand 0.3,1 6:-70,-60,-20 -5 -90 0.2
#       SoX's curve is a 6 dB soft knee, slope 0.8 (1.25:1) from -70 dB up to -20 dB,
#       which lifts -70 dB to -60 dB, unity above -20 dB, then -5 dB of gain; its envelope
#       attacks in 0.3 s and decays in 1 s, and the audio is delayed 0.2 s (lookahead).
#       Reel's compressor only turns down above its threshold, so the closest setting puts
#       the threshold at -70 dB with the same 1.25:1 slope and knee, and +5 dB make-up
#       (= +10 dB lift - 5 dB gain): identical to SoX's curve from -70 dB to -20 dB; above
#       -20 dB it keeps compressing (SoX stops). Attack 300 ms, release 1 s; lookahead
#       20 ms (Reel's maximum; SoX's 0.2 s delay does the same job).
#   reverb 30              reverb: size 0.4, decay 0.75s, damping 0.5, mix 30%
#       SoX's reverb 30 is Freeverb's comb bank with feedback 0.76 over 25-37 ms combs
#       (a decay of about 0.75 s), 50 % HF damping, room scale 100 %, dry + wet.
#       Size 0.4 puts Reel's 16 lines at 18-49 ms.
#   sends (bus layout)     sends: [{to: Verb, level: -10dB}]; the bus: reverb (100 % wet).
#   sox -m                 scales each of its 16 inputs by 1/16 (-24 dB) so the sum does not
#                          clip; every reel track has volume: -24dB for the same reason (the
#                          sums of 16 compressed stems with +5 dB make-up would clip).
#
# --peer-only runs only SoX. --commands prints the command lines and exits.
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
    -*) echo "mix-vs-sox: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
build=$(cd "${build:-$repo/build-bench}" && pwd) || { echo "mix-vs-sox: no build folder ${build:-$repo/build-bench}" >&2; exit 1; }
reel=${REEL:-$build/reel}
data=${REEL_BENCH_DATA:-$build/bench-data}/mix-16

need() {
  command -v "$1" > /dev/null 2>&1 || { echo "mix-vs-sox: '$1' is not installed; $2" >&2; exit 1; }
}
need sox "install it with: apt-get install sox"
need xargs "install it with: apt-get install findutils"
need awk "install gawk or mawk"
[[ -x /usr/bin/time ]] || { echo "mix-vs-sox: /usr/bin/time is missing; install it with: apt-get install time" >&2; exit 1; }
if ((!peer_only)) && [[ ! -x $reel ]]; then
  echo "mix-vs-sox: no reel binary at $reel; build it first (cmake --build $build --target reel) or pass --peer-only" >&2
  exit 1
fi

seconds=210
rate=44100
sox_effects="highpass 30 equalizer 2500 1q 3 compand 0.3,1 6:-70,-60,-20 -5 -90 0.2 reverb 30"
reel_eq="eq: {highpass: 30Hz, bands: [{bell: 2500Hz, gain: 3dB, q: 1}]}"
reel_compressor="compressor: {threshold: -70dB, ratio: 1.25, knee: 6dB, attack: 300ms, release: 1s, makeup: 5dB, lookahead: 20ms}"
reel_reverb="reverb: {size: 0.4, decay: 0.75s, damping: 0.5, mix: 30%}"

# The stems: name and sox synth recipe (stereo). Beat = 0.625 s (96 bpm); repeats fill 210 s.
tracks=$(cat <<'EOF'
m01|synth 0.625 sine 150:40 vol 0.6 fade q 0.002 0.625 0.45 repeat 335
m02|synth 0.3125 whitenoise vol 0.25 highpass 7000 fade q 0 0.3125 0.28 repeat 671
m03|synth 0.625 whitenoise vol 0.35 bandpass 2000 1q fade q 0.001 0.625 0.5 pad 0.625 0 repeat 167
m04|synth 210 square 55 square 55.2 vol 0.3 lowpass 300 tremolo 1.6 70
m05|synth 210 sine 220 sine 277.18 vol 0.25 tremolo 0.2 40
m06|synth 0.625 pluck A3 pluck A3 vol 0.5 repeat 335
m07|synth 0.9375 pluck C4 pluck E4 vol 0.4 repeat 223
m08|synth 210 pinknoise pinknoise vol 0.3 lowpass 3000 tremolo 0.5 80
m09|synth 210 brownnoise brownnoise vol 0.4 highpass 40
m10|synth 210 triangle 330 triangle 331 vol 0.3 tremolo 6 50
m11|synth 210 sine 196 sine 293.66 vol 0.25 tremolo 3 30
m12|synth 210 sine 5 sine 6 synth sine fmod 440 sine fmod 442 vol 0.25
m13|synth 210 tpdfnoise tpdfnoise vol 0.3 bandpass 800 0.5q tremolo 0.25 90
m14|synth 210 sawtooth 130.81 sawtooth 196 vol 0.2 lowpass 1200
m15|synth 0.3125 pluck E5 pluck B5 vol 0.3 repeat 671
m16|synth 210 sine 100:2000 sine 2000:100 vol 0.15
EOF
)

# --- stems: synthesized once, cached (a stamp names the recipe, so a change regenerates) ---
stamp="v1 $(printf '%s' "$tracks" | cksum | cut -d' ' -f1)"
mkdir -p "$data/audio"
if [[ ! -f $data/.stems-ok || $(cat "$data/.stems-ok") != "$stamp" ]]; then
  echo "mix-vs-sox: synthesizing 16 stems of ${seconds}s into $data/audio (once)"
  rm -f "$data/.stems-ok"
  while IFS='|' read -r name recipe; do
    # shellcheck disable=SC2086  # the recipe is a word list on purpose
    sox -V1 -n -r $rate -b 24 -c 2 -t wav "$data/audio/$name.wav.part" $recipe
    mv "$data/audio/$name.wav.part" "$data/audio/$name.wav"
  done <<< "$tracks"
  printf '%s' "$stamp" > "$data/.stems-ok"
fi
while IFS='|' read -r name _; do
  n=$(sox --i -s "$data/audio/$name.wav")
  [[ $n == $((seconds * rate)) ]] || { echo "mix-vs-sox: $name.wav has $n frames, expected $((seconds * rate)); delete $data and rerun" >&2; exit 1; }
done <<< "$tracks"

# --- the two sessions ---
write_session() {  # write_session FILE LAYOUT(chains|bus)
  {
    echo "# Generated by bench/mix-vs-sox.sh ($2): 16 tracks of 3.5 minutes."
    echo "reel: 1"
    echo "title: Bench mix 16 tracks ($2)"
    echo "sample_rate: $rate"
    echo "tracks:"
    while IFS='|' read -r name _; do
      echo "  - name: $name"
      echo "    clips: [{file: audio/$name.wav, at: 0s}]"
      echo "    volume: -24dB"
      echo "    chain:"
      echo "      - $reel_eq"
      echo "      - $reel_compressor"
      if [[ $2 == chains ]]; then
        echo "      - $reel_reverb"
      else
        echo "    sends: [{to: Verb, level: -10dB}]"
      fi
    done <<< "$tracks"
    if [[ $2 == bus ]]; then
      echo "buses:"
      echo "  - name: Verb"
      echo "    chain: [{reverb: {size: 0.4, decay: 0.75s, damping: 0.5, mix: 100%}}]"
    fi
  } > "$1"
}
write_session "$data/chains.yaml" chains
write_session "$data/bus.yaml" bus

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-mix.XXXXXX")
keep() {
  if [[ -n ${REEL_BENCH_KEEP:-} ]]; then
    mkdir -p "$REEL_BENCH_KEEP"
    cp "$tmp"/*.wav "$REEL_BENCH_KEEP"/ 2> /dev/null || true
  fi
  rm -rf "$tmp"
}
trap keep EXIT

# SoX's whole pipeline as one script, so /usr/bin/time measures all of it. %M of a parent
# is the largest RSS among it and its waited-for children, so it is SoX's peak per process.
cat > "$tmp/sox-pipeline.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
cd "$data/audio"
out=\$1
mkdir -p "\$out.stems"
printf '%s\n' m*.wav | xargs -P 2 -I{} sox -V1 {} "\$out.stems/{}" $sox_effects
sox -V1 -m "\$out.stems"/m*.wav "\$out"
rm -rf "\$out.stems"
EOF
if ((show_commands)); then
  echo "cd $data/audio"
  echo "printf '%s\\n' m*.wav | xargs -P 2 -I{} sox {} stems/{} $sox_effects"
  echo "sox -m stems/m*.wav sox.wav"
  echo "$reel render $data/chains.yaml -o chains.wav --bits 24 --quiet"
  echo "$reel render $data/bus.yaml -o bus.wav --bits 24 --quiet"
  exit 0
fi

cat "$data"/audio/*.wav > /dev/null  # same page-cache state for every tool

# Runs a command under /usr/bin/time; prints "wall_s peak_kb user_s sys_s".
timed() {
  local out=$1; shift
  if ! /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" > "$tmp/$out.log" 2>&1; then
    echo "mix-vs-sox: '$*' failed:" >&2
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
  printf '  run %d %-12s %7s s wall %7.2f s cpu %5d MB\n' "$r" "$1" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $((kb / 1024))
}

: > "$tmp/sox.times"; : > "$tmp/chains.times"; : > "$tmp/bus.times"
echo "mix-vs-sox: 16 stereo tracks x ${seconds}s at $rate Hz, eq + compressor + reverb each, best of $runs" \
     "($(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg))"
for ((r = 1; r <= runs; r++)); do
  t=$(timed sox bash "$tmp/sox-pipeline.sh" "$tmp/sox.wav")
  run_line sox "$t"
  echo "$t" >> "$tmp/sox.times"
  if ((!peer_only)); then
    t=$(timed chains "$reel" render "$data/chains.yaml" -o "$tmp/chains.wav" --bits 24 --quiet)
    run_line "reel chains" "$t"
    echo "$t" >> "$tmp/chains.times"
    t=$(timed bus "$reel" render "$data/bus.yaml" -o "$tmp/bus.wav" --bits 24 --quiet)
    run_line "reel bus" "$t"
    echo "$t" >> "$tmp/bus.times"
  fi
done

stat_line() {  # "length_s peak_db rms_db" of a file (both channels together)
  sox "$1" -n stats 2>&1 | awk '/^Length s/ { l = $3 } /^Pk lev dB/ { p = $4 } /^RMS lev dB/ { r = $4 }
    END { printf "%s %s %s\n", l, p, r }'
}
rtf() { awk -v s="$seconds" -v t="$1" 'BEGIN { printf "%.1f", s / t }'; }

echo
printf '  %-12s %7s %7s %9s %8s %9s %8s %7s\n' "" "wall s" "cpu s" realtime "peak MB" "length s" "peak dB" "RMS dB"
line() {  # line NAME TIMES WAV
  local t kb cpu len pk rms
  read -r t kb cpu < <(best < "$2")
  read -r len pk rms < <(stat_line "$3")
  printf '  %-12s %7s %7s %8sx %8d %9s %8s %7s\n' "$1" "$t" "$cpu" "$(rtf "$t")" $((kb / 1024)) "$len" "$pk" "$rms"
}
line sox "$tmp/sox.times" "$tmp/sox.wav"
read -r s_t s_kb s_cpu < <(best < "$tmp/sox.times")
if ((peer_only)); then
  echo "summary: mix sox_s=$s_t sox_rtf=$(rtf "$s_t") sox_cpu_s=$s_cpu sox_mb=$((s_kb / 1024)) reel=not-measured"
  exit 0
fi
line "reel chains" "$tmp/chains.times" "$tmp/chains.wav"
line "reel bus" "$tmp/bus.times" "$tmp/bus.wav"
read -r c_t c_kb c_cpu < <(best < "$tmp/chains.times")
read -r b_t b_kb b_cpu < <(best < "$tmp/bus.times")
ratio=$(awk -v a="$s_t" -v b="$c_t" 'BEGIN { printf "%.1f", a / b }')
echo
echo "  speed reel chains / sox: ${ratio}x   (target >= 10x: $(awk -v x="$ratio" 'BEGIN { print (x >= 10 ? "met" : "NOT met") }'))"
echo "  reel chains realtime: $(rtf "$c_t")x   (target > 150x: $(awk -v x="$(rtf "$c_t")" 'BEGIN { print (x > 150 ? "met" : "NOT met") }'))"
echo "  reel peak memory: $((c_kb / 1024)) MB chains, $((b_kb / 1024)) MB bus   (target < 150 MB:" \
     "$( ((c_kb < 150 * 1024 && b_kb < 150 * 1024)) && echo met || echo "NOT met"))"
echo "summary: mix sox_s=$s_t sox_rtf=$(rtf "$s_t") sox_cpu_s=$s_cpu sox_mb=$((s_kb / 1024))" \
     "reel_chains_s=$c_t reel_chains_rtf=$(rtf "$c_t") reel_chains_cpu_s=$c_cpu reel_chains_mb=$((c_kb / 1024))" \
     "reel_bus_s=$b_t reel_bus_rtf=$(rtf "$b_t") reel_bus_cpu_s=$b_cpu reel_bus_mb=$((b_kb / 1024)) ratio=$ratio"
