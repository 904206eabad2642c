#!/usr/bin/env bash
# Proxy throughput: pgbench direct to Postgres vs through the pgha proxy vs through HAProxy, on one machine.
#
# Usage, from the repo root after `mvn -B -q -DskipTests package` (or `mvn -B -q -pl proxy -DskipTests package`):
#   bench/proxy_throughput.sh                 # 3 rounds, 15 s per run
#   ROUNDS=5 DURATION=15 bench/proxy_throughput.sh
#
# Starts a throw-away PostgreSQL 15 (initdb, shared_buffers 128MB), `pgbench -i -s 10 bench`, the pgha proxy with a
# static table (io.pgha.proxy.tool.StaticProxyMain) and HAProxy (`mode tcp`, timeouts as in the peer's
# haproxy.cfg, no httpchk since there is no Patroni). Then, per round, `pgbench -c 8 -j 2 -T $DURATION` select-only
# (-S) and TPC-B-like against direct, pgha and HAProxy, the order rotated each round (A B C, B C A, C A B, ...).
# Prints per-round TPS and ratios and their medians; one JSON line per run goes to bench/results/proxy-<stamp>.jsonl.
# Everything started here is stopped by PID on exit.
#
# Environment: ROUNDS (3), DURATION (15), SCALE (10), CLIENTS (8), JOBS (2), WARMUP (5 s per path, 0: none),
# PG_PORT (16432), PGHA_PORT (16433), PGHA_RO_PORT (16434), HAPROXY_PORT (16435), PGBIN, JAVA_OPTS.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-8}
JOBS=${JOBS:-2}
WARMUP=${WARMUP:-5}
PG_PORT=${PG_PORT:-16432}
PGHA_PORT=${PGHA_PORT:-16433}
PGHA_RO_PORT=${PGHA_RO_PORT:-16434}
HAPROXY_PORT=${HAPROXY_PORT:-16435}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
JAVA_OPTS=${JAVA_OPTS:-}
HAPROXY_BIN=${HAPROXY_BIN:-$(command -v haproxy || echo /usr/sbin/haproxy)}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=$ROOT/bench/results
OUT=$OUT_DIR/proxy-$STAMP.jsonl
mkdir -p "$OUT_DIR"

