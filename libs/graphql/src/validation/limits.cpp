#include "validation/limits.hpp"

namespace surplus::graphql::detail {

void check_limits(ValidationContext&, const ValidationLimits&) {
  // NOTE: depth, alias, root field and cost limits are not enforced yet.
}

}  // namespace surplus::graphql::detail
