#!/usr/bin/env bash
# One benchmark command: opentapi's durable round trips next to Redis on this
# machine (docs/performance.md).
#
#   bash bench/run.sh [--quick]
#
# Builds the release targets it needs (in $BUILD_DIR, default build/release),
# starts redis-server on 127.0.0.1 (free port, appendonly yes, appendfsync
# always: fsync on every write, the fair counterpart of our durable
# acknowledgements), runs redis-benchmark SET/PING and our durable_roundtrip
# with 1/8/64 clients on a shared line (every change fans out to all of them)
# and with 64 clients on a line each (--own-lines), then fanout_bench (one
# session change fanned out to 1000 monitor applications on line 0), prints
# one table with the targets (docs/performance.md "Targets"):
#   1. 64 clients, a line each: >= 1.0x Redis SET with 64 clients;
#   2. 64 clients on one shared line: >= 0.8x Redis SET with 64 clients;
#   3. 1 client: p50 <= Redis SET p50 + 100 us and p99 <= 1.5x Redis SET p99;
#   4. fan-out to 1000 monitors: last-monitor p99 <= 5 ms;
#   5. scale (100 000 sessions): <= 2 KiB RSS per session, restart <= 2 s;
# each MET / NOT MET, plus core_bench, tapi2_roundtrip (no store) and
# store_bench for reference, and
# writes bench/results/latest.json. --quick: a few seconds in all (smoke
# figures; fanout with 100 monitors and 20 changes).
# Calls step: calls_bench (opentapid + ACD, 64 agent desktops): call
# lifecycles per second (dial, queue, offer, answer, drop, wrap-up end; target
# >= 2,000 calls/s, shown as a ratio to Redis SET with 64 clients) and the
# lineMakeCall -> OFFERING latency at the desktop, station to station and
# through the queue, p50/p99 (5 s and 2000 samples per path; --quick: 1 s, 200).
# TLS step: durable_roundtrip (1 and 64 clients) and fanout_bench with their
# clients on tcp: and then tls: loopback listeners, same run (a throw-away CA
# from the openssl command): the cost of TLS over the same plain TCP path
# (--quick: 1 s per client count, fan-out as above).
# Scale step: scale_bench with 10 000, 30 000, 100 000 and 1 000 000 agents
# (one session each): RSS per session and restart-to-serving time (~5
# minutes; the targets at 100 000, the 1 000 000 run reported with one
# restart; --quick: 200 and 1000 agents).
# PostgreSQL step (when PostgreSQL 15's server binaries are installed:
# /usr/lib/postgresql/15/bin or $OPENTAPI_PG_BIN; else skipped, saying so):
# throw-away servers of its own started by bench/pg/pg_pair (initdb into a
# temporary directory, UNIX socket only, fsync=on, synchronous_commit=on; as
# the postgres user when run as root), first a primary alone, then a primary
# with a synchronous standby (pg_basebackup -R, synchronous_standby_names='*':
# every COMMIT waits until the standby has flushed it). Against each:
# durable_roundtrip --store with 64 clients on the shared line and with a line
# each, and store_bench --store with 64 threads, next to the same figures on
# SQLite and Redis SET (appendfsync always) from this run; target: >= 5,000
# changes/s with the synchronous standby (both line layouts).
# Takeover step (the same PostgreSQL binaries; takeover_bench starts a server
# of its own): two opentapid nodes with a 2 s lease and 100 000 agents with
# a session each (--quick: 2 000), kill -9 of the owner, time to the first
# request served by the other node, for warm standbys (following the event
# log) and cold ones (--cold-standby: reloading from the database), two of
# each; target <= 3 s with a warm standby (docs/ha.md).
# Needs redis-server and redis-tools (scripts/install-deps.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$repo/build/release}"
quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $a (usage: bench/run.sh [--quick])" >&2; exit 2 ;;
  esac
done

for tool in redis-server redis-benchmark redis-cli cmake; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found; run scripts/install-deps.sh" >&2; exit 1; }
done

clients=(1 8 64)
if [ "$quick" = 1 ]; then
  dur_seconds=1; set_n=(2000 5000 10000); ping_n=(5000 10000 10000)
  tapi2_requests=1000; store_seconds=0.5; core_min_time=0.05
  fan_monitors=100; fan_changes=20; tls_seconds=1
  calls_seconds=1; calls_samples=200
  scale_agents=200,1000
  takeover_sessions=2000
