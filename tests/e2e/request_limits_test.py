"""End-to-end: the limits on one request (service/tm/request_limits.h)
through the real server and CLI. A default server refuses exhaustive
lookups, a NaN threshold and max_results over 100, each with an error naming
the field and the limit; a memory named twice counts once; flags change the
limits (--max-query-bytes, --max-units-per-call, --allow-exhaustive); the
server stays up through all of it."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, ServerTestCase, main, run_cli  # noqa: E402

TEXT = "مرحبا بكم في البيت"


class DefaultLimitsTest(ServerTestCase):
    def setUp(self):
        if self.cli("memory", "show", "m").returncode != 0:
            self.ok("memory", "create", "m", "--source", "ar", "--target", "en")
            self.ok("add", "--memory", "m", TEXT, "Welcome home")

    def refused(self, *args, needle):
        r = self.cli(*args)
        self.assertNotEqual(r.returncode, 0, r.stdout.decode())
        self.assertIn(needle, r.stderr.decode())
        return r.stderr.decode()

    def test_refusals_name_the_field_and_the_limit(self):
        self.refused("lookup", "--memory", "m", TEXT, "--exhaustive", needle="--allow-exhaustive")
        self.refused("lookup", "--memory", "m", TEXT, "--threshold", "nan",
                     needle="threshold must be a number from 0 to 100, not NaN")
        self.refused("lookup", "--memory", "m", TEXT, "--max", "101",
                     needle="max_results: 101 is over this server's limit of 100")
        # Within the limits all is well, and the server is still up.
        out = self.ok("lookup", "--memory", "m", TEXT, "--max", "100")
        self.assertIn("Welcome home", out)

    def test_a_memory_named_twice_counts_once(self):
        out = self.ok("lookup", "--memory", "m", "--memory", "m", "--memory", "m", TEXT, "--json")
        self.assertEqual(out.count("Welcome home"), 1, out)


class ChangedLimitsTest(ServerTestCase):
    server_args = ("--max-query-bytes", "20", "--max-units-per-call", "3", "--allow-exhaustive",
                   "--max-document-bytes", "200", "--max-align-sentences", "4")

    def test_documents_over_the_limits_are_refused(self):
        long_text = ("جملة قصيرة. " * 40).encode()  # 840 bytes
        r = self.cli("segment", "--lang", "ar", "-", stdin=long_text)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("text bytes: 840 is over this server's limit of 200", r.stderr.decode())
        self.assertEqual(self.ok("segment", "--lang", "ar", "-", stdin="جملة. جملة أخرى.".encode()).count("\n"), 2)
        ar, en = self.path("ar.txt"), self.path("en.txt")
        with open(ar, "w", encoding="utf-8") as f:
            f.write("".join(f"جملة {i}\n" for i in range(5)))
        with open(en, "w", encoding="utf-8") as f:
            f.write("".join(f"Sentence {i}\n" for i in range(5)))
        r = self.cli("align", "--sentences", ar, en)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("arabic sentences: 5 is over this server's limit of 4", r.stderr.decode())

    def test_flags_change_the_limits(self):
        self.ok("memory", "create", "m", "--source", "ar", "--target", "en")
        r = self.cli("lookup", "--memory", "m", TEXT)  # 33 bytes
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("text bytes: 33 is over this server's limit of 20", r.stderr.decode())
        # The CLI sends --tsv units in chunks bigger than 3: the first chunk is refused whole.
        tsv = "".join(f"جملة رقم {i}\tsentence {i}\n" for i in range(10)).encode()
        r = self.cli("add", "--memory", "m", "--tsv", "-", stdin=tsv)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("units of an AddUnits chunk: 10 is over this server's limit of 3", r.stderr.decode())
        self.assertEqual(json.loads(self.ok("memory", "show", "m", "--json"))["units"], 0)
        out = self.ok("lookup", "--memory", "m", "مرحبا", "--exhaustive")  # allowed here
        self.assertIn("candidates scored", out)


if __name__ == "__main__":
    main()
