#!/usr/bin/env bash
# usage: installed_sdk_test.sh BUILD_DIR SOURCE_DIR WORK_DIR CC CXX EXTRA_FLAGS
# Proves that `cmake --install` into an arbitrary prefix yields an SDK a
# Windows-style TAPI program can build against, both ways users build.
set -euo pipefail
build=$1 src=$2 work=$3 cc=$4 cxx=$5 extra=${6:-}
rm -rf "$work"; mkdir -p "$work"
prefix="$work/prefix with space"   # a prefix nobody configured, with a space
cmake --install "$build" --prefix "$prefix" >/dev/null

# headers land under include/opentapi/
for h in tapi.h tapi3.h tapi_port.h; do
  test -f "$prefix/include/opentapi/$h" || { echo "missing $h in installed SDK"; exit 1; }
done

# the server, its example configuration and its systemd unit
for f in bin/opentapid bin/opentapi etc/opentapi/callcenter.toml; do
  test -e "$prefix/$f" || { echo "missing $f in installed tree"; exit 1; }
done
unit=$(find "$prefix" -name opentapid.service)
test -n "$unit" || { echo "missing opentapid.service"; exit 1; }
# The unit is written at install time for this prefix (quoted: it has a space).
grep -qF "ExecStart=\"$prefix/bin/opentapid\" --config \"$prefix/etc/opentapi/callcenter.toml\"" "$unit" \
  || { echo "opentapid.service does not start this prefix's opentapid: $(grep ExecStart= "$unit")"; exit 1; }
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify --man=no "$unit" || { echo "systemd-analyze verify fails on the installed unit"; exit 1; }
else
  echo "installed SDK: systemd-analyze not installed, unit not verified (skipped)"
fi
"$prefix/bin/opentapid" --config "$prefix/etc/opentapi/callcenter.toml" --print-config | grep -q '\[simulator\]' \
  || { echo "installed opentapid does not read the installed configuration"; exit 1; }

# 1. pkg-config
pc_dir=$(dirname "$(find "$prefix" -name opentapi.pc | head -n1)")
export PKG_CONFIG_PATH="$pc_dir"
cflags=$(pkg-config --cflags opentapi)
libs=$(pkg-config --libs opentapi)
libdir=$(dirname "$pc_dir")   # <prefix>/lib; pkg-config would escape the space
# shellcheck disable=SC2086
eval "\"$cc\" -std=c11 -Wall -Wextra -Werror $extra $cflags \"$src/c_program.c\" -o \"$work/c_program\" $libs"
# shellcheck disable=SC2086
eval "\"$cxx\" -std=c++20 -Wall -Wextra -Werror $extra $cflags \"$src/cpp_program.cpp\" -o \"$work/cpp_program\" $libs"
LD_LIBRARY_PATH="$libdir" "$work/c_program"
LD_LIBRARY_PATH="$libdir" "$work/cpp_program"

# Every function (and COM constant) the installed headers declare is exported:
# a program taking the address of each, generated from the headers, links as
# C and as C++ (which adds the COM API). A declared-but-missing symbol fails here.
bash "$src/gen_link_all.sh" "$prefix/include/opentapi" >"$work/link_all.c"
# shellcheck disable=SC2086
eval "\"$cc\" -std=c11 -Wall -Wextra -Werror $extra $cflags \"$work/link_all.c\" -o \"$work/link_all_c\" $libs"
# shellcheck disable=SC2086
eval "\"$cxx\" -x c++ -std=c++20 -Wall -Wextra -Werror $extra $cflags \"$work/link_all.c\" -o \"$work/link_all_cxx\" $libs"
LD_LIBRARY_PATH="$libdir" "$work/link_all_c"
LD_LIBRARY_PATH="$libdir" "$work/link_all_cxx"

# 2. find_package(opentapi)
cmake -S "$src/cmake_consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$extra" -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" \
  -DOPENTAPI_SDK_TEST_SRC="$src" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/cpp_program"
"$work/consumer/c_program"
echo "installed SDK: pkg-config and find_package builds pass"
