#include "supervisor.hpp"

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace surplus::tool {
namespace {

using namespace std::chrono_literals;
using Kind = SupervisorEvent::Kind;

// Upper bound for anything a test waits for; only reached when the code under test hangs.
constexpr auto kGuardTimeout = 30s;

// Collects the supervisor's events and lets the test wait for them in order.
class EventLog {
 public:
  void record(const SupervisorEvent& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    changed_.notify_all();
  }

  // Returns the first event after the previously returned one for which `match` holds.
  std::optional<SupervisorEvent> next(const std::function<bool(const SupervisorEvent&)>& match) {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + kGuardTimeout;
    while (true) {
      for (; cursor_ < events_.size(); ++cursor_) {
        if (match(events_[cursor_])) {
          return events_[cursor_++];
        }
      }
      if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
        return std::nullopt;
      }
    }
  }

  std::optional<SupervisorEvent> next(Kind kind, const std::string& name = "") {
    return next([&](const SupervisorEvent& event) {
      return event.kind == kind && (name.empty() || event.name == name);
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SupervisorEvent> events_;
  std::size_t cursor_ = 0;
};

// Runs a Supervisor on a thread of its own; stops it when the test ends.
class RunningSupervisor {
 public:
  RunningSupervisor(std::vector<ChildSpec> children, SupervisorPolicy policy)
      : supervisor_(std::move(children), policy,
                    [this](const SupervisorEvent& event) { events.record(event); }),
        result_(std::async(std::launch::async, [this] { return supervisor_.run(); })) {}

  ~RunningSupervisor() {
    supervisor_.request_stop();
    if (result_.valid()) {
      result_.wait();
    }
  }

  // The status run() returned, or nullopt if it did not return in time.
  std::optional<int> result() {
    if (!result_.valid() || result_.wait_for(kGuardTimeout) != std::future_status::ready) {
      return std::nullopt;
    }
    return result_.get();
  }

  void request_stop() { supervisor_.request_stop(); }

  EventLog events;

 private:
  Supervisor supervisor_;
  std::future<int> result_;
};

ChildSpec shell_child(const std::string& name, const std::string& script) {
  return {.name = name,
          .command = {.path = "/bin/sh", .args = {"-c", script}, .env = current_environment()}};
}

ChildSpec sleeper(const std::string& name) {
  return {.name = name,
          .command = {.path = "/bin/sleep", .args = {"1000"}, .env = current_environment()}};
}

SupervisorPolicy fast_policy() {
  return {.initial_backoff = 10ms, .max_backoff = 80ms, .stable_after = 1h, .shutdown_grace = 10s};
}

// True when `pid` has exited; a zombie that is not our child counts as exited.
bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) {
    return true;
  }
  std::string line;
  std::getline(stat, line);
  auto state_at = line.rfind(')');
  return state_at != std::string::npos && line.size() > state_at + 2 && line[state_at + 2] == 'Z';
}

// A path in a fresh temporary folder; the script under test creates it when it is ready.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "surplus-sv-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Waits until a child script signals readiness by creating `path`.
bool wait_for_file(const std::string& path) {
  auto deadline = std::chrono::steady_clock::now() + kGuardTimeout;
  while (!std::filesystem::exists(path)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(SupervisorTest, StartsEveryChildInItsOwnGroup) {
  RunningSupervisor running({sleeper("first"), sleeper("second")}, fast_policy());

  auto first = running.events.next(Kind::kStarted, "first");
  auto second = running.events.next(Kind::kStarted, "second");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(first->pid, second->pid);
  EXPECT_EQ(::kill(first->pid, 0), 0);
  EXPECT_EQ(::kill(second->pid, 0), 0);
  EXPECT_EQ(::getpgid(first->pid), first->pid);
  EXPECT_EQ(::getpgid(second->pid), second->pid);

  running.request_stop();
  EXPECT_EQ(running.result(), 0);
}

TEST(SupervisorTest, RestartsChildKilledWithSigkill) {
  RunningSupervisor running({sleeper("worker")}, fast_policy());
  auto started = running.events.next(Kind::kStarted, "worker");
  ASSERT_TRUE(started);

  ASSERT_EQ(::kill(started->pid, SIGKILL), 0);

  auto exited = running.events.next(Kind::kExited, "worker");
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->pid, started->pid);
  ASSERT_TRUE(WIFSIGNALED(exited->wait_status));
  EXPECT_EQ(WTERMSIG(exited->wait_status), SIGKILL);

  auto scheduled = running.events.next(Kind::kRestartScheduled, "worker");
  ASSERT_TRUE(scheduled);
  EXPECT_EQ(scheduled->delay, 10ms);

  auto restarted = running.events.next(Kind::kStarted, "worker");
  ASSERT_TRUE(restarted);
  EXPECT_NE(restarted->pid, started->pid);
  EXPECT_EQ(::kill(restarted->pid, 0), 0);

  running.request_stop();
  EXPECT_EQ(running.result(), 0);
}

TEST(SupervisorTest, BackoffDoublesUpToMaximum) {
  RunningSupervisor running({shell_child("crasher", "exit 3")}, fast_policy());

  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 6; ++i) {
    auto exited = running.events.next(Kind::kExited, "crasher");
    ASSERT_TRUE(exited);
    ASSERT_TRUE(WIFEXITED(exited->wait_status));
    EXPECT_EQ(WEXITSTATUS(exited->wait_status), 3);
    auto scheduled = running.events.next(Kind::kRestartScheduled, "crasher");
    ASSERT_TRUE(scheduled);
    delays.push_back(scheduled->delay);
  }
  std::vector<std::chrono::milliseconds> expected = {10ms, 20ms, 40ms, 80ms, 80ms, 80ms};
  EXPECT_EQ(delays, expected);

  running.request_stop();
  EXPECT_EQ(running.result(), 0);
}

TEST(SupervisorTest, BackoffResetsAfterStableRun) {
  auto policy = fast_policy();
  policy.stable_after = 0ms;  // every run counts as stable
  RunningSupervisor running({shell_child("crasher", "exit 1")}, policy);

  for (int i = 0; i < 4; ++i) {
    auto scheduled = running.events.next(Kind::kRestartScheduled, "crasher");
    ASSERT_TRUE(scheduled);
    EXPECT_EQ(scheduled->delay, 10ms);
  }

  running.request_stop();
  EXPECT_EQ(running.result(), 0);
}

TEST(SupervisorTest, SigtermStopsAllChildrenAndReturnsZero) {
  RunningSupervisor running({sleeper("a"), sleeper("b"), sleeper("c")}, fast_policy());
  std::vector<pid_t> pids;
  for (const char* name : {"a", "b", "c"}) {
    auto started = running.events.next(Kind::kStarted, name);
    ASSERT_TRUE(started);
    pids.push_back(started->pid);
  }

  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);

  EXPECT_EQ(running.result(), 0);
  auto stopping = running.events.next(Kind::kStopping);
  ASSERT_TRUE(stopping);
  EXPECT_EQ(stopping->signal_number, SIGTERM);
  for (int i = 0; i < 3; ++i) {
    auto exited = running.events.next(Kind::kExited);
    ASSERT_TRUE(exited);
    ASSERT_TRUE(WIFSIGNALED(exited->wait_status));
    EXPECT_EQ(WTERMSIG(exited->wait_status), SIGTERM);
  }
  for (pid_t pid : pids) {
    EXPECT_TRUE(process_gone(pid)) << "pid " << pid;
  }
}

TEST(SupervisorTest, ForwardsSigintToChildren) {
  TempDir dir;
  auto ready = dir.file("ready");
  RunningSupervisor running({shell_child("trapper", "trap 'exit 7' INT; touch " + ready +
                                                        "; while :; do sleep 0.05; done")},
                            fast_policy());
  ASSERT_TRUE(wait_for_file(ready));

  ASSERT_EQ(::kill(::getpid(), SIGINT), 0);

  EXPECT_EQ(running.result(), 0);
  auto exited = running.events.next(Kind::kExited, "trapper");
  ASSERT_TRUE(exited);
  ASSERT_TRUE(WIFEXITED(exited->wait_status));
  EXPECT_EQ(WEXITSTATUS(exited->wait_status), 7);
}

TEST(SupervisorTest, SendsSigkillAfterGraceAndReturnsOne) {
  TempDir dir;
  auto ready = dir.file("ready");
  auto policy = fast_policy();
  policy.shutdown_grace = 200ms;
  RunningSupervisor running(
      {shell_child("stubborn", "trap '' TERM; touch " + ready + "; while :; do sleep 0.05; done")},
      policy);
  ASSERT_TRUE(wait_for_file(ready));

  running.request_stop();

  EXPECT_EQ(running.result(), 1);
  auto exited = running.events.next(Kind::kExited, "stubborn");
  ASSERT_TRUE(exited);
  ASSERT_TRUE(WIFSIGNALED(exited->wait_status));
  EXPECT_EQ(WTERMSIG(exited->wait_status), SIGKILL);
}

TEST(SupervisorTest, SecondStopSendsSigkillAtOnce) {
  TempDir dir;
  auto ready = dir.file("ready");
  auto policy = fast_policy();
  policy.shutdown_grace = 1h;
  RunningSupervisor running(
      {shell_child("stubborn", "trap '' TERM; touch " + ready + "; while :; do sleep 0.05; done")},
      policy);
  ASSERT_TRUE(wait_for_file(ready));

  running.request_stop();
  ASSERT_TRUE(running.events.next(Kind::kStopping));
  running.request_stop();

  EXPECT_EQ(running.result(), 1);
  auto exited = running.events.next(Kind::kExited, "stubborn");
  ASSERT_TRUE(exited);
  ASSERT_TRUE(WIFSIGNALED(exited->wait_status));
  EXPECT_EQ(WTERMSIG(exited->wait_status), SIGKILL);
}

TEST(SupervisorTest, StopsSubprocessesOfChild) {
  TempDir dir;
  auto pid_file = dir.file("grandchild.pid");
  auto ready = dir.file("ready");
  RunningSupervisor running(
      {shell_child("parent", "sleep 1000 & echo $! > " + pid_file + "; touch " + ready + "; wait")},
      fast_policy());
  ASSERT_TRUE(wait_for_file(ready));
  pid_t grandchild = 0;
  std::ifstream(pid_file) >> grandchild;
  ASSERT_GT(grandchild, 0);
  ASSERT_FALSE(process_gone(grandchild));

  running.request_stop();
  EXPECT_EQ(running.result(), 0);

  // The grandchild is no longer our child, so it may linger briefly as a zombie of init.
  auto deadline = std::chrono::steady_clock::now() + kGuardTimeout;
  while (!process_gone(grandchild) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(process_gone(grandchild));
}

TEST(SupervisorTest, RetriesProgramThatCannotBeExecuted) {
  ChildSpec missing{
      .name = "missing",
      .command = {
          .path = "/nonexistent/surplus-test-program", .args = {}, .env = current_environment()}};
  RunningSupervisor running({missing}, fast_policy());

  auto failed = running.events.next(Kind::kExecFailed, "missing");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->error_number, ENOENT);
  auto scheduled = running.events.next(Kind::kRestartScheduled, "missing");
  ASSERT_TRUE(scheduled);
  EXPECT_EQ(scheduled->delay, 10ms);
  auto failed_again = running.events.next(Kind::kExecFailed, "missing");
  ASSERT_TRUE(failed_again);

  running.request_stop();
  EXPECT_EQ(running.result(), 0);
}

TEST(SupervisorTest, RejectsSecondRunningSupervisor) {
  RunningSupervisor running({sleeper("only")}, fast_policy());
  ASSERT_TRUE(running.events.next(Kind::kStarted, "only"));

  Supervisor second({sleeper("other")}, fast_policy());
  EXPECT_THROW(second.run(), std::logic_error);

  running.request_stop();
  EXPECT_EQ(running.result(), 0);
}

TEST(SupervisorTest, RejectsInvalidPolicy) {
  SupervisorPolicy policy = fast_policy();
  policy.max_backoff = 1ms;
  EXPECT_THROW(Supervisor({sleeper("x")}, policy), std::invalid_argument);
}

}  // namespace
}  // namespace surplus::tool
