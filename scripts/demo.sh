#!/usr/bin/env bash
# The call-center demo on already built binaries (scripts/run.sh builds them
# first): starts opentapid with the demo call center and simulated traffic,
# shows the queues, streams agent, session and call events until Ctrl-C (or for
# --seconds N), then shows the queues again and stops what it started.
#
#   scripts/demo.sh TOOLS_DIR [--seconds N] [--config FILE]
set -euo pipefail
bin=${1:?"usage: demo.sh TOOLS_DIR [--seconds N] [--config FILE]"}
shift
seconds="" config=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?"--seconds needs a number"}; shift 2 ;;
    --config) config=(--config "${2:?"--config needs a file"}"); shift 2 ;;
    *) echo "demo.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

run_dir=$(mktemp -d /tmp/opentapi-demo.XXXXXX)
socket="$run_dir/opentapid.sock"
export OPENTAPI_SERVER="unix:$socket"
data_dir=${OPENTAPI_DATA_DIR:-$HOME/.local/share/opentapi-demo}

"$bin/opentapid/opentapid" "${config[@]}" --listen "$OPENTAPI_SERVER" --data-dir "$data_dir" >"$run_dir/opentapid.log" 2>&1 &
server_pid=$!
stop() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$run_dir"
}
trap stop EXIT
trap 'exit 0' INT TERM

for _ in $(seq 100); do
  grep -q "event=acd-started" "$run_dir/opentapid.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$run_dir/opentapid.log"; exit 1; }
  sleep 0.1
done
grep -q "event=acd-started" "$run_dir/opentapid.log" || { cat "$run_dir/opentapid.log"; exit 1; }

# The wallboard's address, from opentapid's log line
#   event=http-listen host=H port=P url=http://H:P/ …
# (absent when the default port 8080 was taken: then the log says event=http-off).
wallboard="(no HTTP: port 8080 is in use; see $run_dir/opentapid.log)"
for _ in $(seq 30); do
  if line=$(grep -m1 "event=http-listen" "$run_dir/opentapid.log" 2>/dev/null); then
    host=$(sed -n 's/.* host=\([^ ]*\) .*/\1/p' <<<"$line")
    port=$(sed -n 's/.* port=\([0-9]*\) .*/\1/p' <<<"$line")
    wallboard="http://$host:$port/?token=demo-supervisor"
    export OPENTAPI_HTTP="$host:$port"
    break
  fi
  grep -q "event=http-off" "$run_dir/opentapid.log" 2>/dev/null && break
  sleep 0.1
done

cat <<TXT

opentapid is running the demo call center (groups Sales and Support, simulated
callers, four simulated agents). Its state is kept in $data_dir.

Log in as an agent from a second terminal:
  export OPENTAPI_SERVER=$OPENTAPI_SERVER
  $bin/opentapi/opentapi login --group Sales --agent 1001 --pin 1111
  $bin/opentapi/opentapi state <session> ready
  $bin/opentapi/opentapi sessions <agent>
and place a call to the Sales queue (8001) from station line 2, hanging up after 20 s:
  $bin/opentapi/opentapi call 8001 --line 2 --hangup-after 20

Supervisors: the live wallboard is at
  $wallboard
and the same board from the CLI (token from the configuration's [[http.token]]):
  $bin/opentapi/opentapi agents --token demo-supervisor
  $bin/opentapi/opentapi sessions --all --token demo-supervisor
  $bin/opentapi/opentapi calls --token demo-supervisor

Queues now:
TXT
"$bin/opentapi/opentapi" queues
echo
echo "Live agent, session and call events (Ctrl-C to stop):"
if [ -n "$seconds" ]; then
  "$bin/opentapi/opentapi" watch --summary --seconds "$seconds"
  echo
  "$bin/opentapi/opentapi" queues
else
  "$bin/opentapi/opentapi" watch --summary
fi
