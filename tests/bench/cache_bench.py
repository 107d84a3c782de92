#!/usr/bin/python3
"""Server memory under many distinct lookups, with the default and a small --cache-mb.

For each --cache-mb value ("default" = the server's default), a fresh server
(loopback, port 0, a temporary data dir) and one memory (ar -> en) of --units
units: the first rows of the shared TM workload's units.tsv
(../shared/bench/tm/make_workload.py, cached in /tmp/qantara-tm-workload-N as
tm_bench does) or, without ../shared, generated Arabic/English sentences. The
server warms up (--warm-seconds), then for each threshold (1, then 70)
--lookups lookups of 30 random Arabic words each (two thirds drawn from the
memory's Arabic vocabulary, one third made-up words no unit has: negative
cache entries), from --clients threads. Prints the server's RSS (VmRSS of
/proc/PID/status) before and after each round and the Stats rpc's cache
figures. Exit 1 when a bounded run's cached bytes exceed its budget.
Needs /usr/bin/python3 with Debian's python3-grpcio and the stubs built by
`cmake --build build --target qantara_py_stubs` (exit 77 when missing)."""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))
from proc_lines import read_line  # noqa: E402

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load_units(n, shared, generated):
    """(arabic, english) pairs: the workload's first n rows, or generated ones."""
    cache = f"/tmp/qantara-tm-workload-{n}/units.tsv"
    gen = os.path.join(shared, "bench", "tm", "make_workload.py")
    if generated:
        cache = gen = ""
    if not os.path.exists(cache) and os.path.exists(gen):
        out = os.path.dirname(cache)
        subprocess.run([sys.executable, gen, "--data", os.path.join(shared, "data"), "--units", str(n),
                        "--out", out, "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    if os.path.exists(cache):
        units = []
        with open(cache, encoding="utf-8") as f:
            next(f)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                units.append((cols[1], cols[2]))
                if len(units) == n:
                    break
        return units, "the shared TM workload"
    rng = random.Random(1)
    vocab = ["".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 7))) for _ in range(20000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]  # Zipf-like
    units = []
    for i in range(n):
        words = rng.choices(vocab, weights, k=rng.randint(4, 20))
        units.append((" ".join(words), f"sentence {i} " + " ".join(f"w{len(w)}" for w in words)))
    return units, "generated (no ../shared)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server-bin", required=True)
    ap.add_argument("--stubs", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    ap.add_argument("--units", type=int, default=20000)
    ap.add_argument("--lookups", type=int, default=20000, help="lookups per threshold")
    ap.add_argument("--thresholds", default="1,70")
    ap.add_argument("--cache-mb", default="default,16", help="comma-separated; 'default' = no flag")
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--warm-seconds", type=float, default=3)
    ap.add_argument("--generated", action="store_true", help="generated units even when ../shared is there")
    args = ap.parse_args()
    sys.path.insert(0, args.stubs)
    try:
        import grpc
        from qantara.v1 import memory_pb2 as mpb, memory_pb2_grpc
    except ImportError as e:
        print(f"SKIP: {e} (python3-grpcio, python3-protobuf; target qantara_py_stubs)")
        return 77

    units, origin = load_units(args.units, args.shared, args.generated)
    vocab = sorted({w for ar, _ in units for w in ar.split() if any(c in ARABIC_LETTERS for c in w)})
    print(f"{len(units):,} units ({origin}), {len(vocab):,} distinct Arabic words; "
          f"{args.lookups:,} lookups of 30 random words per threshold, {args.clients} clients")
    failed = False
    for cache_mb in args.cache_mb.split(","):
        extra = [] if cache_mb == "default" else ["--cache-mb", cache_mb]
        tmp = tempfile.mkdtemp(prefix="qantara-cachebench-")
        proc = subprocess.Popen([args.server_bin, "--listen", "127.0.0.1:0", "--data-dir",
                                 os.path.join(tmp, "data"), "--log-level", "warn", *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            m = re.fullmatch(rb"listening on (\S+)\n", read_line(proc.stdout, 60))
            if not m:
                raise RuntimeError("server did not start")
            channel = grpc.insecure_channel(m.group(1).decode())
            stub = memory_pb2_grpc.MemoryServiceStub(channel)
            stub.CreateMemory(mpb.CreateMemoryRequest(name="bench", source_lang="ar", target_lang="en"))
            t0 = time.monotonic()
            chunks = [mpb.AddUnitsRequest(memory="bench" if i == 0 else "",
                                          units=[mpb.Unit(source=a, target=e) for a, e in units[i:i + 1000]])
                      for i in range(0, len(units), 1000)]
            added = stub.AddUnits(iter(chunks), timeout=600).added
            print(f"\n--cache-mb {cache_mb}: {added:,} units added in {time.monotonic() - t0:.1f} s")
            # A restart, as in production: the warm-up then reads the stored index.
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
            proc = subprocess.Popen([args.server_bin, "--listen", "127.0.0.1:0", "--data-dir",
                                     os.path.join(tmp, "data"), "--log-level", "warn", *extra],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            m = re.fullmatch(rb"listening on (\S+)\n", read_line(proc.stdout, 60))
            if not m:
                raise RuntimeError("server did not restart")
            channel.close()
            channel = grpc.insecure_channel(m.group(1).decode())
            stub = memory_pb2_grpc.MemoryServiceStub(channel)
            time.sleep(args.warm_seconds)

            def stats_line():
                s = stub.Stats(mpb.StatsRequest())
                return (f"cached {s.cached_bytes / 2**20:.1f} of {s.cache_budget_bytes / 2**20:.0f} MB "
                        f"({s.cached_postings:,} tokens' posting lists + {s.cached_exact:,} exact lists), "
                        f"hits {s.cache_hits:,}, misses {s.cache_misses:,}, evictions {s.cache_evictions:,}; "
                        f"unit keys {s.cached_unit_keys:,} ({s.cached_unit_keys_bytes / 2**20:.1f} MB)"), s

            line, _ = stats_line()
            print(f"  after the restart and warm-up: RSS {rss_mb(proc.pid):.0f} MB; {line}")
            for threshold in [float(t) for t in args.thresholds.split(",")]:
                before = rss_mb(proc.pid)
                latencies = []
                lock = threading.Lock()

                def worker(i):
                    rng = random.Random(f"{threshold}-{i}")
                    mine = []
                    for _ in range(i, args.lookups, args.clients):
                        words = [rng.choice(vocab) if rng.random() < 2 / 3 else
                                 "".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 8)))
                                 for _ in range(30)]
                        t = time.monotonic()
                        stub.Lookup(mpb.LookupRequest(memories=["bench"], text=" ".join(words),
                                                      threshold=threshold), timeout=120)
                        mine.append(time.monotonic() - t)
                    with lock:
                        latencies.extend(mine)

                t0 = time.monotonic()
                threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                took = time.monotonic() - t0
                latencies.sort()
                p50 = latencies[len(latencies) // 2] * 1000
                p99 = latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000
                line, s = stats_line()
                print(f"  threshold {threshold:g}: {len(latencies):,} lookups in {took:.1f} s "
                      f"(p50 {p50:.1f} ms, p99 {p99:.1f} ms), RSS {before:.0f} -> {rss_mb(proc.pid):.0f} MB; {line}")
                if s.cached_bytes > s.cache_budget_bytes:
                    print("  FAIL: the caches hold more than their budget")
                    failed = True
            channel.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
