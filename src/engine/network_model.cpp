#include "engine/network_model.h"

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <span>

#include "engine/rule.h"

namespace kspm::engine::network {
namespace {

using core::Member;
using core::Node;
using core::Resource;

std::string TypeName(const Node& n) { return std::string(core::NodeTypeName(n.type())); }

// A JSON pointer that is only spelled out when a problem needs it: the parse
// functions hand these down the tree, so reading a valid object allocates no
// pointer strings. A Path refers to its parent and must not outlive it.
class Path {
 public:
  explicit Path(std::string_view root) : root_(root) {}
  Path(const Path& parent, std::string_view key, bool escape = false)
      : parent_(&parent), key_(key), escape_(escape) {}
  Path(const Path& parent, uint32_t index) : parent_(&parent), index_(index), is_index_(true) {}

  std::string Str() const {
    if (parent_ == nullptr) return std::string(root_);
    std::string out = parent_->Str();
    out += '/';
    if (is_index_) {
      out += std::to_string(index_);
    } else {
      out += escape_ ? engine::PointerEscape(key_) : std::string(key_);
    }
    return out;
  }

 private:
  const Path* parent_ = nullptr;
  std::string_view root_;
  std::string_view key_;
  uint32_t index_ = 0;
  bool is_index_ = false;
  bool escape_ = false;
};

void AddProblem(std::vector<Problem>& out, const Node* node, const Path& at, std::string message,
                bool missing = false) {
  out.push_back(Problem{at.Str(), node, missing, std::move(message)});
}

void TypeProblem(std::vector<Problem>& out, const Node& node, const Path& at,
                 std::string_view expected) {
  AddProblem(out, &node, at, "must be " + std::string(expected) + ", not " + TypeName(node));
}

bool IsNullOrAbsent(const Node* n) { return n == nullptr || n->IsNull(); }

std::string_view ApiGroup(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
}

// --- Addresses ---------------------------------------------------------------

constexpr Uint128 kAllOnes = ~Uint128{0};

Uint128 HostMask(int bits) { return bits >= 128 ? kAllOnes : (Uint128{1} << bits) - 1; }

int FamilyBits(bool v6) { return v6 ? 128 : 32; }

std::optional<uint32_t> ParseIpv4(std::string_view s) {
  uint32_t value = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (s.empty() || s.front() != '.') return std::nullopt;
      s.remove_prefix(1);
    }
    size_t digits = 0;
    uint32_t octet = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
      octet = octet * 10 + static_cast<uint32_t>(s[digits] - '0');
      if (octet > 255) return std::nullopt;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    s.remove_prefix(digits);
    value = value << 8 | octet;
  }
  if (!s.empty()) return std::nullopt;
  return value;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Groups of an IPv6 text without "::" (possibly empty); an IPv4 tail counts
// as two groups.
bool ParseIpv6Groups(std::string_view s, bool allow_ipv4_tail, std::vector<uint16_t>& groups) {
  if (s.empty()) return true;
  while (true) {
    size_t colon = s.find(':');
    std::string_view group = s.substr(0, colon);
    if (colon == std::string_view::npos && allow_ipv4_tail &&
        group.find('.') != std::string_view::npos) {
      auto v4 = ParseIpv4(group);
      if (!v4) return false;
      groups.push_back(static_cast<uint16_t>(*v4 >> 16));
      groups.push_back(static_cast<uint16_t>(*v4 & 0xffff));
      return true;
    }
    if (group.empty() || group.size() > 4) return false;
    uint32_t value = 0;
    for (char c : group) {
      int d = HexDigit(c);
      if (d < 0) return false;
      value = value << 4 | static_cast<uint32_t>(d);
    }
    groups.push_back(static_cast<uint16_t>(value));
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
  }
}

std::optional<Uint128> ParseIpv6(std::string_view s) {
  std::vector<uint16_t> head;
  std::vector<uint16_t> tail;
  size_t gap = s.find("::");
  if (gap != std::string_view::npos) {
    if (s.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!ParseIpv6Groups(s.substr(0, gap), false, head)) return std::nullopt;
    if (!ParseIpv6Groups(s.substr(gap + 2), true, tail)) return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!ParseIpv6Groups(s, true, head) || head.size() != 8) return std::nullopt;
  }
  Uint128 value = 0;
  for (uint16_t g : head) value = value << 16 | g;
  for (size_t i = head.size() + tail.size(); i < 8; ++i) value <<= 16;
  for (uint16_t g : tail) value = value << 16 | g;
  return value;
}

struct Interval {
  Uint128 lo = 0;
  Uint128 hi = 0;  // inclusive
};

Interval RangeOf(const Cidr& c) {
  Uint128 mask = HostMask(FamilyBits(c.network.v6) - c.prefix);
  return {c.network.value, c.network.value | mask};
}

// `set` minus `cut`; both sorted and disjoint.
void Subtract(std::vector<Interval>& set, Interval cut) {
  std::vector<Interval> out;
  out.reserve(set.size() + 1);
  for (const Interval& i : set) {
    if (cut.hi < i.lo || cut.lo > i.hi) {
      out.push_back(i);
      continue;
    }
    if (cut.lo > i.lo) out.push_back({i.lo, cut.lo - 1});
    if (cut.hi < i.hi) out.push_back({cut.hi + 1, i.hi});
  }
  set = std::move(out);
}

long double Size(const std::vector<Interval>& set) {
  long double total = 0;
  for (const Interval& i : set) total += static_cast<long double>(i.hi - i.lo) + 1.0L;
  return total;
}

