// Workload hardening beyond the Pod Security Standards (WL-001 … WL-039):
// images, service-account tokens, sensitive hostPath mounts, dangerous
// capabilities by name, resources, probes and availability. Semantics and
// limits are in docs/rules/workload.md.
//
// Reading follows pss_support.h: an absent key and an explicit null are
// unset, a value of the wrong type fails the check that reads it. Checks that
// need other objects (LimitRanges, ServiceAccounts, HorizontalPodAutoscalers,
// PodDisruptionBudgets) are inventory checks that index those objects once
// per scan. Pass paths do not allocate in the per-resource checks.
#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/builtin.h"
#include "rules/pss_support.h"
#include "rules/workload_support.h"

namespace kspm::rules {
namespace {

using core::ContainerKind;
using core::ContainerRef;
using core::Node;
using core::PodSpecView;
using core::Resource;
using engine::Finding;
using engine::FindingStatus;
using engine::Rule;
using engine::RuleContext;
using engine::Severity;
using engine::Verdict;
using pss::CheckReport;
using pss::Where;

// ---------------------------------------------------------------------------
// Shared reading helpers

// Which container lists a check reads.
enum ContainerSet : unsigned {
  kRegular = 1,
  kInit = 2,
  kEphemeral = 4,
  kAllContainers = kRegular | kInit | kEphemeral,
};

unsigned SetBit(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::kContainer:
      return kRegular;
    case ContainerKind::kInitContainer:
      return kInit;
    case ContainerKind::kEphemeralContainer:
      return kEphemeral;
  }
  return 0;
}

// Calls fn(container) for the containers of `set`, in Kubernetes' visiting
// order (init, regular, ephemeral), reporting malformed lists and entries.
template <typename Fn>
void ForContainers(CheckReport& r, const PodSpecView& pod, unsigned set, Fn&& fn) {
  for (ContainerKind kind : {ContainerKind::kInitContainer, ContainerKind::kContainer,
                             ContainerKind::kEphemeralContainer}) {
    if ((set & SetBit(kind)) == 0) continue;
    pss::CheckContainerList(r, pod, kind);
    for (const ContainerRef& c : pod.containers) {
      if (c.kind == kind && pss::CheckContainerEntry(r, c)) fn(c);
    }
  }
}

// Names of the offending containers or volumes, for the finding's message.
// Allocates only when something fails.
class Offenders {
 public:
  void Add(std::string_view name) {
    if (names_.empty() || names_.back() != name) names_.emplace_back(name);
  }
  bool empty() const { return names_.empty(); }
  size_t size() const { return names_.size(); }
  std::string Containers() const { return pss::ContainersPhrase(names_); }
  std::string Volumes() const {
    return std::string(pss::Plural(names_.size(), "volume ", "volumes ")) + pss::QuoteJoin(names_);
  }

 private:
  std::vector<std::string> names_;
};

const Node& Nearest(const Node* deepest, const Node* parent, const Node& fallback) {
  if (deepest != nullptr) return *deepest;
  if (parent != nullptr) return *parent;
  return fallback;
}

const Node* ContainerSecurityContext(CheckReport& r, const Where& w, const ContainerRef& c) {
  return pss::GetObject(r, w, c.node, "securityContext", "securityContext");
}

// The pod's securityContext, read once per check (type errors reported once).
const Node* PodSecurityContext(CheckReport& r, const PodSpecView& pod) {
  return pss::GetObject(r, Where::Pod(pod), pod.spec, "securityContext", "securityContext");
}

// An integer field of a controller's spec (spec.replicas, ...); a value of
// another type is reported.
pss::Read<int64_t> ReadSpecInt(CheckReport& r, const Node* spec, std::string_view key) {
  pss::Read<int64_t> out;
  out.node = pss::Field(spec, key);
  if (out.node == nullptr) return out;
  out.value = out.node->GetInt();
  if (!out.value) {
    r.InvalidTypeAt(*out.node, "/spec/" + std::string(key), "spec." + std::string(key), "integer");
  }
  return out;
}

// Findings of inventory checks: one per applicable resource.
void Emit(const Resource& res, Verdict& v, std::vector<Finding>& out) {
  if (!v.applicable()) return;
  Finding f;
  f.resource = &res;
  f.status = v.violations().empty() ? FindingStatus::kPass : FindingStatus::kFail;
  f.SetMessage(v.message());
  f.SetEvidence(std::move(v.mutable_violations()));
  out.push_back(std::move(f));
}

using PodCheckFn = void (*)(const PodSpecView&, Verdict&);

engine::ResourceCheck PodCheck(PodCheckFn fn) {
  return [fn](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* view = ctx.inventory->PodSpecOf(res);
    if (view == nullptr) return v.NotApplicable();
    fn(*view, v);
  };
}

// ---------------------------------------------------------------------------
// Security context

constexpr std::string_view kReadOnlyRoot = "securityContext.readOnlyRootFilesystem";

void RootFilesystemWritable(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  // Windows containers have no read-only root filesystem (the API rejects the field).
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    pss::Read<bool> ro = pss::ReadBool(r, w, sc, "readOnlyRootFilesystem", kReadOnlyRoot);
    if (ro.node != nullptr && (!ro.value || *ro.value)) return;  // true, or a reported type error
    bad.Add(c.name);
    if (ro.node != nullptr) {
      r.Value(w, *ro.node, kReadOnlyRoot, "true",
              w.Who() + " sets readOnlyRootFilesystem=false: its root filesystem is writable");
    } else {
      r.Missing(w, Nearest(sc, nullptr, *c.node), kReadOnlyRoot, "true",
                w.Who() + " does not set readOnlyRootFilesystem: its root filesystem is writable");
    }
  });
  r.Finish("writable root filesystem",
           bad.empty()
               ? std::string()
               : bad.Containers() + " must set securityContext.readOnlyRootFilesystem=true");
}

bool HasSettings(const Node* sc) { return sc != nullptr && sc->IsMapping() && sc->size() > 0; }

void SecurityContextMissing(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  const Node* pod_sc = PodSecurityContext(r, pod);
  if (HasSettings(pod_sc)) return r.Finish("no security context");
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    if (HasSettings(sc)) return;
    if (sc == nullptr && pss::Field(c.node, "securityContext") != nullptr) return;  // type error
    bad.Add(c.name);
    if (sc != nullptr) {
      r.Value(w, *sc, "securityContext", "securityContext settings",
              w.Who() + " has an empty securityContext and the pod sets none");
    } else {
      r.Missing(w, *c.node, "securityContext", "securityContext settings",
                w.Who() + " has no securityContext and the pod sets none");
    }
  });
  r.Finish(
      "no security context",
      bad.empty() ? std::string() : "set a securityContext on the pod or on " + bad.Containers());
}

constexpr int64_t kHighId = 10000;

void RunAsLowUid(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  Where pw = Where::Pod(pod);
  const Node* pod_sc = PodSecurityContext(r, pod);
  pss::Read<int64_t> pod_uid =
      pss::ReadInt(r, pw, pod_sc, "runAsUser", "securityContext.runAsUser");
  bool pod_reported = false;
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    pss::Read<int64_t> uid = pss::ReadInt(r, w, sc, "runAsUser", "securityContext.runAsUser");
    if (uid.node != nullptr) {
      if (!uid.value || *uid.value >= kHighId) return;
      bad.Add(c.name);
      r.Value(w, *uid.node, "securityContext.runAsUser", ">= 10000",
              w.Who() + " runs as UID " + std::to_string(*uid.value) + ", below 10000");
      return;
    }
    if (pod_uid.node != nullptr) {
      if (!pod_uid.value || *pod_uid.value >= kHighId) return;
      bad.Add(c.name);
      if (!pod_reported) {
        pod_reported = true;
        r.Value(pw, *pod_uid.node, "securityContext.runAsUser", ">= 10000",
                "the pod runs its containers as UID " + std::to_string(*pod_uid.value) +
                    ", below 10000");
      }
      return;
    }
    bad.Add(c.name);
    r.Missing(w, Nearest(sc, nullptr, *c.node), "securityContext.runAsUser", ">= 10000",
              w.Who() +
                  " sets no runAsUser (nor does the pod): it runs as the image's user, "
                  "commonly root or a low UID");
  });
  r.Finish("low user ID",
           bad.empty() ? std::string() : bad.Containers() + " must run as a UID of 10000 or more");
}

void RootGroup(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  std::vector<std::string> bad;
  Where pw = Where::Pod(pod);
  const Node* pod_sc = PodSecurityContext(r, pod);
  for (std::string_view key : {std::string_view("runAsGroup"), std::string_view("fsGroup")}) {
    std::string field = "securityContext." + std::string(key);
    pss::Read<int64_t> gid = pss::ReadInt(r, pw, pod_sc, key, field);
    if (gid.value && *gid.value == 0) {
      bad.push_back("pod " + field + "=0");
      r.Value(pw, *gid.node, field, "a non-zero group ID",
              "the pod sets " + field + "=0: its processes and volumes use the root group");
    }
  }
  constexpr std::string_view kSupplemental = "securityContext.supplementalGroups";
  if (const Node* groups = pss::GetList(r, pw, pod_sc, "supplementalGroups", kSupplemental)) {
    size_t i = 0;
    for (const Node& g : groups->items()) {
      size_t index = i++;
      std::optional<int64_t> id = g.GetInt();
      std::string pointer = pw.Pointer(kSupplemental) + "/" + std::to_string(index);
      if (!id) {
        r.InvalidTypeAt(g, pointer,
                        "pod " + std::string(kSupplemental) + "[" + std::to_string(index) + "]",
                        "integer");
      } else if (*id == 0) {
        bad.push_back("pod " + std::string(kSupplemental) + " includes 0");
        r.Add(engine::BadValue(g, pointer, "a non-zero group ID",
                               "the pod adds the root group (0) to every container's groups"));
      }
    }
  }
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    pss::Read<int64_t> gid = pss::ReadInt(r, w, sc, "runAsGroup", "securityContext.runAsGroup");
    if (gid.value && *gid.value == 0) {
      bad.push_back(w.Who() + " securityContext.runAsGroup=0");
      r.Value(w, *gid.node, "securityContext.runAsGroup", "a non-zero group ID",
              w.Who() + " runs with the root group (GID 0)");
    }
  });
  r.Finish("root group", pss::Join(bad, ", "));
}

