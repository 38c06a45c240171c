#!/usr/bin/env bash
# Installs what slt needs beside the .NET SDK and NuGet packages: FFmpeg (ffmpeg, ffprobe), which decodes and writes
# video files (docs/datasets.md#video-files). Does nothing when they are already there. Debian/Ubuntu: apt-get, as
# root or through sudo. Elsewhere it says what to install and fails.
set -euo pipefail

if command -v ffmpeg > /dev/null && command -v ffprobe > /dev/null; then
    exit 0
fi
if [[ -n "${SLT_FFMPEG_DIR:-}" && -x "$SLT_FFMPEG_DIR/ffmpeg" && -x "$SLT_FFMPEG_DIR/ffprobe" ]]; then
    exit 0
fi
if ! command -v apt-get > /dev/null; then
    echo "setup: FFmpeg (ffmpeg and ffprobe) is needed for video files; install it with your package manager" >&2
    exit 2
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo > /dev/null; then
        echo "setup: FFmpeg is needed for video files: run 'apt-get install ffmpeg' as root" >&2
        exit 2
    fi
    sudo=(sudo)
fi
echo "setup: installing FFmpeg (apt-get install ffmpeg) ..." >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends ffmpeg > /dev/null
ffmpeg -version | head -1 >&2
