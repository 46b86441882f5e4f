#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

#include "raw_socket_testing.hpp"

namespace surplus::http {
namespace {

using namespace std::chrono_literals;
using testing::RawListener;
using testing::RawSocket;

ServerOptions test_options() {
  ServerOptions options;
  options.worker_threads = 4;
  options.service_name = "client-test";
  return options;
}

std::string base_url(std::uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

// A fake server that accepts connections one after another and reads one request from
// each. It drops the first `drop_first` connections and responds 200 on the later ones.
class DroppingServer {
 public:
  explicit DroppingServer(int drop_first) : drop_first_(drop_first) {
    thread_ = std::thread([this] { serve(); });
  }
  ~DroppingServer() {
    stop_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return listener_.port(); }
  int connections() const { return connections_.load(); }

 private:
  void serve() {
    while (!stop_) {
      int fd = listener_.accept(50ms);
      if (fd < 0) {
        continue;
      }
      RawSocket socket(fd);
      int number = ++connections_;
      std::string request;
      while (request.find("\r\n\r\n") == std::string::npos) {
        auto data = socket.receive(2s);
        if (!data || data->empty()) {
          break;
        }
        request += *data;
      }
      if (number > drop_first_) {
        socket.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
      }
    }
  }

  RawListener listener_;
  int drop_first_;
  std::atomic<int> connections_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(Client, ReusesKeepAliveConnection) {
  Router router;
  router.get("/ping", [](Request&) { return Response::text("pong"); });
  Server server(test_options(), std::move(router));
  server.start();
  Client client;
  for (int i = 0; i < 5; ++i) {
    auto response = client.get(base_url(server.port()) + "/ping");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "pong");
  }
  auto stats = client.stats();
  EXPECT_EQ(stats.connections_created, 1u);
  EXPECT_EQ(stats.connections_reused, 4u);
  EXPECT_EQ(stats.requests, 5u);
  EXPECT_EQ(stats.idle_connections, 1u);
}

TEST(Client, PostsJsonAndReadsProblem) {
  Router router;
  router.post("/orders", [](Request& request) -> Response {
    auto body = request.json();
    if (body["quantity"] == 0) {
      throw core::Error(core::ErrorCode::kSoldOut, "the offer is sold out");
    }
    return Response::json({{"quantity", body["quantity"]}}, 201);
  });
  Server server(test_options(), std::move(router));
  server.start();
  Client client;
  auto created = client.post_json(base_url(server.port()) + "/orders", {{"quantity", 2}});
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.body_json()["quantity"], 2);

  auto sold_out = client.post_json(base_url(server.port()) + "/orders", {{"quantity", 0}});
  EXPECT_EQ(sold_out.status, 409);
  auto error = error_from_response(sold_out, "orders");
  EXPECT_EQ(error.code(), core::ErrorCode::kSoldOut);
  EXPECT_EQ(error.message(), "the offer is sold out");
  EXPECT_NE(error.detail().find("orders"), std::string::npos);
}

TEST(Client, RetriesIdempotentRequestAfterDrop) {
  DroppingServer fake(1);
  Client client;
  auto response = client.get(base_url(fake.port()) + "/offers");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(fake.connections(), 2);
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(Client, DoesNotRetryPlainPost) {
  DroppingServer fake(1);
  Client client;
  try {
    client.post_json(base_url(fake.port()) + "/orders", {{"quantity", 1}});
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
  }
  EXPECT_EQ(fake.connections(), 1);
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(Client, RetriesPostMarkedIdempotent) {
  DroppingServer fake(1);
  Client client;
  auto request = ClientRequest::json("POST", base_url(fake.port()) + "/orders", {{"q", 1}});
  request.headers.set("Idempotency-Key", "order-1");
  request.idempotent = true;
  EXPECT_EQ(client.send(request).status, 200);
  EXPECT_EQ(fake.connections(), 2);
}

TEST(Client, RetriesGetOnServiceUnavailable) {
  std::atomic<int> calls{0};
  Router router;
  router.get("/flaky", [&calls](Request&) {
    return ++calls == 1 ? Response::text("busy", 503) : Response::text("fine");
  });
  router.post("/flaky", [&calls](Request&) {
    ++calls;
    return Response::text("busy", 503);
  });
  Server server(test_options(), std::move(router));
  server.start();
  Client client;
  auto response = client.get(base_url(server.port()) + "/flaky");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(calls.load(), 2);

  calls = 0;
  auto post = client.post_json(base_url(server.port()) + "/flaky", nlohmann::json::object());
  EXPECT_EQ(post.status, 503);
  EXPECT_EQ(calls.load(), 1);
}

TEST(Client, ConnectionRefusedIsUnavailable) {
  std::uint16_t port = 0;
  {
    RawListener listener;
    port = listener.port();
  }
  ClientOptions options;
  options.max_attempts = 2;
  options.retry_backoff = 1ms;
  Client client(options);
  try {
    client.get(base_url(port) + "/x");
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
    EXPECT_NE(error.detail().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
        << error.detail();
    EXPECT_EQ(error.message().find("127.0.0.1"), std::string::npos);
  }
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(Client, SlowResponseIsTimeout) {
  Router router;
  router.get("/slow", [](Request&) {
    std::this_thread::sleep_for(500ms);
    return Response::text("late");
  });
  Server server(test_options(), std::move(router));
  server.start();
  ClientOptions options;
  options.request_timeout = 100ms;
  Client client(options);
  try {
    client.get(base_url(server.port()) + "/slow");
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kTimeout);
    EXPECT_NE(error.detail().find("/slow"), std::string::npos);
  }
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(Client, SendsConcurrentAsyncRequests) {
  Router router;
  router.get("/n/{n}", [](Request& request) { return Response::text(request.path_param("n")); });
  Server server(test_options(), std::move(router));
  server.start();
  ClientOptions options;
  options.max_connections_per_host = 3;
  Client client(options);
  constexpr int kRequests = 12;
  std::mutex mutex;
  std::vector<std::string> bodies;
  std::promise<void> all_done;
  for (int i = 0; i < kRequests; ++i) {
    ClientRequest request;
    request.url = base_url(server.port()) + "/n/" + std::to_string(i);
    client.send_async(request, [&](ClientResult result) {
      std::lock_guard lock(mutex);
      bodies.push_back(result.has_response() ? result.value().body : "error");
      if (bodies.size() == kRequests) {
        all_done.set_value();
      }
    });
  }
  ASSERT_EQ(all_done.get_future().wait_for(10s), std::future_status::ready);
  std::sort(bodies.begin(), bodies.end());
  EXPECT_EQ(std::count(bodies.begin(), bodies.end(), "error"), 0);
  EXPECT_LE(client.stats().connections_created, 3u);
}

// A line break in a header value would end the header and could smuggle a second request
// onto the pooled connection, whose response the next caller would read. Such a request is
// not sent, and the next request on the connection gets its own response.
TEST(Client, RejectsHeaderThatBreaksFraming) {
  std::atomic<int> received = 0;
  Router router;
  router.get("/ping", [&received](Request& request) {
    ++received;
    return Response::text(std::string(request.path));
  });
  router.get("/other", [&received](Request& request) {
    ++received;
    return Response::text(std::string(request.path));
  });
  Server server(test_options(), std::move(router));
  server.start();
  Client client;
  for (const std::string& value :
       std::vector<std::string>{"k\r\nContent-Length: 0\r\n\r\nGET /other HTTP/1.1\r\nHost: x",
                                "a\nb", std::string("a\0b", 3)}) {
    Headers headers;
    headers.set("Idempotency-Key", value);
    try {
      client.get(base_url(server.port()) + "/ping", headers);
      ADD_FAILURE() << "a header with a line break or NUL was sent";
    } catch (const core::Error& error) {
      EXPECT_EQ(error.code(), core::ErrorCode::kValidationFailed);
    }
  }
  EXPECT_EQ(received.load(), 0);
  const auto response = client.get(base_url(server.port()) + "/ping");
  EXPECT_EQ(response.body, "/ping");
  EXPECT_EQ(received.load(), 1);
}

TEST(Client, RejectsUnsupportedUrl) {
  Client client;
  try {
    client.get("https://127.0.0.1/");
    FAIL() << "expected core::Error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kInternal);
    EXPECT_NE(error.detail().find("https://127.0.0.1/"), std::string::npos);
  }
}

}  // namespace
}  // namespace surplus::http