// ---------------------------------------------------------------------------
// Service accounts and namespaces

// spec.serviceAccountName, else the deprecated spec.serviceAccount; the node
// is null when neither is set (the pod then runs as "default").
struct ServiceAccountRead {
  const Node* node = nullptr;
  std::string_view field;
  std::string_view name = "default";
};

ServiceAccountRead ReadServiceAccount(CheckReport& r, const PodSpecView& pod) {
  ServiceAccountRead out;
  Where pw = Where::Pod(pod);
  for (std::string_view key :
       {std::string_view("serviceAccountName"), std::string_view("serviceAccount")}) {
    pss::Read<std::string_view> name = pss::ReadString(r, pw, pod.spec, key, key);
    if (name.value && !name.value->empty()) {
      out.node = name.node;
      out.field = key;
      out.name = *name.value;
      return out;
    }
  }
  return out;
}

void DefaultServiceAccount(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  ServiceAccountRead sa = ReadServiceAccount(r, pod);
  Where pw = Where::Pod(pod);
  if (sa.node == nullptr) {
    r.Missing(pw, *pod.spec, "serviceAccountName", "a dedicated service account",
              "no serviceAccountName: the pod runs as the namespace's \"default\" service account");
  } else if (sa.name == "default") {
    r.Value(pw, *sa.node, sa.field, "a dedicated service account",
            "the pod runs as the namespace's \"default\" service account");
  }
  r.Finish("default service account",
           r.failed() ? "set spec.serviceAccountName to a dedicated ServiceAccount" : "");
}

// ServiceAccounts of the inventory that switch token automounting off.
class ServiceAccountIndex {
 public:
  explicit ServiceAccountIndex(const core::Inventory& inv) {
    for (const Resource* sa : inv.ByKind("ServiceAccount")) {
      const Node* automount = sa->root->Get("automountServiceAccountToken");
      bool off = automount != nullptr && automount->GetBool() == std::optional<bool>(false);
      opted_out_[Key(sa->effective_namespace(), sa->name)] = off;
    }
  }
  // nullopt when the ServiceAccount is not among the scanned objects.
  std::optional<bool> OptedOut(std::string_view ns, std::string_view name) const {
    auto it = opted_out_.find(Key(ns, name));
    if (it == opted_out_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static std::string Key(std::string_view ns, std::string_view name) {
    std::string k(ns);
    k += '/';
    k += name;
    return k;
  }
  std::unordered_map<std::string, bool> opted_out_;
};

void ServiceAccountToken(const PodSpecView& pod, const ServiceAccountIndex& sas, Verdict& v) {
  CheckReport r(v);
  Where pw = Where::Pod(pod);
  constexpr std::string_view kField = "automountServiceAccountToken";
  pss::Read<bool> automount = pss::ReadBool(r, pw, pod.spec, kField, kField);
  if (automount.node != nullptr) {
    if (automount.value && *automount.value) {
      r.Value(pw, *automount.node, kField, "false",
              "the pod asks for its service account token to be mounted");
    }
    return r.Finish("service account token mounted");
  }
  ServiceAccountRead sa = ReadServiceAccount(r, pod);
  std::string sa_name(sa.name);
  std::optional<bool> opted_out = sas.OptedOut(pod.resource->effective_namespace(), sa.name);
  if (opted_out == std::optional<bool>(true)) return r.Finish("service account token mounted");
  std::string why = opted_out
                        ? "ServiceAccount \"" + sa_name +
                              "\" does not set automountServiceAccountToken: "
                              "false, so its token is mounted"
                        : "the token of service account \"" + sa_name +
                              "\" is mounted by default (no ServiceAccount object with "
                              "automountServiceAccountToken: false among the scanned manifests)";
  r.Missing(pw, *pod.spec, kField, "false", why);
  r.Finish("service account token mounted",
           "set automountServiceAccountToken: false on the pod "
           "unless it calls the Kubernetes API");
}

void DefaultNamespace(const Resource& res, const RuleContext&, Verdict& v) {
  const Node* md = res.metadata();
  const Node* ns = md != nullptr ? md->Get("namespace") : nullptr;
  // Without metadata.namespace the namespace is chosen when the manifest is
  // applied (kubectl -n, Helm, Kustomize): nothing to judge.
  if (ns == nullptr || ns->IsNull()) return v.NotApplicable();
  if (ns->GetString() != std::optional<std::string_view>("default")) return;
  v.Fail(engine::BadValue(*ns, "/metadata/namespace", "a dedicated namespace",
                          "the workload is placed in the \"default\" namespace"));
  v.SetMessage("workload in the default namespace");
}

void ShareProcessNamespace(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Where pw = Where::Pod(pod);
  pss::Read<bool> share =
      pss::ReadBool(r, pw, pod.spec, "shareProcessNamespace", "shareProcessNamespace");
  if (share.value && *share.value) {
    r.Value(pw, *share.node, "shareProcessNamespace", "false or unset",
            "the pod's containers see and signal each other's processes, and can read their "
            "environment and filesystems through /proc");
  }
  r.Finish("shared process namespace");
}

// ---------------------------------------------------------------------------
// Images

struct ImageRead {
  const Node* node = nullptr;
  workload::ImageRef ref;
};

// The container's image, or nothing when unset (the API server rejects a
// container without one) or of the wrong type (reported).
std::optional<ImageRead> ReadImage(CheckReport& r, const Where& w, const ContainerRef& c) {
  pss::Read<std::string_view> image = pss::ReadString(r, w, c.node, "image", "image");
  if (!image.value || image.value->empty()) return std::nullopt;
  return ImageRead{image.node, workload::ParseImageRef(*image.value)};
}

void ImageLatestTag(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    std::optional<ImageRead> image = ReadImage(r, w, c);
    if (!image || !workload::UsesLatest(image->ref)) return;
    bad.Add(c.name);
    r.Value(w, *image->node, "image", "a version tag or a digest",
            w.Who() + (image->ref.tag.empty() ? " names no tag, so \"latest\" is pulled"
                                              : " uses the mutable \"latest\" tag"));
  });
  r.Finish("latest image tag",
           bad.empty() ? std::string() : bad.Containers() + " must pin a version tag or a digest");
}

void ImageNotPinned(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    std::optional<ImageRead> image = ReadImage(r, w, c);
    if (!image || !image->ref.digest.empty()) return;
    bad.Add(c.name);
    r.Value(w, *image->node, "image", "name@sha256:<digest>",
            w.Who() + " is not pinned by digest: the registry decides what the tag points to");
  });
  r.Finish("image not pinned by digest",
           bad.empty() ? std::string() : bad.Containers() + " must reference images by digest");
}

void ImageRegistry(const PodSpecView& pod, const std::vector<std::string>& allowed, Verdict& v) {
  if (allowed.empty()) return v.NotApplicable();  // no allow-list configured
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    std::optional<ImageRead> image = ReadImage(r, w, c);
    if (!image) return;
    if (std::any_of(allowed.begin(), allowed.end(), [&](const std::string& entry) {
          return workload::RegistryAllows(entry, image->ref);
        })) {
      return;
    }
    bad.Add(c.name);
    std::string repository(image->ref.domain);
    repository += '/';
    repository += image->ref.path;
    r.Value(w, *image->node, "image", "an image from " + pss::Join(allowed, ", "),
            w.Who() + " pulls " + repository + ", which is outside the allowed registries");
  });
  r.Finish("image registry not allowed",
           bad.empty() ? std::string()
                       : bad.Containers() + " must use images from " + pss::Join(allowed, ", "));
}

void ImagePullPolicy(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    std::optional<ImageRead> image = ReadImage(r, w, c);
    if (!image || !image->ref.digest.empty()) return;  // a digest cannot change under the node
    pss::Read<std::string_view> policy =
        pss::ReadString(r, w, c.node, "imagePullPolicy", "imagePullPolicy");
    if (policy.node != nullptr) {
      if (!policy.value || *policy.value == "Always") return;
      bad.Add(c.name);
      r.Value(w, *policy.node, "imagePullPolicy", "Always",
              w.Who() + " may run a cached copy of the mutable tag \"" +
                  std::string(image->ref.tag.empty() ? "latest" : image->ref.tag) + "\"");
      return;
    }
    // The API server defaults the policy to Always only for "latest" or no tag.
    if (workload::UsesLatest(image->ref)) return;
    bad.Add(c.name);
    r.Missing(w, *c.node, "imagePullPolicy", "Always",
              w.Who() + " defaults to IfNotPresent for the mutable tag \"" +
                  std::string(image->ref.tag) + "\"");
  });
  r.Finish("image pull policy not Always",
           bad.empty() ? std::string()
                       : bad.Containers() + " must set imagePullPolicy: Always or use a digest");
}

// ---------------------------------------------------------------------------
// hostPath volumes

void SensitiveHostPath(const PodSpecView& pod, workload::HostPathClass cls, std::string_view what,
                       Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  pss::VisitVolumes(r, pod, [&](const Node& vol, int index, std::string_view name) {
    const Node* host_path = pss::Field(&vol, "hostPath");
    if (host_path == nullptr) return;
    Where w = Where::Volume(pod, name, index);
    if (!host_path->IsMapping()) return r.InvalidType(w, *host_path, "hostPath", "object");
    pss::Read<std::string_view> path = pss::ReadString(r, w, host_path, "path", "hostPath.path");
    if (!path.value) return;
    std::string normalized = workload::NormalizeHostPath(*path.value);
    std::string_view match = workload::SensitivePathMatch(cls, normalized);
    if (match.empty()) return;
    bad.Add(name);
    std::string message = w.Who() + " mounts \"" + std::string(*path.value) +
                          "\" from the node, exposing " + std::string(what);
    // Name what a broader mount contains ("/run/containerd" holds the socket).
    if (match != normalized && workload::PathWithin(match, normalized)) {
      message += " (" + std::string(match) + ")";
    }
    r.Value(w, *path.node, "hostPath.path", "no hostPath volume exposing " + std::string(what),
            std::move(message));
  });
  r.Finish("sensitive hostPath",
           bad.empty()
               ? std::string()
               : bad.Volumes() + std::string(pss::Plural(bad.size(), " exposes ", " expose ")) +
                     std::string(what));
}

