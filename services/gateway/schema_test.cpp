#include <gtest/gtest.h>

#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>

#include "convert.hpp"
#include "field_error.hpp"
#include "schema_document.hpp"
#include "schema_pool.hpp"

namespace surplus::gateway {
namespace {

bool is_built_in(const graphql::Type& type) {
  return type.name.rfind("__", 0) == 0 || type.name == "String" || type.name == "Int" ||
         type.name == "Float" || type.name == "Boolean" || type.name == "ID";
}

TEST(GatewaySchema, EveryTypeAndFieldDescribed) {
  const graphql::Schema schema = build_gateway_schema(std::string(schema_document()));
  for (const graphql::Type* type : schema.types()) {
    if (is_built_in(*type)) {
      continue;
    }
    EXPECT_FALSE(type->description.empty()) << type->name;
    for (const auto& field : type->fields) {
      EXPECT_FALSE(field.description.empty()) << type->name << "." << field.name;
    }
    for (const auto& field : type->input_fields) {
      EXPECT_FALSE(field.description.empty()) << type->name << "." << field.name;
    }
    for (const auto& value : type->enum_values) {
      EXPECT_FALSE(value.description.empty()) << type->name << "." << value.name;
    }
  }
}

TEST(GatewaySchema, CoreNamesHaveResolvers) {
  const graphql::Schema schema = build_gateway_schema(std::string(schema_document()));
  for (const char* name : {"me", "offers", "offer", "restaurants", "restaurant", "orders", "order",
                           "couriers", "delivery", "route"}) {
    const graphql::Field* field = schema.query_type()->find_field(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_TRUE(static_cast<bool>(field->resolver)) << name;
  }
  for (const char* name :
       {"register", "login", "refreshToken", "createRestaurant", "createProduct", "setInventory",
        "publishOffer", "updateOffer", "cancelOffer", "placeOrder", "cancelOrder", "confirmPickup",
        "rateOrder", "addFavorite", "removeFavorite", "registerCourier", "updateCourierStatus",
        "assignDelivery", "updateDeliveryStatus"}) {
    const graphql::Field* field = schema.mutation_type()->find_field(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_TRUE(static_cast<bool>(field->resolver)) << name;
  }
  ASSERT_NE(schema.subscription_type(), nullptr);
  for (const char* name : {"orderUpdated", "myOrders", "restaurantOrders", "offersNear"}) {
    const graphql::Field* field = schema.subscription_type()->find_field(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_TRUE(static_cast<bool>(field->subscribe)) << name;
    EXPECT_TRUE(static_cast<bool>(field->resolver)) << name;
  }
}

TEST(FieldFailureFrom, MapsServiceCodes) {
  using core::ErrorCode;
  const std::pair<ErrorCode, std::string_view> cases[] = {
      {ErrorCode::kValidationFailed, kBadUserInput},
      {ErrorCode::kBadRequest, kBadUserInput},
      {ErrorCode::kUnauthenticated, kUnauthenticated},
      {ErrorCode::kForbidden, kForbidden},
      {ErrorCode::kNotFound, kNotFound},
      {ErrorCode::kConflict, kConflict},
      {ErrorCode::kSoldOut, kSoldOut},
      {ErrorCode::kLimitExceeded, kConflict},
      {ErrorCode::kOfferNotActive, kConflict},
      {ErrorCode::kUnavailable, kUnavailable},
      {ErrorCode::kTimeout, kUnavailable},
      {ErrorCode::kInternal, kInternal},
  };
  for (const auto& [code, expected] : cases) {
    const FieldFailure failure = field_failure_from(core::Error(code, "message"), "orders");
    EXPECT_EQ(failure.code(), expected) << core::error_code_name(code);
  }
}

TEST(FieldFailureFrom, KeepsFieldsAndReason) {
  const FieldFailure invalid = field_failure_from(
      core::Error::validation("email", "is not a valid e-mail address"), "orders");
  EXPECT_EQ(invalid.extensions()["fields"][0]["field"], "email");

  const FieldFailure limited =
      field_failure_from(core::Error(core::ErrorCode::kLimitExceeded, "too many"), "offers");
  EXPECT_EQ(limited.extensions()["reason"], "LIMIT_EXCEEDED");
}

TEST(Convert, RestaurantNode) {
  const Json node = restaurant_node({{"id", "r"},
                                     {"category", "bakery"},
                                     {"latitude", 52.5},
                                     {"longitude", 13.4},
                                     {"staffUserIds", Json::array({"u"})}});
  EXPECT_EQ(node["category"], "BAKERY");
  EXPECT_EQ(node["location"]["latitude"], 52.5);
  EXPECT_FALSE(node.contains("staffUserIds"));
}

TEST(Convert, EnumNames) {
  EXPECT_EQ(to_enum_value("pickupTime"), "PICKUP_TIME");
  EXPECT_EQ(to_enum_value("gluten-free"), "GLUTEN_FREE");
  EXPECT_EQ(enum_to_camel("LOW_STOCK"), "lowStock");
  EXPECT_EQ(enum_to_lower("CAFE"), "cafe");
}

TEST(DateTimeScalar, AcceptsRfc3339Only) {
  const graphql::Schema schema = build_gateway_schema(std::string(schema_document()));
  const graphql::Type* date_time = schema.find_type("DateTime");
  ASSERT_NE(date_time, nullptr);
  EXPECT_EQ(date_time->scalar.parse_value(Json("2026-05-01T17:30:00Z")), "2026-05-01T17:30:00Z");
  EXPECT_EQ(date_time->scalar.parse_value(Json("2026-05-01T19:30:00+02:00")),
            "2026-05-01T19:30:00+02:00");
  EXPECT_THROW(date_time->scalar.parse_value(Json("tomorrow")), std::invalid_argument);
  EXPECT_THROW(date_time->scalar.parse_value(Json("2026-13-01T00:00:00Z")), std::invalid_argument);
  EXPECT_THROW(date_time->scalar.parse_value(Json(1767225600)), std::invalid_argument);
  graphql::ast::Value number;
  number.kind = graphql::ast::ValueKind::kInt;
  number.text = "1767225600";
  EXPECT_THROW(date_time->scalar.parse_literal(number, Json::object()), std::invalid_argument);
}

TEST(DateTimeScalar, BadVariableFailsBeforeExecution) {
  const graphql::Schema schema = build_gateway_schema(std::string(schema_document()));
  const graphql::ast::Document document = graphql::parse("query ($at: DateTime!) { __typename }");
  graphql::ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.variables = {{"at", "next Friday"}};
  const graphql::ExecutionResult result = graphql::execute(request);
  EXPECT_FALSE(result.data.has_value());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("next Friday"), std::string::npos)
      << result.errors[0].message;
}

}  // namespace
}  // namespace surplus::gateway
