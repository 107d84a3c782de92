"""The HTTP/JSON API (--http-listen) end to end, with plain urllib as a
plugin author would use it: every REST route, the import job from upload to
report, the export download, error bodies, auth refusals, health, and the
OpenAPI document (valid, and every JSON answer checked against it)."""

import json
import http.client
import os
import random
import re
import shutil
import subprocess
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import qantara_e2e
from qantara_e2e import ARGS, Server, main

try:
    import jsonschema
except ImportError:  # Debian's python3-jsonschema (deploy/install-deps.sh)
    jsonschema = None

# (METHOD, template) of every route the tests called, checked against the
# OpenAPI document's operations at the end.
EXERCISED = set()
DOC = {}  # the OpenAPI document, as HttpApiTest fetched it


def start_http_server(extra_args=()):
    server = Server(ARGS.server_bin, extra_args=["--http-listen", "127.0.0.1:0", *extra_args])
    line = qantara_e2e._read_line(server.proc.stdout, timeout=30)
    m = re.fullmatch(rb"http listening on (\S+):(\d+)\n", line or b"")
    if not m:
        server.__exit__(None, None, None)
        raise RuntimeError(f"no HTTP listener: {line!r}")
    return server, f"http://127.0.0.1:{int(m.group(2))}"


# "الأمم المتحدة" = "United Nations" in four units (also tests/e2e/fragments_test.py).
FRAGMENT_UNITS = [
    ("اجتمعت الأمم المتحدة اليوم", "The United Nations met today"),
    ("قالت الأمم المتحدة إن الوضع خطير", "The United Nations said the situation is serious"),
    ("انتقدت الأمم المتحدة الحكومة بشدة", "The United Nations strongly criticised the government"),
    ("رفضت الحكومة تقرير الأمم المتحدة", "The government rejected the United Nations report"),
]

class Api:
    """A tiny REST client: JSON in, (status, headers, JSON or bytes) out."""

    def __init__(self, base, token=None):
        self.base = base
        self.token = token
        self.doc = None  # the OpenAPI document, once fetched

    def call(self, method, path, body=None, raw=None, token=None, headers=None, template=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        tok = token if token is not None else self.token
        if tok:
            req.add_header("Authorization", f"Bearer {tok}")
        if body is not None:
            req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                status, hdrs, payload = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as e:
            status, hdrs, payload = e.code, dict(e.headers), e.read()
        if template:
            EXERCISED.add((method, template))
        ctype = hdrs.get("Content-Type", "")
        value = json.loads(payload) if ctype.startswith("application/json") else payload
        if self.doc is not None and template and ctype.startswith("application/json"):
            check_against_openapi(self.doc, method, template, status, value)
        return status, hdrs, value


def check_against_openapi(doc, method, template, status, value):
    """The answer validates against the document's schema for that status."""
    if jsonschema is None:
        return
    op = doc["paths"][template][method.lower()]
    resp = op["responses"].get(str(status)) or op["responses"].get("default")
    assert resp is not None, (method, template, status)
    schema = resp.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return
    wrapped = dict(schema)
    wrapped["components"] = doc["components"]
    jsonschema.Draft4Validator(wrapped).validate(value)


def reason(error_body):
    for d in error_body.get("details", []):
        if d.get("@type", "").endswith("google.rpc.ErrorInfo"):
            return d.get("reason")
    return None


def tmx(units):
    tus = "".join(
        f'<tu><tuv xml:lang="en"><seg>{s}</seg></tuv><tuv xml:lang="ar"><seg>{t}</seg></tuv></tu>\n'
        for s, t in units)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
            'segtype="sentence" datatype="plaintext" adminlang="en" o-tmf="x" creationtool="t" '
            f'creationtoolversion="1"/><body>\n{tus}</body></tmx>\n').encode()


class HttpApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, base = start_http_server(["--http-max-body-mb", "1", "--tmserver-add-memory", "tm-enar"])
        cls.api = Api(base)
        status, _, cls.api_doc = cls.api.call("GET", "/v1/openapi.json", template="/v1/openapi.json")
        assert status == 200
        cls.api.doc = cls.api_doc
        DOC.update(cls.api_doc)
        cls.tmp = cls.server._tmp.name if cls.server._tmp else "/tmp"

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def ok(self, method, path, body=None, template=None, want=200, **kw):
        status, hdrs, value = self.api.call(method, path, body, template=template, **kw)
        self.assertEqual(status, want, (method, path, value))
        return value

    def err(self, method, path, body=None, want=400, code=None, template=None, **kw):
        status, _, value = self.api.call(method, path, body, template=template, **kw)
        self.assertEqual(status, want, (method, path, value))
        self.assertIsInstance(value, dict, value)
        self.assertIn("message", value)
        self.assertTrue(value["message"])
        if code is not None:
            self.assertEqual(value["code"], code, value)
        return value

    # --- the document ---------------------------------------------------------

    def test_openapi_document(self):
        doc = self.api_doc
        self.assertEqual(doc["openapi"], "3.0.3")
        ids = []
        for path, ops in doc["paths"].items():
            declared = {p["name"] for op in ops.values() for p in op.get("parameters", []) if p["in"] == "path"}
            self.assertEqual(declared, set(re.findall(r"\{([^}]+)\}", path)), path)
            for verb, op in ops.items():
                self.assertIn(verb, ("get", "post", "put", "patch", "delete"))
                ids.append(op["operationId"])
                self.assertTrue(op["responses"], (path, verb))
        self.assertEqual(len(ids), len(set(ids)), "operationIds are unique")
        # Every $ref resolves.
        refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(doc)))
        self.assertTrue(refs)
        self.assertFalse(refs - set(doc["components"]["schemas"]), "dangling $refs")
        # Every rpc of qantara.v1 has an operation (the doc's descriptions name them).
        self.assertIn("qantara.v1.MemoryService/Lookup", json.dumps(doc))
        if jsonschema is not None:
            for name, schema in doc["components"]["schemas"].items():
                jsonschema.Draft4Validator.check_schema(schema)


    # --- health ---------------------------------------------------------------

    def test_health(self):
        self.assertEqual(self.ok("GET", "/healthz", template="/healthz")["status"], "ok")
        self.assertEqual(self.ok("GET", "/readyz", template="/readyz")["status"], "ready")
        status, hdrs, text = self.api.call("GET", "/metrics", template="/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/plain"))
        # The metrics move with requests: HTTP calls are counted under their rpc.
        def lookups_ok(text):
            m = re.search(rb'qantara_rpc_requests_total\{method="[^"]*ServerService/GetServerInfo",code="OK"\} (\d+)',
                          text)
            return int(m.group(1)) if m else 0
        before = lookups_ok(text)
        for _ in range(3):
            self.ok("GET", "/v1/server")
        status, _, text = self.api.call("GET", "/metrics")
        self.assertEqual(lookups_ok(text), before + 3, text[:2000])
        # Prometheus's own checker accepts it (Debian's prometheus ships promtool).
        promtool = shutil.which("promtool")
        if promtool:
            r = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    # --- memories and units ------------------------------------------------

    def test_memories_and_units(self):
        m = self.ok("POST", "/v1/memories", {"name": "units", "sourceLang": "en", "targetLang": "ar"},
                    template="/v1/memories", want=201)
        self.assertEqual(m["name"], "units")
        self.assertEqual(m["units"], "0")
        self.err("POST", "/v1/memories", {"name": "units", "sourceLang": "en", "targetLang": "ar"}, want=409,
                 code=6, template="/v1/memories")
        self.ok("POST", "/v1/memories", {"name": "units2", "sourceLang": "en", "targetLang": "ar"}, want=201,
                template="/v1/memories")
        page = self.ok("GET", "/v1/memories?page_size=1", template="/v1/memories")
        self.assertEqual(len(page["memories"]), 1)
        self.assertTrue(page["nextPageToken"])
        page2 = self.ok("GET", "/v1/memories?page_size=1&page_token=" + urllib.parse.quote(page["nextPageToken"]),
                        template="/v1/memories")
        self.assertNotEqual(page2["memories"][0]["name"], page["memories"][0]["name"])
        self.assertEqual(self.ok("GET", "/v1/memories/units", template="/v1/memories/{name}")["name"], "units")

        # AddUnit, with a request id: a retry stores once.
        body = {"unit": {"source": "The contract is signed.", "target": "تم توقيع العقد."},
                "requestId": "http-add-1"}
        a = self.ok("POST", "/v1/memories/units/units", body, template="/v1/memories/{memory}/units")
        self.assertEqual(a["outcome"], "ADD_OUTCOME_ADDED")
        again = self.ok("POST", "/v1/memories/units/units", body, template="/v1/memories/{memory}/units")
        self.assertEqual(again["unitId"], a["unitId"])
        # The body may not name another memory than the path.
        e = self.err("POST", "/v1/memories/units/units", {"memory": "other", "unit": body["unit"]},
                     template="/v1/memories/{memory}/units")
        self.assertIn("in the path", e["message"])
        batch = self.ok("POST", "/v1/memories/units/units:batchAdd",
                        {"units": [{"source": f"Clause {i} applies.", "target": f"ينطبق البند {i}."}
                                   for i in range(1, 6)]},
                        template="/v1/memories/{memory}/units:batchAdd")
        self.assertEqual(batch["added"], "5", batch)
        self.assertEqual(len(batch["unitIds"]), 5, batch)
        self.assertEqual(self.ok("GET", "/v1/memories/units", template="/v1/memories/{name}")["units"], "6")

        unit = self.ok("GET", f"/v1/memories/units/units/{a['unitId']}",
                       template="/v1/memories/{memory}/units/{unit_id}")
        self.assertEqual(unit["target"], "تم توقيع العقد.")
        self.assertEqual(unit["revision"], "1")
        self.err("GET", "/v1/memories/units/units/99999", want=404, code=5,
                 template="/v1/memories/{memory}/units/{unit_id}")
        self.err("GET", "/v1/memories/units/units/abc", want=400, code=3,
                 template="/v1/memories/{memory}/units/{unit_id}")

        upd = self.ok("PATCH", f"/v1/memories/units/units/{a['unitId']}?update_mask=target&expected_revision=1",
                      {"target": "وُقّع العقد."}, template="/v1/memories/{memory}/units/{unit.unit_id}")
        self.assertEqual(upd["target"], "وُقّع العقد.")
        self.assertEqual(upd["revision"], "2")
        self.assertEqual(upd["source"], "The contract is signed.")  # not in the mask: kept
        conflict = self.err("PATCH", f"/v1/memories/units/units/{a['unitId']}?update_mask=target&expected_revision=1",
                            {"target": "x"}, want=409, code=10,
                            template="/v1/memories/{memory}/units/{unit.unit_id}")
        self.assertEqual(reason(conflict), "REVISION_CONFLICT")
        self.err("PATCH", f"/v1/memories/units/units/{a['unitId']}?update_mask=nonsense", {"target": "x"},
                 template="/v1/memories/{memory}/units/{unit.unit_id}")

        d = self.ok("POST", "/v1/memories/units/units:batchDelete", {"unitIds": [a["unitId"]]},
                    template="/v1/memories/{memory}/units:batchDelete")
        self.assertEqual(d["deleted"], "1")
        gone = self.ok("DELETE", "/v1/memories/units2", template="/v1/memories/{name}")
        self.assertEqual(gone["unitsDeleted"], "0")
        self.err("GET", "/v1/memories/units2", want=404, template="/v1/memories/{name}")

    # --- lookups ------------------------------------------------------------

    def test_lookup_batch_concordance(self):
        self.api.call("POST", "/v1/memories", {"name": "look", "sourceLang": "en", "targetLang": "ar"})
        self.ok("POST", "/v1/memories/look/units:batchAdd",
                {"units": [{"source": "The meeting starts at nine.", "target": "يبدأ الاجتماع في التاسعة."},
                           {"source": "The report was approved.", "target": "تمت الموافقة على التقرير."}]})
        r = self.ok("POST", "/v1/memories:lookup",
                    {"memories": ["look"], "text": "The meeting starts at ten.", "threshold": 50},
                    template="/v1/memories:lookup")
        self.assertEqual(r["matches"][0]["target"], "يبدأ الاجتماع في التاسعة.")
        self.assertLess(r["matches"][0]["score"], 100)
        # Reverse: Arabic text against the targets.
        r = self.ok("POST", "/v1/memories:lookup",
                    {"memories": ["look"], "text": "تمت الموافقة على التقرير", "threshold": 50, "reverse": True},
                    template="/v1/memories:lookup")
        self.assertEqual(r["matches"][0]["target"], "The report was approved.")
        # Numbers are checked: NaN and a string are refused, naming the field.
        e = self.err("POST", "/v1/memories:lookup", {"memories": ["look"], "text": "x", "threshold": "NaN"},
                     template="/v1/memories:lookup")
        self.assertIn("threshold", e["message"])
        self.err("POST", "/v1/memories:lookup", {"memories": ["look"], "text": "x", "threshold": "abc"},
                 template="/v1/memories:lookup")
        self.err("POST", "/v1/memories:lookup", {"memories": ["look"], "text": "x", "nosuch": 1},
                 template="/v1/memories:lookup")
        self.err("POST", "/v1/memories:lookup", raw=b"{not json", template="/v1/memories:lookup")
        self.err("POST", "/v1/memories:lookup", {"memories": ["nope"], "text": "x"}, want=404,
                 template="/v1/memories:lookup")
        batch = self.ok("POST", "/v1/memories:batchLookup",
                        {"options": {"memories": ["look"], "threshold": 50},
                         "segments": ["The report was approved", "nothing like it at all", "The meeting starts"]},
                        template="/v1/memories:batchLookup")
        self.assertEqual([b["index"] for b in batch], [0, 1, 2])
        self.assertEqual(batch[0]["result"]["matches"][0]["target"], "تمت الموافقة على التقرير.")
        self.assertEqual(batch[1]["result"]["matches"], [])
        self.assertEqual(self.ok("POST", "/v1/memories:batchLookup",
                                 {"options": {"memories": ["look"]}, "segments": []},
                                 template="/v1/memories:batchLookup"), [])
        self.err("POST", "/v1/memories:batchLookup", {"options": {"memories": ["nope"]}, "segments": ["a"]},
                 want=404, template="/v1/memories:batchLookup")
        c = self.ok("POST", "/v1/memories/look:concordance", {"text": "report"},
                    template="/v1/memories/{memory}:concordance")
        self.assertEqual(len(c["hits"]), 1)
        self.assertEqual(c["hits"][0]["unit"]["source"], "The report was approved.")
        stats = self.ok("GET", "/v1/stats", template="/v1/stats")
        self.assertGreaterEqual(int(stats["units"]), 2)

    def test_fragments(self):
        self.api.call("POST", "/v1/memories", {"name": "frag", "sourceLang": "ar", "targetLang": "en"})
        self.ok("POST", "/v1/memories/frag/units:batchAdd",
                {"units": [{"source": s, "target": t} for s, t in FRAGMENT_UNITS]})
        r = self.ok("POST", "/v1/memories/frag:fragments", {"text": "طلبت الأمم المتحدة المساعدة"},
                    template="/v1/memories/{memory}:fragments")
        self.assertEqual(len(r["fragments"]), 1, r)
        f = r["fragments"][0]
        self.assertEqual((f["source"], f["target"]), ("الأمم المتحدة", "United Nations"))
        self.assertEqual(len(f["unitIds"]), 4)
        self.assertAlmostEqual(f["confidence"], 0.8)
        self.assertEqual((r["textWords"], r["coveredWords"]), (4, 2))
        # min_confidence above it: nothing; bad numbers name the field.
        r = self.ok("POST", "/v1/memories/frag:fragments", {"text": "طلبت الأمم المتحدة", "minConfidence": 1},
                    template="/v1/memories/{memory}:fragments")
        self.assertEqual(r["fragments"], [])
        e = self.err("POST", "/v1/memories/frag:fragments", {"text": "x", "maxFragments": 1000},
                     template="/v1/memories/{memory}:fragments")
        self.assertTrue(e["message"].startswith("max_fragments"), e)
        e = self.err("POST", "/v1/memories/frag:fragments", {"text": "x", "minConfidence": "NaN"},
                     template="/v1/memories/{memory}:fragments")
        self.assertTrue(e["message"].startswith("min_confidence"), e)
        self.err("POST", "/v1/memories/nope:fragments", {"text": "x y"}, want=404,
                 template="/v1/memories/{memory}:fragments")

    # --- text and alignment ----------------------------------------------

    def test_text_and_align(self):
        s = self.ok("POST", "/v1/text:segment", {"text": "قال الوزير. ثم غادر.", "language": "ar"},
                    template="/v1/text:segment")
        self.assertEqual(len(s["sentences"]), 2)
        n = self.ok("POST", "/v1/text:normalize", {"text": "أَحْمَد", "language": "ar"},
                    template="/v1/text:normalize")
        self.assertTrue(n["key"])
        t = self.ok("POST", "/v1/text:tokenize", {"text": "والكتاب", "language": "ar", "splitClitics": True},
                    template="/v1/text:tokenize")
        self.assertTrue(t["tokens"])
        ar, en = qantara_e2e.NEWS_AR, qantara_e2e.NEWS_EN
        beads = self.ok("POST", "/v1/align",
                        {"arabicSentences": {"sentences": ar}, "englishSentences": {"sentences": en}},
                        template="/v1/align")
        self.assertIsInstance(beads, list)
        self.assertTrue(any(b.get("beads") for b in beads))
        self.assertTrue(beads[-1].get("summary"))
        self.ok("POST", "/v1/memories", {"name": "aligned", "sourceLang": "ar", "targetLang": "en"}, want=201)
        r = self.ok("POST", "/v1/memories/aligned:alignToMemory",
                    {"arabicText": " ".join(ar), "englishText": " ".join(en), "dryRun": True},
                    template="/v1/memories/{memory}:alignToMemory")
        self.assertIn("summary", r)
        self.err("POST", "/v1/text:segment", {"text": "x", "language": "ar", "srxMode": "NO_SUCH_MODE"},
                 template="/v1/text:segment")

    # --- import jobs and export ---------------------------------------------

    def test_import_job_and_export(self):
        self.ok("POST", "/v1/memories", {"name": "imp", "sourceLang": "en", "targetLang": "ar"}, want=201)
        rng = random.Random(17)
        words = [f"w{i}" for i in range(3000)]
        units = [(" ".join(rng.choice(words) for _ in range(8)) + f" {i}.",
                  " ".join(rng.choice(words) for _ in range(8)) + f" ع{i}.") for i in range(20000)]
        data = tmx(units)
        status, hdrs, job = self.api.call("POST", "/v1/memories/imp/imports?file_name=stock.tmx&batch_size=500",
                                          raw=data, template="/v1/memories/{memory}/imports")
        self.assertEqual(status, 202, job)
        self.assertEqual(hdrs["Location"], "/v1/" + job["name"])
        self.assertEqual(job["metadata"]["totalBytes"], str(len(data)))
        seen_running = not job["done"]
        deadline = time.monotonic() + 120
        while not job["done"] and time.monotonic() < deadline:
            time.sleep(0.05)
            job = self.ok("GET", "/v1/" + job["name"], template="/v1/imports/{job}")
        self.assertTrue(job["done"], job)
        self.assertTrue(seen_running)
        self.assertNotIn("error", job)
        self.assertEqual(job["response"]["counts"]["unitsAdded"], "20000", job)
        self.assertEqual(job["response"]["format"], "FILE_FORMAT_TMX")
        # Another job id, or none: 404 naming it.
        self.err("GET", "/v1/imports/0123456789abcdef", want=404, template="/v1/imports/{job}")
        # A bad file: the job ends with the import's own report of problems.
        status, _, bad = self.api.call("POST", "/v1/memories/imp/imports?file_name=bad.tmx", raw=b"<tmx><body><tu>",
                                       template="/v1/memories/{memory}/imports")
        self.assertEqual(status, 202)
        while not bad["done"]:
            time.sleep(0.05)
            bad = self.ok("GET", "/v1/" + bad["name"])
        self.assertTrue("error" in bad or bad["response"]["fatalError"], bad)
        # Query fields are checked before the upload.
        self.err("POST", "/v1/memories/imp/imports?format=FILE_FORMAT_PDF", raw=b"x",
                 template="/v1/memories/{memory}/imports")
        self.err("POST", "/v1/memories/nope/imports", raw=b"x", want=404, template="/v1/memories/{memory}/imports")
        # An upload over --http-max-upload-mb is not read: (1 MiB body limit
        # is for JSON; uploads have their own limit, default 4 GiB).

        # Export: a streamed TMX download with every unit.
        status, hdrs, body = self.api.call("GET", "/v1/memories/imp/export", template="/v1/memories/{memory}/export")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("application/x-tmx+xml"))
        self.assertEqual(len(ET.fromstring(body).findall("./body/tu")), 20000)
        status, _, body = self.api.call("GET", "/v1/memories/imp/export?min_confidence=0.5&filter.project=none",
                                        template="/v1/memories/{memory}/export")
        self.assertEqual(status, 200)
        self.assertEqual(len(ET.fromstring(body).findall("./body/tu")), 0)
        self.err("GET", "/v1/memories/nope/export", want=404, template="/v1/memories/{memory}/export")
        self.err("GET", "/v1/memories/imp/export?filter.nosuch=1", template="/v1/memories/{memory}/export")
        # format=po (or FILE_FORMAT_PO): a gettext PO download; XLIFF is not exported.
        for fmt in ("po", "FILE_FORMAT_PO"):
            status, hdrs, body = self.api.call("GET", f"/v1/memories/imp/export?format={fmt}",
                                               template="/v1/memories/{memory}/export")
            self.assertEqual(status, 200)
            self.assertTrue(hdrs["Content-Type"].startswith("text/x-gettext-translation"), hdrs)
            self.assertIn(".po", hdrs["Content-Disposition"])
            text = body.decode() if isinstance(body, bytes) else body
            self.assertIn('"Language: ', text)
            self.assertEqual(text.count("\nmsgid "), 20001)  # and the header entry
        self.err("GET", "/v1/memories/imp/export?format=FILE_FORMAT_XLIFF", template="/v1/memories/{memory}/export")

    # --- tmserver -------------------------------------------------------------

    def test_tmserver(self):
        self.ok("POST", "/v1/memories", {"name": "tm-enar", "sourceLang": "en", "targetLang": "ar"}, want=201)
        put = self.api.call("PUT", "/tmserver/en/ar/unit/x", {"source": "Open the file", "target": "افتح الملف"},
                            template="/tmserver/{slang}/{tlang}/unit/{text}")
        self.assertEqual(put[0], 200, put)
        post = self.api.call("POST", "/tmserver/en_US/ar/unit/x", {"source": "Save the file", "target": "احفظ الملف"},
                             template="/tmserver/{slang}/{tlang}/unit/{text}")
        self.assertEqual(post[0], 200, post)
        got = self.ok("GET", "/tmserver/en/ar/unit/" + urllib.parse.quote("Open the file", safe=""),
                      template="/tmserver/{slang}/{tlang}/unit/{text}")
        self.assertEqual(got[0], {"source": "Open the file", "target": "افتح الملف", "context": "", "quality": 100})
        # The reverse pair searches the targets.
        got = self.ok("GET", "/tmserver/ar/en/unit/" + urllib.parse.quote("احفظ الملف", safe=""),
                      template="/tmserver/{slang}/{tlang}/unit/{text}")
        self.assertEqual(got[0]["target"], "Save the file")
        self.assertEqual(self.ok("GET", "/tmserver/en/fr/unit/hello"), [])
        self.err("PUT", "/tmserver/en/ar/unit/x", {"source": 1}, template="/tmserver/{slang}/{tlang}/unit/{text}")

    # --- administration -------------------------------------------------------

    def test_admin_tokens_server(self):
        info = self.ok("GET", "/v1/server", template="/v1/server")
        self.assertTrue(info["version"])
        backups = os.path.join(self.tmp, "http-backups")
        b = self.ok("POST", "/v1/backups", {"dir": backups}, template="/v1/backups")
        self.assertIn("backup", b)
        listed = self.ok("GET", "/v1/backups?dir=" + urllib.parse.quote(backups), template="/v1/backups")
        self.assertEqual(len(listed["backups"]), 1)
        # Tokens need --auth (HttpAuthTest); without it the server says so.
        e = self.err("POST", "/v1/tokens", {"name": "bot", "role": "TOKEN_ROLE_READER", "memories": ["*"]},
                     code=9, template="/v1/tokens")
        self.assertIn("--auth", e["message"])
        events = self.ok("GET", "/v1/auditEvents?page_size=5", template="/v1/auditEvents")
        self.assertIn("events", events)

    # --- the edge's own errors ----------------------------------------------

    def test_edge_errors(self):
        self.err("GET", "/v1/nothing", want=404, code=5)
        self.err("PUT", "/v1/memories", {"name": "x"}, want=501, code=12)
        self.err("GET", "/v1/memories?bogus=1", code=3)
        self.err("GET", "/v1/memories?page_size=-1", code=3)
        self.err("GET", "/v1/memories?page_size=1&page_size=2", code=3)
        self.err("GET", "/v1/memories", raw=b'{"pageSize": 1}')  # GET takes no body
        self.err("POST", "/v1/memories:lookup?text=x", {"memories": ["a"]})  # body "*": no query
        # A body over --http-max-body-mb is refused from its Content-Length,
        # before it is read.
        host, port = self.api.base[len("http://"):].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.putrequest("POST", "/v1/memories:lookup")
        conn.putheader("Content-Length", str(2 << 20))
        conn.endheaders()
        resp = conn.getresponse()
        value = json.loads(resp.read())
        self.assertEqual(resp.status, 413, value)
        self.assertIn("limit", value["message"])
        conn.close()
        # ... and one without a length, as soon as it passes the limit.
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.putrequest("POST", "/v1/memories:lookup")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        try:
            for _ in range(3):
                chunk = b"a" * (512 << 10)
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        except OSError:
            pass  # the server may close first
        resp = conn.getresponse()
        self.assertEqual(resp.status, 413)
        conn.close()
        self.err("GET", "/v1/memories/%ZZ", want=404)
        # Hostile bodies: deep nesting, invalid UTF-8, huge numbers, wrong types.
        self.ok("POST", "/v1/memories", {"name": "look", "sourceLang": "en", "targetLang": "ar"}, want=201)
        self.err("POST", "/v1/memories:lookup", raw=b'{"filter":' * 50000 + b"1" + b"}" * 50000)
        # Invalid UTF-8 in a JSON string: protobuf's parser replaces it (U+FFFD),
        # so the lookup runs on valid text; never a server error.
        self.assertLess(self.api.call("POST", "/v1/memories:lookup",
                                      raw=b'{"memories":["look"],"text":"\xff\xfe"}')[0], 500)
        self.err("POST", "/v1/memories:lookup", raw=b'{"memories":["look"],"text":"a","maxResults":1e99}')
        self.err("POST", "/v1/memories:lookup", raw=b'{"memories":{"a":1},"text":"a"}')
        self.err("GET", "/v1/memories?page_size=99999999999999999999")
        self.assertEqual(self.ok("GET", "/healthz")["status"], "ok")  # still serving
        self.ok("GET", "/v1/memories", headers={"Authorization": "Bearer a"}, token="")  # no --auth: ignored
        # A memory name with '/' and ':' travels percent-encoded.
        self.ok("POST", "/v1/memories", {"name": "a/b:c", "sourceLang": "en", "targetLang": "ar"}, want=201)
        self.assertEqual(self.ok("GET", "/v1/memories/" + urllib.parse.quote("a/b:c", safe=""))["name"], "a/b:c")


