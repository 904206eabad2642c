#!/usr/bin/env bash
# Bootstrap time of a pgha cluster: three empty nodes -> one primary and two streaming replicas.
# Three `java -jar pgha.jar run` processes (node2 and node3 with --join node1) are started at once on three loopback
# addresses; t0 is taken just before they are launched (no store runs before: forming the store is counted). The run
# is done when the primary's pg_stat_replication shows 2 replicas streaming AND its GET /cluster shows the leader and
# 2 streaming members (the later of the two, as the peer's bench.py wait-ready measures Patroni).
# Prints each run, the median of RUNS, and the ratio to the peer's Patroni figure (6.2-6.8 s, etcd already running).
#
# Usage: bench/bootstrap.sh            (RUNS=5 ADDRS="127.0.0.61 127.0.0.62 127.0.0.63" JAR=packaging/target/pgha.jar)
# Needs: root (Postgres runs as the postgres OS user), PostgreSQL 15, curl, a built pgha.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
read -r -a ADDR <<< "${ADDRS:-127.0.0.61 127.0.0.62 127.0.0.63}"
JAR=${JAR:-packaging/target/pgha.jar}
TIMEOUT=${TIMEOUT:-120}
PEER_LOW=6.2
PEER_HIGH=6.8
PSQL=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null)/psql
[ -f "$JAR" ] || { echo "bench/bootstrap.sh: $JAR not found: run 'mvn -B -q -DskipTests package' first" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/bootstrap.sh: run as root (Postgres runs as the postgres user)" >&2; exit 2; }

PIDS=()
DIR=""
cleanup() {
    for i in 0 1 2; do
        [ -n "$DIR" ] && [ -d "$DIR/node$((i + 1))" ] && echo bench > "$DIR/node$((i + 1))/stop-postgres"
    done
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    PIDS=()
    if [ -n "$DIR" ]; then
        for i in 1 2 3; do   # an agent killed before it stopped its Postgres leaves it running: stop it here
            pgdata="$DIR/node$i/pgdata"
            if [ -f "$pgdata/postmaster.pid" ]; then
                setpriv --reuid=postgres --regid=postgres --init-groups /usr/lib/postgresql/15/bin/pg_ctl \
                    -D "$pgdata" stop -m immediate >/dev/null 2>&1 || true
            fi
        done
        rm -rf "$DIR"
        DIR=""
    fi
}
trap cleanup EXIT INT TERM

ports() {  # the same ports on every node's own address (as pgha demo does); the REST port must match across nodes
    cat <<YAML
store:
  client_port: 2379
  peer_port: 2380
postgres:
  port: 5442
  parameters:
    shared_buffers: 32MB
    max_connections: 50
rest:
  listen: $1
  port: 8008
proxy:
  listen: $1
YAML
}

now() { date +%s.%N; }

one_run() {
    DIR=$(mktemp -d /var/tmp/pgha-bench-bootstrap-XXXXXX)
    chmod 755 "$DIR"
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DIR/token"
    chmod 600 "$DIR/token"
    for i in 1 2 3; do
        { printf 'cluster:\n  name: bench\n  token_file: %s\nnode:\n  name: node%s\n  address: %s\n  data_dir: %s\n' \
            "$DIR/token" "$i" "${ADDR[$((i - 1))]}" "$DIR/node$i"; ports "${ADDR[$((i - 1))]}"; } > "$DIR/node$i.yml"
    done
    local t0 t_repl="" t_api="" t now_s
    t0=$(now)
    java -jar "$JAR" run --config "$DIR/node1.yml" > "$DIR/node1.log" 2>&1 &
    PIDS+=($!)
    for i in 2 3; do
        java -jar "$JAR" run --config "$DIR/node$i.yml" --join "${ADDR[0]}" > "$DIR/node$i.log" 2>&1 &
        PIDS+=($!)
    done
    while :; do
        t=$(now)
        if [ -z "$t_repl" ]; then
            n=$(setpriv --reuid=postgres --regid=postgres --init-groups "$PSQL" -h "$DIR/node1/run" -p 5442 -At \
                -d postgres -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null || true)
            [ "$n" = 2 ] && t_repl=$t
        fi
        if [ -z "$t_api" ]; then
            body=$(curl -s -m 1 "http://${ADDR[0]}:8008/cluster" || true)
            if [ "$(grep -o '"state":"streaming"' <<< "$body" | wc -l)" = 2 ] && grep -q '"role":"leader"' <<< "$body"
            then t_api=$t; fi
        fi
        [ -n "$t_repl" ] && [ -n "$t_api" ] && break
        if awk -v a="$t" -v b="$t0" -v m="$TIMEOUT" 'BEGIN { exit !(a - b > m) }'; then
            echo "run timed out after ${TIMEOUT}s; last log lines:" >&2; tail -n 5 "$DIR"/node*.log >&2; return 1
        fi
        sleep 0.1
    done
    RESULT=$(awk -v r="$t_repl" -v a="$t_api" -v z="$t0" \
        'BEGIN { printf "%.2f %.2f %.2f\n", (r > a ? r : a) - z, r - z, a - z }')
    # Where the time went, from the agents' own log lines (first occurrence of each step).
    for pat in "node1: store member" "bootstrap: initdb" "bootstrap: postgres started" "node1: acquire the leader" \
               "node2: clone from node1" "clone: done" "node2: following leader"; do
        line=$(grep -h -m1 "$pat" "$DIR"/node*.log 2>/dev/null | head -1 || true)
        [ -n "$line" ] && echo "    ${line:0:12} $pat"
    done
    cleanup
}

echo "pgha bootstrap benchmark: $RUNS runs, nodes on ${ADDR[*]}, $(date -u +%FT%TZ)"
echo "load before: $(uptime)"
results=()
for r in $(seq 1 "$RUNS"); do
    if one_run; then
        read -r total repl api <<< "$RESULT"
        echo "run $r: $total s (replicas streaming at $repl s, /cluster at $api s)"
        results+=("$total")
    else   # counted as TIMEOUT: the median stays honest (a lower bound for that run)
        cleanup
        echo "run $r: timed out, counted as >= $TIMEOUT s"
        results+=("$TIMEOUT")
    fi
done
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "load after: $(uptime)"
printf 'bootstrap, median of %s: pgha %.2f s | peer Patroni %s-%s s (etcd already running) | ratio pgha/peer %.2f-%.2f | target <= 5 s\n' \
    "$RUNS" "$median" "$PEER_LOW" "$PEER_HIGH" \
    "$(awk -v m="$median" -v p="$PEER_HIGH" 'BEGIN { print m / p }')" \
    "$(awk -v m="$median" -v p="$PEER_LOW" 'BEGIN { print m / p }')"
