"""End-to-end: the malformed-input matrix (issue 15). Every rpc of the
qantara.v1 services x every field of its request (nested messages and oneof
members included, walked from the proto descriptors, so a new field is in the
matrix without a change here) x every bad class that applies to the field's
type:

  string   invalid UTF-8 (patched into the encoded bytes), control characters,
           bidi controls, 2 MiB of text, empty
  double   NaN, +inf, -inf, -1, 1e308
  integer  -1 (signed), the type's largest value
  enum     an unknown value (999)
  repeated 200,000 elements

Each request goes to a real server as encoded bytes. The server must answer
each with a client-error code (INVALID_ARGUMENT, RESOURCE_EXHAUSTED,
NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE) or OK, never
INTERNAL, UNKNOWN or UNAVAILABLE; an INVALID_ARGUMENT or RESOURCE_EXHAUSTED
names the field (or its message); a NaN, an infinity or an unknown enum value
is never accepted; every error carries the error details (a google.rpc.Status
in the grpc-status-details-bin trailer, of the call's code, with an
ErrorInfo of domain qantara.v1 and an UPPER_SNAKE_CASE reason), and an
INVALID_ARGUMENT for a number, an enum value, a size or invalid UTF-8 a
BadRequest naming the field (or an enclosing one); and the server stays
up. After the matrix the server is
stopped and started again on its data dir (a request must never leave a data
dir that cannot open) and still serves.

With QANTARA_SANITIZER_LOGS set (tests/fuzz/run_fuzzers.sh runs this file
against the ASan + UBSan server of its clang build, with the sanitizers'
log_path in that directory), any sanitizer report written there fails the
test."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, ServerTestCase, error_details, main  # noqa: E402

# Client-error codes, and OK: what a bad request may get.
ALLOWED = {"OK", "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "NOT_FOUND", "ALREADY_EXISTS",
           "FAILED_PRECONDITION", "OUT_OF_RANGE",
           # UpdateUnit with an expected_revision the unit is not at: a
           # revision conflict, nothing written.
           "ABORTED"}
# The rpcs left out, and why.
SKIPPED_RPCS = {
    "CreateBackup": "writes a whole backup per request (tests/e2e/backup_test.py)",
}
# A string no request holds, replaced in the encoded request by as many bytes
# of invalid UTF-8 (a lone 0xff, a truncated sequence, an encoded surrogate).
MARK = "\u2063MARK\u2063"
BAD_UTF8 = b"\xff\xfe\xc3(\xed\xa0\x80"
INT_MAX = {
    "TYPE_INT32": 2**31 - 1, "TYPE_SINT32": 2**31 - 1, "TYPE_SFIXED32": 2**31 - 1,
    "TYPE_INT64": 2**63 - 1, "TYPE_SINT64": 2**63 - 1, "TYPE_SFIXED64": 2**63 - 1,
    "TYPE_UINT32": 2**32 - 1, "TYPE_FIXED32": 2**32 - 1,
    "TYPE_UINT64": 2**64 - 1, "TYPE_FIXED64": 2**64 - 1,
}
SIGNED = {"TYPE_INT32", "TYPE_SINT32", "TYPE_SFIXED32", "TYPE_INT64", "TYPE_SINT64", "TYPE_SFIXED64"}
REPEATED_COUNT = 200_000
# The bad classes whose INVALID_ARGUMENT must name the field in a BadRequest.
FIELD_CLASSES = {"NaN", "+inf", "-inf", "-1", "1e308", "max", "unknown enum 999", "2 MiB", "200k elements",
                 "invalid UTF-8"}
REASON = re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*")
INT_TYPES = {}  # FieldDescriptor type -> name (of INT_MAX), filled in setUpClass


def int_types():
    from google.protobuf.descriptor import FieldDescriptor as F
    return {getattr(F, name): name for name in INT_MAX}


def bad_utf8_bytes():
    mark = MARK.encode()
    return (BAD_UTF8 * 2)[:len(mark)].ljust(len(mark), b"\xff")


class MalformedMatrixTest(ServerTestCase):
    server_args = ("--stream-stall-s", "5")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import (access_pb2, admin_pb2, align_pb2, import_pb2, memory_pb2,  # noqa: F401
                                server_pb2, text_pb2)
        cls.grpc = grpc
        global INT_TYPES
        INT_TYPES = int_types()
        cls.pb = {"access": access_pb2, "admin": admin_pb2, "align": align_pb2, "import": import_pb2,
                  "memory": memory_pb2, "server": server_pb2,
                  "text": text_pb2}
        cls.channel = grpc.insecure_channel(cls.addr, options=[("grpc.max_send_message_length", 256 << 20),
                                                               ("grpc.max_receive_message_length", 256 << 20)])
        m = memory_pb2
        from qantara.v1 import memory_pb2_grpc
        cls.mem = memory_pb2_grpc.MemoryServiceStub(cls.channel)
        cls.mem.CreateMemory(m.CreateMemoryRequest(name="m", source_lang="ar", target_lang="en"))
        cls.unit_id = cls.mem.AddUnit(m.AddUnitRequest(
            memory="m", unit=m.Unit(source="ذهب الولد إلى المدرسة", target="The boy went to school"))).unit_id

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        super().tearDownClass()

    # A valid request for each rpc: the matrix changes one field of it at a time.
    def baseline(self, method):
        pb, name = self.pb, method.name
        m, t, a, i, adm, ac = pb["memory"], pb["text"], pb["align"], pb["import"], pb["admin"], pb["access"]
        unit = m.Unit(source="ذهبت البنت إلى البيت", target="The girl went home")
        lookup = m.LookupRequest(memories=["m"], text="ذهب الولد إلى البيت", threshold=50, max_results=5)
        table = {
            "Segment": lambda: t.SegmentRequest(text="جملة أولى. جملة ثانية.", language="ar"),
            "Normalize": lambda: t.NormalizeRequest(text="الكِتاب", language="ar"),
            "Tokenize": lambda: t.TokenizeRequest(text="الكتاب الجديد", language="ar"),
            "CreateMemory": lambda: m.CreateMemoryRequest(name="new", source_lang="ar", target_lang="en"),
            "ListMemories": lambda: m.ListMemoriesRequest(page_size=10),
            "GetMemory": lambda: m.GetMemoryRequest(name="m"),
            "DeleteMemory": lambda: m.DeleteMemoryRequest(name="no-such-memory"),
            "AddUnit": lambda: m.AddUnitRequest(memory="m", unit=unit),
            "AddUnits": lambda: m.AddUnitsRequest(memory="m", units=[unit]),
            "GetUnit": lambda: m.GetUnitRequest(memory="m", unit_id=self.unit_id),
            "UpdateUnit": lambda: m.UpdateUnitRequest(memory="m", unit=m.Unit(
                unit_id=self.unit_id, source="ذهب الولد إلى المدرسة", target="The boy went to school")),
            "DeleteUnits": lambda: m.DeleteUnitsRequest(memory="m", unit_ids=[10**9]),
            "Lookup": lambda: lookup,
            "BatchLookup": lambda: m.BatchLookupRequest(segments=["ذهب الولد"], options=lookup),
            "Concordance": lambda: m.ConcordanceRequest(memory="m", text="الولد"),
            "Fragments": lambda: m.FragmentsRequest(memory="m", text="ذهب الولد إلى البيت"),
            "Stats": lambda: m.StatsRequest(),
            "Align": lambda: a.AlignRequest(arabic_text="ذهب الولد إلى المدرسة.",
                                            english_text="The boy went to school."),
            "AlignToMemory": lambda: a.AlignToMemoryRequest(memory="m", arabic_text="ذهب الولد إلى المدرسة.",
                                                            english_text="The boy went to school.",
                                                            dry_run=True),
            "Import": lambda: i.ImportRequest(start=i.ImportStart(memory="m", file_name="f.tmx", dry_run=True)),
            "Export": lambda: i.ExportRequest(memory="m"),
            "ListBackups": lambda: adm.ListBackupsRequest(dir="/nonexistent/qantara-backups"),
            # Without --auth the token rpcs answer FAILED_PRECONDITION (what
            # their checks do with a token: tm/access_test, e2e_auth_matrix).
            "CreateToken": lambda: ac.CreateTokenRequest(name="t", role=ac.TOKEN_ROLE_READER, memories=["m"]),
            "ListTokens": lambda: ac.ListTokensRequest(),
            "RevokeToken": lambda: ac.RevokeTokenRequest(name="t"),
            "ListAuditEvents": lambda: ac.ListAuditEventsRequest(page_size=10),
            "GetServerInfo": lambda: pb["server"].GetServerInfoRequest(),
        }
        self.assertIn(name, table, f"no baseline request for rpc {name}: add one")
        return table[name]()

    def call(self, method, payload, extra=()):
        """Sends encoded `payload` (plus encoded `extra` messages on a client
        stream) to `method`; returns (code name, message, error details:
        qantara_e2e.error_details)."""
        path = f"/{method.containing_service.full_name}/{method.name}"
        ident = lambda b: b  # noqa: E731
        try:
            if method.client_streaming:
                msgs = [payload, *extra]
                if method.server_streaming:
                    fn = self.channel.stream_stream(path, request_serializer=ident, response_deserializer=ident)
                    for _ in fn(iter(msgs), timeout=60):
                        pass
                else:
                    fn = self.channel.stream_unary(path, request_serializer=ident, response_deserializer=ident)
                    fn(iter(msgs), timeout=60)
            elif method.server_streaming:
                fn = self.channel.unary_stream(path, request_serializer=ident, response_deserializer=ident)
                for _ in fn(payload, timeout=60):
                    pass
            else:
                fn = self.channel.unary_unary(path, request_serializer=ident, response_deserializer=ident)
                fn(payload, timeout=60)
            return "OK", "", None
        except self.grpc.RpcError as e:
            return e.code().name, e.details() or "", error_details(e)

    def fields(self, descriptor, prefix=(), depth=0):
        """(path of field descriptors) for every field, nested ones included."""
        for f in descriptor.fields:
            path = prefix + (f,)
            yield path
            if f.type == f.TYPE_MESSAGE and f.label != f.LABEL_REPEATED and depth < 2:
                yield from self.fields(f.message_type, path, depth + 1)

    def mutations(self, field):
        """(class name, setter(message, field)) for `field`; a setter returns
        bytes to patch (MARK -> invalid UTF-8) or None."""
        if field.label == field.LABEL_REPEATED:
            if field.type == field.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
                value = field.message_type.fields_by_name["value"]
                example = {value.TYPE_STRING: "x", value.TYPE_BYTES: b"x", value.TYPE_BOOL: True,
                           value.TYPE_DOUBLE: 1.0, value.TYPE_FLOAT: 1.0}.get(value.type, 1)
                if value.type == value.TYPE_MESSAGE:
                    return  # no map of messages in the API today

                def many(msg, f):
                    getattr(msg, f.name).update({f"k{i}": example for i in range(REPEATED_COUNT)})
            elif field.type == field.TYPE_MESSAGE:
                def many(msg, f):
                    getattr(msg, f.name).add()
                    proto = getattr(msg, f.name)[0]
                    getattr(msg, f.name).extend([proto] * (REPEATED_COUNT - 1))
            elif field.type == field.TYPE_STRING:
                def many(msg, f):
                    getattr(msg, f.name).extend(["x"] * REPEATED_COUNT)
            elif field.type == field.TYPE_BYTES:
                def many(msg, f):
                    getattr(msg, f.name).extend([b"x"] * REPEATED_COUNT)
            elif field.type in (field.TYPE_DOUBLE, field.TYPE_FLOAT):
                def many(msg, f):
                    getattr(msg, f.name).extend([1.0] * REPEATED_COUNT)
            elif field.type == field.TYPE_BOOL:
                def many(msg, f):
                    getattr(msg, f.name).extend([True] * REPEATED_COUNT)
            else:
                def many(msg, f):
                    getattr(msg, f.name).extend(range(1, REPEATED_COUNT + 1))
            yield "200k elements", many
            return
        t = field.type
        if t == field.TYPE_STRING:
            yield "invalid UTF-8", lambda msg, f: setattr(msg, f.name, MARK)
            yield "control chars", lambda msg, f: setattr(msg, f.name, "a\x00b\x07c\x1bd")
            yield "bidi controls", lambda msg, f: setattr(msg, f.name, "m\u202eab\u2066c")
            yield "2 MiB", lambda msg, f: setattr(msg, f.name, "ك" * (1 << 20))
            yield "empty", lambda msg, f: setattr(msg, f.name, "")
        elif t in (field.TYPE_DOUBLE, field.TYPE_FLOAT):
            for name, v in (("NaN", float("nan")), ("+inf", float("inf")), ("-inf", float("-inf")),
                            ("-1", -1.0), ("1e308", 1e308)):
                yield name, (lambda v: lambda msg, f: setattr(msg, f.name, v))(v)
        elif t == field.TYPE_ENUM:
            yield "unknown enum 999", lambda msg, f: setattr(msg, f.name, 999)
        elif t in INT_TYPES:
            tname = INT_TYPES[t]
            if tname in SIGNED:
                yield "-1", lambda msg, f: setattr(msg, f.name, -1)
            yield "max", (lambda v: lambda msg, f: setattr(msg, f.name, v))(INT_MAX[tname])

    def test_matrix(self):
        from google.protobuf import descriptor_pool
        pool = descriptor_pool.Default()
        services = [pool.FindServiceByName(f"qantara.v1.{s}") for s in
                    ("TextService", "MemoryService", "AlignService", "ImportExportService", "AdminService",
                     "AccessService", "ServerService")]
        bad = []
        counts = {}
        reasons = {}
        t0 = time.monotonic()
        for service in services:
            for method in service.methods:
                if method.name in SKIPPED_RPCS:
                    continue
                base = self.baseline(method)
                code, details, _ = self.call(method, base.SerializeToString())
                self.assertIn(code, ALLOWED, f"{method.name} baseline: {code} {details}")
                for path in self.fields(base.DESCRIPTOR):
                    field = path[-1]
                    for cls_name, setter in self.mutations(field):
                        msg = type(base)()
                        msg.CopyFrom(base)
                        target = msg
                        for f in path[:-1]:
                            target = getattr(target, f.name)
                        setter(target, field)
                        data = msg.SerializeToString()
                        if cls_name == "invalid UTF-8":
                            data = data.replace(MARK.encode(), bad_utf8_bytes())
                        extra = ()
                        if method.name == "Import" and path[0].name != "chunk":
                            extra = (type(base)(chunk=b"<tmx version='1.4'><body></body></tmx>")
                                     .SerializeToString(),)
                        code, details, rich = self.call(method, data, extra)
                        counts[code] = counts.get(code, 0) + 1
                        where = f"{method.name} {'.'.join(f.name for f in path)} [{cls_name}]"
                        if self.server.proc.poll() is not None:
                            self.fail(f"the server died on {where}")
                        if code not in ALLOWED:
                            bad.append(f"{where}: {code} {details!r}")
                        elif cls_name in ("NaN", "+inf", "-inf", "unknown enum 999") and code == "OK":
                            bad.append(f"{where}: accepted")
                        elif code in ("INVALID_ARGUMENT", "RESOURCE_EXHAUSTED") and not names_field(details, path):
                            bad.append(f"{where}: {code} does not name the field: {details!r}")
                        if code != "OK":
                            problem = details_problem(code, details, rich, path,
                                                      code == "INVALID_ARGUMENT" and cls_name in FIELD_CLASSES)
                            if problem:
                                bad.append(f"{where}: {code} {details[:200]!r}: {problem}")
                            else:
                                reasons[rich["reason"]] = reasons.get(rich["reason"], 0) + 1
        total = sum(counts.values())
        print(f"matrix: {total} requests in {time.monotonic() - t0:.1f} s; codes {sorted(counts.items())}; "
              f"reasons {sorted(reasons.items())}", file=sys.stderr)
        for line in bad:
            print("  BAD " + line, file=sys.stderr)
        self.assertEqual(bad, [], f"{len(bad)} of {total} malformed requests answered badly")
        # The data dir opens again and serves.
        self.server.stop()
        again = Server(ARGS.server_bin, data_dir=self.server.data_dir)
        try:
            from qantara.v1 import memory_pb2, memory_pb2_grpc
            import grpc
            with grpc.insecure_channel(again.address) as ch:
                got = memory_pb2_grpc.MemoryServiceStub(ch).GetMemory(memory_pb2.GetMemoryRequest(name="m"),
                                                                      timeout=30)
                self.assertEqual(got.name, "m")
        finally:
            again.__exit__(None, None, None)


class UnparsableStreamMessageTest(ServerTestCase):
    """An AddUnits stream whose second message does not parse must not end
    as if the stream were complete (gRPC's Read returns false for it): the
    call fails naming the message and the field, and the units of the first
    message are stored."""

    def test_add_units_second_message_invalid_utf8(self):
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import memory_pb2 as m, memory_pb2_grpc
        with grpc.insecure_channel(self.addr) as ch:
            mem = memory_pb2_grpc.MemoryServiceStub(ch)
            mem.CreateMemory(m.CreateMemoryRequest(name="s", source_lang="ar", target_lang="en"))
            first = m.AddUnitsRequest(memory="s", units=[m.Unit(source="بيت", target="house")])
            second = m.AddUnitsRequest(units=[m.Unit(source=MARK, target="school")]).SerializeToString()
            second = second.replace(MARK.encode(), bad_utf8_bytes())
            call = ch.stream_unary("/qantara.v1.MemoryService/AddUnits",
                                   request_serializer=lambda b: b, response_deserializer=lambda b: b)
            with self.assertRaises(grpc.RpcError) as e:
                call(iter([first.SerializeToString(), second]), timeout=30)
            self.assertEqual(e.exception.code(), grpc.StatusCode.INVALID_ARGUMENT, e.exception.details())
            self.assertIn("message 2", e.exception.details())
            self.assertIn("qantara.v1.Unit.source", e.exception.details())
            rich = error_details(e.exception)
            self.assertEqual(rich["reason"], "MALFORMED_REQUEST", rich)
            self.assertEqual(rich["fields"], ["units.source"], rich)
            self.assertEqual(mem.GetMemory(m.GetMemoryRequest(name="s")).units, 1)


def tearDownModule():
    logs = os.environ.get("QANTARA_SANITIZER_LOGS")
    if not logs:
        return
    reports = sorted(os.listdir(logs)) if os.path.isdir(logs) else []
    for name in reports:
        with open(os.path.join(logs, name), errors="replace") as f:
            print(f"--- sanitizer report {name}:\n{f.read()[:20000]}", file=sys.stderr)
    if reports:
        raise AssertionError(f"{len(reports)} sanitizer report(s) in {logs}")
    print(f"sanitizer reports in {logs}: none", file=sys.stderr)


def details_problem(code, message, rich, path, want_field):
    """What is wrong with the error details of a failed call (None: nothing):
    the google.rpc.Status must be there, of the call's code and message, with
    an ErrorInfo (domain qantara.v1, an UPPER_SNAKE_CASE reason); with
    `want_field` a BadRequest must name the field of `path` or an enclosing
    one (indices such as [3] aside), or the field itself inside a message the
    server could not place (a parse error in a repeated message)."""
    import grpc
    if rich is None:
        return "no grpc-status-details-bin trailer"
    if rich["code"] != getattr(grpc.StatusCode, code).value[0]:
        return f"details code {rich['code']}"
    if rich["message"] != message:
        return f"details message {rich['message']!r}"
    if rich["domain"] != "qantara.v1" or not rich["reason"] or not REASON.fullmatch(rich["reason"]):
        return f"ErrorInfo domain {rich['domain']!r} reason {rich['reason']!r}"
    if not want_field:
        return None
    names = [f.name for f in path]
    for field in rich["fields"]:
        parts = re.sub(r"\[[^\]]*\]", "", field).split(".")
        if parts == names[:len(parts)] or parts[-1] == names[-1]:
            return None
    return f"no BadRequest naming {'.'.join(names)} (fields {rich['fields']}, kinds {rich['kinds']})"


def names_field(details, path):
    """Whether an error message names the field (or one of its enclosing
    fields), as written in the proto or with spaces."""
    text = details.lower()
    for f in path:
        for name in (f.name, f.name.replace("_", " "), f.json_name):
            if name.lower() in text:
                return True
    return False


if __name__ == "__main__":
    main("--stubs")
