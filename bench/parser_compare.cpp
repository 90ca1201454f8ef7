// parser_compare — measures candidate YAML and JSON parsers for kspm on the same inputs.
//
// Build (from /work/main; every library comes from Debian packages):
// clang-format off
//   g++ -O2 -std=c++20 -o /tmp/parser_compare bench/parser_compare.cpp $(pkg-config --cflags --libs yaml-0.1 libfyaml yaml-cpp) -lsimdjson
// clang-format on
// simdjson On-Demand is compiled into this file, so with plain -O2 it uses its portable
// "fallback" kernel; to see it with its AVX2 kernel add -march=haswell (output file
// /tmp/parser_compare_hsw) and run with --sections bench --only simdjson.
// Run (the machine is shared, so be nice):
//   nice -n 10 /tmp/parser_compare [--mb 50] [--reps 3] [--corpus DIR] [--only NAME]
//                                  [--sections demo,verify,fidelity,bench]
//
// What it does:
//   * generates realistic Kubernetes manifests in memory (one multi-document YAML stream of
//     about --mb MiB, and the same resources as one pretty-printed JSON `List`);
//   * reads every *.yaml / *.yml file under --corpus (default /work/shared/corpus/realworld),
//     read-only, as a second YAML input (one parse per file, as the scanner would);
//   * demo: prints the line:column each parser reports for the nodes of a small manifest;
//   * verify: checks, for every node of every input, that the reported position really
//     points at the node in the source text;
//   * fidelity: feeds YAML 1.1 edge cases (yes/no, 0777, duplicate keys, tabs, BOM, `---`)
//     to the YAML parsers and prints the structure each one returns;
//   * bench: parses each input --reps times per parser, each parser in a forked child so
//     heaps do not mix, and prints best-of throughput and the peak RSS delta.
//
// Every parse visits every node (events, or a walk over the DOM) and hands its position to
// a visitor, so the figures include getting at the positions, not just the raw parse.
// "tree" rows additionally build a compact arena tree (what kspm's Node would be) from the
// events, so event parsers can be compared with DOM parsers on total cost and memory.

#define RAPIDJSON_SSE2
#define KSPM_STRINGIFY_INNER(x) #x
#define KSPM_STRINGIFY(x) KSPM_STRINGIFY_INNER(x)
#include <fcntl.h>
#include <libfyaml.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml.h>

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <simdjson.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kspm::bench {
namespace {

// ---------------------------------------------------------------------------------------------
// Small utilities.

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return buf;
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Reads a "VmXxx:   123 kB" field of /proc/self/status.
long ProcStatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const size_t n = strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::strtol(line.c_str() + n + 1, nullptr, 10);
    }
  }
  return -1;
}

// Resets VmHWM (peak RSS) to the current RSS; Linux >= 4.0.
bool ResetPeakRss() {
  int fd = open("/proc/self/clear_refs", O_WRONLY);
  if (fd < 0) return false;
  bool ok = write(fd, "5", 1) == 1;
  close(fd);
  return ok;
}

// An input buffer followed by zero padding, so simdjson can read it in place and rapidjson's
// StringStream finds a terminating NUL.
class Buffer {
 public:
  static constexpr size_t kPadding = 64;
  static_assert(kPadding >= simdjson::SIMDJSON_PADDING);

  Buffer() = default;
  explicit Buffer(std::string_view text) : size_(text.size()) {
    data_ = std::make_unique<char[]>(size_ + kPadding);  // value-initialised: zero padding
    memcpy(data_.get(), text.data(), size_);
  }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

struct Input {
  std::string name;
  std::vector<std::string> file_names;  // one per buffer
  std::vector<Buffer> buffers;          // parsed one at a time, like files
  size_t bytes = 0;
};

// Start offset of every line, for turning (line, column) back into a byte offset.
class LineIndex {
 public:
  explicit LineIndex(std::string_view src) : src_(src) {
    starts_.push_back(0);
    for (const char* p = src.data();
         (p = static_cast<const char*>(memchr(p, '\n', src.data() + src.size() - p)));) {
      ++p;
      starts_.push_back(static_cast<size_t>(p - src.data()));
    }
  }
  // line and column are 1-based; column counted in bytes (or code points if chars is set).
  size_t Offset(uint32_t line, uint32_t column, bool chars) const {
    if (line == 0 || line > starts_.size()) return SIZE_MAX;
    size_t off = starts_[line - 1];
    if (!chars) return off + column - 1;
    for (uint32_t c = 1; c < column && off < src_.size(); ++c) {
      ++off;
      while (off < src_.size() && (static_cast<unsigned char>(src_[off]) & 0xC0) == 0x80) ++off;
    }
    return off;
  }

 private:
  std::string_view src_;
  std::vector<size_t> starts_;
};

// Turns byte offsets that only move forward (SAX order) into 1-based line:column by counting
// newlines incrementally: O(input) in total, no table needed.
class LineCursor {
 public:
  explicit LineCursor(std::string_view src) : src_(src) {}
  void Locate(size_t offset, uint32_t* line, uint32_t* column) {
    if (offset < offset_) {  // not expected in SAX order; restart from the top
      offset_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    const char* p = src_.data() + offset_;
    const char* end = src_.data() + offset;
    while ((p = static_cast<const char*>(memchr(p, '\n', end - p)))) {
      ++p;
      ++line_;
      line_start_ = static_cast<size_t>(p - src_.data());
    }
    offset_ = offset;
    *line = line_;
    *column = static_cast<uint32_t>(offset - line_start_ + 1);
  }

 private:
  std::string_view src_;
  size_t offset_ = 0;
  size_t line_start_ = 0;
  uint32_t line_ = 1;
};

// ---------------------------------------------------------------------------------------------
// What every parser adapter reports: one NodeEvent per node (scalar, alias, or start of a
// mapping/sequence), End() after the last child of a container, DocStart/DocEnd per document.

enum class NodeKind : uint8_t { kScalar, kMap, kSeq, kAlias };
enum class Style : uint8_t {
  kPlain,
  kSingle,
  kDouble,
  kLiteral,
  kFolded,
  kQuotedUnknown,  // yaml-cpp only says "not plain"
  kBlock,
  kFlow,
  kUnknown,
  kJsonString,
  kJsonOther,  // number, true, false, null
};

struct NodeEvent {
  NodeKind kind;
  Style style;
  bool is_key;
  std::string_view text;
  uint32_t line;    // 1-based; 0 = the parser gives no position
  uint32_t column;  // 1-based, as reported by the parser (bytes or characters)
};

// Tells, for event streams, whether the next node is a mapping key.
class KeyTracker {
 public:
  bool Next() {
    if (stack_.empty()) return false;
    Frame& f = stack_.back();
    return f.is_map && (f.count++ % 2 == 0);
  }
  void Push(bool is_map) { stack_.push_back({is_map, 0}); }
  void Pop() {
    if (!stack_.empty()) stack_.pop_back();
  }
  void Reset() { stack_.clear(); }

 private:
  struct Frame {
    bool is_map;
    uint32_t count;
  };
  std::vector<Frame> stack_;
};

// Cheapest possible consumer: counts and folds positions into a checksum.
struct ChecksumVisitor {
  uint64_t docs = 0, nodes = 0, with_pos = 0, keys = 0, text_bytes = 0, sum = 0;
  void DocStart() { ++docs; }
  void DocEnd() {}
  void Node(const NodeEvent& e) {
    ++nodes;
    with_pos += e.line != 0;
    keys += e.is_key;
    text_bytes += e.text.size();
    sum += uint64_t{e.line} * 131 + e.column;
  }
  void End() {}
};

// Builds a compact tree in an arena, the shape kspm's Node will have: 48 bytes per node plus
// a copy of the scalar text. Used to price "event parser + our own tree".
class Arena {
 public:
  void* Allocate(size_t n) {
    n = (n + 7) & ~size_t{7};
    if (n > left_) {
      size_t block = std::max(n, kBlockSize);
      blocks_.push_back(std::unique_ptr<char[]>(new char[block]));
      cur_ = blocks_.back().get();
      left_ = block;
    }
    void* p = cur_;
    cur_ += n;
    left_ -= n;
    return p;
  }

 private:
  static constexpr size_t kBlockSize = size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
};

struct TreeNode {
  const char* text;
  uint32_t size;
  uint32_t line;
  uint32_t column;
  NodeKind kind;
  Style style;
  bool is_key;
  TreeNode* first_child;
  TreeNode* last_child;
  TreeNode* next_sibling;
};

class TreeVisitor {
 public:
  uint64_t docs = 0, nodes = 0, with_pos = 0, keys = 0, text_bytes = 0, sum = 0;

  void DocStart() {
    ++docs;
    stack_.clear();
    TreeNode* doc = NewNode(NodeEvent{NodeKind::kSeq, Style::kUnknown, false, {}, 0, 0});
    roots_.push_back(doc);
    stack_.push_back(doc);
  }
  void DocEnd() { stack_.clear(); }
  void Node(const NodeEvent& e) {
    ++nodes;
    with_pos += e.line != 0;
    keys += e.is_key;
    text_bytes += e.text.size();
    sum += uint64_t{e.line} * 131 + e.column;
    TreeNode* n = NewNode(e);
    if (!stack_.empty()) {
      TreeNode* parent = stack_.back();
      if (parent->last_child) {
        parent->last_child->next_sibling = n;
      } else {
        parent->first_child = n;
      }
      parent->last_child = n;
    }
    if (e.kind == NodeKind::kMap || e.kind == NodeKind::kSeq) stack_.push_back(n);
  }
  void End() {
    if (!stack_.empty()) stack_.pop_back();
  }

 private:
  TreeNode* NewNode(const NodeEvent& e) {
    auto* n = static_cast<TreeNode*>(arena_.Allocate(sizeof(TreeNode)));
    char* text = nullptr;
    if (!e.text.empty()) {
      text = static_cast<char*>(arena_.Allocate(e.text.size()));
      memcpy(text, e.text.data(), e.text.size());
    }
    *n = TreeNode{text,     static_cast<uint32_t>(e.text.size()),
                  e.line,   e.column,
                  e.kind,   e.style,
                  e.is_key, nullptr,
                  nullptr,  nullptr};
    return n;
  }

  Arena arena_;
  std::vector<TreeNode*> roots_;
  std::vector<TreeNode*> stack_;
};

// Keeps every event, for the demo and the fidelity table (small inputs only).
struct RecordVisitor {
  struct Item {
    enum Type { kDocStart, kNode, kEnd } type;
    NodeEvent event;
    std::string text;
  };
  std::vector<Item> items;
  void DocStart() { items.push_back({Item::kDocStart, {}, {}}); }
  void DocEnd() {}
  void Node(const NodeEvent& e) { items.push_back({Item::kNode, e, std::string(e.text)}); }
  void End() { items.push_back({Item::kEnd, {}, {}}); }
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Checks that each reported position points at its node in the source.
class VerifyVisitor {
 public:
  VerifyVisitor(std::string_view src, bool json) : src_(src), index_(src), json_(json) {}

  uint64_t nodes = 0, no_pos = 0, unchecked = 0, ok_bytes = 0, ok_chars = 0, line_only = 0, bad = 0;
  std::vector<std::string> samples;

  void DocStart() {}
  void DocEnd() {}
  void End() {}
  void Node(const NodeEvent& e) {
    ++nodes;
    if (e.line == 0) {
      ++no_pos;
      return;
    }
    if (e.kind == NodeKind::kScalar && e.text.empty() && !json_) {
      ++unchecked;  // empty/null scalar: nothing to match against
      return;
    }
    size_t off = index_.Offset(e.line, e.column, false);
    if (Matches(off, e)) {
      ++ok_bytes;
      return;
    }
    size_t off_chars = index_.Offset(e.line, e.column, true);
    if (off_chars != off && Matches(off_chars, e)) {
      ++ok_chars;
      return;
    }
    if (e.column == 1 && (e.style == Style::kLiteral || e.style == Style::kFolded)) {
      // libfyaml: a block scalar is placed at column 1 of its first content line.
      size_t content = off;
      while (content < src_.size() && src_[content] == ' ') ++content;
      if (PlainMatches(content, e.text)) {
        ++line_only;
        return;
      }
    }
    ++bad;
    if (samples.size() < 3) {
      std::string got = off < src_.size() ? std::string(src_.substr(off, 24)) : "<eof>";
      std::string text(e.text.substr(0, 24));
      for (std::string* s : {&got, &text}) {
        std::replace(s->begin(), s->end(), '\n', '|');
      }
      samples.push_back(
          Format("%u:%u '%s' -> source '%s'", e.line, e.column, text.c_str(), got.c_str()));
    }
  }

