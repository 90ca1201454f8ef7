// YAML documents read as Kubernetes reads them.
//
// Events come from libyaml, the C parser that go-yaml v2 (under
// sigs.k8s.io/yaml, under kubectl) was ported from; the tree is built with
// go-yaml's decoding rules and sigs.k8s.io/yaml's conversion to JSON:
//   - scalars resolve as YAML 1.1 (scalar.cpp); quoted ones stay strings;
//   - an anchor is visible from the moment its node starts; an alias to a
//     node still being read is an error ("contains itself");
//   - duplicate keys are an error, as in strict decoding (UnmarshalStrict,
//     which kubectl's validation uses); that includes a key that a merge
//     (`<<`) would set twice, and keys that differ in YAML but not as JSON
//     object keys (`1` and "1"), whose value Kubernetes would pick at random;
//   - keys become strings: integers in decimal, floats as float32 %g, bools
//     as true/false; null, uint64, sequence and mapping keys are errors;
//   - .inf and .nan values are errors (encoding/json cannot write them);
//     !!binary bytes that are not UTF-8 get U+FFFD, as encoding/json does;
//   - alias expansion is bounded by go-yaml's own rule ("excessive
//     aliasing": more than 99% of the first 400,000 decoded nodes coming
//     from aliases, shrinking to 10% at 4,000,000) and by DecodeLimits.
//
// Where libyaml 0.2.5 and go-yaml v2.4 scan differently, we follow go-yaml
// (found by reading both scanners and by differential fuzzing against the
// oracle in tests/integration/yaml_oracle_test.sh):
//   D1 In a flow collection go-yaml ends a plain scalar at '?', and the '?'
//      that follows always makes a parse error; libyaml keeps "a?b" whole.
//      A flow plain scalar containing '?' is therefore an error.
//   D2 In a flow collection libyaml rejects a plain scalar with ':' followed
//      by one of ",?[]{}" ("found unexpected ':'"); go-yaml keeps the ':' in
//      the scalar (`[a:]` is ["a:"]). We read again with that ':' replaced
//      by a private-use character and put the ':' back in the value.
//   D3 A shorthand tag's suffix may hold ',', '[' and ']' for go-yaml, not
//      for libyaml (`[!a,b c]` is ["c"] tagged "!a,b" for go-yaml). We read
//      again with those characters of the tag replaced by '~': unknown tags
//      stay unknown, and only known tags change how a value reads.
//   D4 "\'" in a double-quoted scalar is an apostrophe for go-yaml and an
//      error for libyaml: read again with a stand-in escape, then restore.
//   D5 "\/" in a double-quoted scalar is an error for go-yaml and a slash for
//      libyaml: an error.
//   D6 go-yaml accepts only `%YAML 1.1` and at most two digits per number.
//   D7 libyaml checks every input byte of the document up to 16 KiB ahead,
//      go-yaml 512 bytes ahead, so bad bytes after a `...` end marker may
//      or may not fail it: kspm checks the whole document (stricter).
//   D8 go-yaml loses the implicit key an empty flow collection starts, so
//      `[]: v` or `{}: v` at the start of a document reads as [] or {} and
//      the rest is ignored; and, after a document's root node, it stops
//      scanning ahead at such a collection (see GoYamlStopsBefore).
// What still differs, on purpose or as a known limit:
//   - kspm refuses (Kubernetes would read): nesting deeper than
//     DecodeLimits::max_depth (1000; go-yaml allows 10000), more than
//     max_expanded_nodes nodes after alias expansion, a scalar larger than
//     max_scalar_bytes, keys Kubernetes would resolve at random, bad bytes
//     after `...` (D7), more than kMaxRereads D2-D4 fixes in one document,
//     and a document that is an empty flow collection followed on its line
//     by text only libyaml's look-ahead reaches (Kubernetes reads [] or {},
//     not an object either);
//   - kspm reads (Kubernetes would refuse): a document whose root node is
//     followed, on the line the scanner reads ahead, by text that only
//     go-yaml's scanner rejects (the D1/D5 differences there);
//   - integers above INT64_MAX (Go's uint64) are held as the nearest double;
//   - the "excessive aliasing" rule counts the items of a merge sequence in
//     document order (go-yaml goes last to first), which can only matter
//     for a document right at the 99% threshold.
#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/decode.h"
#include "core/scalar.h"

namespace kspm::core {
namespace {

constexpr size_t kMaxRereads = 64;  // D2, D3 and D4 fixes per document

// Byte offsets of libyaml marks. A mark's index counts characters from the
// start of the stream, after a leading byte-order mark. Marks are asked for
// in increasing order, so a cursor makes the conversion linear overall; an
// earlier mark restarts from the beginning (only for error messages).
class MarkIndex {
 public:
  explicit MarkIndex(std::string_view text) : text_(text) {
    bom_ = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    byte_ = bom_;
    // Most manifests are ASCII: then a character index is a byte count, and
    // no mark needs the walk below. One pass over the chunk decides it.
    unsigned char any_high = 0;
    for (size_t i = bom_; i < text.size(); ++i) any_high |= static_cast<unsigned char>(text[i]);
    ascii_ = (any_high & 0x80) == 0;
  }
  size_t Offset(const yaml_mark_t& m) {
    if (ascii_) return std::min(text_.size(), bom_ + m.index);
    if (m.index < char_) {
      char_ = 0;
      byte_ = bom_;
    }
    while (char_ < m.index && byte_ < text_.size()) {
      ++byte_;
      while (byte_ < text_.size() && (static_cast<unsigned char>(text_[byte_]) & 0xC0) == 0x80) {
        ++byte_;
      }
      ++char_;
    }
    return byte_;
  }