class HttpAuthTest(unittest.TestCase):
    """With --auth: tokens from the Authorization header, the same refusals as gRPC."""

    @classmethod
    def setUpClass(cls):
        cls.server, base = start_http_server(["--auth"])
        with open(os.path.join(cls.server.data_dir, "admin.token")) as f:
            cls.admin = f.read().strip()
        cls.api = Api(base)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_tokens(self):
        status, _, tok = self.api.call("POST", "/v1/tokens", {"name": "bot", "role": "TOKEN_ROLE_READER",
                                                              "memories": ["*"], "ttl": "3600s"},
                                       token=self.admin)
        self.assertEqual(status, 201, tok)
        self.assertTrue(tok["secret"])
        EXERCISED.add(("POST", "/v1/tokens"))
        status, _, listed = self.api.call("GET", "/v1/tokens?page_size=100", token=self.admin)
        self.assertEqual(status, 200, listed)
        EXERCISED.add(("GET", "/v1/tokens"))
        self.assertIn("bot", [t["name"] for t in listed["tokens"]])
        self.assertEqual(self.api.call("GET", "/v1/memories", token=tok["secret"])[0], 200)
        status, _, revoked = self.api.call("DELETE", "/v1/tokens/bot", token=self.admin)
        self.assertEqual(status, 200, revoked)
        EXERCISED.add(("DELETE", "/v1/tokens/{name}"))
        self.assertEqual(self.api.call("GET", "/v1/memories", token=tok["secret"])[0], 401)

    def test_refusals(self):
        status, _, e = self.api.call("GET", "/v1/memories")
        self.assertEqual(status, 401)
        self.assertEqual(e["code"], 16)
        status, _, e = self.api.call("GET", "/v1/memories", token="qtk_not_a_token")
        self.assertEqual(status, 401)
        status, _, e = self.api.call("GET", "/v1/memories", headers={"Authorization": "Basic abc"})
        self.assertEqual(status, 401)
        status, _, m = self.api.call("POST", "/v1/memories", {"name": "sec", "sourceLang": "en", "targetLang": "ar"},
                                     token=self.admin)
        self.assertEqual(status, 201, m)
        status, _, tok = self.api.call("POST", "/v1/tokens", {"name": "reader", "role": "TOKEN_ROLE_READER", "memories": ["*"]},
                                       token=self.admin)
        self.assertEqual(status, 201, tok)
        reader = tok["secret"]
        status, _, e = self.api.call("POST", "/v1/memories/sec/units", {"unit": {"source": "a", "target": "ب"}},
                                     token=reader)
        self.assertEqual(status, 403, e)
        self.assertEqual(e["code"], 7)
        status, _, r = self.api.call("POST", "/v1/memories:lookup", {"memories": ["sec"], "text": "a"}, token=reader)
        self.assertEqual(status, 200, r)
        # /metrics: an admin token.
        self.assertEqual(self.api.call("GET", "/metrics", token=reader)[0], 403)
        self.assertEqual(self.api.call("GET", "/metrics")[0], 401)
        self.assertEqual(self.api.call("GET", "/metrics", token=self.admin)[0], 200)
        # Health and the document need none.
        self.assertEqual(self.api.call("GET", "/healthz")[0], 200)
        self.assertEqual(self.api.call("GET", "/v1/openapi.json")[0], 200)
        # An import job is visible to its own token only; a reader cannot start one.
        status, _, e = self.api.call("POST", "/v1/memories/sec/imports", raw=tmx([("a b", "ج د")]), token=reader)
        self.assertEqual(status, 202, e)  # accepted; the Import call refuses the role
        while not e["done"]:
            time.sleep(0.05)
            e = self.api.call("GET", "/v1/" + e["name"], token=reader)[2]
        self.assertEqual(e["error"]["code"], 7, e)
        status, _, job = self.api.call("POST", "/v1/memories/sec/imports", raw=tmx([("a b", "ج د")]),
                                       token=self.admin)
        self.assertEqual(status, 202)
        self.assertEqual(self.api.call("GET", "/v1/" + job["name"], token=reader)[0], 404)
        self.assertEqual(self.api.call("GET", "/v1/" + job["name"], token=self.admin)[0], 200)
        # The audit trail names the HTTP client.
        status, _, events = self.api.call("GET", "/v1/auditEvents?page_size=50", token=self.admin)
        self.assertEqual(status, 200)
        self.assertTrue(any(ev.get("peer", "").startswith("http:127.0.0.1:") for ev in events["events"]), events)