 private:
  bool Matches(size_t off, const NodeEvent& e) const {
    if (off >= src_.size()) return false;
    const char c = src_[off];
    if (!json_ && (c == '&' || c == '!')) return true;  // anchor or tag written before the node
    switch (e.kind) {
      case NodeKind::kAlias:
        return c == '*';
      case NodeKind::kMap:
        if (json_ || e.style == Style::kFlow) return c == '{';
        return !IsSpace(c) && c != ':' && c != '-';  // block mapping: its first key
      case NodeKind::kSeq:
        if (json_ || e.style == Style::kFlow) return c == '[';
        return c == '-';
      case NodeKind::kScalar:
        break;
    }
    // Quoted and block scalars: libyaml and yaml-cpp point at the quote or the '|'/'>',
    // libfyaml at the first character of the content; both are accepted.
    const char before = off > 0 ? src_[off - 1] : '\0';
    switch (e.style) {
      case Style::kSingle:
        return c == '\'' || before == '\'';
      case Style::kDouble:
        return c == '"' || before == '"';
      case Style::kLiteral:
        return c == '|' || PlainMatches(off, e.text);
      case Style::kFolded:
        return c == '>' || PlainMatches(off, e.text);
      case Style::kQuotedUnknown:
        return c == '"' || c == '\'' || c == '|' || c == '>';
      case Style::kJsonString: {
        if (c != '"') return false;
        const std::string_view t = e.text.substr(0, 16);
        const std::string_view raw = src_.substr(off + 1, t.size());
        // With escapes the decoded text differs from the source; the quote is the check.
        return raw == t || raw.find('\\') != std::string_view::npos;
      }
      case Style::kJsonOther: {
        std::string_view t = e.text;
        while (!t.empty() && IsSpace(t.back())) t.remove_suffix(1);
        return src_.substr(off, t.size()) == t;
      }
      default:
        return PlainMatches(off, e.text);
    }
  }

  // Compares the first word only: folding may change what follows.
  bool PlainMatches(size_t off, std::string_view text) const {
    std::string_view t = text.substr(0, 24);
    size_t cut = t.find_first_of(" \n");
    if (cut != std::string_view::npos) t = t.substr(0, cut);
    return src_.substr(off, t.size()) == t;
  }

  std::string_view src_;
  LineIndex index_;
  bool json_;
};

// ---------------------------------------------------------------------------------------------
// Generator of realistic Kubernetes manifests. Each resource is built once as a Value and
// written both as a YAML document and as a JSON list item, so both inputs hold the same data.

struct Value {
  enum class Kind : uint8_t { kNull, kBool, kInt, kString, kMap, kSeq } kind = Kind::kNull;
  bool flow = false;  // YAML: write this sequence in flow style
  bool b = false;
  int64_t i = 0;
  std::string s;
  std::vector<std::pair<std::string, Value>> map;
  std::vector<Value> seq;
};

Value S(std::string s) {
  Value v;
  v.kind = Value::Kind::kString;
  v.s = std::move(s);
  return v;
}
Value I(int64_t i) {
  Value v;
  v.kind = Value::Kind::kInt;
  v.i = i;
  return v;
}
Value B(bool b) {
  Value v;
  v.kind = Value::Kind::kBool;
  v.b = b;
  return v;
}
Value M(std::vector<std::pair<std::string, Value>> pairs = {}) {
  Value v;
  v.kind = Value::Kind::kMap;
  v.map = std::move(pairs);
  return v;
}
Value L(std::vector<Value> items = {}, bool flow = false) {
  Value v;
  v.kind = Value::Kind::kSeq;
  v.seq = std::move(items);
  v.flow = flow;
  return v;
}
void Put(Value& map, std::string key, Value v) {
  map.map.emplace_back(std::move(key), std::move(v));
}

class ManifestGenerator {
 public:
  explicit ManifestGenerator(uint64_t seed) : rng_(seed) {}

  Value Next() {
    int r = Uniform(0, 99);
    if (r < 24) return Deployment("Deployment");
    if (r < 30) return Deployment("StatefulSet");
    if (r < 34) return Deployment("DaemonSet");
    if (r < 38) return CronJob();
    if (r < 52) return Service();
    if (r < 62) return ConfigMap();
    if (r < 67) return Secret();
    if (r < 73) return Role(Uniform(0, 1) ? "Role" : "ClusterRole");
    if (r < 79) return RoleBinding();
    if (r < 84) return ServiceAccount();
    if (r < 89) return Ingress();
    if (r < 94) return NetworkPolicy();
    if (r < 97) return Hpa();
    return Namespace();
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }
  template <size_t N>
  const char* Pick(const std::array<const char*, N>& a) {
    return a[static_cast<size_t>(Uniform(0, N - 1))];
  }

  static constexpr std::array<const char*, 24> kWords = {
      "payments", "checkout", "catalog",  "frontend", "gateway", "auth",   "orders",  "billing",
      "search",   "redis",    "postgres", "kafka",    "metrics", "ingest", "worker",  "scheduler",
      "notifier", "profile",  "cart",     "shipping", "ledger",  "audit",  "reports", "media"};
  static constexpr std::array<const char*, 8> kTeams = {"team-a", "platform", "data", "web",
                                                        "mobile", "infra",    "risk", "growth"};
  static constexpr std::array<const char*, 8> kRegistries = {
      "registry.example.com/",
      "ghcr.io/acme/",
      "docker.io/library/",
      "quay.io/acme/",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/",
      "gcr.io/acme-prod/",
      "",
      "mirror.local:5000/"};

  std::string Name() {
    std::string n = Pick(kWords);
    if (Chance(60)) n += std::string("-") + Pick(kWords);
    if (Chance(30)) n += "-" + std::to_string(Uniform(1, 99));
    return n;
  }
  std::string Hex(int n) {
    static const char* kHex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < n; ++i) s += kHex[Uniform(0, 15)];
    return s;
  }
  std::string Base64(int n) {
    static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string s;
    for (int i = 0; i < n; ++i) s += kB64[Uniform(0, 63)];
    return s + "==";
  }

  Value Labels(const std::string& app) {
    Value l = M();
    Put(l, "app", S(app));
    Put(l, "app.kubernetes.io/name", S(app));
    if (Chance(70)) Put(l, "app.kubernetes.io/part-of", S(Pick(kWords)));
    if (Chance(50))
      Put(l, "app.kubernetes.io/version",
          S(Format("%d.%d.%d", Uniform(0, 5), Uniform(0, 30), Uniform(0, 20))));
    if (Chance(60)) Put(l, "tier", S(Chance(50) ? "backend" : "frontend"));
    if (Chance(40)) Put(l, "team", S(Pick(kTeams)));
    return l;
  }

  Value Metadata(const std::string& name, bool namespaced, const std::string& app) {
    Value m = M();
    Put(m, "name", S(name));
    if (namespaced) Put(m, "namespace", S(Pick(kTeams)));
    Put(m, "labels", Labels(app));
    if (Chance(45)) {
      Value a = M();
      Put(a, "kubernetes.io/change-cause",
          S("kubectl apply --filename=deploy/" + name + ".yaml --record=true"));
      if (Chance(50)) Put(a, "owner", S(std::string(Pick(kTeams)) + "@example.com"));
      if (Chance(40)) Put(a, "checksum/config", S(Hex(64)));
      if (Chance(20))
        Put(a, "description",
            S("Handles " + std::string(Pick(kWords)) + " requests: sync and async paths"));
      Put(m, "annotations", std::move(a));
    }
    return m;
  }

  Value Probe(int port) {
    Value p = M();
    if (Chance(70)) {
      Put(p, "httpGet", M({{"path", S(Chance(50) ? "/healthz" : "/ready")}, {"port", I(port)}}));
    } else {
      Put(p, "tcpSocket", M({{"port", I(port)}}));
    }
    Put(p, "initialDelaySeconds", I(Uniform(0, 30)));
    Put(p, "periodSeconds", I(Uniform(5, 30)));
    if (Chance(50)) Put(p, "failureThreshold", I(Uniform(1, 6)));
    return p;
  }

  Value Container(const std::string& app, bool init) {
    Value c = M();
    Put(c, "name", S(init ? "init-" + app : (Chance(70) ? app : Name())));
    Put(c, "image",
        S(std::string(Pick(kRegistries)) + Pick(kWords) + ":" +
          (Chance(80) ? Format("%d.%d.%d", Uniform(0, 9), Uniform(0, 40), Uniform(0, 20))
                      : (Chance(50) ? "latest" : "sha256-" + Hex(12)))));
    if (Chance(60)) Put(c, "imagePullPolicy", S(Chance(70) ? "IfNotPresent" : "Always"));
    if (init || Chance(35)) {
      Put(c, "command", L({S("/bin/sh"), S("-c")}, Chance(50)));
      Put(c, "args",
          L({S("exec /app/" + app + " --config=/etc/" + app + "/config.yaml --log-level=info")}));
    } else if (Chance(40)) {
      Value args = L({}, Chance(50));
      for (int i = Uniform(1, 5); i > 0; --i)
        args.seq.push_back(S(Format("--%s=%d", Pick(kWords), Uniform(1, 9000))));
      Put(c, "args", std::move(args));
    }
    int port = 8000 + Uniform(0, 999);
    if (!init) {
      Value ports = L();
      for (int i = Uniform(1, 3); i > 0; --i) {
        Value p = M({{"containerPort", I(port + i - 1)}});
        if (Chance(70)) Put(p, "name", S(i == 1 ? "http" : Format("metrics-%d", i)));
        if (Chance(50)) Put(p, "protocol", S("TCP"));
        ports.seq.push_back(std::move(p));
      }
      Put(c, "ports", std::move(ports));
    }
    Value env = L();
    for (int i = Uniform(0, 10); i > 0; --i) {
      std::string var = Pick(kWords);
      for (char& ch : var) ch = static_cast<char>(toupper(ch));
      var += Format("_%s", Chance(50) ? "URL" : "TIMEOUT");
      if (Chance(20)) {
        env.seq.push_back(M(
            {{"name", S(var + "_PASSWORD")},
             {"valueFrom",
              M({{"secretKeyRef", M({{"name", S(app + "-secret")}, {"key", S("password")}})}})}}));
      } else if (Chance(10)) {
        env.seq.push_back(
            M({{"name", S("POD_NAME")},
               {"valueFrom", M({{"fieldRef", M({{"fieldPath", S("metadata.name")}})}})}}));
      } else {
        Value val = Chance(30)   ? S(std::to_string(Uniform(1, 600)))  // must be quoted in YAML
                    : Chance(10) ? S(Chance(50) ? "true" : "no")       // ditto
                                 : S(Format("http://%s.%s.svc.cluster.local:%d/api", Pick(kWords),
                                            Pick(kTeams), Uniform(80, 9999)));
        env.seq.push_back(M({{"name", S(var)}, {"value", std::move(val)}}));
      }
    }
    if (!env.seq.empty()) Put(c, "env", std::move(env));
    Value res = M();
    Put(res, "requests",
        M({{"cpu", S(Format("%dm", Uniform(1, 20) * 50))},
           {"memory", S(Format("%dMi", Uniform(1, 32) * 64))}}));
    if (Chance(70))
      Put(res, "limits",
          M({{"cpu", S(Format("%d", Uniform(1, 4)))},
             {"memory", S(Format("%dGi", Uniform(1, 8)))}}));
    Put(c, "resources", std::move(res));
    if (!init && Chance(70)) Put(c, "livenessProbe", Probe(port));
    if (!init && Chance(60)) Put(c, "readinessProbe", Probe(port));
    if (Chance(75)) {
      Value sc = M();
      Put(sc, "allowPrivilegeEscalation", B(Chance(15)));
      if (Chance(10)) Put(sc, "privileged", B(true));
      Put(sc, "readOnlyRootFilesystem", B(Chance(70)));
      if (Chance(70)) Put(sc, "runAsNonRoot", B(true));
      if (Chance(50)) Put(sc, "runAsUser", I(Uniform(1000, 65000)));
      Value caps = M({{"drop", L({S("ALL")}, Chance(50))}});
      if (Chance(15)) Put(caps, "add", L({S("NET_BIND_SERVICE")}, Chance(50)));
      Put(sc, "capabilities", std::move(caps));
      if (Chance(40)) Put(sc, "seccompProfile", M({{"type", S("RuntimeDefault")}}));
      Put(c, "securityContext", std::move(sc));
    }
    Value mounts = L();
    for (int i = Uniform(0, 3); i > 0; --i) {
      Value m = M({{"name", S(Format("vol-%d", i))},
                   {"mountPath", S(Format("/etc/%s/%d", app.c_str(), i))}});
      if (Chance(40)) Put(m, "readOnly", B(true));
      mounts.seq.push_back(std::move(m));
    }
    if (!mounts.seq.empty()) Put(c, "volumeMounts", std::move(mounts));
    return c;
  }

