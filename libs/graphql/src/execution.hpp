#pragma once

#include <deque>
#include <forward_list>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <surplus/graphql/executor.hpp>

#include "collect_fields.hpp"

// Section 6: execution of one operation, in steps that can pause while a Future is not
// ready (see FieldResult in resolver.hpp).
namespace surplus::graphql::detail {

// Section 6.1 GetOperation. Appends a request error and returns nullptr when the document
// has no operation to run.
const ast::OperationDefinition* select_operation(const ExecutionRequest& request,
                                                 std::vector<GraphQLError>& errors);

// Root type of `operation`, or nullptr when the schema has none for its kind.
const Type* root_type_of(const Schema& schema, const ast::OperationDefinition& operation);

// True when CompleteValue (section 6.4.3) would return `value` unchanged: a non-null leaf
// value that result coercion keeps as it is. The executor then moves a resolver's value
// into the response instead of copying it.
bool is_complete_leaf(const Type* type, const Json& value);

class Executor {
 public:
  // `request` and the document and schema it points to must outlive the executor.
  // `variables` are the coerced variable values.
  Executor(const ExecutionRequest& request, Json variables);

  // Starts the operation: collects the root fields and runs every resolver it can reach.
  // Root fields of a mutation are executed one at a time (section 6.2.2), each completely
  // before the next resolver runs.
  void begin(const Type* root_type, const ast::OperationDefinition& operation);
  // Continues until the operation is complete (returns true) or a Future that it needs is
  // not ready (returns false; waiting_for() is that Future). Call again once it is ready.
  bool run();
  const Future& waiting_for() const { return waiting_for_; }

  // The response once run() returned true.
  ExecutionResult take_result();

  // The collected root fields, for subscriptions.
  const FieldGroups& root_groups() const { return root_groups_; }

 private:
  struct Frame;

  // One position of the response: a field of an object or an item of a list. The key
  // points into the document, so moving along the path copies no strings.
  struct PathSegment {
    std::string_view key;
    std::size_t index = 0;
    // Where the value of this position is stored, and whether null may be stored there.
    Json* location = nullptr;
    bool nullable = true;
    // Created only when a deferred result below this position is queued.
    Frame* frame = nullptr;
  };

  // Set when a null replaced this position, so that results queued below it are dropped.
  struct Frame {
    bool nulled = false;
  };

  // The value of one field before completion: borrowed from the parent value when the
  // default resolver read it, otherwise owned.
  struct Resolved {
    const Field* field = nullptr;
    const Json* borrowed = nullptr;
    std::optional<FieldResult> result;
    std::optional<GraphQLError> error;
  };

  // The field being completed, for error messages and locations.
  struct FieldContext {
    const Type* parent_type;
    const Field* field;
    const FieldGroup* group;
  };

  // A field whose resolver returned a result that is not ready, with the position its
  // completed value goes to (the last element of `path`).
  struct Task {
    FieldResult result;
    const Type* type;
    FieldContext context;
    std::vector<PathSegment> path;
  };

  // A field error on its way up to the nearest nullable position (section 6.4.4).
  struct FieldError {
    GraphQLError error;
  };

  Json execute_fields(const Type* type, const Json& source, const FieldGroups& groups);
  template <typename Complete>
  void complete_at(const Type* field_type, std::string_view key, Json::object_t& members,
                   Complete&& complete);
  void complete_field(const Type* type, const FieldGroup& group, Resolved& entry,
                      Json::object_t& members);
  Resolved resolve_field(const Type* type, const Json& source, const FieldGroup& group);
  Json complete_value(const Type* type, const FieldContext& context, const Json& value);
  Json complete_list(const Type* type, const FieldContext& context, const Json& value);
  Json complete_leaf(const Type* type, const FieldContext& context, const Json& value);
  Json complete_object(const Type* type, const FieldContext& context, const Json& value);
  const Type* resolve_abstract_type(const Type* type, const FieldContext& context,
                                    const Json& value);
  const FieldGroups& sub_fields(const Type* type, const FieldGroup& group);

  void execute_next_root_field();
  void enqueue(FieldResult result, const Type* type, const FieldContext& context);
  void start_step();
  void complete_task(Task& task);
  bool is_dropped(const Task& task) const;
  void null_current_position();
  void null_nearest_nullable();

  GraphQLError located(std::string message, const FieldGroup& group) const;
  std::vector<PathElement> path_elements() const;
  const std::vector<PathElement>& update_resolver_path();

  const ExecutionRequest& request_;
  const Schema& schema_;
  Json variables_;
  FragmentMap fragments_;
  // Section 6.4.3 CollectSubfields, memoised: every item of a list shares its field groups.
  // A deque does not move its elements, so FieldGroup::sub_fields may point into it.
  std::deque<FieldGroups> sub_fields_;
  // The groups collected for each object type, for a group completed on several types.
  std::map<std::pair<const Type*, const FieldGroup*>, const FieldGroups*> sub_fields_index_;

  const Type* root_type_ = nullptr;
  FieldGroups root_groups_;
  bool serial_ = false;
  std::size_t next_root_field_ = 0;
  Json data_;
  // Set when a field error reached the root, so that `data` is null.
  bool data_nulled_ = false;

  std::vector<PathSegment> path_;
  // The path that resolvers see, and the segments it was built from.
  std::vector<PathElement> resolver_path_;
  struct BuiltSegment {
    std::string_view key;
    std::size_t index;
  };
  std::vector<BuiltSegment> resolver_path_source_;
  // Frames live as long as the executor. A list keeps their addresses, and unlike a deque it
  // allocates nothing for an operation whose results are all ready.
  std::forward_list<Frame> frames_;
  // Results of the step being completed and of the next one.
  std::vector<Task> step_;
  std::size_t step_index_ = 0;
  std::vector<Task> next_step_;
  Future waiting_for_;

  std::vector<GraphQLError> errors_;
};

}  // namespace surplus::graphql::detail