else
  dur_seconds=8; set_n=(20000 100000 200000); ping_n=(100000 100000 200000)
  tapi2_requests=10000; store_seconds=3; core_min_time=0.5
  fan_monitors=1000; fan_changes=200; tls_seconds=5
  calls_seconds=5; calls_samples=2000
  scale_agents=10000,30000,100000,1000000
  takeover_sessions=100000
fi

tmp="$(mktemp -d /tmp/opentapi-bench-XXXXXX)"
redis_pid=""
pg_pid=""  # bench/pg/pg_pair: the PostgreSQL servers of the PostgreSQL step
pg_stop() {
  # SIGTERM: pg_pair stops its servers and removes their directories (its
  # watchdogs do it too if it dies).
  if [ -n "$pg_pid" ]; then
    kill "$pg_pid" 2>/dev/null || true
    wait "$pg_pid" 2>/dev/null || true
    pg_pid=""
  fi
}
cleanup() {
  pg_stop
  # durable_roundtrip / fanout_bench / tapi2_roundtrip stop their own opentapid (SIGTERM and
  # PR_SET_PDEATHSIG); here: Redis and the temporary directory.
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building release targets in $build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset release -S "$repo" -B "$build" >/dev/null
fi
cmake --build "$build" --target durable_roundtrip fanout_bench tapi2_roundtrip core_bench store_bench opentapid scale_bench \
  calls_bench pg_pair takeover_bench >/dev/null
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt"; then
  echo "run.sh: $build is not a Release build" >&2; exit 2
fi

cores="$(nproc)"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
kernel="$(uname -srm)"
redis_version="$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')"
echo "machine: $cores cores, ${cpu:-unknown CPU}, $kernel"

# A free port: the first one from a random start nobody accepts on.
port=""
for _ in $(seq 1 200); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "run.sh: no free port found" >&2; exit 1; }

echo "== redis-server $redis_version on 127.0.0.1:$port: save \"\" appendonly yes appendfsync always (fsync on every write)"
redis-server --bind 127.0.0.1 --port "$port" --dir "$tmp" --save "" --appendonly yes --appendfsync always \
  --daemonize no --logfile "$tmp/redis.log" &
redis_pid=$!
for _ in $(seq 1 200); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
[ "$(redis-cli -h 127.0.0.1 -p "$port" config get appendfsync | tail -n1)" = always ] \
  || { echo "run.sh: redis did not start with appendfsync always" >&2; exit 1; }

# redis-benchmark 7.x --csv: "test","rps","avg_latency_ms","min_latency_ms",
# "p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
declare -A redis_set_rps redis_set_p50 redis_set_p99 redis_ping_rps redis_ping_p99
for i in "${!clients[@]}"; do
  c=${clients[$i]}
  out="$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" -t set -c "$c" -n "${set_n[$i]}" --csv)"
  redis_set_rps[$c]="$(echo "$out" | awk -F'"' '$2=="SET"{print $4}')"
  redis_set_p50[$c]="$(echo "$out" | awk -F'"' '$2=="SET"{printf "%.0f", $10*1000}')"
  redis_set_p99[$c]="$(echo "$out" | awk -F'"' '$2=="SET"{printf "%.0f", $14*1000}')"
  out="$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" -t ping -c "$c" -n "${ping_n[$i]}" --csv)"
  redis_ping_rps[$c]="$(echo "$out" | awk -F'"' '$2=="PING_MBULK"{print $4}')"
  redis_ping_p99[$c]="$(echo "$out" | awk -F'"' '$2=="PING_MBULK"{printf "%.0f", $14*1000}')"
  echo "redis clients=$c SET ${redis_set_rps[$c]} ops/s p50 ${redis_set_p50[$c]} us p99 ${redis_set_p99[$c]} us; PING ${redis_ping_rps[$c]} ops/s p99 ${redis_ping_p99[$c]} us"
done
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; redis_pid=""

echo "== durable_roundtrip (opentapid + virtual ACD + SQLite synchronous=FULL), $dur_seconds s per client count"
dur_json="$tmp/durable.json"
timeout 300 "$build/bench/durable/durable_roundtrip" --clients "$(IFS=,; echo "${clients[*]}")" \
  --seconds "$dur_seconds" --json "$dur_json" | tee "$tmp/durable.txt"
declare -A our_rps our_p99 our_p50
while read -r c rps p99; do our_rps[$c]=$rps; our_p99[$c]=$p99; done < <(
  sed -n 's/^throughput clients=\([0-9]*\) \([0-9.]*\) ops\/s p99=\([0-9.]*\) us$/\1 \2 \3/p' "$tmp/durable.txt")
