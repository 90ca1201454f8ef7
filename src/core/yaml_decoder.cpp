// YAML decoding with libyaml: the C parser that go-yaml v2 (and so kubectl)
// is a line-by-line port of, so structure and errors match Kubernetes'.
#include <yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/decode.h"
#include "core/scalar.h"

namespace kspm::core {
namespace {

bool IsSeparatorLine(std::string_view line) {
  if (line.substr(0, 3) != "---") return false;
  std::string_view rest = line.substr(3);
  size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r' ||
                             rest[i] == '\n' || rest[i] == '\v' || rest[i] == '\f')) {
    ++i;
  }
  return i == rest.size() || rest[i] == '#';
}

// One open collection while events are turned into a tree.
struct Frame {
  bool mapping = false;
  Position pos;
  size_t first = 0;  // first child in the scratch stack
  std::string anchor;
  bool have_key = false;
  Node key;
  bool key_is_merge = false;
  size_t weight = 1;  // nodes after alias expansion
};

struct Anchored {
  Node node;
  size_t weight = 1;
};

class TreeBuilder {
 public:
  TreeBuilder(const YamlChunk& chunk, const DecodeLimits& limits, Document& doc)
      : chunk_(chunk), limits_(limits), doc_(doc) {}

  bool Run(bool& empty, Diagnostic& error);

 private:
  Position At(const yaml_mark_t& m) const {
    return {static_cast<uint32_t>(chunk_.first_line + m.line), static_cast<uint32_t>(m.column + 1)};
  }
  bool Fail(Position p, std::string message) {
    error_->position = p;
    error_->message = std::move(message);
    return false;
  }
  bool AddNode(const Node& n, size_t weight, Position p, bool is_merge_key = false);
  bool EndCollection();
  bool Merge(const Node& source, Position p);
  bool AddMember(const Node& key, const Node& value, Position p, bool from_merge);
  bool KeyString(const Node& key, Node& out, Position p);

  const YamlChunk& chunk_;
  const DecodeLimits& limits_;
  Document& doc_;
  Diagnostic* error_ = nullptr;
  std::vector<Frame> frames_;
  std::vector<Node> items_;      // scratch children of open sequences
  std::vector<Member> members_;  // scratch children of open mappings
  std::unordered_map<std::string, Anchored> anchors_;
  size_t expanded_ = 0;
  bool have_root_ = false;
};

bool TreeBuilder::KeyString(const Node& key, Node& out, Position p) {
  // sigs.k8s.io/yaml turns every key into a JSON object key.
  switch (key.type()) {
    case NodeType::kString:
      out = key;
      return true;
    case NodeType::kBool:
      out = Node::String(key.bool_value() ? "true" : "false", key.position());
      return true;
    case NodeType::kInt:
      out = Node::String(doc_.CopyString(std::to_string(key.int_value())), key.position());
      return true;
    case NodeType::kFloat: {
      char buf[40];
      double f = key.float_value();
      if (std::isnan(f)) {
        std::snprintf(buf, sizeof buf, ".nan");
      } else if (std::isinf(f)) {
        std::snprintf(buf, sizeof buf, f > 0 ? ".inf" : "-.inf");
      } else {
        std::snprintf(buf, sizeof buf, "%g", f);
      }
      out = Node::String(doc_.CopyString(buf), key.position());
      return true;
    }
    default:
      return Fail(p, std::string("unsupported mapping key of type ") +
                         std::string(NodeTypeName(key.type())) + " (keys must be scalars)");
  }
}

bool TreeBuilder::AddMember(const Node& key, const Node& value, Position p, bool from_merge) {
  Frame& f = frames_.back();
  std::string_view k = key.string_value();
  for (size_t i = f.first; i < members_.size(); ++i) {
    if (members_[i].key_string() == k) {
      if (from_merge) {
        members_[i].value = value;  // go-yaml: a merged mapping overwrites what came before
        return true;
      }
      return Fail(p, "duplicate key \"" + std::string(k) + "\" (first defined at line " +
                         std::to_string(members_[i].key.position().line) + ")");
    }
  }
  members_.push_back(Member{key, value});
  return true;
}

