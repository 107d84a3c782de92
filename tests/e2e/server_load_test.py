"""End-to-end: the server under several clients at once, then SIGTERM under
load (also run with the TSan-built binaries by tests/tsan/run_tsan.sh).

Four clients (CLI processes in threads) add units to two memories, import
TMX files into them, look up and search, while a fifth creates and deletes a
third memory of the same name over and over. After two seconds of that the
server gets SIGTERM with calls in flight: it must drain them and exit 0,
"stopped cleanly", with no sanitizer report on stderr. Restarted on the same
data dir, every unit whose add or import was acknowledged (exit 0) is there,
and the memories hold no unit that was never sent, none twice."""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, main, run_cli  # noqa: E402
import unittest  # noqa: E402

LOAD_SECONDS = 2.0


def tmx(pairs):
    body = "".join(f'<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="ar"><seg>{ar}</seg></tuv></tu>\n'
                   for en, ar in pairs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
            'segtype="sentence" adminlang="en" o-tmf="t" creationtool="t" creationtoolversion="1"/><body>\n'
            + body + "</body></tmx>\n")


class ServerLoadTest(unittest.TestCase):
    def test_clients_at_once_then_sigterm_under_load(self):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="qantara-e2e-load-") as tmp:
            data = os.path.join(tmp, "data")
            acked = {"a": set(), "b": set()}  # tokens acknowledged per memory
            sent = {"a": set(), "b": set()}
            lock = threading.Lock()
            stop = threading.Event()
            churn = []  # acknowledged create/delete of "c", in order
            with Server(ARGS.server_bin, data_dir=data) as server:
                def cli(*args, **kw):
                    return run_cli(ARGS.cli_bin, server.address, *args, timeout=120, **kw)

                for m in ("a", "b"):
                    r = cli("memory", "create", m, "--source", "en", "--target", "ar")
                    self.assertEqual(r.returncode, 0, r.stderr)

                def adder(k):
                    m = "ab"[k % 2]
                    seq = 0
                    while not stop.is_set():
                        seq += 1
                        if seq % 3 == 0:  # an import of ten units
                            toks = [f"tok{k}i{seq}x{i}" for i in range(10)]
                            path = os.path.join(tmp, f"f{k}-{seq}.tmx")
                            with open(path, "w", encoding="utf-8") as f:
                                f.write(tmx([(f"imported line {t} here", "سطر مستورد") for t in toks]))
                            with lock:
                                sent[m].update(toks)
                            r = cli("import", "--memory", m, "--on-duplicate", "keep", path)
                        else:
                            toks = [f"tok{k}a{seq}"]
                            with lock:
                                sent[m].update(toks)
                            r = cli("add", "--memory", m, f"the quick brown fox {toks[0]} jumps", "الثعلب البني")
                        if r.returncode == 0:
                            with lock:
                                acked[m].update(toks)
                        cli("lookup", "--memory", m, "the quick brown fox jumps")
                        cli("concordance", "--memory", m, "brown fox")

                def churner():
                    while not stop.is_set():
                        if cli("memory", "create", "c", "--source", "en", "--target", "ar").returncode == 0:
                            churn.append("created")
                        cli("add", "--memory", "c", "a unit of c", "وحدة")
                        if cli("memory", "delete", "c").returncode == 0:
                            churn.append("deleted")

                threads = [threading.Thread(target=adder, args=(k,)) for k in range(4)]
                threads.append(threading.Thread(target=churner))
                for t in threads:
                    t.start()
                time.sleep(LOAD_SECONDS)
                # SIGTERM with calls in flight; the clients keep calling
                # (refused once the server stops listening).
                code, err = server.stop(timeout=120)
                stop.set()
                for t in threads:
                    t.join()
                self.assertNotIn("ThreadSanitizer", err, err[-4000:])
                self.assertNotIn("AddressSanitizer", err, err[-4000:])
                self.assertEqual(code, 0, err[-4000:])
                self.assertIn("stopped cleanly", err)
            print(f"acknowledged: a={len(acked['a'])} b={len(acked['b'])}; churn: {len(churn)}", file=sys.stderr)
            self.assertGreater(len(acked["a"]) + len(acked["b"]), 0)

            with Server(ARGS.server_bin, data_dir=data) as server:
                for m in ("a", "b"):
                    out = os.path.join(tmp, f"{m}.tmx")
                    r = run_cli(ARGS.cli_bin, server.address, "export", "--memory", m, "-o", out, timeout=120)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    with open(out, encoding="utf-8") as f:
                        text = f.read()
                    stored = set()
                    for word in text.replace("<", " ").replace(">", " ").split():
                        if word.startswith("tok"):
                            self.assertNotIn(word, stored, f"{word} stored twice in {m}")
                            stored.add(word)
                    self.assertEqual(acked[m] - stored, set(), f"acknowledged units lost in {m}")
                    self.assertEqual(stored - sent[m], set(), f"units never sent found in {m}")
                code, err = server.stop(timeout=120)
                self.assertEqual(code, 0, err[-4000:])
                self.assertNotIn("ThreadSanitizer", err, err[-4000:])


if __name__ == "__main__":
    main()
