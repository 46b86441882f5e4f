#include "service_process.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <surplus/http/client.hpp>

namespace surplus::orders::testing {
namespace {

using namespace std::chrono_literals;

// Waits up to `timeout` for `pid` to exit; returns true when it was reaped.
bool reap_within(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD)) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

}  // namespace

std::uint16_t free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool bound = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
               getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) {
    close(fd);
  }
  if (!bound) {
    throw std::runtime_error("no free loopback port");
  }
  return ntohs(address.sin_port);
}

ServiceProcess::ServiceProcess(std::string name, std::string binary,
                               std::map<std::string, std::string> environment,
                               std::filesystem::path folder)
    : name_(std::move(name)),
      binary_(std::move(binary)),
      environment_(std::move(environment)),
      folder_(std::move(folder)),
      log_file_(folder_ / (name_ + ".log")),
      port_(free_loopback_port()) {
  environment_["HOST"] = "127.0.0.1";
  environment_["PORT"] = std::to_string(port_);
  if (const char* path = std::getenv("PATH")) {
    environment_["PATH"] = path;
  }
}

ServiceProcess::~ServiceProcess() {
  stop();
}

std::string ServiceProcess::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

pid_t ServiceProcess::spawn() {
  std::vector<std::string> variables;
  for (const auto& [variable, value] : environment_) {
    variables.push_back(variable + "=" + value);
  }
  std::vector<char*> environment;
  for (auto& variable : variables) {
    environment.push_back(variable.data());
  }
  environment.push_back(nullptr);
  std::string binary = binary_;
  std::vector<char*> arguments{binary.data(), nullptr};
  std::string folder = folder_.string();
  int log = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) {
    throw std::runtime_error("cannot open " + log_file_.string());
  }

  // The child calls only async-signal-safe functions, because the test process has threads.
  pid_t pid = fork();
  if (pid == 0) {
    if (dup2(log, STDOUT_FILENO) >= 0 && dup2(log, STDERR_FILENO) >= 0 &&
        chdir(folder.c_str()) == 0) {
      execve(binary.c_str(), arguments.data(), environment.data());
    }
    _exit(127);
  }
  close(log);
  if (pid < 0) {
    throw std::runtime_error("fork failed for " + binary_);
  }
  return pid;
}

::testing::AssertionResult ServiceProcess::start(std::chrono::seconds timeout) {
  if (running()) {
    return ::testing::AssertionFailure() << name_ << " is already running";
  }
  pid_ = spawn();
  http::ClientOptions options;
  options.max_attempts = 1;
  options.connect_timeout = 1s;
  options.request_timeout = 2s;
  http::Client client(options);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure() << name_ << " (" << binary_ << ") exited with status "
                                           << status << " before it was ready; its log ends with:\n"
                                           << log_tail();
    }
    try {
      if (client.get(url() + "/readyz").status == 200) {
        return ::testing::AssertionSuccess();
      }
    } catch (const std::exception&) {
      // Not listening yet.
    }
    std::this_thread::sleep_for(100ms);
  }
  return ::testing::AssertionFailure()
         << name_ << " did not return 200 for GET /readyz on " << url() << " within "
         << timeout.count() << " s; its log ends with:\n"
         << log_tail();
}

void ServiceProcess::kill_now() {
  if (!running()) {
    return;
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ServiceProcess::stop() {
  if (!running()) {
    return;
  }
  kill(pid_, SIGTERM);
  if (!reap_within(pid_, 10s)) {
    kill_now();
  }
  pid_ = -1;
}

std::string ServiceProcess::log_tail(std::size_t bytes) const {
  std::ifstream file(log_file_, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  std::string all = text.str();
  return all.size() <= bytes ? all : all.substr(all.size() - bytes);
}

}  // namespace surplus::orders::testing
