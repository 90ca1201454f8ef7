// JSON streams read as kubectl reads a source whose first character is '{':
// Go's encoding/json Decoder, one value after another (whitespace between
// them optional), numbers as the API machinery converts them (an integer
// literal that fits int64 is an integer, anything else a float64).
//
// Go's rules kept exactly: whitespace is only space, tab, CR and LF; invalid
// UTF-8 in a string and lone \u surrogates become U+FFFD; control characters
// in strings are errors; `\/` is a slash; numbers follow the JSON grammar
// (no leading zeros, no '+', no bare '.').
// Deliberate differences: a duplicate key is an error (as kspm treats YAML;
// encoding/json keeps the last value); nesting is bounded by
// DecodeLimits::max_depth (Go allows 10000) and strings by max_scalar_bytes;
// a number beyond float64's range is an error (as it is when Kubernetes
// converts it).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/decode.h"
#include "core/scalar.h"

namespace kspm::core {
namespace {

// Go's quoting of a character in scanner errors: 'x', or '\n' and friends.
std::string Quote(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  char buf[16];
  switch (c) {
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    default:
      std::snprintf(buf, sizeof buf, "'\\x%02x'", u);
      return buf;
  }
}

// Line and column of byte offsets asked for in increasing order, in linear
// time overall (a minified document is one long line); an earlier offset is
// located from the start of its line.
class Locator {
 public:
  Locator(std::string_view text, const LineIndex& lines) : text_(text), lines_(lines) {}
  Position At(size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < offset_) return lines_.At(offset);
    for (; offset_ < offset; ++offset_) {
      unsigned char c = static_cast<unsigned char>(text_[offset_]);
      if (c == '\n') {
        ++pos_.line;
        pos_.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++pos_.column;
      }
    }
    return pos_;
  }

 private:
  std::string_view text_;
  const LineIndex& lines_;
  size_t offset_ = 0;
  Position pos_{1, 1};
};

struct Frame {
  bool object = false;
  Position pos;
  size_t first = 0;
  std::unique_ptr<std::unordered_map<std::string_view, size_t>> index;
};

class JsonReader {
 public:
  JsonReader(std::string_view text, const LineIndex& lines, const DecodeLimits& limits)
      : text_(text), lines_(text, lines), limits_(limits) {}

  size_t pos() const { return pos_; }
  Position position() { return lines_.At(pos_); }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\n')) {
      ++pos_;
    }
  }
  bool AtEnd() const { return pos_ >= text_.size(); }

  // Reads one value into `doc`. On failure, error() and error_position().
  bool ReadDocument(Document& doc);
  const std::string& error() const { return error_; }
  Position error_position() const { return error_pos_; }

 private:
  bool Fail(size_t offset, std::string message) {
    error_pos_ = lines_.At(offset);
    error_ = std::move(message);
    return false;
  }
  bool FailAt(size_t offset, const char* context) {
    if (offset >= text_.size()) return Fail(offset, "unexpected end of JSON input");
    return Fail(offset, "invalid character " + Quote(text_[offset]) + " " + context);
  }
  bool ReadString(std::string& out);
  bool ReadNumber(Node& out);
  bool ReadLiteral(std::string_view word, size_t start);
  bool Place(const Node& n);

  std::string_view text_;
  Locator lines_;
  const DecodeLimits& limits_;
  size_t pos_ = 0;
  Document* doc_ = nullptr;
  std::vector<Frame> frames_;
  std::vector<Node> items_;
  std::vector<Member> members_;
  Node pending_key_;
  size_t nodes_ = 0;
  std::string error_;
  Position error_pos_;
};

bool JsonReader::ReadString(std::string& out) {
  size_t start = pos_;
  ++pos_;  // the opening quote
  out.clear();
  auto hex4 = [&](size_t at, uint32_t& v) {
    if (at + 4 > text_.size()) return false;
    v = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = text_[at + k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return true;
  };
  auto append_utf8 = [&](uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  };
  while (true) {
    if (pos_ >= text_.size())
      return Fail(pos_, "unexpected end of JSON input (unterminated string)");
    if (out.size() > limits_.max_scalar_bytes) {
      return Fail(start, "string exceeds the limit of " + std::to_string(limits_.max_scalar_bytes) +
                             " bytes");
    }
    char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      break;
    }
    if (static_cast<unsigned char>(c) < 0x20) return FailAt(pos_, "in string literal");
    if (c != '\\') {
      out.push_back(c);
      ++pos_;
      continue;
    }
    if (pos_ + 1 >= text_.size()) return Fail(pos_ + 1, "unexpected end of JSON input");
    char e = text_[pos_ + 1];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out.push_back(e);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp = 0;
        if (!hex4(pos_ + 2, cp)) {
          size_t bad = pos_ + 2;
          while (bad < text_.size() && bad < pos_ + 6 &&
                 std::isxdigit(static_cast<unsigned char>(text_[bad]))) {
            ++bad;
          }
          return FailAt(bad, "in \\u hexadecimal character escape");
        }
        pos_ += 6;
        if (cp >= 0xD800 && cp < 0xE000) {
          // A valid pair makes one character; anything else is U+FFFD.
          uint32_t low = 0;
          if (cp < 0xDC00 && pos_ + 1 < text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u' && hex4(pos_ + 2, low) && low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            pos_ += 6;
          } else {
            cp = 0xFFFD;
          }
        }
        append_utf8(cp);
        continue;
      }
      default:
        return FailAt(pos_ + 1, "in string escape code");
    }
    pos_ += 2;
  }
  std::string coerced;
  if (CoerceToUtf8(out, coerced)) out = std::move(coerced);
  return true;
}

