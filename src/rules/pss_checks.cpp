// The Pod Security Standards checks, revision by revision, as docs/pss.md
// specifies them (§5 baseline, §6 restricted). Each function reads the pod
// spec the way typed decoding would (pss_support.h), reports one Evidence per
// offending field and a Kubernetes-shaped message `reason (detail)`.
#include "rules/pss_checks.h"

#include <algorithm>
#include <array>

#include "rules/pss_support.h"

namespace kspm::rules::pss {
namespace {

using core::ContainerRef;
using core::Node;

template <typename Range>
bool Contains(const Range& range, std::string_view value) {
  return std::find(std::begin(range), std::end(range), value) != std::end(range);
}

// `pod`, `container "a"`, `pod and containers "a", "b"`.
std::string Setters(bool pod, std::span<const std::string> containers) {
  std::string out;
  if (pod) out = "pod";
  if (!containers.empty()) {
    if (!out.empty()) out += " and ";
    out += ContainersPhrase(containers);
  }
  return out;
}

// The pod's own securityContext (nullptr when unset or malformed).
const Node* PodSecurityContext(CheckReport& r, const CheckInput& in) {
  return GetObject(r, Where::Pod(in.pod), in.pod.spec, "securityContext", "securityContext");
}

const Node* ContainerSecurityContext(CheckReport& r, const Where& w, const ContainerRef& c) {
  return GetObject(r, w, c.node, "securityContext", "securityContext");
}

// The node a missing field's position comes from: the deepest existing one.
const Node& Nearest(const Node* deepest, const Node* parent, const Node& fallback) {
  if (deepest != nullptr) return *deepest;
  if (parent != nullptr) return *parent;
  return fallback;
}

// The pod metadata's annotations (template metadata for workloads).
const Node* Annotations(CheckReport& r, const CheckInput& in) {
  Where meta = Where::Metadata(in.pod);
  if (in.pod.metadata == nullptr || in.pod.metadata->IsNull()) return nullptr;
  if (!in.pod.metadata->IsMapping()) {
    r.InvalidType(meta, *in.pod.metadata, "", "object");
    return nullptr;
  }
  return GetObject(r, meta, in.pod.metadata, "annotations", "annotations");
}

// ---------------------------------------------------------------------------
// hostNamespaces (baseline, 1.0)

void HostNamespaces_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  Where pod = Where::Pod(in.pod);
  std::vector<std::string> set;
  for (std::string_view key : {"hostNetwork", "hostPID", "hostIPC"}) {
    Read<bool> b = ReadBool(r, pod, in.pod.spec, key, key);
    if (b.value && *b.value) {
      std::string what = std::string(key) + "=true";
      r.Value(pod, *b.node, key, "false or unset", "pod must not set " + what);
      set.push_back(std::move(what));
    }
  }
  if (!r.failed()) return;
  r.Finish("host namespaces", Join(set, ", "));
}

// ---------------------------------------------------------------------------
// privileged (baseline, 1.0)

void Privileged_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  std::vector<std::string> bad;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    Read<bool> p = ReadBool(r, w, sc, "privileged", "securityContext.privileged");
    if (p.value && *p.value) {
      r.Value(w, *p.node, "securityContext.privileged", "false or unset",
              w.Who() + " must not set securityContext.privileged=true");
      bad.push_back(Name(c));
    }
  });
  if (!r.failed()) return;
  r.Finish("privileged", bad.empty() ? std::string()
                                     : ContainersPhrase(bad) +
                                           " must not set "
                                           "securityContext.privileged=true");
}

// ---------------------------------------------------------------------------
// capabilities_baseline (baseline, 1.0)

constexpr std::string_view kBaselineCapabilities[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};

void CapabilitiesBaseline_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  std::vector<std::string> bad_containers;
  std::vector<std::string> bad_caps;
  constexpr std::string_view kAdd = "securityContext.capabilities.add";
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    const Node* caps = GetObject(r, w, sc, "capabilities", "securityContext.capabilities");
    const Node* add = GetList(r, w, caps, "add", kAdd);
    if (add == nullptr) return;
    bool container_bad = false;
    size_t i = 0;
    for (const Node& item : add->items()) {
      size_t index = i++;
      std::optional<std::string_view> cap = ReadStringItem(r, item, w, kAdd, index);
      if (!cap || Contains(kBaselineCapabilities, *cap)) continue;
      container_bad = true;
      bad_caps.emplace_back(*cap);
      r.Add(
          engine::BadValue(item, w.Pointer(kAdd) + "/" + std::to_string(index),
                           "one of AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, "
                           "NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT",
                           w.Who() + " must not include \"" + std::string(*cap) +
                               "\" in securityContext.capabilities.add"));
    }
    if (container_bad) bad_containers.push_back(Name(c));
  });
  if (!r.failed()) return;
  SortUnique(bad_caps);
  std::string detail;
  if (!bad_containers.empty()) {
    detail = ContainersPhrase(bad_containers) + " must not include " + QuoteJoin(bad_caps) +
             " in securityContext.capabilities.add";
  }
  r.Finish("non-default capabilities", std::move(detail));
}

// ---------------------------------------------------------------------------
// hostPathVolumes (baseline, 1.0)

void HostPathVolumes_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  std::vector<std::string> bad;
  VisitVolumes(r, in.pod, [&](const Node& vol, int index, std::string_view name) {
    const Node* host_path = Field(&vol, "hostPath");
    if (host_path == nullptr) return;
    Where w = Where::Volume(in.pod, name, index);
    if (!host_path->IsMapping()) {
      r.InvalidType(w, *host_path, "hostPath", "object");
      return;
    }
    r.Value(w, *host_path, "hostPath", "no hostPath volume",
            w.Who() + " must not be a hostPath volume");
    bad.emplace_back(name);
  });
  if (!r.failed()) return;
  std::string detail;
  if (!bad.empty()) {
    detail = std::string(Plural(bad.size(), "volume", "volumes")) + " " + QuoteJoin(bad);
  }
  r.Finish("hostPath volumes", std::move(detail));
}

// ---------------------------------------------------------------------------
// hostPorts (baseline, 1.0)
//
// The API server defaults hostPort to containerPort for pods with
// hostNetwork=true (regular and init containers) before admission, so such a
// port fails too; the evidence says so and shows the defaulted value.

