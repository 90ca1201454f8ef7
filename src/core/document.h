// Document: one decoded YAML/JSON document and the arena that owns its Nodes.
//
// A Document is immutable once built and movable; Nodes returned by root()
// stay valid as long as the Document lives (moving it does not invalidate
// them, the arena is heap-allocated). Safe to read from many threads.
#pragma once

#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>

#include "core/node.h"

namespace kspm::core {

class Document {
 public:
  // `file` is shared by every document of one file (one string per file, not per document).
  Document(std::shared_ptr<const std::string> file, uint32_t index, Position start);
  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;

  const Node& root() const { return root_; }
  const std::string& file() const { return *file_; }
  const std::shared_ptr<const std::string>& shared_file() const { return file_; }
  // Index of the document within its file (0-based, counting empty ones too).
  uint32_t index() const { return index_; }
  // Where the document starts in its file.
  Position start() const { return start_; }

  // Builder interface for decoders.
  std::pmr::memory_resource* arena() { return arena_.get(); }
  std::string_view CopyString(std::string_view s);
  void set_root(Node root) { root_ = root; }

 private:
  std::shared_ptr<const std::string> file_;
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_;
  Node root_;
  uint32_t index_ = 0;
  Position start_;
};

}  // namespace kspm::core
