#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <surplus/graphql/validation.hpp>

#include "fragment_map.hpp"
#include "validation/type_info.hpp"

namespace surplus::graphql::detail {

// Thrown to stop validation once the error limit or a work budget is reached; the error
// that explains why is already in the list.
struct ValidationAborted {};

// A variable used in a value, with what TypeInfo knew at that position (section 5.8.5).
struct VariableUsage {
  const ast::Value* node = nullptr;
  // Input type expected at the position; nullptr when the position has no known type.
  const Type* type = nullptr;
  bool has_location_default = false;
  // Input type of the value around the position, such as the input object of a field.
  const Type* parent_type = nullptr;
};

// A directive defined by the document itself. Such definitions are not executable, but
// graphql-js lets them satisfy the directive rules, so the differential test expects it.
struct DocumentDirective {
  std::vector<std::string> locations;
  std::vector<std::string> arguments;
  // Non-null arguments without a default, with their type as written.
  std::vector<std::pair<std::string, std::string>> required_arguments;
  bool repeatable = false;
};

// State shared by the rules of one validation: the error list with its limit, the
// fragments by name, and memoised traversals. reset() prepares it for another document.
class ValidationContext {
 public:
  ValidationContext(const Schema& schema, const ast::Document& document, std::size_t max_errors);
  ~ValidationContext();
  ValidationContext(const ValidationContext&) = delete;
  ValidationContext& operator=(const ValidationContext&) = delete;

  // Forgets the previous document: its errors, fragments and memoised traversals.
  void reset(const Schema& schema, const ast::Document& document, std::size_t max_errors);

  const Schema& schema() const { return *schema_; }
  const ast::Document& document() const { return *document_; }
  const TypeInfo& type_info() const { return *type_info_; }
  void set_type_info(const TypeInfo* info) { type_info_ = info; }

  const ast::FragmentDefinition* fragment(std::string_view name) const;
  const DocumentDirective* document_directive(std::string_view name) const;

  // Adds an error; throws ValidationAborted when max_errors errors are already listed.
  void report(std::string message, std::vector<ast::Location> locations,
              Json extensions = Json::object());
  // Adds the error "Validation aborted: <reason>" and throws ValidationAborted.
  [[noreturn]] void abort(const std::string& reason);
  // Charges traversal work on fragments against a fixed budget, so a document that
  // references fragments from many places cannot make validation slow.
  void spend_fragment_work(std::size_t cost);

  // Fragment spreads anywhere inside `selections`, without following fragments.
  const std::vector<const ast::Selection*>& fragment_spreads(
      const std::vector<ast::Selection>& selections);
  // Fragments reachable from the operations through spreads, each once, in the order found.
  std::vector<const ast::FragmentDefinition*> referenced_fragments(
      std::span<const ast::OperationDefinition* const> operations);
  // Creates the variable usage list of an operation or fragment definition for a
  // VariableUsageCollector to fill. Returns nullptr when the list already exists.
  std::vector<VariableUsage>* begin_variable_usages(const void* definition);
  // Variable uses of the operation and of every fragment it reaches.
  const std::vector<VariableUsage>& recursive_variable_usages(
      const ast::OperationDefinition& operation);

  std::vector<GraphQLError> take_errors() { return std::move(errors_); }
  bool has_errors() const { return !errors_.empty(); }

 private:
  struct UsageWalk;

  template <typename Definition>
  const std::vector<VariableUsage>& variable_usages(const Definition& definition);

  const Schema* schema_;
  const ast::Document* document_;
  std::size_t max_errors_;
  const TypeInfo* type_info_ = nullptr;
  std::vector<GraphQLError> errors_;
  // A later definition with the same name wins, as in graphql-js; UniqueFragmentNames and
  // the executable definition rules report the duplicates.
  FragmentMap fragments_;
  std::map<std::string, DocumentDirective, std::less<>> document_directives_;
  std::size_t remaining_fragment_work_;
  std::unordered_map<const void*, std::vector<const ast::Selection*>> spreads_;
  // Stack of fragment_spreads(), kept to reuse its allocation.
  std::vector<const std::vector<ast::Selection>*> pending_selection_sets_;
  std::unordered_map<const void*, std::vector<VariableUsage>> usages_;
  std::unordered_map<const void*, std::vector<VariableUsage>> recursive_usages_;
  std::unique_ptr<UsageWalk> usage_walk_;
};

}  // namespace surplus::graphql::detail
