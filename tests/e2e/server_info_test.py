"""End-to-end: ServerService.GetServerInfo and the gRPC service config
(issue 21).

The real server's ServerInfo: its version, storage format and request
limits, and a service config JSON with exactly one methodConfig (with a
timeout) for every rpc of every qantara.v1 service in the Python stubs;
gRPC itself accepts that config (a Python channel made with it calls the
server). Then retries for real, against a fake server (Python gRPC,
generic handlers) whose Normalize fails UNAVAILABLE twice before it
answers: a channel with the config gets the answer after 3 attempts, one
without fails after 1, and an rpc the config does not retry is tried once.
The CLI applies the config: `qantara normalize` against the fake server
gets its answer when the fake serves GetServerInfo, and fails after one
attempt when it does not (as an older server: UNIMPLEMENTED, so no config).
`qantara server-info` prints the same, as text and --json."""

import glob
import importlib
import json
import os
import re
import sys
import threading
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, ServerTestCase, main, run_cli  # noqa: E402


def api_methods():
    """(service full name, method descriptor) of every rpc in the stubs."""
    out = []
    for path in sorted(glob.glob(os.path.join(ARGS.stubs, "qantara", "v1", "*_pb2.py"))):
        module = importlib.import_module("qantara.v1." + os.path.basename(path)[:-3])
        for service in module.DESCRIPTOR.services_by_name.values():
            out.extend((service.full_name, m) for m in service.methods)
    return out


def entries(config):
    """"Service/Method" -> its methodConfig entries."""
    out = {}
    for entry in config["methodConfig"]:
        for name in entry["name"]:
            out.setdefault(f"{name['service']}/{name['method']}", []).append(entry)
    return out


class FakeServer:
    """A Python gRPC server: Normalize fails UNAVAILABLE `failures` times,
    then answers; `refused` (a "Service/Method", unary) always fails
    UNAVAILABLE; with `info`, ServerService.GetServerInfo answers it."""

    def __init__(self, grpc, failures, info=None, refused=None):
        from qantara.v1 import text_pb2
        self.attempts = {}
        self.lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        left = [failures]

        def count(name):
            with self.lock:
                self.attempts[name] = self.attempts.get(name, 0) + 1

        def normalize(request, context):
            count("Normalize")
            with self.lock:
                fail = left[0] > 0
                left[0] -= 1
            if fail:
                context.abort(grpc.StatusCode.UNAVAILABLE, "not yet")
            return text_pb2.NormalizeResponse(key="retried").SerializeToString()

        handlers = [grpc.method_handlers_generic_handler(
            "qantara.v1.TextService", {"Normalize": grpc.unary_unary_rpc_method_handler(normalize)})]
        if info is not None:
            def get_info(request, context):
                count("GetServerInfo")
                return info.SerializeToString()
            handlers.append(grpc.method_handlers_generic_handler(
                "qantara.v1.ServerService", {"GetServerInfo": grpc.unary_unary_rpc_method_handler(get_info)}))
        if refused is not None:
            service, method = refused.split("/")

            def refuse(request, context):
                count(method)
                context.abort(grpc.StatusCode.UNAVAILABLE, "never")
            handlers.append(grpc.method_handlers_generic_handler(
                service, {method: grpc.unary_unary_rpc_method_handler(refuse)}))
        self.server.add_generic_rpc_handlers(handlers)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{self.port}"
        self.server.start()

    def close(self):
        self.server.stop(None)


class ServerInfoTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import server_pb2, server_pb2_grpc
        cls.grpc = grpc
        with grpc.insecure_channel(cls.addr) as channel:
            cls.info = server_pb2_grpc.ServerServiceStub(channel).GetServerInfo(
                server_pb2.GetServerInfoRequest(), timeout=10)
        cls.config = json.loads(cls.info.service_config_json)

    def test_1_info(self):
        self.assertRegex(self.info.version, r"^\d+\.\d+\.\d+")
        version = run_cli(ARGS.server_bin, None, "--version").stdout.decode()
        self.assertIn(self.info.version, version)
        self.assertGreater(self.info.storage_format_version, 0)
        self.assertEqual(self.info.limits.max_results, 100)  # the server's defaults
        self.assertEqual(self.info.limits.max_units_per_call, 10000)
        self.assertGreaterEqual(self.info.limits.max_message_bytes, 4 << 20)
        self.assertFalse(self.info.limits.allow_exhaustive)

    def test_2_every_rpc_has_one_entry(self):
        by_method = entries(self.config)
        methods = api_methods()
        self.assertGreater(len(methods), 25)
        for service, method in methods:
            key = f"{service}/{method.name}"
            with self.subTest(rpc=key):
                self.assertEqual(len(by_method.get(key, [])), 1)
                entry = by_method[key][0]
                self.assertRegex(entry["timeout"], r"^[1-9]\d*s$")
        self.assertEqual(len(by_method), len(methods), "entries for rpcs that do not exist")
        retried = {k for k, v in by_method.items() if "retryPolicy" in v[0]}
        for read in ("MemoryService/Lookup", "MemoryService/GetMemory", "ImportExportService/Export",
                     "AlignService/Align", "ServerService/GetServerInfo", "TextService/Normalize"):
            self.assertIn("qantara.v1." + read, retried)
        self.assertEqual(by_method["qantara.v1.MemoryService/Lookup"][0]["timeout"], "10s")
        self.assertEqual(by_method["qantara.v1.ImportExportService/Import"][0]["timeout"], "3600s")
        policy = by_method["qantara.v1.MemoryService/Lookup"][0]["retryPolicy"]
        self.assertEqual(policy["retryableStatusCodes"], ["UNAVAILABLE"])
        self.assertEqual(policy["maxAttempts"], 4)

    def test_3_grpc_accepts_the_config(self):
        from qantara.v1 import memory_pb2, memory_pb2_grpc, text_pb2, text_pb2_grpc
        grpc = self.grpc
        options = [("grpc.service_config", self.info.service_config_json)]
        with grpc.insecure_channel(self.addr, options=options) as channel:
            memories = memory_pb2_grpc.MemoryServiceStub(channel).ListMemories(memory_pb2.ListMemoriesRequest())
            self.assertEqual(list(memories.memories), [])
            key = text_pb2_grpc.TextServiceStub(channel).Normalize(text_pb2.NormalizeRequest(text="الكِتاب"))
            self.assertEqual(key.key, "الكتاب")

    def normalize(self, address, config):
        from qantara.v1 import text_pb2, text_pb2_grpc
        options = [("grpc.service_config", config)] if config else []
        with self.grpc.insecure_channel(address, options=options) as channel:
            return text_pb2_grpc.TextServiceStub(channel).Normalize(text_pb2.NormalizeRequest(text="x"), timeout=20)

    def test_4_unavailable_is_retried(self):
        fake = FakeServer(self.grpc, failures=2)
        try:
            self.assertEqual(self.normalize(fake.address, self.info.service_config_json).key, "retried")
            self.assertEqual(fake.attempts["Normalize"], 3)
        finally:
            fake.close()
        fake = FakeServer(self.grpc, failures=2)
        try:
            with self.assertRaises(self.grpc.RpcError) as raised:
                self.normalize(fake.address, None)
            self.assertEqual(raised.exception.code(), self.grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(fake.attempts["Normalize"], 1)
        finally:
            fake.close()
        # Four attempts at most.
        fake = FakeServer(self.grpc, failures=10)
        try:
            with self.assertRaises(self.grpc.RpcError):
                self.normalize(fake.address, self.info.service_config_json)
            self.assertEqual(fake.attempts["Normalize"], 4)
        finally:
            fake.close()

    def test_5_what_is_not_retried_is_tried_once(self):
        by_method = entries(self.config)
        unary = {f"{s}/{m.name}" for s, m in api_methods() if not m.client_streaming and not m.server_streaming}
        once = sorted(k for k, v in by_method.items() if "retryPolicy" not in v[0] and k in unary)
        if not once:
            self.skipTest("every unary rpc is retried (every write carries a request_id)")
        fake = FakeServer(self.grpc, failures=0, refused=once[0])
        try:
            options = [("grpc.service_config", self.info.service_config_json)]
            with self.grpc.insecure_channel(fake.address, options=options) as channel:
                call = channel.unary_unary("/" + once[0])
                with self.assertRaises(self.grpc.RpcError) as raised:
                    call(b"", timeout=20)
                self.assertEqual(raised.exception.code(), self.grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(fake.attempts[once[0].split("/")[1]], 1, once[0])
        finally:
            fake.close()

    def test_6_the_cli_applies_the_config(self):
        fake = FakeServer(self.grpc, failures=2, info=self.info)
        try:
            r = run_cli(ARGS.cli_bin, fake.address, "normalize", "x")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.decode().strip(), "retried")
            self.assertEqual(fake.attempts, {"GetServerInfo": 1, "Normalize": 3})
        finally:
            fake.close()
        # A server without GetServerInfo (UNIMPLEMENTED): no config, one attempt.
        fake = FakeServer(self.grpc, failures=2)
        try:
            r = run_cli(ARGS.cli_bin, fake.address, "normalize", "x")
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertEqual(fake.attempts, {"Normalize": 1})
        finally:
            fake.close()

    def test_7_cli_server_info(self):
        out = self.ok("server-info")
        self.assertIn(f"version: {self.info.version}\n", out)
        self.assertIn(f"storage format: {self.info.storage_format_version}\n", out)
        self.assertIn("  max_results: 100\n", out)
        self.assertRegex(out, re.compile(r"^  qantara\.v1\.MemoryService/Lookup\t10s\tretried: 4 attempts on "
                                         r"\[\"UNAVAILABLE\"\]$", re.M))
        printed = json.loads(self.ok("server-info", "--json"))
        self.assertEqual(printed["version"], self.info.version)
        self.assertEqual(printed["service_config"], self.config)
        self.assertEqual(printed["limits"]["max_units_per_call"], 10000)


class ServerInfoAuthTest(ServerTestCase):
    """With --auth: any valid token, of any role; none is refused."""
    server_args = ("--auth",)

    def test_auth(self):
        admin = ("--token-file", os.path.join(self.server.data_dir, "admin.token"))
        r = self.cli("server-info")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"no API token", r.stderr)
        self.ok(*admin, "memory", "create", "m", "--source", "ar", "--target", "en")
        secret = self.ok(*admin, "token", "create", "r", "--role", "reader", "-m", "m").strip()
        self.assertIn("version: ", self.ok("--token", secret, "server-info"))
        self.assertIn("version: ", self.ok(*admin, "server-info"))


if __name__ == "__main__":
    main("--stubs")
