#!/usr/bin/env bash
# ctest driver of a libFuzzer target declared with opentapi_add_fuzz_test()
# (cmake/OpentapiFuzz.cmake). It builds the target with clang++-14 when the
# project itself is not built with clang (then no binary is passed), lets the
# target write its seed corpus, and fuzzes for a bounded time
# (OPENTAPI_FUZZ_SECONDS, else the test's default).
#
# Exit codes: 0 no finding, 1 a finding (log and reproducer in WORKDIR),
# 77 skipped (no clang++-14 or no libFuzzer runtime; ctest SKIP_RETURN_CODE).
#
# usage: run_fuzz_test.sh WORKDIR BINARY|"" SECONDS MAX_LEN
#                         --include DIR... --link ARG... --sources FILE...
set -euo pipefail
workdir=$1 binary=$2 seconds=${OPENTAPI_FUZZ_SECONDS:-$3} max_len=$4
shift 4
includes=() links=() sources=()
section=""
for arg in "$@"; do
  case "$arg" in
    --include | --link | --sources) section=$arg ;;
    *)
      case "$section" in
        --include) includes+=("-I$arg") ;;
        --link) links+=("$arg") ;;
        --sources) sources+=("$arg") ;;
        *) echo "run_fuzz_test.sh: $arg before any section" >&2; exit 2 ;;
      esac
      ;;
  esac
done
mkdir -p "$workdir"

build_with_clang() {
  local cxx runtime
  cxx=$(command -v clang++-14 || true)
  if [[ -z "$cxx" ]]; then
    echo "clang++-14 not found: skipping"
    exit 77
  fi
  runtime=$("$cxx" -print-file-name=libclang_rt.fuzzer-x86_64.a)
  if [[ ! -f "$runtime" ]]; then
    echo "$cxx has no libFuzzer runtime (libclang-rt-14-dev): skipping"
    exit 77
  fi
  # One object per source, rebuilt when it or any header of the include
  # directories is newer; two compilers at a time (the machine is shared).
  local objects=() src obj
  for src in "${sources[@]}"; do
    obj=$workdir/$(basename "$src").o
    objects+=("$obj")
    local stale=""
    if [[ ! -f "$obj" || "$src" -nt "$obj" ]]; then
      stale=yes
    else
      local dir
      for dir in "${includes[@]#-I}"; do
        if [[ -n "$(find "$dir" -name '*.h' -newer "$obj" -print -quit)" ]]; then stale=yes; break; fi
      done
    fi
    if [[ -n "$stale" ]]; then
      while (($(jobs -rp | wc -l) >= 2)); do wait -n; done
      "$cxx" -std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined "${includes[@]}" -c "$src" -o "$obj" &
    fi
  done
  while (($(jobs -rp | wc -l) > 0)); do wait -n; done
  binary=$workdir/fuzz_target
  "$cxx" -fsanitize=fuzzer,address,undefined "${objects[@]}" "${links[@]}" -o "$binary"
}

[[ -n "$binary" ]] || build_with_clang

# The target writes its own seeds (it owns the encoders) when asked through
# OPENTAPI_FUZZ_WRITE_SEEDS; -runs=0 keeps a target without seeds from fuzzing here.
corpus=$workdir/corpus
mkdir -p "$corpus"
if [[ -z "$(ls -A "$corpus")" ]]; then
  OPENTAPI_FUZZ_WRITE_SEEDS=$corpus "$binary" -runs=0 >/dev/null 2>&1 || true
fi

log=$workdir/last_run.log
status=0
# libFuzzer's own error exit code is 77 (our SKIP): findings must exit 1.
"$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=5 -rss_limit_mb=2048 \
  -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$workdir/" -print_final_stats=1 \
  "$corpus" >"$log" 2>&1 || status=$?
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY|property violated|INFO: seed corpus)" \
  "$log" || true
if ((status != 0)); then
  echo "fuzzing found a problem (status $status); full log: $log"
  tail -n 60 "$log"
fi
exit "$status"
