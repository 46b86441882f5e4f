#pragma once

#include <optional>
#include <string>
#include <vector>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/resolver.hpp>

namespace surplus::graphql {

// An entry of the `errors` list of a response (section 7.1.2).
struct GraphQLError {
  std::string message;
  std::vector<ast::Location> locations;
  // Response path of the field that failed; absent for request errors.
  std::optional<std::vector<PathElement>> path;
  Json extensions = Json::object();

  // Members in the order graphql-js prints them: message, locations, path, extensions.
  Json to_json() const;
};

}  // namespace surplus::graphql