log() { echo "[$(date -u +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for p in "$PG_PORT" "$PGHA_PORT" "$PGHA_RO_PORT" "$HAPROXY_PORT"; do
  if ss -Htln "sport = :$p" | grep -q .; then die "port $p is in use (set PG_PORT/PGHA_PORT/... to free ones)"; fi
done
[[ -x $PGBIN/postgres ]] || die "no PostgreSQL 15 in $PGBIN"
[[ -x $HAPROXY_BIN ]] || die "no haproxy ($HAPROXY_BIN)"

# --- the pgha proxy's classpath: the fat jar if it has the entry point, else the proxy module's classes ----------
MAIN=io.pgha.proxy.tool.StaticProxyMain
CP=""
if [[ -f $ROOT/packaging/target/pgha.jar ]] \
    && { unzip -l "$ROOT/packaging/target/pgha.jar" 2>/dev/null || jar tf "$ROOT/packaging/target/pgha.jar"; } \
      | grep -q 'io/pgha/proxy/tool/StaticProxyMain.class'; then
  CP=$ROOT/packaging/target/pgha.jar
elif [[ -f $ROOT/proxy/target/classes/io/pgha/proxy/tool/StaticProxyMain.class ]]; then
  # The module's own classpath; its test scope brings logback, configured at INFO below (DEBUG logs every session).
  deps=$(mktemp)
  (cd "$ROOT" && mvn -o -q -pl proxy dependency:build-classpath -Dmdep.outputFile="$deps" >/dev/null) \
    || die "mvn dependency:build-classpath failed"
  CP=$ROOT/proxy/target/classes:$(cat "$deps")
  rm -f "$deps"
  LOGBACK_INFO=1
else
  die "build first: mvn -B -q -DskipTests package"
fi

# --- clean-up of everything we start, by PID --------------------------------------------------------------------
WORK=$(mktemp -d /var/tmp/pgha-bench-XXXXXX)
PGHA_PID=""
HAPROXY_PID=""
PG_STARTED=""
as_postgres() { if [[ $(id -u) == 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }
cleanup() {
  local rc=$?
  set +e
  for pid in $PGHA_PID $HAPROXY_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
  done
  [[ -n $PG_STARTED ]] && as_postgres "$PGBIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1
  if [[ $rc != 0 && -d $WORK ]]; then
    log "failed (exit $rc); logs:"; tail -n 20 "$WORK"/*.log >&2 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[[ $(id -u) == 0 ]] && chown postgres:postgres "$WORK"

# --- PostgreSQL --------------------------------------------------------------------------------------------------
log "initdb in $WORK/data"
as_postgres "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --data-checksums --no-sync >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w -t 60 \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=128MB -c max_connections=100" start >/dev/null
PG_STARTED=1
PGVERSION=$("$PGBIN/psql" -XAtq -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'show server_version')
"$PGBIN/psql" -Xq -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'CREATE DATABASE bench'
log "pgbench -i -s $SCALE bench (PostgreSQL $PGVERSION on :$PG_PORT)"
"$PGBIN/pgbench" -i -s "$SCALE" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>&1 | tail -1 >&2

# --- pgha proxy -------------------------------------------------------------------------------------------------
if [[ -n ${LOGBACK_INFO:-} ]]; then
  cat >"$WORK/logback.xml" <<'EOF'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="out"/></root>
</configuration>
EOF
  JAVA_OPTS="-Dlogback.configurationFile=$WORK/logback.xml $JAVA_OPTS"
fi
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" "$MAIN" --listen 127.0.0.1 --rw-port "$PGHA_PORT" --ro-port "$PGHA_RO_PORT" \
  --rw-backend "127.0.0.1:$PG_PORT" >"$WORK/pgha.log" 2>&1 &
PGHA_PID=$!

# --- HAProxy: the peer's `primary` listener without the Patroni health check ------------------------------------
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 100

defaults
    mode tcp
    retries 2
    timeout client 30m
    timeout connect 4s
    timeout server 30m
    timeout check 5s

listen primary
    bind 127.0.0.1:$HAPROXY_PORT
    server pg 127.0.0.1:$PG_PORT maxconn 100
EOF
"$HAPROXY_BIN" -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!

for _ in $(seq 300); do grep -q '^ready ' "$WORK/pgha.log" 2>/dev/null && break; kill -0 "$PGHA_PID" || break; sleep 0.1; done
grep -q '^ready ' "$WORK/pgha.log" || die "pgha proxy did not start: $(cat "$WORK/pgha.log")"
for port in "$PGHA_PORT" "$HAPROXY_PORT"; do
  for _ in $(seq 100); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break; sleep 0.1; done
  "$PGBIN/psql" -XAtq -h 127.0.0.1 -p "$port" -U postgres -d bench -c 'select 1' >/dev/null \
    || die "no Postgres through port $port"
done
log "pgha pid $PGHA_PID ($(grep '^ready ' "$WORK/pgha.log")), haproxy pid $HAPROXY_PID ($("$HAPROXY_BIN" -v | head -1 | cut -d' ' -f1-3))"

declare -A PORT_OF=([direct]=$PG_PORT [pgha]=$PGHA_PORT [haproxy]=$HAPROXY_PORT)
declare -A PID_OF=([direct]="" [pgha]=$PGHA_PID [haproxy]=$HAPROXY_PID)
# utime+stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat, after the ")" of the comm)
cpu_ticks() { [[ -n $1 ]] && awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" || echo 0; }
HZ=$(getconf CLK_TCK)

if ((WARMUP > 0)); then
  log "warm-up: ${WARMUP}s select-only per path (not recorded)"
  for t in direct pgha haproxy; do
    "$PGBIN/pgbench" -n -h 127.0.0.1 -p "${PORT_OF[$t]}" -U postgres -c "$CLIENTS" -j "$JOBS" -T "$WARMUP" -S bench \
      >/dev/null 2>&1 || die "warm-up through $t failed"
  done
fi

TARGETS=(direct pgha haproxy)
for ((round = 1; round <= ROUNDS; round++)); do
  order=()
  for i in 0 1 2; do order+=("${TARGETS[$(((i + round - 1) % 3))]}"); done
  for mode in select-only tpcb-like; do
    flag=""; [[ $mode == select-only ]] && flag="-S"
    for target in "${order[@]}"; do
      port=${PORT_OF[$target]}
      cmd="pgbench -h 127.0.0.1 -p $port -U postgres -c $CLIENTS -j $JOBS -T $DURATION $flag bench"
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      pid=${PID_OF[$target]}
      c0=$(cpu_ticks "$pid")
      # shellcheck disable=SC2086
      res=$("$PGBIN/pgbench" ${cmd#pgbench } 2>&1) || die "pgbench through $target failed: $res"
      c1=$(cpu_ticks "$pid")
      tps=$(sed -n 's/^tps = \([0-9.]*\) (\(without initial connection time\|excluding connections establishing\)).*/\1/p' <<<"$res")
      lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$res")
      txn=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$res")
      failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$res")
      [[ -n $tps ]] || die "no TPS in pgbench output: $res"
      line=$(jq -cn --arg mode "$mode" --arg target "$target" --argjson round "$round" --argjson port "$port" \
        --arg tps "$tps" --arg lat "${lat:-0}" --arg txn "${txn:-0}" --arg failed "${failed:-0}" --arg load "$load" \
        --arg cpu "$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')" \
        --arg cmd "$cmd" --arg at "$(date -u +%FT%TZ)" --arg pg "$PGVERSION" \
        '{kind:"pgbench",mode:$mode,target:$target,round:$round,port:$port,tps:($tps|tonumber),
          lat_ms:($lat|tonumber),txns:($txn|tonumber),failed:($failed|tonumber),loadavg_before:$load,
          proxy_cpu_s:($cpu|tonumber),cmd:$cmd,at:$at,postgres:$pg}')
      echo "$line" >>"$OUT"
      log "round $round $mode $target: $tps tps, lat $lat ms, load $load, proxy cpu $(jq -r .proxy_cpu_s <<<"$line") s"
    done
  done
done

log "raw results: $OUT"
/usr/bin/env python3 "$ROOT/bench/summarize_throughput.py" "$OUT"