bool JsonReader::ReadNumber(Node& out) {
  size_t start = pos_;
  auto digit = [&](size_t i) { return i < text_.size() && text_[i] >= '0' && text_[i] <= '9'; };
  size_t i = pos_;
  if (text_[i] == '-') ++i;
  if (!digit(i)) return FailAt(i, "in numeric literal");
  if (text_[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  bool integer = true;
  if (i < text_.size() && text_[i] == '.') {
    integer = false;
    ++i;
    if (!digit(i)) return FailAt(i, "after decimal point in numeric literal");
    while (digit(i)) ++i;
  }
  if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
    integer = false;
    ++i;
    if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) ++i;
    if (!digit(i)) return FailAt(i, "in exponent of numeric literal");
    while (digit(i)) ++i;
  }
  pos_ = i;
  std::string literal(text_.substr(start, i - start));
  Position p = lines_.At(start);
  if (integer) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(literal.c_str(), &end, 10);
    if (errno == 0 && end == literal.c_str() + literal.size()) {
      out = Node::Int(static_cast<int64_t>(v), p);
      return true;
    }
  }
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(literal.c_str(), &end);
  if (errno == ERANGE && std::isinf(d)) {
    return Fail(start, "number " + literal.substr(0, 40) + " is out of range");
  }
  out = Node::Float(d, p);
  return true;
}

bool JsonReader::ReadLiteral(std::string_view word, size_t start) {
  for (size_t k = 0; k < word.size(); ++k) {
    if (start + k >= text_.size() || text_[start + k] != word[k]) {
      return FailAt(start + k,
                    ("in literal " + std::string(word) + " (expecting '" + word[k] + "')").c_str());
    }
  }
  pos_ = start + word.size();
  return true;
}

bool JsonReader::Place(const Node& n) {
  if (frames_.empty()) {
    doc_->set_root(n);
    return true;
  }
  Frame& f = frames_.back();
  if (!f.object) {
    items_.push_back(n);
    return true;
  }
  members_.push_back(Member{pending_key_, n});
  return true;
}

