#!/usr/bin/env bash
# Installs what slt needs beside the .NET SDK and NuGet packages: FFmpeg (ffmpeg, ffprobe), which decodes and writes
# video files (docs/datasets.md#video-files), and Open MPI (mpirun and libmpi.so.40 from openmpi-bin/libopenmpi3),
# which runs data-parallel training (docs/distributed.md) and its tests; with --tests also Chromium and its driver
# (chromium, chromedriver), which the browser test of `slt serve` drives headless. Does nothing when they are already
# there. Debian/Ubuntu: apt-get, as root or through sudo. Elsewhere it says what to install and fails.
set -euo pipefail

packages=()
if ! { command -v ffmpeg > /dev/null && command -v ffprobe > /dev/null; } &&
   ! [[ -n "${SLT_FFMPEG_DIR:-}" && -x "$SLT_FFMPEG_DIR/ffmpeg" && -x "$SLT_FFMPEG_DIR/ffprobe" ]]; then
    packages+=(ffmpeg)
fi
libraries="$(ldconfig -p 2> /dev/null || true)"
if ! command -v mpirun > /dev/null || [[ "$libraries" != *libmpi.so.40* ]]; then
    packages+=(openmpi-bin)
fi
if [[ "${1:-}" == "--tests" ]]; then
    # The test points Selenium at these two paths, so nothing is ever downloaded at run time.
    [[ -x /usr/bin/chromium ]] || packages+=(chromium)
    [[ -x /usr/bin/chromedriver ]] || packages+=(chromium-driver)
fi
if [[ ${#packages[@]} -eq 0 ]]; then
    exit 0
fi
if ! command -v apt-get > /dev/null; then
    echo "setup: slt needs ${packages[*]} (Debian package names: FFmpeg for video files, Open MPI for data-parallel training, Chromium for the browser test); install them with your package manager" >&2
    exit 2
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo > /dev/null; then
        echo "setup: slt needs ${packages[*]}: run 'apt-get install ${packages[*]}' as root" >&2
        exit 2
    fi
    sudo=(sudo)
fi
echo "setup: installing ${packages[*]} (apt-get install ${packages[*]}) ..." >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null
if [[ " ${packages[*]} " == *" ffmpeg "* ]]; then ffmpeg -version | head -1 >&2; fi
if [[ " ${packages[*]} " == *" openmpi-bin "* ]]; then mpirun --version | head -1 >&2; fi
if [[ " ${packages[*]} " == *" chromium "* ]]; then chromium --version | head -1 >&2; fi
