#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/async.hpp>
#include <surplus/graphql/resolver.hpp>

namespace surplus::graphql {
namespace {

Json sample_value() {
  return Json{{"items", Json::array({"a", "b", "c"})}, {"count", 3}};
}

TEST(Future, GetFromTwoThreadsReadsOneValue) {
  const Promise promise;
  const Future first = promise.get_future();
  const Future second = first;
  const Json* seen_first = nullptr;
  const Json* seen_second = nullptr;
  Json copy_first;
  Json copy_second;
  std::thread reader_first([&] {
    seen_first = &first.get();
    copy_first = *seen_first;
  });
  std::thread reader_second([&] {
    seen_second = &second.get();
    copy_second = *seen_second;
  });
  std::thread writer([&] { promise.set_value(sample_value()); });
  writer.join();
  reader_first.join();
  reader_second.join();

  EXPECT_EQ(seen_first, seen_second);
  EXPECT_EQ(copy_first, sample_value());
  EXPECT_EQ(copy_second, sample_value());
  EXPECT_EQ(first.get(), sample_value());
}

TEST(Future, GetRethrowsFailure) {
  const Promise promise;
  const Future future = promise.get_future();
  promise.set_exception(std::make_exception_ptr(std::runtime_error("service down")));
  EXPECT_THROW(future.get(), std::runtime_error);
}

TEST(Future, TakeMovesFromOnlyFuture) {
  const Promise promise;
  Future future = promise.get_future();
  promise.set_value(sample_value());

  EXPECT_EQ(future.take(), sample_value());
  EXPECT_FALSE(future.valid());
  // The value left the shared state, so no new Future may read it.
  EXPECT_THROW(promise.get_future(), std::logic_error);
}

TEST(Future, TakeMovesAfterOtherCopiesAreGone) {
  const Promise promise;
  Future future = promise.get_future();
  {
    const Future copy = future;
    Future moved_into = Future(copy);
    future = std::move(moved_into);
  }
  promise.set_value(sample_value());

  EXPECT_EQ(future.take(), sample_value());
  EXPECT_THROW(promise.get_future(), std::logic_error);
}

TEST(Future, TakeCopiesWhileAnotherFutureShares) {
  const Promise promise;
  Future taker = promise.get_future();
  const Future reader = taker;
  promise.set_value(sample_value());

  EXPECT_EQ(taker.take(), sample_value());
  EXPECT_FALSE(taker.valid());
  EXPECT_EQ(reader.get(), sample_value());
  EXPECT_EQ(promise.get_future().get(), sample_value());
}

TEST(Future, TakeRethrowsAndStaysValid) {
  const Promise promise;
  Future future = promise.get_future();
  promise.set_exception(std::make_exception_ptr(std::runtime_error("service down")));

  EXPECT_THROW(future.take(), std::runtime_error);
  EXPECT_TRUE(future.valid());
  EXPECT_THROW(future.get(), std::runtime_error);
}

// Each thread takes from its own copy while the others still read theirs: every thread
// must get the whole value, whichever of them is the last to hold the state.
TEST(Future, TakeFromManyThreadsKeepsValue) {
  constexpr int kThreads = 4;
  for (int round = 0; round < 50; ++round) {
    const Promise promise;
    std::vector<Future> futures(kThreads, promise.get_future());
    std::vector<Json> taken(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        const Json& read = futures[static_cast<std::size_t>(i)].get();
        const Json before = read;
        taken[static_cast<std::size_t>(i)] = futures[static_cast<std::size_t>(i)].take();
        EXPECT_EQ(before, sample_value());
      });
    }
    promise.set_value(sample_value());
    for (auto& thread : threads) {
      thread.join();
    }
    for (const auto& value : taken) {
      EXPECT_EQ(value, sample_value());
    }
  }
}

// view() reads the value where the Future keeps it, so a shared value is not copied, and
// value() afterwards still returns all of it.
TEST(FieldResult, ViewReadsTheSharedValueInPlace) {
  const Promise promise;
  const Future cached = promise.get_future();
  FieldResult result = FieldResult::pending(cached);
  promise.set_value(sample_value());

  EXPECT_EQ(&result.view(), &cached.get());
  EXPECT_EQ(result.value(), sample_value());
  EXPECT_EQ(cached.get(), sample_value());
}

TEST(FieldResult, ViewOfAReadyValueAndOfAFailure) {
  FieldResult ready(Json("ready"));
  EXPECT_EQ(ready.view(), "ready");

  FieldResult failed = FieldResult::deferred([]() -> Json { throw std::runtime_error("down"); });
  EXPECT_THROW(failed.view(), std::runtime_error);
}

}  // namespace
}  // namespace surplus::graphql
