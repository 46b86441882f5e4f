// Section 5.3.1 Field Selections (the field exists on the type) and 5.3.3 Leaf Field
// Selections (leaves have no selection set, other fields must have one).
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class FieldsOnCorrectType final : public Rule {
 public:
  explicit FieldsOnCorrectType(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kFieldHook; }
  void reset() override {}

  Visit enter_field(const ast::Selection& field) override {
    const TypeInfo& info = context_.type_info();
    if (info.parent_type() != nullptr && info.field_definition() == nullptr) {
      context_.report(
          "Cannot query field \"" + field.name + "\" on type \"" + info.parent_type()->name + "\".",
          {field.location});
    }
    return Visit::kContinue;
  }

 private:
  ValidationContext& context_;
};

class ScalarLeafs final : public Rule {
 public:
  explicit ScalarLeafs(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kFieldHook; }
  void reset() override {}

  Visit enter_field(const ast::Selection& field) override {
    const Type* type = context_.type_info().type();
    if (type == nullptr) {
      return Visit::kContinue;
    }
    if (type->named_type()->is_leaf()) {
      if (field.has_selection_set) {
        context_.report("Field \"" + field.name + "\" must not have a selection since type \"" +
                            type->to_string() + "\" has no subfields.",
                        {field.selection_set_location});
      }
    } else if (!field.has_selection_set) {
      context_.report("Field \"" + field.name + "\" of type \"" + type->to_string() +
                          "\" must have a selection of subfields. Did you mean \"" + field.name +
                          " { ... }\"?",
                      {field.location});
    }
    return Visit::kContinue;
  }

 private:
  ValidationContext& context_;
};

}  // namespace

RulePtr make_fields_on_correct_type_rule(ValidationContext& context) {
  return std::make_unique<FieldsOnCorrectType>(context);
}

RulePtr make_scalar_leafs_rule(ValidationContext& context) {
  return std::make_unique<ScalarLeafs>(context);
}

}  // namespace surplus::graphql::detail
