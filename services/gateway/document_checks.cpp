#include "document_checks.hpp"

namespace surplus::gateway {
namespace {

bool selects_introspection(const std::vector<graphql::ast::Selection>& selections) {
  for (const auto& selection : selections) {
    if (selection.kind == graphql::ast::Selection::Kind::kField &&
        (selection.name == "__schema" || selection.name == "__type")) {
      return true;
    }
    if (selects_introspection(selection.selections)) {
      return true;
    }
  }
  return false;
}

}  // namespace

const graphql::ast::OperationDefinition* selected_operation(const graphql::ast::Document& document,
                                                            const std::string& name) {
  const graphql::ast::OperationDefinition* selected = nullptr;
  for (const auto& definition : document.definitions) {
    const auto* operation = std::get_if<graphql::ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    if (name.empty()) {
      if (selected != nullptr) {
        return nullptr;
      }
      selected = operation;
    } else if (operation->name == name) {
      return operation;
    }
  }
  return selected;
}

bool uses_introspection(const graphql::ast::Document& document) {
  for (const auto& definition : document.definitions) {
    if (const auto* operation = std::get_if<graphql::ast::OperationDefinition>(&definition)) {
      if (selects_introspection(operation->selections)) {
        return true;
      }
    } else if (const auto* fragment = std::get_if<graphql::ast::FragmentDefinition>(&definition)) {
      if (selects_introspection(fragment->selections)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace surplus::gateway
