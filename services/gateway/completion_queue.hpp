#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include <surplus/graphql/async.hpp>

namespace surplus::gateway {

// The completions of one request's downstream calls, run by the thread that executes the
// request. The HTTP client's single I/O thread then only queues each response, and the
// request's own thread parses it and runs the continuations and the executor, so concurrent
// requests spread their work over the server's worker threads. Thread-safe; create it with
// std::make_shared.
class CompletionQueue : public std::enable_shared_from_this<CompletionQueue> {
 public:
  // Queues `task`, or runs it at once on the calling thread when the queue is closed.
  // `task` must not throw.
  void post(std::function<void()> task);

  // Runs queued tasks on the calling thread until `future` is ready, and waits while there
  // are none. Returns at once when `future` is ready already.
  void run_until_ready(const graphql::Future& future);

  // Runs the tasks queued so far on the calling thread. Tasks posted afterwards run on the
  // thread that posts them.
  void close();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool closed_ = false;
};

}  // namespace surplus::gateway
