#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/error.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {

// Bounds on the size of an operation, checked on each operation after its fragments are
// expanded, so a fragment spread many times counts every time. Zero disables a bound. An
// operation over a bound gets one error per bound, at the operation, whose `extensions`
// carry {"code": "LIMIT_EXCEEDED", "limit": <field name below>, "maximum", "actual"}.
//
// The cost estimate charges 1 for every field, and multiplies the cost of the
// sub-selection of a field whose type is a list by the list size it is expected to have:
// the larger of its integer `first` and `last` arguments when given as literals, or else
// `default_list_size`. For example, with the default size 10,
// `{ offers(first: 5) { id seller { name } } }` costs 1 + 5 * (1 + 1 + 1) = 16. A field
// that is not a list but has such an argument, like a cursor connection, passes its size to
// the list fields selected directly in it: `{ page(first: 5) { edges { id } } }` costs
// 1 + (1 + 5 * 1) = 7. Lists inside a fragment spread there take the default size. Nested
// list types such as `[[Int]]` are multiplied once. @skip and @include are ignored because
// variables are not known yet, so skipped fields count too.
struct ValidationLimits {
  // Nesting of fields: `{ a { b } }` has depth 2.
  std::size_t max_depth = 0;
  // Fields selected under an alias.
  std::size_t max_aliases = 0;
  // Distinct response keys at the root of the operation.
  std::size_t max_root_fields = 0;
  std::uint64_t max_cost = 0;
  std::uint64_t default_list_size = 10;
};

struct ValidationOptions {
  // Validation stops after this many errors and adds one that says so, as graphql-js does
  // with the same default; zero means no limit.
  std::size_t max_errors = 100;
  ValidationLimits limits;
};

// Validates an executable document against the schema with every rule of section 5 (the
// rules of graphql-js 16 `specifiedRules`), then checks the limits. Returns every error
// found; an empty list means the document may be executed. Each thread reuses one set of
// rule objects, whose memory grows to what the largest document checked on it needed.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options = {});

}  // namespace surplus::graphql
