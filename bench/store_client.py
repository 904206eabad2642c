#!/usr/bin/env python3
"""Store benchmark client: the same client for etcd 3.4 and pgha, over the etcd v3 JSON gateway.

Each client thread holds one keep-alive HTTP/1.1 connection and POSTs /v3/kv/put (or /v3/kv/range,
linearizable: serializable false) back to back. Concurrent cases run 4 processes x 4 threads so that
Python's GIL does not cap the client. Keys: 8 bytes from a space of 10 000; values: 256 bytes (as the
peer's bench.py, method 6). Standard library only.

  store_client.py wait  --endpoints 22379,22381,22383
  store_client.py run   --etcd 22379,22381,22383 --etcd-pids 1,2,3 --pgha 23379,... --pgha-pids ...
                        --seconds 10 --reps 3 --out results.jsonl
  store_client.py table results.jsonl
"""
import argparse
import base64
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time

KEY_SPACE = 10000
VAL_SIZE = 256
HOST = os.environ.get('BENCH_HOST', '127.0.0.1')


def b64(b):
    return base64.b64encode(b).decode()


def post(port, path, body, timeout=5):
    c = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        c.request('POST', path, body=body, headers={'Content-Type': 'application/json'})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def _worker(args):
    port, op, seconds, wid, threads, start_at = args
    lats = []
    errors = []
    lock = threading.Lock()
    val = b64(b'v' * VAL_SIZE)
    path = '/v3/kv/put' if op == 'put' else '/v3/kv/range'

    def th(tid):
        c = http.client.HTTPConnection(HOST, port, timeout=10)
        mine = []
        n = 0
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        while True:
            t = time.perf_counter()
            if time.time() >= end:
                break
            key = b64(('k%07d' % ((wid * 1000003 + tid * 7919 + n) % KEY_SPACE)).encode())
            if op == 'put':
                body = '{"key":"%s","value":"%s"}' % (key, val)
            else:
                body = '{"key":"%s","serializable":false}' % key
            try:
                c.request('POST', path, body=body, headers={'Content-Type': 'application/json'})
                r = c.getresponse()
                data = r.read()
                status = r.status
            except (OSError, http.client.HTTPException) as e:  # a timeout (10 s) or a dropped connection
                status, data = type(e).__name__, b''
                c.close()
                c = http.client.HTTPConnection(HOST, port, timeout=10)
            if status != 200:
                with lock:
                    errors.append('%s %s' % (status, data[:200]))
                n += 1
                continue
            mine.append(time.perf_counter() - t)
            n += 1
        c.close()
        with lock:
            lats.extend(mine)

    c0 = time.process_time()
    ts = [threading.Thread(target=th, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return lats, time.process_time() - c0, errors


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


def proc_cpu_s(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            f_ = f.read().rsplit(')', 1)[1].split()
        return (int(f_[11]) + int(f_[12])) / os.sysconf('SC_CLK_TCK')
    except OSError:
        return 0.0


def leader_port(ports):
    for port in ports:
        try:
            st, body = post(port, '/v3/maintenance/status', '{}', timeout=3)
            s = json.loads(body)
            if st == 200 and s.get('leader') and s.get('leader') == s.get('header', {}).get('member_id'):
                return port
        except (OSError, ValueError, http.client.HTTPException):
            pass
    return None


def etcd_fsyncs(port):
    """the leader's WAL fsync count and sum (etcd's /metrics); None for a server without them."""
    try:
        c = http.client.HTTPConnection(HOST, port, timeout=3)
        c.request('GET', '/metrics')
        r = c.getresponse()
        body = r.read().decode(errors='replace')
        c.close()
    except (OSError, http.client.HTTPException):
        return None
    out = {}
    for ln in body.splitlines():
        for n in ('etcd_disk_wal_fsync_duration_seconds_count', 'etcd_disk_wal_fsync_duration_seconds_sum'):
            if ln.startswith(n + ' '):
                out[n] = float(ln.split()[1])
    return out if len(out) == 2 else None


def run_case(system, case, ports, pids, seconds):
    lp = leader_port(ports)
    if case == 'put-sequential-leader':
        op, targets = 'put', [(lp, 1)]
    elif case == 'put-sequential-follower':
        op, targets = 'put', [([p for p in ports if p != lp][0], 1)]
    elif case == 'put-16-concurrent-all-members':
        op, targets = 'put', [(ports[i % 3], 4) for i in range(4)]
    else:  # get-16-concurrent-all-members
        op, targets = 'range', [(ports[i % 3], 4) for i in range(4)]
    start_at = time.time() + 1.0
    load = os.getloadavg()
    m0 = etcd_fsyncs(lp) if system == 'etcd' else None
    with multiprocessing.Pool(len(targets)) as pool:
        cpu0 = [proc_cpu_s(p) for p in pids]
        parts = pool.map(_worker, [(port, op, seconds, i, th, start_at) for i, (port, th) in enumerate(targets)])
        cpu1 = [proc_cpu_s(p) for p in pids]
    m1 = etcd_fsyncs(lp) if system == 'etcd' else None
    lats = [x for p, _, _ in parts for x in p]
    errors = [e for _, _, es in parts for e in es]
    # a failed request is counted in errors, not in ops or latencies
    rec = {'system': system, 'case': case, 'clients': sum(t for _, t in targets), 'seconds': seconds,
           'ops': len(lats), 'ops_per_s': round(len(lats) / seconds, 1),
           'lat_ms_p50': round(pct(lats, 50) * 1000, 3) if lats else None,
           'lat_ms_p99': round(pct(lats, 99) * 1000, 3) if lats else None,
           'lat_ms_mean': round(statistics.mean(lats) * 1000, 3) if lats else None,
           'lat_ms_max': round(max(lats) * 1000, 3) if lats else None,
           'errors': errors[:5], 'error_count': len(errors),
           'client_cpu_s': round(sum(c for _, c, _ in parts), 2),
           'server_cpu_s': [round(b - a, 2) for a, b in zip(cpu0, cpu1)],
           'loadavg_1m_start': round(load[0], 2), 'loadavg_1m_end': round(os.getloadavg()[0], 2),
           'leader_port': lp, 'endpoints': sorted(set(p for p, _ in targets)),
           'key_size': 8, 'val_size': VAL_SIZE, 'time': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}
    if m0 and m1:
        n = m1['etcd_disk_wal_fsync_duration_seconds_count'] - m0['etcd_disk_wal_fsync_duration_seconds_count']
        s = m1['etcd_disk_wal_fsync_duration_seconds_sum'] - m0['etcd_disk_wal_fsync_duration_seconds_sum']
        rec['leader_wal_fsyncs'] = int(n)
        rec['leader_wal_fsync_mean_ms'] = round(s / n * 1000, 3) if n else None
        rec['ops_per_leader_fsync'] = round(len(lats) / n, 2) if n else None
    return rec


CASES = ['put-sequential-leader', 'put-sequential-follower', 'put-16-concurrent-all-members', 'get-16-concurrent-all-members']


def cmd_run(a):
    systems = {'etcd': ([int(x) for x in a.etcd.split(',')], [int(x) for x in a.etcd_pids.split(',')]),
               'pgha': ([int(x) for x in a.pgha.split(',')], [int(x) for x in a.pgha_pids.split(',')])}
    for system in ('etcd', 'pgha'):  # JIT warm-up for the JVM; etcd gets the same, not recorded
        if a.warmup > 0:
            rec = run_case(system, 'put-16-concurrent-all-members', *systems[system], a.warmup)
            print('%-4s warm-up %.0f s: %.1f puts/s, p99 %.2f ms' % (system, a.warmup, rec['ops_per_s'],
                                                                  rec['lat_ms_p99'] or -1), flush=True)
    with open(a.out, 'a') as out:
        for rep in range(1, a.reps + 1):
            for case in CASES:
                # alternate which system goes first, so neither always runs right after the other's load
                order = ['etcd', 'pgha'] if rep % 2 == 1 else ['pgha', 'etcd']
                for system in order:
                    ports, pids = systems[system]
                    rec = run_case(system, case, ports, pids, a.seconds)
                    rec['rep'] = rep
                    out.write(json.dumps(rec) + '\n')
                    out.flush()
                    print('%-4s rep %d %-31s %8.1f ops/s  p50 %7.2f ms  p99 %7.2f ms  load %5.1f  errors %d'
                          % (system, rep, case, rec['ops_per_s'], rec['lat_ms_p50'] or -1,
                             rec['lat_ms_p99'] or -1, rec['loadavg_1m_start'], rec['error_count']), flush=True)
                    time.sleep(1)


def cmd_wait(a):
    ports = [int(x) for x in a.endpoints.split(',')]
    deadline = time.time() + a.timeout
    body = '{"key":"%s","value":"%s"}' % (b64(b'bench-ready'), b64(b'1'))
    pending = set(ports)
    while pending and time.time() < deadline:
        for p in sorted(pending):
            try:
                st, _ = post(p, '/v3/kv/put', body, timeout=5)
                if st == 200 and leader_port(ports):
                    pending.discard(p)
            except (OSError, http.client.HTTPException):
                pass
        if pending:
            time.sleep(0.5)
    if pending:
        print('not ready: %s' % sorted(pending), file=sys.stderr)
        sys.exit(1)


def fmt(x, nd=1):
    return '-' if x is None else ('%.*f' % (nd, x))


def cmd_table(a):
    recs = [json.loads(ln) for ln in open(a.file) if ln.strip()]
    for case in CASES:
        rows = {s: [r for r in recs if r['case'] == case and r['system'] == s] for s in ('etcd', 'pgha')}
        if not rows['etcd'] and not rows['pgha']:
            continue
        print('\n### %s (%s clients, %s s per run)\n' % (case, (rows['etcd'] or rows['pgha'])[0]['clients'],
                                                      (rows['etcd'] or rows['pgha'])[0]['seconds']))
        print('| rep | etcd ops/s | etcd p50 ms | etcd p99 ms | load | pgha ops/s | pgha p50 ms | pgha p99 ms | load '
              '| ops/s pgha/etcd | p99 pgha/etcd |')
        print('|---|---|---|---|---|---|---|---|---|---|---|')
        ratios_t, ratios_p = [], []
        reps = sorted(set(r['rep'] for r in rows['etcd'] + rows['pgha']))
        for rep in reps:
            e = next((r for r in rows['etcd'] if r['rep'] == rep), None)
            p = next((r for r in rows['pgha'] if r['rep'] == rep), None)
            rt = rp = None
            if e and p and e['ops_per_s'] and p['ops_per_s']:
                rt = p['ops_per_s'] / e['ops_per_s']
                rp = p['lat_ms_p99'] / e['lat_ms_p99']
                ratios_t.append(rt)
                ratios_p.append(rp)
            cell = lambda r, k, nd=1: fmt(r[k], nd) if r else '-'  # noqa: E731
            print('| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                rep, cell(e, 'ops_per_s'), cell(e, 'lat_ms_p50', 2), cell(e, 'lat_ms_p99', 2),
                cell(e, 'loadavg_1m_start'), cell(p, 'ops_per_s'), cell(p, 'lat_ms_p50', 2),
                cell(p, 'lat_ms_p99', 2), cell(p, 'loadavg_1m_start'), fmt(rt, 2), fmt(rp, 2)))

        def med(rs, k):
            vs = [r[k] for r in rs if r[k] is not None]
            return statistics.median(vs) if vs else None
        print('| **median** | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            fmt(med(rows['etcd'], 'ops_per_s')), fmt(med(rows['etcd'], 'lat_ms_p50'), 2),
            fmt(med(rows['etcd'], 'lat_ms_p99'), 2), fmt(med(rows['etcd'], 'loadavg_1m_start')),
            fmt(med(rows['pgha'], 'ops_per_s')), fmt(med(rows['pgha'], 'lat_ms_p50'), 2),
            fmt(med(rows['pgha'], 'lat_ms_p99'), 2), fmt(med(rows['pgha'], 'loadavg_1m_start')),
            fmt(statistics.median(ratios_t) if ratios_t else None, 2),
            fmt(statistics.median(ratios_p) if ratios_p else None, 2)))
        for s in ('etcd', 'pgha'):
            cpu = [sum(r['server_cpu_s']) / r['seconds'] for r in rows[s]]
            per_op = [sum(r['server_cpu_s']) / r['ops'] * 1000 for r in rows[s] if r['ops']]
            extra = ''
            f = [r.get('ops_per_leader_fsync') for r in rows[s] if r.get('ops_per_leader_fsync')]
            if f:
                extra = ', ops per leader WAL fsync %s' % fmt(statistics.median(f), 2)
            errs = sum(r['error_count'] for r in rows[s])
            if cpu:
                print('\n%s: server CPU %s core-s per s, %s ms per op (3 members, median)%s; errors %d'
                      % (s, fmt(statistics.median(cpu), 2), fmt(statistics.median(per_op) if per_op else None, 2),
                         extra, errs), end='')
        print()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    w = sub.add_parser('wait')
    w.add_argument('--endpoints', required=True)
    w.add_argument('--timeout', type=float, default=120)
    r = sub.add_parser('run')
    for k in ('--etcd', '--etcd-pids', '--pgha', '--pgha-pids', '--out'):
        r.add_argument(k, required=True)
    r.add_argument('--seconds', type=float, default=10)
    r.add_argument('--reps', type=int, default=3)
    r.add_argument('--warmup', type=float, default=10)
    t = sub.add_parser('table')
    t.add_argument('file')
    a = ap.parse_args()
    {'wait': cmd_wait, 'run': cmd_run, 'table': cmd_table}[a.cmd](a)


if __name__ == '__main__':
    main()
