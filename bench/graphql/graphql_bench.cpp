// Parse, validate and execute GraphQL requests with Google Benchmark. compare.mjs writes the
// cases and runs graphql-js on the same ones; see bench/graphql/run.
//
// Usage: graphql_bench CASES_DIR [--responses] [--benchmark_... options]
// Besides each case NAME (a complete request), NAME/parse and NAME/parse+validate measure
// the first stages alone.
// CASES_DIR contains schema.graphql and, for each case NAME, NAME.graphql, NAME.root.json
// and NAME.variables.json. With --responses the program prints the response of each case
// as one JSON object by case name instead of measuring.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>

#include <benchmark/benchmark.h>

#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>
#include <surplus/graphql/validation.hpp>

namespace graphql = surplus::graphql;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string source;
  graphql::Json root;
  graphql::Json variables;
};

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// One complete request: parse, validate, execute and build the response object, as
// graphql-js graphqlSync does.
graphql::Json run_request(const graphql::Schema& schema, const Case& request_case,
                          graphql::ExecutionRequest& request) {
  const graphql::ast::Document document = graphql::parse(request_case.source);
  auto errors = graphql::validate(schema, document);
  if (!errors.empty()) {
    graphql::ExecutionResult result;
    result.errors = std::move(errors);
    return result.to_json();
  }
  request.document = &document;
  return graphql::execute(request).to_json();
}

void measure(benchmark::State& state, const graphql::Schema* schema, const Case* request_case) {
  graphql::ExecutionRequest request;
  request.schema = schema;
  request.root_value = request_case->root;
  request.variables = request_case->variables;
  const graphql::Json first = run_request(*schema, *request_case, request);
  if (first.contains("errors")) {
    state.SkipWithError(first["errors"].dump().c_str());
    return;
  }
  for (auto _ : state) {
    graphql::Json response = run_request(*schema, *request_case, request);
    benchmark::DoNotOptimize(response);
  }
}

// The parse and parse+validate stages alone, to show where the time of a request goes.
void measure_parse(benchmark::State& state, const Case* request_case) {
  for (auto _ : state) {
    graphql::ast::Document document = graphql::parse(request_case->source);
    benchmark::DoNotOptimize(document);
  }
}

void measure_validate(benchmark::State& state, const graphql::Schema* schema,
                      const Case* request_case) {
  for (auto _ : state) {
    const graphql::ast::Document document = graphql::parse(request_case->source);
    auto errors = graphql::validate(*schema, document);
    benchmark::DoNotOptimize(errors);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const bool print_responses = argc == 3 && std::string(argv[2]) == "--responses";
  if (argc != 2 && !print_responses) {
    std::cerr << "usage: graphql_bench CASES_DIR [--responses] [--benchmark_... options]\n";
    return 2;
  }
  const fs::path directory = argv[1];
  static const graphql::Schema schema =
      graphql::build_schema(read_file(directory / "schema.graphql"));

  static std::map<std::string, Case> cases;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const fs::path& path = entry.path();
    if (path.extension() != ".graphql" || path.stem() == "schema") {
      continue;
    }
    const std::string name = path.stem().string();
    const fs::path base = directory / name;
    cases[name] =
        Case{read_file(path), graphql::Json::parse(read_file(base.string() + ".root.json")),
             graphql::Json::parse(read_file(base.string() + ".variables.json"))};
  }

  if (print_responses) {
    graphql::Json responses = graphql::Json::object();
    for (const auto& [name, request_case] : cases) {
      graphql::ExecutionRequest request;
      request.schema = &schema;
      request.root_value = request_case.root;
      request.variables = request_case.variables;
      responses[name] = run_request(schema, request_case, request);
    }
    std::cout << responses.dump() << '\n';
    return 0;
  }
  for (const auto& [name, request_case] : cases) {
    benchmark::RegisterBenchmark(name.c_str(), measure, &schema, &request_case)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((name + "/parse").c_str(), measure_parse, &request_case)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((name + "/parse+validate").c_str(), measure_validate, &schema,
                                 &request_case)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