void HostPorts_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  Where pod = Where::Pod(in.pod);
  Read<bool> host_network = ReadBool(r, pod, in.pod.spec, "hostNetwork", "hostNetwork");
  bool defaulting = host_network.value && *host_network.value;
  std::vector<std::string> bad_containers;
  std::vector<std::string> ports;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* list = GetList(r, w, c.node, "ports", "ports");
    if (list == nullptr) return;
    bool container_bad = false;
    int i = 0;
    for (const Node& port : list->items()) {
      Where pw = w;
      pw.list = "ports";
      pw.index = i++;
      if (port.IsNull()) continue;
      if (!port.IsMapping()) {
        r.InvalidTypeAt(port, pw.Pointer(""), w.Who() + " ports[" + std::to_string(pw.index) + "]",
                        "object");
        continue;
      }
      Read<int64_t> host_port = ReadInt(r, pw, &port, "hostPort", "hostPort");
      if (host_port.node != nullptr && !host_port.value) continue;  // reported
      int64_t effective = host_port.value.value_or(0);
      if (effective == 0 && defaulting && c.kind != core::ContainerKind::kEphemeralContainer) {
        Read<int64_t> container_port = ReadInt(r, pw, &port, "containerPort", "containerPort");
        if (container_port.value && *container_port.value != 0) {
          effective = *container_port.value;
          std::string n = std::to_string(effective);
          engine::Evidence e =
              host_port.node != nullptr
                  ? engine::BadValue(*host_port.node, pw.Pointer("hostPort"), "", "")
                  : engine::MissingField(port, pw.Pointer("hostPort"), "", "");
          e.actual = container_port.node->ToJson();
          e.expected = "no host port: hostNetwork=false, or no containerPort";
          e.message = w.Who() + " uses hostPort " + n +
                      " (with hostNetwork=true the API server sets hostPort to the containerPort)";
          r.Add(std::move(e));
          ports.push_back(std::move(n));
          container_bad = true;
        }
        continue;
      }
      if (effective == 0) continue;
      std::string n = std::to_string(effective);
      r.Value(pw, *host_port.node, "hostPort", "0 or unset", w.Who() + " uses hostPort " + n);
      ports.push_back(std::move(n));
      container_bad = true;
    }
    if (container_bad) bad_containers.push_back(Name(c));
  });
  if (!r.failed()) return;
  std::string detail;
  if (!bad_containers.empty()) {
    SortUnique(ports);
    detail = ContainersPhrase(bad_containers) + " " +
             std::string(Plural(bad_containers.size(), "uses", "use")) + " " +
             std::string(Plural(ports.size(), "hostPort", "hostPorts")) + " " + Join(ports, ", ");
  }
  r.Finish("hostPort", std::move(detail));
}

// ---------------------------------------------------------------------------
// hostProbesAndHostLifecycle (baseline, 1.34)

struct HandlerFields {
  std::string_view http;       // field path of .httpGet
  std::string_view http_host;  // ... .httpGet.host
  std::string_view tcp;
  std::string_view tcp_host;
};

struct ProbeSource {
  std::string_view key;  // livenessProbe, ... (or postStart/preStop below lifecycle)
  std::string_view path;
  HandlerFields handlers;
};

constexpr ProbeSource kProbes[] = {
    {"livenessProbe",
     "livenessProbe",
     {"livenessProbe.httpGet", "livenessProbe.httpGet.host", "livenessProbe.tcpSocket",
      "livenessProbe.tcpSocket.host"}},
    {"readinessProbe",
     "readinessProbe",
     {"readinessProbe.httpGet", "readinessProbe.httpGet.host", "readinessProbe.tcpSocket",
      "readinessProbe.tcpSocket.host"}},
    {"startupProbe",
     "startupProbe",
     {"startupProbe.httpGet", "startupProbe.httpGet.host", "startupProbe.tcpSocket",
      "startupProbe.tcpSocket.host"}},
};

constexpr ProbeSource kHooks[] = {
    {"postStart",
     "lifecycle.postStart",
     {"lifecycle.postStart.httpGet", "lifecycle.postStart.httpGet.host",
      "lifecycle.postStart.tcpSocket", "lifecycle.postStart.tcpSocket.host"}},
    {"preStop",
     "lifecycle.preStop",
     {"lifecycle.preStop.httpGet", "lifecycle.preStop.httpGet.host", "lifecycle.preStop.tcpSocket",
      "lifecycle.preStop.tcpSocket.host"}},
};

void HostProbesAndHostLifecycle_1_34(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  std::vector<std::string> bad_containers;
  std::vector<std::string> hosts;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    bool container_bad = false;
    auto handlers = [&](const Node* handler_parent, const HandlerFields& f) {
      for (int tcp = 0; tcp < 2; ++tcp) {
        std::string_view key = tcp ? "tcpSocket" : "httpGet";
        const Node* action = GetObject(r, w, handler_parent, key, tcp ? f.tcp : f.http);
        std::string_view host_field = tcp ? f.tcp_host : f.http_host;
        Read<std::string_view> host = ReadString(r, w, action, "host", host_field);
        if (!host.value || host.value->empty()) continue;
        r.Value(w, *host.node, host_field, "empty or unset (the pod's own IP)",
                w.Who() + " must not set " + std::string(host_field) + " (\"" +
                    std::string(*host.value) + "\")");
        hosts.emplace_back(*host.value);
        container_bad = true;
      }
    };
    for (const ProbeSource& p : kProbes) {
      handlers(GetObject(r, w, c.node, p.key, p.path), p.handlers);
    }
    const Node* lifecycle = GetObject(r, w, c.node, "lifecycle", "lifecycle");
    for (const ProbeSource& p : kHooks) {
      handlers(GetObject(r, w, lifecycle, p.key, p.path), p.handlers);
    }
    if (container_bad) bad_containers.push_back(Name(c));
  });
  if (!r.failed()) return;
  std::string detail;
  if (!bad_containers.empty()) {
    // Unusually, Kubernetes lists the containers here as a sorted set.
    SortUnique(bad_containers);
    SortUnique(hosts);
    detail =
        ContainersPhrase(bad_containers) + " " +
        std::string(Plural(bad_containers.size(), "uses", "use")) + " " +
        std::string(Plural(hosts.size(), "probe or lifecycle host", "probe or lifecycle hosts")) +
        " " + QuoteJoin(hosts);
  }
  r.Finish("probe or lifecycle host", std::move(detail));
}

