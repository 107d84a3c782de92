"""End-to-end: qantara-server with TLS and mutual TLS, the CLI's --tls*
flags, plaintext refused beyond loopback without --insecure, reflection only
with --reflection, certificates reloaded on SIGHUP.

Certificates are made with Debian's `openssl` in a temporary directory at
test time: a CA, a server certificate for 127.0.0.1 and localhost, a client
certificate, and a second CA that signs nothing the server trusts."""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qantara_e2e  # noqa: E402
from qantara_e2e import ARGS, Server, ServerTestCase, main, run_cli  # noqa: E402

try:
    import grpc  # Debian's python3-grpcio
except ImportError:  # the reflection checks are skipped
    grpc = None

OPENSSL = shutil.which("openssl")
_CERTS = None


def _openssl(*args, cwd):
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_ca(d, name):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", "-subj", f"/CN={name}", "-days", "2",
             cwd=d)


def make_cert(d, name, ca, serial, san=None, client=False):
    """A key and a certificate signed by `ca`: {name}.key, {name}.pem."""
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
    ext = os.path.join(d, f"{name}.ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\n")
        f.write(f"extendedKeyUsage={'clientAuth' if client else 'serverAuth'}\n")
        if san:
            f.write(f"subjectAltName={san}\n")
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
             "-set_serial", str(serial), "-days", "2", "-extfile", ext, "-out", f"{name}.pem", cwd=d)


def certs():
    """The test's certificate directory (made once)."""
    global _CERTS
    if _CERTS is None:
        tmp = tempfile.TemporaryDirectory(prefix="qantara-tls-")
        d = tmp.name
        make_ca(d, "ca")
        make_ca(d, "otherca")
        san = "IP:127.0.0.1,DNS:localhost"
        make_cert(d, "server1", "ca", 4097, san)
        make_cert(d, "server2", "ca", 8193, san)
        make_cert(d, "client", "ca", 12289, client=True)
        make_cert(d, "stranger", "otherca", 16385, client=True)
        _CERTS = tmp
    return _CERTS.name


def cert_path(name):
    return os.path.join(certs(), name)


def peer_serial(port, ca):
    """The serial number (hex) of the certificate the server presents now."""
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["h2"])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with ctx.wrap_socket(sock, server_hostname="127.0.0.1") as tls:
            return tls.getpeercert()["serialNumber"]


def reflection_list(address, credentials=None):
    """Calls ServerReflectionInfo with list_services: (status code name, the
    response bytes). Raw bytes: field 7 (list_services) = ""."""
    channel = (grpc.secure_channel(address, credentials) if credentials
               else grpc.insecure_channel(address))
    with channel:
        call = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                     request_serializer=lambda b: b,
                                     response_deserializer=lambda b: b)
        try:
            responses = list(call(iter([b"\x3a\x00"]), timeout=10))
            return "OK", b"".join(responses)
        except grpc.RpcError as e:
            return e.code().name, b""


def setUpModule():
    if OPENSSL is None:
        raise unittest.SkipTest("openssl is not installed")


