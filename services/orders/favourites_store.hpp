#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

#include "restaurants_store.hpp"

namespace surplus::orders {

// Returns false when the restaurant already was a favourite.
bool add_favourite(db::Session& session, const std::string& user_id,
                   const std::string& restaurant_id, core::Timestamp now);
// Returns false when it was not a favourite.
bool remove_favourite(db::Session& session, const std::string& user_id,
                      const std::string& restaurant_id);

struct Favourite {
  Restaurant restaurant;
  core::Timestamp added_at;
};

// The user's favourite restaurants, most recently added first; `after` is the
// (added_at, restaurant id) of the last one of the previous page.
std::vector<Favourite> list_favourites(
    db::Session& session, const std::string& user_id,
    const std::optional<std::pair<std::int64_t, std::string>>& after, std::size_t limit);

}  // namespace surplus::orders
