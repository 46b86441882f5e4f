#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <surplus/graphql/async.hpp>

namespace surplus::gateway {

using graphql::Json;

namespace detail {

inline void add_members(Json::object_t&) {}

template <typename Value, typename... Rest>
void add_members(Json::object_t& members, std::string_view name, Value&& value, Rest&&... rest) {
  members.emplace_back(std::string(name), Json(std::forward<Value>(value)));
  add_members(members, std::forward<Rest>(rest)...);
}

}  // namespace detail

// Builds a JSON object from alternating names and values, moving each rvalue in:
// make_object("edges", std::move(edges), "pageInfo", std::move(page_info)).
// nlohmann's initializer-list form, {{"edges", std::move(edges)}, {"pageInfo", ...}},
// copies every value of a list of two or more members, rvalues included, which costs a
// deep copy of a page of results. Names must be distinct, because none is looked up.
template <typename... Members>
Json make_object(Members&&... members) {
  static_assert(sizeof...(Members) % 2 == 0, "make_object takes pairs of name and value");
  Json result(Json::value_t::object);
  auto& list = result.get_ref<Json::object_t&>();
  list.reserve(sizeof...(Members) / 2);
  detail::add_members(list, std::forward<Members>(members)...);
  return result;
}

}  // namespace surplus::gateway
