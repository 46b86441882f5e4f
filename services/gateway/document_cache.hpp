#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <surplus/graphql/ast.hpp>

namespace surplus::core {
class Counter;
}

namespace surplus::gateway {

// Parsed documents that passed validation, found by their exact query text. A client that
// sends the same query again skips parsing and validation, which are a few percent of the
// gateway's CPU on the benchmark's small query. Validation depends only on the document, the
// schema and the limits, and the last two are fixed for the life of the process.
//
// The budget bounds the estimated memory of the entries (see entry_cost). An entry that
// would take more than a sixteenth of it is not cached, so that one large query cannot push
// out all the others. Once the budget is exceeded, the least recently used entries go
// first. Safe to use from many threads.
class DocumentCache {
 public:
  using Document = std::shared_ptr<const graphql::ast::Document>;

  // A budget of 0 disables the cache: find() then finds nothing and insert() keeps nothing.
  explicit DocumentCache(std::size_t max_bytes);

  // Returns the bytes an entry for a query of `query_bytes` is charged: 1 KiB plus 24 per byte of
  // text. An estimate from the gateway's resident memory with thousands of cached queries:
  // about 1.4 KiB per entry for 30-byte queries and 22 bytes per byte of text for 2 KB ones.
  static std::size_t entry_cost(std::size_t query_bytes) { return 1024 + 24 * query_bytes; }

  // Returns the document cached for `query`, or null.
  Document find(std::string_view query);
  // Keeps `document` for `query`, which must have passed validation. Replaces an entry
  // that another thread inserted for the same text in the meantime.
  void insert(std::string_view query, Document document);

  std::size_t size() const;
  // Returns the summed entry_cost of the entries.
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string query;
    Document document;
  };

  void evict_over_budget();

  const std::size_t max_bytes_;
  core::Counter& hits_;
  core::Counter& misses_;
  mutable std::mutex mutex_;
  // Most recently used first. List nodes never move, so the index keys can view their text.
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace surplus::gateway
