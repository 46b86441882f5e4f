#pragma once

#include <any>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/graphql/ast.hpp>

namespace surplus::graphql {

using Json = nlohmann::ordered_json;

struct Field;
struct Type;
class Schema;

// One element of a response path: a response key or a list index.
using PathElement = std::variant<std::string, std::size_t>;

// Context a resolver receives for one field of one object (section 6.4.2 ResolveFieldValue).
struct ResolveInfo {
  const Schema* schema = nullptr;
  const Type* parent_type = nullptr;
  const Field* field = nullptr;
  const ast::Selection* selection = nullptr;
  const std::vector<PathElement>* path = nullptr;
  const Json* variables = nullptr;
  // Per-request value of the caller (user, loaders); empty when none was given.
  const std::any* context = nullptr;
};

// What a resolver returns: a value that is ready, or a deferred value. The executor calls
// every resolver of one object's selection set before it computes any deferred value, so a
// loader collects the keys of sibling fields first and loads them in one call.
// NOTE: list items are completed one after another, so keys from different items of a list
// are not batched together yet. A resolver or deferred function that throws produces a
// field error whose message is `what()`.
class FieldResult {
 public:
  FieldResult(Json value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  static FieldResult deferred(std::function<Json()> compute) {
    FieldResult result{Json()};
    result.deferred_ = std::move(compute);
    return result;
  }

  bool is_deferred() const { return static_cast<bool>(deferred_); }
  // Runs the deferred function once, then returns the value.
  Json& value() {
    if (deferred_) {
      value_ = deferred_();
      deferred_ = nullptr;
    }
    return value_;
  }

 private:
  Json value_;
  std::function<Json()> deferred_;
};

using Resolver =
    std::function<FieldResult(const Json& parent, const Json& arguments, const ResolveInfo& info)>;

}  // namespace surplus::graphql