# The table's rows: clients ops ops/s p50 p99 p99.9 max.
while read -r c p50; do our_p50[$c]=$p50; done < <(awk 'NF == 7 && $1 ~ /^[0-9]+$/ {print $1, $4}' "$tmp/durable.txt")

echo "== durable_roundtrip --own-lines (one line device per client: no status fan-out between them), 64 clients"
timeout 120 "$build/bench/durable/durable_roundtrip" --clients 64 --own-lines --seconds "$dur_seconds" \
  | tee "$tmp/durable_own.txt" || true  # a failure shows as NOT MET below
read -r own_rps own_p99 < <(sed -n 's/^throughput clients=64 \([0-9.]*\) ops\/s p99=\([0-9.]*\) us$/\1 \2/p' \
  "$tmp/durable_own.txt") || true

# PostgreSQL: pg_pair prints "version V", "primary CONNINFO", … "ready" (or
# "error TEXT"; exit 3 without the server binaries) and keeps its servers up
# until SIGTERM. pg_start [--sync-standby]: sets pg_conninfo and pg_version;
# returns 3 when PostgreSQL is not installed, 1 on another failure.
pg_conninfo=""; pg_version=""
pg_start() {
  pg_stop
  pg_conninfo=""
  coproc PGPAIR { exec "$build/bench/pg/pg_pair" "$@" 2>"$tmp/pg_pair.err"; }
  pg_pid=$PGPAIR_PID
  local key value
  while read -r -t 120 key value <&"${PGPAIR[0]}"; do
    case "$key" in
      version) pg_version="${value%% *}" ;;
      primary) pg_conninfo="$value" ;;
      ready) return 0 ;;
      error) echo "pg_pair: $value" >&2 ;;
    esac
  done
  local rc=0
  wait "$pg_pid" 2>/dev/null || rc=$?
  pg_pid=""
  cat "$tmp/pg_pair.err" >&2 || true
  [ "$rc" = 3 ] && return 3
  return 1
}
# pg_durable NAME ARGS…: durable_roundtrip with 64 clients against $pg_conninfo;
# sets pg_rps[NAME] and pg_p99[NAME].
declare -A pg_rps pg_p99 pg_store
pg_durable() {
  local name="$1"; shift
  timeout 300 "$build/bench/durable/durable_roundtrip" --clients 64 --seconds "$dur_seconds" \
    --store "postgresql:$pg_conninfo" "$@" | tee "$tmp/durable_pg_$name.txt" || true  # a failure shows as ? below
  read -r "pg_rps[$name]" "pg_p99[$name]" < <(sed -n 's/^throughput clients=64 \([0-9.]*\) ops\/s p99=\([0-9.]*\) us$/\1 \2/p' \
    "$tmp/durable_pg_$name.txt") || true
}
pg_store_bench() {
  local line
  line="$(timeout 60 "$build/bench/store/store_bench" --threads 64 --seconds "$store_seconds" \
    --store "postgresql:$pg_conninfo" || true)"
  echo "$line"
  pg_store[$1]="$(echo "$line" | sed -n 's/^store=postgresql threads=64 .*commits\/s=\([0-9]*\).*/\1/p')"
}
pg_note="not run"
pg_rc=0
pg_start || pg_rc=$?
if [ "$pg_rc" = 3 ]; then
  pg_note="not run: PostgreSQL 15 is not installed (no server binaries in ${OPENTAPI_PG_BIN:-/usr/lib/postgresql/15/bin}; scripts/install-deps.sh installs them)"
  echo "== PostgreSQL step skipped: $pg_note"
elif [ "$pg_rc" != 0 ]; then
  pg_note="not run: the throw-away PostgreSQL did not start (see above)"
  echo "== PostgreSQL step skipped: $pg_note"
else
  echo "== PostgreSQL $pg_version, primary alone (UNIX socket only, fsync=on, synchronous_commit=on): durable_roundtrip --store, 64 clients, $dur_seconds s"
  pg_durable alone
  pg_durable alone_own --own-lines
  pg_store_bench alone
  if pg_start --sync-standby; then
    echo "== PostgreSQL $pg_version with a synchronous standby (pg_basebackup -R, synchronous_standby_names='*', synchronous_commit=on): 64 clients, $dur_seconds s"
    pg_durable sync
    pg_durable sync_own --own-lines
    pg_store_bench sync
  else
    echo "== PostgreSQL with a synchronous standby: did not start (see above)"
  fi
  pg_stop
  pg_note="PostgreSQL $pg_version on this machine, UNIX sockets, fsync=on, synchronous_commit=on; the standby on the same machine"
