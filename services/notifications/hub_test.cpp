#include "hub.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

namespace surplus::notifications {
namespace {

using namespace std::chrono_literals;

// Records the offsets it receives and counts, across all recorders, the deliveries made.
class RecordingSubscriber : public Subscriber {
 public:
  struct Progress {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t deliveries = 0;
  };

  explicit RecordingSubscriber(std::shared_ptr<Progress> progress)
      : progress_(std::move(progress)) {}

  void deliver(const std::string&, const EntryBatch& batch) override {
    offsets.insert(offsets.end(), batch.offsets.begin(), batch.offsets.end());
    std::lock_guard lock(progress_->mutex);
    progress_->deliveries += batch.offsets.size();
    progress_->changed.notify_all();
  }

  // Written by one delivery thread at a time, because a subscriber stays in its share.
  std::vector<std::int64_t> offsets;

 private:
  std::shared_ptr<Progress> progress_;
};

std::vector<ChannelEntry> entries(const std::string& channel, int first, int count) {
  std::vector<ChannelEntry> result;
  for (int i = first; i < first + count; ++i) {
    result.push_back({channel, i, R"({"n":)" + std::to_string(i) + "}"});
  }
  return result;
}

TEST(Hub, SharedDeliveryKeepsOrderPerSubscriber) {
  constexpr int kSubscribers = 1000;  // above the size where helpers take shares
  constexpr int kEntries = 60;
  auto progress = std::make_shared<RecordingSubscriber::Progress>();
  std::vector<std::shared_ptr<RecordingSubscriber>> subscribers;
  {
    Hub hub(100, 3);
    for (int i = 0; i < kSubscribers; ++i) {
      subscribers.push_back(std::make_shared<RecordingSubscriber>(progress));
      hub.subscribe("offers", subscribers.back());
    }
    for (int first = 1; first <= kEntries; first += 20) {
      hub.publish(entries("offers", first, 20));
    }
    std::unique_lock lock(progress->mutex);
    ASSERT_TRUE(progress->changed.wait_for(
        lock, 30s, [&] { return progress->deliveries == std::size_t{kSubscribers} * kEntries; }))
        << "delivered " << progress->deliveries;
  }

  std::vector<std::int64_t> expected;
  for (int i = 1; i <= kEntries; ++i) {
    expected.push_back(i);
  }
  for (std::size_t i = 0; i < subscribers.size(); ++i) {
    ASSERT_EQ(subscribers[i]->offsets, expected) << "subscriber " << i;
  }
}

TEST(Hub, SharedRoundKeepsOrderPerChannel) {
  // 10 channels of 100 subscribers: each channel alone is below the size where helpers
  // take shares, but a round with entries of all channels is above it.
  constexpr int kChannels = 10;
  constexpr int kPerChannel = 100;
  constexpr int kEntriesPerChannel = 30;
  auto progress = std::make_shared<RecordingSubscriber::Progress>();
  std::vector<std::vector<std::shared_ptr<RecordingSubscriber>>> subscribers(kChannels);
  {
    Hub hub(50, 2);
    for (int c = 0; c < kChannels; ++c) {
      for (int i = 0; i < kPerChannel; ++i) {
        subscribers[c].push_back(std::make_shared<RecordingSubscriber>(progress));
        hub.subscribe("user:" + std::to_string(c), subscribers[c].back());
      }
    }
    // Batches that mix the channels, as one ingestion request may.
    for (int offset = 1; offset <= kEntriesPerChannel; offset += 3) {
      std::vector<ChannelEntry> batch;
      for (int c = 0; c < kChannels; ++c) {
        auto part = entries("user:" + std::to_string(c), offset, 3);
        batch.insert(batch.end(), part.begin(), part.end());
      }
      hub.publish(std::move(batch));
    }
    std::unique_lock lock(progress->mutex);
    ASSERT_TRUE(progress->changed.wait_for(
        lock, 30s,
        [&] {
          return progress->deliveries == std::size_t{kChannels} * kPerChannel * kEntriesPerChannel;
        }))
        << "delivered " << progress->deliveries;
  }

  std::vector<std::int64_t> expected;
  for (int i = 1; i <= kEntriesPerChannel; ++i) {
    expected.push_back(i);
  }
  for (int c = 0; c < kChannels; ++c) {
    for (int i = 0; i < kPerChannel; ++i) {
      ASSERT_EQ(subscribers[c][i]->offsets, expected) << "channel " << c << ", subscriber " << i;
    }
  }
}

TEST(Hub, SingleThreadDeliversOtherChannelsApart) {
  auto progress = std::make_shared<RecordingSubscriber::Progress>();
  auto offers = std::make_shared<RecordingSubscriber>(progress);
  auto user = std::make_shared<RecordingSubscriber>(progress);
  {
    Hub hub(10, 1);
    hub.subscribe("offers", offers);
    hub.subscribe("user:1", user);
    hub.publish(entries("offers", 1, 3));
    hub.publish(entries("user:1", 7, 2));
    std::unique_lock lock(progress->mutex);
    ASSERT_TRUE(progress->changed.wait_for(lock, 30s, [&] { return progress->deliveries == 5; }));
  }
  EXPECT_EQ(offers->offsets, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(user->offsets, (std::vector<std::int64_t>{7, 8}));
}

}  // namespace
}  // namespace surplus::notifications
