#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <surplus/db/value.hpp>

namespace surplus::db {

namespace detail {

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Conversions from a stored Value; each throws DatabaseError on a type mismatch.
std::int64_t to_int64(const Value& value, std::string_view column);
double to_double(const Value& value, std::string_view column);
bool to_bool(const Value& value, std::string_view column);
std::string to_string(const Value& value, std::string_view column);
Blob to_blob(const Value& value, std::string_view column);
[[noreturn]] void throw_out_of_range(std::string_view column, std::int64_t value,
                                     std::string_view type);

}  // namespace detail

// One result row. get<T> converts the column to T and throws DatabaseError when the
// column is NULL (unless T is std::optional), contains another type, or is out of range.
//
// Accepted conversions: an integer converts to double and to any integral T that can
// represent it. An integer 0 or 1 converts to bool, because SQLite stores bool that way.
// Everything else must match the stored type exactly. T may be std::int64_t or another integral
// type, double, bool, std::string, Blob, or std::optional of any of these.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values);

  std::size_t size() const { return values_.size(); }
  const Value& value(std::size_t index) const;
  const Value& value(std::string_view column) const;
  const std::string& column_name(std::size_t index) const;
  // Index of `column`; throws DatabaseError naming the column when it is absent.
  std::size_t index_of(std::string_view column) const;

  bool is_null(std::size_t index) const;
  bool is_null(std::string_view column) const { return is_null(index_of(column)); }

  template <class T>
  T get(std::size_t index) const {
    return convert<T>(value(index), column_name(index));
  }

  template <class T>
  T get(std::string_view column) const {
    return get<T>(index_of(column));
  }

 private:
  template <class T>
  static T convert(const Value& value, std::string_view column) {
    if constexpr (detail::IsOptional<T>::value) {
      if (std::holds_alternative<std::nullptr_t>(value)) {
        return std::nullopt;
      }
      return convert<typename T::value_type>(value, column);
    } else if constexpr (std::is_same_v<T, bool>) {
      return detail::to_bool(value, column);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      return detail::to_int64(value, column);
    } else if constexpr (std::is_integral_v<T>) {
      std::int64_t wide = detail::to_int64(value, column);
      if (!std::in_range<T>(wide)) {
        detail::throw_out_of_range(column, wide, "the requested integer type");
      }
      return static_cast<T>(wide);
    } else if constexpr (std::is_same_v<T, double>) {
      return detail::to_double(value, column);
    } else if constexpr (std::is_same_v<T, std::string>) {
      return detail::to_string(value, column);
    } else if constexpr (std::is_same_v<T, Blob>) {
      return detail::to_blob(value, column);
    } else {
      static_assert(sizeof(T) == 0,
                    "Row::get supports integers, double, bool, std::string, "
                    "Blob and std::optional of these");
    }
  }

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

// The rows a statement returned (SELECT, or RETURNING) and the number of rows it changed.
class Result {
 public:
  Result() = default;
  Result(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Row> rows,
         std::int64_t affected_rows);

  const std::vector<std::string>& columns() const;
  const std::vector<Row>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](std::size_t index) const { return rows_.at(index); }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }

  // The only row; throws DatabaseError when there are none or several.
  const Row& one() const;
  // The only row, or nullopt when there is none; throws DatabaseError when there are
  // several.
  std::optional<Row> maybe_one() const;

  // Rows inserted, updated or deleted by the statement; 0 for a plain SELECT.
  std::int64_t affected_rows() const { return affected_rows_; }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Row> rows_;
  std::int64_t affected_rows_ = 0;
};

}  // namespace surplus::db
