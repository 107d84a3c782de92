"""End-to-end: the real qantara-server on port 0 and the real qantara CLI."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, ServerTestCase, main, run_cli  # noqa: E402


class ServerCliTest(ServerTestCase):
    def fixture(self, name):
        with open(os.path.join(ARGS.fixtures, name), "rb") as f:
            return f.read()

    def test_health_prints_serving(self):
        r = self.cli("health")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b"SERVING\nwrites: SERVING\n")
        r = self.cli("health", "--service", "qantara.v1.writes")
        self.assertEqual((r.returncode, r.stdout), (0, b"SERVING\n"), r.stderr)

    def test_server_env_var_is_the_default_address(self):
        env = dict(os.environ, QANTARA_SERVER=self.addr)
        r = subprocess.run([ARGS.cli_bin, "health"], capture_output=True, env=env, timeout=60)
        self.assertEqual(r.stdout, b"SERVING\nwrites: SERVING\n", r.stderr)

    def test_segment_arabic_news_paragraph_character_for_character(self):
        expected = self.fixture("news_ar.expected")
        r = self.cli("segment", "--lang", "ar", os.path.join(ARGS.fixtures, "news_ar.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.decode(), expected.decode())
        self.assertEqual(len(r.stdout.splitlines()), 10)

    def test_segment_reads_stdin(self):
        doc = self.fixture("news_ar.txt")
        for args in (("segment", "--lang", "ar-SA"), ("segment", "--lang", "ar", "-")):
            r = self.cli(*args, stdin=doc)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, self.fixture("news_ar.expected"))

    def test_segment_english_with_headline(self):
        r = self.cli("segment", "--lang", "en",
                     stdin="Weather Today\nIt will rain. Take an umbrella!\n".encode())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.decode().splitlines(),
                         ["Weather Today", "It will rain.", "Take an umbrella!"])

    def test_double_dash_ends_options(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "-doc.txt"), "w", encoding="utf-8") as f:
                f.write("-5 degrees tonight. Stay warm.")
            r = self.cli("segment", "--lang", "en", "--", "-doc.txt", cwd=d)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.decode().splitlines(), ["-5 degrees tonight.", "Stay warm."])

    def test_unknown_language_is_a_clear_error(self):
        r = self.cli("segment", "--lang", "fr", stdin=b"Bonjour.")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        err = r.stderr.decode()
        self.assertIn("unsupported language", err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_invalid_utf8_input_is_refused_before_sending(self):
        r = self.cli("segment", "--lang", "ar", stdin=b"\xd9\x85\xff bad")
        self.assertEqual(r.returncode, 2)
        self.assertIn("UTF-8", r.stderr.decode())

    def test_missing_file_and_missing_flag(self):
        r = self.cli("segment", "--lang", "ar", "/nonexistent/qantara.txt")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent/qantara.txt", r.stderr.decode())
        r = self.cli("segment", stdin=b"x")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--lang", r.stderr.decode())

    def test_help_on_every_subcommand(self):
        for sub in ([], ["health"], ["segment"]):
            r = run_cli(ARGS.cli_bin, None, *sub, "--help")
            self.assertEqual(r.returncode, 0, (sub, r.stderr))
            self.assertIn(b"--server" if not sub else b"Usage", r.stdout)

    def test_second_server_on_same_data_dir_fails_fast(self):
        start = time.monotonic()
        p = subprocess.run([ARGS.server_bin, "--listen", "127.0.0.1:0",
                            "--data-dir", self.server.data_dir],
                           capture_output=True, timeout=30)
        self.assertLess(time.monotonic() - start, 20)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stdout, b"")  # never claims to listen
        self.assertIn("another qantara-server", p.stderr.decode())
        self.assertNotIn(p.returncode, (-signal.SIGSEGV, -signal.SIGABRT))
        # The first server still serves.
        self.assertEqual(self.cli("health").stdout, b"SERVING\nwrites: SERVING\n")


class LifecycleTest(unittest.TestCase):
    def test_sigterm_drains_and_exits_zero_then_data_dir_reopens(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            with Server(ARGS.server_bin, data_dir=data) as s:
                self.assertEqual(run_cli(ARGS.cli_bin, s.address, "health").returncode, 0)
                code, err = s.stop(signal.SIGTERM)
                self.assertEqual(code, 0, err)
                self.assertIn("stopped cleanly", err)
                addr = s.address
            # the server is gone: health fails with a clear message
            r = run_cli(ARGS.cli_bin, addr, "--timeout", "3", "health")
            self.assertNotEqual(r.returncode, 0)
            self.assertEqual(r.stdout, b"")
            self.assertIn("unreachable", r.stderr.decode())
            # the lock was released: a new server opens the same dir
            with Server(ARGS.server_bin, data_dir=data) as s2:
                code, err = s2.stop(signal.SIGINT)
                self.assertEqual(code, 0, err)

    def test_bad_flags_fail_with_message(self):
        with tempfile.TemporaryDirectory() as d:
            for args in (["--listen", "nonsense"], ["--log-level", "loud"]):
                p = subprocess.run([ARGS.server_bin, "--data-dir", d, *args],
                                   capture_output=True, timeout=30)
                self.assertNotEqual(p.returncode, 0, args)
                self.assertTrue(p.stderr.strip(), args)


if __name__ == "__main__":
    main("--fixtures")
