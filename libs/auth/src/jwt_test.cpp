#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/error.hpp>

namespace surplus::auth {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using ::testing::HasSubstr;

// A fixed instant keeps every time comparison exact.
const std::chrono::sys_seconds kNow{seconds(1'800'000'000)};
const core::Timestamp kNowMicros{kNow};

Claims sample_claims() {
  Claims claims;
  claims.subject = "0193a5b0-0000-7000-8000-000000000001";
  claims.role = Role::kStore;
  claims.restaurants = {"r1", "r2"};
  claims.issued_at = kNow;
  claims.expires_at = kNow + std::chrono::minutes(15);
  claims.token_id = "jti-1";
  return claims;
}

json sample_payload() {
  return {{"iss", "surplus"},     {"aud", "surplus"},     {"sub", "user-1"}, {"role", "CUSTOMER"},
          {"iat", 1'800'000'000}, {"exp", 1'800'000'900}, {"jti", "jti-2"}};
}

// Signs any header and payload with `key`, so tests can build tokens that
// sign_access_token would never produce.
std::string signed_token(const json& header, const json& payload, const KeyPair& key) {
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  return input + "." + base64url_encode(key.sign(input));
}

json eddsa_header(const KeyPair& key) {
  return {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key.public_key().key_id()}};
}

// The message of the UNAUTHENTICATED error verify throws, or "accepted".
std::string rejection(const TokenVerifier& verifier, std::string_view token,
                      core::Timestamp now = kNowMicros) {
  try {
    verifier.verify(token, now);
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnauthenticated);
    return error.message();
  }
  return "accepted";
}

class JwtTest : public ::testing::Test {
 protected:
  KeyPair key_ = KeyPair::generate();
  TokenVerifier verifier_{key_.public_key()};
};

TEST(Base64Url, RoundTripsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  for (std::size_t length = 0; length < 5; ++length) {
    auto text = base64url_encode(bytes.substr(0, 250 + length));
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(base64url_decode(text), bytes.substr(0, 250 + length));
  }
}

TEST(Base64Url, RejectsNonCanonicalText) {
  EXPECT_EQ(base64url_decode("Zm9v"), "foo");
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_FALSE(base64url_decode("Zg=="));  // padding
  EXPECT_FALSE(base64url_decode("Zh"));    // unused bits not zero
  EXPECT_FALSE(base64url_decode("a+b/"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm9v!"));
  EXPECT_FALSE(base64url_decode("Z"));  // a single character encodes no byte
  EXPECT_FALSE(base64url_decode("Zm 9v"));
}

TEST(Base64, RoundTripsWithPadding) {
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_FALSE(base64_decode("Zg"));
  EXPECT_FALSE(base64_decode("Z-_="));
}

TEST(Role, NamesRoundTrip) {
  for (Role role : {Role::kCustomer, Role::kStore, Role::kCourier, Role::kAdmin}) {
    EXPECT_EQ(role_from_name(role_name(role)), role);
  }
  EXPECT_FALSE(role_from_name("admin"));
  EXPECT_FALSE(role_from_name(""));
}

TEST(KeyPair, SeedRoundTripsAndRejectsBadText) {
  KeyPair key = KeyPair::generate();
  auto copy = KeyPair::from_base64(key.seed_base64());
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->public_key(), key.public_key());
  EXPECT_FALSE(KeyPair::from_base64("not base64"));
  EXPECT_FALSE(KeyPair::from_base64(base64_encode(std::string(31, 'x'))));
  EXPECT_EQ(key.public_key().key_id().size(), 12U);
}

TEST(KeyPair, AcceptsLibsodiumSecretKeyOnlyWhenConsistent) {
  KeyPair key = KeyPair::generate();
  std::string seed = *base64_decode(key.seed_base64());
  std::string public_bytes(reinterpret_cast<const char*>(key.public_key().bytes().data()), 32);
  auto full = KeyPair::from_base64(base64_encode(seed + public_bytes));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->public_key(), key.public_key());

  public_bytes[0] = static_cast<char>(public_bytes[0] ^ 1);
  EXPECT_FALSE(KeyPair::from_base64(base64_encode(seed + public_bytes)));
}

TEST(PublicKey, ParsesBase64WithWhitespace) {
  KeyPair key = KeyPair::generate();
  auto parsed = PublicKey::from_base64("  " + key.public_key().to_base64() + "\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, key.public_key());
  EXPECT_FALSE(PublicKey::from_base64(base64_encode("short")));
}

TEST_F(JwtTest, SignedClaimsVerifyUnchanged) {
  Claims claims = sample_claims();
  claims.not_before = kNow;
  std::string token = sign_access_token(claims, key_);
  EXPECT_EQ(verifier_.verify(token, kNowMicros), claims);
}

TEST_F(JwtTest, HeaderNamesAlgorithmAndKey) {
  std::string token = sign_access_token(sample_claims(), key_);
  json header = json::parse(*base64url_decode(token.substr(0, token.find('.'))));
  EXPECT_EQ(header["alg"], "EdDSA");
  EXPECT_EQ(header["typ"], "JWT");
  EXPECT_EQ(header["kid"], key_.public_key().key_id());
}

TEST_F(JwtTest, ExpiryHonoursLeewayToTheSecond) {
  Claims claims = sample_claims();
  claims.expires_at = kNow - seconds(30);  // exactly the 30 s leeway ago
  EXPECT_THAT(rejection(verifier_, sign_access_token(claims, key_)), HasSubstr("expired"));

  claims.expires_at = kNow - seconds(29);
  EXPECT_EQ(rejection(verifier_, sign_access_token(claims, key_)), "accepted");
}

TEST_F(JwtTest, ExpiredWithoutLeeway) {
  TokenVerifier strict(key_.public_key(), "surplus", "surplus", seconds(0));
  Claims claims = sample_claims();
  claims.expires_at = kNow;
  EXPECT_THAT(rejection(strict, sign_access_token(claims, key_)), HasSubstr("expired"));
  claims.expires_at = kNow + seconds(1);
  EXPECT_EQ(rejection(strict, sign_access_token(claims, key_)), "accepted");
}

TEST_F(JwtTest, NotBeforeHonoursLeeway) {
  Claims claims = sample_claims();
  claims.not_before = kNow + seconds(31);
  EXPECT_THAT(rejection(verifier_, sign_access_token(claims, key_)), HasSubstr("not valid yet"));
  claims.not_before = kNow + seconds(30);
  EXPECT_EQ(rejection(verifier_, sign_access_token(claims, key_)), "accepted");
}

TEST_F(JwtTest, IssuedInTheFutureBeyondLeeway) {
  Claims claims = sample_claims();
  claims.issued_at = kNow + seconds(31);
  EXPECT_THAT(rejection(verifier_, sign_access_token(claims, key_)), HasSubstr("iat"));
  claims.issued_at = kNow + seconds(30);
  EXPECT_EQ(rejection(verifier_, sign_access_token(claims, key_)), "accepted");
}

TEST_F(JwtTest, WrongKeyFailsSignature) {
  KeyPair other = KeyPair::generate();
  TokenVerifier other_verifier(other.public_key());
  std::string token = sign_access_token(sample_claims(), key_);
  // The kid names the signing key, so the mismatch shows before the signature check.
  EXPECT_THAT(rejection(other_verifier, token), HasSubstr("different key"));

  json header = {{"alg", "EdDSA"}, {"typ", "JWT"}};
  EXPECT_THAT(rejection(other_verifier, signed_token(header, sample_payload(), key_)),
              HasSubstr("signature does not match"));
}

TEST_F(JwtTest, AlgorithmNoneRejected) {
  json header = {{"alg", "none"}, {"typ", "JWT"}};
  std::string unsigned_token =
      base64url_encode(header.dump()) + "." + base64url_encode(sample_payload().dump()) + ".";
  EXPECT_THAT(rejection(verifier_, unsigned_token), HasSubstr("algorithm 'none'"));

  // The same with an otherwise valid signature attached.
  EXPECT_THAT(rejection(verifier_, signed_token(header, sample_payload(), key_)),
              HasSubstr("algorithm 'none'"));
}

TEST_F(JwtTest, AlgorithmHs256RejectedEvenWithPublicKeyAsSecret) {
  // The classic confusion attack: an HMAC keyed with the (public) verification key.
  json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  std::string input =
      base64url_encode(header.dump()) + "." + base64url_encode(sample_payload().dump());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_.public_key().bytes().data(), kPublicKeyBytes);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  std::string token =
      input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), sizeof mac));
  EXPECT_THAT(rejection(verifier_, token), HasSubstr("algorithm 'HS256'"));
}

