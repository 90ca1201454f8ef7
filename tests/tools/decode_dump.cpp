// decode_dump: prints how kspm's decoder reads each document of each input,
// in the JSON-lines shape of k8s-yaml-oracle (../shared/tools), so the two can
// be compared document by document:
//
//   {"file":"a.yaml","doc":0,"line":1,"json":{...}}
//   {"file":"a.yaml","doc":1,"line":9,"error":"...","at":"9:3"}
//
// An empty document prints "json":null, as the oracle does. A JSON source
// (first character '{') adds "mode":"json". With --oracle-split, YAML is split
// as the oracle splits it (every line "---" + blanks or a comment ends a
// document and is dropped; other "---" lines are content) instead of as
// kubectl's YAMLReader does, so both tools decode the very same chunks.
// Test tool only; exit status 0 unless a file cannot be read.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "core/decode.h"

namespace {

using kspm::core::DecodeJson;
using kspm::core::DecodeLimits;
using kspm::core::DecodeYamlChunk;
using kspm::core::Diagnostic;
using kspm::core::Document;
using kspm::core::LooksLikeJson;
using kspm::core::Position;
using kspm::core::YamlChunk;

std::string JsonString(std::string_view s) {
  std::string out;
  kspm::core::AppendJsonString(out, s);
  return out;
}

// The last line any node of the tree starts on ("last" in the output), so the
// comparison can tell errors Kubernetes finds after the document's content.
uint32_t LastLine(const kspm::core::Node& n) {
  uint32_t last = n.position().line;
  for (const kspm::core::Node& item : n.items()) last = std::max(last, LastLine(item));
  for (const kspm::core::Member& m : n.members()) {
    last = std::max({last, m.key.position().line, LastLine(m.value)});
  }
  return last;
}

void PrintValue(const std::string& file, uint32_t doc, uint32_t line, const Document* d,
                bool json_mode) {
  std::cout << "{\"file\":" << JsonString(file) << ",\"doc\":" << doc << ",\"line\":" << line
            << (json_mode ? ",\"mode\":\"json\"" : "");
  if (d != nullptr) std::cout << ",\"last\":" << LastLine(d->root());
  std::cout << ",\"json\":" << (d != nullptr ? d->root().ToJson() : "null") << "}\n";
}

void PrintError(const std::string& file, uint32_t doc, uint32_t line, const Diagnostic& d,
                bool json_mode) {
  std::cout << "{\"file\":" << JsonString(file) << ",\"doc\":" << doc << ",\"line\":" << line
            << (json_mode ? ",\"mode\":\"json\"" : "") << ",\"error\":" << JsonString(d.message)
            << ",\"at\":\"" << d.position.line << ":" << d.position.column << "\"}\n";
}

// Length of the Go unicode.IsSpace character at s[i], or 0.
size_t GoSpaceLength(std::string_view s, size_t i) {
  static constexpr std::string_view kMultiByte[] = {"\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80",
                                                    "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
                                                    "\xE2\x81\x9F", "\xE3\x80\x80"};
  char c = s[i];
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  for (std::string_view m : kMultiByte) {
    if (s.substr(i, m.size()) == m) return m.size();
  }
  // U+2000..U+200A
  if (s.substr(i, 2) == "\xE2\x80" && i + 2 < s.size() &&
      static_cast<unsigned char>(s[i + 2]) >= 0x80 &&
      static_cast<unsigned char>(s[i + 2]) <= 0x8A) {
    return 3;
  }
  return 0;
}

// The oracle's split: bufio.Scanner lines (trailing "\r" dropped), a line that
// starts with "---" and whose rest, after strings.TrimSpace, is empty or
// starts with '#' ends the document.
std::vector<YamlChunk> OracleSplit(std::string_view text) {
  std::vector<YamlChunk> chunks;
  YamlChunk current;
  uint32_t line_no = 0, index = 0, start_line = 1;
  auto flush = [&] {
    current.first_line = start_line;
    current.index = index++;
    chunks.push_back(std::move(current));
    current = YamlChunk{};
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    bool separator = false;
    if (line.substr(0, 3) == "---") {
      std::string_view rest = line.substr(3);
      size_t i = 0;
      while (i < rest.size()) {
        size_t n = GoSpaceLength(rest, i);
        if (n == 0) break;
        i += n;
      }
      separator = i == rest.size() || rest[i] == '#';
    }
    if (separator) {
      bool blank = current.text.find_first_not_of(" \t\r\n\v\f") == std::string::npos;
      if (!blank || index > 0 || line_no > 1) flush();
      start_line = line_no + 1;
      continue;
    }
    current.text.append(line);
    current.text.push_back('\n');
  }
  flush();
  return chunks;
}

int Dump(const std::string& file, const std::string& content, bool oracle_split) {
  DecodeLimits limits;
  auto name = std::make_shared<const std::string>(file);
  if (LooksLikeJson(content)) {
    kspm::core::DecodedSource decoded = DecodeJson(name, content, limits);
    uint32_t next = 0;
    for (const Document& d : decoded.documents) {
      PrintValue(file, d.index(), d.start().line, &d, true);
      next = d.index() + 1;
    }
    for (const Diagnostic& d : decoded.diagnostics)
      PrintError(file, next, d.position.line, d, true);
    return 0;
  }
  std::vector<YamlChunk> chunks =
      oracle_split ? OracleSplit(content) : kspm::core::SplitYamlDocuments(content);
  for (const YamlChunk& chunk : chunks) {
    Document doc(name, chunk.index, Position{chunk.first_line, 1});
    bool empty = false;
    Diagnostic error;
    if (!DecodeYamlChunk(chunk, limits, doc, empty, error)) {
      PrintError(file, chunk.index, chunk.first_line, error, false);
    } else {
      PrintValue(file, chunk.index, chunk.first_line, empty ? nullptr : &doc, false);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool oracle_split = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--oracle-split") {
      oracle_split = true;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) files.push_back("-");
  int status = 0;
  for (const std::string& f : files) {
    std::string content;
    if (f == "-") {
      std::ostringstream ss;
      ss << std::cin.rdbuf();
      content = ss.str();
    } else {
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        std::cerr << f << ": cannot open\n";
        status = 2;
        continue;
      }
      content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    Dump(f, content, oracle_split);
  }
  return status;
}
