#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <surplus/graphql/ast.hpp>

namespace surplus::graphql::detail {

// What a rule asks of the walker after entering a node.
enum class Visit {
  kContinue,
  // Stop calling this rule inside the node; the other rules and TypeInfo still see it.
  kSkip,
};

// The node kinds a rule can observe. A rule returns the set it overrides from hooks(), and
// the walker calls only those, so a rule costs nothing on nodes it ignores. Fields,
// directives and values, the most frequent nodes, have separate bits for entering
// (enter_field) and leaving (leave_field); the other bits cover both.
enum Hook : std::uint32_t {
  kDocumentHook = 1u << 0,
  kOperationHook = 1u << 1,
  kVariableDefinitionHook = 1u << 2,
  kFragmentDefinitionHook = 1u << 3,
  kSelectionSetHook = 1u << 4,
  kFieldHook = 1u << 5,
  kFragmentSpreadHook = 1u << 6,
  kInlineFragmentHook = 1u << 7,
  kDirectivesHook = 1u << 8,
  kDirectiveHook = 1u << 9,
  kArgumentHook = 1u << 10,
  kValueHook = 1u << 11,
  kObjectFieldHook = 1u << 12,
  kNamedTypeHook = 1u << 13,
  kLeaveFieldHook = 1u << 14,
  kLeaveDirectiveHook = 1u << 15,
  kLeaveValueHook = 1u << 16,
};
inline constexpr std::size_t kHookCount = 17;

// The node that owns a selection set.
enum class SelectionSetOwner { kOperation, kField, kInlineFragment, kFragmentDefinition };

// Where a list of directives appears. Type system definitions in an executable document
// are invalid, but graphql-js still checks their directives, and so do we.
struct DirectivesSite {
  // Section 3.13 DirectiveLocation of the owner, such as "FIELD" or "OBJECT".
  std::string_view location;
  // Key under which directives of one type system entity are counted together across its
  // definition and extensions ("schema", "type Foo"); empty for every other owner.
  std::string_view shared_key;
};

// One validation rule of section 5, observing a document walk. Hooks run after TypeInfo
// has entered the node and before it leaves it.
class Rule {
 public:
  virtual ~Rule() = default;

  virtual std::uint32_t hooks() const = 0;
  // Prepares the rule for the document of the context: clears what it kept from the previous
  // document and reads what it needs from the new one. Called before every walk, also the
  // first, because validate() reuses its rules for the next document.
  virtual void reset() = 0;

  virtual Visit enter_document(const ast::Document&) { return Visit::kContinue; }
  virtual void leave_document(const ast::Document&) {}
  virtual Visit enter_operation(const ast::OperationDefinition&) { return Visit::kContinue; }
  virtual void leave_operation(const ast::OperationDefinition&) {}
  virtual Visit enter_variable_definition(const ast::VariableDefinition&) {
    return Visit::kContinue;
  }
  virtual Visit enter_fragment_definition(const ast::FragmentDefinition&) {
    return Visit::kContinue;
  }
  virtual void leave_fragment_definition(const ast::FragmentDefinition&) {}
  virtual Visit enter_selection_set(const std::vector<ast::Selection>&, SelectionSetOwner) {
    return Visit::kContinue;
  }
  virtual Visit enter_field(const ast::Selection&) { return Visit::kContinue; }
  virtual void leave_field(const ast::Selection&) {}
  virtual Visit enter_fragment_spread(const ast::Selection&) { return Visit::kContinue; }
  virtual Visit enter_inline_fragment(const ast::Selection&) { return Visit::kContinue; }
  // Called once per non-empty directive list, before its directives are entered.
  virtual void check_directives(const std::vector<ast::Directive>&, const DirectivesSite&) {}
  virtual Visit enter_directive(const ast::Directive&, std::string_view /*location*/) {
    return Visit::kContinue;
  }
  virtual void leave_directive(const ast::Directive&) {}
  virtual Visit enter_argument(const ast::Argument&) { return Visit::kContinue; }
  virtual Visit enter_value(const ast::Value&) { return Visit::kContinue; }
  virtual void leave_value(const ast::Value&) {}
  virtual Visit enter_object_field(const ast::ObjectField&) { return Visit::kContinue; }
  // A type name: in a variable type, a type condition, or a type system definition.
  virtual void enter_named_type(std::string_view, ast::Location, bool /*in_type_system*/) {}
};

}  // namespace surplus::graphql::detail