// The public unicast space of a family (see IpBlock::PublicShare).
const std::vector<Interval>& PublicSpace(bool v6) {
  static const std::vector<Interval> kV4 = [] {
    std::vector<Interval> set = {{0, 0xffffffffu}};
    for (std::string_view reserved :
         {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
          "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"}) {
      Subtract(set, RangeOf(*Cidr::Parse(reserved)));
    }
    return set;
  }();
  static const std::vector<Interval> kV6 = [] {
    std::vector<Interval> set = {RangeOf(*Cidr::Parse("2000::/3"))};
    Subtract(set, RangeOf(*Cidr::Parse("2001:db8::/32")));
    return set;
  }();
  return v6 ? kV6 : kV4;
}

// --- Selectors ------------------------------------------------------------------

// A list of strings; null is empty. False (with a problem) on a type error.
bool ReadStrings(const Node* list, const Path& at, std::vector<std::string_view>& out,
                 std::vector<Problem>& problems) {
  if (IsNullOrAbsent(list)) return true;
  if (!list->IsSequence()) {
    TypeProblem(problems, *list, at, "a list of strings");
    return false;
  }
  bool ok = true;
  uint32_t i = 0;
  for (const Node& item : list->items()) {
    if (auto s = item.GetString()) {
      out.push_back(*s);
    } else {
      TypeProblem(problems, item, Path(at, i), "a string");
      ok = false;
    }
    ++i;
  }
  return ok;
}

// A selector at `at`, validated as the API server does; problem pointers
// are prefixed with `at` (spelled out only when there is a problem).
LabelSelector SelectorAt(const Node* node, const Path& at, std::vector<Problem>& problems) {
  size_t before = problems.size();
  LabelSelector sel = LabelSelector::Parse(node, "", problems);
  if (problems.size() > before) {
    std::string base = at.Str();
    for (size_t i = before; i < problems.size(); ++i) problems[i].pointer.insert(0, base);
  }
  return sel;
}

// --- Ports ----------------------------------------------------------------------

// k8s.io/apimachinery IsValidPortName: an IANA_SVC_NAME.
bool IsValidPortName(std::string_view name) {
  if (name.empty() || name.size() > 15) return false;
  bool letter = false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'a' && c <= 'z') {
      letter = true;
    } else if (c == '-') {
      if (i == 0 || i + 1 == name.size() || name[i - 1] == '-') return false;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return letter;
}

bool IsValidPortNumber(int64_t p) { return p >= 1 && p <= 65535; }

PolicyPort ParsePort(const Node& node, uint32_t index, const Path& list,
                     std::vector<Problem>& problems) {
  Path pointer(list, index);
  PolicyPort port;
  port.node = &node;
  port.index = index;
  if (node.IsNull()) return port;  // a zero NetworkPolicyPort: every TCP port
  if (!node.IsMapping()) {
    TypeProblem(problems, node, pointer, "an object");
    return port;
  }
  if (const Node* proto = node.Get("protocol"); !IsNullOrAbsent(proto)) {
    auto s = proto->GetString();
    if (!s) {
      TypeProblem(problems, *proto, Path(pointer, "protocol"), "a string");
    } else if (*s != "TCP" && *s != "UDP" && *s != "SCTP") {
      AddProblem(problems, proto, Path(pointer, "protocol"),
                 "Unsupported value: \"" + std::string(*s) +
                     "\": supported values: \"TCP\", \"UDP\", \"SCTP\"");
    } else {
      port.protocol = *s;
    }
  }
  const Node* number = node.Get("port");
  bool numeric = false;
  if (!IsNullOrAbsent(number)) {
    if (auto name = number->GetString()) {
      port.port_name = *name;
      if (!IsValidPortName(*name)) {
        AddProblem(problems, number, Path(pointer, "port"),
                   "Invalid value: \"" + std::string(*name) +
                       "\": a named port must be 1-15 lowercase letters, digits or '-' with at "
                       "least one letter (a quoted number is a name, not a number)");
      }
    } else if (auto n = number->GetInt()) {
      numeric = true;
      if (!IsValidPortNumber(*n)) {
        AddProblem(
            problems, number, Path(pointer, "port"),
            "Invalid value: " + std::to_string(*n) + ": must be between 1 and 65535, inclusive");
      } else {
        port.port = static_cast<int32_t>(*n);
      }
    } else {
      TypeProblem(problems, *number, Path(pointer, "port"), "an integer or a port name");
    }
  }
  if (const Node* end = node.Get("endPort"); !IsNullOrAbsent(end)) {
    auto n = end->GetInt();
    Path where(pointer, "endPort");
    if (!n) {
      TypeProblem(problems, *end, where, "an integer");
    } else if (IsNullOrAbsent(number)) {
      AddProblem(problems, end, where, "may not be specified when `port` is not specified");
    } else if (!numeric) {
      AddProblem(problems, end, where, "may not be specified when `port` is non-numeric");
    } else if (!IsValidPortNumber(*n)) {
      AddProblem(
          problems, end, where,
          "Invalid value: " + std::to_string(*n) + ": must be between 1 and 65535, inclusive");
    } else if (*n < port.port) {
      AddProblem(problems, end, where, "must be greater than or equal to `port`");
    } else {
      port.end_port = static_cast<int32_t>(*n);
    }
  }
  return port;
}

// --- Peers and rules -------------------------------------------------------------