 private:
  std::string_view text_;
  size_t bom_ = 0;
  bool ascii_ = false;
  size_t char_ = 0;  // the cursor, in characters and in bytes
  size_t byte_ = 0;
};

bool IsAlpha(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-';
}

// The offset of the tag among a node's properties (anchor and tag, in either
// order, possibly on separate lines) that start at `i`; npos if none.
size_t FindTag(std::string_view text, size_t i) {
  for (int property = 0; property < 2 && i < text.size(); ++property) {
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '#') {
        while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
      } else {
        break;
      }
    }
    if (i >= text.size()) return std::string_view::npos;
    if (text[i] == '!') return i;
    if (text[i] != '&') return std::string_view::npos;
    ++i;
    while (i < text.size() && IsAlpha(text[i])) ++i;
  }
  return std::string_view::npos;
}

size_t TagEnd(std::string_view text, size_t i, bool go_yaml);

// The offset after the node properties (anchors, tags) and blanks, line
// breaks and comments that start at `i`.
size_t SkipProperties(std::string_view text, size_t i) {
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
    } else if (c == '&') {
      ++i;
      while (i < text.size() && IsAlpha(text[i])) ++i;
    } else if (c == '!') {
      i = TagEnd(text, i, false);
    } else {
      break;
    }
  }
  return i;
}

// Where the scan of the tag at `i` ends: for libyaml, a shorthand tag's
// suffix excludes ',', '[' and ']'; go-yaml takes them too.
size_t TagEnd(std::string_view text, size_t i, bool go_yaml) {
  if (i + 1 < text.size() && text[i + 1] == '<') {
    size_t close = text.find('>', i);
    return close == std::string_view::npos ? text.size() : close + 1;
  }
  ++i;  // the handle: '!' [alnum]* ['!']
  while (i < text.size() && IsAlpha(text[i])) ++i;
  if (i < text.size() && text[i] == '!') ++i;
  std::string_view uri_chars = go_yaml ? ";/?:@&=+$.%!~*'(),[]" : ";/?:@&=+$.%!~*'()";
  while (i < text.size() && (IsAlpha(text[i]) || uri_chars.find(text[i]) != uri_chars.npos)) ++i;
  return i;
}

// True when a double-quoted scalar starting at `i` uses the "\/" escape.
bool HasSlashEscape(std::string_view text, size_t i) {
  i = text.find('"', i);
  if (i == std::string_view::npos) return false;
  for (++i; i < text.size() && text[i] != '"'; ++i) {
    if (text[i] != '\\') continue;
    if (i + 1 < text.size() && text[i + 1] == '/') return true;
    ++i;  // skip the escaped character (hex digits of \x \u \U are harmless)
  }
  return false;
}

// Checks the whole document's bytes as go-yaml's reader would check the part
// it reads (D7): UTF-8, and only the characters YAML allows.
bool ValidateCharacters(std::string_view text, size_t& bad_offset, std::string& message) {
  size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == 0) {
        bad_offset = i;
        message = "NUL byte: binary data is not a YAML manifest";
        return false;
      }
      if (c != 0x09 && c != 0x0A && c != 0x0D && (c < 0x20 || c == 0x7F)) {
        bad_offset = i;
        char buf[64];
        std::snprintf(buf, sizeof buf, "control character U+%04X is not allowed in YAML", c);
        message = buf;
        return false;
      }
      ++i;
      continue;
    }
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    char32_t v = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = n != 0 && i + n <= text.size();
    for (size_t k = 1; ok && k < n; ++k) {
      unsigned char t = static_cast<unsigned char>(text[i + k]);
      ok = (t & 0xC0) == 0x80;
      v = (v << 6) | (t & 0x3F);
    }
    ok = ok && ((n == 2 && v >= 0x80) || (n == 3 && v >= 0x800) || (n == 4 && v >= 0x10000)) &&
         !(v >= 0xD800 && v <= 0xDFFF) && v <= 0x10FFFF;
    if (!ok) {
      bad_offset = i;
      char buf[64];
      std::snprintf(buf, sizeof buf, "invalid UTF-8 (byte 0x%02X)", c);
      message = buf;
      return false;
    }
    if (v != 0x85 && (v < 0xA0 || v == 0xFFFE || v == 0xFFFF)) {
      bad_offset = i;
      char buf[64];
      std::snprintf(buf, sizeof buf, "control character U+%04X is not allowed in YAML",
                    static_cast<unsigned>(v));
      message = buf;
      return false;
    }
    i += n;
  }
  return true;
}

// A character absent from `text`, also as a \u or \U escape, to stand in for
// ':' while libyaml reads (D2). Empty if none is free.
std::string FreePlaceholder(std::string_view text) {
  for (char32_t cp = 0xE000; cp < 0xE100; ++cp) {
    char utf8[4] = {static_cast<char>(0xE0 | (cp >> 12)),
                    static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                    static_cast<char>(0x80 | (cp & 0x3F)), 0};
    char hex_lower[8], hex_upper[8];
    std::snprintf(hex_lower, sizeof hex_lower, "%04x", static_cast<unsigned>(cp));
    std::snprintf(hex_upper, sizeof hex_upper, "%04X", static_cast<unsigned>(cp));
    if (text.find(utf8) == text.npos && text.find(hex_lower) == text.npos &&
        text.find(hex_upper) == text.npos) {
      return utf8;
    }
  }
  return {};
}

