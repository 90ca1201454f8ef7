#include "core/node.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kspm::core {

std::string_view NodeTypeName(NodeType type) {
  switch (type) {
    case NodeType::kNull:
      return "null";
    case NodeType::kBool:
      return "boolean";
    case NodeType::kInt:
      return "integer";
    case NodeType::kFloat:
      return "number";
    case NodeType::kString:
      return "string";
    case NodeType::kSequence:
      return "array";
    case NodeType::kMapping:
      return "object";
  }
  return "unknown";
}

std::optional<bool> Node::GetBool() const {
  if (type_ != NodeType::kBool) return std::nullopt;
  return u_.b;
}

std::optional<int64_t> Node::GetInt() const {
  if (type_ == NodeType::kInt) return u_.i;
  if (type_ == NodeType::kFloat && std::isfinite(u_.f) && std::floor(u_.f) == u_.f &&
      std::fabs(u_.f) < 9.2e18) {
    return static_cast<int64_t>(u_.f);
  }
  return std::nullopt;
}

std::optional<double> Node::GetNumber() const {
  if (type_ == NodeType::kInt) return static_cast<double>(u_.i);
  if (type_ == NodeType::kFloat) return u_.f;
  return std::nullopt;
}

std::optional<std::string_view> Node::GetString() const {
  if (type_ != NodeType::kString) return std::nullopt;
  return string_value();
}

std::span<const Node> Node::items() const {
  if (type_ != NodeType::kSequence) return {};
  return {u_.items, size_};
}

std::span<const Member> Node::members() const {
  if (type_ != NodeType::kMapping) return {};
  return {u_.members, size_};
}

const Node* Node::Find(std::initializer_list<std::string_view> path) const {
  const Node* n = this;
  for (std::string_view key : path) {
    n = n->Get(key);
    if (n == nullptr) return nullptr;
  }
  return n;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

namespace {

void AppendJson(const Node& n, std::string& out) {
  switch (n.type()) {
    case NodeType::kNull:
      out += "null";
      break;
    case NodeType::kBool:
      out += n.bool_value() ? "true" : "false";
      break;
    case NodeType::kInt:
      out += std::to_string(n.int_value());
      break;
    case NodeType::kFloat: {
      double f = n.float_value();
      if (!std::isfinite(f)) {
        out += "null";  // JSON has no inf/nan; Kubernetes rejects them anyway
        break;
      }
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", f);
      // Prefer the shortest representation that round-trips.
      for (int precision = 1; precision <= 17; ++precision) {
        char shorter[32];
        std::snprintf(shorter, sizeof shorter, "%.*g", precision, f);
        if (std::strtod(shorter, nullptr) == f) {
          out += shorter;
          return;
        }
      }
      out += buf;
      break;
    }
    case NodeType::kString:
      AppendJsonString(out, n.string_value());
      break;
    case NodeType::kSequence: {
      out.push_back('[');
      bool first = true;
      for (const Node& item : n.items()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJson(item, out);
      }
      out.push_back(']');
      break;
    }
    case NodeType::kMapping: {
      out.push_back('{');
      bool first = true;
      for (const Member& m : n.members()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, m.key_string());
        out.push_back(':');
        AppendJson(m.value, out);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string Node::ToJson() const {
  std::string out;
  AppendJson(*this, out);
  return out;
}

Node Node::Null(Position p) {
  Node n;
  n.pos_ = p;
  return n;
}
Node Node::Bool(bool v, Position p) {
  Node n;
  n.type_ = NodeType::kBool;
  n.u_.b = v;
  n.pos_ = p;
  return n;
}
Node Node::Int(int64_t v, Position p) {
  Node n;
  n.type_ = NodeType::kInt;
  n.u_.i = v;
  n.pos_ = p;
  return n;
}
Node Node::Float(double v, Position p) {
  Node n;
  n.type_ = NodeType::kFloat;
  n.u_.f = v;
  n.pos_ = p;
  return n;
}
Node Node::String(std::string_view v, Position p) {
  Node n;
  n.type_ = NodeType::kString;
  n.u_.s = v.data();
  n.size_ = static_cast<uint32_t>(v.size());
  n.pos_ = p;
  return n;
}
Node Node::Sequence(const Node* items, uint32_t count, Position p) {
  Node n;
  n.type_ = NodeType::kSequence;
  n.u_.items = items;
  n.size_ = count;
  n.pos_ = p;
  return n;
}
Node Node::Mapping(const Member* members, uint32_t count, Position p) {
  Node n;
  n.type_ = NodeType::kMapping;
  n.u_.members = members;
  n.size_ = count;
  n.pos_ = p;
  return n;
}

}  // namespace kspm::core
