#include "validation/validator.hpp"

#include "validation/limits.hpp"

namespace surplus::graphql::detail {

Validator::Validator(const Schema& schema, const ast::Document& document)
    : context_(schema, document, 0),
      rules_(make_specified_rules(context_)),
      usages_(context_),
      walker_(schema, observers()) {
  context_.set_type_info(&walker_.type_info());
  usages_.attach(walker_.type_info());
}

std::vector<Rule*> Validator::observers() {
  std::vector<Rule*> observers;
  observers.reserve(rules_.size() + 1);
  observers.push_back(&usages_);
  for (const auto& rule : rules_) {
    observers.push_back(rule.get());
  }
  return observers;
}

std::vector<GraphQLError> Validator::check(const Schema& schema, const ast::Document& document,
                                           const ValidationOptions& options) {
  context_.reset(schema, document, options.max_errors);
  walker_.reset(schema);
  usages_.reset();
  for (const auto& rule : rules_) {
    rule->reset();
  }
  try {
    walker_.walk(document);
  } catch (const ValidationAborted&) {
    return context_.take_errors();
  }
  // The limits expand fragments, which is safe only once they are known to be acyclic.
  if (!context_.has_errors()) {
    check_limits(context_, options.limits);
  }
  return context_.take_errors();
}

}  // namespace surplus::graphql::detail