// An escape letter whose character no escape in `scalar` (a double-quoted
// scalar's source) can produce, to stand in for "\'" there (D4); '\0' if
// none is free. Control characters cannot appear unescaped in YAML.
char FreeEscape(std::string_view scalar) {
  struct Candidate {
    char letter;
    const char* hex;  // the code point as \x / \u / \U digits
  };
  static constexpr Candidate kCandidates[] = {{'a', "07"}, {'b', "08"}, {'v', "0b"},
                                              {'f', "0c"}, {'e', "1b"}, {'0', "00"}};
  std::string lower(scalar);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  for (const Candidate& c : kCandidates) {
    std::string escape = std::string("\\") + c.letter;
    std::string x = std::string("\\x") + c.hex;
    std::string u = std::string("\\u00") + c.hex;
    std::string big_u = std::string("\\u000000") + c.hex;
    if (scalar.find(escape) == scalar.npos && lower.find(x) == lower.npos &&
        lower.find(u) == lower.npos && lower.find(big_u) == lower.npos) {
      return c.letter;
    }
  }
  return '\0';
}

char EscapedChar(char letter) {
  switch (letter) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'v':
      return '\v';
    case 'f':
      return '\f';
    case 'e':
      return '\x1b';
    default:
      return '\0';
  }
}

// The end (past the closing quote) of the double-quoted scalar whose opening
// quote is at `i`.
size_t DoubleQuotedEnd(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return text.size();
}

// The same value (sharing any children) at another position.
Node AtPosition(const Node& n, Position p) {
  switch (n.type()) {
    case NodeType::kNull:
      return Node::Null(p);
    case NodeType::kBool:
      return Node::Bool(n.bool_value(), p);
    case NodeType::kInt:
      return Node::Int(n.int_value(), p);
    case NodeType::kFloat:
      return Node::Float(n.float_value(), p);
    case NodeType::kString:
      return Node::String(n.string_value(), p);
    case NodeType::kSequence:
      return Node::Sequence(n.items().data(), n.size(), p);
    case NodeType::kMapping:
      return Node::Mapping(n.members().data(), n.size(), p);
  }
  return n;
}

// go-yaml's allowedAliasRatio.
double AllowedAliasRatio(size_t decode_count) {
  constexpr double kLow = 400000, kHigh = 4000000;
  if (decode_count <= kLow) return 0.99;
  if (decode_count >= kHigh) return 0.10;
  return 0.99 - 0.89 * ((static_cast<double>(decode_count) - kLow) / (kHigh - kLow));
}

// Key identity as Go compares interface{} map keys: type and value. Two keys
// with the same JSON spelling but different identities (1 and "1") are a
// collision Kubernetes resolves at random.
std::string KeyIdentity(const Node& key, bool unsigned_integer) {
  switch (key.type()) {
    case NodeType::kString:
      return "s" + std::string(key.string_value());
    case NodeType::kInt:
      return "i" + std::to_string(key.int_value());
    case NodeType::kFloat: {
      if (std::isnan(key.float_value())) return "N";  // NaN equals nothing
      double f = key.float_value() == 0 ? 0.0 : key.float_value();
      char buf[40];
      std::snprintf(buf, sizeof buf, "%c%a", unsigned_integer ? 'u' : 'f', f);
      return buf;
    }
    case NodeType::kBool:
      return key.bool_value() ? "b1" : "b0";
    default:
      return "";
  }
}

struct Frame {
  bool mapping = false;
  bool flow = false;
  Position pos;
  size_t offset = 0;  // of its start in the text
  size_t first = 0;   // first child in the scratch stacks
  std::string anchor;
  uint64_t id = 0;
  size_t decode_start = 0;  // decode count before this node
  uint32_t height = 0;      // of the tallest child
  // Mapping state: the pending key.
  bool have_key = false;
  bool key_is_merge = false;
  Node key;
  std::string key_id;
  // This mapping is a merge source (value of `<<`, an item of a merge
  // sequence, or anchored): keep its key identities.
  bool keep_ids = false;
  bool merge_value = false;     // the value of a `<<` key
  bool merge_sequence = false;  // a sequence that is the value of `<<`
  size_t keys = 0;              // keys read so far (mappings)
  bool empty_flow_key = false;  // D8 candidate: nothing but implicit empty nodes so far
  std::unique_ptr<std::unordered_map<std::string_view, size_t>> index;  // key -> member
};

struct Anchored {
  uint64_t pending_frame = 0;  // non-zero while the anchored collection is being read
  Node node;
  size_t weight = 1;  // go-yaml decode calls to read it once
  uint32_t height = 0;
  bool unsigned_integer = false;
};

struct MergeSource {
  std::vector<std::string> ids;
  uint32_t height = 0;
};

// The stand-ins of one reading (D2, D4).
struct Substitutions {
  std::string colon;  // UTF-8 of the character standing in for ':'
  // Double-quoted scalars (by the offset of their opening quote) whose "\'"
  // escapes were replaced by "\<letter>".
  std::vector<std::pair<size_t, char>> quote_escapes;
  size_t count = 0;
};

class TreeBuilder {
 public:
  TreeBuilder(const YamlChunk& chunk, std::string_view text, const Substitutions& subs,
              const DecodeLimits& limits, Document& doc)
      : chunk_(chunk), text_(text), marks_(text), subs_(subs), limits_(limits), doc_(doc) {}

  enum class Outcome { kOk, kError, kRetry };
  Outcome Run(bool& empty, Diagnostic& error);
  // For kRetry: what to change in the text before reading it again.
  enum class Fix { kColon, kQuoteEscape, kTag };
  Fix fix() const { return fix_; }
  size_t fix_offset() const { return fix_offset_; }

