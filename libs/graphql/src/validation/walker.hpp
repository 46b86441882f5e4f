#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include <surplus/graphql/schema.hpp>

#include "validation/rule.hpp"
#include "validation/type_info.hpp"

namespace surplus::graphql::detail {

// Walks a document in source order, keeps TypeInfo up to date and calls the hooks of every
// rule, like graphql-js `visitInParallel` with `visitWithTypeInfo`: a rule that skips a
// node stops seeing its subtree while the other rules and TypeInfo continue.
class DocumentWalker {
 public:
  DocumentWalker(const Schema& schema, std::vector<Rule*> rules);

  // Prepares another walk against `schema`, also after a walk that a rule ended with an
  // exception. The rules keep their state; Rule::reset() clears it.
  void reset(const Schema& schema);

  void walk(const ast::Document& document);
  void walk(const ast::OperationDefinition& operation);
  void walk(const ast::FragmentDefinition& fragment);

  const TypeInfo& type_info() const { return info_; }

 private:
  // Calls `visit(index)` for every rule that observes `hook` and does not skip the node.
  template <typename Visit>
  void for_each_observer(std::uint32_t hook, Visit&& visit);
  template <typename Call>
  void enter(std::uint32_t hook, const void* node, Call&& call);
  template <typename Call>
  void leave(std::uint32_t hook, const void* node, Call&& call);

  void walk_definition(const ast::Definition& definition);
  void walk_variable_definition(const ast::VariableDefinition& variable);
  void walk_selection_set(const std::vector<ast::Selection>& selections, SelectionSetOwner owner);
  void walk_field(const ast::Selection& field);
  void walk_fragment_spread(const ast::Selection& spread);
  void walk_inline_fragment(const ast::Selection& fragment);
  void walk_directives(const std::vector<ast::Directive>& directives, const DirectivesSite& site);
  void walk_argument(const ast::Argument& argument);
  void walk_value(const ast::Value& value);
  void walk_object_field(const ast::ObjectField& field);
  void walk_named_type(const std::string& name, ast::Location location, bool in_type_system);
  void walk_type_reference(const ast::TypeRef& reference, bool in_type_system);
  void walk_type_system(const ast::TypeDefinition& definition);
  void walk_input_value_definition(const ast::InputValueDefinition& definition,
                                   std::string_view location);

  const Schema* schema_;
  std::vector<Rule*> rules_;
  // Per hook bit: the set of rules that observe it, as a bit per rule index.
  std::array<std::uint64_t, kHookCount> observers_{};
  // The rules that skip the subtree of a node being walked, as a bit per rule index.
  std::uint64_t skipping_ = 0;
  // The node each skipping rule skips, innermost last. Subtrees nest, so leaving a node
  // ends exactly the skips at the back that name it.
  std::vector<std::pair<const void*, std::size_t>> skips_;
  TypeInfo info_;
};

}  // namespace surplus::graphql::detail
