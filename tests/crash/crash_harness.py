#!/usr/bin/python3
"""Crash harness: the real qantara-server, killed with SIGKILL at random
moments under concurrent load, restarted and checked, cycle after cycle.

Each cycle starts the server (loopback, port 0) on one data dir kept across
cycles, checks what the previous cycles acknowledged, then runs the load:
  - unary AddUnit calls (3 threads) and streamed AddUnits calls (5 chunks of
    20 units) into memory "main";
  - a TMX import (300 units, batches of 50) into memory "imports";
  - memory "churn" created, given units (AddUnit) and deleted, again and
    again, while another thread streams units into it by name;
  - lookups in "main";
and kills the server (kill -9) after a random time (some cycles kill it right
after its start, during its recovery and warm-up, instead).

A unit is ACKNOWLEDGED when its call returned OK (an import: the final
report, with every unit of the file added). Units of calls in flight at the
kill may or may not be stored. After every restart the harness checks:
  - every acknowledged unit is there: each memory's unit count is what was
    acknowledged plus the in-flight units found; GetUnit of its id returns
    its source and target, and a lookup of its source finds it (a sample of
    the units of the last run and of older ones); every few cycles and after
    the last one, a full export is compared with everything acknowledged;
  - nothing is half-stored: each unit whose call was in flight is either
    absent or found whole, with its exact source found at 100% by a lookup
    (its index keys are there); each memory's unit count equals the units
    acknowledged plus those in-flight units found;
  - no deleted memory comes back: a memory whose DeleteMemory was
    acknowledged is absent unless a create of it was acknowledged (or in
    flight) since, and then it is that memory (its creation time) and holds
    none of the units of the memories of that name before it;
  - an indexed lookup's top 5 equals the exhaustive one on sampled queries;
and measures each restart (spawn to `listening on`).

Prints one summary line:
  cycles N, units acknowledged N, units lost 0, deleted memories resurrected 0, ...
and exits 1 when anything was lost, resurrected or inconsistent (the first
problems are printed with the seed to reproduce them)."""

import argparse
import concurrent.futures
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
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))
from proc_lines import read_line  # noqa: E402

SKIP = 77

EN_WORDS = ("the contract shall enter into force on the date of its signature by both parties "
            "each party agrees to notify the other in writing of any change to these terms and "
            "conditions within thirty days after the notice was received by the ministry of "
            "foreign affairs report annual budget committee meeting members approved new policy "
            "water energy health education public sector private investment market growth").split()
AR_WORDS = ("يدخل العقد حيز التنفيذ في تاريخ توقيعه من الطرفين ويوافق كل طرف على إخطار الطرف "
            "الآخر كتابة بأي تغيير في هذه الشروط خلال ثلاثين يوما من استلام الإشعار وزارة "
            "الخارجية التقرير السنوي الميزانية اللجنة الاجتماع الأعضاء وافقوا سياسة جديدة").split()


def letters(n):
    """A word of letters only, unique per n (digits would be normalised as numbers)."""
    s = ""
    while True:
        s += chr(ord("a") + n % 26)
        n //= 26
        if n == 0:
            return s


class Problems:
    def __init__(self, seed):
        self.lock = threading.Lock()
        self.items = []
        self.seed = seed

    def add(self, cycle, text):
        with self.lock:
            self.items.append(f"cycle {cycle}: {text}")
            if len(self.items) <= 30:
                print(f"PROBLEM (seed {self.seed}) cycle {cycle}: {text}", flush=True)


class UnitRec:
    """One unit sent: its texts, and what is known of it."""
    __slots__ = ("memory", "source", "target", "id", "state", "gen", "sent", "ended", "cycle")

    def __init__(self, memory, source, target, cycle, gen=0):
        self.memory, self.source, self.target = memory, source, target
        self.id = None
        self.state = "inflight"  # acked | inflight | failed | stored | absent
        self.gen = gen            # churn: the generation of the memory it was added to
        self.sent = time.monotonic()
        self.ended = None         # when its call ended (any outcome)
        self.cycle = cycle


