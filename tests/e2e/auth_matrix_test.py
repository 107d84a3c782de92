"""End-to-end: access control (issue 16) on a server started with --auth.

The matrix: every rpc of the qantara.v1 services (walked from the proto
descriptors: a new rpc fails this test until it has a row here) x every
caller {no token, a malformed one, a wrong secret, an expired token, a
revoked token, a reader of memory A, a translator of memory A, a manager of
the prefix acme/*, an admin} x the memories {A = acme/a, B = beta}. Each call
must get exactly the code the rules give (proto/qantara/v1/access.proto):
UNAUTHENTICATED for a bad token, NOT_FOUND for a memory outside the token's
scope (as for one that does not exist), PERMISSION_DENIED for an action
beyond its role; every refused call changes nothing (the memories, their
units and the tokens are compared before and after). Then the allowed calls
go through, ListMemories and Stats show only what a token may see, units are
stamped with the token's name, and the CLI works with --token-file,
QANTARA_TOKEN and `qantara token create|list|revoke`; the first admin token
is written once, mode 0600."""

import os
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qantara_e2e import ARGS, Server, ServerTestCase, error_details, main, run_cli  # noqa: E402

A, B = "acme/a", "beta"
READER, TRANSLATOR, MANAGER, ADMIN = 1, 2, 3, 4
# Callers whose token is refused before anything else.
BAD = ("none", "malformed", "wrong", "expired", "revoked")
# The ErrorInfo reason of a refusal: by (code, caller), else by code.
REASONS = {
    ("UNAUTHENTICATED", "none"): "TOKEN_MISSING",
    ("UNAUTHENTICATED", "malformed"): "TOKEN_INVALID",
    ("UNAUTHENTICATED", "wrong"): "TOKEN_INVALID",
    ("UNAUTHENTICATED", "expired"): "TOKEN_EXPIRED",
    ("UNAUTHENTICATED", "revoked"): "TOKEN_REVOKED",
    "PERMISSION_DENIED": "ROLE_TOO_LOW",
    "NOT_FOUND": "MEMORY_NOT_FOUND",
}


