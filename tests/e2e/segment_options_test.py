"""End-to-end: `qantara segment` options (--srx, --srx-mode, --keep-empty) and
the built-in rules, through the real server and CLI."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, ServerTestCase, main  # noqa: E402


class SegmentOptionsTest(ServerTestCase):
    def segment(self, text, *args):
        return self.ok("segment", *args, stdin=text.encode()).split("\n")[:-1]

    def test_builtin_abbreviation_rules(self):
        self.assertEqual(self.segment("Mr. Smith met Dr. Jones in the U.S. Senate. It rained.",
                                      "--lang", "en"),
                         ["Mr. Smith met Dr. Jones in the U.S. Senate.", "It rained."])
        self.assertEqual(self.segment("التقى د. سامي بالوزير. ثم غادر.", "--lang", "ar"),
                         ["التقى د. سامي بالوزير.", "ثم غادر."])

    def test_keep_empty_prints_blank_lines(self):
        self.assertEqual(self.segment("Title\n\nOne. Two.\n\n\nEnd.", "--lang", "en", "--keep-empty"),
                         ["Title", "", "One.", "Two.", "", "", "End."])
        self.assertEqual(self.segment("Title\n\nOne. Two.", "--lang", "en"), ["Title", "One.", "Two."])

    def test_user_srx_extends_and_replaces(self):
        srx = os.path.join(ARGS.fixtures, "extra_rules.srx")
        text = "Apple Inc. Chief Tim Cook spoke; Mr. Li listened."
        self.assertEqual(self.segment(text, "--lang", "en", "--srx", srx),
                         ["Apple Inc. Chief Tim Cook spoke;", "Mr. Li listened."])
        self.assertEqual(self.segment(text, "--lang", "en", "--srx", srx, "--srx-mode", "replace"),
                         ["Apple Inc. Chief Tim Cook spoke;", "Mr.", "Li listened."])
        # Not mapped for Arabic: the built-in rules alone.
        self.assertEqual(self.segment("أ؛ ب.", "--lang", "ar", "--srx", srx), ["أ؛ ب."])

    def test_invalid_srx_names_the_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.srx")
            with open(path, "w", encoding="utf-8") as f:
                f.write("<srx>\n<body>\n<languagerules>\n<languagerule languagerulename=\"x\">\n"
                        "<rule break=\"perhaps\"/>\n")
            r = self.cli("segment", "--lang", "en", "--srx", path, stdin=b"One. Two.")
            self.assertNotEqual(r.returncode, 0)
            self.assertEqual(r.stdout, b"")
            self.assertIn("SRX line 5", r.stderr.decode())
            r = self.cli("segment", "--lang", "en", "--srx", os.path.join(d, "missing.srx"),
                         stdin=b"One. Two.")
            self.assertEqual(r.returncode, 2)
            self.assertIn("missing.srx", r.stderr.decode())
        r = self.cli("segment", "--lang", "en", "--srx-mode", "merge", stdin=b"x")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--srx-mode", r.stderr.decode())


if __name__ == "__main__":
    main("--fixtures")