bool TreeBuilder::Merge(const Node& source, Position p) {
  if (source.IsMapping()) {
    for (const Member& m : source.members()) {
      if (!AddMember(m.key, m.value, p, true)) return false;
    }
    return true;
  }
  if (source.IsSequence()) {
    // Earlier mappings take precedence: merge them last.
    auto items = source.items();
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
      if (!it->IsMapping())
        return Fail(p, "map merge requires map or sequence of maps as the value");
      if (!Merge(*it, p)) return false;
    }
    return true;
  }
  return Fail(p, "map merge requires map or sequence of maps as the value");
}

bool TreeBuilder::AddNode(const Node& n, size_t weight, Position p, bool is_merge_key) {
  expanded_ += weight;
  if (expanded_ > limits_.max_expanded_nodes) {
    return Fail(p, "document expands to more than " + std::to_string(limits_.max_expanded_nodes) +
                       " nodes through aliases (alias bomb?)");
  }
  if (frames_.empty()) {
    doc_.set_root(n);
    have_root_ = true;
    return true;
  }
  Frame& f = frames_.back();
  f.weight += weight;
  if (!f.mapping) {
    items_.push_back(n);
    return true;
  }
  if (!f.have_key) {
    f.have_key = true;
    f.key_is_merge = is_merge_key;
    if (is_merge_key) {
      f.key = n;
      return true;
    }
    return KeyString(n, f.key, p);
  }
  f.have_key = false;
  if (f.key_is_merge) return Merge(n, p);
  return AddMember(f.key, n, p, false);
}

bool TreeBuilder::EndCollection() {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  Node n;
  if (f.mapping) {
    size_t count = members_.size() - f.first;
    Member* dst = nullptr;
    if (count > 0) {
      dst = static_cast<Member*>(doc_.arena()->allocate(count * sizeof(Member), alignof(Member)));
      std::uninitialized_copy(members_.begin() + f.first, members_.end(), dst);
    }
    members_.resize(f.first);
    n = Node::Mapping(dst, static_cast<uint32_t>(count), f.pos);
  } else {
    size_t count = items_.size() - f.first;
    Node* dst = nullptr;
    if (count > 0) {
      dst = static_cast<Node*>(doc_.arena()->allocate(count * sizeof(Node), alignof(Node)));
      std::uninitialized_copy(items_.begin() + f.first, items_.end(), dst);
    }
    items_.resize(f.first);
    n = Node::Sequence(dst, static_cast<uint32_t>(count), f.pos);
  }
  if (!f.anchor.empty()) anchors_[f.anchor] = Anchored{n, f.weight};
  expanded_ -= 0;  // collection nodes were counted as their children arrived
  // The collection itself was counted at start; its weight goes to the parent.
  if (frames_.empty()) {
    doc_.set_root(n);
    have_root_ = true;
    return true;
  }
  Frame& parent = frames_.back();
  parent.weight += f.weight;
  if (!parent.mapping) {
    items_.push_back(n);
    return true;
  }
  if (!parent.have_key) {
    return Fail(f.pos, "a mapping or sequence cannot be a mapping key");
  }
  parent.have_key = false;
  if (parent.key_is_merge) return Merge(n, f.pos);
  return AddMember(parent.key, n, f.pos, false);
}

std::string ProblemMessage(const yaml_parser_t& p) {
  std::string msg = p.problem ? p.problem : "invalid YAML";
  if (p.context) msg = std::string(p.context) + ": " + msg;
  return msg;
}

