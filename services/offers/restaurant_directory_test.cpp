// RestaurantDirectory against a real surplus-orders process: the location of a demo
// restaurant is fetched over HTTP, an unknown id is NOT_FOUND, and once the orders
// service is gone a stored copy is still used while a new id is UNAVAILABLE.

#include "restaurant_directory.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>
#include <surplus/http/client.hpp>

#include "../demo_city.hpp"
#include "offers_test_support.hpp"

#ifndef SURPLUS_ORDERS_BINARY
#error "SURPLUS_ORDERS_BINARY must name the surplus-orders executable"
#endif

namespace surplus::offers {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kSecret = "directory-test-service-secret";

// A free loopback port at the time of the call. Another process could take it before the
// orders service binds it, which would make the test fail loudly, not pass wrongly.
std::uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
               getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!bound) {
    throw std::runtime_error("no free loopback port");
  }
  return ntohs(address.sin_port);
}

// One surplus-orders process with its own SQLite file and key folder.
class OrdersProcess {
 public:
  OrdersProcess()
      : folder_(fs::temp_directory_path() / ("surplus-directory-" + core::new_uuid_v7())) {
    fs::create_directories(folder_);
    port_ = free_port();
  }
  ~OrdersProcess() {
    stop();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Runs the binary with `argument` (empty for serving) and returns its pid. The child
  // only calls chdir and execve, because other calls are unsafe after fork in a process
  // with threads.
  pid_t spawn(const std::string& argument) {
    std::vector<std::string> variables{
        "PORT=" + std::to_string(port_),
        "HOST=127.0.0.1",
        "DATABASE_URL=sqlite://" + (folder_ / "orders.db").string(),
        "SERVICE_SECRET=" + std::string(kSecret),
        "ARGON2_MEM_LIMIT=64KiB",
        "ARGON2_OPS_LIMIT=1",
        "OUTBOX_RELAY_ENABLED=false",
        "ORDER_RECONCILE_INTERVAL=0s",
        "LOG_LEVEL=warn",
    };
    if (const char* path = std::getenv("PATH")) {
      variables.push_back(std::string("PATH=") + path);
    }
    std::vector<char*> environment;
    for (auto& variable : variables) {
      environment.push_back(variable.data());
    }
    environment.push_back(nullptr);
    std::string binary = SURPLUS_ORDERS_BINARY;
    std::string argument_copy = argument;
    std::vector<char*> args{binary.data()};
    if (!argument_copy.empty()) {
      args.push_back(argument_copy.data());
    }
    args.push_back(nullptr);
    std::string folder = folder_.string();

    pid_t pid = fork();
    if (pid == 0) {
      if (chdir(folder.c_str()) == 0) {
        execve(binary.c_str(), args.data(), environment.data());
      }
      _exit(127);
    }
    return pid;
  }

  // Loads the demo city and waits for it to finish.
  void seed() {
    pid_t pid = spawn("--seed");
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "surplus-orders --seed was killed";
    ASSERT_EQ(WEXITSTATUS(status), 0) << "surplus-orders --seed failed";
  }

  // Starts serving and waits up to 30 s for /healthz.
  void start() {
    server_ = spawn("");
    http::Client client;
    for (int i = 0; i < 300; ++i) {
      try {
        if (client.get(url() + "/healthz").status == 200) {
          return;
        }
      } catch (const std::exception&) {
        // Not listening yet.
      }
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "surplus-orders did not answer /healthz on " << url();
  }

  void stop() {
    if (server_ > 0) {
      kill(server_, SIGTERM);
      int status = 0;
      waitpid(server_, &status, 0);
      server_ = -1;
    }
  }

 private:
  fs::path folder_;
  std::uint16_t port_ = 0;
  pid_t server_ = -1;
};

class RestaurantDirectoryTest : public testing::OffersDatabaseTest {};

TEST_P(RestaurantDirectoryTest, FetchesFromOrdersService) {
  OrdersProcess orders;
  orders.seed();
  orders.start();
  RestaurantDirectory directory(db(), orders.url(), auth::ServiceSecret(std::string(kSecret)),
                                std::chrono::seconds(3600));

  const auto& demo = demo::kDemoRestaurants.front();
  std::string id = demo::demo_id("restaurant", demo.name);
  RestaurantLocation found = directory.find(id);
  EXPECT_EQ(found.id, id);
  EXPECT_EQ(found.name, demo.name);
  EXPECT_DOUBLE_EQ(found.location.latitude, demo.latitude);
  EXPECT_DOUBLE_EQ(found.location.longitude, demo.longitude);

  std::string unknown = core::new_uuid_v7();
  try {
    directory.find(unknown);
    ADD_FAILURE() << "unknown restaurant " << unknown << " was found";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kNotFound);
  }

  orders.stop();
  // The copy fetched above is stored, so it no longer needs the orders service.
  EXPECT_EQ(directory.find(id).name, demo.name);
  std::string other = demo::demo_id("restaurant", demo::kDemoRestaurants.back().name);
  try {
    directory.find(other);
    ADD_FAILURE() << "restaurant " << other << " was found without the orders service";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
  }
}

SURPLUS_DB_INSTANTIATE_ALL(RestaurantDirectoryTest);

}  // namespace
}  // namespace surplus::offers
