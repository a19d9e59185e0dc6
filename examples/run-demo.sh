#!/usr/bin/env bash
# `make demo`: renders and analyzes the example song. Usage: run-demo.sh PATH/TO/reel
# (The full six-stage demo song arrives with `reel demo`; until then this is the demo.)
set -euo pipefail
reel=${1:-build/reel}
build=$(dirname "$reel")
song="$build/examples/first-song"
echo "== reel info $song/session.yaml"
"$reel" info "$song/session.yaml"
echo
echo "== reel render $song/session.yaml -o $song/mix.wav"
"$reel" render "$song/session.yaml" -o "$song/mix.wav"
echo
echo "== reel analyze $song/mix.wav"
"$reel" analyze "$song/mix.wav"
