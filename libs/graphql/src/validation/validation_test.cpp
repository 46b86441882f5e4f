// Validation rules of section 5, with cases written from the specification's examples.
// The differential corpus covers the same rules against graphql-js; these tests pin the
// messages and locations and the limits that graphql-js does not have.
#include <string>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::graphql {
namespace {

constexpr std::string_view kPets = R"(
  type Query { dog: Dog pet: Pet human(id: ID!): Human search: [Result] find(by: By): Dog }
  type Subscription { barked: Dog meowed: Cat }
  interface Pet { name: String }
  type Dog implements Pet { name: String nickname: String barkVolume: Int
                            doesKnow(command: Command!): Boolean owner: Human }
  type Cat implements Pet { name: String nickname: Float meows: Boolean }
  type Human { name: String pets: [Pet] }
  union Result = Dog | Cat
  enum Command { SIT HEEL }
  input By @oneOf { id: ID name: String }
)";

class Validation : public ::testing::Test {
 protected:
  std::vector<GraphQLError> check(std::string_view query, const ValidationOptions& options = {}) {
    document_ = parse(query);
    return validate(schema_, document_, options);
  }

  // "message @ line:column line:column" for each error.
  std::vector<std::string> describe(std::string_view query, const ValidationOptions& options = {}) {
    std::vector<std::string> lines;
    for (const auto& error : check(query, options)) {
      std::string line = error.message + " @";
      for (const auto& location : error.locations) {
        line += " " + std::to_string(location.line) + ":" + std::to_string(location.column);
      }
      lines.push_back(line);
    }
    return lines;
  }

  Schema schema_ = build_schema(kPets);
  ast::Document document_;
};

using Lines = std::vector<std::string>;

TEST_F(Validation, ValidDocumentHasNoErrors) {
  EXPECT_TRUE(check(R"(
    query Q($command: Command! = SIT) {
      dog { ...Names doesKnow(command: $command) owner { pets { name } } }
      search { ... on Cat { meows } ... on Pet { name } }
    }
    fragment Names on Pet { name ... on Dog { nickname } }
  )")
                  .empty());
}

TEST_F(Validation, ExecutableDefinitions) {
  EXPECT_EQ(describe("{ dog { name } }\ntype Extra { a: Int }"),
            Lines{"The \"Extra\" definition is not executable. @ 2:1"});
}

TEST_F(Validation, OperationNamesAndAnonymousOperations) {
  EXPECT_EQ(describe("query A { dog { name } } query A { pet { name } }"),
            Lines{"There can be only one operation named \"A\". @ 1:7 1:32"});
  EXPECT_EQ(describe("{ dog { name } } query B { pet { name } }"),
            Lines{"This anonymous operation must be the only defined operation. @ 1:1"});
}

TEST_F(Validation, SubscriptionSelectsOneRootField) {
  EXPECT_EQ(describe("subscription S { barked { name } ...F } fragment F on Subscription { "
                     "meowed { name } }"),
            Lines{"Subscription \"S\" must select only one top level field. @ 1:70"});
  EXPECT_EQ(describe("subscription { __typename }"),
            Lines{"Anonymous Subscription must not select an introspection top level field. @ "
                  "1:16"});
  EXPECT_TRUE(check("subscription { barked { name } barked { nickname } }").empty());
}

TEST_F(Validation, FieldsExistOnTheirType) {
  EXPECT_EQ(describe("{ dog { meows } pet { nickname } search { name } }"),
            (Lines{"Cannot query field \"meows\" on type \"Dog\". @ 1:9",
                   "Cannot query field \"nickname\" on type \"Pet\". @ 1:23",
                   "Cannot query field \"name\" on type \"Result\". @ 1:43"}));
  EXPECT_TRUE(check("{ search { __typename } }").empty());
}

TEST_F(Validation, LeafFieldSelections) {
  EXPECT_EQ(describe("{ dog dog { name { length } } }"),
            (Lines{"Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean "
                   "\"dog { ... }\"? @ 1:3",
                   "Field \"name\" must not have a selection since type \"String\" has no "
                   "subfields. @ 1:18"}));
}