  Value PodSpec(const std::string& app) {
    Value spec = M();
    if (Chance(70)) Put(spec, "serviceAccountName", S(app));
    if (Chance(20)) Put(spec, "automountServiceAccountToken", B(false));
    if (Chance(5)) Put(spec, "hostNetwork", B(true));
    if (Chance(50)) {
      Value psc = M({{"runAsNonRoot", B(true)}, {"fsGroup", I(2000)}});
      if (Chance(50)) Put(psc, "seccompProfile", M({{"type", S("RuntimeDefault")}}));
      Put(spec, "securityContext", std::move(psc));
    }
    if (Chance(20)) Put(spec, "initContainers", L({Container(app, true)}));
    Value containers = L();
    for (int i = Chance(70) ? 1 : Uniform(2, 3); i > 0; --i)
      containers.seq.push_back(Container(app, false));
    Put(spec, "containers", std::move(containers));
    Value vols = L();
    for (int i = 1; i <= Uniform(0, 3); ++i) {
      int kind = Uniform(0, 3);
      Value v = M({{"name", S(Format("vol-%d", i))}});
      if (kind == 0) Put(v, "configMap", M({{"name", S(app + "-config")}}));
      if (kind == 1)
        Put(v, "secret", M({{"secretName", S(app + "-secret")}, {"defaultMode", I(0420)}}));
      if (kind == 2) Put(v, "emptyDir", M());
      if (kind == 3) Put(v, "hostPath", M({{"path", S("/var/log")}, {"type", S("Directory")}}));
      vols.seq.push_back(std::move(v));
    }
    if (!vols.seq.empty()) Put(spec, "volumes", std::move(vols));
    if (Chance(30)) Put(spec, "nodeSelector", M({{"kubernetes.io/os", S("linux")}}));
    if (Chance(20)) {
      Put(spec, "tolerations",
          L({M({{"key", S("dedicated")},
                {"operator", S("Equal")},
                {"value", S(Pick(kTeams))},
                {"effect", S("NoSchedule")}})}));
    }
    return spec;
  }

  Value Header(const char* api, const char* kind, const std::string& name, bool namespaced,
               const std::string& app) {
    Value r = M();
    Put(r, "apiVersion", S(api));
    Put(r, "kind", S(kind));
    Put(r, "metadata", Metadata(name, namespaced, app));
    return r;
  }

  Value Deployment(const char* kind) {
    std::string app = Name();
    Value r = Header("apps/v1", kind, app, true, app);
    Value spec = M();
    if (strcmp(kind, "DaemonSet") != 0) Put(spec, "replicas", I(Uniform(1, 12)));
    if (strcmp(kind, "StatefulSet") == 0) Put(spec, "serviceName", S(app));
    Put(spec, "selector", M({{"matchLabels", M({{"app", S(app)}})}}));
    if (strcmp(kind, "Deployment") == 0 && Chance(50)) {
      Put(spec, "strategy",
          M({{"type", S("RollingUpdate")},
             {"rollingUpdate", M({{"maxSurge", S("25%")}, {"maxUnavailable", I(0)}})}}));
    }
    Value tmeta = M({{"labels", Labels(app)}});
    if (Chance(50))
      Put(tmeta, "annotations",
          M({{"prometheus.io/scrape", S("true")}, {"prometheus.io/port", S("9090")}}));
    Put(spec, "template", M({{"metadata", std::move(tmeta)}, {"spec", PodSpec(app)}}));
    Put(r, "spec", std::move(spec));
    return r;
  }

  Value CronJob() {
    std::string app = Name();
    Value r = Header("batch/v1", "CronJob", app, true, app);
    Value pod = PodSpec(app);
    Put(pod, "restartPolicy", S("OnFailure"));
    Put(r, "spec",
        M({{"schedule", S(Format("%d */%d * * *", Uniform(0, 59), Uniform(1, 12)))},
           {"concurrencyPolicy", S("Forbid")},
           {"jobTemplate", M({{"spec", M({{"backoffLimit", I(3)},
                                          {"template", M({{"spec", std::move(pod)}})}})}})}}));
    return r;
  }

  Value Service() {
    std::string app = Name();
    Value r = Header("v1", "Service", app, true, app);
    Value spec = M();
    int t = Uniform(0, 9);
    Put(spec, "type", S(t < 7 ? "ClusterIP" : t < 9 ? "NodePort" : "LoadBalancer"));
    Put(spec, "selector", M({{"app", S(app)}}));
    Value ports = L();
    for (int i = Uniform(1, 3); i > 0; --i) {
      Value p = M({{"name", S(i == 1 ? "http" : Format("port-%d", i))},
                   {"port", I(80 + i * 1000)},
                   {"targetPort", I(8000 + i)}});
      if (Chance(50)) Put(p, "protocol", S("TCP"));
      if (t >= 7 && t < 9) Put(p, "nodePort", I(30000 + Uniform(0, 2767)));
      ports.seq.push_back(std::move(p));
    }
    Put(spec, "ports", std::move(ports));
    Put(r, "spec", std::move(spec));
    return r;
  }

  std::string ConfigText(const std::string& app) {
    std::string t;
    int kind = Uniform(0, 2);
    int n = Uniform(4, 40);
    for (int i = 0; i < n; ++i) {
      if (kind == 0) {
        t += Format("%s.%s.%s=%d\n", app.c_str(), Pick(kWords), Pick(kWords), Uniform(0, 10000));
      } else if (kind == 1) {
        t += Format("%*s%s: %s\n", (i % 3) * 2, "", Pick(kWords),
                    Chance(50) ? Pick(kTeams) : "true");
      } else {
        t += Format("location /%s {\n  proxy_pass http://%s:%d;\n}\n", Pick(kWords), Pick(kWords),
                    Uniform(80, 9000));
      }
    }
    return t;
  }

  Value ConfigMap() {
    std::string app = Name();
    Value r = Header("v1", "ConfigMap", app + "-config", true, app);
    Value data = M();
    for (int i = Uniform(1, 4); i > 0; --i) {
      if (Chance(60)) {
        Put(data, Format("%s-%d.conf", Pick(kWords), i), S(ConfigText(app)));
      } else {
        Put(data, Format("%s_%d", Pick(kWords), i),
            S(Chance(30) ? std::to_string(Uniform(1, 100)) : Pick(kTeams)));
      }
    }
    Put(r, "data", std::move(data));
    return r;
  }

  Value Secret() {
    std::string app = Name();
    Value r = Header("v1", "Secret", app + "-secret", true, app);
    Put(r, "type", S(Chance(80) ? "Opaque" : "kubernetes.io/tls"));
    Value data = M();
    for (int i = Uniform(1, 5); i > 0; --i)
      Put(data, Format("%s-%d", Pick(kWords), i), S(Base64(Uniform(16, 400))));
    Put(r, "data", std::move(data));
    return r;
  }

  Value Role(const char* kind) {
    std::string app = Name();
    Value r = Header("rbac.authorization.k8s.io/v1", kind, app, strcmp(kind, "Role") == 0, app);
    static constexpr std::array<const char*, 10> kResources = {
        "pods",        "pods/log", "secrets", "configmaps", "services",
        "deployments", "nodes",    "events",  "leases",     "*"};
    static constexpr std::array<const char*, 8> kVerbs = {"get",    "list",  "watch",  "create",
                                                          "update", "patch", "delete", "*"};
    Value rules = L();
    for (int i = Uniform(1, 6); i > 0; --i) {
      Value res = L({}, Chance(60));
      for (int j = Uniform(1, 4); j > 0; --j) res.seq.push_back(S(Pick(kResources)));
      Value verbs = L({}, Chance(70));
      for (int j = Uniform(1, 5); j > 0; --j) verbs.seq.push_back(S(Pick(kVerbs)));
      rules.seq.push_back(M({{"apiGroups", L({S(Chance(50) ? "" : "apps")}, Chance(70))},
                             {"resources", std::move(res)},
                             {"verbs", std::move(verbs)}}));
    }
    Put(r, "rules", std::move(rules));
    return r;
  }

  Value RoleBinding() {
    std::string app = Name();
    bool cluster = Chance(40);
    Value r = Header("rbac.authorization.k8s.io/v1", cluster ? "ClusterRoleBinding" : "RoleBinding",
                     app, !cluster, app);
    Value subjects = L();
    for (int i = Uniform(1, 3); i > 0; --i) {
      if (Chance(70)) {
        subjects.seq.push_back(M(
            {{"kind", S("ServiceAccount")}, {"name", S(Name())}, {"namespace", S(Pick(kTeams))}}));
      } else {
        subjects.seq.push_back(M({{"kind", S("Group")},
                                  {"name", S(std::string("system:") + Pick(kTeams))},
                                  {"apiGroup", S("rbac.authorization.k8s.io")}}));
      }
    }
    Put(r, "subjects", std::move(subjects));
    Put(r, "roleRef",
        M({{"apiGroup", S("rbac.authorization.k8s.io")},
           {"kind", S(cluster ? "ClusterRole" : "Role")},
           {"name", S(Chance(10) ? "cluster-admin" : Name())}}));
    return r;
  }

  Value ServiceAccount() {
    std::string app = Name();
    Value r = Header("v1", "ServiceAccount", app, true, app);
    if (Chance(30)) Put(r, "automountServiceAccountToken", B(false));
    return r;
  }

  Value Ingress() {
    std::string app = Name();
    Value r = Header("networking.k8s.io/v1", "Ingress", app, true, app);
    Value rules = L();
    for (int i = Uniform(1, 3); i > 0; --i) {
      Value paths = L();
      for (int j = Uniform(1, 3); j > 0; --j) {
        paths.seq.push_back(
            M({{"path", S(Format("/%s", Pick(kWords)))},
               {"pathType", S("Prefix")},
               {"backend",
                M({{"service", M({{"name", S(Name())}, {"port", M({{"number", I(80)}})}})}})}}));
      }
      rules.seq.push_back(M({{"host", S(Format("%s.example.com", Pick(kWords)))},
                             {"http", M({{"paths", std::move(paths)}})}}));
    }
    Value spec = M({{"ingressClassName", S("nginx")}, {"rules", std::move(rules)}});
    if (Chance(50))
      Put(spec, "tls",
          L({M({{"hosts", L({S(app + ".example.com")}, Chance(50))},
                {"secretName", S(app + "-tls")}})}));
    Put(r, "spec", std::move(spec));
    return r;
  }

  Value NetworkPolicy() {
    std::string app = Name();
    Value r = Header("networking.k8s.io/v1", "NetworkPolicy", app, true, app);
    Value spec = M({{"podSelector", M({{"matchLabels", M({{"app", S(app)}})}})},
                    {"policyTypes", L({S("Ingress"), S("Egress")}, Chance(60))}});
    Value from = L();
    from.seq.push_back(
        M({{"namespaceSelector", M({{"matchLabels", M({{"team", S(Pick(kTeams))}})}})}}));
    if (Chance(50))
      from.seq.push_back(M({{"ipBlock", M({{"cidr", S(Format("10.%d.0.0/16", Uniform(0, 255)))},
                                           {"except", L({S("10.0.1.0/24")})}})}}));
    Put(spec, "ingress",
        L({M({{"from", std::move(from)},
              {"ports", L({M({{"protocol", S("TCP")}, {"port", I(8080)}})})}})}));
    Put(spec, "egress", L({M({{"to", L({M({{"podSelector", M()}})})}})}));
    Put(r, "spec", std::move(spec));
    return r;
  }

  Value Hpa() {
    std::string app = Name();
    Value r = Header("autoscaling/v2", "HorizontalPodAutoscaler", app, true, app);
    Put(r, "spec",
        M({{"scaleTargetRef",
            M({{"apiVersion", S("apps/v1")}, {"kind", S("Deployment")}, {"name", S(app)}})},
           {"minReplicas", I(2)},
           {"maxReplicas", I(Uniform(3, 30))},
           {"metrics",
            L({M({{"type", S("Resource")},
                  {"resource", M({{"name", S("cpu")},
                                  {"target", M({{"type", S("Utilization")},
                                                {"averageUtilization", I(70)}})}})}})})}}));
    return r;
  }

