"""A fresh data dir preloaded with the tm workload (tm_bench --build-only:
in-process AddUnits, about 100,000 units/s), shared by the benchmark drivers
that then start a real server on it (load_soak.py, http_bench.py)."""
import os
import shutil
import subprocess
import time


def preload(build, shared, units, work):
    """Returns (data dir, queries dir), or an exit code: 77 when ../shared's
    workload generator is absent (skip), 1 when the preload failed."""
    shared = os.path.abspath(shared)
    if not os.path.exists(os.path.join(shared, "bench/tm/make_workload.py")):
        print(f"SKIP: {shared}/bench/tm/make_workload.py not found")
        return 77
    tm_bench = os.path.join(os.path.abspath(build), "tests/tm_bench")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, f"data-{units}-{os.getpid()}")
    shutil.rmtree(data, ignore_errors=True)
    env = dict(os.environ, QANTARA_SHARED=shared)
    t0 = time.monotonic()
    r = subprocess.run([tm_bench, "--units", str(units), "--build-only", "1", "--data", data],
                       env=env, stdout=subprocess.PIPE, text=True)
    print(r.stdout, end="")
    if r.returncode != 0:
        print("FAIL: preload (tm_bench --build-only) failed")
        return 1
    if "SKIP" in r.stdout:
        return 77
    print(f"preloaded {units} units into a fresh data dir in {time.monotonic() - t0:.1f} s", flush=True)
    return data, f"/tmp/qantara-tm-workload-{units}/queries"


def remove(data):
    """Removes a preloaded data dir and its server log."""
    shutil.rmtree(data, ignore_errors=True)
    try:
        os.remove(data + ".server.log")
    except OSError:
        pass