class TlsServerTest(ServerTestCase):
    """A TLS server (no client certificates) whose certificate files the
    tests may replace (the SIGHUP test puts the first one back)."""

    @classmethod
    def setUpClass(cls):
        cls.live = tempfile.TemporaryDirectory(prefix="qantara-tls-live-")
        cls.cert = os.path.join(cls.live.name, "server.pem")
        cls.key = os.path.join(cls.live.name, "server.key")
        shutil.copy(cert_path("server1.pem"), cls.cert)
        shutil.copy(cert_path("server1.key"), cls.key)
        cls.server_args = ("--tls-cert", cls.cert, "--tls-key", cls.key)
        super().setUpClass()
        cls.ca = cert_path("ca.pem")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.live.cleanup()

    def tls(self, *args, **kw):
        return self.cli("--tls-ca", self.ca, *args, **kw)

    def test_cli_through_tls(self):
        self.assertEqual(self.tls("health").stdout, b"SERVING\nwrites: SERVING\n")
        r = self.tls("memory", "create", "tm", "--source", "ar", "--target", "en")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.tls("add", "-m", "tm", "مرحبا بالعالم", "hello world")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.tls("lookup", "-m", "tm", "--json", "مرحبا بالعالم")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("hello world", r.stdout.decode())

    def test_ca_from_environment(self):
        env = dict(os.environ, QANTARA_TLS_CA=self.ca, QANTARA_SERVER=self.addr)
        r = subprocess.run([ARGS.cli_bin, "health"], capture_output=True, env=env, timeout=60)
        self.assertEqual(r.stdout, b"SERVING\nwrites: SERVING\n", r.stderr)

    def test_plaintext_client_fails_clearly(self):
        r = self.cli("--timeout", "5", "health")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        err = r.stderr.decode()
        self.assertIn(self.addr, err)
        self.assertIn("--tls-ca", err)  # the hint
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_wrong_ca_refused(self):
        r = self.cli("--timeout", "5", "--tls-ca", cert_path("otherca.pem"), "health")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        self.assertIn("TLS", r.stderr.decode())

    def test_system_roots_do_not_trust_a_private_ca(self):
        r = self.cli("--timeout", "5", "--tls", "health")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("TLS", r.stderr.decode())

    def test_unreadable_or_bad_client_files_exit_2(self):
        r = self.cli("--tls-ca", "/nonexistent/ca.pem", "health")
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent/ca.pem", r.stderr.decode())
        r = self.cli("--tls-ca", cert_path("ca.key"), "health")  # a key, no certificate
        self.assertEqual(r.returncode, 2)
        self.assertIn("no PEM certificate", r.stderr.decode())
        r = self.cli("--tls-ca", self.ca, "--tls-cert", cert_path("client.pem"), "health")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--tls-key", r.stderr.decode())
        r = self.cli("--tls-ca", self.ca, "--tls-cert", cert_path("client.pem"),
                     "--tls-key", "/nonexistent/client.key", "health")
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent/client.key", r.stderr.decode())

    def test_reflection_off_by_default(self):
        if grpc is None:
            self.skipTest("Python grpc (python3-grpcio) is not available: reflection not checked")
        with open(self.ca, "rb") as f:
            creds = grpc.ssl_channel_credentials(root_certificates=f.read())
        code, _ = reflection_list(self.addr, creds)
        self.assertEqual(code, "UNIMPLEMENTED")

    def test_sighup_reloads_certificates(self):
        self.assertEqual(peer_serial(self.server.port, self.ca), "1001")  # 4097
        try:
            shutil.copy(cert_path("server2.pem"), self.cert)
            shutil.copy(cert_path("server2.key"), self.key)
            self.server.proc.send_signal(signal.SIGHUP)
            line = self.server.wait_for_log(b"reloaded TLS certificates", timeout=10)
            self.assertIsNotNone(line)
            self.assertIn(b"CN=server2", line)
            self.assertEqual(self.poll_serial("2001"), "2001")  # 8193
            self.assertEqual(self.tls("health").returncode, 0)

            # A bad replacement: logged, the certificate in use keeps serving.
            with open(self.cert, "w") as f:
                f.write("not a certificate\n")
            self.server.proc.send_signal(signal.SIGHUP)
            line = self.server.wait_for_log(b"not reloading the TLS certificates", timeout=10)
            self.assertIsNotNone(line)
            self.assertIn(self.cert.encode(), line)
            # A key that does not match the certificate: refused too.
            shutil.copy(cert_path("server1.pem"), self.cert)
            shutil.copy(cert_path("server2.key"), self.key)
            self.server.proc.send_signal(signal.SIGHUP)
            line = self.server.wait_for_log(b"not reloading the TLS certificates", timeout=10)
            self.assertIsNotNone(line)
            self.assertIn(b"does not match", line)
            time.sleep(1.5)  # past the watcher's refresh: nothing changed
            self.assertEqual(peer_serial(self.server.port, self.ca), "2001")
            self.assertEqual(self.tls("health").returncode, 0)
        finally:
            shutil.copy(cert_path("server1.pem"), self.cert)
            shutil.copy(cert_path("server1.key"), self.key)
            self.server.proc.send_signal(signal.SIGHUP)
            self.server.wait_for_log(b"reloaded TLS certificates", timeout=10)

    def poll_serial(self, want, timeout=5):
        deadline = time.monotonic() + timeout
        while True:
            serial = peer_serial(self.server.port, self.ca)
            if serial == want or time.monotonic() > deadline:
                return serial
            time.sleep(0.1)


class MutualTlsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_args = ("--tls-cert", cert_path("server1.pem"), "--tls-key", cert_path("server1.key"),
                           "--tls-client-ca", cert_path("ca.pem"))
        super().setUpClass()

    def test_client_certificate_required(self):
        ca = cert_path("ca.pem")
        r = self.cli("--timeout", "5", "--tls-ca", ca, "health")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        self.assertIn("--tls-cert", r.stderr.decode())  # the hint
        r = self.cli("--tls-ca", ca, "--tls-cert", cert_path("client.pem"), "--tls-key",
                     cert_path("client.key"), "health")
        self.assertEqual(r.stdout, b"SERVING\nwrites: SERVING\n", r.stderr)
        env = dict(os.environ, QANTARA_TLS_CA=ca, QANTARA_TLS_CERT=cert_path("client.pem"),
                   QANTARA_TLS_KEY=cert_path("client.key"), QANTARA_SERVER=self.addr)
        r = subprocess.run([ARGS.cli_bin, "health"], capture_output=True, env=env, timeout=60)
        self.assertEqual(r.stdout, b"SERVING\nwrites: SERVING\n", r.stderr)

    def test_client_certificate_of_another_ca_refused(self):
        r = self.cli("--timeout", "5", "--tls-ca", cert_path("ca.pem"), "--tls-cert",
                     cert_path("stranger.pem"), "--tls-key", cert_path("stranger.key"), "health")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")


