#include "media_type.hpp"

#include <gtest/gtest.h>

namespace surplus::gateway {
namespace {

TEST(NegotiateFormat, MissingAcceptIsJson) {
  EXPECT_EQ(negotiate_format(std::nullopt, false), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_format("", false), ResponseFormat::kJson);
}

TEST(NegotiateFormat, ExactTypes) {
  EXPECT_EQ(negotiate_format("application/json", false), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_format("application/graphql-response+json", false),
            ResponseFormat::kGraphQLResponseJson);
  EXPECT_EQ(negotiate_format("application/graphql-response+json, application/json", false),
            ResponseFormat::kGraphQLResponseJson);
  EXPECT_EQ(negotiate_format("application/graphql-response+json;q=0.5, application/json", false),
            ResponseFormat::kJson);
  EXPECT_EQ(negotiate_format("Application/JSON; charset=utf-8", false), ResponseFormat::kJson);
}

TEST(NegotiateFormat, WildcardsPreferJson) {
  EXPECT_EQ(negotiate_format("*/*", false), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_format("application/*", false), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_format("application/graphql-response+json, */*;q=0.1", false),
            ResponseFormat::kGraphQLResponseJson);
}

TEST(NegotiateFormat, HtmlOnlyForBrowsers) {
  const char* browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  EXPECT_EQ(negotiate_format(browser, true), ResponseFormat::kHtml);
  EXPECT_EQ(negotiate_format(browser, false), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_format("text/html, application/json", true), ResponseFormat::kJson);
}

TEST(NegotiateFormat, NothingAcceptable) {
  EXPECT_EQ(negotiate_format("text/plain", false), std::nullopt);
  EXPECT_EQ(negotiate_format("application/json;q=0", false), std::nullopt);
  EXPECT_EQ(negotiate_format("text/html", false), std::nullopt);
}

TEST(IsJsonUtf8, Charsets) {
  EXPECT_TRUE(is_json_utf8("application/json"));
  EXPECT_TRUE(is_json_utf8("application/json; charset=utf-8"));
  EXPECT_TRUE(is_json_utf8("application/json;charset=\"UTF-8\""));
  EXPECT_FALSE(is_json_utf8("application/json; charset=latin1"));
  EXPECT_FALSE(is_json_utf8("text/plain"));
  EXPECT_FALSE(is_json_utf8("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_utf8("application/jsonx"));
}

TEST(ContentTypeOf, NamesUtf8) {
  EXPECT_EQ(content_type_of(ResponseFormat::kJson), "application/json; charset=utf-8");
  EXPECT_EQ(content_type_of(ResponseFormat::kGraphQLResponseJson),
            "application/graphql-response+json; charset=utf-8");
}

}  // namespace
}  // namespace surplus::gateway
