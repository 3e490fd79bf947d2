#!/usr/bin/env bash
# usage: main_job_test.sh SOURCE_DIR TOOLS_DIR
# Runs the main job's demo path for 6 s with a busy copy of the demo call
# center and checks that calls were routed, states changed, and the queue
# statistics are non-zero and consistent with each other.
set -euo pipefail
src=$1 tools=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/^calls_per_hour = .*/calls_per_hour = 3600/' -e 's/^handle_seconds = .*/handle_seconds = 1/' \
    -e 's/^answer_seconds = .*/answer_seconds = 1/' -e 's/^wrap_up_seconds = .*/wrap_up_seconds = 1/' \
    "$src/etc/opentapi/callcenter.toml" >"$tmp/busy.toml"
OPENTAPI_DATA_DIR="$tmp/data" bash "$src/scripts/demo.sh" "$tools" --seconds 6 --config "$tmp/busy.toml" \
  >"$tmp/out" 2>&1 || { cat "$tmp/out"; echo "demo.sh failed"; exit 1; }

fail() { cat "$tmp/out"; echo "main_job_demo: $*"; exit 1; }
grep -q "state=BUSYONCALL" "$tmp/out" || fail "no call was routed to a session"
grep -Eq "state=(BUSYWRAPUP|READY)" "$tmp/out" || fail "no session left its call"
grep -q "LINE_AGENTSTATUSEX agent=[0-9]* changed=STATE state=BUSYACD" "$tmp/out" || fail "no agent went BUSY_ACD"
# The queue table printed after the run: QUEUED > 0, ABANDONED <= QUEUED, WAITING <= QUEUED.
row=$(grep -E "^Sales +1 Sales " "$tmp/out" | tail -n 1)
[ -n "$row" ] || fail "no final queue table"
read -r _ _ _ waiting _ queued abandoned _ <<<"$row"
[ "$queued" -gt 0 ] || fail "queue 1 counted no calls: $row"
[ "$abandoned" -le "$queued" ] || fail "more abandoned than queued: $row"
[ "$waiting" -le "$queued" ] || fail "more waiting than queued: $row"
# Nothing left running: the demo stops the server it started.
if pgrep -f "$tmp/data" >/dev/null; then fail "opentapid still running"; fi
echo "main job demo: calls routed, states changed, queue 1: queued=$queued abandoned=$abandoned waiting=$waiting"
