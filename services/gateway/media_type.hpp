#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace surplus::gateway {

// Response formats of GraphQL over HTTP (graphql-over-http draft specification,
// section "Media Types"), plus GraphiQL for browsers.
enum class ResponseFormat { kGraphQLResponseJson, kJson, kHtml };

// Chooses the response format for an Accept header value (RFC 9110, section 12.5.1): the
// acceptable type with the highest quality. At equal quality an exact
// application/graphql-response+json wins, and otherwise application/json, so `*/*` gets
// it. text/html is chosen only when `allow_html` and the header names it but neither JSON
// type. A missing header means application/json. Returns nullopt when no format is
// acceptable (406).
std::optional<ResponseFormat> negotiate_format(std::optional<std::string_view> accept,
                                               bool allow_html);

std::string_view content_type_of(ResponseFormat format);

// Whether a request Content-Type is application/json with no charset or charset utf-8.
bool is_json_utf8(std::string_view content_type);

}  // namespace surplus::gateway
