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

bool LooksLikeJson(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  for (char c : content) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

namespace {

// A file with NUL bytes or invalid UTF-8 early on is not a manifest.
bool LooksBinary(std::string_view content) {
  std::string_view head = content.substr(0, 8192);
  return head.find('\0') != std::string_view::npos;
}

}  // namespace

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
  if (LooksBinary(content)) {
    out.diagnostics.push_back({DiagnosticLevel::kError,
                               std::string(file),
                               {},
                               "binary content (NUL bytes): not a YAML or JSON manifest"});
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
