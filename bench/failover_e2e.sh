#!/usr/bin/env bash
# End-to-end failover and switchover: pgha (`pgha demo`, 127.0.0.11-13) beside the peer (Patroni + etcd + HAProxy,
# ../shared/peer run from a copy), one after the other in the same run; prints figure, pgha median, peer median,
# ratio. A write probe inserts a row every 20 ms through a surviving node's RW proxy (:5432), 1 s connect timeout.
#
#   bench/failover_e2e.sh                  failover and switchover, 5 runs each, pgha then peer
#   MODES=failover RUNS=3 PEER=0 bench/failover_e2e.sh
#   SYNC=1 bench/failover_e2e.sh           pgha demo --sync (ha.synchronous_mode: on; peer PROFILE=sync)
#
# Env: RUNS (5), MODES ("failover switchover"), PEER (1), PEER_PROFILE (aggressive, or sync with SYNC=1),
# DEMO_DIR (/var/tmp/e2e-demo), PEER_RUN (/var/tmp/peer-run), PEER_SRC (../shared/peer beside the repo).
# The demo uses fixed addresses and ports, and the peer's up.sh refuses ports that are busy on any address, so the
# whole run holds /var/tmp/pgha-demo.lock and waits while another demo runs.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${E2E_LOCKED:-} ]]; then
  exec env E2E_LOCKED=1 flock /var/tmp/pgha-demo.lock "$0" "$@"
