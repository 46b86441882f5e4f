#pragma once

#include <string>
#include <vector>

namespace surplus::tool {

// A program to run: an absolute or relative path (no PATH search), its arguments and its
// complete environment as "NAME=value" entries.
struct Command {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
};

// Describes a status from waitpid() in words, e.g. "exited with status 2" or
// "was killed by signal 9 (SIGKILL)".
std::string describe_wait_status(int status);

// Returns "SIGTERM" for SIGTERM, "signal 42" for a number without a name.
std::string signal_name(int signal_number);

// Returns the environment of this process as "NAME=value" entries.
std::vector<std::string> current_environment();

// Sets NAME to `value` in `env`, replacing an existing entry of that name.
void set_env_entry(std::vector<std::string>& env, const std::string& name,
                   const std::string& value);

// Owns the argv and envp arrays that execve() and posix_spawn() take. They are built
// before fork(), because the child of a multi-threaded process may not allocate.
class ExecArguments {
 public:
  explicit ExecArguments(const Command& command);
  char* const* argv() { return argv_.data(); }
  char* const* envp() { return envp_.data(); }
  const char* path() const { return strings_.front().c_str(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// The outcome of a program run to completion.
struct RunResult {
  int wait_status = 0;
  std::string standard_output;  // empty unless captured
  bool succeeded() const;
};

// Runs `command` in the foreground and waits for it; stdin is /dev/null and stderr is
// inherited. stdout is captured when `capture_output` is true, inherited otherwise.
// Throws std::system_error when the program cannot be started (not found, not executable).
RunResult run_to_completion(const Command& command, bool capture_output);

}  // namespace surplus::tool
