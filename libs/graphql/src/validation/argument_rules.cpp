// Section 5.4 Arguments: 5.4.1 Argument Names, 5.4.2 Argument Uniqueness and 5.4.2.1
// Required Arguments, for fields and directives.
#include <algorithm>

#include "same_name.hpp"
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

bool is_required(const InputValue& argument) {
  return argument.type->kind == TypeKind::kNonNull && !argument.default_value;
}

class KnownArgumentNames final : public Rule {
 public:
  explicit KnownArgumentNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kDirectiveHook | kArgumentHook; }
  void reset() override {}

  // Reached only for field arguments, because directives skip their subtree below.
  Visit enter_argument(const ast::Argument& argument) override {
    const TypeInfo& info = context_.type_info();
    if (info.argument() == nullptr && info.field_definition() != nullptr &&
        info.parent_type() != nullptr) {
      context_.report("Unknown argument \"" + argument.name + "\" on field \"" +
                          info.parent_type()->name + "." + info.field_definition()->name + "\".",
                      {argument.location});
    }
    return Visit::kContinue;
  }

  Visit enter_directive(const ast::Directive& directive, std::string_view) override {
    for (const auto& argument : directive.arguments) {
      if (is_unknown(directive.name, argument.name)) {
        context_.report(
            "Unknown argument \"" + argument.name + "\" on directive \"@" + directive.name + "\".",
            {argument.location});
      }
    }
    return Visit::kSkip;
  }

 private:
  // A directive defined in the document itself takes precedence over the schema's.
  bool is_unknown(std::string_view directive_name, std::string_view argument_name) const {
    if (const auto* defined = context_.document_directive(directive_name)) {
      const auto& names = defined->arguments;
      return std::find(names.begin(), names.end(), argument_name) == names.end();
    }
    const DirectiveType* type = context_.schema().find_directive(directive_name);
    return type != nullptr && type->find_argument(argument_name) == nullptr;
  }

  ValidationContext& context_;
};

class UniqueArgumentNames final : public Rule {
 public:
  explicit UniqueArgumentNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kFieldHook | kDirectiveHook; }
  void reset() override {}

  Visit enter_field(const ast::Selection& field) override {
    check(field.arguments);
    return Visit::kContinue;
  }

  Visit enter_directive(const ast::Directive& directive, std::string_view) override {
    check(directive.arguments);
    return Visit::kContinue;
  }

 private:
  // One error per repeated name, listing every occurrence.
  void check(const std::vector<ast::Argument>& arguments) {
    for (std::size_t index = 0; index < arguments.size(); ++index) {
      const std::string& name = arguments[index].name;
      bool seen_before = false;
      for (std::size_t previous = 0; previous < index && !seen_before; ++previous) {
        seen_before = arguments[previous].name == name;
      }
      if (seen_before) {
        continue;
      }
      // Most names appear once, and their check needs no location list.
      bool repeated = false;
      for (std::size_t later = index + 1; later < arguments.size() && !repeated; ++later) {
        repeated = same_name(arguments[later].name, name);
      }
      if (!repeated) {
        continue;
      }
      std::vector<ast::Location> locations;
      for (std::size_t later = index; later < arguments.size(); ++later) {
        if (arguments[later].name == name) {
          locations.push_back(arguments[later].location);
        }
      }
      if (locations.size() > 1) {
        context_.report("There can be only one argument named \"" + name + "\".",
                        std::move(locations));
      }
    }
  }

  ValidationContext& context_;
};

class ProvidedRequiredArguments final : public Rule {
 public:
  explicit ProvidedRequiredArguments(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kLeaveFieldHook | kLeaveDirectiveHook; }
  void reset() override {}

  void leave_field(const ast::Selection& field) override {
    const Field* definition = context_.type_info().field_definition();
    if (definition == nullptr) {
      return;
    }
    for (const auto& argument : definition->arguments) {
      if (is_required(argument) && !is_provided(field.arguments, argument.name)) {
        context_.report("Field \"" + definition->name + "\" argument \"" + argument.name +
                            "\" of type \"" + argument.type->to_string() +
                            "\" is required, but it was not provided.",
                        {field.location});
      }
    }
  }

  void leave_directive(const ast::Directive& directive) override {
    if (const auto* defined = context_.document_directive(directive.name)) {
      for (const auto& [name, type] : defined->required_arguments) {
        report_missing(directive, name, type);
      }
      return;
    }
    const DirectiveType* type = context_.schema().find_directive(directive.name);
    if (type == nullptr) {
      return;
    }
    for (const auto& argument : type->arguments) {
      if (is_required(argument)) {
        report_missing(directive, argument.name, argument.type->to_string());
      }
    }
  }

 private:
  static bool is_provided(const std::vector<ast::Argument>& arguments, std::string_view name) {
    return std::any_of(arguments.begin(), arguments.end(),
                       [&](const ast::Argument& argument) { return argument.name == name; });
  }

  void report_missing(const ast::Directive& directive, const std::string& name,
                      const std::string& type) {
    if (!is_provided(directive.arguments, name)) {
      context_.report("Directive \"@" + directive.name + "\" argument \"" + name + "\" of type \"" +
                          type + "\" is required, but it was not provided.",
                      {directive.location});
    }
  }

  ValidationContext& context_;
};

}  // namespace

RulePtr make_known_argument_names_rule(ValidationContext& context) {
  return std::make_unique<KnownArgumentNames>(context);
}

RulePtr make_unique_argument_names_rule(ValidationContext& context) {
  return std::make_unique<UniqueArgumentNames>(context);
}

RulePtr make_provided_required_arguments_rule(ValidationContext& context) {
  return std::make_unique<ProvidedRequiredArguments>(context);
}

}  // namespace surplus::graphql::detail