std::optional<IpBlock> ParseIpBlock(const Node& node, const Path& pointer,
                                    std::vector<Problem>& problems) {
  IpBlock block;
  if (!node.IsMapping()) {
    TypeProblem(problems, node, pointer, "an object");
    return block;
  }
  const Node* cidr = node.Get("cidr");
  if (cidr != nullptr && !cidr->IsNull() && !cidr->IsString()) {
    TypeProblem(problems, *cidr, Path(pointer, "cidr"), "a string");
    return block;
  }
  if (IsNullOrAbsent(cidr) || cidr->string_value().empty()) {
    AddProblem(problems, cidr ? cidr : &node, Path(pointer, "cidr"), "Required value", true);
    return block;
  }
  block.cidr_text = cidr->string_value();
  block.cidr = Cidr::Parse(block.cidr_text);
  if (!block.cidr) {
    AddProblem(problems, cidr, Path(pointer, "cidr"),
               "Invalid value: \"" + std::string(block.cidr_text) +
                   "\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
  }
  std::vector<std::string_view> excepts;
  const Node* except = node.Get("except");
  Path except_at(pointer, "except");
  ReadStrings(except, except_at, excepts, problems);
  for (size_t i = 0; i < excepts.size(); ++i) {
    const Node* item = &except->items()[i];
    Path where(except_at, static_cast<uint32_t>(i));
    auto c = Cidr::Parse(excepts[i]);
    if (!c) {
      AddProblem(problems, item, where,
                 "Invalid value: \"" + std::string(excepts[i]) +
                     "\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
      continue;
    }
    if (block.cidr && (!block.cidr->Contains(c->network) || block.cidr->prefix >= c->prefix)) {
      AddProblem(
          problems, item, where,
          "Invalid value: \"" + std::string(excepts[i]) + "\": must be a strict subset of `cidr`");
      continue;
    }
    block.except.push_back(*c);
  }
  return block;
}

Peer ParsePeer(const Node& node, uint32_t index, const Path& list, std::vector<Problem>& problems) {
  Path pointer(list, index);
  Peer peer;
  peer.node = &node;
  peer.index = index;
  if (node.IsNull()) {
    AddProblem(problems, &node, pointer, "Required value: must specify a peer", true);
    return peer;
  }
  if (!node.IsMapping()) {
    TypeProblem(problems, node, pointer, "an object");
    return peer;
  }
  int kinds = 0;
  if (const Node* s = node.Get("podSelector"); !IsNullOrAbsent(s)) {
    ++kinds;
    peer.has_pod_selector = true;
    peer.pod_selector = SelectorAt(s, Path(pointer, "podSelector"), problems);
  }
  if (const Node* s = node.Get("namespaceSelector"); !IsNullOrAbsent(s)) {
    ++kinds;
    peer.has_namespace_selector = true;
    peer.namespace_selector = SelectorAt(s, Path(pointer, "namespaceSelector"), problems);
  }
  if (const Node* b = node.Get("ipBlock"); !IsNullOrAbsent(b)) {
    ++kinds;
    peer.ip_block = ParseIpBlock(*b, Path(pointer, "ipBlock"), problems);
  }
  if (kinds == 0) {
    AddProblem(problems, &node, pointer, "Required value: must specify a peer", true);
  } else if (kinds > 1 && peer.ip_block) {
    AddProblem(problems, &node, pointer,
               "Forbidden: may not specify both ipBlock and another peer");
  }
  return peer;
}

void ParseRules(const Node* list, bool ingress, std::vector<TrafficRule>& out,
                std::vector<Problem>& problems) {
  if (IsNullOrAbsent(list)) return;
  Path spec("/spec");
  Path at(spec, ingress ? "ingress" : "egress");
  if (!list->IsSequence()) {
    TypeProblem(problems, *list, at, "a list");
    return;
  }
  uint32_t i = 0;
  for (const Node& item : list->items()) {
    TrafficRule rule;
    rule.node = &item;
    rule.index = i;
    rule.ingress = ingress;
    Path rule_at(at, i++);
    if (!item.IsNull() && !item.IsMapping()) {
      TypeProblem(problems, item, rule_at, "an object");
      out.push_back(std::move(rule));
      continue;
    }
    // Peers before ports, as a manifest lists them.
    if (const Node* peers = item.Get(rule.PeersField()); !IsNullOrAbsent(peers)) {
      Path where(rule_at, rule.PeersField());
      if (!peers->IsSequence()) {
        TypeProblem(problems, *peers, where, "a list");
      } else {
        uint32_t j = 0;
        for (const Node& p : peers->items()) {
          rule.peers.push_back(ParsePeer(p, j++, where, problems));
        }
        rule.any_peer = rule.peers.empty();
      }
    }
    if (const Node* ports = item.Get("ports"); !IsNullOrAbsent(ports)) {
      Path where(rule_at, "ports");
      if (!ports->IsSequence()) {
        TypeProblem(problems, *ports, where, "a list");
      } else {
        uint32_t j = 0;
        for (const Node& p : ports->items()) {
          rule.ports.push_back(ParsePort(p, j++, where, problems));
        }
        rule.any_port = rule.ports.empty();
      }
    }
    out.push_back(std::move(rule));
  }
}

// --- Model helpers ---------------------------------------------------------------

uint64_t LabelHash(std::string_view key, std::string_view value) {
  std::hash<std::string_view> h;
  return h(key) * 0x9E3779B97F4A7C15ull ^ h(value);
}

// The Service names an Ingress sends traffic to (v1 and v1beta1 shapes).
void IngressBackends(const Resource& r, std::vector<std::string_view>& out) {
  const Node* spec = r.root->Get("spec");
  if (spec == nullptr) return;
  auto backend = [&](const Node* b) {
    if (b == nullptr) return;
    if (const Node* n = b->Find({"service", "name"}); n && n->IsString()) {
      out.push_back(n->string_value());
    }
    if (const Node* n = b->Get("serviceName"); n && n->IsString()) out.push_back(n->string_value());
  };
  backend(spec->Get("defaultBackend"));
  backend(spec->Get("backend"));
  if (const Node* rules = spec->Get("rules")) {
    for (const Node& rule : rules->items()) {
      const Node* paths = rule.Find({"http", "paths"});
      for (const Node& path : paths ? paths->items() : std::span<const Node>{}) {
        backend(path.Get("backend"));
      }
    }
  }
}

// Whether a container port of the pod has this name, protocol and number
// (init containers count: a restartable one is a sidecar that serves).
bool NamedPortMatches(const core::PodSpecView& pod, std::string_view name,
                      std::string_view protocol, int32_t port) {
  for (const core::ContainerRef& c : pod.containers) {
    if (c.kind == core::ContainerKind::kEphemeralContainer) continue;
    const Node* ports = c.node->Get("ports");
    for (const Node& p : ports ? ports->items() : std::span<const Node>{}) {
      const Node* n = p.Get("name");
      const Node* number = p.Get("containerPort");
      const Node* proto = p.Get("protocol");
      if (!n || n->GetString() != std::optional<std::string_view>(name)) continue;
      std::string_view actual = proto && proto->IsString() ? proto->string_value() : "TCP";
      if (actual == protocol && number && number->GetInt() == std::optional<int64_t>(port)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

// --- Addresses ------------------------------------------------------------------

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.find(':') == std::string_view::npos) {
    auto v4 = ParseIpv4(text);
    if (!v4) return std::nullopt;
    return IpAddress{false, *v4};
  }
  auto v6 = ParseIpv6(text);
  if (!v6) return std::nullopt;
  return IpAddress{true, *v6};
}

std::string IpAddress::ToString() const {
  std::string out;
  if (!v6) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      if (!out.empty()) out += '.';
      out += std::to_string(static_cast<uint32_t>(value >> shift) & 0xff);
    }
    return out;
  }
  // RFC 5952: the longest run (of two or more) of zero groups becomes "::".
  std::array<uint16_t, 8> g{};
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(value >> (16 * (7 - i)));
  int best = -1;
  int best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::string group;
    uint16_t v = g[i];
    do {
      group.insert(group.begin(), kHex[v & 0xf]);
      v >>= 4;
    } while (v != 0);
    out += group;
  }
  return out;
}

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto address = IpAddress::Parse(text.substr(0, slash));
  std::string_view bits = text.substr(slash + 1);
  if (!address || bits.empty() || bits.size() > 3) return std::nullopt;
  int prefix = 0;
  for (char c : bits) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > FamilyBits(address->v6)) return std::nullopt;
  Cidr c;
  c.prefix = prefix;
  c.network = *address;
  c.network.value &= ~HostMask(FamilyBits(address->v6) - prefix);
  return c;
}

