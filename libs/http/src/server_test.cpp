#include <atomic>
#include <csignal>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>
#include <surplus/http/server.hpp>

#include "raw_socket_testing.hpp"

namespace surplus::http {
namespace {

using namespace std::chrono_literals;
using testing::get_request;
using testing::RawSocket;

ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.worker_threads = 2;
  options.service_name = "http-test";
  return options;
}

Router sample_router() {
  Router router;
  router.get("/items/{id}", [](Request& request) {
    return Response::json({{"id", request.path_param("id")},
                           {"q", request.query_param("q").value_or("")},
                           {"request_id", request.request_id}});
  });
  router.post("/echo", [](Request& request) { return Response::json(request.json()); });
  router.get("/boom", [](Request&) -> Response { throw std::runtime_error("database exploded"); });
  router.get("/missing", [](Request&) -> Response { throw core::Error::not_found("offer 9"); });
  return router;
}

TEST(Server, ServesRouteWithPathAndQuery) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/items/a%20b?q=x+y"));
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 200);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["id"], "a b");
  EXPECT_EQ(body["q"], "x y");
}

// With one worker busy, the second request waits in the queue; received_at marks when it
// was read, not when a worker took it.
TEST(Server, ReceivedAtIsBeforeTheWaitForAWorker) {
  ServerOptions options = test_options();
  options.worker_threads = 1;
  Router router;
  router.get("/slow", [](Request&) {
    std::this_thread::sleep_for(400ms);
    return Response::json({{"slept", true}});
  });
  router.get("/waited", [](Request& request) {
    const auto waited = std::chrono::steady_clock::now() - request.received_at;
    return Response::json(
        {{"waited_ms", std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()}});
  });
  Server server(options, std::move(router));
  server.start();

  RawSocket slow(server.port());
  slow.send(get_request("/slow"));
  std::this_thread::sleep_for(50ms);
  RawSocket waiting(server.port());
  waiting.send(get_request("/waited"));

  auto response = waiting.read_response();
  ASSERT_EQ(response.status, 200);
  const long waited_ms = nlohmann::json::parse(response.body)["waited_ms"].get<long>();
  EXPECT_GE(waited_ms, 200);
  // An unset received_at would count from the clock's epoch, hours ago.
  EXPECT_LT(waited_ms, 10'000);
  EXPECT_EQ(slow.read_response().status, 200);
}

// With the only worker blocked, the liveness probe and the metrics still respond, because
// they run on the I/O thread. A route on the workers waits.
TEST(Server, HealthAnswersWhileEveryWorkerWaits) {
  ServerOptions options = test_options();
  options.worker_threads = 1;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> blocked_returned = false;
  Router router;
  router.get("/blocked", [released, &blocked_returned](Request&) {
    released.wait_for(10s);
    blocked_returned = true;
    return Response::json({{"blocked", false}});
  });
  Server server(options, std::move(router));
  server.start();

  RawSocket blocked(server.port());
  blocked.send(get_request("/blocked"));
  std::this_thread::sleep_for(50ms);
  RawSocket probe(server.port());
  probe.send(get_request("/healthz"));
  const auto health = probe.read_response();
  probe.send(get_request("/metrics"));
  const auto metrics = probe.read_response();
  RawSocket queued(server.port());
  queued.send(get_request("/readyz"));
  const auto ready_early = queued.receive(200ms);

  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_FALSE(ready_early.has_value()) << "/readyz should wait for the worker";
  EXPECT_FALSE(blocked_returned.load());
  release.set_value();
  EXPECT_EQ(blocked.read_response().status, 200);
  EXPECT_TRUE(blocked_returned.load());
}

TEST(Server, KeepsConnectionAlive) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  for (int i = 0; i < 3; ++i) {
    socket.send(get_request("/items/" + std::to_string(i)));
    auto response = socket.read_response();
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(nlohmann::json::parse(response.body)["id"], std::to_string(i));
  }
}

TEST(Server, EchoesSaneRequestId) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/items/1", "X-Request-Id: trace-42.a_b\r\n"));
  auto response = socket.read_response();
  EXPECT_EQ(response.headers["x-request-id"], "trace-42.a_b");
  EXPECT_EQ(nlohmann::json::parse(response.body)["request_id"], "trace-42.a_b");

  socket.send(get_request("/items/1", "X-Request-Id: not sane!\r\n"));
  auto replaced = socket.read_response();
  EXPECT_TRUE(core::is_uuid(replaced.headers["x-request-id"])) << replaced.headers["x-request-id"];

  socket.send(get_request("/items/1", "X-Request-Id: " + std::string(65, 'a') + "\r\n"));
  EXPECT_TRUE(core::is_uuid(socket.read_response().headers["x-request-id"]));
}

TEST(Server, MapsExceptionsToProblems) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/boom"));
  auto internal = socket.read_response();
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.headers["content-type"], "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(internal.body)["code"], "INTERNAL");
  EXPECT_EQ(internal.body.find("exploded"), std::string::npos);

  socket.send(get_request("/missing"));
  auto missing = socket.read_response();
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing.body)["detail"], "offer 9 was not found");
  EXPECT_EQ(nlohmann::json::parse(missing.body)["instance"], "/missing");
}

TEST(Server, RejectsTransferCodingOtherThanChunked) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip\r\n"
      "Content-Length: 2\r\n\r\n{}");
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(nlohmann::json::parse(response.body)["detail"],
            "Transfer-Encoding 'gzip' is not supported; send the body with Content-Length or as "
            "chunked");
}

TEST(Server, AnswersHeadWithoutBody) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send("HEAD /healthz HTTP/1.1\r\nHost: test\r\n\r\n");
  auto response = socket.read_response(true);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["content-length"], "15");
  socket.send(get_request("/healthz"));
  EXPECT_EQ(socket.read_response().body, R"({"status":"ok"})");
}

