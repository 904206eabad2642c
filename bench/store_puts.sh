#!/usr/bin/env bash
# Store benchmark: three pgha store processes vs a three-member etcd 3.4 cluster, both on loopback, measured by the
# same client (bench/store_client.py, over the etcd v3 JSON gateway) in the same run, the two systems alternating.
# Cases: sequential puts to the leader, sequential puts to a follower, 16 concurrent put clients and 16 concurrent
# linearizable-get clients spread over the 3 members.
#
# From the repo root, after `mvn -B -q -DskipTests package`:
#   bench/store_puts.sh                 # 10 s per case, 3 repetitions
#   SECONDS_PER_CASE=5 REPS=5 WARMUP_SECONDS=60 bench/store_puts.sh   # warm-up: 16-client puts per system, not recorded
# Env: BENCH_HOST (127.0.0.1, the loopback address both clusters and the client use), ETCD_BIN (/usr/bin/etcd),
#   ETCD_BASE (22379), PGHA_BASE (23379), STORE_JAVA_OPTS, BENCH_ROOT (/var/tmp/...).
# Prints a table per case; raw results in bench/results/store-<timestamp>.jsonl.
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS_PER_CASE=${SECONDS_PER_CASE:-10}
REPS=${REPS:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
ETCD_BASE=${ETCD_BASE:-22379}
PGHA_BASE=${PGHA_BASE:-23379}
export BENCH_HOST=${BENCH_HOST:-127.0.0.1}
H=$BENCH_HOST
# On <= 2 CPUs the common ForkJoinPool has parallelism 1 and CompletableFuture.*Async without an executor starts a
# NEW THREAD PER TASK (CompletableFuture$ThreadPerTaskExecutor); Ratis appends use thenComposeAsync. Raise it.
STORE_JAVA_OPTS=${STORE_JAVA_OPTS:--Xms256m -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
BENCH_ROOT=${BENCH_ROOT:-/var/tmp/pgha-store-bench-$STAMP-$$}
OUT=bench/results/store-$STAMP.jsonl
PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$BENCH_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$H/$1") 2>/dev/null; }
for p in $(seq "$ETCD_BASE" $((ETCD_BASE + 5))) $(seq "$PGHA_BASE" $((PGHA_BASE + 5))); do
  port_free "$p" || { log "port $p is in use; set ETCD_BASE / PGHA_BASE"; exit 1; }
done

CLASSES=raft-store/target/classes
[[ -f $CLASSES/io/pgha/store/tool/StoreNodeMain.class ]] || { log "build first: mvn -B -q -DskipTests package"; exit 1; }
mkdir -p bench/results "$BENCH_ROOT"
mvn -o -q -pl raft-store dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$BENCH_ROOT/cp.txt" >/dev/null
CP="$CLASSES:$(cat "$BENCH_ROOT/cp.txt")"

etcd_cluster="" pgha_cluster="" etcd_ports="" pgha_ports=""
for i in 1 2 3; do
  etcd_cluster+="${etcd_cluster:+,}e$i=http://$H:$((ETCD_BASE + 2 * i - 1))"
  pgha_cluster+="${pgha_cluster:+,}n$i=$H:$((PGHA_BASE + 2 * i - 1))"
  etcd_ports+="${etcd_ports:+,}$((ETCD_BASE + 2 * i - 2))"
  pgha_ports+="${pgha_ports:+,}$((PGHA_BASE + 2 * i - 2))"
done

etcd_pids="" pgha_pids=""
for i in 1 2 3; do
  cp=$((ETCD_BASE + 2 * i - 2)) pp=$((ETCD_BASE + 2 * i - 1)) d=$BENCH_ROOT/etcd$i
  mkdir -p "$d"
  "$ETCD_BIN" --name "e$i" --data-dir "$d/data" \
    --listen-client-urls "http://$H:$cp" --advertise-client-urls "http://$H:$cp" \
    --listen-peer-urls "http://$H:$pp" --initial-advertise-peer-urls "http://$H:$pp" \
    --initial-cluster "$etcd_cluster" --initial-cluster-state new --initial-cluster-token "bench-$STAMP" \
    </dev/null >"$d/etcd.log" 2>&1 &
  PIDS+=($!) etcd_pids+="${etcd_pids:+,}$!"
  log "etcd e$i pid $! client :$cp peer :$pp"
done
for i in 1 2 3; do
  cp=$((PGHA_BASE + 2 * i - 2)) pp=$((PGHA_BASE + 2 * i - 1)) d=$BENCH_ROOT/pgha$i
  mkdir -p "$d"
  # shellcheck disable=SC2086
  java $STORE_JAVA_OPTS -Dlogback.configurationFile=bench/store_logback.xml -cp "$CP" \
    io.pgha.store.tool.StoreNodeMain --name "n$i" --data-dir "$d/data" --peer "$H:$pp" \
    --client "$H:$cp" --initial-cluster "$pgha_cluster" --cluster-name "bench-$STAMP" \
    </dev/null >"$d/store.log" 2>&1 &
  PIDS+=($!) pgha_pids+="${pgha_pids:+,}$!"
  log "pgha n$i pid $! client :$cp peer :$pp"
done

log "waiting for both clusters"
python3 bench/store_client.py wait --endpoints "$etcd_ports" --timeout 120 ||
  { tail -n 20 "$BENCH_ROOT"/etcd*/etcd.log; exit 1; }
python3 bench/store_client.py wait --endpoints "$pgha_ports" --timeout 180 ||
  { tail -n 40 "$BENCH_ROOT"/pgha*/store.log; exit 1; }
log "both ready; etcd $("$ETCD_BIN" --version | head -1), java $(java -version 2>&1 | head -1)"
log "results: $OUT (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"

# in the background and waited for, so that a TERM/INT reaches the trap at once (and the client is stopped too)
python3 bench/store_client.py run --etcd "$etcd_ports" --etcd-pids "$etcd_pids" \
  --pgha "$pgha_ports" --pgha-pids "$pgha_pids" --seconds "$SECONDS_PER_CASE" --reps "$REPS" \
  --warmup "$WARMUP_SECONDS" --out "$OUT" &
CLIENT=$!
PIDS=("$CLIENT" "${PIDS[@]}")
wait "$CLIENT"
python3 bench/store_client.py table "$OUT"
for i in 1 2 3; do
  grep -E 'WARN|ERROR' "$BENCH_ROOT/pgha$i/store.log" | tail -n 5 | sed "s/^/pgha n$i: /" >&2 || true
done
