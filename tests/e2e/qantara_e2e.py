"""Helpers for end-to-end tests: run the real qantara-server on port 0 with a
temporary data dir, and the real qantara CLI against it."""

import os
import re
import selectors
import signal
import subprocess
import tempfile
import time


class Server:
    """A qantara-server process. Use as a context manager; stop() sends SIGTERM."""

    def __init__(self, binary, data_dir=None, extra_args=()):
        self._tmp = None
        if data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="qantara-e2e-")
            data_dir = os.path.join(self._tmp.name, "data")
        self.data_dir = data_dir
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir, *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = _read_line(self.proc.stdout, timeout=30)
        m = re.fullmatch(rb"listening on (\S+):(\d+)\n", line or b"")
        if not m:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            raise RuntimeError(f"server did not start: first line {line!r}, stderr {err!r}")
        self.address = f"{m.group(1).decode()}:{m.group(2).decode()}"
        self.port = int(m.group(2))

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
