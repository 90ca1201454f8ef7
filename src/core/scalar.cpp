#include "core/scalar.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace kspm::core {
namespace {

bool In(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view v : set) {
    if (s == v) return true;
  }
  return false;
}

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Go's strconv.ParseUint(s, 0, 64) on a string without sign or underscores.
bool ParseUnsignedBase0(std::string_view s, uint64_t& out) {
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d = DigitValue(c);
    if (d >= base) return false;
    if (v > (std::numeric_limits<uint64_t>::max() - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

bool ParseGoFloat(std::string_view s, double& out) {
  // Callers only pass text matching IsYamlStyleFloat or starting with '.',
  // which strtod reads the way Go's ParseFloat does.
  std::string copy(s);
  if (copy.empty()) return false;
  for (char c : copy) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return false;
    }
  }
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;  // Go: out of range is an error
  out = v;
  return true;
}

ResolvedScalar MakeString() { return {}; }

ResolvedScalar MakeInt(int64_t v) {
  ResolvedScalar r;
  r.type = NodeType::kInt;
  r.i = v;
  return r;
}

ResolvedScalar MakeFloat(double v) {
  ResolvedScalar r;
  r.type = NodeType::kFloat;
  r.f = v;
  return r;
}

ResolvedScalar MakeBool(bool v) {
  ResolvedScalar r;
  r.type = NodeType::kBool;
  r.b = v;
  return r;
}

ResolvedScalar MakeNull() {
  ResolvedScalar r;
  r.type = NodeType::kNull;
  return r;
}

// Integers as go-yaml v2 reads them: underscores dropped, then Go's base-0
// ParseInt / ParseUint (0x, 0o, 0b and leading-0 octal).
bool ResolveInteger(std::string_view plain, ResolvedScalar& out) {
  bool negative = false;
  std::string_view digits = plain;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  uint64_t magnitude = 0;
  if (!ParseUnsignedBase0(digits, magnitude)) return false;
  if (negative) {
    if (magnitude > uint64_t{1} << 63) return false;
    out = MakeInt(magnitude == uint64_t{1} << 63 ? std::numeric_limits<int64_t>::min()
                                                 : -static_cast<int64_t>(magnitude));
    return true;
  }
  if (magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    out = MakeInt(static_cast<int64_t>(magnitude));
  } else {
    out = MakeFloat(static_cast<double>(magnitude));  // uint64 beyond int64: kept as a number
  }
  return true;
}

}  // namespace

ResolvedScalar ResolvePlain(std::string_view in) {
  if (In(in, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    return MakeBool(true);
  }
  if (In(in, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    return MakeBool(false);
  }
  if (In(in, {"", "~", "null", "Null", "NULL"})) return MakeNull();
  if (In(in, {".nan", ".NaN", ".NAN"})) return MakeFloat(std::numeric_limits<double>::quiet_NaN());
  if (In(in, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    return MakeFloat(std::numeric_limits<double>::infinity());
  }
  if (In(in, {"-.inf", "-.Inf", "-.INF"})) {
    return MakeFloat(-std::numeric_limits<double>::infinity());
  }
  if (in == "<<") {
    ResolvedScalar r;
    r.merge = true;
    return r;
  }
  char c = in[0];
  if (c == '.') {
    double f = 0;
    if (ParseGoFloat(in, f)) return MakeFloat(f);
    return MakeString();
  }
  if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
    std::string plain;
    plain.reserve(in.size());
    for (char ch : in) {
      if (ch != '_') plain.push_back(ch);
    }
    ResolvedScalar r;
    if (ResolveInteger(plain, r)) return r;
    if (IsYamlStyleFloat(plain)) {
      double f = 0;
      if (ParseGoFloat(plain, f)) return MakeFloat(f);
    }
    return MakeString();
  }
  return MakeString();
}

ResolvedScalar ResolveTagged(std::string_view tag, std::string_view text, bool plain) {
  constexpr std::string_view kPrefix = "tag:yaml.org,2002:";
  std::string_view short_tag;
  if (tag.substr(0, kPrefix.size()) == kPrefix) {
    short_tag = tag.substr(kPrefix.size());
  } else if (tag.substr(0, 2) == "!!") {
    short_tag = tag.substr(2);
  } else {
    // Non-specific `!` or an application tag: go-yaml keeps the text as a string.
    if (tag == "!" || !plain) return MakeString();
    return MakeString();
  }
  if (short_tag == "str" || short_tag == "binary" || short_tag == "timestamp") {
    return MakeString();
  }
  ResolvedScalar r = ResolvePlain(text);
  if (short_tag == "merge") return r;
  auto fail = [] {
    ResolvedScalar e;
    e.error = true;
    return e;
  };
  if (short_tag == "int") return r.type == NodeType::kInt ? r : fail();
  if (short_tag == "float") {
    if (r.type == NodeType::kInt) return MakeFloat(static_cast<double>(r.i));
    return r.type == NodeType::kFloat ? r : fail();
  }
  if (short_tag == "bool") return r.type == NodeType::kBool ? r : fail();
  if (short_tag == "null") return r.type == NodeType::kNull ? r : fail();
  if (short_tag == "map" || short_tag == "seq") return fail();
  return MakeString();
}

}  // namespace kspm::core
