// Placeholder definitions so that code written against the public headers links while
// the implementation is in progress. Every function throws.
#include <stdexcept>

#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

namespace surplus::http {
namespace {
[[noreturn]] void missing() {
  throw std::logic_error("surplus::http is not implemented yet");
}
}  // namespace

bool iequals(std::string_view, std::string_view) {
  missing();
}
Headers::Headers(std::initializer_list<Field>) {
  missing();
}
std::optional<std::string_view> Headers::get(std::string_view) const {
  missing();
}
std::vector<std::string_view> Headers::get_all(std::string_view) const {
  missing();
}
void Headers::set(std::string, std::string) {
  missing();
}
void Headers::add(std::string, std::string) {
  missing();
}
void Headers::remove(std::string_view) {
  missing();
}
std::optional<std::string> percent_decode(std::string_view, bool) {
  missing();
}
std::string percent_encode(std::string_view) {
  missing();
}
std::optional<QueryParams> parse_query(std::string_view) {
  missing();
}
std::string build_query(const QueryParams&) {
  missing();
}
Url Url::parse(std::string_view) {
  missing();
}
std::optional<std::string_view> Request::query_param(std::string_view) const {
  missing();
}
const std::string& Request::path_param(const std::string&) const {
  missing();
}
nlohmann::json Request::json() const {
  missing();
}
Response Response::json(const nlohmann::json&, int) {
  missing();
}
Response Response::text(std::string, int, std::string) {
  missing();
}
Response Response::no_content() {
  missing();
}
Response Response::problem(const core::Error&, std::string_view) {
  missing();
}
nlohmann::json Response::body_json() const {
  missing();
}
std::string_view status_reason(int) {
  missing();
}
void WebSocketHandler::on_binary(std::string_view) {
  missing();
}
struct Router::Impl {};
Router::Router() {
  missing();
}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;
Router& Router::add(std::string, const std::string&, Handler) {
  missing();
}
Router& Router::get(const std::string&, Handler) {
  missing();
}
Router& Router::post(const std::string&, Handler) {
  missing();
}
Router& Router::put(const std::string&, Handler) {
  missing();
}
Router& Router::patch(const std::string&, Handler) {
  missing();
}
Router& Router::del(const std::string&, Handler) {
  missing();
}
Router& Router::websocket(const std::string&, WebSocketFactory, WebSocketOptions) {
  missing();
}
Response Router::handle(Request&) const {
  missing();
}
Router::WebSocketRoute Router::find_websocket(Request&) const {
  missing();
}
struct Server::Impl {};
Server::Server(ServerOptions, Router, ReadinessCheck) {
  missing();
}
Server::~Server() = default;
void Server::start() {
  missing();
}
std::uint16_t Server::port() const {
  missing();
}
void Server::run() {
  missing();
}
void Server::stop() {
  missing();
}
ClientRequest ClientRequest::json(std::string, std::string, const nlohmann::json&) {
  missing();
}
Response& ClientResult::value() {
  missing();
}
struct Client::Impl {};
Client::Client(ClientOptions) {
  missing();
}
Client::~Client() = default;
Response Client::send(ClientRequest) {
  missing();
}
Response Client::get(std::string, Headers) {
  missing();
}
Response Client::post_json(std::string, const nlohmann::json&, Headers) {
  missing();
}
void Client::send_async(ClientRequest, std::function<void(ClientResult)>) {
  missing();
}
ClientStats Client::stats() const {
  missing();
}
core::Error error_from_response(const Response&, std::string_view) {
  missing();
}

}  // namespace surplus::http
