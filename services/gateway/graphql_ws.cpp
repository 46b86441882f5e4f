#include "graphql_ws.hpp"

#include <atomic>
#include <map>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <surplus/core/json_nesting.hpp>
#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/subscription.hpp>
#include <surplus/graphql/validation.hpp>

#include "channel_stream.hpp"
#include "document_checks.hpp"
#include "json_object.hpp"
#include "request_context.hpp"
#include "schema_pool.hpp"

namespace surplus::gateway {
namespace {

namespace asio = boost::asio;

// A message that breaks the protocol; the connection closes with `code` and `reason`.
struct ProtocolViolation {
  std::uint16_t code;
  std::string reason;
};

Json error_json(const std::string& message, std::string_view code) {
  return Json{{"message", message}, {"extensions", {{"code", code}}}};
}

Json errors_json(const std::vector<graphql::GraphQLError>& errors) {
  Json list = Json::array();
  for (const auto& error : errors) {
    list.push_back(error.to_json());
  }
  return list;
}

// Errors of a request that never produced data (variables, operation selection, a refused
// subscription) get BAD_USER_INPUT unless a resolver recorded a code.
void add_request_error_codes(std::vector<graphql::GraphQLError>& errors) {
  for (auto& error : errors) {
    if (!error.extensions.contains("code")) {
      error.extensions["code"] = std::string(kBadUserInput);
    }
  }
}

// The access token of a connection_init payload: its "token" member, or an Authorization
// member with a Bearer token, as some clients send their HTTP headers.
std::optional<std::string> token_of(const Json& payload) {
  if (!payload.is_object()) {
    return std::nullopt;
  }
  if (const auto token = payload.find("token"); token != payload.end() && token->is_string()) {
    return token->get<std::string>();
  }
  for (const char* name : {"Authorization", "authorization"}) {
    const auto header = payload.find(name);
    if (header != payload.end() && header->is_string()) {
      const auto value = header->get<std::string>();
      if (value.starts_with("Bearer ")) {
        return value.substr(7);
      }
    }
  }
  return std::nullopt;
}

// Checks that `member` of `object` is absent, null or of `type`.
bool optional_of_type(const Json& object, const char* member, Json::value_t type) {
  const auto found = object.find(member);
  return found == object.end() || found->is_null() || found->type() == type;
}

// One operation of a connection that is still running.
struct Operation {
  std::string id;
  std::shared_ptr<const graphql::ast::Document> document;
  std::string operation_name;
  Json variables;
  std::optional<graphql::ResponseStream> stream;  // owns the source; closes it when destroyed
  std::shared_ptr<ChannelStream> source;
  std::atomic<bool> done{false};
};

// The server side of one graphql-transport-ws connection. The WebSocket server calls the
// handler methods one at a time on a worker thread. Timers and events run on the endpoint's
// I/O thread; the state they share with the handler is atomic or under `mutex_`.
class Session final : public http::WebSocketHandler, public std::enable_shared_from_this<Session> {
 public:
  Session(GraphQLWebSocket* endpoint, bool subprotocol_accepted, std::string header_token)
      : endpoint_(endpoint),
        subprotocol_accepted_(subprotocol_accepted),
        header_token_(std::move(header_token)),
        init_timer_(endpoint_->io()) {}

  void on_open(std::shared_ptr<http::WebSocketConnection> connection) override;
  void on_message(std::string_view text) override;
  void on_close(std::uint16_t code, std::string_view reason) override;

 private:
  void handle(const Json& message);
  void connection_init(const Json& message);
  void subscribe(const Json& message);
  void complete(const Json& message);
  void run_single_result(const std::string& id, const graphql::ast::Document& document,
                         const std::string& operation_name, const Json& variables);
  void start_subscription(const std::string& id,
                          std::shared_ptr<const graphql::ast::Document> document,
                          std::string operation_name, Json variables);
  void pull(const std::shared_ptr<Operation>& operation);
  void deliver(const std::shared_ptr<Operation>& operation, std::optional<Json> event);
  void finish(const std::shared_ptr<Operation>& operation);

