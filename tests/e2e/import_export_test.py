"""End-to-end: TMX import and export through the real server and CLI
(counts, dry run, round trip, idempotent re-import, per-unit problems, bad
files, the real Translate Toolkit files in ../shared, Translate Toolkit
reading the export)."""

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, ServerTestCase, main  # noqa: E402

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tu_blocks(tmx_text):
    """The <tu> elements of a TMX file as written, in order."""
    return re.findall(r"<tu[ >].*?</tu>", tmx_text, flags=re.S)


def seg_pairs(path):
    """(en, ar) plain texts of every <tu> of a TMX file without inline codes."""
    pairs = []
    for tu in ET.parse(path).getroot().iter("tu"):
        texts = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()[:2]
            seg = tuv.find("seg")
            if lang not in texts and seg is not None:
                texts[lang] = "".join(seg.itertext())
        pairs.append((texts.get("en", ""), texts.get("ar", "")))
    return pairs


class ImportExportTest(ServerTestCase):
    count = 0

    def fixture(self, name):
        return os.path.join(ARGS.fixtures, name)

    def new_memory(self, source="en", target="ar"):
        type(self).count += 1
        name = f"m{self.count}"
        self.ok("memory", "create", name, "--source", source, "--target", target)
        return name

    def units(self, name):
        return json.loads(self.ok("memory", "show", name, "--json"))["units"]

    def import_file(self, memory, path, *extra, expect_rc=0, timeout=300):
        report = self.path(f"report-{memory}-{os.path.basename(path)}.json")
        r = self.cli("import", "--memory", memory, path, "--report", report, *extra, timeout=timeout)
        self.assertEqual(r.returncode, expect_rc, (path, r.stdout.decode(), r.stderr.decode()))
        with open(report, encoding="utf-8") as f:
            return json.load(f), r.stdout.decode(), r.stderr.decode()

    def export(self, memory, name):
        out = self.path(name)
        r = self.cli("export", "--memory", memory, "-o", out, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        with open(out, encoding="utf-8") as f:
            return out, f.read()

    def lookup_top(self, memory, text, threshold=100):
        out = json.loads(self.ok("lookup", "--memory", memory, "--json", "--threshold", str(threshold),
                                 text))
        self.assertTrue(out["matches"], text)
        return out["matches"][0]

    # ---- fixtures written for this test ----

    def test_import_counts_and_report(self):
        m = self.new_memory()
        rep, out, _ = self.import_file(m, self.fixture("import_good.tmx"))
        c = rep["counts"]
        self.assertEqual((c["units_read"], c["units_added"], c["units_skipped"], c["duplicates"],
                          c["units_failed"]), (10, 9, 1, 1, 0), rep)
        self.assertEqual(rep["format"], "tmx")
        self.assertEqual(rep["fatal_error"], "")
        dup = [p for p in rep["problems"] if p["severity"] == "skipped"]
        self.assertEqual(len(dup), 1)
        self.assertEqual(dup[0]["unit_id"], "7")
        self.assertIn("duplicate", dup[0]["reason"])
        self.assertGreater(dup[0]["line"], 30)
        self.assertIn("10 units read, 9 added", out)
        self.assertEqual(self.units(m), 9)
        # Inline codes are stored as the CAT tool shows them (native codes);
        # whitespace, escaped markup and language variants are kept as written.
        top = self.lookup_top(m, "Click <b>here</b> now.")
        self.assertEqual(top["source"], "Click <b>here</b> now.")
        self.assertEqual(top["target"], "انقر <b>هنا</b> الآن.")
        self.assertEqual(self.lookup_top(m, "Fish & chips <b>today</b>")["target"],
                         "سمك وبطاطا <b>اليوم</b>")
        self.assertEqual(self.lookup_top(m, "Settings", threshold=50)["target"], "\nالإعدادات\n")
        self.assertEqual(self.lookup_top(m, "3 files were saved")["target"], "تم حفظ ٣ ملفات")
        self.assertEqual(self.lookup_top(m, "Two spaces", threshold=50)["source"], "  Two  spaces  ")

    def test_dry_run_stores_nothing(self):
        m = self.new_memory()
        rep, out, _ = self.import_file(m, self.fixture("import_good.tmx"), "--dry-run")
        self.assertTrue(rep["dry_run"])
        self.assertEqual(rep["counts"]["units_read"], 10)
        self.assertEqual(rep["counts"]["units_added"], 9)  # would be added
        self.assertEqual(rep["counts"]["duplicates"], 1)
        self.assertIn("dry run", out)
        self.assertEqual(self.units(m), 0)

    def test_round_trip_and_idempotent_reimport(self):
        a = self.new_memory()
        self.import_file(a, self.fixture("import_good.tmx"))
        a_path, a_text = self.export(a, "a.tmx")
        self.assertTrue(a_text.startswith('<?xml version="1.0" encoding="UTF-8"?>'))
        self.assertIn("<header", a_text)
        self.assertEqual(len(tu_blocks(a_text)), 9)
        # Inline codes restored, attributes as props, dates kept.
        self.assertIn('<bpt i="1" type="bold">&lt;b&gt;</bpt>', a_text)
        self.assertIn('<ph x="1">&lt;br/&gt;</ph>', a_text)
        self.assertIn('<hi type="emphasis">', a_text)
        self.assertIn('<prop type="x-project">manual</prop>', a_text)
        self.assertIn('<prop type="x-client">acme</prop>', a_text)
        self.assertIn('creationdate="20240131T101500Z"', a_text)
        self.assertIn("<note>first unit</note>", a_text)
        # Plain units: the same texts as the original file, byte for byte.
        original = set(seg_pairs(self.fixture("import_good.tmx")))
        exported = seg_pairs(a_path)
        for pair in exported:
            self.assertIn(pair, original)
        # Re-import into a new memory and export again: the same units.
        b = self.new_memory()
        rep, _, _ = self.import_file(b, a_path)
        self.assertEqual((rep["counts"]["units_added"], rep["counts"]["units_skipped"]), (9, 0))
        _, b_text = self.export(b, "b.tmx")
        self.assertEqual(tu_blocks(a_text), tu_blocks(b_text))
        # Re-importing into the same memory adds nothing.
        for path in (self.fixture("import_good.tmx"), a_path):
            rep, _, _ = self.import_file(a, path)
            c = rep["counts"]
            self.assertEqual(c["units_added"], 0, rep)
            self.assertEqual(c["units_failed"], 0)
            self.assertEqual(c["duplicates"], c["units_read"])
        self.assertEqual(self.units(a), 9)
        _, a2_text = self.export(a, "a2.tmx")
        self.assertEqual(tu_blocks(a_text), tu_blocks(a2_text))

    def test_export_to_stdout_and_filters(self):
        m = self.new_memory()
        self.import_file(m, self.fixture("import_good.tmx"), "--project", "imported")
        r = self.cli("export", "--memory", m)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(len(tu_blocks(r.stdout.decode())), 9)
        self.assertIn("exported 9 units", r.stderr.decode())
        r = self.cli("export", "--memory", m, "--project", "manual")
        self.assertEqual(len(tu_blocks(r.stdout.decode())), 1)  # the file's own prop wins
        r = self.cli("export", "--memory", m, "--project", "imported")
        self.assertEqual(len(tu_blocks(r.stdout.decode())), 8)
        r = self.cli("export", "--memory", "no-such-memory")
        self.assertNotEqual(r.returncode, 0)

    def test_overwrite_policy(self):
        m = self.new_memory()
        self.import_file(m, self.fixture("import_good.tmx"))
        with open(self.fixture("import_good.tmx"), encoding="utf-8") as f:
            changed = f.read().replace("احفظ الملف قبل الإغلاق.", "احفظ الملف الآن.")
        path = self.path("changed.tmx")
        with open(path, "w", encoding="utf-8") as f:
            f.write(changed)
        rep, _, _ = self.import_file(m, path, "--on-duplicate", "overwrite")
        # tuid 1 overwrites the target (tuid 7, the same pair again, may count
        # as updated or as a duplicate); the others are duplicates.
        c = rep["counts"]
        self.assertGreaterEqual(c["units_updated"], 1, c)
        self.assertEqual(c["units_updated"] + c["duplicates"], 10, c)
        self.assertEqual(c["units_added"], 0)
        self.assertEqual(self.lookup_top(m, "Save the file before closing.")["target"], "احفظ الملف الآن.")
        self.assertEqual(self.units(m), 9)

    def test_per_unit_problems(self):
        m = self.new_memory()
        rep, out, err = self.import_file(m, self.fixture("import_problems.tmx"), expect_rc=1)
        c = rep["counts"]
        self.assertEqual((c["units_read"], c["units_added"], c["units_failed"]), (5, 2, 3), rep)
        errors = {p["unit_id"]: p for p in rep["problems"] if p["severity"] == "error"}
        self.assertEqual(set(errors), {"only-en", "unbalanced", "fr-de"})
        for p in errors.values():
            self.assertGreater(p["line"], 0)
            self.assertTrue(p["reason"])
        self.assertIn("error: line", out)
        self.assertEqual(self.units(m), 2)
        # --stop-on-error stops at the first failed unit; whole units before it stay.
        m2 = self.new_memory()
        rep, _, err = self.import_file(m2, self.fixture("import_problems.tmx"), "--stop-on-error",
                                       expect_rc=1)
        self.assertIn("stopped at the first failed unit", rep["fatal_error"])
        self.assertIn("stopped at the first failed unit", err)
        self.assertEqual(self.units(m2), 1)

    def test_bad_files(self):
        with open(self.fixture("import_good.tmx"), "rb") as f:
            good = f.read()
        header = (b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
                  b'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" '
                  b'datatype="plaintext"/><body>\n')
        unit = b'<tu><tuv xml:lang="en"><seg>%s</seg></tuv><tuv xml:lang="ar"><seg>%s</seg></tuv></tu>\n'
        bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
                + header.split(b"\n", 1)[1] + unit % (b"&c;", b"x") + b"</body></tmx>\n")
        xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
               + header.split(b"\n", 1)[1] + unit % (b"&xxe;", b"x") + b"</body></tmx>\n")
        cut = good.index(b"<tu tuid=\"4\">") + 60  # inside the fourth unit
        cases = {
            "truncated.tmx": (good[:cut], "line", 3),
            "invalid-utf8.tmx": (header + unit % (b"caf\xe9 ok", b"\xd9\x85\xd9\x82\xd9\x87\xd9\x89")
                                 + b"</body></tmx>\n", "line", 0),
            "wrong-encoding.tmx": (header.replace(b"UTF-8", b"UTF-16") + unit % (b"hello", b"x")
                                   + b"</body></tmx>\n", "line", 0),
            "bomb.tmx": (bomb, "line", 0),
            "xxe.tmx": (xxe, "line", 0),
            "not-xml.tmx": (b"source\ttarget\nhello\tmarhaba\n", "line", 0),
            "empty.tmx": (b"", "empty", 0),
        }
        for name, (data, word, whole_units) in cases.items():
            with self.subTest(name=name):
                path = self.path(name)
                with open(path, "wb") as f:
                    f.write(data)
                m = self.new_memory()
                rep, out, err = self.import_file(m, path, expect_rc=1)
                self.assertTrue(rep["fatal_error"], rep)
                self.assertIn(word, rep["fatal_error"])
                self.assertIn(f"{name}: ", err)
                self.assertEqual(self.units(m), whole_units, rep)
                if whole_units:
                    _, text = self.export(m, f"after-{name}")
                    self.assertNotIn("in a new window", text)  # the cut unit is not half-stored
                # Nothing of /etc/passwd anywhere.
                if name == "xxe.tmx":
                    self.assertNotIn("root:", json.dumps(rep))

    def test_xliff(self):
        m = self.new_memory()
        rep, out, _ = self.import_file(m, self.fixture("import_sample.xlf"))
        c = rep["counts"]
        self.assertEqual(rep["format"], "xliff")
        self.assertEqual((c["units_read"], c["units_added"], c["units_skipped"], c["units_failed"]),
                         (4, 2, 2, 0), rep)
        skipped = {p["unit_id"] for p in rep["problems"] if p["severity"] == "skipped"}
        self.assertEqual(skipped, {"todo", "draft"})
        _, text = self.export(m, "from-xliff.tmx")
        self.assertEqual(len(tu_blocks(text)), 2)
        self.assertIn("<bpt", text)  # the <g> code kept as a TMX code
        m2 = self.new_memory()
        rep, _, _ = self.import_file(m2, self.fixture("import_sample.xlf"), "--only-final")
        self.assertEqual(rep["counts"]["units_added"], 1)

    def test_usage_errors(self):
        r = self.cli("import", "--memory", "nope", self.fixture("import_good.tmx"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("nope", r.stderr.decode())
        m = self.new_memory()
        r = self.cli("import", "--memory", m, self.path("missing.tmx"))
        self.assertEqual(r.returncode, 2)
        r = self.cli("import", "--memory", m, self.fixture("import_good.tmx"), "--on-duplicate", "x")
        self.assertEqual(r.returncode, 2)

    # ---- files no one on the project wrote ----

    def shared_file(self, name):
        path = os.path.join(ARGS.shared, "data", "tmx-translate-toolkit", name)
        if not os.path.exists(path):
            self.skipTest(f"{path} absent (../shared not mounted)")
        return path

    def expected_counts(self, path):
        pairs = seg_pairs(path)
        nonempty = [p for p in pairs if p[0] and p[1]]
        return len(pairs), len(set(nonempty)), len(pairs) - len(nonempty)

    def test_translate_toolkit_files(self):
        for name in ("gnucash.tmx", "vlc.tmx", "vlc-utf16le.tmx"):
            with self.subTest(name=name):
                path = self.shared_file(name)
                tus, unique, empty = self.expected_counts(path)
                with open(path, "rb") as f:
                    raw = f.read()
                text = raw.decode("utf-16") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8")
                self.assertEqual(tus, len(re.findall(r"<tu[ >]", text)))
                m = self.new_memory()
                rep, out, _ = self.import_file(m, path)
                c = rep["counts"]
                self.assertEqual(c["units_failed"], 0, rep["problems"][:5])
                self.assertEqual(c["units_read"], tus)
                self.assertEqual(c["units_added"], unique)
                self.assertEqual(c["duplicates"], tus - empty - unique)
                self.assertEqual(c["units_skipped"], tus - unique)
                self.assertEqual(self.units(m), unique)
                print(f"{name}: {tus} <tu>, {unique} added, {c['duplicates']} exact duplicates, "
                      f"{empty} empty; {rep['elapsed_ms']} ms", file=sys.stderr)

    def test_translate_toolkit_round_trip(self):
        path = self.shared_file("gnucash.tmx")
        a = self.new_memory()
        self.import_file(a, path)
        a_path, a_text = self.export(a, "gnucash-a.tmx")
        b = self.new_memory()
        rep, _, _ = self.import_file(b, a_path)
        self.assertEqual(rep["counts"]["units_added"], self.units(a))
        _, b_text = self.export(b, "gnucash-b.tmx")
        self.assertEqual(tu_blocks(a_text), tu_blocks(b_text))
        # The stored texts are the file's texts, byte for byte.
        self.assertEqual(set(seg_pairs(a_path)), {p for p in seg_pairs(path) if p[0] and p[1]})
        self.translate_toolkit_reads(a_path, self.units(a))

    def translate_toolkit_reads(self, path, units):
        """Translate Toolkit (Debian translate-toolkit) parses the export."""
        python = "/usr/bin/python3"
        probe = subprocess.run([python, "-c", "import translate.storage.tmx"], capture_output=True)
        if probe.returncode != 0:
            print("translate-toolkit not installed: skipped reading the export with it", file=sys.stderr)
            return
        script = ("import sys, json\nfrom translate.storage import tmx\n"
                  "f = tmx.tmxfile.parsefile(sys.argv[1])\n"
                  "print(json.dumps([[u.source, u.target] for u in f.units]))\n")
        r = subprocess.run([python, "-c", script, path], capture_output=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        units_tt = json.loads(r.stdout)
        self.assertEqual(len(units_tt), units)
        ours = set(seg_pairs(path))
        self.assertEqual({(s, t) for s, t in units_tt}, ours)


if __name__ == "__main__":
    main("--fixtures", "--shared")
