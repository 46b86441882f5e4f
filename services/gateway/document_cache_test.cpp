#include "document_cache.hpp"

#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>

namespace surplus::gateway {
namespace {

DocumentCache::Document parsed(const std::string& query) {
  return std::make_shared<const graphql::ast::Document>(graphql::parse(query));
}

std::string operation_name(const DocumentCache::Document& document) {
  return std::get<graphql::ast::OperationDefinition>(document->definitions.at(0)).name;
}

// Ten bytes each, such as "{a07}" and five blanks.
std::string query_number(int number) {
  return "{a" + std::string(number < 10 ? "0" : "") + std::to_string(number) + "}     ";
}

TEST(DocumentCache, FindsTheInsertedDocument) {
  DocumentCache cache(1 << 20);
  const auto document = parsed("query Offers { offers }");
  cache.insert("query Offers { offers }", document);
  EXPECT_EQ(cache.find("query Offers { offers }"), document);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.bytes(), DocumentCache::entry_cost(23));
}

TEST(DocumentCache, OnlyTheExactTextMatches) {
  DocumentCache cache(1 << 20);
  cache.insert("{ a }", parsed("{ a }"));
  EXPECT_EQ(cache.find("{a}"), nullptr);
  EXPECT_EQ(cache.find("{ a } "), nullptr);
  EXPECT_NE(cache.find("{ a }"), nullptr);
}

// The budget takes sixteen queries of ten bytes. The seventeenth pushes out the least
// recently used one, which is the second after the first was looked up.
TEST(DocumentCache, EvictsTheLeastRecentlyUsed) {
  const std::size_t budget = 16 * DocumentCache::entry_cost(10);
  DocumentCache cache(budget);
  for (int number = 0; number < 16; ++number) {
    ASSERT_EQ(query_number(number).size(), 10u);
    cache.insert(query_number(number), parsed(query_number(number)));
  }
  ASSERT_NE(cache.find(query_number(0)), nullptr);
  cache.insert(query_number(16), parsed(query_number(16)));

  EXPECT_EQ(cache.size(), 16u);
  EXPECT_EQ(cache.bytes(), budget);
  EXPECT_NE(cache.find(query_number(0)), nullptr);
  EXPECT_EQ(cache.find(query_number(1)), nullptr);
  EXPECT_NE(cache.find(query_number(2)), nullptr);
  EXPECT_NE(cache.find(query_number(16)), nullptr);
}

TEST(DocumentCache, SkipsEntriesOverASixteenthOfTheBudget) {
  DocumentCache cache(16 * DocumentCache::entry_cost(10));
  cache.insert("{ abcdefg }", parsed("{ abcdefg }"));  // 11 bytes cost more than 10
  EXPECT_EQ(cache.find("{ abcdefg }"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(DocumentCache, ZeroBudgetKeepsNothing) {
  DocumentCache cache(0);
  cache.insert("{ a }", parsed("{ a }"));
  EXPECT_EQ(cache.find("{ a }"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(DocumentCache, InsertingTheSameTextTwiceKeepsOneEntry) {
  DocumentCache cache(1 << 20);
  const auto second = parsed("query B { b }");
  cache.insert("{ a }", parsed("query A { a }"));
  cache.insert("{ a }", second);
  EXPECT_EQ(cache.find("{ a }"), second);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.bytes(), DocumentCache::entry_cost(5));
}

// Four threads look up and insert forty queries of twelve bytes in a cache with room for
// sixteen. Every document found must be the one of its text, and the cache must stay
// within its budget.
TEST(DocumentCache, ManyThreadsFindTheirOwnDocuments) {
  const std::size_t budget = 16 * DocumentCache::entry_cost(12);
  DocumentCache cache(budget);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&cache, &mismatches, thread] {
      for (int round = 0; round < 2000; ++round) {
        const int number = (round * 7 + thread * 13) % 40;
        const std::string query = "query Q" + std::to_string(number + 10) + "{a}";
        if (const auto found = cache.find(query)) {
          mismatches[thread] += operation_name(found) != "Q" + std::to_string(number + 10);
        } else {
          cache.insert(query, parsed(query));
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int thread = 0; thread < 4; ++thread) {
    EXPECT_EQ(mismatches[thread], 0) << "thread " << thread;
  }
  EXPECT_LE(cache.bytes(), budget);
  EXPECT_EQ(cache.bytes(), cache.size() * DocumentCache::entry_cost(12));
}

}  // namespace
}  // namespace surplus::gateway
