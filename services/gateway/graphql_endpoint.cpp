#include "graphql_endpoint.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/json_nesting.hpp>
#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/validation.hpp>

#include "document_checks.hpp"
#include "media_type.hpp"
#include "request_context.hpp"

namespace surplus::gateway {
namespace {

// A request that is not a GraphQL-over-HTTP request at all. The response has `status` and
// a single error, and no GraphQL processing happens.
struct RequestRejected {
  int status;
  std::string message;
};

struct GraphQLParams {
  std::string query;
  std::string operation_name;
  Json variables = Json::object();
};

Json error_body(const std::string& message, std::string_view code) {
  return {{"errors", Json::array({{{"message", message}, {"extensions", {{"code", code}}}}})}};
}

http::Response graphql_response(ResponseFormat format, int status, const Json& body) {
  return http::Response::text(body.dump(-1, ' ', false, Json::error_handler_t::replace), status,
                              std::string(content_type_of(format)));
}

// Reads one request parameter: absent or null is allowed, otherwise it must have `type`.
const Json* optional_member(const Json& body, const char* name, Json::value_t type,
                            const char* expected) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) {
    return nullptr;
  }
  if (found->type() != type) {
    throw RequestRejected{400, std::string("the \"") + name + "\" parameter must be " + expected +
                                   ", got " + found->type_name()};
  }
  return &*found;
}

GraphQLParams params_from_json(const Json& body) {
  if (!body.is_object()) {
    throw RequestRejected{
        400, std::string("the request body must be a JSON object, got ") + body.type_name()};
  }
  GraphQLParams params;
  const Json* query = optional_member(body, "query", Json::value_t::string, "a string");
  if (query == nullptr) {
    throw RequestRejected{400,
                          "the \"query\" parameter is missing; send the GraphQL document "
                          "as a string in \"query\""};
  }
  params.query = query->get<std::string>();
  if (const Json* name =
          optional_member(body, "operationName", Json::value_t::string, "a string")) {
    params.operation_name = name->get<std::string>();
  }
  if (const Json* variables =
          optional_member(body, "variables", Json::value_t::object, "an object")) {
    params.variables = *variables;
  }
  optional_member(body, "extensions", Json::value_t::object, "an object");
  return params;
}

Json parse_json_parameter(const http::Request& request, const char* name) {
  const auto text = request.query_param(name);
  if (!text || text->empty()) {
    return Json();
  }
  if (!core::json_nesting_within(*text)) {
    throw RequestRejected{400, std::string("the \"") + name + "\" parameter nests arrays and " +
                                   "objects deeper than " + std::to_string(core::kMaxJsonNesting) +
                                   " levels; flatten it"};
  }
  Json value = Json::parse(*text, nullptr, false);
  if (value.is_discarded()) {
    throw RequestRejected{400, std::string("the \"") + name +
                                   "\" parameter is not valid JSON; URL-encode a JSON object"};
  }
  return value;
}

GraphQLParams params_from_get(const http::Request& request) {
  Json body = Json::object();
  if (const auto query = request.query_param("query")) {
    body["query"] = std::string(*query);
  }
  if (const auto name = request.query_param("operationName"); name && !name->empty()) {
    body["operationName"] = std::string(*name);
  }
  body["variables"] = parse_json_parameter(request, "variables");
  body["extensions"] = parse_json_parameter(request, "extensions");
  return params_from_json(body);
}

GraphQLParams params_from_post(const http::Request& request) {
  const auto content_type = request.header("Content-Type");
  if (!content_type) {
    throw RequestRejected{415, "the Content-Type header is missing; send application/json"};
  }
  if (!is_json_utf8(*content_type)) {
    throw RequestRejected{415, "Content-Type " + std::string(*content_type) +
                                   " is not supported; send application/json in UTF-8"};
  }
  if (!core::json_nesting_within(request.body)) {
    throw RequestRejected{400, "the request body nests arrays and objects deeper than " +
                                   std::to_string(core::kMaxJsonNesting) +
                                   " levels; flatten the variables"};
  }
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    throw RequestRejected{400, "the request body is not valid JSON"};
  }
  return params_from_json(body);
}

