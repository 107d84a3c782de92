#!/usr/bin/env python3
"""HTTP/JSON against gRPC lookup latency (issue 17): a fresh data dir
preloaded with the tm workload (tm_bench --build-only), then for each
threshold a freshly started qantara-server with --http-listen, left to warm
up, and http_bench's one client dealing novel queries alternately to gRPC and
HTTP. Prints http_bench's tables; exit 77 when ../shared is absent.
tests/bench/README.md says how and why.

  http_bench.py --build-dir build [--shared ../shared] [--units 1000000] [--thresholds 70,50]
                [--queries-per-run 2000] [--settle-s 30] [--runs 1] [--work DIR] [--keep]
"""
import argparse
import os
import re
import subprocess
import sys
import time

from preload import preload, remove


def start_server(server, data):
    log = open(data + ".server.log", "wb")
    proc = subprocess.Popen([server, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                             "--data-dir", data], stdout=subprocess.PIPE, stderr=log)
    grpc_line = proc.stdout.readline().decode()
    http_line = proc.stdout.readline().decode()
    g = re.match(r"listening on (\S+)", grpc_line)
    h = re.match(r"http listening on (\S+)", http_line)
    if not g or not h:
        proc.kill()
        raise RuntimeError(f"server did not start: {grpc_line!r} {http_line!r}")
    return proc, g.group(1), h.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--units", type=int, default=1000000)
    ap.add_argument("--thresholds", default="70,50")
    ap.add_argument("--queries-per-run", type=int, default=2000)
    ap.add_argument("--settle-s", type=float, default=30)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--work", default="/tmp/qantara-http-bench")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    build = os.path.abspath(a.build_dir)
    http_bench = os.path.join(build, "tests/http_bench")
    server = os.path.join(build, "bin/qantara-server")
    loaded = preload(build, a.shared, a.units, a.work)
    if isinstance(loaded, int):
        return loaded
    data, queries = loaded
    rc = 0
    for run in range(a.runs):
        for threshold in a.thresholds.split(","):
            proc, grpc_addr, http_addr = start_server(server, data)
            try:
                time.sleep(a.settle_s)  # the index warm-up, as a server in service has had
                print(f"--- run {run + 1}, threshold {threshold}, fresh server (settled {a.settle_s:.0f} s); "
                      f"load average {os.getloadavg()[0]:.2f}", flush=True)
                r = subprocess.run([http_bench, "--grpc", grpc_addr, "--http", http_addr, "--queries", queries,
                                    "--threshold", threshold, "--max-queries", str(a.queries_per_run)])
                if r.returncode == 77:
                    return 77
                rc = rc or r.returncode
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    if not a.keep:
        remove(data)
    return rc


if __name__ == "__main__":
    sys.exit(main())