TEST_F(JwtTest, OtherAlgorithmsAndMissingAlgRejected) {
  for (const char* alg : {"ES256", "RS256", "eddsa", "Ed25519"}) {
    json header = {{"alg", alg}};
    EXPECT_THAT(rejection(verifier_, signed_token(header, sample_payload(), key_)),
                HasSubstr("is not accepted"))
        << alg;
  }
  EXPECT_THAT(rejection(verifier_, signed_token(json{{"typ", "JWT"}}, sample_payload(), key_)),
              HasSubstr("no 'alg'"));
  EXPECT_THAT(rejection(verifier_, signed_token(json{{"alg", 1}}, sample_payload(), key_)),
              HasSubstr("no 'alg'"));
}

TEST_F(JwtTest, CriticalHeaderAndWrongTypRejected) {
  json header = eddsa_header(key_);
  header["crit"] = json::array({"exp"});
  EXPECT_THAT(rejection(verifier_, signed_token(header, sample_payload(), key_)),
              HasSubstr("critical"));
  header = eddsa_header(key_);
  header["typ"] = "JWE";
  EXPECT_THAT(rejection(verifier_, signed_token(header, sample_payload(), key_)), HasSubstr("typ"));
}

TEST_F(JwtTest, TamperedPayloadFailsSignature) {
  std::string token = sign_access_token(sample_claims(), key_);
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  json payload = json::parse(*base64url_decode(token.substr(first + 1, second - first - 1)));
  payload["role"] = "ADMIN";
  std::string forged =
      token.substr(0, first + 1) + base64url_encode(payload.dump()) + token.substr(second);
  EXPECT_THAT(rejection(verifier_, forged), HasSubstr("signature does not match"));
}

