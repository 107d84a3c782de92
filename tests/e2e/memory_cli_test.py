"""End-to-end: translation memories through the real server and CLI
(memory create/list/show/delete, add one and --tsv, lookup, concordance)."""

import json
import os
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, ServerTestCase, main, run_cli  # noqa: E402

# A small Arabic -> English memory written for this test.
UNITS = [
    ("احفظ الملف قبل الخروج", "Save the file before leaving"),
    ("افتح الملف الجديد", "Open the new file"),
    ("تم حفظ ٣ ملفات", "3 files were saved"),
    ("هل تريد حذف هذه الرسالة؟", "Do you want to delete this message?"),
    ("المدرسة قريبة من البيت", "The school is near the house"),
]


class MemoryCliTest(ServerTestCase):
    server_args = ("--allow-exhaustive",)

    def make_memory(self, name):
        self.ok("memory", "create", name, "--source", "ar-SA", "--target", "en")
        tsv = "".join(f"{a}\t{e}\n" for a, e in UNITS).encode()
        out = self.ok("add", "--memory", name, "--tsv", "-", stdin=tsv)
        self.assertIn("added 5, skipped 0", out)

    def lookup(self, name, *args):
        return json.loads(self.ok("lookup", "--memory", name, "--json", *args))

    def test_memory_lifecycle(self):
        self.make_memory("life")
        show = json.loads(self.ok("memory", "show", "life", "--json"))
        self.assertEqual(show["name"], "life")
        self.assertEqual(show["source_lang"], "ar-SA")
        self.assertEqual(show["target_lang"], "en")
        self.assertEqual(show["units"], 5)
        self.assertIn("life\tar-SA -> en\t5 units", self.ok("memory", "list"))
        r = self.cli("memory", "create", "life", "--source", "ar", "--target", "en")
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr.decode())
        r = self.cli("memory", "create", "x", "--source", "ar", "--target", "ar")
        self.assertEqual(r.returncode, 2)
        self.assertIn("deleted memory life (5 units)", self.ok("memory", "delete", "life"))
        r = self.cli("memory", "show", "life")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no memory named", r.stderr.decode())

    def test_unit_show_and_update_with_revisions(self):
        self.ok("memory", "create", "rev", "--source", "ar", "--target", "en")
        self.assertIn("added unit 1", self.ok("add", "--memory", "rev", "قرار المحكمة", "The court's decision"))
        shown = json.loads(self.ok("unit", "show", "rev", "1", "--json"))
        self.assertEqual(shown["revision"], 1)
        self.assertEqual(shown["target"], "The court's decision")
        self.assertIn("unit 1 (revision 1)", self.ok("unit", "show", "rev", "1"))
        # A change from revision 1: only the target changes; revision 2.
        out = json.loads(self.ok("unit", "update", "rev", "1", "--target", "The ruling of the court",
                                 "--revision", "1", "--json"))
        self.assertEqual(out["revision"], 2)
        self.assertEqual(out["source"], "قرار المحكمة")
        self.assertEqual(out["target"], "The ruling of the court")
        # A second translator who also read revision 1: refused, nothing written.
        r = self.cli("unit", "update", "rev", "1", "--project", "appeals", "--revision", "1")
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode()
        self.assertIn("changed since revision 1", err)
        self.assertIn("qantara unit show rev 1", err)
        now = json.loads(self.ok("unit", "show", "rev", "1", "--json"))
        self.assertEqual(now["revision"], 2)
        self.assertEqual(now["project"], "")
        self.assertEqual(now["target"], "The ruling of the court")
        # Redone from revision 2: both changes kept.
        out = json.loads(self.ok("unit", "update", "rev", "1", "--project", "appeals", "--attr", "court=cassation",
                                 "--revision", "2", "--json"))
        self.assertEqual(out["revision"], 3)
        self.assertEqual(out["project"], "appeals")
        self.assertEqual(out["extra"], {"court": "cassation"})
        self.assertEqual(out["target"], "The ruling of the court")
        # Nothing to change is a usage error; a missing unit is reported.
        self.assertEqual(self.cli("unit", "update", "rev", "1").returncode, 2)
        r = self.cli("unit", "show", "rev", "99")
        self.assertEqual(r.returncode, 1)
        self.assertIn("99", r.stderr.decode())

    def test_add_one_default_policy_skips_identical_pair(self):
        self.ok("memory", "create", "one", "--source", "en", "--target", "ar")
        self.assertIn("added unit 1", self.ok("add", "--memory", "one", "Good morning", "صباح الخير"))
        self.assertIn("skipped", self.ok("add", "--memory", "one", "Good morning", "صباح الخير"))
        self.assertIn("added unit 2", self.ok("add", "--memory", "one", "Good morning", "صباح النور"))
        self.assertEqual(json.loads(self.ok("memory", "show", "one", "--json"))["units"], 2)
        # The added unit is returned by the very next lookup.
        res = self.lookup("one", "Good morning")
        self.assertEqual(len(res["matches"]), 2)

    def test_dash_dash_ends_the_options(self):
        # Text starting with '-' after `--`: add it, look it up, find it.
        self.ok("memory", "create", "dash", "--source", "ar", "--target", "en")
        self.assertIn("added unit 1",
                      self.ok("add", "--memory", "dash", "--", "-احفظ الملف قبل الخروج", "-save"))
        self.assertIn("added unit 2", self.ok("add", "--memory", "dash", "نص عادي", "--", "-x"))
        res = json.loads(self.ok("lookup", "--memory", "dash", "--json", "--",
                                 "-احفظ الملف قبل الخروج"))
        self.assertEqual(res["matches"][0]["score"], 100)
        self.assertEqual(res["matches"][0]["source"], "-احفظ الملف قبل الخروج")
        self.assertEqual(res["matches"][0]["target"], "-save")
        hits = json.loads(self.ok("concordance", "--memory", "dash", "--json", "--", "-احفظ"))
        self.assertEqual([h["target"] for h in hits["hits"]], ["-save"])
        self.assertEqual(json.loads(self.ok("memory", "show", "--json", "--", "dash"))["units"], 2)
        # Without `--` the text is an unknown option: a usage error, nothing added.
        r = self.cli("lookup", "--memory", "dash", "-احفظ")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.decode().strip().splitlines()), 1, r.stderr)

    def test_lookup_json_shape_and_arabic_variants(self):
        self.make_memory("look")
        # Harakat, tatweel, hamza and ta-marbuta forms and a bidi mark: still the unit, >= 95.
        variant = "\u200fإحفَظ الملـــف قبل الخروج"
        res = self.lookup("look", variant)
        self.assertGreaterEqual(len(res["matches"]), 1)
        m = res["matches"][0]
        for key in ("score", "gross_score", "penalties", "source", "target", "unit_id"):
            self.assertIn(key, m)
        self.assertIsInstance(m["unit_id"], str)
        self.assertEqual(m["target"], "Save the file before leaving")
        self.assertEqual(m["gross_score"], 100)
        self.assertGreaterEqual(m["score"], 95)
        self.assertIn("orthography", [p["kind"] for p in m["penalties"]])
        self.assertIsInstance(res["candidates_scored"], int)
        # A fuzzy match with the differences: one word of four replaced -> 75.
        res = self.lookup("look", "احفظ الملف قبل النوم", "--threshold", "50")
        self.assertEqual(res["matches"][0]["score"], 75)
        self.assertEqual(res["matches"][0]["target"], "Save the file before leaving")
        # Exhaustive gives the same answer and says how many it scored.
        ex = self.lookup("look", "احفظ الملف قبل النوم", "--threshold", "50", "--exhaustive")
        self.assertEqual([x["unit_id"] for x in ex["matches"]],
                         [x["unit_id"] for x in res["matches"]])
        self.assertEqual(ex["candidates_scored"], 5)
        # Numbers: not an edit, 2 points, target adapted.
        res = self.lookup("look", "تم حفظ 7 ملفات")
        m = res["matches"][0]
        self.assertEqual(m["gross_score"], 100)
        self.assertEqual(m["score"], 98)
        self.assertTrue(m["adapted"])
        self.assertEqual(m["adapted_target"], "7 files were saved")
        # Reverse: English query against the targets.
        res = self.lookup("look", "Open the new files", "--reverse", "--threshold", "50")
        self.assertEqual(res["matches"][0]["target"], "افتح الملف الجديد")
        # No match.
        self.assertEqual(self.lookup("look", "قطة سوداء")["matches"], [])
        # stdin and human output with the differences marked.
        out = self.ok("lookup", "--memory", "look", "--threshold", "50", "-",
                      stdin="احفظ الملف قبل النوم\n".encode())
        self.assertIn("75.0", out)
        self.assertIn("[الخروج]", out)
        self.assertIn("Save the file before leaving", out)

    def test_concordance(self):
        self.make_memory("conc")
        res = json.loads(self.ok("concordance", "--memory", "conc", "--json", "الملف"))
        self.assertEqual(len(res["hits"]), 2)
        for h in res["hits"]:
            b, e = h["spans"][0]
            self.assertEqual(h["source"].encode()[b:e].decode(), "الملف")
        res = json.loads(self.ok("concordance", "--memory", "conc", "--target", "--json", "the FILE"))
        self.assertEqual(len(res["hits"]), 1)
        out = self.ok("concordance", "--memory", "conc", "الملف")
        self.assertIn("[الملف]", out)

    def test_tsv_errors_and_missing_memory(self):
        self.ok("memory", "create", "bad", "--source", "en", "--target", "ar")
        r = self.cli("add", "--memory", "bad", "--tsv", "-", stdin=b"no tab here\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn(":1: no TAB", r.stderr.decode())
        r = self.cli("add", "--memory", "nope", "a", "b")
        self.assertEqual(r.returncode, 1)
        r = self.cli("lookup", "--memory", "nope", "x")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no memory named", r.stderr.decode())

    def test_units_survive_restart(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            with Server(ARGS.server_bin, data_dir=data) as s:
                run = lambda *a, **kw: run_cli(ARGS.cli_bin, s.address, *a, **kw)  # noqa: E731
                self.assertEqual(run("memory", "create", "p", "--source", "ar", "--target", "en").returncode, 0)
                tsv = "".join(f"{a}\t{e}\n" for a, e in UNITS).encode()
                self.assertEqual(run("add", "--memory", "p", "--tsv", "-", stdin=tsv).returncode, 0)
                code, err = s.stop(signal.SIGTERM)
                self.assertEqual(code, 0, err)
            with Server(ARGS.server_bin, data_dir=data) as s:
                r = run_cli(ARGS.cli_bin, s.address, "lookup", "--memory", "p", "--json",
                            "افتح الملف الجديد")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(json.loads(r.stdout)["matches"][0]["score"], 100)


if __name__ == "__main__":
    main()
