"""End-to-end: `qantara normalize` and `qantara tokenize` against the real
server (TextService/Normalize and TextService/Tokenize)."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ServerTestCase, main  # noqa: E402


class TextNormCliTest(ServerTestCase):
    def ok(self, *args, **kw):
        r = self.ok_result(*args, **kw)
        self.assertEqual(r.stderr, b"")
        return r.stdout.decode()

    # --- normalize -------------------------------------------------------

    def test_normalize_arabic_variants_meet_in_one_key(self):
        a = self.ok("normalize", "--lang", "ar", "أَحْمَدُ ذهبَ إلى المدرسةِ عام ٢٠٢٤")
        b = self.ok("normalize", "--lang", "ar", "احمد ذهب الى المدرسه عام 2024")
        self.assertEqual(a, "احمد ذهب الي المدرسه عام 2024\n")
        self.assertEqual(a, b)

    def test_normalize_english_case_quotes_and_marks(self):
        out = self.ok("normalize", "--lang", "en", "\u200fThe \u201cQuick\u201d Fox \u2014 OK")
        self.assertEqual(out, 'the "quick" fox - ok\n')

    def test_normalize_reads_stdin(self):
        for args in (("normalize",), ("normalize", "-")):
            out = self.ok(*args, stdin="كـــتاب\nسطر ثانٍ\n".encode())
            self.assertEqual(out, "كتاب\nسطر ثان\n")

    def test_normalize_rule_flags(self):
        self.assertEqual(self.ok("normalize", "--no-ta-marbuta", "مدرسة"), "مدرسة\n")
        self.assertEqual(self.ok("normalize", "--no-digits", "--no-fold-case", "Year ٢٠٢٤"),
                         "Year ٢٠٢٤\n")
        out = self.ok("normalize", "--rules", "diacritics,alef", "--show-rules", "أَحْمَد Hello")
        self.assertEqual(out, "احمد Hello\nrules: diacritics,alef\n")
        out = self.ok("normalize", "--rules", "none", "--show-rules", "أَحْمَد")
        self.assertEqual(out, "أَحْمَد\nrules: none\n")
        out = self.ok("normalize", "--show-rules", "--no-hamza", "x")
        self.assertEqual(out.splitlines()[1],
                         "rules: nfkc,diacritics,tatweel,format_marks,alef,alef_maqsura,"
                         "ta_marbuta,digits,fold_case,punctuation")

    def test_normalize_offsets_point_back_to_the_input(self):
        text = "\u200fأَب Straße"
        out = self.ok("normalize", "--offsets", "--show-rules", text).splitlines()
        self.assertEqual(out[0], "اب strasse")
        offsets = [int(x) for x in out[1].split(" ")[1:]]
        key = out[0].encode()
        raw = text.encode()
        self.assertEqual(len(offsets), len(key) + 1)
        self.assertEqual(offsets[-1], len(raw))
        self.assertEqual(offsets[0], 3)  # after the RLM
        self.assertEqual(offsets[key.index(b"s")], raw.index(b"S"))
        self.assertEqual(offsets[key.index(b"ss")], raw.index("ß".encode()))
        self.assertTrue(out[2].startswith("rules: nfkc,"))

    def test_normalize_text_starting_with_dash(self):
        self.assertEqual(self.ok("normalize", "--", "-Minus"), "-minus\n")

    def test_normalize_errors(self):
        r = self.cli("normalize", "--rules", "vowels", "x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown normalisation rule 'vowels'", r.stderr.decode())
        r = self.cli("normalize", "--lang", "fr", "x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unsupported language", r.stderr.decode())
        r = self.cli("normalize", stdin=b"ok \xd9")
        self.assertEqual(r.returncode, 2)
        self.assertIn("invalid UTF-8 at byte offset 3", r.stderr.decode())
        self.assertEqual(r.stdout, b"")

    # --- tokenize --------------------------------------------------------

    def test_tokenize_lines(self):
        out = self.ok("tokenize", "--lang", "ar",
                      stdin="اضغط <b>حفظ</b> لحذف %s ملفات، أو زر www.qantara.org ٣٫٥".encode())
        rows = [line.split("\t") for line in out.splitlines()]
        self.assertEqual(rows, [
            ["اضغط", "word", "اضغط"],
            ["<b>", "tag", "<b>"],
            ["حفظ", "word", "حفظ"],
            ["</b>", "tag", "</b>"],
            ["لحذف", "word", "لحذف"],
            ["%s", "placeholder", "%s"],
            ["ملفات", "word", "ملفات"],
            ["،", "punctuation", "،"],
            ["أو", "word", "او"],
            ["زر", "word", "زر"],
            ["www.qantara.org", "url", "www.qantara.org"],
            ["٣٫٥", "number", "3.5"],
        ])

    def test_tokenize_clitics_and_stems(self):
        out = self.ok("tokenize", "--lang", "ar", "--clitics", "--stem",
                      stdin="والكتاب للطلاب وزير".encode())
        rows = [line.split("\t") for line in out.splitlines()]
        self.assertEqual(rows[0], ["والكتاب", "word", "والكتاب", "كتاب", "و+ال+كتاب"])
        self.assertEqual(rows[1][4], "ل+ال+طلاب")
        self.assertEqual(rows[2][4], "-")

    def test_tokenize_json_from_file(self):
        text = "Don't delete {0} files: see https://example.com/a, mail a.b@example.org.\n"
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "in.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            out = self.ok("tokenize", "--lang", "en", "--json", "--stem", path)
        doc = json.loads(out)
        self.assertEqual(doc["language"], "en")
        self.assertIn("fold_case", doc["rules"])
        toks = doc["tokens"]
        self.assertEqual([(t["text"], t["class"]) for t in toks], [
            ("Don't", "word"), ("delete", "word"), ("{0}", "placeholder"), ("files", "word"),
            (":", "punctuation"), ("see", "word"), ("https://example.com/a", "url"),
            (",", "punctuation"), ("mail", "word"), ("a.b@example.org", "email"),
            (".", "punctuation")])
        self.assertEqual(toks[0]["norm"], "don't")
        self.assertEqual(toks[3]["stem"], "file")
        raw = text.encode()
        for t in toks:
            self.assertEqual(raw[t["byte_begin"]:t["byte_end"]].decode(), t["text"])
            self.assertEqual(text[t["char_begin"]:t["char_end"]], t["text"])

    def test_tokenize_json_arabic_offsets_are_code_points(self):
        text = "\u200fمرحبا بكم في قنطرة 😀!"
        doc = json.loads(self.ok("tokenize", "--lang", "ar", "--json", "--clitics",
                                 stdin=text.encode()))
        raw = text.encode()
        for t in doc["tokens"]:
            self.assertEqual(raw[t["byte_begin"]:t["byte_end"]].decode(), t["text"])
            self.assertEqual(text[t["char_begin"]:t["char_end"]], t["text"])
            self.assertIn("proclitics", t)
        self.assertEqual(doc["tokens"][0]["norm"], "مرحبا")

    def test_tokenize_errors(self):
        r = self.cli("tokenize", stdin=b"x")
        self.assertEqual(r.returncode, 2)  # --lang is required
        r = self.cli("tokenize", "--lang", "de", stdin=b"x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unsupported language", r.stderr.decode())
        r = self.cli("tokenize", "--lang", "ar", stdin=b"\xff")
        self.assertEqual(r.returncode, 2)
        self.assertIn("invalid UTF-8", r.stderr.decode())
        r = self.cli("tokenize", "--lang", "ar", "/nonexistent/file.txt")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot read", r.stderr.decode())

    def test_tokenize_empty_input(self):
        self.assertEqual(self.ok("tokenize", "--lang", "ar", stdin=b""), "")
        doc = json.loads(self.ok("tokenize", "--lang", "en", "--json", stdin=b"  \n"))
        self.assertEqual(doc["tokens"], [])


if __name__ == "__main__":
    main()
