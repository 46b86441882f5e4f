#pragma once

#include <cstddef>
#include <vector>

#include <surplus/graphql/validation.hpp>

#include "validation/context.hpp"
#include "validation/rules.hpp"
#include "validation/variable_usages.hpp"
#include "validation/walker.hpp"

namespace surplus::graphql::detail {

// The context, rules and walker of a validation, made once and reset for every document,
// because creating and destroying them for every document is a noticeable part of the
// work of validating a small one. One validator checks one document at a time.
// NOTE: containers keep the capacity of the largest document checked so far.
class Validator {
 public:
  Validator(const Schema& schema, const ast::Document& document);
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Checks `document` with every rule of section 5 and then the limits, as validate() does.
  std::vector<GraphQLError> check(const Schema& schema, const ast::Document& document,
                                  const ValidationOptions& options);

 private:
  std::vector<Rule*> observers();

  ValidationContext context_;
  std::vector<RulePtr> rules_;
  // Fills the variable usage lists that the variable rules read at the end of the walk.
  VariableUsageCollector usages_;
  DocumentWalker walker_;
};

}  // namespace surplus::graphql::detail
