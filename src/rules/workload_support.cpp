#include "rules/workload_support.h"

#include <algorithm>
#include <cctype>

#include "core/decode.h"

namespace kspm::rules::workload {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; });
}

std::string At(const std::string& file, const core::Node& n) {
  return file + ":" + std::to_string(n.position().line) + ":" +
         std::to_string(n.position().column) + ": ";
}

// Container runtime API sockets, under /run; /var/run is the same folder on
// every current distribution, and manifests use both spellings.
constexpr std::string_view kRuntimeSockets[] = {
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/run/cri-dockerd.sock",
    "/run/dockershim.sock",
    "/run/podman/podman.sock",
    "/run/k3s/containerd/containerd.sock",
    "/run/buildkit/buildkitd.sock",
    "/var/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/var/run/dockershim.sock",
    "/var/run/podman/podman.sock",
    "/var/run/k3s/containerd/containerd.sock",
    "/var/run/buildkit/buildkitd.sock",
};

// Socket file names recognised wherever they live (rootless Docker under
// /run/user/N, MicroK8s under /var/snap/microk8s/common/run, ...).
constexpr std::string_view kRuntimeSocketNames[] = {
    "docker.sock", "containerd.sock", "crio.sock",     "cri-dockerd.sock",
    "podman.sock", "dockershim.sock", "buildkitd.sock"};

constexpr std::string_view kNodeConfigPaths[] = {"/etc",          "/root",
                                                 "/home",         "/var/lib/kubelet",
                                                 "/var/lib/etcd", "/var/lib/rancher",
                                                 "/var/lib/k0s",  "/srv/kubernetes"};
// Files and folders under /etc that hold nothing secret and are commonly
// mounted read-only for time zones and CA bundles.
constexpr std::string_view kNodeConfigHarmless[] = {"/etc/localtime",
                                                    "/etc/timezone",
                                                    "/etc/ssl/certs",
                                                    "/etc/pki/tls/certs",
                                                    "/etc/pki/ca-trust/extracted",
                                                    "/etc/ca-certificates",
                                                    "/etc/machine-id",
                                                    "/etc/os-release"};

constexpr std::string_view kKernelPaths[] = {"/proc", "/sys",         "/dev",
                                             "/boot", "/lib/modules", "/usr/lib/modules"};

constexpr std::string_view kSystemPaths[] = {"/bin",
                                             "/sbin",
                                             "/lib",
                                             "/lib64",
                                             "/usr",
                                             "/opt/cni",
                                             "/var/lib/docker",
                                             "/var/lib/containerd",
                                             "/var/lib/containers",
                                             "/var/lib/cni"};
// Data that is harmless to read, and kernel modules (the kernel class).
constexpr std::string_view kSystemHarmless[] = {"/usr/share/zoneinfo", "/usr/share/ca-certificates",
                                                "/lib/modules", "/usr/lib/modules"};

constexpr std::string_view kLogPaths[] = {"/var/log"};

std::string_view MatchIn(std::span<const std::string_view> bases,
                         std::span<const std::string_view> harmless, std::string_view path) {
  for (std::string_view base : bases) {
    if (PathWithin(base, path)) return base;  // the mount contains the sensitive path
    if (!PathWithin(path, base)) continue;
    bool ok = std::any_of(harmless.begin(), harmless.end(),
                          [&](std::string_view h) { return PathWithin(path, h); });
    if (!ok) return base;
  }
  return {};
}

}  // namespace

ImageRef ParseImageRef(std::string_view image) {
  ImageRef out;
  std::string_view name = image;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    out.digest = name.substr(at + 1);
    name = name.substr(0, at);
  }
  size_t last_slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    out.tag = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  size_t first_slash = name.find('/');
  std::string_view head =
      first_slash == std::string_view::npos ? std::string_view() : name.substr(0, first_slash);
  // distribution/reference: the first component is a registry when it looks
  // like a host (a dot, a port, "localhost") or is not a valid lower-case path.
  bool is_domain =
      first_slash != std::string_view::npos &&
      (head.find_first_of(".:") != std::string_view::npos || head == "localhost" || HasUpper(head));
  if (is_domain) {
    out.domain = head == "index.docker.io" ? std::string_view("docker.io") : head;
    out.path = name.substr(first_slash + 1);
  } else {
    out.domain = "docker.io";
    out.path = name;
    out.implicit_domain = true;
  }
  return out;
}

bool RegistryAllows(std::string_view entry, const ImageRef& ref) {
  while (!entry.empty() && entry.back() == '/') entry.remove_suffix(1);
  if (entry.empty()) return false;
  size_t slash = entry.find('/');
  std::string_view domain = entry.substr(0, slash);
  std::string_view prefix =
      slash == std::string_view::npos ? std::string_view() : entry.substr(slash + 1);
  if (domain.starts_with("*.")) {
    std::string_view suffix = domain.substr(1);  // ".example.com"
    if (ref.domain.size() <= suffix.size() || !EndsWithIgnoreCase(ref.domain, suffix)) return false;
  } else {
    if (EqualsIgnoreCase(domain, "index.docker.io")) domain = "docker.io";
    if (!EqualsIgnoreCase(domain, ref.domain)) return false;
  }
  if (prefix.empty()) return true;
  std::string path(ref.path);
  if (EqualsIgnoreCase(ref.domain, "docker.io") && path.find('/') == std::string::npos) {
    path = "library/" + path;
  }
  return path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/');
}