// ---------------------------------------------------------------------------
// appArmorProfile (baseline, 1.0): fields and the beta annotations

constexpr std::string_view kAppArmorAnnotationPrefix =
    "container.apparmor.security.beta.kubernetes.io/";

bool AllowedAppArmorType(std::string_view t) { return t == "RuntimeDefault" || t == "Localhost"; }

bool AllowedAppArmorAnnotation(std::string_view v) {
  return v.empty() || v == "runtime/default" || v.starts_with("localhost/");
}

void AppArmorProfile_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  bool pod_bad = false;
  std::vector<std::string> bad_containers;
  std::vector<std::string> bad_types;
  // One profile object: its type must be RuntimeDefault or Localhost.
  auto check_profile = [&](const Where& w, const Node* sc) -> bool {
    const Node* profile = GetObject(r, w, sc, "appArmorProfile", "securityContext.appArmorProfile");
    if (profile == nullptr) return false;
    Read<std::string_view> type =
        ReadString(r, w, profile, "type", "securityContext.appArmorProfile.type");
    if (type.node != nullptr && !type.value) return false;  // reported
    std::string_view t = type.value.value_or("");
    if (AllowedAppArmorType(t)) return false;
    std::string message =
        w.Who() + " must not set AppArmor profile type to \"" + std::string(t) + "\"";
    if (type.node != nullptr) {
      r.Value(w, *type.node, "securityContext.appArmorProfile.type", "RuntimeDefault or Localhost",
              std::move(message));
    } else {
      r.Missing(w, *profile, "securityContext.appArmorProfile.type", "RuntimeDefault or Localhost",
                std::move(message));
    }
    bad_types.emplace_back(t);
    return true;
  };
  Where pod = Where::Pod(in.pod);
  pod_bad = check_profile(pod, PodSecurityContext(r, in));
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    if (check_profile(w, ContainerSecurityContext(r, w, c))) bad_containers.push_back(Name(c));
  });

  // Every annotation under the prefix counts, whether or not it names a container.
  std::vector<std::string> bad_annotations;
  const Node* annotations = Annotations(r, in);
  if (annotations != nullptr) {
    for (const core::Member& m : annotations->members()) {
      std::string_view key = m.key_string();
      if (!key.starts_with(kAppArmorAnnotationPrefix)) continue;
      auto pointer = [&] {
        return std::string(in.pod.metadata_pointer) + "/annotations/" + engine::PointerEscape(key);
      };
      std::string_view value;
      if (m.value.IsString()) {
        value = m.value.string_value();
      } else if (!m.value.IsNull()) {
        r.InvalidTypeAt(m.value, pointer(), "annotation " + std::string(key), "string");
        continue;
      }
      if (AllowedAppArmorAnnotation(value)) continue;
      std::string entry = KeyEqualsQuoted(key, value);
      r.Add(engine::BadValue(m.value, pointer(), "runtime/default, localhost/<profile> or empty",
                             "annotation must not set AppArmor profile " + entry));
      bad_annotations.push_back(std::move(entry));
    }
  }
  if (!r.failed()) return;
  SortUnique(bad_types);
  std::sort(bad_annotations.begin(), bad_annotations.end());
  std::vector<std::string> values = bad_types;
  values.insert(values.end(), bad_annotations.begin(), bad_annotations.end());
  std::string setters = Setters(pod_bad, bad_containers);
  if (!bad_annotations.empty()) {
    if (!setters.empty()) setters += " and ";
    setters += Plural(bad_annotations.size(), "annotation", "annotations");
  }
  std::string detail;
  if (!setters.empty()) {
    detail = setters + " must not set AppArmor profile type to " + QuoteJoin(values);
  }
  r.Finish(Plural(values.size(), "forbidden AppArmor profile", "forbidden AppArmor profiles"),
           std::move(detail));
}

// ---------------------------------------------------------------------------
// seLinuxOptions (baseline, 1.0, 1.31)

constexpr std::string_view kSELinuxTypes_1_0[] = {"", "container_t", "container_init_t",
                                                  "container_kvm_t"};
constexpr std::string_view kSELinuxTypes_1_31[] = {"", "container_t", "container_init_t",
                                                   "container_kvm_t", "container_engine_t"};

void SELinuxOptions(const CheckInput& in, engine::Verdict& v,
                    std::span<const std::string_view> allowed_types) {
  CheckReport r(v);
  bool pod_bad = false;
  std::vector<std::string> bad_containers;
  std::vector<std::string> bad_types;
  bool user_set = false;
  bool role_set = false;
  auto check_options = [&](const Where& w, const Node* sc) -> bool {
    const Node* opts = GetObject(r, w, sc, "seLinuxOptions", "securityContext.seLinuxOptions");
    if (opts == nullptr) return false;
    bool bad = false;
    Read<std::string_view> type =
        ReadString(r, w, opts, "type", "securityContext.seLinuxOptions.type");
    if (type.value && !Contains(allowed_types, *type.value)) {
      std::string allowed;
      for (std::string_view t : allowed_types) {
        if (!allowed.empty()) allowed += ", ";
        allowed += '"';
        allowed += t;
        allowed += '"';
      }
      r.Value(w, *type.node, "securityContext.seLinuxOptions.type", "one of " + allowed,
              w.Who() + " must not set securityContext.seLinuxOptions.type to \"" +
                  std::string(*type.value) + "\"");
      bad_types.emplace_back(*type.value);
      bad = true;
    }
    for (std::string_view key : {"user", "role"}) {
      std::string_view field = key == "user" ? "securityContext.seLinuxOptions.user"
                                             : "securityContext.seLinuxOptions.role";
      Read<std::string_view> s = ReadString(r, w, opts, key, field);
      if (!s.value || s.value->empty()) continue;
      r.Value(w, *s.node, field, "unset",
              w.Who() + " must not set securityContext.seLinuxOptions." + std::string(key));
      (key == "user" ? user_set : role_set) = true;
      bad = true;
    }
    return bad;
  };
  pod_bad = check_options(Where::Pod(in.pod), PodSecurityContext(r, in));
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    if (check_options(w, ContainerSecurityContext(r, w, c))) bad_containers.push_back(Name(c));
  });
  if (!r.failed()) return;
  std::string detail;
  std::string setters = Setters(pod_bad, bad_containers);
  if (!setters.empty()) {
    SortUnique(bad_types);
    std::vector<std::string> parts;
    if (!bad_types.empty()) {
      parts.push_back(std::string(Plural(bad_types.size(), "type", "types")) + " " +
                      QuoteJoin(bad_types));
    }
    if (user_set) parts.push_back("user may not be set");
    if (role_set) parts.push_back("role may not be set");
    detail = setters + " set forbidden securityContext.seLinuxOptions: " + Join(parts, "; ");
  }
  r.Finish("seLinuxOptions", std::move(detail));
}

