// YAML 1.1 scalar resolution exactly as go-yaml v2 (used by sigs.k8s.io/yaml
// and so by kubectl) resolves plain scalars and explicitly tagged ones, plus
// the conversions sigs.k8s.io/yaml applies on the way to JSON (mapping keys
// become strings, strings become valid UTF-8).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/node.h"

namespace kspm::core {

struct ResolvedScalar {
  NodeType type = NodeType::kString;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  // An integer above INT64_MAX: Go holds it as a uint64 (exact in JSON); we
  // hold it as the nearest double. sigs.k8s.io/yaml refuses it as a map key.
  bool unsigned_integer = false;
  // !!binary: the value is `decoded` (base64-decoded bytes), not the text.
  bool binary = false;
  std::string decoded;
  // Non-empty when an explicit tag cannot be satisfied (`!!int abc`,
  // `!!binary` with bad base64): the document is an error.
  std::string error;
};

// A plain (unquoted, untagged) scalar: `yes` is true, `0777` is 511, `~` null...
ResolvedScalar ResolvePlain(std::string_view text);

// A scalar with an explicit tag as the parser resolved it: "tag:yaml.org,2002:int"
// for `!!int`, "!" for the non-specific tag, "!custom" for an application tag.
// Application tags, `!`, `!!map`, `!!seq`, `!!merge`... leave the text a string.
ResolvedScalar ResolveTagged(std::string_view tag, std::string_view text);

// True for the tag of `!!merge`.
bool IsMergeTag(std::string_view tag);

// Go's base64.StdEncoding.DecodeString: padded standard alphabet; '\r' and
// '\n' are skipped anywhere. False on invalid input.
bool DecodeBase64(std::string_view text, std::string& out);

// go-yaml's parseTimestamp: the layouts 2006-1-2T15:4:5.999999999Z07:00 (also
// with a lower-case t), "2006-1-2 15:4:5.999999999" and 2006-1-2, with Go's
// time.Parse rules (one- or two-digit fields, range checks, day of month).
bool IsYamlTimestamp(std::string_view text);

// A float mapping key as sigs.k8s.io/yaml spells it:
// strconv.FormatFloat(f, 'g', -1, 32), with .inf, -.inf and .nan.
std::string FormatFloatKey(double f);

// An integer mapping key (strconv.Itoa).
std::string FormatIntKey(int64_t i);

// `s` as Go's encoding/json writes it: every byte that is not part of a valid
// UTF-8 sequence becomes U+FFFD. Returns false (and leaves `out` untouched)
// when `s` is already valid.
bool CoerceToUtf8(std::string_view s, std::string& out);

}  // namespace kspm::core
