#!/usr/bin/env bash
# End-to-end tests of the opentapi CLI (ctest -R cli): a real opentapid with
# the ACD in-process on a temporary socket and data directory.
#   cli_test.sh CASE CLI OPENTAPID
set -u
CASE=$1 CLI=$2 OPENTAPID=$3
CONFIG="$(dirname "$0")/../../etc/opentapi/callcenter.toml"
TMP=$(mktemp -d /tmp/opentapi-cli-test.XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "FAIL [$CASE]: $*" >&2
  [[ -f $TMP/server.log ]] && { echo "--- server log (tail)" >&2; tail -20 "$TMP/server.log" >&2; }
  exit 1
}

# start_server [opentapid flags...]: waits until the ACD serves line 0.
start_server() {
  "$OPENTAPID" --listen "unix:$TMP/s.sock" --data-dir "$TMP/data" "$@" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  export OPENTAPI_SERVER="unix:$TMP/s.sock"
  for _ in $(seq 100); do
    grep -q 'event=acd-ready device=0' "$TMP/server.log" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "opentapid exited"
    sleep 0.1
  done
  fail "ACD not ready after 10 s"
}

# run EXPECTED_RC args...: runs the CLI, output in $OUT (stdout+stderr).
run() {
  local expected=$1
  shift
  OUT=$(timeout 20 "$CLI" "$@" 2>&1)
  local rc=$?
  echo "\$ opentapi $* -> $rc"
  echo "$OUT"
  [[ $rc == "$expected" ]] || fail "opentapi $* exited $rc, expected $expected"
}
expect() { grep -qE -- "$1" <<<"$OUT" || fail "output lacks /$1/"; }

# Agent 1001/1111 is configured and not used by the simulator (etc/opentapi/callcenter.toml).
login_1001() {
  run 0 login --group Sales --agent 1001 --pin 1111
  AGENT=$(awk '/^agent /{print $2}' <<<"$OUT")
  SESSION=$(awk '/^session /{print $2}' <<<"$OUT")
  [[ -n $AGENT && -n $SESSION ]] || fail "no handles printed"
}

case $CASE in
  help)
    run 0 --help
    for sub in groups queues login state agent-state sessions watch set-period; do expect "^ *$sub"; done
    expect "Exit codes"
    for sub in groups queues login state agent-state sessions watch set-period; do
      run 0 "$sub" --help
    done
    run 2
    run 2 bogus-command
    run 2 state 1 flying
    ;;
  groups)
    start_server --no-simulator
    run 0 groups
    expect '^Sales +\{A1C44A13-0635-4B3C-BAA0-E1E4694E033A\}'
    expect '^Support +\{DA791BCE-3B74-4D4F-82FB-F25641CDE842\}'
    run 0 --json groups
    expect '"name":"Sales","guid":"\{A1C44A13-0635-4B3C-BAA0-E1E4694E033A\}"'
    ;;
  queues)
    start_server --no-simulator
    run 0 queues
    expect '^Sales +1 Sales +0 '
    expect '^Support +2 Support +0 '
    expect '^Support +3 Sales overflow +0 .* 86400s'
    run 0 --json queues
    expect '"id":3,"name":"Sales overflow","calls_waiting":0'
    expect '"measurement_period":86400'
    ;;
  login_state_sessions)
    start_server --no-simulator
    login_1001
    run 0 sessions "$AGENT"
    expect "^ *$SESSION +Sales +0 +NOTREADY"
    run 0 state "$SESSION" ready
    run 0 sessions "$AGENT"
    expect "^ *$SESSION +Sales +0 +READY"
    run 0 --json sessions "$AGENT"
    expect "\"session\":$SESSION,.*\"state\":\"READY\""
    # Asking again returns the same agent (handles are the ACD's).
    run 0 --json login --group Support --agent 1001 --pin 1111
    expect "\"agent\":$AGENT,"
    run 0 state "$SESSION" end
    run 0 sessions "$AGENT"
    if grep -qE "^ *$SESSION +Sales" <<<"$OUT"; then fail "ended session still listed"; fi
    run 1 login --group Sales --agent 1001 --pin 9999
    expect LINEERR_INVALPARAM
    run 2 login --group NoSuchGroup --agent 1001 --pin 1111
    ;;
  illegal_transition)
    start_server --no-simulator
    login_1001
    run 0 state "$SESSION" ready
    run 1 state "$SESSION" wrapup
    expect 'LINEERR_INVALAGENTSTATE'
    run 1 --json state "$SESSION" wrapup
    expect '"error":"LINEERR_INVALAGENTSTATE"'
    run 1 state 999999 ready
    expect 'LINEERR_INVALPARAM'
    ;;
  agent_state)
    start_server --no-simulator
    login_1001
    run 0 agent-state "$AGENT" ready
    run 0 agent-state "$AGENT" not-ready
    run 1 agent-state 999999 ready
    expect LINEERR_INVALPARAM
    ;;
  set_period)
    start_server --no-simulator
    login_1001
    run 0 set-period agent "$AGENT" 3600
    run 0 set-period queue 2 600
    run 0 --json queues
    expect '"id":2,.*"measurement_period":600'
    run 1 set-period queue 77 600
    expect LINEERR_INVALPARAM
    run 2 set-period queue 2 0
    ;;
  watch)
    # The demo call center with heavy simulated traffic: a call per second per queue.
    sed -e 's/^calls_per_hour = .*/calls_per_hour = 3600/' -e 's/^handle_seconds = .*/handle_seconds = 1/' \
        -e 's/^answer_seconds = .*/answer_seconds = 1/' -e 's/^wrap_up_seconds = .*/wrap_up_seconds = 1/' \
        "$CONFIG" >"$TMP/busy.toml"
    start_server --config "$TMP/busy.toml"
    run 0 watch --seconds 3
    expect '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+ line [0-9]+ LINE_AGENTSESSIONSTATUS session=[0-9]+ changed=[A-Z|]+'
    expect 'state=(BUSYONCALL|BUSYWRAPUP|READY)'
    expect 'total: [0-9]+ messages.*LINE_AGENTSESSIONSTATUS=[1-9]'
    run 0 --json watch --seconds 2
    expect '^\{"time":"[^"]+","line":[0-9]+,"message":"LINE_AGENTSESSIONSTATUS","session":[0-9]+'
    expect '"summary":"total"'
    # Ctrl-C ends watch cleanly with the counts line.
    timeout 20 "$CLI" watch >"$TMP/watch.out" 2>&1 &
    WATCH=$!
    sleep 1.5
    kill -INT "$WATCH"
    wait "$WATCH"
    rc=$?
    cat "$TMP/watch.out"
    [[ $rc == 0 ]] || fail "watch after SIGINT exited $rc"
    grep -q 'total: [0-9]* messages' "$TMP/watch.out" || fail "no counts line after SIGINT"
    ;;
  no_server)
    export OPENTAPI_SERVER="unix:$TMP/nobody.sock"
    run 3 groups
    expect 'not running'
    expect 'opentapid'
    run 3 --json queues
    expect '"exit":3'
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "PASS [$CASE]"
