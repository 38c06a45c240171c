#!/usr/bin/env bash
# Data loading benchmark (docs/benchmarks.md#data-loading): the same synthetic clips read as H.264 video files, as
# PNG frame folders, and from the frame cache of each (JPEG frames for the videos, the PNG bytes for the folders),
# timed in one `slt bench data` run so that the ratios compare like with like.
#   scripts/bench-data.sh [WORK_DIR]      CLIPS=200 SIZE=112 to change the clip count and frame size
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slt="$repo/scripts/slt"
work="${1:-$(mktemp -d -t slt-bench-data-XXXX)}"
clips="${CLIPS:-200}"
size="${SIZE:-112}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

echo "bench-data: $clips clips of ${size}x${size} frames in $work" >&2
rm -rf "$work/png" "$work/video" "$work"/cache-*
"$slt" synth --out "$work/png" --config "$repo/configs/synthetic/dataset.yaml" \
  --set synthetic.train_samples="$clips" --set synthetic.dev_samples=2 --set synthetic.test_samples=2 \
  --set synthetic.frame_width="$size" --set synthetic.frame_height="$size" >/dev/null

# One mp4 per training frame folder (libx264, 4:4:4, CRF 12: as VideoFileEncoder writes them), and a manifest.
mkdir -p "$work/video"
printf 'id\tvideo\ttext\n' > "$work/video/train.tsv"
n=0
for folder in "$work"/png/frames/train/*/; do
  name="$(basename "$folder")"
  ffmpeg -v error -y -framerate 25 -i "$folder/images%04d.png" -c:v libx264 -preset medium -crf 12 -pix_fmt yuv444p -threads 1 \
    "$work/video/$name.mp4"
  printf '%s\t%s.mp4\tclip %s\n' "$name" "$name" "$n" >> "$work/video/train.tsv"
  n=$((n + 1))
done
head -2 "$work/video/train.tsv" > "$work/video/dev.tsv"
cp "$work/video/dev.tsv" "$work/video/test.tsv"

frames="  frames: {resize_height: $size, resize_width: $size, crop_height: $size, crop_width: $size}"
cat > "$work/video.yaml" <<YAML
data:
  kind: manifest
  root: video
  files: {train: train.tsv, dev: dev.tsv, test: test.tsv}
$frames
  cache: {folder: cache-video}
YAML
cat > "$work/frames.yaml" <<YAML
data:
  kind: labels
  root: png
  image_root: frames
$frames
  cache: {folder: cache-png}
YAML

for config in video frames; do
  start=$(date +%s.%N)
  "$slt" data prepare --config "$work/$config.yaml" >&2
  echo "bench-data: prepare $config: $(echo "$(date +%s.%N) - $start" | bc) s, cache $(du -sh "$work/cache-$( [ $config = video ] && echo video || echo png)" | cut -f1)" >&2
done
echo "bench-data: source sizes: video $(du -sh "$work/video" | cut -f1), png $(du -sh "$work/png/frames" | cut -f1)" >&2
"$slt" bench data --config "$work/video.yaml" --config "$work/frames.yaml" --clips "$clips"
