#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <surplus/graphql/validation.hpp>

namespace surplus::graphql::detail {

struct ValidationContext {
  ValidationContext(const Schema& schema_in, const ast::Document& document_in);

  void report(std::string message, std::vector<ast::Location> locations) {
    errors.push_back({std::move(message), std::move(locations), std::nullopt, Json::object()});
  }

  const Schema& schema;
  const ast::Document& document;
  std::map<std::string, const ast::FragmentDefinition*, std::less<>> fragments;
  std::vector<GraphQLError> errors;
};

// The rules of section 5 that graphql-js 16 lists in `specifiedRules`.
void run_document_rules(ValidationContext& context);

// ValidationLimits, checked on the operation with fragments expanded.
void run_limit_rules(ValidationContext& context, const ValidationLimits& limits);

}  // namespace surplus::graphql::detail