fi
t_pg="$(awk -v a="${pg_rps[sync]:-}" -v b="${pg_rps[sync_own]:-}" \
  'BEGIN{print (a != "" && b != "" && a+0 >= 5000 && b+0 >= 5000) ? "MET" : "NOT MET"}')"
[ "$pg_rc" = 3 ] && t_pg="skipped (PostgreSQL not installed)"

echo "== takeover_bench: 2 nodes, 2 s lease, $takeover_sessions sessions, kill -9 of the owner (warm and cold standbys)"
takeover_json="$tmp/takeover.json"
timeout 900 "$build/bench/takeover/takeover_bench" --sessions "$takeover_sessions" --takeovers 4 --json "$takeover_json" \
  | tee "$tmp/takeover.txt" || true  # a failure shows as NOT MET below
takeover_target="$(grep -m1 '^target kill -9' "$tmp/takeover.txt" || true)"
case "$takeover_target" in
  *"NOT MET"*) t7="NOT MET" ;;
  *" MET"*) t7="MET" ;;
  *) if grep -q '^takeover_bench: skipped' "$tmp/takeover.txt"; then t7="skipped (no PostgreSQL)"; else t7="NOT MET"; fi ;;
esac

echo "== fanout_bench: one session change -> LINE_AGENTSESSIONSTATUS at $fan_monitors monitor applications on line 0, $fan_changes changes"
fan_json="$tmp/fanout.json"
timeout 300 "$build/bench/fanout/fanout_bench" --monitors "$fan_monitors" --changes "$fan_changes" --json "$fan_json" \
  | tee "$tmp/fanout.txt" || true  # a failure shows as NOT MET below