void SELinuxOptions_1_0(const CheckInput& in, engine::Verdict& v) {
  SELinuxOptions(in, v, kSELinuxTypes_1_0);
}
void SELinuxOptions_1_31(const CheckInput& in, engine::Verdict& v) {
  SELinuxOptions(in, v, kSELinuxTypes_1_31);
}

// ---------------------------------------------------------------------------
// procMount (baseline 1.0, 1.35) and procMount_restricted (restricted 1.35)

void ProcMountStrict(const CheckInput& in, CheckReport& r) {
  std::vector<std::string> bad_containers;
  std::vector<std::string> bad_values;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    Read<std::string_view> pm = ReadString(r, w, sc, "procMount", "securityContext.procMount");
    if (!pm.value || *pm.value == "Default") return;
    r.Value(
        w, *pm.node, "securityContext.procMount", "Default or unset",
        w.Who() + " must not set securityContext.procMount to \"" + std::string(*pm.value) + "\"");
    bad_containers.push_back(Name(c));
    bad_values.emplace_back(*pm.value);
  });
  if (!r.failed()) return;
  std::string detail;
  if (!bad_containers.empty()) {
    SortUnique(bad_values);
    detail = ContainersPhrase(bad_containers) + " must not set securityContext.procMount to " +
             QuoteJoin(bad_values);
  }
  r.Finish("procMount", std::move(detail));
}

void ProcMount_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  ProcMountStrict(in, r);
}

void ProcMount_1_35(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  // In a user namespace the unmasked /proc belongs to the pod's own namespace.
  if (InUserNamespace(r, in.pod)) return;
  ProcMountStrict(in, r);
}

void ProcMountRestricted_1_35(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  ProcMountStrict(in, r);
}

// ---------------------------------------------------------------------------
// seccompProfile_baseline (baseline, 1.0 annotations, 1.19 fields)

constexpr std::string_view kSeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
constexpr std::string_view kSeccompContainerAnnotationPrefix =
    "container.seccomp.security.alpha.kubernetes.io/";

bool AllowedSeccompAnnotation(std::string_view v) {
  return v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
}

bool AllowedSeccompType(std::string_view t) { return t == "RuntimeDefault" || t == "Localhost"; }

void SeccompProfileBaseline_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  const Node* annotations = Annotations(r, in);
  std::vector<std::string> forbidden;
  auto check_annotation = [&](std::string_view key, const Node* value) {
    if (value == nullptr) return;
    auto pointer = [&] {
      return std::string(in.pod.metadata_pointer) + "/annotations/" + engine::PointerEscape(key);
    };
    std::string_view text;
    if (value->IsString()) {
      text = value->string_value();
    } else if (!value->IsNull()) {
      r.InvalidTypeAt(*value, pointer(), "annotation " + std::string(key), "string");
      return;
    }
    if (AllowedSeccompAnnotation(text)) return;
    std::string entry = KeyEqualsQuoted(key, text);
    r.Add(engine::BadValue(*value, pointer(),
                           "runtime/default, docker/default or localhost/<profile>",
                           "forbidden annotation " + entry));
    forbidden.push_back(std::move(entry));
  };
  if (annotations != nullptr) {
    check_annotation(kSeccompPodAnnotation, annotations->Get(kSeccompPodAnnotation));
    // Only the annotations of containers that exist count.
    VisitContainers(r, in.pod, [&](const ContainerRef& c) {
      for (const core::Member& m : annotations->members()) {
        std::string_view key = m.key_string();
        if (key.size() == kSeccompContainerAnnotationPrefix.size() + c.name.size() &&
            key.starts_with(kSeccompContainerAnnotationPrefix) && key.ends_with(c.name)) {
          check_annotation(key, &m.value);
        }
      }
    });
  }
  if (!r.failed()) return;
  std::string detail;
  if (!forbidden.empty()) {
    SortUnique(forbidden);
    detail = std::string("forbidden ") +
             std::string(Plural(forbidden.size(), "annotation", "annotations")) + " " +
             Join(forbidden, ", ");
  }
  r.Finish("seccompProfile", std::move(detail));
}

// The profile at securityContext.seccompProfile of `sc`: nullopt when unset;
// otherwise its type ("" when the type is unset). `node` is set to the type
// node (or the profile node when the type is unset); `type_invalid` when the
// type has the wrong JSON type (already reported).
struct SeccompRead {
  const Node* profile = nullptr;
  const Node* type_node = nullptr;
  std::string_view type;
  bool invalid = false;
};

SeccompRead ReadSeccomp(CheckReport& r, const Where& w, const Node* sc) {
  SeccompRead out;
  out.profile = GetObject(r, w, sc, "seccompProfile", "securityContext.seccompProfile");
  if (out.profile == nullptr) return out;
  Read<std::string_view> type =
      ReadString(r, w, out.profile, "type", "securityContext.seccompProfile.type");
  out.type_node = type.node;
  out.invalid = type.node != nullptr && !type.value;
  out.type = type.value.value_or("");
  return out;
}

void ReportBadSeccomp(CheckReport& r, const Where& w, const SeccompRead& s) {
  std::string message = w.Who() + " must not set securityContext.seccompProfile.type to \"" +
                        std::string(s.type) + "\"";
  if (s.type_node != nullptr) {
    r.Value(w, *s.type_node, "securityContext.seccompProfile.type", "RuntimeDefault or Localhost",
            std::move(message));
  } else {
    r.Missing(w, *s.profile, "securityContext.seccompProfile.type", "RuntimeDefault or Localhost",
              std::move(message));
  }
}