class AuthMatrixTest(ServerTestCase):
    server_args = ("--auth",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import (access_pb2, access_pb2_grpc, admin_pb2, align_pb2, import_pb2,  # noqa: F401
                                memory_pb2, memory_pb2_grpc, server_pb2, text_pb2)
        from google.protobuf import duration_pb2
        cls.grpc = grpc
        cls.pb = {"access": access_pb2, "admin": admin_pb2, "align": align_pb2, "import": import_pb2,
                  "memory": memory_pb2, "server": server_pb2, "text": text_pb2}
        cls.channel = grpc.insecure_channel(cls.addr)
        token_file = os.path.join(cls.server.data_dir, "admin.token")
        cls.token_file = token_file
        with open(token_file) as f:
            cls.admin = f.read().strip()
        m, ac = memory_pb2, access_pb2
        mem = memory_pb2_grpc.MemoryServiceStub(cls.channel)
        acc = access_pb2_grpc.AccessServiceStub(cls.channel)
        md = cls.md(cls.admin)
        cls.unit_ids = {}
        for name in (A, B):
            mem.CreateMemory(m.CreateMemoryRequest(name=name, source_lang="ar", target_lang="en"), metadata=md)
            cls.unit_ids[name] = mem.AddUnit(m.AddUnitRequest(memory=name, unit=m.Unit(
                source="ذهب الولد إلى المدرسة", target="The boy went to school")), metadata=md).unit_id

        def make(name, role, memories=(), seconds=0):
            return acc.CreateToken(ac.CreateTokenRequest(name=name, role=role, memories=list(memories),
                                                         ttl=duration_pb2.Duration(seconds=seconds)),
                              metadata=md).secret

        cls.tokens = {
            "reader_a": make("reader_a", READER, [A]),
            "translator_a": make("translator_a", TRANSLATOR, [A]),
            "manager_acme": make("manager_acme", MANAGER, ["acme/*"]),
            "admin": cls.admin,
            "expired": make("expired", READER, ["*"], seconds=1),
            "revoked": make("revoked", ADMIN),
            "malformed": "not-a-token",
        }
        wrong = cls.admin[:-1] + ("A" if cls.admin[-1] != "A" else "B")
        cls.tokens["wrong"] = wrong
        acc.RevokeToken(ac.RevokeTokenRequest(name="revoked"), metadata=md)
        cls.roles = {"reader_a": (READER, [A]), "translator_a": (TRANSLATOR, [A]),
                     "manager_acme": (MANAGER, ["acme/*"]), "admin": (ADMIN, ["*"])}
        cls.mem, cls.acc = mem, acc
        time.sleep(1.2)  # "expired" is now past its second

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        super().tearDownClass()

    @staticmethod
    def md(token):
        return [("authorization", f"Bearer {token}")] if token is not None else []

    # ---- the rpcs: (role needed, memory-scoped, request maker(memory)) ----
    def rows(self):
        pb = self.pb
        m, t, a, i, adm, ac = pb["memory"], pb["text"], pb["align"], pb["import"], pb["admin"], pb["access"]
        unit = lambda: m.Unit(source="ذهبت البنت إلى البيت", target="The girl went home")  # noqa: E731
        lookup = lambda mem: m.LookupRequest(memories=[mem], text="ذهب الولد", threshold=50)  # noqa: E731
        backups = os.path.join(self.tmp.name, "backups")
        return {
            "Segment": (READER, False, lambda _: t.SegmentRequest(text="جملة. جملة.", language="ar")),
            "Normalize": (READER, False, lambda _: t.NormalizeRequest(text="الكِتاب", language="ar")),
            "Tokenize": (READER, False, lambda _: t.TokenizeRequest(text="الكتاب", language="ar")),
            "CreateMemory": (MANAGER, "create",
                             lambda mem: m.CreateMemoryRequest(name=mem + "-new", source_lang="ar",
                                                               target_lang="en")),
            "ListMemories": (READER, False, lambda _: m.ListMemoriesRequest()),
            "GetMemory": (READER, True, lambda mem: m.GetMemoryRequest(name=mem)),
            "DeleteMemory": (MANAGER, True, lambda mem: m.DeleteMemoryRequest(name=mem)),
            "AddUnit": (TRANSLATOR, True, lambda mem: m.AddUnitRequest(memory=mem, unit=unit())),
            "AddUnits": (TRANSLATOR, True, lambda mem: m.AddUnitsRequest(memory=mem, units=[unit()])),
            "GetUnit": (READER, True, lambda mem: m.GetUnitRequest(memory=mem, unit_id=self.unit_ids[mem])),
            "UpdateUnit": (TRANSLATOR, True, lambda mem: m.UpdateUnitRequest(memory=mem, unit=m.Unit(
                unit_id=self.unit_ids[mem], source="ذهب الولد إلى المدرسة", target="The boy went to school."))),
            "DeleteUnits": (TRANSLATOR, True, lambda mem: m.DeleteUnitsRequest(memory=mem, unit_ids=[10**9])),
            "Lookup": (READER, True, lookup),
            "BatchLookup": (READER, True, lambda mem: m.BatchLookupRequest(options=lookup(mem),
                                                                            segments=["ذهب"])),
            "Concordance": (READER, True, lambda mem: m.ConcordanceRequest(memory=mem, text="الولد")),
            "Fragments": (READER, True, lambda mem: m.FragmentsRequest(memory=mem, text="ذهب الولد")),
            "Stats": (READER, False, lambda _: m.StatsRequest()),
            "Align": (READER, False, lambda _: a.AlignRequest(arabic_text="ذهب الولد.",
                                                              english_text="The boy went.")),
            "AlignToMemory": (TRANSLATOR, True, lambda mem: a.AlignToMemoryRequest(
                memory=mem, arabic_text="ذهب الولد.", english_text="The boy went.", dry_run=True)),
            "Import": (TRANSLATOR, True, lambda mem: i.ImportRequest(start=i.ImportStart(
                memory=mem, file_name="f.tmx", dry_run=True))),
            "Export": (READER, True, lambda mem: i.ExportRequest(memory=mem)),
            "CreateBackup": (ADMIN, False, lambda _: adm.CreateBackupRequest(dir=backups)),
            "ListBackups": (ADMIN, False, lambda _: adm.ListBackupsRequest(dir=backups)),
            "CreateToken": (ADMIN, False, lambda _: ac.CreateTokenRequest(name="made", role=READER,
                                                                          memories=[A])),
            "ListTokens": (ADMIN, False, lambda _: ac.ListTokensRequest()),
            "ListAuditEvents": (ADMIN, False, lambda _: ac.ListAuditEventsRequest()),
            "RevokeToken": (ADMIN, False, lambda _: ac.RevokeTokenRequest(name="reader_a")),
            # Any valid token, of any role (proto/qantara/v1/server.proto).
            "GetServerInfo": (READER, False, lambda _: pb["server"].GetServerInfoRequest()),
        }

    def methods(self):
        for module in self.pb.values():
            for service in module.DESCRIPTOR.services_by_name.values():
                yield from service.methods

    def call(self, method, request, token):
        path = f"/{method.containing_service.full_name}/{method.name}"
        ser = lambda msg: msg.SerializeToString()  # noqa: E731
        ident = lambda b: b  # noqa: E731
        md = self.md(self.tokens.get(token) if token != "none" else None)
        try:
            if method.client_streaming:
                fn = (self.channel.stream_stream if method.server_streaming else self.channel.stream_unary)(
                    path, request_serializer=ser, response_deserializer=ident)
                out = fn(iter([request]), timeout=30, metadata=md)
                if method.server_streaming:
                    for _ in out:
                        pass
            elif method.server_streaming:
                fn = self.channel.unary_stream(path, request_serializer=ser, response_deserializer=ident)
                for _ in fn(request, timeout=30, metadata=md):
                    pass
            else:
                fn = self.channel.unary_unary(path, request_serializer=ser, response_deserializer=ident)
                fn(request, timeout=30, metadata=md)
            return "OK", "", None
        except self.grpc.RpcError as e:
            return e.code().name, e.details() or "", error_details(e)

    def expected(self, caller, needed, scoped, memory):
        """The code the rules give, or None when the call is allowed."""
        if caller in BAD:
            return "UNAUTHENTICATED"
        role, patterns = self.roles[caller]
        in_scope = role == ADMIN or any(
            p == "*" or p == memory or (p.endswith("*") and memory.startswith(p[:-1])) for p in patterns)
        if scoped == "create":
            new_in_scope = role == ADMIN or any(
                p == "*" or (p.endswith("*") and (memory + "-new").startswith(p[:-1])) or p == memory + "-new"
                for p in patterns)
            return None if role >= needed and new_in_scope else "PERMISSION_DENIED"
        if scoped and not in_scope:
            return "NOT_FOUND"
        return None if role >= needed else "PERMISSION_DENIED"

    def snapshot(self):
        """What a refused call must not change: memories, units, tokens."""
        m, ac = self.pb["memory"], self.pb["access"]
        md = self.md(self.admin)
        memories = [(x.name, x.units) for x in self.mem.ListMemories(m.ListMemoriesRequest(), metadata=md).memories]
        units = []
        for name, _ in memories:
            for uid in range(1, 20):
                try:
                    u = self.mem.GetUnit(m.GetUnitRequest(memory=name, unit_id=uid), metadata=md)
                    units.append((name, uid, u.target, u.changed_by))
                except self.grpc.RpcError:
                    pass
        tokens = [(x.name, x.revoke_time.seconds, x.revoke_time.nanos) for x in self.acc.ListTokens(ac.ListTokensRequest(), metadata=md).tokens]
        return memories, units, tokens

    def test_1_refused_calls_get_the_right_code_and_change_nothing(self):
        rows = self.rows()
        names = [method.name for method in self.methods()]
        missing = sorted(set(names) - set(rows))
        self.assertEqual(missing, [], f"rpcs with no row in the access matrix: {missing}")
        before = self.snapshot()
        callers = list(BAD) + list(self.roles)
        checked = 0
        for method in self.methods():
            needed, scoped, make = rows[method.name]
            for caller in callers:
                for memory in (A, B):
                    want = self.expected(caller, needed, scoped, memory)
                    if want is None:
                        continue  # allowed: test_2
                    with self.subTest(rpc=method.name, caller=caller, memory=memory):
                        code, details, rich = self.call(method, make(memory), caller)
                        self.assertEqual(code, want, details)
                        if want == "NOT_FOUND":
                            self.assertEqual(details, f"no memory named '{memory}'")
                        # The error details: the reason (README.md, "Errors").
                        self.assertIsNotNone(rich, details)
                        self.assertEqual(rich["domain"], "qantara.v1")
                        reason = REASONS.get((want, caller), REASONS.get(want))
                        if want == "PERMISSION_DENIED" and scoped == "create" and self.roles[caller][0] >= needed:
                            reason = "MEMORY_OUT_OF_SCOPE"  # the role may create, not that name
                        self.assertEqual(rich["reason"], reason, rich)
                        if reason == "ROLE_TOO_LOW":
                            self.assertIn(rich["metadata"].get("required_role"),
                                          ("reader", "translator", "manager", "admin"), rich)
                        if want == "NOT_FOUND":
                            self.assertEqual(rich["resource"], ("qantara.v1.Memory", memory), rich)
                        checked += 1
        print(f"access matrix: {checked} refused calls checked", file=sys.stderr)
        self.assertGreater(checked, 300)
        self.assertEqual(self.snapshot(), before, "a refused call changed something")

    def test_2_allowed_calls_go_through(self):
        rows = self.rows()
        harmful = {"DeleteMemory", "RevokeToken", "CreateToken", "CreateBackup"}
        for method in self.methods():
            needed, scoped, make = rows[method.name]
            if method.name in harmful:
                continue
            for caller in self.roles:
                for memory in (A, B):
                    if self.expected(caller, needed, scoped, memory) is not None:
                        continue
                    with self.subTest(rpc=method.name, caller=caller, memory=memory):
                        code, details, _ = self.call(method, make(memory), caller)
                        if method.name == "CreateMemory" and code == "ALREADY_EXISTS":
                            continue  # made by an earlier caller of this loop
                        if method.name == "ListBackups" and code == "NOT_FOUND":
                            continue  # no backup there yet: past the access check
                        self.assertEqual(code, "OK", details)

    def test_3_lists_and_stats_show_only_the_scope(self):
        m = self.pb["memory"]
        names = lambda tok: sorted(x.name for x in self.mem.ListMemories(  # noqa: E731
            m.ListMemoriesRequest(), metadata=self.md(self.tokens[tok])).memories)
        self.assertEqual(names("reader_a"), [A])
        self.assertNotIn(B, names("manager_acme"))
        self.assertIn(B, names("admin"))
        # Paged one at a time, a reader still sees only A, and no page token names B.
        page = self.mem.ListMemories(m.ListMemoriesRequest(page_size=1), metadata=self.md(self.tokens["reader_a"]))
        self.assertEqual([x.name for x in page.memories], [A])
        self.assertNotIn("beta", page.next_page_token)
        stats = self.mem.Stats(m.StatsRequest(), metadata=self.md(self.tokens["reader_a"]))
        self.assertEqual(stats.memories, 1)
        self.assertEqual(stats.disk_bytes, 0)  # the server's own figures are for admins
        full = self.mem.Stats(m.StatsRequest(), metadata=self.md(self.admin))
        self.assertGreaterEqual(full.memories, 2)
        self.assertGreater(full.disk_bytes, 0)

    def test_4_units_carry_the_token_name(self):
        m = self.pb["memory"]
        out = self.mem.AddUnit(m.AddUnitRequest(memory=A, unit=m.Unit(
            source="قرأ الطالب الكتاب", target="The student read the book", created_by="mallory")),
            metadata=self.md(self.tokens["translator_a"]))
        u = self.mem.GetUnit(m.GetUnitRequest(memory=A, unit_id=out.unit_id), metadata=self.md(self.admin))
        self.assertEqual(u.created_by, "translator_a")
        self.assertEqual(u.changed_by, "translator_a")
        self.assertEqual(dict(u.attributes.extra).get("submitted_by"), "mallory")

    def test_5_cli_tokens(self):
        env = dict(os.environ)
        env.pop("QANTARA_TOKEN", None)
        cli = lambda *a, **kw: run_cli(ARGS.cli_bin, self.addr, *a, **kw)  # noqa: E731
        r = cli("memory", "list")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"no API token", r.stderr)
        r = cli("--token-file", self.token_file, "token", "create", "cli-reader", "--role", "reader", "-m", A)
        self.assertEqual(r.returncode, 0, r.stderr)
        secret = r.stdout.decode().strip()
        self.assertTrue(secret.startswith("qt_"), secret)
        self.assertIn(b"not shown again", r.stderr)
        r = subprocess_env(cli, {"QANTARA_TOKEN": secret}, "memory", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(A.encode(), r.stdout)
        self.assertNotIn(B.encode(), r.stdout)
        r = cli("--token", secret, "memory", "create", "acme/zz", "--source", "ar", "--target", "en")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"needs a manager token", r.stderr)
        listed = cli("--token-file", self.token_file, "token", "list").stdout.decode()
        self.assertIn("cli-reader\treader\tacme/a", listed)
        self.assertNotIn(secret[20:], listed)
        r = cli("--token-file", self.token_file, "token", "revoke", "cli-reader")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = cli("--token", secret, "memory", "list")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"'cli-reader' was revoked", r.stderr)
        r = cli("--token-file", os.path.join(self.tmp.name, "missing"), "memory", "list")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"--token-file", r.stderr)

    def test_6_first_admin_token_is_private_and_written_once(self):
        mode = stat.S_IMODE(os.stat(self.token_file).st_mode)
        self.assertEqual(mode, 0o600)
        # A second server on a copy? Simpler: a fresh one, restarted.
        with Server(ARGS.server_bin, extra_args=("--auth",)) as s:
            path = os.path.join(s.data_dir, "admin.token")
            with open(path) as f:
                first = f.read()
            code, err = s.stop()
            self.assertEqual(code, 0, err)
            self.assertIn("made admin token 'admin'", err)
            with Server(ARGS.server_bin, data_dir=s.data_dir, extra_args=("--auth",)) as again:
                with open(path) as f:
                    self.assertEqual(f.read(), first)  # an admin exists: nothing rewritten
                r = run_cli(ARGS.cli_bin, again.address, "--token-file", path, "token", "list")
                self.assertEqual(r.returncode, 0, r.stderr)
                code, err = again.stop()
                self.assertNotIn("made admin token", err)
        # Without --auth, the token rpcs say how to turn it on.
        with Server(ARGS.server_bin) as s:
            r = run_cli(ARGS.cli_bin, s.address, "token", "list")
            self.assertEqual(r.returncode, 1)
            self.assertIn(b"--auth", r.stderr)


