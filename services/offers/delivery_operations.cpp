#include "delivery_operations.hpp"

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "couriers.hpp"
#include "deliveries_store.hpp"
#include "outbox_writer.hpp"
#include "proof_attempts.hpp"
#include "read_only.hpp"

namespace surplus::offers {
namespace {

// Thrown inside the status transaction when the courier's proof code is wrong. The
// transaction rolls back, and the caller counts the failure in a transaction of its own.
struct WrongProofCode {};

void require_admin(const Actor& actor, const std::string& action) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  if (!actor.is_admin()) {
    throw core::Error::forbidden("only an admin may " + action);
  }
}

Delivery write_assignment(db::Session& session, const Delivery& delivery,
                          const std::string& courier_id, core::Timestamp now) {
  auto assigned = assign_courier(session, delivery.id, courier_id, now);
  if (!assigned) {
    throw core::Error::conflict("delivery " + delivery.id + " is " +
                                std::string(delivery_status_name(delivery.status)) +
                                " and cannot be assigned");
  }
  auto channels = delivery_channels(*assigned);
  channels.push_back("user:" + courier_id);
  nlohmann::json data = delivery_json(*assigned, false);
  data["previousCourierId"] =
      delivery.courier_id ? nlohmann::json(*delivery.courier_id) : nlohmann::json();
  write_event(session, kDeliveryAssigned, std::move(channels), std::move(data), now);
  return *assigned;
}

std::optional<std::string> nearest_courier_id(db::Session& session, core::GeoPoint pickup,
                                              const DeliverySettings& settings,
                                              core::Timestamp now) {
  auto nearest =
      nearest_available_courier(session, pickup, now - settings.courier_location_max_age);
  if (!nearest) {
    return std::nullopt;
  }
  return nearest->first.id;
}

Delivery load_delivery(db::Session& session, const std::string& delivery_id) {
  auto delivery = find_delivery(session, delivery_id);
  if (!delivery) {
    throw core::Error::not_found("delivery " + delivery_id);
  }
  return *delivery;
}

void check_mover(db::Session& session, const Actor& actor, const Delivery& delivery,
                 DeliveryStatus to, const std::optional<std::string>& reason,
                 const std::optional<std::string>& proof_code, core::Timestamp now) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  bool is_courier = delivery.courier_id && actor.is_user(*delivery.courier_id) &&
                    actor.identity.role == auth::Role::kCourier;
  if (to == DeliveryStatus::kCancelled) {
    if (!actor.is_admin()) {
      throw core::Error::forbidden("only an admin or the orders service may cancel a delivery");
    }
    return;
  }
  if (!is_courier && !actor.is_admin()) {
    throw core::Error::forbidden("only the assigned courier or an admin may move delivery " +
                                 delivery.id);
  }
  if (to == DeliveryStatus::kFailed && !reason) {
    throw core::Error::validation("reason", "is required when a delivery fails");
  }
  if (to == DeliveryStatus::kDelivered && is_courier && !actor.is_admin()) {
    if (!proof_code) {
      throw core::Error::validation("proofCode", "is required; ask the customer for the code");
    }
    require_proof_attempt_allowed(session, delivery.id, now);
    if (*proof_code != delivery.proof_code) {
      throw WrongProofCode{};
    }
  }
}

}  // namespace

CreateDeliveryOutcome create_delivery(db::Database& database, RestaurantDirectory& directory,
                                      const Actor& actor, const DeliveryRequest& request,
                                      const DeliverySettings& settings, core::Timestamp now) {
  require_admin(actor, "create deliveries");
  Delivery delivery;
  delivery.id = core::new_uuid_v7();
  delivery.order_id = request.order_id;
  delivery.restaurant_id = request.restaurant_id;
  delivery.customer_id = request.customer_id;
  delivery.pickup =
      request.pickup ? *request.pickup : directory.find(request.restaurant_id).location;
  delivery.dropoff = request.dropoff;
  delivery.dropoff_address = request.dropoff_address;
  delivery.proof_code = new_proof_code();
  delivery.created_at = now;
  delivery.updated_at = now;

  return database.transaction([&](db::Session& session) {
    auto [stored, created] = insert_delivery_once(session, delivery);
    if (created && request.assign_nearest) {
      if (auto courier_id = nearest_courier_id(session, stored.pickup, settings, now)) {
        stored = write_assignment(session, stored, *courier_id, now);
      }
    }
    return CreateDeliveryOutcome{stored, created};
  });
}

