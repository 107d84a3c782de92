"""End-to-end: backups and the lossless export through the real server and
CLI. `qantara backup create|list` against a serving server, errors for bad
directories, `qantara-server --restore-from DIR [--backup-id N]
[--restore-only] --data-dir NEW` (refusing a non-empty NEW), the restored
server's export byte-identical to the source's, and an export imported with
`--preserve-ids` into an empty memory exporting the same units again."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, ServerTestCase, main, run_cli  # noqa: E402


def after_header(tmx_text):
    """The file from </header> on: the units (the header names the memory)."""
    return tmx_text[tmx_text.index("</header>"):]


class BackupTest(ServerTestCase):
    def export(self, memory, name, addr=None):
        out = self.path(name)
        r = run_cli(ARGS.cli_bin, addr or self.addr, "export", "--memory", memory, "-o", out, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        with open(out, "rb") as f:
            return f.read()

    def units(self, memory, addr=None):
        r = run_cli(ARGS.cli_bin, addr or self.addr, "memory", "show", memory, "--json")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return json.loads(r.stdout)["units"]

    def restore(self, backup_dir, data_dir, *extra):
        """Starts a server restoring `backup_dir` into `data_dir` (a context manager)."""
        return Server(ARGS.server_bin, data_dir=data_dir, extra_args=["--restore-from", backup_dir, *extra])

    def test_backup_restore_and_lossless_export(self):
        self.ok("memory", "create", "tm", "--source", "en", "--target", "ar", "--description", "the e2e memory")
        r = self.ok_result("import", "--memory", "tm", os.path.join(ARGS.fixtures, "import_good.tmx"), "-q")
        self.ok("add", "--memory", "tm", "--user", "dina", "The meeting starts at noon.", "يبدأ الاجتماع ظهرا.")
        first_units = self.units("tm")
        self.assertGreater(first_units, 5)

        backups = self.path("backups")
        out = self.ok("backup", "create", backups)
        self.assertRegex(out, r"^created backup 1 in " + re.escape(backups) + r": .* \(.* new\), \d+ files, ")
        # More units, a second (incremental) backup.
        self.ok("add", "--memory", "tm", "A second unit.", "وحدة ثانية.")
        self.ok("memory", "create", "other", "--source", "ar", "--target", "en")
        self.ok("add", "--memory", "other", "مرحبا بكم", "Welcome")
        out = self.ok("backup", "create", backups)
        self.assertTrue(out.startswith("created backup 2 in "), out)
        listed = self.ok("backup", "list", backups).splitlines()
        self.assertEqual(listed[0], "ID\tCREATED\tSIZE\tFILES\tFORMAT")
        self.assertEqual([line.split("\t")[0] for line in listed[1:]], ["1", "2"])
        as_json = json.loads(self.ok("backup", "list", backups, "--json"))
        self.assertEqual([b["id"] for b in as_json], [1, 2])
        self.assertEqual({b["format_version"] for b in as_json}, {6})  # storage/FORMAT.md
        self.assertTrue(all(b["size_bytes"] > 0 for b in as_json))

        source_tm = self.export("tm", "source-tm.tmx")
        source_other = self.export("other", "source-other.tmx")
        self.assertIn(b'<prop type="x-qantara-description">the e2e memory</prop>', source_tm)
        self.assertIn(b'<prop type="x-qantara-id">', source_tm)

        # Restore the newest backup into a new dir and serve it: the same bytes.
        restored = self.path("restored")
        with self.restore(backups, restored) as server:
            self.assertEqual(self.export("tm", "restored-tm.tmx", server.address), source_tm)
            self.assertEqual(self.export("other", "restored-other.tmx", server.address), source_other)
            self.assertIsNotNone(server.wait_for_log(b"restored backup 2 of " + backups.encode(), timeout=10))
            code, err = server.stop()
            self.assertEqual(code, 0, err)

        # Backup 1 with --restore-only: the server exits once restored.
        older = self.path("older")
        r = run_cli(ARGS.server_bin, None, "--data-dir", older, "--restore-from", backups, "--backup-id", "1",
                    "--restore-only")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("restored backup 1 of", r.stderr.decode())
        with Server(ARGS.server_bin, data_dir=older) as server:
            self.assertEqual(self.units("tm", server.address), first_units)
            r = run_cli(ARGS.cli_bin, server.address, "memory", "show", "other")
            self.assertNotEqual(r.returncode, 0)  # created after backup 1

        # A non-empty data dir, an unknown id, a missing backup dir: refused, named.
        r = run_cli(ARGS.server_bin, None, "--data-dir", restored, "--restore-from", backups, "--restore-only")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not empty", r.stderr.decode())
        r = run_cli(ARGS.server_bin, None, "--data-dir", self.path("new3"), "--restore-from", backups,
                    "--backup-id", "9", "--restore-only")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no backup 9", r.stderr.decode())
        self.assertIn("1, 2", r.stderr.decode())
        r = run_cli(ARGS.server_bin, None, "--data-dir", self.path("new4"), "--backup-id", "1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--restore-from", r.stderr.decode())

        # Lossless export: into an empty memory with --preserve-ids, the same units.
        path = self.path("source-tm.tmx")
        self.ok("memory", "create", "copy", "--source", "en", "--target", "ar")
        self.ok("import", "--memory", "copy", "--preserve-ids", path, "-q")
        copy = self.export("copy", "copy.tmx")
        self.assertEqual(after_header(copy.decode()), after_header(source_tm.decode()))
        r = self.cli("import", "--memory", "copy", "--preserve-ids", path, "-q")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("empty memory", r.stderr.decode())

    def test_bad_backup_dirs(self):
        # INVALID_ARGUMENT exits 2 (bad input), FAILED_PRECONDITION and NOT_FOUND 1.
        r = self.cli("backup", "create", "relative/dir")
        self.assertEqual(r.returncode, 2)
        self.assertIn("absolute", r.stderr.decode())
        r = self.cli("backup", "create", os.path.join(self.server.data_dir, "backups"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("inside the data dir", r.stderr.decode())
        with open(self.path("file"), "w") as f:
            f.write("x")
        r = self.cli("backup", "create", self.path("file"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a directory", r.stderr.decode().lower())
        r = self.cli("backup", "list", self.path("none"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("no qantara backup", r.stderr.decode())
        r = self.cli("backup", "create")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    main("--fixtures")
