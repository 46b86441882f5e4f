#include <string>

#include <gtest/gtest.h>

#include <surplus/core/utf8.hpp>

namespace surplus::core {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9"));          // é
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));      // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
}

TEST(Utf8, RejectsIllFormedText) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong, 4 bytes
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));  // lead byte above F4
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // cut off
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("ok \xC3"));           // cut off at the end
}

TEST(Utf8, SequenceLengthCountsOneCharacter) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  EXPECT_EQ(utf8_sequence_length(text, 0), 1u);
  EXPECT_EQ(utf8_sequence_length(text, 1), 2u);
  EXPECT_EQ(utf8_sequence_length(text, 3), 3u);
  EXPECT_EQ(utf8_sequence_length(text, 6), 4u);
  EXPECT_EQ(utf8_sequence_length(text, 2), 0u);               // starts inside é
  EXPECT_EQ(utf8_sequence_length(text.substr(0, 9), 6), 0u);  // the last byte is missing
}

TEST(Utf8, FindsControlCharacters) {
  EXPECT_FALSE(has_control_character("Bäckerei Grüße €", false));
  EXPECT_FALSE(has_control_character("\xC2\xA0no-break space", false));  // U+00A0 is not C1
  EXPECT_TRUE(has_control_character("tab\there", false));
  EXPECT_FALSE(has_control_character("tab\there", true));
  EXPECT_FALSE(has_control_character("two\nlines", true));
  EXPECT_TRUE(has_control_character("carriage\rreturn", true));
  EXPECT_TRUE(has_control_character("del\x7F", true));
  EXPECT_TRUE(has_control_character("next\xC2\x85line", true));  // U+0085
  EXPECT_TRUE(has_control_character("\xC2\x9F", false));         // U+009F
  EXPECT_TRUE(has_control_character(std::string("nul\0", 4), true));
}

}  // namespace
}  // namespace surplus::core
