#!/usr/bin/python3
"""Write throughput of qantara-server with and without --sync-writes.

For each mode, a fresh server (loopback, port 0, a temporary data dir on the
file system of --tmp-dir) and one memory; then, each for --seconds:
  - unary AddUnit calls from 1, 8 and 32 concurrent clients (threads, one
    call in flight each);
  - AddUnits streams (chunks of 100 units, 10 chunks a stream) from 1 and 4
    clients.
Prints units/s per mode and load, and the ratio sync / default. With
--memories N the clients spread over N memories (a memory takes one write at
a time). Every unit
is new (unique source), so each call writes. Needs /usr/bin/python3 with
Debian's python3-grpcio and the stubs built by `cmake --build build --target
qantara_py_stubs` (exit 77 when missing)."""

import argparse
import itertools
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

WORDS = ("the contract shall enter into force on the date of its signature by both parties each party "
         "agrees to notify the other in writing of any change to these terms and conditions").split()


def letters(n):
    s = ""
    while True:
        s += chr(ord("a") + n % 26)
        n //= 26
        if n == 0:
            return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server-bin", required=True)
    ap.add_argument("--stubs", required=True)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--tmp-dir", default=None, help="where the data dirs go (default: the system temp dir)")
    ap.add_argument("--memories", type=int, default=1,
                    help="memories the clients write to (client i writes to memory i mod N)")
    ap.add_argument("--modes", default="default,sync", help="default, sync or both")
    args = ap.parse_args()
    sys.path.insert(0, args.stubs)
    try:
        import grpc
        from qantara.v1 import memory_pb2 as mpb, memory_pb2_grpc
    except ImportError as e:
        print(f"SKIP: {e} (python3-grpcio, python3-protobuf; target qantara_py_stubs)")
        return 77

    counter = itertools.count()

    def pair(rng):
        tag = "zq" + letters(next(counter))
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 12))]
        return mpb.Unit(source=" ".join([tag] + words), target=" ".join(words + [tag]))

    results = {}
    modes = [m for m in (("default", []), ("sync", ["--sync-writes"])) if m[0] in args.modes.split(",")]
    for mode, extra in modes:
        tmp = tempfile.mkdtemp(prefix="qantara-syncbench-", dir=args.tmp_dir)
        proc = subprocess.Popen([args.server_bin, "--listen", "127.0.0.1:0", "--data-dir",
                                 os.path.join(tmp, "data"), "--log-level", "warn", *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            m = re.fullmatch(rb"listening on (\S+)\n", read_line(proc.stdout, 60))
            if not m:
                raise RuntimeError("server did not start")
            channel = grpc.insecure_channel(m.group(1).decode())
            stub = memory_pb2_grpc.MemoryServiceStub(channel)
            for n in range(args.memories):
                stub.CreateMemory(mpb.CreateMemoryRequest(name=f"bench{n}", source_lang="en", target_lang="ar"))

            def run(clients, body):
                stop = threading.Event()
                counts = [0] * clients

                def worker(i):
                    rng = random.Random(i)
                    memory = f"bench{i % args.memories}"
                    while not stop.is_set():
                        counts[i] += body(rng, memory)
                threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
                t0 = time.monotonic()
                for t in threads:
                    t.start()
                time.sleep(args.seconds)
                stop.set()
                for t in threads:
                    t.join()
                return sum(counts) / (time.monotonic() - t0)

            def unary(rng, memory):
                stub.AddUnit(mpb.AddUnitRequest(memory=memory, unit=pair(rng)), timeout=60)
                return 1

            def stream(rng, memory):
                chunks = [mpb.AddUnitsRequest(memory=memory if c == 0 else "",
                                              units=[pair(rng) for _ in range(100)]) for c in range(10)]
                r = stub.AddUnits(iter(chunks), timeout=120)
                return r.added

            for clients in (1, 8, 32):
                results[(mode, f"AddUnit, {clients} client{'s' if clients > 1 else ''}")] = run(clients, unary)
            for clients in (1, 4):
                results[(mode, f"AddUnits streams, {clients} client{'s' if clients > 1 else ''}")] = \
                    run(clients, stream)
            channel.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
            shutil.rmtree(tmp, ignore_errors=True)

    loads = list(dict.fromkeys(k for (_, k) in results))
    print(f"{args.memories} memor{'y' if args.memories == 1 else 'ies'}, {args.seconds:g} s a load")
    print(f"{'load':<28} {'default units/s':>16} {'--sync-writes units/s':>22} {'ratio':>6}")
    for load in loads:
        d, s = results.get(("default", load)), results.get(("sync", load))
        fmt = lambda v, w: f"{v:>{w},.0f}" if v is not None else f"{'-':>{w}}"
        ratio = f"{s / d:>6.2f}" if d and s else f"{'-':>6}"
        print(f"{load:<28} {fmt(d, 16)} {fmt(s, 22)} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
