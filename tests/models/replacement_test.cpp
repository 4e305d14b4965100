// SEMANTICS.md §7: the replace rules, one row each, with the exact status and message the platform
// answers.

#include "wlsim/models/replacement.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

using namespace wlsim::models;

namespace {
constexpr auto Draft = ArtifactStatus::Draft;
constexpr auto Locked = ArtifactStatus::Locked;

std::optional<api::Error> rule(ArtifactStatus current, std::optional<ArtifactStatus> target,
                               bool stopped = false,
                               std::optional<ReplacementStatus> in_progress = std::nullopt) {
  return replace_refusal("wl-1", stopped, in_progress, current, "app-2", target);
}
}  // namespace

TEST_CASE("replace rules: draft to draft is allowed", "[replacement][rules]") {
  CHECK_FALSE(rule(Draft, Draft).has_value());
}

TEST_CASE("replace rules: locked to locked is allowed", "[replacement][rules]") {
  CHECK_FALSE(rule(Locked, Locked).has_value());
}

TEST_CASE("replace rules: draft to locked is 400, promote instead", "[replacement][rules]") {
  const auto e = rule(Draft, Locked);
  REQUIRE(e.has_value());
  CHECK(e->status == 400);
  CHECK(e->message ==
        "Artifact status mismatch: a draft workload cannot be replaced by a locked artifact; use "
        "POST /workloads/wl-1/promote");
}

TEST_CASE("replace rules: locked to draft is 400", "[replacement][rules]") {
  const auto e = rule(Locked, Draft);
  REQUIRE(e.has_value());
  CHECK(e->status == 400);
  CHECK(e->message ==
        "Artifact status mismatch: a locked workload cannot be replaced by a draft artifact");
}

TEST_CASE("replace rules: 422 while a replacement is in progress, before any artifact rule",
          "[replacement][rules]") {
  const auto e = rule(Draft, Locked, false, ReplacementStatus::Promoting);
  REQUIRE(e.has_value());
  CHECK(e->status == 422);
  CHECK(e->message == "a replacement is already in progress for workload wl-1 (status promoting)");
  const auto unknown = rule(Locked, std::nullopt, false, ReplacementStatus::Initializing);
  REQUIRE(unknown.has_value());
  CHECK(unknown->status == 422);
}

TEST_CASE("replace rules: a stopped workload is 422, checked first", "[replacement][rules]") {
  const auto e = rule(Locked, Locked, true, ReplacementStatus::Promoting);
  REQUIRE(e.has_value());
  CHECK(e->status == 422);
  CHECK(e->message == "workload wl-1 is stopped");
}

TEST_CASE("replace rules: an unknown target artifact is 404, before the status rules",
          "[replacement][rules]") {
  const auto e = rule(Draft, std::nullopt);
  REQUIRE(e.has_value());
  CHECK(e->status == 404);
  CHECK(e->message == "artifact app-2 not found");
}
