"""Reading a child process's output a line at a time with a timeout (the
benchmarks and the crash harness wait for `listening on HOST:PORT`)."""

import os
import selectors
import time


def read_line(stream, timeout):
    """The next line of `stream` (bytes, with its newline), or what came
    before the timeout or the end."""
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not sel.select(left):
            return buf
        chunk = os.read(stream.fileno(), 1)
        if not chunk:
            return buf
        buf += chunk
    return buf
