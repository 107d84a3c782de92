"""End-to-end: XLIFF as CAT tools write it (issue 20), imported through the
real server and CLI into an en->ar memory: Trados SDLXLIFF and Okapi's
segmented XLIFF 1.2 (one unit per <mrk mtype="seg">), memoQ MQXLIFF, Phrase
MXLIFF and XLIFF 2.1. The fixtures (tests/service/formats/fixtures) were
written from each tool's documented structure, not copied from the tools.

For each: units read / added / failed / skipped as the README's "Files that
import" table gives them, with and without --only-final, and the units the
memory then holds (their ids, a segment's text).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ServerTestCase, main  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "service", "formats", "fixtures")

# file: (read, added, failed, skipped, added with --only-final)
EXPECTED = {
    "trados.sdlxliff": (11, 5, 1, 5, 2),
    "okapi_segmented.xlf": (6, 3, 0, 3, 1),
    "memoq.mqxliff": (7, 3, 0, 4, 2),
    "phrase.mxliff": (5, 2, 0, 3, 2),
    "sample21.xlf": (5, 3, 0, 2, 1),
}


class ImportCatXliffTest(ServerTestCase):
    count = 0

    def new_memory(self):
        type(self).count += 1
        name = f"cat{self.count}"
        self.ok("memory", "create", name, "--source", "en", "--target", "ar")
        return name

    def import_counts(self, memory, path, *extra, rc=0):
        """The report's counts and problems; `rc`: the CLI's exit code (1 when units failed)."""
        report = self.path(f"report-{memory}.json")
        r = self.cli("import", "--memory", memory, path, "--report", report, *extra, timeout=120)
        self.assertEqual(r.returncode, rc, (path, r.stdout.decode(), r.stderr.decode()))
        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
        return rep["counts"], rep["problems"]

    def test_each_flavour_imports(self):
        for name, (read, added, failed, skipped, final) in EXPECTED.items():
            with self.subTest(file=name):
                path = os.path.join(FIXTURES, name)
                m = self.new_memory()
                c, problems = self.import_counts(m, path, rc=1 if failed else 0)
                print(f"{name}: {c}", file=sys.stderr)
                self.assertEqual((c["units_read"], c["units_added"], c["units_failed"], c["units_skipped"]),
                                 (read, added, failed, skipped), problems)
                # Every problem names its unit.
                for p in problems:
                    self.assertTrue(p.get("unit_id"), p)
                shown = json.loads(self.ok("memory", "show", m, "--json"))
                self.assertEqual(shown["units"], added)
                m_final = self.new_memory()
                c, problems = self.import_counts(m_final, path, "--only-final", rc=1 if failed else 0)
                self.assertEqual(c["units_added"], final, problems)

    def test_trados_segments_are_units(self):
        m = self.new_memory()
        c, problems = self.import_counts(m, os.path.join(FIXTURES, "trados.sdlxliff"), rc=1)
        reasons = {p["unit_id"]: p["reason"] for p in problems}
        self.assertEqual(reasons["tu2/4"], 'not confirmed (Trados conf="Draft")')
        self.assertIn("unbalanced inline codes", reasons["tu4/9"])
        out = self.ok("lookup", "--memory", m, "Save the file.")
        self.assertIn("احفظ الملف.", out)


if __name__ == "__main__":
    main()
