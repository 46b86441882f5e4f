// Section 5.6 Values: 5.6.1 Values of Correct Type (including the @oneOf input object rules
// of the September 2025 edition) and 5.6.3 Input Object Field Uniqueness.
#include <map>
#include <set>

#include "printer.hpp"
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

const Type* nullable(const Type* type) {
  return type != nullptr && type->kind == TypeKind::kNonNull ? type->of_type : type;
}

const Type* named(const Type* type) {
  return type == nullptr ? nullptr : type->named_type();
}

class ValuesOfCorrectType final : public Rule {
 public:
  explicit ValuesOfCorrectType(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kValueHook | kObjectFieldHook; }
  void reset() override {}

  Visit enter_value(const ast::Value& value) override {
    const TypeInfo& info = context_.type_info();
    switch (value.kind) {
      case ast::ValueKind::kVariable:
        return Visit::kContinue;
      case ast::ValueKind::kList: {
        // TypeInfo has already entered the list, so the list's own type is the parent.
        const Type* type = nullable(info.parent_input_type());
        if (type == nullptr || type->kind != TypeKind::kList) {
          check_leaf(value);
          return Visit::kSkip;
        }
        return Visit::kContinue;
      }
      case ast::ValueKind::kObject: {
        const Type* type = named(info.input_type());
        if (type == nullptr || type->kind != TypeKind::kInputObject) {
          check_leaf(value);
          return Visit::kSkip;
        }
        check_object(value, *type);
        return Visit::kContinue;
      }
      case ast::ValueKind::kNull: {
        const Type* type = info.input_type();
        if (type != nullptr && type->kind == TypeKind::kNonNull) {
          context_.report("Expected value of type \"" + type->to_string() + "\", found null.",
                          {value.location});
        }
        return Visit::kContinue;
      }
      default:
        check_leaf(value);
        return Visit::kContinue;
    }
  }

  Visit enter_object_field(const ast::ObjectField& field) override {
    const TypeInfo& info = context_.type_info();
    const Type* parent = named(info.parent_input_type());
    if (info.input_type() == nullptr && parent != nullptr &&
        parent->kind == TypeKind::kInputObject) {
      context_.report(
          "Field \"" + field.name + "\" is not defined by type \"" + parent->name + "\".",
          {field.location});
    }
    return Visit::kContinue;
  }

 private:
  // A literal where a scalar or enum is expected, or a list or object where the type is
  // not a list or an input object: the type's literal parser decides.
  void check_leaf(const ast::Value& value) {
    const Type* location_type = context_.type_info().input_type();
    if (location_type == nullptr) {
      return;
    }
    const Type* type = location_type->named_type();
    // Built only for an error, because most literals are valid.
    const auto expected = [&] {
      return "Expected value of type \"" + location_type->to_string() + "\", found " +
             print_value(value);
    };
    if (!type->is_leaf()) {
      context_.report(expected() + ".", {value.location});
      return;
    }
    if (type->kind == TypeKind::kEnum) {
      if (value.kind != ast::ValueKind::kEnum || type->find_enum_value(value.text) == nullptr) {
        context_.report(expected() + ".", {value.location});
      }
      return;
    }
    try {
      type->scalar.parse_literal(value, Json::object());
    } catch (const std::exception& error) {
      context_.report(expected() + "; " + error.what(), {value.location});
    }
  }

  void check_object(const ast::Value& value, const Type& type) {
    std::map<std::string_view, const ast::Value*> provided;
    for (const auto& field : value.fields) {
      provided.insert_or_assign(field.name, &field.value);
    }
    for (const auto& field : type.input_fields) {
      const bool required = field.type->kind == TypeKind::kNonNull && !field.default_value;
      if (required && provided.count(field.name) == 0) {
        context_.report("Field \"" + type.name + "." + field.name + "\" of required type \"" +
                            field.type->to_string() + "\" was not provided.",
                        {value.location});
      }
    }
    if (!type.one_of) {
      return;
    }
    if (provided.size() != 1) {
      context_.report("OneOf Input Object \"" + type.name + "\" must specify exactly one key.",
                      {value.location});
    } else if (provided.begin()->second->kind == ast::ValueKind::kNull) {
      context_.report("Field \"" + type.name + "." + std::string(provided.begin()->first) +
                          "\" must be non-null.",
                      {value.location});
    }
  }

  ValidationContext& context_;
};

class UniqueInputFieldNames final : public Rule {
 public:
  explicit UniqueInputFieldNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kValueHook | kLeaveValueHook | kObjectFieldHook; }

  void reset() override { seen_.clear(); }

  Visit enter_value(const ast::Value& value) override {
    if (value.kind == ast::ValueKind::kObject) {
      seen_.emplace_back();
    }
    return Visit::kContinue;
  }

  void leave_value(const ast::Value& value) override {
    if (value.kind == ast::ValueKind::kObject) {
      seen_.pop_back();
    }
  }

  Visit enter_object_field(const ast::ObjectField& field) override {
    const auto [first, inserted] = seen_.back().emplace(field.name, field.location);
    if (!inserted) {
      context_.report("There can be only one input field named \"" + field.name + "\".",
                      {first->second, field.location});
    }
    return Visit::kContinue;
  }

 private:
  ValidationContext& context_;
  // Field names of each input object literal being visited, innermost last.
  std::vector<std::map<std::string_view, ast::Location>> seen_;
};

}  // namespace

RulePtr make_values_of_correct_type_rule(ValidationContext& context) {
  return std::make_unique<ValuesOfCorrectType>(context);
}

RulePtr make_unique_input_field_names_rule(ValidationContext& context) {
  return std::make_unique<UniqueInputFieldNames>(context);
}

}  // namespace surplus::graphql::detail
