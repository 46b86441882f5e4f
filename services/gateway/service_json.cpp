#include "service_json.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace surplus::gateway {
namespace {

// The SAX events of nlohmann's parser, turned into a Json tree. Open containers are kept
// as pointers on a stack. An open container is the last value of its parent, and the
// parent only grows once that container is closed, so the pointers stay valid.
class TreeBuilder {
 public:
  bool null() { return add(Json()); }
  bool boolean(bool value) { return add(Json(value)); }
  bool number_integer(Json::number_integer_t value) { return add(Json(value)); }
  bool number_unsigned(Json::number_unsigned_t value) { return add(Json(value)); }
  bool number_float(Json::number_float_t value, const std::string& /*lexeme*/) {
    return add(Json(value));
  }
  bool string(std::string& value) { return add(Json(std::move(value))); }
  bool binary(Json::binary_t& value) { return add(Json::binary(std::move(value))); }

  bool start_object(std::size_t /*size*/) {
    open_.push_back(place(Json::object()));
    return true;
  }
  bool key(std::string& name) {
    auto& members = open_.back()->get_ref<Json::object_t&>();
    members.emplace_back(std::move(name), nullptr);
    member_ = &members.back().second;
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*size*/) {
    open_.push_back(place(Json::array()));
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& error) {
    throw std::invalid_argument(error.what());
  }

  Json take() { return std::move(root_); }

 private:
  bool add(Json value) {
    place(std::move(value));
    return true;
  }

  // Stores `value` where the next value goes: the root, the end of the open array, or the
  // member whose name came last.
  Json* place(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *open_.back();
    if (parent.is_array()) {
      auto& items = parent.get_ref<Json::array_t&>();
      items.push_back(std::move(value));
      return &items.back();
    }
    *member_ = std::move(value);
    return member_;
  }

  Json root_;
  std::vector<Json*> open_;
  Json* member_ = nullptr;
};

}  // namespace

Json parse_service_json(std::string_view text) {
  TreeBuilder builder;
  Json::sax_parse(text.begin(), text.end(), &builder);
  return builder.take();
}

}  // namespace surplus::gateway
