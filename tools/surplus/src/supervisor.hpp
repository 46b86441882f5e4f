#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "process.hpp"

namespace surplus::tool {

// A long-running program that the supervisor keeps alive.
struct ChildSpec {
  std::string name;  // used in log lines and events
  Command command;
};

// Timing of restarts and shutdown.
struct SupervisorPolicy {
  // Delay before the first restart of a child that died; it doubles after each further
  // crash up to max_backoff.
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  // A child that ran at least this long before dying is restarted after initial_backoff
  // again, because it was healthy in between.
  std::chrono::milliseconds stable_after{60'000};
  // Time that children get to exit after the stop signal before they are sent SIGKILL.
  // Longer than the services' own default SHUTDOWN_GRACE of 10 s, so that a service
  // draining connections for its full grace period is not killed.
  std::chrono::milliseconds shutdown_grace{15'000};
};

// A change in a child's state, reported to the observer on the thread that calls run().
struct SupervisorEvent {
  enum class Kind {
    kStarted,           // pid is the new process
    kExited,            // pid ended with wait_status
    kExecFailed,        // execve() failed with errno error_number
    kRestartScheduled,  // the child starts again after delay
    kStopping,          // shutdown began because of signal_number (0 for request_stop)
  };
  Kind kind = Kind::kStarted;
  std::string name{};  // empty for kStopping
  pid_t pid = 0;
  int wait_status = 0;
  int error_number = 0;
  int signal_number = 0;
  std::chrono::milliseconds delay{0};
};

// Runs a fixed set of child processes, restarts any that die with exponential backoff,
// and stops them all on SIGINT, SIGTERM or request_stop().
//
// Each child runs in a process group of its own. A Ctrl-C in a terminal therefore reaches
// only the supervisor (the terminal's foreground group), which then sends the same signal
// once to every child's group, so a child never receives the signal twice, and a child's own
// subprocesses are stopped with it. A second SIGINT or SIGTERM during shutdown sends
// SIGKILL at once. Children also get SIGTERM from the kernel if the thread that started
// them ends (PR_SET_PDEATHSIG), so they do not outlive a supervisor that was killed.
//
// Signals reach the event loop through a self-pipe written by the signal handlers, so the
// loop sleeps in poll() between events. Only one Supervisor may run at a time in a process,
// because signal dispositions are process-wide.
class Supervisor {
 public:
  using Observer = std::function<void(const SupervisorEvent&)>;

  Supervisor(std::vector<ChildSpec> children, SupervisorPolicy policy, Observer observer = {});
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts the children and supervises them until a stop signal, then stops them all.
  // Returns 0 when every child exited within shutdown_grace and 1 when some had to be
  // sent SIGKILL. Installs handlers for SIGCHLD, SIGINT and SIGTERM while it runs and
  // restores the previous ones before it returns. Throws std::logic_error when another
  // Supervisor is running, and std::system_error when a system call fails.
  int run();

  // Begins the shutdown as SIGTERM would. Safe to call from any thread and from a signal
  // handler, before or during run().
  void request_stop();

 private:
  struct Child;

  void start(Child& child);
  void reap_children();
  void handle_exit(Child& child, int wait_status);
  void start_due_children();
  void begin_shutdown(int signal_number);
  void escalate_shutdown(const std::string& reason);
  bool any_running() const;
  int poll_timeout_ms() const;
  void drain_wakeup_pipe();
  void notify(const SupervisorEvent& event) const;

  std::vector<Child> children_;
  SupervisorPolicy policy_;
  Observer observer_;
  int wakeup_read_fd_ = -1;
  int wakeup_write_fd_ = -1;
  std::atomic<int> stop_requests_{0};
  bool stopping_ = false;
  bool forced_ = false;
  std::optional<std::chrono::steady_clock::time_point> kill_deadline_;
};

}  // namespace surplus::tool
