"""End-to-end: OmegaT (Debian `omegat` 3.6, console mode) uses a memory that
qantara exported as TMX.

For each direction (English -> Arabic and Arabic -> English) the test fills a
memory through the real server (`qantara add --tsv` and `qantara import` of a
TMX), exports it with `qantara export` into an OmegaT project's tm/auto/, gives
OmegaT a plain-text source file whose paragraphs are stored sources, near
misses and new text, runs `omegat PROJECT --mode=console-translate`, and
checks the target file: exactly the stored translation for every stored
source, the source text unchanged for every other paragraph.

Exits 77 (ctest: skipped) with a message when omegat is not installed;
deploy/install-deps.sh installs it.
"""

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ServerTestCase, main  # noqa: E402

OMEGAT = shutil.which("omegat")
SKIP_CODE = 77  # SKIP_RETURN_CODE of the ctest entry

# Plain-text paragraphs (OmegaT's text filter: one segment a paragraph when
# sentence segmentation is off), written for this test.
EN_AR_TSV = [
    ("Save the file before closing.", "احفظ الملف قبل الإغلاق."),
    ("3 files were saved.", "تم حفظ ٣ ملفات."),
    ("Fish & chips cost 5 < 6 dollars.", "السمك والبطاطا بأقل من ٦ دولارات."),
]
EN_AR_TMX = [  # imported from a TMX file
    ("Do you want to delete this message?", "هل تريد حذف هذه الرسالة؟"),
    ("The school is near the house.", "المدرسة قريبة من البيت."),
]
EN_OTHER = [
    "Save the file before leaving.",     # a fuzzy match only: stays as it is
    "save the file before closing.",     # case differs: not a 100% match
    "This paragraph is not in the memory.",
]

AR_EN_TSV = [
    ("افتح الملف الجديد", "Open the new file"),
    ("هل تريد حذف هذه الرسالة؟", "Do you want to delete this message?"),
    ("وصل ١٢ طالبًا إلى المدرسة.", "12 students arrived at school."),
]
AR_EN_TMX = [
    ("زار الرئيس المستشفى.", "The president visited the hospital."),
]
AR_OTHER = [
    "افتح الملف القديم",          # one word differs
    "هذه الفقرة ليست في الذاكرة.",
]

PROJECT_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{source}</source_lang>
    <target_lang>{target}</target_lang>
    <source_tok>{source_tok}</source_tok>
    <target_tok>{target_tok}</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""
