#!/usr/bin/env bash
# Installs every build, test and run dependency of opentapi from Debian packages.
# Idempotent: packages already present are skipped, and it stays quiet when there
# is nothing to do. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  # toolchain and build
  build-essential cmake ninja-build pkg-config ccache
  clang-14 libclang-rt-14-dev
  # libraries
  libboost-dev libboost-system-dev
  libprotobuf-dev protobuf-compiler
  libsqlite3-dev sqlite3
  libpq-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # bench/run.sh compares with Redis
  redis-server redis-tools
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