TEST_F(Validation, ArgumentsAreKnownUniqueAndProvided) {
  EXPECT_EQ(describe("{ dog { doesKnow(command: SIT, command: HEEL, extra: 1) } human { name } }"),
            (Lines{"There can be only one argument named \"command\". @ 1:18 1:32",
                   "Unknown argument \"extra\" on field \"Dog.doesKnow\". @ 1:47",
                   "Field \"human\" argument \"id\" of type \"ID!\" is required, but it was not "
                   "provided. @ 1:59"}));
  EXPECT_EQ(describe("{ dog @include { name } }"),
            Lines{"Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it "
                  "was not provided. @ 1:7"});
}

TEST_F(Validation, FragmentDefinitionsAndSpreads) {
  EXPECT_EQ(describe("{ dog { ...F ...Missing } } fragment F on Dog { name } "
                     "fragment F on Dog { nickname } fragment Unused on Dog { name }"),
            (Lines{"Unknown fragment \"Missing\". @ 1:17",
                   "There can be only one fragment named \"F\". @ 1:38 1:65",
                   "Fragment \"Unused\" is never used. @ 1:87"}));
  EXPECT_EQ(describe("{ dog { ... on Boolean { x } ... on Nope { y } } }"),
            (Lines{"Fragment cannot condition on non composite type \"Boolean\". @ 1:16",
                   "Unknown type \"Nope\". @ 1:37"}));
}

TEST_F(Validation, FragmentSpreadMustBePossible) {
  EXPECT_EQ(describe("{ dog { ... on Cat { meows } } human(id: 1) { ...P } } "
                     "fragment P on Pet { name }"),
            (Lines{"Fragment cannot be spread here as objects of type \"Dog\" can never be of "
                   "type \"Cat\". @ 1:9",
                   "Fragment \"P\" cannot be spread here as objects of type \"Human\" can never be "
                   "of type \"Pet\". @ 1:47"}));
  EXPECT_TRUE(check("{ pet { ... on Dog { name } } search { ... on Pet { name } } }").empty());
}

TEST_F(Validation, FragmentsMustNotFormCycles) {
  EXPECT_EQ(
      describe("{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { owner { "
               "pets { ...C } } } fragment C on Dog { ...A }"),
      Lines{"Cannot spread fragment \"A\" within itself via \"B\", \"C\". @ 1:38 1:80 1:111"});
}

TEST_F(Validation, VariablesAreUniqueInputTypesDefinedAndUsed) {
  EXPECT_EQ(describe("query Q($a: Dog, $b: Int, $b: Int, $c: Nope) { dog { doesKnow(command: "
                     "$d) } }"),
            (Lines{"There can be only one variable named \"$b\". @ 1:19 1:28",
                   "Variable \"$a\" cannot be non-input type \"Dog\". @ 1:13",
                   "Unknown type \"Nope\". @ 1:40",
                   "Variable \"$d\" is not defined by operation \"Q\". @ 1:72 1:1",
                   "Variable \"$a\" is never used in operation \"Q\". @ 1:9",
                   "Variable \"$b\" is never used in operation \"Q\". @ 1:18",
                   "Variable \"$b\" is never used in operation \"Q\". @ 1:27",
                   "Variable \"$c\" is never used in operation \"Q\". @ 1:36"}));
}

TEST_F(Validation, VariableUsagesThroughFragments) {
  EXPECT_EQ(describe("query Q($c: Command) { dog { ...F } } fragment F on Dog { doesKnow(command: "
                     "$c) }"),
            Lines{"Variable \"$c\" of type \"Command\" used in position expecting type "
                  "\"Command!\". @ 1:9 1:77"});
  EXPECT_TRUE(check("query Q($c: Command = SIT) { dog { ...F } } fragment F on Dog { "
                    "doesKnow(command: $c) }")
                  .empty());
  EXPECT_EQ(
      describe("query ($id: ID) { find(by: {id: $id}) { name } }"),
      Lines{"Variable \"$id\" is of type \"ID\" but must be non-nullable to be used for OneOf "
            "Input Object \"By\". @ 1:8 1:33"});
}

TEST_F(Validation, DirectivesAreKnownPlacedAndUnique) {
  EXPECT_EQ(describe("query @skip(if: true) { dog @nope @include(if: true) @include(if: false) { "
                     "name } }"),
            (Lines{"Directive \"@skip\" may not be used on QUERY. @ 1:7",
                   "The directive \"@include\" can only be used once at this location. @ 1:35 1:54",
                   "Unknown directive \"@nope\". @ 1:29"}));
}

