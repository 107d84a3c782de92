"""End-to-end: long calls stop when their client gives up, and a client that
stalls a stream does not hold the server (issue 15: deadlines stop the work).

One server (--allow-exhaustive, --stream-stall-s 2) with a memory of
generated units. Each long call (an exhaustive BatchLookup at threshold 1, a
concordance search whose filter matches nothing, an export whose filter
matches nothing, an import of a big file) is given a deadline far shorter
than its work; the server's CPU time over the second from 100 ms after the
deadline is read from /proc (without RocksDB's own background threads): the
work must have stopped (< 0.1 s of CPU).
Then a client that stops reading an export, and one that stops sending an
AddUnits stream: the server ends both calls after --stream-stall-s and
its thread count comes back."""

import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, ServerTestCase, main  # noqa: E402

UNITS = 120_000
STALL_SECONDS = 2
AR = ("كتاب بيت مدرسة سيارة طريق مدينة شمس قمر ماء نهر جبل بحر وزير حكومة شعب تقرير "
      "مجلس قرار لجنة دولة").split()
EN = ("book house school car road city sun moon water river mountain sea minister government "
      "people report council decision committee state").split()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def call_cpu_seconds(pid):
    """CPU seconds of the server's threads other than RocksDB's background
    flush and compaction threads (named rocksdb:*), which reads may wake
    (read-sampled compaction) and which do no call's work."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                d = f.read()
        except OSError:
            continue  # the thread ended
        if d[d.index("(") + 1:d.rindex(")")].startswith("rocksdb:"):
            continue
        fields = d.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def threads(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return -1


def settle(pid, quiet=0.01, limit=60.0):
    """Waits until the server uses < quiet s of CPU over half a second
    (flushes and compactions of earlier work done), for at most limit s."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        c0 = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - c0 < quiet:
            return


def sentence(rng, i):
    idx = [rng.randrange(len(AR)) for _ in range(rng.randint(5, 14))]
    return " ".join(AR[k] for k in idx) + f" {i}", " ".join(EN[k] for k in idx) + f" {i}"


