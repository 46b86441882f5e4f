#include "test_server.hpp"

#include <cstdlib>
#include <stdexcept>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <surplus/db/migrate.hpp>
#include <surplus/service/service.hpp>

#include "migrations.hpp"
#include "service.hpp"

namespace surplus::orders::testing {
namespace {

// A loopback URL whose port was free and is closed again, so calls to it are refused.
// Without it the server would call the default ports 4002 and 4003, where another
// developer's services may run.
std::string refused_loopback_url() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
               ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!bound) {
    throw std::runtime_error("no free loopback port");
  }
  return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "surplus-orders-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  return pattern;
}

}  // namespace

OrdersTestServer::OrdersTestServer(db::testing::Backend backend,
                                   std::map<std::string, std::string> env)
    : database_(backend), key_dir_(make_temp_dir()), signing_key_(auth::KeyPair::generate()) {
  db::migrate(database_.database(), migrations());

  std::map<std::string, std::string> values = {
      {"AUTH_PRIVATE_KEY", signing_key_.seed_base64()},
      {"AUTH_PUBLIC_KEY_FILE", (key_dir_ / "ed25519.pub").string()},
      {"ARGON2_OPS_LIMIT", "1"},
      {"ARGON2_MEM_LIMIT", "64KiB"},
      {"SERVICE_SECRET", std::string(kTestServiceSecret)},
      {"OFFERS_URL", refused_loopback_url()},
      {"NOTIFICATIONS_URL", refused_loopback_url()},
  };
  for (auto& [name, value] : env) {
    values[name] = value;
  }
  core::EnvReader reader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });

  service::Settings settings;
  settings.server.port = 0;
  settings.server.worker_threads = 4;
  settings.server.service_name = "orders-test";
  http::Router router;
  service::ServiceContext context{"orders", reader, settings, &database_.database(), router};
  install_routes(context);
  server_ = std::make_unique<http::Server>(settings.server, std::move(router));
  server_->start();
}

OrdersTestServer::~OrdersTestServer() {
  server_->stop();
  std::error_code ignored;
  std::filesystem::remove_all(key_dir_, ignored);
}

std::string OrdersTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

http::Response OrdersTestServer::call(const std::string& method, const std::string& target,
                                      const std::optional<nlohmann::json>& body,
                                      const std::optional<std::string>& token,
                                      http::Headers headers) {
  http::ClientRequest request;
  if (body) {
    request = http::ClientRequest::json(method, base_url() + target, *body);
  } else {
    request.method = method;
    request.url = base_url() + target;
  }
  for (const auto& [name, value] : headers) {
    request.headers.set(name, value);
  }
  if (token) {
    request.headers.set("Authorization", "Bearer " + *token);
  }
  request.idempotent = false;
  return client_.send(std::move(request));
}

http::Response OrdersTestServer::call_raw(const std::string& method, const std::string& target,
                                          const std::string& raw_body,
                                          const std::string& content_type,
                                          const std::optional<std::string>& token) {
  http::ClientRequest request;
  request.method = method;
  request.url = base_url() + target;
  request.body = raw_body;
  request.headers.set("Content-Type", content_type);
  if (token) {
    request.headers.set("Authorization", "Bearer " + *token);
  }
  return client_.send(std::move(request));
}

nlohmann::json OrdersTestServer::register_user(const std::string& email, const std::string& role,
                                               const std::string& password) {
  auto response = call("POST", "/auth/register",
                       nlohmann::json{{"email", email},
                                      {"password", password},
                                      {"displayName", "User " + email.substr(0, email.find('@'))},
                                      {"role", role}});
  EXPECT_EQ(response.status, 201) << response.body;
  return response.body_json();
}

nlohmann::json OrdersTestServer::login(const std::string& email, const std::string& password) {
  auto response =
      call("POST", "/auth/login", nlohmann::json{{"email", email}, {"password", password}});
  EXPECT_EQ(response.status, 200) << response.body;
  return response.body_json();
}

nlohmann::json OrdersTestServer::create_restaurant(const std::string& token,
                                                   const std::string& name, double latitude,
                                                   double longitude) {
  auto response = call("POST", "/restaurants",
                       nlohmann::json{{"name", name},
                                      {"category", "bakery"},
                                      {"address", "Oranienstraße 1, 10999 Berlin"},
                                      {"latitude", latitude},
                                      {"longitude", longitude},
                                      {"timeZone", "Europe/Berlin"}},
                       token);
  EXPECT_EQ(response.status, 201) << response.body;
  return response.body_json();
}

nlohmann::json OrdersTestServer::create_product(const std::string& token,
                                                const std::string& restaurant_id,
                                                const std::string& name, std::int64_t cents) {
  auto response = call("POST", "/restaurants/" + restaurant_id + "/products",
                       nlohmann::json{{"name", name},
                                      {"category", "bread"},
                                      {"dietaryTags", {"vegan"}},
                                      {"price", {{"amount", cents}, {"currency", "EUR"}}}},
                       token);
  EXPECT_EQ(response.status, 201) << response.body;
  return response.body_json();
}

void OrdersApiTest::SetUp() {
  if (GetParam() == db::testing::Backend::kPostgres && !db::testing::postgres_available()) {
    if (db::testing::postgres_required()) {
      FAIL() << "SURPLUS_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set";
    }
    GTEST_SKIP() << "TEST_DATABASE_URL is not set";
  }
  server_ = std::make_unique<OrdersTestServer>(GetParam(), server_env());
}

void OrdersApiTest::TearDown() {
  server_.reset();
}

std::string problem_code(const http::Response& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("code") || !body["code"].is_string()) {
    return "";
  }
  return body["code"].get<std::string>();
}

}  // namespace surplus::orders::testing
