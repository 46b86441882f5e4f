// libFuzzer target for the parser, the schema builder, validation and execution. Each input
// is parsed as a document. A document of type system definitions is built into a schema;
// any other document is validated against a fixed schema and, when valid, executed with an
// empty root value. Crashes, sanitizer reports, leaks and memory over the -rss_limit_mb
// given to libFuzzer are failures; errors reported through exceptions are not.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>
#include <surplus/graphql/validation.hpp>

namespace graphql = surplus::graphql;

namespace {

constexpr std::string_view kSchema = R"(
  schema { query: Query mutation: Mutation subscription: Subscription }
  type Query {
    node(id: ID!): Node
    nodes(first: Int = 10, after: String, filter: Filter): [Node!]!
    search(text: String!, kinds: [Kind!] = [OFFER]): [Result]
    matrix(rows: [[Int]]): [[Float!]]
    lookup(by: By!): Offer
    value(input: Json): Json
  }
  type Mutation { reserve(offer: ID!, quantity: Int! = 1): Offer }
  type Subscription { offerAdded(near: Point): Offer }
  interface Node { id: ID! }
  interface Named implements Node { id: ID! name(locale: String = "en"): String }
  type Offer implements Node & Named {
    id: ID! name(locale: String = "en"): String price: Float
    seller: Seller tags: [String!] old: Int @deprecated(reason: "Gone.")
  }
  type Seller implements Node & Named { id: ID! name(locale: String = "en"): String offers: [Offer] }
  union Result = Offer | Seller
  enum Kind { OFFER SELLER }
  input Filter { kind: Kind, near: Point, tags: [String!], nested: Filter }
  input Point { lat: Float! lng: Float! }
  input By @oneOf { id: ID name: String }
  scalar Json
  directive @cached(seconds: Int = 60) repeatable on FIELD | QUERY
)";

bool is_type_system(const graphql::ast::Definition& definition) {
  return !std::holds_alternative<graphql::ast::OperationDefinition>(definition) &&
         !std::holds_alternative<graphql::ast::FragmentDefinition>(definition);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const graphql::Schema schema = graphql::build_schema(kSchema);
  const std::string_view source(reinterpret_cast<const char*>(data), size);

  graphql::ast::Document document;
  try {
    document = graphql::parse(source);
  } catch (const graphql::SyntaxError&) {
    return 0;
  }

  if (std::all_of(document.definitions.begin(), document.definitions.end(), is_type_system)) {
    try {
      graphql::build_schema(source);
    } catch (const graphql::SchemaError&) {
    }
    return 0;
  }

  // Limits keep the response of a valid document small, so memory stays bounded.
  graphql::ValidationOptions options;
  options.limits.max_depth = 32;
  options.limits.max_aliases = 256;
  options.limits.max_cost = 20'000;
  if (!graphql::validate(schema, document, options).empty()) {
    return 0;
  }
  graphql::ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.variables = graphql::Json::object();
  graphql::execute(request).to_json().dump();
  return 0;
}