class HttpRateLimitTest(unittest.TestCase):
    """A token over its call rate gets 429 with Retry-After, as gRPC clients get RetryInfo."""

    def test_retry_after(self):
        server, base = start_http_server(["--auth", "--token-calls-per-s", "0.2"])
        with server:
            with open(os.path.join(server.data_dir, "admin.token")) as f:
                admin = f.read().strip()
            api = Api(base)
            status, _, tok = api.call("POST", "/v1/tokens", {"name": "slow", "role": "TOKEN_ROLE_READER",
                                                             "memories": ["*"]}, token=admin)
            self.assertEqual(status, 201, tok)
            codes = []
            for _ in range(5):
                status, hdrs, body = api.call("GET", "/v1/memories", token=tok["secret"])
                codes.append(status)
                if status == 429:
                    self.assertGreaterEqual(int(hdrs["Retry-After"]), 1, hdrs)
                    self.assertEqual(body["code"], 8)
                    break
            self.assertIn(429, codes)


class ZzRouteCoverageTest(unittest.TestCase):
    """Runs after the other classes (unittest orders them by name): every
    operation of the OpenAPI document was called by a test above."""

    def test_every_route_exercised(self):
        self.assertTrue(DOC, "HttpApiTest did not fetch the document")
        ops = {(verb.upper(), path) for path, o in DOC["paths"].items() for verb in o}
        missing = ops - EXERCISED
        self.assertFalse(missing, f"routes no test called: {sorted(missing)}")


if __name__ == "__main__":
    main()
