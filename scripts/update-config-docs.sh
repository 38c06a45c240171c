#!/usr/bin/env bash
# Regenerates the key reference in docs/configuration.md from the configuration records and their XML doc
# comments (the text between the BEGIN/END GENERATED markers). A test fails when the file is out of date.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
doc="$repo/docs/configuration.md"
generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
"$repo/scripts/slt" config keys --markdown > "$generated"
awk -v generated="$generated" '
  /<!-- BEGIN GENERATED/ { print; while ((getline line < generated) > 0) print line; skipping = 1; next }
  /<!-- END GENERATED/ { skipping = 0 }
  !skipping { print }
' "$doc" > "$doc.tmp"
mv "$doc.tmp" "$doc"
echo "updated $doc"