fi
RUNS=${RUNS:-5}
MODES=${MODES:-failover switchover}
PEER=${PEER:-1}
SYNC=${SYNC:-0}
PEER_PROFILE=${PEER_PROFILE:-$([[ $SYNC == 1 ]] && echo sync || echo aggressive)}
DEMO_DIR=${DEMO_DIR:-/var/tmp/e2e-demo}
PEER_RUN=${PEER_RUN:-/var/tmp/peer-run}
PEER_SRC=${PEER_SRC:-$REPO/../../shared/peer}
[[ -d $PEER_SRC ]] || PEER_SRC=/work/shared/peer
JAR=$REPO/packaging/target/pgha.jar
PY=/usr/bin/python3
DRIVER="$PY $REPO/bench/e2e_driver.py"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$REPO/bench/results
OUT=$RESULTS/e2e-$STAMP.jsonl
mkdir -p "$RESULTS"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# another pgha demo (a config on 127.0.0.11-13 outside DEMO_DIR) would own the same addresses and ports
other_demo() {
  local pid conf
  for pid in $(pgrep -f 'Main run --config' || true); do
    conf=$(tr '\0' '\n' </proc/"$pid"/cmdline 2>/dev/null | grep -A1 -x -- '--config' | tail -n1) || continue
    [[ -n $conf && $conf != "$DEMO_DIR"/* ]] && grep -qE '^  address: 127\.0\.0\.1[123]$' "$conf" 2>/dev/null \
      && { echo "$pid $conf"; return 0; }
  done
  return 1
}

stop_demo() {
  local line pid name
  [[ -n ${DEMO_PID:-} ]] || return 0
  # agents this run restarted after a kill are not the demo's children: stop them like the demo stops its own
  if [[ -f $DEMO_DIR/restarted.pids ]]; then
    while read -r pid name; do
      if tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | grep -qF "$DEMO_DIR/$name.yml"; then
        echo demo >"$DEMO_DIR/$name/stop-postgres"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    done <"$DEMO_DIR/restarted.pids"
  fi
  kill -TERM "$DEMO_PID" 2>/dev/null || true
  wait "$DEMO_PID" 2>/dev/null || true
  DEMO_PID=
  for n in node1 node2 node3; do
    if [[ -f $DEMO_DIR/$n/pgdata/postmaster.pid ]]; then
      pid=$(head -n1 "$DEMO_DIR/$n/pgdata/postmaster.pid")
      kill -0 "$pid" 2>/dev/null && { log "postmaster of $n ($pid) still up: fast shutdown"; kill -INT "$pid"; }
    fi
  done
}
cleanup() {
  stop_demo
  if [[ -n ${PEER_UP:-} ]]; then (cd "$PEER_RUN" && ./down.sh) || true; fi
}
trap cleanup EXIT

demo_formed() {
  for _ in $(seq 600); do
    grep -q 'one primary and two streaming replicas' "$RESULTS/e2e-$STAMP-demo.out" && return 0
    kill -0 "$DEMO_PID" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

run_pgha() {
  [[ -f $JAR ]] || (cd "$REPO" && mvn -o -B -q -DskipTests package)
  while other=$(other_demo); do log "another demo runs ($other); waiting"; sleep 15; done
  local flags=() attempt
  [[ $SYNC == 1 ]] && flags+=(--sync)
  # Up to three tries: on main a join can be refused while the other joiner changes the membership (see RESULTS.md)
  for attempt in 1 2 3; do
    rm -rf "$DEMO_DIR"
    log "pgha demo --dir $DEMO_DIR ${flags[*]} (try $attempt)"
    java -jar "$JAR" demo --dir "$DEMO_DIR" "${flags[@]}" >"$RESULTS/e2e-$STAMP-demo.out" 2>&1 &
    DEMO_PID=$!
    if demo_formed; then break; fi
    cat "$RESULTS/e2e-$STAMP-demo.out" >&2
    grep -h 'refused\|ERROR' "$DEMO_DIR"/node?.log | tail -n 3 >&2 || true
    stop_demo
    [[ $attempt == 3 ]] && { log "the demo did not form three times"; exit 1; }
  done
  grep -m1 'one primary and two streaming replicas' "$RESULTS/e2e-$STAMP-demo.out" >&2
  for mode in $MODES; do
    log "pgha $mode x$RUNS"
    $DRIVER "$mode" --dir "$DEMO_DIR" --runs "$RUNS" --jar "$JAR" --out "$OUT"
  done
  stop_demo
  # keep the agent logs of this run beside its results, then drop the data
  mkdir -p "$RESULTS/e2e-$STAMP-logs"
  for n in node1 node2 node3; do gzip -c "$DEMO_DIR/$n.log" >"$RESULTS/e2e-$STAMP-logs/$n.log.gz" || true; done
  rm -rf "$DEMO_DIR"
}

run_peer() {
  # a fresh copy each time, without the recorded results of earlier runs: results/ then holds only this run
  rm -rf "$PEER_RUN"
  cp -a "$PEER_SRC" "$PEER_RUN"
  rm -rf "$PEER_RUN/results"
  # The peer binds 127.0.0.1 only, but its up.sh refuses a port that any address uses, and other pgha tests on this
  # machine use 2379/2380/8008 on their own addresses: in this copy only 127.0.0.1 or a wildcard counts as busy.
  sed -i 's/^port_busy() {.*$/port_busy() { ss -Htln "sport = :$1" | awk '"'"'{print $4}'"'"' | grep -qE '"'"'^(127[.]0[.]0[.]1|0[.]0[.]0[.]0|[*]|[[]::[]]|[[]::ffff:127[.]0[.]0[.]1[]]):'"'"'; }/' "$PEER_RUN/ctl.sh"
  grep -q "awk '{print \$4}'" "$PEER_RUN/ctl.sh" || { log "could not narrow the peer's port check"; exit 1; }
  export PB_ROOT=$PEER_RUN/pbroot
  PEER_UP=1
  (cd "$PEER_RUN" && ./down.sh && PROFILE=$PEER_PROFILE ./up.sh)
  for mode in $MODES; do
    log "peer $mode x$RUNS ($PEER_PROFILE)"
    (cd "$PEER_RUN" && $PY bench.py "$mode" --runs "$RUNS" --label "$PEER_PROFILE" >/dev/null)
  done
  (cd "$PEER_RUN" && ./down.sh)
  PEER_UP=
}

log "start: $(uptime)"
run_pgha
[[ $PEER == 1 ]] && run_peer
echo
echo "pgha: $OUT   peer: $PEER_RUN/results (profile $PEER_PROFILE)"
$DRIVER table --pgha "$OUT" --peer "$PEER_RUN/results" --label "$PEER_PROFILE"
echo
echo "uptime: $(uptime)"
