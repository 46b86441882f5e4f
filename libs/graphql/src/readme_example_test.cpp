// The example of README.md, compiled and run, and a check that README.md still shows it.
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/async.hpp>
#include <surplus/graphql/data_loader.hpp>
#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::graphql {
namespace {

Json run_example() {
  // [example]
  Schema schema = build_schema(R"(
    type Query { offers(maxPrice: Float): [Offer!]! }
    type Offer { id: ID! title: String! price: Float! seller: Seller }
    type Seller { name: String! }
  )");

  // The offers come from a fixed list here. A service would query its database.
  const Json offers = Json::parse(R"([
    {"id": "1", "title": "Bread", "price": 2.5, "seller": {"name": "Bakery"}},
    {"id": "2", "title": "Soup", "price": 4.0, "seller": {"name": "Canteen"}}
  ])");
  schema.set_resolver(
      "Query", "offers",
      [&offers](const Json&, const Json& arguments, const ResolveInfo&) -> FieldResult {
        const auto max_price = arguments.find("maxPrice");
        Json matching = Json::array();
        for (const auto& offer : offers) {
          if (max_price == arguments.end() || max_price->is_null() ||
              offer["price"] <= *max_price) {
            matching.push_back(offer);
          }
        }
        return matching;
      });
  // Fields without a resolver read the member of the same name: title, seller, name.

  const ast::Document document =
      parse("query ($max: Float) { offers(maxPrice: $max) { title seller { name } } }");
  const std::vector<GraphQLError> errors = validate(schema, document);
  if (!errors.empty()) {
    throw std::runtime_error(errors.front().message);
  }
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.variables = Json{{"max", 3}};
  const Json response = execute(request).to_json();
  // {"data":{"offers":[{"title":"Bread","seller":{"name":"Bakery"}}]}}
  // [example]
  return response;
}

struct AsyncExampleResult {
  Json response;
  std::size_t batch_count;
};

AsyncExampleResult run_async_example() {
  // [async-example]
  Schema schema = build_schema(R"(
    type Query { offers: [Offer!]! }
    type Offer { id: ID! seller: Seller }
    type Seller { name: String! }
  )");

  // Stands for a client of another service: the batch function sends one request and
  // returns at once; the client's own thread completes the promise when the response arrives.
  std::vector<std::thread> requests;
  DataLoader<std::string> sellers(
      DataLoader<std::string>::AsyncBatch([&requests](const std::vector<std::string>& ids) {
        const Promise promise;
        requests.emplace_back([promise, ids] {
          Json sellers_by_id = Json::array();
          for (const auto& id : ids) {
            sellers_by_id.push_back(Json{{"name", "Seller " + id}});
          }
          promise.set_value(std::move(sellers_by_id));
        });
        return promise.get_future();
      }));
  schema.set_resolver("Offer", "seller",
                      [&sellers](const Json& offer, const Json&, const ResolveInfo&) {
                        return sellers.load(offer["sellerId"].get<std::string>());
                      });

  const ast::Document document = parse("{ offers { id seller { name } } }");
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.root_value = Json::parse(R"({"offers": [
    {"id": "1", "sellerId": "a"}, {"id": "2", "sellerId": "b"}, {"id": "3", "sellerId": "a"}
  ]})");
  // Blocks until the seller request completes; execute_async would return instead.
  const Json response = execute(request).to_json();
  for (auto& thread : requests) {
    thread.join();
  }
  // sellers.batch_count() is 1: one request for the keys "a" and "b".
  // [async-example]
  return {response, sellers.batch_count()};
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// The lines between the two `// [NAME]` markers, without their common indentation.
std::string example_source(const std::string& name) {
  const std::string source = read_file(SURPLUS_GRAPHQL_EXAMPLE_SOURCE);
  const std::string marker = "  // [" + name + "]\n";
  const std::size_t begin = source.find(marker) + marker.size();
  const std::size_t end = source.find(marker, begin);
  std::string text;
  std::size_t line_start = begin;
  while (line_start < end) {
    const std::size_t line_end = source.find('\n', line_start);
    std::string line = source.substr(line_start, line_end - line_start);
    text += (line.rfind("  ", 0) == 0 ? line.substr(2) : line) + "\n";
    line_start = line_end + 1;
  }
  return text;
}

TEST(ReadmeExample, ProducesDocumentedResponse) {
  EXPECT_EQ(run_example().dump(),
            R"({"data":{"offers":[{"title":"Bread","seller":{"name":"Bakery"}}]}})");
}

TEST(ReadmeExample, AsyncExampleBatchesOnce) {
  const AsyncExampleResult result = run_async_example();
  EXPECT_EQ(
      result.response.dump(),
      R"({"data":{"offers":[{"id":"1","seller":{"name":"Seller a"}},)"
      R"({"id":"2","seller":{"name":"Seller b"}},{"id":"3","seller":{"name":"Seller a"}}]}})");
  EXPECT_EQ(result.batch_count, 1u);
}

TEST(ReadmeExample, ReadmeShowsThisCode) {
  const std::string readme = read_file(SURPLUS_GRAPHQL_README);
  ASSERT_FALSE(readme.empty()) << "cannot read " << SURPLUS_GRAPHQL_README;
  for (const std::string name : {"example", "async-example"}) {
    EXPECT_NE(readme.find("```cpp\n" + example_source(name) + "```"), std::string::npos)
        << "README.md must show the " << name << " of readme_example_test.cpp verbatim:\n"
        << example_source(name);
  }
}

}  // namespace
}  // namespace surplus::graphql
