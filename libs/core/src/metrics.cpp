#include <stdexcept>

#include <fmt/format.h>

#include <surplus/core/metrics.hpp>

namespace surplus::core {
namespace {

std::string with_labels(const std::string& name, const std::string& labels) {
  return labels.empty() ? name : fmt::format("{}{{{}}}", name, labels);
}

std::string join_labels(const std::string& labels, const std::string& extra) {
  return labels.empty() ? extra : labels + "," + extra;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  std::size_t index = 0;
  while (index < bounds_.size() && value > bounds_[index]) {
    ++index;
  }
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double expected = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(expected, expected + value, std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot result;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    result.cumulative.push_back(running);
  }
  result.sum = sum_.load(std::memory_order_relaxed);
  result.count = running;
  return result;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, const std::string& help,
                                                 Kind kind) {
  auto [it, inserted] = families_.try_emplace(name, Family{kind, help, {}, {}, {}});
  if (!inserted && it->second.kind != kind) {
    throw std::logic_error("metric " + name + " was registered with another type");
  }
  return it->second;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const std::string& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::kCounter).counters[labels];
  if (!slot)
    slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              const std::string& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::kGauge).gauges[labels];
  if (!slot)
    slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                      const std::string& labels, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::kHistogram).histograms[labels];
  if (!slot)
    slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, family.help, name,
                       kTypes[static_cast<int>(family.kind)]);
    for (const auto& [labels, counter] : family.counters) {
      out += fmt::format("{} {}\n", with_labels(name, labels), counter->value());
    }
    for (const auto& [labels, gauge] : family.gauges) {
      out += fmt::format("{} {}\n", with_labels(name, labels), gauge->value());
    }
    for (const auto& [labels, histogram] : family.histograms) {
      auto snap = histogram->snapshot();
      const auto& bounds = histogram->bounds();
      for (std::size_t i = 0; i < bounds.size(); ++i) {
        out += fmt::format(
            "{} {}\n",
            with_labels(name + "_bucket", join_labels(labels, fmt::format("le=\"{}\"", bounds[i]))),
            snap.cumulative[i]);
      }
      out += fmt::format(
          "{} {}\n", with_labels(name + "_bucket", join_labels(labels, "le=\"+Inf\"")), snap.count);
      out += fmt::format("{} {}\n", with_labels(name + "_sum", labels), snap.sum);
      out += fmt::format("{} {}\n", with_labels(name + "_count", labels), snap.count);
    }
  }
  return out;
}

MetricsRegistry& default_metrics() {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace surplus::core
