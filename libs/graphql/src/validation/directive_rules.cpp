// Section 5.7 Directives: 5.7.1 Directives Are Defined, 5.7.2 Directives Are In Valid
// Locations and 5.7.3 Directives Are Unique Per Location.
#include <algorithm>
#include <map>

#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class KnownDirectives final : public Rule {
 public:
  explicit KnownDirectives(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kDirectiveHook; }
  void reset() override {}

  Visit enter_directive(const ast::Directive& directive, std::string_view location) override {
    const std::vector<std::string>* locations = nullptr;
    if (const auto* defined = context_.document_directive(directive.name)) {
      locations = &defined->locations;
    } else if (const auto* type = context_.schema().find_directive(directive.name)) {
      locations = &type->locations;
    }
    if (locations == nullptr) {
      context_.report("Unknown directive \"@" + directive.name + "\".", {directive.location});
      return Visit::kContinue;
    }
    if (std::find(locations->begin(), locations->end(), location) == locations->end()) {
      context_.report(
          "Directive \"@" + directive.name + "\" may not be used on " + std::string(location) + ".",
          {directive.location});
    }
    return Visit::kContinue;
  }

 private:
  ValidationContext& context_;
};

class UniqueDirectivesPerLocation final : public Rule {
 public:
  explicit UniqueDirectivesPerLocation(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kDirectivesHook; }

  void reset() override { shared_.clear(); }

  void check_directives(const std::vector<ast::Directive>& directives,
                        const DirectivesSite& site) override {
    std::map<std::string, ast::Location> local;
    auto& seen = site.shared_key.empty() ? local : shared_[std::string(site.shared_key)];
    for (const auto& directive : directives) {
      if (!is_unique(directive.name)) {
        continue;
      }
      const auto [first, inserted] = seen.emplace(directive.name, directive.location);
      if (!inserted) {
        context_.report(
            "The directive \"@" + directive.name + "\" can only be used once at this location.",
            {first->second, directive.location});
      }
    }
  }

 private:
  // Unknown directives are not checked; KnownDirectives reports them.
  bool is_unique(std::string_view name) const {
    if (const auto* defined = context_.document_directive(name)) {
      return !defined->repeatable;
    }
    const DirectiveType* type = context_.schema().find_directive(name);
    return type != nullptr && !type->repeatable;
  }

  ValidationContext& context_;
  // Directives of a schema or named type, counted across its definition and extensions.
  std::map<std::string, std::map<std::string, ast::Location>> shared_;
};

}  // namespace

RulePtr make_known_directives_rule(ValidationContext& context) {
  return std::make_unique<KnownDirectives>(context);
}

RulePtr make_unique_directives_per_location_rule(ValidationContext& context) {
  return std::make_unique<UniqueDirectivesPerLocation>(context);
}

}  // namespace surplus::graphql::detail
