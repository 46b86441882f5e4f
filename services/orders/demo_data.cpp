#include "demo_data.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>

#include "../demo_city.hpp"
#include "auth_service.hpp"
#include "products_store.hpp"
#include "restaurants_store.hpp"
#include "users_store.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

struct DemoAccount {
  std::string_view email;
  std::string_view display_name;
  auth::Role role;
  std::string_view note;
};

constexpr DemoAccount kAccounts[] = {
    {"customer@demo.surplus", "Clara Customer", auth::Role::kCustomer,
     "buys bags, keeps favourites"},
    {"store@demo.surplus", "Stefan Store", auth::Role::kStore,
     "staff of every demo restaurant in Berlin Kreuzberg and Neukölln"},
    {"courier@demo.surplus", "Kemal Courier", auth::Role::kCourier, "delivers orders"},
    {"admin@demo.surplus", "Ada Admin", auth::Role::kAdmin, "may manage every restaurant"},
};

struct DemoRestaurant {
  std::string_view name;
  std::string_view category;
  std::string_view address;
  double latitude;
  double longitude;
  std::string_view description;
};

// Invented businesses on real streets; coordinates are close to the street, within about
// 3.5 km north-south and 5.5 km east-west.
constexpr DemoRestaurant kRestaurants[] = {
    {"Bäckerei Morgenrot", "bakery", "Oranienstraße 24, 10999 Berlin", 52.50105, 13.41902,
     "Sourdough and rye baked overnight; what is left at six goes into bags."},
    {"Kiezbäcker Graefe", "bakery", "Graefestraße 11, 10967 Berlin", 52.49312, 13.41795,
     "Neighbourhood bakery with pretzels, rolls and cakes."},
    {"Brotzeit am Kanal", "bakery", "Paul-Lincke-Ufer 39, 10999 Berlin", 52.49498, 13.42987,
     "Organic bread and pastries by the canal."},
    {"Franzbrötchen & Co.", "bakery", "Bergmannstraße 86, 10961 Berlin", 52.48902, 13.39541,
     "Hamburg-style cinnamon pastries and coffee."},
    {"Sauerteig Manufaktur", "bakery", "Wiener Straße 15, 10999 Berlin", 52.49812, 13.43301,
     "Long-fermented loaves, baguettes and focaccia."},
    {"Backstube Weserkiez", "bakery", "Weserstraße 160, 12045 Berlin", 52.48497, 13.43702,
     "Small bakery with vegan cakes."},
    {"Simit Sarayı Kotti", "bakery", "Kottbusser Damm 9, 10967 Berlin", 52.49307, 13.42285,
     "Turkish simit, börek and poğaça."},
    {"Goldene Brezel", "bakery", "Boxhagener Straße 78, 10245 Berlin", 52.51102, 13.46003,
     "Bavarian pretzels and rolls."},
    {"Café Kanalblick", "cafe", "Maybachufer 21, 12047 Berlin", 52.49198, 13.43011,
     "Breakfast, cakes and sandwiches with a view of the Landwehr canal."},
    {"Kaffeehaus Wrangel", "cafe", "Wrangelstraße 44, 10997 Berlin", 52.50098, 13.43805,
     "Espresso bar with homemade cakes."},
    {"Milchbar Marheineke", "cafe", "Marheinekeplatz 3, 10961 Berlin", 52.48899, 13.39602,
     "Café in the market hall; bagels and cheesecake."},
    {"Café Lausitz", "cafe", "Lausitzer Platz 14, 10997 Berlin", 52.49902, 13.43103,
     "Corner café with quiches and tarts."},
    {"Teestube Reuter", "cafe", "Reuterstraße 52, 12047 Berlin", 52.48603, 13.42998,
     "Tea, scones and vegan muffins."},
    {"Rösterei Mehringdamm", "cafe", "Mehringdamm 57, 10961 Berlin", 52.49298, 13.38803,
     "Coffee roastery serving pastries and toasties."},
    {"Café Dieffenbach", "cafe", "Dieffenbachstraße 33, 10967 Berlin", 52.49402, 13.41498,
     "Family café with cakes and soups."},
    {"Simon Says Coffee", "cafe", "Simon-Dach-Straße 30, 10245 Berlin", 52.50902, 13.45701,
     "Coffee, bagels and banana bread."},
    {"Trattoria Lupo", "restaurant", "Gneisenaustraße 64, 10961 Berlin", 52.49148, 13.39598,
     "Pasta made fresh every morning."},
    {"Anatolia Grill", "restaurant", "Adalbertstraße 10, 10999 Berlin", 52.50003, 13.42002,
     "Grilled vegetables, köfte and lentil soup."},
    {"Pho Hanoi Kreuzberg", "restaurant", "Skalitzer Straße 71, 10997 Berlin", 52.49951, 13.42502,
     "Vietnamese noodle soups and summer rolls."},
    {"Curry Kontor", "restaurant", "Manteuffelstraße 77, 10999 Berlin", 52.49903, 13.42898,
     "Indian curries and dal, vegetarian and vegan."},
    {"Falafel Sonnenallee", "restaurant", "Sonnenallee 35, 12045 Berlin", 52.48302, 13.44197,
     "Falafel, hummus and salads."},
    {"Nudelbar Reichenberger", "restaurant", "Reichenberger Straße 120, 10999 Berlin", 52.49602,
     13.43003, "Hand-pulled noodles and dumplings."},
    {"Gasthaus Yorck", "restaurant", "Yorckstraße 15, 10965 Berlin", 52.49303, 13.38001,
     "German lunch dishes and stews."},
    {"Mezze Manufaktur", "restaurant", "Pannierstraße 29, 12047 Berlin", 52.48701, 13.43297,
     "Lebanese mezze boxes."},
    {"Sushi Welle", "restaurant", "Wiener Straße 60, 10999 Berlin", 52.49798, 13.43702,
     "Sushi and bowls, prepared through the day."},
    {"Tacos Friedel", "restaurant", "Friedelstraße 8, 12047 Berlin", 52.49003, 13.42797,
     "Tacos, burritos and salsas."},
    {"Pizzeria Hobrecht", "restaurant", "Hobrechtstraße 57, 12047 Berlin", 52.48897, 13.42598,
     "Neapolitan pizza by the slice."},
    {"Suppenküche Urban", "restaurant", "Urbanstraße 30, 10967 Berlin", 52.49201, 13.40702,
     "Soups and stews of the day."},
    {"Dumpling Haus Köpenicker", "restaurant", "Köpenicker Straße 174, 10997 Berlin", 52.50803,
     13.42102, "Steamed and fried dumplings."},
    {"Bowl Club Warschauer", "restaurant", "Warschauer Straße 33, 10243 Berlin", 52.50702, 13.45003,
     "Grain bowls and salads."},
    {"Biomarkt Bergmannkiez", "supermarket", "Zossener Straße 48, 10961 Berlin", 52.49103, 13.39398,
     "Organic groceries; fruit, vegetables and dairy near their date."},
    {"Frischemarkt Hermannplatz", "supermarket", "Hermannplatz 5, 10967 Berlin", 52.48702, 13.42403,
     "Supermarket with a fresh produce counter."},
    {"Kiezmarkt Görlitzer", "supermarket", "Görlitzer Straße 63, 10997 Berlin", 52.49702, 13.43602,
     "Neighbourhood grocery, open late."},
    {"Feinkost Glogauer", "supermarket", "Glogauer Straße 2, 10999 Berlin", 52.49402, 13.43803,
     "Delicatessen with cheese, olives and antipasti."},
    {"Obst & Gemüse Karl-Marx", "supermarket", "Karl-Marx-Straße 60, 12043 Berlin", 52.48003,
     13.43802, "Fruit and vegetable market."},
    {"Unverpackt Lenau", "supermarket", "Lenaustraße 23, 12047 Berlin", 52.48903, 13.43103,
     "Zero-waste shop with bulk dry goods."},
    {"Markthalle Moritzplatz", "supermarket", "Moritzplatz 1, 10969 Berlin", 52.50352, 13.41048,
     "Market stalls under one roof."},
    {"Asia Markt Heinrich-Heine", "supermarket", "Heinrich-Heine-Straße 12, 10179 Berlin", 52.50802,
     13.41603, "Asian groceries, tofu and fresh herbs."},
    {"Saftladen Ohlauer", "other", "Ohlauer Straße 41, 10999 Berlin", 52.49502, 13.42701,
     "Cold-pressed juices and smoothies."},
    {"Eismanufaktur Körte", "other", "Körtestraße 21, 10967 Berlin", 52.49152, 13.41102,
     "Ice cream and sorbets made in-house."},
    {"Schokoladenatelier Fichte", "other", "Fichtestraße 7, 10967 Berlin", 52.49003, 13.41402,
     "Chocolates and pralines."},
    {"Käseladen Muskauer", "other", "Muskauer Straße 49, 10997 Berlin", 52.50102, 13.43003,
     "Cheese shop with daily end-of-wheel bargains."},
    {"Feldküche Falckenstein", "other", "Falckensteinstraße 47, 10997 Berlin", 52.50003, 13.43902,
     "Catering kitchen selling leftover trays."},
    {"Schlesisch Deli", "other", "Schlesische Straße 8, 10997 Berlin", 52.49802, 13.44402,
     "Sandwich deli and salads to go."},
    {"Prinzessinnen Bäckerei", "bakery", "Prinzenstraße 85, 10969 Berlin", 52.49902, 13.40703,
     "Cakes, tarts and cookies."},
};

