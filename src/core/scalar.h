// YAML 1.1 scalar resolution exactly as go-yaml v2 (used by sigs.k8s.io/yaml
// and so by kubectl) resolves plain scalars and explicitly tagged ones.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/node.h"

namespace kspm::core {

struct ResolvedScalar {
  NodeType type = NodeType::kString;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  bool merge = false;  // the plain `<<` merge key
  bool error = false;  // an explicit tag the value cannot satisfy
};

// A plain (unquoted, untagged) scalar.
ResolvedScalar ResolvePlain(std::string_view text);

// A scalar with an explicit tag (`!!int 12`, `tag:yaml.org,2002:str`, `!custom`).
// `plain` tells whether the scalar was written unquoted.
ResolvedScalar ResolveTagged(std::string_view tag, std::string_view text, bool plain);

}  // namespace kspm::core
