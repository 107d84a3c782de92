"""End-to-end: a TMX whose one segment is 100 MB, streamed to the real server
through `qantara import` (ImportExportService/Import); and a CSV whose one
quoted field (commas, doubled quotes, line breaks) is 100 MB.

The unit with the huge segment fails with a reason naming the limit and its
line; the units around it are stored whole (nothing of the huge unit is); a
dry run and --stop-on-error say the same; the server stays healthy and its
peak memory grows by far less than the segment (it never holds it)."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ServerTestCase, main  # noqa: E402

SEGMENT_BYTES = 100 * 1000 * 1000
MAX_SEGMENT_BYTES = 4 << 20  # ReaderOptions::max_segment_bytes
# Peak RSS the server may gain from the import (the segment is 100 MB; one
# copy of it would be more): the reader buffers at most max_segment_bytes of
# markup and as much text before it drops the unit, gRPC's flow-control window
# a few MB more. Measured: 30 to 37 MB, and 37 MB for a 300 MB segment too.
MAX_RSS_GROWTH_KB = 80 * 1024

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<tmx version="1.4"><header creationtool="e2e" creationtoolversion="1" segtype="sentence" '
          'o-tmf="e2e" adminlang="en" srclang="en" datatype="plaintext"/><body>\n')
GOOD_1 = ('<tu tuid="before"><tuv xml:lang="en"><seg>Save the file.</seg></tuv>'
          '<tuv xml:lang="ar"><seg>احفظ الملف.</seg></tuv></tu>\n')
GOOD_2 = ('<tu tuid="after"><tuv xml:lang="en"><seg>Close the window.</seg></tuv>'
          '<tuv xml:lang="ar"><seg>أغلق النافذة.</seg></tuv></tu>\n')
BIG_WORD = "Lorem ipsum dolor sit amet & more; "  # 35 bytes of text, 39 in the file


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/PID/status")


class BigSegmentTest(ServerTestCase):
    # No FreeDict: its background load would blur the server's peak RSS.
    server_args = ("--dictd-dir", "/nonexistent/qantara-no-dictd")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmx = cls.tmp.name + "/big.tmx"
        word = BIG_WORD.replace("&", "&amp;")
        repeat = SEGMENT_BYTES // len(word) + 1
        block = word * 10000
        with open(cls.tmx, "w", encoding="utf-8") as f:
            f.write(HEADER + GOOD_1)
            f.write('<tu tuid="huge">\n<tuv xml:lang="en"><seg>')
            for _ in range(repeat // 10000 + 1):
                f.write(block)
            f.write('</seg></tuv>\n<tuv xml:lang="ar"><seg>نص طويل جدا</seg></tuv></tu>\n')
            f.write(GOOD_2 + "</body></tmx>\n")
        cls.count = 0

    def new_memory(self):
        type(self).count += 1
        name = f"big{self.count}"
        self.ok("memory", "create", name, "--source", "en", "--target", "ar")
        return name

    def import_big(self, memory, *extra):
        report = self.path(f"report-{memory}.json")
        start = time.monotonic()
        r = self.cli("import", "--memory", memory, self.tmx, "--report", report, "-q", *extra,
                     timeout=600)
        elapsed = time.monotonic() - start
        self.assertEqual(r.returncode, 1, (r.stdout.decode(), r.stderr.decode()))
        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
        print(f"import {' '.join(extra) or '(stored)'}: {os.path.getsize(self.tmx) / 1e6:.0f} MB "
              f"in {elapsed:.1f} s; server peak RSS {peak_rss_kb(self.server.proc.pid) / 1024:.0f} MB",
              file=sys.stderr)
        return rep, r.stdout.decode(), r.stderr.decode()

    def units(self, memory):
        return json.loads(self.ok("memory", "show", memory, "--json"))["units"]

    def exported(self, memory):
        out = self.path(f"{memory}.tmx")
        self.ok("export", "--memory", memory, "-o", out)
        with open(out, encoding="utf-8") as f:
            return f.read()

    def assert_huge_unit_failed(self, rep):
        errors = [p for p in rep["problems"] if p["severity"] == "error"]
        self.assertEqual(len(errors), 1, rep["problems"])
        self.assertEqual(errors[0]["unit_id"], "huge")
        self.assertEqual(errors[0]["line"], 4)  # the <tu> start tag
        self.assertIn(f"longer than {MAX_SEGMENT_BYTES} bytes (max_segment_bytes)", errors[0]["reason"])

    def test_1_huge_unit_fails_alone_and_the_server_stays_bounded(self):
        self.assertGreater(os.path.getsize(self.tmx), SEGMENT_BYTES)
        m = self.new_memory()
        before = peak_rss_kb(self.server.proc.pid)
        rep, out, err = self.import_big(m)
        c = rep["counts"]
        self.assertEqual(rep["fatal_error"], "", rep)
        self.assertEqual((c["units_read"], c["units_added"], c["units_failed"]), (3, 2, 1), c)
        self.assertEqual(c["bytes"], os.path.getsize(self.tmx))
        self.assert_huge_unit_failed(rep)
        self.assertIn("line 4", out)
        # The units on both sides are stored whole; nothing of the huge one.
        self.assertEqual(self.units(m), 2)
        text = self.exported(m)
        self.assertIn("<seg>Save the file.</seg>", text)
        self.assertIn("<seg>أغلق النافذة.</seg>", text)
        self.assertNotIn("Lorem", text)
        self.assertNotIn("نص طويل", text)
        self.assertLess(len(text), 4096)
        # Healthy, and it never held the segment.
        self.assertEqual(self.ok("health"), "SERVING\nwrites: SERVING\n")
        growth = peak_rss_kb(self.server.proc.pid) - before
        print(f"server peak RSS grew by {growth / 1024:.1f} MB", file=sys.stderr)
        self.assertLess(growth, MAX_RSS_GROWTH_KB)

    def test_2_dry_run_says_the_same_and_stores_nothing(self):
        m = self.new_memory()
        rep, _, _ = self.import_big(m, "--dry-run")
        self.assertTrue(rep["dry_run"])
        c = rep["counts"]
        self.assertEqual((c["units_read"], c["units_added"], c["units_failed"]), (3, 2, 1), c)
        self.assert_huge_unit_failed(rep)
        self.assertEqual(self.units(m), 0)

    def test_3_stop_on_error_keeps_only_the_unit_before(self):
        m = self.new_memory()
        rep, _, err = self.import_big(m, "--stop-on-error")
        self.assertIn("stopped at the first failed unit (line 4)", rep["fatal_error"])
        self.assertIn("max_segment_bytes", rep["fatal_error"])
        self.assertIn("stopped at the first failed unit", err)
        self.assertEqual(self.units(m), 1)
        self.assertNotIn("Lorem", self.exported(m))
        self.assertEqual(self.ok("health"), "SERVING\nwrites: SERVING\n")


    def test_4_huge_csv_field_fails_its_row_alone(self):
        csv_path = self.tmp.name + "/big.csv"
        chunk = 'Lorem, "ipsum"\ndolor; '.replace('"', '""') * 10000
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            f.write("id,source,target\r\nbefore,Save the file.,احفظ الملف.\r\nhuge,\"")
            for _ in range(SEGMENT_BYTES // len(chunk) + 1):
                f.write(chunk)
            f.write('",نص طويل جدا\r\nafter,Close the window.,أغلق النافذة.\r\n')
        m = self.new_memory()
        pid = self.server.proc.pid
        try:  # the peak RSS from now on (Linux: 5 resets VmHWM)
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass
        before = peak_rss_kb(pid)
        report = self.path(f"report-{m}.json")
        r = self.cli("import", "--memory", m, csv_path, "--report", report, "-q", timeout=600)
        self.assertEqual(r.returncode, 1, (r.stdout.decode(), r.stderr.decode()))
        with open(report, encoding="utf-8") as f:
            rep = json.load(f)
        growth = peak_rss_kb(pid) - before
        print(f"CSV: {os.path.getsize(csv_path) / 1e6:.0f} MB, server peak RSS grew by {growth / 1024:.1f} MB",
              file=sys.stderr)
        c = rep["counts"]
        self.assertEqual(rep["format"], "csv")
        self.assertEqual(rep["fatal_error"], "", rep)
        self.assertEqual((c["units_read"], c["units_added"], c["units_failed"]), (3, 2, 1), c)
        errors = [p for p in rep["problems"] if p["severity"] == "error"]
        self.assertEqual(len(errors), 1, rep["problems"])
        self.assertEqual(errors[0]["line"], 3)  # the row's first line
        self.assertEqual(errors[0]["unit_id"], "huge")
        self.assertEqual(errors[0]["reason"],
                         f"field 2 is larger than {MAX_SEGMENT_BYTES} bytes (max_segment_bytes)")
        self.assertEqual(self.units(m), 2)
        text = self.exported(m)
        self.assertIn("<seg>Close the window.</seg>", text)
        self.assertNotIn("Lorem", text)
        self.assertLess(growth, MAX_RSS_GROWTH_KB)


if __name__ == "__main__":
    main()
