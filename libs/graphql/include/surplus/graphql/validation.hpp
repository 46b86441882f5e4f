#pragma once

#include <cstddef>
#include <vector>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/error.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {

// Bounds checked after fragments are expanded; zero disables a bound.
struct ValidationLimits {
  std::size_t max_depth = 0;
  std::size_t max_aliases = 0;
  std::size_t max_root_fields = 0;
};

struct ValidationOptions {
  // Validation stops after this many errors and adds one that says so, as graphql-js does
  // with the same default; zero means no limit.
  std::size_t max_errors = 100;
  ValidationLimits limits;
};

// Validates an executable document against the schema with every rule of section 5 (the
// rules of graphql-js 16 `specifiedRules`), then checks the limits. Returns every error
// found; an empty list means the document may be executed.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options = {});

}  // namespace surplus::graphql
