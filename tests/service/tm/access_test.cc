// tm::AccessControl over a real store: tokens made, checked, expired and
// revoked; roles and scopes; identities stamped on units.
#include "service/tm/access.h"

#include <set>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace qantara::tm {
namespace {

int64_t Now() { return absl::ToUnixMicros(absl::Now()); }

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    auto store = storage::Store::Open(tmp_.path("data"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto access = AccessControl::Open(*store_);
    ASSERT_TRUE(access.ok()) << access.status();
    access_ = *std::move(access);
  }
  void Reopen() {
    access_.reset();
    ASSERT_TRUE(store_->Close().ok());
    Open();
  }
  std::string Make(const std::string& name, Role role, std::vector<std::string> memories, uint32_t days = 0) {
    auto secret =
        access_->CreateToken(NewToken{name, role, std::move(memories), uint64_t{days} * 86400}, "admin");
    EXPECT_TRUE(secret.ok()) << secret.status();
    return secret.value_or("");
  }

  storage::testing::TempDir tmp_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AccessControl> access_;
};

TEST_F(AccessTest, TokensAuthenticateAcrossReopenAndSecretsAreUnique) {
  const std::string alice = Make("alice", Role::kTranslator, {"acme/*"});
  const std::string root = Make("root", Role::kAdmin, {});
  EXPECT_EQ(alice.size(), 3u + 16 + 1 + 43);
  EXPECT_NE(alice, root);
  Reopen();
  auto who = access_->Authenticate(alice, Now());
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->name, "alice");
  EXPECT_EQ(who->role, Role::kTranslator);
  EXPECT_EQ(who->memories, std::vector<std::string>{"acme/*"});
  auto admin = access_->Authenticate(root, Now());
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->memories, std::vector<std::string>{"*"});  // admins reach everything
  EXPECT_TRUE(access_->HasAdmin(Now()));
  // The store holds no secret: neither token's secret part is in any record.
  auto listed = access_->ListTokens();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "alice");
  EXPECT_EQ(listed[0].created_by, "admin");
}

TEST_F(AccessTest, BadTokensAreUnauthenticated) {
  const std::string alice = Make("alice", Role::kReader, {"m"});
  std::string wrong = alice;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  std::string unknown_id = alice;
  unknown_id[3] = unknown_id[3] == '0' ? '1' : '0';
  for (const std::string& t : {std::string(), std::string("Bearer"), alice.substr(1), alice + "x", wrong,
                               unknown_id, std::string(alice.size(), 'q')}) {
    auto who = access_->Authenticate(t, Now());
    EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated) << t;
    // A refused guess names no token.
    EXPECT_EQ(who.status().message().find("alice"), std::string::npos) << who.status();
  }
}

TEST_F(AccessTest, ExpiryAndRevocation) {
  const std::string week = Make("week", Role::kReader, {"m"}, 7);
  EXPECT_TRUE(access_->Authenticate(week, Now()).ok());
  const int64_t later = Now() + int64_t{8} * 86400 * 1000000;
  auto expired = access_->Authenticate(week, later);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("'week' expired"), std::string::npos) << expired.status();

  const std::string root = Make("root", Role::kAdmin, {});
  // The last live admin cannot go, nor can a token revoke itself.
  EXPECT_EQ(access_->RevokeToken("root", "other").status().code(), absl::StatusCode::kFailedPrecondition);
  Make("root2", Role::kAdmin, {});
  EXPECT_EQ(access_->RevokeToken("root", "root").status().code(), absl::StatusCode::kFailedPrecondition);
  auto revoked = access_->RevokeToken("root", "root2");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_GT(revoked->revoked_at_us, 0);
  EXPECT_EQ(access_->RevokeToken("root", "root2").status().code(), absl::StatusCode::kNotFound);
  Reopen();  // revocation is stored
  auto who = access_->Authenticate(root, Now());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(who.status().message().find("'root' was revoked"), std::string::npos) << who.status();
  // Its name is free again; the old secret stays refused.
  const std::string again = Make("root", Role::kAdmin, {});
  EXPECT_TRUE(access_->Authenticate(again, Now()).ok());
  EXPECT_FALSE(access_->Authenticate(root, Now()).ok());
}

