#include "completion_queue.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace surplus::gateway {
namespace {

TEST(CompletionQueue, PostedTasksRunOnWaitingThread) {
  auto queue = std::make_shared<CompletionQueue>();
  const graphql::Promise promise;
  const graphql::Future future = promise.get_future();
  std::thread::id ran_on;
  std::thread poster([&] {
    queue->post([&] {
      ran_on = std::this_thread::get_id();
      promise.set_value(42);
    });
  });

  queue->run_until_ready(future);
  poster.join();

  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(future.get(), 42);
}

TEST(CompletionQueue, RunsTasksInPostOrder) {
  auto queue = std::make_shared<CompletionQueue>();
  const graphql::Promise promise;
  std::vector<int> order;
  queue->post([&] { order.push_back(1); });
  queue->post([&] { order.push_back(2); });
  queue->post([&] { promise.set_value(nullptr); });

  queue->run_until_ready(promise.get_future());

  ASSERT_EQ(order.size(), 2U);
  EXPECT_EQ(order[0], 1);
  EXPECT_EQ(order[1], 2);
}

TEST(CompletionQueue, WakesForFutureCompletedElsewhere) {
  auto queue = std::make_shared<CompletionQueue>();
  const graphql::Promise promise;
  std::thread completer([&] { promise.set_value("done"); });

  queue->run_until_ready(promise.get_future());
  completer.join();

  EXPECT_EQ(promise.get_future().get(), "done");
}

TEST(CompletionQueue, CloseRunsQueuedTasks) {
  auto queue = std::make_shared<CompletionQueue>();
  int runs = 0;
  queue->post([&] { ++runs; });
  queue->post([&] { ++runs; });
  EXPECT_EQ(runs, 0);

  queue->close();

  EXPECT_EQ(runs, 2);
}

TEST(CompletionQueue, PostAfterCloseRunsOnPoster) {
  auto queue = std::make_shared<CompletionQueue>();
  queue->close();
  std::thread::id poster_id;
  std::thread::id ran_on;
  std::thread poster([&] {
    poster_id = std::this_thread::get_id();
    queue->post([&] { ran_on = std::this_thread::get_id(); });
  });
  poster.join();

  EXPECT_EQ(ran_on, poster_id);
}

}  // namespace
}  // namespace surplus::gateway
