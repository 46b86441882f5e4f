// A Validator is reused for one document after another, so nothing that its rules, context
// or walker learn from a document may change the result for the next one. Each test checks
// a document that leaves state behind and then a document that this state would break.
#include "validation/validator.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::graphql::detail {
namespace {

constexpr std::string_view kSchema = R"(
  type Query { dog: Dog cat: Cat }
  type Dog { name: String barks(loud: Boolean): Boolean owner: Human }
  type Cat { name: String owner: Human }
  type Human { name: String }
)";

using Lines = std::vector<std::string>;

Lines messages(const std::vector<GraphQLError>& errors) {
  Lines lines;
  for (const auto& error : errors) {
    lines.push_back(error.message);
  }
  return lines;
}

class ValidatorReuse : public ::testing::Test {
 protected:
  // Parses and checks `query` with the one validator of the test. The previous document is
  // destroyed first, so a pointer into it that a rule kept would be read after free.
  Lines check(std::string_view query, const ValidationOptions& options = {}) {
    document_ = ast::Document{};
    document_ = parse(query);
    if (!validator_) {
      validator_.emplace(schema_, document_);
    }
    return messages(validator_->check(schema_, document_, options));
  }

  Schema schema_ = build_schema(kSchema);
  ast::Document document_;
  std::optional<Validator> validator_;
};

TEST_F(ValidatorReuse, NamesOfThePreviousDocumentAreForgotten) {
  EXPECT_EQ(check("query Q { dog { ...F } } query R { cat { name } } fragment F on Dog { name }"),
            Lines{});
  EXPECT_EQ(check("query Q { dog { ...F } } fragment F on Dog { name }"), Lines{});
  EXPECT_EQ(check("query R { cat { name } }"), Lines{});
}

TEST_F(ValidatorReuse, OperationCountIsTheNewDocuments) {
  EXPECT_EQ(check("query A { dog { name } } query B { cat { name } }"), Lines{});
  EXPECT_EQ(check("{ dog { name } }"), Lines{});
  EXPECT_EQ(check("{ dog { name } } query B { cat { name } }"),
            Lines{"This anonymous operation must be the only defined operation."});
}

TEST_F(ValidatorReuse, TypesDefinedInThePreviousDocumentAreUnknown) {
  EXPECT_EQ(check("{ dog { name } } type Extra { a: Int }"),
            Lines{"The \"Extra\" definition is not executable."});
  EXPECT_EQ(check("{ dog { ...X } } fragment X on Extra { a }"), Lines{"Unknown type \"Extra\"."});
}

TEST_F(ValidatorReuse, UnusedFragmentsAreTheNewDocuments) {
  EXPECT_EQ(check("{ dog { ...F } } fragment F on Dog { name }"), Lines{});
  EXPECT_EQ(check("{ cat { name } } fragment G on Cat { name }"),
            Lines{"Fragment \"G\" is never used."});
  EXPECT_EQ(check("{ cat { ...G } } fragment G on Cat { name }"), Lines{});
}

TEST_F(ValidatorReuse, FragmentCyclesAreFoundAgain) {
  const std::string cycle =
      "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { ...A }";
  const Lines expected{"Cannot spread fragment \"A\" within itself via \"B\"."};
  EXPECT_EQ(check(cycle), expected);
  EXPECT_EQ(check(cycle), expected);
}

TEST_F(ValidatorReuse, FieldConflictsAreFoundAgain) {
  const std::string conflict =
      "{ dog { barks(loud: true) ...F } } "
      "fragment F on Dog { barks(loud: false) }";
  const Lines expected{
      "Fields \"barks\" conflict because they have differing arguments. Use different aliases "
      "on the fields to fetch both if this was intentional."};
  EXPECT_EQ(check(conflict), expected);
  EXPECT_EQ(check("{ dog { barks(loud: true) ...F } } fragment F on Dog { barks(loud: true) }"),
            Lines{});
  EXPECT_EQ(check(conflict), expected);
}

TEST_F(ValidatorReuse, DirectivesPerLocationAreCountedAgain) {
  EXPECT_EQ(check("{ dog @skip(if: true) @skip(if: false) { name } }"),
            Lines{"The directive \"@skip\" can only be used once at this location."});
  EXPECT_EQ(check("{ dog @skip(if: true) { name } }"), Lines{});
}

TEST_F(ValidatorReuse, VariableUsagesAreTheNewDocuments) {
  EXPECT_EQ(check("query Q($loud: Boolean) { dog { barks(loud: $loud) } }"), Lines{});
  EXPECT_EQ(check("query Q { dog { barks(loud: $loud) } }"),
            Lines{"Variable \"$loud\" is not defined by operation \"Q\"."});
  EXPECT_EQ(check("query Q($quiet: Boolean) { dog { name } }"),
            Lines{"Variable \"$quiet\" is never used in operation \"Q\"."});
}

// The walk that reaches the error limit ends with an exception in the middle of the
// document, which leaves the walker's type stacks filled.
TEST_F(ValidatorReuse, AbortedWalkLeavesNoState) {
  ValidationOptions one_error;
  one_error.max_errors = 1;
  EXPECT_EQ(check("{ dog { owner { zzzz yyyy } } }", one_error),
            (Lines{"Cannot query field \"zzzz\" on type \"Human\".",
                   "Too many validation errors, error limit reached. Validation aborted."}));
  EXPECT_EQ(check("{ cat { owner { name } } dog { name } }"), Lines{});
  EXPECT_EQ(check("{ cat { zzzz } }"), Lines{"Cannot query field \"zzzz\" on type \"Cat\"."});
}

TEST(ValidatePool, SwitchesBetweenSchemas) {
  const Schema dogs = build_schema("type Query { dog: String }");
  const Schema cats = build_schema("type Query { cat: String }");
  const ast::Document query = parse("{ dog }");
  EXPECT_EQ(messages(validate(dogs, query)), Lines{});
  EXPECT_EQ(messages(validate(cats, query)),
            Lines{"Cannot query field \"dog\" on type \"Query\"."});
  EXPECT_EQ(messages(validate(dogs, query)), Lines{});
}

}  // namespace
}  // namespace surplus::graphql::detail
