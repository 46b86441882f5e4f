#include <algorithm>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <surplus/db/error.hpp>
#include <surplus/db/result.hpp>

namespace surplus::db {
namespace {

const std::vector<std::string> kNoColumns;
const std::string kUnnamedColumn;

[[noreturn]] void throw_mismatch(std::string_view column, const Value& value,
                                 std::string_view requested) {
  throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                      fmt::format("column \"{}\" holds {}, which cannot be read as {}", column,
                                  value_type_name(value), requested));
}

}  // namespace

namespace detail {

std::int64_t to_int64(const Value& value, std::string_view column) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return *integer;
  }
  throw_mismatch(column, value, "an integer");
}

double to_double(const Value& value, std::string_view column) {
  if (const auto* real = std::get_if<double>(&value)) {
    return *real;
  }
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return static_cast<double>(*integer);
  }
  throw_mismatch(column, value, "a real number");
}

bool to_bool(const Value& value, std::string_view column) {
  if (const auto* boolean = std::get_if<bool>(&value)) {
    return *boolean;
  }
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    if (*integer == 0 || *integer == 1) {
      return *integer == 1;
    }
    throw_out_of_range(column, *integer, "bool");
  }
  throw_mismatch(column, value, "a boolean");
}

std::string to_string(const Value& value, std::string_view column) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    return *text;
  }
  throw_mismatch(column, value, "text");
}

Blob to_blob(const Value& value, std::string_view column) {
  if (const auto* blob = std::get_if<Blob>(&value)) {
    return *blob;
  }
  throw_mismatch(column, value, "a blob");
}

void throw_out_of_range(std::string_view column, std::int64_t value, std::string_view type) {
  throw DatabaseError(
      core::ErrorCode::kInternal, "an internal error occurred",
      fmt::format("column \"{}\" holds {}, which is out of range for {}", column, value, type));
}

}  // namespace detail

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const Value& Row::value(std::size_t index) const {
  if (index >= values_.size()) {
    throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                        fmt::format("column index {} is out of range for a row of {} columns",
                                    index, values_.size()));
  }
  return values_[index];
}

const Value& Row::value(std::string_view column) const {
  return values_[index_of(column)];
}

const std::string& Row::column_name(std::size_t index) const {
  if (!columns_ || index >= columns_->size()) {
    value(index);  // throws the out-of-range error
    return kUnnamedColumn;
  }
  return (*columns_)[index];
}

std::size_t Row::index_of(std::string_view column) const {
  if (columns_) {
    auto found = std::find(columns_->begin(), columns_->end(), column);
    if (found != columns_->end()) {
      return static_cast<std::size_t>(found - columns_->begin());
    }
  }
  throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                      fmt::format("the result has no column \"{}\"", column));
}

bool Row::is_null(std::size_t index) const {
  return std::holds_alternative<std::nullptr_t>(value(index));
}

Result::Result(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Row> rows,
               std::int64_t affected_rows)
    : columns_(std::move(columns)), rows_(std::move(rows)), affected_rows_(affected_rows) {}

const std::vector<std::string>& Result::columns() const {
  return columns_ ? *columns_ : kNoColumns;
}

const Row& Result::one() const {
  if (rows_.size() != 1) {
    throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                        fmt::format("expected exactly one row, got {}", rows_.size()));
  }
  return rows_.front();
}

std::optional<Row> Result::maybe_one() const {
  if (rows_.empty()) {
    return std::nullopt;
  }
  return one();
}

}  // namespace surplus::db