  Value Namespace() {
    std::string team = Pick(kTeams);
    Value r = Header("v1", "Namespace", team + "-" + Hex(4), false, team);
    for (auto& [key, meta] : r.map) {
      if (key != "metadata") continue;
      for (auto& [mkey, labels] : meta.map) {
        if (mkey == "labels") {
          Put(labels, "pod-security.kubernetes.io/enforce",
              S(Chance(50) ? "restricted" : "baseline"));
        }
      }
    }
    return r;
  }

  std::mt19937_64 rng_;
};

// Writes Values as YAML the way people write manifests: block style, `- ` items either
// indented under their key or not (kubectl style), short lists sometimes in flow style,
// block literals for embedded files, the odd comment, quotes where needed and sometimes not.
class YamlWriter {
 public:
  YamlWriter(std::string* out, uint64_t seed) : out_(*out), rng_(seed) {}

  void Document(const Value& v) {
    indent_seqs_ = Chance(50);
    out_ += "---\n";
    if (Chance(10)) out_ += "# Source: generated by kspm bench/parser_compare\n";
    MapBody(v, 0, false);
  }

 private:
  bool Chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  void Pad(int n) { out_.append(static_cast<size_t>(n), ' '); }

  static bool LooksSpecial(const std::string& s) {
    static constexpr std::array<const char*, 12> kWords = {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "<<", "="};
    std::string lower;
    for (char c : s) lower += static_cast<char>(tolower(static_cast<unsigned char>(c)));
    for (const char* w : kWords) {
      if (lower == w) return true;
    }
    const char c0 = s[0];
    bool numeric_start = isdigit(static_cast<unsigned char>(c0)) ||
                         ((c0 == '-' || c0 == '+' || c0 == '.') && s.size() > 1 &&
                          isdigit(static_cast<unsigned char>(s[1])));
    if (numeric_start &&
        s.find_first_not_of("0123456789abcdefABCDEFxXoO._:+-") == std::string::npos) {
      return true;
    }
    return false;
  }

  static bool NeedsQuotes(const std::string& s, bool flow) {
    if (s.empty()) return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]) != nullptr) return true;
    if (s.back() == ' ' || s.back() == ':') return true;
    if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
    if (s.find_first_of("\t\n\\\"") != std::string::npos) return true;
    if (flow && s.find_first_of(",[]{}") != std::string::npos) return true;
    return LooksSpecial(s);
  }

  void DoubleQuoted(const std::string& s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (c == '\n') {
        out_ += "\\n";
      } else if (c == '\t') {
        out_ += "\\t";
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }

  void String(const std::string& s, bool flow) {
    if (NeedsQuotes(s, flow)) {
      if (s.find_first_of("'\\\n\t") == std::string::npos && Chance(30)) {
        out_ += '\'' + s + '\'';
      } else {
        DoubleQuoted(s);
      }
    } else if (Chance(flow ? 50 : 10)) {
      DoubleQuoted(s);
    } else if (Chance(4)) {
      out_ += '\'' + s + '\'';
    } else {
      out_ += s;
    }
  }

  void Scalar(const Value& v, bool flow) {
    switch (v.kind) {
      case Value::Kind::kNull:
        out_ += "null";
        break;
      case Value::Kind::kBool:
        out_ += v.b ? "true" : "false";
        break;
      case Value::Kind::kInt:
        out_ += std::to_string(v.i);
        break;
      case Value::Kind::kString:
        String(v.s, flow);
        break;
      case Value::Kind::kMap:
        out_ += "{}";
        break;
      case Value::Kind::kSeq:
        out_ += "[]";
        break;
    }
  }

  void BlockLiteral(const std::string& s, int indent) {
    out_ += s.back() == '\n' ? " |\n" : " |-\n";
    size_t pos = 0;
    while (pos < s.size()) {
      size_t nl = s.find('\n', pos);
      if (nl == std::string::npos) nl = s.size();
      if (nl > pos) {
        Pad(indent);
        out_.append(s, pos, nl - pos);
      }
      out_ += '\n';
      pos = nl + 1;
    }
  }

  static bool AllScalars(const Value& v) {
    for (const Value& item : v.seq) {
      if (item.kind == Value::Kind::kMap || item.kind == Value::Kind::kSeq) return false;
      if (item.kind == Value::Kind::kString && item.s.find('\n') != std::string::npos) return false;
    }
    return true;
  }

  void AfterKey(const Value& v, int indent) {
    switch (v.kind) {
      case Value::Kind::kMap:
        if (v.map.empty()) {
          out_ += " {}\n";
        } else {
          out_ += '\n';
          MapBody(v, indent + 2, false);
        }
        return;
      case Value::Kind::kSeq:
        if (v.seq.empty()) {
          out_ += " []\n";
        } else if (v.flow && AllScalars(v)) {
          out_ += " [";
          for (size_t i = 0; i < v.seq.size(); ++i) {
            if (i) out_ += ", ";
            Scalar(v.seq[i], true);
          }
          out_ += "]\n";
        } else {
          out_ += '\n';
          SeqBody(v, indent_seqs_ ? indent + 2 : indent);
        }
        return;
      case Value::Kind::kString:
        if (v.s.find('\n') != std::string::npos) {
          BlockLiteral(v.s, indent + 2);
          return;
        }
        [[fallthrough]];
      default:
        out_ += ' ';
        Scalar(v, false);
        out_ += '\n';
    }
  }

  void MapBody(const Value& m, int indent, bool first_inline) {
    bool first = true;
    for (const auto& [key, value] : m.map) {
      if (!(first && first_inline)) {
        if (Chance(1)) {
          Pad(indent);
          out_ += "# " + key + " follows\n";
        }
        Pad(indent);
      }
      first = false;
      if (NeedsQuotes(key, false) || Chance(3)) {
        DoubleQuoted(key);
      } else {
        out_ += key;
      }
      out_ += ':';
      AfterKey(value, indent);
    }
  }

  void SeqBody(const Value& s, int indent) {
    for (const Value& item : s.seq) {
      Pad(indent);
      out_ += '-';
      if (item.kind == Value::Kind::kMap && !item.map.empty()) {
        out_ += ' ';
        MapBody(item, indent + 2, true);
      } else if (item.kind == Value::Kind::kSeq && !item.seq.empty()) {
        out_ += '\n';
        SeqBody(item, indent + 2);
      } else if (item.kind == Value::Kind::kString && item.s.find('\n') != std::string::npos) {
        BlockLiteral(item.s, indent + 2);
      } else {
        out_ += ' ';
        Scalar(item, false);
        out_ += '\n';
      }
    }
  }

  std::string& out_;
  std::mt19937_64 rng_;
  bool indent_seqs_ = false;
};

// Writes Values as JSON, pretty-printed with 4 spaces like `kubectl get -o json`.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(*out) {}

  void Write(const Value& v, int indent) {
    switch (v.kind) {
      case Value::Kind::kNull:
        out_ += "null";
        return;
      case Value::Kind::kBool:
        out_ += v.b ? "true" : "false";
        return;
      case Value::Kind::kInt:
        out_ += std::to_string(v.i);
        return;
      case Value::Kind::kString:
        String(v.s);
        return;
      case Value::Kind::kMap:
        if (v.map.empty()) {
          out_ += "{}";
          return;
        }
        out_ += "{\n";
        for (size_t i = 0; i < v.map.size(); ++i) {
          Pad(indent + 4);
          String(v.map[i].first);
          out_ += ": ";
          Write(v.map[i].second, indent + 4);
          out_ += i + 1 < v.map.size() ? ",\n" : "\n";
        }
        Pad(indent);
        out_ += '}';
        return;
      case Value::Kind::kSeq:
        if (v.seq.empty()) {
          out_ += "[]";
          return;
        }
        out_ += "[\n";
        for (size_t i = 0; i < v.seq.size(); ++i) {
          Pad(indent + 4);
          Write(v.seq[i], indent + 4);
          out_ += i + 1 < v.seq.size() ? ",\n" : "\n";
        }
        Pad(indent);
        out_ += ']';
        return;
    }
  }

 private:
  void Pad(int n) { out_.append(static_cast<size_t>(n), ' '); }
  void String(const std::string& s) {
    out_ += '"';
    for (char c : s) {
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          out_ += c;
      }
    }
    out_ += '"';
  }

  std::string& out_;
};

struct Generated {
  std::string yaml;
  std::string json;
  size_t resources = 0;
};

Generated Generate(size_t target_bytes) {
  Generated g;
  g.yaml.reserve(target_bytes + (1 << 20));
  ManifestGenerator gen(20240601);
  YamlWriter yaml(&g.yaml, 42);
  JsonWriter json(&g.json);
  g.json = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
  while (g.yaml.size() < target_bytes) {
    Value r = gen.Next();
    yaml.Document(r);
    if (g.resources++) g.json += ",\n";
    g.json += "        ";
    json.Write(r, 8);
  }
  g.json +=
      "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n"
      "    }\n}\n";
  return g;
}

// ---------------------------------------------------------------------------------------------
// YAML adapters. Each has `template <class V> static std::string Parse(src, V&)` returning an
// empty string on success or the parser's error message.

Style FromLibyaml(yaml_scalar_style_t s) {
  switch (s) {
    case YAML_PLAIN_SCALAR_STYLE:
      return Style::kPlain;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      return Style::kSingle;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      return Style::kDouble;
    case YAML_LITERAL_SCALAR_STYLE:
      return Style::kLiteral;
    case YAML_FOLDED_SCALAR_STYLE:
      return Style::kFolded;
    default:
      return Style::kUnknown;
  }
}

struct LibyamlEvents {
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return "yaml_parser_initialize failed";
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(src.data()),
                                 src.size());
    KeyTracker keys;
    std::string error;
    for (bool done = false; !done;) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        error = Format("%s%s%s at %zu:%zu", parser.context ? parser.context : "",
                       parser.context ? ": " : "", parser.problem ? parser.problem : "error",
                       parser.problem_mark.line + 1, parser.problem_mark.column + 1);
        break;
      }
      const auto line = static_cast<uint32_t>(ev.start_mark.line + 1);
      const auto col = static_cast<uint32_t>(ev.start_mark.column + 1);
      switch (ev.type) {
        case YAML_STREAM_END_EVENT:
          done = true;
          break;
        case YAML_DOCUMENT_START_EVENT:
          keys.Reset();
          v.DocStart();
          break;
        case YAML_DOCUMENT_END_EVENT:
          v.DocEnd();
          break;
        case YAML_SCALAR_EVENT:
          v.Node(NodeEvent{
              NodeKind::kScalar,
              FromLibyaml(ev.data.scalar.style),
              keys.Next(),
              {reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length},
              line,
              col});
          break;
        case YAML_ALIAS_EVENT:
          v.Node(NodeEvent{NodeKind::kAlias, Style::kUnknown, keys.Next(),
                           reinterpret_cast<const char*>(ev.data.alias.anchor), line, col});
          break;
        case YAML_SEQUENCE_START_EVENT:
          v.Node(NodeEvent{NodeKind::kSeq,
                           ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE ? Style::kFlow
                                                                                    : Style::kBlock,
                           keys.Next(),
                           {},
                           line,
                           col});
          keys.Push(false);
          break;
        case YAML_MAPPING_START_EVENT:
          v.Node(NodeEvent{
              NodeKind::kMap,
              ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE ? Style::kFlow : Style::kBlock,
              keys.Next(),
              {},
              line,
              col});
          keys.Push(true);
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          keys.Pop();
          v.End();
          break;
        default:
          break;
      }
      yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return error;
  }
};

Style FromFyScalar(fy_scalar_style s) {
  switch (s) {
    case FYSS_PLAIN:
      return Style::kPlain;
    case FYSS_SINGLE_QUOTED:
      return Style::kSingle;
    case FYSS_DOUBLE_QUOTED:
      return Style::kDouble;
    case FYSS_LITERAL:
      return Style::kLiteral;
    case FYSS_FOLDED:
      return Style::kFolded;
    default:
      return Style::kUnknown;
  }
}

Style FromFyNode(fy_node_style s) {
  switch (s) {
    case FYNS_FLOW:
      return Style::kFlow;
    case FYNS_BLOCK:
      return Style::kBlock;
    case FYNS_PLAIN:
      return Style::kPlain;
    case FYNS_SINGLE_QUOTED:
      return Style::kSingle;
    case FYNS_DOUBLE_QUOTED:
      return Style::kDouble;
    case FYNS_LITERAL:
      return Style::kLiteral;
    case FYNS_FOLDED:
      return Style::kFolded;
    default:
      return Style::kUnknown;
  }
}