void SeccompProfileBaseline_1_19(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  bool pod_bad = false;
  std::vector<std::string> bad_containers;
  std::vector<std::string> bad_types;
  Where pod = Where::Pod(in.pod);
  SeccompRead ps = ReadSeccomp(r, pod, PodSecurityContext(r, in));
  if (ps.profile != nullptr && !ps.invalid && !AllowedSeccompType(ps.type)) {
    ReportBadSeccomp(r, pod, ps);
    pod_bad = true;
    bad_types.emplace_back(ps.type);
  }
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    SeccompRead cs = ReadSeccomp(r, w, ContainerSecurityContext(r, w, c));
    if (cs.profile == nullptr || cs.invalid || AllowedSeccompType(cs.type)) return;
    ReportBadSeccomp(r, w, cs);
    bad_containers.push_back(Name(c));
    bad_types.emplace_back(cs.type);
  });
  if (!r.failed()) return;
  std::string detail;
  std::string setters = Setters(pod_bad, bad_containers);
  if (!setters.empty()) {
    SortUnique(bad_types);
    detail =
        setters + " must not set securityContext.seccompProfile.type to " + QuoteJoin(bad_types);
  }
  r.Finish("seccompProfile", std::move(detail));
}

// ---------------------------------------------------------------------------
// sysctls (baseline, 1.0, 1.27, 1.29, 1.32, 1.37)

constexpr std::string_view kSafeSysctls[] = {
    // 1.0
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
    // 1.27
    "net.ipv4.ip_local_reserved_ports",
    // 1.29
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    // 1.32
    "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    // 1.37
    "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"};

void Sysctls(const CheckInput& in, engine::Verdict& v, size_t allowed_count) {
  std::span<const std::string_view> allowed(kSafeSysctls, allowed_count);
  CheckReport r(v);
  Where pod = Where::Pod(in.pod);
  const Node* list =
      GetList(r, pod, PodSecurityContext(r, in), "sysctls", "securityContext.sysctls");
  std::vector<std::string> forbidden;
  if (list != nullptr) {
    int i = 0;
    for (const Node& item : list->items()) {
      int index = i++;
      std::string_view name;
      const Node* name_node = nullptr;
      auto item_pointer = [&] {
        return pod.Pointer("securityContext.sysctls") + "/" + std::to_string(index);
      };
      auto item_subject = [&] {
        return "pod securityContext.sysctls[" + std::to_string(index) + "]";
      };
      if (item.IsMapping()) {
        name_node = Field(&item, "name");
        if (name_node != nullptr && !name_node->IsString()) {
          r.InvalidTypeAt(*name_node, item_pointer() + "/name", item_subject() + ".name", "string");
          continue;
        }
        if (name_node != nullptr) name = name_node->string_value();
      } else if (!item.IsNull()) {
        r.InvalidTypeAt(item, item_pointer(), item_subject(), "object");
        continue;
      }
      if (Contains(allowed, name)) continue;
      std::string expected = "one of";
      for (size_t k = 0; k < allowed.size(); ++k) {
        expected += k == 0 ? " " : ", ";
        expected += allowed[k];
      }
      std::string pointer = item_pointer() + "/name";
      std::string message = "pod must not set the sysctl \"" + std::string(name) + "\"";
      r.Add(name_node != nullptr ? engine::BadValue(*name_node, std::move(pointer),
                                                    std::move(expected), std::move(message))
                                 : engine::MissingField(item, std::move(pointer),
                                                        std::move(expected), std::move(message)));
      forbidden.emplace_back(name);
    }
  }
  if (!r.failed()) return;
  r.Finish("forbidden sysctls", Join(forbidden, ", "));
}

void Sysctls_1_0(const CheckInput& in, engine::Verdict& v) { Sysctls(in, v, 5); }
void Sysctls_1_27(const CheckInput& in, engine::Verdict& v) { Sysctls(in, v, 6); }
void Sysctls_1_29(const CheckInput& in, engine::Verdict& v) { Sysctls(in, v, 10); }
void Sysctls_1_32(const CheckInput& in, engine::Verdict& v) { Sysctls(in, v, 12); }
void Sysctls_1_37(const CheckInput& in, engine::Verdict& v) { Sysctls(in, v, 14); }

// ---------------------------------------------------------------------------
// windowsHostProcess (baseline, 1.0)

void WindowsHostProcess_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  constexpr std::string_view kField = "securityContext.windowsOptions.hostProcess";
  auto check = [&](const Where& w, const Node* sc) -> bool {
    const Node* opts = GetObject(r, w, sc, "windowsOptions", "securityContext.windowsOptions");
    Read<bool> hp = ReadBool(r, w, opts, "hostProcess", kField);
    if (!hp.value || !*hp.value) return false;
    r.Value(w, *hp.node, kField, "false or unset",
            w.Who() + " must not set securityContext.windowsOptions.hostProcess=true");
    return true;
  };
  bool pod_bad = check(Where::Pod(in.pod), PodSecurityContext(r, in));
  std::vector<std::string> bad_containers;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    if (check(w, ContainerSecurityContext(r, w, c))) bad_containers.push_back(Name(c));
  });
  if (!r.failed()) return;
  std::string setters = Setters(pod_bad, bad_containers);
  r.Finish("hostProcess",
           setters.empty()
               ? std::string()
               : setters + " must not set securityContext.windowsOptions.hostProcess=true");
}

// ---------------------------------------------------------------------------
// restrictedVolumes (restricted, 1.0)

