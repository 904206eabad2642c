#!/usr/bin/python3
"""Drives the pgha side of bench/failover_e2e.sh against a running `pgha demo` (127.0.0.11-13, real ports).

  failover   --dir D --runs N --out F.jsonl    SIGKILL the primary node (agent + postmaster tree), measure, restart
  switchover --dir D --runs N --out F.jsonl --jar J   `pgha switchover` under the same probe
  wait-formed --dir D                          block until one leader and two streaming replicas
  table --pgha F.jsonl --peer DIR --label L    the side-by-side table (peer: DIR/{failover,switchover}.jsonl)

One JSON document per run goes to stdout and to --out. Figures use the peer's definitions (shared/peer/bench.py):
failover unavailability = first acknowledged write sent after the kill minus the last acknowledged before it;
switchover unavailability = the largest gap between consecutive acknowledgements after the command.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
NODES = {'node1': '127.0.0.11', 'node2': '127.0.0.12', 'node3': '127.0.0.13'}
REST_PORT, RW_PORT, PG_PORT = 8008, 5432, 5442
REJOIN_TIMEOUT = 300


def log(*a):
    print('[%s]' % time.strftime('%H:%M:%S'), *a, file=sys.stderr, flush=True)


def cluster(names=None):
    """GET /cluster from the first node that answers (only those in `names`, when given)."""
    for name in names or NODES:
        try:
            with urllib.request.urlopen('http://%s:%d/cluster' % (NODES[name], REST_PORT), timeout=2) as r:
                return json.loads(r.read())
        except Exception:
            continue
    return None


def formed(cl):
    ms = (cl or {}).get('members', [])
    leaders = [m['name'] for m in ms if m.get('role') == 'leader']
    streaming = [m['name'] for m in ms if m.get('state') == 'streaming']
    return leaders[0] if len(leaders) == 1 and len(streaming) >= 2 else None


def wait_formed(timeout):
    end = time.time() + timeout
    while time.time() < end:
        leader = formed(cluster())
        if leader:
            return leader
        time.sleep(0.2)
    raise RuntimeError('no leader with two streaming replicas after %d s: %s' % (timeout, cluster()))


def password(d):
    with open(os.path.join(d, 'superuser.pw')) as f:
        return f.read().strip()


def sql(d, host, port, query, args=None):
    c = psycopg2.connect(host=host, port=port, user='postgres', password=password(d), dbname='postgres',
                         connect_timeout=3)
    c.autocommit = True
    try:
        with c.cursor() as cur:
            cur.execute(query, args)
            return cur.fetchall() if cur.description else None
    finally:
        c.close()


def agent_process(d, name):
    """(pid, argv, cwd) of the agent running nodeN.yml of this demo, found by its command line as pgrep -f would."""
    conf = os.path.join(d, name + '.yml')
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                argv = [x.decode() for x in f.read().split(b'\0') if x]
            cwd = os.readlink('/proc/%s/cwd' % pid)
        except OSError:
            continue
        if 'io.pgha.core.cli.Main' in argv and 'run' in argv and conf in argv:
            return int(pid), argv, cwd
    return None


def postmaster_tree(d, name):
    with open(os.path.join(d, name, 'pgdata', 'postmaster.pid')) as f:
        pm = int(f.readline())
    try:
        with open('/proc/%d/task/%d/children' % (pm, pm)) as f:
            return [pm] + [int(x) for x in f.read().split()]
    except OSError:
        return [pm]


def start_probe(d, host, run_id, out):
    return subprocess.Popen([sys.executable, os.path.join(HERE, 'write_probe.py'), '--host', host, '--port',
                             str(RW_PORT), '--password-file', os.path.join(d, 'superuser.pw'), '--run-id', run_id,
                             '--out', out, '--max-seconds', '900'])


def stop_probe(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)


def read_probe(path):
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            p = line.rstrip('\n').split(',', 4)
            if len(p) >= 4:
                rows.append({'seq': int(p[0]), 'send': float(p[1]), 'done': float(p[2]), 'ok': p[3] == 'ok',
                             'detail': p[4] if len(p) > 4 else ''})
    return rows


def wait_writes_back(out, t_event, old, survivors, settle, timeout):
    """Until a new leader shows and the probe has `settle` s of acknowledged writes sent after the event."""
    end = time.time() + timeout
    while time.time() < end:
        leader = (cluster(survivors) or {}).get('leader')
        acks = [r for r in read_probe(out) if r['ok'] and r['send'] > t_event]
        if leader and leader != old and acks and acks[-1]['done'] - acks[0]['send'] >= settle:
            return leader
        time.sleep(0.2)
    return None


def analyse(d, out, t_event, run_id, new_leader):
    rows = read_probe(out)
    acks = [r for r in rows if r['ok']]
    before = [r['done'] for r in acks if r['done'] <= t_event]
    after = [r['done'] for r in acks if r['send'] > t_event]
    done = sorted(r['done'] for r in acks)
    gap = max([b - a for a, b in zip(done, done[1:]) if b > t_event] or [0.0])
    failed = [r for r in rows if not r['ok'] and r['send'] >= (before[-1] if before else t_event)]
    kinds = {}
    for r in failed:
        kinds[r['detail'][:70]] = kinds.get(r['detail'][:70], 0) + 1
    present = {s for (s,) in sql(d, NODES[new_leader], PG_PORT, 'SELECT seq FROM e2e_probe WHERE run_id = %s',
                                 (run_id,))}
    lost = sorted({r['seq'] for r in acks} - present)
    return {'attempts': len(rows), 'acked': len(acks), 'failed_attempts': len(failed),
            # the longest stretch without an acknowledged write around the event: a write sent just after the kill can
            # still be acknowledged by the dying primary, so "first ack sent after the event" would hide the outage
            'unavailability_s': round(gap, 3) if before and after else None,
            'event_to_first_ack_s': round(min(after) - t_event, 3) if after else None,
            'max_ack_gap_s': round(gap, 3), 'lost_acked_writes': len(lost), 'lost_seqs': lost[:20],
            'error_kinds': kinds}


def prepare_run(d, kind, k):
    old = wait_formed(300)
    sql(d, NODES[old], PG_PORT, 'CREATE TABLE IF NOT EXISTS e2e_probe (run_id text, seq bigint, t_send float8,'
                                ' PRIMARY KEY (run_id, seq))')
    run_id = 'pgha-%s-%d-%d' % (kind, k, int(time.time()))
    os.makedirs(os.path.join(HERE, 'results', 'probe'), exist_ok=True)
    return old, run_id, os.path.join(HERE, 'results', 'probe', run_id + '.csv')


def failover_run(a, k):
    old, run_id, out = prepare_run(a.dir, 'failover', k)
    survivors = sorted(n for n in NODES if n != old)
    # a cloud load balancer sends to any healthy node: the probe goes through a node that survives
    probe = start_probe(a.dir, NODES[survivors[0]], run_id, out)
    agent = agent_process(a.dir, old)
    if agent is None:
        stop_probe(probe)
        raise RuntimeError('no agent process for ' + old)
    time.sleep(a.pre)
    victims = [agent[0]] + postmaster_tree(a.dir, old)
    t_kill = time.time()
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    log('run', run_id, 'killed', old, 'pids', victims, 'probe via', survivors[0])
    new = wait_writes_back(out, t_kill, old, survivors, a.settle, a.timeout)
    stop_probe(probe)
    doc = {'mode': 'failover', 'run_id': run_id, 'old_leader': old, 'new_leader': new, 'probe_via': survivors[0],
           'killed_pids': len(victims), 't_kill': t_kill}
    if new is None:
        doc['error'] = 'writes through %s did not come back within %d s' % (survivors[0], a.timeout)
        doc['survivors_seen'] = {n: survivor_view(a.dir, n) for n in survivors}
    else:
        doc.update(analyse(a.dir, out, t_kill, run_id, new))
    doc['rejoin'] = restart_agent(a.dir, old, agent)
    return doc


def survivor_view(d, name):
    """What a surviving node says after a failed run: its /cluster leader, and where its RW port leads."""
    view = {'leader': (cluster([name]) or {}).get('leader')}
    try:
        view['rw_in_recovery'] = sql(d, NODES[name], RW_PORT, 'SELECT pg_is_in_recovery()')[0][0]
    except Exception as e:
        view['rw_error'] = str(e).strip().splitlines()[0][:150]
    return view


def start_agent(d, name, argv, cwd):
    with open(os.path.join(d, name + '.log'), 'ab') as logf:
        p = subprocess.Popen(argv, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    with open(os.path.join(d, 'restarted.pids'), 'a') as f:
        f.write('%d %s\n' % (p.pid, name))
    return p.pid


def restart_agent(d, name, agent):
    """Starts the killed agent again with the demo's own command line, and waits for the cluster to heal.

    With HEAL_BLIND=1, a survivor that still does not see the cluster after HEAL_AFTER seconds gets its agent
    restarted too (SIGTERM, Postgres keeps running): on main a member whose store client lacks the new store
    leader stays blind until restarted (see bench/RESULTS.md). The document records it as blind_restarted."""
    t0 = time.time()
    doc = {'node': name, 'pid': start_agent(d, name, agent[1], agent[2])}
    heal_blind = os.environ.get('HEAL_BLIND') == '1'
    try:
        wait_formed(float(os.environ.get('HEAL_AFTER', '90')) if heal_blind else REJOIN_TIMEOUT)
    except RuntimeError as e:
        if not heal_blind:
            return dict(doc, error=str(e)[:300])
        doc['blind_restarted'] = restart_blind(d, name)
        try:
            wait_formed(REJOIN_TIMEOUT)
        except RuntimeError as e2:
            return dict(doc, error=str(e2)[:300])
    return dict(doc, healed_s=round(time.time() - t0, 3))


def restart_blind(d, rejoined):
    """Restarts the agents of members that are neither the primary (by Postgres itself) nor just restarted."""
    restarted = []
    for n in NODES:
        if n == rejoined:
            continue
        try:
            if not sql(d, NODES[n], PG_PORT, 'SELECT pg_is_in_recovery()')[0][0]:
                continue
        except Exception:
            pass
        agent = agent_process(d, n)
        if agent is None:
            continue
        os.kill(agent[0], signal.SIGTERM)
        for _ in range(600):
            if not os.path.exists('/proc/%d' % agent[0]):
                break
            time.sleep(0.1)
        start_agent(d, n, agent[1], agent[2])
        restarted.append(n)
    log('restarted blind agents', restarted)
    return restarted


def switchover_run(a, k):
    old, run_id, out = prepare_run(a.dir, 'switchover', k)
    others = sorted(n for n in NODES if n != old)
    cand, via = others[0], others[1]
    probe = start_probe(a.dir, NODES[via], run_id, out)
    time.sleep(a.pre)
    t_cmd = time.time()
    cp = subprocess.run(['java', '-jar', a.jar, 'switchover', '--host', NODES[via], '--leader', old,
                         '--candidate', cand, '--force'], capture_output=True, text=True)
    t_ret = time.time()
    said = (cp.stdout + cp.stderr).strip()
    doc = {'mode': 'switchover', 'run_id': run_id, 'old_leader': old, 'candidate': cand, 'probe_via': via,
           'cli_rc': cp.returncode, 'cli_output': said.splitlines()[-3:], 'cli_s': round(t_ret - t_cmd, 3)}
    if cp.returncode != 0:
        stop_probe(probe)
        doc['available'] = False
        return doc
    new = wait_writes_back(out, t_cmd, old, list(NODES), a.settle, a.timeout)
    stop_probe(probe)
    doc['new_leader'] = new
    if new is None:
        doc['error'] = 'no new leader with writes within %d s' % a.timeout
    else:
        doc.update(analyse(a.dir, out, t_cmd, run_id, new))
        doc['unavailability_s'] = doc['max_ack_gap_s']
    return doc


def cmd_runs(a, one):
    with open(a.out, 'a') as f:
        for k in range(1, a.runs + 1):
            doc = one(a, k)
            doc['loadavg'] = os.getloadavg()
            line = json.dumps(doc)
            print(line, flush=True)
            f.write(line + '\n')
            f.flush()
            # a run whose writes did not come back is a result; a cluster that did not heal ends the series
            if doc.get('available') is False or 'error' in doc.get('rejoin', {}) or doc.get('error', '').startswith('no'):
                log('stopping after run', k, ':', doc.get('error') or doc.get('rejoin') or doc.get('cli_output'))
                return


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(x) for x in f if x.strip()]


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x):
    if x == float('inf'):
        return 'never'
    return '-' if x is None else ('%.3f' % x if isinstance(x, float) else str(x))


def cmd_table(a):
    mine = load(a.pgha)
    peer_fo = [d for d in load(os.path.join(a.peer, 'failover.jsonl')) if d.get('label') == a.label]
    peer_so = [d for d in load(os.path.join(a.peer, 'switchover.jsonl')) if d.get('label') == a.label]
    fo = [d for d in mine if d['mode'] == 'failover' and 'error' not in d]
    fo_all = [d for d in mine if d['mode'] == 'failover']
    so = [d for d in mine if d['mode'] == 'switchover']
    so_ok = [d for d in so if d.get('available', True) and 'error' not in d]
    # a run whose writes never came back counts as unavailable for ever (inf) in the median
    rows = [('failover: write unavailability, s', [d.get('unavailability_s', float('inf')) for d in fo_all],
             [d.get('unavailability_s') for d in peer_fo]),
            ('failover: acknowledged writes lost (max per run)', [d['lost_acked_writes'] for d in fo],
             [d.get('lost_acked_writes') for d in peer_fo]),
            ('failover: failed attempts (probe 20 ms; peer 50 ms)', [d['failed_attempts'] for d in fo], [d.get('errors') for d in peer_fo]),
            ('failover: old primary back, cluster healed, s', [d['rejoin'].get('healed_s') for d in fo],
             [(d.get('rejoin') or {}).get('rejoin_streaming_s') for d in peer_fo])]
    if so or peer_so:
        rows += [('switchover: write unavailability (largest ack gap), s', [d['unavailability_s'] for d in so_ok],
                  [d.get('max_ack_gap_s') for d in peer_so]),
                 ('switchover: failed attempts (probe 20 ms; peer 50 ms)', [d['failed_attempts'] for d in so_ok],
                  [d.get('errors') for d in peer_so])]
    print('| figure | pgha median (n) | peer median (n, %s) | ratio pgha/peer |' % a.label)
    print('|---|---|---|---|')
    for name, p, q in rows:
        p, q = [x for x in p if x is not None], [x for x in q if x is not None]
        agg = max if 'lost' in name else median
        mp, mq = (agg(p) if p else None), (agg(q) if q else None)
        # counts are not ratios: the pgha probe writes every 20 ms, the peer's every 50 ms
        ratio = '%.2f' % (mp / mq) if name.endswith(', s') and mp not in (None, float('inf')) and mq else '-'
        print('| %s | %s (%d) | %s (%d) | %s |' % (name, fmt(mp), len(p), fmt(mq), len(q), ratio))
    if so and not so_ok:
        d = so[0]
        print('\npgha switchover: not available in this build (exit %s: %s)' % (d.get('cli_rc'),
              ' / '.join(d.get('cli_output') or []) or d.get('error')))
    bad = [d for d in mine if 'error' in d or 'error' in d.get('rejoin', {})]
    for d in bad:
        print('pgha run %s: %s %s %s' % (d['run_id'], d.get('error', ''), d.get('rejoin', {}).get('error', ''),
                                         json.dumps(d.get('survivors_seen', ''))))


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest='cmd', required=True)
    for name in ('failover', 'switchover'):
        s = sp.add_parser(name)
        s.add_argument('--dir', required=True)
        s.add_argument('--runs', type=int, default=5)
        s.add_argument('--out', required=True)
        s.add_argument('--jar')
        s.add_argument('--pre', type=float, default=3.0)
        s.add_argument('--settle', type=float, default=3.0)
        s.add_argument('--timeout', type=float, default=120)
    w = sp.add_parser('wait-formed')
    w.add_argument('--timeout', type=float, default=300)
    t = sp.add_parser('table')
    t.add_argument('--pgha', required=True)
    t.add_argument('--peer', required=True)
    t.add_argument('--label', default='aggressive')
    a = ap.parse_args()
    if a.cmd == 'failover':
        cmd_runs(a, failover_run)
    elif a.cmd == 'switchover':
        cmd_runs(a, switchover_run)
    elif a.cmd == 'wait-formed':
        print(wait_formed(a.timeout))
    else:
        cmd_table(a)


if __name__ == '__main__':
    main()