TEST_F(AccessTest, CreateChecksItsInput) {
  auto code = [&](NewToken t) { return access_->CreateToken(t, "admin").status().code(); };
  using C = absl::StatusCode;
  EXPECT_EQ(code({"", Role::kReader, {"m"}}), C::kInvalidArgument);
  EXPECT_EQ(code({std::string(129, 'a'), Role::kReader, {"m"}}), C::kInvalidArgument);
  EXPECT_EQ(code({"a b", Role::kReader, {"m"}}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", Role::kReader, {}}), C::kInvalidArgument);  // non-admins need a scope
  EXPECT_EQ(code({"a", Role::kReader, {"a*b"}}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", Role::kReader, {""}}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", Role::kReader, {"x\ny"}}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", Role::kReader, std::vector<std::string>(65, "m")}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", Role::kReader, {"m"}, uint64_t{3651} * 86400}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", static_cast<Role>(9), {"m"}}), C::kInvalidArgument);
  EXPECT_EQ(code({"a", Role::kReader, {"m"}}), C::kOk);
  EXPECT_EQ(code({"a", Role::kAdmin, {}}), C::kAlreadyExists);
  // A failing hook stores nothing.
  auto failed = access_->CreateToken({"hooked", Role::kAdmin, {}}, "", nullptr,
                                     [](const std::string&) { return absl::PermissionDeniedError("disk"); });
  EXPECT_EQ(failed.status().code(), C::kPermissionDenied);
  EXPECT_FALSE(access_->HasAdmin(Now()));
  EXPECT_EQ(access_->ListTokens().size(), 1u);
}

TEST(PrincipalTest, ScopesAndRoles) {
  Principal p{"alice", Role::kTranslator, {"acme/*", "shared"}};
  EXPECT_TRUE(p.InScope("acme/legal"));
  EXPECT_TRUE(p.InScope("acme/"));
  EXPECT_TRUE(p.InScope("shared"));
  EXPECT_FALSE(p.InScope("shared2"));
  EXPECT_FALSE(p.InScope("acme"));
  EXPECT_FALSE(p.InScope("other/acme/x"));
  EXPECT_TRUE(Principal({"x", Role::kReader, {"*"}}).InScope("anything"));
  EXPECT_TRUE(Principal({"x", Role::kAdmin, {}}).InScope("anything"));

  EXPECT_TRUE(NeedRole(p, Role::kReader, "read").ok());
  EXPECT_TRUE(NeedRole(p, Role::kTranslator, "write").ok());
  absl::Status denied = NeedRole(p, Role::kManager, "create memories");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("needs a manager token"), std::string::npos) << denied;
  // Outside the scope: the words of a missing memory, whatever the role.
  absl::Status hidden = NeedMemory(p, "other", Role::kReader, "look up");
  EXPECT_EQ(hidden.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.message(), "no memory named 'other'");
  EXPECT_EQ(NeedMemory(p, "acme/x", Role::kManager, "delete").code(), absl::StatusCode::kPermissionDenied);
}

TEST(StampIdentityTest, TokenNamesTheWriter) {
  match::Unit u;
  u.created_by = "someone";
  StampIdentity(Unrestricted(), u);  // access control off: as given
  EXPECT_EQ(u.created_by, "someone");
  EXPECT_TRUE(u.changed_by.empty());

  StampIdentity(Principal{"alice", Role::kTranslator, {"*"}}, u);
  EXPECT_EQ(u.created_by, "alice");
  EXPECT_EQ(u.changed_by, "alice");
  EXPECT_EQ(u.attributes.extra["submitted_by"], "someone");

  match::Unit imported;
  imported.created_by = "translator-1";
  StampIdentity(Principal{"root", Role::kAdmin, {"*"}}, imported);  // an admin import keeps its users
  EXPECT_EQ(imported.created_by, "translator-1");
  EXPECT_EQ(imported.changed_by, "root");
  EXPECT_TRUE(imported.attributes.extra.empty());
}

}  // namespace
}  // namespace qantara::tm