// A libfyaml parser whose diagnostics are captured as text instead of printed to stderr.
class FyParser {
 public:
  explicit FyParser(unsigned extra_flags) {
    fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = nullptr;
    dcfg.output_fn = [](fy_diag*, void* user, const char* buf, size_t len) {
      auto* text = static_cast<std::string*>(user);
      if (text->size() < 512) text->append(buf, len);
    };
    dcfg.user = &diag_text_;
    dcfg.colorize = false;
    dcfg.show_source = false;
    diag_ = fy_diag_create(&dcfg);
    fy_parse_cfg cfg{};
    cfg.flags = static_cast<fy_parse_cfg_flags>(extra_flags);
    cfg.diag = diag_;
    parser_ = fy_parser_create(&cfg);
  }
  ~FyParser() {
    if (parser_) fy_parser_destroy(parser_);
    if (diag_) fy_diag_destroy(diag_);
  }
  FyParser(const FyParser&) = delete;
  FyParser& operator=(const FyParser&) = delete;

  fy_parser* get() const { return parser_; }
  // First diagnostic line, e.g. "<memory-@...>:12:3: error: duplicate key".
  std::string Error() const {
    std::string first = diag_text_.substr(0, diag_text_.find('\n'));
    if (first.rfind("<memory", 0) == 0) first = first.substr(first.find('>') + 2);
    return first.empty() ? "parse error" : first;
  }

 private:
  std::string diag_text_;
  fy_diag* diag_ = nullptr;
  fy_parser* parser_ = nullptr;
};

template <unsigned kExtraFlags>
struct FyEvents {
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    FyParser parser(kExtraFlags);
    fy_parser* fyp = parser.get();
    if (!fyp || fy_parser_set_string(fyp, src.data(), src.size()) != 0) {
      return "fy_parser setup failed";
    }
    KeyTracker keys;
    fy_event* fye;
    while ((fye = fy_parser_parse(fyp)) != nullptr) {
      const fy_mark* m = fy_event_start_mark(fye);
      const uint32_t line = m ? static_cast<uint32_t>(m->line + 1) : 0;
      const uint32_t col = m ? static_cast<uint32_t>(m->column + 1) : 0;
      switch (fye->type) {
        case FYET_DOCUMENT_START:
          keys.Reset();
          v.DocStart();
          break;
        case FYET_DOCUMENT_END:
          v.DocEnd();
          break;
        case FYET_SCALAR: {
          size_t len = 0;
          const char* text = fy_token_get_text(fye->scalar.value, &len);
          v.Node(NodeEvent{NodeKind::kScalar,
                           FromFyScalar(fy_token_scalar_style(fye->scalar.value)),
                           keys.Next(),
                           {text ? text : "", text ? len : 0},
                           line,
                           col});
          break;
        }
        case FYET_ALIAS: {
          size_t len = 0;
          const char* text = fy_token_get_text(fye->alias.anchor, &len);
          v.Node(NodeEvent{NodeKind::kAlias,
                           Style::kUnknown,
                           keys.Next(),
                           {text ? text : "", text ? len : 0},
                           line,
                           col});
          break;
        }
        case FYET_SEQUENCE_START:
          v.Node(NodeEvent{NodeKind::kSeq,
                           FromFyNode(fy_event_get_node_style(fye)),
                           keys.Next(),
                           {},
                           line,
                           col});
          keys.Push(false);
          break;
        case FYET_MAPPING_START:
          v.Node(NodeEvent{NodeKind::kMap,
                           FromFyNode(fy_event_get_node_style(fye)),
                           keys.Next(),
                           {},
                           line,
                           col});
          keys.Push(true);
          break;
        case FYET_SEQUENCE_END:
        case FYET_MAPPING_END:
          keys.Pop();
          v.End();
          break;
        default:
          break;
      }
      fy_parser_event_free(fyp, fye);
    }
    return fy_parser_get_stream_error(fyp) ? parser.Error() : std::string();
  }
};

// Document API: builds one fy_document per YAML document; all are kept until the end, as
// an inventory would keep them. libfyaml 0.7.12 exposes a token (hence a position) only for
// scalar nodes: fy_node_get_scalar_token(). Mappings and sequences get no position.
template <unsigned kExtraFlags>
struct FyDocument {
  template <class V>
  static void Walk(fy_node* n, V& v, bool is_key) {
    if (n == nullptr) {  // empty key or value
      v.Node(NodeEvent{NodeKind::kScalar, Style::kPlain, is_key, {}, 0, 0});
      return;
    }
    switch (fy_node_get_type(n)) {
      case FYNT_SCALAR: {
        size_t len = 0;
        const char* text = fy_node_get_scalar(n, &len);
        uint32_t line = 0, col = 0;
        if (fy_token* tok = fy_node_get_scalar_token(n)) {
          if (const fy_mark* m = fy_token_start_mark(tok)) {
            line = static_cast<uint32_t>(m->line + 1);
            col = static_cast<uint32_t>(m->column + 1);
          }
        }
        const fy_node_style style = fy_node_get_style(n);
        v.Node(NodeEvent{style == FYNS_ALIAS ? NodeKind::kAlias : NodeKind::kScalar,
                         FromFyNode(style),
                         is_key,
                         {text ? text : "", text ? len : 0},
                         line,
                         col});
        return;
      }
      case FYNT_SEQUENCE: {
        v.Node(NodeEvent{NodeKind::kSeq, FromFyNode(fy_node_get_style(n)), is_key, {}, 0, 0});
        void* it = nullptr;
        while (fy_node* child = fy_node_sequence_iterate(n, &it)) Walk(child, v, false);
        v.End();
        return;
      }
      case FYNT_MAPPING: {
        v.Node(NodeEvent{NodeKind::kMap, FromFyNode(fy_node_get_style(n)), is_key, {}, 0, 0});
        void* it = nullptr;
        while (fy_node_pair* pair = fy_node_mapping_iterate(n, &it)) {
          Walk(fy_node_pair_key(pair), v, true);
          Walk(fy_node_pair_value(pair), v, false);
        }
        v.End();
        return;
      }
    }
  }

  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    FyParser parser(kExtraFlags);
    fy_parser* fyp = parser.get();
    if (!fyp || fy_parser_set_string(fyp, src.data(), src.size()) != 0) {
      return "fy_parser setup failed";
    }
    std::vector<fy_document*> docs;
    while (fy_document* fyd = fy_parse_load_document(fyp)) {
      v.DocStart();
      if (fy_node* root = fy_document_root(fyd)) Walk(root, v, false);
      v.DocEnd();
      docs.push_back(fyd);
    }
    std::string error;
    if (fy_parser_get_stream_error(fyp)) error = parser.Error();
    for (fy_document* fyd : docs) fy_parse_document_destroy(fyp, fyd);
    return error;
  }
};

// A read-only std::streambuf over memory, since yaml-cpp only reads std::istream.
class MemoryStreamBuf : public std::streambuf {
 public:
  explicit MemoryStreamBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // never written: get area only
    setg(p, p, p + s.size());
  }
};

void YamlCppMark(const YAML::Mark& m, uint32_t* line, uint32_t* col) {
  if (m.is_null()) {
    *line = *col = 0;
  } else {
    *line = static_cast<uint32_t>(m.line + 1);
    *col = static_cast<uint32_t>(m.column + 1);
  }
}

// YAML::LoadAll (YAML::Load only returns the first document of a stream).
struct YamlCppLoad {
  template <class V>
  static void Walk(const YAML::Node& n, V& v, bool is_key) {
    uint32_t line, col;
    YamlCppMark(n.Mark(), &line, &col);
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        v.Node(NodeEvent{NodeKind::kScalar, Style::kPlain, is_key, {}, line, col});
        return;
      case YAML::NodeType::Scalar:
        v.Node(NodeEvent{NodeKind::kScalar, n.Tag() == "!" ? Style::kQuotedUnknown : Style::kPlain,
                         is_key, n.Scalar(), line, col});
        return;
      case YAML::NodeType::Sequence:
        v.Node(NodeEvent{NodeKind::kSeq,
                         n.Style() == YAML::EmitterStyle::Flow ? Style::kFlow : Style::kBlock,
                         is_key,
                         {},
                         line,
                         col});
        for (const auto& child : n) Walk(child, v, false);
        v.End();
        return;
      case YAML::NodeType::Map:
        v.Node(NodeEvent{NodeKind::kMap,
                         n.Style() == YAML::EmitterStyle::Flow ? Style::kFlow : Style::kBlock,
                         is_key,
                         {},
                         line,
                         col});
        for (const auto& kv : n) {
          Walk(kv.first, v, true);
          Walk(kv.second, v, false);
        }
        v.End();
        return;
    }
  }

  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    try {
      MemoryStreamBuf buf(src);
      std::istream in(&buf);
      std::vector<YAML::Node> docs = YAML::LoadAll(in);
      for (const YAML::Node& d : docs) {
        v.DocStart();
        Walk(d, v, false);
        v.DocEnd();
      }
    } catch (const std::exception& e) {
      return e.what();
    }
    return {};
  }
};

// yaml-cpp's own event interface (YAML::Parser + EventHandler).
template <class V>
class YamlCppHandler : public YAML::EventHandler {
 public:
  explicit YamlCppHandler(V& v) : v_(v) {}
  void OnDocumentStart(const YAML::Mark&) override {
    keys_.Reset();
    v_.DocStart();
  }
  void OnDocumentEnd() override { v_.DocEnd(); }
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override {
    Emit(m, NodeKind::kScalar, Style::kPlain, {});
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    Emit(m, NodeKind::kAlias, Style::kUnknown, {});
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    Emit(m, NodeKind::kScalar, tag == "!" ? Style::kQuotedUnknown : Style::kPlain, value);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value style) override {
    Emit(m, NodeKind::kSeq, style == YAML::EmitterStyle::Flow ? Style::kFlow : Style::kBlock, {});
    keys_.Push(false);
  }
  void OnSequenceEnd() override {
    keys_.Pop();
    v_.End();
  }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value style) override {
    Emit(m, NodeKind::kMap, style == YAML::EmitterStyle::Flow ? Style::kFlow : Style::kBlock, {});
    keys_.Push(true);
  }
  void OnMapEnd() override {
    keys_.Pop();
    v_.End();
  }

 private:
  void Emit(const YAML::Mark& m, NodeKind kind, Style style, std::string_view text) {
    uint32_t line, col;
    YamlCppMark(m, &line, &col);
    v_.Node(NodeEvent{kind, style, keys_.Next(), text, line, col});
  }
  V& v_;
  KeyTracker keys_;
};

struct YamlCppEvents {
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    try {
      MemoryStreamBuf buf(src);
      std::istream in(&buf);
      YAML::Parser parser(in);
      YamlCppHandler<V> handler(v);
      while (parser.HandleNextDocument(handler)) {
      }
    } catch (const std::exception& e) {
      return e.what();
    }
    return {};
  }
};

// ---------------------------------------------------------------------------------------------
// JSON adapters.

// Positions for SAX parsers that only tell how far they have read (rapidjson's Tell(), or a
// counting iterator for nlohmann): a token starts at the first byte after the previous
// token's end that is not whitespace, ',' or ':'. Those are the only bytes that can sit
// between two JSON tokens, so this is exact, and it rescans only the inter-token whitespace.
// Brackets are found the same way, so it does not matter whether the parser calls
// StartObject before or after consuming '{' (rapidjson's iterative parser calls it before).
template <class V>
class SaxPositions {
 public:
  SaxPositions(std::string_view src, V& v) : src_(src), cursor_(src), v_(v) {}

  // A string, true, false or null; `end` is the parser's read offset just after it.
  void Scalar(Style style, bool is_key, std::string_view text, size_t end) {
    const size_t start = NextToken();
    prev_end_ = end;
    Emit(NodeKind::kScalar, style, is_key, text, start);
  }
  // A number whose end the parser does not tell exactly (nlohmann reads one byte ahead).
  void Number() {
    const size_t start = NextToken();
    size_t end = start;
    while (end < src_.size() && src_[end] != '\0' && strchr("+-0123456789.eE", src_[end])) ++end;
    prev_end_ = end;
    Emit(NodeKind::kScalar, Style::kJsonOther, false, src_.substr(start, end - start), start);
  }
  void Open(NodeKind kind) {
    const size_t start = NextToken();  // the '{' or '['
    prev_end_ = start + 1;
    Emit(kind, Style::kFlow, false, {}, start);
  }
  void Close() {
    prev_end_ = NextToken() + 1;  // past the '}' or ']'
    v_.End();
  }

 private:
  size_t NextToken() const {
    size_t p = prev_end_;
    while (p < src_.size() && (IsSpace(src_[p]) || src_[p] == ',' || src_[p] == ':')) ++p;
    return p;
  }
  void Emit(NodeKind kind, Style style, bool is_key, std::string_view text, size_t start) {
    uint32_t line, col;
    cursor_.Locate(start, &line, &col);
    v_.Node(NodeEvent{kind, style, is_key, text, line, col});
  }