 private:
  Position At(const yaml_mark_t& m) const {
    return {static_cast<uint32_t>(chunk_.first_line + m.line), static_cast<uint32_t>(m.column + 1)};
  }
  bool Fail(Position p, std::string message) {
    error_->position = p;
    error_->message = std::move(message);
    return false;
  }
  bool InFlow() const { return !frames_.empty() && frames_.back().flow; }
  bool CountDecodes(size_t decodes, size_t aliased, Position p);
  bool Scalar(const yaml_event_t& ev, Position pos);
  bool Alias(const yaml_event_t& ev, Position pos);
  bool StartCollection(const yaml_event_t& ev, Position pos);
  bool EndCollection();
  bool PlaceKey(const Node& key, bool unsigned_integer, Position p);
  bool PlaceValue(const Node& value, uint32_t height, Position p);
  bool AddMember(const Node& key, std::string id, const Node& value, Position p, bool from_merge);
  bool Merge(const Node& source, Position p);
  std::string RestoreValue(std::string_view text, yaml_scalar_style_t style, size_t start) const;
  bool CheckVersionDirective(const yaml_event_t& ev);
  bool CheckFlowTag(const yaml_event_t& ev, Position pos, std::string_view tag);
  bool RequestFix(Fix fix, size_t offset) {
    fix_ = fix;
    fix_offset_ = offset;
    retry_ = true;
    return false;
  }
  void NotEmptyFlowKey() {
    if (!frames_.empty()) frames_.back().empty_flow_key = false;
  }

  const YamlChunk& chunk_;
  std::string_view text_;
  MarkIndex marks_;
  const Substitutions& subs_;
  const DecodeLimits& limits_;
  Document& doc_;
  Diagnostic* error_ = nullptr;
  std::vector<Frame> frames_;
  std::vector<Node> items_;
  std::vector<Member> members_;
  std::vector<std::string> member_ids_;  // parallel to members_
  std::unordered_map<std::string, Anchored> anchors_;
  std::unordered_map<const Member*, MergeSource> merge_sources_;
  uint64_t next_frame_id_ = 1;
  size_t decode_count_ = 0;
  size_t alias_count_ = 0;
  bool have_root_ = false;
  Fix fix_ = Fix::kColon;
  size_t fix_offset_ = 0;
  // D8: the root's first key is an empty flow collection written as an
  // implicit key; go-yaml takes that collection as the whole document.
  bool retry_ = false;
  bool stop_ = false;
  size_t root_start_ = std::string_view::npos;  // where the root node starts
  size_t root_end_ = std::string_view::npos;    // where it ends, once read
};

// Lookahead: once the root node is read, the parser asks for one more token
// to see the document end, and the scanner reads on while that token (or the
// root itself, if still a candidate) could start an implicit key: to the end
// of the next token's line. When that token opens a flow collection holding
// no node ("[]", "{ , }"), go-yaml's simple-key bookkeeping drops the key as
// the collection closes (see D8) and stops there, where libyaml reads on: an
// error libyaml finds after that point is one Kubernetes never sees.
bool GoYamlStopsBefore(std::string_view text, size_t root_end, size_t error_at) {
  size_t i = root_end;
  auto skip_blanks = [&](bool flow) {
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '#') {
        while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
      } else if (flow && (c == ',' || c == '?' || c == ':')) {
        ++i;
      } else if (flow && c == '-' && i + 1 < text.size() &&
                 (text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\r' ||
                  text[i + 1] == '\n')) {
        ++i;
      } else {
        break;
      }
    }
  };
  skip_blanks(false);
  if (i >= text.size() || (text[i] != '[' && text[i] != '{')) return false;
  ++i;
  skip_blanks(true);
  if (i >= text.size() || (text[i] != ']' && text[i] != '}')) return false;
  return i < error_at;
}

// D3: a tag directly followed by ',' inside a flow collection. go-yaml reads
// the ',' (and any '[', ']' up to the next other character) as part of the
// tag: read again with those characters replaced by '~' (an unknown tag
// stays unknown, and only known tags change how a value reads). A verbatim
// tag `!<...>` followed by ',' is an error for go-yaml.
bool TreeBuilder::CheckFlowTag(const yaml_event_t& ev, Position pos, std::string_view tag) {
  size_t at = FindTag(text_, marks_.Offset(ev.start_mark));
  if (at == std::string_view::npos) return true;
  size_t end = TagEnd(text_, at, false);
  if (end >= text_.size() || text_[end] != ',') return true;
  if (text_[at + 1] == '<') {
    return Fail(pos, "tag " + std::string(tag) +
                         " must be followed by a space or a line break (Kubernetes' YAML parser "
                         "rejects the ',')");
  }
  return RequestFix(Fix::kTag, at);
}

// go-yaml counts one "decode" per node it unmarshals (an alias re-reads its
// whole anchored node) and fails when too many of them come from aliases.
bool TreeBuilder::CountDecodes(size_t decodes, size_t aliased, Position p) {
  decode_count_ += decodes;
  alias_count_ += aliased;
  if (alias_count_ > 100 && decode_count_ > 1000 &&
      static_cast<double>(alias_count_) / static_cast<double>(decode_count_) >
          AllowedAliasRatio(decode_count_)) {
    return Fail(p, "document contains excessive aliasing: " + std::to_string(alias_count_) +
                       " of its first " + std::to_string(decode_count_) +
                       " nodes come from aliases (alias bomb?); Kubernetes rejects it too");
  }
  if (decode_count_ > limits_.max_expanded_nodes) {
    return Fail(p, "document expands to more than " + std::to_string(limits_.max_expanded_nodes) +
                       " nodes through aliases (alias bomb?)");
  }
  return true;
}

std::string TreeBuilder::RestoreValue(std::string_view text, yaml_scalar_style_t style,
                                      size_t start) const {
  std::string out(text);
  if (subs_.count == 0) return out;
  if (!subs_.colon.empty() && style == YAML_PLAIN_SCALAR_STYLE) {
    for (size_t at = out.find(subs_.colon); at != std::string::npos;
         at = out.find(subs_.colon, at + 1)) {
      out.replace(at, subs_.colon.size(), ":");
    }
  }
  if (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
    size_t quote = text_.find('"', start);
    for (const auto& [at, letter] : subs_.quote_escapes) {
      if (at == quote) std::replace(out.begin(), out.end(), EscapedChar(letter), '\'');
    }
  }
  return out;
}

