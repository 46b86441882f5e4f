#include "http_test_support.hpp"

#include <surplus/core/id.hpp>

#include "routes.hpp"

namespace surplus::offers::testing {

void OffersHttpTest::SetUp() {
  OffersDatabaseTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) {
    return;
  }
  key_ = std::make_unique<auth::KeyPair>(auth::KeyPair::generate());
  OffersConfig config;
  config.orders_url = "";  // restaurants are stored through PUT /internal/restaurants/{id}
  config.outbox_relay_enabled = false;
  app_ = std::make_shared<OffersApp>(db(), config, auth::TokenVerifier(key_->public_key()),
                                     auth::ServiceSecret(std::string(kTestServiceSecret)));
  http::Router router;
  add_offers_routes(router, app_);
  http::ServerOptions options;
  options.port = 0;
  options.worker_threads = worker_threads();
  options.service_name = "offers-test";
  server_ = std::make_unique<http::Server>(options, std::move(router));
  server_->start();
  http::ClientOptions client_options;
  client_options.max_connections_per_host = 64;
  client_options.max_attempts = 1;
  client_ = std::make_unique<http::Client>(client_options);
}

void OffersHttpTest::TearDown() {
  client_.reset();
  if (server_) {
    server_->stop();
  }
  server_.reset();
  app_.reset();
  OffersDatabaseTest::TearDown();
}

std::string OffersHttpTest::token(auth::Role role, const std::string& user_id,
                                  std::vector<std::string> restaurants) {
  auth::Claims claims;
  claims.subject = user_id;
  claims.role = role;
  claims.restaurants = std::move(restaurants);
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.issued_at = now;
  claims.expires_at = now + std::chrono::minutes(15);
  claims.token_id = core::new_uuid_v7();
  return auth::sign_access_token(claims, *key_);
}

std::string OffersHttpTest::url(const std::string& target) const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + target;
}

http::Response OffersHttpTest::call(const std::string& method, const std::string& target,
                                    const Credentials& credentials,
                                    const std::optional<nlohmann::json>& body) {
  http::ClientRequest request;
  if (body) {
    request = http::ClientRequest::json(method, url(target), *body);
  } else {
    request.method = method;
    request.url = url(target);
  }
  if (credentials.token) {
    request.headers.set("Authorization", "Bearer " + *credentials.token);
  }
  if (credentials.service_secret) {
    request.headers.set("X-Service-Secret", *credentials.service_secret);
  }
  return client_->send(std::move(request));
}

std::string OffersHttpTest::problem_code(const http::Response& response) {
  auto type = response.headers.get("Content-Type");
  if (!type || type->find("application/problem+json") == std::string_view::npos) {
    return "";
  }
  return nlohmann::json::parse(response.body).value("code", "");
}

std::vector<std::string> OffersHttpTest::problem_fields(const http::Response& response) {
  std::vector<std::string> fields;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("errors")) {
    for (const auto& error : body["errors"]) {
      fields.push_back(error.value("field", ""));
    }
  }
  return fields;
}

}  // namespace surplus::offers::testing
