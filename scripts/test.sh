#!/usr/bin/env bash
# Installs the dependencies, builds opentapi and runs every test.
#   scripts/test.sh            # the asan preset (ASan + UBSan), as CI runs it
#   scripts/test.sh debug      # any preset(s): debug, release, asan
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Formatting first: a file that differs from .clang-format fails in a second,
# before a build of several minutes.
bash scripts/check-format.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(asan)
jobs=$(nproc)
for preset in "${presets[@]}"; do
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: test"
  ctest --preset "$preset" -j "$jobs"
done
