#!/usr/bin/env python3
"""Load and soak driver (issue 15): a fresh data dir preloaded with the tm
workload (tm_bench --build-only: in-process AddUnits, about 100,000 units/s),
a fresh qantara-server on it, and load_gen's honest clients beside its hostile
mix (in a process of their own under SCHED_IDLE, as if on other machines;
--load-gen-args "--hostile-process 0": in load_gen's); prints load_gen's figures and returns its exit code (77: shared data
absent, skipped). tests/bench/README.md says how and why.

  load_soak.py --build-dir build [--shared ../shared] [--short] [--units N] [--seconds S]
               [--clients 8] [--stall-s S] [--max-threads T] [--rss-budget-mb MB] [--p99-ms X]
               [--work DIR] [--keep] [--server-args "..."] [--auth] [--no-hostile] [--load-gen-args "..."]

--short: 20,000 units, 15 s, stalled streams cancelled after 2 s, no timing check
(ctest bench_load_short). Default: 1M units, 600 s, the soak's checks (Lookup
p99 <= 15 ms, RSS under the budget; ctest bench_load_soak_1m, label long).
--auth: the server runs with --auth and every client sends a token of its own
(load_gen --auth 1), so the per-token limits (calls, units and CPU time a
second) hold each hostile client to its share.

The RSS budget (unless --rss-budget-mb) is the sum of what the server may
hold by design, printed part by part (rss_budget_parts): qantara's list
cache (--cache-mb), the unit keys (about 600 bytes a unit, held while they
fit in --key-cache-mb, 1024 MiB), RocksDB's block cache (256 MiB),
two 64 MiB memtables for the soak's writes, the requests in flight (the
heavy-call slots and stream slots each holding up to a message limit: 3 x
33 MiB) and a fixed part (code, allocator, RocksDB table readers, gRPC: 150
MiB).
"""
import argparse
import os
import subprocess
import sys

from preload import preload, remove


def rss_budget_parts(units, cache_mb=256, key_cache_mb=1024):
    """The server's memory by design at `units` units, MiB, part by part."""
    keys_mb = units * 600 / 1048576
    return [("lists (--cache-mb)", cache_mb),
            ("unit keys (600 B a unit, or none past --key-cache-mb)", keys_mb if keys_mb <= key_cache_mb else 0),
            ("RocksDB block cache", 256),
            ("memtables of the writes", 128),
            ("requests in flight", 3 * 33),
            ("fixed", 150)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--units", type=int)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--stall-s", type=float)
    ap.add_argument("--max-threads", type=int, default=128)
    ap.add_argument("--rss-budget-mb", type=float)
    ap.add_argument("--p99-ms", type=float)
    ap.add_argument("--warmup-s", type=float)
    ap.add_argument("--think-ms", type=int, default=20)
    ap.add_argument("--work", default="/tmp/qantara-load")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--server-args", default="")
    ap.add_argument("--auth", action="store_true")
    ap.add_argument("--load-gen-args", default="", help="more load_gen arguments, e.g. --hostile-kinds 2")
    ap.add_argument("--no-hostile", action="store_true",
                    help="the honest clients alone (a baseline for their latency)")
    a = ap.parse_args()
    short = a.short
    units = a.units or (20000 if short else 1000000)
    seconds = a.seconds or (15 if short else 600)
    stall_s = a.stall_s or (2 if short else 10)
    warmup = a.warmup_s if a.warmup_s is not None else (5 if short else 60)
    if not short:
        a.p99_ms = a.p99_ms if a.p99_ms is not None else 15
        if a.rss_budget_mb is None:
            parts = rss_budget_parts(units)
            a.rss_budget_mb = round(sum(mb for _, mb in parts))
            print("RSS budget %d MB = %s" % (a.rss_budget_mb,
                                             " + ".join("%s %.0f" % (n, mb) for n, mb in parts)), flush=True)

    build = os.path.abspath(a.build_dir)
    load_gen = os.path.join(build, "tests/load_gen")
    server = os.path.join(build, "bin/qantara-server")
    loaded = preload(build, a.shared, units, a.work)
    if isinstance(loaded, int):
        return loaded
    data, queries = loaded

    server_args = f"--stream-stall-s {stall_s} --max-threads {a.max_threads} {a.server_args}".strip()
    if a.auth:
        server_args += " --auth"

    cmd = [load_gen, "--server-bin", server, "--data-dir", data, "--server-args", server_args,
           "--queries", queries, "--seconds", str(seconds),
           "--clients", str(a.clients), "--stall-s", str(stall_s), "--warmup-s", str(warmup),
           "--think-ms", str(a.think_ms),
           # threads: the gRPC quota plus RocksDB, gRPC's own and the server's (about 30)
           "--max-threads-bound", str(a.max_threads + 64), "--check", "1"]
    if short:
        cmd += ["--import-units", "500"]
    if a.auth:
        cmd += ["--auth", "1"]
    if a.no_hostile:
        cmd += ["--hostile", "0"]
    cmd += a.load_gen_args.split()
    if a.rss_budget_mb:
        cmd += ["--rss-budget-mb", str(a.rss_budget_mb)]
    if a.p99_ms:
        cmd += ["--p99-ms", str(a.p99_ms)]
    print(" ".join(cmd), flush=True)
    rc = subprocess.run(cmd).returncode
    print(f"load_gen exit {rc}; load average {os.getloadavg()[0]:.1f} (2 cores, shared)")
    if not a.keep:
        remove(data)
    return rc


if __name__ == "__main__":
    sys.exit(main())
