#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <surplus/db/database.hpp>

#include "delivery.hpp"

// SQL for the deliveries table. Every function runs inside the caller's transaction.
namespace surplus::offers {

// Inserts the delivery unless one exists for its order; returns the stored delivery and
// whether it is the new one.
std::pair<Delivery, bool> insert_delivery_once(db::Session& session, const Delivery& delivery);

std::optional<Delivery> find_delivery(db::Session& session, std::string_view id);
std::optional<Delivery> find_delivery_by_order(db::Session& session, std::string_view order_id);

// Sets the courier and status ASSIGNED when the status is PENDING or ASSIGNED; returns
// the updated delivery, or nullopt when the status was another.
std::optional<Delivery> assign_courier(db::Session& session, std::string_view id,
                                       std::string_view courier_id, core::Timestamp now);

// Moves the delivery from `from` to `to` (PICKED_UP, DELIVERED, FAILED or CANCELLED),
// stamping picked_up_at or finished_at; returns nullopt when its status was not `from`.
std::optional<Delivery> move_delivery(db::Session& session, std::string_view id,
                                      DeliveryStatus from, DeliveryStatus to,
                                      const std::optional<std::string>& failure_reason,
                                      core::Timestamp now);

// The courier's ASSIGNED and PICKED_UP deliveries, oldest assignment first.
std::vector<Delivery> open_deliveries(db::Session& session, std::string_view courier_id);

// Deliveries by id after `after_id`, filtered by courier and status when given.
std::vector<Delivery> list_deliveries(db::Session& session,
                                      const std::optional<std::string>& courier_id,
                                      std::optional<DeliveryStatus> status,
                                      const std::optional<std::string>& after_id,
                                      std::size_t limit);

}  // namespace surplus::offers
