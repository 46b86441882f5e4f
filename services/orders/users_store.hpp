#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::orders {

struct User {
  std::string id;
  std::string email;  // as registered; email_key is its lower-case form
  std::string display_name;
  auth::Role role = auth::Role::kCustomer;
  std::string password_hash;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

// The public view of a user: id, email, displayName, role, createdAt. Never the hash.
nlohmann::json user_json(const User& user);

std::optional<User> find_user_by_id(db::Session& session, const std::string& id);
// `email_key` is the lower-case address.
std::optional<User> find_user_by_email(db::Session& session, const std::string& email_key);
std::vector<User> find_users_by_ids(db::Session& session, const std::vector<std::string>& ids);

// Inserts `user`; throws core::Error CONFLICT when the e-mail address is taken.
void insert_user(db::Session& session, const User& user);

void update_password_hash(db::Session& session, const std::string& user_id,
                          const std::string& password_hash);

}  // namespace surplus::orders