  CallerContext caller(const std::string& operation_id) const;
  void send(const Json& message) {
    connection_->send(message.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  void send_error(const std::string& id, Json errors) {
    send(make_object("type", "error", "id", id, "payload", std::move(errors)));
  }
  void close(std::uint16_t code, const std::string& reason);
  void link_ended(const LinkEnd& end);

  // The endpoint outlives its sessions' callbacks: it stops its I/O thread before it goes,
  // and the server calls on_close of every session before it releases the endpoint.
  GraphQLWebSocket* endpoint_;
  const bool subprotocol_accepted_;
  const std::string header_token_;
  std::shared_ptr<http::WebSocketConnection> connection_;
  asio::steady_timer init_timer_;  // used on the I/O thread only
  std::atomic<bool> init_received_{false};

  // Written by the handler methods only.
  bool acknowledged_ = false;
  std::string token_;
  std::shared_ptr<NotificationsLink> link_;

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Operation>> operations_;
  bool closed_ = false;
};

void Session::on_open(std::shared_ptr<http::WebSocketConnection> connection) {
  connection_ = std::move(connection);
  if (!subprotocol_accepted_) {
    close(kCloseSubprotocolNotAcceptable,
          "Subprotocol not acceptable: offer graphql-transport-ws in Sec-WebSocket-Protocol");
    return;
  }
  asio::post(endpoint_->io(), [self = shared_from_this()] {
    self->init_timer_.expires_after(self->endpoint_->config().ws_init_timeout);
    self->init_timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec && !self->init_received_) {
        self->close(kCloseInitTimeout, "Connection initialisation timeout");
      }
    });
  });
}

void Session::on_message(std::string_view text) {
  if (!subprotocol_accepted_) {
    return;  // on_open started closing; messages already in flight are ignored
  }
  try {
    // Copying a parsed value recurses once per level, so depth is checked before parsing.
    if (!core::json_nesting_within(text)) {
      throw ProtocolViolation{kCloseBadRequest, "Invalid message: JSON nested deeper than " +
                                                    std::to_string(core::kMaxJsonNesting) +
                                                    " levels"};
    }
    const Json message = Json::parse(text, nullptr, false);
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
      throw ProtocolViolation{kCloseBadRequest,
                              "Invalid message: expected a JSON object with a string \"type\""};
    }
    handle(message);
  } catch (const ProtocolViolation& violation) {
    close(violation.code, violation.reason);
  }
}

void Session::handle(const Json& message) {
  const std::string type = message["type"].get<std::string>();
  if (type == "connection_init") {
    connection_init(message);
  } else if (type == "ping") {
    Json pong{{"type", "pong"}};
    if (message.contains("payload") && message["payload"].is_object()) {
      pong["payload"] = message["payload"];
    }
    send(pong);
  } else if (type == "pong") {
    // A heartbeat or the reply to a ping; nothing to do.
  } else if (type == "subscribe") {
    subscribe(message);
  } else if (type == "complete") {
    complete(message);
  } else {
    throw ProtocolViolation{kCloseBadRequest,
                            "Invalid message: unknown type \"" + type.substr(0, 40) + "\""};
  }
}

void Session::connection_init(const Json& message) {
  if (init_received_.exchange(true)) {
    throw ProtocolViolation{kCloseTooManyInitRequests, "Too many initialisation requests"};
  }
  if (!optional_of_type(message, "payload", Json::value_t::object)) {
    throw ProtocolViolation{kCloseBadRequest,
                            "Invalid message: the connection_init payload must be an object"};
  }
  token_ = token_of(message.value("payload", Json())).value_or(header_token_);

  LinkOptions options;
  options.url = endpoint_->notifications_url();
  options.token = token_;
  options.connection_id = connection_->request_id();
  options.connect_timeout = endpoint_->config().request_timeout;
  options.reconnect_timeout = endpoint_->config().notifications_reconnect_timeout;
  const std::weak_ptr<Session> weak = shared_from_this();
  try {
    link_ =
        NotificationsLink::open(endpoint_->io(), std::move(options), [weak](const LinkEnd& end) {
          if (const auto self = weak.lock()) {
            self->link_ended(end);
          }
        });
  } catch (const InvalidTokenError& error) {
    throw ProtocolViolation{kCloseForbidden, std::string("Forbidden: ") + error.what()};
  } catch (const core::Error& error) {
    spdlog::warn("graphql-transport-ws connection {} closed: {} ({})", connection_->request_id(),
                 error.message(), error.detail());
    throw ProtocolViolation{http::kCloseInternal,
                            "the notifications service is unavailable; reconnect later"};
  }
  acknowledged_ = true;
  asio::post(endpoint_->io(), [self = shared_from_this()] { self->init_timer_.cancel(); });
  send({{"type", "connection_ack"}});
}

