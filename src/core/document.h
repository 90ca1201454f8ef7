// Document: one decoded YAML/JSON document and the arena that owns its Nodes.
//
// A Document is immutable once built and movable; Nodes returned by root()
// stay valid as long as the Document lives (moving it does not invalidate
// them, the arena is heap-allocated). Safe to read from many threads.
//
// Documents may share one arena: a decoding worker gives every document it
// builds the same one, so that 100,000 small documents do not each leave the
// slack of their own arena's last block. The arena lives as long as any
// document built in it; it must only be written by one thread at a time.
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
  // A document built in `arena`, which it shares with others.
  Document(std::shared_ptr<const std::string> file, uint32_t index, Position start,
           std::shared_ptr<std::pmr::monotonic_buffer_resource> arena);
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
  const std::shared_ptr<std::pmr::monotonic_buffer_resource>& shared_arena() const {
    return arena_;
  }
  std::string_view CopyString(std::string_view s);
  void set_root(Node root) { root_ = root; }

 private:
  std::shared_ptr<const std::string> file_;
  std::shared_ptr<std::pmr::monotonic_buffer_resource> arena_;
  Node root_;
  uint32_t index_ = 0;
  Position start_;
};

}  // namespace kspm::core
