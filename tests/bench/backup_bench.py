"""Backups taken during a big import, restored, compared: the figures and the
proof that an online backup is consistent.

Generates a TMX of N units (import_export_bench.py's generator; default 1M),
starts `qantara import` into a fresh memory and, while it runs, takes
`qantara backup create` backups one after the other into one directory;
then one more once the import is done. Each backup is restored with
`qantara-server --restore-from DIR --backup-id ID --restore-only` and served,
and its export is compared with the source's: the backup taken after the
import must export byte-identical to the source; one taken during it must
export exactly the source's first K units (header and footer identical), K
a whole number of the import's atomic batches. Prints backup and restore
times and sizes. Exit code 1 when an export differs.

    python3 tests/bench/backup_bench.py --build-dir build [--units 1000000]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from import_export_bench import write_tmx  # noqa: E402
from qantara_e2e import Server, run_cli  # noqa: E402

BATCH = 5000  # the import's batch (ImportStart default), stored as AddUnits calls of 4000-unit WriteBatches


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def split_tmx(data):
    """(header up to the first <tu>, the <tu> lines, the footer)."""
    first = data.find(b"<tu ")
    last = data.rfind(b"</tu>")
    if first < 0:
        end = data.find(b"</body>")
        return data[:end], [], data[end:]
    last += len(b"</tu>\n")
    body = data[first:last]
    units = re.findall(rb"<tu .*?</tu>\n", body, flags=re.S)
    return data[:first], units, data[last:]


def export(cli_bin, address, memory, out):
    r = run_cli(cli_bin, address, "export", "--memory", memory, "-o", out, timeout=7200)
    assert r.returncode == 0, r.stderr
    with open(out, "rb") as f:
        return f.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", required=True)
    p.add_argument("--units", type=int, default=1000000)
    args = p.parse_args()
    server_bin = os.path.join(args.build_dir, "bin", "qantara-server")
    cli_bin = os.path.join(args.build_dir, "bin", "qantara")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="qantara-backup-bench-") as tmp:
        path = os.path.join(tmp, "bench.tmx")
        write_tmx(path, args.units)
        backups = os.path.join(tmp, "backups")
        taken = []  # (id, seconds, added bytes, during the import)
        with Server(server_bin, data_dir=os.path.join(tmp, "data")) as server:
            server.wait_for_log(b"aligner ready", timeout=120)
            cli = lambda *a: run_cli(cli_bin, server.address, *a, timeout=7200)  # noqa: E731
            assert cli("memory", "create", "bench", "--source", "en", "--target", "ar").returncode == 0
            t0 = time.monotonic()
            importer = subprocess.Popen([cli_bin, "--server", server.address, "import", "--memory", "bench",
                                         "--quiet", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # The first backup once the import has stored some units.
            while importer.poll() is None:
                r = cli("memory", "show", "bench", "--json")
                if r.returncode == 0 and b'"units": 0' not in r.stdout:
                    break
                time.sleep(0.1)
            while importer.poll() is None:
                before = dir_bytes(backups) if os.path.isdir(backups) else 0
                b0 = time.monotonic()
                r = cli("backup", "create", backups)
                assert r.returncode == 0, r.stderr
                m = re.match(rb"created backup (\d+) ", r.stdout)
                # Started during the import (which may have ended meanwhile).
                taken.append((int(m.group(1)), time.monotonic() - b0, dir_bytes(backups) - before, True))
            out, err = importer.communicate()
            t_import = time.monotonic() - t0
            assert importer.returncode == 0, (out, err)
            before = dir_bytes(backups)
            b0 = time.monotonic()
            r = cli("backup", "create", backups)
            assert r.returncode == 0, r.stderr
            m = re.match(rb"created backup (\d+) ", r.stdout)
            taken.append((int(m.group(1)), time.monotonic() - b0, dir_bytes(backups) - before, False))
            source = export(cli_bin, server.address, "bench", os.path.join(tmp, "source.tmx"))
            data_bytes = dir_bytes(server.data_dir)
            server.stop()
        print(f"{args.units} TUs imported in {t_import:.1f} s ({args.units / t_import:,.0f} TUs/s) with "
              f"{len(taken) - 1} backups started meanwhile; data dir {data_bytes / 1e6:.0f} MB, backup dir "
              f"{dir_bytes(backups) / 1e6:.0f} MB", flush=True)
        head, units, foot = split_tmx(source)
        assert len(units) == args.units, len(units)
        for backup_id, seconds, added, during in taken:
            restored = os.path.join(tmp, f"restored-{backup_id}")
            r0 = time.monotonic()
            r = run_cli(server_bin, None, "--data-dir", restored, "--restore-from", backups, "--backup-id",
                        str(backup_id), "--restore-only", timeout=7200)
            t_restore = time.monotonic() - r0
            assert r.returncode == 0, r.stderr
            with Server(server_bin, data_dir=restored) as rs:
                got = export(cli_bin, rs.address, "bench", os.path.join(tmp, f"restored-{backup_id}.tmx"))
                rs.stop()
            g_head, g_units, g_foot = split_tmx(got)
            k = len(g_units)
            whole = k % BATCH in (0, 4000) or k == args.units
            same = (g_head == head and g_foot == foot and g_units == units[:k]) if not (k == args.units) \
                else got == source
            ok = same and whole and (during or k == args.units)
            failures += not ok
            print(f"backup {backup_id} ({'started during' if during else 'after'} the import): {seconds:.1f} s, "
                  f"{added / 1e6:.0f} MB copied; restored in {t_restore:.1f} s; {k} units, "
                  f"{'whole batches' if whole else 'NOT WHOLE BATCHES'}, export "
                  f"{'identical to the source' + ('' if k == args.units else ' prefix') if same else 'DIFFERS'}",
                  flush=True)
            shutil.rmtree(restored)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
