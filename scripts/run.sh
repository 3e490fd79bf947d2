#!/usr/bin/env bash
# The main job: installs the dependencies, builds opentapi (release) and runs
# the call-center demo. Today that is the core demo — one agent's shift played
# through the state machines and statistics; the live server with simulated
# traffic and the wallboard replace it as those parts land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target opentapi-core-demo
exec build/release/tools/core_demo/opentapi-core-demo
