#!/usr/bin/env bash
# The demo (README quick start, step 1): installs what is missing, builds libkpi and the `kpi` command
# in Release, and runs the main job on the bundled demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
kpi=build/release/cli/kpi
echo
echo "\$ kpi version"
"$kpi" version
