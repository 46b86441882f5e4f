#include <surplus/graphql/validation.hpp>

#include "validation/limits.hpp"
#include "validation/rules.hpp"
#include "validation/variable_usages.hpp"
#include "validation/walker.hpp"

namespace surplus::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options) {
  detail::ValidationContext context(schema, document, options.max_errors);
  try {
    const auto rules = detail::make_specified_rules(context);
    // Fills the variable usage lists that the variable rules read at the end of the walk.
    detail::VariableUsageCollector usages(context);
    std::vector<detail::Rule*> observers;
    observers.reserve(rules.size() + 1);
    observers.push_back(&usages);
    for (const auto& rule : rules) {
      observers.push_back(rule.get());
    }
    detail::DocumentWalker walker(schema, std::move(observers));
    context.set_type_info(&walker.type_info());
    usages.attach(walker.type_info());
    walker.walk(document);
  } catch (const detail::ValidationAborted&) {
    return context.take_errors();
  }
  // The limits expand fragments, which is safe only once they are known to be acyclic.
  if (!context.has_errors()) {
    detail::check_limits(context, options.limits);
  }
  return context.take_errors();
}

}  // namespace surplus::graphql
