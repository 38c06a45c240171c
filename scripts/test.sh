#!/usr/bin/env bash
# The README's test command: installs what the tests need beside the .NET SDK (FFmpeg and Open MPI, through scripts/setup.sh),
# then runs every test. Arguments go to `dotnet test` (e.g. --filter Video).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
cd "$repo"
exec dotnet test "$@"