class CancelCallsTest(ServerTestCase):
    server_args = ("--allow-exhaustive", "--stream-stall-s", str(STALL_SECONDS),
                   "--max-batch-segments", "1000000")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import import_pb2, import_pb2_grpc, memory_pb2, memory_pb2_grpc
        cls.grpc, cls.ipb, cls.mpb = grpc, import_pb2, memory_pb2
        cls.channel = grpc.insecure_channel(cls.addr, options=[("grpc.max_receive_message_length", 64 << 20)])
        cls.mem = memory_pb2_grpc.MemoryServiceStub(cls.channel)
        cls.imp = import_pb2_grpc.ImportExportServiceStub(cls.channel)
        cls.mem.CreateMemory(memory_pb2.CreateMemoryRequest(name="big", source_lang="ar", target_lang="en"))
        rng = random.Random(11)

        def chunks():
            for start in range(0, UNITS, 10_000):
                units = []
                for i in range(start, start + 10_000):
                    s, t = sentence(rng, i)
                    units.append(memory_pb2.Unit(source=s, target=t))
                yield memory_pb2.AddUnitsRequest(memory="big", units=units)
        t0 = time.monotonic()
        added = cls.mem.AddUnits(chunks(), timeout=600).added
        print(f"{added} units added in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        assert added == UNITS, added
        cls.pid = cls.server.proc.pid

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        super().tearDownClass()

    def assert_stops(self, what, call, deadline=0.3):
        """Runs call(timeout) which must fail with DEADLINE_EXCEEDED, then
        asserts the server used < 0.1 s of CPU in the second from 100 ms
        after."""
        settle(self.pid)
        t0 = time.monotonic()
        with self.assertRaises(self.grpc.RpcError) as e:
            call(deadline)
        self.assertEqual(e.exception.code(), self.grpc.StatusCode.DEADLINE_EXCEEDED,
                         f"{what}: {e.exception.details()}")
        gave_up = time.monotonic() - t0
        time.sleep(0.1)
        c0 = call_cpu_seconds(self.pid)
        time.sleep(1.0)
        used = call_cpu_seconds(self.pid) - c0
        print(f"{what}: gave up after {gave_up:.2f} s; server CPU in the second from 100 ms after: "
              f"{used:.3f} s", file=sys.stderr)
        self.assertLess(used, 0.1, what)

    def lookup_options(self, **kw):
        return self.mpb.LookupRequest(memories=["big"], threshold=1, max_results=5, **kw)

    def test_exhaustive_batch_lookup(self):
        rng = random.Random(3)
        segments = [sentence(rng, 10**6 + i)[0] for i in range(2000)]
        req = self.mpb.BatchLookupRequest(segments=segments, options=self.lookup_options(exhaustive=True))
        self.assert_stops("exhaustive BatchLookup", lambda t: list(self.mem.BatchLookup(req, timeout=t)))

    def test_exhaustive_lookup(self):
        # One long segment: each unit is compared with all of it.
        rng = random.Random(4)
        text = " ".join(sentence(rng, i)[0] for i in range(60))
        req = self.lookup_options(text=text, exhaustive=True)
        self.assert_stops("exhaustive Lookup", lambda t: self.mem.Lookup(req, timeout=t), deadline=0.05)

    def test_concordance(self):
        # Every unit holds a common word; the filter keeps none of them.
        req = self.mpb.ConcordanceRequest(memory="big", text="كتاب",
                                          filter=self.mpb.Filter(project="no such project"))
        self.assert_stops("Concordance", lambda t: self.mem.Concordance(req, timeout=t), deadline=0.05)

    def test_export(self):
        req = self.ipb.ExportRequest(memory="big", filter=self.mpb.Filter(project="no such project"))
        self.assert_stops("Export", lambda t: list(self.imp.Export(req, timeout=t)), deadline=0.05)

    def test_import(self):
        rng = random.Random(5)
        body = []
        for i in range(60_000):
            s, t = sentence(rng, 2 * 10**6 + i)
            body.append(f'<tu><tuv xml:lang="ar"><seg>{s}</seg></tuv><tuv xml:lang="en"><seg>{t}</seg></tuv></tu>\n')
        data = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ar" '
                'datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t" '
                'creationtoolversion="1" o-tmf="t"/><body>\n' + "".join(body) + "</body></tmx>\n").encode()
        self.mem.CreateMemory(self.mpb.CreateMemoryRequest(name="imported", source_lang="ar", target_lang="en"))

        def requests():
            yield self.ipb.ImportRequest(start=self.ipb.ImportStart(memory="imported", file_name="f.tmx"))
            for k in range(0, len(data), 1 << 20):
                yield self.ipb.ImportRequest(chunk=data[k:k + (1 << 20)])
        self.assert_stops("Import", lambda t: list(self.imp.Import(requests(), timeout=t)), deadline=0.5)

    def test_stalled_streams_are_ended(self):
        before = threads(self.pid)
        # An export whose client reads one message, then nothing. Without
        # BDP probing the channel's flow-control window stays small, so the
        # server's writes block instead of filling the client's buffers.
        slow = self.grpc.insecure_channel(self.addr, options=[("grpc.http2.bdp_probe", 0)])
        self.addCleanup(slow.close)
        from qantara.v1 import import_pb2_grpc
        exports = import_pb2_grpc.ImportExportServiceStub(slow).Export(self.ipb.ExportRequest(memory="big"))
        next(exports)
        # An AddUnits stream that sends one chunk, then nothing (never ends).
        gate = threading.Event()

        def stalled_chunks():
            yield self.mpb.AddUnitsRequest(memory="big", units=[self.mpb.Unit(source="كتاب", target="book")])
            gate.wait(60)
        add_error = []

        def adder():
            try:
                self.mem.AddUnits(stalled_chunks(), timeout=60)
            except self.grpc.RpcError as e:
                add_error.append(e)
        t = threading.Thread(target=adder)
        t0 = time.monotonic()
        t.start()
        time.sleep(0.5)
        during = threads(self.pid)
        t.join(STALL_SECONDS + 10)
        add_ended = time.monotonic() - t0
        gate.set()
        self.assertFalse(t.is_alive(), "a stalled AddUnits stream was not ended")
        self.assertEqual(len(add_error), 1, "a stalled AddUnits stream ended without an error")
        self.assertIn(add_error[0].code(), (self.grpc.StatusCode.DEADLINE_EXCEEDED,
                                            self.grpc.StatusCode.CANCELLED))
        # The export's client now reads on: the server has ended the call.
        with self.assertRaises(self.grpc.RpcError) as e:
            for _ in exports:
                pass
        self.assertIn(e.exception.code(), (self.grpc.StatusCode.DEADLINE_EXCEEDED,
                                           self.grpc.StatusCode.CANCELLED))
        time.sleep(0.5)
        after = threads(self.pid)
        print(f"stalled streams: AddUnits ended after {add_ended:.1f} s (limit {STALL_SECONDS} s); "
              f"threads {before} before, {during} during, {after} after", file=sys.stderr)
        self.assertLess(add_ended, STALL_SECONDS + 5)
        self.assertLessEqual(after, before)
        # Still serving.
        self.mem.Lookup(self.lookup_options(text="كتاب بيت مدرسة"), timeout=10)


if __name__ == "__main__":
    main("--stubs")
