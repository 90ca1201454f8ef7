// Decoding of YAML and JSON sources into Documents, read exactly as Kubernetes
// reads them (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1 scalars).
//
// A source is split into documents on `---` lines as k8s.io/apimachinery's
// YAMLReader does; each document is parsed on its own, so one malformed
// document never hides the others. A source whose first non-space byte is `{`
// is a stream of JSON objects. Errors never throw: they come back as
// Diagnostics naming file:line:column, next to every document that decoded.
// Pure functions of their input; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace kspm::core {

struct DecodeLimits {
  size_t max_depth = 1000;                    // nested collections
  size_t max_expanded_nodes = 1'000'000;      // nodes after alias expansion
  size_t max_scalar_bytes = 16u << 20;        // one scalar
  size_t max_source_bytes = size_t{2} << 30;  // one file
};

enum class DiagnosticLevel { kError, kWarning, kNote };

struct Diagnostic {
  DiagnosticLevel level = DiagnosticLevel::kError;
  std::string file;
  Position position;
  std::string message;
  // "file:line:column: message" (line and column only when known).
  std::string ToString() const;
};

struct DecodedSource {
  std::vector<Document> documents;  // non-empty documents, in source order
  std::vector<Diagnostic> diagnostics;
};

// One chunk of a YAML stream as YAMLReader splits it.
struct YamlChunk {
  std::string_view text;
  uint32_t first_line = 1;  // line of `text` within the source
  uint32_t index = 0;       // document index within the source
};

// Splits YAML text on separator lines (`---` followed only by spaces or a comment).
std::vector<YamlChunk> SplitYamlDocuments(std::string_view text);

// Decodes one YAML chunk (first document only, as go-yaml's Unmarshal does).
// Returns false with a diagnostic on error; true with `out` root set otherwise
// (an empty chunk yields a document whose root is null and `empty` true).
bool DecodeYamlChunk(const YamlChunk& chunk, const DecodeLimits& limits, Document& out, bool& empty,
                     Diagnostic& error);

// Decodes a whole source, YAML or JSON (sniffed like apimachinery's YAMLOrJSONDecoder).
DecodedSource DecodeSource(std::string_view file, std::string_view content,
                           const DecodeLimits& limits = {});

// True when the content's first non-whitespace byte (after a BOM) is `{`.
bool LooksLikeJson(std::string_view content);

DecodedSource DecodeJson(std::shared_ptr<const std::string> file, std::string_view content,
                         const DecodeLimits& limits);

// Maps byte offsets of a text to 1-based line and character column.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  Position At(size_t offset) const;

 private:
  std::string_view text_;
  std::vector<size_t> line_starts_;
};

}  // namespace kspm::core
