#!/usr/bin/env bash
# Points every citation of the behaviour reference at the copy inside the
# repository: `../shared/spec/flows.md`, `spec/flows.md` and a bare `flows.md`
# become `docs/reference/flows.md` (the same for tapi2-agent.md and
# tapi3-callcenter.md); the section numbers after them stay as they are, since
# docs/reference/ keeps the same numbering. Then it lists what is left for a
# person to edit: any remaining mention of `../shared`, C/C++ lines the longer
# path pushed over the 120-column limit of .clang-format, and sentences that
# still speak of "the spec".
#
# Idempotent: a citation already reading docs/reference/X.md (or any path
# ending in /X.md) is left alone, so a second run changes nothing.
#
#   scripts/fix-citations.sh           rewrite, then report
#   scripts/fix-citations.sh --check   change nothing; list the files that
#                                      would change and the ../shared mentions;
#                                      exit 1 if there are any
set -euo pipefail

mode=apply
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
self=scripts/fix-citations.sh

# A citation: an optional old prefix, then one of the three names. The
# look-behind keeps names that are already part of a path (docs/reference/X.md,
# or a word like workflows.md) out of it.
names='flows|tapi2-agent|tapi3-callcenter'
citation='(?<![\w./-])(?:(?:\.\./)*(?:shared/)?spec/)?('"$names"')\.md(?![\w-])'
perl_rewrite="s{$citation}{docs/reference/\$1.md}g"
perl_count="\$n += () = m{$citation}g; END { print \$n + 0 }"
grep_pattern='(^|[^[:alnum:]_./-])((\.\./)*(shared/)?spec/)?('"$names"')\.md([^[:alnum:]_-]|$)'

# Tracked files and new files not ignored; the reference itself and this
# script are not rewritten.
candidates() {
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
      [[ -f "$f" ]] || continue
      case "$f" in
        docs/reference/* | "$self") continue ;;
      esac
      printf '%s\0' "$f"
    done
}

mapfile -d '' files < <(candidates | xargs -0 -r grep -lIZE -- "$grep_pattern" || true)

# grep over every candidate file; prints "path:line:text", or "  none".
grep_candidates() {
  local out
  out=$(candidates | xargs -0 -r grep -nI "$@" /dev/null || true)
  if [[ -n "$out" ]]; then
    printf '%s\n' "$out" | sed 's/^/  /'
    return 1
  fi
  echo "  none"
}

shared_left=0
report() {
  echo
  echo "== Mentions of ../shared (edit by hand):"
  grep_candidates -F -- '../shared' || shared_left=1
  echo
  echo "== Lines that still speak of 'the spec' (check the wording):"
  grep_candidates -iE -- "\\bthe spec\\b|\\bspec's\\b|\\bspecification\\b" || true
}

if [[ "$mode" == check ]]; then
  if ((${#files[@]} == 0)); then
    echo "fix-citations: nothing to rewrite"
  else
    echo "fix-citations: ${#files[@]} file(s) would change:"
    printf '  %s\n' "${files[@]}"
  fi
  report
  ((${#files[@]} == 0 && shared_left == 0)) || exit 1
  exit 0
fi

total=0
for f in "${files[@]}"; do
  n=$(perl -ne "$perl_count" "$f")
  total=$((total + n))
  perl -pi -e "$perl_rewrite" "$f"
done
echo "fix-citations: rewrote $total citation(s) in ${#files[@]} file(s)"

echo
echo "== Rewritten C/C++ lines now over 120 columns (clang-format -i these files):"
long=0
for f in "${files[@]}"; do
  case "$f" in
    *.c | *.cc | *.cpp | *.h | *.hpp | *.proto)
      if awk -v f="$f" 'length($0) > 120 && index($0, "docs/reference/") { printf "  %s:%d\n", f, FNR; found = 1 } END { exit !found }' "$f"; then
        long=1
      fi
      ;;
  esac
done
((long)) || echo "  none"

report