TEST_F(JwtTest, TamperedHeaderFailsSignature) {
  std::string token = sign_access_token(sample_claims(), key_);
  json header = eddsa_header(key_);
  header["x"] = 1;
  std::string forged = base64url_encode(header.dump()) + token.substr(token.find('.'));
  EXPECT_THAT(rejection(verifier_, forged), HasSubstr("signature does not match"));
}

TEST_F(JwtTest, TamperedSignatureFails) {
  std::string token = sign_access_token(sample_claims(), key_);
  auto dot = token.rfind('.');
  std::string signature = *base64url_decode(token.substr(dot + 1));
  signature[10] = static_cast<char>(signature[10] ^ 0x01);
  EXPECT_THAT(rejection(verifier_, token.substr(0, dot + 1) + base64url_encode(signature)),
              HasSubstr("signature does not match"));
  EXPECT_THAT(rejection(verifier_, token.substr(0, dot + 1) + base64url_encode("short")),
              HasSubstr("not a base64url Ed25519 signature"));
}

TEST_F(JwtTest, MalformedStructureRejected) {
  std::string token = sign_access_token(sample_claims(), key_);
  EXPECT_THAT(rejection(verifier_, ""), HasSubstr("three"));
  EXPECT_THAT(rejection(verifier_, "abc"), HasSubstr("three"));
  EXPECT_THAT(rejection(verifier_, "a.b"), HasSubstr("three"));
  EXPECT_THAT(rejection(verifier_, token + ".x"), HasSubstr("three"));
  EXPECT_THAT(rejection(verifier_, std::string(kMaxTokenBytes + 1, 'a')), HasSubstr("longer"));
}

