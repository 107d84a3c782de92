"""Import/export throughput through the real server and CLI.

Generates TMX files of N units (default 100k and 1M; distinct English/Arabic
sentence pairs, some with inline codes), imports each into a fresh memory with
`qantara import`, exports it with `qantara export`, and prints TUs/s and the
server's peak RSS (VmHWM from /proc/PID/status) after each step, on a
server that has finished starting (its aligner loaded). Prints
figures only; never fails on speed.

    python3 tests/bench/import_export_bench.py --build-dir build [--units 100000 1000000]
"""

import argparse
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from qantara_e2e import Server, run_cli  # noqa: E402

EN = ("file save open close window new the a of to in print document page user settings "
      "server memory translate unit error message delete copy paste folder network").split()
AR = ("ملف حفظ فتح إغلاق نافذة جديد طباعة مستند صفحة مستخدم إعدادات خادم ذاكرة ترجمة وحدة "
      "خطأ رسالة حذف نسخ لصق مجلد شبكة").split()


def write_tmx(path, n, seed=1):
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '<header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="bench" '
                'adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n')
        for i in range(n):
            en = " ".join(rng.choice(EN) for _ in range(rng.randint(4, 14))) + f" {i}"
            ar = " ".join(rng.choice(AR) for _ in range(rng.randint(4, 14))) + f" {i}"
            if i % 10 == 0:
                en = f'<bpt i="1">&lt;b&gt;</bpt>{en}<ept i="1">&lt;/b&gt;</ept>'
                ar = f'<bpt i="1">&lt;b&gt;</bpt>{ar}<ept i="1">&lt;/b&gt;</ept>'
            f.write(f'<tu tuid="{i}"><tuv xml:lang="en"><seg>{en}</seg></tuv>'
                    f'<tuv xml:lang="ar"><seg>{ar}</seg></tuv></tu>\n')
        f.write("</body>\n</tmx>\n")


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", required=True)
    p.add_argument("--units", type=int, nargs="+", default=[100000, 1000000])
    args = p.parse_args()
    server_bin = os.path.join(args.build_dir, "bin", "qantara-server")
    cli_bin = os.path.join(args.build_dir, "bin", "qantara")
    with tempfile.TemporaryDirectory(prefix="qantara-bench-") as tmp:
        for n in args.units:
            path = os.path.join(tmp, f"bench-{n}.tmx")
            write_tmx(path, n)
            mb = os.path.getsize(path) / 1e6
            # A fresh server per size: its peak RSS is this import's.
            with Server(server_bin, data_dir=os.path.join(tmp, f"data-{n}")) as server:
                # Measured once the server has started (FreeDict loads in the
                # background after `listening`, on a core of its own).
                server.wait_for_log(b"aligner ready", timeout=120)
                cli = lambda *a: run_cli(cli_bin, server.address, *a, timeout=7200)  # noqa: E731
                r = cli("memory", "create", "bench", "--source", "en", "--target", "ar")
                assert r.returncode == 0, r.stderr
                rss0 = vm_hwm_kb(server.proc.pid)
                cpu0 = cpu_seconds(server.proc.pid)
                t0 = time.monotonic()
                r = cli("import", "--memory", "bench", "--quiet", path)
                t_import = time.monotonic() - t0
                assert r.returncode == 0, (r.stdout, r.stderr)
                rss_import = vm_hwm_kb(server.proc.pid)
                cpu_import = cpu_seconds(server.proc.pid) - cpu0
                out = os.path.join(tmp, f"export-{n}.tmx")
                t0 = time.monotonic()
                r = cli("export", "--memory", "bench", "-o", out)
                t_export = time.monotonic() - t0
                assert r.returncode == 0, r.stderr
                rss_export = vm_hwm_kb(server.proc.pid)
                os.remove(out)
                print(f"{n} TUs ({mb:.0f} MB): import {t_import:.1f} s = {n / t_import:,.0f} TUs/s "
                      f"(server CPU {cpu_import:.1f} s, load {os.getloadavg()[0]:.1f}); "
                      f"export {t_export:.1f} s = {n / t_export:,.0f} TUs/s; server peak RSS "
                      f"{rss0 / 1024:.0f} MB at start, {rss_import / 1024:.0f} MB after import, "
                      f"{rss_export / 1024:.0f} MB after export", flush=True)
                server.stop()
            os.remove(path)


if __name__ == "__main__":
    main()
