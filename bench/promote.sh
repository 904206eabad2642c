#!/usr/bin/env bash
# Failover benchmark: promote time and rejoin time, beside Patroni + etcd's figures (../shared/peer/RESULTS.md).
# Three real agents (pgha.jar run) with real Postgres 15 on 127.0.0.44-46, default ports, default ha timings unless
# PGHA_BENCH_HA overrides the ha section. Each round: SIGKILL the primary's node (agent + postmaster + its children);
# promote time = until another node answers GET /primary 200. Then the old node's agent is restarted; rejoin time =
# until the new primary shows it streaming in pg_stat_replication. Next round kills the new primary.
#
# From the repo root, after `mvn -B -q -DskipTests package`:
#   bench/promote.sh                     # 5 rounds, default ha timings
#   ROUNDS=3 PGHA_BENCH_HA=$'  ttl: 10s\n  loop_wait: 1s\n  retry_timeout: 2s\n  safety_margin: 2s' bench/promote.sh
# Env: KEEP_LOGS (a directory to copy the agents' and Postgres' logs to), JAR (packaging/target/pgha.jar), ADDRS ("127.0.0.44 127.0.0.45 127.0.0.46"), BENCH_ROOT, PG_BIN.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-packaging/target/pgha.jar}
ROUNDS=${ROUNDS:-5}
read -r -a ADDR <<< "${ADDRS:-127.0.0.44 127.0.0.45 127.0.0.46}"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_ROOT=${BENCH_ROOT:-/var/tmp/pgha-promote-bench-$$}
declare -A AGENT
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }

[ -f "$JAR" ] || { echo "no $JAR: build it first (mvn -B -q -DskipTests package)" >&2; exit 2; }

pm_pid() { head -1 "$BENCH_ROOT/node$1/pgdata/postmaster.pid" 2>/dev/null || true; }

