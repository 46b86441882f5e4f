#pragma once

#include "validation/context.hpp"

namespace surplus::graphql::detail {

// Checks ValidationLimits on every operation with its fragments expanded. Call only on a
// document that passed the rules of section 5, so fragments are known and acyclic.
void check_limits(ValidationContext& context, const ValidationLimits& limits);

}  // namespace surplus::graphql::detail
