// graphql-run: executes one GraphQL request against a schema built from SDL and a JSON root
// value, and prints the response. It is the test seam that compares this engine with
// graphql-js `graphql({schema: buildSchema(S), source, rootValue, variableValues,
// operationName})`.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>
#include <surplus/graphql/validation.hpp>

namespace graphql = surplus::graphql;

namespace {

constexpr int kBadInvocation = 2;

// Thrown for a problem with the invocation; the message goes to stderr.
struct InvocationError {
  std::string message;
};

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw InvocationError{"cannot read file " + path + ": check the path and permissions"};
  }
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

graphql::Json read_json(const std::string& path) {
  try {
    return graphql::Json::parse(read_file(path));
  } catch (const graphql::Json::parse_error& error) {
    throw InvocationError{"invalid JSON in " + path + ": " + error.what()};
  }
}

graphql::Schema load_schema(const std::string& path) {
  try {
    return graphql::build_schema(read_file(path));
  } catch (const graphql::SyntaxError& error) {
    throw InvocationError{"invalid schema " + path + " at line " +
                          std::to_string(error.location().line) + ", column " +
                          std::to_string(error.location().column) + ": " + error.what()};
  } catch (const graphql::SchemaError& error) {
    throw InvocationError{"invalid schema " + path + ":\n" + error.what()};
  }
}

// Parses, validates and executes; request errors give a response without `data`.
graphql::ExecutionResult run(const graphql::Schema& schema, const std::string& source,
                             const graphql::ValidationOptions& options,
                             graphql::ExecutionRequest request) {
  graphql::ExecutionResult result;
  graphql::ast::Document document;
  try {
    document = graphql::parse(source);
  } catch (const graphql::SyntaxError& error) {
    result.errors.push_back({error.what(), {error.location()}, std::nullopt, {}});
    return result;
  }
  result.errors = graphql::validate(schema, document, options);
  if (!result.errors.empty()) {
    return result;
  }
  request.schema = &schema;
  request.document = &document;
  return graphql::execute(request);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Execute a GraphQL request read from stdin and print the response JSON"};
  std::string schema_path;
  std::string root_path;
  std::string variables_path;
  std::string operation_name;
  app.add_option("--schema", schema_path, "SDL file that defines the schema")->required();
  app.add_option("--root", root_path, "JSON file with the root value")->required();
  app.add_option("--variables", variables_path, "JSON file with the variable values");
  app.add_option("--operation", operation_name, "name of the operation to execute");
  graphql::ValidationOptions options;
  auto& limits = options.limits;
  app.add_option("--max-depth", limits.max_depth, "maximum nesting of fields; 0 for no limit");
  app.add_option("--max-aliases", limits.max_aliases, "maximum number of aliases; 0 for no limit");
  app.add_option("--max-root-fields", limits.max_root_fields,
                 "maximum number of root fields; 0 for no limit");
  app.add_option("--max-cost", limits.max_cost, "maximum estimated cost; 0 for no limit");
  app.add_option("--default-list-size", limits.default_list_size,
                 "list size the cost estimate assumes without a first or last argument")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    const graphql::Schema schema = load_schema(schema_path);
    graphql::ExecutionRequest request;
    request.root_value = read_json(root_path);
    request.operation_name = operation_name;
    if (!variables_path.empty()) {
      request.variables = read_json(variables_path);
      if (!request.variables.is_object() && !request.variables.is_null()) {
        throw InvocationError{"variables in " + variables_path + " must be a JSON object"};
      }
    }
    const std::string source((std::istreambuf_iterator<char>(std::cin)),
                             std::istreambuf_iterator<char>());
    // Replacing invalid UTF-8 keeps a resolver's bad bytes from aborting the output.
    const graphql::Json response = run(schema, source, options, std::move(request)).to_json();
    std::cout << response.dump(-1, ' ', false, graphql::Json::error_handler_t::replace) << '\n';
    return 0;
  } catch (const InvocationError& error) {
    std::cerr << "graphql-run: " << error.message << '\n';
    return kBadInvocation;
  }
}