void WritableHostPath(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  std::vector<std::string_view> host_volumes;  // allocates only for pods with hostPath volumes
  pss::VisitVolumes(r, pod, [&](const Node& vol, int, std::string_view name) {
    if (pss::Field(&vol, "hostPath") != nullptr) host_volumes.push_back(name);
  });
  Offenders bad;
  if (!host_volumes.empty()) {
    ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
      Where w = Where::Container(c);
      const Node* mounts = pss::GetList(r, w, c.node, "volumeMounts", "volumeMounts");
      if (mounts == nullptr) return;
      size_t i = 0;
      for (const Node& m : mounts->items()) {
        size_t index = i++;
        const Node* name = m.Get("name");
        if (!m.IsMapping() || name == nullptr || !name->IsString()) continue;
        if (std::find(host_volumes.begin(), host_volumes.end(), name->string_value()) ==
            host_volumes.end()) {
          continue;
        }
        std::string field = "volumeMounts." + std::to_string(index) + ".readOnly";
        pss::Read<bool> ro = pss::ReadBool(r, w, &m, "readOnly", field);
        if (ro.node != nullptr && (!ro.value || *ro.value)) continue;
        bad.Add(c.name);
        std::string message = w.Who() + " mounts hostPath volume \"" +
                              std::string(name->string_value()) + "\" read-write";
        if (ro.node != nullptr) {
          r.Value(w, *ro.node, field, "true", std::move(message));
        } else {
          r.Missing(w, m, field, "true", std::move(message));
        }
      }
    });
  }
  r.Finish("writable hostPath mount",
           bad.empty() ? std::string()
                       : bad.Containers() + " must mount hostPath volumes with readOnly: true");
}

// ---------------------------------------------------------------------------
// Capabilities

constexpr std::string_view kCapsAdd = "securityContext.capabilities.add";
constexpr std::string_view kCapsDrop = "securityContext.capabilities.drop";

void CapabilitiesAdded(const PodSpecView& pod, std::span<const std::string_view> names,
                       std::string_view reason, Verdict& v) {
  CheckReport r(v);
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  Offenders bad;
  std::vector<std::string> added;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    const Node* caps = pss::GetObject(r, w, sc, "capabilities", "securityContext.capabilities");
    const Node* add = pss::GetList(r, w, caps, "add", kCapsAdd);
    if (add == nullptr) return;
    size_t i = 0;
    for (const Node& item : add->items()) {
      size_t index = i++;
      std::optional<std::string_view> cap = pss::ReadStringItem(r, item, w, kCapsAdd, index);
      if (!cap) continue;
      auto hit = std::find_if(names.begin(), names.end(), [&](std::string_view name) {
        return workload::CapabilityIs(*cap, name);
      });
      if (hit == names.end()) continue;
      bad.Add(c.name);
      added.emplace_back(*hit);
      r.Add(engine::BadValue(item, w.Pointer(kCapsAdd) + "/" + std::to_string(index),
                             "not " + std::string(*hit),
                             w.Who() + " adds the " + std::string(*hit) + " capability"));
    }
  });
  if (!r.failed()) return;
  pss::SortUnique(added);
  r.Finish(reason, bad.empty() ? std::string()
                               : bad.Containers() + " must not add " + pss::QuoteJoin(added));
}

bool ListHasCapability(const Node* list, std::string_view a, std::string_view b) {
  if (list == nullptr) return false;
  for (const Node& item : list->items()) {
    if (item.IsString() && (workload::CapabilityIs(item.string_value(), a) ||
                            workload::CapabilityIs(item.string_value(), b))) {
      return true;
    }
  }
  return false;
}

void NetRawNotDropped(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    pss::Read<bool> privileged =
        pss::ReadBool(r, w, sc, "privileged", "securityContext.privileged");
    if (privileged.value && *privileged.value) {
      bad.Add(c.name);
      r.Value(w, *privileged.node, "securityContext.privileged", "false or unset",
              w.Who() + " is privileged and keeps NET_RAW whatever it drops");
      return;
    }
    const Node* caps = pss::GetObject(r, w, sc, "capabilities", "securityContext.capabilities");
    const Node* add = pss::GetList(r, w, caps, "add", kCapsAdd);
    if (add != nullptr) {
      size_t i = 0;
      for (const Node& item : add->items()) {
        size_t index = i++;
        if (!item.IsString() || !(workload::CapabilityIs(item.string_value(), "NET_RAW") ||
                                  workload::CapabilityIs(item.string_value(), "ALL"))) {
          continue;
        }
        bad.Add(c.name);
        bool all = workload::CapabilityIs(item.string_value(), "ALL");
        r.Add(engine::BadValue(
            item, w.Pointer(kCapsAdd) + "/" + std::to_string(index), "not NET_RAW or ALL",
            w.Who() + (all ? " adds ALL capabilities, NET_RAW included" : " adds NET_RAW back")));
        return;
      }
    }
    const Node* drop = pss::GetList(r, w, caps, "drop", kCapsDrop);
    if (ListHasCapability(drop, "NET_RAW", "ALL")) return;
    if (drop == nullptr && pss::Field(caps, "drop") != nullptr) return;  // type error reported
    bad.Add(c.name);
    if (drop != nullptr) {
      r.Value(w, *drop, kCapsDrop, "a list with ALL or NET_RAW",
              w.Who() + " does not drop NET_RAW, which container runtimes grant by default");
    } else {
      r.Missing(w, Nearest(caps, sc, *c.node), kCapsDrop, "[\"ALL\"] or [\"NET_RAW\"]",
                w.Who() +
                    " drops no capabilities and keeps NET_RAW, which container runtimes "
                    "grant by default");
    }
  });
  r.Finish("NET_RAW not dropped",
           bad.empty() ? std::string()
                       : bad.Containers() + " must drop NET_RAW (or ALL) and not add it back");
}

// ---------------------------------------------------------------------------
// Resources

enum ResourceName { kCpu = 0, kMemory = 1, kEphemeralStorage = 2 };
constexpr std::array<std::string_view, 3> kResourceNames = {"cpu", "memory", "ephemeral-storage"};

// What LimitRanges of type Container fill in for containers that set nothing:
// limits from `default` (else `max`), requests from `defaultRequest` (else
// `default`, `max`, `min`), as the API server defaults a LimitRange.
struct ResourceDefaults {
  std::array<bool, 3> limit{};
  std::array<bool, 3> request{};
};

class LimitRangeIndex {
 public:
  explicit LimitRangeIndex(const core::Inventory& inv) {
    for (const Resource* lr : inv.ByKind("LimitRange")) {
      const Node* limits = lr->root->Find({"spec", "limits"});
      if (limits == nullptr) continue;
      for (const Node& item : limits->items()) {
        const Node* type = item.Get("type");
        if (type == nullptr || type->GetString() != std::optional<std::string_view>("Container")) {
          continue;
        }
        ResourceDefaults& d = by_namespace_[lr->effective_namespace()];
        for (size_t i = 0; i < kResourceNames.size(); ++i) {
          auto has = [&](std::string_view section) {
            const Node* s = item.Get(section);
            return s != nullptr && s->Get(kResourceNames[i]) != nullptr;
          };
          if (has("default") || has("max")) d.limit[i] = true;
          if (has("defaultRequest") || has("default") || has("max") || has("min")) {
            d.request[i] = true;
          }
        }
      }
    }
  }
  const ResourceDefaults* For(std::string_view ns) const {
    auto it = by_namespace_.find(ns);
    return it == by_namespace_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::string_view, ResourceDefaults> by_namespace_;
};

bool IsQuantity(const Node& n) { return n.IsString() || n.IsNumber(); }

// One resource rule's field names, built once at registration so that the
// pass path allocates nothing.
struct ResourceField {
  ResourceName resource;
  bool limit;
  std::string section;        // "limits"
  std::string section_field;  // "resources.limits"
  std::string field;          // "resources.limits.memory"
  std::string what;           // "memory limit"
  std::string expected;       // "a memory limit"
  std::string reason;         // "no memory limit"

