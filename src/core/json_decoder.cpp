// JSON decoding with rapidjson's SAX reader. Positions come from byte offsets:
// each value starts at the first significant byte after the previous event.
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <vector>

#include "core/decode.h"

namespace kspm::core {
namespace {

class OffsetStream {
 public:
  using Ch = char;
  explicit OffsetStream(std::string_view s) : s_(s) {}
  Ch Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  Ch Take() { return pos_ < s_.size() ? s_[pos_++] : '\0'; }
  size_t Tell() const { return pos_; }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

struct Frame {
  bool object = false;
  Position pos;
  size_t first = 0;
  bool have_key = false;
  Node key;
};

class JsonBuilder {
 public:
  using Ch = char;
  JsonBuilder(std::string_view text, const LineIndex& lines, const OffsetStream& stream,
              const DecodeLimits& limits)
      : text_(text), lines_(lines), stream_(stream), limits_(limits) {}

  void Reset(Document* doc) {
    doc_ = doc;
    frames_.clear();
    items_.clear();
    members_.clear();
    have_root_ = false;
    nodes_ = 0;
  }
  bool have_root() const { return have_root_; }
  const std::string& error() const { return error_; }
  Position error_position() const { return error_pos_; }
  void set_last_end(size_t offset) { last_end_ = offset; }

  bool Null() { return Add(Node::Null(ValueStart())); }
  bool Bool(bool b) { return Add(Node::Bool(b, ValueStart())); }
  bool Int(int i) { return Add(Node::Int(i, ValueStart())); }
  bool Uint(unsigned u) { return Add(Node::Int(u, ValueStart())); }
  bool Int64(int64_t i) { return Add(Node::Int(i, ValueStart())); }
  bool Uint64(uint64_t u) {
    if (u > static_cast<uint64_t>(INT64_MAX))
      return Add(Node::Float(static_cast<double>(u), ValueStart()));
    return Add(Node::Int(static_cast<int64_t>(u), ValueStart()));
  }
  bool Double(double d) { return Add(Node::Float(d, ValueStart())); }
  bool RawNumber(const Ch*, rapidjson::SizeType, bool) { return false; }
  bool String(const Ch* s, rapidjson::SizeType n, bool) {
    Position p = ValueStart();
    if (n > limits_.max_scalar_bytes) return Fail(p, "string exceeds the size limit");
    return Add(Node::String(doc_->CopyString({s, n}), p));
  }
  bool Key(const Ch* s, rapidjson::SizeType n, bool) {
    Position p = ValueStart();
    Frame& f = frames_.back();
    std::string_view key(s, n);
    for (size_t i = f.first; i < members_.size(); ++i) {
      if (members_[i].key_string() == key) {
        return Fail(p, "duplicate key \"" + std::string(key) + "\" (first defined at line " +
                           std::to_string(members_[i].key.position().line) + ")");
      }
    }
    f.key = Node::String(doc_->CopyString(key), p);
    f.have_key = true;
    return true;
  }
  bool StartObject() { return Start(true); }
  bool StartArray() { return Start(false); }
  bool EndObject(rapidjson::SizeType) { return End(); }
  bool EndArray(rapidjson::SizeType) { return End(); }

 private:
  Position ValueStart() {
    size_t i = last_end_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\r' ||
                                text_[i] == '\n' || text_[i] == ',' || text_[i] == ':')) {
      ++i;
    }
    last_end_ = stream_.Tell();
    return lines_.At(i);
  }
  bool Fail(Position p, std::string message) {
    error_ = std::move(message);
    error_pos_ = p;
    return false;
  }
  bool Start(bool object) {
    Position p = lines_.At(stream_.Tell() - 1);
    last_end_ = stream_.Tell();
    if (frames_.size() >= limits_.max_depth) {
      return Fail(p, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    Frame f;
    f.object = object;
    f.pos = p;
    f.first = object ? members_.size() : items_.size();
    frames_.push_back(f);
    return true;
  }
  bool End() {
    last_end_ = stream_.Tell();
    Frame f = frames_.back();
    frames_.pop_back();
    Node n;
    if (f.object) {
      size_t count = members_.size() - f.first;
      Member* dst = nullptr;
      if (count > 0) {
        dst =
            static_cast<Member*>(doc_->arena()->allocate(count * sizeof(Member), alignof(Member)));
        std::uninitialized_copy(members_.begin() + f.first, members_.end(), dst);
      }
      members_.resize(f.first);
      n = Node::Mapping(dst, static_cast<uint32_t>(count), f.pos);
    } else {
      size_t count = items_.size() - f.first;
      Node* dst = nullptr;
      if (count > 0) {
        dst = static_cast<Node*>(doc_->arena()->allocate(count * sizeof(Node), alignof(Node)));
        std::uninitialized_copy(items_.begin() + f.first, items_.end(), dst);
      }
      items_.resize(f.first);
      n = Node::Sequence(dst, static_cast<uint32_t>(count), f.pos);
    }
    return Place(n);
  }
  bool Add(const Node& n) {
    if (++nodes_ > limits_.max_expanded_nodes)
      return Fail(n.position(), "too many values in one document");
    return Place(n);
  }
  bool Place(const Node& n) {
    if (frames_.empty()) {
      doc_->set_root(n);
      have_root_ = true;
      return true;
    }
    Frame& f = frames_.back();
    if (f.object) {
      members_.push_back(Member{f.key, n});
      f.have_key = false;
    } else {
      items_.push_back(n);
    }
    return true;
  }

  std::string_view text_;
  const LineIndex& lines_;
  const OffsetStream& stream_;
  const DecodeLimits& limits_;
  Document* doc_ = nullptr;
  std::vector<Frame> frames_;
  std::vector<Node> items_;
  std::vector<Member> members_;
  bool have_root_ = false;
  size_t nodes_ = 0;
  size_t last_end_ = 0;
  std::string error_;
  Position error_pos_;
};

}  // namespace

DecodedSource DecodeJson(std::shared_ptr<const std::string> file, std::string_view content,
                         const DecodeLimits& limits) {
  DecodedSource out;
  LineIndex lines(content);
  OffsetStream stream(content);
  JsonBuilder builder(content, lines, stream, limits);
  // Skip a UTF-8 byte-order mark.
  if (content.substr(0, 3) == "\xEF\xBB\xBF") {
    stream.Take();
    stream.Take();
    stream.Take();
  }
  uint32_t index = 0;
  while (true) {
    while (stream.Peek() == ' ' || stream.Peek() == '\t' || stream.Peek() == '\r' ||
           stream.Peek() == '\n') {
      stream.Take();
    }
    if (stream.Tell() >= content.size()) break;
    Document doc(file, index, lines.At(stream.Tell()));
    builder.Reset(&doc);
    builder.set_last_end(stream.Tell());
    rapidjson::Reader reader;
    constexpr unsigned kFlags = rapidjson::kParseStopWhenDoneFlag |
                                rapidjson::kParseFullPrecisionFlag |
                                rapidjson::kParseValidateEncodingFlag;
    rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
    if (!result) {
      Diagnostic d;
      d.file = *file;
      if (!builder.error().empty()) {
        d.position = builder.error_position();
        d.message = builder.error();
      } else {
        d.position = lines.At(result.Offset());
        d.message = std::string("invalid JSON: ") + rapidjson::GetParseError_En(result.Code());
      }
      out.diagnostics.push_back(std::move(d));
      break;  // a JSON stream cannot be resynchronised after an error
    }
    out.documents.push_back(std::move(doc));
    ++index;
  }
  return out;
}

}  // namespace kspm::core
