#include "supervisor.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace surplus::tool {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// State shared with the signal handler; std::atomic<int> is lock-free, so it is safe there.
std::atomic<int> g_wakeup_fd{-1};
std::atomic<int> g_stop_signal_count{0};
std::atomic<int> g_last_stop_signal{0};
std::atomic<bool> g_supervisor_running{false};

constexpr int kHandledSignals[] = {SIGCHLD, SIGINT, SIGTERM};

extern "C" void on_signal(int signal_number) {
  int saved_errno = errno;
  if (signal_number != SIGCHLD) {
    g_last_stop_signal.store(signal_number);
    g_stop_signal_count.fetch_add(1);
  }
  int fd = g_wakeup_fd.load();
  if (fd >= 0) {
    // A full pipe already guarantees a wake-up, so a failed write loses nothing.
    unsigned char byte = static_cast<unsigned char>(signal_number);
    [[maybe_unused]] ssize_t ignored = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Installs on_signal for kHandledSignals and restores the previous actions on destruction.
class SignalHandlerScope {
 public:
  explicit SignalHandlerScope(int wakeup_fd) {
    g_stop_signal_count.store(0);
    g_wakeup_fd.store(wakeup_fd);
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    for (std::size_t i = 0; i < std::size(kHandledSignals); ++i) {
      if (::sigaction(kHandledSignals[i], &action, &previous_[i]) != 0) {
        throw_errno("sigaction failed");
      }
    }
  }
  ~SignalHandlerScope() {
    for (std::size_t i = 0; i < std::size(kHandledSignals); ++i) {
      ::sigaction(kHandledSignals[i], &previous_[i], nullptr);
    }
    g_wakeup_fd.store(-1);
  }
  SignalHandlerScope(const SignalHandlerScope&) = delete;
  SignalHandlerScope& operator=(const SignalHandlerScope&) = delete;

 private:
  struct sigaction previous_[std::size(kHandledSignals)]{};
};

// Sends `signal_number` to the child's process group, which the child leads.
void signal_group(pid_t pid, int signal_number) {
  if (::kill(-pid, signal_number) != 0 && errno == ESRCH) {
    ::kill(pid, signal_number);
  }
}

// Runs in the forked child: only async-signal-safe calls until execve().
[[noreturn]] void exec_child(ExecArguments& arguments, pid_t parent_pid, int stdin_fd,
                             int error_fd) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent_pid) {
    ::_exit(127);
  }
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal_number : kHandledSignals) {
    ::sigaction(signal_number, &default_action, nullptr);
  }
  sigset_t empty;
  sigemptyset(&empty);
  ::pthread_sigmask(SIG_SETMASK, &empty, nullptr);

  ::dup2(stdin_fd, STDIN_FILENO);
  ::execve(arguments.path(), arguments.argv(), arguments.envp());

  int error_number = errno;
  [[maybe_unused]] ssize_t ignored = ::write(error_fd, &error_number, sizeof error_number);
  ::_exit(127);
}

std::string format_duration(Clock::duration duration) {
  auto ms = std::chrono::duration_cast<milliseconds>(duration).count();
  if (ms < 1000) {
    return fmt::format("{} ms", ms);
  }
  return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
}

}  // namespace

struct Supervisor::Child {
  ChildSpec spec;
  pid_t pid = 0;
  Clock::time_point started_at{};
  milliseconds next_backoff{0};
  std::optional<Clock::time_point> restart_at;
};

Supervisor::Supervisor(std::vector<ChildSpec> children, SupervisorPolicy policy, Observer observer)
    : policy_(policy), observer_(std::move(observer)) {
  if (policy_.initial_backoff <= milliseconds(0) || policy_.max_backoff < policy_.initial_backoff) {
    throw std::invalid_argument(
        "SupervisorPolicy is invalid: initial_backoff must be positive and at most max_backoff");
  }
  for (auto& spec : children) {
    Child child;
    child.spec = std::move(spec);
    child.next_backoff = policy_.initial_backoff;
    children_.push_back(std::move(child));
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw_errno("pipe2 failed");
  }
  wakeup_read_fd_ = fds[0];
  wakeup_write_fd_ = fds[1];
}

Supervisor::~Supervisor() {
  // Reached with live children only when run() threw; they must not outlive us.
  for (auto& child : children_) {
    if (child.pid > 0) {
      signal_group(child.pid, SIGKILL);
      int status = 0;
      ::waitpid(child.pid, &status, 0);
    }
  }
  ::close(wakeup_read_fd_);
  ::close(wakeup_write_fd_);
}