class AuditTrailTest(ServerTestCase):
    """The audit trail: who wrote what, where from; admins only."""
    server_args = ("--auth",)

    def test_audit(self):
        import json
        token_file = os.path.join(self.server.data_dir, "admin.token")
        admin = ("--token-file", token_file)
        self.ok(*admin, "memory", "create", "acme/a", "--source", "ar", "--target", "en")
        self.ok(*admin, "memory", "create", "beta", "--source", "ar", "--target", "en")
        secret = self.ok(*admin, "token", "create", "tr", "--role", "translator", "-m", "acme/*").strip()
        tr = ("--token", secret)
        self.ok(*tr, "add", "--memory", "acme/a", "ذهب الولد", "The boy went")
        refused = self.cli(*tr, "add", "--memory", "beta", "ذهب الولد", "The boy went")
        self.assertEqual(refused.returncode, 1)
        self.cli("--token", "qt_bad", "add", "--memory", "acme/a", "x", "y")  # not recorded
        out = self.ok(*admin, "audit", "--json", "--since", "1h")
        events = json.loads(out)
        actions = [(e["who"], e["action"], e["memory"], e["units"], e["outcome"]) for e in events]
        self.assertIn(("admin", "CreateMemory", "acme/a", 0, "OK"), actions)
        self.assertIn(("tr", "AddUnit", "acme/a", 1, "OK"), actions)
        self.assertIn(("tr", "AddUnit", "beta", 0, "NOT_FOUND"), actions)
        self.assertTrue(any(e["action"] == "CreateToken" and "'tr'" in e["detail"] for e in events), events)
        self.assertFalse(any(e["who"] == "" for e in events), events)  # the bad token's call is not there
        self.assertTrue(all(e["peer"].startswith(("ipv4:", "ipv6:", "unix:")) for e in events), events)
        times = [e["time_us"] for e in events]
        self.assertEqual(times, sorted(times))
        only_beta = json.loads(self.ok(*admin, "audit", "--json", "--memory", "beta"))
        self.assertEqual({e["memory"] for e in only_beta}, {"beta"})
        # Paged: --limit 2 shows the first two.
        two = json.loads(self.ok(*admin, "audit", "--json", "--limit", "2"))
        self.assertEqual(two, events[:2])
        # Not for translators.
        r = self.cli(*tr, "audit")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"needs an admin token", r.stderr)
        r = self.cli(*admin, "audit", "--since", "yesterday")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"--since", r.stderr)