fan_line="$(grep -m1 '^fanout monitors=' "$tmp/fanout.txt" || true)"
fan_field() { echo "$fan_line" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
fan_last_p50="$(fan_field last_p50)"; fan_last_p99="$(fan_field last_p99)"; fan_last_max="$(fan_field last_max)"
fan_all_p50="$(fan_field all_p50)"; fan_all_p99="$(fan_field all_p99)"; fan_all_max="$(fan_field all_max)"
t4="$(awk -v p="${fan_last_p99:-}" 'BEGIN{print (p != "" && p+0 <= 5000) ? "MET" : "NOT MET"}')"
grep -q ' 0 missing, 0 unexpected' "$tmp/fanout.txt" || t4="NOT MET"

echo "== TLS: durable_roundtrip (1, 64 clients, $tls_seconds s) and fanout_bench ($fan_monitors monitors) over tcp: vs tls: on loopback"
declare -A tls_rps tls_p99 tls_fan_p99
for t in tcp tls; do
  timeout 300 "$build/bench/durable/durable_roundtrip" --clients 1,64 --seconds "$tls_seconds" --transport "$t" \
    | tee "$tmp/durable_$t.txt" || true  # a failure shows as ? below
  while read -r c rps p99; do tls_rps[$t.$c]=$rps; tls_p99[$t.$c]=$p99; done < <(
    sed -n 's/^throughput clients=\([0-9]*\) \([0-9.]*\) ops\/s p99=\([0-9.]*\) us$/\1 \2 \3/p' "$tmp/durable_$t.txt")
  timeout 300 "$build/bench/fanout/fanout_bench" --monitors "$fan_monitors" --changes "$fan_changes" --transport "$t" \
    | tee "$tmp/fanout_$t.txt" || true
  tls_fan_p99[$t]="$(grep -m1 '^fanout monitors=' "$tmp/fanout_$t.txt" | sed -n 's/.* last_p99=\([0-9.]*\).*/\1/p')"
done
# Throughput lost and latency added by TLS, in percent of the plain TCP figure.
pct() { awk -v tls="$1" -v tcp="$2" 'BEGIN{ if (tcp+0 == 0 || tls == "") print "?"; else printf "%+.1f%%", (tls-tcp)*100/tcp }'; }

echo "== calls_bench: 64 agent desktops, call lifecycles per second; lineMakeCall -> OFFERING latency"
calls_json="$tmp/calls.json"
timeout 300 "$build/bench/calls/calls_bench" --agents 64 --seconds "$calls_seconds" --samples "$calls_samples" \
  --json "$calls_json" | tee "$tmp/calls.txt" || true  # a failure shows as NOT MET below
calls_rps="$(sed -n 's/^throughput calls agents=64 \([0-9.]*\) calls\/s$/\1/p' "$tmp/calls.txt")"
offer_field() { sed -n "s/^offer path=$1 .* p50=\([0-9.]*\) p99=\([0-9.]*\) .*/p50 \1 us, p99 \2 us/p" "$tmp/calls.txt"; }
offer_internal="$(offer_field internal)"; offer_queue="$(offer_field queue)"
t6="$(awk -v r="${calls_rps:-}" 'BEGIN{print (r != "" && r+0 >= 2000) ? "MET" : "NOT MET"}')"

echo "== Scale: scale_bench, $scale_agents agents with one session each (RSS per session, restart -> serving)"
scale_json="$tmp/scale.json"
timeout 1800 "$build/bench/scale/scale_bench" --agents "$scale_agents" --json "$scale_json" \
  | tee "$tmp/scale.txt" || true  # a failure shows as NOT MET below
# scale_bench prints its own target lines ("target … MET" / "NOT MET").
scale_rss_line="$(grep -m1 '^target RSS per session' "$tmp/scale.txt" || echo 'target RSS per session: NOT MET (scale_bench failed)')"
scale_restart_line="$(grep -m1 '^target restart' "$tmp/scale.txt" || echo 'target restart -> serving: NOT MET (scale_bench failed)')"

echo "== reference: tapi2_roundtrip (opentapid + trivial proxy, no store)"
timeout 120 "$build/bench/tapi2/tapi2_roundtrip" --clients 1,64 --requests "$tapi2_requests" | tee "$tmp/tapi2.txt"
tapi2_1="$(awk '$1=="1"{print $6" req/s, p99 "$4" us"}' "$tmp/tapi2.txt")"
tapi2_64="$(awk '$1=="64"{print $6" req/s, p99 "$4" us"}' "$tmp/tapi2.txt")"

echo "== reference: store_bench (SQLite store alone, fsync per commit group)"
store_out=""
for t in 1 64; do
  line="$(timeout 60 "$build/bench/store/store_bench" --threads "$t" --seconds "$store_seconds" --dir "$tmp/store$t")"
  echo "$line"; store_out+="$line"$'\n'
done
store_1="$(echo "$store_out" | sed -n 's/^store=sqlite threads=1 .*commits\/s=\([0-9]*\).*/\1/p')"
store_64="$(echo "$store_out" | sed -n 's/^store=sqlite threads=64 .*commits\/s=\([0-9]*\).*/\1/p')"

echo "== reference: core_bench (in-memory session state machine)"
timeout 120 "$build/bench/core_bench" --benchmark_min_time="$core_min_time" --benchmark_format=csv 2>/dev/null \
  > "$tmp/core.csv"
core_items="$(awk -F, '$1 ~ /BM_AgentSessionCycle/ {printf "%.0f", $(NF-3)}' "$tmp/core.csv")"
[ -n "$core_items" ] || core_items="$(grep -m1 BM_AgentSessionCycle "$tmp/core.csv" | awk -F, '{for(i=NF;i>0;i--) if ($i ~ /^[0-9.e+]+$/ && $i+0 > 1000) {printf "%.0f", $i; exit}}')"
echo "core_bench BM_AgentSessionCycle: ${core_items:-?} transitions/s"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b+0 == 0) print "n/a"; else printf "%.3f", a/b }'; }

echo
echo "== opentapi vs Redis ($cores cores, ${cpu:-unknown CPU}, $kernel)"
echo "   ours: lineSetAgentSessionState READY<->NOT_READY, LINE_REPLY after the SQLite commit is fsynced"
echo "   redis $redis_version: SET with appendonly yes, appendfsync always (fsync on every write); PING for reference (no fsync)"
printf '%8s %14s %16s %10s %12s %12s %14s %14s %14s\n' clients "ours ops/s" "redis SET ops/s" ratio "ours p50 us" \
  "ours p99 us" "redis SET p50" "redis SET p99" "redis PING p99"
for c in "${clients[@]}"; do
  printf '%8s %14s %16s %10s %12s %12s %14s %14s %14s\n' "$c" "${our_rps[$c]:-?}" "${redis_set_rps[$c]:-?}" \
    "$(ratio "${our_rps[$c]:-0}" "${redis_set_rps[$c]:-0}")" "${our_p50[$c]:-?}" "${our_p99[$c]:-?}" \
    "${redis_set_p50[$c]:-?}" "${redis_set_p99[$c]:-?}" "${redis_ping_p99[$c]:-?}"
done
printf '%8s %14s %16s %10s %12s %12s\n' "64 own" "${own_rps:-?}" "${redis_set_rps[64]:-?}" \
  "$(ratio "${own_rps:-0}" "${redis_set_rps[64]:-0}")" "" "${own_p99:-?}"
