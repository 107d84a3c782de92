"""End-to-end: subsegment recall (MemoryService.Fragments, `qantara
fragments`) through the real server and CLI: the rpc's answer (source, its
byte span, target, confidence, units, words covered), the CLI's table and
JSON, stdin, the request checks naming their field (rpc and CLI exit codes),
a missing memory, and a memory that knows nothing of the text."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, ServerTestCase, error_details, main  # noqa: E402

# "الأمم المتحدة" = "United Nations" in four units, "مجلس الأمن" =
# "Security Council" in two.
UNITS = [
    ("اجتمعت الأمم المتحدة اليوم", "The United Nations met today"),
    ("قالت الأمم المتحدة إن الوضع خطير", "The United Nations said the situation is serious"),
    ("انتقدت الأمم المتحدة الحكومة بشدة", "The United Nations strongly criticised the government"),
    ("رفضت الحكومة تقرير الأمم المتحدة", "The government rejected the United Nations report"),
    ("اجتمع مجلس الأمن أمس", "The Security Council met yesterday"),
    ("أدان مجلس الأمن الهجوم", "The Security Council condemned the attack"),
]
QUERY = "دعا مجلس الأمن الأمم المتحدة"


class FragmentsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import memory_pb2, memory_pb2_grpc
        cls.grpc, cls.pb = grpc, memory_pb2
        cls.channel = grpc.insecure_channel(cls.addr)
        cls.stub = memory_pb2_grpc.MemoryServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        super().tearDownClass()

    def make_memory(self, name):
        self.ok("memory", "create", name, "--source", "ar", "--target", "en")
        tsv = "".join(f"{a}\t{e}\n" for a, e in UNITS).encode()
        self.assertIn("added 6", self.ok("add", "--memory", name, "--tsv", "-", stdin=tsv))

    def test_rpc(self):
        self.make_memory("rpc")
        resp = self.stub.Fragments(self.pb.FragmentsRequest(memory="rpc", text=QUERY), timeout=30)
        self.assertEqual([(f.source, f.target) for f in resp.fragments],
                         [("مجلس الأمن", "Security Council"), ("الأمم المتحدة", "United Nations")])
        q = QUERY.encode()
        for f in resp.fragments:
            self.assertEqual(q[f.source_span.begin:f.source_span.end].decode(), f.source)
            self.assertEqual(f.words, 2)
            self.assertTrue(0.6 <= f.confidence <= 1, f)
        self.assertEqual(list(resp.fragments[1].unit_ids), [4, 3, 2, 1])
        self.assertEqual(resp.fragments[1].supporting_units, 4)
        self.assertEqual(list(resp.fragments[0].unit_ids), [6, 5])
        self.assertEqual([f.first_word for f in resp.fragments], [1, 3])
        self.assertEqual((resp.text_words, resp.covered_words), (5, 4))
        # The one-unit-worth confidence bar: only the four-unit fragment is above 0.8.
        resp = self.stub.Fragments(self.pb.FragmentsRequest(memory="rpc", text=QUERY, min_confidence=0.8))
        self.assertEqual([f.target for f in resp.fragments], ["United Nations"])
        resp = self.stub.Fragments(self.pb.FragmentsRequest(memory="rpc", text=QUERY, max_fragments=1))
        self.assertEqual(len(resp.fragments), 1)
        # Nothing known.
        resp = self.stub.Fragments(self.pb.FragmentsRequest(memory="rpc", text="قطة سوداء صغيرة"))
        self.assertEqual((len(resp.fragments), resp.text_words, resp.covered_words), (0, 3, 0))

    def test_rpc_errors_name_the_field(self):
        self.make_memory("errs")
        for req, field in [
            (self.pb.FragmentsRequest(memory="errs", text=QUERY, max_fragments=101), "max_fragments"),
            (self.pb.FragmentsRequest(memory="errs", text=QUERY, min_confidence=float("nan")), "min_confidence"),
            (self.pb.FragmentsRequest(memory="errs", text=QUERY, min_confidence=-0.1), "min_confidence"),
            (self.pb.FragmentsRequest(memory="errs", text="x" * 70000), "text"),
            (self.pb.FragmentsRequest(memory="errs", text=QUERY,
                                      filter=self.pb.Filter(min_alignment_confidence=2)),
             "filter.min_alignment_confidence"),
        ]:
            with self.assertRaises(self.grpc.RpcError) as cm:
                self.stub.Fragments(req, timeout=30)
            self.assertEqual(cm.exception.code(), self.grpc.StatusCode.INVALID_ARGUMENT, field)
            self.assertTrue(cm.exception.details().startswith(field), cm.exception.details())
            self.assertIn(field, error_details(cm.exception)["fields"])
        with self.assertRaises(self.grpc.RpcError) as cm:
            self.stub.Fragments(self.pb.FragmentsRequest(memory="nope", text=QUERY), timeout=30)
        self.assertEqual(cm.exception.code(), self.grpc.StatusCode.NOT_FOUND)

    def test_cli(self):
        self.make_memory("cli")
        res = json.loads(self.ok("fragments", "--memory", "cli", "--json", QUERY))
        self.assertEqual([(f["source"], f["target"]) for f in res["fragments"]],
                         [("مجلس الأمن", "Security Council"), ("الأمم المتحدة", "United Nations")])
        un = res["fragments"][1]
        self.assertEqual(un["unit_ids"], ["4", "3", "2", "1"])
        self.assertAlmostEqual(un["confidence"], 0.8)
        self.assertEqual(un["supporting_units"], 4)
        self.assertEqual((res["text_words"], res["covered_words"]), (5, 4))
        # The table, and the text from stdin.
        out = self.ok("fragments", "--memory", "cli", "-", stdin=(QUERY + "\n").encode())
        lines = out.splitlines()
        self.assertEqual(len(lines), 3, out)
        self.assertIn("\tمجلس الأمن\tSecurity Council\tunits 6,5 (of 2)", lines[0])
        self.assertIn("\tالأمم المتحدة\tUnited Nations\tunits 4,3,2,1 (of 4)", lines[1])
        self.assertEqual(lines[2], "(4 of 5 words covered)")
        out = self.ok("fragments", "--memory", "cli", "--min-confidence", "0.8", "--max", "5", QUERY)
        self.assertNotIn("Security Council", out)
        self.assertIn("United Nations", out)
        # Usage errors exit 2, server errors 1.
        r = self.cli("fragments", "--memory", "cli", "--max", "0", QUERY)
        self.assertEqual(r.returncode, 2, r.stderr)
        r = self.cli("fragments", "--memory", "cli", "--min-confidence", "2", QUERY)
        self.assertEqual(r.returncode, 2, r.stderr)
        r = self.cli("fragments", "--memory", "nope", QUERY)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no memory named", r.stderr.decode())


if __name__ == "__main__":
    main("--stubs")
