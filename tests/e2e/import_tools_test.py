"""End-to-end: files that real tools write, made here from what Debian ships
(issue 20), imported through the real server and CLI.

Debian's Arabic catalogues (/usr/share/locale/ar/LC_MESSAGES/{apt,appstream}.mo)
are turned back into PO files with gettext's `msgunfmt`, then into XLIFF 1.1
with Translate Toolkit's `po2xliff` (a <file> with source-language="en-US"
and no target-language, the PO header as a restype="x-gettext-domain-header"
unit), into TMX with `po2tmx` and into CSV with `po2csv` ("location",
"source","target", every field quoted, CRLF rows, LF inside fields). The XLIFF must import as the TMX does:
every translated unit added, none failed, the header skipped, one warning
that the target language was inferred. The PO itself imports through
gettext's parser (plural forms, fuzzy entries, syntax errors; csv2po's
PO without a Language header). Then the languages as a user meets
them: a file of another pair fails once with a clear error and stores
nothing; `--source-lang/--target-lang` import a file whose languages are
wrong; they are refused for a TMX. The CSV must import as the TMX does too,
every row read and accounted for, also when its name does not say CSV, and
as the headerless TSV `qantara add --tsv` reads. Last, the way out: a memory
exported as PO (`qantara export --format po`) passes `msgfmt --check`,
imports back as the same units and is read by po2tmx.

Exits 77 (ctest: skipped) when msgunfmt, po2xliff/po2tmx or the catalogues
are missing (deploy/install-deps.sh installs gettext and translate-toolkit).
"""

import json
import os
import shutil
import subprocess
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ServerTestCase, main  # noqa: E402

SKIP_CODE = 77
LOCALE_DIR = "/usr/share/locale/ar/LC_MESSAGES"
# Those installed of these (apt's is always there unless the image strips locales).
CATALOGUES = [c for c in ("apt", "appstream") if os.path.exists(os.path.join(LOCALE_DIR, c + ".mo"))]


def missing():
    for tool in ("msgunfmt", "po2xliff", "po2tmx", "po2csv"):
        if shutil.which(tool) is None:
            return f"{tool} not found (deploy/install-deps.sh installs gettext and translate-toolkit)"
    if "apt" not in CATALOGUES:
        return f"{LOCALE_DIR}/apt.mo not found (a system image without translations)"
    return None


