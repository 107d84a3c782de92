"""End-to-end: `qantara-server --check [--repair]` on a data dir the real
server wrote (issue 14, data safety): a clean dir checks clean (exit 0);
after bytes are flipped in the SST file holding one memory's units, the
server still starts and serves the other memory, lookups in the damaged one skip
what they cannot read and an export of it fails naming the file (and
writes stop once RocksDB's background compaction meets the file), `--check` names the file and exits 3, and `--repair`
says it cannot fix it (exit 3). A missing data dir: exit 1."""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, main, run_cli  # noqa: E402

MARKER = b"zqxjmarker"


def data_blocks_end(sst):
    """Where the data blocks of an SST file end: its `rocksdb.data.size`
    property. The properties block stores each entry as varints (bytes of the
    name shared with the entry before, the rest's length, the value's length),
    the rest of the name, then the value (a varint): here "rocksdb." shared."""
    at = re.search(rb"\x08\x09[\x01-\x0a]data\.size", bytes(sst)).end()
    value, shift = 0, 0
    while True:
        byte = sst[at]
        value |= (byte & 0x7F) << shift
        at += 1
        shift += 7
        if byte < 0x80:
            return value


def sst_files_holding(data_dir, needle):
    out = []
    for name in sorted(os.listdir(data_dir)):
        if name.endswith(".sst"):
            with open(os.path.join(data_dir, name), "rb") as f:
                if needle in f.read():
                    out.append(os.path.join(data_dir, name))
    return out


class CheckTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="qantara-e2e-check-")
        self.data = os.path.join(self.tmp.name, "data")

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, *extra, data=None):
        return subprocess.run([ARGS.server_bin, "--check", "--data-dir", data or self.data, *extra],
                              capture_output=True, timeout=300)

    def cli_ok(self, server, *args, stdin=None):
        r = run_cli(ARGS.cli_bin, server.address, *args, stdin=stdin)
        self.assertEqual(r.returncode, 0, (args, r.stderr.decode(errors="replace")))
        return r.stdout.decode()

    def add_memory(self, name, lines):
        """Creates memory `name` with `lines` (source, target) in a server of its own,
        stopped cleanly afterwards: its units end up in SST files of their own."""
        with Server(ARGS.server_bin, data_dir=self.data) as server:
            self.cli_ok(server, "memory", "create", name, "--source", "en", "--target", "ar")
            tsv = "".join(f"{s}\t{t}\n" for s, t in lines).encode()
            self.cli_ok(server, "add", "--memory", name, "--tsv", "-", stdin=tsv)
            code, err = server.stop()
            self.assertEqual(code, 0, err)

    def test_clean_dir_then_a_corrupt_sst_file(self):
        self.add_memory("hurt", [(f"{MARKER.decode()} damaged unit number {i}", "وحدة") for i in range(30)])
        self.add_memory("fine", [(f"the meeting starts at {i} o'clock", "يبدأ الاجتماع") for i in range(30)])

        r = self.check()
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, (out, r.stderr.decode()))
        self.assertIn("memory 'hurt' (id 1): 30 units", out)
        self.assertIn("memory 'fine' (id 2): 30 units", out)
        self.assertTrue(out.endswith("clean\n"), out)

        files = sst_files_holding(self.data, MARKER)
        self.assertEqual(len(files), 1, files)
        with open(files[0], "r+b") as f:
            data = bytearray(f.read())
            # Every data block (they start the file and end where its
            # table properties say). Not its index or compression dictionary
            # (which holds the units as written): damaged, they keep the whole
            # file from opening.
            for i in range(0, data_blocks_end(data)):
                data[i] ^= 0xFF
            f.seek(0)
            f.write(data)
        name = os.path.basename(files[0])

        # The server starts and serves the other memory. Lookups in the
        # damaged one skip the units they cannot read (as undecodable ones);
        # an export, which must read them all, fails (the log names the file).
        with Server(ARGS.server_bin, data_dir=self.data) as server:
            res = json.loads(self.cli_ok(server, "lookup", "--memory", "fine", "--json",
                                         "the meeting starts at 7 o'clock"))
            self.assertEqual(res["matches"][0]["score"], 100)
            self.assertEqual(len(re.findall(r"<tu[ >]", self.cli_ok(server, "export", "--memory", "fine"))), 30)
            res = json.loads(self.cli_ok(server, "lookup", "--memory", "hurt", "--json",
                                         f"{MARKER.decode()} damaged unit number 7"))
            self.assertEqual([m for m in res.get("matches", []) if m["score"] == 100], [])
            r = run_cli(ARGS.cli_bin, server.address, "export", "--memory", "hurt", "-o", self.data + ".tmx")
            self.assertNotEqual(r.returncode, 0, r.stdout)
            # The client gets a request id, no server path or file name; the
            # server's log has the details under that id.
            said = r.stderr.decode()
            self.assertNotIn(name, said)
            m = re.search(r"data loss \(request id ([0-9a-f]{16})", said)
            self.assertIsNotNone(m, said)
            line = server.wait_for_log(f"request {m.group(1)}: DATA_LOSS".encode(), timeout=10)
            self.assertIsNotNone(line)
            self.assertIn(name.encode(), line)
            # RocksDB compacts the damaged file in the background at some
            # point, meets the bad block and stops writing: the server then
            # fails to close cleanly, naming the file.
            code, err = server.stop()
            self.assertIn(code, (0, 1), err)
            if code == 1:
                self.assertIn(name, err)

        r = self.check()
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 3, (out, r.stderr.decode()))
        self.assertIn("store: corrupt SST file", out)
        self.assertIn(name, out)
        self.assertIn("(column family units", out)
        self.assertIn("memory 'fine' (id 2): 30 units, ", out)
        self.assertRegex(out, r"memory 'fine' \(id 2\): .*: clean")
        self.assertTrue(out.endswith("PROBLEMS FOUND\n"), out)

        r = self.check("--repair")
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 3, (out, r.stderr.decode()))
        self.assertIn("NOT repaired: corrupt SST file", out)

    def test_no_data_dir_exits_1(self):
        r = self.check(data=os.path.join(self.tmp.name, "none"))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("no qantara database", r.stderr.decode())
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "none")))

    def test_repair_needs_check(self):
        r = subprocess.run([ARGS.server_bin, "--repair", "--data-dir", self.data], capture_output=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--check", r.stderr.decode() + r.stdout.decode())


if __name__ == "__main__":
    main()