void Supervisor::request_stop() {
  stop_requests_.fetch_add(1);
  unsigned char byte = 0;
  [[maybe_unused]] ssize_t ignored = ::write(wakeup_write_fd_, &byte, 1);
}

int Supervisor::run() {
  if (g_supervisor_running.exchange(true)) {
    throw std::logic_error("another Supervisor is already running in this process");
  }
  struct RunningFlag {
    ~RunningFlag() { g_supervisor_running.store(false); }
  } running_flag;
  SignalHandlerScope handlers(wakeup_write_fd_);

  for (auto& child : children_) {
    start(child);
  }

  int handled_signal_stops = 0;
  int handled_request_stops = 0;
  while (!(stopping_ && !any_running())) {
    pollfd wakeup{wakeup_read_fd_, POLLIN, 0};
    if (::poll(&wakeup, 1, poll_timeout_ms()) < 0 && errno != EINTR) {
      throw_errno("poll failed");
    }
    drain_wakeup_pipe();
    reap_children();

    // Each stop signal or request counts once: the first begins the shutdown, any later
    // one sends SIGKILL to whatever is still running.
    int signal_stops = g_stop_signal_count.load();
    int request_stops = stop_requests_.load();
    while (handled_signal_stops < signal_stops || handled_request_stops < request_stops) {
      int signal_number = 0;
      if (handled_signal_stops < signal_stops) {
        signal_number = g_last_stop_signal.load();
        ++handled_signal_stops;
      } else {
        ++handled_request_stops;
      }
      if (!stopping_) {
        begin_shutdown(signal_number);
      } else {
        escalate_shutdown("is still running at the second stop signal");
      }
    }

    if (kill_deadline_ && Clock::now() >= *kill_deadline_) {
      escalate_shutdown(
          fmt::format("did not stop within {}", format_duration(policy_.shutdown_grace)));
    }
    if (!stopping_) {
      start_due_children();
    }
  }

  spdlog::info("all {} supervised processes stopped", children_.size());
  return forced_ ? 1 : 0;
}

void Supervisor::start(Child& child) {
  child.restart_at.reset();
  ExecArguments arguments(child.spec.command);

  int stdin_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (stdin_fd < 0) {
    throw_errno("cannot open /dev/null");
  }
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    ::close(stdin_fd);
    throw_errno("pipe2 failed");
  }

  // Block every signal across fork() so that the child cannot run our handler before it
  // has reset the dispositions to the defaults.
  sigset_t all_signals;
  sigset_t original_mask;
  sigfillset(&all_signals);
  ::pthread_sigmask(SIG_SETMASK, &all_signals, &original_mask);
  pid_t parent_pid = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    exec_child(arguments, parent_pid, stdin_fd, error_pipe[1]);
  }
  int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &original_mask, nullptr);
  ::close(stdin_fd);
  ::close(error_pipe[1]);
  if (pid < 0) {
    ::close(error_pipe[0]);
    errno = fork_errno;
    throw_errno("fork failed");
  }
  // Also set here, so the group exists before we might signal it.
  ::setpgid(pid, pid);

  // The pipe closes on a successful execve(); otherwise the child reports errno first.
  int exec_errno = 0;
  ssize_t count = 0;
  do {
    count = ::read(error_pipe[0], &exec_errno, sizeof exec_errno);
  } while (count < 0 && errno == EINTR);
  ::close(error_pipe[0]);

  child.started_at = Clock::now();
  if (count == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    spdlog::error("{}: cannot execute {}: {}", child.spec.name, child.spec.command.path,
                  std::strerror(exec_errno));
    notify({.kind = SupervisorEvent::Kind::kExecFailed,
            .name = child.spec.name,
            .pid = pid,
            .error_number = exec_errno});
    handle_exit(child, status);
    return;
  }

  child.pid = pid;
  spdlog::info("{} started (pid {})", child.spec.name, pid);
  notify({.kind = SupervisorEvent::Kind::kStarted, .name = child.spec.name, .pid = pid});
}

void Supervisor::reap_children() {
  for (auto& child : children_) {
    if (child.pid <= 0) {
      continue;
    }
    int status = 0;
    pid_t result = 0;
    do {
      result = ::waitpid(child.pid, &status, WNOHANG);
    } while (result < 0 && errno == EINTR);
    if (result == child.pid) {
      handle_exit(child, status);
    } else if (result < 0) {
      // ECHILD: something else in this process reaped our child, so its status is lost.
      spdlog::warn("{} (pid {}) was reaped elsewhere: {}", child.spec.name, child.pid,
                   std::strerror(errno));
      handle_exit(child, 0);
    }
  }
}