struct DemoProduct {
  std::string_view name;
  std::string_view category;
  std::initializer_list<std::string_view> tags;
  std::int64_t price_cents;
  std::string_view description;
};

struct ProductsFor {
  std::string_view restaurant_category;
  std::initializer_list<DemoProduct> products;
};

const ProductsFor kProducts[] = {
    {"bakery",
     {{"Sourdough loaf", "bread", {"vegan"}, 480, "A 1 kg wheat and rye sourdough loaf."},
      {"Butter croissant", "pastry", {"vegetarian"}, 160, "Baked this morning."},
      {"Bakery surprise bag",
       "mixed",
       {"vegetarian"},
       900,
       "Bread, rolls and pastries of the day."}}},
    {"cafe",
     {{"Cheesecake slice", "cake", {"vegetarian"}, 420, "New York style."},
      {"Bagel sandwich", "sandwich", {}, 550, "Cream cheese, cucumber and herbs."},
      {"Café surprise bag", "mixed", {"vegetarian"}, 800, "Cakes and sandwiches of the day."}}},
    {"restaurant",
     {{"Lunch of the day", "meal", {}, 1190, "The daily main dish with a side."},
      {"Vegetable curry", "meal", {"vegan", "gluten-free"}, 1050, "With rice."},
      {"Restaurant surprise bag",
       "mixed",
       {},
       1200,
       "Two portions of what the kitchen has left."}}},
    {"supermarket",
     {{"Fruit and vegetable box", "produce", {"vegan"}, 1500, "About 3 kg of seasonal produce."},
      {"Dairy box", "dairy", {"vegetarian"}, 1200, "Yoghurt, cheese and milk near their date."},
      {"Bread basket", "bread", {"vegan"}, 600, "Yesterday's bread from the bakery counter."}}},
    {"other",
     {{"Surprise bag", "mixed", {}, 700, "A selection of what is left today."},
      {"Large surprise bag", "mixed", {}, 1200, "More of what is left today."}}},
};

