"""The API lint catches what it must: on the real descriptors with one thing
added at a time (an undocumented field, an unpaged List rpc, a mutating rpc
without request_id, a time as a number, an unbounded repeated field of a
response), lint() reports exactly that, while the real descriptors pass.

Usage: api_lint_test.py DESCRIPTOR_SET"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_lint  # noqa: E402
from google.protobuf import descriptor_pb2  # noqa: E402

FD = descriptor_pb2.FieldDescriptorProto
DESCRIPTORS = None


def failures(files):
    found, _ = api_lint.lint(files)
    excused = {**api_lint.ALLOWED, **api_lint.TEMPORARY}
    return sorted({(rule, name) for rule, name, _ in found if (rule, name) not in excused})


class ApiLintTest(unittest.TestCase):
    def setUp(self):
        with open(DESCRIPTORS, "rb") as f:
            self.files = list(descriptor_pb2.FileDescriptorSet.FromString(f.read()).file)
        self.server = next(f for f in self.files if f.name == "qantara/v1/server.proto")

    def message(self, name):
        return next(m for m in self.server.message_type if m.name == name)

    def add_message(self, name, *fields):
        """A message with a leading comment and documented fields."""
        m = self.server.message_type.add(name=name)
        index = len(self.server.message_type) - 1
        self.server.source_code_info.location.add(path=[4, index], leading_comments=" A message.\n")
        for i, (fname, ftype, label) in enumerate(fields):
            m.field.add(name=fname, number=i + 1, type=ftype, label=label)
            self.server.source_code_info.location.add(path=[4, index, 2, i], leading_comments=" A field.\n")
        return m

    def add_rpc(self, name, request, response):
        service = self.server.service[0]
        service.method.add(name=name, input_type=f".qantara.v1.{request}", output_type=f".qantara.v1.{response}")
        self.server.source_code_info.location.add(path=[6, 0, 2, len(service.method) - 1],
                                                  leading_comments=" An rpc.\n")

    def test_the_api_passes(self):
        self.assertEqual(failures(self.files), [])

    def test_undocumented_field(self):
        self.message("ServerInfo").field.add(name="undocumented", number=99, type=FD.TYPE_STRING,
                                             label=FD.LABEL_OPTIONAL)
        self.assertEqual(failures(self.files), [("comments", "qantara.v1.ServerInfo.undocumented")])

    def test_unpaged_list_rpc(self):
        self.add_message("ListThingsRequest")
        self.add_message("ListThingsResponse", ("things", FD.TYPE_STRING, FD.LABEL_REPEATED))
        self.add_rpc("ListThings", "ListThingsRequest", "ListThingsResponse")
        self.assertEqual(failures(self.files), [("bounded", "qantara.v1.ListThingsResponse.things"),
                                                ("list-page", "qantara.v1.ServerService.ListThings")])

    def test_paged_list_rpc_passes(self):
        self.add_message("ListThingsRequest", ("page_size", FD.TYPE_UINT32, FD.LABEL_OPTIONAL),
                         ("page_token", FD.TYPE_STRING, FD.LABEL_OPTIONAL))
        self.add_message("ListThingsResponse", ("things", FD.TYPE_STRING, FD.LABEL_REPEATED),
                         ("next_page_token", FD.TYPE_STRING, FD.LABEL_OPTIONAL))
        self.add_rpc("ListThings", "ListThingsRequest", "ListThingsResponse")
        self.assertEqual(failures(self.files), [])

    def test_page_token_not_a_string(self):
        self.add_message("ListThingsRequest", ("page_size", FD.TYPE_UINT32, FD.LABEL_OPTIONAL),
                         ("page_token", FD.TYPE_UINT64, FD.LABEL_OPTIONAL))
        self.add_message("ListThingsResponse", ("next_page_token", FD.TYPE_STRING, FD.LABEL_OPTIONAL))
        self.add_rpc("ListThings", "ListThingsRequest", "ListThingsResponse")
        self.assertEqual(failures(self.files), [("list-page", "qantara.v1.ServerService.ListThings"),
                                                ("page-str", "qantara.v1.ListThingsRequest.page_token")])

    def test_mutation_without_request_id(self):
        self.add_message("CreateThingRequest", ("name", FD.TYPE_STRING, FD.LABEL_OPTIONAL))
        self.add_rpc("CreateThing", "CreateThingRequest", "ServerInfo")
        self.assertEqual(failures(self.files), [("request-id", "qantara.v1.ServerService.CreateThing")])
        self.message("CreateThingRequest").field.add(name="request_id", number=2, type=FD.TYPE_STRING,
                                                     label=FD.LABEL_OPTIONAL)
        self.server.source_code_info.location.add(path=[4, len(self.server.message_type) - 1, 2, 1],
                                                  leading_comments=" Id.\n")
        self.assertEqual(failures(self.files), [])

    def test_time_as_a_number(self):
        self.add_message("Thing", ("made_at_us", FD.TYPE_INT64, FD.LABEL_OPTIONAL),
                         ("timeout_ms", FD.TYPE_UINT32, FD.LABEL_OPTIONAL),
                         ("calls_per_s", FD.TYPE_DOUBLE, FD.LABEL_OPTIONAL),
                         ("units", FD.TYPE_UINT64, FD.LABEL_OPTIONAL))
        self.assertEqual(failures(self.files), [("time-int", "qantara.v1.Thing.made_at_us"),
                                                ("time-int", "qantara.v1.Thing.timeout_ms")])

    def test_unbounded_repeated_field_of_a_response(self):
        info = self.message("ServerInfo")
        info.field.add(name="notes", number=99, type=FD.TYPE_STRING, label=FD.LABEL_REPEATED)
        self.server.source_code_info.location.add(path=[4, list(self.server.message_type).index(info), 2,
                                                        len(info.field) - 1], leading_comments=" Notes.\n")
        self.assertEqual(failures(self.files), [("bounded", "qantara.v1.ServerInfo.notes")])


if __name__ == "__main__":
    DESCRIPTORS = sys.argv.pop(1)
    unittest.main(verbosity=2)