bool Cidr::Contains(const IpAddress& a) const {
  if (a.v6 != network.v6) return false;
  Interval r = RangeOf(*this);
  return a.value >= r.lo && a.value <= r.hi;
}

bool Cidr::Contains(const Cidr& other) const {
  return other.prefix >= prefix && Contains(other.network);
}

std::string Cidr::ToString() const { return network.ToString() + "/" + std::to_string(prefix); }

bool IpBlock::Contains(const IpAddress& a) const {
  if (!cidr || !cidr->Contains(a)) return false;
  return std::none_of(except.begin(), except.end(), [&](const Cidr& c) { return c.Contains(a); });
}

double IpBlock::PublicShare() const {
  if (!cidr) return 0;
  const std::vector<Interval>& space = PublicSpace(cidr->network.v6);
  Interval block = RangeOf(*cidr);
  std::vector<Interval> admitted;
  for (const Interval& i : space) {
    Interval cut{std::max(i.lo, block.lo), std::min(i.hi, block.hi)};
    if (cut.lo <= cut.hi) admitted.push_back(cut);
  }
  for (const Cidr& e : except) Subtract(admitted, RangeOf(e));
  return static_cast<double>(Size(admitted) / Size(space));
}

// --- Policies ---------------------------------------------------------------------

std::string PolicyPort::ToString() const {
  std::string proto(protocol);
  if (!port_name.empty()) return std::string(port_name) + "/" + proto;
  if (port == 0) return "all " + proto + " ports";
  std::string out = std::to_string(port);
  if (end_port != 0) out += "-" + std::to_string(end_port);
  return out + "/" + proto;
}

std::string TrafficRule::Pointer() const {
  return (ingress ? "/spec/ingress/" : "/spec/egress/") + std::to_string(index);
}

std::string TrafficRule::PortsToString() const {
  if (any_port) return "any port";
  std::string out;
  for (const PolicyPort& p : ports) {
    if (!out.empty()) out += ", ";
    out += p.ToString();
  }
  return out;
}

bool IsKubernetesNetworkPolicy(const Resource& r) {
  if (r.kind != "NetworkPolicy") return false;
  std::string_view group = ApiGroup(r.api_version);
  return group == "networking.k8s.io" || group == "extensions";
}