void Session::subscribe(const Json& message) {
  const auto id = message.find("id");
  if (id == message.end() || !id->is_string() || id->get<std::string>().empty()) {
    throw ProtocolViolation{kCloseBadRequest, "Invalid message: subscribe needs a string \"id\""};
  }
  const auto payload = message.find("payload");
  if (payload == message.end() || !payload->is_object() || !payload->contains("query") ||
      !(*payload)["query"].is_string() ||
      !optional_of_type(*payload, "operationName", Json::value_t::string) ||
      !optional_of_type(*payload, "variables", Json::value_t::object) ||
      !optional_of_type(*payload, "extensions", Json::value_t::object)) {
    throw ProtocolViolation{kCloseBadRequest,
                            "Invalid message: the subscribe payload needs a string \"query\", "
                            "and \"operationName\" and \"variables\" of the right type"};
  }
  if (!acknowledged_) {
    throw ProtocolViolation{kCloseUnauthorized, "Unauthorized"};
  }
  const std::string operation_id = id->get<std::string>();
  {
    const std::lock_guard lock(mutex_);
    if (operations_.contains(operation_id)) {
      throw ProtocolViolation{kCloseSubscriberExists,
                              "Subscriber for " + operation_id.substr(0, 64) + " already exists"};
    }
  }

  auto document = std::make_shared<graphql::ast::Document>();
  try {
    *document = graphql::parse((*payload)["query"].get<std::string>());
  } catch (const graphql::SyntaxError& error) {
    graphql::GraphQLError syntax_error{
        error.what(), {error.location()}, std::nullopt, Json{{"code", "GRAPHQL_PARSE_FAILED"}}};
    send_error(operation_id, errors_json({syntax_error}));
    return;
  }
  graphql::ValidationOptions options;
  options.limits = endpoint_->config().limits;
  std::vector<graphql::GraphQLError> errors =
      graphql::validate(endpoint_->schema(), *document, options);
  if (errors.empty() && !endpoint_->config().introspection && uses_introspection(*document)) {
    errors.push_back({"introspection is disabled on this server (GRAPHQL_INTROSPECTION=false)",
                      {},
                      std::nullopt,
                      Json{{"code", "INTROSPECTION_DISABLED"}}});
  }
  if (!errors.empty()) {
    for (auto& error : errors) {
      if (!error.extensions.contains("code")) {
        error.extensions["code"] = "GRAPHQL_VALIDATION_FAILED";
      }
    }
    send_error(operation_id, errors_json(errors));
    return;
  }

  const std::string operation_name = payload->value("operationName", Json()).is_string()
                                         ? (*payload)["operationName"].get<std::string>()
                                         : std::string();
  const Json variables =
      payload->value("variables", Json()).is_object() ? (*payload)["variables"] : Json::object();
  const auto* operation = selected_operation(*document, operation_name);
  if (operation != nullptr && operation->operation == graphql::ast::OperationType::kSubscription) {
    start_subscription(operation_id, std::move(document), operation_name, variables);
  } else {
    run_single_result(operation_id, *document, operation_name, variables);
  }
}

