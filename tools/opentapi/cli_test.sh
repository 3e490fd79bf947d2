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
# Without --http among the flags the HTTP API is off, so cases running in
# parallel do not compete for its default port.
start_server() {
  local http=()
  if [[ " $* " != *" --http "* ]] && "$OPENTAPID" --help 2>/dev/null | grep -q -- '--http'; then
    http=(--http off)
  fi
  "$OPENTAPID" --listen "unix:$TMP/s.sock" --data-dir "$TMP/data" "${http[@]}" "$@" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  export OPENTAPI_SERVER="unix:$TMP/s.sock"
  for _ in $(seq 100); do
    grep -q 'event=acd-ready device=0' "$TMP/server.log" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "opentapid exited"
    sleep 0.1
  done
  fail "ACD not ready after 10 s"
}

# wait_for_sigint_handler PID: waits until the CLI started as `timeout … CLI`
# with pid PID (timeout's) catches SIGINT, so a Ctrl-C sent now is the CLI's
# to handle (a fixed sleep is too short on a loaded machine).
wait_for_sigint_handler() {
  local child mask
  for _ in $(seq 600); do
    child=$(cat "/proc/$1/task/$1/children" 2>/dev/null)
    child=${child%% *}
    if [[ -n $child ]]; then
      mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$child/status" 2>/dev/null)
      [[ -n $mask ]] && (( (16#$mask >> 1) & 1 )) && return 0  # bit 1: SIGINT (2)
    fi
    sleep 0.05
  done
  fail "the CLI did not install its SIGINT handler within 30 s"
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

# run_split EXPECTED_RC args...: like run, but stdout in $OUT and stderr in $ERR.
run_split() {
  local expected=$1
  shift
  OUT=$(timeout 20 "$CLI" "$@" 2>"$TMP/stderr")
  local rc=$?
  ERR=$(cat "$TMP/stderr")
  echo "\$ opentapi $* -> $rc"
  echo "$OUT"
  [[ -n $ERR ]] && echo "(stderr) $ERR"
  [[ $rc == "$expected" ]] || fail "opentapi $* exited $rc, expected $expected"
}

# A loopback TCP port nothing listens on right now.
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port"
}

# start_http_server [opentapid flags...]: opentapid with its HTTP API on a
# free loopback port (port 0; the event=http-listen log line names it) and
# the demo configuration's tokens. Sets $HTTP_PORT and exports OPENTAPI_HTTP.
start_http_server() {
  start_server --http 127.0.0.1:0 "$@"
  wait_http_port
  export OPENTAPI_HTTP="127.0.0.1:$HTTP_PORT"
}

# wait_http_port: sets $HTTP_PORT from the server's event=http-listen line,
# waiting for it (the HTTP API starts after the ACD, on a loaded machine
# later than the server's own readiness).
wait_http_port() {
  HTTP_PORT=
  for _ in $(seq 300); do
    HTTP_PORT=$(sed -n 's/.*event=http-listen .*port=\([0-9][0-9]*\).*/\1/p' "$TMP/server.log" | head -n 1)
    [[ -n $HTTP_PORT ]] && return
    sleep 0.1
  done
  fail "no event=http-listen in the server log"
}

# wait_in_file FILE REGEX: waits (30 s at most) until FILE has a line matching REGEX.
wait_in_file() {
  for _ in $(seq 300); do
    grep -qE -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "$1 has no line matching /$2/ after 30 s"
}

# Agent 1001/1111 is configured and not used by the simulator (etc/opentapi/callcenter.toml).
login_1001() {
  run 0 login --group Sales --agent 1001 --pin 1111
  AGENT=$(awk '/^agent /{print $2}' <<<"$OUT")
  SESSION=$(awk '/^session /{print $2}' <<<"$OUT")
  [[ -n $AGENT && -n $SESSION ]] || fail "no handles printed"
}

case $CASE in
  help)
    all="groups queues login state agent-state sessions agents board calls call simulate watch set-period"
    run 0 --help
    for sub in $all; do expect "^ *$sub "; done
    expect "Exit codes"
    expect "5 HTTP API refused"
    expect "^ *--http "
    expect "^ *--token "
    for sub in $all; do
      run 0 "$sub" --help
      expect "^Usage: opentapi $sub"
      expect "Global options|--duration"
    done
    run 0 simulate --help
    for opt in --agents --calls-per-hour --duration --handle-seconds --patience-seconds --wrap-up-seconds \
               --seed --config --speed --json --csv --service-level; do
      expect "^ *$opt "
    done
    expect "occupancy = "
    run 0 sessions --help
    expect "^ *--all "
    expect "OPENTAPI_HTTP"
    run 0 agents --help
    expect "OPENTAPI_TOKEN"
    run 2
    run 2 bogus-command
    run 2 state 1 flying
    run 2 sessions
    expect "AGENT handle, or --all"
    run 2 sessions 5 --all
    run 0 call --help
    expect "^ *--hangup-after "
    expect "^ *--address "
    expect "LINEERR_INVALADDRESS"
    run 0 calls --help
    expect "^ *--state "
    expect "^ *--queue "
    run 2 call
    run 2 call 2003 --hangup-after 0
    run 2 call 2003 --hangup-after soon
    run 2 calls --state sleeping
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
    timeout 60 "$CLI" watch >"$TMP/watch.out" 2>&1 &
    WATCH=$!
    for _ in $(seq 600); do
      grep -q ' watching [0-9]* lines' "$TMP/watch.out" && break
      sleep 0.05
    done
    grep -q ' watching [0-9]* lines' "$TMP/watch.out" || fail "watch did not start within 30 s"
    kill -INT "$WATCH"
    wait "$WATCH"
    rc=$?
    cat "$TMP/watch.out"
    [[ $rc == 0 ]] || fail "watch after SIGINT exited $rc"
    grep -q 'total: [0-9]* messages' "$TMP/watch.out" || fail "no counts line after SIGINT"
    ;;
  simulator_inside_acd)
    # opentapid --simulator-inside-acd: the simulated calls are routed and
    # answered inside the ACD, nothing rings on the stations. Calls are
    # routed while watch runs (BUSYONCALL), yet no call appears on a line.
    sed -e 's/^calls_per_hour = .*/calls_per_hour = 3600/' -e 's/^handle_seconds = .*/handle_seconds = 1/' \
        -e 's/^answer_seconds = .*/answer_seconds = 1/' -e 's/^wrap_up_seconds = .*/wrap_up_seconds = 1/' \
        "$CONFIG" >"$TMP/busy.toml"
    start_server --config "$TMP/busy.toml" --simulator-inside-acd
    run 0 watch --seconds 4
    expect 'LINE_AGENTSESSIONSTATUS session=[0-9]+ changed=STATE state=BUSYONCALL'
    if grep -qE 'LINE_APPNEWCALL|LINE_CALLSTATE' <<<"$OUT"; then
      fail "a simulated call rang on a line with --simulator-inside-acd"
    fi
    ;;
  no_server)
    export OPENTAPI_SERVER="unix:$TMP/nobody.sock"
    run 3 groups
    expect 'not running'
    expect 'opentapid'
    run 3 --json queues
    expect '"exit":3'
    ;;
  permission_denied)
    # docs/security.md "Local clients": EACCES is named, not "not running".
    "$OPENTAPID" --listen "unix:$TMP/s.sock" --no-acd --http off >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    export OPENTAPI_SERVER="unix:$TMP/s.sock"
    for _ in $(seq 100); do [[ -S $TMP/s.sock ]] && break; sleep 0.1; done
    [[ -S $TMP/s.sock ]] || fail "no socket after 10 s"
    if [[ $(id -u) == 0 ]]; then
      # root passes every permission check: run the CLI as nobody.
      as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
      OUT=$(timeout 20 "${as_nobody[@]}" "$CLI" groups 2>&1); rc=$?
      echo "$OUT"
      [[ $rc == 3 ]] || fail "exited $rc, expected 3"
      expect "permission denied on $TMP/s.sock \\(you are nobody; the directory $TMP belongs to root:root, mode 0700\\)"
      chmod 0755 "$TMP"
      chmod 0600 "$TMP/s.sock"
      OUT=$(timeout 20 "${as_nobody[@]}" "$CLI" groups 2>&1); rc=$?
      echo "$OUT"
      [[ $rc == 3 ]] || fail "exited $rc, expected 3"
      expect "permission denied on $TMP/s.sock \\(you are nobody; the socket belongs to root:root, mode 0600\\)"
    else
      chmod 0000 "$TMP/s.sock"
      run 3 groups
      expect "permission denied on $TMP/s.sock \\(you are $(id -un); the socket belongs to $(id -un):$(id -gn), mode 0000\\)"
    fi
    if grep -q 'not running' <<<"$OUT"; then fail "still says not running"; fi
    ;;
  simulate_table)
    # No server: the simulation runs in this process.
    export OPENTAPI_SERVER="unix:$TMP/nobody.sock"
    args=(simulate --agents 4 --calls-per-hour 120 --duration 2h --seed 7)
    run_split 0 "${args[@]}"
    # stderr is not a terminal here: no progress bar, nothing at all.
    [[ -z $ERR ]] || fail "stderr not empty without a terminal: $ERR"
    expect '^Simulated 2h00m00s from 2026-01-05T08:00:00Z: built-in default, 4 agents, 120 calls/hour per queue on queues 1, 2, seed 7'
    expect '^Service level +[0-9.]+%  answered within 20 s'
    expect '^Average speed of answer +[0-9.]+ s'
    expect '^Average handle time +[0-9.]+ s  talk [0-9.]+ s \+ wrap-up 15.0 s'
    expect '^Occupancy +[0-9.]+%'
    expect '^ +1 Sales +Sales +[1-9][0-9]* '
    expect '^ +2 Support +Support +[1-9][0-9]* '
    expect '^ +3 Sales overflow +Support +0 '
    expect '^sim4 +Simulated agent 4 +[1-9][0-9]* '
    offered=$(awk '/^Calls offered/{print $3}' <<<"$OUT")
    answered=$(awk '/^  answered/{print $2}' <<<"$OUT")
    abandoned=$(awk '/^  abandoned/{print $2}' <<<"$OUT")
    at_end=$(awk '/^  waiting or ringing at end/{print $6}' <<<"$OUT")
    (( offered > 100 && answered > 0 )) || fail "too little traffic: offered=$offered answered=$answered"
    (( answered + abandoned + at_end == offered )) || fail "answered+abandoned+at end != offered"
    while read -r pct; do
      awk -v p="${pct%\%}" 'BEGIN{exit !(p >= 0 && p <= 100)}' || fail "percentage out of range: $pct"
    done < <(grep -oE '[0-9.]+%' <<<"$OUT")
    # Same seed, same report; another seed, another one.
    first=$OUT
    run 0 "${args[@]}"
    [[ $OUT == "$first" ]] || fail "same seed, different report"
    run 0 simulate --agents 4 --calls-per-hour 120 --duration 2h --seed 8
    [[ $OUT != "$first" ]] || fail "another seed, same report"
    # More agents, fewer abandons.
    run 0 simulate --agents 12 --calls-per-hour 120 --duration 2h --seed 7
    more=$(awk '/^  abandoned/{print $2}' <<<"$OUT")
    (( more < abandoned )) || fail "12 agents abandoned $more, 4 agents $abandoned"
    # Nobody to answer: every call is abandoned or still waiting.
    run 0 simulate --agents 0 --duration 1h
    expect '^  answered +0 '
    expect '^\(no agents: nobody answers\)'
    expect '^Occupancy +-'
    # A paced run takes its wall time: an hour at 3600x is about a second.
    start_ns=$(date +%s%N)
    run 0 simulate --agents 2 --duration 1h --speed 3600
    wall_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
    (( wall_ms >= 900 && wall_ms < 10000 )) || fail "--speed 3600 for 1h took $wall_ms ms"
    # Ctrl-C: the report of the time simulated so far, exit 130.
    timeout 60 "$CLI" simulate --agents 2 --duration 8h --speed 600 >"$TMP/sim.out" 2>"$TMP/sim.err" &
    SIM=$!
    wait_for_sigint_handler "$SIM"
    kill -INT "$SIM"
    wait "$SIM"
    rc=$?
    cat "$TMP/sim.out" "$TMP/sim.err"
    [[ $rc == 130 ]] || fail "simulate after SIGINT exited $rc"
    grep -qE '^Simulated ([0-9]+h)?([0-9]+m)?[0-9]+s .*\(stopped early\)' "$TMP/sim.out" || fail "no partial report"
    grep -q 'interrupted after' "$TMP/sim.err" || fail "no interruption message"
    ;;
  simulate_json)
    run_split 0 --json simulate --agents 3 --calls-per-hour 90 --duration 90m --seed 3
    [[ $(wc -l <<<"$OUT") == 1 ]] || fail "not one line of JSON"
    expect '^\{"start":"2026-01-05T08:00:00Z","simulated_s":5400\.0,"stopped_early":false,"settings":\{"config":"built-in default","agents":3,"queues":\[1,2\],"calls_per_hour":90\.0,'
    expect '"seed":3,"service_level_target_s":20\}'
    expect '"total":\{"offered":[1-9][0-9]*,"answered":[0-9]+,"abandoned":[0-9]+,"in_progress":[0-9]+,"answered_within_target":[0-9]+,"service_level":(0(\.[0-9]+)?|1\.0),'
    expect '"asa_s":[0-9.]+,.*"aht_s":[0-9.]+,.*"occupancy":(0(\.[0-9]+)?|1\.0)\}'
    expect '"queues":\[\{"id":1,"name":"Sales","group":"Sales","service_level_target_s":20,"offered":'
    expect '"agents":\[\{"id":"sim1","name":"Simulated agent 1","calls":[0-9]+,"talk_s":[0-9.]+,"wrap_up_s":[0-9.]+,"busy_s":[0-9.]+,"logged_in_s":5400\.0,"occupancy":'
    total=$(grep -oE '"total":\{[^}]*\}' <<<"$OUT")
    field() { grep -oE "\"$1\":[0-9]+" <<<"$total" | cut -d: -f2; }
    (( $(field answered) + $(field abandoned) + $(field in_progress) == $(field offered) )) ||
      fail "total figures do not add up: $total"
    # The subcommand's --json is the global one.
    first=$OUT
    run 0 simulate --json --agents 3 --calls-per-hour 90 --duration 90m --seed 3
    [[ $OUT == "$first" ]] || fail "simulate --json differs from --json simulate"
    # Errors are JSON too.
    run_split 2 --json simulate --config "$TMP/missing.toml"
    expect '^\{"ok":false,"exit":2,"error":"","message":"--config: .*missing.toml'
    ;;
  simulate_csv)
    run_split 0 simulate --csv --agents 3 --calls-per-hour 90 --duration 1h --seed 5
    header='scope,id,name,group,offered,answered,abandoned,in_progress,answered_within_target,service_level_target_s,service_level,asa_s,average_talk_s,average_wrap_up_s,aht_s,flowed_out,flowed_in,calls,talk_s,wrap_up_s,busy_s,logged_in_s,occupancy'
    [[ $(head -1 <<<"$OUT") == "$header" ]] || fail "CSV header"
    [[ $(wc -l <<<"$OUT") == 8 ]] || fail "expected header + total + 3 queues + 3 agents"
    awk -F, 'NF != 23 { exit 1 }' <<<"$OUT" || fail "a row without 23 columns"
    expect '^total,,,,[1-9][0-9]*,'
    expect '^queue,1,Sales,Sales,[0-9]+,'
    expect '^queue,3,Sales overflow,Support,0,0,0,0,0,20,,'
    expect '^agent,sim3,Simulated agent 3,(,){14}[0-9]+,[0-9.]+,[0-9.]+,[0-9.]+,3600\.000,0\.[0-9]{4}$'
    # Every total and queue row adds up, ratios in [0, 1].
    awk -F, '$1 != "scope" && $1 != "agent" {
               if ($6 + $7 + $8 != $5) exit 1
               if ($11 != "" && ($11 < 0 || $11 > 1)) exit 1 }
             $1 == "agent" && ($23 < 0 || $23 > 1) { exit 1 }' <<<"$OUT" || fail "CSV figures inconsistent"
    ;;
  simulate_bad_args)
    run 2 simulate --duration 0
    expect 'not a duration'
    run 2 simulate --duration soon
    run 2 simulate --duration 1h30
    run 2 simulate --duration 400d
    run 2 simulate --agents -1
    run 2 simulate --agents many
    run 2 simulate --calls-per-hour -5
    run 2 simulate --handle-seconds 100000
    run 2 simulate --speed 0
    run 2 simulate --frobnicate
    run 2 simulate --csv --json
    run 2 --json simulate --csv
    run 2 simulate --config "$TMP/missing.toml"
    expect 'missing.toml'
    printf '[acd]\nwrap_up_secs = 3\n' >"$TMP/bad.toml"
    run 2 simulate --config "$TMP/bad.toml"
    expect 'bad.toml:2:1: .*wrap_up_secs'
    ;;
  simulate_config)
    # A call center of one group and one queue; its own simulated agents.
    cat >"$TMP/small.toml" <<'TOML'
