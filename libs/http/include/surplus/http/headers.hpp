#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace surplus::http {

// Compares two header names the way HTTP does: ASCII case-insensitively.
bool iequals(std::string_view a, std::string_view b);

// An ordered list of HTTP header fields with case-insensitive names. A name may occur more
// than once (Set-Cookie, repeated Accept); `get` returns the first occurrence.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  // Replaces every field called `name` with one field.
  void set(std::string name, std::string value);
  // Appends a field, keeping existing ones with the same name.
  void add(std::string name, std::string value);
  void remove(std::string_view name);

  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace surplus::http