void Session::run_single_result(const std::string& id, const graphql::ast::Document& document,
                                const std::string& operation_name, const Json& variables) {
  auto context = std::make_shared<RequestContext>(endpoint_->downstream(), caller(id));
  graphql::ExecutionRequest request;
  request.schema = &endpoint_->schema();
  request.document = &document;
  request.operation_name = operation_name;
  request.variables = variables;
  request.context = context;
  graphql::ExecutionResult result = graphql::execute(request);
  if (!result.data) {
    add_request_error_codes(result.errors);
    send_error(id, errors_json(result.errors));
    return;
  }
  context->errors().apply(result.errors);
  send(make_object("type", "next", "id", id, "payload", std::move(result).to_json()));
  send({{"type", "complete"}, {"id", id}});
}

void Session::start_subscription(const std::string& id,
                                 std::shared_ptr<const graphql::ast::Document> document,
                                 std::string operation_name, Json variables) {
  const std::size_t limit = endpoint_->config().ws_max_subscriptions;
  {
    const std::lock_guard lock(mutex_);
    if (operations_.size() >= limit) {
      send_error(id, Json::array({error_json(
                         "this connection already has " + std::to_string(limit) +
                             " active subscriptions (GRAPHQL_WS_MAX_SUBSCRIPTIONS); complete "
                             "one before starting another",
                         "TOO_MANY_SUBSCRIPTIONS")}));
      return;
    }
  }

  auto context = std::make_shared<RequestContext>(endpoint_->downstream(), caller(id));
  context->set_notifications(link_);
  graphql::ExecutionRequest request;
  request.schema = &endpoint_->schema();
  request.document = document.get();
  request.operation_name = operation_name;
  request.variables = variables;
  request.context = context;
  graphql::Subscription subscription = graphql::subscribe(std::move(request));
  if (!subscription.stream || !context->source()) {
    context->errors().apply(subscription.result.errors);
    add_request_error_codes(subscription.result.errors);
    send_error(id, errors_json(subscription.result.errors));
    return;
  }

  auto operation = std::make_shared<Operation>();
  operation->id = id;
  operation->document = std::move(document);
  operation->operation_name = std::move(operation_name);
  operation->variables = std::move(variables);
  operation->stream = std::move(subscription.stream);
  operation->source = context->source();
  {
    const std::lock_guard lock(mutex_);
    if (closed_) {
      return;  // the ResponseStream closes the source as `operation` goes away
    }
    operations_.emplace(id, operation);
  }
  pull(operation);
}

// Requests the next event. The callback may run at once, when an event is queued, or later
// on the link's I/O thread. Either way the event is handled in a task of its own, so a long
// queue does not recurse.
void Session::pull(const std::shared_ptr<Operation>& operation) {
  const std::weak_ptr<Session> weak = shared_from_this();
  operation->source->next([weak, operation](std::optional<Json> event) {
    if (const auto self = weak.lock()) {
      asio::post(self->endpoint_->io(), [self, operation, event = std::move(event)]() mutable {
        self->deliver(operation, std::move(event));
      });
    }
  });
}

void Session::deliver(const std::shared_ptr<Operation>& operation, std::optional<Json> event) {
  if (operation->done) {
    return;
  }
  if (!event) {
    if (operation->source->overflowed()) {
      send_error(operation->id,
                 Json::array({error_json("events arrived faster than this connection received "
                                         "them, so the subscription ended; subscribe again and "
                                         "query the current state",
                                         kUnavailable)}));
    } else {
      send({{"type", "complete"}, {"id", operation->id}});
    }
    finish(operation);
    return;
  }

  // Each event is a request of its own: a fresh deadline and fresh loaders, so nothing is
  // served from an earlier event's cache.
  auto context = std::make_shared<RequestContext>(endpoint_->downstream(), caller(operation->id));
  graphql::ExecutionRequest request;
  request.schema = &endpoint_->schema();
  request.document = operation->document.get();
  request.operation_name = operation->operation_name;
  request.variables = operation->variables;
  request.root_value = std::move(*event);
  request.context = context;
  graphql::execute_async(std::move(request), [self = shared_from_this(), operation,
                                              context](graphql::ExecutionResult result) {
    context->errors().apply(result.errors);
    if (!operation->done) {
      self->send(
          make_object("type", "next", "id", operation->id, "payload", std::move(result).to_json()));
      self->pull(operation);
    }
  });
}

