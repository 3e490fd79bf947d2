#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy: naming rules, bugprone-*,
# performance-*) on the C++ lines changed since a base revision, so new code
# keeps the house style without a tree-wide clean-up first: findings on lines
# nobody touched are not reported.
#
#   scripts/tidy-changed.sh [BASE]
#
# BASE defaults to $TIDY_BASE, else HEAD~1; without it (a fresh clone of one
# commit) there is nothing to compare with and the script says so and exits 0.
# Uses BUILD_DIR/compile_commands.json (default build/asan: run after
# scripts/test.sh). A changed header is checked through the .cpp file of the
# same name, when the compile database has one.
#
# Environment: TIDY_JOBS (parallel clang-tidy processes, default 2),
# TIDY_TIMEOUT (seconds for the whole run, default 600; on time-out the run is
# reported as incomplete and does not fail), CLANG_TIDY (default clang-tidy-14,
# else clang-tidy).
#
# Exit status: 0 no findings (or nothing to check, or timed out), 1 findings
# on changed lines, 2 usage or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-${TIDY_BASE:-HEAD~1}}
build_dir=${BUILD_DIR:-build/asan}
jobs=${TIDY_JOBS:-2}
time_limit=${TIDY_TIMEOUT:-600}
tidy=${CLANG_TIDY:-}
if [[ -z $tidy ]]; then
  tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
fi
[[ -n $tidy ]] || { echo "tidy-changed: clang-tidy not found (apt-get install clang-tidy)" >&2; exit 2; }
database=$build_dir/compile_commands.json
[[ -f $database ]] || { echo "tidy-changed: no $database (configure that build first)" >&2; exit 2; }

if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "tidy-changed: no base revision $base (a clone without history?): nothing to compare, skipped"
  exit 0
fi

# Changed lines per file: {"name": PATH, "lines": [[first, last], ...]}.
# clang-tidy matches a name against the end of a diagnostic's file name.
mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- \
  'src/*.cpp' 'src/*.h' 'tools/*.cpp' 'tools/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
if [[ ${#changed[@]} -eq 0 ]]; then
  echo "tidy-changed: no C++ file changed since $base"
  exit 0
fi
line_filter=$(
  for file in "${changed[@]}"; do
    git diff -U0 "$base" -- "$file" |
      sed -n 's/^@@ [^+]*+\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} @@.*/\1 \3/p' |
      awk -v name="$file" '
        { count = ($2 == "") ? 1 : $2; if (count > 0) ranges = ranges sep "[" $1 "," $1 + count - 1 "]"; sep = "," }
        END { if (ranges != "") printf "{\"name\":\"%s\",\"lines\":[%s]}\n", name, ranges }'
  done | paste -sd, -
)
if [[ -z $line_filter ]]; then
  echo "tidy-changed: only deletions since $base"
  exit 0
fi

# The translation units to run: changed .cpp files, and for a changed header
# the .cpp beside it; only those the compile database knows.
units=$(
  for file in "${changed[@]}"; do
    case $file in
      *.cpp) echo "$PWD/$file" ;;
      *.h) echo "$PWD/${file%.h}.cpp" ;;
    esac
  done | sort -u | while read -r unit; do
    if grep -q "\"file\": \"$unit\"" "$database"; then echo "$unit"; fi
  done
)
if [[ -z $units ]]; then
  echo "tidy-changed: no changed file is in $database"
  exit 0
fi
echo "tidy-changed: $(wc -l <<<"$units") file(s) changed since $base ($(git rev-parse --short "$base"))"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# -Wno-error: the build's own warnings are the build's business (its flags
# carry -Werror); here only the checks of .clang-tidy count.
timeout "$time_limit" xargs -P "$jobs" -n 1 "$tidy" -p "$build_dir" --quiet \
  --header-filter='.*' --line-filter="[$line_filter]" --warnings-as-errors='*' --extra-arg=-Wno-error \
  <<<"$units" >"$log" 2>&1 || status=$?
grep -v -e '^[0-9]* warnings\? generated' -e '^Suppressed [0-9]* warnings' \
  -e '^Use -header-filter' -e '^[0-9]* warnings\? treated as errors' "$log" || true
case $status in
  0) echo "tidy-changed: no findings on the changed lines" ;;
  124)
    echo "tidy-changed: stopped after ${time_limit} s (TIDY_TIMEOUT): incomplete, not counted as a failure"
    status=0
    ;;
  *)
    echo "tidy-changed: findings on changed lines (see above); .clang-tidy has the rules" >&2
    status=1
    ;;
esac
exit "$status"
