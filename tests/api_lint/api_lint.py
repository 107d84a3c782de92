"""API lint: the conventions of the qantara.v1 protos (README.md, "API").

Reads the FileDescriptorSet protoc made of proto/qantara/v1/*.proto (with
--include_source_info --include_imports: tests/api_lint/CMakeLists.txt) and
checks, for the files of package qantara.v1:

  comments   every service, rpc, message, field, enum and enum value has a
             leading comment;
  time-int   no number field named like a time or a duration (..._us,
             ..._ms, ..._at, ..._seconds, ..._time, ...): times are
             google.protobuf.Timestamp, durations google.protobuf.Duration
             (rates such as ..._per_s are not times);
  list-page  every List* rpc pages: request page_size (uint32 or int32) and
             page_token (string), response next_page_token (string);
  page-str   every page_token and next_page_token is a string;
  request-id every mutating rpc (Create*, Delete*, Add*, Update*, Revoke*,
             Import, AlignToMemory) has `string request_id` in its request,
             or for a stream in its start message (a field named `start`);
  bounded    every repeated (or map) field of a message an rpc returns
             (directly or nested) is in a message with next_page_token, or
             in BOUNDED with what bounds it.

ALLOWED holds the lasting exceptions, each with its reason; TEMPORARY the
ones waiting for proto changes under way (issue 21): remove an entry once
its proto is fixed (the lint prints entries that no longer fail).

Usage: api_lint.py DESCRIPTOR_SET. Exit 0 clean, 1 with the violations
listed.
"""

import re
import sys

from google.protobuf import descriptor_pb2

PACKAGE = "qantara.v1"
FD = descriptor_pb2.FieldDescriptorProto

# Repeated fields of responses that are not paged, and what bounds each.
BOUNDED = {
    "qantara.v1.AddUnitsResponse.unit_ids": "the first max_units_per_call units of the stream "
                                            "(unit_ids_omitted counts the rest)",
    "qantara.v1.AlignResponse.beads": "one chunk of the stream, of an alignment of max_align_sentences",
    "qantara.v1.Attributes.extra": "the attributes of one unit, bounded by the unit's size",
    "qantara.v1.BeadSide.sentence_indices": "the sentences of one bead (the aligner's beads are 1 to 3 "
                                            "sentences a side)",
    "qantara.v1.ConcordanceHit.spans": "the places of the phrase in one unit's text",
    "qantara.v1.Fragment.unit_ids": "at most 8 units a fragment (tm::kMaxFragmentUnits)",
    "qantara.v1.FragmentsResponse.fragments": "at most FragmentsRequest.max_fragments (1-100)",
    "qantara.v1.ImportReport.problems": "at most ImportStart.max_problems (problems_omitted counts the rest)",
    "qantara.v1.LookupResponse.matches": "at most LookupRequest.max_results (RequestLimits.max_results)",
    "qantara.v1.Match.penalties": "one per penalty of the request",
    "qantara.v1.Match.diffs": "the spans of one unit's text, bounded by the unit's size",
    "qantara.v1.NormalizeResponse.rules_applied": "the normalisation rules, a fixed set",
    "qantara.v1.NormalizeResponse.source_offsets": "one per key byte of a text of at most "
                                                   "max_document_bytes, and only when asked",
    "qantara.v1.SegmentResponse.sentences": "the sentences of one text of at most max_document_bytes",
    "qantara.v1.Token.proclitics": "the proclitics of one token (a handful)",
    "qantara.v1.TokenInfo.memories": "the memory patterns of one token",
    "qantara.v1.TokenizeResponse.tokens": "the tokens of one text of at most max_document_bytes",
    "qantara.v1.TokenizeResponse.rules_applied": "the normalisation rules, a fixed set",
}

# Lasting exceptions to the other rules: (rule, full name) -> reason.
ALLOWED = {
}

# TEMPORARY (issue 21): exceptions waiting for the proto changes under way
# (Timestamp/Duration, paging, request_id). Remove each entry as its proto
# is fixed; the lint lists the entries that no longer fail.
TEMPORARY: dict = {}

TIME_NAME = re.compile(r"(^|_)(us|ms|ns|s|sec|secs|seconds|minutes|hours|days|millis|micros|nanos|at|"
                       r"time|timestamp|date|deadline|timeout)$")
RATE_NAME = re.compile(r"_per_[a-z]+$")
NUMBERS = {FD.TYPE_INT32, FD.TYPE_INT64, FD.TYPE_UINT32, FD.TYPE_UINT64, FD.TYPE_SINT32, FD.TYPE_SINT64,
           FD.TYPE_FIXED32, FD.TYPE_FIXED64, FD.TYPE_SFIXED32, FD.TYPE_SFIXED64, FD.TYPE_DOUBLE,
           FD.TYPE_FLOAT}
MUTATING = re.compile(r"^(Create|Delete|Add|Update|Revoke)[A-Z]|^(Import|AlignToMemory)$")


class Api:
    def __init__(self, files):
        self.files = [f for f in files if f.package == PACKAGE]
        self.messages = {}  # ".qantara.v1.Name" -> (DescriptorProto, full name)
        self.all_messages = {}
        for f in files:
            for m in f.message_type:
                self._index(m, f.package)

    def _index(self, m, prefix):
        name = f"{prefix}.{m.name}"
        self.all_messages["." + name] = (m, name)
        for n in m.nested_type:
            self._index(n, name)

    def message(self, type_name):
        return self.all_messages[type_name]