  ResourceField(ResourceName res, bool is_limit)
      : resource(res),
        limit(is_limit),
        section(is_limit ? "limits" : "requests"),
        section_field("resources." + section),
        field(section_field + "." + std::string(kResourceNames[res])),
        what(std::string(kResourceNames[res]) + (is_limit ? " limit" : " request")),
        expected((res == kEphemeralStorage ? "an " : "a ") + what),
        reason("no " + what) {}
  std::string_view name() const { return kResourceNames[resource]; }
};

// resources.<section>.<name> of a container or of the pod (spec.resources);
// nullptr when unset or when a part has the wrong type (reported).
const Node* ReadQuantity(CheckReport& r, const Where& w, const Node* owner,
                         std::string_view section, std::string_view section_field,
                         std::string_view name) {
  const Node* resources = pss::GetObject(r, w, owner, "resources", "resources");
  const Node* s = pss::GetObject(r, w, resources, section, section_field);
  const Node* q = pss::Field(s, name);
  if (q == nullptr) return nullptr;
  if (!IsQuantity(*q)) {
    r.InvalidType(w, *q, std::string(section_field) + "." + std::string(name), "string");
    return nullptr;
  }
  return q;
}

// Whether the owner's limits set the resource (requests default to limits).
const Node* ReadLimit(CheckReport& r, const Where& w, const Node* owner, std::string_view name) {
  return ReadQuantity(r, w, owner, "limits", "resources.limits", name);
}

void ResourceMissing(const PodSpecView& pod, const ResourceDefaults* defaults,
                     const ResourceField& f, Verdict& v) {
  // A namespace LimitRange fills in what containers leave unset.
  if (defaults != nullptr &&
      (f.limit ? defaults->limit[f.resource] : defaults->request[f.resource])) {
    return;
  }
  CheckReport r(v);
  Where pw = Where::Pod(pod);
  // Pod-level resources (spec.resources) bound the containers together.
  if (ReadQuantity(r, pw, pod.spec, f.section, f.section_field, f.name()) != nullptr ||
      (!f.limit && ReadLimit(r, pw, pod.spec, f.name()) != nullptr)) {
    return r.Finish(f.reason);
  }
  Offenders bad;
  ForContainers(r, pod, kRegular | kInit, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    if (ReadQuantity(r, w, c.node, f.section, f.section_field, f.name()) != nullptr) return;
    if (!f.limit && ReadLimit(r, w, c.node, f.name()) != nullptr) return;
    bad.Add(c.name);
    const Node* resources = pss::Field(c.node, "resources");
    if (resources != nullptr && !resources->IsMapping()) resources = nullptr;
    const Node* s = pss::Field(resources, f.section);
    if (s != nullptr && !s->IsMapping()) s = nullptr;
    r.Missing(w, Nearest(s, resources, *c.node), f.field, f.expected,
              w.Who() + " sets no " + f.what);
  });
  r.Finish(f.reason, bad.empty() ? std::string() : bad.Containers() + " must set " + f.field);
}

// ---------------------------------------------------------------------------
// Probes

// Run-to-completion pods (Jobs, CronJobs, restartPolicy Never or OnFailure)
// have nothing to keep alive or in rotation.
bool RunsToCompletion(CheckReport& r, const PodSpecView& pod) {
  const Resource& res = *pod.resource;
  if (res.kind == "Job" || res.kind == "CronJob") return true;
  pss::Read<std::string_view> policy =
      pss::ReadString(r, Where::Pod(pod), pod.spec, "restartPolicy", "restartPolicy");
  if (policy.value && (*policy.value == "Never" || *policy.value == "OnFailure")) return true;
  const Node* md = res.metadata();
  const Node* owners = md != nullptr ? md->Get("ownerReferences") : nullptr;
  for (const Node& o : owners != nullptr ? owners->items() : std::span<const Node>{}) {
    const Node* kind = o.Get("kind");
    if (kind != nullptr && kind->GetString() == std::optional<std::string_view>("Job")) return true;
  }
  return false;
}

void ProbeMissing(const PodSpecView& pod, std::string_view probe, Verdict& v) {
  CheckReport r(v);
  if (RunsToCompletion(r, pod) && !r.failed()) return v.NotApplicable();
  Offenders bad;
  // Init containers run to completion; ephemeral containers cannot have probes.
  ForContainers(r, pod, kRegular, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* p = pss::Field(c.node, probe);
    if (p != nullptr) {
      if (!p->IsMapping()) r.InvalidType(w, *p, probe, "object");
      return;
    }
    bad.Add(c.name);
    r.Missing(w, *c.node, probe, "a " + std::string(probe),
              w.Who() + " has no " + std::string(probe));
  });
  if (!r.failed()) return;
  r.Finish("no " + std::string(probe),
           bad.empty() ? std::string() : bad.Containers() + " must define a " + std::string(probe));
}

void LivenessLikeReadiness(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  if (RunsToCompletion(r, pod) && !r.failed()) return v.NotApplicable();
  Offenders bad;
  ForContainers(r, pod, kRegular, [&](const ContainerRef& c) {
    const Node* live = pss::Field(c.node, "livenessProbe");
    const Node* ready = pss::Field(c.node, "readinessProbe");
    if (live == nullptr || ready == nullptr || !live->IsMapping() || !ready->IsMapping()) return;
    bool any_handler = false;
    for (std::string_view handler : {"exec", "httpGet", "tcpSocket", "grpc"}) {
      const Node* a = pss::Field(live, handler);
      const Node* b = pss::Field(ready, handler);
      if ((a == nullptr) != (b == nullptr)) return;
      if (a == nullptr) continue;
      if (!workload::SameValue(*a, *b)) return;
      any_handler = true;
    }
    if (!any_handler) return;
    Where w = Where::Container(c);
    bad.Add(c.name);
    r.Value(w, *live, "livenessProbe", "a check that differs from the readinessProbe",
            w.Who() +
                " uses the same check for liveness and readiness: a slow or overloaded "
                "container is restarted instead of taken out of rotation");
  });
  r.Finish("identical liveness and readiness probes",
           bad.empty() ? std::string()
                       : bad.Containers() + " must check liveness differently from readiness");
}

// ---------------------------------------------------------------------------
// Availability

void NakedPod(const Resource& res, const RuleContext&, Verdict& v) {
  const Node* md = res.metadata();
  const Node* owners = md != nullptr ? md->Get("ownerReferences") : nullptr;
  if (owners != nullptr && owners->IsSequence() && owners->size() > 0) return;
  // Static pods are restarted by their kubelet; Helm test hooks run once on purpose.
  if (res.Annotation("kubernetes.io/config.mirror") != nullptr ||
      res.Annotation("kubernetes.io/config.source") != nullptr ||
      res.Annotation("helm.sh/hook") != nullptr) {
    return v.NotApplicable();
  }
  const Node* tier = res.Label("tier");
  if (res.effective_namespace() == "kube-system" && tier != nullptr &&
      tier->GetString() == std::optional<std::string_view>("control-plane")) {
    return v.NotApplicable();  // a kubeadm-style static pod manifest
  }
  v.Fail(engine::MissingField(md != nullptr ? *md : *res.root, "/metadata/ownerReferences",
                              "a controller (Deployment, StatefulSet, DaemonSet or Job)",
                              "the pod has no owner: nothing recreates it if it is deleted, "
                              "evicted or its node fails"));
  v.SetMessage("naked pod (run it under a Deployment, StatefulSet, DaemonSet or Job)");
}

// minReplicas of the HorizontalPodAutoscalers by target (namespace/kind/name).
class AutoscalerIndex {
 public:
  explicit AutoscalerIndex(const core::Inventory& inv) {
    for (const Resource* hpa : inv.ByKind("HorizontalPodAutoscaler")) {
      const Node* spec = hpa->root->Get("spec");
      const Node* target = spec != nullptr ? spec->Get("scaleTargetRef") : nullptr;
      const Node* kind = target != nullptr ? target->Get("kind") : nullptr;
      const Node* name = target != nullptr ? target->Get("name") : nullptr;
      if (kind == nullptr || name == nullptr || !kind->IsString() || !name->IsString()) continue;
      const Node* min = spec->Get("minReplicas");
      int64_t min_replicas = min != nullptr && min->GetInt() ? *min->GetInt() : 1;
      Entry& e =
          by_target_[Key(hpa->effective_namespace(), kind->string_value(), name->string_value())];
      if (e.hpa == nullptr || min_replicas > e.min_replicas) e = {hpa, min_replicas};
    }
  }
  struct Entry {
    const Resource* hpa = nullptr;
    int64_t min_replicas = 1;
  };
  const Entry* For(const Resource& workload) const {
    if (by_target_.empty()) return nullptr;
    auto it = by_target_.find(Key(workload.effective_namespace(), workload.kind, workload.name));
    return it == by_target_.end() ? nullptr : &it->second;
  }

 private:
  static std::string Key(std::string_view ns, std::string_view kind, std::string_view name) {
    std::string k(ns);
    k += '/';
    k += kind;
    k += '/';
    k += name;
    return k;
  }
  std::unordered_map<std::string, Entry> by_target_;
};

bool IsReplicatedKind(std::string_view kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "ReplicaSet" ||
         kind == "ReplicationController";
}

struct Replicas {
  const Node* spec = nullptr;
  pss::Read<int64_t> field;  // spec.replicas
  int64_t effective = 1;     // what runs: the HPA's minimum, else spec.replicas (1)
  const AutoscalerIndex::Entry* hpa = nullptr;
};

Replicas ReadReplicas(CheckReport& r, const Resource& res, const AutoscalerIndex& hpas) {
  Replicas out;
  out.spec = res.root->Get("spec");
  out.field = ReadSpecInt(r, out.spec, "replicas");
  if (out.field.value) out.effective = *out.field.value;
  out.hpa = hpas.For(res);
  if (out.hpa != nullptr) out.effective = out.hpa->min_replicas;
  return out;
}

bool OwnedByController(const Resource& res) {
  const Node* md = res.metadata();
  const Node* owners = md != nullptr ? md->Get("ownerReferences") : nullptr;
  return owners != nullptr && owners->IsSequence() && owners->size() > 0;
}

void SingleReplica(const Resource& res, const AutoscalerIndex& hpas, Verdict& v) {
  // A ReplicaSet a Deployment manages is judged through its Deployment.
  if (OwnedByController(res)) return v.NotApplicable();
  CheckReport r(v);
  Replicas replicas = ReadReplicas(r, res, hpas);
  if (r.failed()) return r.Finish("single replica");
  if (replicas.effective == 0 && replicas.hpa == nullptr) return v.NotApplicable();  // scaled to 0
  if (replicas.effective >= 2) return;
  if (replicas.hpa != nullptr) {
    // The autoscaler's minReplicas decides; it lives in another object, so the
    // evidence points at the workload itself.
    engine::Evidence e;
    e.reason = engine::EvidenceReason::kMissing;
    e.pointer = "";
    e.expected = "minReplicas >= 2 on HorizontalPodAutoscaler \"" + replicas.hpa->hpa->name + "\"";
    e.position = res.position();
    e.message = "HorizontalPodAutoscaler \"" + replicas.hpa->hpa->name +
                "\" lets it scale down to a single replica (minReplicas " +
                std::to_string(replicas.hpa->min_replicas) + ")";
    v.Fail(std::move(e));
    v.SetMessage("single replica (the autoscaler's minimum is " +
                 std::to_string(replicas.hpa->min_replicas) + ")");
    return;
  }
  if (replicas.field.node != nullptr) {
    v.Fail(engine::BadValue(*replicas.field.node, "/spec/replicas", ">= 2",
                            "a single replica: any restart, rollout or node drain is an outage"));
  } else {
    v.Fail(engine::MissingField(replicas.spec != nullptr ? *replicas.spec : *res.root,
                                "/spec/replicas", ">= 2",
                                "replicas is unset and defaults to 1: any restart, rollout or "
                                "node drain is an outage"));
  }
  v.SetMessage("single replica (run at least 2)");
}

