#include "users_store.hpp"

#include <surplus/db/error.hpp>

#include "sql_lists.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

constexpr std::string_view kColumns =
    "id, email, display_name, role, password_hash, created_at, updated_at";

User user_from_row(const db::Row& row) {
  User user;
  user.id = row.get<std::string>("id");
  user.email = row.get<std::string>("email");
  user.display_name = row.get<std::string>("display_name");
  user.role = auth::role_from_name(row.get<std::string>("role")).value_or(auth::Role::kCustomer);
  user.password_hash = row.get<std::string>("password_hash");
  user.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  user.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  return user;
}

std::optional<User> find_one(db::Session& session, std::string_view where,
                             const std::string& value) {
  auto row = session
                 .execute(std::string("SELECT ") + std::string(kColumns) + " FROM users WHERE " +
                              std::string(where),
                          {value})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return user_from_row(*row);
}

}  // namespace

nlohmann::json user_json(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"displayName", user.display_name},
          {"role", auth::role_name(user.role)},
          {"createdAt", core::format_rfc3339(user.created_at)}};
}

std::optional<User> find_user_by_id(db::Session& session, const std::string& id) {
  return find_one(session, "id = $1", id);
}

std::optional<User> find_user_by_email(db::Session& session, const std::string& email_key) {
  return find_one(session, "email_key = $1", email_key);
}

std::vector<User> find_users_by_ids(db::Session& session, const std::vector<std::string>& ids) {
  std::vector<User> users;
  if (ids.empty()) {
    return users;
  }
  db::Params params(ids.begin(), ids.end());
  auto result =
      session.execute(std::string("SELECT ") + std::string(kColumns) + " FROM users WHERE id IN (" +
                          placeholders(1, ids.size()) + ") ORDER BY id",
                      params);
  for (const auto& row : result) {
    users.push_back(user_from_row(row));
  }
  return users;
}

void insert_user(db::Session& session, const User& user) {
  try {
    session.execute(
        "INSERT INTO users (id, email, email_key, password_hash, display_name, role, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {user.id, user.email, ascii_lower(user.email), user.password_hash, user.display_name,
         std::string(auth::role_name(user.role)), core::to_unix_micros(user.created_at),
         core::to_unix_micros(user.updated_at)});
  } catch (const db::ConstraintViolation& violation) {
    if (violation.kind() != db::ConstraintKind::kUnique) {
      throw;
    }
    throw core::Error(core::ErrorCode::kConflict,
                      "an account with this e-mail address already exists; log in instead");
  }
}

void update_password_hash(db::Session& session, const std::string& user_id,
                          const std::string& password_hash) {
  session.execute("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3",
                  {password_hash, core::to_unix_micros(core::now()), user_id});
}

}  // namespace surplus::orders