bool TreeBuilder::AddMember(const Node& key, std::string id, const Node& value, Position p,
                            bool from_merge) {
  Frame& f = frames_.back();
  std::string_view k = key.string_value();
  size_t found = SIZE_MAX;
  if (f.index) {
    auto it = f.index->find(k);
    if (it != f.index->end()) found = it->second;
  } else {
    for (size_t i = f.first; i < members_.size(); ++i) {
      if (members_[i].key_string() == k) {
        found = i;
        break;
      }
    }
  }
  if (found != SIZE_MAX) {
    const Member& first = members_[found];
    std::string where = "line " + std::to_string(first.key.position().line) + ", column " +
                        std::to_string(first.key.position().column);
    std::string shown(k.substr(0, 80));
    bool same = id == member_ids_[found] && id != "N";
    if (same) {
      return Fail(p, std::string(from_merge ? "merge (<<) sets key \"" : "duplicate key \"") +
                         shown + (from_merge ? "\" again" : "\"") + " (first defined at " + where +
                         ")");
    }
    return Fail(p, "key \"" + shown + "\" is written twice in different forms (first at " + where +
                       "), e.g. 1 and \"1\"; Kubernetes would keep either value at random");
  }
  members_.push_back(Member{key, value});
  member_ids_.push_back(std::move(id));
  size_t count = members_.size() - f.first;
  if (!f.index && count > 16) {
    f.index = std::make_unique<std::unordered_map<std::string_view, size_t>>();
    for (size_t i = f.first; i < members_.size(); ++i) {
      f.index->emplace(members_[i].key_string(), i);
    }
  } else if (f.index) {
    f.index->emplace(members_.back().key_string(), members_.size() - 1);
  }
  return true;
}

bool TreeBuilder::Merge(const Node& source, Position p) {
  auto fail = [&] { return Fail(p, "map merge requires map or sequence of maps as the value"); };
  if (!source.IsMapping()) return fail();
  auto members = source.members();
  if (members.empty()) return true;
  auto it = merge_sources_.find(members.data());
  Frame& f = frames_.back();
  if (it != merge_sources_.end()) f.height = std::max(f.height, it->second.height);
  for (size_t i = 0; i < members.size(); ++i) {
    std::string id =
        it != merge_sources_.end() ? it->second.ids[i] : "s" + std::string(members[i].key_string());
    if (!AddMember(members[i].key, std::move(id), members[i].value, p, true)) return false;
  }
  return true;
}

// A key scalar (or an alias used as a key) becomes a JSON object key.
bool TreeBuilder::PlaceKey(const Node& key, bool unsigned_integer, Position p) {
  Frame& f = frames_.back();
  ++f.keys;
  f.have_key = true;
  f.key_is_merge = false;
  f.key_id = KeyIdentity(key, unsigned_integer);
  switch (key.type()) {
    case NodeType::kString:
      f.key = key;
      return true;
    case NodeType::kBool:
      f.key = Node::String(key.bool_value() ? "true" : "false", key.position());
      return true;
    case NodeType::kInt:
      f.key = Node::String(doc_.CopyString(FormatIntKey(key.int_value())), key.position());
      return true;
    case NodeType::kFloat:
      if (unsigned_integer) {
        return Fail(p, "integer key above 9223372036854775807: Kubernetes cannot use it as a key");
      }
      f.key = Node::String(doc_.CopyString(FormatFloatKey(key.float_value())), key.position());
      return true;
    case NodeType::kNull:
      return Fail(p, "null mapping key: Kubernetes cannot use it as a key");
    default:
      return Fail(p, "a mapping or sequence cannot be a mapping key");
  }
}

bool TreeBuilder::PlaceValue(const Node& n, uint32_t height, Position p) {
  if (frames_.empty()) {
    doc_.set_root(n);
    have_root_ = true;
    return true;
  }
  Frame& f = frames_.back();
  f.height = std::max(f.height, height);
  if (!f.mapping) {
    if (f.merge_sequence && !n.IsMapping()) {
      return Fail(p, "map merge requires map or sequence of maps as the value");
    }
    items_.push_back(n);
    return true;
  }
  if (!f.have_key) {
    // A collection in key position (scalars and aliases go through PlaceKey).
    return Fail(p, "a mapping or sequence cannot be a mapping key");
  }
  f.have_key = false;
  if (f.key_is_merge) return Merge(n, p);
  return AddMember(f.key, std::move(f.key_id), n, p, false);
}