TEST_F(Validation, ValuesHaveTheExpectedType) {
  EXPECT_EQ(
      describe("{ dog { doesKnow(command: \"SIT\") } human(id: 1.5) { name } }"),
      (Lines{"Expected value of type \"Command!\", found \"SIT\". @ 1:27",
             "Expected value of type \"ID!\", found 1.5; ID cannot represent a non-string and "
             "non-integer value: 1.5 @ 1:46"}));
  EXPECT_EQ(describe("{ find(by: {id: 1, name: \"x\", name: \"y\"}) { name } }"),
            (Lines{"OneOf Input Object \"By\" must specify exactly one key. @ 1:12",
                   "There can be only one input field named \"name\". @ 1:20 1:31"}));
}

// Usages are collected once per definition in the main walk, so a fragment defined before
// or after the operations, and one reached through another fragment, count for every
// operation that spreads it.
TEST_F(Validation, VariableUsagesOfSharedFragments) {
  EXPECT_EQ(describe("fragment Early on Dog { doesKnow(command: $early) }\n"
                     "query A($early: Command!, $unused: Int) { dog { ...Early ...Late } }\n"
                     "query B { dog { ...Late } }\n"
                     "fragment Late on Dog { owner { name } ...Deep }\n"
                     "fragment Deep on Dog { knows: doesKnow(command: $late) }"),
            (Lines{"Variable \"$late\" is not defined by operation \"A\". @ 5:49 2:1",
                   "Variable \"$late\" is not defined by operation \"B\". @ 5:49 3:1",
                   "Variable \"$unused\" is never used in operation \"A\". @ 2:27"}));
}

TEST_F(Validation, OverlappingFieldsMustMerge) {
  EXPECT_EQ(
      describe("{ dog { name: nickname name } }"),
      Lines{"Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. "
            "Use different aliases on the fields to fetch both if this was intentional. @ "
            "1:9 1:24"});
  EXPECT_EQ(describe("{ pet { ... on Dog { nickname } ... on Cat { nickname } } }"),
            Lines{"Fields \"nickname\" conflict because they return conflicting types \"String\" "
                  "and \"Float\". Use different aliases on the fields to fetch both if this was "
                  "intentional. @ 1:22 1:46"});
  EXPECT_EQ(
      describe("{ dog { owner { name } ...F } } fragment F on Dog { owner { name: pets { name "
               "} } }"),
      Lines{"Fields \"owner\" conflict because subfields \"name\" conflict because \"name\" "
            "and \"pets\" are different fields. Use different aliases on the fields to fetch "
            "both if this was intentional. @ 1:9 1:17 1:53 1:61"});
  // Fields of different object types never apply to one object, so only shapes must agree.
  EXPECT_TRUE(check("{ pet { ... on Dog { x: nickname } ... on Cat { x: name } } }").empty());
}

// Each fragment spreads the next one twice, so the expanded query has 2^24 leaf fields.
// Memoised fragment comparisons keep validation linear in the size of the document.
TEST_F(Validation, OverlappingFieldsDoesNotExpandFragments) {
  std::string query = "{ dog { ...F0 } }\n";
  for (int level = 0; level < 24; ++level) {
    query += "fragment F" + std::to_string(level) + " on Dog { name ...F" +
             std::to_string(level + 1) + " ...F" + std::to_string(level + 1) + " }\n";
  }
  query += "fragment F24 on Dog { name }\n";
  EXPECT_TRUE(check(query).empty());
}

TEST_F(Validation, ComplexityBudgetAbortsValidation) {
  std::string query = "{ dog { ";
  for (int copy = 0; copy < 1000; ++copy) {
    query += "name ";
  }
  query += "} }";
  EXPECT_EQ(describe(query), Lines{"Validation aborted. @"});
}

TEST_F(Validation, StopsAfterMaxErrors) {
  ValidationOptions options;
  options.max_errors = 3;
  const auto errors = describe("{ a b c d e }", options);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[3], "Too many validation errors, error limit reached. Validation aborted. @");
}

TEST_F(Validation, IntrospectionDepthIsBounded) {
  EXPECT_EQ(describe("{ __schema { types { fields { type { fields { type { fields { name } } } } } "
                     "} } }"),
            Lines{"Maximum introspection depth exceeded @ 1:3"});
  EXPECT_TRUE(check("{ __schema { types { fields { type { fields { name } } } } } }").empty());
}

}  // namespace
}  // namespace surplus::graphql