class ImportToolsTest(ServerTestCase):
    count = 0

    def new_memory(self):
        type(self).count += 1
        name = f"tools{self.count}"
        self.ok("memory", "create", name, "--source", "en", "--target", "ar")
        return name

    def run_tool(self, *args):
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        self.assertEqual(r.returncode, 0, (args, r.stderr.decode(errors="replace")))

    def catalogue(self, name):
        """(po, xlf, tmx) paths made from the installed catalogue `name`."""
        po, xlf, tmx = (self.path(f"{name}.{ext}") for ext in ("po", "xlf", "tmx"))
        if not os.path.exists(tmx):
            self.run_tool("msgunfmt", os.path.join(LOCALE_DIR, name + ".mo"), "-o", po)
            self.run_tool("po2xliff", po, xlf)
            self.run_tool("po2tmx", "-l", "ar", po, tmx)
        return po, xlf, tmx

    def csv_of(self, name):
        """The po2csv file of catalogue `name` and its rows (header left out)."""
        import csv
        po, _, _ = self.catalogue(name)
        path = self.path(f"{name}.csv")
        if not os.path.exists(path):
            self.run_tool("po2csv", po, path)
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["location", "source", "target"])
        return path, rows[1:]

    def import_report(self, memory, path, *extra, expect_rc=0):
        import json
        report = self.path(f"report-{memory}.json")
        r = self.cli("import", "--memory", memory, path, "--report", report, *extra, timeout=120)
        if expect_rc is not None:  # None: any (the report is read)
            self.assertEqual(r.returncode, expect_rc, (path, r.stdout.decode(), r.stderr.decode()))
        if expect_rc not in (0, None):
            return None, r.stderr.decode()
        with open(report, encoding="utf-8") as f:
            return json.load(f), r.stdout.decode()

    def units(self, memory):
        import json
        return json.loads(self.ok("memory", "show", memory, "--json"))["units"]

    def test_po2xliff_imports_as_po2tmx(self):
        for name in CATALOGUES:
            with self.subTest(catalogue=name):
                _, xlf, tmx = self.catalogue(name)
                with open(xlf, encoding="utf-8") as f:
                    text = f.read()
                self.assertIn('source-language="en-US"', text)
                self.assertNotIn("target-language", text)  # as po2xliff writes it
                trans_units = text.count("<trans-unit")
                m_tmx, m_xlf = self.new_memory(), self.new_memory()
                rep_tmx, _ = self.import_report(m_tmx, tmx)
                rep_xlf, out = self.import_report(m_xlf, xlf)
                c_tmx, c_xlf = rep_tmx["counts"], rep_xlf["counts"]
                print(f"{name}: {trans_units} trans-units; po2tmx: {c_tmx}; po2xliff: {c_xlf}", file=sys.stderr)
                self.assertEqual(c_xlf["units_failed"], 0, rep_xlf["problems"][:5])
                self.assertGreater(c_xlf["units_added"], 50)
                self.assertEqual(c_xlf["units_added"], c_tmx["units_added"])
                self.assertEqual(self.units(m_xlf), self.units(m_tmx))
                self.assertEqual(c_xlf["warnings"], 1)
                warnings = [p for p in rep_xlf["problems"] if p["severity"] == "warning"]
                self.assertEqual(len(warnings), 1)
                self.assertIn("no target language: taken as 'ar'", warnings[0]["reason"])
                headers = [p for p in rep_xlf["problems"] if "PO header" in p["reason"]]
                self.assertEqual(len(headers), 1, rep_xlf["problems"][:5])
                self.assertEqual(headers[0]["severity"], "skipped")
                # Every trans-unit is accounted for: added, or skipped (the
                # header, and duplicates of units already added).
                self.assertEqual(c_xlf["units_read"], trans_units)
                self.assertEqual(c_xlf["units_added"] + c_xlf["units_skipped"], trans_units)

    def test_po2csv_imports_as_po2tmx(self):
        for name in CATALOGUES:
            with self.subTest(catalogue=name):
                csv_path, rows = self.csv_of(name)
                _, _, tmx = self.catalogue(name)
                m_tmx, m_csv = self.new_memory(), self.new_memory()
                rep_tmx, _ = self.import_report(m_tmx, tmx)
                rep_csv, out = self.import_report(m_csv, csv_path)
                c_tmx, c = rep_tmx["counts"], rep_csv["counts"]
                print(f"{name}: {len(rows)} CSV rows; po2tmx: {c_tmx}; po2csv: {c}", file=sys.stderr)
                self.assertEqual(rep_csv["format"], "csv")
                self.assertIn(f"{csv_path} (csv) into {m_csv}", out)
                self.assertEqual(rep_csv["fatal_error"], "")
                # Every row is read, and imports or is left out with a reason.
                self.assertEqual(c["units_read"], len(rows))
                self.assertEqual(c["units_added"] + c["units_skipped"] + c["units_failed"], c["units_read"])
                for p in rep_csv["problems"]:
                    self.assertTrue(p["reason"], p)
                    self.assertGreater(p["line"], 1, p)
                self.assertEqual(c["units_failed"], 0, rep_csv["problems"][:5])
                self.assertEqual(c["warnings"], 0, rep_csv["problems"][:5])
                self.assertEqual(c["units_added"], c_tmx["units_added"])
                self.assertEqual(c["duplicates"], c_tmx["duplicates"])
                self.assertEqual(self.units(m_csv), self.units(m_tmx))
                # A row with a line break inside its quoted fields is one unit,
                # stored with the break.
                multi = [r for r in rows if "\n" in r[1]]
                self.assertTrue(multi)
                exported = self.ok("export", "--memory", m_csv)
                self.assertIn(f"<seg>{escape(multi[0][2])}</seg>", exported)

    def test_csv_detected_by_content_and_headerless_tsv(self):
        csv_path, rows = self.csv_of("apt")
        # No name to tell: the header row does.
        anon = self.path("apt-export")
        shutil.copyfile(csv_path, anon)
        m = self.new_memory()
        rep, out = self.import_report(m, anon, "--dry-run")
        self.assertEqual(rep["format"], "csv")
        self.assertIn("(csv)", out)
        self.assertEqual(rep["counts"]["units_read"], len(rows))
        self.assertEqual(rep["counts"]["units_failed"], 0)
        # The two-column TSV of `qantara add --tsv` (rows without a tab or a
        # line break), and one row with no tab: it fails with its line.
        plain = [r for r in rows if "\n" not in r[1] + r[2] and "\t" not in r[1] + r[2]]
        tsv = self.path("apt.tsv")
        with open(tsv, "w", encoding="utf-8", newline="") as f:
            for r in plain:
                f.write(f"{r[1]}\t{r[2]}\r\n")
            f.write("a line without a tab\n")
        rep, out = self.import_report(m, tsv, expect_rc=None)
        c = rep["counts"]
        print(f"apt: headerless TSV of {len(plain)} rows + 1 without a tab: {c}", file=sys.stderr)
        self.assertEqual(rep["format"], "csv")
        self.assertEqual(c["units_read"], len(plain) + 1)
        self.assertEqual(c["units_failed"], 1)
        failed = [p for p in rep["problems"] if p["severity"] == "error"]
        self.assertEqual(failed[0]["line"], len(plain) + 1)
        self.assertEqual(failed[0]["reason"], "no tab between source and target")
        self.assertEqual(c["units_added"] + c["units_skipped"], len(plain))
        self.assertEqual(self.units(m), c["units_added"])

    def test_languages_of_another_pair_fail_once(self):
        _, xlf, tmx = self.catalogue("apt")
        with open(xlf, encoding="utf-8") as f:
            text = f.read()
        wrong = self.path("apt-fr.xlf")
        with open(wrong, "w", encoding="utf-8") as f:
            f.write(text.replace('source-language="en-US"', 'source-language="en-US" target-language="fr"'))
        m = self.new_memory()
        _, err = self.import_report(m, wrong, expect_rc=self.cli_error_rc(m, wrong))
        self.assertIn("file languages 'en-US' -> 'fr' are not the memory's en/ar pair", err)
        self.assertEqual(err.count("are not the memory's"), 1, err)
        self.assertEqual(self.units(m), 0)
        # The user says what the file holds: it imports.
        rep, _ = self.import_report(m, wrong, "--target-lang", "ar")
        self.assertGreater(rep["counts"]["units_added"], 50)
        self.assertEqual(rep["counts"]["warnings"], 0)
        self.assertEqual(rep["counts"]["units_failed"], 0)
        # Not for a TMX (its segments name their own languages).
        r = self.cli("import", "--memory", m, tmx, "--source-lang", "en")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("a TMX file names each segment's own", r.stderr.decode())
        r = self.cli("import", "--memory", m, wrong, "--source-lang", "fr")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("source_lang: unsupported language 'fr'", r.stderr.decode())

    def test_po_imports_directly(self):
        """The PO that msgunfmt writes imports through gettext's own parser:
        every translated message as po2tmx's TMX has it (plural messages give
        one unit per form, so at least as many), none failed; the format is
        detected by content from stdin; fuzzy entries wait for --include-fuzzy."""
        for name in CATALOGUES:
            with self.subTest(catalogue=name):
                po, _, tmx = self.catalogue(name)
                m_po, m_tmx = self.new_memory(), self.new_memory()
                rep_tmx, _ = self.import_report(m_tmx, tmx)
                rep_po, out = self.import_report(m_po, po)
                c_po, c_tmx = rep_po["counts"], rep_tmx["counts"]
                print(f"{name}: po2tmx: {c_tmx}; po: {c_po}", file=sys.stderr)
                self.assertEqual(rep_po["format"], "po")
                self.assertEqual(c_po["units_failed"], 0, rep_po["problems"][:5])
                self.assertEqual(c_po["warnings"], 0, rep_po["problems"][:5])
                self.assertGreaterEqual(c_po["units_added"], c_tmx["units_added"])
                with open(po, encoding="utf-8") as f:
                    text = f.read()
                plural_forms = text.count("\nmsgstr[")
                plurals = text.count("\nmsgid_plural")
                messages = text.count("\nmsgid ") + (1 if text.startswith("msgid ") else 0) - 1  # the header
                # Every message (one unit a plural form) is read, and added or skipped.
                self.assertEqual(c_po["units_read"], messages - plurals + plural_forms)
                self.assertEqual(c_po["units_added"] + c_po["units_skipped"], c_po["units_read"])  # skipped: duplicates too
        po, _, tmx = self.catalogue("apt")
        with open(po, encoding="utf-8") as f:
            text = f.read()
        # Translate Toolkit's csv2po writes a header without Language: the
        # memory's direction is taken, with one warning that says so.
        if shutil.which("po2csv") and shutil.which("csv2po"):
            csv, po2 = self.path("apt-tt.csv"), self.path("apt-csv2po.po")
            self.run_tool("po2csv", po, csv)
            self.run_tool("csv2po", csv, po2)
            m = self.new_memory()
            rep, _ = self.import_report(m, po2)
            print(f"apt via po2csv + csv2po: {rep['counts']}", file=sys.stderr)
            self.assertEqual(rep["counts"]["units_added"], 151, rep["problems"][:5])
            self.assertEqual(rep["counts"]["units_failed"], 0)
            warnings = [p for p in rep["problems"] if p["severity"] == "warning"]
            self.assertEqual(len(warnings), 1, warnings)
            self.assertIn("no Language", warnings[0]["reason"])
        # From stdin, no name: detected by content.
        m = self.new_memory()
        r = self.cli("import", "--memory", m, "-", stdin=text.encode(), timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("imported - (po) into", r.stdout.decode())
        # A fuzzy entry is skipped, saying why; --include-fuzzy takes it.
        first = text.index("\nmsgid ", text.index("msgstr"))
        fuzzy = self.path("apt-fuzzy.po")
        with open(fuzzy, "w", encoding="utf-8") as f:
            f.write(text[:first] + "\n#, fuzzy" + text[first:])
        m = self.new_memory()
        rep, _ = self.import_report(m, fuzzy)
        skipped = [p for p in rep["problems"] if "fuzzy" in p["reason"]]
        self.assertEqual(len(skipped), 1, rep["problems"][:5])
        self.assertEqual(skipped[0]["severity"], "skipped")
        self.assertGreater(skipped[0]["line"], 1)
        added = rep["counts"]["units_added"]
        m2 = self.new_memory()
        rep2, _ = self.import_report(m2, fuzzy, "--include-fuzzy")
        self.assertEqual(rep2["counts"]["units_added"], added + 1)
        # A broken PO fails once, naming its line; nothing is stored.
        broken = self.path("apt-broken.po")
        lines = text.split("\n")
        at = next(i for i, line in enumerate(lines) if i > 20 and line.startswith("msgid "))
        lines[at] = lines[at] + ' "unterminated'
        with open(broken, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        m3 = self.new_memory()
        _, err = self.import_report(m3, broken, expect_rc=self.cli_error_rc(m3, broken))
        self.assertIn(f"line {at + 1}: not a valid PO file", err)
        self.assertEqual(self.units(m3), 0)

    def export(self, memory, path, *extra):
        """`qantara export` of `memory` into `path`; returns its stderr."""
        r = self.cli("export", "--memory", memory, *extra, path, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r.stderr.decode()

    def tmx_pairs(self, path):
        """The sorted (source, target) pairs of a TMX file, English first."""
        import xml.etree.ElementTree as ET
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        pairs = []
        for tu in ET.parse(path).getroot().iter("tu"):
            seg = {tuv.get(lang).lower()[:2]: "".join(tuv.find("seg").itertext()) for tuv in tu.findall("tuv")}
            pairs.append((seg["en"], seg["ar"]))
        return sorted(pairs)

    def test_po_export_round_trip(self):
        """A memory imported from apt.po, exported with --format po: msgfmt
        --check accepts the file; imported into a new memory it gives the
        same units (as TMX exports of both show); Translate Toolkit's po2tmx
        reads it; the format follows the output's name."""
        import re
        po, _, _ = self.catalogue("apt")
        m1 = self.new_memory()
        rep, _ = self.import_report(m1, po)
        read = self.units(m1)
        self.assertGreater(read, 50)
        # A second target for one source (PO needs each msgctxt + msgid once),
        # and a unit a PO cannot hold (only its source ends with a newline).
        self.ok("add", "--memory", m1, "--policy", "keep", "Export check", "فحص التصدير")
        self.ok("add", "--memory", m1, "--policy", "keep", "Export check", "تحقق التصدير")
        self.ok("add", "--memory", m1, "Ends with a newline\n", "لا ينتهي بسطر جديد")
        self.assertEqual(self.units(m1), read + 3)
        n = read + 2  # what the PO holds
        out = self.path("apt-export.po")
        err = self.export(m1, out, "--format", "po")
        self.assertRegex(err, rf"exported {n:,} units from {m1} to .*, left out 1 units whose text a PO file cannot hold")
        r = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", out], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(r.stderr.decode(), "")  # not even a warning
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(f'"Project-Id-Version: {m1}\\n"', text)
        self.assertIn('"Language: ar\\n"', text)
        self.assertIn('"Content-Type: text/plain; charset=UTF-8\\n"', text)
        self.assertIn('"X-Generator: qantara\\n"', text)
        self.assertRegex(text, r'"PO-Revision-Date: \d{4}-\d\d-\d\d \d\d:\d\d\+0000\\n"')
        self.assertEqual(text.count("\nmsgid "), n + 1)  # the header entry
        self.assertIn('\nmsgid "Export check"\nmsgstr "فحص التصدير"\n', text)
        self.assertRegex(text, r'\nmsgctxt "qantara:\d+"\nmsgid "Export check"\nmsgstr "تحقق التصدير"\n')
        # The name decides the format: .po is PO, anything else TMX.
        by_name = self.path("apt-by-name.po")
        self.export(m1, by_name)
        with open(by_name, encoding="utf-8") as f:
            self.assertEqual(re.sub(r"PO-Revision-Date: [^\\]*", "", f.read()),
                             re.sub(r"PO-Revision-Date: [^\\]*", "", text))
        # Imported back: every unit, none failed or skipped, the same pairs.
        m2 = self.new_memory()
        rep2, _ = self.import_report(m2, out)
        c = rep2["counts"]
        self.assertEqual(rep2["format"], "po")
        self.assertEqual((c["units_read"], c["units_added"], c["units_failed"], c["units_skipped"], c["warnings"]),
                         (n, n, 0, 0, 0), rep2["problems"][:5])
        self.assertEqual(self.units(m2), n)
        tmx1, tmx2 = self.path("apt-m1.tmx"), self.path("apt-m2.tmx")
        self.export(m1, tmx1)
        self.export(m2, tmx2, "--format", "tmx")
        pairs = [p for p in self.tmx_pairs(tmx1) if p[0] != "Ends with a newline\n"]
        self.assertEqual(len(pairs), n)
        self.assertEqual(self.tmx_pairs(tmx2), pairs)
        # Translate Toolkit reads it: po2tmx gives the same pairs.
        tt = self.path("apt-export-po2tmx.tmx")
        self.run_tool("po2tmx", "-l", "ar", out, tt)
        self.assertEqual(self.tmx_pairs(tt), pairs)
        # A format qantara does not export fails, naming the flag.
        r = self.cli("export", "--memory", m1, "--format", "xliff", self.path("x.xlf"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--format must be tmx or po", r.stderr.decode())

    def cli_error_rc(self, memory, path):
        """The exit code of an import that fails as a whole (probed once)."""
        r = self.cli("import", "--memory", memory, path, "--dry-run")
        self.assertNotEqual(r.returncode, 0, r.stdout.decode())
        return r.returncode


if __name__ == "__main__":
    why = missing()
    if why:
        print(f"SKIP: {why}")
        sys.exit(SKIP_CODE)
    main()