void Supervisor::handle_exit(Child& child, int wait_status) {
  pid_t pid = child.pid;
  if (pid > 0) {
    // Stops whatever the child left behind in its group. While such processes exist the
    // kernel keeps the group id reserved, so the signal cannot reach an unrelated process.
    // NOTE: with an empty group this relies on the pid not being reused within this instant.
    ::kill(-pid, SIGKILL);
    notify({.kind = SupervisorEvent::Kind::kExited,
            .name = child.spec.name,
            .pid = pid,
            .wait_status = wait_status});
  }
  child.pid = 0;

  if (stopping_) {
    spdlog::info("{} (pid {}) stopped: {}", child.spec.name, pid,
                 describe_wait_status(wait_status));
    return;
  }

  auto now = Clock::now();
  auto uptime = now - child.started_at;
  if (uptime >= policy_.stable_after) {
    child.next_backoff = policy_.initial_backoff;
  }
  milliseconds delay = child.next_backoff;
  child.next_backoff = std::min(delay * 2, policy_.max_backoff);
  child.restart_at = now + delay;

  if (pid > 0) {
    spdlog::warn("{} (pid {}) {} after {}; restarting in {}", child.spec.name, pid,
                 describe_wait_status(wait_status), format_duration(uptime),
                 format_duration(delay));
  } else {
    spdlog::warn("{}: retrying in {}", child.spec.name, format_duration(delay));
  }
  notify({.kind = SupervisorEvent::Kind::kRestartScheduled,
          .name = child.spec.name,
          .pid = pid,
          .delay = delay});
}

void Supervisor::start_due_children() {
  auto now = Clock::now();
  for (auto& child : children_) {
    if (child.pid == 0 && child.restart_at && *child.restart_at <= now) {
      start(child);
    }
  }
}

void Supervisor::begin_shutdown(int signal_number) {
  stopping_ = true;
  for (auto& child : children_) {
    child.restart_at.reset();
  }
  notify({.kind = SupervisorEvent::Kind::kStopping, .signal_number = signal_number});

  // Children get the signal the supervisor received, so SIGINT stays SIGINT; a stop
  // requested through request_stop() arrives as SIGTERM.
  int forwarded = signal_number == 0 ? SIGTERM : signal_number;
  auto running = std::count_if(children_.begin(), children_.end(),
                               [](const Child& child) { return child.pid > 0; });
  std::string reason = signal_number == 0 ? std::string("stop requested")
                                          : fmt::format("received {}", signal_name(signal_number));
  spdlog::info("{}; sending {} to {} running processes", reason, signal_name(forwarded), running);
  for (auto& child : children_) {
    if (child.pid > 0) {
      signal_group(child.pid, forwarded);
    }
  }
  kill_deadline_ = Clock::now() + policy_.shutdown_grace;
}

void Supervisor::escalate_shutdown(const std::string& reason) {
  kill_deadline_.reset();
  for (auto& child : children_) {
    if (child.pid > 0) {
      spdlog::warn("{} (pid {}) {}; sending SIGKILL", child.spec.name, child.pid, reason);
      signal_group(child.pid, SIGKILL);
      forced_ = true;
    }
  }
}

bool Supervisor::any_running() const {
  return std::any_of(children_.begin(), children_.end(),
                     [](const Child& child) { return child.pid > 0; });
}

int Supervisor::poll_timeout_ms() const {
  std::optional<Clock::time_point> next;
  auto consider = [&next](Clock::time_point when) {
    if (!next || when < *next) {
      next = when;
    }
  };
  if (kill_deadline_) {
    consider(*kill_deadline_);
  }
  for (const auto& child : children_) {
    if (child.restart_at) {
      consider(*child.restart_at);
    }
  }
  if (!next) {
    return -1;
  }
  auto remaining = *next - Clock::now();
  if (remaining <= Clock::duration::zero()) {
    return 0;
  }
  // Rounds up, so the loop never wakes just before the deadline and spins.
  auto ms = std::chrono::ceil<milliseconds>(remaining).count();
  return static_cast<int>(std::min<long long>(ms, 60'000));
}

void Supervisor::drain_wakeup_pipe() {
  // The bytes only wake poll(); the signal handler records what happened in atomics.
  unsigned char buffer[64];
  while (::read(wakeup_read_fd_, buffer, sizeof buffer) > 0) {
  }
}

void Supervisor::notify(const SupervisorEvent& event) const {
  if (observer_) {
    observer_(event);
  }
}

}  // namespace surplus::tool
