#include <surplus/graphql/validation.hpp>

#include "validation_rules.hpp"

namespace surplus::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationLimits& limits) {
  detail::ValidationContext context(schema, document);
  detail::run_document_rules(context);
  if (context.errors.empty()) {
    detail::run_limit_rules(context, limits);
  }
  return std::move(context.errors);
}

}  // namespace surplus::graphql