bool IsBuiltinApiGroup(std::string_view group) {
  static constexpr std::string_view kGroups[] = {"",
                                                 "admissionregistration.k8s.io",
                                                 "apiextensions.k8s.io",
                                                 "apiregistration.k8s.io",
                                                 "apps",
                                                 "authentication.k8s.io",
                                                 "authorization.k8s.io",
                                                 "autoscaling",
                                                 "batch",
                                                 "certificates.k8s.io",
                                                 "coordination.k8s.io",
                                                 "discovery.k8s.io",
                                                 "events.k8s.io",
                                                 "extensions",
                                                 "flowcontrol.apiserver.k8s.io",
                                                 "internal.apiserver.k8s.io",
                                                 "networking.k8s.io",
                                                 "node.k8s.io",
                                                 "policy",
                                                 "rbac.authorization.k8s.io",
                                                 "resource.k8s.io",
                                                 "scheduling.k8s.io",
                                                 "storage.k8s.io",
                                                 "storagemigration.k8s.io"};
  return std::find(std::begin(kGroups), std::end(kGroups), group) != std::end(kGroups);
}

bool IsKubernetesIngress(const Resource& r) {
  if (r.kind != "Ingress") return false;
  std::string_view group = ApiGroup(r.api_version);
  return group == "networking.k8s.io" || group == "extensions";
}

Policy ParsePolicy(const Resource& resource) {
  Policy p;
  p.resource = &resource;
  p.namespace_ = resource.effective_namespace();
  Path spec_at("/spec");
  const Node* spec = resource.root->Get("spec");
  if (spec != nullptr && !spec->IsNull() && !spec->IsMapping()) {
    TypeProblem(p.problems, *spec, spec_at, "an object");
    spec = nullptr;
  }
  if (spec != nullptr && spec->IsNull()) spec = nullptr;
  const Node* selector = spec ? spec->Get("podSelector") : nullptr;
  p.pod_selector_missing = IsNullOrAbsent(selector);
  p.pod_selector = SelectorAt(selector, Path(spec_at, "podSelector"), p.problems);
  ParseRules(spec ? spec->Get("ingress") : nullptr, true, p.ingress_rules, p.problems);
  const Node* egress = spec ? spec->Get("egress") : nullptr;
  ParseRules(egress, false, p.egress_rules, p.problems);

  const Node* types = spec ? spec->Get("policyTypes") : nullptr;
  Path types_at(spec_at, "policyTypes");
  if (types != nullptr && !types->IsNull() && !types->IsSequence()) {
    TypeProblem(p.problems, *types, types_at, "a list");
  } else if (IsNullOrAbsent(types) || types->size() == 0) {
    // SetDefaults_NetworkPolicy: Ingress always, Egress if the spec has egress rules.
    p.policy_types_defaulted = true;
    p.ingress = true;
    p.egress = egress != nullptr && egress->IsSequence() && egress->size() > 0;
  } else if (types->size() > 2) {
    AddProblem(p.problems, types, types_at,
               "Invalid value: may not specify more than two policyTypes");
  } else {
    uint32_t i = 0;
    for (const Node& t : types->items()) {
      Path where(types_at, i++);
      auto s = t.GetString();
      if (!s) {
        TypeProblem(p.problems, t, where, "a string");
      } else if (*s == "Ingress") {
        p.ingress = true;
      } else if (*s == "Egress") {
        p.egress = true;
      } else {
        AddProblem(p.problems, &t, where,
                   "Unsupported value: \"" + std::string(*s) +
                       "\": supported values: \"Ingress\", \"Egress\"");
      }
    }
  }
  return p;
}

// --- Model ----------------------------------------------------------------------

std::string_view ExposureKindName(ExposureKind k) {
  switch (k) {
    case ExposureKind::kLoadBalancer:
      return "LoadBalancer Service";
    case ExposureKind::kNodePort:
      return "NodePort Service";
    case ExposureKind::kExternalIp:
      return "Service with externalIPs";
    case ExposureKind::kIngress:
      return "Ingress";
    case ExposureKind::kRoute:
      return "Gateway API route";
  }
  return "Service";
}

namespace {

// Pods of one namespace indexed by (label key, value) hash, for selectors and
// Services with an equality requirement: avoids testing every pod of a large
// namespace against every selector.
class LabelIndex {
 public:
  void Add(const LabelSet& labels, uint32_t workload) {
    const Node* node = labels.node();
    for (const Member& m : node ? node->members() : std::span<const Member>{}) {
      if (auto v = m.value.GetString())
        entries_.emplace_back(LabelHash(m.key_string(), *v), workload);
    }
  }
  void Finish() { std::sort(entries_.begin(), entries_.end()); }
  std::span<const std::pair<uint64_t, uint32_t>> Find(std::string_view key,
                                                      std::string_view value) const {
    uint64_t h = LabelHash(key, value);
    auto lo = std::lower_bound(entries_.begin(), entries_.end(), std::make_pair(h, uint32_t{0}));
    auto hi = std::upper_bound(entries_.begin(), entries_.end(), std::make_pair(h, UINT32_MAX));
    return {lo, hi};
  }