// The status of a GraphQL response: application/json is always 200; with
// application/graphql-response+json a response without data is a request error, 400.
int status_of(ResponseFormat format, bool has_data) {
  return format == ResponseFormat::kGraphQLResponseJson && !has_data ? 400 : 200;
}

Json errors_json(const std::vector<graphql::GraphQLError>& errors) {
  Json list = Json::array();
  for (const auto& error : errors) {
    list.push_back(error.to_json());
  }
  return list;
}

}  // namespace

GraphQLEndpoint::GraphQLEndpoint(GatewayConfig config, std::shared_ptr<Downstream> downstream,
                                 const std::string& sdl, std::size_t concurrency)
    : config_(std::move(config)),
      downstream_(std::move(downstream)),
      schemas_(sdl, concurrency),
      documents_(config_.document_cache_bytes),
      graphiql_(config_.graphiql_assets_dir) {}

std::vector<graphql::GraphQLError> GraphQLEndpoint::validation_errors(
    const graphql::Schema& schema, const graphql::ast::Document& document) const {
  graphql::ValidationOptions options;
  options.limits = config_.limits;
  std::vector<graphql::GraphQLError> errors = graphql::validate(schema, document, options);
  if (errors.empty() && !config_.introspection && uses_introspection(document)) {
    errors.push_back({"introspection is disabled on this server (GRAPHQL_INTROSPECTION=false)",
                      {},
                      std::nullopt,
                      Json{{"code", "INTROSPECTION_DISABLED"}}});
  }
  for (auto& error : errors) {
    if (!error.extensions.contains("code")) {
      error.extensions["code"] = "GRAPHQL_VALIDATION_FAILED";
    }
  }
  return errors;
}

bool GraphQLEndpoint::origin_allowed(std::string_view origin) const {
  if (config_.cors_allow_any_origin) {
    return true;
  }
  for (const auto& allowed : config_.cors_allowed_origins) {
    if (allowed == origin) {
      return true;
    }
  }
  return false;
}

void GraphQLEndpoint::add_cors_headers(const http::Request& request,
                                       http::Response& response) const {
  response.headers.add("Vary", "Origin");
  const auto origin = request.header("Origin");
  if (origin && origin_allowed(*origin)) {
    response.headers.set("Access-Control-Allow-Origin", std::string(*origin));
    response.headers.set("Access-Control-Expose-Headers", "X-Request-Id");
  }
}

http::Response GraphQLEndpoint::preflight(http::Request& request) const {
  const auto origin = request.header("Origin");
  if (!origin || !origin_allowed(*origin)) {
    return http::Response::problem(
        core::Error::forbidden("origin " + std::string(origin.value_or("(none)")) +
                               " is not allowed; add it to CORS_ALLOWED_ORIGINS"),
        request.path);
  }
  http::Response response = http::Response::no_content();
  add_cors_headers(request, response);
  response.headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  response.headers.set("Access-Control-Allow-Headers",
                       "Authorization, Content-Type, Accept, X-Request-Id");
  response.headers.set("Access-Control-Max-Age", "600");
  return response;
}

http::Response GraphQLEndpoint::asset(http::Request& request) const {
  return graphiql_.asset(request.path_param("name"));
}

http::Response GraphQLEndpoint::handle(http::Request& request) {
  http::Response response = execute(request);
  add_cors_headers(request, response);
  return response;
}

