// Section 5.2.3.1 Single Root Field: a subscription selects exactly one root field, and
// not an introspection field, after fragments are expanded (CollectFields, section 6.3.2).
#include "collect_fields.hpp"
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class SingleFieldSubscriptions final : public Rule {
 public:
  explicit SingleFieldSubscriptions(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kOperationHook; }

  void reset() override { fragments_ = FragmentMap(); }

  Visit enter_operation(const ast::OperationDefinition& operation) override {
    const Type* root = context_.schema().subscription_type();
    if (operation.operation != ast::OperationType::kSubscription || root == nullptr) {
      return Visit::kSkip;
    }
    // Variables have no values during validation, and collect_fields keeps a field whose
    // @skip or @include depends on a variable without a value. So a selection that might
    // have two root fields is rejected. (graphql-js 16 throws an exception there instead of
    // reporting an error.)
    // Built for the first subscription only, because most documents have none.
    if (fragments_.empty()) {
      fragments_ = FragmentMap(context_.document());
    }
    FieldGroups groups;
    VisitedFragments visited;
    collect_fields(context_.schema(), root, operation.selections, Json::object(), fragments_,
                   visited, groups);

    const std::string subject = operation.name.empty() ? std::string("Anonymous Subscription")
                                                       : "Subscription \"" + operation.name + "\"";
    if (groups.groups().size() > 1) {
      std::vector<ast::Location> extra;
      for (std::size_t index = 1; index < groups.groups().size(); ++index) {
        for (const auto* node : groups.groups()[index].nodes) {
          extra.push_back(node->location);
        }
      }
      context_.report(subject + " must select only one top level field.", std::move(extra));
    }

    for (const auto& group : groups.groups()) {
      const std::string& name = group.nodes.front()->name;
      if (name.rfind("__", 0) == 0) {
        std::vector<ast::Location> locations;
        for (const auto* node : group.nodes) {
          locations.push_back(node->location);
        }
        context_.report(subject + " must not select an introspection top level field.",
                        std::move(locations));
      }
    }
    return Visit::kSkip;
  }

 private:
  ValidationContext& context_;
  FragmentMap fragments_;
};

}  // namespace

RulePtr make_single_field_subscriptions_rule(ValidationContext& context) {
  return std::make_unique<SingleFieldSubscriptions>(context);
}

}  // namespace surplus::graphql::detail