Result<std::vector<std::string>> ReadAllowedRegistries(const std::string& file,
                                                       std::string_view content) {
  core::DecodedSource decoded = core::DecodeSource(file, content);
  if (!decoded.diagnostics.empty()) return ParseError(decoded.diagnostics.front().ToString());
  std::vector<std::string> out;
  for (const core::Document& doc : decoded.documents) {
    const core::Node* list = doc.root().Get("allowedRegistries");
    if (list == nullptr || list->IsNull()) continue;
    if (!list->IsSequence()) {
      return ParseError(At(file, *list) + "`allowedRegistries` must be a list of registries");
    }
    for (const core::Node& item : list->items()) {
      auto s = item.GetString();
      if (!s || s->empty()) {
        return ParseError(At(file, item) +
                          "an allowed registry must be a non-empty string such as "
                          "registry.example.com or ghcr.io/acme");
      }
      out.emplace_back(*s);
    }
  }
  return out;
}

bool CommandRuns(std::string_view text, std::string_view program) {
  constexpr std::string_view kSeparators = " \t\n\r;&|()<>`'\"";
  size_t i = 0;
  while (i < text.size()) {
    size_t start = text.find_first_not_of(kSeparators, i);
    if (start == std::string_view::npos) break;
    size_t end = text.find_first_of(kSeparators, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    size_t slash = word.rfind('/');
    if (slash != std::string_view::npos) word.remove_prefix(slash + 1);
    if (word == program) return true;
    i = end;
  }
  return false;
}

bool CapabilityIs(std::string_view written, std::string_view name) {
  if (written.size() > 4 && EqualsIgnoreCase(written.substr(0, 4), "CAP_")) {
    written.remove_prefix(4);
  }
  return EqualsIgnoreCase(written, name);
}

std::string NormalizeHostPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view part = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.empty()) return "/";
  std::string out;
  for (std::string_view p : parts) {
    out += '/';
    out += p;
  }
  return out;
}

bool PathWithin(std::string_view path, std::string_view base) {
  if (base == "/") return true;
  return path == base ||
         (path.size() > base.size() && path.starts_with(base) && path[base.size()] == '/');
}

std::string_view SensitivePathMatch(HostPathClass cls, std::string_view path) {
  if (cls == HostPathClass::kRoot) return path == "/" ? path : std::string_view();
  if (path == "/") return {};  // the root rule reports it once
  switch (cls) {
    case HostPathClass::kRoot:
      return {};
    case HostPathClass::kRuntimeSocket: {
      for (std::string_view socket : kRuntimeSockets) {
        if (PathWithin(socket, path)) return socket;
      }
      std::string_view base = path.substr(path.rfind('/') + 1);
      for (std::string_view name : kRuntimeSocketNames) {
        if (base == name) return path;
      }
      return {};
    }
    case HostPathClass::kNodeConfig:
      return MatchIn(kNodeConfigPaths, kNodeConfigHarmless, path);
    case HostPathClass::kKernel:
      return MatchIn(kKernelPaths, {}, path);
    case HostPathClass::kSystem:
      return MatchIn(kSystemPaths, kSystemHarmless, path);
    case HostPathClass::kLogs:
      return MatchIn(kLogPaths, {}, path);
  }
  return {};
}

core::LabelSelector ParseSelector(const core::Node& selector) {
  // Not an object (null included): selects nothing.
  if (!selector.IsMapping()) return core::LabelSelector::Make({}, false);
  // Problems only make the selector invalid: the rules report no selector
  // errors (the API server would have refused the object).
  std::vector<core::FieldProblem> problems;
  return core::LabelSelector::Parse(
      &selector, "", problems,
      core::SelectorLeniency{
          .empty_keys = true, .non_string_values = true, .unchecked_values = true});
}

core::LabelSet SelectedLabels(const core::Node* labels) {
  return core::LabelSet(labels, core::LabelSet::NonString::kUnequal);
}

bool SelectorMatches(const core::Node& selector, const core::Node* labels) {
  return ParseSelector(selector).Matches(SelectedLabels(labels));
}

bool SameValue(const core::Node& a, const core::Node& b) {
  if (a.IsNumber() && b.IsNumber()) return a.GetNumber() == b.GetNumber();
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case core::NodeType::kNull:
      return true;
    case core::NodeType::kBool:
      return a.bool_value() == b.bool_value();
    case core::NodeType::kString:
      return a.string_value() == b.string_value();
    case core::NodeType::kSequence: {
      auto x = a.items();
      auto y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!SameValue(x[i], y[i])) return false;
      }
      return true;
    }
    case core::NodeType::kMapping: {
      if (a.members().size() != b.members().size()) return false;
      for (const core::Member& m : a.members()) {
        const core::Node* other = b.Get(m.key_string());
        if (other == nullptr || !SameValue(m.value, *other)) return false;
      }
      return true;
    }
    case core::NodeType::kInt:
    case core::NodeType::kFloat:
      return false;  // handled above
  }
  return false;
}

}  // namespace kspm::rules::workload