// PodDisruptionBudgets by namespace.
class DisruptionBudgetIndex {
 public:
  explicit DisruptionBudgetIndex(const core::Inventory& inv) {
    for (const Resource* pdb : inv.ByKind("PodDisruptionBudget")) {
      const Node* selector = pdb->root->Find({"spec", "selector"});
      if (selector == nullptr || !selector->IsMapping()) continue;  // selects no pods
      // policy/v1beta1 read an empty selector as "no pods", policy/v1 as "every pod".
      bool empty = selector->size() == 0;
      if (empty && pdb->api_version != "policy/v1") continue;
      by_namespace_[pdb->effective_namespace()].push_back({pdb, selector});
    }
  }
  struct Entry {
    const Resource* pdb;
    const Node* selector;
  };
  const Resource* Covering(std::string_view ns, const Node* pod_labels) const {
    auto it = by_namespace_.find(ns);
    if (it == by_namespace_.end()) return nullptr;
    for (const Entry& e : it->second) {
      if (workload::SelectorMatches(*e.selector, pod_labels)) return e.pdb;
    }
    return nullptr;
  }

 private:
  std::unordered_map<std::string_view, std::vector<Entry>> by_namespace_;
};

void MissingDisruptionBudget(const Resource& res, const AutoscalerIndex& hpas,
                             const DisruptionBudgetIndex& pdbs, const PodSpecView* pod,
                             Verdict& v) {
  CheckReport r(v);
  Replicas replicas = ReadReplicas(r, res, hpas);
  if (r.failed()) return r.Finish("no PodDisruptionBudget");
  // A single replica is WL-037's concern; a budget would only block drains.
  if (replicas.effective < 2) return v.NotApplicable();
  const Node* labels =
      pod != nullptr && pod->metadata != nullptr ? pod->metadata->Get("labels") : nullptr;
  if (pdbs.Covering(res.effective_namespace(), labels) != nullptr) return;
  engine::Evidence e;
  e.reason = engine::EvidenceReason::kMissing;
  e.pointer = "";
  e.expected = "a PodDisruptionBudget selecting the pod template's labels";
  e.position = res.position();
  e.message = "no PodDisruptionBudget in namespace \"" + std::string(res.effective_namespace()) +
              "\" selects these pods: a node drain may evict every replica at once";
  v.Fail(std::move(e));
  v.SetMessage("no PodDisruptionBudget for " + std::to_string(replicas.effective) + " replicas");
}

void CronJobDeadline(const Resource& res, const RuleContext&, Verdict& v) {
  CheckReport r(v);
  const Node* spec = res.root->Get("spec");
  pss::Read<int64_t> deadline = ReadSpecInt(r, spec, "startingDeadlineSeconds");
  if (deadline.node == nullptr) {
    r.Add(engine::MissingField(spec != nullptr ? *spec : *res.root, "/spec/startingDeadlineSeconds",
                               "a deadline in seconds",
                               "without startingDeadlineSeconds the controller stops scheduling "
                               "the CronJob after more than 100 missed runs"));
  }
  r.Finish("no startingDeadlineSeconds");
}

// ---------------------------------------------------------------------------
// Catalog

constexpr const char* kCis = "https://www.cisecurity.org/benchmark/kubernetes";
constexpr const char* kSecurityContextDocs =
    "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/";
constexpr const char* kImagesDocs = "https://kubernetes.io/docs/concepts/containers/images/";
constexpr const char* kServiceAccountDocs =
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/";
constexpr const char* kHostPathDocs =
    "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath";
constexpr const char* kCapabilitiesMan =
    "https://man7.org/linux/man-pages/man7/capabilities.7.html";
constexpr const char* kResourcesDocs =
    "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/";
constexpr const char* kLimitRangeDocs = "https://kubernetes.io/docs/concepts/policy/limit-range/";
constexpr const char* kProbesDocs =
    "https://kubernetes.io/docs/tasks/configure-pod-container/"
    "configure-liveness-readiness-startup-probes/";

struct Meta {
  const char* id;
  const char* slug;
  const char* title;
  Severity severity;
  const char* category;
  const char* description;
  const char* remediation;
  std::vector<std::string> controls;
  std::vector<engine::Equivalent> equivalents;
  std::vector<std::string> references;
};

Rule MakeRule(Meta m, std::vector<std::string> kinds = {"*workload"}) {
  Rule r;
  r.info.id = m.id;
  r.info.slug = m.slug;
  r.info.title = m.title;
  r.info.severity = m.severity;
  r.info.category = m.category;
  r.info.description = m.description;
  r.info.remediation = m.remediation;
  r.info.controls = std::move(m.controls);
  r.info.equivalents = std::move(m.equivalents);
  r.info.references = std::move(m.references);
  r.kinds = std::move(kinds);
  return r;
}

constexpr const char* kWorkload = "workload";
constexpr const char* kReliability = "reliability";

void RegisterSecurityContextRules(engine::RuleRegistry& registry) {
  Rule ro = MakeRule(
      {"WL-001",
       "root-filesystem-writable",
       "Container root filesystem is writable",
       Severity::kMedium,
       kWorkload,
       "A writable root filesystem lets an intruder drop tools and binaries, change the "
       "application's code or configuration, and persist across process restarts inside the "
       "container. A read-only root confines writes to the volumes the workload declares.",
       "Set securityContext.readOnlyRootFilesystem: true on every container and mount an "
       "emptyDir for the paths the application must write (such as /tmp or a cache folder).",
       {"nsa:immutable-filesystem"},
       {{"polaris", "notReadOnlyRootFilesystem"},
        {"kubescape", "C-0017"},
        {"trivy", "KSV014"},
        {"kube-score", "container-security-context-readonlyrootfilesystem"}},
       {kSecurityContextDocs}});
  ro.check = PodCheck(&RootFilesystemWritable);
  registry.Add(std::move(ro));

  Rule sc = MakeRule(
      {"WL-002",
       "security-context-missing",
       "Container runs without any security context",
       Severity::kLow,
       kWorkload,
       "With no securityContext on the pod or the container, every setting comes from the "
       "container runtime's defaults: root user, default capabilities, writable root "
       "filesystem, privilege escalation allowed. It usually means nobody looked at the "
       "workload's privileges.",
       "Add a securityContext to the pod (runAsNonRoot, runAsUser, seccompProfile) and to each "
       "container (allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: "
       "{drop: [ALL]}).",
       {"cis:5.6.3"},
       {{"trivy", "KSV118"}},
       {kSecurityContextDocs, kCis}});
  sc.check = PodCheck(&SecurityContextMissing);
  registry.Add(std::move(sc));

  Rule uid = MakeRule(
      {"WL-003",
       "run-as-low-uid",
       "Container user ID below 10000",
       Severity::kLow,
       kWorkload,
       "Low UIDs are the ones the node's own users and services have. A process that escapes "
       "the container with such a UID acts as that node account; a UID of 10000 or more maps "
       "to no one on the host. An unset runAsUser leaves the choice to the image.",
       "Set securityContext.runAsUser to 10000 or more (at pod level or on every container) and "
       "build images that work under an arbitrary high UID.",
       {"nsa:non-root-containers"},
       {{"trivy", "KSV020"}, {"kube-score", "container-security-context-user-group-id"}},
       {kSecurityContextDocs}});
  uid.check = PodCheck(&RunAsLowUid);
  registry.Add(std::move(uid));

  Rule group = MakeRule(
      {"WL-004",
       "root-group",
       "Container runs with the root group",
       Severity::kLow,
       kWorkload,
       "Group 0 owns many files in images and on nodes. A process in the root group can read or "
       "write them even as a non-root user, which matters as soon as a host path or a shared "
       "volume is mounted.",
       "Use non-zero values for runAsGroup and fsGroup and remove 0 from supplementalGroups.",
       {"nsa:non-root-containers"},
       {{"trivy", "KSV029"}},
       {kSecurityContextDocs}});
  group.check = PodCheck(&RootGroup);
  registry.Add(std::move(group));
}