bool TreeBuilder::Scalar(const yaml_event_t& ev, Position pos) {
  const auto& s = ev.data.scalar;
  std::string_view raw(reinterpret_cast<const char*>(s.value), s.length);
  if (raw.size() > limits_.max_scalar_bytes) {
    return Fail(pos, "scalar of " + std::to_string(raw.size()) + " bytes exceeds the limit of " +
                         std::to_string(limits_.max_scalar_bytes));
  }
  std::string restored;
  std::string_view value = raw;
  if (subs_.count > 0) {
    restored = RestoreValue(raw, s.style, marks_.Offset(ev.start_mark));
    value = restored;
  }
  std::string_view tag = s.tag ? reinterpret_cast<const char*>(s.tag) : "";
  if (InFlow()) {
    if (s.style == YAML_PLAIN_SCALAR_STYLE && value.find('?') != std::string::npos) {  // D1
      return Fail(pos, "plain scalar \"" + std::string(value.substr(0, 64)) +
                           "\" contains '?' inside a flow collection: Kubernetes' YAML parser "
                           "ends it there and rejects the document (quote the value)");
    }
    if (s.tag && !CheckFlowTag(ev, pos, tag)) return false;  // D3
    if (!(value.empty() && s.style == YAML_PLAIN_SCALAR_STYLE && !s.tag && !s.anchor)) {
      NotEmptyFlowKey();
    }
  }
  if (s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && raw.find('/') != std::string_view::npos &&
      HasSlashEscape(text_, marks_.Offset(ev.start_mark))) {  // D5
    return Fail(pos,
                "escape \"\\/\" in a double-quoted scalar: Kubernetes' YAML parser rejects it "
                "(write \"/\")");
  }

  bool in_key_position = !frames_.empty() && frames_.back().mapping && !frames_.back().have_key;
  if (in_key_position && value == "<<" && (s.plain_implicit || IsMergeTag(tag))) {
    // A merge key is not decoded by itself.
    Frame& f = frames_.back();
    ++f.keys;
    f.have_key = true;
    f.key_is_merge = true;
    if (s.anchor) {
      anchors_[reinterpret_cast<const char*>(s.anchor)] =
          Anchored{0, Node::String("<<", pos), 1, 0};
    }
    return true;
  }
  if (!CountDecodes(1, 0, pos)) return false;

  ResolvedScalar r;
  if (s.tag) {
    r = ResolveTagged(tag, value);
    if (!r.error.empty()) return Fail(pos, r.error);
  } else if (s.plain_implicit) {
    r = ResolvePlain(value);
  }
  Node n;
  switch (r.type) {
    case NodeType::kNull:
      n = Node::Null(pos);
      break;
    case NodeType::kBool:
      n = Node::Bool(r.b, pos);
      break;
    case NodeType::kInt:
      n = Node::Int(r.i, pos);
      break;
    case NodeType::kFloat:
      n = Node::Float(r.f, pos);
      break;
    default: {
      std::string_view text = r.binary ? std::string_view(r.decoded) : std::string_view(value);
      std::string coerced;
      if (CoerceToUtf8(text, coerced)) text = coerced;
      n = Node::String(doc_.CopyString(text), pos);
      break;
    }
  }
  if (s.anchor) {
    anchors_[reinterpret_cast<const char*>(s.anchor)] = Anchored{0, n, 1, 0, r.unsigned_integer};
  }
  if (in_key_position) return PlaceKey(n, r.unsigned_integer, pos);
  if (n.type() == NodeType::kFloat && !std::isfinite(n.float_value())) {
    return Fail(pos, "value " + std::string(value) +
                         " is not a finite number: Kubernetes cannot turn it into JSON and "
                         "rejects the document");
  }
  return PlaceValue(n, 0, pos);
}

bool TreeBuilder::Alias(const yaml_event_t& ev, Position pos) {
  std::string name(reinterpret_cast<const char*>(ev.data.alias.anchor));
  NotEmptyFlowKey();
  auto it = anchors_.find(name);
  if (it == anchors_.end()) return Fail(pos, "unknown anchor '" + name + "' referenced");
  const Anchored& a = it->second;
  if (a.pending_frame != 0) return Fail(pos, "anchor '" + name + "' value contains itself");
  if (frames_.size() + a.height > limits_.max_depth) {
    return Fail(pos, "alias *" + name + " nests deeper than " + std::to_string(limits_.max_depth) +
                         " levels");
  }
  // A shallow copy of the anchored node, placed where the alias is written.
  Node n = AtPosition(a.node, pos);
  uint32_t height = a.height;
  bool unsigned_integer = a.unsigned_integer;
  // The alias node itself, then its anchored node re-read as aliased.
  if (!CountDecodes(1 + a.weight, a.weight, pos)) return false;
  bool in_key_position = !frames_.empty() && frames_.back().mapping && !frames_.back().have_key;
  if (in_key_position) {
    if (!n.IsScalar()) return Fail(pos, "a mapping or sequence cannot be a mapping key");
    return PlaceKey(n, unsigned_integer, pos);
  }
  if (n.type() == NodeType::kFloat && !std::isfinite(n.float_value())) {
    return Fail(pos, "alias *" + name +
                         " is not a finite number: Kubernetes cannot turn it into "
                         "JSON and rejects the document");
  }
  return PlaceValue(n, height, pos);
}