Delivery assign_delivery(db::Database& database, const Actor& actor, const std::string& delivery_id,
                         const std::optional<std::string>& courier_id,
                         const DeliverySettings& settings, core::Timestamp now) {
  require_admin(actor, "assign deliveries");
  return database.transaction([&](db::Session& session) {
    Delivery delivery = load_delivery(session, delivery_id);
    std::string chosen;
    if (courier_id) {
      auto courier = find_courier(session, *courier_id);
      if (!courier) {
        throw core::Error::not_found("courier " + *courier_id);
      }
      if (courier->status == CourierStatus::kOffline) {
        throw core::Error::conflict("courier " + *courier_id + " is OFFLINE");
      }
      chosen = courier->id;
    } else {
      auto nearest = nearest_courier_id(session, delivery.pickup, settings, now);
      if (!nearest) {
        throw core::Error::conflict(
            "no AVAILABLE courier has reported a location recently; assign one by id");
      }
      chosen = *nearest;
    }
    return write_assignment(session, delivery, chosen, now);
  });
}

namespace {

Delivery move_delivery_once(db::Database& database, const Actor& actor,
                            const std::string& delivery_id, DeliveryStatus to,
                            const std::optional<std::string>& reason,
                            const std::optional<std::string>& proof_code, core::Timestamp now) {
  return database.transaction([&](db::Session& session) {
    Delivery delivery = load_delivery(session, delivery_id);
    check_mover(session, actor, delivery, to, reason, proof_code, now);
    if (to == DeliveryStatus::kAssigned || !is_allowed_transition(delivery.status, to)) {
      throw core::Error::conflict("delivery " + delivery_id + " is " +
                                  std::string(delivery_status_name(delivery.status)) +
                                  " and cannot move to " + std::string(delivery_status_name(to)));
    }
    auto moved = move_delivery(session, delivery_id, delivery.status, to, reason, now);
    if (!moved) {
      throw core::Error::conflict("delivery " + delivery_id + " changed meanwhile; retry");
    }
    nlohmann::json data = delivery_json(*moved, false);
    data["previousStatus"] = delivery_status_name(delivery.status);
    write_event(session, kDeliveryStatusChanged, delivery_channels(*moved), std::move(data), now);
    return *moved;
  });
}

}  // namespace

Delivery change_delivery_status(db::Database& database, const Actor& actor,
                                const std::string& delivery_id, DeliveryStatus to,
                                const std::optional<std::string>& reason,
                                const std::optional<std::string>& proof_code, core::Timestamp now) {
  try {
    return move_delivery_once(database, actor, delivery_id, to, reason, proof_code, now);
  } catch (const WrongProofCode&) {
    record_proof_failure(database, delivery_id, now);
    throw core::Error::forbidden(
        "the proof-of-delivery code does not match; ask the customer "
        "for the code shown with their order");
  }
}

VisibleDelivery get_delivery(db::Database& database, const Actor& actor,
                             const std::string& delivery_id) {
  auto delivery = database.transaction(
      [&](db::Session& session) { return find_delivery(session, delivery_id); }, read_only());
  if (!delivery) {
    throw core::Error::not_found("delivery " + delivery_id);
  }
  bool customer = actor.is_user(delivery->customer_id);
  bool courier = delivery->courier_id && actor.is_user(*delivery->courier_id);
  bool staff = actor.identity.role == auth::Role::kStore &&
               actor.identity.is_staff_of(delivery->restaurant_id);
  if (!(actor.is_admin() || customer || courier || staff)) {
    if (actor.identity.is_anonymous()) {
      throw core::Error::unauthenticated();
    }
    throw core::Error::not_found("delivery " + delivery_id);
  }
  return VisibleDelivery{*delivery, actor.is_admin() || customer};
}

}  // namespace surplus::offers
