#pragma once

#include "offers_app.hpp"

namespace surplus::offers {

struct DemoReport {
  int restaurants = 0;
  int offers_created = 0;
  int couriers_created = 0;
};

// Loads demo data: the locations of the demo restaurants (demo_city.hpp), two published
// surprise bags each whose pickup windows start within the next hours, and three
// AVAILABLE couriers near Kottbusser Tor, the first being the demo COURIER account.
// Idempotent: a restaurant that still has an unexpired demo offer of a title gets no new
// one, and existing couriers are left alone.
DemoReport seed_demo_data(OffersApp& app);

}  // namespace surplus::offers