constexpr std::string_view kAllowedVolumeSources[] = {
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret"};

// In the order Kubernetes names the type of a restricted volume.
constexpr std::string_view kRestrictedVolumeSources[] = {"hostPath",
                                                         "gcePersistentDisk",
                                                         "awsElasticBlockStore",
                                                         "gitRepo",
                                                         "nfs",
                                                         "iscsi",
                                                         "glusterfs",
                                                         "rbd",
                                                         "flexVolume",
                                                         "cinder",
                                                         "cephfs",
                                                         "flocker",
                                                         "fc",
                                                         "azureFile",
                                                         "vsphereVolume",
                                                         "quobyte",
                                                         "azureDisk",
                                                         "photonPersistentDisk",
                                                         "portworxVolume",
                                                         "scaleIO",
                                                         "storageos"};

void RestrictedVolumes_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  std::vector<std::string> bad_volumes;
  std::vector<std::string> bad_types;
  VisitVolumes(r, in.pod, [&](const Node& vol, int index, std::string_view name) {
    Where w = Where::Volume(in.pod, name, index);
    bool allowed = false;
    for (std::string_view source : kAllowedVolumeSources) {
      if (GetObject(r, w, &vol, source, source) != nullptr) allowed = true;
    }
    if (allowed) return;
    for (std::string_view source : kRestrictedVolumeSources) {
      const Node* n = Field(&vol, source);
      if (n == nullptr) continue;
      r.Value(w, *n, source,
              "configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, "
              "projected or secret",
              w.Who() + " must not use the restricted volume type \"" + std::string(source) + "\"");
      bad_volumes.emplace_back(name);
      bad_types.emplace_back(source);
      return;
    }
    // No source at all: the API server defaults the volume to emptyDir.
  });
  if (!r.failed()) return;
  std::string detail;
  if (!bad_volumes.empty()) {
    SortUnique(bad_types);
    detail =
        std::string(Plural(bad_volumes.size(), "volume", "volumes")) + " " +
        QuoteJoin(bad_volumes) + " " + std::string(Plural(bad_volumes.size(), "uses", "use")) +
        " " +
        std::string(Plural(bad_types.size(), "restricted volume type", "restricted volume types")) +
        " " + QuoteJoin(bad_types);
  }
  r.Finish("restricted volume types", std::move(detail));
}

// ---------------------------------------------------------------------------
// allowPrivilegeEscalation (restricted, 1.8, 1.25)

void AllowPrivilegeEscalation(const CheckInput& in, CheckReport& r) {
  std::vector<std::string> bad;
  constexpr std::string_view kField = "securityContext.allowPrivilegeEscalation";
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    Read<bool> ape = ReadBool(r, w, sc, "allowPrivilegeEscalation", kField);
    if (ape.node != nullptr && !ape.value) return;  // reported
    if (ape.value && !*ape.value) return;
    std::string message = w.Who() + " must set securityContext.allowPrivilegeEscalation=false";
    if (ape.node != nullptr) {
      r.Value(w, *ape.node, kField, "false", std::move(message));
    } else {
      r.Missing(w, Nearest(sc, nullptr, *c.node), kField, "false", std::move(message));
    }
    bad.push_back(Name(c));
  });
  if (!r.failed()) return;
  r.Finish("allowPrivilegeEscalation != false",
           bad.empty() ? std::string()
                       : ContainersPhrase(bad) +
                             " must set securityContext.allowPrivilegeEscalation=false");
}

void AllowPrivilegeEscalation_1_8(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  AllowPrivilegeEscalation(in, r);
}

void AllowPrivilegeEscalation_1_25(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  if (IsWindowsPod(r, in.pod)) return v.NotApplicable();
  AllowPrivilegeEscalation(in, r);
}

// ---------------------------------------------------------------------------
// runAsNonRoot (restricted, 1.0, 1.35)

void RunAsNonRoot(const CheckInput& in, CheckReport& r) {
  constexpr std::string_view kField = "securityContext.runAsNonRoot";
  Where pod = Where::Pod(in.pod);
  Read<bool> pod_value = ReadBool(r, pod, PodSecurityContext(r, in), "runAsNonRoot", kField);
  bool pod_bad = pod_value.value && !*pod_value.value;
  bool pod_true = pod_value.value && *pod_value.value;
  std::vector<const ContainerRef*> explicit_bad;
  std::vector<const ContainerRef*> implicit_bad;
  std::vector<const Node*> implicit_nearest;
  std::vector<const Node*> explicit_nodes;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    Read<bool> value = ReadBool(r, w, sc, "runAsNonRoot", kField);
    if (value.node != nullptr && !value.value) return;  // reported
    if (value.value && !*value.value) {
      explicit_bad.push_back(&c);
      explicit_nodes.push_back(value.node);
    } else if (!value.value && !pod_true) {
      implicit_bad.push_back(&c);
      implicit_nearest.push_back(sc != nullptr ? sc : c.node);
    }
  });
  std::string detail;
  if (pod_bad || !explicit_bad.empty()) {
    if (pod_bad) {
      r.Value(pod, *pod_value.node, kField, "true or unset",
              "pod must not set securityContext.runAsNonRoot=false");
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < explicit_bad.size(); ++i) {
      Where w = Where::Container(*explicit_bad[i]);
      r.Value(w, *explicit_nodes[i], kField, "true or unset",
              w.Who() + " must not set securityContext.runAsNonRoot=false");
      names.push_back(Name(*explicit_bad[i]));
    }
    detail = Setters(pod_bad, names) + " must not set securityContext.runAsNonRoot=false";
  } else if (!implicit_bad.empty()) {
    std::vector<std::string> names;
    for (size_t i = 0; i < implicit_bad.size(); ++i) {
      Where w = Where::Container(*implicit_bad[i]);
      r.Missing(w, *implicit_nearest[i], kField, "true (here or in the pod's securityContext)",
                w.Who() + " must set securityContext.runAsNonRoot=true (or the pod must)");
      names.push_back(Name(*implicit_bad[i]));
    }
    detail = "pod or " + ContainersPhrase(names) + " must set securityContext.runAsNonRoot=true";
  }
  if (!r.failed()) return;
  r.Finish("runAsNonRoot != true", std::move(detail));
}

void RunAsNonRoot_1_0(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  RunAsNonRoot(in, r);
}

void RunAsNonRoot_1_35(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  // In a user namespace, root in the container is not root on the node.
  if (InUserNamespace(r, in.pod)) return;
  RunAsNonRoot(in, r);
}

// ---------------------------------------------------------------------------
// runAsUser (restricted, 1.23, 1.35)

