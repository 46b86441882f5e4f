// Introspection depth bound, which graphql-js 16 runs with the rules of section 5: below
// `__schema` or `__type`, at most two nested list fields of __Type (`fields`, `interfaces`,
// `possibleTypes`, `inputFields`), because each level multiplies the size of the response.
#include <map>
#include <string_view>

#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

constexpr std::size_t kMaxListDepth = 3;

bool is_introspection_list(const std::string& name) {
  return name == "fields" || name == "interfaces" || name == "possibleTypes" ||
         name == "inputFields";
}

class MaxIntrospectionDepth final : public Rule {
 public:
  explicit MaxIntrospectionDepth(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kFieldHook; }

  void reset() override {
    checked_.clear();
    exceeded_.clear();
  }

  Visit enter_field(const ast::Selection& field) override {
    const std::string_view name = field.name;
    if (name != "__schema" && name != "__type") {
      return Visit::kContinue;
    }
    std::map<std::string_view, std::size_t> visited;
    if (exceeds(field, visited, 0)) {
      context_.report("Maximum introspection depth exceeded", {field.location});
      return Visit::kSkip;
    }
    return Visit::kContinue;
  }

 private:
  // Whether the selection reaches the depth bound. Results per fragment and entry depth are
  // remembered across roots: a fragment that stayed below the bound when entered at depth d
  // also does so at any smaller depth, and one that reached it at d reaches it deeper too.
  bool exceeds(const ast::Selection& selection, std::map<std::string_view, std::size_t>& visited,
               std::size_t depth) {
    if (selection.kind == ast::Selection::Kind::kFragmentSpread) {
      const std::string_view name = selection.name;
      if (const auto found = exceeded_.find(name);
          found != exceeded_.end() && found->second <= depth) {
        return true;
      }
      const auto seen = visited.find(name);
      const auto checked = checked_.find(name);
      if ((seen != visited.end() && seen->second >= depth) ||
          (checked != checked_.end() && checked->second >= depth)) {
        return false;
      }
      const ast::FragmentDefinition* fragment = context_.fragment(name);
      if (fragment == nullptr) {
        return false;
      }
      visited[name] = depth;
      if (any_exceeds(fragment->selections, visited, depth)) {
        exceeded_[name] = depth;
        return true;
      }
      checked_[name] = depth;
      return false;
    }
    if (selection.kind == ast::Selection::Kind::kField && is_introspection_list(selection.name)) {
      if (++depth >= kMaxListDepth) {
        return true;
      }
    }
    return any_exceeds(selection.selections, visited, depth);
  }

  bool any_exceeds(const std::vector<ast::Selection>& selections,
                   std::map<std::string_view, std::size_t>& visited, std::size_t depth) {
    for (const auto& child : selections) {
      if (exceeds(child, visited, depth)) {
        return true;
      }
    }
    return false;
  }

  ValidationContext& context_;
  // Per fragment: the greatest entry depth at which it stayed below the bound.
  std::map<std::string_view, std::size_t> checked_;
  // Per fragment: the smallest entry depth at which it reached the bound.
  std::map<std::string_view, std::size_t> exceeded_;
};

}  // namespace

RulePtr make_max_introspection_depth_rule(ValidationContext& context) {
  return std::make_unique<MaxIntrospectionDepth>(context);
}

}  // namespace surplus::graphql::detail
