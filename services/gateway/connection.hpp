#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <surplus/graphql/resolver.hpp>

// Relay-style cursor connections over the services' pages (`?first=N&after=C` returning
// {"items", "nextCursor"}). A service cursor only marks the end of a page, so an edge
// cursor is the service cursor of its page plus the number of items to skip in it; every
// edge cursor can then be passed as `after`.
namespace surplus::gateway {

using graphql::Json;

// Page sizes of the services.
inline constexpr std::size_t kMaxPageSize = 100;

struct PageRequest {
  std::size_t first = 20;
  std::optional<std::string> service_after;
  std::size_t skip = 0;

  // `first=N&after=C` for the service: N covers the skipped items, up to kMaxPageSize.
  std::string query() const;
};

// Reads `first` (1 to 100) and `after` from field arguments; throws FieldFailure
// BAD_USER_INPUT naming the argument that is out of range or not a cursor of this API.
PageRequest page_request(const Json& arguments);

// The connection {edges: [{node, cursor}], pageInfo} for a service page fetched with
// `request`; `node` converts each item. The items are moved out of `page`.
Json make_connection(Json page, const PageRequest& request,
                     const std::function<Json(Json)>& node = {});

}  // namespace surplus::gateway
