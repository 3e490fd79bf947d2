#!/usr/bin/env bash
# ctest driver of the proxy_request_fuzz test: builds the libFuzzer target of
# the ACD's proxy-request parser with clang++-14 (unless the project itself
# was built with clang and passes the binary), writes a seed corpus of one
# well-formed request of every type, and fuzzes for a bounded time. The same
# conventions as the frame decoder's fuzz test: exit 77 (ctest SKIP) when no
# clang or no libFuzzer runtime is available; libFuzzer's own default error
# exit code is also 77, so the run below sets -error_exitcode=1.
#
# usage: run_proxy_request_fuzz.sh WORKDIR BINARY|"" TAPI_INCLUDE SRC_DIR SOURCES...
set -euo pipefail
work=$1 binary=$2 tapi_include=$3 src_dir=$4
shift 4
sources=("$@")
fuzz_seconds=${OPENTAPI_FUZZ_SECONDS:-20}
mkdir -p "$work"

if [[ -z "$binary" ]]; then
  cxx=$(command -v clang++-14 || true)
  if [[ -z "$cxx" ]]; then
    echo "clang++-14 not found: skipping the fuzz test"
    exit 77
  fi
  runtime=$("$cxx" -print-file-name=libclang_rt.fuzzer-x86_64.a)
  if [[ ! -f "$runtime" ]]; then
    echo "$cxx has no libFuzzer runtime (libclang-rt-14-dev): skipping the fuzz test"
    exit 77
  fi
  binary=$work/proxy_request_fuzz
  # Rebuild only what changed: one object per source, compiled in parallel.
  flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I"$src_dir" -I"$tapi_include")
  objects=()
  parallel=$(nproc)
  for src in "${sources[@]}"; do
    obj=$work/$(basename "$src").o
    objects+=("$obj")
    if [[ ! -f "$obj" || "$src" -nt "$obj" || -n "$(find "$src_dir" "$tapi_include" -name '*.h' -newer "$obj" -print -quit)" ]]; then
      while (( $(jobs -rp | wc -l) >= parallel )); do wait -n; done
      "$cxx" "${flags[@]}" -c "$src" -o "$obj" &
    fi
  done
  while (( $(jobs -rp | wc -l) > 0 )); do wait -n; done
  "$cxx" -fsanitize=fuzzer,address,undefined "${objects[@]}" -o "$binary"
fi

# Seed corpus: written by the target itself (it knows the layout) when the
# corpus directory is empty.
corpus=$work/corpus
mkdir -p "$corpus"
if [[ -z "$(ls -A "$corpus")" ]]; then
  OPENTAPI_FUZZ_WRITE_SEEDS=$corpus "$binary"
fi

set +e
"$binary" -max_total_time="$fuzz_seconds" -timeout=5 -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$work/" -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 "$corpus" >"$work/last_run.log" 2>&1
status=$?
set -e
grep -E "^(#[0-9]+ +DONE|stat::|==[0-9]+==ERROR|SUMMARY|property violated|INFO: seed corpus|.*runtime error)" "$work/last_run.log" || true
if [[ $status -ne 0 ]]; then
  echo "fuzzer failed with status $status; full log: $work/last_run.log"
  tail -n 60 "$work/last_run.log"
fi
exit "$status"
