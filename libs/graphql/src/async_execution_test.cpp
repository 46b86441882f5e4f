#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/async.hpp>
#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {
namespace {

// Runs `query` with execute_async and keeps the response once it arrives.
class AsyncRun {
 public:
  AsyncRun(const Schema& schema, std::string_view query) : document_(parse(query)) {
    ExecutionRequest request;
    request.schema = &schema;
    request.document = &document_;
    execute_async(std::move(request),
                  [this](ExecutionResult result) { response_ = std::move(result).to_json(); });
  }

  const std::optional<Json>& response() const { return response_; }

 private:
  ast::Document document_;
  std::optional<Json> response_;
};

// Resolvers that return a pending Future and record their calls; the test completes them.
struct PendingFields {
  std::vector<std::string> started;
  std::vector<Promise> promises;

  Resolver field(std::string name) {
    return [this, name](const Json&, const Json&, const ResolveInfo&) -> FieldResult {
      started.push_back(name);
      promises.emplace_back();
      return FieldResult::pending(promises.back().get_future());
    };
  }
};

TEST(AsyncExecution, QueryFieldsStartBeforeAnyIsAwaited) {
  Schema schema = build_schema("type Query { a: String b: String c: Int }");
  PendingFields fields;
  schema.set_resolver("Query", "a", fields.field("a"));
  schema.set_resolver("Query", "b", fields.field("b"));

  AsyncRun run(schema, "{ a b c }");
  EXPECT_FALSE(run.response().has_value());
  EXPECT_EQ(fields.started, (std::vector<std::string>{"a", "b"}));

  fields.promises[1].set_value("from b");
  EXPECT_FALSE(run.response().has_value());
  fields.promises[0].set_value("from a");

  ASSERT_TRUE(run.response().has_value());
  EXPECT_EQ(run.response()->dump(), R"({"data":{"a":"from a","b":"from b","c":null}})");
}

TEST(AsyncExecution, MutationFieldsRunInOrder) {
  Schema schema = build_schema(R"(
    type Query { unused: Int }
    type Mutation { first: Step second: Step }
    type Step { name: String detail: String }
  )");
  PendingFields fields;
  schema.set_resolver("Mutation", "first", fields.field("first"));
  schema.set_resolver("Mutation", "second", fields.field("second"));
  schema.set_resolver("Step", "detail", fields.field("detail"));

  AsyncRun run(schema, "mutation { first { detail } second { name } }");
  EXPECT_EQ(fields.started, (std::vector<std::string>{"first"}));
  fields.promises[0].set_value(Json{{"name", "one"}});
  // The second field waits until the first is complete, its nested field included.
  EXPECT_EQ(fields.started, (std::vector<std::string>{"first", "detail"}));
  fields.promises[1].set_value("detail of one");
  EXPECT_EQ(fields.started, (std::vector<std::string>{"first", "detail", "second"}));
  fields.promises[2].set_value(Json{{"name", "two"}});

  ASSERT_TRUE(run.response().has_value());
  EXPECT_EQ(run.response()->dump(),
            R"({"data":{"first":{"detail":"detail of one"},"second":{"name":"two"}}})");
}

TEST(AsyncExecution, FailedMutationFieldStopsLaterFields) {
  Schema schema = build_schema(R"(
    type Query { unused: Int }
    type Mutation { first: Int! second: Int }
  )");
  PendingFields fields;
  schema.set_resolver("Mutation", "first", fields.field("first"));
  schema.set_resolver("Mutation", "second", fields.field("second"));

  AsyncRun run(schema, "mutation { first second }");
  fields.promises[0].set_exception(std::make_exception_ptr(std::runtime_error("sold out")));

  ASSERT_TRUE(run.response().has_value());
  EXPECT_EQ(fields.started, (std::vector<std::string>{"first"}));
  EXPECT_TRUE((*run.response())["data"].is_null());
  EXPECT_EQ((*run.response())["errors"][0]["message"], "sold out");
  EXPECT_EQ((*run.response())["errors"][0]["path"], Json::parse(R"(["first"])"));
}

TEST(AsyncExecution, FailedFutureBecomesFieldError) {
  Schema schema = build_schema("type Query { a: String b: String }");
  PendingFields fields;
  schema.set_resolver("Query", "a", fields.field("a"));

  AsyncRun run(schema, "{ a b }");
  fields.promises[0].set_exception(std::make_exception_ptr(std::runtime_error("timed out")));

  ASSERT_TRUE(run.response().has_value());
  EXPECT_EQ((*run.response())["errors"][0]["message"], "timed out");
  EXPECT_EQ((*run.response())["errors"][0]["locations"], Json::parse(R"([{"line":1,"column":3}])"));
  EXPECT_EQ((*run.response())["data"], Json::parse(R"({"a":null,"b":null})"));
}

TEST(AsyncExecution, NullFromFutureNullsParentAndDropsSiblings) {
  Schema schema = build_schema(R"(
    type Query { items: [Item] }
    type Item { id: ID! note: String }
  )");
  PendingFields fields;
  schema.set_resolver("Item", "id", fields.field("id"));
  schema.set_resolver("Item", "note", fields.field("note"));

  const Json root = Json::parse(R"({"items": [{}, {}]})");
  const ast::Document document = parse("{ items { id note } }");
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.root_value = root;
  std::optional<Json> response;
  execute_async(std::move(request),
                [&response](ExecutionResult result) { response = std::move(result).to_json(); });

  ASSERT_EQ(fields.promises.size(), 4u);
  fields.promises[0].set_value(nullptr);  // items[0].id is non-null
  fields.promises[1].set_value("dropped with its item");
  fields.promises[2].set_value("i2");
  fields.promises[3].set_value("kept");

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ((*response)["data"].dump(), R"({"items":[null,{"id":"i2","note":"kept"}]})");
  ASSERT_EQ((*response)["errors"].size(), 1u);
  EXPECT_EQ((*response)["errors"][0]["path"], Json::parse(R"(["items",0,"id"])"));
}

TEST(AsyncExecution, DeferredAsyncStartsAfterTheStep) {
  Schema schema = build_schema("type Query { a: Int b: Int }");
  std::vector<std::string> events;
  std::vector<Promise> promises;
  for (const char* name : {"a", "b"}) {
    schema.set_resolver("Query", name,
                        [&, field = std::string(name)](const Json&, const Json&,
                                                       const ResolveInfo&) -> FieldResult {
                          events.push_back("resolve " + field);
                          return FieldResult::deferred_async([&, field] {
                            events.push_back("start " + field);
                            promises.emplace_back();
                            return promises.back().get_future();
                          });
                        });
  }

  AsyncRun run(schema, "{ a b }");
  EXPECT_EQ(events, (std::vector<std::string>{"resolve a", "resolve b", "start a", "start b"}));
  promises[0].set_value(1);
  promises[1].set_value(2);

  ASSERT_TRUE(run.response().has_value());
  EXPECT_EQ(run.response()->dump(), R"({"data":{"a":1,"b":2}})");
}

// Worker threads complete the promises while execute() blocks. Each worker finishes only
// after both resolvers were called, so the recorded order shows that the second field
// started before the executor waited for the first. The wait for the other start gives up
// after 30 seconds so that a broken executor fails the test instead of hanging it.
TEST(AsyncExecution, BlockingExecuteOverlapsSlowFields) {
  Schema schema = build_schema("type Query { a: String b: String }");
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> events;
  std::vector<std::thread> workers;
  const auto record = [&](const std::string& event) {
    const std::lock_guard lock(mutex);
    events.push_back(event);
    changed.notify_all();
  };
  for (const char* name : {"a", "b"}) {
    schema.set_resolver(
        "Query", name,
        [&, field = std::string(name)](const Json&, const Json&, const ResolveInfo&) {
          record("start " + field);
          Promise promise;
          workers.emplace_back([&, field, promise] {
            {
              std::unique_lock lock(mutex);
              changed.wait_for(lock, std::chrono::seconds(30), [&] { return events.size() >= 2; });
            }
            record("finish " + field);
            promise.set_value("value of " + field);
          });
          return FieldResult::pending(promise.get_future());
        });
  }

  const ast::Document document = parse("{ a b }");
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  const Json response = execute(request).to_json();
  for (auto& worker : workers) {
    worker.join();
  }

  EXPECT_EQ(response.dump(), R"({"data":{"a":"value of a","b":"value of b"}})");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0], "start a");
  EXPECT_EQ(events[1], "start b");
}

TEST(Future, CallbackRunsOnceWhenCompleted) {
  Promise promise;
  const Future future = promise.get_future();
  int calls = 0;
  future.on_ready([&calls] { ++calls; });
  EXPECT_FALSE(future.is_ready());
  EXPECT_EQ(calls, 0);

  promise.set_value(7);

  EXPECT_EQ(calls, 1);
  EXPECT_EQ(future.get(), 7);
  future.on_ready([&calls] { ++calls; });
  EXPECT_EQ(calls, 2);
  EXPECT_THROW(promise.set_value(8), std::logic_error);
}

}  // namespace
}  // namespace surplus::graphql
