#!/usr/bin/env bash
# usage: main_job_test.sh SOURCE_DIR TOOLS_DIR
# Runs the main job's demo path for 8 s with a busy copy of the demo call
# center and, meanwhile, does what the demo tells a user to do from a second
# terminal: logs in as agent 1001 (PIN 1111) in group Sales with the CLI,
# sets the session ready, checks that the session takes calls, and places a
# call to the Sales queue with `opentapi call`. Then checks that calls were
# routed, that the simulated callers were switch calls, that states changed
# and no session was put NOT_READY, and that the queue statistics are
# non-zero and consistent with each other.
set -euo pipefail
src=$1 tools=$2
demo_seconds=8
tmp=$(mktemp -d)
demo_pid=
cleanup() {
  if [ -n "$demo_pid" ]; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# A call a second per queue, 1 s to ring, talk and wrap up: more calls than
# the four simulated agents take, so a fifth agent gets calls at once.
sed -e 's/^calls_per_hour = .*/calls_per_hour = 3600/' -e 's/^handle_seconds = .*/handle_seconds = 1/' \
    -e 's/^answer_seconds = .*/answer_seconds = 1/' -e 's/^wrap_up_seconds = .*/wrap_up_seconds = 1/' \
    "$src/etc/opentapi/callcenter.toml" >"$tmp/busy.toml"

fail() {
  echo "--- demo output"
  cat "$tmp/out"
  [ -f "$tmp/agent.log" ] && { echo "--- second terminal"; cat "$tmp/agent.log"; }
  echo "main_job_demo: $*"
  exit 1
}

OPENTAPI_DATA_DIR="$tmp/data" bash "$src/scripts/demo.sh" "$tools" --seconds "$demo_seconds" \
  --config "$tmp/busy.toml" >"$tmp/out" 2>&1 &
demo_pid=$!

# The "second terminal": it learns the server address from the demo's own
# instructions, as a user would.
server=
for _ in $(seq 150); do
  server=$(sed -n 's/^ *export OPENTAPI_SERVER=//p' "$tmp/out" | head -n 1)
  [ -n "$server" ] && break
  kill -0 "$demo_pid" 2>/dev/null || fail "demo.sh ended before printing its instructions"
  sleep 0.1
done
[ -n "$server" ] || fail "the demo printed no OPENTAPI_SERVER line within 15 s"
cli="$tools/opentapi/opentapi"
agent_cli() {
  echo "\$ opentapi $*" >>"$tmp/agent.log"
  OPENTAPI_SERVER=$server "$cli" "$@" 2>&1 | tee -a "$tmp/agent.log"
}

login=$(agent_cli login --group Sales --agent 1001 --pin 1111) || fail "login failed"
agent=$(awk '/^agent /{print $2}' <<<"$login")
session=$(awk '/^session /{print $2}' <<<"$login")
[ -n "$agent" ] && [ -n "$session" ] || fail "login printed no handles: $login"
agent_cli state "$session" ready >/dev/null || fail "state ready failed"
# A call placed from station line 2 (address 2005) to the Sales queue, as
# the demo suggests, early while the demo runs: it must be placed and end
# cleanly, and the demo's event stream (a monitor on every line) must show
# it appear and end.
agent_cli call 8001 --line 2 --hangup-after 1 >/dev/null || fail "opentapi call 8001 failed"

# The session takes calls while the demo runs.
calls=0
while kill -0 "$demo_pid" 2>/dev/null; do
  # SESSION GROUP ADDR STATE NEXT DURATION CALLS …
  listing=$(agent_cli sessions "$agent") || break
  calls=$(awk -v s="$session" '$1 == s && $2 == "Sales" { print $7 }' <<<"$listing")
  [ "${calls:-0}" -gt 0 ] && break
  sleep 0.5
done
[ "${calls:-0}" -gt 0 ] || fail "session $session of agent 1001 took no call during the demo"
grep -Eq "^ *$session +Sales +0 +(READY|BUSYONCALL|BUSYWRAPUP) " <<<"$listing" || fail "session not listed as working"
agent_cli --json sessions "$agent" | grep -q "\"session\":$session,.*\"calls\":[1-9]" ||
  fail "--json sessions does not show the calls"

wait "$demo_pid" || { demo_pid=; fail "demo.sh failed"; }
demo_pid=

grep -q "state=BUSYONCALL" "$tmp/out" || fail "no call was routed to a session"
grep -Eq "state=(BUSYWRAPUP|READY)" "$tmp/out" || fail "no session left its call"
grep -q "LINE_AGENTSTATUSEX agent=[0-9]* changed=STATE state=BUSYACD" "$tmp/out" || fail "no agent went BUSY_ACD"
# The demo's live view saw the CLI-driven session go on a call.
grep -q "LINE_AGENTSESSIONSTATUS session=$session changed=STATE[A-Z|]* state=BUSYONCALL" "$tmp/out" ||
  fail "the demo's event stream never showed session $session on a call"
grep -Eq "line 2 LINE_APPNEWCALL address=0 call=[0-9]+ privilege=MONITOR from=2005 .*to=8001" "$tmp/out" ||
  fail "the demo's event stream never showed the call to 8001 appear"
grep -Eq "line 2 LINE_CALLSTATE call=[0-9]+ state=IDLE" "$tmp/out" || fail "the demo's event stream never showed the call end"
# Every call rang where it was sent: no session went NOT_READY (ring-no-answer
# or a telephone with no room for the call; the simulated agents answer
# within a second and nobody asks for NOT_READY).
if grep -E "LINE_AGENTSESSIONSTATUS session=[0-9]+ changed=STATE[A-Z|]* state=NOTREADY" "$tmp/out"; then
  fail "a session went NOT_READY during the demo"
fi
# The simulator's callers are switch calls: the demo's event stream shows
# them placed from the trunk to a queue's number, with their caller ID.
grep -Eq "LINE_APPNEWCALL address=[0-9]+ call=[0-9]+ privilege=MONITOR from=\+3120555[0-9]{4} \(Caller [0-9]+\) to=800[12] " \
  "$tmp/out" || fail "the demo's event stream never showed a simulated caller's call"
# The queue table printed after the run: QUEUED > 0, ABANDONED <= QUEUED, WAITING <= QUEUED.
row=$(grep -E "^Sales +1 Sales " "$tmp/out" | tail -n 1)
[ -n "$row" ] || fail "no final queue table"
read -r _ _ _ waiting _ queued abandoned _ <<<"$row"
[ "$queued" -gt 0 ] || fail "queue 1 counted no calls: $row"
[ "$abandoned" -le "$queued" ] || fail "more abandoned than queued: $row"
[ "$waiting" -le "$queued" ] || fail "more waiting than queued: $row"
# Nothing left running: the demo stops the server it started.
if pgrep -f "$tmp/data" >/dev/null; then fail "opentapid still running"; fi
echo "main job demo: calls routed, states changed, agent 1001's session $session took $calls call(s)," \
  "queue 1: queued=$queued abandoned=$abandoned waiting=$waiting"