class World:
    """Everything sent and acknowledged, across cycles (the harness survives the kills)."""

    def __init__(self, rng):
        self.lock = threading.Lock()
        self.rng = rng
        self.counter = itertools.count()
        self.units = {}            # source -> UnitRec
        self.by_memory = {"main": [], "imports": [], "churn": []}
        self.expected_count = {"main": 0, "imports": 0}  # acked + in-flight found stored
        self.churn = {"exists": False, "gen": 0, "created_at": None, "create_sent": None,
                      "pending": None, "deleted_gens": set()}
        self.acked_total = 0
        self.inflight_found = 0
        self.inflight_absent = 0

    def pair(self, rng):
        tag = "zq" + letters(next(self.counter))
        n = rng.randint(4, 10)
        src = " ".join([tag] + [rng.choice(EN_WORDS) for _ in range(n)])
        tgt = " ".join([rng.choice(AR_WORDS) for _ in range(n)] + [tag])
        return src, tgt

    def send(self, memory, src, tgt, cycle, gen=0):
        rec = UnitRec(memory, src, tgt, cycle, gen)
        with self.lock:
            self.units[src] = rec
            self.by_memory[memory].append(rec)
        return rec

    def ack(self, rec, unit_id):
        with self.lock:
            rec.id = unit_id
            rec.state = "acked"
            rec.ended = time.monotonic()
            self.acked_total += 1
            if rec.memory in self.expected_count:
                self.expected_count[rec.memory] += 1

    def end(self, rec, failed):
        with self.lock:
            rec.ended = time.monotonic()
            if failed:
                rec.state = "failed"


class Server:
    def __init__(self, binary, data_dir, log_path, extra):
        self.log = open(log_path, "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--log-level", "warn",
             "--allow-exhaustive", *extra],
            stdout=subprocess.PIPE, stderr=self.log)
        line = read_line(self.proc.stdout, 60)
        self.start_seconds = time.monotonic() - t0
        m = re.fullmatch(rb"listening on (\S+):(\d+)\n", line or b"")
        if not m:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"server did not start: first line {line!r}; see {log_path}")
        self.address = f"{m.group(1).decode()}:{m.group(2).decode()}"

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=120)
        self.log.close()
        return rc