class RateLimitTest(ServerTestCase):
    """--token-calls-per-s: a token over its budget gets RESOURCE_EXHAUSTED."""
    server_args = ("--auth", "--token-calls-per-s", "2")

    def test_rate_limit(self):
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import memory_pb2, memory_pb2_grpc
        admin = ("--token-file", os.path.join(self.server.data_dir, "admin.token"))
        self.ok(*admin, "memory", "create", "m", "--source", "ar", "--target", "en")
        secret = self.ok(*admin, "token", "create", "r", "--role", "reader", "-m", "m").strip()
        with grpc.insecure_channel(self.addr) as channel:
            stub = memory_pb2_grpc.MemoryServiceStub(channel)
            codes = []
            for md in ([("authorization", f"Bearer {secret}")],) * 40:
                try:
                    stub.GetMemory(memory_pb2.GetMemoryRequest(name="m"), metadata=md, timeout=10)
                    codes.append("OK")
                except grpc.RpcError as e:
                    codes.append(e.code().name)
                    if e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                        self.assertIn("over its limit of 2 calls a second (reader)", e.details())
                        rich = error_details(e)
                        self.assertEqual(rich["reason"], "RATE_LIMITED", rich)
                        self.assertGreater(rich["retry_s"], 0, rich)
                        self.assertEqual(rich["quota"], [("token 'r'", "2 calls a second (reader tokens)")], rich)
            # A burst of 10 s of the rate (20 calls), then refusals.
            self.assertEqual(codes[:20], ["OK"] * 20, codes)
            self.assertGreater(codes.count("RESOURCE_EXHAUSTED"), 10, codes)
        # Admins are not limited.
        for _ in range(30):
            self.ok(*admin, "memory", "show", "m")


