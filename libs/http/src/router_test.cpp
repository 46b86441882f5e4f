#include <stdexcept>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/http/router.hpp>
#include <surplus/http/url.hpp>

namespace surplus::http {
namespace {

Request make_request(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = path;
  request.target = std::move(path);
  request.request_id = "test-request";
  return request;
}

Response echo_params(Request& request) {
  nlohmann::json params = request.path_params;
  return Response::json(params);
}

TEST(Router, MatchesPathParameters) {
  Router router;
  router.get("/users/{id}/orders/{order}", echo_params);
  auto request = make_request("GET", "/users/42/orders/a-7");
  auto response = router.handle(request);
  EXPECT_EQ(response.status, 200);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["id"], "42");
  EXPECT_EQ(body["order"], "a-7");
}

TEST(Router, LiteralSegmentBeatsParameter) {
  Router router;
  router.get("/users/{id}", [](Request&) { return Response::text("by id"); });
  router.get("/users/me", [](Request&) { return Response::text("me"); });
  auto me = make_request("GET", "/users/me");
  EXPECT_EQ(router.handle(me).body, "me");
  auto other = make_request("GET", "/users/7");
  EXPECT_EQ(router.handle(other).body, "by id");
}

// runs_inline() follows the route that handle() would take: HEAD takes the GET route, and
// a literal segment beats a parameter whatever their dispatch.
TEST(Router, RunsInlineFollowsTheChosenRoute) {
  Router router;
  const auto ok = [](Request&) { return Response::json({{"ok", true}}); };
  router.get("/healthz", ok, Dispatch::kInline);
  router.post("/healthz", ok);
  router.get("/items/{id}", ok, Dispatch::kInline);
  router.get("/items/special", ok);

  EXPECT_TRUE(router.runs_inline(make_request("GET", "/healthz")));
  EXPECT_TRUE(router.runs_inline(make_request("HEAD", "/healthz")));
  EXPECT_FALSE(router.runs_inline(make_request("POST", "/healthz")));
  EXPECT_TRUE(router.runs_inline(make_request("GET", "/items/42")));
  EXPECT_FALSE(router.runs_inline(make_request("GET", "/items/special")));
  EXPECT_FALSE(router.runs_inline(make_request("GET", "/unknown")));
}

TEST(Router, ParameterDoesNotMatchEmptySegment) {
  Router router;
  router.get("/users/{id}", echo_params);
  auto request = make_request("GET", "/users/");
  EXPECT_EQ(router.handle(request).status, 404);
}

TEST(Router, UnknownPathIsNotFoundProblem) {
  Router router;
  router.get("/offers", echo_params);
  auto request = make_request("GET", "/nothing/here");
  auto response = router.handle(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.get("content-type"), "application/problem+json");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["code"], "NOT_FOUND");
  EXPECT_EQ(body["status"], 404);
  EXPECT_EQ(body["title"], "Not Found");
  EXPECT_EQ(body["type"], "about:blank");
  EXPECT_EQ(body["instance"], "/nothing/here");
  EXPECT_EQ(body["detail"], "there is no resource at /nothing/here; check the path");
  EXPECT_FALSE(body.contains("errors"));
}

TEST(Router, WrongMethodIsMethodNotAllowedWithAllow) {
  Router router;
  router.get("/offers/{id}", echo_params);
  router.del("/offers/{id}", echo_params);
  auto request = make_request("POST", "/offers/1");
  auto response = router.handle(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.get("Allow"), "DELETE, GET, HEAD");
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "METHOD_NOT_ALLOWED");
}

TEST(Router, HeadUsesGetRoute) {
  Router router;
  router.get("/offers", [](Request&) { return Response::text("list"); });
  auto request = make_request("HEAD", "/offers");
  EXPECT_EQ(router.handle(request).status, 200);
}

TEST(Router, CoreErrorBecomesItsProblem) {
  Router router;
  router.post("/orders", [](Request&) -> Response {
    throw core::Error::validation("quantity", "must be at least 1")
        .with_field("offerId", "is required");
  });
  router.get("/busy", [](Request&) -> Response {
    throw core::Error(core::ErrorCode::kRateLimited, "slow down", "bucket user:7 empty")
        .with_retry_after(std::chrono::seconds(30));
  });
  auto request = make_request("POST", "/orders");
  auto response = router.handle(request);
  EXPECT_EQ(response.status, 400);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["code"], "VALIDATION_FAILED");
  EXPECT_EQ(body["detail"], "the request has invalid fields");
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][0]["field"], "quantity");
  EXPECT_EQ(body["errors"][1]["field"], "offerId");

  auto busy = make_request("GET", "/busy");
  auto limited = router.handle(busy);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.get("Retry-After"), "30");
  EXPECT_EQ(limited.body.find("bucket"), std::string::npos);
}

TEST(Router, OtherExceptionBecomesGenericInternal) {
  Router router;
  router.get("/boom", [](Request&) -> Response {
    throw std::runtime_error("secret connection string postgres://x:y@db");
  });
  auto request = make_request("GET", "/boom");
  auto response = router.handle(request);
  EXPECT_EQ(response.status, 500);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["code"], "INTERNAL");
  EXPECT_EQ(body["detail"], "an internal error occurred");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
}