  std::string_view src_;
  LineCursor cursor_;
  V& v_;
  size_t prev_end_ = 0;
};

// A minimal rapidjson input stream over memory that needs no terminating NUL and whose Tell()
// is exact inside handler callbacks. rapidjson's own StringStream is not: the reader parses
// strings and numbers on a local copy of a StringStream ("copy optimization") and calls the
// handler before writing the position back, so Tell() there still points before the token.
struct SpanStream {
  using Ch = char;
  explicit SpanStream(std::string_view s)
      : begin(s.data()), cur(s.data()), end(s.data() + s.size()) {}
  Ch Peek() const { return cur < end ? *cur : '\0'; }
  Ch Take() { return cur < end ? *cur++ : '\0'; }
  size_t Tell() const { return static_cast<size_t>(cur - begin); }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }
  const char* begin;
  const char* cur;
  const char* end;
};

// Found by argument-dependent lookup from inside rapidjson's reader, and preferred to its
// generic template: gives SpanStream the SSE2 whitespace skipping StringStream has.
inline void SkipWhitespace(SpanStream& s) { s.cur = rapidjson::SkipWhitespace_SIMD(s.cur, s.end); }

template <class V, class Stream>
class RapidjsonHandler {
 public:
  using Ch = char;
  RapidjsonHandler(std::string_view src, V& v, const Stream& stream)
      : pos_(src, v), stream_(stream) {}
  bool Null() { return Scalar("null"); }
  bool Bool(bool b) { return Scalar(b ? "true" : "false"); }
  bool Int(int) { return Scalar({}); }
  bool Uint(unsigned) { return Scalar({}); }
  bool Int64(int64_t) { return Scalar({}); }
  bool Uint64(uint64_t) { return Scalar({}); }
  bool Double(double) { return Scalar({}); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool) { return Scalar({s, n}); }
  bool String(const Ch* s, rapidjson::SizeType n, bool) {
    pos_.Scalar(Style::kJsonString, false, {s, n}, stream_.Tell());
    return true;
  }
  bool Key(const Ch* s, rapidjson::SizeType n, bool) {
    pos_.Scalar(Style::kJsonString, true, {s, n}, stream_.Tell());
    return true;
  }
  bool StartObject() {
    pos_.Open(NodeKind::kMap);
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    pos_.Close();
    return true;
  }
  bool StartArray() {
    pos_.Open(NodeKind::kSeq);
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    pos_.Close();
    return true;
  }

 private:
  bool Scalar(std::string_view text) {
    pos_.Scalar(Style::kJsonOther, false, text, stream_.Tell());
    return true;
  }
  SaxPositions<V> pos_;
  const Stream& stream_;
};

constexpr unsigned kRapidjsonSaxFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;

// StringStream: NUL-terminated input; fast, but Tell() is stale in callbacks (see SpanStream).
struct RapidjsonSaxStringStream {
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    rapidjson::StringStream stream(src.data());  // Buffer guarantees the NUL after the data
    RapidjsonHandler<V, rapidjson::StringStream> handler(src, v, stream);
    rapidjson::Reader reader;
    v.DocStart();
    rapidjson::ParseResult r = reader.Parse<kRapidjsonSaxFlags>(stream, handler);
    v.DocEnd();
    if (r.IsError()) return Format("rapidjson error %d at byte %zu", r.Code(), r.Offset());
    return {};
  }
};

struct RapidjsonSax {  // our SpanStream: exact Tell(), SSE2 skipping, no NUL needed
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    SpanStream stream(src);
    RapidjsonHandler<V, SpanStream> handler(src, v, stream);
    rapidjson::Reader reader;
    v.DocStart();
    rapidjson::ParseResult r = reader.Parse<kRapidjsonSaxFlags>(stream, handler);
    v.DocEnd();
    if (r.IsError()) return Format("rapidjson error %d at byte %zu", r.Code(), r.Offset());
    return {};
  }
};

struct RapidjsonDom {  // no positions: the DOM does not keep them
  template <class V>
  static void Walk(const rapidjson::Value& n, V& v) {
    if (n.IsObject()) {
      v.Node(NodeEvent{NodeKind::kMap, Style::kFlow, false, {}, 0, 0});
      for (auto it = n.MemberBegin(); it != n.MemberEnd(); ++it) {
        v.Node(NodeEvent{NodeKind::kScalar,
                         Style::kJsonString,
                         true,
                         {it->name.GetString(), it->name.GetStringLength()},
                         0,
                         0});
        Walk(it->value, v);
      }
      v.End();
    } else if (n.IsArray()) {
      v.Node(NodeEvent{NodeKind::kSeq, Style::kFlow, false, {}, 0, 0});
      for (const auto& child : n.GetArray()) Walk(child, v);
      v.End();
    } else if (n.IsString()) {
      v.Node(NodeEvent{NodeKind::kScalar,
                       Style::kJsonString,
                       false,
                       {n.GetString(), n.GetStringLength()},
                       0,
                       0});
    } else {
      v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonOther, false, {}, 0, 0});
    }
  }
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    rapidjson::Document d;
    d.Parse<rapidjson::kParseIterativeFlag>(src.data(), src.size());
    if (d.HasParseError()) {
      return Format("rapidjson error %d at byte %zu", d.GetParseError(), d.GetErrorOffset());
    }
    v.DocStart();
    Walk(d, v);
    v.DocEnd();
    return {};
  }
};

struct SimdjsonDom {  // no positions: the tape does not point back into the source
  template <class V>
  static void Walk(simdjson::dom::element e, V& v) {
    switch (e.type()) {
      case simdjson::dom::element_type::OBJECT: {
        v.Node(NodeEvent{NodeKind::kMap, Style::kFlow, false, {}, 0, 0});
        const simdjson::dom::object obj = e.get_object().value_unsafe();  // a copy: no dangling
        for (simdjson::dom::key_value_pair kv : obj) {
          v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonString, true, kv.key, 0, 0});
          Walk(kv.value, v);
        }
        v.End();
        return;
      }
      case simdjson::dom::element_type::ARRAY: {
        v.Node(NodeEvent{NodeKind::kSeq, Style::kFlow, false, {}, 0, 0});
        const simdjson::dom::array arr = e.get_array().value_unsafe();
        for (simdjson::dom::element child : arr) Walk(child, v);
        v.End();
        return;
      }
      case simdjson::dom::element_type::STRING:
        v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonString, false,
                         e.get_string().value_unsafe(), 0, 0});
        return;
      default:
        v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonOther, false, {}, 0, 0});
        return;
    }
  }
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    static simdjson::dom::parser parser;  // reused across calls, as simdjson recommends
    simdjson::dom::element root;
    auto err = parser.parse(src.data(), src.size(), false).get(root);
    if (err) return simdjson::error_message(err);
    v.DocStart();
    Walk(root, v);
    v.DocEnd();
    return {};
  }
};

// On-Demand: every value can tell where its token starts (raw_json_token(), a view into the
// input) and every key where its text starts (field::key().raw()), so positions come back.
template <class V>
struct SimdjsonOndemandWalker {
  std::string_view src;
  LineCursor cursor;
  V& v;

  void Emit(NodeKind kind, Style style, bool is_key, std::string_view text, const char* at) {
    uint32_t line, col;
    cursor.Locate(static_cast<size_t>(at - src.data()), &line, &col);
    v.Node(NodeEvent{kind, style, is_key, text, line, col});
  }

  simdjson::error_code Walk(simdjson::ondemand::value val) {
    simdjson::ondemand::json_type type;
    if (auto err = val.type().get(type)) return err;
    const std::string_view token = val.raw_json_token();
    switch (type) {
      case simdjson::ondemand::json_type::object: {
        Emit(NodeKind::kMap, Style::kFlow, false, {}, token.data());
        simdjson::ondemand::object obj;
        if (auto err = val.get_object().get(obj)) return err;
        for (auto field_result : obj) {
          simdjson::ondemand::field field;
          if (auto err = std::move(field_result).get(field)) return err;
          const char* key_at = field.key().raw() - 1;  // raw() is just after the quote
          std::string_view key;
          if (auto err = field.unescaped_key().get(key)) return err;
          Emit(NodeKind::kScalar, Style::kJsonString, true, key, key_at);
          if (auto err = Walk(field.value())) return err;
        }
        v.End();
        return simdjson::SUCCESS;
      }
      case simdjson::ondemand::json_type::array: {
        Emit(NodeKind::kSeq, Style::kFlow, false, {}, token.data());
        simdjson::ondemand::array arr;
        if (auto err = val.get_array().get(arr)) return err;
        for (auto child_result : arr) {
          simdjson::ondemand::value child;
          if (auto err = std::move(child_result).get(child)) return err;
          if (auto err = Walk(child)) return err;
        }
        v.End();
        return simdjson::SUCCESS;
      }
      case simdjson::ondemand::json_type::string: {
        std::string_view s;
        if (auto err = val.get_string().get(s)) return err;
        Emit(NodeKind::kScalar, Style::kJsonString, false, s, token.data());
        return simdjson::SUCCESS;
      }
      default: {  // number, boolean, null: keep the raw token, resolution is ours
        std::string_view raw = token;
        while (!raw.empty() && IsSpace(raw.back())) raw.remove_suffix(1);
        if (type == simdjson::ondemand::json_type::boolean) {
          bool b;
          if (auto err = val.get_bool().get(b)) return err;
        } else if (type == simdjson::ondemand::json_type::null) {
          bool is_null;
          if (auto err = val.is_null().get(is_null)) return err;
        }
        Emit(NodeKind::kScalar, Style::kJsonOther, false, raw, token.data());
        return simdjson::SUCCESS;
      }
    }
  }
};

struct SimdjsonOndemand {
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    static simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    auto err = parser
                   .iterate(simdjson::padded_string_view(src.data(), src.size(),
                                                         src.size() + Buffer::kPadding))
                   .get(doc);
    if (err) return simdjson::error_message(err);
    simdjson::ondemand::value root;
    if ((err = doc.get_value().get(root))) return simdjson::error_message(err);
    SimdjsonOndemandWalker<V> walker{src, LineCursor(src), v};
    v.DocStart();
    err = walker.Walk(root);
    v.DocEnd();
    return err ? simdjson::error_message(err) : std::string();
  }
};

struct NlohmannDom {  // no positions in 3.11 (3.12 adds JSON_DIAGNOSTIC_POSITIONS)
  template <class V>
  static void Walk(const nlohmann::json& j, V& v) {
    if (j.is_object()) {
      v.Node(NodeEvent{NodeKind::kMap, Style::kFlow, false, {}, 0, 0});
      for (auto it = j.begin(); it != j.end(); ++it) {
        v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonString, true, it.key(), 0, 0});
        Walk(it.value(), v);
      }
      v.End();
    } else if (j.is_array()) {
      v.Node(NodeEvent{NodeKind::kSeq, Style::kFlow, false, {}, 0, 0});
      for (const auto& child : j) Walk(child, v);
      v.End();
    } else if (j.is_string()) {
      v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonString, false,
                       j.get_ref<const std::string&>(), 0, 0});
    } else {
      v.Node(NodeEvent{NodeKind::kScalar, Style::kJsonOther, false, {}, 0, 0});
    }
  }
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    nlohmann::json j = nlohmann::json::parse(src.begin(), src.end(), nullptr, false);
    if (j.is_discarded()) return "nlohmann: parse error";
    v.DocStart();
    Walk(j, v);
    v.DocEnd();
    return {};
  }
};

// An input iterator that publishes how far nlohmann's lexer has read.
struct TrackingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p;
  const char** progress;
  reference operator*() const { return *p; }
  TrackingIterator& operator++() {
    *progress = ++p;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackingIterator& o) const { return p == o.p; }
  bool operator!=(const TrackingIterator& o) const { return p != o.p; }
};

template <class V>
class NlohmannSax {
 public:
  using json = nlohmann::json;
  NlohmannSax(std::string_view src, V& v) : src_(src), pos_(src, v), progress_(src.data()) {}
  const char** progress() { return &progress_; }

