#include "service.hpp"

int main(int argc, char** argv) {
  return surplus::service::run_service(argc, argv, surplus::orders::definition());
}
