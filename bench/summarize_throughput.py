#!/usr/bin/env python3
"""Tables for bench/proxy_throughput.sh: per-round TPS and ratios, and medians, from one or more .jsonl files.

Usage: bench/summarize_throughput.py bench/results/proxy-<stamp>.jsonl [more.jsonl ...]
Rounds are numbered per file; a ratio is only formed within one round of one file (runs taken back to back).
"""
import json
import statistics
import sys

PEER = {"select-only": 0.694, "tpcb-like": 0.821}  # HAProxy/direct medians, /work/shared/peer/RESULTS.md
TARGETS = ("direct", "pgha", "haproxy")


def load(paths):
    rounds = {}
    for fi, path in enumerate(paths):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                rounds.setdefault((r["mode"], fi, r["round"]), {})[r["target"]] = r
    return rounds


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main(paths):
    rounds = load(paths)
    for mode in ("select-only", "tpcb-like"):
        keys = sorted(k for k in rounds if k[0] == mode and all(t in rounds[k] for t in TARGETS))
        if not keys:
            continue
        print(f"\n### {mode} (pgbench -c 8 -j 2), TPS per round and ratios\n")
        print("| round | direct | pgha | haproxy | pgha/direct | haproxy/direct | pgha/haproxy "
              "| proxy CPU µs/txn pgha / haproxy | load avg before (d / p / h) |")
        print("|---|---|---|---|---|---|---|---|---|")
        cols = {"d": [], "p": [], "h": [], "pd": [], "hd": [], "ph": [], "cp": [], "ch": []}
        for n, k in enumerate(keys, 1):
            d, p, h = (rounds[k][t] for t in TARGETS)
            pd, hd, ph = p["tps"] / d["tps"], h["tps"] / d["tps"], p["tps"] / h["tps"]
            cp, ch = (x["proxy_cpu_s"] * 1e6 / max(x["txns"], 1) for x in (p, h))
            for c, v in zip(cols, (d["tps"], p["tps"], h["tps"], pd, hd, ph, cp, ch)):
                cols[c].append(v)
            loads = " / ".join(x["loadavg_before"].split()[0] for x in (d, p, h))
            print(f"| {n} | {d['tps']:.0f} | {p['tps']:.0f} | {h['tps']:.0f} | {pd:.3f} | {hd:.3f} | {ph:.3f} "
                  f"| {cp:.0f} / {ch:.0f} | {loads} |")
        m = {c: med(v) for c, v in cols.items()}
        print(f"| **median** | **{m['d']:.0f}** | **{m['p']:.0f}** | **{m['h']:.0f}** | **{m['pd']:.3f}** "
              f"| **{m['hd']:.3f}** | **{m['ph']:.3f}** | {m['cp']:.0f} / {m['ch']:.0f} | |")
        lo_hi = {c: (min(v), max(v)) for c, v in cols.items()}
        print(f"\nratio min..max over {len(keys)} rounds: pgha/direct {lo_hi['pd'][0]:.3f}..{lo_hi['pd'][1]:.3f}, "
              f"haproxy/direct {lo_hi['hd'][0]:.3f}..{lo_hi['hd'][1]:.3f}, "
              f"pgha/haproxy {lo_hi['ph'][0]:.3f}..{lo_hi['ph'][1]:.3f}; "
              f"peer HAProxy/direct (median, its own run): {PEER[mode]:.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
