"""End-to-end: `qantara align` against the real qantara-server (AlignService)."""

import ast
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import NEWS_AR as AR, NEWS_EN as EN, ServerTestCase, main  # noqa: E402


def parse_beads(text):
    beads = []
    for line in text.splitlines():
        left, right = line.split(":", 1)
        beads.append((ast.literal_eval(left), ast.literal_eval(right)))
    return beads


class AlignCliTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ar = os.path.join(cls.tmp.name, "ar.txt")
        cls.en = os.path.join(cls.tmp.name, "en.txt")
        with open(cls.ar, "w", encoding="utf-8") as f:
            f.write("\n".join(AR) + "\n")
        with open(cls.en, "w", encoding="utf-8") as f:
            f.write("\n".join(EN) + "\n")
        cls.ar_doc = os.path.join(cls.tmp.name, "ar.doc")
        cls.en_doc = os.path.join(cls.tmp.name, "en.doc")
        with open(cls.ar_doc, "w", encoding="utf-8") as f:
            f.write(AR[0] + "\n\n" + " ".join(AR[1:3]) + "\n\n" + " ".join(AR[3:]) + "\n")
        with open(cls.en_doc, "w", encoding="utf-8") as f:
            f.write(" ".join(EN[0:2]) + "\n\n" + " ".join(EN[2:5]) + "\n\n" + EN[5] + "\n\n" + EN[6] + "\n")

    def test_beads_cover_every_line_once_in_order(self):
        r = self.cli("align", "--sentences", self.ar, self.en, "--format", "beads")
        self.assertEqual(r.returncode, 0, r.stderr)
        beads = parse_beads(r.stdout.decode())
        ar_seen = [i for a, _ in beads for i in a]
        en_seen = [j for _, e in beads for j in e]
        self.assertEqual(ar_seen, list(range(len(AR))))
        self.assertEqual(en_seen, list(range(len(EN))))
        self.assertIn(([1], [0]), beads)
        self.assertIn(([2], [1]), beads)
        self.assertIn(([3], [2]), beads)
        self.assertIn(([4], [3, 4]), beads)
        self.assertIn(([0], []), beads)
        self.assertIn(([], [5]), beads)
        self.assertIn(([5, 6], [6]), beads)
        # The exact line format of the shared scorer.
        self.assertIn("[4]:[3, 4]", r.stdout.decode().splitlines())

    def test_beads_is_the_default_and_stdin_works(self):
        with open(self.ar, "rb") as f:
            r = self.cli("align", "--sentences", "-", self.en, stdin=f.read())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.decode().splitlines()[0], "[0]:[]")

    def test_tsv_from_documents(self):
        r = self.cli("align", self.ar_doc, self.en_doc, "--format", "tsv")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [line.split("\t") for line in r.stdout.decode().splitlines()]
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(len(row), 3, row)
            self.assertTrue(row[0] and row[1])
            self.assertTrue(0.0 <= float(row[2]) <= 1.0)
        pairs = {(a, e) for a, e, _ in rows}
        self.assertIn((AR[1], EN[0]), pairs)
        self.assertIn((AR[4], EN[3] + " " + EN[4]), pairs)
        self.assertIn((AR[5] + " " + AR[6], EN[6]), pairs)
        # Boilerplate has no counterpart, so no row.
        self.assertFalse(any(a == AR[0] for a, _, _ in rows))
        self.assertFalse(any(e == EN[5] for _, e, _ in rows))

    def test_tmx(self):
        r = self.cli("align", "--sentences", self.ar, self.en, "--format", "tmx")
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.fromstring(r.stdout)
        self.assertEqual(root.tag, "tmx")
        self.assertEqual(root.find("header").get("srclang"), "ar")
        tus = root.find("body").findall("tu")
        self.assertEqual(len(tus), 5)
        first = tus[0]
        segs = [tuv.find("seg").text for tuv in first.findall("tuv")]
        self.assertEqual(segs, [AR[1], EN[0]])
        conf = [p for p in first.findall("prop") if p.get("type") == "x-qantara-confidence"]
        self.assertEqual(len(conf), 1)
        self.assertTrue(0.0 <= float(conf[0].text) <= 1.0)

    def test_errors(self):
        r = self.cli("align", "-", "-", stdin=b"x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("stdin", r.stderr.decode())
        r = self.cli("align", "/nonexistent/ar.txt", self.en)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent/ar.txt", r.stderr.decode())
        r = self.cli("align", self.ar, self.en, "--format", "xml")
        self.assertNotEqual(r.returncode, 0)
        r = self.cli("align", "--sentences", "-", self.en, stdin=b"\xff bad")
        self.assertEqual(r.returncode, 2)
        self.assertIn("UTF-8", r.stderr.decode())

    def test_empty_side(self):
        empty = os.path.join(self.tmp.name, "empty.txt")
        open(empty, "w").close()
        r = self.cli("align", "--sentences", empty, self.en)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(parse_beads(r.stdout.decode()), [([], [j]) for j in range(len(EN))])


if __name__ == "__main__":
    main()