def comments(files):
    """(element kind, full name) of each element without a leading comment."""
    out = []
    for f in files:
        docs = {tuple(loc.path): loc.leading_comments.strip() for loc in f.source_code_info.location}

        def need(path, kind, name):
            if not docs.get(tuple(path)):
                out.append((kind, name))

        def enum(e, path, prefix):
            name = f"{prefix}.{e.name}"
            need(path, "enum", name)
            for i, v in enumerate(e.value):
                need(path + [2, i], "enum value", f"{name}.{v.name}")

        def message(m, path, prefix):
            name = f"{prefix}.{m.name}"
            if m.options.map_entry:
                return
            need(path, "message", name)
            for i, field in enumerate(m.field):
                need(path + [2, i], "field", f"{name}.{field.name}")
            for i, n in enumerate(m.nested_type):
                message(n, path + [3, i], name)
            for i, e in enumerate(m.enum_type):
                enum(e, path + [4, i], name)

        for i, s in enumerate(f.service):
            need([6, i], "service", f"{f.package}.{s.name}")
            for j, method in enumerate(s.method):
                need([6, i, 2, j], "rpc", f"{f.package}.{s.name}.{method.name}")
        for i, m in enumerate(f.message_type):
            message(m, [4, i], f.package)
        for i, e in enumerate(f.enum_type):
            enum(e, [5, i], f.package)
    return out


def lint(files):
    """The violations: (rule, full name, what is wrong)."""
    api = Api(files)
    found = []
    for kind, name in comments(api.files):
        found.append(("comments", name, f"{kind} without a leading comment"))

    def own_messages():
        for _, (m, name) in sorted(api.all_messages.items()):
            if name.startswith(PACKAGE + ".") and not m.options.map_entry:
                yield m, name

    for m, name in own_messages():
        for field in m.field:
            full = f"{name}.{field.name}"
            if field.type in NUMBERS and TIME_NAME.search(field.name) and not RATE_NAME.search(field.name):
                found.append(("time-int", full, "a number named like a time or a duration: use "
                              "google.protobuf.Timestamp or google.protobuf.Duration"))
            if field.name in ("page_token", "next_page_token") and (
                    field.type != FD.TYPE_STRING or field.label == FD.LABEL_REPEATED):
                found.append(("page-str", full, "a page token that is not a string"))

    def field(m, name):
        return next((f for f in m.field if f.name == name), None)

    def is_string(f):
        return f is not None and f.type == FD.TYPE_STRING and f.label != FD.LABEL_REPEATED

    reachable = {}  # type name -> rpc that returns it
    for f in api.files:
        for s in f.service:
            for method in s.method:
                rpc = f"{f.package}.{s.name}.{method.name}"
                req, _ = api.message(method.input_type)
                resp, _ = api.message(method.output_type)
                if method.name.startswith("List"):
                    size = field(req, "page_size")
                    if size is None or size.type not in (FD.TYPE_UINT32, FD.TYPE_INT32):
                        found.append(("list-page", rpc, "request without page_size (uint32 or int32)"))
                    if not is_string(field(req, "page_token")):
                        found.append(("list-page", rpc, "request without page_token (string)"))
                    if not is_string(field(resp, "next_page_token")):
                        found.append(("list-page", rpc, "response without next_page_token (string)"))
                if MUTATING.search(method.name):
                    carrier = req
                    start = field(req, "start")
                    if method.client_streaming and start is not None and start.type == FD.TYPE_MESSAGE:
                        carrier, _ = api.message(start.type_name)
                    if not is_string(field(carrier, "request_id")):
                        found.append(("request-id", rpc, "a mutating rpc without `string request_id` in "
                                      "its request (or its stream's start message)"))
                todo = [method.output_type]
                while todo:
                    t = todo.pop()
                    if t in reachable or not t.startswith(f".{PACKAGE}."):
                        continue
                    reachable[t] = rpc
                    m, _ = api.message(t)
                    todo.extend(x.type_name for x in m.field if x.type == FD.TYPE_MESSAGE)
                    for x in m.field:
                        if x.type == FD.TYPE_MESSAGE and api.message(x.type_name)[0].options.map_entry:
                            entry, _ = api.message(x.type_name)
                            todo.extend(y.type_name for y in entry.field if y.type == FD.TYPE_MESSAGE)

    for t, rpc in sorted(reachable.items()):
        m, name = api.message(t)
        if m.options.map_entry:
            continue
        paged = field(m, "next_page_token") is not None  # its type: page-str
        for x in m.field:
            full = f"{name}.{x.name}"
            if x.label == FD.LABEL_REPEATED and not paged and full not in BOUNDED:
                found.append(("bounded", full, f"a repeated field returned by {rpc} in a message without "
                              "next_page_token: page it, or name its bound in BOUNDED"))
    return found, reachable


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    files = descriptor_pb2.FileDescriptorSet.FromString(open(argv[1], "rb").read()).file
    if not any(f.package == PACKAGE for f in files):
        print(f"api lint: no file of package {PACKAGE} in {argv[1]}", file=sys.stderr)
        return 1
    found, _ = lint(files)
    excused = {**ALLOWED, **TEMPORARY}
    failures = [v for v in found if (v[0], v[1]) not in excused]
    failing = {(v[0], v[1]) for v in found}
    stale = sorted(k for k in excused if k not in failing)
    for rule, name in stale:
        kind = "TEMPORARY" if (rule, name) in TEMPORARY else "ALLOWED"
        print(f"api lint: note: {kind} entry ({rule!r}, {name!r}) no longer fails: remove it", file=sys.stderr)
    for rule, name, what in failures:
        print(f"api lint: {rule}: {name}: {what}")
    temporary = sum(1 for v in found if (v[0], v[1]) in TEMPORARY)
    print(f"api lint: {len(files)} files, {len(found)} findings, {temporary} TEMPORARY, "
          f"{len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
