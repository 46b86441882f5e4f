#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/events/event.hpp>

namespace surplus::events {
namespace {

TEST(EnvelopeTest, RoundTrips) {
  auto event = make_event("order.confirmed", {"order:1", "user:2"}, {{"orderId", "1"}});
  auto envelope = to_envelope(event);
  EXPECT_EQ(envelope["type"], "order.confirmed");
  EXPECT_EQ(envelope["channels"], nlohmann::json::array({"order:1", "user:2"}));
  EXPECT_EQ(envelope["data"]["orderId"], "1");

  auto parsed = from_envelope(envelope);
  EXPECT_EQ(parsed.id, event.id);
  EXPECT_EQ(parsed.type, event.type);
  EXPECT_EQ(parsed.channels, event.channels);
  EXPECT_EQ(parsed.data, event.data);
  // The wire form has millisecond precision.
  EXPECT_EQ(std::chrono::floor<std::chrono::milliseconds>(parsed.occurred_at),
            std::chrono::floor<std::chrono::milliseconds>(event.occurred_at));
}

std::string invalid_field(nlohmann::json envelope) {
  try {
    from_envelope(envelope);
  } catch (const core::Error& error) {
    return error.fields()[0]["field"].get<std::string>();
  }
  return "accepted";
}

TEST(EnvelopeTest, RejectsInvalidFieldsByName) {
  auto valid = to_envelope(make_event("offer.published", {"offers"}, nlohmann::json::object()));
  EXPECT_EQ(invalid_field(valid), "accepted");

  auto bad_id = valid;
  bad_id["id"] = "42";
  EXPECT_EQ(invalid_field(bad_id), "id");

  auto no_type = valid;
  no_type.erase("type");
  EXPECT_EQ(invalid_field(no_type), "type");

  auto bad_time = valid;
  bad_time["occurredAt"] = "yesterday";
  EXPECT_EQ(invalid_field(bad_time), "occurredAt");

  auto no_channels = valid;
  no_channels["channels"] = nlohmann::json::array();
  EXPECT_EQ(invalid_field(no_channels), "channels");

  auto empty_channel = valid;
  empty_channel["channels"] = {"offers", ""};
  EXPECT_EQ(invalid_field(empty_channel), "channels");

  auto array_data = valid;
  array_data["data"] = nlohmann::json::array();
  EXPECT_EQ(invalid_field(array_data), "data");

  EXPECT_EQ(invalid_field("just a string"), "event");
}

}  // namespace
}  // namespace surplus::events
