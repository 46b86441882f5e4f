#pragma once

// Test support: a service executable (surplus-orders, surplus-offers) run as a child
// process on a loopback port, which a test can start, kill with SIGKILL and start again
// with the same environment.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <sys/types.h>

namespace surplus::orders::testing {

// A loopback port that was free when the call returned. Another process may take it before
// the service binds it; the service then fails to start and the test fails, it does not
// pass wrongly.
std::uint16_t free_loopback_port();

class ServiceProcess {
 public:
  // `environment` is the whole environment of the child, apart from PATH, HOST and PORT,
  // which are added. Standard output and error go to `folder`/`name`.log.
  ServiceProcess(std::string name, std::string binary,
                 std::map<std::string, std::string> environment, std::filesystem::path folder);
  // Stops the process with SIGTERM, or SIGKILL if it is still running after 10 s.
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Starts the executable and waits until GET /readyz returns 200, at most `timeout`.
  // Fails when the process exits first or does not get ready in time, with the end of
  // its log in the message.
  ::testing::AssertionResult start(std::chrono::seconds timeout = std::chrono::seconds(60));
  // Sends SIGKILL and reaps the process, so its port and database are free to reuse.
  void kill_now();
  void stop();

  bool running() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  std::string url() const;
  // The last `bytes` of the process's log, for failure messages.
  std::string log_tail(std::size_t bytes = 4000) const;

 private:
  pid_t spawn();

  std::string name_;
  std::string binary_;
  std::map<std::string, std::string> environment_;
  std::filesystem::path folder_;
  std::filesystem::path log_file_;
  std::uint16_t port_;
  pid_t pid_ = -1;
};

}  // namespace surplus::orders::testing
