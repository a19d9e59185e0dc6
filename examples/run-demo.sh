#!/usr/bin/env bash
# `make demo`: mixes, masters and measures the example song. Usage: run-demo.sh PATH/TO/reel
set -euo pipefail
reel=${1:-build/reel}
build=$(dirname "$reel")
song="$build/examples/first-song"
step() { printf '\n== %s\n' "$*"; }
step "reel info $song/session.yaml"
"$reel" info "$song/session.yaml"
step "reel render $song/session.yaml -o $song/mix.wav"
"$reel" render "$song/session.yaml" -o "$song/mix.wav"
step "reel analyze $song/mix.wav"
"$reel" analyze "$song/mix.wav"
step "reel master $song/mix.wav -o $song/master.wav --report $song/master.html"
"$reel" master "$song/mix.wav" -o "$song/master.wav" --report "$song/master.json,$song/master.html"
step "reel analyze $song/master.wav"
"$reel" analyze "$song/master.wav"
printf '\nThe song folder is %s: session.yaml, audio/, mix.wav, master.wav, master.html\n' "$song"