TEST_F(JwtTest, BadBase64Rejected) {
  std::string token = sign_access_token(sample_claims(), key_);
  EXPECT_THAT(rejection(verifier_, "!!" + token), HasSubstr("header is not base64url"));
  std::string padded = token.substr(0, token.find('.')) + "=" + token.substr(token.find('.'));
  EXPECT_THAT(rejection(verifier_, padded), HasSubstr("header is not base64url"));
  auto dot = token.rfind('.');
  EXPECT_THAT(rejection(verifier_, token.substr(0, dot) + ".%%%"),
              HasSubstr("not a base64url Ed25519 signature"));
  std::string bad_payload = base64url_encode(eddsa_header(key_).dump()) + ".a*b." +
                            base64url_encode(std::string(64, 'x'));
  EXPECT_THAT(rejection(verifier_, bad_payload), HasSubstr("signature does not match"));
}

TEST_F(JwtTest, NonObjectHeaderOrPayloadRejected) {
  std::string not_json = base64url_encode("{\"alg\":") + "." + base64url_encode("{}") + ".x";
  EXPECT_THAT(rejection(verifier_, not_json), HasSubstr("header is not a JSON object"));
  std::string array_header = base64url_encode("[\"EdDSA\"]") + "." + base64url_encode("{}") + ".x";
  EXPECT_THAT(rejection(verifier_, array_header), HasSubstr("header is not a JSON object"));

  std::string input = base64url_encode(eddsa_header(key_).dump()) + "." + base64url_encode("[1]");
  EXPECT_THAT(rejection(verifier_, input + "." + base64url_encode(key_.sign(input))),
              HasSubstr("payload is not a JSON object"));
}

TEST_F(JwtTest, WrongAudienceOrIssuerRejected) {
  json payload = sample_payload();
  payload["aud"] = "other";
  EXPECT_THAT(rejection(verifier_, signed_token(eddsa_header(key_), payload, key_)),
              HasSubstr("audience"));
  payload["aud"] = json::array({"other", "surplus"});
  EXPECT_EQ(rejection(verifier_, signed_token(eddsa_header(key_), payload, key_)), "accepted");
  payload["aud"] = json::array({"other", 7});
  EXPECT_THAT(rejection(verifier_, signed_token(eddsa_header(key_), payload, key_)),
              HasSubstr("'aud' is not a string"));

  payload = sample_payload();
  payload["iss"] = "evil";
  EXPECT_THAT(rejection(verifier_, signed_token(eddsa_header(key_), payload, key_)),
              HasSubstr("issuer 'evil'"));
  TokenVerifier other_audience(key_.public_key(), "surplus", "gateway-only");
  EXPECT_THAT(rejection(other_audience, sign_access_token(sample_claims(), key_)),
              HasSubstr("'gateway-only'"));
}

TEST_F(JwtTest, ClaimsMustHaveTheirTypes) {
  struct Case {
    const char* claim;
    json value;  // null removes the claim
    const char* message;
  };
  const Case cases[] = {
      {"sub", nullptr, "'sub' is missing"},
      {"sub", 5, "'sub' is not a string"},
      {"sub", "", "'sub' is empty"},
      {"role", "ROOT", "'role' is not"},
      {"role", nullptr, "'role' is missing"},
      {"exp", nullptr, "'exp' is missing"},
      {"exp", "1800000900", "'exp' is not a whole number"},
      {"exp", 1800000900.5, "'exp' is not a whole number"},
      {"exp", -1, "'exp' is out of range"},
      {"iat", nullptr, "'iat' is missing"},
      {"nbf", true, "'nbf' is not a whole number"},
      {"jti", nullptr, "'jti' is missing"},
      {"iss", nullptr, "'iss' is missing"},
      {"aud", nullptr, "'aud' is missing"},
      {"restaurants", "r1", "'restaurants' is not an array"},
      {"restaurants", json::array({1}), "'restaurants' is not an array"},
  };
  for (const auto& test_case : cases) {
    json payload = sample_payload();
    if (test_case.value.is_null()) {
      payload.erase(test_case.claim);
    } else {
      payload[test_case.claim] = test_case.value;
    }
    EXPECT_THAT(rejection(verifier_, signed_token(eddsa_header(key_), payload, key_)),
                HasSubstr(test_case.message))
        << test_case.claim << " = " << test_case.value.dump();
  }
}

