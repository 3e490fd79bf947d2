#!/usr/bin/env bash
# acd.cluster.PatroniFailover (docs/ha.md "Production layout"): the database
# managed as in production — etcd (one member) and two Patroni 3 members with
# synchronous_mode, PostgreSQL 15 on loopback in a temporary directory — and
# one opentapid node on a two-host connection string with
# target_session_attrs=read-write. A client changes an agent session's state
# every 0.1 s; the Patroni primary is killed (kill -9 of Patroni and of its
# postmaster, as when its machine dies). Passes when Patroni has promoted the
# synchronous standby and the node serves the same session again, within
# 120 s (Patroni's ttl is 20 s). About a minute in all.
#
#   patroni_failover_test.sh OPENTAPID OPENTAPI_CLI CONFIG_TEMPLATE
#
# Skipped (exit 77) when patroni, etcd or PostgreSQL 15's server binaries are
# not installed (Debian: patroni, etcd-server, postgresql-15); they are not in
# scripts/install-deps.sh. Everything it starts is stopped and its directory
# removed on exit.
set -u
opentapid="$1"; cli="$2"; template="$3"
pg_bin="${OPENTAPI_PG_BIN:-/usr/lib/postgresql/15/bin}"
for tool in patroni etcd; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (Debian packages patroni, etcd-server)"; exit 77; }
done
[ -x "$pg_bin/postgres" ] && [ -x "$pg_bin/psql" ] || { echo "SKIP: no PostgreSQL 15 server binaries in $pg_bin"; exit 77; }

dir="$(mktemp -d /tmp/opentapi-patroni-XXXXXX)"
as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as=(runuser -u postgres --); fi
opentapid_pid=""; load_pid=""

log() { echo "$(date +%T.%3N) $*"; }
fail() {
  log "FAIL: $*"
  for f in etcd patroni1 patroni2 opentapid; do
    echo "--- $f.log: errors, then the tail"
    grep -E 'ERROR|FATAL|CRITICAL|Traceback' "$dir/$f.log" 2>/dev/null | head -n 20
    tail -n 15 "$dir/$f.log" 2>/dev/null
  done
  exit 1
}
pid_of() { cat "$dir/$1.pid" 2>/dev/null; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null
  [ -n "$opentapid_pid" ] && kill "$opentapid_pid" 2>/dev/null
  for m in patroni1 patroni2; do alive "$(pid_of $m)" && kill "$(pid_of $m)"; done  # Patroni stops its PostgreSQL
  for _ in $(seq 1 150); do
    alive "$(pid_of patroni1)" || alive "$(pid_of patroni2)" || break
    sleep 0.1
  done
  for m in patroni1 patroni2 etcd; do alive "$(pid_of $m)" && kill -9 "$(pid_of $m)"; done
  for d in data1 data2; do
    p="$(head -n1 "$dir/$d/postmaster.pid" 2>/dev/null)"
    alive "$p" && kill -9 "$p"
  done
  [ -n "$opentapid_pid" ] && wait "$opentapid_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command as the database user, recording its pid (the command's own,
# not runuser's) in $dir/NAME.pid; output in $dir/NAME.log.
start() {
  local name="$1"; shift
  "${as[@]}" sh -c 'echo $$ > "$0"; exec "$@"' "$dir/$name.pid" "$@" >"$dir/$name.log" 2>&1 &
  for _ in $(seq 1 50); do [ -s "$dir/$name.pid" ] && return 0; sleep 0.1; done
  fail "$name did not start"
}
# GET http://127.0.0.1:PORT/PATH: prints the status code.
status_of() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1$2" 2>/dev/null; }
body_of() { curl -s -m 2 "http://127.0.0.1:$1$2" 2>/dev/null; }
owner_again() { body_of "$http" /healthz | grep -q '^ok owner'; }
# answers PORT PATH CODE: whether GET PATH answers CODE now.
answers() { [ "$(status_of "$1" "$2")" = "$3" ]; }
# until SECONDS COMMAND…: true once the command succeeds.
until_ok() {
  local end=$((SECONDS + $1)); shift
  while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
  return 1
}
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! grep -qw "$p" "$dir/ports" 2>/dev/null; then
      echo "$p" >>"$dir/ports"; echo "$p"; return
    fi
  done
  fail "no free port"
}
etcd_client=$(free_port); etcd_peer=$(free_port)
rest1=$(free_port); rest2=$(free_port); pg1=$(free_port); pg2=$(free_port); http=$(free_port)

for i in 1 2; do
  rest=$([ $i = 1 ] && echo "$rest1" || echo "$rest2"); pg=$([ $i = 1 ] && echo "$pg1" || echo "$pg2")
  cat >"$dir/node$i.yml" <<YML
scope: opentapi-test
namespace: /service/
name: node$i
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      parameters:
        synchronous_commit: "on"
        wal_log_hints: "on"
        max_connections: 40
        shared_buffers: 32MB
  initdb:
    - encoding: UTF8
    - locale: C
postgresql:
  listen: 127.0.0.1:$pg
  connect_address: 127.0.0.1:$pg
  data_dir: $dir/data$i
  bin_dir: $pg_bin
  pgpass: $dir/pgpass$i
  authentication:
    superuser: {username: postgres, password: test-superuser}
    replication: {username: replicator, password: test-replicator}
    rewind: {username: rewinder, password: test-rewinder}
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
  parameters:
    unix_socket_directories: $dir