class CpuLimitTest(ServerTestCase):
    """--token-cpu-ms-per-s: a token whose calls took more CPU time than its
    budget gets RESOURCE_EXHAUSTED; calls that wrote units are paid for by the
    unit budget instead."""
    server_args = ("--auth", "--token-calls-per-s", "0", "--token-cpu-ms-per-s", "1")

    def test_cpu_budget(self):
        sys.path.insert(0, ARGS.stubs)
        import grpc
        from qantara.v1 import align_pb2, align_pb2_grpc, memory_pb2, memory_pb2_grpc
        admin = ("--token-file", os.path.join(self.server.data_dir, "admin.token"))
        self.ok(*admin, "memory", "create", "m", "--source", "ar", "--target", "en")
        reader = self.ok(*admin, "token", "create", "r", "--role", "reader", "-m", "m").strip()
        writer = self.ok(*admin, "token", "create", "w", "--role", "translator", "-m", "m").strip()
        with grpc.insecure_channel(self.addr) as channel:
            mem = memory_pb2_grpc.MemoryServiceStub(channel)
            align = align_pb2_grpc.AlignServiceStub(channel)
            # The writer adds 5,000 units (tens of ms of CPU, over the 10 ms
            # burst): paid by units, so its next calls are served.
            md_w = [("authorization", f"Bearer {writer}")]
            units = [memory_pb2.Unit(source=f"وحدة رقم {i} في الذاكرة", target=f"unit number {i} in memory")
                     for i in range(5000)]
            resp = mem.AddUnits(iter([memory_pb2.AddUnitsRequest(memory="m", units=units[i:i + 1000])
                                      for i in range(0, 5000, 1000)]), metadata=md_w, timeout=60)
            self.assertEqual(resp.added, 5000)
            mem.GetMemory(memory_pb2.GetMemoryRequest(name="m"), metadata=md_w, timeout=10)
            # The reader aligns 3,000 sentence pairs (well over 10 ms of CPU, on
            # a low-priority thread: charged all the same); its budget is
            # then spent for seconds.
            md_r = [("authorization", f"Bearer {reader}")]
            req = align_pb2.AlignRequest(
                arabic_sentences=align_pb2.SentenceList(
                    sentences=[f"هذه هي الجملة رقم {i} من الوثيقة العربية" for i in range(3000)]),
                english_sentences=align_pb2.SentenceList(
                    sentences=[f"This is sentence number {i} of the English document" for i in range(3000)]))
            beads = sum(len(m.beads) for m in align.Align(req, metadata=md_r, timeout=60))
            self.assertGreater(beads, 1000)
            with self.assertRaises(grpc.RpcError) as e:
                mem.GetMemory(memory_pb2.GetMemoryRequest(name="m"), metadata=md_r, timeout=10)
            self.assertEqual(e.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            self.assertIn("token 'r' is over its limit of 1 ms of CPU time a second (reader)",
                          e.exception.details())
            self.assertEqual(error_details(e.exception)["reason"], "RATE_LIMITED")
            # Other tokens keep their own budgets; admins have none.
            mem.GetMemory(memory_pb2.GetMemoryRequest(name="m"), metadata=md_w, timeout=10)
        self.ok(*admin, "memory", "show", "m")


def subprocess_env(cli, extra, *args):
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        return cli(*args)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


if __name__ == "__main__":
    main("--stubs")
