// ValidationLimits: depth, aliases, root fields and the cost estimate, measured after
// fragments are expanded.
#include <string>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::graphql {
namespace {

constexpr std::string_view kShop = R"(
  type Query {
    shop: Shop offers(first: Int, last: Int): [Offer] tags: [String] page(first: Int): OfferPage
  }
  type OfferPage { edges: [OfferEdge] total: Int }
  type OfferEdge { node: Offer cursor: String }
  type Shop { name: String offers(first: Int): [Offer] }
  type Offer { id: ID title: String seller: Shop }
)";

class Limits : public ::testing::Test {
 protected:
  std::vector<GraphQLError> check(std::string_view query, const ValidationLimits& limits) {
    document_ = parse(query);
    ValidationOptions options;
    options.limits = limits;
    return validate(schema_, document_, options);
  }

  Schema schema_ = build_schema(kShop);
  ast::Document document_;
};

TEST_F(Limits, DepthCountsFieldNesting) {
  ValidationLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(check("{ shop { offers { title } } }", limits).empty());

  const auto errors = check("query Deep { shop { offers { seller { name } } } }", limits);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message,
            "Operation \"Deep\" exceeds the limit max_depth = 3 with a depth of 4.");
  ASSERT_EQ(errors[0].locations.size(), 1u);
  EXPECT_EQ(errors[0].locations[0].column, 1u);
  EXPECT_EQ(errors[0].extensions["code"], "LIMIT_EXCEEDED");
  EXPECT_EQ(errors[0].extensions["limit"], "max_depth");
  EXPECT_EQ(errors[0].extensions["maximum"], 3);
  EXPECT_EQ(errors[0].extensions["actual"], 4);
}

TEST_F(Limits, DepthFollowsFragments) {
  ValidationLimits limits;
  limits.max_depth = 3;
  const auto errors =
      check("{ shop { ...S } } fragment S on Shop { offers { ... on Offer { seller { name } } } }",
            limits);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].extensions["actual"], 4);
}

TEST_F(Limits, AliasesCountEverySpread) {
  ValidationLimits limits;
  limits.max_aliases = 5;
  EXPECT_TRUE(check("{ a: shop { name } b: shop { n: name } }", limits).empty());

  const auto errors = check(
      "{ shop { ...A ...A } offers { ...B } } fragment A on Shop { x: name y: name } "
      "fragment B on Offer { seller { ...A } }",
      limits);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "The operation exceeds the limit max_aliases = 5 with 6 aliases.");
}

TEST_F(Limits, RootFieldsAreDistinctResponseKeys) {
  ValidationLimits limits;
  limits.max_root_fields = 2;
  EXPECT_TRUE(
      check("{ shop { name } shop { name } tags ...R } fragment R on Query { tags }", limits)
          .empty());

  const auto errors = check("{ shop { name } tags ... on Query { other: tags } }", limits);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].extensions["limit"], "max_root_fields");
  EXPECT_EQ(errors[0].extensions["actual"], 3);
}

TEST_F(Limits, CostMultipliesListsByFirstOrLast) {
  ValidationLimits limits;
  limits.max_cost = 1;
  limits.default_list_size = 10;
  const auto cost_of = [&](std::string_view query) {
    const auto errors = check(query, limits);
    return errors.empty() ? Json(0) : errors[0].extensions["actual"];
  };
  // offers: 1 + 5 * (id + seller + name).
  EXPECT_EQ(cost_of("{ offers(first: 5) { id seller { name } } }"), 16);
  EXPECT_EQ(cost_of("{ offers(first: 2, last: 7) { id } }"), 8);
  // Without `first` or `last`, and with a variable, the default size applies.
  EXPECT_EQ(cost_of("{ offers { id } }"), 11);
  EXPECT_EQ(cost_of("query ($n: Int) { offers(first: $n) { id } }"), 11);
  // Lists inside lists multiply: 1 + 3 * (id + (seller + (1 + 4 * id))).
  EXPECT_EQ(cost_of("{ offers(first: 3) { id seller { offers(first: 4) { id } } } }"), 22);
  // A list of scalars has no sub-selection to multiply.
  EXPECT_EQ(cost_of("{ tags shop { name } }"), 3);
}

TEST_F(Limits, ConnectionSizeReachesItsEdges) {
  ValidationLimits limits;
  limits.max_cost = 1;
  limits.default_list_size = 10;
  const auto cost_of = [&](std::string_view query) {
    const auto errors = check(query, limits);
    return errors.empty() ? Json(0) : errors[0].extensions["actual"];
  };
  // page: 1 + (edges: 1 + 50 * (node: 1 + id) + total).
  EXPECT_EQ(cost_of("{ page(first: 50) { edges { node { id } } total } }"), 103);
  // Without `first`, edges take the default size: 1 + (1 + 10 * 2).
  EXPECT_EQ(cost_of("{ page { edges { node { id } } } }"), 22);
  // The size reaches only the fields selected directly in the connection.
  EXPECT_EQ(cost_of("{ page(first: 50) { edges { node { seller { offers { id } } } } } }"),
            1 + 1 + 50 * (1 + 1 + (1 + 10 * 1)));
}

TEST_F(Limits, CostWithinLimitIsAccepted) {
  ValidationLimits limits;
  limits.max_cost = 16;
  EXPECT_TRUE(check("{ offers(first: 5) { id seller { name } } }", limits).empty());
}

// Each fragment spreads the next one twice, so the expanded operation has 2^80 fields.
// Fragments are measured once each, and the counts saturate instead of wrapping.
TEST_F(Limits, ExponentialFragmentsSaturate) {
  std::string query = "{ shop { ...F0 } }\n";
  for (int level = 0; level < 80; ++level) {
    query += "fragment F" + std::to_string(level) + " on Shop { ...F" + std::to_string(level + 1) +
             " ...F" + std::to_string(level + 1) + " }\n";
  }
  query += "fragment F80 on Shop { n: name }\n";
  ValidationLimits limits;
  limits.max_aliases = 1000;
  limits.max_cost = 1000;
  const auto errors = check(query, limits);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].extensions["actual"], std::numeric_limits<std::uint64_t>::max());
  EXPECT_NE(errors[0].message.find("more than 2^64"), std::string::npos);
  EXPECT_EQ(errors[1].extensions["limit"], "max_cost");
}

TEST_F(Limits, NotCheckedWhenRulesFail) {
  ValidationLimits limits;
  limits.max_depth = 1;
  const auto errors = check("{ shop { nope } }", limits);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "Cannot query field \"nope\" on type \"Shop\".");
}

}  // namespace
}  // namespace surplus::graphql
