#include <utility>

#include "execution.hpp"

// Steps of an execution: results that were not ready when their resolver returned are
// completed after every resolver of their step has run, so that a DataLoader receives all keys
// of the step before its batch starts, and every Future of a step is started before the
// executor waits for any of them.
namespace surplus::graphql::detail {

void Executor::begin(const Type* root_type, const ast::OperationDefinition& operation) {
  root_type_ = root_type;
  VisitedFragments visited;
  root_groups_.reserve(estimate_field_count(operation.selections, fragments_));
  collect_fields(schema_, root_type, operation.selections, variables_, fragments_, visited,
                 root_groups_);
  root_groups_.resolve_definitions(schema_, root_type);
  serial_ = operation.operation == ast::OperationType::kMutation;
  if (serial_) {
    // Section 6.2.2: run() executes the root fields one at a time.
    data_ = Json::object();
    data_.get_ref<Json::object_t&>().reserve(root_groups_.groups().size());
    return;
  }
  try {
    data_ = execute_fields(root_type, request_.root_value, root_groups_);
  } catch (FieldError& error) {
    errors_.push_back(std::move(error.error));
    data_ = nullptr;
    data_nulled_ = true;
  }
}

// Section 6.3.1 (serial execution): resolves one root field of a mutation; run() completes
// everything it queued before it takes the next one.
void Executor::execute_next_root_field() {
  const FieldGroup& group = root_groups_.groups()[next_root_field_++];
  path_.push_back({group.response_key});
  Resolved entry = resolve_field(root_type_, request_.root_value, group);
  path_.pop_back();
  try {
    complete_field(root_type_, group, entry, data_.get_ref<Json::object_t&>());
  } catch (FieldError& error) {
    errors_.push_back(std::move(error.error));
    data_ = nullptr;
    data_nulled_ = true;
  }
}

bool Executor::run() {
  for (;;) {
    while (step_index_ < step_.size()) {
      Task& task = step_[step_index_];
      if (!is_dropped(task)) {
        const Future& future = task.result.future();
        if (future.valid() && !future.is_ready()) {
          waiting_for_ = future;
          return false;
        }
      }
      ++step_index_;
      complete_task(task);
    }
    step_.clear();
    step_index_ = 0;
    if (!next_step_.empty()) {
      start_step();
      continue;
    }
    if (serial_ && !data_nulled_ && next_root_field_ < root_groups_.groups().size()) {
      execute_next_root_field();
      continue;
    }
    waiting_for_ = Future();
    return true;
  }
}

ExecutionResult Executor::take_result() {
  ExecutionResult result;
  result.data = std::move(data_);
  result.errors = std::move(errors_);
  return result;
}

// Queues a result that is not ready for the next step. Every position on the path gets a
// frame, so that a null stored above it later drops the result.
void Executor::enqueue(FieldResult result, const Type* type, const FieldContext& context) {
  for (auto& segment : path_) {
    if (segment.frame == nullptr) {
      segment.frame = &frames_.emplace_front();
    }
  }
  next_step_.push_back(Task{std::move(result), type, context, path_});
}

void Executor::start_step() {
  std::swap(step_, next_step_);
  for (auto& task : step_) {
    if (!is_dropped(task)) {
      task.result.start();
    }
  }
}

bool Executor::is_dropped(const Task& task) const {
  if (data_nulled_) {
    return true;
  }
  for (const auto& segment : task.path) {
    if (segment.frame->nulled) {
      return true;
    }
  }
  return false;
}

void Executor::complete_task(Task& task) {
  if (is_dropped(task)) {
    return;
  }
  path_ = std::move(task.path);
  Json& slot = *path_.back().location;
  try {
    // Objects and lists are read in place: completion copies only the fields it selects.
    // Taking them out of a Future that another Future shares, such as a DataLoader's cache
    // entry or waiting_for_, would copy all of the value.
    const Json* value = nullptr;
    try {
      value = &task.result.view();
    } catch (const std::exception& error) {
      throw FieldError{located(error.what(), *task.context.group)};
    } catch (...) {
      throw FieldError{
          located("the resolver failed with an exception not derived from std::exception",
                  *task.context.group)};
    }
    if (is_complete_leaf(task.type, *value)) {
      slot = std::move(task.result.value());
    } else {
      slot = complete_value(task.type, task.context, *value);
    }
  } catch (FieldError& error) {
    errors_.push_back(std::move(error.error));
    null_nearest_nullable();
  }
  path_.clear();
}

void Executor::null_current_position() {
  PathSegment& segment = path_.back();
  *segment.location = nullptr;
  if (segment.frame != nullptr) {
    segment.frame->nulled = true;
  }
}

// Section 6.4.4: a field error in a queued result nulls the nearest nullable position on
// its path, or `data` when there is none.
void Executor::null_nearest_nullable() {
  while (!path_.empty()) {
    if (path_.back().nullable) {
      null_current_position();
      return;
    }
    path_.pop_back();
  }
  data_ = nullptr;
  data_nulled_ = true;
}

}  // namespace surplus::graphql::detail
