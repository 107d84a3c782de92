// Routes and request building of the HTTP edge (service/http/routes.h,
// service/http/transcode.h).
#include "service/http/transcode.h"

#include <string>

#include "gtest/gtest.h"
#include "qantara/v1/access.pb.h"
#include "qantara/v1/memory.pb.h"
#include "service/http/routes.h"

namespace qantara::http {
namespace {

namespace v1 = qantara::v1;

const Route& RouteOf(const std::string& verb, const std::string& path) {
  std::optional<RouteMatch> m = MatchRoute(verb, path);
  EXPECT_TRUE(m.has_value()) << verb << " " << path;
  return *m->route;
}

TEST(RoutesTest, EveryRpcIsRoutedOrSaysWhyNot) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::set<std::string> routed;
  for (const Route& r : RestRoutes()) {
    ASSERT_NE(r.method, nullptr) << r.path;
    routed.insert(r.method->full_name());
    EXPECT_TRUE(r.shape == Shape::kArray ? static_cast<bool>(r.open) : static_cast<bool>(r.call)) << r.path;
  }
  for (const char* file : {"qantara/v1/memory.proto", "qantara/v1/text.proto", "qantara/v1/align.proto",
                           "qantara/v1/import.proto", "qantara/v1/admin.proto", "qantara/v1/access.proto",
                           "qantara/v1/server.proto"}) {
    const auto* f = pool->FindFileByName(file);
    ASSERT_NE(f, nullptr) << file;
    for (int s = 0; s < f->service_count(); ++s) {
      for (int m = 0; m < f->service(s)->method_count(); ++m) {
        const std::string name = f->service(s)->method(m)->full_name();
        EXPECT_TRUE(routed.count(name) || UnroutedRpcs().count(name)) << name << " has no route";
      }
    }
  }
}

TEST(RoutesTest, MatchesPathsVerbsAndCustomMethods) {
  auto m = MatchRoute("GET", "/v1/memories/acme%2Flegal");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->method->name(), "GetMemory");
  EXPECT_EQ(m->vars, (std::vector<std::pair<std::string, std::string>>{{"name", "acme/legal"}}));
  m = MatchRoute("POST", "/v1/memories/a:b:concordance");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->method->name(), "Concordance");
  EXPECT_EQ(m->vars[0].second, "a:b");
  EXPECT_EQ(MatchRoute("POST", "/v1/memories:lookup")->route->method->name(), "Lookup");
  m = MatchRoute("POST", "/v1/memories/a:b:fragments");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->method->name(), "Fragments");
  EXPECT_EQ(m->vars[0].second, "a:b");
  EXPECT_EQ(MatchRoute("PATCH", "/v1/memories/m/units/7")->vars[1],
            (std::pair<std::string, std::string>{"unit.unit_id", "7"}));
  bool verb_mismatch = false;
  EXPECT_FALSE(MatchRoute("PUT", "/v1/memories", &verb_mismatch));
  EXPECT_TRUE(verb_mismatch);
  EXPECT_FALSE(MatchRoute("GET", "/v1/nothing", &verb_mismatch));
  EXPECT_FALSE(verb_mismatch);
  EXPECT_FALSE(MatchRoute("GET", "/v1/memories/%zz"));       // bad escape
  EXPECT_FALSE(MatchRoute("GET", "/v1/memories/"));          // empty variable
  EXPECT_FALSE(MatchRoute("POST", "/v1/memories:lookupx"));  // another custom verb
}

TEST(TranscodeTest, BodyPathAndQueryFillTheRequest) {
  v1::UpdateUnitRequest req;
  const Route& route = RouteOf("PATCH", "/v1/memories/m/units/7");
  ASSERT_TRUE(BuildRequest(route, R"({"target": "هدف", "attributes": {"project": "p"}})",
                           {{"memory", "m"}, {"unit.unit_id", "7"}},
                           {{"update_mask", "target,attributes.project"}, {"expectedRevision", "3"}}, &req)
                  .ok());
  EXPECT_EQ(req.memory(), "m");
  EXPECT_EQ(req.unit().unit_id(), 7u);
  EXPECT_EQ(req.unit().target(), "هدف");
  EXPECT_EQ(req.update_mask().paths_size(), 2);
  EXPECT_EQ(req.expected_revision(), 3u);
}

TEST(TranscodeTest, RefusesWhatItCannotTake) {
  const Route& list = RouteOf("GET", "/v1/memories");
  const Route& lookup = RouteOf("POST", "/v1/memories:lookup");
  const Route& add = RouteOf("POST", "/v1/memories/m/units");
  v1::ListMemoriesRequest l;
  EXPECT_EQ(BuildRequest(list, "", {}, {{"nosuch", "1"}}, &l).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(list, "", {}, {{"page_size", "-1"}}, &l).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(list, "", {}, {{"page_size", "4294967296"}}, &l).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(list, "", {}, {{"page_size", "1"}, {"page_size", "2"}}, &l).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(list, "{}", {}, {}, &l).code(), absl::StatusCode::kInvalidArgument);  // GET: no body
  v1::LookupRequest q;
  EXPECT_EQ(BuildRequest(lookup, "{", {}, {}, &q).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(lookup, R"({"threshold": "abc"})", {}, {}, &q).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(lookup, R"({"maxResults": 1e99})", {}, {}, &q).code(),
            absl::StatusCode::kInvalidArgument)
      << q.max_results();
  EXPECT_EQ(BuildRequest(lookup, R"({"maxResults": -1})", {}, {}, &q).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRequest(lookup, R"({"text": "a"})", {}, {{"text", "b"}}, &q).code(),
            absl::StatusCode::kInvalidArgument);  // body "*": no query
  v1::AddUnitRequest a;
  absl::Status conflict = BuildRequest(add, R"({"memory": "other"})", {{"memory", "m"}}, {}, &a);
  EXPECT_EQ(conflict.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(conflict.message().find("in the path"), std::string::npos) << conflict;
  EXPECT_TRUE(BuildRequest(add, R"({"memory": "m"})", {{"memory", "m"}}, {}, &a).ok());
}

TEST(TranscodeTest, QueryValuesOfEveryKind) {
  v1::ListAuditEventsRequest e;
  const Route& audit = RouteOf("GET", "/v1/auditEvents");
  ASSERT_TRUE(BuildRequest(audit, "", {}, {{"since", "2026-01-02T03:04:05Z"}, {"page_size", "5"}}, &e).ok());
  EXPECT_EQ(e.since().seconds(), 1767323045);
  EXPECT_EQ(BuildRequest(audit, "", {}, {{"since", "yesterday"}}, &e).code(),
            absl::StatusCode::kInvalidArgument);
  v1::Filter f;
  EXPECT_TRUE(SetFieldFromText(&f, "project", "x").ok());
  EXPECT_TRUE(SetFieldFromText(&f, "minAlignmentConfidence", "0.5").ok());
  EXPECT_EQ(f.min_alignment_confidence(), 0.5);
  EXPECT_EQ(SetFieldFromText(&f, "extra", "x").code(), absl::StatusCode::kInvalidArgument);  // a map
  EXPECT_EQ(SetFieldFromText(&f, "project.x", "x").code(), absl::StatusCode::kInvalidArgument);
}

TEST(TranscodeTest, StatusesMapToHttp) {
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DATA_LOSS), 500);
  EXPECT_EQ(ErrorJson(absl::StatusCode::kNotFound, "gone \"x\""),
            R"({"code":5,"message":"gone \"x\"","details":[]})");
}

}  // namespace
}  // namespace qantara::http
