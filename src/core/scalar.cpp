#include "core/scalar.h"

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace kspm::core {
namespace {

// The tags go-yaml's resolve() knows; any other tag leaves the text a string.
enum class Tag { kNone, kStr, kBool, kInt, kFloat, kNull, kTimestamp, kBinary, kOther };

constexpr std::string_view kYamlTagPrefix = "tag:yaml.org,2002:";

Tag ClassifyTag(std::string_view tag) {
  if (tag.empty()) return Tag::kNone;
  if (tag.substr(0, kYamlTagPrefix.size()) != kYamlTagPrefix) return Tag::kOther;
  std::string_view name = tag.substr(kYamlTagPrefix.size());
  if (name == "str") return Tag::kStr;
  if (name == "bool") return Tag::kBool;
  if (name == "int") return Tag::kInt;
  if (name == "float") return Tag::kFloat;
  if (name == "null") return Tag::kNull;
  if (name == "timestamp") return Tag::kTimestamp;
  if (name == "binary") return Tag::kBinary;
  return Tag::kOther;
}

std::string_view TagName(Tag t) {
  switch (t) {
    case Tag::kStr:
      return "!!str";
    case Tag::kBool:
      return "!!bool";
    case Tag::kInt:
      return "!!int";
    case Tag::kFloat:
      return "!!float";
    case Tag::kNull:
      return "!!null";
    case Tag::kTimestamp:
      return "!!timestamp";
    case Tag::kBinary:
      return "!!binary";
    default:
      return "";
  }
}

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

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.ParseUint(s, 0, 64) on a string without sign or underscores.
bool ParseUnsignedBase0(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  int base = 10;
  if (s[0] == '0') {
    char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : '\0';
    if (p == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
      if (s.empty()) {
        out = 0;  // "0"
        return true;
      }
    }
  }
  uint64_t v = 0;
  for (char c : s) {
    int d = DigitValue(c);
    if (d >= base) return false;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / base) return false;
    v = v * base + static_cast<uint64_t>(d);
  }
  out = v;
  return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
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

// strconv.ParseFloat(s, 64) for the decimal forms go-yaml can hand it (text
// starting with '.', or matching IsYamlStyleFloat). Go's hex floats,
// underscores and inf/nan spellings never reach it: they fail the character
// check here and in Go alike (Go accepts "0x1p3" only in forms that start
// with a digit, which go-yaml only tries after the yamlStyleFloat regexp).
bool ParseGoFloat(std::string_view s, double& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(IsDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  }
  std::string copy(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;  // Go: out of range is an error
  out = v;
  return true;
}

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

// Integers as go-yaml v2 reads them: Go's base-0 ParseInt, then ParseUint
// (0x, 0o, 0b and leading-0 octal; a sign only for ParseInt).
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
    return true;
  }
  if (plain[0] == '+') return false;  // ParseUint takes no sign
  out = MakeFloat(static_cast<double>(magnitude));
  out.unsigned_integer = true;
  return true;
}

// go-yaml's resolve(tag, in) for the tags it resolves (kNone for a plain
// scalar): what the text reads as, and which tag that is.
ResolvedScalar Resolve(Tag tag, std::string_view in, Tag& rtag) {
  rtag = Tag::kStr;
  ResolvedScalar str;
  if (tag == Tag::kStr) return str;
  // go-yaml looks at the first byte: a sign, a digit, '.', or one of the
  // letters that start a YAML 1.1 boolean or null ("yYnNtTfFoO~").
  char hint = 'N';
  if (!in.empty()) {
    char c = in[0];
    if (c == '+' || c == '-') {
      hint = 'S';
    } else if (IsDigit(c)) {
      hint = 'D';
    } else if (c == '.') {
      hint = '.';
    } else if (std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos) {
      hint = 'M';
    } else {
      return str;
    }
  }
  if (In(in, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    rtag = Tag::kBool;
    return MakeBool(true);
  }
  if (In(in, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    rtag = Tag::kBool;
    return MakeBool(false);
  }
  if (In(in, {"", "~", "null", "Null", "NULL"})) {
    rtag = Tag::kNull;
    return MakeNull();
  }
  if (In(in, {".nan", ".NaN", ".NAN"})) {
    rtag = Tag::kFloat;
    return MakeFloat(std::numeric_limits<double>::quiet_NaN());
  }
  if (In(in, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    rtag = Tag::kFloat;
    return MakeFloat(std::numeric_limits<double>::infinity());
  }
  if (In(in, {"-.inf", "-.Inf", "-.INF"})) {
    rtag = Tag::kFloat;
    return MakeFloat(-std::numeric_limits<double>::infinity());
  }
  if (hint == '.') {
    double f = 0;
    if (ParseGoFloat(in, f)) {
      rtag = Tag::kFloat;
      return MakeFloat(f);
    }
    return str;
  }
  if (hint != 'D' && hint != 'S') return str;
  // Only an untagged or !!timestamp scalar is tried as a timestamp. An
  // untagged timestamp is kept as its text either way (go-yaml v2 does not
  // turn it into a time for an interface{} target), so only the tag matters.
  if ((tag == Tag::kNone || tag == Tag::kTimestamp) && IsYamlTimestamp(in)) {
    rtag = Tag::kTimestamp;
    return str;
  }
  std::string plain;
  plain.reserve(in.size());
  for (char ch : in) {
    if (ch != '_') plain.push_back(ch);
  }
  ResolvedScalar r;
  if (ResolveInteger(plain, r)) {
    rtag = Tag::kInt;
    return r;
  }
  if (IsYamlStyleFloat(plain)) {
    double f = 0;
    if (ParseGoFloat(plain, f)) {
      rtag = Tag::kFloat;
      return MakeFloat(f);
    }
  }
  // go-yaml's own 0b/-0b fallbacks accept nothing ParseInt(.., 0, 64) rejects.
  return str;
}

bool IsLeap(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysIn(int month, int year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeap(year)) return 29;
  return kDays[month - 1];
}

// Go time's getnum(s, false): one or two digits.
bool GetNum(std::string_view& s, int& out) {
  if (s.empty() || !IsDigit(s[0])) return false;
  if (s.size() < 2 || !IsDigit(s[1])) {
    out = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  out = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

bool Literal(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

// Layouts: 0 = "2006-1-2T15:4:5.999999999Z07:00", 1 = the same with 't',
// 2 = "2006-1-2 15:4:5.999999999", 3 = "2006-1-2".
bool ParseTimestampLayout(std::string_view s, int layout) {
  if (s.size() < 4) return false;
  for (int k = 0; k < 4; ++k) {
    if (!IsDigit(s[k])) return false;
  }
  int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  s.remove_prefix(4);
  int month = 0, day = 0;
  if (!Literal(s, '-') || !GetNum(s, month) || month < 1 || month > 12) return false;
  if (!Literal(s, '-') || !GetNum(s, day)) return false;
  if (layout != 3) {
    if (layout == 2) {
      // A space in a Go layout matches one or more spaces.
      if (s.empty() || s[0] != ' ') return false;
      while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    } else if (!Literal(s, layout == 0 ? 'T' : 't')) {
      return false;
    }
    int hour = 0, minute = 0, second = 0;
    if (!GetNum(s, hour) || hour >= 24) return false;
    if (!Literal(s, ':') || !GetNum(s, minute) || minute >= 60) return false;
    if (!Literal(s, ':') || !GetNum(s, second) || second >= 60) return false;
    // Optional fraction: '.' or ',' and any number of digits.
    if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') && IsDigit(s[1])) {
      s.remove_prefix(1);
      while (!s.empty() && IsDigit(s[0])) s.remove_prefix(1);
    }
    if (layout != 2) {
      if (!s.empty() && s[0] == 'Z') {
        s.remove_prefix(1);
      } else {
        // ±hh:mm, two digits each (Go 1.19 checks no range here).
        if (s.size() < 6 || s[3] != ':' || (s[0] != '+' && s[0] != '-')) return false;
        if (!IsDigit(s[1]) || !IsDigit(s[2]) || !IsDigit(s[4]) || !IsDigit(s[5])) return false;
        s.remove_prefix(6);
      }
    }
  }
  if (!s.empty()) return false;  // extra text
  return day >= 1 && day <= DaysIn(month, year);
}

}  // namespace

bool IsYamlTimestamp(std::string_view s) {
  // go-yaml's quick check: four digits, then '-'.
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i != 4 || i == s.size() || s[i] != '-') return false;
  for (int layout = 0; layout < 4; ++layout) {
    if (ParseTimestampLayout(s, layout)) return true;
  }
  return false;
}

ResolvedScalar ResolvePlain(std::string_view text) {
  Tag rtag;
  return Resolve(Tag::kNone, text, rtag);
}

ResolvedScalar ResolveTagged(std::string_view tag, std::string_view text) {
  Tag t = ClassifyTag(tag);
  ResolvedScalar str;
  if (t == Tag::kBinary) {
    if (!DecodeBase64(text, str.decoded)) {
      str.error = "!!binary value contains invalid base64 data";
      return str;
    }
    str.binary = true;
    return str;
  }
  if (t == Tag::kOther || t == Tag::kStr) return str;
  Tag rtag;
  ResolvedScalar r = Resolve(t, text, rtag);
  if (rtag == t) return r;
  if (t == Tag::kFloat && rtag == Tag::kInt && !r.unsigned_integer) {
    return MakeFloat(static_cast<double>(r.i));
  }
  std::string shown(text.substr(0, 64));
  if (shown.size() < text.size()) shown += "...";
  ResolvedScalar e;
  e.error = "cannot decode " + std::string(TagName(rtag)) + " `" + shown + "` as a " +
            std::string(TagName(t));
  return e;
}

bool IsMergeTag(std::string_view tag) { return tag == "tag:yaml.org,2002:merge"; }

bool DecodeBase64(std::string_view text, std::string& out) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') clean.push_back(c);
  }
  if (clean.size() % 4 != 0) return false;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string result;
  result.reserve(clean.size() / 4 * 3);
  for (size_t i = 0; i < clean.size(); i += 4) {
    int pad = 0;
    if (clean[i + 3] == '=') pad = clean[i + 2] == '=' ? 2 : 1;
    if (pad > 0 && i + 4 != clean.size()) return false;  // padding only at the end
    uint32_t bits = 0;
    for (int k = 0; k < 4 - pad; ++k) {
      int v = value(clean[i + k]);
      if (v < 0) return false;
      bits |= static_cast<uint32_t>(v) << (18 - 6 * k);
    }
    result.push_back(static_cast<char>(bits >> 16));
    if (pad < 2) result.push_back(static_cast<char>((bits >> 8) & 0xFF));
    if (pad < 1) result.push_back(static_cast<char>(bits & 0xFF));
  }
  out = std::move(result);
  return true;
}

std::string FormatIntKey(int64_t i) { return std::to_string(i); }

std::string FormatFloatKey(double f) {
  if (std::isnan(f)) return ".nan";
  // float32(f): values past the float32 range round to infinity (IEEE
  // round-to-nearest; the cast itself would be undefined behaviour).
  constexpr double kOverflow = static_cast<double>(FLT_MAX) + 0x1p103;  // FLT_MAX + half an ulp
  if (std::isinf(f) || std::fabs(f) >= kOverflow) return f > 0 ? ".inf" : "-.inf";
  float x = std::fabs(f) > FLT_MAX ? std::copysign(FLT_MAX, static_cast<float>(f))
                                   : static_cast<float>(f);
  bool negative = std::signbit(x);
  x = std::fabs(x);
  std::string out = negative ? "-" : "";
  if (x == 0) return out + "0";
  // Shortest decimal that reads back as the same float32.
  char buf[64];
  int precision = 1;
  for (; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, static_cast<double>(x));
    if (std::strtof(buf, nullptr) == x) break;
  }
  // buf is "d.ddde±XX": split digits and exponent.
  std::string mantissa(buf, std::strchr(buf, 'e') - buf);
  int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  // %e when the exponent is < -4 or >= 6 (Go's 'g' with the shortest precision).
  if (exponent < -4 || exponent >= 6) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp;
  }
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    return out + digits;
  }
  if (static_cast<size_t>(point) >= digits.size()) {
    return out + digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  }
  return out + digits.substr(0, static_cast<size_t>(point)) + "." +
         digits.substr(static_cast<size_t>(point));
}

bool CoerceToUtf8(std::string_view s, std::string& out) {
  // Length of the valid UTF-8 sequence at s[i] (Go's utf8.DecodeRune rules:
  // no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
  auto valid_length = [&](size_t i) -> size_t {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return 0;
    }
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
      unsigned char t = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF)) return 0;
    }
    return n;
  };
  // ASCII runs need no decoding: skip them a byte at a time in a loop the
  // compiler can vectorise (most scalars are ASCII throughout).
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    if (i == s.size()) break;
    size_t n = valid_length(i);
    if (n == 0) break;
    i += n;
  }
  if (i == s.size()) return false;
  std::string result(s.substr(0, i));
  while (i < s.size()) {
    size_t n = valid_length(i);
    if (n == 0) {
      result += "\xEF\xBF\xBD";
      ++i;
    } else {
      result.append(s.substr(i, n));
      i += n;
    }
  }
  out = std::move(result);
  return true;
}

}  // namespace kspm::core