bool TreeBuilder::Run(bool& empty, Diagnostic& error) {
  error_ = &error;
  empty = true;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return Fail({}, "out of memory initialising the YAML parser");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(chunk_.text.data()),
                               chunk_.text.size());
  bool ok = true;
  bool done = false;
  int documents = 0;
  while (ok && !done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      Position p = At(parser.problem_mark);
      ok = Fail(p, ProblemMessage(parser));
      break;
    }
    Position pos = At(ev.start_mark);
    switch (ev.type) {
      case YAML_STREAM_START_EVENT:
        break;
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        ++documents;
        break;
      case YAML_DOCUMENT_END_EVENT:
        // go-yaml's Unmarshal reads the first document of what it is given.
        if (documents >= 1) done = true;
        break;
      case YAML_ALIAS_EVENT: {
        std::string name(reinterpret_cast<const char*>(ev.data.alias.anchor));
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          ok = Fail(pos, "unknown anchor '" + name + "' referenced");
          break;
        }
        Node copy = it->second.node;
        ok = AddNode(copy, it->second.weight, pos);
        break;
      }
      case YAML_SCALAR_EVENT: {
        empty = false;
        std::string_view text(reinterpret_cast<const char*>(ev.data.scalar.value),
                              ev.data.scalar.length);
        if (text.size() > limits_.max_scalar_bytes) {
          ok = Fail(pos, "scalar of " + std::to_string(text.size()) +
                             " bytes exceeds the limit of " +
                             std::to_string(limits_.max_scalar_bytes));
          break;
        }
        bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        ResolvedScalar r;
        if (ev.data.scalar.tag != nullptr) {
          r = ResolveTagged(reinterpret_cast<const char*>(ev.data.scalar.tag), text, plain);
          if (r.error) {
            ok = Fail(pos, "cannot decode \"" + std::string(text.substr(0, 64)) + "\" as " +
                               reinterpret_cast<const char*>(ev.data.scalar.tag));
            break;
          }
        } else if (plain) {
          r = ResolvePlain(text);
        }
        Node n;
        switch (r.type) {
          case NodeType::kNull:
            n = Node::Null(pos);
            break;
          case NodeType::kBool:
            n = Node::Bool(r.b, pos);
            break;
          case NodeType::kInt:
            n = Node::Int(r.i, pos);
            break;
          case NodeType::kFloat:
            n = Node::Float(r.f, pos);
            break;
          default:
            n = Node::String(doc_.CopyString(text), pos);
            break;
        }
        if (ev.data.scalar.anchor != nullptr) {
          anchors_[reinterpret_cast<const char*>(ev.data.scalar.anchor)] = Anchored{n, 1};
        }
        ok = AddNode(n, 1, pos, r.merge);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        empty = false;
        if (frames_.size() >= limits_.max_depth) {
          ok = Fail(pos, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
          break;
        }
        if (!frames_.empty() && frames_.back().mapping && !frames_.back().have_key) {
          ok = Fail(pos, "a mapping or sequence cannot be a mapping key");
          break;
        }
        Frame f;
        f.mapping = ev.type == YAML_MAPPING_START_EVENT;
        f.pos = pos;
        f.first = f.mapping ? members_.size() : items_.size();
        const yaml_char_t* anchor =
            f.mapping ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
        if (anchor != nullptr) f.anchor = reinterpret_cast<const char*>(anchor);
        ++expanded_;
        frames_.push_back(std::move(f));
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        ok = EndCollection();
        break;
      default:
        break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  if (ok && !have_root_) empty = true;
  return ok;
}

}  // namespace

std::vector<YamlChunk> SplitYamlDocuments(std::string_view text) {
  std::vector<YamlChunk> chunks;
  size_t pos = 0;
  size_t chunk_start = 0;
  uint32_t line = 1;
  uint32_t chunk_line = 1;
  uint32_t index = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view content = text.substr(pos, next - pos);
    if (IsSeparatorLine(content)) {
      if (pos > chunk_start || index > 0 || line > 1) {
        chunks.push_back({text.substr(chunk_start, pos - chunk_start), chunk_line, index++});
      }
      chunk_start = next;
      chunk_line = line + 1;
    }
    pos = next;
    ++line;
  }
  if (chunk_start < text.size() || chunks.empty()) {
    chunks.push_back({text.substr(chunk_start), chunk_line, index});
  }
  return chunks;
}

bool DecodeYamlChunk(const YamlChunk& chunk, const DecodeLimits& limits, Document& out, bool& empty,
                     Diagnostic& error) {
  TreeBuilder builder(chunk, limits, out);
  return builder.Run(empty, error);
}

}  // namespace kspm::core