void RegisterIdentityRules(engine::RuleRegistry& registry) {
  Rule token = MakeRule(
      {"WL-005",
       "service-account-token-mounted",
       "Service account token mounted into the pod",
       Severity::kMedium,
       kWorkload,
       "Unless automounting is switched off, every container gets a token for the pod's "
       "service account. Most applications never call the Kubernetes API; for them the token "
       "only helps an intruder, who can use it with whatever RBAC grants the account.",
       "Set automountServiceAccountToken: false in the pod spec (or on the ServiceAccount) for "
       "workloads that do not call the Kubernetes API; mount a projected token explicitly where "
       "one is needed.",
       {"cis:5.1.6", "nsa:service-account-tokens", "mitre:T1528"},
       {{"polaris", "automountServiceAccountToken"},
        {"kubescape", "C-0034"},
        {"kubescape", "C-0190"},
        {"trivy", "KSV036"}},
       {kServiceAccountDocs, kCis}});
  token.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    ServiceAccountIndex sas(*ctx.inventory);
    for (const PodSpecView& pod : ctx.inventory->pod_specs()) {
      Verdict v;
      ServiceAccountToken(pod, sas, v);
      Emit(*pod.resource, v, out);
    }
  };
  registry.Add(std::move(token));

  Rule sa = MakeRule(
      {"WL-006",
       "default-service-account",
       "Pod runs as the default service account",
       Severity::kLow,
       kWorkload,
       "Every pod without a serviceAccountName shares its namespace's \"default\" service "
       "account, so permissions granted to it reach all of them, and audit logs cannot tell the "
       "workloads apart.",
       "Create a ServiceAccount per workload, set spec.serviceAccountName, and grant RBAC "
       "permissions to that account only.",
       {"cis:5.1.5", "nsa:rbac", "mitre:T1078.001"},
       {{"kubescape", "C-0189"}},
       {kServiceAccountDocs, kCis}});
  sa.check = PodCheck(&DefaultServiceAccount);
  registry.Add(std::move(sa));

  Rule ns = MakeRule(
      {"WL-007",
       "default-namespace",
       "Workload placed in the default namespace",
       Severity::kLow,
       kWorkload,
       "The default namespace is where everything lands by accident. Workloads there share "
       "policies, quotas and RBAC with whatever else ends up in it, which defeats namespaces as "
       "a boundary.",
       "Create a namespace for the application and set metadata.namespace to it.",
       {"cis:5.6.4", "nsa:namespaces"},
       {{"kubescape", "C-0061"}, {"kubescape", "C-0212"}, {"trivy", "KSV110"}},
       {"https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/", kCis}});
  ns.check = &DefaultNamespace;
  registry.Add(std::move(ns));
}

void RegisterImageRules(engine::RuleRegistry& registry) {
  Rule latest = MakeRule(
      {"WL-008",
       "image-latest-tag",
       "Image uses the latest tag or no tag",
       Severity::kMedium,
       kWorkload,
       "\"latest\" (also what an untagged image means) points to whatever was pushed last: "
       "nodes run different code depending on when they pulled, rollbacks are impossible, and "
       "anyone who can push to the repository changes what runs.",
       "Reference a version tag or, better, a digest (image: name:1.2.3@sha256:...).",
       {"nsa:secure-images", "mitre:T1525"},
       {{"polaris", "tagNotSpecified"}, {"trivy", "KSV013"}, {"kube-score", "container-image-tag"}},
       {kImagesDocs}});
  latest.check = PodCheck(&ImageLatestTag);
  registry.Add(std::move(latest));

  Rule digest = MakeRule(
      {"WL-009",
       "image-not-pinned-by-digest",
       "Image not pinned by digest",
       Severity::kLow,
       kWorkload,
       "Tags are mutable: a compromised registry account or CI pipeline can point an existing "
       "tag at a different image, and the next pull runs it. A digest names exactly one image.",
       "Append the image digest to the reference (name:tag@sha256:<digest>) and let automation "
       "update it.",
       {"nsa:secure-images", "mitre:T1525"},
       {},
       {kImagesDocs}});
  digest.check = PodCheck(&ImageNotPinned);
  registry.Add(std::move(digest));

  Rule registry_rule = MakeRule(
      {"WL-010",
       "image-registry-not-allowed",
       "Image from a registry outside the allow-list",
       Severity::kMedium,
       kWorkload,
       "Images from arbitrary registries bypass the scanning, signing and provenance controls "
       "of the organisation's own registries, and typosquatted public images are a known way to "
       "get malicious code run. Evaluated only when an allow-list is configured "
       "(--allowed-registries or allowedRegistries in .kspm.yaml).",
       "Mirror the image into an allowed registry and reference it there, or add the registry "
       "to the allow-list if it is trusted.",
       {"nsa:secure-images", "mitre:T1204.003"},
       {{"kubescape", "C-0078"}},
       {kImagesDocs}});
  registry_rule.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* view = ctx.inventory->PodSpecOf(res);
    if (view == nullptr) return v.NotApplicable();
    ImageRegistry(*view, ctx.allowed_registries, v);
  };
  registry.Add(std::move(registry_rule));

  Rule pull = MakeRule(
      {"WL-011",
       "image-pull-policy-not-always",
       "Mutable image tag without imagePullPolicy: Always",
       Severity::kLow,
       kWorkload,
       "With IfNotPresent a node runs whatever copy of a tag it cached, so replicas may run "
       "different images, and a private image pulled once can be started by any pod on that "
       "node without the registry checking its pull credentials.",
       "Set imagePullPolicy: Always for images referenced by tag, or pin the image by digest.",
       {"nsa:secure-images"},
       {{"polaris", "pullPolicyNotAlways"},
        {"kubescape", "C-0075"},
        {"kube-score", "container-image-pull-policy"}},
       {kImagesDocs}});
  pull.check = PodCheck(&ImagePullPolicy);
  registry.Add(std::move(pull));
}

struct HostPathRuleSpec {
  Meta meta;
  workload::HostPathClass cls;
  const char* what;  // "the node's root filesystem", as in messages
};

void RegisterHostPathRules(engine::RuleRegistry& registry) {
  std::vector<HostPathRuleSpec> specs;
  specs.push_back(
      {{"WL-012",
        "host-root-filesystem-mounted",
        "Node root filesystem mounted",
        Severity::kCritical,
        kWorkload,
        "A hostPath of \"/\" hands the container the node's entire filesystem: credentials, "
        "kubelet state, other pods' volumes and, when writable, the node's binaries. It is "
        "equivalent to root on the node.",
        "Mount only the specific node paths the workload needs, read-only, or replace the "
        "hostPath with a purpose-built volume type.",
        {"cis:5.2.11", "mitre:T1611"},
        {{"kubescape", "C-0048"}},
        {kHostPathDocs}},
       workload::HostPathClass::kRoot,
       "the node's entire filesystem"});
  specs.push_back(
      {{"WL-013",
        "container-runtime-socket-mounted",
        "Container runtime socket mounted",
        Severity::kCritical,
        kWorkload,
        "The Docker, containerd or CRI-O socket is the runtime's administrative API: whoever "
        "can reach it starts privileged containers, execs into any container on the node and "
        "reads their filesystems. Mounting it (or the folder holding it) is a host takeover.",
        "Remove the socket mount. Build images with rootless tools (BuildKit rootless, Kaniko) "
        "and read container metadata through the Kubernetes API or the kubelet instead.",
        {"cis:5.2.11", "mitre:T1611", "mitre:T1610"},
        {{"kubescape", "C-0074"}, {"trivy", "KSV006"}},
        {kHostPathDocs}},
       workload::HostPathClass::kRuntimeSocket,
       "a container runtime socket"});
  specs.push_back(
      {{"WL-014",
        "host-node-config-mounted",
        "Node configuration or credentials mounted",
        Severity::kHigh,
        kWorkload,
        "/etc, root's and users' home folders, kubelet state (/var/lib/kubelet, including every "
        "pod's secret volumes) and etcd data hold the node's credentials and the cluster's "
        "secrets. Reading them is credential theft; writing them changes how the node runs.",
        "Do not mount these paths. Give the workload the specific configuration it needs "
        "through ConfigMaps and Secrets; time zone data and CA bundles under /etc are not "
        "counted.",
        {"cis:5.2.11", "mitre:T1611", "mitre:T1552.001"},
        {},
        {kHostPathDocs}},
       workload::HostPathClass::kNodeConfig,
       "node configuration or credentials"});
  specs.push_back(
      {{"WL-015",
        "host-kernel-interfaces-mounted",
        "Node kernel or device interfaces mounted",
        Severity::kHigh,
        kWorkload,
        "The node's /proc, /sys, /dev, /boot and kernel modules expose kernel settings, every "
        "process on the node, raw devices and the boot chain. They are the usual stepping "
        "stones of container escapes.",
        "Remove the mount; node agents that need these paths belong in a dedicated, tightly "
        "controlled namespace and should mount them read-only.",
        {"cis:5.2.11", "mitre:T1611"},
        {},
        {kHostPathDocs}},
       workload::HostPathClass::kKernel,
       "kernel or device interfaces"});
  specs.push_back(
      {{"WL-016",
        "host-system-paths-mounted",
        "Node binaries, CNI plugins or runtime storage mounted",
        Severity::kHigh,
        kWorkload,
        "/usr, /bin, /lib and the CNI plugin folders hold code the node runs as root, and "
        "/var/lib/docker or /var/lib/containerd hold every container's filesystem. Write access "
        "means code execution on the node; read access exposes other workloads' files.",
        "Remove the mount, or mount the single file or folder needed read-only.",
        {"cis:5.2.11", "mitre:T1611"},
        {},
        {kHostPathDocs}},
       workload::HostPathClass::kSystem,
       "system binaries or container runtime storage"});
  specs.push_back(
      {{"WL-017",
        "host-logs-mounted",
        "Node logs mounted",
        Severity::kMedium,
        kWorkload,
        "/var/log holds every pod's logs and the node's system logs, often with tokens and "
        "personal data. Write access lets a workload tamper with them or plant symlinks that the "
        "kubelet follows when serving logs.",
        "Ship logs with a dedicated, read-only log agent in its own namespace; other workloads "
        "should not mount /var/log.",
        {"cis:5.2.11", "mitre:T1611", "mitre:T1070"},
        {},
        {kHostPathDocs}},
       workload::HostPathClass::kLogs,
       "the node's logs"});
  for (HostPathRuleSpec& s : specs) {
    Rule r = MakeRule(std::move(s.meta));
    workload::HostPathClass cls = s.cls;
    const char* what = s.what;
    r.check = [cls, what](const Resource& res, const RuleContext& ctx, Verdict& v) {
      const PodSpecView* view = ctx.inventory->PodSpecOf(res);
      if (view == nullptr) return v.NotApplicable();
      SensitiveHostPath(*view, cls, what, v);
    };
    registry.Add(std::move(r));
  }

  Rule writable = MakeRule(
      {"WL-018",
       "host-path-writable",
       "hostPath volume mounted read-write",
       Severity::kHigh,
       kWorkload,
       "A writable hostPath mount lets the container create or change files on the node, which "
       "persists beyond the pod and, depending on the path, alters what the node or other "
       "workloads execute.",
       "Set readOnly: true on every volumeMount of a hostPath volume, or replace the hostPath "
       "with an emptyDir or a PersistentVolumeClaim.",
       {"cis:5.2.11", "mitre:T1611"},
       {{"kubescape", "C-0045"}},
       {kHostPathDocs}});
  writable.check = PodCheck(&WritableHostPath);
  registry.Add(std::move(writable));

  Rule pid = MakeRule(
      {"WL-019",
       "share-process-namespace",
       "Containers share the pod's process namespace",
       Severity::kLow,
       kWorkload,
       "With shareProcessNamespace every container sees the others' processes and, through "
       "/proc, their environment variables and filesystems. A compromised sidecar can read the "
       "main container's secrets.",
       "Remove spec.shareProcessNamespace unless a debugging or sidecar pattern needs it, and "
       "then keep secrets out of environment variables.",
       {"mitre:T1552"},
       {},
       {"https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/"}});
  pid.check = PodCheck(&ShareProcessNamespace);
  registry.Add(std::move(pid));
}

