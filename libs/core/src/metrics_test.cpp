#include <gtest/gtest.h>

#include <surplus/core/metrics.hpp>

namespace surplus::core {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsRegistryTest, RendersCounterAndGauge) {
  MetricsRegistry registry;
  registry.counter("http_requests_total", "Requests served", "status=\"200\"").increment(3);
  registry.counter("http_requests_total", "Requests served", "status=\"500\"").increment();
  registry.gauge("open_connections", "Connections open now").set(7);
  auto text = registry.render();
  EXPECT_TRUE(contains(text, "# TYPE http_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "http_requests_total{status=\"200\"} 3\n"));
  EXPECT_TRUE(contains(text, "http_requests_total{status=\"500\"} 1\n"));
  EXPECT_TRUE(contains(text, "# TYPE open_connections gauge\nopen_connections 7\n"));
}

TEST(MetricsRegistryTest, SameNameAndLabelsIsSameMetric) {
  MetricsRegistry registry;
  auto& first = registry.counter("events_total", "Events");
  auto& second = registry.counter("events_total", "Events");
  EXPECT_EQ(&first, &second);
}

TEST(MetricsRegistryTest, KindMismatchThrows) {
  MetricsRegistry registry;
  registry.counter("thing", "A thing");
  EXPECT_THROW(registry.gauge("thing", "A thing"), std::logic_error);
}

TEST(HistogramTest, BucketsAreCumulative) {
  MetricsRegistry registry;
  auto& histogram = registry.histogram("latency_seconds", "Latency", "", {0.1, 1});
  histogram.observe(0.05);
  histogram.observe(0.5);
  histogram.observe(0.5);
  histogram.observe(3);
  auto text = registry.render();
  EXPECT_TRUE(contains(text, "latency_seconds_bucket{le=\"0.1\"} 1\n"));
  EXPECT_TRUE(contains(text, "latency_seconds_bucket{le=\"1\"} 3\n"));
  EXPECT_TRUE(contains(text, "latency_seconds_bucket{le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(contains(text, "latency_seconds_count 4\n"));
  EXPECT_TRUE(contains(text, "latency_seconds_sum 4.05\n"));
}

}  // namespace
}  // namespace surplus::core
