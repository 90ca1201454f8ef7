// Node: one immutable YAML/JSON value with its source position.
//
// Every decoded document, whatever it came from, is a tree of Nodes, so rules
// are written once. Nodes are plain 24-byte values stored in an arena owned by
// their Document (see document.h); children of a sequence or mapping are one
// contiguous array in that arena. An alias is a shallow copy of its anchor, so
// aliased subtrees are shared, never expanded. Nodes are never modified after
// decoding and may be read from any number of threads.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kspm::core {

// 1-based line and column (columns count characters, not bytes); 0 = unknown.
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
  bool known() const { return line != 0; }
  friend bool operator==(const Position&, const Position&) = default;
};

enum class NodeType : uint8_t { kNull, kBool, kInt, kFloat, kString, kSequence, kMapping };

std::string_view NodeTypeName(NodeType type);

struct Member;

class Node {
 public:
  Node() = default;

  NodeType type() const { return type_; }
  Position position() const { return pos_; }

  bool IsNull() const { return type_ == NodeType::kNull; }
  bool IsBool() const { return type_ == NodeType::kBool; }
  bool IsString() const { return type_ == NodeType::kString; }
  bool IsNumber() const { return type_ == NodeType::kInt || type_ == NodeType::kFloat; }
  bool IsSequence() const { return type_ == NodeType::kSequence; }
  bool IsMapping() const { return type_ == NodeType::kMapping; }
  bool IsScalar() const { return !IsSequence() && !IsMapping(); }

  // Typed reads: nullopt when the node is of another type. GetInt also accepts
  // a float with an integral value (JSON numbers and `08` in YAML are floats).
  std::optional<bool> GetBool() const;
  std::optional<int64_t> GetInt() const;
  std::optional<double> GetNumber() const;
  std::optional<std::string_view> GetString() const;

  // Unchecked reads; the type must match.
  bool bool_value() const { return u_.b; }
  int64_t int_value() const { return u_.i; }
  double float_value() const { return u_.f; }
  std::string_view string_value() const { return {u_.s, size_}; }

  // Children; empty spans for other types.
  std::span<const Node> items() const;
  std::span<const Member> members() const;
  uint32_t size() const { return IsScalar() && !IsString() ? 0 : size_; }

  // Mapping lookup by key; nullptr if absent or this is not a mapping.
  // Inline: rules look keys up millions of times, almost always with a
  // literal key, whose length and bytes the compiler then compares directly.
  inline const Node* Get(std::string_view key) const;
  // Walks a path of mapping keys; nullptr if any step is absent.
  const Node* Find(std::initializer_list<std::string_view> path) const;

  // Compact JSON text of the value (strings quoted and escaped).
  std::string ToJson() const;

  // Construction, used by decoders only. Strings and child arrays must live
  // as long as the Node (the Document's arena).
  static Node Null(Position p);
  static Node Bool(bool v, Position p);
  static Node Int(int64_t v, Position p);
  static Node Float(double v, Position p);
  static Node String(std::string_view v, Position p);
  static Node Sequence(const Node* items, uint32_t n, Position p);
  static Node Mapping(const Member* members, uint32_t n, Position p);

 private:
  Position pos_;
  uint32_t size_ = 0;
  NodeType type_ = NodeType::kNull;
  union {
    bool b;
    int64_t i;
    double f;
    const char* s;
    const Node* items;
    const Member* members;
  } u_{.i = 0};
};

struct Member {
  Node key;  // always a string node after decoding (keys are JSON object keys)
  Node value;
  std::string_view key_string() const { return key.string_value(); }
};

inline const Node* Node::Get(std::string_view key) const {
  if (type_ != NodeType::kMapping) return nullptr;
  for (uint32_t i = 0; i < size_; ++i) {
    const Member& m = u_.members[i];
    if (m.key.size_ == key.size() &&
        (key.empty() || std::memcmp(m.key.u_.s, key.data(), key.size()) == 0)) {
      return &m.value;
    }
  }
  return nullptr;
}

// Appends `s` to `out` as a JSON string literal.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace kspm::core