User ensure_user(OrdersApp& app, const DemoAccount& account, SeedReport& report) {
  auto existing = app.database.transaction([&](db::Session& session) {
    return find_user_by_email(session, ascii_lower(account.email));
  });
  if (existing) {
    return *existing;
  }
  auto now = core::now();
  // The offers service seeds couriers and staff under these ids in its own database.
  User user{demo::demo_id("user", account.email),
            std::string(account.email),
            std::string(account.display_name),
            account.role,
            app.hasher.hash(kDemoPassword),
            now,
            now};
  app.database.transaction([&](db::Session& session) { insert_user(session, user); });
  ++report.users_created;
  return user;
}

void ensure_products(db::Session& session, const Restaurant& restaurant, SeedReport& report) {
  for (const auto& group : kProducts) {
    if (group.restaurant_category != restaurant.category) {
      continue;
    }
    for (const auto& demo : group.products) {
      bool exists = !session
                         .execute("SELECT 1 FROM products WHERE restaurant_id = $1 AND name = $2",
                                  {restaurant.id, std::string(demo.name)})
                         .empty();
      if (exists) {
        continue;
      }
      auto now = core::now();
      Product product;
      product.id = core::new_uuid_v7();
      product.restaurant_id = restaurant.id;
      product.name = demo.name;
      product.description = demo.description;
      product.category = demo.category;
      for (auto tag : demo.tags) {
        product.dietary_tags.emplace_back(tag);
      }
      product.price = {demo.price_cents, "EUR"};
      product.active = true;
      product.created_at = now;
      product.updated_at = now;
      insert_product(session, product);
      ++report.products_created;
    }
  }
}

