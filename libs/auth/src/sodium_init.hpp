#pragma once

namespace surplus::auth::detail {

// Initialises libsodium once per process; throws std::runtime_error when it cannot.
void ensure_sodium();

}  // namespace surplus::auth::detail