# 1. 64 clients, a line each, >= 1.0x Redis SET (64 clients).
t1_ratio="$(ratio "${own_rps:-0}" "${redis_set_rps[64]:-0}")"
t1="$(awk -v r="$t1_ratio" 'BEGIN{print (r != "n/a" && r+0 >= 1.0) ? "MET" : "NOT MET"}')"
# 2. 64 clients on the shared line (each change fans out to all 64), >= 0.8x Redis SET.
t2_ratio="$(ratio "${our_rps[64]:-0}" "${redis_set_rps[64]:-0}")"
t2="$(awk -v r="$t2_ratio" 'BEGIN{print (r != "n/a" && r+0 >= 0.8) ? "MET" : "NOT MET"}')"
# 3. 1 client: p50 <= Redis SET p50 + 100 us, p99 <= 1.5x Redis SET p99.
t3_p50_limit="$(awk -v p="${redis_set_p50[1]:-}" 'BEGIN{print (p == "") ? "" : p + 100}')"
t3_p99_limit="$(awk -v p="${redis_set_p99[1]:-}" 'BEGIN{print (p == "") ? "" : p * 1.5}')"
t3="$(awk -v a="${our_p50[1]:-}" -v b="$t3_p50_limit" -v c="${our_p99[1]:-}" -v d="$t3_p99_limit" \
  'BEGIN{print (a != "" && b != "" && c != "" && d != "" && a+0 <= b+0 && c+0 <= d+0) ? "MET" : "NOT MET"}')"
echo
echo "target 1: 64 clients, a line each, durable throughput >= 1.0x redis SET: ${own_rps:-?} / ${redis_set_rps[64]:-?} = ${t1_ratio}x  $t1"
echo "target 2: 64 clients on one line (fan-out to all 64) >= 0.8x redis SET: ${our_rps[64]:-?} / ${redis_set_rps[64]:-?} = ${t2_ratio}x  $t2"
echo "target 3: 1 client p50 <= redis SET p50 + 100 us and p99 <= 1.5x redis SET p99: p50 ${our_p50[1]:-?} us (limit ${t3_p50_limit:-?}), p99 ${our_p99[1]:-?} us (limit ${t3_p99_limit:-?})  $t3"
echo "target 4: fan-out to $fan_monitors monitors, last-monitor p99 <= 5 ms: ${fan_last_p99:-?} us  $t4"
echo "   fan-out last monitor p50/p99/max ${fan_last_p50:-?}/${fan_last_p99:-?}/${fan_last_max:-?} us; every monitor p50/p99/max ${fan_all_p50:-?}/${fan_all_p99:-?}/${fan_all_max:-?} us"
scale_ok="MET"
for l in "$scale_rss_line" "$scale_restart_line"; do
  case "$l" in *"NOT MET"*) scale_ok="NOT MET" ;; *" MET"*) ;; *) scale_ok="NOT MET" ;; esac
done
echo "target 5: scale, 100 000 sessions: <= 2 KiB RSS per session and restart <= 2 s  $scale_ok"
echo "   ${scale_rss_line#target }"
echo "   ${scale_restart_line#target }"
grep '^scale agents=\|^growth ' "$tmp/scale.txt" | sed 's/^/   /' || true
echo "target calls: 64 agents, call lifecycles >= 2000 calls/s: ${calls_rps:-?} calls/s ($(ratio "${calls_rps:-0}" "${redis_set_rps[64]:-0}")x redis SET 64 clients)  $t6"
echo "   lineMakeCall -> OFFERING at the desktop: station to station ${offer_internal:-?}; through queue 8001 ${offer_queue:-?}"
echo "PostgreSQL store ($pg_note):"
echo "   durable put_State round trips, 64 clients (LINE_REPLY after COMMIT), same run:"
printf '   %-44s %16s %16s\n' "" "shared line" "a line each"
printf '   %-44s %16s %16s\n' "SQLite synchronous=FULL" "${our_rps[64]:-?}" "${own_rps:-?}"
printf '   %-44s %16s %16s\n' "PostgreSQL, primary alone" "${pg_rps[alone]:-?}" "${pg_rps[alone_own]:-?}"
printf '   %-44s %16s %16s\n' "PostgreSQL + synchronous standby" "${pg_rps[sync]:-?}" "${pg_rps[sync_own]:-?}"
printf '   %-44s %16s\n' "Redis SET, appendfsync always (64 clients)" "${redis_set_rps[64]:-?}"
echo "   p99 us: PostgreSQL alone ${pg_p99[alone]:-?} / ${pg_p99[alone_own]:-?}, + synchronous standby ${pg_p99[sync]:-?} / ${pg_p99[sync_own]:-?}"
echo "   store alone (store_bench), 64 committers: PostgreSQL ${pg_store[alone]:-?} commits/s, + synchronous standby ${pg_store[sync]:-?} commits/s, SQLite ${store_64:-?} commits/s"
echo "target PostgreSQL: 64 clients with a synchronous standby >= 5000 changes/s (shared line and a line each): ${pg_rps[sync]:-?} / ${pg_rps[sync_own]:-?}  $t_pg"
echo "takeover, $takeover_sessions sessions, 2 s lease: kill -9 of the owner -> first request served by the next one <= 3 s  $t7"
grep '^takeover sessions=' "$tmp/takeover.txt" | sed 's/^/   /' || true
echo "TLS overhead (same run, loopback, tls: vs tcp:; durable put_State round trips and fan-out):"
for c in 1 64; do
  echo "   durable $c client(s): tcp ${tls_rps[tcp.$c]:-?} ops/s p99 ${tls_p99[tcp.$c]:-?} us; tls ${tls_rps[tls.$c]:-?} ops/s p99 ${tls_p99[tls.$c]:-?} us; throughput $(pct "${tls_rps[tls.$c]:-}" "${tls_rps[tcp.$c]:-0}"), p99 $(pct "${tls_p99[tls.$c]:-}" "${tls_p99[tcp.$c]:-0}")"
