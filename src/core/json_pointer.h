// JSON pointers (RFC 6901) into decoded manifests: findings, evidence and
// validation problems name the field they are about with one.
#pragma once

#include <string>
#include <string_view>

namespace kspm::core {

// Escapes a mapping key for use as one token of a JSON pointer (`~` is `~0`,
// `/` is `~1`).
std::string PointerEscape(std::string_view key);

}  // namespace kspm::core
