"""End-to-end: an import interrupted by `kill -9` of the server, then
`qantara import --resume`, through the real binaries. The first run stores
whole batches only (the first ones of the file) and tells the user to
resume; after a restart, the resumed run stores every other unit exactly
once under the keep-all policy (where a plain re-run would store the first
part twice); a second resume stores nothing; stdin cannot be resumed."""

import collections
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, main, run_cli  # noqa: E402

UNITS = 120_000
BATCH = 500


def write_tmx(path):
    """UNITS units, every 50th a repeat of an earlier one (stored twice under keep-all)."""
    pairs = []
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
                'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="t" creationtool="t" '
                'creationtoolversion="1"/><body>\n')
        for i in range(UNITS):
            if i % 50 == 49:
                en, ar = pairs[i - 30]
            else:
                en, ar = f"Resumable import sentence {i} of the test.", f"جملة الاستيراد رقم {i} في الاختبار."
            pairs.append((en, ar))
            f.write(f'<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="ar"><seg>{ar}</seg></tuv></tu>\n')
        f.write("</body></tmx>\n")
    return pairs


def exported_pairs(tmx_bytes):
    pairs = []
    root = ET.fromstring(tmx_bytes)
    for tu in root.iter("tu"):
        sides = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
            sides[lang[:2]] = "".join(tuv.find("seg").itertext())
        pairs.append((sides["en"], sides["ar"]))
    return pairs


class ImportResumeTest(unittest.TestCase):
    def cli(self, addr, *args, **kw):
        return run_cli(ARGS.cli_bin, addr, *args, **kw)

    def units(self, addr):
        r = self.cli(addr, "memory", "show", "tm", "--json")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return json.loads(r.stdout)["units"]

    def test_kill9_midway_then_resume_stores_every_unit_once(self):
        with tempfile.TemporaryDirectory(prefix="qantara-e2e-resume-") as tmp:
            data = os.path.join(tmp, "data")
            tmx = os.path.join(tmp, "big.tmx")
            pairs = write_tmx(tmx)
            with Server(ARGS.server_bin, data_dir=data) as server:
                r = self.cli(server.address, "memory", "create", "tm", "--source", "en", "--target", "ar")
                self.assertEqual(r.returncode, 0, r.stderr.decode())
                importer = subprocess.Popen(
                    [ARGS.cli_bin, "--server", server.address, "import", "--memory", "tm", tmx,
                     "--on-duplicate", "keep", "--batch-size", str(BATCH), "-q"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                # Kill the server once some batches are stored, well before the end.
                deadline = time.monotonic() + 120
                while self.units(server.address) < 5 * BATCH:
                    self.assertIsNone(importer.poll(), "the import ended before the server was killed")
                    self.assertLess(time.monotonic(), deadline)
                    time.sleep(0.02)
                server.proc.send_signal(signal.SIGKILL)
                server.proc.wait()
                out, err = importer.communicate(timeout=60)
                self.assertNotEqual(importer.returncode, 0)
                self.assertIn(b"--resume", err, err)

            with Server(ARGS.server_bin, data_dir=data) as server:
                stored = self.units(server.address)
                print(f"killed with {stored} of {UNITS} units stored", file=sys.stderr)
                self.assertGreater(stored, 0)
                self.assertLess(stored, UNITS, "the import was not interrupted")
                self.assertEqual(stored % BATCH, 0, "whole batches only")
                r = self.cli(server.address, "import", "--memory", "tm", tmx, "--on-duplicate", "keep",
                             "--batch-size", str(BATCH), "--resume", "-q", timeout=600)
                self.assertEqual(r.returncode, 0, r.stderr.decode())
                summary = r.stdout.decode()
                m = re.search(r"([\d,]+) units read, ([\d,]+) already imported by an earlier run, ([\d,]+) added",
                              summary)
                self.assertIsNotNone(m, summary)
                read, resumed, added = (int(g.replace(",", "")) for g in m.groups())
                self.assertEqual(read, UNITS)
                self.assertEqual(resumed, stored)
                self.assertEqual(added, UNITS - stored)
                self.assertEqual(self.units(server.address), UNITS)

                # Every unit of the file once (the repeats twice, as in the file), nothing else.
                out = os.path.join(tmp, "out.tmx")
                r = self.cli(server.address, "export", "--memory", "tm", "-o", out, timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr.decode())
                with open(out, "rb") as f:
                    got = exported_pairs(f.read())
                self.assertEqual(collections.Counter(got), collections.Counter(pairs))
                self.assertEqual(got, pairs, "stored in file order")

                # Resumed again: complete, nothing stored.
                r = self.cli(server.address, "import", "--memory", "tm", tmx, "--on-duplicate", "keep",
                             "--resume", "-q", timeout=600)
                self.assertEqual(r.returncode, 0, r.stderr.decode())
                self.assertIn(f"{UNITS:,} already imported by an earlier run, 0 added", r.stdout.decode())
                self.assertEqual(self.units(server.address), UNITS)

                # stdin has no hash to resume by.
                r = self.cli(server.address, "import", "--memory", "tm", "-", "--resume", stdin=b"<tmx/>")
                self.assertEqual(r.returncode, 2, r.stderr.decode())
                self.assertIn(b"--resume needs a file", r.stderr)


if __name__ == "__main__":
    main()
