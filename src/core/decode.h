// Decoding of YAML and JSON sources into Documents, read exactly as Kubernetes
// reads them: kubectl's YAMLOrJSONDecoder picks JSON or YAML, its YAMLReader
// splits YAML into documents, and each document is read by sigs.k8s.io/yaml
// over go-yaml v2 (YAML 1.1 scalars: `yes/no/on/off/y/n` are booleans, `0777`
// is octal, `~` is null), with duplicate keys an error as in strict decoding.
//
// One malformed document never hides the others: each YAML document is
// decoded on its own, and errors come back as Diagnostics naming
// file:line:column next to every document that decoded. Where Kubernetes
// would accept a document but kspm's bounds (DecodeLimits) do not, the
// document is an error: kspm never reads a value differently from Kubernetes,
// it may only refuse to read it. The deliberate differences are listed in
// yaml_decoder.cpp and json_decoder.cpp.
//
// Pure functions of their input; nothing throws; thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace kspm::core {

struct DecodeLimits {
  size_t max_depth = 1000;                    // nested collections, aliases included
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

// One document of a YAML stream as kubectl's YAMLReader hands it on: its
// lines, each ended by "\n" ("\r\n" becomes "\n", a last line without one
// gets one).
struct YamlChunk {
  std::string text;
  uint32_t first_line = 1;  // line of `text` within the source
  uint32_t index = 0;       // document index within the source
  // Set when the document ended at a line that starts with "---" followed by
  // something other than spaces or a comment: YAMLReader rejects such a
  // document ("invalid Yaml document separator") without decoding it.
  std::string separator_error;  // what follows "---"
  Position separator_position;  // where it starts
};

// Splits YAML text into documents on lines that start with "---" followed only
// by whitespace or a comment, exactly as YAMLReader does. A leading separator
// does not make an empty first document.
std::vector<YamlChunk> SplitYamlDocuments(std::string_view text);

// Decodes one YAML chunk (its first document, as sigs.k8s.io/yaml does).
// Returns false with a diagnostic (position and message; `file` untouched) on
// error; true with `out`'s root set otherwise. A chunk without content (only
// comments or blank lines) or whose root is null sets `empty`.
bool DecodeYamlChunk(const YamlChunk& chunk, const DecodeLimits& limits, Document& out, bool& empty,
                     Diagnostic& error);

// Decodes a whole source, YAML or JSON (sniffed as YAMLOrJSONDecoder does).
DecodedSource DecodeSource(std::string_view file, std::string_view content,
                           const DecodeLimits& limits = {});

// True when the source is a JSON stream for kubectl: the first
// non-whitespace character (Go's unicode.IsSpace) within the first 4096
// bytes is `{`. A byte-order mark is not whitespace: such a file is YAML.
bool LooksLikeJson(std::string_view content);

// A stream of JSON values as Go's encoding/json decodes them one after the
// other. Stops at the first error (a JSON stream cannot be resynchronised).
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
