#include "validation/context.hpp"

#include <utility>

#include "name_set.hpp"
#include "printer.hpp"
#include "validation/variable_usages.hpp"
#include "validation/walker.hpp"

namespace surplus::graphql::detail {
namespace {

// The same budget as graphql-js 16.15, so both abort on the same documents.
constexpr std::size_t kFragmentWorkBudget = 50'000;

}  // namespace

// One walker serves every definition, so its TypeInfo stacks are allocated once.
struct ValidationContext::UsageWalk {
  explicit UsageWalk(ValidationContext& context)
      : collector(context), walker(context.schema(), {&collector}) {
    collector.attach(walker.type_info());
  }

  VariableUsageCollector collector;
  DocumentWalker walker;
};

ValidationContext::ValidationContext(const Schema& schema, const ast::Document& document,
                                     std::size_t max_errors)
    : schema_(&schema), document_(&document), max_errors_(max_errors) {
  reset(schema, document, max_errors);
}

void ValidationContext::reset(const Schema& schema, const ast::Document& document,
                              std::size_t max_errors) {
  schema_ = &schema;
  document_ = &document;
  max_errors_ = max_errors;
  errors_.clear();
  fragments_ = FragmentMap(document);
  remaining_fragment_work_ = kFragmentWorkBudget;
  spreads_.clear();
  usages_.clear();
  recursive_usages_.clear();
  // Its walker belongs to the previous schema, and an aborted walk leaves its stacks filled.
  usage_walk_.reset();
  document_directives_.clear();
  for (const auto& definition : document.definitions) {
    if (const auto* directive = std::get_if<ast::DirectiveDefinition>(&definition)) {
      DocumentDirective entry;
      entry.repeatable = directive->repeatable;
      for (const auto& location : directive->locations) {
        entry.locations.push_back(location.name);
      }
      for (const auto& argument : directive->arguments) {
        entry.arguments.push_back(argument.name);
        if (argument.type->kind == ast::TypeRef::Kind::kNonNull && !argument.default_value) {
          entry.required_arguments.emplace_back(argument.name, print_type(*argument.type));
        }
      }
      document_directives_.insert_or_assign(directive->name, std::move(entry));
    }
  }
}

ValidationContext::~ValidationContext() = default;

const ast::FragmentDefinition* ValidationContext::fragment(std::string_view name) const {
  return fragments_.find(name);
}

const DocumentDirective* ValidationContext::document_directive(std::string_view name) const {
  const auto found = document_directives_.find(name);
  return found == document_directives_.end() ? nullptr : &found->second;
}

void ValidationContext::report(std::string message, std::vector<ast::Location> locations,
                               Json extensions) {
  if (max_errors_ != 0 && errors_.size() >= max_errors_) {
    errors_.push_back(
        {"Too many validation errors, error limit reached. Validation aborted.", {}, {}, {}});
    throw ValidationAborted{};
  }
  errors_.push_back(
      {std::move(message), std::move(locations), std::nullopt, std::move(extensions)});
}

void ValidationContext::abort(const std::string& reason) {
  errors_.push_back({"Validation aborted: " + reason, {}, {}, {}});
  throw ValidationAborted{};
}

void ValidationContext::spend_fragment_work(std::size_t cost) {
  if (cost > remaining_fragment_work_) {
    abort("the fragment spreads expand into more than " + std::to_string(kFragmentWorkBudget) +
          " steps of work; spread fewer fragments or nest them less deeply");
  }
  remaining_fragment_work_ -= cost;
}

// Depth-first with an explicit stack, so the order of the spreads matches graphql-js and
// NoFragmentCycles reports the same cycles.
const std::vector<const ast::Selection*>& ValidationContext::fragment_spreads(
    const std::vector<ast::Selection>& selections) {
  const auto [found, inserted] = spreads_.try_emplace(&selections);
  if (!inserted) {
    return found->second;
  }
  std::vector<const ast::Selection*>& spreads = found->second;
  std::vector<const std::vector<ast::Selection>*>& pending = pending_selection_sets_;
  pending.assign(1, &selections);
  while (!pending.empty()) {
    const std::vector<ast::Selection>* set = pending.back();
    pending.pop_back();
    for (const auto& selection : *set) {
      if (selection.kind == ast::Selection::Kind::kFragmentSpread) {
        spreads.push_back(&selection);
      } else if (selection.has_selection_set) {
        pending.push_back(&selection.selections);
      }
    }
  }
  return spreads;
}

std::vector<const ast::FragmentDefinition*> ValidationContext::referenced_fragments(
    std::span<const ast::OperationDefinition* const> operations) {
  // Room for a typical document, which saves the first reallocations.
  constexpr std::size_t kTypicalFragments = 8;
  std::vector<std::string_view> names;
  names.reserve(kTypicalFragments);
  NameSet seen;
  seen.reserve(kTypicalFragments);
  for (const auto* operation : operations) {
    for (const auto* spread : fragment_spreads(operation->selections)) {
      if (seen.insert(spread->name)) {
        names.push_back(spread->name);
      }
    }
  }
  spend_fragment_work(names.size());
  std::vector<const ast::FragmentDefinition*> fragments;
  fragments.reserve(names.size());
  for (std::size_t index = 0; index < names.size(); ++index) {
    const ast::FragmentDefinition* definition = fragment(names[index]);
    if (definition == nullptr) {
      continue;
    }
    fragments.push_back(definition);
    const auto& spreads = fragment_spreads(definition->selections);
    spend_fragment_work(spreads.size());
    for (const auto* spread : spreads) {
      if (seen.insert(spread->name)) {
        names.push_back(spread->name);
      }
    }
  }
  return fragments;
}

std::vector<VariableUsage>* ValidationContext::begin_variable_usages(const void* definition) {
  const auto [found, inserted] = usages_.try_emplace(definition);
  return inserted ? &found->second : nullptr;
}

// The main validation walk collects the usages of every definition it has entered, so a
// separate walk runs only for a definition that the main walk has not reached yet.
template <typename Definition>
const std::vector<VariableUsage>& ValidationContext::variable_usages(const Definition& definition) {
  const auto found = usages_.find(&definition);
  if (found != usages_.end()) {
    return found->second;
  }
  if (!usage_walk_) {
    usage_walk_ = std::make_unique<UsageWalk>(*this);
  }
  usage_walk_->walker.walk(definition);
  return usages_.at(&definition);
}

const std::vector<VariableUsage>& ValidationContext::recursive_variable_usages(
    const ast::OperationDefinition& operation) {
  const auto found = recursive_usages_.find(&operation);
  if (found != recursive_usages_.end()) {
    return found->second;
  }
  const ast::OperationDefinition* const operations[] = {&operation};
  const auto fragments = referenced_fragments(operations);
  spend_fragment_work(fragments.size());
  std::vector<VariableUsage> usages = variable_usages(operation);
  const std::size_t own_usages = usages.size();
  for (const auto* definition : fragments) {
    const auto& local = variable_usages(*definition);
    spend_fragment_work(local.size());
    usages.insert(usages.end(), local.begin(), local.end());
  }
  spend_fragment_work(usages.size() - own_usages);
  return recursive_usages_.emplace(&operation, std::move(usages)).first->second;
}

}  // namespace surplus::graphql::detail
