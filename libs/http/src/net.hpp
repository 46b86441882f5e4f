#pragma once

// Common Asio and Beast includes for the translation units that do network I/O. Only .cpp
// files under src/ include this; public headers stay free of Boost.

// g++ 12 needs <utility> before Asio's coroutine support headers.
#include <exception>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace surplus::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// Runs `function` on `executor` (a worker pool, where blocking is allowed) and resumes the
// awaiting coroutine on its own executor with the result, or rethrows what `function`
// threw. The I/O thread is free while `function` runs.
//
// A plain function returning the awaitable, not a coroutine: g++ 12 miscompiles the
// parameter lifetimes of a coroutine template like this one (a strand passed by value was
// destroyed twice).
template <typename Executor, typename Function>
auto offload(Executor executor, Function function) {
  using Result = std::invoke_result_t<Function>;
  if constexpr (std::is_void_v<Result>) {
    return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr)>(
        [executor, function = std::move(function)](auto handler) mutable {
          asio::post(executor, [function = std::move(function),
                                handler = std::move(handler)]() mutable {
            std::exception_ptr error;
            try {
              function();
            } catch (...) {
              error = std::current_exception();
            }
            auto resume = asio::get_associated_executor(handler);
            asio::post(resume, [handler = std::move(handler), error]() mutable { handler(error); });
          });
        },
        asio::use_awaitable);
  } else {
    return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, Result)>(
        [executor, function = std::move(function)](auto handler) mutable {
          asio::post(executor,
                     [function = std::move(function), handler = std::move(handler)]() mutable {
                       std::exception_ptr error;
                       Result result{};
                       try {
                         result = function();
                       } catch (...) {
                         error = std::current_exception();
                       }
                       auto resume = asio::get_associated_executor(handler);
                       asio::post(resume, [handler = std::move(handler), error,
                                           result = std::move(result)]() mutable {
                         handler(error, std::move(result));
                       });
                     });
        },
        asio::use_awaitable);
  }
}

}  // namespace surplus::http