http::Response GraphQLEndpoint::execute(http::Request& request) {
  const bool is_get = request.method == "GET" || request.method == "HEAD";
  const auto format = negotiate_format(request.header("Accept"), is_get);
  if (!format) {
    return graphql_response(ResponseFormat::kJson, 406,
                            error_body("none of the Accept types is supported; accept "
                                       "application/graphql-response+json or application/json",
                                       "NOT_ACCEPTABLE"));
  }
  if (*format == ResponseFormat::kHtml) {
    return graphiql_.page();
  }

  GraphQLParams params;
  try {
    params = is_get ? params_from_get(request) : params_from_post(request);
  } catch (const RequestRejected& rejected) {
    return graphql_response(*format, rejected.status, error_body(rejected.message, "BAD_REQUEST"));
  }

  // A document from the cache parsed and validated before, against the same schema and
  // limits, so only the checks that depend on the request run again.
  DocumentCache::Document cached = documents_.find(params.query);
  std::shared_ptr<graphql::ast::Document> parsed;
  if (cached == nullptr) {
    try {
      parsed = std::make_shared<graphql::ast::Document>(graphql::parse(params.query));
    } catch (const graphql::SyntaxError& error) {
      graphql::GraphQLError syntax_error{
          error.what(), {error.location()}, std::nullopt, Json{{"code", "GRAPHQL_PARSE_FAILED"}}};
      return graphql_response(*format, status_of(*format, false),
                              {{"errors", errors_json({syntax_error})}});
    }
  }
  const graphql::ast::Document& document = cached != nullptr ? *cached : *parsed;

  const auto* operation = selected_operation(document, params.operation_name);
  if (operation != nullptr && operation->operation == graphql::ast::OperationType::kSubscription) {
    return graphql_response(
        *format, status_of(*format, false),
        error_body("subscriptions are served over a WebSocket to this URL with the "
                   "graphql-transport-ws protocol, not over HTTP",
                   "BAD_REQUEST"));
  }
  if (is_get && operation != nullptr &&
      operation->operation != graphql::ast::OperationType::kQuery) {
    http::Response response =
        graphql_response(*format, 405,
                         error_body("only queries may be sent with GET; send mutations with POST",
                                    "METHOD_NOT_ALLOWED"));
    response.headers.set("Allow", "POST");
    return response;
  }

  auto schema = schemas_.acquire();
  if (cached == nullptr) {
    std::vector<graphql::GraphQLError> errors = validation_errors(*schema, document);
    if (!errors.empty()) {
      return graphql_response(*format, status_of(*format, false),
                              {{"errors", errors_json(errors)}});
    }
    documents_.insert(params.query, parsed);
  }

  CallerContext caller;
  if (const auto authorization = request.header("Authorization")) {
    caller.authorization = std::string(*authorization);
  }
  caller.request_id = request.request_id;
  caller.client_ip = request.remote_ip();
  // The timeout counts from the arrival of the request, so time spent waiting for a free
  // worker thread is part of it.
  const auto received = request.received_at == std::chrono::steady_clock::time_point{}
                            ? std::chrono::steady_clock::now()
                            : request.received_at;
  caller.deadline = received + config_.request_timeout;
  // This worker thread runs the whole execution: the responses of the downstream calls are
  // queued here, and the HTTP client's I/O thread does no more than the I/O.
  auto completions = std::make_shared<CompletionQueue>();
  auto context = std::make_shared<RequestContext>(*downstream_, std::move(caller), completions);

  graphql::ExecutionRequest execution;
  execution.schema = schema.get();
  execution.document = &document;
  execution.operation_name = params.operation_name;
  execution.variables = std::move(params.variables);
  execution.context = context;
  graphql::ExecutionResult result;
  const graphql::Promise finished;
  graphql::execute_async(std::move(execution),
                         [&result, finished](graphql::ExecutionResult completed) {
                           result = std::move(completed);
                           finished.set_value(nullptr);
                         });
  completions->run_until_ready(finished.get_future());
  completions->close();

  const bool has_data = result.data.has_value();
  if (has_data) {
    context->errors().apply(result.errors);
  } else {
    for (auto& error : result.errors) {
      if (!error.extensions.contains("code")) {
        error.extensions["code"] = std::string(kBadUserInput);
      }
    }
  }
  return graphql_response(*format, status_of(*format, has_data), std::move(result).to_json());
}

}  // namespace surplus::gateway
