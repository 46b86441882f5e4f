#include "validation.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <surplus/core/error.hpp>

namespace surplus::orders {
namespace {

using nlohmann::json;

// The fields listed by the VALIDATION_FAILED error that `action` throws.
json problems_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kValidationFailed);
    return error.fields();
  }
  return json::array();
}

bool lists_field(const json& problems, const std::string& field) {
  for (const auto& problem : problems) {
    if (problem["field"] == field) {
      return true;
    }
  }
  return false;
}

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("Bäckerei Grüße €"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x8D\x9E"));  // U+1F35E bread
  EXPECT_EQ(utf8_length("Bäckerei"), 8U);
  EXPECT_EQ(utf8_length("\xF0\x9F\x8D\x9E"), 1U);
}

TEST(Utf8, RejectsIllFormedText) {
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("a\x80z"));            // lone continuation byte
}

TEST(Utf8, TruncatesOnCodePointBoundary) {
  EXPECT_EQ(truncate_utf8("abc", 5), "abc");
  EXPECT_EQ(truncate_utf8("aä", 2), "a");  // ä is two bytes
  EXPECT_EQ(truncate_utf8("aä", 3), "aä");
}

TEST(Email, AcceptsCommonAddresses) {
  for (const char* email :
       {"ana@example.com", "Ana.Lopez+food@mail.example.co.uk", "x@y.io", "o'brien@example.ie",
        "customer@demo.surplus", "ana@xn--bckerei-5wa.de", "ivan@xn--d1acufc.xn--p1ai"}) {
    EXPECT_TRUE(is_valid_email(email)) << email;
  }
}

TEST(Email, RejectsMalformedAddresses) {
  std::string long_local(65, 'a');
  for (std::string email :
       {std::string(""), std::string("plain"), std::string("@example.com"), std::string("ana@"),
        std::string("ana@example"), std::string("ana@@example.com"),
        std::string("ana@exa mple.com"), std::string("ana @example.com"),
        std::string(".ana@example.com"), std::string("an..a@example.com"),
        std::string("ana@-example.com"), std::string("ana@example.c0m"),
        std::string("ana@example.c"), std::string("\"ana\"@example.com"),
        std::string("ana@exämple.com"), std::string("ana@example.xn--"),
        std::string("ana@example.xn-p1ai"), long_local + "@example.com",
        std::string("a@") + std::string(250, 'b') + ".com"}) {
    EXPECT_FALSE(is_valid_email(email)) << email;
  }
}

TEST(TimeZone, ChecksTheForm) {
  for (const char* zone : {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+2"}) {
    EXPECT_TRUE(is_valid_time_zone(zone)) << zone;
  }
  for (const char* zone : {"", "Berlin", "/Europe/Berlin", "Europe//Berlin", "Europe/../etc",
                           "Europe/Berlin/", "Europe/Ber lin", "1Europe/Berlin"}) {
    EXPECT_FALSE(is_valid_time_zone(zone)) << zone;
  }
}

TEST(Phone, ChecksCharactersAndDigits) {
  EXPECT_TRUE(is_valid_phone("+49 30 1234567"));
  EXPECT_TRUE(is_valid_phone("(030) 12-34/56"));
  EXPECT_FALSE(is_valid_phone("12"));
  EXPECT_FALSE(is_valid_phone("+()- /"));
  EXPECT_FALSE(is_valid_phone("call me"));
  EXPECT_FALSE(is_valid_phone(std::string(33, '1')));
}

TEST(FieldReader, ReadsValidFields) {
  json body = {{"name", "  Bäckerei  "},
               {"lat", 52.5},
               {"price", {{"amount", 450}, {"currency", "EUR"}}},
               {"tags", {"vegan", "vegan", "organic"}},
               {"active", false},
               {"kind", "bakery"}};
  FieldReader fields(body, {"name", "lat", "price", "tags", "active", "kind", "absent"});
  EXPECT_EQ(fields.text("name"), "Bäckerei");
  EXPECT_EQ(fields.number("lat", -90, 90), 52.5);
  EXPECT_EQ(fields.money("price", 1000), (core::Money{450, "EUR"}));
  EXPECT_EQ(fields.optional_tags("tags", {"vegan", "organic"}, 3),
            (std::vector<std::string>{"vegan", "organic"}));
  EXPECT_EQ(fields.optional_boolean("active"), false);
  EXPECT_EQ(fields.one_of("kind", {"bakery", "cafe"}), "bakery");
  EXPECT_FALSE(fields.optional_text("absent"));
  EXPECT_NO_THROW(fields.finish());
}

TEST(FieldReader, ListsEveryProblem) {
  json body = {{"name", ""},
               {"lat", 91},
               {"price", {{"amount", -1}, {"currency", "XYZ"}}},
               {"tags", {"vegan", "meat"}},
               {"active", "yes"},
               {"kind", "pub"},
               {"typo", 1}};
  FieldReader fields(body, {"name", "lat", "price", "tags", "active", "kind", "required"});
  fields.text("name");
  fields.number("lat", -90, 90);
  fields.optional_money("price", 1000);
  fields.optional_tags("tags", {"vegan"}, 3);
  fields.optional_boolean("active");
  fields.one_of("kind", {"bakery"});
  fields.text("required");
  json problems = problems_of([&] { fields.finish(); });
  for (const char* field : {"name", "lat", "price.amount", "price.currency", "tags", "active",
                            "kind", "typo", "required"}) {
    EXPECT_TRUE(lists_field(problems, field)) << field << " in " << problems.dump();
  }
}

TEST(FieldReader, EnforcesLengthInCodePoints) {
  json body = {
      {"short", std::string(10, 'a')}, {"umlauts", "äääää"}, {"long", std::string(11, 'a')}};
  FieldReader fields(body, {"short", "umlauts", "long"});
  EXPECT_EQ(fields.text("short", {.max_length = 10}), std::string(10, 'a'));
  EXPECT_EQ(fields.text("umlauts", {.max_length = 5}), "äääää");  // 10 bytes, 5 characters
  fields.text("long", {.max_length = 10});
  json problems = problems_of([&] { fields.finish(); });
  EXPECT_EQ(problems.size(), 1U);
  EXPECT_TRUE(lists_field(problems, "long"));
}

TEST(FieldReader, RejectsControlCharactersUnlessMultiline) {
  json body = {{"name", "a\nb"}, {"text", "line one\nline two\ttab"}, {"bell", "a\x07"}};
  FieldReader fields(body, {"name", "text", "bell"});
  fields.text("name");
  EXPECT_EQ(fields.text("text", {.multiline = true}), "line one\nline two\ttab");
  fields.text("bell", {.multiline = true});
  json problems = problems_of([&] { fields.finish(); });
  EXPECT_TRUE(lists_field(problems, "name"));
  EXPECT_TRUE(lists_field(problems, "bell"));
  EXPECT_FALSE(lists_field(problems, "text"));
}

TEST(FieldReader, BodyMustBeAnObject) {
  FieldReader fields(json::array({1}), {"name"});
  json problems = problems_of([&] { fields.finish(); });
  EXPECT_TRUE(lists_field(problems, "body"));
}

}  // namespace
}  // namespace surplus::orders