TOKENIZERS = {"EN": "org.omegat.tokenizer.LuceneEnglishTokenizer",
              "AR": "org.omegat.tokenizer.LuceneArabicTokenizer"}


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tmx(source_lang, target_lang, pairs):
    """A TMX 1.4b file of plain units, as a CAT tool would write it."""
    units = "".join(
        f'<tu tuid="{i}"><tuv xml:lang="{source_lang}"><seg>{xml_text(s)}</seg></tuv>'
        f'<tuv xml:lang="{target_lang}"><seg>{xml_text(t)}</seg></tuv></tu>\n'
        for i, (s, t) in enumerate(pairs, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="e2e" '
            f'creationtoolversion="1" segtype="paragraph" o-tmf="e2e" adminlang="en" '
            f'srclang="{source_lang}" datatype="plaintext"/><body>\n{units}</body></tmx>\n')


class OmegaTTest(ServerTestCase):
    def make_project(self, name, source, target, memory_tmx, paragraphs):
        """An OmegaT project with the TMX in tm/auto/ and one source file."""
        root = self.path(name)
        for d in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
            os.makedirs(os.path.join(root, d))
        with open(os.path.join(root, "omegat.project"), "w", encoding="utf-8") as f:
            f.write(PROJECT_FILE.format(source=source, target=target, source_tok=TOKENIZERS[source],
                                        target_tok=TOKENIZERS[target]))
        shutil.copy(memory_tmx, os.path.join(root, "tm", "auto", "qantara.tmx"))
        with open(os.path.join(root, "source", "doc.txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(paragraphs) + "\n")
        return root

    def fill_and_export(self, name, source, target, tsv_pairs, tmx_pairs):
        """Creates memory `name`, adds `tsv_pairs` and imports `tmx_pairs`,
        and returns the path of its TMX export."""
        self.ok("memory", "create", name, "--source", source, "--target", target)
        tsv = "".join(f"{s}\t{t}\n" for s, t in tsv_pairs).encode()
        self.assertIn(f"added {len(tsv_pairs)},", self.ok("add", "--memory", name, "--tsv", "-", stdin=tsv))
        tmx_in = self.path(f"{name}-in.tmx")
        with open(tmx_in, "w", encoding="utf-8") as f:
            f.write(tmx(source, target, tmx_pairs))
        out = self.ok("import", "--memory", name, tmx_in, "-q")
        self.assertIn(f"{len(tmx_pairs)} added", out)
        exported = self.path(f"{name}.tmx")
        self.ok("export", "--memory", name, "-o", exported)
        return exported

    def start_omegat(self, project):
        # JVM start dominates: C1 only and the serial collector halve OmegaT's
        # CPU time for a run this small. Its settings and logs go to a
        # directory of the test, not to ~/.omegat.
        env = dict(os.environ, JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        return subprocess.Popen(
            [OMEGAT, project, "--mode=console-translate", f"--config-dir={project}-config"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)

    def finish_omegat(self, proc):
        out, _ = proc.communicate(timeout=240)
        log = out.decode(errors="replace")
        self.assertEqual(proc.returncode, 0, log[-3000:])
        return log

    def read_target(self, project, log):
        path = os.path.join(project, "target", "doc.txt")
        self.assertTrue(os.path.exists(path), f"OmegaT wrote no {path}:\n{log[-3000:]}")
        with open(path, encoding="utf-8") as f:
            return f.read()

    def test_omegat_fills_exact_matches_from_the_export(self):
        en_ar = self.fill_and_export("en-ar", "en", "ar", EN_AR_TSV, EN_AR_TMX)
        ar_en = self.fill_and_export("ar-en", "ar", "en", AR_EN_TSV, AR_EN_TMX)
        # Stored sources, near misses and new text interleaved.
        en_paras = [EN_AR_TSV[0][0], EN_OTHER[0], EN_AR_TMX[0][0], EN_OTHER[1], EN_AR_TSV[1][0],
                    EN_AR_TSV[2][0], EN_OTHER[2], EN_AR_TMX[1][0]]
        ar_paras = [AR_OTHER[0], AR_EN_TSV[0][0], AR_EN_TMX[0][0], AR_EN_TSV[1][0], AR_OTHER[1],
                    AR_EN_TSV[2][0]]
        projects = [
            (self.make_project("omegat-en-ar", "EN", "AR", en_ar, en_paras), en_paras,
             dict(EN_AR_TSV + EN_AR_TMX)),
            (self.make_project("omegat-ar-en", "AR", "EN", ar_en, ar_paras), ar_paras,
             dict(AR_EN_TSV + AR_EN_TMX)),
        ]
        # Both JVMs at once: the run costs about one OmegaT start.
        start = time.monotonic()
        procs = [self.start_omegat(p) for p, _, _ in projects]
        logs = [self.finish_omegat(proc) for proc in procs]
        print(f"omegat: two console-translate runs in {time.monotonic() - start:.1f} s", file=sys.stderr)
        for (project, paras, memory), log in zip(projects, logs):
            with self.subTest(project=os.path.basename(project)):
                # OmegaT read the whole export.
                self.assertIn("qantara.tmx", log)
                expected = "\n\n".join(memory.get(p, p) for p in paras) + "\n"
                self.assertEqual(self.read_target(project, log), expected)
                translated = sum(p in memory for p in paras)
                self.assertGreaterEqual(translated, 4)
                self.assertLess(translated, len(paras))


if __name__ == "__main__":
    if OMEGAT is None:
        print("omegat is not installed (Debian package `omegat`, see deploy/install-deps.sh): "
              "skipping the OmegaT end-to-end test", file=sys.stderr)
        sys.exit(SKIP_CODE)
    main()