bool TreeBuilder::StartCollection(const yaml_event_t& ev, Position pos) {
  bool mapping = ev.type == YAML_MAPPING_START_EVENT;
  if (frames_.size() >= limits_.max_depth) {
    return Fail(pos, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
  }
  const yaml_char_t* tag = mapping ? ev.data.mapping_start.tag : ev.data.sequence_start.tag;
  if (tag != nullptr && InFlow() &&
      !CheckFlowTag(ev, pos, reinterpret_cast<const char*>(tag))) {  // D3
    return false;
  }
  NotEmptyFlowKey();
  Frame f;
  f.mapping = mapping;
  f.flow = mapping ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                   : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
  f.pos = pos;
  f.offset = marks_.Offset(ev.start_mark);
  f.first = mapping ? members_.size() : items_.size();
  f.id = next_frame_id_++;
  f.decode_start = decode_count_;
  const yaml_char_t* anchor =
      mapping ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
  if (!frames_.empty()) {
    Frame& parent = frames_.back();
    if (parent.mapping && parent.key_is_merge) {
      f.merge_value = true;
      f.merge_sequence = !mapping;
    }
    if (parent.merge_sequence && !mapping) {
      return Fail(pos, "map merge requires map or sequence of maps as the value");
    }
    f.keep_ids = mapping && (f.merge_value || parent.merge_sequence);
    // D8: go-yaml loses track of the implicit key that an empty flow
    // collection starts (its simple-key bookkeeping deletes the key's entry
    // when the collection holds no node), hands the collection to the parser
    // as a plain node, and so reads `[]: v` or `{}: v` at the start of a
    // document as just [] or {}, ignoring everything after it. A property on
    // the key (`&a []: v`) keeps the key intact.
    f.empty_flow_key = frames_.size() == 1 && parent.mapping && !parent.flow && parent.keys == 0 &&
                       anchor == nullptr && tag == nullptr &&
                       (mapping ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
    // The key must be implicit: nothing but the mapping's own properties
    // before it (no '?').
    f.empty_flow_key =
        f.empty_flow_key && SkipProperties(text_, parent.offset) == marks_.Offset(ev.start_mark);
    if (parent.mapping && !parent.have_key && !f.empty_flow_key) {
      return Fail(pos, "a mapping or sequence cannot be a mapping key");
    }
  }
  if (anchor != nullptr) {
    f.anchor = reinterpret_cast<const char*>(anchor);
    f.keep_ids = f.keep_ids || mapping;
    anchors_[f.anchor] = Anchored{f.id, Node(), 1, 0};
  }
  // go-yaml does not decode a merge sequence as a node, only its items.
  if (!f.merge_sequence && !CountDecodes(1, 0, pos)) return false;
  frames_.push_back(std::move(f));
  return true;
}

bool TreeBuilder::EndCollection() {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  Node n;
  uint32_t height = f.height + 1;
  if (f.mapping) {
    size_t count = members_.size() - f.first;
    Member* dst = nullptr;
    if (count > 0) {
      dst = static_cast<Member*>(doc_.arena()->allocate(count * sizeof(Member), alignof(Member)));
      std::uninitialized_copy(members_.begin() + f.first, members_.end(), dst);
      if (f.keep_ids) {
        MergeSource& source = merge_sources_[dst];
        source.ids.assign(std::make_move_iterator(member_ids_.begin() + f.first),
                          std::make_move_iterator(member_ids_.end()));
        source.height = height;
      }
    }
    members_.resize(f.first);
    member_ids_.resize(f.first);
    n = Node::Mapping(dst, static_cast<uint32_t>(count), f.pos);
  } else {
    size_t count = items_.size() - f.first;
    Node* dst = nullptr;
    if (count > 0) {
      dst = static_cast<Node*>(doc_.arena()->allocate(count * sizeof(Node), alignof(Node)));
      std::uninitialized_copy(items_.begin() + f.first, items_.end(), dst);
    }
    items_.resize(f.first);
    n = Node::Sequence(dst, static_cast<uint32_t>(count), f.pos);
  }
  if (!f.anchor.empty()) {
    auto it = anchors_.find(f.anchor);
    // Unless the anchor was redefined inside the node, it now names it.
    if (it != anchors_.end() && it->second.pending_frame == f.id) {
      it->second = Anchored{0, n, decode_count_ - f.decode_start, height};
    }
  }
  if (f.empty_flow_key) {  // D8
    doc_.set_root(n);
    have_root_ = true;
    stop_ = true;
    return true;
  }
  if (f.merge_sequence) {
    // go-yaml merges the mappings last to first (earlier ones win). With
    // every repeated key an error, the order only decides which one is
    // reported; merging first to last keeps the document's key order.
    auto items = n.items();
    if (frames_.empty() || !frames_.back().mapping) {
      return Fail(f.pos, "map merge requires map or sequence of maps as the value");
    }
    Frame& parent = frames_.back();
    parent.have_key = false;
    for (const Node& item : items) {
      if (!Merge(item, f.pos)) return false;
    }
    return true;
  }
  return PlaceValue(n, height, f.pos);
}

bool TreeBuilder::CheckVersionDirective(const yaml_event_t& ev) {
  // D6: go-yaml reads at most two digits per version number, and only 1.1.
  size_t at = marks_.Offset(ev.start_mark);
  if (text_.substr(at, 5) != "%YAML") return true;
  size_t i = at + 5;
  while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
  for (int part = 0; part < 2; ++part) {
    size_t start = i;
    while (i < text_.size() && text_[i] >= '0' && text_[i] <= '9') ++i;
    if (i - start > 2) {
      return Fail(At(ev.start_mark), "found extremely long version number in %YAML directive");
    }
    if (part == 0 && i < text_.size() && text_[i] == '.') ++i;
  }
  return true;
}

std::string LibyamlProblem(const yaml_parser_t& p, uint32_t first_line) {
  std::string msg = p.problem ? p.problem : "invalid YAML";
  if (p.context) {
    msg += " (";
    msg += p.context;
    if (p.context_mark.line != p.problem_mark.line ||
        p.context_mark.column != p.problem_mark.column) {
      msg += " that started at line " + std::to_string(first_line + p.context_mark.line) +
             ", column " + std::to_string(p.context_mark.column + 1);
    }
    msg += ")";
  }
  return msg;
}

TreeBuilder::Outcome TreeBuilder::Run(bool& empty, Diagnostic& error) {
  error_ = &error;
  empty = true;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    Fail({}, "out of memory initialising the YAML parser");
    return Outcome::kError;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()),
                               text_.size());
  Outcome outcome = Outcome::kOk;
  bool done = false;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      std::string_view problem = parser.problem ? parser.problem : "";
      std::string_view context = parser.context ? parser.context : "";
      size_t at = marks_.Offset(parser.problem_mark);
      if (problem == "found unexpected ':'" && at < text_.size() && text_[at] == ':') {
        RequestFix(Fix::kColon, at);  // D2
        outcome = Outcome::kRetry;
      } else if (problem == "found unknown escape character" && at + 1 < text_.size() &&
                 text_[at] == '\\' && text_[at + 1] == '\'') {
        RequestFix(Fix::kQuoteEscape, marks_.Offset(parser.context_mark));  // D4
        outcome = Outcome::kRetry;
      } else if (((context == "while scanning a tag" &&
                   problem == "did not find expected whitespace or line break") ||
                  (context == "while parsing a tag" &&
                   problem == "did not find expected tag URI")) &&
                 at < text_.size() && (text_[at] == ',' || text_[at] == '[' || text_[at] == ']')) {
        RequestFix(Fix::kTag, marks_.Offset(parser.context_mark));  // D3
        outcome = Outcome::kRetry;
      } else if (have_root_ && frames_.empty() && root_end_ != std::string_view::npos &&
                 (GoYamlStopsBefore(text_, root_start_, at) ||
                  GoYamlStopsBefore(text_, root_end_, at))) {
        outcome = Outcome::kOk;  // an error Kubernetes' parser never reaches
      } else {
        Fail(At(parser.problem_mark), LibyamlProblem(parser, chunk_.first_line));
        outcome = Outcome::kError;
      }
      break;
    }
    Position pos = At(ev.start_mark);
    bool ok = true;
    if (frames_.empty() && !have_root_ && root_start_ == std::string_view::npos &&
        (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT ||
         ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)) {
      root_start_ = marks_.Offset(ev.start_mark);
    }
    switch (ev.type) {
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        if (ev.data.document_start.version_directive != nullptr) {
          const auto* v = ev.data.document_start.version_directive;
          ok = CheckVersionDirective(ev);
          if (ok && (v->major != 1 || v->minor != 1)) {
            ok = Fail(pos, "found incompatible YAML document (only %YAML 1.1 is accepted)");
          }
        }
        ok = ok && CountDecodes(1, 0, pos);  // the document node
        break;
      case YAML_DOCUMENT_END_EVENT:
        // sigs.k8s.io/yaml reads the first document of what it is given; the
        // token after it (read to find the document's end) may be a directive.
        if (ev.data.document_end.implicit) ok = CheckVersionDirective(ev);
        done = true;
        break;
      case YAML_ALIAS_EVENT:
        empty = false;
        ok = Alias(ev, pos);
        break;
      case YAML_SCALAR_EVENT:
        empty = false;
        ok = Scalar(ev, pos);
        break;
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT:
        empty = false;
        ok = StartCollection(ev, pos);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        ok = EndCollection();
        break;
      default:
        break;
    }
    if (ok && have_root_ && frames_.empty() && root_end_ == std::string_view::npos) {
      root_end_ = marks_.Offset(ev.end_mark);
    }
    yaml_event_delete(&ev);
    if (!ok) {
      outcome = retry_ ? Outcome::kRetry : Outcome::kError;
      break;
    }
    if (stop_) break;
  }
  yaml_parser_delete(&parser);
  if (outcome == Outcome::kOk && (!have_root_ || doc_.root().IsNull())) empty = true;
  return outcome;
}

}  // namespace

