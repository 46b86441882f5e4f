#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>
#include <surplus/graphql/subscription.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::graphql {
namespace {

constexpr const char* kSchema = R"(
  type Query { unused: Int }
  type Subscription { offerPublished(maxPrice: Float): Offer }
  type Offer { id: ID! title: String price: Float }
)";

// A schema whose subscription root field streams the events of `queue`, recording the
// arguments it was called with.
struct OfferFeed {
  Schema schema = build_schema(kSchema);
  std::shared_ptr<EventQueue> queue = std::make_shared<EventQueue>();
  std::vector<Json> subscribe_arguments;

  OfferFeed() {
    schema.set_subscribe_resolver("Subscription", "offerPublished",
                                  [this](const Json&, const Json& arguments,
                                         const ResolveInfo&) -> std::shared_ptr<SourceStream> {
                                    subscribe_arguments.push_back(arguments);
                                    return queue;
                                  });
  }

  Subscription subscribe_to(const ast::Document& document, Json variables = Json::object()) {
    EXPECT_TRUE(validate(schema, document).empty());
    ExecutionRequest request;
    request.schema = &schema;
    request.document = &document;
    request.variables = std::move(variables);
    return subscribe(std::move(request));
  }
};

Json offer_event(const std::string& id) {
  return Json{{"offerPublished", {{"id", id}, {"title", "Bag " + id}, {"price", 3.5}}}};
}

TEST(Subscription, MapsEachEventToResponse) {
  OfferFeed feed;
  const ast::Document document = parse("subscription { offerPublished(maxPrice: 5) { id title } }");
  Subscription subscription = feed.subscribe_to(document);
  ASSERT_TRUE(subscription.stream.has_value());
  EXPECT_TRUE(subscription.result.errors.empty());
  ASSERT_EQ(feed.subscribe_arguments.size(), 1u);
  EXPECT_EQ(feed.subscribe_arguments[0], Json::parse(R"({"maxPrice":5.0})"));

  ASSERT_TRUE(feed.queue->push(offer_event("1")));
  ASSERT_TRUE(feed.queue->push(offer_event("2")));
  feed.queue->end();

  std::optional<ExecutionResult> first = subscription.stream->next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(std::move(*first).to_json().dump(),
            R"({"data":{"offerPublished":{"id":"1","title":"Bag 1"}}})");
  std::optional<ExecutionResult> second = subscription.stream->next();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ((*second).data.value()["offerPublished"]["id"], "2");
  EXPECT_FALSE(subscription.stream->next().has_value());
}

TEST(Subscription, ErrorInOneEventKeepsStream) {
  OfferFeed feed;
  const ast::Document document = parse("subscription { offerPublished { id title } }");
  Subscription subscription = feed.subscribe_to(document);
  ASSERT_TRUE(subscription.stream.has_value());

  ASSERT_TRUE(feed.queue->push(Json{{"offerPublished", {{"title", "no id"}}}}));
  ASSERT_TRUE(feed.queue->push(offer_event("3")));

  const Json failed = subscription.stream->next().value().to_json();
  EXPECT_TRUE(failed["data"]["offerPublished"].is_null());
  ASSERT_EQ(failed["errors"].size(), 1u);
  EXPECT_EQ(failed["errors"][0]["path"], Json::parse(R"(["offerPublished","id"])"));
  const Json next = subscription.stream->next().value().to_json();
  EXPECT_FALSE(next.contains("errors"));
  EXPECT_EQ(next["data"]["offerPublished"]["id"], "3");
}

TEST(Subscription, SkippedRootFieldIsRequestError) {
  OfferFeed feed;
  const ast::Document document =
      parse("subscription ($quiet: Boolean!) { offerPublished @skip(if: $quiet) { id } }");

  Subscription skipped = feed.subscribe_to(document, Json{{"quiet", true}});
  EXPECT_FALSE(skipped.stream.has_value());
  EXPECT_TRUE(feed.subscribe_arguments.empty());
  const Json response = skipped.result.to_json();
  EXPECT_FALSE(response.contains("data"));
  ASSERT_EQ(response["errors"].size(), 1u);
  EXPECT_EQ(response["errors"][0]["locations"], Json::parse(R"([{"line":1,"column":1}])"));

  Subscription kept = feed.subscribe_to(document, Json{{"quiet", false}});
  ASSERT_TRUE(kept.stream.has_value());
  ASSERT_TRUE(feed.queue->push(offer_event("4")));
  EXPECT_EQ(kept.stream->next().value().data.value()["offerPublished"]["id"], "4");
}