TEST(Server, RejectsOversizedBodyWith413) {
  auto options = test_options();
  options.max_body_bytes = 1024;
  Server server(options, sample_router());
  server.start();
  RawSocket socket(server.port());
  std::string body(4096, 'x');
  socket.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 4096\r\n\r\n" +
      body);
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(response.headers["connection"], "close");
  EXPECT_TRUE(socket.closed_within(5s));
}

TEST(Server, RejectsOversizedHeadersWith431) {
  auto options = test_options();
  options.max_header_bytes = 1024;
  Server server(options, sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/items/1", "X-Padding: " + std::string(2048, 'p') + "\r\n"));
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "HEADERS_TOO_LARGE");
  EXPECT_TRUE(socket.closed_within(5s));
}

TEST(Server, SendsContinueBeforeBody) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(socket.read_response().status, 100);
  socket.send(R"({"a":1})");
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"a":1})");
}

TEST(Server, RejectsMalformedJsonBody) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 5\r\n\r\n{\"a\":");
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "BAD_REQUEST");
}

TEST(Server, ClosesSlowClientAfterReadTimeout) {
  auto options = test_options();
  options.read_timeout = 300ms;
  Server server(options, sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send("GET /items/1 HTTP/1.1\r\nHost: te");
  auto data = socket.receive(10s);
  ASSERT_TRUE(data.has_value()) << "the server did not close the slow connection";
  EXPECT_EQ(*data, "") << "expected a close without a response";
}

TEST(Server, ClosesConnectionsAboveMaximum) {
  auto options = test_options();
  options.max_connections = 1;
  Server server(options, sample_router());
  server.start();
  RawSocket first(server.port());
  first.send(get_request("/healthz"));
  ASSERT_EQ(first.read_response().status, 200);
  RawSocket second(server.port());
  EXPECT_TRUE(second.closed_within(5s));
  first.send(get_request("/healthz"));
  EXPECT_EQ(first.read_response().status, 200);
}

TEST(Server, ReportsReadiness) {
  std::atomic<bool> ready{true};
  Server server(test_options(), sample_router(), [&ready]() -> std::optional<std::string> {
    if (ready) {
      return std::nullopt;
    }
    return "database is unreachable";
  });
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/readyz"));
  auto ok = socket.read_response();
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["status"], "ready");

  ready = false;
  socket.send(get_request("/readyz"));
  auto not_ready = socket.read_response();
  EXPECT_EQ(not_ready.status, 503);
  auto body = nlohmann::json::parse(not_ready.body);
  EXPECT_EQ(body["code"], "UNAVAILABLE");
  EXPECT_EQ(body["detail"], "database is unreachable");
}

TEST(Server, ReadinessCheckThatThrowsIsNotReady) {
  Server server(test_options(), sample_router(), []() -> std::optional<std::string> {
    throw std::runtime_error("migrations table missing");
  });
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/readyz"));
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body.find("migrations"), std::string::npos);
}

TEST(Server, ServesMetrics) {
  Server server(test_options(), sample_router());
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/items/1"));
  ASSERT_EQ(socket.read_response().status, 200);
  socket.send(get_request("/metrics"));
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("http_requests_total{method=\"GET\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(response.body.find("http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(response.body.find("http_open_connections"), std::string::npos);
}

TEST(Server, FinishesInFlightRequestOnStop) {
  std::promise<void> handler_started;
  Router router;
  router.get("/slow", [&handler_started](Request&) {
    handler_started.set_value();
    std::this_thread::sleep_for(300ms);
    return Response::text("done");
  });
  Server server(test_options(), std::move(router));
  server.start();
  auto port = server.port();
  RawSocket socket(port);
  RawSocket idle(port);
  socket.send(get_request("/slow"));
  handler_started.get_future().wait();

  server.stop();
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(response.headers["connection"], "close");
  EXPECT_TRUE(idle.closed_within(1s));
  EXPECT_THROW(RawSocket refused(port), std::runtime_error);
}

// Whether a handler other than SIG_IGN is installed for `signal_number`.
bool signal_handler_installed(int signal_number) {
  struct sigaction current {};
  sigaction(signal_number, nullptr, &current);
  return current.sa_handler != SIG_IGN;
}

TEST(Server, RunReturnsOnSigterm) {
  // SIGTERM is ignored until run() installs its handler, and raised once after that: Asio
  // restores the default action (which ends the process) when run() returns.
  std::signal(SIGTERM, SIG_IGN);
  Server server(test_options(), sample_router());
  server.start();
  std::thread runner([&server] { server.run(); });
  for (int attempt = 0; attempt < 5000 && !signal_handler_installed(SIGTERM); ++attempt) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(signal_handler_installed(SIGTERM));
  std::raise(SIGTERM);
  runner.join();
  EXPECT_THROW(RawSocket refused(server.port()), std::runtime_error);
}

TEST(Server, RunReturnsWhenStopped) {
  Server server(test_options(), sample_router());
  server.start();
  std::thread runner([&server] { server.run(); });
  RawSocket socket(server.port());
  socket.send(get_request("/healthz"));
  EXPECT_EQ(socket.read_response().status, 200);
  server.stop();
  runner.join();
  EXPECT_TRUE(socket.closed_within(1s));
}

TEST(Server, StartFailsOnBusyPort) {
  Server first(test_options(), Router());
  first.start();
  auto options = test_options();
  options.port = first.port();
  Server second(options, Router());
  EXPECT_THROW(second.start(), core::Error);
}

}  // namespace
}  // namespace surplus::http
