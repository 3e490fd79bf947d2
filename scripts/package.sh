#!/usr/bin/env bash
# Builds the Debian packages and checks them (docs/install.md):
#   bash scripts/package.sh                # build/release (configured and built here)
#   bash scripts/package.sh --no-build     # package build/release as it is (CI: just built)
#   bash scripts/package.sh --no-check     # skip scripts/check-packages.sh
#   bash scripts/package.sh --no-build --build-dir DIR   # another configured Release tree
# Writes build/release/packages/{opentapi,libopentapi0,libopentapi-dev}_VERSION_ARCH.deb.
#
# The packages come from the release preset's build tree: packaging adds no
# build of its own. Install paths are chosen at install time (prefix /usr,
# configuration in /etc, the unit in /lib/systemd/system; see
# cmake/OpentapiInstallService.cmake), so the tree needs no reconfiguration.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1 check=1 dir=build/release
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --no-check) check=0 ;;
    --build-dir) dir=${2:?--build-dir needs a directory}; shift ;;
    *) echo "usage: $0 [--no-build] [--no-check] [--build-dir DIR]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  [ "$dir" = build/release ] || { echo "package: --build-dir needs --no-build (only build/release is built here)" >&2; exit 2; }
  bash scripts/install-deps.sh
  echo "== package: configure and build the release preset"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
fi
[ -f "$dir/CPackConfig.cmake" ] || { echo "package: $dir is not configured (run without --no-build)" >&2; exit 1; }

echo "== package: cpack -G DEB"
rm -rf "$dir/packages" "$dir/_CPack_Packages"
(cd "$dir" && cpack -G DEB --config CPackConfig.cmake >cpack.log 2>&1) || {
  cat "$dir/cpack.log" >&2
  echo "package: cpack failed" >&2
  exit 1
}
ls -1 "$dir"/packages/*.deb

if [ "$check" = 1 ]; then
  bash scripts/check-packages.sh "$dir"
fi