// Forgets a finished operation, so its id may be used again.
void Session::finish(const std::shared_ptr<Operation>& operation) {
  operation->done = true;
  const std::lock_guard lock(mutex_);
  const auto found = operations_.find(operation->id);
  if (found != operations_.end() && found->second == operation) {
    operations_.erase(found);
  }
}

void Session::complete(const Json& message) {
  const auto id = message.find("id");
  if (id == message.end() || !id->is_string()) {
    throw ProtocolViolation{kCloseBadRequest, "Invalid message: complete needs a string \"id\""};
  }
  std::shared_ptr<Operation> operation;
  {
    const std::lock_guard lock(mutex_);
    const auto found = operations_.find(id->get<std::string>());
    if (found == operations_.end()) {
      return;  // already finished: the protocol allows a late complete
    }
    operation = found->second;
    operations_.erase(found);
  }
  operation->done = true;
  operation->source->close();
}

CallerContext Session::caller(const std::string& operation_id) const {
  CallerContext caller;
  if (!token_.empty()) {
    caller.authorization = "Bearer " + token_;
  }
  caller.request_id = connection_->request_id() + "/" + operation_id.substr(0, 64);
  caller.deadline = std::chrono::steady_clock::now() + endpoint_->config().request_timeout;
  return caller;
}

void Session::close(std::uint16_t code, const std::string& reason) {
  spdlog::debug("closing graphql-transport-ws connection {} with {} {}", connection_->request_id(),
                code, reason);
  connection_->close(code, reason);
}

// Closes the client after its link to the notifications service ended for good. A close
// reason has at most 123 bytes, so the details go to the log only.
void Session::link_ended(const LinkEnd& end) {
  switch (end.cause) {
    case LinkEnd::Cause::kLost:
      close(http::kCloseInternal,
            "the connection to the notifications service was lost and not restored; reconnect");
      return;
    case LinkEnd::Cause::kNotRecoverable:
      close(http::kCloseInternal,
            "events may have been missed: the notifications service could not replay them; "
            "reconnect");
      return;
    case LinkEnd::Cause::kAccessRejected:
      close(kCloseForbidden,
            "Forbidden: the notifications service rejected the access token or a channel on "
            "reconnecting");
      return;
  }
}

void Session::on_close(std::uint16_t, std::string_view) {
  std::map<std::string, std::shared_ptr<Operation>> operations;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    operations.swap(operations_);
  }
  for (auto& [id, operation] : operations) {
    operation->done = true;
    operation->source->close();
  }
  if (link_) {
    link_->close();
  }
  asio::post(endpoint_->io(), [self = shared_from_this()] { self->init_timer_.cancel(); });
}

}  // namespace

GraphQLWebSocket::GraphQLWebSocket(GatewayConfig config, std::shared_ptr<Downstream> downstream,
                                   const std::string& sdl)
    : config_(std::move(config)),
      downstream_(std::move(downstream)),
      schema_(build_gateway_schema(sdl)),
      notifications_url_(WebSocketUrl::parse(config_.notifications_ws_url)),
      work_(asio::make_work_guard(io_)),
      thread_([this] { io_.run(); }) {}

GraphQLWebSocket::~GraphQLWebSocket() {
  work_.reset();
  io_.stop();
  thread_.join();
}

http::WebSocketFactory GraphQLWebSocket::factory() {
  return [self = shared_from_this()](
             http::Request& request) -> std::shared_ptr<http::WebSocketHandler> {
    const bool accepted = http::offers_subprotocol(
        request.header("Sec-WebSocket-Protocol").value_or(""), kGraphQLTransportWs);
    std::string header_token;
    const auto authorization = request.header("Authorization");
    if (authorization && authorization->starts_with("Bearer ")) {
      header_token = std::string(authorization->substr(7));
    }
    return std::make_shared<Session>(self.get(), accepted, std::move(header_token));
  };
}

http::WebSocketOptions GraphQLWebSocket::options() const {
  http::WebSocketOptions options;
  options.subprotocol = std::string(kGraphQLTransportWs);
  options.max_message_bytes = config_.ws_max_message_bytes;
  return options;
}

}  // namespace surplus::gateway