void RunAsUser(const CheckInput& in, CheckReport& r) {
  constexpr std::string_view kField = "securityContext.runAsUser";
  auto check = [&](const Where& w, const Node* sc) -> bool {
    Read<int64_t> uid = ReadInt(r, w, sc, "runAsUser", kField);
    if (!uid.value || *uid.value != 0) return false;
    r.Value(w, *uid.node, kField, "a non-zero UID or unset", w.Who() + " must not set runAsUser=0");
    return true;
  };
  bool pod_bad = check(Where::Pod(in.pod), PodSecurityContext(r, in));
  std::vector<std::string> bad_containers;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    if (check(w, ContainerSecurityContext(r, w, c))) bad_containers.push_back(Name(c));
  });
  if (!r.failed()) return;
  std::string setters = Setters(pod_bad, bad_containers);
  r.Finish("runAsUser=0", setters.empty() ? std::string() : setters + " must not set runAsUser=0");
}

void RunAsUser_1_23(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  RunAsUser(in, r);
}

void RunAsUser_1_35(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  if (InUserNamespace(r, in.pod)) return;
  RunAsUser(in, r);
}

// ---------------------------------------------------------------------------
// seccompProfile_restricted (restricted, 1.19, 1.25)

void SeccompProfileRestricted(const CheckInput& in, CheckReport& r) {
  Where pod = Where::Pod(in.pod);
  SeccompRead ps = ReadSeccomp(r, pod, PodSecurityContext(r, in));
  bool pod_set = ps.profile != nullptr && !ps.invalid;
  bool pod_valid = pod_set && AllowedSeccompType(ps.type);
  bool pod_bad = pod_set && !pod_valid;
  std::vector<std::string> bad_types;
  if (pod_bad) bad_types.emplace_back(ps.type);
  struct Bad {
    const ContainerRef* c;
    SeccompRead s;
    const Node* nearest;
  };
  std::vector<Bad> explicit_bad;
  std::vector<Bad> implicit_bad;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    SeccompRead cs = ReadSeccomp(r, w, sc);
    if (cs.invalid) return;  // reported
    if (cs.profile != nullptr) {
      if (!AllowedSeccompType(cs.type)) {
        explicit_bad.push_back({&c, cs, nullptr});
        bad_types.emplace_back(cs.type);
      }
    } else if (!pod_valid) {
      implicit_bad.push_back({&c, cs, sc != nullptr ? sc : c.node});
    }
  });
  std::string detail;
  if (pod_bad || !explicit_bad.empty()) {
    if (pod_bad) ReportBadSeccomp(r, pod, ps);
    std::vector<std::string> names;
    for (const Bad& b : explicit_bad) {
      ReportBadSeccomp(r, Where::Container(*b.c), b.s);
      names.push_back(Name(*b.c));
    }
    SortUnique(bad_types);
    detail = Setters(pod_bad, names) + " must not set securityContext.seccompProfile.type to " +
             QuoteJoin(bad_types);
  } else if (!implicit_bad.empty()) {
    std::vector<std::string> names;
    for (const Bad& b : implicit_bad) {
      Where w = Where::Container(*b.c);
      r.Missing(w, *b.nearest, "securityContext.seccompProfile.type",
                "RuntimeDefault or Localhost (here or in the pod's securityContext)",
                w.Who() +
                    " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
                    "\"Localhost\" (or the pod must)");
      names.push_back(Name(*b.c));
    }
    detail = "pod or " + ContainersPhrase(names) +
             " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
             "\"Localhost\"";
  }
  if (!r.failed()) return;
  r.Finish("seccompProfile", std::move(detail));
}

void SeccompProfileRestricted_1_19(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  SeccompProfileRestricted(in, r);
}

void SeccompProfileRestricted_1_25(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  if (IsWindowsPod(r, in.pod)) return v.NotApplicable();
  SeccompProfileRestricted(in, r);
}

// ---------------------------------------------------------------------------
// capabilities_restricted (restricted, 1.22, 1.25)

void CapabilitiesRestricted(const CheckInput& in, CheckReport& r) {
  constexpr std::string_view kDrop = "securityContext.capabilities.drop";
  constexpr std::string_view kAdd = "securityContext.capabilities.add";
  std::vector<std::string> missing_drop;
  std::vector<std::string> adding;
  std::vector<std::string> bad_caps;
  VisitContainers(r, in.pod, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    const Node* caps = GetObject(r, w, sc, "capabilities", "securityContext.capabilities");
    const Node* drop = GetList(r, w, caps, "drop", kDrop);
    const Node* add = GetList(r, w, caps, "add", kAdd);
    bool drops_all = false;
    if (drop != nullptr) {
      size_t i = 0;
      for (const Node& item : drop->items()) {
        std::optional<std::string_view> cap = ReadStringItem(r, item, w, kDrop, i++);
        if (cap && *cap == "ALL") drops_all = true;
      }
    }
    if (!drops_all) {
      std::string message = w.Who() + " must set securityContext.capabilities.drop=[\"ALL\"]";
      const Node* drop_node = caps != nullptr ? caps->Get("drop") : nullptr;
      if (drop_node != nullptr && drop_node->IsSequence()) {
        r.Value(w, *drop_node, kDrop, "a list containing \"ALL\"", std::move(message));
      } else if (drop_node == nullptr || drop_node->IsNull()) {
        r.Missing(w, Nearest(caps, sc, *c.node), kDrop, "a list containing \"ALL\"",
                  std::move(message));
      }
      missing_drop.push_back(Name(c));
    }
    if (add != nullptr) {
      bool container_adds = false;
      size_t i = 0;
      for (const Node& item : add->items()) {
        size_t index = i++;
        std::optional<std::string_view> cap = ReadStringItem(r, item, w, kAdd, index);
        if (!cap || *cap == "NET_BIND_SERVICE") continue;
        r.Add(engine::BadValue(item, w.Pointer(kAdd) + "/" + std::to_string(index),
                               "only NET_BIND_SERVICE",
                               w.Who() + " must not include \"" + std::string(*cap) +
                                   "\" in securityContext.capabilities.add"));
        bad_caps.emplace_back(*cap);
        container_adds = true;
      }
      if (container_adds) adding.push_back(Name(c));
    }
  });
  if (!r.failed()) return;
  std::vector<std::string> parts;
  if (!missing_drop.empty()) {
    parts.push_back(ContainersPhrase(missing_drop) +
                    " must set securityContext.capabilities.drop=[\"ALL\"]");
  }
  if (!adding.empty()) {
    SortUnique(bad_caps);
    parts.push_back(ContainersPhrase(adding) + " must not include " + QuoteJoin(bad_caps) +
                    " in securityContext.capabilities.add");
  }
  r.Finish("unrestricted capabilities", Join(parts, "; "));
}