[server]
lines = 1
addresses_per_line = 1

[acd]
wrap_up_seconds = 5

[[group]]
name = "Help"
guid = "{0B7A3F59-11D2-4C5E-9E2B-6A1F0C3D4E5F}"

[[queue]]
id = 7
name = "Helpdesk"
group = "Help"
service_level_seconds = 30

[[agent]]
id = "a1"
name = "Ann"

[[agent]]
id = "a2"
name = "Bo"

[simulator]
calls_per_hour = 40
handle_seconds = 90
agents = ["a1", "a2"]
TOML
    run 0 simulate --config "$TMP/small.toml" --duration 4h
    expect "^Simulated 4h00m00s .*: $TMP/small.toml, 2 agents, 40 calls/hour per queue on queue 7, seed 1"
    expect 'answered within 30 s'
    expect '^ +7 Helpdesk +Help +[1-9][0-9]* .* 30s '
    expect '^a1 +Ann +[1-9]'
    expect '^a2 +Bo +[1-9]'
    expect 'wrap-up 5.0 s'
    run 0 simulate --config "$TMP/small.toml" --duration 4h --service-level 10 --wrap-up-seconds 0
    expect 'answered within 10 s'
    expect 'wrap-up 0.0 s'
    ;;
  call_errors)
    start_server --no-simulator
    run 1 call 'not a number' --line 0
    expect 'lineMakeCallW failed: LINEERR_INVALADDRESS \(0x80000010\)'
    run 1 --json call abc
    expect '"exit":1,"error":"LINEERR_INVALADDRESS"'
    run 1 call 2001 --line 999
    expect 'LINEERR_BADDEVICEID'
    # A well-formed number nobody has: the switch answers DISCONNECTED BADADDRESS.
    run 1 call 9999 --line 0
    expect 'LINE_REPLY lineMakeCallW: OK'
    expect ' DISCONNECTED BADADDRESS$'
    expect ' IDLE$'
    expect 'call ended after [0-9.]+ s \(never connected\): DISCONNECTED BADADDRESS'
    expect 'the call to 9999 failed: DISCONNECTED BADADDRESS \(nobody has that number\)'
    run 1 call 2001 --line 0 --address 7
    expect 'LINEERR_INVALADDRESSID'
    ;;
  call_hangup)
    start_server --no-simulator
    # A monitor on every line sees the calls appear, ring and end.
    "$CLI" watch --seconds 120 >"$TMP/watch.txt" 2>&1 &
    WATCH_PID=$!
    wait_in_file "$TMP/watch.txt" 'watching'
    # Station numbers run from 2001 in device, then address, order (2
    # addresses a line): 2003 is line 1 address 0. Nobody answers: hang up
    # after 1 s.
    run 0 call 2003 --line 0 --hangup-after 1
    expect 'calling 2003 from line 0 address 0'
    expect 'LINE_REPLY lineMakeCallW: OK'
    expect ' DIALING$'
    expect ' RINGBACK$'
    expect 'hanging up \(--hangup-after 1.0\)'
    expect ' IDLE$'
    expect 'call ended after [0-9.]+ s \(never connected\)$'
    run 0 --json call 2004 --line 0 --address 1 --hangup-after 0.5
    expect '"event":"calling","number":"2004","line":0,"address":1'
    expect '"event":"state","state":"RINGBACK","detail":null'
    expect '"event":"hangup","reason":"--hangup-after 0.5"'
    expect '"event":"end",.*"connected":false,.*"exit":0'
    # The monitor's last news of the second call, then Ctrl-C ends watch
    # with its counts (exit 0).
    wait_in_file "$TMP/watch.txt" 'line 1 LINE_APPNEWCALL address=1 '
    n_idle=0
    for _ in $(seq 300); do
      n_idle=$(grep -cE 'line 1 LINE_CALLSTATE call=[0-9]+ state=IDLE' "$TMP/watch.txt")
      ((n_idle >= 2)) && break
      sleep 0.1
    done
    ((n_idle >= 2)) || fail "watch did not see both calls end on line 1"
    kill -INT "$WATCH_PID"
    wait "$WATCH_PID" || fail "watch failed"
    OUT=$(cat "$TMP/watch.txt")
    echo "$OUT"
    expect 'line 1 LINE_APPNEWCALL address=0 call=[0-9]+ privilege=MONITOR from=2001 .*to=2003 callid=[0-9]+'
    expect 'line 1 LINE_CALLSTATE call=[0-9]+ state=OFFERING detail=ACTIVE'
    expect 'line 0 LINE_APPNEWCALL address=0 call=[0-9]+ privilege=MONITOR from=2001 .*to=2003'
    expect 'line 0 LINE_CALLSTATE call=[0-9]+ state=RINGBACK'
    expect 'line 1 LINE_CALLSTATE call=[0-9]+ state=DISCONNECTED detail=NORMAL'
    expect 'line 1 LINE_APPNEWCALL address=1 call=[0-9]+ privilege=MONITOR from=2002 .*to=2004'
    expect 'total: [0-9]+ messages .*LINE_APPNEWCALL=4 .*LINE_CALLSTATE='
    ;;
  http_calls)
    # The demo call center with steady simulated traffic: calls are always in progress.
    sed -e 's/^calls_per_hour = .*/calls_per_hour = 3600/' -e 's/^handle_seconds = .*/handle_seconds = 5/' \
        "$CONFIG" >"$TMP/busy.toml"
    start_http_server --config "$TMP/busy.toml"
    export OPENTAPI_TOKEN=demo-supervisor
    for _ in $(seq 300); do
      OUT=$("$CLI" calls 2>&1)
      grep -qE '^[0-9A-Fa-f]{16} +(queued|ringing|talking) ' <<<"$OUT" && break
      sleep 0.1
    done
    run 0 calls
    expect '^CALL +STATE +QUEUE +CALLER +AGENT +STATION +WAIT +TALK'
    expect '^[0-9A-Fa-f]{16} +(queued|ringing|talking|detached) +[0-9]+ [A-Za-z]'
    run 0 --json calls
    expect '"items":\[\{'
    expect '"state":"(queued|ringing|talking|detached)"'
    run 0 calls --queue 2
    if grep -E '^[0-9A-Fa-f]{16} ' <<<"$OUT" | grep -vqE '^[0-9A-Fa-f]{16} +[a-z]+ +2 '; then
      fail "calls --queue 2 listed a call of another queue"
    fi
    run 0 calls --state queued
    if grep -qE '^[0-9A-Fa-f]{16} +(ringing|talking|detached) ' <<<"$OUT"; then
      fail "calls --state queued listed another state"
    fi
    run 5 --token demo-agent-1001 calls
    expect 'HTTP 403 \(FORBIDDEN: .*only a supervisor may\)'
    run 5 --json --token demo-agent-1001 calls
    expect '"exit":5,"error":"HTTP_403"'
    ;;
  http_no_server)
    port=$(free_port)
    run 3 --http "127.0.0.1:$port" agents
    expect "no opentapid HTTP API at 127.0.0.1:$port"
    expect 'start opentapid \(it serves HTTP on 127.0.0.1:8080 by default\)'
    OPENTAPI_HTTP="127.0.0.1:$port" run 3 sessions --all
    expect "127.0.0.1:$port"
    run 3 --json --http "127.0.0.1:$port" board
    expect '"exit":3,"error":"HTTP_UNREACHABLE"'
    run 2 --http "no port here:x" agents
    expect 'not HOST:PORT'
    ;;
  http_agents)
    start_http_server --no-simulator
    login_1001
    export OPENTAPI_TOKEN=demo-supervisor
    run 0 agents
    expect '^ *AGENT +ID +NAME +OWNER +STATE +IN STATE'
    expect "^ *$AGENT +1001 +Ada +$(id -un) +NOTREADY +[0-9]+s +- +0 "
    run 0 agent-state "$AGENT" ready
    run 0 agents
    expect "^ *$AGENT +1001 +Ada +[^ ]+ +READY +[0-9]+s "
    run 0 --json agents
    expect '"items":\['
    expect "\"handle\":$AGENT,"
    expect '"state":"READY"'
    expect '"time_in_state_ms":[0-9]+'
    # Time in state runs: within a few seconds it shows at least 1s.
    for _ in $(seq 100); do
      run 0 agents
      grep -Eq "^ *$AGENT +1001 +Ada +[^ ]+ +READY +([1-9][0-9]*s|[0-9]+m[0-9]+s) " <<<"$OUT" && break
      sleep 0.2
    done
    expect "^ *$AGENT +1001 +Ada +[^ ]+ +READY +([1-9][0-9]*s|[0-9]+m[0-9]+s) "
    ;;
  http_sessions_all)
    start_http_server --no-simulator
    login_1001
    run 0 state "$SESSION" ready
    run 0 --token demo-supervisor sessions --all
    expect '^ *SESSION +AGENT +AGENT-ID +GROUP +LINE +ADDR +STATE +IN STATE'
    expect "^ *$SESSION +$AGENT +1001 +Sales +0 +0 +READY +[0-9]+s "
    run 0 --json --token demo-supervisor sessions --all
    expect "\"handle\":$SESSION,"
    expect '"group_name":"Sales"'
    expect '"state":"READY"'
    expect '"time_in_state_ms":[0-9]+'
    run 0 state "$SESSION" end
    run 0 --token demo-supervisor sessions --all
    if grep -qE "^ *$SESSION +$AGENT " <<<"$OUT"; then fail "ended session still listed"; fi
    ;;
  http_board)
    start_http_server --no-simulator
    login_1001
    run 0 --token demo-supervisor board
    expect '^ *QUEUE +NAME +GROUP +WAITING'
    expect '^ +1 Sales +Sales +0 '
    expect "^ *$AGENT +1001 +Ada "
    expect "^ *$SESSION +$AGENT +1001 +Sales +.* NOTREADY "
    run 0 --json --token demo-supervisor board
    expect '"queues":\[.*"sessions":\['
    ;;
  http_bad_token)
    start_http_server --no-simulator
    run 5 --token wrong-token-123 agents
    expect 'refused the token \(401 Unauthorized\): bad token'
    run 5 --json --token wrong-token-123 sessions --all
    expect '"exit":5,"error":"HTTP_401"'
    unset OPENTAPI_TOKEN
    run 5 --token "" board
    expect 'wants a token'
    ;;
  tls)
    # A throw-away CA and a server certificate for localhost (docs/security.md "TLS").
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=cli-test-ca \
      -keyout "$TMP/ca.key" -out "$TMP/ca.pem" >/dev/null 2>&1 || fail "openssl: CA"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
      -keyout "$TMP/server.key" -out "$TMP/server.csr" >/dev/null 2>&1 || fail "openssl: request"
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$TMP/san.ext"
    openssl x509 -req -in "$TMP/server.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" -CAcreateserial -days 1 \
      -extfile "$TMP/san.ext" -out "$TMP/server.pem" >/dev/null 2>&1 || fail "openssl: certificate"
    port=$(free_port)
    start_server --listen "tls:127.0.0.1:$port" --token cli-tls-token --tls-cert "$TMP/server.pem" \
      --tls-key "$TMP/server.key" --http https:127.0.0.1:0 --no-simulator
    wait_http_port
    http_port=$HTTP_PORT
    export OPENTAPI_SERVER="tls:localhost:$port" OPENTAPI_TOKEN=cli-tls-token
    unset OPENTAPI_CA_FILE OPENTAPI_CERT_FILE OPENTAPI_KEY_FILE
    run 0 --ca-file "$TMP/ca.pem" groups
    expect '^Sales +\{'
    # Not trusted without the CA: the reason, then the TAPI error.
    run 1 groups
    expect 'certificate was refused: the certificate is not signed by a trusted CA'
    expect 'LINEERR_OPERATIONFAILED'
    run 0 --http "https://localhost:$http_port" --token demo-supervisor --ca-file "$TMP/ca.pem" agents
    expect '\(no agents\)'  # --no-simulator: nobody logged in yet, but the HTTPS request was answered
    run 3 --http "https://localhost:$http_port" --token demo-supervisor agents
    expect 'certificate was refused'
    ;;
  hash_secret)
    # The secret comes from standard input, never from an argument.
    OUT=$(printf '4711\n' | timeout 20 "$CLI" hash-secret 2>&1) || fail "hash-secret exited $?"
    echo "$OUT"
    [[ $OUT =~ ^\$argon2id\$v=19\$m=32768,t=3,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$ ]] || fail "not a PIN hash: $OUT"
    OUT=$(printf 'a-long-random-token\r\n' | timeout 20 "$CLI" hash-secret --token 2>&1) || fail "--token exited $?"
    [[ $OUT =~ ^\$argon2id\$v=19\$m=8192,t=1,p=1\$ ]] || fail "not a token hash: $OUT"
    # Salted: the same secret never gives the same string.
    [[ $(printf '4711\n' | "$CLI" hash-secret --token) != $(printf '4711\n' | "$CLI" hash-secret --token) ]] ||
      fail "two hashes of one secret are equal"
    run 2 hash-secret 4711 </dev/null
    expect 'not expected: 4711'
    run 2 hash-secret </dev/null
    expect 'no secret on standard input'
    OUT=$(printf '\n' | timeout 20 "$CLI" hash-secret 2>&1)
    [[ $? == 2 ]] || fail "an empty secret was hashed"
    run 0 hash-secret --help
    expect 'standard input'
    ;;
  hashed_secrets)
    # The shipped configuration with agent 1001's PIN and the supervisor's
    # token stored as hashes made by the CLI.
    PIN_HASH=$(printf '1111\n' | "$CLI" hash-secret) || fail "hash-secret failed"
    TOKEN_HASH=$(printf 'demo-supervisor\n' | "$CLI" hash-secret --token) || fail "hash-secret --token failed"
    sed -e "s|^pin = \"1111\"|pin = \"$PIN_HASH\"|" -e "s|^token = \"demo-supervisor\"|token = \"$TOKEN_HASH\"|" \
      "$CONFIG" >"$TMP/hashed.toml"
    grep -q "$PIN_HASH" "$TMP/hashed.toml" && grep -q "$TOKEN_HASH" "$TMP/hashed.toml" || fail "config not rewritten"
    start_http_server --no-simulator --config "$TMP/hashed.toml"
    # One warning, naming the entries left plain and not the hashed ones.
    grep -q 'event=plain-secrets count=8 entries="\[\[agent\]\] 1002 pin, ' "$TMP/server.log" || fail "no plain-secrets line"
    grep 'event=plain-secrets' "$TMP/server.log" | grep -q '1001 pin\|user supervisor' && fail "hashed entries named plain"
    run 1 login --group Sales --agent 1001 --pin 1112
    expect LINEERR_INVALPARAM
    login_1001
    export OPENTAPI_TOKEN=demo-supervisor
    run 0 agents
    expect "^ *$AGENT +1001 "
    run 5 --token "$TOKEN_HASH" agents
    expect '401'
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "PASS [$CASE]"