# SIGKILL of the agent and the postmaster with all their children, in one kill(1).
kill_node() {
  local pids=() p
  for p in ${AGENT[$1]:-} $(pm_pid "$1"); do
    kill -0 "$p" 2>/dev/null || continue
    pids+=("$p") && pids+=($(pgrep -P "$p" || true))
  done
  [ ${#pids[@]} -eq 0 ] || kill -9 "${pids[@]}" 2>/dev/null || true
  AGENT[$1]=""
}

cleanup() {
  local i
  for i in 1 2 3; do
    [ -n "${AGENT[$i]:-}" ] && { echo bench > "$BENCH_ROOT/node$i/stop-postgres"; kill "${AGENT[$i]}" 2>/dev/null; }
  done
  sleep 5
  for i in 1 2 3; do kill_node "$i"; done
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$BENCH_ROOT"/node*.log "$KEEP_LOGS"/
    for i in 1 2 3; do cp "$BENCH_ROOT/node$i/pgdata.log" "$KEEP_LOGS/node$i-postgres.log" 2>/dev/null || true; done; fi
  rm -rf "$BENCH_ROOT"
}
trap cleanup EXIT

start_node() {
  local join=()
  [ "$1" != 1 ] && join=(--join "${ADDR[0]}")
  java -Xmx256m -jar "$JAR" run --config "$BENCH_ROOT/node$1.yml" "${join[@]}" >> "$BENCH_ROOT/node$1.log" 2>&1 &
  AGENT[$1]=$!
}

code() { curl -s -m 1 -o /dev/null -w '%{http_code}' "http://${ADDR[$1-1]}:8008$2" || true; }

sql() {
  PGPASSWORD=$(cat "$BENCH_ROOT/superuser.pw") PGCONNECT_TIMEOUT=2 "$PG_BIN/psql" -XAtq -h "${ADDR[$1-1]}" \
    -p 5442 -U postgres -d postgres -c "$2" 2>/dev/null || true
}

streaming() { sql "$1" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' $2"; }

wait_for() { # what timeout-seconds command...
  local what=$1 limit=$2 t0; shift 2; t0=$(now)
  until "$@"; do
    if (( $(echo "$(now) - $t0 > $limit" | bc) )); then echo "timed out waiting for $what" >&2; exit 1; fi
    sleep 0.1
  done
}

write_configs() {
  mkdir -p "$BENCH_ROOT" && chmod 755 "$BENCH_ROOT"
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$BENCH_ROOT/cluster.token"
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$BENCH_ROOT/superuser.pw"
  chmod 600 "$BENCH_ROOT/cluster.token" "$BENCH_ROOT/superuser.pw"
  local i ha=""
  [ -n "${PGHA_BENCH_HA:-}" ] && ha=$'ha:\n'"$PGHA_BENCH_HA"$'\n'
  for i in 1 2 3; do
    cat > "$BENCH_ROOT/node$i.yml" <<EOF
cluster:
  name: promote-bench
  token_file: $BENCH_ROOT/cluster.token
node:
  name: node$i
  address: ${ADDR[$i-1]}
  data_dir: $BENCH_ROOT/node$i
postgres:
  superuser:
    password_file: $BENCH_ROOT/superuser.pw
  parameters:
    shared_buffers: 32MB
    max_connections: 50
${ha}rest:
  listen: ${ADDR[$i-1]}
proxy:
  listen: ${ADDR[$i-1]}
EOF
  done
}

primary_of() { local i; for i in 1 2 3; do [ "$(code "$i" /primary)" = 200 ] && { echo "$i"; return; }; done; }
one_primary() { P=$(primary_of); [ -n "$P" ]; }
all_streaming() { one_primary && [ "$(streaming "$P" "")" = 2 ]; }
new_primary() { local i; for i in 1 2 3; do [ "$i" != "$1" ] && [ "$(code "$i" /primary)" = 200 ] && return 0; done; return 1; }
streams_from_node1() { [ "$(streaming 1 "")" = "$1" ]; }
rejoined() { [ "$(streaming "$P" "AND application_name = 'node$1'")" = 1 ]; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

write_configs
log "forming a cluster of three on ${ADDR[*]} (ha: ${PGHA_BENCH_HA:-defaults})"
start_node 1
wait_for "node1 primary" 180 one_primary
start_node 2
wait_for "node2 streaming from node1" 180 streams_from_node1 1
start_node 3
wait_for "one primary and two streaming replicas" 180 all_streaming
PROMOTE=(); REJOIN=()
for round in $(seq 1 "$ROUNDS"); do
  wait_for "one primary and two streaming replicas" 180 all_streaming
  sleep 3 # let the store leadership settle where the agents put it
  old=$P
  t0=$(now); kill_node "$old"
  wait_for "a new primary" 120 new_primary "$old"
  PROMOTE+=("$(echo "$(now) - $t0" | bc)")
  P=$(primary_of)
  t0=$(now); start_node "$old"
  wait_for "node$old streaming from node$P" 180 rejoined "$old"
  REJOIN+=("$(echo "$(now) - $t0" | bc)")
  log "round $round: node$old killed, node$P promoted after ${PROMOTE[-1]} s; node$old streaming again after ${REJOIN[-1]} s"
done

pm=$(printf '%s\n' "${PROMOTE[@]}" | median); rm=$(printf '%s\n' "${REJOIN[@]}" | median)
echo
echo "pgha failover, median of $ROUNDS (ha: ${PGHA_BENCH_HA:-defaults}); load: $(uptime | sed 's/.*load/load/')"
printf '%-55s %8s %10s %10s\n' "figure" "pgha" "peer" "pgha/peer"
for peer in "25.6 Patroni default" "19.8 Patroni documented minimums"; do
  printf '%-55s %7.1fs %9.1fs %10.2f\n' "SIGKILL primary -> new /primary 200 (${peer#* })" "$pm" "${peer%% *}" \
    "$(echo "$pm / ${peer%% *}" | bc -l)"
done
for peer in "6.9 Patroni default" "1.8 Patroni documented minimums"; do
  printf '%-55s %7.1fs %9.1fs %10.2f\n' "old node restarted -> streaming (${peer#* })" "$rm" "${peer%% *}" \
    "$(echo "$rm / ${peer%% *}" | bc -l)"
done
echo "promote s: ${PROMOTE[*]}"
echo "rejoin s:  ${REJOIN[*]}"