void ensure_restaurant(db::Session& session, const DemoRestaurant& demo, std::size_t index,
                       const User& owner, SeedReport& report) {
  auto row = session
                 .execute("SELECT id FROM restaurants WHERE name = $1 AND created_by = $2",
                          {std::string(demo.name), owner.id})
                 .maybe_one();
  std::optional<Restaurant> restaurant;
  if (row) {
    restaurant = find_restaurant(session, row->get<std::string>(0));
  } else {
    auto now = core::now();
    // Demo offers in the offers service name their restaurant by this id.
    restaurant = Restaurant{demo::demo_id("restaurant", demo.name),
                            std::string(demo.name),
                            std::string(demo.description),
                            std::string(demo.category),
                            std::string(demo.address),
                            demo.latitude,
                            demo.longitude,
                            "+49 30 555 " + std::to_string(1000 + index),
                            "Europe/Berlin",
                            owner.id,
                            now,
                            now};
    insert_restaurant(session, *restaurant);
    ++report.restaurants_created;
  }
  add_staff(session, restaurant->id, owner.id, owner.id, core::now());
  ensure_products(session, *restaurant, report);
}

}  // namespace

SeedReport seed_demo_data(OrdersApp& app) {
  SeedReport report;
  std::optional<User> store;
  for (const auto& account : kAccounts) {
    User user = ensure_user(app, account, report);
    if (account.role == auth::Role::kStore) {
      store = user;
    }
  }
  // Counted per attempt, because the transaction body may run again after a conflict.
  auto catalogue = app.database.transaction([&](db::Session& session) {
    SeedReport attempt;
    for (std::size_t i = 0; i < std::size(kRestaurants); ++i) {
      ensure_restaurant(session, kRestaurants[i], i, *store, attempt);
    }
    return attempt;
  });
  report.restaurants_created = catalogue.restaurants_created;
  report.products_created = catalogue.products_created;
  spdlog::info(
      "demo data: {} users, {} restaurants and {} products created ({} restaurants in "
      "the demo set)",
      report.users_created, report.restaurants_created, report.products_created,
      std::size(kRestaurants));
  return report;
}

nlohmann::json demo_accounts_json() {
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& account : kAccounts) {
    accounts.push_back({{"email", account.email},
                        {"password", kDemoPassword},
                        {"role", auth::role_name(account.role)},
                        {"note", account.note}});
  }
  return {{"accounts", accounts}};
}

}  // namespace surplus::orders
