"""End-to-end: `qantara import-docs`, `qantara align-to-memory` and `qantara align --memory`
against the real qantara-server (AlignService/AlignToMemory), then `qantara lookup` finds the
stored pairs; a document pair that is not a translation is skipped, with the reason."""

import argparse
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import NEWS_AR, NEWS_EN, Server, run_cli  # noqa: E402

ARGS = None

# Document pair 1 is NEWS_AR / NEWS_EN (qantara_e2e); pair 2 is 1-1 throughout.
HEALTH_AR = [
    "افتتحت وزارة الصحة 12 مستشفى جديدا في عام 2023.",
    "وقالت الوزارة إن المستشفيات ستخدم أكثر من 500 ألف مريض.",
    "وتلقى الأطباء تدريبا في لندن وباريس.",
]
HEALTH_EN = [
    "The health ministry opened 12 new hospitals in 2023.",
    "The ministry said the hospitals would serve more than 500,000 patients.",
    "The doctors were trained in London and Paris.",
]
# Document pair 3, as HTML (1-1 throughout).
WEB_AR = [
    "وصل فريق كرة القدم إلى مدريد يوم الجمعة.",
    "وفاز الفريق بالمباراة 3 مقابل 1.",
]
WEB_EN = [
    "The football team arrived in Madrid on Friday.",
    "The team won the match 3 to 1.",
]
# An English document on something else (tests/fixtures/seed-comparable.en.txt): paired with
# NEWS_AR it is not a translation.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                       "seed-comparable.en.txt"), encoding="utf-8") as _f:
    OTHER_EN = [line.rstrip("\n") for line in _f if line.strip()]


def doc(sentences, paragraphs):
    """Running prose: `paragraphs` lists how many sentences each paragraph takes."""
    out, k = [], 0
    for n in paragraphs:
        out.append(" ".join(sentences[k:k + n]))
        k += n
    return "\n\n".join(out) + "\n"


def html(sentences, lang):
    body = "".join(f"<p>{s}</p>" for s in sentences)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>x</title>'
            f"<script>var a = 1;</script></head><body><nav>{'القائمة' if lang == 'ar' else 'Menu'}"
            f"</nav>{body}</body></html>")