TEST(Router, RejectsMalformedAndDuplicatePatterns) {
  Router router;
  EXPECT_THROW(router.get("users", echo_params), std::invalid_argument);
  EXPECT_THROW(router.get("/users/{}", echo_params), std::invalid_argument);
  EXPECT_THROW(router.get("/users/{id", echo_params), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{id}/b/{id}", echo_params), std::invalid_argument);
  router.get("/users/{id}", echo_params);
  EXPECT_THROW(router.get("/users/{id}", echo_params), std::invalid_argument);
}

TEST(Router, FindsWebSocketRoute) {
  Router router;
  router.websocket("/ws/{channel}", [](Request&) { return nullptr; });
  auto request = make_request("GET", "/ws/offers");
  auto route = router.find_websocket(request);
  ASSERT_NE(route.factory, nullptr);
  EXPECT_EQ(request.path_params.at("channel"), "offers");
  auto other = make_request("GET", "/elsewhere");
  EXPECT_EQ(router.find_websocket(other).factory, nullptr);
}

TEST(Router, PlainGetToWebSocketIsUpgradeRequired) {
  Router router;
  router.websocket("/ws", [](Request&) { return nullptr; });
  auto request = make_request("GET", "/ws");
  auto response = router.handle(request);
  EXPECT_EQ(response.status, 426);
  EXPECT_EQ(response.headers.get("Upgrade"), "websocket");
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "UPGRADE_REQUIRED");
  auto post = make_request("POST", "/ws");
  EXPECT_EQ(router.handle(post).status, 405);
}

TEST(Request, RemoteIpDropsThePort) {
  Request request;
  request.remote_address = "203.0.113.7:51234";
  EXPECT_EQ(request.remote_ip(), "203.0.113.7");
  request.remote_address = "[::1]:51234";
  EXPECT_EQ(request.remote_ip(), "::1");
  request.remote_address = "[2001:db8::5]:443";
  EXPECT_EQ(request.remote_ip(), "2001:db8::5");
}

TEST(RequestJson, ParsesJsonBody) {
  auto request = make_request("POST", "/x");
  request.headers.set("Content-Type", "application/json; charset=utf-8");
  request.body = R"({"a": 1})";
  EXPECT_EQ(request.json()["a"], 1);
}

TEST(RequestJson, RejectsMalformedBody) {
  auto request = make_request("POST", "/x");
  request.headers.set("Content-Type", "application/json");
  request.body = R"({"a": )";
  try {
    request.json();
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kBadRequest);
    EXPECT_NE(error.message().find("not valid JSON"), std::string::npos);
  }
}

TEST(RequestJson, RejectsDeepNestingBeforeParsing) {
  auto request = make_request("POST", "/x");
  request.headers.set("Content-Type", "application/json");
  request.body = R"({"a": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  try {
    request.json();
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kBadRequest);
    EXPECT_NE(error.message().find("deeper than 128 levels"), std::string::npos) << error.message();
  }
}

TEST(RequestJson, RejectsNumberOutOfRange) {
  auto request = make_request("POST", "/x");
  request.headers.set("Content-Type", "application/json");
  request.body = R"({"quantity": 1e400})";
  try {
    request.json();
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kBadRequest);
    EXPECT_NE(error.message().find("1e400"), std::string::npos) << error.message();
  }
}

TEST(RequestJson, RejectsWrongContentType) {
  auto request = make_request("POST", "/x");
  request.headers.set("Content-Type", "text/plain");
  request.body = "{}";
  try {
    request.json();
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnsupportedMedia);
    EXPECT_NE(error.message().find("text/plain"), std::string::npos);
  }
}

TEST(Url, DecodesAndEncodes) {
  EXPECT_EQ(percent_decode("a%20b+c"), "a b+c");
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("bad%2"), std::nullopt);
  EXPECT_EQ(percent_decode("bad%zz"), std::nullopt);
  EXPECT_EQ(percent_encode("a b/ü"), "a%20b%2F%C3%BC");
}

TEST(Url, ParsesQuery) {
  auto query = parse_query("tag=a&tag=b%26c&flag&name=J+Doe");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->count("tag"), 2u);
  EXPECT_EQ(query->find("flag")->second, "");
  EXPECT_EQ(query->find("name")->second, "J Doe");
  EXPECT_EQ(build_query({{"q", "a&b"}}), "q=a%26b");
}

TEST(Url, ParsesHttpUrls) {
  auto url = Url::parse("http://127.0.0.1:4002/offers?near=1");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 4002);
  EXPECT_EQ(url.target, "/offers?near=1");
  auto bare = Url::parse("http://offers");
  EXPECT_EQ(bare.port, 80);
  EXPECT_EQ(bare.target, "/");
  auto ipv6 = Url::parse("http://[::1]:8080");
  EXPECT_EQ(ipv6.host, "::1");
  EXPECT_EQ(ipv6.port, 8080);
  EXPECT_THROW(Url::parse("https://x"), core::Error);
  EXPECT_THROW(Url::parse("http://x:99999/"), core::Error);
  EXPECT_THROW(Url::parse("http://:80/"), core::Error);
}

TEST(Headers, AreCaseInsensitive) {
  Headers headers;
  headers.add("Set-Cookie", "a=1");
  headers.add("set-cookie", "b=2");
  EXPECT_EQ(headers.get("SET-COOKIE"), "a=1");
  EXPECT_EQ(headers.get_all("Set-Cookie").size(), 2u);
  headers.set("SET-cookie", "c=3");
  EXPECT_EQ(headers.size(), 1u);
  headers.remove("set-cookie");
  EXPECT_TRUE(headers.empty());
}

}  // namespace
}  // namespace surplus::http
