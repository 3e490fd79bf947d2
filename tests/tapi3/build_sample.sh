#!/usr/bin/env bash
# usage: build_sample.sh BUILD_DIR SOURCE_DIR WORK_DIR CXX EXTRA_FLAGS
# Installs the SDK from BUILD_DIR into a scratch prefix and compiles the
# Windows-style TAPI 3 programs (agent_desktop.cpp, call_desktop.cpp) against
# it with nothing but `pkg-config --cflags --libs opentapi`, as a porter would.
# Leaves them in WORK_DIR, with WORK_DIR/libdir (for LD_LIBRARY_PATH).
set -euo pipefail
build=$1 src=$2 work=$3 cxx=$4 extra=${5:-}
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

pc=$(find "$prefix" -name opentapi.pc | head -n1)
[[ -n $pc ]] || { echo "opentapi.pc missing from the installed SDK"; exit 1; }
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
read -r -a cflags <<<"$(pkg-config --cflags opentapi)"
read -r -a libs <<<"$(pkg-config --libs opentapi)"
read -r -a extras <<<"$extra"
for program in agent_desktop call_desktop; do
  "$cxx" -std=c++20 -Wall -Wextra -Werror "${extras[@]}" "${cflags[@]}" "$src/$program.cpp" \
    -o "$work/$program" "${libs[@]}"
done
dirname "$(dirname "$pc")" >"$work/libdir"
echo "agent_desktop and call_desktop built against the installed SDK with pkg-config only"