struct CapabilityRuleSpec {
  Meta meta;
  std::vector<std::string_view> names;
  const char* reason;
};

void RegisterCapabilityRules(engine::RuleRegistry& registry) {
  std::vector<CapabilityRuleSpec> specs;
  specs.push_back({{"WL-020",
                    "capability-all-added",
                    "Container adds ALL capabilities",
                    Severity::kCritical,
                    kWorkload,
                    "capabilities.add: [ALL] grants every Linux capability, including "
                    "SYS_ADMIN, SYS_MODULE and SYS_PTRACE: short of device access, the container "
                    "is as powerful as a privileged one.",
                    "Remove ALL from securityContext.capabilities.add and add back only the "
                    "individual capabilities the workload needs.",
                    {"cis:5.2.9", "nsa:privileged-containers", "mitre:T1611"},
                    {{"polaris", "dangerousCapabilities"}, {"kubescape", "C-0046"}},
                    {kSecurityContextDocs, kCapabilitiesMan}},
                   {"ALL"},
                   "all capabilities added"});
  specs.push_back(
      {{"WL-021",
        "capability-sys-admin",
        "Container adds SYS_ADMIN",
        Severity::kHigh,
        kWorkload,
        "SYS_ADMIN is the catch-all capability: mounting filesystems, namespaces, "
        "cgroups and many device operations. Most published container escapes "
        "start from it.",
        "Remove SYS_ADMIN from securityContext.capabilities.add; FUSE and similar "
        "needs are better served by a device plugin or a CSI driver.",
        {"cis:5.2.9", "nsa:privileged-containers", "mitre:T1611"},
        {{"polaris", "dangerousCapabilities"}, {"kubescape", "C-0046"}, {"trivy", "KSV005"}},
        {kSecurityContextDocs, kCapabilitiesMan}},
       {"SYS_ADMIN"},
       "SYS_ADMIN added"});
  specs.push_back({{"WL-022",
                    "capability-kernel-control",
                    "Container adds a capability that controls the kernel",
                    Severity::kCritical,
                    kWorkload,
                    "SYS_MODULE loads kernel modules, SYS_RAWIO reaches raw memory and I/O "
                    "ports, SYS_BOOT loads a new kernel with kexec, and MAC_ADMIN/MAC_OVERRIDE "
                    "change or bypass AppArmor and SELinux policy. Each hands over the node's "
                    "kernel.",
                    "Remove SYS_MODULE, SYS_RAWIO, SYS_BOOT, MAC_ADMIN and MAC_OVERRIDE from "
                    "securityContext.capabilities.add; load kernel modules from the node's own "
                    "configuration.",
                    {"cis:5.2.9", "nsa:privileged-containers", "mitre:T1611"},
                    {{"kubescape", "C-0046"}, {"trivy", "KSV120"}},
                    {kSecurityContextDocs, kCapabilitiesMan}},
                   {"SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "MAC_ADMIN", "MAC_OVERRIDE"},
                   "kernel-control capabilities added"});
  specs.push_back({{"WL-023",
                    "capability-process-access",
                    "Container adds SYS_PTRACE or DAC_READ_SEARCH",
                    Severity::kHigh,
                    kWorkload,
                    "SYS_PTRACE reads and injects into other processes' memory (the node's too "
                    "when the pod shares the host PID namespace); DAC_READ_SEARCH bypasses file "
                    "read permissions and opens files by handle, the basis of the \"shocker\" "
                    "escape.",
                    "Remove SYS_PTRACE and DAC_READ_SEARCH from securityContext.capabilities.add; "
                    "debug with ephemeral containers when needed.",
                    {"cis:5.2.9", "nsa:privileged-containers", "mitre:T1611"},
                    {{"kubescape", "C-0046"}},
                    {kSecurityContextDocs, kCapabilitiesMan}},
                   {"SYS_PTRACE", "DAC_READ_SEARCH"},
                   "process-access capabilities added"});
  specs.push_back({{"WL-024",
                    "capability-bpf",
                    "Container adds BPF or PERFMON",
                    Severity::kHigh,
                    kWorkload,
                    "BPF and PERFMON load eBPF programs and attach tracing to the kernel: they "
                    "read kernel memory and other processes' data node-wide, and eBPF verifier "
                    "bugs are a recurring privilege-escalation path.",
                    "Remove BPF and PERFMON from securityContext.capabilities.add outside of "
                    "dedicated, trusted node agents.",
                    {"cis:5.2.9", "nsa:privileged-containers", "mitre:T1611"},
                    {{"kubescape", "C-0046"}},
                    {kSecurityContextDocs, kCapabilitiesMan}},
                   {"BPF", "PERFMON"},
                   "eBPF capabilities added"});
  specs.push_back({{"WL-025",
                    "capability-net-admin",
                    "Container adds NET_ADMIN",
                    Severity::kMedium,
                    kWorkload,
                    "NET_ADMIN reconfigures interfaces, routes and iptables in the pod's network "
                    "namespace (the node's with hostNetwork): it can bypass a service mesh's "
                    "traffic capture and redirect traffic.",
                    "Remove NET_ADMIN from securityContext.capabilities.add; mesh and CNI "
                    "components that need it belong in their own namespace (or use a CNI plugin "
                    "instead of init containers).",
                    {"cis:5.2.9", "mitre:T1562.001"},
                    {{"polaris", "dangerousCapabilities"}, {"kubescape", "C-0046"}},
                    {kSecurityContextDocs, kCapabilitiesMan}},
                   {"NET_ADMIN"},
                   "NET_ADMIN added"});
  specs.push_back({{"WL-026",
                    "capability-node-wide-settings",
                    "Container adds SYS_TIME, SYSLOG or SYS_RESOURCE",
                    Severity::kMedium,
                    kWorkload,
                    "These capabilities act outside the container's namespaces: SYS_TIME sets "
                    "the node's clock (breaking certificate validity and log timelines), SYSLOG "
                    "reads the kernel log with kernel addresses, SYS_RESOURCE overrides resource "
                    "limits and reserved disk space.",
                    "Remove SYS_TIME, SYSLOG and SYS_RESOURCE from "
                    "securityContext.capabilities.add; time is kept by the node.",
                    {"cis:5.2.9"},
                    {},
                    {kSecurityContextDocs, kCapabilitiesMan}},
                   {"SYS_TIME", "SYSLOG", "SYS_RESOURCE"},
                   "node-wide capabilities added"});
  for (CapabilityRuleSpec& s : specs) {
    Rule r = MakeRule(std::move(s.meta));
    std::vector<std::string_view> names = std::move(s.names);
    const char* reason = s.reason;
    r.check = [names, reason](const Resource& res, const RuleContext& ctx, Verdict& v) {
      const PodSpecView* view = ctx.inventory->PodSpecOf(res);
      if (view == nullptr) return v.NotApplicable();
      CapabilitiesAdded(*view, names, reason, v);
    };
    registry.Add(std::move(r));
  }

  Rule raw = MakeRule(
      {"WL-027",
       "net-raw-not-dropped",
       "Container keeps the NET_RAW capability",
       Severity::kMedium,
       kWorkload,
       "Container runtimes grant NET_RAW by default. It opens raw and packet sockets: ARP and "
       "DNS spoofing against neighbouring pods, traffic capture, and a kernel attack surface "
       "behind several container escapes. Few applications need it.",
       "Add NET_RAW (or ALL) to securityContext.capabilities.drop on every container and do not "
       "add it back; ping works without it on kernels that allow unprivileged ICMP sockets.",
       {"cis:5.2.8", "nsa:container-hardening", "mitre:T1046"},
       {},
       {kSecurityContextDocs, kCis}});
  raw.check = PodCheck(&NetRawNotDropped);
  registry.Add(std::move(raw));
}

struct ResourceRuleSpec {
  Meta meta;
  ResourceName resource;
  bool limit;
};

void RegisterResourceRules(engine::RuleRegistry& registry) {
  std::vector<ResourceRuleSpec> specs;
  specs.push_back({{"WL-028",
                    "cpu-request-missing",
                    "Container without a CPU request",
                    Severity::kLow,
                    kReliability,
                    "Without a CPU request the scheduler places the pod as if it used no CPU, "
                    "nodes get overcommitted, and under contention the container gets the "
                    "smallest share.",
                    "Set resources.requests.cpu on every container (and init container), or a "
                    "defaultRequest in a LimitRange of the namespace.",
                    {"nsa:resource-policies"},
                    {{"polaris", "cpuRequestsMissing"},
                     {"kubescape", "C-0050"},
                     {"trivy", "KSV015"},
                     {"kube-score", "container-resources"}},
                    {kResourcesDocs, kLimitRangeDocs}},
                   kCpu,
                   false});
  specs.push_back({{"WL-029",
                    "cpu-limit-missing",
                    "Container without a CPU limit",
                    Severity::kLow,
                    kReliability,
                    "Without a CPU limit a runaway or hijacked container (a cryptominer, say) "
                    "can use every core of its node beyond what it requested, slowing its "
                    "neighbours.",
                    "Set resources.limits.cpu on every container (and init container), or a "
                    "default limit in a LimitRange of the namespace.",
                    {"nsa:resource-policies", "mitre:T1496"},
                    {{"polaris", "cpuLimitsMissing"},
                     {"kubescape", "C-0050"},
                     {"kubescape", "C-0270"},
                     {"trivy", "KSV011"},
                     {"kube-score", "container-resources"}},
                    {kResourcesDocs, kLimitRangeDocs}},
                   kCpu,
                   true});
  specs.push_back({{"WL-030",
                    "memory-request-missing",
                    "Container without a memory request",
                    Severity::kLow,
                    kReliability,
                    "Without a memory request the scheduler cannot reserve memory for the pod, "
                    "and under memory pressure the kubelet evicts it among the first.",
                    "Set resources.requests.memory on every container (and init container), or a "
                    "defaultRequest in a LimitRange of the namespace.",
                    {"nsa:resource-policies"},
                    {{"polaris", "memoryRequestsMissing"},
                     {"kubescape", "C-0004"},
                     {"trivy", "KSV016"},
                     {"kube-score", "container-resources"}},
                    {kResourcesDocs, kLimitRangeDocs}},
                   kMemory,
                   false});
  specs.push_back({{"WL-031",
                    "memory-limit-missing",
                    "Container without a memory limit",
                    Severity::kMedium,
                    kReliability,
                    "Without a memory limit a leaking or malicious container can take all of "
                    "its node's memory; the kernel's OOM killer and the kubelet's evictions then "
                    "hit other workloads on the node.",
                    "Set resources.limits.memory on every container (and init container), or a "
                    "default limit in a LimitRange of the namespace.",
                    {"nsa:resource-policies", "mitre:T1499"},
                    {{"polaris", "memoryLimitsMissing"},
                     {"kubescape", "C-0004"},
                     {"kubescape", "C-0271"},
                     {"trivy", "KSV018"},
                     {"kube-score", "container-resources"}},
                    {kResourcesDocs, kLimitRangeDocs}},
                   kMemory,
                   true});
  specs.push_back({{"WL-032",
                    "ephemeral-storage-limit-missing",
                    "Container without an ephemeral-storage limit",
                    Severity::kLow,
                    kReliability,
                    "Logs, the writable layer and emptyDir volumes all consume the node's disk. "
                    "Without an ephemeral-storage limit one container can fill it, and the "
                    "kubelet then evicts pods across the node.",
                    "Set resources.limits.ephemeral-storage on every container (and init "
                    "container), or a default limit in a LimitRange of the namespace.",
                    {"nsa:resource-policies", "mitre:T1499"},
                    {{"kube-score", "container-ephemeral-storage-request-and-limit"}},
                    {kResourcesDocs, kLimitRangeDocs}},
                   kEphemeralStorage,
                   true});
  for (ResourceRuleSpec& s : specs) {
    Rule r = MakeRule(std::move(s.meta));
    r.inventory_check = [f = ResourceField(s.resource, s.limit)](
                            const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
      LimitRangeIndex limit_ranges(*ctx.inventory);
      for (const PodSpecView& pod : ctx.inventory->pod_specs()) {
        Verdict v;
        ResourceMissing(pod, limit_ranges.For(pod.resource->effective_namespace()), f, v);
        Emit(*pod.resource, v, out);
      }
    };
    registry.Add(std::move(r));
  }
}

void RegisterProbeRules(engine::RuleRegistry& registry) {
  Rule liveness = MakeRule(
      {"WL-033",
       "liveness-probe-missing",
       "Container without a liveness probe",
       Severity::kLow,
       kReliability,
       "Without a liveness probe a container that deadlocks or hangs keeps running and keeps "
       "its place, serving errors until someone restarts it by hand.",
       "Add a livenessProbe to every long-running container that checks the process can still "
       "make progress (not its dependencies). Jobs, CronJobs and init containers are not "
       "evaluated.",
       {},
       {{"polaris", "livenessProbeMissing"}, {"kubescape", "C-0056"}, {"kube-score", "pod-probes"}},
       {kProbesDocs}});
  liveness.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* view = ctx.inventory->PodSpecOf(res);
    if (view == nullptr) return v.NotApplicable();
    ProbeMissing(*view, "livenessProbe", v);
  };
  registry.Add(std::move(liveness));

  Rule readiness = MakeRule(
      {"WL-034",
       "readiness-probe-missing",
       "Container without a readiness probe",
       Severity::kLow,
       kReliability,
       "Without a readiness probe a pod receives traffic as soon as its containers start, "
       "before the application is ready, and keeps receiving it when the application can no "
       "longer serve: failed requests during every rollout and incident.",
       "Add a readinessProbe to every long-running container that checks it can serve "
       "requests. Jobs, CronJobs and init containers are not evaluated.",
       {},
       {{"polaris", "readinessProbeMissing"},
        {"kubescape", "C-0018"},
        {"kube-score", "pod-probes"}},
       {kProbesDocs}});
  readiness.check = [](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* view = ctx.inventory->PodSpecOf(res);
    if (view == nullptr) return v.NotApplicable();
    ProbeMissing(*view, "readinessProbe", v);
  };
  registry.Add(std::move(readiness));

  Rule identical = MakeRule(
      {"WL-035",
       "liveness-same-as-readiness",
       "Liveness probe identical to the readiness probe",
       Severity::kLow,
       kReliability,
       "When liveness checks the same thing as readiness, a container that is only slow or "
       "overloaded fails both and is restarted instead of being taken out of rotation, which "
       "turns a load spike into cascading restarts.",
       "Make the liveness probe check that the process itself is alive (a cheap endpoint, a "
       "TCP check) and keep the readiness probe for the ability to serve.",
       {},
       {{"kube-score", "pod-probes-identical"}},
       {kProbesDocs}});
  identical.check = PodCheck(&LivenessLikeReadiness);
  registry.Add(std::move(identical));
}