TEST_F(JwtTest, MissingRestaurantsMeansNone) {
  Claims claims =
      verifier_.verify(signed_token(eddsa_header(key_), sample_payload(), key_), kNowMicros);
  EXPECT_TRUE(claims.restaurants.empty());
  EXPECT_EQ(claims.role, Role::kCustomer);
  EXPECT_EQ(claims.subject, "user-1");
}

TEST_F(JwtTest, CachedTokenVerifiesUnchanged) {
  Claims claims = sample_claims();
  std::string token = sign_access_token(claims, key_);
  EXPECT_EQ(verifier_.verify(token, kNowMicros), claims);
  EXPECT_EQ(verifier_.verify(token, kNowMicros), claims);
  TokenVerifier copy = verifier_;
  EXPECT_EQ(copy.verify(token, kNowMicros), claims);
}

TEST_F(JwtTest, CachedTokenStillExpires) {
  Claims claims = sample_claims();
  std::string token = sign_access_token(claims, key_);
  EXPECT_EQ(rejection(verifier_, token), "accepted");
  const core::Timestamp after_expiry{claims.expires_at + seconds(30)};
  EXPECT_THAT(rejection(verifier_, token, after_expiry), HasSubstr("expired"));
  const core::Timestamp before_issue{claims.issued_at - seconds(31)};
  EXPECT_THAT(rejection(verifier_, token, before_issue), HasSubstr("iat"));
}

TEST_F(JwtTest, CachedTokenNotValidYetThenAccepted) {
  Claims claims = sample_claims();
  claims.not_before = kNow + seconds(60);
  std::string token = sign_access_token(claims, key_);
  EXPECT_THAT(rejection(verifier_, token), HasSubstr("nbf"));
  EXPECT_EQ(rejection(verifier_, token, kNowMicros + seconds(30)), "accepted");
  EXPECT_THAT(rejection(verifier_, token), HasSubstr("nbf"));
}

TEST_F(JwtTest, CachedTokenDoesNotCoverAlteredCopies) {
  std::string token = sign_access_token(sample_claims(), key_);
  EXPECT_EQ(rejection(verifier_, token), "accepted");
  auto dot = token.rfind('.');
  std::string signature = *base64url_decode(token.substr(dot + 1));
  signature[3] = static_cast<char>(signature[3] ^ 0x01);
  EXPECT_THAT(rejection(verifier_, token.substr(0, dot + 1) + base64url_encode(signature)),
              HasSubstr("signature does not match"));

  KeyPair other = KeyPair::generate();
  TokenVerifier other_verifier(other.public_key());
  EXPECT_THAT(rejection(other_verifier, token), HasSubstr("different key"));
}

TEST_F(JwtTest, CacheBeyondItsLimitKeepsVerifying) {
  Claims claims = sample_claims();
  std::string first;
  for (std::size_t i = 0; i <= kMaxCachedTokens; ++i) {
    claims.token_id = "jti-" + std::to_string(i);
    std::string token = sign_access_token(claims, key_);
    ASSERT_EQ(verifier_.verify(token, kNowMicros).token_id, claims.token_id);
    if (i == 0) {
      first = token;
    }
  }
  EXPECT_EQ(verifier_.verify(first, kNowMicros).token_id, "jti-0");
  const core::Timestamp after_expiry{claims.expires_at + seconds(30)};
  EXPECT_THAT(rejection(verifier_, first, after_expiry), HasSubstr("expired"));
}

}  // namespace
}  // namespace surplus::auth
