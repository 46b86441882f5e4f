// `surplus listen` run as a process against the real service.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "test_support.hpp"

namespace surplus::notifications::testing {
namespace {

// Reads stdout lines of a command started with popen; closes it on destruction.
class Process {
 public:
  explicit Process(const std::string& command) : pipe_(::popen(command.c_str(), "r")) {}
  ~Process() {
    if (pipe_ != nullptr) {
      ::pclose(pipe_);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool started() const { return pipe_ != nullptr; }
  // The next line without its newline, or nullopt at end of output.
  std::optional<std::string> read_line() {
    std::string line;
    int c = 0;
    while ((c = std::fgetc(pipe_)) != EOF && c != '\n') {
      line.push_back(static_cast<char>(c));
    }
    if (c == EOF && line.empty()) {
      return std::nullopt;
    }
    return line;
  }
  // Waits for the exit and returns the exit status.
  int wait() {
    int status = ::pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  FILE* pipe_;
};

class ListenCommandTest : public NotificationsTest {
 protected:
  std::string command(const std::string& arguments) {
    return std::string(SURPLUS_TOOL_PATH) +
           " listen --url ws://127.0.0.1:" + std::to_string(server().port()) + "/ws " + arguments;
  }
};

TEST_P(ListenCommandTest, PrintsRecoveredThenLiveEvents) {
  auto first = numbered_events({"user:u1"}, 2);
  ingest(first);
  auto epoch = server().app().log.database_epoch();

  Process listen(command("--channel user:u1 --count 4 --since " + epoch + ":0 --token " +
                         token(auth::Role::kCustomer, "u1")));
  ASSERT_TRUE(listen.started());
  // The first two come from the history, which also proves the subscription is active.
  for (int offset = 1; offset <= 2; ++offset) {
    auto line = listen.read_line();
    ASSERT_TRUE(line.has_value());
    auto message = nlohmann::json::parse(*line);
    EXPECT_EQ(message["offset"], offset);
    EXPECT_EQ(message["event"]["id"], first[static_cast<std::size_t>(offset - 1)].id);
  }
  ingest(numbered_events({"user:u1"}, 2, 2));
  for (int offset = 3; offset <= 4; ++offset) {
    auto line = listen.read_line();
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ(nlohmann::json::parse(*line)["offset"], offset);
  }
  EXPECT_EQ(listen.read_line(), std::nullopt);
  EXPECT_EQ(listen.wait(), 0);
}

TEST_P(ListenCommandTest, ForbiddenChannelExitsWithError) {
  Process listen(command("--channel user:u1 2>/dev/null"));
  ASSERT_TRUE(listen.started());
  EXPECT_EQ(listen.read_line(), std::nullopt);
  EXPECT_EQ(listen.wait(), 1);
}

SURPLUS_DB_INSTANTIATE_ALL(ListenCommandTest);

}  // namespace
}  // namespace surplus::notifications::testing