def write(path, text, mode="w"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        f.write(text)


class ImportDocsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(ARGS.server_bin)
        cls.tmp = tempfile.TemporaryDirectory(prefix="qantara-import-docs-e2e-")
        cls.docs = os.path.join(cls.tmp.name, "docs")
        os.makedirs(os.path.join(cls.docs, "sub"))
        write(os.path.join(cls.docs, "news.ar.txt"), doc(NEWS_AR, [1, 2, 4]))
        write(os.path.join(cls.docs, "news.en.txt"), doc(NEWS_EN, [2, 3, 1, 1]))
        write(os.path.join(cls.docs, "health_ar.txt"), "\ufeff" + doc(HEALTH_AR, [3]))
        write(os.path.join(cls.docs, "health_en.txt"), doc(HEALTH_EN, [2, 1]))
        write(os.path.join(cls.docs, "web.ar.html"), html(WEB_AR, "ar"))
        write(os.path.join(cls.docs, "web.en.html"), html(WEB_EN, "en"))
        write(os.path.join(cls.docs, "orphan.ar.txt"), "نص بلا مقابل.\n")
        write(os.path.join(cls.docs, "readme.md"), "not a document\n")
        write(os.path.join(cls.docs, "sub", "deep.ar"), "جملة.\n")
        write(os.path.join(cls.docs, "sub", "deep.en"), "A sentence.\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.tmp.cleanup()

    def cli(self, *args, **kw):
        return run_cli(ARGS.cli_bin, self.server.address, *args, **kw)

    def ok(self, *args, **kw):
        r = self.cli(*args, **kw)
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))
        return r

    def lookup(self, memory, text):
        r = self.ok("lookup", "--memory", memory, "--json", text)
        return json.loads(r.stdout)["matches"]

    def test_import_docs_then_lookup(self):
        self.ok("memory", "create", "docs", "--source", "ar", "--target", "en")
        report = os.path.join(self.tmp.name, "report.json")
        r = self.ok("import-docs", "--memory", "docs", "--threshold", "0.5", "--project", "p1",
                    "--report", report, self.docs)
        out, err = r.stdout.decode(), r.stderr.decode()
        # Progress lines: pairs done/total and units stored so far.
        self.assertIn("[1/3] health:", err)
        self.assertIn("[3/3] web:", err)
        self.assertIn("units stored so far", err)
        # Unpaired files are reported, not failures.
        self.assertIn("orphan.ar.txt: no English counterpart", err)
        self.assertIn("readme.md", err)
        self.assertNotIn("deep", err)  # not recursive: sub/ is not read
        self.assertIn("imported 3 pairs into docs: 3 aligned, 0 failed; 2 files left unpaired", out)

        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
        self.assertEqual(rep["pairs_total"], 3)
        self.assertEqual(rep["pairs_failed"], 0)
        self.assertEqual([p["name"] for p in rep["pairs"]], ["health", "news", "web"])
        self.assertEqual(sorted(os.path.basename(u["file"]) for u in rep["unpaired"]),
                         ["orphan.ar.txt", "readme.md"])
        for p in rep["pairs"]:
            self.assertTrue(p["ok"])
            c = p["counts"]
            self.assertEqual(c["stored"] + c["overwritten"] + c["skipped_duplicates"] +
                             c["below_threshold"] + c["many_not_stored"] + c["one_sided"] +
                             c["not_parallel"], c["beads"], p)
            self.assertFalse(c["skipped"], p)
            self.assertGreater(c["parallel_share"], 0.3, p)
        health = rep["pairs"][0]["counts"]
        self.assertEqual(health["stored"], 3)
        web = rep["pairs"][2]["counts"]
        self.assertGreaterEqual(web["stored"], 2)  # (and maybe the <nav>: القائمة / Menu)
        news = rep["pairs"][1]["counts"]
        self.assertGreaterEqual(news["stored"], 2)
        self.assertEqual(news["many_not_stored"] + news["below_threshold"] + news["stored"], 5)
        total = rep["totals"]["stored"]
        show = json.loads(self.ok("memory", "show", "docs", "--json").stdout)
        self.assertEqual(show["units"], total)

        # A stored pair is found by lookup, with its origin and attributes.
        m = self.lookup("docs", HEALTH_AR[1])
        self.assertTrue(m)
        self.assertEqual(m[0]["score"], 100)
        self.assertEqual(m[0]["target"], HEALTH_EN[1])
        m = self.lookup("docs", "وفاز الفريق بالمباراة 3 مقابل 1.")
        self.assertEqual(m[0]["target"], WEB_EN[1])
        m = self.lookup("docs", NEWS_AR[3])
        self.assertEqual(m[0]["target"], NEWS_EN[2])

        # Importing again stores nothing twice.
        r = self.ok("import-docs", "--memory", "docs", "--threshold", "0.5", "-q", self.docs)
        self.assertIn(" 0 stored", r.stdout.decode())
        self.assertIn("duplicates skipped", r.stdout.decode())
        show = json.loads(self.ok("memory", "show", "docs", "--json").stdout)
        self.assertEqual(show["units"], total)

        # Recursive: the pair in sub/ too; a list of files works as well.
        self.ok("memory", "create", "deep", "--source", "en", "--target", "ar")
        r = self.ok("import-docs", "--memory", "deep", "-r", "--threshold", "0", "--dry-run",
                    self.docs)
        self.assertIn("[3/4] sub/deep:", r.stderr.decode())
        self.assertIn("dry run of 4 pairs", r.stdout.decode())
        r = self.ok("import-docs", "--memory", "deep", "--threshold", "0",
                    os.path.join(self.docs, "health_ar.txt"), os.path.join(self.docs, "health_en.txt"))
        self.assertIn("imported 1 pairs into deep", r.stdout.decode())
        # The English-source memory got English sources.
        m = self.lookup("deep", HEALTH_EN[0])
        self.assertEqual(m[0]["target"], HEALTH_AR[0])

    def test_pair_that_is_not_a_translation_is_skipped(self):
        self.ok("memory", "create", "mixed", "--source", "ar", "--target", "en")
        mixed = os.path.join(self.tmp.name, "mixed")
        os.makedirs(mixed)
        write(os.path.join(mixed, "health.ar.txt"), doc(HEALTH_AR, [3]))
        write(os.path.join(mixed, "health.en.txt"), doc(HEALTH_EN, [3]))
        write(os.path.join(mixed, "other.ar.txt"), doc(NEWS_AR, [1, 2, 4]))
        write(os.path.join(mixed, "other.en.txt"), doc(OTHER_EN, [1, 6]))
        report = os.path.join(self.tmp.name, "mixed.json")
        r = self.ok("import-docs", "--memory", "mixed", "--threshold", "0.5", "--report", report, mixed)
        out, err = r.stdout.decode(), r.stderr.decode()
        # Not a failure (exit 0), but said in the progress line and the summary, with the reason.
        self.assertIn("[2/2] other:", err)
        self.assertIn("SKIPPED, not a translation: parallel share", err)
        self.assertIn("2 aligned, 0 failed; 0 files left unpaired", out)
        self.assertIn("1 skipped as not parallel", out)
        self.assertIn("min parallel share 0.10", out)
        self.assertIn("pairs skipped as not parallel (nothing stored):\n  other: not a translation: "
                      "parallel share", out)
        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
        self.assertEqual(rep["pairs_skipped_not_parallel"], 1)
        health, other = rep["pairs"]
        self.assertFalse(health["counts"]["skipped"])
        self.assertEqual(health["counts"]["stored"], 3)
        c = other["counts"]
        self.assertTrue(c["skipped"])
        self.assertIn("is below 0.10", c["skip_reason"])
        self.assertLess(c["parallel_share"], 0.1)
        self.assertEqual(c["stored"], 0)
        self.assertEqual(c["stored"] + c["below_threshold"] + c["many_not_stored"] + c["one_sided"] +
                         c["not_parallel"] + c["skipped_duplicates"] + c["overwritten"], c["beads"])
        show = json.loads(self.ok("memory", "show", "mixed", "--json").stdout)
        self.assertEqual(show["units"], 3)
        # --min-parallel-share 0: never skipped (what is stored is up to the threshold).
        r = self.ok("align-to-memory", "--memory", "mixed", "--threshold", "0.5", "--min-parallel-share",
                    "0", "--dry-run", "--json", os.path.join(mixed, "other.ar.txt"),
                    os.path.join(mixed, "other.en.txt"))
        c = json.loads(r.stdout)
        self.assertFalse(c["skipped"])
        self.assertEqual(c["min_parallel_share"], 0)
        # align-to-memory's plain output says why too.
        r = self.ok("align-to-memory", "--memory", "mixed", "--dry-run",
                    os.path.join(mixed, "other.ar.txt"), os.path.join(mixed, "other.en.txt"))
        self.assertIn("0 would be stored", r.stdout.decode())
        self.assertIn("SKIPPED, not a translation: parallel share", r.stdout.decode())
        r = self.cli("import-docs", "--memory", "mixed", "--min-parallel-share", "1.5", mixed)
        self.assertNotEqual(r.returncode, 0)

    def test_failures_and_exit_codes(self):
        self.ok("memory", "create", "fail", "--source", "ar", "--target", "en")
        bad = os.path.join(self.tmp.name, "bad")
        os.makedirs(bad)
        write(os.path.join(bad, "good.ar.txt"), doc(HEALTH_AR, [3]))
        write(os.path.join(bad, "good.en.txt"), doc(HEALTH_EN, [3]))
        write(os.path.join(bad, "broken.ar.txt"), b"\xff\xfe not utf-8\n", "wb")
        write(os.path.join(bad, "broken.en.txt"), "Fine.\n")
        report = os.path.join(bad, "report.json")
        r = self.cli("import-docs", "--memory", "fail", "--threshold", "0", "--report", report, bad)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("[1/2] broken: FAILED", r.stderr.decode())
        self.assertIn("UTF-8", r.stderr.decode())
        self.assertIn("1 aligned, 1 failed", r.stdout.decode())
        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
        self.assertEqual(rep["pairs"][0]["ok"], False)
        self.assertIn("UTF-8", rep["pairs"][0]["error"])
        self.assertEqual(rep["pairs"][1]["counts"]["stored"], 3)
        self.assertEqual(rep["unpaired"], [])  # the report file itself is not a document

        # No such memory: every pair fails, the run stops after the first.
        r = self.cli("import-docs", "--memory", "nope", self.docs)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not found", r.stderr.decode())
        self.assertIn("not tried", r.stderr.decode())
        # No pairs, or no such directory: usage errors.
        empty = os.path.join(self.tmp.name, "empty")
        os.makedirs(empty)
        r = self.cli("import-docs", "--memory", "fail", empty)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no document pairs", r.stderr.decode())
        r = self.cli("import-docs", "--memory", "fail", os.path.join(self.tmp.name, "missing"))
        self.assertEqual(r.returncode, 2)
        r = self.cli("import-docs", "--memory", "fail", "--threshold", "2", self.docs)
        self.assertNotEqual(r.returncode, 0)

    def test_align_to_memory_and_align_with_memory(self):
        self.ok("memory", "create", "single", "--source", "ar", "--target", "en")
        ar = os.path.join(self.docs, "news.ar.txt")
        en = os.path.join(self.docs, "news.en.txt")
        r = self.ok("align-to-memory", "--memory", "single", "--threshold", "0", "--include-many",
                    "--json", ar, en)
        counts = json.loads(r.stdout)
        self.assertEqual(counts["stored"], 5)
        self.assertEqual(counts["one_sided"], 2)
        m = self.lookup("single", NEWS_AR[4])
        self.assertEqual(m[0]["target"], NEWS_EN[3] + " " + NEWS_EN[4])
        r = self.ok("align-to-memory", "--memory", "single", "--threshold", "0", ar, en)
        self.assertIn("duplicates skipped", r.stdout.decode())
        r = self.cli("align-to-memory", "--memory", "nope", ar, en)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope", r.stderr.decode())
        # align --memory: the memory's lexicon helps; nothing is stored.
        before = json.loads(self.ok("memory", "show", "single", "--json").stdout)["units"]
        r = self.ok("align", "--memory", "single", ar, en, "--format", "tsv")
        self.assertIn(NEWS_EN[2], r.stdout.decode())
        after = json.loads(self.ok("memory", "show", "single", "--json").stdout)["units"]
        self.assertEqual(before, after)
        r = self.cli("align", "--memory", "nope", ar, en)
        self.assertEqual(r.returncode, 1)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--server-bin", required=True)
    ap.add_argument("--cli-bin", required=True)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
