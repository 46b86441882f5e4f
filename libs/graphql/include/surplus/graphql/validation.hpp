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

// Validates an executable document against the schema (section 5) and returns every error
// found; an empty list means the document may be executed.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationLimits& limits = {});

}  // namespace surplus::graphql
