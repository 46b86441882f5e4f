#include "connection.hpp"

#include <surplus/auth/jwt.hpp>
#include <surplus/http/url.hpp>

#include "field_error.hpp"
#include "json_object.hpp"

namespace surplus::gateway {
namespace {

// Encodes the JSON text {"a": service_after or null, "s": skip}. The text is written
// directly, without building a Json object, because every edge of every page needs one.
std::string encode_cursor(const std::optional<std::string>& service_after, std::size_t skip) {
  std::string text = R"({"a":)";
  text += service_after ? Json(*service_after).dump() : "null";
  text += R"(,"s":)";
  text += std::to_string(skip);
  text += '}';
  return auth::base64url_encode(text);
}

FieldFailure invalid_after() {
  return FieldFailure(kBadUserInput,
                      "argument \"after\" is not a cursor of this list; pass a cursor from "
                      "pageInfo.endCursor or an edge",
                      Json{{"argument", "after"}});
}

}  // namespace

std::string PageRequest::query() const {
  std::string text = "first=" + std::to_string(std::min(kMaxPageSize, first + skip));
  if (service_after) {
    text += "&after=" + http::percent_encode(*service_after);
  }
  return text;
}

PageRequest page_request(const Json& arguments) {
  PageRequest request;
  const auto first = arguments.find("first");
  if (first != arguments.end() && !first->is_null()) {
    const auto value = first->get<std::int64_t>();
    if (value < 1 || value > static_cast<std::int64_t>(kMaxPageSize)) {
      throw FieldFailure(kBadUserInput,
                         "argument \"first\" must be 1 to 100, got " + std::to_string(value),
                         Json{{"argument", "first"}});
    }
    request.first = static_cast<std::size_t>(value);
  }
  const auto after = arguments.find("after");
  if (after == arguments.end() || after->is_null()) {
    return request;
  }
  const auto decoded = auth::base64url_decode(after->get<std::string>());
  if (!decoded) {
    throw invalid_after();
  }
  const Json cursor = Json::parse(*decoded, nullptr, false);
  if (!cursor.is_object() || !cursor.contains("a") || !cursor.contains("s") ||
      !cursor["s"].is_number_unsigned() || !(cursor["a"].is_string() || cursor["a"].is_null()) ||
      cursor["s"].get<std::size_t>() > kMaxPageSize) {
    throw invalid_after();
  }
  if (cursor["a"].is_string()) {
    request.service_after = cursor["a"].get<std::string>();
  }
  request.skip = cursor["s"].get<std::size_t>();
  return request;
}

Json make_connection(Json page, const PageRequest& request, const std::function<Json(Json)>& node) {
  // A conditional between a member and a temporary copies the member, here a whole page of
  // items per list field, so the fallbacks are lvalues too. The copy was a sixth of the CPU.
  Json no_items;  // null, whose size() is 0
  static const Json kNoCursor;
  const auto found_items = page.find("items");
  Json& items = found_items != page.end() ? *found_items : no_items;
  const auto found_next = page.find("nextCursor");
  const Json& next = found_next != page.end() ? *found_next : kNoCursor;
  Json edges = Json::array();
  const std::size_t end = std::min(items.size(), request.skip + request.first);
  auto& edge_list = edges.get_ref<Json::array_t&>();
  edge_list.reserve(end > request.skip ? end - request.skip : 0);
  for (std::size_t index = request.skip; index < end; ++index) {
    const bool last_of_service_page = index + 1 == items.size();
    std::string cursor = last_of_service_page && next.is_string()
                             ? encode_cursor(next.get<std::string>(), 0)
                             : encode_cursor(request.service_after, index + 1);
    Json& item = items[index];
    edge_list.push_back(make_object("node", node ? node(std::move(item)) : std::move(item),
                                    "cursor", std::move(cursor)));
  }
  Json page_info = {{"hasNextPage", end < items.size() || next.is_string()},
                    {"hasPreviousPage", request.service_after.has_value() || request.skip > 0},
                    {"startCursor", edges.empty() ? Json() : edges.front()["cursor"]},
                    {"endCursor", edges.empty() ? Json() : edges.back()["cursor"]}};
  return make_object("edges", std::move(edges), "pageInfo", std::move(page_info));
}

}  // namespace surplus::gateway
