#include <barrier>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/db/database.hpp>
#include <surplus/db/testing.hpp>

namespace surplus::db {
namespace {

using testing::DatabaseTest;

class DatabaseDriverTest : public DatabaseTest {
 protected:
  void create_items_table() {
    db().execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "quantity INTEGER NOT NULL CHECK (quantity >= 0))");
  }

  std::int64_t count_items() {
    return db().execute("SELECT COUNT(*) AS n FROM items").one().get<std::int64_t>("n");
  }
};

TEST_P(DatabaseDriverTest, RoundTripsEveryValueType) {
  if (dialect() == Dialect::kSqlite) {
    db().execute(
        "CREATE TABLE v (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BOOLEAN, "
        "data BLOB)");
  } else {
    db().execute(
        "CREATE TABLE v (id INTEGER PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, "
        "b BOOLEAN, data BYTEA)");
  }
  const std::string text = "Grüße 🍞 日本語 \\ \" $1 %s";
  const Blob blob{{0x00, 0x01, 0x7f, 0x80, 0xff, 0x00}};
  const std::string insert = "INSERT INTO v (id, i, r, t, b, data) VALUES ($1, $2, $3, $4, $5, $6)";
  db().execute(insert,
               {std::int64_t{1}, std::numeric_limits<std::int64_t>::max(), 0.1, text, true, blob});
  db().execute(insert, {std::int64_t{2}, std::numeric_limits<std::int64_t>::min(), -1.5e300,
                        std::string(), false, Blob{}});
  db().execute(insert, {std::int64_t{3}, nullptr, nullptr, nullptr, nullptr, nullptr});

  Result rows = db().execute("SELECT id, i, r, t, b, data FROM v ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.columns(), (std::vector<std::string>{"id", "i", "r", "t", "b", "data"}));

  EXPECT_EQ(rows[0].get<std::int64_t>("i"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(rows[0].get<double>("r"), 0.1);
  EXPECT_EQ(rows[0].get<std::string>("t"), text);
  EXPECT_TRUE(rows[0].get<bool>("b"));
  EXPECT_EQ(rows[0].get<Blob>("data"), blob);

  EXPECT_EQ(rows[1].get<std::int64_t>("i"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(rows[1].get<double>("r"), -1.5e300);
  EXPECT_EQ(rows[1].get<std::string>("t"), "");
  EXPECT_FALSE(rows[1].get<bool>("b"));
  EXPECT_EQ(rows[1].get<Blob>("data"), Blob{});

  for (const char* column : {"i", "r", "t", "b", "data"}) {
    EXPECT_TRUE(rows[2].is_null(column)) << column;
  }
  EXPECT_EQ(rows[2].get<std::optional<std::int64_t>>("i"), std::nullopt);
  EXPECT_EQ(rows[2].get<std::optional<std::string>>("t"), std::nullopt);
  EXPECT_THROW(rows[2].get<std::int64_t>("i"), DatabaseError);
}

TEST_P(DatabaseDriverTest, StoresSqlMetacharactersUnchanged) {
  create_items_table();
  const std::vector<std::string> names = {"'; DROP TABLE items; --",
                                          "Robert'); DROP TABLE x;",
                                          "a\"b",
                                          "back\\slash",
                                          "$2",
                                          "?",
                                          "%",
                                          "\n\t"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    db().execute("INSERT INTO items (id, name, quantity) VALUES ($1, $2, 0)",
                 {static_cast<std::int64_t>(i), names[i]});
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    Result found = db().execute("SELECT id FROM items WHERE name = $1", {names[i]});
    ASSERT_EQ(found.size(), 1u) << names[i];
    EXPECT_EQ(found.one().get<std::size_t>("id"), i);
  }
  EXPECT_EQ(count_items(), static_cast<std::int64_t>(names.size()));
}

TEST_P(DatabaseDriverTest, BindsParametersWithoutTable) {
  Row row = db().execute("SELECT $1 + $2 AS sum, $3 AS text, $1 * 2 AS twice",
                         {std::int64_t{2}, std::int64_t{3}, std::string("x")})
                .one();
  EXPECT_EQ(row.get<std::int64_t>("sum"), 5);
  EXPECT_EQ(row.get<std::string>("text"), "x");
  EXPECT_EQ(row.get<std::int64_t>("twice"), 4);
}

TEST_P(DatabaseDriverTest, ReportsAffectedRows) {
  create_items_table();
  Result inserted = db().execute(
      "INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
  EXPECT_EQ(inserted.affected_rows(), 3);
  EXPECT_TRUE(inserted.empty());

  Result updated =
      db().execute("UPDATE items SET quantity = quantity + 1 WHERE quantity >= $1", {2});
  EXPECT_EQ(updated.affected_rows(), 2);

  Result none = db().execute("UPDATE items SET quantity = 0 WHERE id = $1", {42});
  EXPECT_EQ(none.affected_rows(), 0);

  EXPECT_EQ(db().execute("DELETE FROM items WHERE id = $1", {1}).affected_rows(), 1);
  EXPECT_EQ(db().execute("SELECT * FROM items").affected_rows(), 0);
}

TEST_P(DatabaseDriverTest, ReturningGivesChangedRows) {
  create_items_table();
  Result inserted =
      db().execute("INSERT INTO items (id, name, quantity) VALUES ($1, $2, $3) RETURNING id, name",
                   {7, std::string("rye"), 4});
  EXPECT_EQ(inserted.affected_rows(), 1);
  EXPECT_EQ(inserted.one().get<int>("id"), 7);
  EXPECT_EQ(inserted.one().get<std::string>("name"), "rye");

  // The conditional decrement that reservations rely on: no row when stock is short.
  const std::string take =
      "UPDATE items SET quantity = quantity - $1 WHERE id = $2 AND quantity >= $1 "
      "RETURNING quantity";
  EXPECT_EQ(db().execute(take, {3, 7}).one().get<int>("quantity"), 1);
  Result refused = db().execute(take, {3, 7});
  EXPECT_TRUE(refused.empty());
  EXPECT_EQ(refused.affected_rows(), 0);
}

TEST_P(DatabaseDriverTest, TransactionCommitsAndReturnsValue) {
  create_items_table();
  std::int64_t id = db().transaction([](Session& session) {
    session.execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
    session.execute("INSERT INTO items (id, name, quantity) VALUES (2, 'b', 1)");
    return session.execute("SELECT MAX(id) AS id FROM items").one().get<std::int64_t>("id");
  });
  EXPECT_EQ(id, 2);
  EXPECT_EQ(count_items(), 2);
}

TEST_P(DatabaseDriverTest, ExceptionInBodyRollsBack) {
  create_items_table();
  EXPECT_THROW(db().transaction([](Session& session) {
    session.execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
    throw std::runtime_error("body failed");
  }),
               std::runtime_error);
  EXPECT_EQ(count_items(), 0);

  // A database error in the body also rolls back the statements before it.
  EXPECT_THROW(db().transaction([](Session& session) {
    session.execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
    session.execute("INSERT INTO items (id, name, quantity) VALUES (2, 'b', -1)");
  }),
               ConstraintViolation);
  EXPECT_EQ(count_items(), 0);

  // The connection is usable afterwards.
  db().transaction([](Session& session) {
    session.execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
  });
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DatabaseDriverTest, DetectsConstraintKinds) {
  create_items_table();
  db().execute("CREATE TABLE events (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items)");
  db().execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");

  try {
    db().execute("INSERT INTO items (id, name, quantity) VALUES (2, 'a', 1)");
    FAIL() << "duplicate name must throw";
  } catch (const ConstraintViolation& violation) {
    EXPECT_EQ(violation.kind(), ConstraintKind::kUnique);
    EXPECT_EQ(violation.code(), core::ErrorCode::kConflict);
    EXPECT_EQ(violation.constraint(),
              dialect() == Dialect::kSqlite ? "items.name" : "items_name_key");
  }

  auto kind_of = [this](const std::string& sql) {
    try {
      db().execute(sql);
    } catch (const ConstraintViolation& violation) {
      return violation.kind();
    }
    ADD_FAILURE() << "no constraint violation from: " << sql;
    return ConstraintKind::kOther;
  };
  EXPECT_EQ(kind_of("INSERT INTO items (id, name, quantity) VALUES (1, 'b', 1)"),
            ConstraintKind::kUnique);
  EXPECT_EQ(kind_of("INSERT INTO events (id, item_id) VALUES (1, 99)"),
            ConstraintKind::kForeignKey);
  EXPECT_EQ(kind_of("INSERT INTO items (id, name, quantity) VALUES (3, 'c', -1)"),
            ConstraintKind::kCheck);
  EXPECT_EQ(kind_of("INSERT INTO items (id, name, quantity) VALUES (4, NULL, 1)"),
            ConstraintKind::kNotNull);
}

TEST_P(DatabaseDriverTest, ErrorDetailOmitsParameterValues) {
  create_items_table();
  const std::string secret = "secret-value-4711";
  db().execute("INSERT INTO items (id, name, quantity) VALUES (1, $1, 1)", {secret});
  try {
    db().execute("INSERT INTO items (id, name, quantity) VALUES (2, $1, 1)", {secret});
    FAIL() << "duplicate name must throw";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.detail().find(secret), std::string::npos) << error.detail();
    EXPECT_NE(error.detail().find("INSERT INTO items"), std::string::npos) << error.detail();
  }

  if (dialect() == Dialect::kPostgres) {
    try {
      db().execute("SELECT CAST($1 AS INTEGER)", {secret});
      FAIL() << "casting text to integer must throw";
    } catch (const DatabaseError& error) {
      EXPECT_EQ(error.sql_state(), "22P02");
      EXPECT_EQ(error.detail().find(secret), std::string::npos) << error.detail();
    }
  }
}

TEST_P(DatabaseDriverTest, RejectsMismatchedParameters) {
  EXPECT_THROW(db().execute("SELECT $1 + $2", {1}), DatabaseError);
  if (dialect() == Dialect::kSqlite) {
    // PostgreSQL accepts an unused typed parameter, so only SQLite checks this.
    EXPECT_THROW(db().execute("SELECT $1", {1, 2}), DatabaseError);
    EXPECT_THROW(db().execute("SELECT ?", {1}), DatabaseError);
  }
  EXPECT_THROW(db().execute("SELECT $1", {std::string("a\0b", 3)}), DatabaseError);
}

TEST_P(DatabaseDriverTest, ScriptRunsMultipleStatements) {
  EXPECT_THROW(db().execute("CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER)"),
               DatabaseError);
  db().transaction([](Session& session) {
    session.execute_script(
        "CREATE TABLE a (x INTEGER); -- first\n"
        "CREATE TABLE b (x INTEGER);\n"
        "INSERT INTO a (x) VALUES (1);");
  });
  EXPECT_EQ(db().execute("SELECT x FROM a").one().get<int>("x"), 1);
  EXPECT_TRUE(db().execute("SELECT x FROM b; -- trailing comment").empty());
}

TEST_P(DatabaseDriverTest, ConcurrentIncrementsAreExact) {
  db().execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  db().execute("INSERT INTO counter (id, n) VALUES (1, 0)");

  constexpr int kThreads = 2;
  constexpr int kIncrements = 25;
  TxOptions options;
  options.isolation = Isolation::kSerializable;
  options.max_attempts = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Read, then write what was read plus one: a lost update if two interleave.
        db().transaction(
            [](Session& session) {
              auto n = session.execute("SELECT n FROM counter WHERE id = 1").one().get<int>(0);
              session.execute("UPDATE counter SET n = $1 WHERE id = 1", {n + 1});
            },
            options);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(db().execute("SELECT n FROM counter").one().get<int>("n"), kThreads * kIncrements);
}

TEST_P(DatabaseDriverTest, SerializationFailureIsRetried) {
  if (dialect() == Dialect::kSqlite) {
    GTEST_SKIP() << "SQLite writers queue at BEGIN IMMEDIATE, so they never conflict";
  }
  db().execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  db().execute("INSERT INTO counter (id, n) VALUES (1, 0)");

  // Both first attempts read 0 before either writes, so one of the two UPDATEs fails
  // with 40001 once the other commits, and only a retry can make the total 2.
  std::barrier both_read(2);
  TxOptions options;
  options.isolation = Isolation::kSerializable;
  auto increment = [&] {
    bool first_attempt = true;
    db().transaction(
        [&](Session& session) {
          auto n = session.execute("SELECT n FROM counter WHERE id = 1").one().get<int>(0);
          if (first_attempt) {
            first_attempt = false;
            both_read.arrive_and_wait();
          }
          session.execute("UPDATE counter SET n = $1 WHERE id = 1", {n + 1});
        },
        options);
  };
  std::thread other(increment);
  increment();
  other.join();
  EXPECT_EQ(db().execute("SELECT n FROM counter").one().get<int>("n"), 2);
  EXPECT_GE(db().pool_stats().retries_total, 1u);
}

TEST_P(DatabaseDriverTest, SecondPoolSeesCommittedData) {
  create_items_table();
  db().execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
  auto second = Database::open(test_database().url());
  EXPECT_EQ(second->dialect(), dialect());
  EXPECT_EQ(second->execute("SELECT name FROM items").one().get<std::string>(0), "a");
}

TEST_P(DatabaseDriverTest, PingsAndReportsReady) {
  EXPECT_TRUE(db().ping());
  EXPECT_NO_THROW(db().check_ready());
  PoolStats stats = db().pool_stats();
  EXPECT_EQ(stats.max_size, 8u);
  EXPECT_GE(stats.open, 1u);
  EXPECT_LE(stats.open, stats.max_size);
  EXPECT_GE(stats.acquired_total, 2u);
}

TEST_P(DatabaseDriverTest, ExhaustedPoolTimesOut) {
  Options options;
  options.pool_size = 1;
  options.acquire_timeout = std::chrono::milliseconds(50);
  auto single = Database::open(test_database().url(), options);
  try {
    single->transaction([&](Session&) { single->execute("SELECT 1"); });
    FAIL() << "a second connection from a pool of one must time out";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
  }
  EXPECT_TRUE(single->ping());
}

TEST_P(DatabaseDriverTest, CaughtErrorInBodyDoesNotCommit) {
  create_items_table();
  auto run = [this] {
    db().transaction([](Session& session) {
      session.execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
      try {
        session.execute("INSERT INTO items (id, name, quantity) VALUES (2, 'a', 1)");
      } catch (const ConstraintViolation&) {
        // Swallowed on purpose.
      }
    });
  };
  if (dialect() == Dialect::kPostgres) {
    // PostgreSQL aborts the whole transaction on an error, so the commit must fail.
    EXPECT_THROW(run(), DatabaseError);
    EXPECT_EQ(count_items(), 0);
  } else {
    // SQLite undoes only the failed statement and keeps the transaction open.
    run();
    EXPECT_EQ(count_items(), 1);
  }
}

TEST_P(DatabaseDriverTest, ReadOnlyTransactionRejectsWrites) {
  create_items_table();
  TxOptions read_only;
  read_only.read_only = true;
  EXPECT_THROW(db().transaction(
                   [](Session& session) {
                     session.execute("INSERT INTO items (id, name, quantity) VALUES (1, 'a', 1)");
                   },
                   read_only),
               DatabaseError);
  std::int64_t count = db().transaction(
      [](Session& session) {
        return session.execute("SELECT COUNT(*) FROM items").one().get<std::int64_t>(0);
      },
      read_only);
  EXPECT_EQ(count, 0);

  // The pooled connections accept writes again afterwards.
  for (int i = 0; i < 3; ++i) {
    db().transaction([i](Session& session) {
      session.execute("INSERT INTO items (id, name, quantity) VALUES ($1, $2, 1)",
                      {i, std::to_string(i)});
    });
  }
  EXPECT_EQ(count_items(), 3);
}

TEST_P(DatabaseDriverTest, ReadOnlyTransactionRejectsCachedWrite) {
  create_items_table();
  Options options;
  options.pool_size = 1;  // one connection, so the read-only attempt reuses the cached INSERT
  auto single = Database::open(test_database().url(), options);
  const std::string insert = "INSERT INTO items (id, name, quantity) VALUES ($1, $2, 1)";
  single->transaction([&](Session& session) { session.execute(insert, {1, "a"}); });

  TxOptions read_only;
  read_only.read_only = true;
  EXPECT_THROW(single->transaction(
                   [&](Session& session) {
                     session.execute(insert, {2, "b"});
                   },
                   read_only),
               DatabaseError);
  EXPECT_THROW(single->transaction(
                   [](Session& session) {
                     session.execute_script("SELECT 1; UPDATE items SET quantity = 5");
                   },
                   read_only),
               DatabaseError);
  EXPECT_EQ(count_items(), 1);
  std::int64_t quantity = single->transaction(
      [](Session& session) {
        return session.execute("SELECT quantity FROM items WHERE id = 1")
            .one()
            .get<std::int64_t>(0);
      },
      read_only);
  EXPECT_EQ(quantity, 1);

  // The connection accepts writes again afterwards.
  single->transaction([&](Session& session) { session.execute(insert, {3, "c"}); });
  EXPECT_EQ(count_items(), 2);
}

TEST_P(DatabaseDriverTest, StatementTimeoutCancelsQuery) {
  if (dialect() == Dialect::kSqlite) {
    GTEST_SKIP() << "statement_timeout is a PostgreSQL setting";
  }
  Options options;
  options.statement_timeout = std::chrono::milliseconds(50);
  auto limited = Database::open(test_database().url(), options);
  try {
    limited->execute("SELECT pg_sleep(5)");
    FAIL() << "the statement must be cancelled";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sql_state(), "57014");
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
  }
  EXPECT_TRUE(limited->ping());
}

TEST_P(DatabaseDriverTest, TransactionReplacesClosedConnection) {
  if (dialect() == Dialect::kSqlite) {
    GTEST_SKIP() << "SQLite connections cannot be closed by a server";
  }
  Options options;
  options.pool_size = 1;
  auto single = Database::open(test_database().url(), options);
  auto pid = single->execute("SELECT pg_backend_pid()").one().get<std::int64_t>(0);
  // The timeout argument (PostgreSQL 14 and later) waits until the backend has exited.
  ASSERT_TRUE(db().execute("SELECT pg_terminate_backend(CAST($1 AS INTEGER), 5000)", {pid})
                  .one()
                  .get<bool>(0));

  int result = single->transaction(
      [](Session& session) { return session.execute("SELECT 42").one().get<int>(0); });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(single->pool_stats().retries_total, 1u);
  EXPECT_NE(single->execute("SELECT pg_backend_pid()").one().get<std::int64_t>(0), pid);
}

TEST_P(DatabaseDriverTest, SelectStarSurvivesAddedColumn) {
  Options options;
  options.pool_size = 1;  // one connection, so the cached statement is reused
  auto single = Database::open(test_database().url(), options);
  single->execute("CREATE TABLE t (a INTEGER)");
  single->execute("INSERT INTO t (a) VALUES (1)");
  EXPECT_EQ(single->execute("SELECT * FROM t").columns().size(), 1u);
  single->execute("ALTER TABLE t ADD COLUMN b INTEGER");

  // PostgreSQL rejects the cached plan once (0A000); SQLite prepares again by itself.
  std::optional<Result> result;
  try {
    result = single->execute("SELECT * FROM t");
  } catch (const DatabaseError& error) {
    EXPECT_EQ(dialect(), Dialect::kPostgres) << error.detail();
    EXPECT_EQ(error.sql_state(), "0A000");
    result = single->execute("SELECT * FROM t");
  }
  EXPECT_EQ(result->columns(), (std::vector<std::string>{"a", "b"}));
}

SURPLUS_DB_INSTANTIATE_ALL(DatabaseDriverTest);

}  // namespace
}  // namespace surplus::db