YML
done
[ "${#as[@]}" -gt 0 ] && chown postgres: "$dir"/node*.yml "$dir/ports"

log "etcd on 127.0.0.1:$etcd_client"
start etcd etcd --name e1 --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$etcd_client" \
  --advertise-client-urls "http://127.0.0.1:$etcd_client" --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" --initial-cluster "e1=http://127.0.0.1:$etcd_peer"
until_ok 30 sh -c "curl -s -m 2 http://127.0.0.1:$etcd_client/health | grep -q true" || fail "etcd did not become healthy"

log "Patroni node1 (bootstraps the cluster), then node2 (a clone of it)"
start patroni1 patroni "$dir/node1.yml"
# A bootstrap can fail on a loaded machine (Patroni then removes the data
# directory and exits): start it once more.
retried=0
node1_primary() {
  answers "$rest1" /primary 200 && return 0
  if [ "$retried" = 0 ] && ! alive "$(pid_of patroni1)"; then
    retried=1
    log "Patroni node1 exited during the bootstrap; starting it once more"
    grep -E 'ERROR|FATAL|CRITICAL' "$dir/patroni1.log" | head -n 5
    mv "$dir/patroni1.log" "$dir/patroni1.first.log"
    start patroni1 patroni "$dir/node1.yml"
  fi
  return 1
}
until_ok 150 node1_primary || fail "node1 did not become the Patroni primary"
start patroni2 patroni "$dir/node2.yml"
until_ok 120 answers "$rest2" /sync 200 || fail "node2 did not become the synchronous standby"
"$pg_bin/psql" -q -h "$dir" -p "$pg1" -U postgres -c "CREATE DATABASE opentapi" >/dev/null || fail "CREATE DATABASE"

log "opentapid on postgresql://…127.0.0.1:$pg1,127.0.0.1:$pg2…?target_session_attrs=read-write"
cp "$template" "$dir/callcenter.toml"
store="postgresql://postgres@127.0.0.1:$pg1,127.0.0.1:$pg2/opentapi?target_session_attrs=read-write&connect_timeout=3&keepalives_idle=2&keepalives_interval=1&keepalives_count=2&tcp_user_timeout=5000"
"$opentapid" --listen "unix:$dir/opentapid.sock" --store "$store" --config "$dir/callcenter.toml" --no-simulator \
  --lease 4 --http "127.0.0.1:$http" --log-level info >"$dir/opentapid.log" 2>&1 &
opentapid_pid=$!
until_ok 60 owner_again || fail "opentapid did not become the owner"

export OPENTAPI_SERVER="unix:$dir/opentapid.sock"
login="$("$cli" login --group Sales --agent 1001 --pin 1111 2>&1)" || fail "login: $login"
session="$(echo "$login" | sed -n 's/^session \([0-9]*\)$/\1/p')"
[ -n "$session" ] || fail "no session in: $login"

# The load: one state change every 0.1 s; each line "MILLISECONDS RC".
(
  s=ready
  while :; do
    "$cli" --timeout 3 state "$session" "$s" >/dev/null 2>&1
    rc=$?
    echo "$(date +%s%3N) $rc"
    [ "$s" = ready ] && s=not-ready || s=ready
    sleep 0.1
  done
) >"$dir/load.log" 2>&1 &
load_pid=$!
served_after() { awk -v t="$1" '$1 > t && $2 == 0 {found=1} END {exit !found}' "$dir/load.log"; }
until_ok 30 served_after 0 || fail "no state change was served before the fault"

killed_at="$(date +%s%3N)"
log "kill -9 of Patroni node1 and its postmaster (the primary)"
kill -9 "$(pid_of patroni1)" "$(head -n1 "$dir/data1/postmaster.pid")" || fail "kill"
until_ok 120 answers "$rest2" /primary 200 || fail "Patroni did not promote node2 within 120 s"
log "Patroni promoted node2"
promoted_at="$(date +%s%3N)"
until_ok 60 served_after "$promoted_at" || fail "opentapid did not serve the session again within 60 s of the promotion"
# Served again: the first success after the first failure that followed the
# kill (a request answered just after the kill was committed before it).
first_failure="$(awk -v t="$killed_at" '$1 > t && $2 != 0 {print $1; exit}' "$dir/load.log")"
[ -n "$first_failure" ] || fail "no request failed after the kill: was the primary killed?"
first="$(awk -v t="$first_failure" '$1 > t && $2 == 0 {print $1; exit}' "$dir/load.log")"
failed="$(awk -v a="$killed_at" -v b="$first" '$1 > a && $1 < b && $2 != 0 {n++} END {print n+0}' "$dir/load.log")"
# The HTTP listener restarts with the role: /healthz says owner a moment later.
until_ok 30 owner_again || fail "/healthz after the failover: $(body_of "$http" /healthz)"
health="$(body_of "$http" /healthz)"
log "served again $((first - killed_at)) ms after the kill ($failed requests failed meanwhile); /healthz: $health"
grep -E 'event=(step-down|takeover)' "$dir/opentapid.log" | cut -c1-200
log "PASS"
