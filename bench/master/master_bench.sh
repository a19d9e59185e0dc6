#!/usr/bin/env bash
# Whole-program comparison: `reel master` vs ffmpeg's two-pass loudnorm, same file, same run.
#
# Usage: bench/master/master_bench.sh [BUILD_DIR] [SONG_DIR]
#   BUILD_DIR  the folder holding the reel binary (default: build)
#   SONG_DIR   a fretsonfire song folder with song.ogg + guitar.ogg (default: Feelings from
#              Debian's fretsonfire-songs-sectoid, CC BY-SA; installed with apt if missing)
#
# What it does (issue 4, "Speed"):
#   1. makes a 5-minute stereo 44.1 kHz "mix": the song's two stems summed at unity (they
#      overshoot full scale: a raw mix that needs mastering), looped/cut to exactly 300 s,
#      stored as 32-bit float WAV (so nothing is clipped on the way in);
#   2. reel master → 24-bit WAV at -14 LUFS / -1 dBTP (decode, analyze, process, verify, write);
#   3. ffmpeg loudnorm, two passes (measure, then normalize with the measured values) to the
#      same target, 24-bit WAV at 44.1 kHz;
#   4. measures both results with `reel analyze` (BS.1770-4 loudness, 4x true peak) and
#      prints times, realtime factors, the speed ratio, loudness, true peak and LRA;
#   5. peak memory of reel on a 10-minute version (GNU time).
# Times are wall clock (best of 3 for reel, interleaved with 3 loudnorm runs, best counts) and
# CPU seconds (user + system, GNU time) for both; the load average is printed with them, since
# on a shared machine wall time says more about the neighbours than about the tools.
set -euo pipefail

