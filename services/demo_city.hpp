#pragma once

// Identifiers shared by the demo data of the services. Each service seeds its own database
// in a separate process, so ids of demo records that several services refer to (users,
// restaurants) are derived from a stable key instead of being random.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace surplus::demo {

// A UUID (version 8, RFC 9562 section 5.8) derived from `kind` and `key`, e.g.
// demo_id("restaurant", "Bäckerei Morgenrot") or demo_id("user", "courier@demo.surplus").
// The same arguments give the same id in every service and on every run. The 122 free bits
// come from two 64-bit FNV-1a hashes. That keeps a few hundred demo ids apart, but the ids
// are guessable, which is acceptable for demo data only.
inline std::string demo_id(std::string_view kind, std::string_view key) {
  auto fnv1a = [](std::uint64_t hash, std::string_view text) {
    for (unsigned char byte : text) {
      hash ^= byte;
      hash *= 0x100000001b3ULL;
    }
    return hash;
  };
  std::string input = std::string(kind) + '\0' + std::string(key);
  std::uint64_t high = fnv1a(0xcbf29ce484222325ULL, input);
  std::uint64_t low = fnv1a(0x84222325cbf29ce4ULL, input + "surplus-demo");
  high = (high & 0xffffffffffff0fffULL) | 0x0000000000008000ULL;  // version 8
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff,
                     high & 0xffff, low >> 48, low & 0xffffffffffffULL);
}

// Demo restaurants that have offers, with the names and coordinates of the orders
// service's demo city (Berlin, Kreuzberg and Neukölln). Their ids are
// demo_id("restaurant", name).
struct DemoRestaurant {
  std::string_view name;
  std::string_view category;
  double latitude;
  double longitude;
};

inline constexpr std::array<DemoRestaurant, 8> kDemoRestaurants{{
    {"Bäckerei Morgenrot", "bakery", 52.50105, 13.41902},
    {"Kiezbäcker Graefe", "bakery", 52.49312, 13.41795},
    {"Brotzeit am Kanal", "bakery", 52.49498, 13.42987},
    {"Sauerteig Manufaktur", "bakery", 52.49812, 13.43301},
    {"Café Kanalblick", "cafe", 52.49198, 13.43011},
    {"Kaffeehaus Wrangel", "cafe", 52.50098, 13.43805},
    {"Milchbar Marheineke", "cafe", 52.48899, 13.39602},
    {"Café Dieffenbach", "cafe", 52.49402, 13.41498},
}};

// Demo accounts of the orders service that other services refer to; their user ids are
// demo_id("user", email).
inline constexpr std::string_view kDemoStoreEmail = "store@demo.surplus";
inline constexpr std::string_view kDemoCourierEmail = "courier@demo.surplus";

}  // namespace surplus::demo