done
echo "   fan-out to $fan_monitors monitors, last-monitor p99: tcp ${tls_fan_p99[tcp]:-?} us, tls ${tls_fan_p99[tls]:-?} us ($(pct "${tls_fan_p99[tls]:-}" "${tls_fan_p99[tcp]:-0}"))"
echo
echo "reference: tapi2_roundtrip (no store) 1 client: $tapi2_1; 64 clients: $tapi2_64"
echo "reference: store_bench durable commits/s: 1 thread ${store_1:-?}, 64 threads ${store_64:-?}"
echo "reference: core_bench AgentSessionCycle ${core_items:-?} transitions/s"
[ "$quick" = 1 ] && echo "(--quick: short runs, figures are indicative only)"

mkdir -p "$repo/bench/results"
{
  printf '{\n  "quick": %s,\n' "$([ "$quick" = 1 ] && echo true || echo false)"
  printf '  "machine": {"cores": %s, "cpu": "%s", "kernel": "%s"},\n' "$cores" "${cpu//\"/}" "$kernel"
  printf '  "redis": {"version": "%s", "persistence": "appendonly yes, appendfsync always, save \\"\\""},\n' "$redis_version"
  printf '  "rows": [\n'
  for i in "${!clients[@]}"; do
    c=${clients[$i]}
    printf '    {"clients": %s, "ours_ops_per_s": %s, "ours_p50_us": %s, "ours_p99_us": %s, "redis_set_ops_per_s": %s, "redis_set_p50_us": %s, "redis_set_p99_us": %s, "redis_ping_ops_per_s": %s, "redis_ping_p99_us": %s}%s\n' \
      "$c" "${our_rps[$c]:-null}" "${our_p50[$c]:-null}" "${our_p99[$c]:-null}" "${redis_set_rps[$c]:-null}" "${redis_set_p50[$c]:-null}" "${redis_set_p99[$c]:-null}" \
      "${redis_ping_rps[$c]:-null}" "${redis_ping_p99[$c]:-null}" "$([ $((i + 1)) -lt ${#clients[@]} ] && echo ,)"
  done
  printf '  ],\n'
  printf '  "targets": {"throughput_64_own_lines_vs_redis_set": {"ops_per_s": %s, "ratio": "%s", "goal": ">= 1.0", "result": "%s"},\n' \
    "${own_rps:-null}" "$t1_ratio" "$t1"
  printf '              "throughput_64_shared_line_vs_redis_set": {"ops_per_s": %s, "ratio": "%s", "goal": ">= 0.8", "result": "%s"},\n' \
    "${our_rps[64]:-null}" "$t2_ratio" "$t2"
  printf '              "latency_1_vs_redis_set": {"p50_us": %s, "p50_limit_us": %s, "p99_us": %s, "p99_limit_us": %s, "goal": "p50 <= redis SET p50 + 100 us, p99 <= 1.5x redis SET p99", "result": "%s"},\n' \
    "${our_p50[1]:-null}" "${t3_p50_limit:-null}" "${our_p99[1]:-null}" "${t3_p99_limit:-null}" "$t3"
  printf '              "fanout_last_monitor_p99": {"monitors": %s, "p99_us": %s, "goal": "<= 5000 us", "result": "%s"},\n' \
    "$fan_monitors" "${fan_last_p99:-null}" "$t4"
  printf '              "scale_100000_sessions": {"result": "%s"},\n' "$scale_ok"
  printf '              "calls_per_s_64_agents": {"calls_per_s": %s, "ratio_to_redis_set_64": "%s", "goal": ">= 2000", "result": "%s"}},\n' \
    "${calls_rps:-null}" "$(ratio "${calls_rps:-0}" "${redis_set_rps[64]:-0}")" "$t6"
  printf '  "reference": {"durable_roundtrip_own_lines_64": "%s ops/s, p99 %s us", "tapi2_roundtrip_1": "%s", "tapi2_roundtrip_64": "%s", "store_bench_commits_per_s_1": %s, "store_bench_commits_per_s_64": %s, "core_bench_agent_session_transitions_per_s": %s},\n' \
    "${own_rps:-?}" "${own_p99:-?}" "$tapi2_1" "$tapi2_64" "${store_1:-null}" "${store_64:-null}" "${core_items:-null}"
  printf '  "postgresql": {"note": "%s", "durable_roundtrip_64_ops_per_s": %s, "durable_roundtrip_64_p99_us": %s, "durable_roundtrip_64_own_lines_ops_per_s": %s, "store_bench_commits_per_s_64": %s,\n' \
    "$pg_note" "${pg_rps[alone]:-null}" "${pg_p99[alone]:-null}" "${pg_rps[alone_own]:-null}" "${pg_store[alone]:-null}"
  printf '                 "sync_standby": {"durable_roundtrip_64_ops_per_s": %s, "durable_roundtrip_64_p99_us": %s, "durable_roundtrip_64_own_lines_ops_per_s": %s, "durable_roundtrip_64_own_lines_p99_us": %s, "store_bench_commits_per_s_64": %s, "goal": ">= 5000 changes/s", "result": "%s"},\n' \
    "${pg_rps[sync]:-null}" "${pg_p99[sync]:-null}" "${pg_rps[sync_own]:-null}" "${pg_p99[sync_own]:-null}" "${pg_store[sync]:-null}" "$t_pg"
  printf '                 "sqlite_durable_roundtrip_64_ops_per_s": %s, "sqlite_durable_roundtrip_64_own_lines_ops_per_s": %s, "sqlite_store_bench_commits_per_s_64": %s, "redis_set_64_ops_per_s": %s},\n' \
    "${our_rps[64]:-null}" "${own_rps:-null}" "${store_64:-null}" "${redis_set_rps[64]:-null}"
  printf '  "tls": {"note": "loopback, same run; tls: vs tcp: listener", "durable_1": {"tcp_ops_per_s": %s, "tls_ops_per_s": %s, "tcp_p99_us": %s, "tls_p99_us": %s}, "durable_64": {"tcp_ops_per_s": %s, "tls_ops_per_s": %s, "tcp_p99_us": %s, "tls_p99_us": %s}, "fanout_last_monitor_p99_us": {"monitors": %s, "tcp": %s, "tls": %s}},\n' \
    "${tls_rps[tcp.1]:-null}" "${tls_rps[tls.1]:-null}" "${tls_p99[tcp.1]:-null}" "${tls_p99[tls.1]:-null}" \
    "${tls_rps[tcp.64]:-null}" "${tls_rps[tls.64]:-null}" "${tls_p99[tcp.64]:-null}" "${tls_p99[tls.64]:-null}" \
    "$fan_monitors" "${tls_fan_p99[tcp]:-null}" "${tls_fan_p99[tls]:-null}"
  printf '  "durable_roundtrip": '
  cat "$dur_json"
  printf ',\n  "fanout": '
  if [ -s "$fan_json" ]; then cat "$fan_json"; else printf 'null\n'; fi
  printf ',\n  "calls": '
  if [ -s "$calls_json" ]; then cat "$calls_json"; else printf 'null\n'; fi
  printf ',\n  "scale": '
  if [ -s "$scale_json" ]; then cat "$scale_json"; else printf 'null\n'; fi
  printf ',\n  "takeover": '
  if [ -s "$takeover_json" ]; then cat "$takeover_json"; else printf 'null\n'; fi
  printf '}\n'
} > "$repo/bench/results/latest.json"
echo "wrote bench/results/latest.json"
