#include "document_cache.hpp"

#include <utility>

#include <surplus/core/metrics.hpp>

namespace surplus::gateway {
namespace {

core::Counter& lookup_counter(const char* result) {
  return core::default_metrics().counter(
      "gateway_document_cache_lookups_total",
      "Lookups of parsed and validated GraphQL documents by query text.",
      std::string("result=\"") + result + "\"");
}

}  // namespace

DocumentCache::DocumentCache(std::size_t max_bytes)
    : max_bytes_(max_bytes), hits_(lookup_counter("hit")), misses_(lookup_counter("miss")) {}

DocumentCache::Document DocumentCache::find(std::string_view query) {
  if (max_bytes_ == 0) {
    return nullptr;
  }
  const std::lock_guard lock(mutex_);
  const auto found = index_.find(query);
  if (found == index_.end()) {
    misses_.increment();
    return nullptr;
  }
  hits_.increment();
  entries_.splice(entries_.begin(), entries_, found->second);
  return found->second->document;
}

void DocumentCache::insert(std::string_view query, Document document) {
  if (max_bytes_ == 0 || entry_cost(query.size()) > max_bytes_ / 16 || document == nullptr) {
    return;
  }
  const std::lock_guard lock(mutex_);
  const auto found = index_.find(query);
  if (found != index_.end()) {
    found->second->document = std::move(document);
    entries_.splice(entries_.begin(), entries_, found->second);
    return;
  }
  entries_.push_front(Entry{std::string(query), std::move(document)});
  index_.emplace(entries_.front().query, entries_.begin());
  bytes_ += entry_cost(query.size());
  evict_over_budget();
}

void DocumentCache::evict_over_budget() {
  while (bytes_ > max_bytes_ && !entries_.empty()) {
    const Entry& oldest = entries_.back();
    bytes_ -= entry_cost(oldest.query.size());
    index_.erase(oldest.query);
    entries_.pop_back();
  }
}

std::size_t DocumentCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t DocumentCache::bytes() const {
  const std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace surplus::gateway
