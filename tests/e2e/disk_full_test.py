"""End-to-end: a full disk under the real server. The data dir lives on a
small tmpfs (mounted by the test: needs root; exits 77, skipped, otherwise),
a filler file takes most of it, and units are added until the server
answers RESOURCE_EXHAUSTED. Then: lookups still work, `qantara health`
says SERVING with `writes: NOT_SERVING`; the filler is deleted, and writes
succeed again within seconds, without a restart, with health back to
`writes: SERVING`; after a restart every acknowledged unit is there (and
the units of the calls that failed are there whole or not at all)."""

import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, main, run_cli  # noqa: E402
import unittest  # noqa: E402

SKIP_CODE = 77  # SKIP_RETURN_CODE of the ctest entry
TMPFS_MB = 32
HEADROOM = 3 << 20  # bytes left free next to the filler
BATCH = 100  # units a call
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def unit(k):
    """Unit k: a unique source of ~1 KB and its target."""
    words = " ".join(f"word{(k * 7 + i) % 997}" for i in range(120))
    return f"unit k{k} {words}", f"target k{k} {words}"


def exported_sources(cli, addr, memory, path):
    r = run_cli(cli, addr, "export", "--memory", memory, "-o", path, timeout=120)
    if r.returncode != 0:
        raise AssertionError(r.stderr.decode(errors="replace"))
    out = {}
    for tu in ET.parse(path).getroot().iter("tu"):
        texts = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()[:2]
            seg = tuv.find("seg")
            if seg is not None:
                texts[lang] = "".join(seg.itertext())
        out[texts.get("en", "")] = texts.get("ar", "")
    return out


class DiskFullTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="qantara-e2e-diskfull-")
        self.mnt = os.path.join(self.tmp.name, "mnt")
        os.mkdir(self.mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MB}m", "tmpfs", self.mnt],
                           capture_output=True)
        if r.returncode != 0:
            self.tmp.cleanup()
            raise RuntimeError(f"mount failed: {r.stderr.decode(errors='replace')}")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.__exit__(None, None, None)
        subprocess.run(["umount", "-l", self.mnt], capture_output=True)
        self.tmp.cleanup()

    def cli(self, *args, **kw):
        return run_cli(ARGS.cli_bin, self.addr, *args, **kw)

    def start(self, data_dir, extra_args=()):
        server = Server(ARGS.server_bin, data_dir=data_dir, extra_args=extra_args)
        self.servers.append(server)
        self.addr = server.address
        return server

    def add_batch(self, start):
        """Adds units start..start+BATCH-1 in one call; returns the CompletedProcess."""
        tsv = "".join("%s\t%s\n" % unit(k) for k in range(start, start + BATCH)).encode()
        return self.cli("add", "--memory", "m", "--tsv", "-", stdin=tsv, timeout=60)

    def test_full_then_freed(self):
        self.full_then_freed(())

    def test_full_then_freed_sync_writes(self):
        self.full_then_freed(("--sync-writes",))

    def full_then_freed(self, extra_args):
        began = time.monotonic()
        data = os.path.join(self.mnt, "data")
        server = self.start(data, extra_args)
        r = self.cli("memory", "create", "m", "--source", "en", "--target", "ar")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.cli("health").stdout, b"SERVING\nwrites: SERVING\n")

        # Most of the disk taken by a filler file.
        st = os.statvfs(self.mnt)
        filler = os.path.join(self.mnt, "filler")
        with open(filler, "wb") as f:
            left = st.f_bavail * st.f_frsize - HEADROOM
            chunk = b"\0" * (1 << 20)
            while left > 0:
                f.write(chunk[:min(left, len(chunk))])
                left -= len(chunk)

        # Units until the disk is full.
        acked, failed_calls, k, error = [], [], 0, None
        while k < 200 * BATCH:
            r = self.add_batch(k)
            if r.returncode == 0:
                acked.extend(range(k, k + BATCH))
            else:
                failed_calls.append(range(k, k + BATCH))
                error = r.stderr.decode(errors="replace")
                k += BATCH
                break
            k += BATCH
        self.assertIsNotNone(error, "the disk never filled up")
        if server.proc.poll() is not None:
            self.fail(f"the server died: {server.stop()}")
        self.assertIn("the disk of the data dir is full", error)
        print(f"the failed call: {error.strip()}", file=sys.stderr)
        self.assertGreater(len(acked), 0)
        # Every write fails while full.
        r = self.cli("add", "--memory", "m", "while full", "pendant plein")
        self.assertEqual(r.returncode, 1)
        self.assertIn("disk of the data dir is full", r.stderr.decode(errors="replace"))
        r = self.cli("memory", "create", "other", "--source", "en", "--target", "ar")
        self.assertEqual(r.returncode, 1)
        # Reads are served; health: the server SERVING, writes NOT_SERVING.
        src, tgt = unit(acked[len(acked) // 2])
        r = self.cli("lookup", "--memory", "m", "--json", src)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["matches"][0]["target"], tgt)
        health = self.cli("health")
        self.assertEqual((health.returncode, health.stdout), (0, b"SERVING\nwrites: NOT_SERVING\n"),
                         health.stderr)
        r = self.cli("health", "--service", "qantara.v1.writes")
        self.assertEqual((r.returncode, r.stdout), (1, b"NOT_SERVING\n"))

        # Space freed: writes work again by themselves.
        os.remove(filler)
        freed = time.monotonic()
        while True:
            r = self.cli("add", "--memory", "m", "after the disk was freed", "بعد تحرير القرص")
            if r.returncode == 0 or time.monotonic() - freed > 10:
                break
            time.sleep(0.1)
        resumed = time.monotonic() - freed
        self.assertEqual(r.returncode, 0, r.stderr)
        print(f"{' '.join(extra_args) or 'default'}: writes resumed {resumed:.2f} s after the filler was deleted "
              f"({len(acked)} units acknowledged before the disk filled up)", file=sys.stderr)
        deadline = time.monotonic() + 5
        while self.cli("health").stdout != b"SERVING\nwrites: SERVING\n" and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.cli("health").stdout, b"SERVING\nwrites: SERVING\n")
        r = self.add_batch(k)
        self.assertEqual(r.returncode, 0, r.stderr)
        acked.extend(range(k, k + BATCH))
        k += BATCH

        # Restarted: every acknowledged unit is there, the failed calls' units
        # whole or not at all, nothing else.
        code, err = server.stop()
        self.assertEqual(code, 0, err)
        self.assertIn("writes stopped: the disk of the data dir", err)
        self.assertIn("writes resumed", err)
        self.start(data, extra_args)
        present = exported_sources(ARGS.cli_bin, self.addr, "m", os.path.join(self.tmp.name, "m.tmx"))
        for i in acked:
            src, tgt = unit(i)
            self.assertEqual(present.get(src), tgt, f"acknowledged unit {i} lost")
        self.assertEqual(present.get("after the disk was freed"), "بعد تحرير القرص")
        maybe = {unit(i)[0]: unit(i)[1] for call in failed_calls for i in call}
        for src, tgt in present.items():
            if src in maybe:
                self.assertEqual(tgt, maybe[src])
        self.assertLessEqual(len(present), len(acked) + 1 + len(maybe))
        print(f"test took {time.monotonic() - began:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("not root: cannot mount a small tmpfs; skipping the disk-full end-to-end test",
              file=sys.stderr)
        sys.exit(SKIP_CODE)
    probe = tempfile.mkdtemp(prefix="qantara-e2e-mount-probe-")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], capture_output=True)
    if r.returncode != 0:
        os.rmdir(probe)
        print(f"cannot mount a tmpfs here ({r.stderr.decode(errors='replace').strip()}); "
              "skipping the disk-full end-to-end test", file=sys.stderr)
        sys.exit(SKIP_CODE)
    subprocess.run(["umount", probe], capture_output=True)
    os.rmdir(probe)
    main()
