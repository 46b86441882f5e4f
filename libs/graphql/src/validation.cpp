#include <memory>

#include <surplus/graphql/validation.hpp>

#include "validation/validator.hpp"

namespace surplus::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options) {
  // Each thread keeps one validator. A validation that starts while it is in use, from a
  // scalar hook for example, gets a validator of its own.
  thread_local std::unique_ptr<detail::Validator> pooled;
  thread_local bool in_use = false;
  if (in_use) {
    detail::Validator validator(schema, document);
    return validator.check(schema, document, options);
  }
  if (!pooled) {
    pooled = std::make_unique<detail::Validator>(schema, document);
  }
  struct Release {
    ~Release() { in_use = false; }
  } release;
  in_use = true;
  return pooled->check(schema, document, options);
}

}  // namespace surplus::graphql