// The value grammar, iterative so that nesting never grows the C++ stack.
bool JsonReader::ReadDocument(Document& doc) {
  doc_ = &doc;
  frames_.clear();
  items_.clear();
  members_.clear();
  nodes_ = 0;
  enum class Want { kValue, kKeyOrEnd, kKey, kCommaOrEnd } want = Want::kValue;
  while (true) {
    SkipSpace();
    if (want == Want::kKeyOrEnd || want == Want::kKey) {
      if (pos_ < text_.size() && text_[pos_] == '}' && want == Want::kKeyOrEnd) {
        want = Want::kCommaOrEnd;
        goto end_collection;
      }
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return FailAt(pos_, "looking for beginning of object key string");
      }
      {
        Frame& f = frames_.back();
        size_t key_start = pos_;
        std::string key;
        if (!ReadString(key)) return false;
        Position kp = lines_.At(key_start);
        // Duplicate keys: an error, as kspm reads YAML (see the file comment).
        size_t found = SIZE_MAX;
        if (f.index) {
          auto it = f.index->find(key);
          if (it != f.index->end()) found = it->second;
        } else {
          for (size_t i = f.first; i < members_.size(); ++i) {
            if (members_[i].key_string() == key) found = i;
          }
        }
        if (found != SIZE_MAX) {
          Position first = members_[found].key.position();
          return Fail(key_start, "duplicate key \"" + key.substr(0, 80) +
                                     "\" (first defined at line " + std::to_string(first.line) +
                                     ", column " + std::to_string(first.column) + ")");
        }
        pending_key_ = Node::String(doc_->CopyString(key), kp);
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != ':') return FailAt(pos_, "after object key");
        ++pos_;
        want = Want::kValue;
        continue;
      }
    }
    if (want == Want::kCommaOrEnd) {
      if (frames_.empty()) return true;
      Frame& f = frames_.back();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        want = f.object ? Want::kKey : Want::kValue;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == (f.object ? '}' : ']')) goto end_collection;
      return FailAt(pos_, f.object ? "after object key:value pair" : "after array element");
    }
    // want == kValue
    {
      if (pos_ >= text_.size()) return Fail(pos_, "unexpected end of JSON input");
      if (++nodes_ > limits_.max_expanded_nodes) {
        return Fail(pos_, "more than " + std::to_string(limits_.max_expanded_nodes) +
                              " values in one document");
      }
      char c = text_[pos_];
      Position p = lines_.At(pos_);
      if (c == '{' || c == '[') {
        if (frames_.size() >= limits_.max_depth) {
          return Fail(pos_, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
        }
        // A member's key must survive the nested value: push it as a
        // placeholder member first, fill in the value at the end.
        if (!frames_.empty() && frames_.back().object) {
          members_.push_back(Member{pending_key_, Node()});
          Frame& parent = frames_.back();
          size_t count = members_.size() - parent.first;
          if (parent.index) {
            parent.index->emplace(members_.back().key_string(), members_.size() - 1);
          } else if (count > 16) {
            parent.index = std::make_unique<std::unordered_map<std::string_view, size_t>>();
            for (size_t i = parent.first; i < members_.size(); ++i) {
              parent.index->emplace(members_[i].key_string(), i);
            }
          }
        }
        Frame f;
        f.object = c == '{';
        f.pos = p;
        f.first = f.object ? members_.size() : items_.size();
        frames_.push_back(std::move(f));
        ++pos_;
        want = c == '{' ? Want::kKeyOrEnd : Want::kValue;
        if (c == '[') {
          SkipSpace();
          if (pos_ < text_.size() && text_[pos_] == ']') {
            want = Want::kCommaOrEnd;
            goto end_collection;
          }
        }
        continue;
      }
      Node n;
      if (c == '"') {
        std::string s;
        if (!ReadString(s)) return false;
        n = Node::String(doc_->CopyString(s), p);
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!ReadNumber(n)) return false;
      } else if (c == 't') {
        if (!ReadLiteral("true", pos_)) return false;
        n = Node::Bool(true, p);
      } else if (c == 'f') {
        if (!ReadLiteral("false", pos_)) return false;
        n = Node::Bool(false, p);
      } else if (c == 'n') {
        if (!ReadLiteral("null", pos_)) return false;
        n = Node::Null(p);
      } else {
        return FailAt(pos_, "looking for beginning of value");
      }
      if (!frames_.empty() && frames_.back().object) {
        members_.push_back(Member{pending_key_, n});
        Frame& f = frames_.back();
        if (f.index) {
          f.index->emplace(members_.back().key_string(), members_.size() - 1);
        } else if (members_.size() - f.first > 16) {
          f.index = std::make_unique<std::unordered_map<std::string_view, size_t>>();
          for (size_t i = f.first; i < members_.size(); ++i) {
            f.index->emplace(members_[i].key_string(), i);
          }
        }
      } else if (!Place(n)) {
        return false;
      }
      want = Want::kCommaOrEnd;
      if (frames_.empty()) return true;
      continue;
    }
  end_collection : {
    ++pos_;  // the closing bracket
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    Node n;
    if (f.object) {
      size_t count = members_.size() - f.first;
      Member* dst = nullptr;
      if (count > 0) {
        dst =
            static_cast<Member*>(doc_->arena()->allocate(count * sizeof(Member), alignof(Member)));
        std::uninitialized_copy(members_.begin() + f.first, members_.end(), dst);
      }
      members_.resize(f.first);
      n = Node::Mapping(dst, static_cast<uint32_t>(count), f.pos);
    } else {
      size_t count = items_.size() - f.first;
      Node* dst = nullptr;
      if (count > 0) {
        dst = static_cast<Node*>(doc_->arena()->allocate(count * sizeof(Node), alignof(Node)));
        std::uninitialized_copy(items_.begin() + f.first, items_.end(), dst);
      }
      items_.resize(f.first);
      n = Node::Sequence(dst, static_cast<uint32_t>(count), f.pos);
    }
    if (!frames_.empty() && frames_.back().object) {
      members_.back().value = n;  // the placeholder pushed when the value started
    } else {
      Place(n);
    }
    want = Want::kCommaOrEnd;
    if (frames_.empty()) return true;
  }
  }
}

}  // namespace

DecodedSource DecodeJson(std::shared_ptr<const std::string> file, std::string_view content,
                         const DecodeLimits& limits) {
  DecodedSource out;
  LineIndex lines(content);
  JsonReader reader(content, lines, limits);
  uint32_t index = 0;
  while (true) {
    reader.SkipSpace();
    if (reader.AtEnd()) break;
    Document doc(file, index, reader.position());
    if (!reader.ReadDocument(doc)) {
      Diagnostic d;
      d.file = *file;
      d.position = reader.error_position();
      d.message = "invalid JSON: " + reader.error();
      out.diagnostics.push_back(std::move(d));
      break;  // a JSON stream cannot be resynchronised after an error
    }
    out.documents.push_back(std::move(doc));
    ++index;
  }
  return out;
}

}  // namespace kspm::core
