#!/usr/bin/env bash
# The main job: installs the dependencies, builds opentapi (release), starts
# opentapid with the demo call center and simulated traffic, and shows it
# working — queue statistics, then a live stream of agent and session state
# changes — until Ctrl-C, when it stops everything it started.
#
#   bash scripts/run.sh                # until Ctrl-C
#   bash scripts/run.sh --seconds 30   # a bounded run
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target opentapid opentapi-cli

exec bash scripts/demo.sh build/release/tools "$@"