  bool null() { return Scalar(Style::kJsonOther, "null"); }
  bool boolean(bool b) { return Scalar(Style::kJsonOther, b ? "true" : "false"); }
  bool number_integer(json::number_integer_t) { return Number(); }
  bool number_unsigned(json::number_unsigned_t) { return Number(); }
  bool number_float(json::number_float_t, const json::string_t&) { return Number(); }
  bool string(json::string_t& s) { return Scalar(Style::kJsonString, s); }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) {
    pos_.Open(NodeKind::kMap);
    return true;
  }
  bool key(json::string_t& s) {
    pos_.Scalar(Style::kJsonString, true, s, Read());
    return true;
  }
  bool end_object() {
    pos_.Close();
    return true;
  }
  bool start_array(std::size_t) {
    pos_.Open(NodeKind::kSeq);
    return true;
  }
  bool end_array() {
    pos_.Close();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error_ = Format("nlohmann: %s (byte %zu)", e.what(), position);
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  size_t Read() const { return static_cast<size_t>(progress_ - src_.data()); }
  bool Scalar(Style style, std::string_view text) {
    pos_.Scalar(style, false, text, Read());
    return true;
  }
  bool Number() {
    pos_.Number();
    return true;
  }
  std::string_view src_;
  SaxPositions<V> pos_;
  const char* progress_;
  std::string error_;
};

struct NlohmannSaxParse {
  template <class V>
  static std::string Parse(std::string_view src, V& v) {
    NlohmannSax<V> sax(src, v);
    TrackingIterator first{src.data(), sax.progress()};
    TrackingIterator last{src.data() + src.size(), sax.progress()};
    v.DocStart();
    bool ok = nlohmann::json::sax_parse(first, last, &sax);
    v.DocEnd();
    if (!ok) return sax.error().empty() ? "nlohmann: sax_parse failed" : sax.error();
    return {};
  }
};

// ---------------------------------------------------------------------------------------------
// Harness.

struct Parser {
  std::string name;
  std::string column;  // short name for the demo table
  bool json;
  bool events;  // event/SAX API: also measured with our arena tree
  std::function<std::string(std::string_view, ChecksumVisitor&)> walk;
  std::function<std::string(std::string_view, TreeVisitor&)> tree;
  std::function<std::string(std::string_view, VerifyVisitor&)> verify;
  std::function<std::string(std::string_view, RecordVisitor&)> record;
};

template <class P>
Parser MakeParser(std::string name, std::string column, bool json, bool events) {
  return Parser{std::move(name),
                std::move(column),
                json,
                events,
                [](std::string_view s, ChecksumVisitor& v) { return P::Parse(s, v); },
                [](std::string_view s, TreeVisitor& v) { return P::Parse(s, v); },
                [](std::string_view s, VerifyVisitor& v) { return P::Parse(s, v); },
                [](std::string_view s, RecordVisitor& v) { return P::Parse(s, v); }};
}

std::vector<Parser> YamlParsers() {
  return {MakeParser<LibyamlEvents>("libyaml events", "libyaml", false, true),
          MakeParser<FyEvents<0>>("libfyaml events", "fy-events", false, true),
          MakeParser<FyDocument<0>>("libfyaml document", "fy-doc", false, false),
          MakeParser<YamlCppLoad>("yaml-cpp LoadAll", "ycpp-load", false, false),
          MakeParser<YamlCppEvents>("yaml-cpp events", "ycpp-ev", false, true)};
}

std::vector<Parser> FidelityParsers() {
  std::vector<Parser> p = YamlParsers();
  p.insert(p.begin() + 2, MakeParser<FyEvents<FYPCF_DEFAULT_VERSION_1_1>>("libfyaml events 1.1",
                                                                          "fy-1.1", false, true));
  return p;
}

std::vector<Parser> JsonParsers() {
  return {
      MakeParser<RapidjsonSax>("rapidjson SAX (own stream)", "rj-sax", true, true),
      MakeParser<RapidjsonSaxStringStream>("rapidjson SAX (StringStream)", "rj-strstr", true, true),
      MakeParser<RapidjsonDom>("rapidjson DOM", "rj-dom", true, false),
      MakeParser<SimdjsonDom>("simdjson DOM", "sj-dom", true, false),
      MakeParser<SimdjsonOndemand>("simdjson ondemand", "sj-od", true, true),
      MakeParser<NlohmannDom>("nlohmann parse", "nl-parse", true, false),
      MakeParser<NlohmannSaxParse>("nlohmann sax_parse", "nl-sax", true, true)};
}

// Sent from a measuring child to the parent through a pipe; trivially copyable.
struct ChildResult {
  int status = 0;  // 0 ok, >0 signal that killed the child, -1 other failure
  int failures = 0;
  double best_cpu = 0, best_wall = 0;
  long baseline_kb = 0, peak_delta_kb = 0;
  uint64_t docs = 0, nodes = 0, with_pos = 0, keys = 0;
  uint64_t v_ok_bytes = 0, v_ok_chars = 0, v_line_only = 0, v_bad = 0, v_no_pos = 0,
           v_unchecked = 0;
  char first_error[1000] = {};
  char samples[3][200] = {};
};

// Runs body in a forked child so each measurement starts from the same heap and its peak RSS
// is its own.
ChildResult RunInChild(const std::function<void(ChildResult*)>& body) {
  int fds[2];
  if (pipe(fds) != 0) return ChildResult{-1};
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto* r = new ChildResult();
    body(r);
    const char* p = reinterpret_cast<const char*>(r);
    size_t left = sizeof(ChildResult);
    while (left > 0) {
      ssize_t n = write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  ChildResult r;
  char* p = reinterpret_cast<char*>(&r);
  size_t got = 0;
  while (got < sizeof(r)) {
    ssize_t n = read(fds[0], p + got, sizeof(r) - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != sizeof(r)) {
    r = ChildResult();
    r.status = WIFSIGNALED(status) ? WTERMSIG(status) : -1;
  }
  return r;
}

// Keeps the first few failures ("file: message; file: message").
void NoteError(ChildResult* r, const std::string& file, const std::string& err) {
  if (r->failures++ >= 8) return;
  const size_t used = strlen(r->first_error);
  snprintf(r->first_error + used, sizeof(r->first_error) - used, "%s%s: %s", used ? "; " : "",
           std::filesystem::path(file).filename().c_str(), err.c_str());
}

template <class Visitor>
void Measure(const std::function<std::string(std::string_view, Visitor&)>& fn, const Input& in,
             int reps, ChildResult* r) {
  ResetPeakRss();
  r->baseline_kb = ProcStatusKb("VmRSS");
  r->best_cpu = r->best_wall = 1e100;
  for (int rep = 0; rep < reps; ++rep) {
    ChildResult totals;
    const double cpu0 = CpuSeconds(), wall0 = WallSeconds();
    for (size_t i = 0; i < in.buffers.size(); ++i) {
      Visitor v;
      std::string err = fn(in.buffers[i].view(), v);
      if (!err.empty()) NoteError(&totals, in.file_names[i], err);
      totals.docs += v.docs;
      totals.nodes += v.nodes;
      totals.with_pos += v.with_pos;
      totals.keys += v.keys;
    }
    const double cpu = CpuSeconds() - cpu0, wall = WallSeconds() - wall0;
    r->best_cpu = std::min(r->best_cpu, cpu);
    r->best_wall = std::min(r->best_wall, wall);
    r->failures = totals.failures;
    memcpy(r->first_error, totals.first_error, sizeof(r->first_error));
    r->docs = totals.docs;
    r->nodes = totals.nodes;
    r->with_pos = totals.with_pos;
    r->keys = totals.keys;
  }
  r->peak_delta_kb = ProcStatusKb("VmHWM") - r->baseline_kb;
}

void Verify(const Parser& p, const Input& in, ChildResult* r) {
  int sample = 0;
  for (size_t i = 0; i < in.buffers.size(); ++i) {
    VerifyVisitor v(in.buffers[i].view(), p.json);
    std::string err = p.verify(in.buffers[i].view(), v);
    if (!err.empty()) NoteError(r, in.file_names[i], err);
    r->nodes += v.nodes;
    r->v_ok_bytes += v.ok_bytes;
    r->v_ok_chars += v.ok_chars;
    r->v_line_only += v.line_only;
    r->v_bad += v.bad;
    r->v_no_pos += v.no_pos;
    r->v_unchecked += v.unchecked;
    for (const std::string& s : v.samples) {
      if (sample < 3) {
        snprintf(r->samples[sample++], sizeof(r->samples[0]), "%s %s",
                 std::filesystem::path(in.file_names[i]).filename().c_str(), s.c_str());
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs.

Input MakeInput(std::string name, std::string file_name, std::string_view text) {
  Input in;
  in.name = std::move(name);
  in.file_names.push_back(std::move(file_name));
  in.buffers.emplace_back(text);
  in.bytes = text.size();
  return in;
}

Input LoadCorpus(const std::string& dir, const std::vector<std::string>& extensions,
                 std::string name) {
  Input in;
  in.name = std::move(name);
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string ext = it->path().extension().string();
    if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream s(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(s)), std::istreambuf_iterator<char>());
    in.bytes += text.size();
    in.buffers.emplace_back(text);
    in.file_names.push_back(f.string());
  }
  return in;
}

// ---------------------------------------------------------------------------------------------
// Demo: positions of the nodes of one small manifest, per parser.

constexpr char kDemoYaml[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "front"}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: app
        image: "nginx:1.25"
        args: [--port, '8080']
        securityContext:
          privileged: true
        env:
          - name: CFG
            value: |
              a: 1
)";

constexpr char kDemoJson[] = R"({
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "web", "labels": {"app": "web"}},
  "spec": {
    "replicas": 3,
    "template": {"spec": {"containers": [
      {"name": "app", "image": "nginx:1.25", "args": ["--port", "8080"],
       "securityContext": {"privileged": true}}
    ]}}
  }
}
)";

std::string Printable(std::string_view s, size_t max) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::string NodeLabel(const RecordVisitor::Item& item) {
  switch (item.event.kind) {
    case NodeKind::kMap:
      return "{mapping}";
    case NodeKind::kSeq:
      return "[sequence]";
    case NodeKind::kAlias:
      return "*" + item.text;
    case NodeKind::kScalar:
      break;
  }
  std::string s = Printable(item.text, 20);
  return item.event.is_key ? s + ":" : s;
}

void PrintDemo(const char* title, std::string_view text, const std::vector<Parser>& parsers) {
  Buffer buf(text);
  std::vector<std::vector<RecordVisitor::Item>> nodes(parsers.size());
  printf("\n### %s\n\n", title);
  for (size_t i = 0; i < parsers.size(); ++i) {
    RecordVisitor rec;
    std::string err = parsers[i].record(buf.view(), rec);
    if (!err.empty()) printf("%s: error: %s\n", parsers[i].name.c_str(), err.c_str());
    for (auto& item : rec.items) {
      if (item.type == RecordVisitor::Item::kNode) nodes[i].push_back(item);
    }
  }
  printf("%-24s", "node (line:column, 1-based)");
  for (const Parser& p : parsers) printf(" %-9s", p.column.c_str());
  printf("\n");
  size_t rows = 0;
  for (const auto& n : nodes) rows = std::max(rows, n.size());
  for (size_t r = 0; r < rows; ++r) {
    std::string label;
    for (const auto& n : nodes) {
      if (r < n.size()) {
        label = NodeLabel(n[r]);
        break;
      }
    }
    printf("%-24s", label.c_str());
    for (const auto& n : nodes) {
      std::string cell = r >= n.size() ? "(none)"
                         : n[r].event.line == 0
                             ? "-"
                             : Format("%u:%u", n[r].event.line, n[r].event.column);
      printf(" %-9s", cell.c_str());
    }
    printf("\n");
  }
}

// ---------------------------------------------------------------------------------------------
// YAML 1.1 fidelity: structure returned for edge cases.

struct FidelityCase {
  const char* name;
  std::string input;
  bool show_positions;
};