TEST(Subscription, SubscribeResolverErrorIsFieldError) {
  Schema schema = build_schema(kSchema);
  schema.set_subscribe_resolver(
      "Subscription", "offerPublished",
      [](const Json&, const Json&, const ResolveInfo&) -> std::shared_ptr<SourceStream> {
        throw std::runtime_error("channel offers is not available");
      });
  const ast::Document document = parse("subscription { latest: offerPublished { id } }");
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;

  Subscription subscription = subscribe(std::move(request));

  EXPECT_FALSE(subscription.stream.has_value());
  const Json response = subscription.result.to_json();
  EXPECT_FALSE(response.contains("data"));
  EXPECT_EQ(response["errors"][0]["message"], "channel offers is not available");
  EXPECT_EQ(response["errors"][0]["path"], Json::parse(R"(["latest"])"));
  EXPECT_EQ(response["errors"][0]["locations"], Json::parse(R"([{"line":1,"column":16}])"));
}

TEST(Subscription, MissingSubscribeResolverIsFieldError) {
  const Schema schema = build_schema(kSchema);
  const ast::Document document = parse("subscription { offerPublished { id } }");
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;

  const Subscription subscription = subscribe(std::move(request));

  EXPECT_FALSE(subscription.stream.has_value());
  ASSERT_EQ(subscription.result.errors.size(), 1u);
  EXPECT_TRUE(subscription.result.errors[0].path.has_value());
}

TEST(Subscription, InvalidVariableIsRequestError) {
  OfferFeed feed;
  const ast::Document document =
      parse("subscription ($max: Float) { offerPublished(maxPrice: $max) { id } }");

  const Subscription subscription = feed.subscribe_to(document, Json{{"max", "cheap"}});

  EXPECT_FALSE(subscription.stream.has_value());
  ASSERT_EQ(subscription.result.errors.size(), 1u);
  EXPECT_FALSE(subscription.result.errors[0].path.has_value());
  EXPECT_TRUE(feed.subscribe_arguments.empty());
}

TEST(Subscription, QueryOperationIsRejected) {
  OfferFeed feed;
  const ast::Document document = parse("{ unused }");

  const Subscription subscription = feed.subscribe_to(document);

  EXPECT_FALSE(subscription.stream.has_value());
  ASSERT_EQ(subscription.result.errors.size(), 1u);
}

TEST(Subscription, EventsFromAnotherThread) {
  OfferFeed feed;
  const ast::Document document = parse("subscription { offerPublished { id } }");
  Subscription subscription = feed.subscribe_to(document);
  ASSERT_TRUE(subscription.stream.has_value());
  std::vector<std::string> received;
  bool ended = false;
  // Requests one response at a time, each from the callback of the previous one.
  std::function<void()> request_next = [&] {
    subscription.stream->next([&](std::optional<ExecutionResult> response) {
      if (!response) {
        ended = true;
        return;
      }
      received.push_back(response->data.value()["offerPublished"]["id"].get<std::string>());
      request_next();
    });
  };
  request_next();

  std::thread producer([&feed] {
    for (int i = 0; i < 20; ++i) {
      while (!feed.queue->push(offer_event(std::to_string(i)))) {
        std::this_thread::yield();
      }
    }
    feed.queue->end();
  });
  producer.join();

  ASSERT_TRUE(ended);
  ASSERT_EQ(received.size(), 20u);
  EXPECT_EQ(received.front(), "0");
  EXPECT_EQ(received.back(), "19");
}

TEST(Subscription, CloseEndsTheStream) {
  OfferFeed feed;
  const ast::Document document = parse("subscription { offerPublished { id } }");
  Subscription subscription = feed.subscribe_to(document);
  ASSERT_TRUE(subscription.stream.has_value());
  std::optional<std::optional<ExecutionResult>> outcome;
  subscription.stream->next(
      [&outcome](std::optional<ExecutionResult> response) { outcome = std::move(response); });
  EXPECT_FALSE(outcome.has_value());

  subscription.stream->close();

  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->has_value());
  EXPECT_FALSE(feed.queue->push(offer_event("5")));
  EXPECT_FALSE(subscription.stream->next().has_value());
}

TEST(EventQueue, RejectsEventsBeyondCapacity) {
  EventQueue queue(2);
  EXPECT_TRUE(queue.push(1));
  EXPECT_TRUE(queue.push(2));
  EXPECT_FALSE(queue.push(3));
  std::optional<Json> event;
  queue.next([&event](std::optional<Json> value) { event = std::move(value); });
  EXPECT_EQ(event, Json(1));
  EXPECT_TRUE(queue.push(3));
}

}  // namespace
}  // namespace surplus::graphql
