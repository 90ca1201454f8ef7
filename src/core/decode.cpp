// Source-level decoding: JSON or YAML as kubectl's YAMLOrJSONDecoder decides,
// and YAML documents split as its YAMLReader splits them
// (k8s.io/apimachinery/pkg/util/yaml/decoder.go).
#include <algorithm>
#include <cstring>

#include "core/decode.h"

namespace kspm::core {

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (position.known()) {
    out += ":" + std::to_string(position.line) + ":" + std::to_string(position.column);
  }
  out += ": ";
  out += message;
  return out;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

Position LineIndex::At(size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts_.begin());
  size_t start = line_starts_[line - 1];
  uint32_t column = 1;
  for (size_t i = start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return {static_cast<uint32_t>(line), column};
}

namespace {

// Go's utf8.DecodeRune, enough to tell spaces apart: the code point and its
// length, or U+FFFD with length 1 for an invalid byte.
char32_t DecodeRune(std::string_view s, size_t i, size_t& length) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  length = 1;
  if (c < 0x80) return c;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0xFFFD;
  char32_t v = c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0xFFFD;
    v = (v << 6) | (byte(i + k) & 0x3F);
  }
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0xFFFD;
  }
  length = n;
  return v;
}

// Go's unicode.IsSpace.
bool IsGoSpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// strings.TrimSpace.
std::string_view TrimGoSpace(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t n = 0;
    if (!IsGoSpace(DecodeRune(s, begin, n))) break;
    begin += n;
  }
  size_t end = begin;
  for (size_t i = begin; i < s.size();) {
    size_t n = 0;
    bool space = IsGoSpace(DecodeRune(s, i, n));
    i += n;
    if (!space) end = i;
  }
  return s.substr(begin, end - begin);
}

}  // namespace

bool LooksLikeJson(std::string_view content) {
  // GuessJSONStream peeks at 4096 bytes and trims leading Unicode spaces.
  std::string_view head = content.substr(0, 4096);
  size_t i = 0;
  while (i < head.size()) {
    size_t n = 0;
    if (!IsGoSpace(DecodeRune(head, i, n))) break;
    i += n;
  }
  return i < head.size() && head[i] == '{';
}

std::vector<YamlChunk> SplitYamlDocuments(std::string_view text) {
  // YAMLReader reads lines (bufio.ReadLine drops "\n" or "\r\n"), appends
  // "\n" to each, and ends a document at a line starting with "---" whose
  // rest is blank or a comment. With an empty buffer such a line does not end
  // anything: it becomes the first line of the next document. Any other line
  // starting with "---" fails the document being read.
  std::vector<YamlChunk> chunks;
  YamlChunk current;
  uint32_t index = 0;
  uint32_t line_number = 0;
  bool have_start = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line =
        text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    if (eol != std::string_view::npos && !line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    ++line_number;
    pos = next;
    if (!have_start) {
      current.first_line = line_number;
      have_start = true;
    }
    if (line.substr(0, 3) == "---") {
      std::string_view rest = TrimGoSpace(line.substr(3));
      if (!rest.empty() && rest[0] != '#') {
        current.separator_error = std::string(rest);
        size_t junk = static_cast<size_t>(rest.data() - line.data());
        current.separator_position = LineIndex(line).At(junk);
        current.separator_position.line = line_number;
        current.index = index++;
        chunks.push_back(std::move(current));
        current = YamlChunk{};
        have_start = false;
        continue;
      }
      if (!current.text.empty()) {
        current.index = index++;
        chunks.push_back(std::move(current));
        current = YamlChunk{};
        have_start = false;
        continue;
      }
    }
    current.text.append(line);
    current.text.push_back('\n');
  }
  if (!current.text.empty()) {
    current.index = index;
    chunks.push_back(std::move(current));
  }
  return chunks;
}

DecodedSource DecodeSource(std::string_view file, std::string_view content,
                           const DecodeLimits& limits) {
  DecodedSource out;
  auto shared_file = std::make_shared<const std::string>(file);
  if (content.size() > limits.max_source_bytes) {
    out.diagnostics.push_back({DiagnosticLevel::kError,
                               std::string(file),
                               {},
                               "file of " + std::to_string(content.size()) +
                                   " bytes exceeds the limit of " +
                                   std::to_string(limits.max_source_bytes)});
    return out;
  }
  if (LooksLikeJson(content)) return DecodeJson(shared_file, content, limits);

  for (const YamlChunk& chunk : SplitYamlDocuments(content)) {
    Document doc(shared_file, chunk.index, Position{chunk.first_line, 1});
    bool empty = false;
    Diagnostic error;
    error.file = std::string(file);
    if (!DecodeYamlChunk(chunk, limits, doc, empty, error)) {
      out.diagnostics.push_back(std::move(error));
      continue;
    }
    if (empty) continue;
    out.documents.push_back(std::move(doc));
  }
  return out;
}

}  // namespace kspm::core
