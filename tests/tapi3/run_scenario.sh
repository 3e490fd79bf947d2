#!/usr/bin/env bash
# usage: run_scenario.sh OPENTAPID PROXY WORK_DIR [PROGRAM:]SCENARIO none|acd|PROXY_ARGS...
# Starts opentapid on a temporary UNIX socket, then (unless `none`) the test
# proxy with PROXY_ARGS, waits until both are ready, and runs the installed-SDK
# program (build_sample.sh; agent_desktop unless PROGRAM names another) with
# SCENARIO against them. `acd` runs opentapid's own reference ACD (the demo
# configuration, no simulator, a scratch data directory) instead of the test
# proxy. The exit status is the program's.
set -uo pipefail
opentapid=$1 proxy=$2 work=$3 scenario=$4
shift 4
program=agent_desktop
if [[ $scenario == *:* ]]; then
  program=${scenario%%:*}
  scenario=${scenario#*:}
fi
dir=$(mktemp -d /tmp/tapi3-it-XXXXXX)
server_pid=""
proxy_pid=""
cleanup() {
  [[ -n $proxy_pid ]] && kill "$proxy_pid" 2>/dev/null
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

[[ -x $work/$program ]] || { echo "$program not built (tapi3.integration.build_sample)"; exit 1; }
export OPENTAPI_SERVER="unix:$dir/opentapid.sock"
if [[ ${1:-none} == acd ]]; then
  shift
  "$opentapid" --listen "$OPENTAPI_SERVER" --no-simulator --http off --data-dir "$dir/data" --log-level warn \
    >"$dir/server.log" 2>&1 &
else
  "$opentapid" --no-acd --listen "$OPENTAPI_SERVER" --lines 2 --log-level warn >"$dir/server.log" 2>&1 &
fi
server_pid=$!
for _ in $(seq 200); do [[ -S $dir/opentapid.sock ]] && break; sleep 0.05; done
[[ -S $dir/opentapid.sock ]] || { echo "opentapid did not start:"; cat "$dir/server.log"; exit 1; }

if [[ ${1:-none} != none ]]; then
  "$proxy" "$@" >"$dir/proxy.out" 2>&1 &
  proxy_pid=$!
  for _ in $(seq 200); do grep -q '^READY' "$dir/proxy.out" && break; sleep 0.05; done
  grep -q '^READY' "$dir/proxy.out" || { echo "test proxy did not start:"; cat "$dir/proxy.out"; exit 1; }
fi

LD_LIBRARY_PATH="$(cat "$work/libdir")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/$program" "$scenario"
rc=$?
if [[ $rc -ne 0 ]]; then
  echo "--- opentapid log"; cat "$dir/server.log"
  [[ -f $dir/proxy.out ]] && { echo "--- proxy output"; cat "$dir/proxy.out"; }
fi
exit $rc
