#!/usr/bin/env bash
# Installs the Debian packages Reel builds, tests and benchmarks with. Idempotent: when every
# package is already installed it does nothing (and needs no network).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsndfile1-dev libsoxr-dev libebur128-dev libyaml-cpp-dev libfmt-dev libfftw3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libfluidsynth-dev timgm6mb-soundfont
  libpugixml-dev hydrogen-drumkits
  sox ffmpeg ecasound time jq bc
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
