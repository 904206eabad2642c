#!/usr/bin/python3
"""Write probe for the end-to-end failover benchmark: one INSERT every --interval seconds (20 ms) through
host:port (a pgha RW proxy), autocommit, a fresh connection after any error.

Each attempt is one CSV line, flushed as written:  seq,t_send,t_done,status,detail
status 'ok' means the server acknowledged the INSERT. Times are epoch seconds.

The connect timeout (1 s) is enforced here with psycopg2's asynchronous connection, because libpq's own
connect_timeout cannot go below 2 s. A statement without an answer after --query-timeout fails the attempt.
Stops on SIGTERM/SIGINT or after --max-seconds.
"""
import argparse
import select
import signal
import time

import psycopg2
import psycopg2.extensions


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--host', required=True)
    ap.add_argument('--port', type=int, default=5432)
    ap.add_argument('--user', default='postgres')
    ap.add_argument('--password-file', required=True)
    ap.add_argument('--run-id', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--interval', type=float, default=0.02)
    ap.add_argument('--connect-timeout', type=float, default=1.0)
    ap.add_argument('--query-timeout', type=float, default=2.0)
    ap.add_argument('--max-seconds', type=float, default=600)
    return ap.parse_args()


class ProbeTimeout(Exception):
    pass


def settle(conn, deadline, what):
    """Drives an asynchronous psycopg2 connection until its pending work is done or the deadline passes."""
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        left = deadline - time.time()
        if left <= 0:
            raise ProbeTimeout(what + ' timed out')
        fd = conn.fileno()
        if state == psycopg2.extensions.POLL_READ:
            select.select([fd], [], [], left)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [fd], [], left)


def open_connection(a, password):
    # keepalives and tcp_user_timeout bound a connection whose peer vanished without a FIN or RST
    conn = psycopg2.connect(host=a.host, port=a.port, user=a.user, password=password, dbname='postgres',
                            application_name='e2e-probe', async_=1, tcp_user_timeout=2000, keepalives=1,
                            keepalives_idle=1, keepalives_interval=1, keepalives_count=2)
    try:
        settle(conn, time.time() + a.connect_timeout, 'connect')
    except Exception:
        conn.close()
        raise
    return conn


def one_line(e):
    text = str(e).strip()
    return (text.splitlines()[0][:120] if text else type(e).__name__).replace(',', ';')


def main():
    a = parse_args()
    with open(a.password_file) as f:
        password = f.read().strip()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    conn = None
    seq = 0
    start = time.time()
    due = start
    with open(a.out, 'w', buffering=1) as out:
        out.write('seq,t_send,t_done,status,detail\n')
        while not stopping and time.time() - start < a.max_seconds:
            now = time.time()
            if now < due:
                time.sleep(due - now)
            # after a blocked connect, continue from now instead of firing the missed ticks in a burst
            due = max(due + a.interval, time.time())
            seq += 1
            t_send = time.time()
            try:
                if conn is None:
                    conn = open_connection(a, password)
                # keep the cursor referenced until the answer: an asynchronous cursor collected early loses it
                cur = conn.cursor()
                cur.execute('INSERT INTO e2e_probe (run_id, seq, t_send) VALUES (%s, %s, %s)', (a.run_id, seq, t_send))
                settle(conn, time.time() + a.query_timeout, 'insert')
                cur.close()
                out.write('%d,%.6f,%.6f,ok,\n' % (seq, t_send, time.time()))
            except Exception as e:
                out.write('%d,%.6f,%.6f,err,%s\n' % (seq, t_send, time.time(), one_line(e)))
                if conn is not None:
                    try:
                        conn.close()
                    except Exception:
                        pass
                conn = None
    if conn is not None:
        conn.close()


if __name__ == '__main__':
    main()