void CapabilitiesRestricted_1_22(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  CapabilitiesRestricted(in, r);
}

void CapabilitiesRestricted_1_25(const CheckInput& in, engine::Verdict& v) {
  CheckReport r(v);
  if (IsWindowsPod(r, in.pod)) return v.NotApplicable();
  CapabilitiesRestricted(in, r);
}

// ---------------------------------------------------------------------------
// The catalog.

constexpr Revision kHostNamespaces[] = {{0, HostNamespaces_1_0}};
constexpr Revision kPrivileged[] = {{0, Privileged_1_0}};
constexpr Revision kCapabilitiesBaseline[] = {{0, CapabilitiesBaseline_1_0}};
constexpr Revision kHostPathVolumes[] = {{0, HostPathVolumes_1_0}};
constexpr Revision kHostPorts[] = {{0, HostPorts_1_0}};
constexpr Revision kAppArmorProfile[] = {{0, AppArmorProfile_1_0}};
constexpr Revision kSELinuxOptions[] = {{0, SELinuxOptions_1_0}, {31, SELinuxOptions_1_31}};
constexpr Revision kProcMount[] = {{0, ProcMount_1_0}, {35, ProcMount_1_35}};
constexpr Revision kSeccompProfileBaseline[] = {{0, SeccompProfileBaseline_1_0},
                                                {19, SeccompProfileBaseline_1_19}};
constexpr Revision kSysctls[] = {{0, Sysctls_1_0},
                                 {27, Sysctls_1_27},
                                 {29, Sysctls_1_29},
                                 {32, Sysctls_1_32},
                                 {37, Sysctls_1_37}};
constexpr Revision kWindowsHostProcess[] = {{0, WindowsHostProcess_1_0}};
constexpr Revision kHostProbesAndHostLifecycle[] = {{34, HostProbesAndHostLifecycle_1_34}};
constexpr Revision kRestrictedVolumes[] = {{0, RestrictedVolumes_1_0}};
constexpr Revision kAllowPrivilegeEscalation[] = {{8, AllowPrivilegeEscalation_1_8},
                                                  {25, AllowPrivilegeEscalation_1_25}};
constexpr Revision kRunAsNonRoot[] = {{0, RunAsNonRoot_1_0}, {35, RunAsNonRoot_1_35}};
constexpr Revision kRunAsUser[] = {{23, RunAsUser_1_23}, {35, RunAsUser_1_35}};
constexpr Revision kSeccompProfileRestricted[] = {{19, SeccompProfileRestricted_1_19},
                                                  {25, SeccompProfileRestricted_1_25}};
constexpr Revision kCapabilitiesRestricted[] = {{22, CapabilitiesRestricted_1_22},
                                                {25, CapabilitiesRestricted_1_25}};
constexpr Revision kProcMountRestricted[] = {{35, ProcMountRestricted_1_35}};

constexpr CheckDef kChecks[] = {
    {"hostNamespaces", Level::kBaseline, kHostNamespaces, -1, ""},
    {"privileged", Level::kBaseline, kPrivileged, -1, ""},
    {"capabilities_baseline", Level::kBaseline, kCapabilitiesBaseline, 22,
     "capabilities_restricted"},
    {"hostPathVolumes", Level::kBaseline, kHostPathVolumes, 0, "restrictedVolumes"},
    {"hostPorts", Level::kBaseline, kHostPorts, -1, ""},
    {"appArmorProfile", Level::kBaseline, kAppArmorProfile, -1, ""},
    {"seLinuxOptions", Level::kBaseline, kSELinuxOptions, -1, ""},
    {"procMount", Level::kBaseline, kProcMount, 35, "procMount_restricted"},
    {"seccompProfile_baseline", Level::kBaseline, kSeccompProfileBaseline, 19,
     "seccompProfile_restricted"},
    {"sysctls", Level::kBaseline, kSysctls, -1, ""},
    {"windowsHostProcess", Level::kBaseline, kWindowsHostProcess, -1, ""},
    {"hostProbesAndHostLifecycle", Level::kBaseline, kHostProbesAndHostLifecycle, -1, ""},
    {"restrictedVolumes", Level::kRestricted, kRestrictedVolumes, -1, ""},
    {"allowPrivilegeEscalation", Level::kRestricted, kAllowPrivilegeEscalation, -1, ""},
    {"runAsNonRoot", Level::kRestricted, kRunAsNonRoot, -1, ""},
    {"runAsUser", Level::kRestricted, kRunAsUser, -1, ""},
    {"seccompProfile_restricted", Level::kRestricted, kSeccompProfileRestricted, -1, ""},
    {"capabilities_restricted", Level::kRestricted, kCapabilitiesRestricted, -1, ""},
    {"procMount_restricted", Level::kRestricted, kProcMountRestricted, -1, ""},
};

}  // namespace

std::span<const CheckDef> Checks() { return kChecks; }

const CheckDef* FindCheck(std::string_view id) {
  for (const CheckDef& c : kChecks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Revision* RevisionAt(const CheckDef& def, int minor) {
  const Revision* found = nullptr;
  for (const Revision& r : def.revisions) {
    if (r.min_minor <= minor) found = &r;
  }
  return found;
}

void RunCheck(const CheckDef& def, const core::PodSpecView& pod, const engine::RuleContext& ctx,
              engine::Verdict& v) {
  const Revision* rev = RevisionAt(def, ctx.k8s_minor);
  if (rev == nullptr) return v.NotApplicable();
  // At the restricted level Kubernetes drops a baseline check that a
  // restricted check overrides at this version (docs/pss.md §2.4).
  if (ctx.pss_profile == engine::PssProfile::kRestricted && def.overridden_from >= 0 &&
      ctx.k8s_minor >= def.overridden_from) {
    return v.NotApplicable();
  }
  rev->fn(CheckInput{pod, ctx.k8s_minor}, v);
}

}  // namespace kspm::rules::pss
