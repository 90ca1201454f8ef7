#include "core/document.h"

#include <cstring>

namespace kspm::core {

Document::Document(std::shared_ptr<const std::string> file, uint32_t index, Position start)
    : file_(std::move(file)),
      arena_(std::make_shared<std::pmr::monotonic_buffer_resource>(4096)),
      index_(index),
      start_(start) {}

Document::Document(std::shared_ptr<const std::string> file, uint32_t index, Position start,
                   std::shared_ptr<std::pmr::monotonic_buffer_resource> arena)
    : file_(std::move(file)), arena_(std::move(arena)), index_(index), start_(start) {}

std::string_view Document::CopyString(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(arena_->allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

}  // namespace kspm::core