bool DecodeYamlChunk(const YamlChunk& chunk, const DecodeLimits& limits, Document& out, bool& empty,
                     Diagnostic& error) {
  empty = false;
  if (!chunk.separator_error.empty()) {
    error.position = chunk.separator_position;
    error.message = "invalid document separator: \"" +
                    std::string(chunk.separator_error.substr(0, 64)) +
                    "\" after \"---\" (only spaces or a comment may follow it; kubectl rejects "
                    "the document this line ends)";
    return false;
  }
  std::string_view original = chunk.text;
  // UTF-16 streams (a UTF-16 byte-order mark) are left to libyaml's reader.
  bool utf16 = original.substr(0, 2) == "\xFF\xFE" || original.substr(0, 2) == "\xFE\xFF";
  size_t bad = 0;
  std::string problem;
  if (!utf16 && !ValidateCharacters(original, bad, problem)) {
    LineIndex lines(original);
    Position p = lines.At(bad);
    p.line += chunk.first_line - 1;
    error.position = p;
    error.message = problem;
    return false;
  }

  std::string text;  // a copy, once a stand-in is needed (D2, D4)
  Substitutions subs;
  for (;;) {
    std::string_view current = subs.count == 0 ? original : std::string_view(text);
    Document attempt(out.shared_file(), out.index(), out.start(), out.shared_arena());
    TreeBuilder builder(chunk, current, subs, limits, attempt);
    TreeBuilder::Outcome outcome = builder.Run(empty, error);
    if (outcome == TreeBuilder::Outcome::kOk) {
      out = std::move(attempt);
      return true;
    }
    if (outcome == TreeBuilder::Outcome::kError) return false;
    if (subs.count == 0) text = std::string(original);
    if (++subs.count > kMaxRereads) {
      error.position = {};
      error.message =
          "too many plain scalars with ':' before a flow indicator or \"\\'\" escapes "
          "to read this document";
      return false;
    }
    size_t at = builder.fix_offset();
    switch (builder.fix()) {
      case TreeBuilder::Fix::kColon:
        if (subs.colon.empty()) subs.colon = FreePlaceholder(original);
        if (subs.colon.empty()) {
          error.message = "cannot read a plain scalar with ':' before a flow indicator here";
          return false;
        }
        text.replace(at, 1, subs.colon);
        for (auto& fix : subs.quote_escapes) {
          if (fix.first > at) fix.first += subs.colon.size() - 1;
        }
        break;
      case TreeBuilder::Fix::kQuoteEscape: {
        // Every "\'" of this scalar at once, with an escape it does not use.
        size_t end = DoubleQuotedEnd(text, at);
        char letter = FreeEscape(std::string_view(text).substr(at, end - at));
        if (letter == '\0') {
          error.message = "cannot read the \"\\'\" escape in this string";
          return false;
        }
        for (size_t i = at + 1; i + 1 < end; ++i) {
          if (text[i] != '\\') continue;
          if (text[i + 1] == '\'') text[i + 1] = letter;
          ++i;
        }
        subs.quote_escapes.emplace_back(at, letter);
        break;
      }
      case TreeBuilder::Fix::kTag:
        for (size_t i = at, end = TagEnd(text, at, true); i < end; ++i) {
          if (text[i] == ',' || text[i] == '[' || text[i] == ']') text[i] = '~';
        }
        break;
    }
  }
}

}  // namespace kspm::core
