#!/usr/bin/env bash
# The README's test command: installs what the tests need beside the .NET SDK (FFmpeg, Open MPI, Chromium and
# chromedriver, through scripts/setup.sh --tests), then runs every test. Arguments go to `dotnet test` (e.g. --filter Video).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh" --tests
cd "$repo"
exec dotnet test "$@"
