// Section 5.5.2.2 Fragment Spreads Must Not Form Cycles. A depth-first search from each
// fragment, visiting every fragment once, reports each cycle closed by a spread with the
// spreads along the cycle.
#include <map>
#include <string_view>

#include "name_set.hpp"
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class NoFragmentCycles final : public Rule {
 public:
  explicit NoFragmentCycles(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kOperationHook | kFragmentDefinitionHook; }

  void reset() override {
    visited_ = NameSet();
    path_.clear();
    path_index_.clear();
  }

  Visit enter_operation(const ast::OperationDefinition&) override { return Visit::kSkip; }

  Visit enter_fragment_definition(const ast::FragmentDefinition& fragment) override {
    detect_cycles(fragment);
    return Visit::kSkip;
  }

 private:
  // Iterative, so a long chain of fragments cannot exhaust the stack.
  void detect_cycles(const ast::FragmentDefinition& root) {
    struct Frame {
      const std::string* name;
      const std::vector<const ast::Selection*>* spreads;
      std::size_t next = 0;
    };
    std::vector<Frame> frames;
    const auto enter = [&](const ast::FragmentDefinition& fragment) {
      if (!visited_.insert(fragment.name)) {
        return false;
      }
      const auto& spreads = context_.fragment_spreads(fragment.selections);
      if (spreads.empty()) {
        return false;
      }
      path_index_[fragment.name] = path_.size();
      frames.push_back({&fragment.name, &spreads});
      return true;
    };
    enter(root);
    while (!frames.empty()) {
      Frame& frame = frames.back();
      if (frame.next == frame.spreads->size()) {
        path_index_.erase(*frame.name);
        frames.pop_back();
        if (!frames.empty()) {
          path_.pop_back();
        }
        continue;
      }
      const ast::Selection* spread = (*frame.spreads)[frame.next++];
      const auto cycle_start = path_index_.find(spread->name);
      path_.push_back(spread);
      if (cycle_start != path_index_.end()) {
        report_cycle(spread->name, cycle_start->second);
      } else if (const auto* target = context_.fragment(spread->name)) {
        if (enter(*target)) {
          continue;
        }
      }
      path_.pop_back();
    }
  }

  void report_cycle(const std::string& name, std::size_t start) {
    std::string via;
    std::vector<ast::Location> locations;
    for (std::size_t index = start; index < path_.size(); ++index) {
      locations.push_back(path_[index]->location);
      if (index + 1 < path_.size()) {
        via += (via.empty() ? "" : ", ") + ("\"" + path_[index]->name + "\"");
      }
    }
    context_.report("Cannot spread fragment \"" + name + "\" within itself" +
                        (via.empty() ? "." : " via " + via + "."),
                    std::move(locations));
  }

  ValidationContext& context_;
  // Names point into the document, like every name of this rule.
  NameSet visited_;
  // Spreads from the fragment where the search started to the current one.
  std::vector<const ast::Selection*> path_;
  // Position in path_ at which each fragment on the current path was entered.
  std::map<std::string_view, std::size_t> path_index_;
};

}  // namespace

RulePtr make_no_fragment_cycles_rule(ValidationContext& context) {
  return std::make_unique<NoFragmentCycles>(context);
}

}  // namespace surplus::graphql::detail