void RegisterAvailabilityRules(engine::RuleRegistry& registry) {
  Rule naked = MakeRule(
      {"WL-036",
       "naked-pod",
       "Pod without a controller",
       Severity::kLow,
       kReliability,
       "A Pod created directly is not recreated when it is deleted, evicted or its node fails, "
       "and it drifts from any declared configuration. Static pods and Helm test hooks are not "
       "evaluated.",
       "Run the pod under a Deployment, StatefulSet or DaemonSet, or a Job for one-off work.",
       {},
       {{"kubescape", "C-0073"}},
       {"https://kubernetes.io/docs/concepts/configuration/overview/"}},
      {"Pod"});
  naked.check = &NakedPod;
  registry.Add(std::move(naked));

  Rule single = MakeRule(
      {"WL-037",
       "single-replica",
       "Controller runs a single replica",
       Severity::kLow,
       kReliability,
       "With one replica every rollout, node drain, eviction or crash is an outage of the "
       "workload. A HorizontalPodAutoscaler's minReplicas counts when one targets the "
       "workload.",
       "Run at least two replicas (spec.replicas, or minReplicas of the autoscaler), spread "
       "across nodes, for anything that serves requests.",
       {},
       {{"polaris", "deploymentMissingReplicas"}},
       {"https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"}});
  single.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    AutoscalerIndex hpas(*ctx.inventory);
    for (const Resource& res : ctx.inventory->resources()) {
      if (!IsReplicatedKind(res.kind)) continue;
      Verdict v;
      SingleReplica(res, hpas, v);
      Emit(res, v, out);
    }
  };
  registry.Add(std::move(single));

  Rule pdb = MakeRule(
      {"WL-038",
       "pod-disruption-budget-missing",
       "Replicated workload without a PodDisruptionBudget",
       Severity::kLow,
       kReliability,
       "Without a PodDisruptionBudget, voluntary disruptions (node drains during upgrades, "
       "autoscaler scale-downs) may evict all replicas of a Deployment or StatefulSet at the "
       "same time.",
       "Add a PodDisruptionBudget in the workload's namespace whose selector matches the pod "
       "template's labels, with maxUnavailable: 1 (or a suitable minAvailable).",
       {},
       {{"polaris", "missingPodDisruptionBudget"},
        {"kube-score", "deployment-has-poddisruptionbudget"},
        {"kube-score", "statefulset-has-poddisruptionbudget"}},
       {"https://kubernetes.io/docs/concepts/workloads/pods/disruptions/"}});
  pdb.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    AutoscalerIndex hpas(*ctx.inventory);
    DisruptionBudgetIndex pdbs(*ctx.inventory);
    for (const Resource& res : ctx.inventory->resources()) {
      if (res.kind != "Deployment" && res.kind != "StatefulSet") continue;
      Verdict v;
      MissingDisruptionBudget(res, hpas, pdbs, ctx.inventory->PodSpecOf(res), v);
      Emit(res, v, out);
    }
  };
  registry.Add(std::move(pdb));

  Rule deadline = MakeRule(
      {"WL-039",
       "cronjob-starting-deadline-missing",
       "CronJob without startingDeadlineSeconds",
       Severity::kLow,
       kReliability,
       "Without startingDeadlineSeconds the CronJob controller counts every missed schedule "
       "since the last run; after more than 100 (a controller outage, a long suspension) it "
       "stops scheduling the CronJob altogether.",
       "Set spec.startingDeadlineSeconds to how late a run may still usefully start (for "
       "example 300).",
       {},
       {{"kube-score", "cronjob-has-deadline"}},
       {"https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/"}},
      {"CronJob"});
  deadline.check = &CronJobDeadline;
  registry.Add(std::move(deadline));
}

}  // namespace

void RegisterWorkloadRules(engine::RuleRegistry& registry) {
  RegisterSecurityContextRules(registry);
  RegisterIdentityRules(registry);
  RegisterImageRules(registry);
  RegisterHostPathRules(registry);
  RegisterCapabilityRules(registry);
  RegisterResourceRules(registry);
  RegisterProbeRules(registry);
  RegisterAvailabilityRules(registry);
}

}  // namespace kspm::rules
