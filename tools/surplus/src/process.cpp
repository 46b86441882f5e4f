#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace surplus::tool {

std::string signal_name(int signal_number) {
  const char* abbreviation = sigabbrev_np(signal_number);
  if (abbreviation == nullptr) {
    return fmt::format("signal {}", signal_number);
  }
  return fmt::format("SIG{}", abbreviation);
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) {
    return fmt::format("exited with status {}", WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    int signal_number = WTERMSIG(status);
    return fmt::format("was killed by signal {} ({}){}", signal_number, signal_name(signal_number),
                       WCOREDUMP(status) ? ", core dumped" : "");
  }
  return fmt::format("changed state (wait status {:#x})", status);
}

std::vector<std::string> current_environment() {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return entries;
}

void set_env_entry(std::vector<std::string>& env, const std::string& name,
                   const std::string& value) {
  std::string prefix = name + "=";
  for (auto& entry : env) {
    if (entry.starts_with(prefix)) {
      entry = prefix + value;
      return;
    }
  }
  env.push_back(prefix + value);
}

ExecArguments::ExecArguments(const Command& command) {
  strings_.reserve(1 + command.args.size() + command.env.size());
  strings_.push_back(command.path);
  strings_.insert(strings_.end(), command.args.begin(), command.args.end());
  strings_.insert(strings_.end(), command.env.begin(), command.env.end());

  std::size_t env_begin = 1 + command.args.size();
  for (std::size_t i = 0; i < env_begin; ++i) {
    argv_.push_back(strings_[i].data());
  }
  argv_.push_back(nullptr);
  for (std::size_t i = env_begin; i < strings_.size(); ++i) {
    envp_.push_back(strings_[i].data());
  }
  envp_.push_back(nullptr);
}

bool RunResult::succeeded() const {
  return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

namespace {

// Closes a file descriptor when the scope ends.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = -1;
  }

 private:
  int fd_;
};

// Destroys posix_spawn_file_actions_t when the scope ends.
class SpawnFileActions {
 public:
  SpawnFileActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnFileActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string read_all(int fd) {
  std::string output;
  char buffer[4096];
  while (true) {
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count > 0) {
      output.append(buffer, static_cast<std::size_t>(count));
    } else if (count == 0) {
      return output;
    } else if (errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "reading a child's output failed");
    }
  }
}

}  // namespace

RunResult run_to_completion(const Command& command, bool capture_output) {
  ExecArguments arguments(command);
  SpawnFileActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  int pipe_fds[2] = {-1, -1};
  if (capture_output) {
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      throw std::system_error(errno, std::generic_category(), "pipe2 failed");
    }
    posix_spawn_file_actions_adddup2(actions.get(), pipe_fds[1], STDOUT_FILENO);
  }
  FileDescriptor read_end(pipe_fds[0]);
  FileDescriptor write_end(pipe_fds[1]);

  pid_t pid = 0;
  int error = ::posix_spawn(&pid, arguments.path(), actions.get(), nullptr, arguments.argv(),
                            arguments.envp());
  if (error != 0) {
    throw std::system_error(error, std::generic_category(),
                            fmt::format("cannot run {}", command.path));
  }
  write_end.reset();

  RunResult result;
  if (capture_output) {
    result.standard_output = read_all(read_end.get());
  }
  while (::waitpid(pid, &result.wait_status, 0) < 0) {
    if (errno != EINTR) {
      throw std::system_error(errno, std::generic_category(),
                              fmt::format("waiting for {} (pid {}) failed", command.path, pid));
    }
  }
  return result;
}

}  // namespace surplus::tool
