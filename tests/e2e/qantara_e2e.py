"""Helpers for end-to-end tests: run the real qantara-server on port 0 with a
temporary data dir, and the real qantara CLI against it.

A test file subclasses ServerTestCase (one server for the whole class) and
ends with `main("--fixtures")`: main() parses --server-bin, --cli-bin and the
extra flags named into ARGS, then runs the file's tests."""

import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import unittest

# The command-line flags of the running test file; filled in by main().
ARGS = argparse.Namespace()

# A news document pair in sentences, for the alignment tests
# (tests/fixtures/README.md gives its gold beads).
def _fixture_lines(name):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", name)
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


NEWS_AR = _fixture_lines("news.ar.txt")
NEWS_EN = _fixture_lines("news.en.txt")


class Server:
    """A qantara-server process. Use as a context manager; stop() sends SIGTERM."""

    def __init__(self, binary, data_dir=None, extra_args=(), listen="127.0.0.1:0"):
        self._tmp = None
        if data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="qantara-e2e-")
            data_dir = os.path.join(self._tmp.name, "data")
        self.data_dir = data_dir
        self.proc = subprocess.Popen(
            [binary, "--listen", listen, "--data-dir", data_dir, *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = _read_line(self.proc.stdout, timeout=30)
        m = re.fullmatch(rb"listening on (\S+):(\d+)\n", line or b"")
        if not m:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            raise RuntimeError(f"server did not start: first line {line!r}, stderr {err!r}")
        self.address = f"{m.group(1).decode()}:{m.group(2).decode()}"
        self.port = int(m.group(2))

    def wait_for_log(self, needle, timeout=60):
        """Reads the server's stderr until a line holding `needle` (bytes) and
        returns it (None at the timeout or the end). The lines read are not
        returned by stop() any more."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            line = _read_line(self.proc.stderr, timeout=left) if left > 0 else b""
            if not line.endswith(b"\n"):
                return None
            if needle in line:
                return line

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Signals the server and returns (exit code, stderr text)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            raise
        return self.proc.returncode, err.decode(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        if self._tmp:
            self._tmp.cleanup()


def _read_line(stream, timeout):
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf = b""
    fd = stream.fileno()
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not sel.select(left):
            return buf
        chunk = os.read(fd, 1)
        if not chunk:
            return buf
        buf += chunk
    return buf


def run_cli(cli, server, *args, stdin=None, cwd=None, timeout=60):
    """Runs `qantara --server SERVER ARGS...`; returns CompletedProcess (bytes)."""
    cmd = [cli] + (["--server", server] if server else []) + list(args)
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, cwd=cwd)


def error_details(error):
    """The google.rpc.Status of a failed call (a grpc.RpcError) from its
    grpc-status-details-bin trailer, as a dict: code, message, reason,
    domain, metadata, fields (BadRequest field paths), retry_s (RetryInfo),
    quota (QuotaFailure (subject, description) pairs), resource (ResourceInfo
    (type, name)), kinds (the details' type names); None when the trailer is
    missing. Needs the Python stubs (google/rpc/*_pb2.py) on sys.path."""
    from google.rpc import error_details_pb2, status_pb2
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if raw is None:
        return None
    st = status_pb2.Status.FromString(raw)
    out = {"code": st.code, "message": st.message, "reason": None, "domain": None, "metadata": {},
           "fields": [], "retry_s": None, "quota": [], "resource": None, "kinds": []}
    for any_ in st.details:
        out["kinds"].append(any_.TypeName())
        for cls in (error_details_pb2.ErrorInfo, error_details_pb2.BadRequest, error_details_pb2.RetryInfo,
                    error_details_pb2.QuotaFailure, error_details_pb2.ResourceInfo):
            if any_.Is(cls.DESCRIPTOR):
                msg = cls()
                any_.Unpack(msg)
                break
        else:
            continue
        if isinstance(msg, error_details_pb2.ErrorInfo):
            out.update(reason=msg.reason, domain=msg.domain, metadata=dict(msg.metadata))
        elif isinstance(msg, error_details_pb2.BadRequest):
            out["fields"] += [v.field for v in msg.field_violations]
        elif isinstance(msg, error_details_pb2.RetryInfo):
            out["retry_s"] = msg.retry_delay.seconds + msg.retry_delay.nanos / 1e9
        elif isinstance(msg, error_details_pb2.QuotaFailure):
            out["quota"] += [(v.subject, v.description) for v in msg.violations]
        else:
            out["resource"] = (msg.resource_type, msg.resource_name)
    return out


class ServerTestCase(unittest.TestCase):
    """One real qantara-server for the test class (port 0, temporary data dir),
    started in setUpClass and killed in tearDownClass, plus a temporary
    directory for the tests' files."""

    server_args = ()  # extra qantara-server flags for the class

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="qantara-e2e-files-")
        cls.server = Server(ARGS.server_bin, extra_args=cls.server_args)
        cls.addr = cls.server.address

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.tmp.cleanup()
        super().tearDownClass()

    def cli(self, *args, **kw):
        """Runs the CLI against the class's server; returns CompletedProcess (bytes)."""
        return run_cli(ARGS.cli_bin, self.addr, *args, **kw)

    def ok_result(self, *args, **kw):
        """Runs the CLI and asserts it exits 0; returns CompletedProcess (bytes)."""
        r = self.cli(*args, **kw)
        self.assertEqual(r.returncode, 0, (args, r.stdout.decode(errors="replace"),
                                           r.stderr.decode(errors="replace")))
        return r

    def ok(self, *args, **kw):
        """Runs the CLI and asserts it exits 0; returns its stdout as text."""
        return self.ok_result(*args, **kw).stdout.decode()

    def path(self, name):
        """A path in the class's temporary directory."""
        return os.path.join(self.tmp.name, name)


def main(*flags):
    """Parses --server-bin, --cli-bin and the extra required `flags` (such as
    "--fixtures") into ARGS, then runs the calling file's tests verbosely
    (other arguments go to unittest)."""
    parser = argparse.ArgumentParser()
    for flag in ("--server-bin", "--cli-bin", *flags):
        parser.add_argument(flag, required=True)
    args, rest = parser.parse_known_args()
    vars(ARGS).update(vars(args))
    unittest.main(module="__main__", argv=[sys.argv[0], "-v", *rest])
