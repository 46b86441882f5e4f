#pragma once

#include <vector>

#include <surplus/graphql/schema.hpp>

namespace surplus::graphql::detail {

// The schema types that apply at the current node of a document walk: the output type
// of the enclosing field, the composite type of the enclosing selection set, and the
// input type expected by the value being visited. Entries are nullptr where the document
// names something the schema does not define, so rules can skip checks that another rule
// already reports. Mirrors graphql-js TypeInfo, which decides the exact set of errors the
// differential test compares.
class TypeInfo {
 public:
  TypeInfo() {
    // Deep enough for most documents, so a walk rarely grows a stack.
    constexpr std::size_t kTypicalDepth = 16;
    types_.reserve(kTypicalDepth);
    parent_types_.reserve(kTypicalDepth);
    fields_.reserve(kTypicalDepth);
    input_types_.reserve(kTypicalDepth);
    defaults_.reserve(kTypicalDepth);
  }

  // Output type of the current field, inline fragment, fragment or operation.
  const Type* type() const { return top(types_); }
  // Named composite type whose selection set contains the current node.
  const Type* parent_type() const { return top(parent_types_); }
  const Field* field_definition() const { return top(fields_); }
  // Input type expected at the current value, argument or variable definition.
  const Type* input_type() const { return top(input_types_); }
  // Input type of the value that contains the current one (the list or input object).
  const Type* parent_input_type() const {
    return input_types_.size() < 2 ? nullptr : input_types_[input_types_.size() - 2];
  }
  // Whether the current argument or input field position declares a default value.
  bool has_default_value() const { return !defaults_.empty() && defaults_.back(); }
  const DirectiveType* directive() const { return directive_; }
  const InputValue* argument() const { return argument_; }

 private:
  friend class DocumentWalker;

  template <typename T>
  static T top(const std::vector<T>& stack) {
    return stack.empty() ? nullptr : stack.back();
  }

  std::vector<const Type*> types_;
  std::vector<const Type*> parent_types_;
  std::vector<const Field*> fields_;
  std::vector<const Type*> input_types_;
  std::vector<bool> defaults_;
  const DirectiveType* directive_ = nullptr;
  const InputValue* argument_ = nullptr;
};

}  // namespace surplus::graphql::detail