def tmx(pairs):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="crash" '
           'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
           'datatype="plaintext"/><body>\n']
    for s, t in pairs:
        out.append(f'<tu><tuv xml:lang="en"><seg>{escape(s)}</seg></tuv>'
                   f'<tuv xml:lang="ar"><seg>{escape(t)}</seg></tuv></tu>\n')
    out.append("</body></tmx>\n")
    return "".join(out).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server-bin", required=True)
    ap.add_argument("--stubs", required=True, help="directory of the generated Python gRPC stubs")
    ap.add_argument("--cycles", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--min-run", type=float, default=0.3, help="least seconds of load before a kill")
    ap.add_argument("--max-run", type=float, default=1.5, help="most seconds of load before a kill")
    ap.add_argument("--full-every", type=int, default=5, help="full export check every N cycles")
    ap.add_argument("--sample", type=int, default=200,
                    help="units acknowledged in the last run checked one by one, per memory")
    ap.add_argument("--preload", type=int, default=0,
                    help="units imported into memory 'bulk' before the cycles (restart time at scale)")
    ap.add_argument("--sync-writes", action="store_true", help="run the server with --sync-writes")
    ap.add_argument("--keep", action="store_true", help="keep the data dir and server log")
    args = ap.parse_args()

    sys.path.insert(0, args.stubs)
    try:
        import grpc  # noqa: F401  (Debian python3-grpcio)
        from qantara.v1 import memory_pb2, memory_pb2_grpc, import_pb2, import_pb2_grpc  # noqa: F401
    except ImportError as e:
        print(f"SKIP: {e} (install python3-grpcio and python3-protobuf: deploy/install-deps.sh; "
              f"build the stubs: cmake --build build --target qantara_py_stubs)")
        return SKIP
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(f"crash harness: seed {seed}, {args.cycles} cycles (rerun: --seed {seed})", flush=True)
    h = Harness(args, seed)
    # ctest's timeout (SIGTERM): the server must not outlive the harness.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"terminated (seed {seed})"))
    try:
        ok = h.run()
    finally:
        if h.server is not None and h.server.proc.poll() is None:
            h.server.kill()
        if args.keep:
            print(f"kept {h.tmp}")
        else:
            shutil.rmtree(h.tmp, ignore_errors=True)
    return 0 if ok else 1


class Harness:
    def __init__(self, args, seed):
        import grpc
        from qantara.v1 import memory_pb2 as mpb, memory_pb2_grpc, import_pb2 as ipb, import_pb2_grpc
        self.grpc, self.mpb, self.ipb = grpc, mpb, ipb
        self.memory_pb2_grpc, self.import_pb2_grpc = memory_pb2_grpc, import_pb2_grpc
        self.args = args
        self.seed = seed
        self.rng = random.Random(seed)
        self.world = World(self.rng)
        self.problems = Problems(seed)
        self.tmp = tempfile.mkdtemp(prefix="qantara-crash-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.log_path = os.path.join(self.tmp, "server.log")
        self.extra = ["--sync-writes"] if args.sync_writes else []
        self.restarts = []
        self.server = None
        self.killed = threading.Event()
        self.cycle = 0
        self.lookups = 0
        self.queries_compared = 0
        self.resurrected = 0
        self.lost = 0
        self.bulk_units = 0

    # ---- plumbing ----
    def connect(self, server):
        self.channel = self.grpc.insecure_channel(server.address)
        self.grpc.channel_ready_future(self.channel).result(timeout=30)
        self.mem = self.memory_pb2_grpc.MemoryServiceStub(self.channel)
        self.imp = self.import_pb2_grpc.ImportExportServiceStub(self.channel)

    def start(self):
        server = self.server = Server(self.args.server_bin, self.data_dir, self.log_path, self.extra)
        self.restarts.append(server.start_seconds)
        self.connect(server)
        return server

    def code(self, e):
        return e.code() if hasattr(e, "code") else None

    def unexpected(self, what, e):
        if not self.killed.is_set():
            self.problems.add(self.cycle, f"{what}: unexpected error before the kill: {e}")

    # ---- the run ----
    def run(self):
        mpb = self.mpb
        self.t0 = time.monotonic()
        server = self.start()
        for name in ("main", "imports"):
            self.mem.CreateMemory(mpb.CreateMemoryRequest(name=name, source_lang="en", target_lang="ar"))
        if self.args.preload:
            self.preload()
        for self.cycle in range(1, self.args.cycles + 1):
            self.killed.clear()
            if self.rng.random() < 0.12:
                # Killed during its recovery and warm-up, with no load.
                time.sleep(self.rng.uniform(0, 0.3))
                self.killed.set()
                server.kill()
                server = self.start()
                self.verify()
            self.load_and_kill(server)
            server = self.start()
            self.verify()
            if self.cycle % self.args.full_every == 0 or self.cycle == self.args.cycles:
                self.full_check()
            if self.cycle % 10 == 0 or self.cycle == self.args.cycles:
                print(f"  cycle {self.cycle}: {self.world.acked_total} acknowledged, "
                      f"last restart {self.restarts[-1]:.2f} s, {len(self.problems.items)} problems",
                      flush=True)
        self.wall = time.monotonic() - self.t0
        rc = server.stop()
        if rc != 0:
            self.problems.add(self.cycle, f"the server's clean stop exited {rc}")
        w = self.world
        mode = "sync writes" if self.args.sync_writes else "default"
        print(f"SUMMARY ({mode}, seed {self.seed}): cycles {self.args.cycles}, "
              f"units acknowledged {w.acked_total}, units lost {self.lost}, "
              f"deleted memories resurrected {self.resurrected}, "
              f"in-flight units found whole {w.inflight_found} / absent {w.inflight_absent}, "
              f"restarts {len(self.restarts)}, max restart {max(self.restarts):.2f} s, "
              f"mean restart {sum(self.restarts) / len(self.restarts):.2f} s, "
              f"top-5 indexed = exhaustive on {self.queries_compared} queries, "
              f"preloaded units {self.bulk_units}, problems {len(self.problems.items)}, "
              f"wall {self.wall:.0f} s", flush=True)
        return not self.problems.items

    def preload(self):
        """Imports --preload units into memory 'bulk' (kept, checked by count)."""
        mpb, ipb = self.mpb, self.ipb
        self.mem.CreateMemory(mpb.CreateMemoryRequest(name="bulk", source_lang="en", target_lang="ar"))
        rng = random.Random(self.seed + 1)
        t0 = time.monotonic()

        def requests():
            yield ipb.ImportRequest(start=ipb.ImportStart(memory="bulk", file_name="bulk.tmx"))
            done = 0
            while done < self.args.preload:
                n = min(20000, self.args.preload - done)
                pairs = []
                for i in range(done, done + n):
                    words = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(4, 12)))
                    pairs.append((f"bulk{letters(i)} {words}", f"{words} {letters(i)}"))
                body = tmx(pairs)
                if done > 0:  # one file: only the first piece has the header
                    body = body[body.index(b"<body>\n") + 7:]
                if done + n < self.args.preload:
                    body = body[:body.rindex(b"</body>")]
                yield ipb.ImportRequest(chunk=body)
                done += n

        report = None
        for r in self.imp.Import(requests(), timeout=3600):
            if r.HasField("report"):
                report = r.report
        if report is None or report.fatal_error or report.counts.units_added != self.args.preload:
            raise RuntimeError(f"preload failed: {report}")
        self.bulk_units = self.args.preload
        print(f"  preloaded {self.bulk_units} units in {time.monotonic() - t0:.1f} s", flush=True)

    def load_and_kill(self, server):
        stop = threading.Event()
        workers = [threading.Thread(target=self.unary_adder, args=(stop, i)) for i in range(3)]
        workers += [threading.Thread(target=f, args=(stop,)) for f in
                    (self.streamer, self.importer, self.churner, self.racer, self.looker)]
        for t in workers:
            t.start()
        time.sleep(self.rng.uniform(self.args.min_run, self.args.max_run))
        self.killed.set()
        server.kill()
        stop.set()
        for t in workers:
            t.join(timeout=120)
            if t.is_alive():
                self.problems.add(self.cycle, f"worker {t.name} still running 120 s after the kill")
        self.channel.close()

    # ---- the load (each worker stops at its first error: the kill) ----
    def unary_adder(self, stop, i):
        mpb, w = self.mpb, self.world
        rng = random.Random(self.rng.random())
        while not stop.is_set():
            src, tgt = w.pair(rng)
            rec = w.send("main", src, tgt, self.cycle)
            try:
                r = self.mem.AddUnit(mpb.AddUnitRequest(memory="main", unit=mpb.Unit(source=src, target=tgt)),
                                     timeout=60)
            except self.grpc.RpcError as e:
                w.end(rec, failed=False)
                self.unexpected("AddUnit", e)
                return
            if r.outcome != mpb.ADD_OUTCOME_ADDED:
                self.problems.add(self.cycle, f"AddUnit of a new unit: outcome {r.outcome}")
            w.ack(rec, r.unit_id)

    def streamer(self, stop):
        mpb, w = self.mpb, self.world
        rng = random.Random(self.rng.random())
        while not stop.is_set():
            recs = [w.send("main", *w.pair(rng), self.cycle) for _ in range(100)]

            def chunks():
                for c in range(5):
                    part = recs[c * 20:(c + 1) * 20]
                    yield mpb.AddUnitsRequest(memory="main" if c == 0 else "",
                                              units=[mpb.Unit(source=r.source, target=r.target) for r in part])
            try:
                resp = self.mem.AddUnits(chunks(), timeout=60)
            except self.grpc.RpcError as e:
                for r in recs:
                    w.end(r, failed=False)
                self.unexpected("AddUnits", e)
                return
            if resp.added != len(recs) or len(resp.unit_ids) != len(recs):
                self.problems.add(self.cycle, f"AddUnits: {resp.added} added of {len(recs)}")
            for r, uid in zip(recs, resp.unit_ids):
                w.ack(r, uid)

    def importer(self, stop):
        ipb, w = self.ipb, self.world
        rng = random.Random(self.rng.random())
        while not stop.is_set():
            recs = [w.send("imports", *w.pair(rng), self.cycle) for _ in range(300)]
            body = tmx([(r.source, r.target) for r in recs])

            def requests():
                yield ipb.ImportRequest(start=ipb.ImportStart(memory="imports", file_name="crash.tmx",
                                                              batch_size=50, total_bytes=len(body)))
                for off in range(0, len(body), 8192):
                    yield ipb.ImportRequest(chunk=body[off:off + 8192])
            report = None
            try:
                for resp in self.imp.Import(requests(), timeout=120):
                    if resp.HasField("report"):
                        report = resp.report
            except self.grpc.RpcError as e:
                for r in recs:
                    w.end(r, failed=False)
                self.unexpected("Import", e)
                return
            if report is None or report.fatal_error or report.counts.units_added != len(recs):
                self.problems.add(self.cycle, f"Import: report {report}")
                for r in recs:
                    w.end(r, failed=False)
                return
            for r in recs:
                w.ack(r, None)

    def churner(self, stop):
        """Creates "churn", adds units to it one by one, deletes it; again."""
        mpb, w = self.mpb, self.world
        c = w.churn
        rng = random.Random(self.rng.random())
        while not stop.is_set():
            try:
                if not c["exists"]:
                    c["pending"] = "create"
                    c["create_sent"] = time.monotonic()
                    m = self.mem.CreateMemory(mpb.CreateMemoryRequest(name="churn", source_lang="en",
                                                                      target_lang="ar"), timeout=60)
                    with w.lock:
                        c["gen"] += 1
                        c["exists"] = True
                        c["created_at"] = (m.create_time.seconds * 1000000 + m.create_time.nanos // 1000)
                        c["pending"] = None
                for _ in range(rng.randint(1, 6)):
                    src, tgt = w.pair(rng)
                    rec = w.send("churn", src, tgt, self.cycle, gen=c["gen"])
                    try:
                        r = self.mem.AddUnit(mpb.AddUnitRequest(memory="churn",
                                                                unit=mpb.Unit(source=src, target=tgt)),
                                             timeout=60)
                    except self.grpc.RpcError:
                        w.end(rec, failed=False)
                        raise
                    w.ack(rec, r.unit_id)
                c["pending"] = "delete"
                self.mem.DeleteMemory(mpb.DeleteMemoryRequest(name="churn"), timeout=60)
                with w.lock:
                    c["exists"] = False
                    c["deleted_gens"].add(c["gen"])
                    c["pending"] = None
            except self.grpc.RpcError as e:
                self.unexpected("churn", e)
                return
            time.sleep(rng.uniform(0, 0.05))

    def racer(self, stop):
        """Streams units into "churn" by name while it is deleted and re-created."""
        mpb, w = self.mpb, self.world
        rng = random.Random(self.rng.random())
        while not stop.is_set():
            recs = [w.send("churn", *w.pair(rng), self.cycle, gen=-1) for _ in range(5)]
            try:
                resp = self.mem.AddUnits(iter([mpb.AddUnitsRequest(
                    memory="churn", units=[mpb.Unit(source=r.source, target=r.target) for r in recs])]),
                    timeout=60)
                for r in recs:
                    w.end(r, failed=False)  # which memory of that name got them is unknown
            except self.grpc.RpcError as e:
                if self.code(e) == self.grpc.StatusCode.NOT_FOUND and not self.killed.is_set():
                    for r in recs:
                        w.end(r, failed=True)
                    continue
                for r in recs:
                    w.end(r, failed=False)
                self.unexpected("racing AddUnits", e)
                return
            del resp

    def looker(self, stop):
        mpb = self.mpb
        rng = random.Random(self.rng.random())
        while not stop.is_set():
            text = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(4, 9)))
            try:
                self.mem.Lookup(mpb.LookupRequest(memories=["main"], text=text, threshold=50), timeout=60)
                self.lookups += 1
            except self.grpc.RpcError as e:
                self.unexpected("Lookup", e)
                return

    # ---- checks after a restart ----
    def find_exact(self, memory, rec):
        """The match of rec's exact source (score 100) in `memory`, or None."""
        r = self.mem.Lookup(self.mpb.LookupRequest(memories=[memory], text=rec.source, threshold=100,
                                                   max_results=5), timeout=60)
        for m in r.matches:
            if m.source == rec.source:
                return m
        return None

    def check_unit(self, memory, rec):
        """Checks one unit; returns True when it is there (whole)."""
        m = self.find_exact(memory, rec)
        if rec.id is not None:
            try:
                u = self.mem.GetUnit(self.mpb.GetUnitRequest(memory=memory, unit_id=rec.id), timeout=60)
            except self.grpc.RpcError as e:
                if self.code(e) != self.grpc.StatusCode.NOT_FOUND:
                    raise
                u = None
            if u is not None and (u.source != rec.source or u.target != rec.target):
                self.problems.add(self.cycle, f"{memory}: unit {rec.id} holds {u.source!r} -> {u.target!r}, "
                                              f"acknowledged as {rec.source!r} -> {rec.target!r}")
                return False
            if (u is None) != (m is None):
                self.problems.add(self.cycle, f"{memory}: unit {rec.id} ({rec.source!r}): GetUnit "
                                              f"{'found' if u else 'missing'} but the lookup of its source "
                                              f"{'found' if m else 'missed'} it")
        if m is None:
            return False
        if m.target != rec.target or m.score < 100 or (rec.id is not None and m.unit_id != rec.id):
            self.problems.add(self.cycle, f"{memory}: {rec.source!r} found as unit {m.unit_id} "
                                          f"-> {m.target!r} at {m.score}, not whole")
        return True

    def verify(self):
        w = self.world
        pool = concurrent.futures.ThreadPoolExecutor(4)
        try:
            names = {m.name: m for m in self.mem.ListMemories(self.mpb.ListMemoriesRequest(), timeout=60).memories}
            for memory in ("main", "imports"):
                if memory not in names:
                    self.problems.add(self.cycle, f"memory {memory} is gone")
                    continue
                # The units of the last run, and a sample of older acknowledged ones.
                # Every unit whose call was in flight at the kill; a sample of
                # those acknowledged in the last run and of older ones (the
                # unit count below and the full exports cover all of them).
                inflight = [r for r in w.by_memory[memory] if r.state == "inflight"]
                fresh = [r for r in w.by_memory[memory] if r.state == "acked" and r.cycle == self.cycle]
                older = [r for r in w.by_memory[memory] if r.state == "stored" or
                         (r.state == "acked" and r.cycle != self.cycle)]
                todo = (inflight + self.rng.sample(fresh, min(len(fresh), self.args.sample)) +
                        self.rng.sample(older, min(len(older), self.args.sample // 4)))
                results = list(pool.map(lambda r: self.check_unit(memory, r), todo))
                for r, there in zip(todo, results):
                    if r.state == "inflight":
                        with w.lock:
                            if there:
                                r.state = "stored"
                                w.inflight_found += 1
                                w.expected_count[memory] += 1
                            else:
                                r.state = "absent"
                                w.inflight_absent += 1
                    elif not there:
                        self.lost += 1
                        self.problems.add(self.cycle, f"{memory}: acknowledged unit {r.id} "
                                                      f"({r.source!r}, cycle {r.cycle}) is lost")
                units = names[memory].units
                if units != w.expected_count[memory]:
                    self.problems.add(self.cycle, f"{memory}: holds {units} units, "
                                                  f"expected {w.expected_count[memory]} (acknowledged "
                                                  f"+ in-flight found)")
                    if units < w.expected_count[memory]:
                        self.lost += w.expected_count[memory] - units
            if self.bulk_units and names.get("bulk") is None:
                self.problems.add(self.cycle, "memory bulk is gone")
            elif self.bulk_units and names["bulk"].units != self.bulk_units:
                self.problems.add(self.cycle, f"bulk: {names['bulk'].units} units, not {self.bulk_units}")
            self.verify_churn(names, pool)
            self.compare_top5(pool)
        finally:
            pool.shutdown()

    def verify_churn(self, names, pool):
        w, c = self.world, self.world.churn
        present = "churn" in names
        if c["exists"]:
            if c["pending"] == "delete" and not present:
                c["exists"] = False  # the delete in flight at the kill went through
                c["deleted_gens"].add(c["gen"])
            elif not present:
                self.lost += 1
                self.problems.add(self.cycle, f"churn: generation {c['gen']} (created, not deleted) is gone")
            elif (names["churn"].create_time.seconds * 1000000 + names["churn"].create_time.nanos // 1000) != c["created_at"]:
                self.problems.add(self.cycle, f"churn: the memory there was created at "
                                              f"{(names['churn'].create_time.seconds * 1000000 + names['churn'].create_time.nanos // 1000)}, not {c['created_at']} "
                                              f"(generation {c['gen']})")
        else:
            if present and c["pending"] == "create":
                c["gen"] += 1  # the create in flight at the kill went through
                c["exists"] = True
                c["created_at"] = (names["churn"].create_time.seconds * 1000000 + names["churn"].create_time.nanos // 1000)
            elif present:
                self.resurrected += 1
                self.problems.add(self.cycle, f"churn: deleted (generation {c['gen']}) yet back, "
                                              f"created at {(names['churn'].create_time.seconds * 1000000 + names['churn'].create_time.nanos // 1000)}")
        c["pending"] = None
        # Units of the churn memories: the current one holds its own, never
        # those of an earlier generation.
        exported = self.export("churn") if present else {}
        for rec in w.by_memory["churn"]:
            there = rec.source in exported
            if there and exported[rec.source] != rec.target:
                self.problems.add(self.cycle, f"churn: {rec.source!r} holds {exported[rec.source]!r}")
            if there and rec.state == "failed":
                self.resurrected += 1
                self.problems.add(self.cycle, f"churn: {rec.source!r} was refused (NOT_FOUND) yet is there")
            if rec.gen >= 0:
                if rec.gen != c["gen"] or not c["exists"]:
                    if there:
                        self.resurrected += 1
                        self.problems.add(self.cycle, f"churn: a unit of generation {rec.gen} is in "
                                                      f"generation {c['gen']}: {rec.source!r}")
                elif rec.state == "acked" and not there:
                    self.lost += 1
                    self.problems.add(self.cycle, f"churn: acknowledged unit {rec.id} of the current "
                                                  f"generation {rec.gen} is lost")
            elif there and rec.ended is not None and c["create_sent"] is not None \
                    and rec.ended < c["create_sent"]:
                self.resurrected += 1
                self.problems.add(self.cycle, f"churn: a unit written before generation {c['gen']} "
                                              f"was created is in it: {rec.source!r}")
        known = {r.source for r in w.by_memory["churn"]}
        for src in exported:
            if src not in known:
                self.problems.add(self.cycle, f"churn: unit {src!r} was never sent")
        # Units of deleted generations and failed racers will never be asked
        # about again: keep only what the next check needs.
        w.by_memory["churn"] = [r for r in w.by_memory["churn"]
                                if (r.gen == c["gen"] and c["exists"]) or (r.gen < 0 and r.source in exported)]

    def export(self, memory):
        """Every unit of `memory` as source -> target, from an Export."""
        data = b"".join(r.chunk for r in self.imp.Export(self.ipb.ExportRequest(memory=memory), timeout=600))
        out = {}
        for tu in ET.fromstring(data).iter("tu"):
            segs = {}
            for tuv in tu.iter("tuv"):
                lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang", "")
                seg = tuv.find("seg")
                segs[lang[:2]] = "".join(seg.itertext()) if seg is not None else ""
            if not segs.get("en") or not segs.get("ar"):
                self.problems.add(self.cycle, f"{memory}: half a unit exported: {segs}")
                continue
            out[segs["en"]] = segs["ar"]
        return out

    def full_check(self):
        """Every unit of main and imports, exported, against what was acknowledged."""
        w = self.world
        for memory in ("main", "imports"):
            exported = self.export(memory)
            want = {r.source: r.target for r in w.by_memory[memory] if r.state in ("acked", "stored")}
            missing = [s for s in want if s not in exported]
            wrong = [s for s in want if s in exported and exported[s] != want[s]]
            extra = [s for s in exported if s not in want]
            if missing or wrong or extra:
                self.lost += len(missing)
                self.problems.add(self.cycle, f"{memory} export: {len(missing)} acknowledged units missing "
                                              f"{missing[:3]}, {len(wrong)} wrong, {len(extra)} unexpected "
                                              f"{extra[:3]}")

    def compare_top5(self, pool):
        """Indexed top 5 = exhaustive top 5, on queries near stored units."""
        w = self.world
        queries = []
        for memory in ("main", "imports"):
            stored = [r for r in w.by_memory[memory] if r.state in ("acked", "stored")]
            for r in self.rng.sample(stored, min(len(stored), 6)):
                words = r.source.split()[1:]  # without its unique tag
                if len(words) > 3:
                    del words[self.rng.randrange(len(words))]
                words.append(self.rng.choice(EN_WORDS))
                queries.append((memory, " ".join(words)))

        def compare(q):
            memory, text = q
            req = dict(memories=[memory], text=text, threshold=50, max_results=5)
            a = self.mem.Lookup(self.mpb.LookupRequest(**req), timeout=60)
            b = self.mem.Lookup(self.mpb.LookupRequest(exhaustive=True, **req), timeout=60)
            ia = [(m.unit_id, round(m.score, 6)) for m in a.matches]
            ib = [(m.unit_id, round(m.score, 6)) for m in b.matches]
            if ia != ib:
                self.problems.add(self.cycle, f"{memory}: indexed top 5 of {text!r} is {ia}, exhaustive {ib}")
        list(pool.map(compare, queries))
        self.queries_compared += len(queries)


if __name__ == "__main__":
    sys.exit(main())