BUILD=${1:-build}
REEL=$(realpath "$BUILD/reel")
SONG=${2:-/usr/share/games/fretsonfire/data/songs/sectoid/Feelings}
WORK=$(mktemp -d /tmp/reel-master-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [ ! -f "$SONG/song.ogg" ]; then
    echo "installing fretsonfire-songs-sectoid (real song stems, CC BY-SA 3.0)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y fretsonfire-songs-sectoid >/dev/null
fi
command -v ffmpeg >/dev/null || { echo "ffmpeg is needed for the comparison" >&2; exit 1; }

mix() {  # mix SECONDS OUT
    ffmpeg -v error -y -stream_loop 2 -i "$SONG/song.ogg" -stream_loop 2 -i "$SONG/guitar.ogg" \
        -filter_complex "[0:a][1:a]amix=inputs=2:normalize=0,aresample=44100" -t "$1" -c:a pcm_f32le "$2"
}
mix 300 "$WORK/mix.wav"
mix 600 "$WORK/mix10.wav"

field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])" "$1" "$2"; }
# timed OUT_PREFIX CMD...: runs CMD under GNU time; prints "wall cpu" (seconds).
timed() {
    local out=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$out.time" "$@"
    awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$out.time"
}
better() { python3 -c "import sys; sys.exit(0 if float('$1') < float('$2') else 1)"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

reel_best="" reel_cpu="" ff_best="" ff_cpu="" ff_p1="" ff_p2=""
for i in 1 2 3; do
    read -r w c < <(timed "$WORK/reel" "$REEL" master "$WORK/mix.wav" -o "$WORK/reel.wav" --target streaming --bits 24 --quiet)
    echo "  run $i: reel master ${w} s wall, ${c} s CPU (load $(cut -d' ' -f1 /proc/loadavg))"
    if [ -z "$reel_best" ] || better "$w" "$reel_best"; then reel_best=$w; reel_cpu=$c; fi

    # ffmpeg loudnorm, two passes (measure, then normalize with the measured values).
    read -r w1 c1 < <(timed "$WORK/ff1" ffmpeg -hide_banner -nostats -i "$WORK/mix.wav" \
        -af loudnorm=I=-14:TP=-1:LRA=11:print_format=json -f null - 2>"$WORK/pass1.txt")
    python3 - "$WORK/pass1.txt" >"$WORK/measured.txt" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
d = json.loads(text[text.rindex("{"):text.rindex("}") + 1])
print(f"measured_I={d['input_i']}:measured_TP={d['input_tp']}:measured_LRA={d['input_lra']}:"
      f"measured_thresh={d['input_thresh']}:offset={d['target_offset']}")
PY
    read -r w2 c2 < <(timed "$WORK/ff2" ffmpeg -hide_banner -nostats -v error -y -i "$WORK/mix.wav" \
        -af "loudnorm=I=-14:TP=-1:LRA=11:$(cat "$WORK/measured.txt"):linear=true:print_format=none" \
        -ar 44100 -c:a pcm_s24le "$WORK/loudnorm.wav")
    w=$(python3 -c "print(f'{$w1+$w2:.3f}')"); c=$(python3 -c "print(f'{$c1+$c2:.3f}')")
    echo "  run $i: ffmpeg loudnorm 2-pass ${w} s wall (${w1} + ${w2}), ${c} s CPU (load $(cut -d' ' -f1 /proc/loadavg))"
    if [ -z "$ff_best" ] || better "$w" "$ff_best"; then ff_best=$w; ff_cpu=$c; ff_p1=$w1; ff_p2=$w2; fi
done
reel_time=$reel_best
ffmpeg_time=$ff_best

# Peak memory on 10 minutes.
/usr/bin/time -f "%M" -o "$WORK/rss.txt" "$REEL" master "$WORK/mix10.wav" -o "$WORK/reel10.wav" --quiet
rss_mb=$(python3 -c "print(f'{int(open(\"$WORK/rss.txt\").read().split()[-1])/1024:.1f}')")

"$REEL" analyze "$WORK/mix.wav" --json >"$WORK/a-mix.json"
"$REEL" analyze "$WORK/reel.wav" --json >"$WORK/a-reel.json"
"$REEL" analyze "$WORK/loudnorm.wav" --json >"$WORK/a-loudnorm.json"

echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf "input: %s, 300 s stereo 44.1 kHz, %s LUFS, %s dBTP, LRA %s LU\n" "$(basename "$SONG")" \
    "$(field "$WORK/a-mix.json" integrated_lufs)" "$(field "$WORK/a-mix.json" true_peak_dbtp)" "$(field "$WORK/a-mix.json" loudness_range_lu)"
printf "%-22s %9s %10s %10s %10s %9s\n" "tool (target -14/-1)" "time s" "realtime" "LUFS" "dBTP" "LRA LU"
printf "%-22s %9s %10s %10s %10s %9s\n" "reel master" "$reel_time" "$(python3 -c "print(f'{300/$reel_time:.0f}x')")" \
    "$(field "$WORK/a-reel.json" integrated_lufs)" "$(field "$WORK/a-reel.json" true_peak_dbtp)" "$(field "$WORK/a-reel.json" loudness_range_lu)"
printf "%-22s %9s %10s %10s %10s %9s\n" "ffmpeg loudnorm 2-pass" "$ffmpeg_time" "$(python3 -c "print(f'{300/$ffmpeg_time:.0f}x')")" \
    "$(field "$WORK/a-loudnorm.json" integrated_lufs)" "$(field "$WORK/a-loudnorm.json" true_peak_dbtp)" "$(field "$WORK/a-loudnorm.json" loudness_range_lu)"
echo "  (best wall times; loudnorm: pass 1 ${ff_p1} s, pass 2 ${ff_p2} s)"
echo "CPU seconds (user+system) of those runs: reel ${reel_cpu} s, loudnorm ${ff_cpu} s"
python3 -c "print(f'speed ratio (wall): reel is {$ffmpeg_time/$reel_time:.1f}x faster than two-pass loudnorm')"
python3 -c "print(f'speed ratio (CPU):  reel uses {$ff_cpu/$reel_cpu:.1f}x less CPU time than two-pass loudnorm')"
echo "reel peak memory on a 10-minute song: ${rss_mb} MB"