std::vector<FidelityCase> FidelityCases() {
  return {
      {"yaml11-bools", "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: \"yes\"\n", false},
      {"octal-and-numbers", "mode: 0777\nhex: 0x1F\nsexagesimal: 1:20\nfloat: 1e3\nver: 1.10\n",
       false},
      {"null-forms", "a:\nb: ~\nc: null\nd: Null\ne: ''\n", false},
      {"duplicate-key", "privileged: false\nprivileged: true\n", false},
      {"duplicate-key-nested", "spec:\n  hostNetwork: false\n  x: 1\n  hostNetwork: true\n", false},
      {"tab-after-colon", "a:\tb\nc: d\n", false},
      {"tab-indentation", "a:\n\tb: c\n", false},
      {"tab-after-dash", "-\tx\n", false},
      {"utf8-bom-start",
       "\xEF\xBB\xBF"
       "a: 1\n",
       true},
      {"utf8-bom-second-doc",
       "a: 1\n---\n\xEF\xBB\xBF"
       "b: 2\n",
       true},
      {"multi-doc-empty", "---\na: 1\n---\n---\nb: 2\n...\n---\n# only a comment\n", false},
      {"no-leading-marker", "a: 1\n---\nb: 2\n", false},
      {"marker-with-comment", "a: 1\n--- # next\nb: 2\n", false},
      {"marker-with-scalar", "--- text\n", false},
      {"marker-with-mapping", "--- a: 1\n", false},
      {"yaml-1.1-directive", "%YAML 1.1\n---\na: 1\n", false},
      {"yaml-1.2-directive", "%YAML 1.2\n---\na: 1\n", false},
      {"json-as-yaml", "{\"a\":1,\"b\":[true,null],\"c\":\"x\"}\n", false},
      {"merge-key", "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", false},
      {"escaped-slash", "a: \"\\/x\"\n", false},
      {"bare-equals", "a: =\n", false},
      {"line-separator-U+2028", "a: \"x\xE2\x80\xA8y\"\nb: 1\n", true},
      {"crlf", "a: 1\r\nb:\r\n  - x\r\n", true},
      {"invalid-utf8", "a: \xFF\n", false},
      {"long-key-1100", std::string(1100, 'k') + ": v\n", false},
      {"flow-end-at-key-indent", "args: [\n    a,\n]\nb: 1\n", false},
      {"non-ascii-before-node", "a: {k: \"h\xC3\xA9\xE2\x98\x83\", x: 1}\n", true},
      {"anchor-position", "a: &x 1\nb: !!str 2\nc: *x\n", true},
  };
}

std::string Canonical(const RecordVisitor& rec, bool show_positions) {
  std::string out;
  std::vector<std::pair<bool, int>> stack;  // (is_map, children so far)
  int docs = 0;
  for (const auto& item : rec.items) {
    switch (item.type) {
      case RecordVisitor::Item::kDocStart:
        out += docs++ ? " | " : "";
        stack.clear();
        break;
      case RecordVisitor::Item::kEnd:
        if (!stack.empty()) {
          out += stack.back().first ? '}' : ']';
          stack.pop_back();
        }
        break;
      case RecordVisitor::Item::kNode: {
        if (!stack.empty()) {
          auto& [is_map, count] = stack.back();
          if (count > 0) out += (is_map && count % 2 == 1) ? ": " : ", ";
          ++count;
        }
        const NodeEvent& e = item.event;
        if (e.kind == NodeKind::kMap) {
          out += '{';
          stack.push_back({true, 0});
        } else if (e.kind == NodeKind::kSeq) {
          out += '[';
          stack.push_back({false, 0});
        } else if (e.kind == NodeKind::kAlias) {
          out += "*" + item.text;
        } else {
          std::string t = Printable(item.text, 24);
          switch (e.style) {
            case Style::kSingle:
              out += "'" + t + "'";
              break;
            case Style::kDouble:
              out += "\"" + t + "\"";
              break;
            case Style::kLiteral:
              out += "|" + t;
              break;
            case Style::kFolded:
              out += ">" + t;
              break;
            case Style::kQuotedUnknown:
              out += "!\"" + t + "\"";
              break;
            default:
              out += t.empty() ? "(empty)" : t;
          }
        }
        if (show_positions && e.line != 0) out += Format("@%u:%u", e.line, e.column);
        break;
      }
    }
  }
  return Format("%d doc%s: ", docs, docs == 1 ? "" : "s") + out;
}

void PrintFidelity() {
  printf("\n## YAML 1.1 fidelity (structure each parser returns; error = rejected)\n");
  printf(
      "Notation: plain scalars bare, \"double\", 'single', |literal, !\"...\" = yaml-cpp's\n"
      "non-plain (it does not say which quote), (empty) = empty/null node, @line:col.\n");
  std::vector<Parser> parsers = FidelityParsers();
  for (const FidelityCase& c : FidelityCases()) {
    printf("\n%s   input: \"%s\"\n", c.name, Printable(c.input, 60).c_str());
    for (const Parser& p : parsers) {
      RecordVisitor rec;
      Buffer buf(c.input);
      std::string err = p.record(buf.view(), rec);
      std::string got = Canonical(rec, c.show_positions);
      if (!err.empty()) got = "ERROR " + Printable(err, 90) + "  [partial: " + got + "]";
      printf("  %-20s %s\n", p.name.c_str(), Printable(got, 150).c_str());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sections.

struct Options {
  size_t megabytes = 50;
  int reps = 3;
  std::string corpus = "/work/shared/corpus/realworld";
  std::string only;
  std::string sections = "demo,verify,fidelity,bench";
  std::string dump;  // if set, write the generated inputs to DUMP.yaml and DUMP.json
};

bool Wanted(const Options& o, const Parser& p) {
  return o.only.empty() || p.name.find(o.only) != std::string::npos;
}
bool Section(const Options& o, const char* name) {
  return o.sections.find(name) != std::string::npos;
}

void PrintVerify(const char* title, const Options& opt, const std::vector<Parser>& parsers,
                 const std::vector<const Input*>& inputs) {
  printf("\n## Position check, %s: does line:column point at the node in the source?\n\n", title);
  printf(
      "| parser | input | nodes | with position | ok (byte col) | ok only as char col | line ok,"
      " col 1 (block scalar) | wrong | not checkable | parse failures |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Parser& p : parsers) {
    if (!Wanted(opt, p)) continue;
    for (const Input* in : inputs) {
      ChildResult r = RunInChild([&](ChildResult* out) { Verify(p, *in, out); });
      if (r.status != 0) {
        printf("| %s | %s | crashed (status %d) |\n", p.name.c_str(), in->name.c_str(), r.status);
        continue;
      }
      const uint64_t with_pos = r.nodes - r.v_no_pos;
      printf("| %s | %s | %" PRIu64 " | %.1f%% | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64
             " | %" PRIu64 " | %d |\n",
             p.name.c_str(), in->name.c_str(), r.nodes,
             r.nodes ? 100.0 * static_cast<double>(with_pos) / static_cast<double>(r.nodes) : 0.0,
             r.v_ok_bytes, r.v_ok_chars, r.v_line_only, r.v_bad, r.v_unchecked, r.failures);
      for (const auto& s : r.samples) {
        if (s[0]) printf("|   wrong: %s |\n", s);
      }
      if (r.first_error[0]) printf("|   failures: %s |\n", r.first_error);
      fflush(stdout);
    }
  }
}

void PrintBenchRow(const std::string& name, const Input& in, const ChildResult& r) {
  if (r.status != 0) {
    printf("| %s | %s | crashed (status %d) |\n", name.c_str(), in.name.c_str(), r.status);
    return;
  }
  const double mb = static_cast<double>(in.bytes) / (1024.0 * 1024.0);
  const double peak_mb = static_cast<double>(r.peak_delta_kb) / 1024.0;
  printf("| %s | %s | %.1f | %.1f | %.0f | %.2f | %" PRIu64 " | %" PRIu64 " | %.0f%% | %d |\n",
         name.c_str(), in.name.c_str(), mb / r.best_cpu, mb / r.best_wall, peak_mb, peak_mb / mb,
         r.docs, r.nodes,
         r.nodes ? 100.0 * static_cast<double>(r.with_pos) / static_cast<double>(r.nodes) : 0.0,
         r.failures);
  if (r.first_error[0]) printf("|   failures: %s |\n", r.first_error);
  fflush(stdout);
}

void RunBench(const Options& opt, const std::vector<Parser>& parsers,
              const std::vector<const Input*>& inputs) {
  for (const Parser& p : parsers) {
    if (!Wanted(opt, p)) continue;
    for (const Input* in : inputs) {
      fprintf(stderr, "bench: %s on %s\n", p.name.c_str(), in->name.c_str());
      ChildResult r = RunInChild(
          [&](ChildResult* out) { Measure<ChecksumVisitor>(p.walk, *in, opt.reps, out); });
      PrintBenchRow(p.name, *in, r);
      if (p.events) {
        r = RunInChild([&](ChildResult* out) { Measure<TreeVisitor>(p.tree, *in, opt.reps, out); });
        PrintBenchRow(p.name + " + arena tree", *in, r);
      }
    }
  }
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        fprintf(stderr, "missing value after %s\n", a.c_str());
        exit(2);
      }
      return argv[++i];
    };
    if (a == "--mb") {
      o.megabytes = std::stoul(next());
    } else if (a == "--reps") {
      o.reps = std::stoi(next());
    } else if (a == "--corpus") {
      o.corpus = next();
    } else if (a == "--only") {
      o.only = next();
    } else if (a == "--sections") {
      o.sections = next();
    } else if (a == "--dump") {
      o.dump = next();
    } else {
      fprintf(stderr,
              "usage: %s [--mb N] [--reps N] [--corpus DIR] [--only NAME] "
              "[--sections demo,verify,fidelity,bench] [--dump PREFIX]\n",
              argv[0]);
      exit(2);
    }
  }
  return o;
}

int Main(int argc, char** argv) {
  const Options opt = ParseOptions(argc, argv);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  printf("# kspm parser comparison\n\n");
  printf(
      "libyaml %s, libfyaml %s, yaml-cpp 0.7 (Debian), rapidjson %s, simdjson %s "
      "(DOM kernel %s, On-Demand kernel %s), nlohmann-json %d.%d.%d\n",
      yaml_get_version_string(), fy_library_version(), RAPIDJSON_VERSION_STRING,
      KSPM_STRINGIFY(SIMDJSON_VERSION), simdjson::get_active_implementation()->name().data(),
      KSPM_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION), NLOHMANN_JSON_VERSION_MAJOR,
      NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  printf("cpus %ld, load average at start %.2f %.2f %.2f, reps %d (best of)\n",
         sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2], opt.reps);

  const double t0 = WallSeconds();
  Input gen_yaml, gen_json;
  size_t resources;
  {
    Generated g = Generate(opt.megabytes << 20);
    resources = g.resources;
    if (!opt.dump.empty()) {
      std::ofstream(opt.dump + ".yaml", std::ios::binary) << g.yaml;
      std::ofstream(opt.dump + ".json", std::ios::binary) << g.json;
    }
    gen_yaml = MakeInput("generated YAML", "generated.yaml", g.yaml);
    gen_json = MakeInput("generated JSON", "generated.json", g.json);
  }
  Input corpus_yaml = LoadCorpus(opt.corpus, {".yaml", ".yml"}, "realworld YAML");
  Input corpus_json = LoadCorpus(opt.corpus, {".json"}, "realworld JSON");
  malloc_trim(0);  // so children do not reuse freed generator memory unseen by RSS
  printf(
      "inputs: generated YAML %.1f MiB (%zu documents), generated JSON %.1f MiB (same "
      "resources as one List), realworld YAML %.1f MiB (%zu files), realworld JSON %.1f KiB "
      "(%zu files); prepared in %.1f s\n",
      static_cast<double>(gen_yaml.bytes) / 1048576.0, resources,
      static_cast<double>(gen_json.bytes) / 1048576.0,
      static_cast<double>(corpus_yaml.bytes) / 1048576.0, corpus_yaml.buffers.size(),
      static_cast<double>(corpus_json.bytes) / 1024.0, corpus_json.buffers.size(),
      WallSeconds() - t0);
  fflush(stdout);

  const std::vector<Parser> yaml_parsers = YamlParsers();
  const std::vector<Parser> json_parsers = JsonParsers();

  if (Section(opt, "demo")) {
    printf("\n## Positions reported for a small manifest (- = none)\n");
    PrintDemo("YAML", kDemoYaml, yaml_parsers);
    PrintDemo("JSON", kDemoJson, json_parsers);
  }
  if (Section(opt, "verify")) {
    PrintVerify("YAML", opt, yaml_parsers, {&gen_yaml, &corpus_yaml});
    PrintVerify("JSON", opt, json_parsers, {&gen_json, &corpus_json});
    // JSON is (almost) YAML: can the YAML parser serve both?
    PrintVerify("JSON read by libyaml", opt, {yaml_parsers[0]}, {&gen_json, &corpus_json});
  }
  if (Section(opt, "fidelity")) PrintFidelity();
  if (Section(opt, "bench")) {
    printf("\n## Throughput and memory (best of %d; MB = MiB)\n\n", opt.reps);
    printf(
        "| parser | input | MB/s (cpu) | MB/s (wall) | peak RSS delta MB | x input | docs | "
        "nodes | nodes with position | failures |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n");
    RunBench(opt, yaml_parsers, {&gen_yaml, &corpus_yaml});
    RunBench(opt, json_parsers, {&gen_json});
    RunBench(opt, {yaml_parsers[0]}, {&gen_json});  // libyaml reading the JSON input
  }
  return 0;
}

}  // namespace
}  // namespace kspm::bench

int main(int argc, char** argv) { return kspm::bench::Main(argc, argv); }