class HttpTlsTest(unittest.TestCase):
    """--http-listen takes the same TLS files: HTTPS only, client certificates
    with --tls-client-ca."""

    def start(self, *extra):
        s = Server(ARGS.server_bin, extra_args=["--http-listen", "127.0.0.1:0", "--tls-cert", cert_path("server1.pem"),
                                                "--tls-key", cert_path("server1.key"), *extra])
        line = qantara_e2e._read_line(s.proc.stdout, timeout=30)
        self.assertTrue(line.startswith(b"http listening on 127.0.0.1:"), line)
        return s, int(line.split(b":")[-1])

    def get(self, port, ctx, path="/healthz"):
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()

    def test_https_only(self):
        s, port = self.start()
        with s:
            ctx = ssl.create_default_context(cafile=cert_path("ca.pem"))
            self.assertEqual(self.get(port, ctx), (200, b'{"status":"ok"}'))
            self.assertEqual(self.get(port, ctx, "/v1/memories")[0], 200)
            # Plain HTTP to it gets no answer; a client not trusting the CA refuses it.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            with self.assertRaises((ConnectionError, http.client.HTTPException, OSError)):
                conn.request("GET", "/healthz")
                conn.getresponse()
            with self.assertRaises(ssl.SSLError):
                self.get(port, ssl.create_default_context(cafile=cert_path("otherca.pem")))

    def test_sighup_reloads_the_http_certificate(self):
        with tempfile.TemporaryDirectory(prefix="qantara-http-tls-") as live:
            cert, key = os.path.join(live, "c.pem"), os.path.join(live, "c.key")
            shutil.copy(cert_path("server1.pem"), cert)
            shutil.copy(cert_path("server1.key"), key)
            s = Server(ARGS.server_bin, extra_args=["--http-listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key])
            with s:
                port = int(qantara_e2e._read_line(s.proc.stdout, timeout=30).split(b":")[-1])
                ca = cert_path("ca.pem")
                first = peer_serial(port, ca)
                # A bad key first: the old certificate keeps serving.
                with open(key, "w") as f:
                    f.write("not a key")
                s.proc.send_signal(signal.SIGHUP)
                self.assertIsNotNone(s.wait_for_log(b"the HTTP listener keeps its old certificates", timeout=10))
                self.assertEqual(peer_serial(port, ca), first)
                shutil.copy(cert_path("server2.pem"), cert)
                shutil.copy(cert_path("server2.key"), key)
                s.proc.send_signal(signal.SIGHUP)
                self.assertIsNotNone(s.wait_for_log(b"reloaded the HTTP listener's TLS certificates", timeout=10))
                self.assertNotEqual(peer_serial(port, ca), first)

    def test_client_certificates(self):
        s, port = self.start("--tls-client-ca", cert_path("ca.pem"))
        with s:
            ctx = ssl.create_default_context(cafile=cert_path("ca.pem"))
            with self.assertRaises((ssl.SSLError, ConnectionError, http.client.HTTPException, OSError)):
                self.get(port, ctx)
            ctx.load_cert_chain(cert_path("client.pem"), cert_path("client.key"))
            self.assertEqual(self.get(port, ctx)[0], 200)
            stranger = ssl.create_default_context(cafile=cert_path("ca.pem"))
            stranger.load_cert_chain(cert_path("stranger.pem"), cert_path("stranger.key"))
            with self.assertRaises((ssl.SSLError, ConnectionError, http.client.HTTPException, OSError)):
                self.get(port, stranger)


class StartupTest(unittest.TestCase):
    def start(self, *args):
        with tempfile.TemporaryDirectory() as d:
            return subprocess.run([ARGS.server_bin, "--data-dir", os.path.join(d, "data"), *args],
                                  capture_output=True, timeout=30)

    def assert_refused(self, args, *needles):
        p = self.start(*args)
        self.assertEqual(p.returncode, 1, (args, p.stderr))
        self.assertEqual(p.stdout, b"")  # never claims to listen
        err = p.stderr.decode()
        for needle in needles:
            self.assertIn(needle, err, args)

    def test_plaintext_beyond_loopback_needs_insecure(self):
        self.assert_refused(["--listen", "0.0.0.0:0", "--auth"], "0.0.0.0:0", "--tls-cert FILE --tls-key FILE",
                            "--insecure")
        self.assert_refused(["--listen", "[::]:0", "--auth"], "--insecure")

    def test_http_listener_follows_the_same_rules(self):
        self.assert_refused(["--http-listen", "0.0.0.0:0", "--insecure"], "--http-listen", "--auth")
        self.assert_refused(["--http-listen", "0.0.0.0:0", "--auth"], "--http-listen", "--insecure")
        self.assert_refused(["--http-listen", "nonsense"], "--http-listen")

    def test_beyond_loopback_needs_auth(self):
        self.assert_refused(["--listen", "0.0.0.0:0", "--insecure"], "0.0.0.0:0", "--auth")
        self.assert_refused(["--listen", "[::]:0", "--tls-cert", cert_path("server1.pem"), "--tls-key",
                             cert_path("server1.key")], "--auth")

    def test_insecure_starts_and_warns(self):
        with Server(ARGS.server_bin, listen="0.0.0.0:0", extra_args=["--insecure", "--auth"]) as s:
            self.assertIsNotNone(s.wait_for_log(b"serving plaintext (no TLS) on 0.0.0.0", timeout=10))
            r = run_cli(ARGS.cli_bin, f"127.0.0.1:{s.port}", "health")
            self.assertEqual(r.returncode, 0, r.stderr)
            code, err = s.stop()
            self.assertEqual(code, 0, err)

    def test_bad_tls_files_fail_fast_naming_the_file(self):
        cert, key = cert_path("server1.pem"), cert_path("server1.key")
        self.assert_refused(["--tls-cert", cert], "--tls-cert given without --tls-key")
        self.assert_refused(["--tls-key", key], "--tls-key given without --tls-cert")
        self.assert_refused(["--tls-cert", "/nonexistent/c.pem", "--tls-key", key],
                            "--tls-cert /nonexistent/c.pem: cannot read")
        self.assert_refused(["--tls-cert", cert, "--tls-key", "/nonexistent/k.pem"],
                            "--tls-key /nonexistent/k.pem: cannot read")
        self.assert_refused(["--tls-cert", key, "--tls-key", key], f"--tls-cert {key}: no PEM certificate")
        self.assert_refused(["--tls-cert", cert, "--tls-key", cert], f"--tls-key {cert}: no PEM private key")
        self.assert_refused(["--tls-cert", cert, "--tls-key", cert_path("client.key")],
                            f"--tls-key {cert_path('client.key')} does not match the certificate")
        self.assert_refused(["--tls-cert", cert, "--tls-key", key, "--tls-client-ca", key],
                            f"--tls-client-ca {key}: no PEM certificate")
        self.assert_refused(["--tls-client-ca", cert], "--tls-client-ca needs --tls-cert")

    def test_tls_on_any_address_needs_no_insecure(self):
        with Server(ARGS.server_bin, listen="0.0.0.0:0",
                    extra_args=["--auth", "--tls-cert", cert_path("server1.pem"), "--tls-key",
                                cert_path("server1.key")]) as s:
            r = run_cli(ARGS.cli_bin, f"127.0.0.1:{s.port}", "--tls-ca", cert_path("ca.pem"), "health")
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_tls_client_to_plaintext_server_fails_clearly(self):
        with Server(ARGS.server_bin) as s:
            r = run_cli(ARGS.cli_bin, s.address, "--timeout", "5", "--tls-ca", cert_path("ca.pem"), "health")
            self.assertNotEqual(r.returncode, 0)
            self.assertEqual(r.stdout, b"")
            err = r.stderr.decode()
            self.assertIn("TLS", err)
            self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_reflection_only_with_flag(self):
        if grpc is None:
            self.skipTest("Python grpc (python3-grpcio) is not available: reflection not checked")
        with Server(ARGS.server_bin) as s:
            self.assertEqual(reflection_list(s.address)[0], "UNIMPLEMENTED")
        with Server(ARGS.server_bin, extra_args=["--reflection"]) as s:
            code, body = reflection_list(s.address)
            self.assertEqual(code, "OK")
            self.assertIn(b"qantara.v1.MemoryService", body)


if __name__ == "__main__":
    main()