 private:
  std::vector<std::pair<uint64_t, uint32_t>> entries_;
};

constexpr size_t kIndexThreshold = 32;  // smaller namespaces are scanned

// The workloads of a namespace a predicate accepts, narrowed through the
// index by one (key, value) pair every accepted workload must carry.
template <typename Pred>
std::vector<uint32_t> Select(const Namespace& ns, const LabelIndex* index,
                             std::optional<std::pair<std::string_view, std::string_view>> pair,
                             const std::vector<Workload>& workloads, Pred accept) {
  std::vector<uint32_t> out;
  if (index != nullptr && pair) {
    for (const auto& [hash, w] : index->Find(pair->first, pair->second)) {
      if (accept(workloads[w])) out.push_back(w);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  for (uint32_t w : ns.workloads) {
    if (accept(workloads[w])) out.push_back(w);
  }
  return out;
}

}  // namespace

size_t Model::NameKeyHash::operator()(const NameKey& k) const {
  std::hash<std::string_view> h;
  return h(k.ns) * 0x9E3779B97F4A7C15ull ^ h(k.name);
}

LabelSet Workload::labels() const {
  return LabelSet(pod->metadata ? pod->metadata->Get("labels") : nullptr);
}

bool Workload::host_network() const {
  const Node* n = pod->spec->Get("hostNetwork");
  return n != nullptr && n->GetBool() == true;
}

// Objects are found through Inventory::ByKind, never by walking every
// resource: on a large input the cost is in touching nodes, so each step reads
// only the objects it is about.
Model Model::Build(const core::Inventory& inventory, int k8s_minor, BuildOptions options) {
  Model m;
  const bool name_label = k8s_minor >= 21;
  auto namespace_of = [&](std::string_view name) -> uint32_t {
    auto [it, inserted] =
        m.namespace_index_.try_emplace(name, static_cast<uint32_t>(m.namespaces_.size()));
    if (inserted) {
      Namespace ns;
      ns.name = name;
      ns.labels = name_label ? LabelSet(nullptr, name) : LabelSet(nullptr);
      m.namespaces_.push_back(std::move(ns));
    }
    return it->second;
  };

  for (const Resource* r : inventory.ByKind("Namespace")) {
    if (r->api_version != "v1" || r->name.empty()) continue;
    Namespace& ns = m.namespaces_[namespace_of(r->name)];
    if (ns.object != nullptr) continue;  // a duplicate: the first one counts
    ns.object = r;
    const Node* md = r->metadata();
    const Node* labels = md ? md->Get("labels") : nullptr;
    ns.labels = name_label ? LabelSet(labels, ns.name) : LabelSet(labels);
  }

  // Workloads, then who controls whom.
  const auto& resources = inventory.resources();
  m.workloads_.reserve(inventory.pod_specs().size());
  m.workload_index_.assign(resources.size(), -1);
  uint32_t last_ns = UINT32_MAX;  // consecutive workloads mostly share a namespace
  for (const core::PodSpecView& view : inventory.pod_specs()) {
    const Resource& r = *view.resource;
    if (r.kind == "PodTemplate") continue;
    Workload w;
    w.resource = &r;
    w.pod = &view;
    w.namespace_ = r.effective_namespace();
    if (last_ns == UINT32_MAX || m.namespaces_[last_ns].name != w.namespace_) {
      last_ns = namespace_of(w.namespace_);
    }
    w.namespace_index = last_ns;
    uint32_t index = static_cast<uint32_t>(m.workloads_.size());
    m.workload_index_[r.order] = static_cast<int32_t>(index);
    Namespace& ns = m.namespaces_[w.namespace_index];
    ns.workloads.push_back(index);
    if (r.kind == "Pod") ns.pods++;
    m.workloads_.push_back(std::move(w));
  }
  // Only Pods, ReplicaSets and Jobs have a workload kind as controller (the
  // Pods of any controller, a Deployment's ReplicaSet, a CronJob's Job); the
  // owner index is built only when one of them names a controller.
  struct Owned {
    uint32_t workload;
    std::string_view kind;
    std::string_view name;
  };
  std::vector<Owned> owned;
  for (uint32_t i = 0; i < m.workloads_.size(); ++i) {
    const Resource& r = *m.workloads_[i].resource;
    if (r.kind != "Pod" && r.kind != "ReplicaSet" && r.kind != "Job") continue;
    const Node* md = r.metadata();
    const Node* owners = md ? md->Get("ownerReferences") : nullptr;
    for (const Node& o : owners ? owners->items() : std::span<const Node>{}) {
      const Node* controller = o.Get("controller");
      const Node* kind = o.Get("kind");
      const Node* name = o.Get("name");
      if (controller && controller->GetBool() == true && kind && kind->IsString() && name &&
          name->IsString()) {
        owned.push_back({i, kind->string_value(), name->string_value()});
      }
    }
  }
  if (!owned.empty()) {
    std::unordered_map<NameKey, uint32_t, NameKeyHash> by_name;
    by_name.reserve(m.workloads_.size());
    for (uint32_t i = 0; i < m.workloads_.size(); ++i) {
      by_name.try_emplace(NameKey{m.workloads_[i].namespace_, m.workloads_[i].resource->name}, i);
    }
    for (const Owned& o : owned) {
      Workload& w = m.workloads_[o.workload];
      auto it = by_name.find(NameKey{w.namespace_, o.name});
      if (it == by_name.end()) continue;
      const Resource* owner = m.workloads_[it->second].resource;
      if (owner != w.resource && owner->kind == o.kind) w.controller = owner;
    }
  }

  // Policies, and the policies of other APIs that rules must know about.
  for (const Resource* r : inventory.ByKind("NetworkPolicy")) {
    std::string_view ns = r->effective_namespace();
    if (!IsKubernetesNetworkPolicy(*r)) {
      if (!ApiGroup(r->api_version).empty()) m.namespaces_[namespace_of(ns)].cni_policies++;
      continue;
    }
    uint32_t index = static_cast<uint32_t>(m.policies_.size());
    m.policies_.push_back(ParsePolicy(*r));
    m.namespaces_[namespace_of(ns)].policies.push_back(index);
  }
  for (const Resource* r : inventory.ByKind("CiliumNetworkPolicy")) {
    m.namespaces_[namespace_of(r->effective_namespace())].cni_policies++;
  }
  for (std::string_view kind :
       {"GlobalNetworkPolicy", "CiliumClusterwideNetworkPolicy", "AdminNetworkPolicy",
        "BaselineAdminNetworkPolicy", "ClusterNetworkPolicy"}) {
    m.cluster_policies_ += static_cast<uint32_t>(inventory.ByKind(kind).size());
  }
  m.has_crds_ = !inventory.ByKind("CustomResourceDefinition").empty();
  if (options.count_custom_resources) {
    for (const Resource& r : resources) {
      if (r.cluster_scoped || IsBuiltinApiGroup(ApiGroup(r.api_version))) continue;
      m.namespaces_[namespace_of(r.effective_namespace())].custom_resources++;
    }
  }
  m.selected_.resize(m.policies_.size());
  if (!options.select && !options.expose) return m;

  // Label indexes of the large namespaces.
  std::vector<std::unique_ptr<LabelIndex>> indexes(m.namespaces_.size());
  for (size_t i = 0; i < m.namespaces_.size(); ++i) {
    const Namespace& ns = m.namespaces_[i];
    if (ns.workloads.size() < kIndexThreshold) continue;
    indexes[i] = std::make_unique<LabelIndex>();
    for (uint32_t w : ns.workloads) indexes[i]->Add(m.workloads_[w].labels(), w);
    indexes[i]->Finish();
  }

  // Selection.
  for (uint32_t p = 0; options.select && p < m.policies_.size(); ++p) {
    const Policy& policy = m.policies_[p];
    if (!policy.valid()) continue;
    uint32_t ns_index = m.namespace_index_.at(policy.namespace_);
    std::optional<std::pair<std::string_view, std::string_view>> pair;
    for (const core::SelectorRequirement& r : policy.pod_selector.requirements()) {
      if (r.op == core::SelectorOp::kIn && r.values.size() == 1) {
        pair.emplace(r.key, r.values[0]);
        break;
      }
    }
    m.selected_[p] =
        Select(m.namespaces_[ns_index], indexes[ns_index].get(), pair, m.workloads_,
               [&](const Workload& w) { return policy.pod_selector.Matches(w.labels()); });
    for (uint32_t w : m.selected_[p]) {
      if (policy.ingress) m.workloads_[w].ingress_policies.push_back(p);
      if (policy.egress) m.workloads_[w].egress_policies.push_back(p);
    }
  }
  if (!options.expose) return m;

  // Services and exposure.
  for (const Resource* r : inventory.ByKind("Service")) {
    if (r->api_version != "v1") continue;
    Service s;
    s.resource = r;
    s.namespace_ = r->effective_namespace();
    const Node* spec = r->root->Get("spec");
    if (const Node* t = spec ? spec->Get("type") : nullptr; t && t->IsString()) {
      s.type = t->string_value();
    }
    if (const Node* sel = spec ? spec->Get("selector") : nullptr;
        sel && sel->IsMapping() && sel->size() > 0 && s.type != "ExternalName") {
      s.selector = sel;
    }
    if (const Node* ips = spec ? spec->Get("externalIPs") : nullptr;
        ips && ips->IsSequence() && ips->size() > 0) {
      s.has_external_ips = true;
    }
    m.service_index_.try_emplace(NameKey{s.namespace_, r->name},
                                 static_cast<uint32_t>(m.services_.size()));
    m.services_.push_back(std::move(s));
  }
  // Services that Ingresses and routes send traffic to.
  struct Backend {
    const Resource* via;
    ExposureKind kind;
    NameKey service;
  };
  std::vector<Backend> backends;
  for (const Resource* r : inventory.ByKind("Ingress")) {
    if (!IsKubernetesIngress(*r)) continue;
    std::vector<std::string_view> names;
    IngressBackends(*r, names);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (std::string_view name : names) {
      backends.push_back({r, ExposureKind::kIngress, {r->effective_namespace(), name}});
    }
  }
  for (std::string_view route_kind :
       {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"}) {
    for (const Resource* r : inventory.ByKind(route_kind)) {
      if (ApiGroup(r->api_version) != "gateway.networking.k8s.io") continue;
      size_t first = backends.size();
      const Node* rules = r->root->Find({"spec", "rules"});
      for (const Node& rule : rules ? rules->items() : std::span<const Node>{}) {
        const Node* refs = rule.Get("backendRefs");
        for (const Node& ref : refs ? refs->items() : std::span<const Node>{}) {
          // backendRefs default to the core Service kind in the route's namespace.
          const Node* kind = ref.Get("kind");
          const Node* group = ref.Get("group");
          const Node* name = ref.Get("name");
          const Node* ns = ref.Get("namespace");
          if (kind && kind->GetString() != std::optional<std::string_view>("Service")) continue;
          if (group && group->GetString() != std::optional<std::string_view>("")) continue;
          if (!name || !name->IsString()) continue;
          std::string_view target =
              ns && ns->IsString() ? ns->string_value() : r->effective_namespace();
          NameKey key{target, name->string_value()};
          bool seen =
              std::any_of(backends.begin() + static_cast<std::ptrdiff_t>(first), backends.end(),
                          [&](const Backend& b) { return b.service == key; });
          if (!seen) backends.push_back({r, ExposureKind::kRoute, key});
        }
      }
    }
  }
  std::vector<bool> referenced(m.services_.size(), false);
  for (const Backend& b : backends) {
    auto it = m.service_index_.find(b.service);
    if (it != m.service_index_.end()) referenced[it->second] = true;
  }

  for (Service& s : m.services_) {
    if (s.selector == nullptr) continue;
    bool exposes = s.type == "LoadBalancer" || s.type == "NodePort" || s.has_external_ips ||
                   referenced[static_cast<size_t>(&s - m.services_.data())];
    if (!options.all_services && !exposes) continue;
    bool well_formed = std::all_of(s.selector->members().begin(), s.selector->members().end(),
                                   [](const Member& mm) { return mm.value.IsString(); });
    auto ns_it = m.namespace_index_.find(s.namespace_);
    if (!well_formed || ns_it == m.namespace_index_.end()) continue;  // no workloads there
    const Member& first = s.selector->members()[0];
    s.workloads = Select(m.namespaces_[ns_it->second], indexes[ns_it->second].get(),
                         std::make_pair(first.key_string(), first.value.string_value()),
                         m.workloads_, [&](const Workload& w) {
                           LabelSet labels = w.labels();
                           for (const Member& mm : s.selector->members()) {
                             if (labels.Get(mm.key_string()) != mm.value.string_value()) {
                               return false;
                             }
                           }
                           return true;
                         });
    auto expose = [&](ExposureKind kind) {
      for (uint32_t w : s.workloads) {
        m.workloads_[w].exposures.push_back({kind, s.resource, s.resource});
      }
    };
    if (s.type == "LoadBalancer") expose(ExposureKind::kLoadBalancer);
    if (s.type == "NodePort") expose(ExposureKind::kNodePort);
    if (s.has_external_ips) expose(ExposureKind::kExternalIp);
  }
  for (const Backend& b : backends) {
    auto it = m.service_index_.find(b.service);
    if (it == m.service_index_.end()) continue;
    const Service& s = m.services_[it->second];
    for (uint32_t w : s.workloads) m.workloads_[w].exposures.push_back({b.kind, b.via, s.resource});
  }
  return m;
}

const Namespace* Model::FindNamespace(std::string_view name) const {
  auto it = namespace_index_.find(name);
  return it == namespace_index_.end() ? nullptr : &namespaces_[it->second];
}

const Workload* Model::FindWorkload(const Resource& r) const {
  if (r.order >= workload_index_.size() || workload_index_[r.order] < 0) return nullptr;
  return &workloads_[static_cast<size_t>(workload_index_[r.order])];
}

const Service* Model::FindService(std::string_view ns, std::string_view name) const {
  auto it = service_index_.find(NameKey{ns, name});
  return it == service_index_.end() ? nullptr : &services_[it->second];
}

bool Model::PeerAdmits(const Policy& policy, const Peer& peer, const Endpoint& e) const {
  if (peer.ip_block) {
    return !peer.has_pod_selector && !peer.has_namespace_selector && e.address &&
           peer.ip_block->Contains(*e.address);
  }
  if (e.workload == nullptr) return false;
  if (!peer.has_pod_selector && !peer.has_namespace_selector) return false;
  if (peer.has_namespace_selector) {
    if (!peer.namespace_selector.Matches(namespaces_[e.workload->namespace_index].labels)) {
      return false;
    }
  } else if (e.workload->namespace_ != policy.namespace_) {
    return false;
  }
  return !peer.has_pod_selector || peer.pod_selector.Matches(e.workload->labels());
}

bool Model::PortsAdmit(const TrafficRule& rule, const Connection& c) {
  if (rule.any_port) return true;
  for (const PolicyPort& p : rule.ports) {
    if (p.protocol != c.protocol) continue;
    if (!p.port_name.empty()) {
      const Workload* dst = c.destination.workload;
      if (dst != nullptr && NamedPortMatches(*dst->pod, p.port_name, p.protocol, c.port)) {
        return true;
      }
      continue;
    }
    if (p.port == 0) return true;
    if (c.port == p.port) return true;
    if (p.end_port != 0 && c.port >= p.port && c.port <= p.end_port) return true;
  }
  return false;
}

Decision Model::IngressDecision(const Connection& c) const {
  Decision d;
  const Workload* dst = c.destination.workload;
  if (dst == nullptr) return d;
  for (uint32_t p : dst->ingress_policies) {
    d.isolated = true;
    const Policy& policy = policies_[p];
    for (const TrafficRule& rule : policy.ingress_rules) {
      bool peer = rule.any_peer ||
                  std::any_of(rule.peers.begin(), rule.peers.end(),
                              [&](const Peer& peer) { return PeerAdmits(policy, peer, c.source); });
      if (peer && PortsAdmit(rule, c)) d.allowed_by.push_back({p, true, rule.index});
    }
  }
  d.allowed = !d.isolated || !d.allowed_by.empty();
  return d;
}

Decision Model::EgressDecision(const Connection& c) const {
  Decision d;
  const Workload* src = c.source.workload;
  if (src == nullptr) return d;
  for (uint32_t p : src->egress_policies) {
    d.isolated = true;
    const Policy& policy = policies_[p];
    for (const TrafficRule& rule : policy.egress_rules) {
      bool peer =
          rule.any_peer || std::any_of(rule.peers.begin(), rule.peers.end(), [&](const Peer& peer) {
            return PeerAdmits(policy, peer, c.destination);
          });
      if (peer && PortsAdmit(rule, c)) d.allowed_by.push_back({p, false, rule.index});
    }
  }
  d.allowed = !d.isolated || !d.allowed_by.empty();
  return d;
}

bool Model::Allows(const Connection& c) const {
  return EgressDecision(c).allowed && IngressDecision(c).allowed;
}

}  // namespace kspm::engine::network
