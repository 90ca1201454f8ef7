// Workload hardening beyond the Pod Security Standards (WL-001 … WL-054):
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
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
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

// A per-resource check of the pod spec: fn(pod, ctx, verdict) on the kinds
// that carry one, not applicable to the others.
template <typename Fn>
engine::ResourceCheck OnPodSpec(Fn fn) {
  return [fn = std::move(fn)](const Resource& res, const RuleContext& ctx, Verdict& v) {
    const PodSpecView* view = ctx.inventory->PodSpecOf(res);
    if (view == nullptr) return v.NotApplicable();
    fn(*view, ctx, v);
  };
}

using PodCheckFn = void (*)(const PodSpecView&, Verdict&);

// The common case: a check that needs only the pod spec.
engine::ResourceCheck PodCheck(PodCheckFn fn) {
  return OnPodSpec([fn](const PodSpecView& pod, const RuleContext&, Verdict& v) { fn(pod, v); });
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

// How WL-003 and WL-040 word an ID field: the effective value is the
// container's, else the pod's, and an unset one leaves the image to decide.
struct IdField {
  std::string_view key;       // "runAsUser"
  std::string_view field;     // "securityContext.runAsUser"
  std::string_view runs;      // " runs as UID "
  std::string_view pod_runs;  // "the pod runs its containers as UID "
  std::string_view unset;     // " sets no runAsUser (nor does the pod): ..."
  std::string_view reason;    // "low user ID"
  std::string_view must;      // " must run as a UID of 10000 or more"
};

constexpr IdField kUserId = {
    "runAsUser",
    "securityContext.runAsUser",
    " runs as UID ",
    "the pod runs its containers as UID ",
    " sets no runAsUser (nor does the pod): it runs as the image's user, commonly root or a "
    "low UID",
    "low user ID",
    " must run as a UID of 10000 or more"};

constexpr IdField kGroupId = {
    "runAsGroup",
    "securityContext.runAsGroup",
    " runs with GID ",
    "the pod runs its containers with GID ",
    " sets no runAsGroup (nor does the pod): it runs with the image's group, commonly root (0)",
    "low group ID",
    " must run with a GID of 10000 or more"};

void LowId(const PodSpecView& pod, const IdField& f, Verdict& v) {
  CheckReport r(v);
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  Where pw = Where::Pod(pod);
  const Node* pod_sc = PodSecurityContext(r, pod);
  pss::Read<int64_t> pod_id = pss::ReadInt(r, pw, pod_sc, f.key, f.field);
  bool pod_reported = false;
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* sc = ContainerSecurityContext(r, w, c);
    pss::Read<int64_t> id = pss::ReadInt(r, w, sc, f.key, f.field);
    if (id.node != nullptr) {
      if (!id.value || *id.value >= kHighId) return;
      bad.Add(c.name);
      r.Value(w, *id.node, f.field, ">= 10000",
              w.Who() + std::string(f.runs) + std::to_string(*id.value) + ", below 10000");
      return;
    }
    if (pod_id.node != nullptr) {
      if (!pod_id.value || *pod_id.value >= kHighId) return;
      bad.Add(c.name);
      if (!pod_reported) {
        pod_reported = true;
        r.Value(pw, *pod_id.node, f.field, ">= 10000",
                std::string(f.pod_runs) + std::to_string(*pod_id.value) + ", below 10000");
      }
      return;
    }
    bad.Add(c.name);
    r.Missing(w, Nearest(sc, nullptr, *c.node), f.field, ">= 10000",
              w.Who() + std::string(f.unset));
  });
  r.Finish(f.reason, bad.empty() ? std::string() : bad.Containers() + std::string(f.must));
}

void RunAsLowUid(const PodSpecView& pod, Verdict& v) { LowId(pod, kUserId, v); }

void RunAsLowGid(const PodSpecView& pod, Verdict& v) { LowId(pod, kGroupId, v); }

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
// Ports, /etc/hosts and commands

// Calls fn(port, index, containerPort) for every entry of the container's
// ports whose containerPort is an integer, reporting malformed entries.
template <typename Fn>
void ForContainerPorts(CheckReport& r, const Where& w, const ContainerRef& c, Fn&& fn) {
  const Node* ports = pss::GetList(r, w, c.node, "ports", "ports");
  if (ports == nullptr) return;
  size_t i = 0;
  for (const Node& port : ports->items()) {
    size_t index = i++;
    if (port.IsNull()) continue;
    if (!port.IsMapping()) {
      r.InvalidType(w, port, "ports." + std::to_string(index), "object");
      continue;
    }
    const Node* number = pss::Field(&port, "containerPort");
    if (number == nullptr) continue;  // the API server rejects a port without one
    std::optional<int64_t> value = number->GetInt();
    if (!value) {
      r.InvalidType(w, *number, "ports." + std::to_string(index) + ".containerPort", "integer");
      continue;
    }
    fn(port, index, *number, *value);
  }
}

constexpr int64_t kFirstUnprivilegedPort = 1024;

// The first unprivileged port of the pod's network namespace: the value of
// the net.ipv4.ip_unprivileged_port_start sysctl when the pod sets it (a safe
// sysctl since Kubernetes 1.22), else the kernel's 1024. Malformed sysctls are
// PSS-010's business and leave the default.
int64_t FirstUnprivilegedPort(const PodSpecView& pod) {
  const Node* sysctls = pss::Field(pss::Field(pod.spec, "securityContext"), "sysctls");
  for (const Node& s : sysctls != nullptr ? sysctls->items() : std::span<const Node>{}) {
    const Node* name = s.Get("name");
    const Node* value = s.Get("value");
    if (name == nullptr || value == nullptr || !name->IsString() || !value->IsString()) continue;
    if (name->string_value() != "net.ipv4.ip_unprivileged_port_start" &&
        name->string_value() != "net/ipv4/ip_unprivileged_port_start") {
      continue;
    }
    int64_t port = 0;
    std::string_view text = value->string_value();
    if (text.empty() || text.size() > 5) continue;
    bool digits = true;
    for (char ch : text) {
      if (ch < '0' || ch > '9') digits = false;
      port = port * 10 + (ch - '0');
    }
    if (digits) return port;
  }
  return kFirstUnprivilegedPort;
}

void PrivilegedPort(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  // Windows has no privileged port range.
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  int64_t first_unprivileged = FirstUnprivilegedPort(pod);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    ForContainerPorts(r, w, c, [&](const Node&, size_t index, const Node& number, int64_t port) {
      if (port <= 0 || port >= kFirstUnprivilegedPort || port >= first_unprivileged) return;
      bad.Add(c.name);
      r.Value(w, number, "ports." + std::to_string(index) + ".containerPort", ">= 1024",
              w.Who() + " listens on port " + std::to_string(port) +
                  ", below 1024: binding it takes root or the NET_BIND_SERVICE capability");
    });
  });
  r.Finish("privileged port", bad.empty()
                                  ? std::string()
                                  : bad.Containers() + " must listen on ports of 1024 or more");
}

void HostAliases(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Where pw = Where::Pod(pod);
  const Node* aliases = pss::GetList(r, pw, pod.spec, "hostAliases", "hostAliases");
  if (aliases != nullptr && aliases->size() > 0) {
    std::vector<std::string> names;
    for (const Node& entry : aliases->items()) {
      const Node* hostnames = pss::Field(&entry, "hostnames");
      for (const Node& h : hostnames != nullptr ? hostnames->items() : std::span<const Node>{}) {
        if (h.IsString()) names.emplace_back(h.string_value());
      }
    }
    std::string message = "the pod writes " + std::to_string(aliases->size()) +
                          std::string(pss::Plural(aliases->size(), " entry", " entries")) +
                          " into its containers' /etc/hosts";
    if (!names.empty()) message += ", overriding DNS for " + pss::QuoteJoin(names);
    r.Value(pw, *aliases, "hostAliases", "no hostAliases (names resolved by DNS)",
            std::move(message));
  }
  r.Finish("hostAliases set",
           r.failed() ? "remove spec.hostAliases and publish the names in DNS" : "");
}

// Calls fn(item, index, field) for every string of the container's command
// and args, reporting items of another type.
template <typename Fn>
void ForCommandWords(CheckReport& r, const Where& w, const ContainerRef& c, Fn&& fn) {
  for (std::string_view field : {std::string_view("command"), std::string_view("args")}) {
    const Node* list = pss::GetList(r, w, c.node, field, field);
    if (list == nullptr) continue;
    size_t i = 0;
    for (const Node& item : list->items()) {
      size_t index = i++;
      std::optional<std::string_view> text = pss::ReadStringItem(r, item, w, field, index);
      if (text) fn(item, index, field, *text);
    }
  }
}

bool IsSshPort(const Node& port, int64_t number) {
  if (number != 22 && number != 2222) return false;
  const Node* protocol = pss::Field(&port, "protocol");
  // SSH runs over TCP, the default protocol.
  return protocol == nullptr || protocol->GetString() == std::optional<std::string_view>("TCP");
}

void SshServer(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    ForContainerPorts(r, w, c,
                      [&](const Node& port, size_t index, const Node& number, int64_t value) {
                        if (!IsSshPort(port, value)) return;
                        bad.Add(c.name);
                        r.Value(w, number, "ports." + std::to_string(index) + ".containerPort",
                                "no SSH port (22, 2222)",
                                w.Who() + " exposes the SSH port " + std::to_string(value));
                      });
    ForCommandWords(
        r, w, c,
        [&](const Node& item, size_t index, std::string_view field, std::string_view text) {
          const char* daemon = workload::CommandRuns(text, "sshd")       ? "sshd"
                               : workload::CommandRuns(text, "dropbear") ? "dropbear"
                                                                         : nullptr;
          if (daemon == nullptr) return;
          bad.Add(c.name);
          r.Value(w, item, std::string(field) + "." + std::to_string(index), "no SSH daemon",
                  w.Who() + " starts the SSH daemon " + std::string(daemon));
        });
  });
  r.Finish("SSH server in a container", bad.empty()
                                            ? std::string()
                                            : bad.Containers() +
                                                  " must not run or expose an SSH server; use "
                                                  "kubectl exec or debug containers");
}

void SudoInCommand(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    ForCommandWords(
        r, w, c,
        [&](const Node& item, size_t index, std::string_view field, std::string_view text) {
          if (!workload::CommandRuns(text, "sudo")) return;
          bad.Add(c.name);
          r.Value(w, item, std::string(field) + "." + std::to_string(index),
                  "a command without sudo",
                  w.Who() + " runs sudo in its " + std::string(field) +
                      ": the image ships a setuid path to root");
        });
  });
  r.Finish(
      "sudo in the container command",
      bad.empty() ? std::string() : bad.Containers() + " must not use sudo; set runAsUser instead");
}

// The name of an env entry, or empty when the entry is malformed (the API
// server rejects it; other rules report such types).
std::string_view EnvName(const Node& entry) {
  const Node* name = entry.Get("name");
  return name != nullptr && name->IsString() ? name->string_value() : std::string_view();
}

void EnvVarDuplicated(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    Where w = Where::Container(c);
    const Node* env = pss::GetList(r, w, c.node, "env", "env");
    if (env == nullptr) return;
    std::span<const Node> items = env->items();
    for (size_t j = 1; j < items.size(); ++j) {
      std::string_view name = EnvName(items[j]);
      if (name.empty()) continue;
      for (size_t i = 0; i < j; ++i) {
        if (EnvName(items[i]) != name) continue;
        bad.Add(c.name);
        r.Value(w, *items[j].Get("name"), "env." + std::to_string(j) + ".name",
                "a name not used earlier in env",
                w.Who() + " sets " + std::string(name) + " again (first at env[" +
                    std::to_string(i) + "]): only the last definition takes effect");
        break;
      }
    }
  });
  r.Finish("duplicate environment variable",
           bad.empty() ? std::string()
                       : bad.Containers() + " must define each environment variable once");
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
// Linux hardening (WL-053)

bool ConfiningProfileType(std::string_view t) { return t == "RuntimeDefault" || t == "Localhost"; }

// The type of a seccompProfile or appArmorProfile object under `sc`: unset
// (no profile), or its type ("" when the type is missing, which no runtime
// reads as confining). Type errors are reported and read as a profile
// that confines nothing.
struct ProfileRead {
  const Node* profile = nullptr;
  std::string_view type;
};

ProfileRead ReadProfile(CheckReport& r, const Where& w, const Node* sc, std::string_view key,
                        std::string_view field, std::string_view type_field) {
  ProfileRead out;
  out.profile = pss::GetObject(r, w, sc, key, field);
  if (out.profile == nullptr) {
    if (pss::Field(sc, key) != nullptr) out.profile = pss::Field(sc, key);  // type error
    return out;
  }
  pss::Read<std::string_view> type = pss::ReadString(r, w, out.profile, "type", type_field);
  out.type = type.value.value_or("");
  return out;
}

// seLinuxOptions that set at least one of user, role, type and level.
bool SetsSeLinuxLabel(const Node* options) {
  if (options == nullptr || !options->IsMapping()) return false;
  for (std::string_view key : {"user", "role", "type", "level"}) {
    const Node* n = options->Get(key);
    if (n != nullptr && n->IsString() && !n->string_value().empty()) return true;
  }
  return false;
}

constexpr std::string_view kAppArmorContainerAnnotation =
    "container.apparmor.security.beta.kubernetes.io/";

bool ConfiningAppArmorAnnotation(std::string_view v) {
  return v == "runtime/default" || (v.starts_with("localhost/") && v.size() > 10);
}

// What the pod's securityContext and annotations contribute to every container.
struct PodHardening {
  ProfileRead seccomp;
  ProfileRead apparmor;
  const Node* selinux = nullptr;
  const Node* annotations = nullptr;
};

// The container's own AppArmor annotation value; empty when absent.
std::string_view AppArmorAnnotation(const Node* annotations, std::string_view container) {
  if (annotations == nullptr || !annotations->IsMapping()) return {};
  for (const core::Member& m : annotations->members()) {
    std::string_view key = m.key_string();
    if (key.size() == kAppArmorContainerAnnotation.size() + container.size() &&
        key.starts_with(kAppArmorContainerAnnotation) && key.ends_with(container) &&
        m.value.IsString()) {
      return m.value.string_value();
    }
  }
  return {};
}

// Whether one container has at least one of the four mechanisms, each read
// with Kubernetes' precedence (the container's field overrides the pod's).
bool ContainerHardened(CheckReport& r, const PodHardening& pod, const ContainerRef& c,
                       const Node*& sc_out) {
  Where w = Where::Container(c);
  const Node* sc = ContainerSecurityContext(r, w, c);
  sc_out = sc;
  // A privileged container runs unconfined by seccomp, AppArmor and SELinux
  // and holds every capability, whatever else it sets.
  pss::Read<bool> privileged = pss::ReadBool(r, w, sc, "privileged", "securityContext.privileged");
  if (privileged.value && *privileged.value) return false;

  ProfileRead seccomp = ReadProfile(r, w, sc, "seccompProfile", "securityContext.seccompProfile",
                                    "securityContext.seccompProfile.type");
  const ProfileRead& eff_seccomp = seccomp.profile != nullptr ? seccomp : pod.seccomp;
  if (ConfiningProfileType(eff_seccomp.type)) return true;

  ProfileRead apparmor = ReadProfile(r, w, sc, "appArmorProfile", "securityContext.appArmorProfile",
                                     "securityContext.appArmorProfile.type");
  if (apparmor.profile != nullptr) {
    if (ConfiningProfileType(apparmor.type)) return true;
  } else if (std::string_view a = AppArmorAnnotation(pod.annotations, c.name); !a.empty()) {
    if (ConfiningAppArmorAnnotation(a)) return true;
  } else if (ConfiningProfileType(pod.apparmor.type)) {
    return true;
  }

  const Node* selinux =
      pss::GetObject(r, w, sc, "seLinuxOptions", "securityContext.seLinuxOptions");
  if (SetsSeLinuxLabel(selinux != nullptr ? selinux : pod.selinux)) return true;

  const Node* caps = pss::GetObject(r, w, sc, "capabilities", "securityContext.capabilities");
  const Node* drop = pss::GetList(r, w, caps, "drop", kCapsDrop);
  const Node* add = pss::GetList(r, w, caps, "add", kCapsAdd);
  return ListHasCapability(drop, "ALL", "ALL") && !ListHasCapability(add, "ALL", "ALL");
}

void NoLinuxHardening(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  // seccomp, AppArmor, SELinux and Linux capabilities do not exist on Windows.
  if (pss::IsWindowsPod(r, pod)) return v.NotApplicable();
  Where pw = Where::Pod(pod);
  const Node* pod_sc = PodSecurityContext(r, pod);
  PodHardening ph;
  ph.seccomp = ReadProfile(r, pw, pod_sc, "seccompProfile", "securityContext.seccompProfile",
                           "securityContext.seccompProfile.type");
  ph.apparmor = ReadProfile(r, pw, pod_sc, "appArmorProfile", "securityContext.appArmorProfile",
                            "securityContext.appArmorProfile.type");
  ph.selinux = pss::GetObject(r, pw, pod_sc, "seLinuxOptions", "securityContext.seLinuxOptions");
  ph.annotations = pss::Field(pod.metadata, "annotations");
  Offenders bad;
  ForContainers(r, pod, kAllContainers, [&](const ContainerRef& c) {
    const Node* sc = nullptr;
    if (ContainerHardened(r, ph, c, sc)) return;
    Where w = Where::Container(c);
    bad.Add(c.name);
    constexpr std::string_view kExpected =
        "seccompProfile or appArmorProfile RuntimeDefault or Localhost, seLinuxOptions, or "
        "capabilities.drop [ALL] (here or, except capabilities, on the pod)";
    const Node* privileged = pss::Field(sc, "privileged");
    if (privileged != nullptr && privileged->GetBool() == std::optional<bool>(true)) {
      r.Value(w, *privileged, "securityContext.privileged", "false",
              w.Who() +
                  " is privileged: seccomp, AppArmor and SELinux do not confine it and it "
                  "holds every capability");
      return;
    }
    // drop: [ALL] undone by add: [ALL]: point at the entry that undoes it.
    const Node* caps = pss::Field(sc, "capabilities");
    const Node* add = pss::Field(caps, "add");
    if (ListHasCapability(pss::Field(caps, "drop"), "ALL", "ALL") && add != nullptr &&
        add->IsSequence()) {
      size_t i = 0;
      for (const Node& item : add->items()) {
        size_t index = i++;
        if (!item.IsString() || !workload::CapabilityIs(item.string_value(), "ALL")) continue;
        r.Add(engine::BadValue(item, w.Pointer(kCapsAdd) + "/" + std::to_string(index),
                               std::string(kExpected),
                               w.Who() + " drops ALL capabilities and adds ALL back, and uses "
                                         "no seccomp, AppArmor or SELinux confinement"));
        return;
      }
    }
    const Node* seccomp = pss::Field(sc, "seccompProfile");
    std::string message =
        w.Who() +
        " runs without seccomp, AppArmor or SELinux confinement and without dropping "
        "all capabilities";
    if (seccomp != nullptr) {
      r.Value(w, *seccomp, "securityContext.seccompProfile", std::string(kExpected),
              std::move(message));
    } else {
      r.Missing(w, Nearest(sc, nullptr, *c.node), "securityContext.seccompProfile",
                std::string(kExpected), std::move(message));
    }
  });
  r.Finish("no Linux hardening",
           bad.empty() ? std::string()
                       : bad.Containers() +
                             " must use seccomp, AppArmor or SELinux, or drop all capabilities");
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
      by_namespace_[pdb->effective_namespace()].push_back(
          {pdb, workload::ParseSelector(*selector)});
    }
  }
  struct Entry {
    const Resource* pdb;
    core::LabelSelector selector;  // parsed once, matched against every pod
  };
  const Resource* Covering(std::string_view ns, const Node* pod_labels) const {
    auto it = by_namespace_.find(ns);
    if (it == by_namespace_.end()) return nullptr;
    core::LabelSet labels = workload::SelectedLabels(pod_labels);
    for (const Entry& e : it->second) {
      if (e.selector.Matches(labels)) return e.pdb;
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

void CronJobConcurrency(const Resource& res, const RuleContext&, Verdict& v) {
  CheckReport r(v);
  const Node* spec = res.root->Get("spec");
  const Node* policy = pss::Field(spec, "concurrencyPolicy");
  constexpr std::string_view kPointer = "/spec/concurrencyPolicy";
  constexpr std::string_view kExpected = "Forbid or Replace";
  if (policy == nullptr) {
    r.Add(engine::MissingField(spec != nullptr ? *spec : *res.root, std::string(kPointer),
                               std::string(kExpected),
                               "concurrencyPolicy defaults to Allow: a run that outlasts its "
                               "schedule overlaps with the next one"));
  } else if (!policy->IsString()) {
    r.InvalidTypeAt(*policy, std::string(kPointer), "spec.concurrencyPolicy", "string");
  } else if (policy->string_value() == "Allow") {
    r.Add(engine::BadValue(*policy, std::string(kPointer), std::string(kExpected),
                           "concurrencyPolicy Allow lets a run that outlasts its schedule "
                           "overlap with the next one"));
  } else if (policy->string_value() != "Forbid" && policy->string_value() != "Replace") {
    r.Add(engine::BadValue(*policy, std::string(kPointer), std::string(kExpected),
                           "\"" + std::string(policy->string_value()) +
                               "\" is not a concurrency policy (Allow, Forbid or Replace)"));
  }
  r.Finish("concurrent CronJob runs allowed");
}

void AutoscalerCannotScale(const Resource& res, const RuleContext&, Verdict& v) {
  CheckReport r(v);
  const Node* spec = res.root->Get("spec");
  pss::Read<int64_t> min = ReadSpecInt(r, spec, "minReplicas");
  pss::Read<int64_t> max = ReadSpecInt(r, spec, "maxReplicas");
  if (r.failed()) return r.Finish("autoscaler cannot scale");
  int64_t min_replicas = min.value ? *min.value : 1;
  if (max.node == nullptr) {
    r.Add(engine::MissingField(spec != nullptr ? *spec : *res.root, "/spec/maxReplicas",
                               "> minReplicas",
                               "maxReplicas is required; without it the API server rejects the "
                               "autoscaler"));
  } else if (*max.value <= min_replicas) {
    r.Add(engine::BadValue(
        *max.node, "/spec/maxReplicas", "> minReplicas (" + std::to_string(min_replicas) + ")",
        "maxReplicas " + std::to_string(*max.value) + " is not above minReplicas " +
            std::to_string(min_replicas) + (min.node == nullptr ? " (the default)" : "") +
            ": the autoscaler can never add a replica"));
  }
  r.Finish("autoscaler cannot scale");
}

// An intstr.IntOrString of a PodDisruptionBudget: an integer, or a
// percentage string ("50%"); anything else is a type error.
struct IntOrPercent {
  const Node* node = nullptr;
  std::optional<int64_t> value;
  bool percent = false;
};

IntOrPercent ReadIntOrPercent(CheckReport& r, const Node* spec, std::string_view key) {
  IntOrPercent out;
  out.node = pss::Field(spec, key);
  if (out.node == nullptr) return out;
  if (std::optional<int64_t> n = out.node->GetInt()) {
    out.value = n;
    return out;
  }
  if (std::optional<std::string_view> text = out.node->GetString()) {
    std::string_view digits = *text;
    if (!digits.empty() && digits.back() == '%') {
      digits.remove_suffix(1);
      int64_t n = 0;
      bool ok = !digits.empty() && digits.size() <= 9;
      for (char ch : digits) {
        if (ch < '0' || ch > '9') ok = false;
        n = n * 10 + (ch - '0');
      }
      if (ok) {
        out.value = n;
        out.percent = true;
        return out;
      }
    }
  }
  r.InvalidTypeAt(*out.node, "/spec/" + std::string(key), "spec." + std::string(key),
                  "integer or percentage");
  return out;
}

// The workloads whose pods a PodDisruptionBudget counts: replicated
// controllers (not those a Deployment manages), by namespace.
class ReplicatedWorkloads {
 public:
  ReplicatedWorkloads(const core::Inventory& inv, const AutoscalerIndex& hpas) {
    for (const Resource& res : inv.resources()) {
      if (!IsReplicatedKind(res.kind) || OwnedByController(res)) continue;
      const PodSpecView* pod = inv.PodSpecOf(res);
      if (pod == nullptr) continue;
      Verdict scratch;
      CheckReport r(scratch);
      Replicas replicas = ReadReplicas(r, res, hpas);
      if (r.failed()) continue;  // WL-037 reports the type error
      const Node* labels = pod->metadata != nullptr ? pod->metadata->Get("labels") : nullptr;
      by_namespace_[res.effective_namespace()].push_back({&res, labels, replicas.effective});
    }
  }
  struct Entry {
    const Resource* workload;
    const Node* labels;
    int64_t replicas;
  };
  std::span<const Entry> In(std::string_view ns) const {
    auto it = by_namespace_.find(ns);
    if (it == by_namespace_.end()) return {};
    return it->second;
  }

 private:
  std::unordered_map<std::string_view, std::vector<Entry>> by_namespace_;
};

constexpr int64_t kMaxPods = int64_t{1} << 40;

void BudgetBlocksEviction(const Resource& pdb, const ReplicatedWorkloads& workloads, Verdict& v) {
  CheckReport r(v);
  const Node* spec = pdb.root->Get("spec");
  IntOrPercent max_unavailable = ReadIntOrPercent(r, spec, "maxUnavailable");
  IntOrPercent min_available = ReadIntOrPercent(r, spec, "minAvailable");
  if (max_unavailable.value && *max_unavailable.value == 0) {
    r.Add(engine::BadValue(*max_unavailable.node, "/spec/maxUnavailable", "at least 1",
                           "maxUnavailable " + max_unavailable.node->ToJson() +
                               " never allows a pod to be evicted: node drains block"));
  }
  if (min_available.value) {
    // The pods the budget counts: the replicas of the workloads it selects.
    const Node* selector = pss::Field(spec, "selector");
    bool selects = selector != nullptr && selector->IsMapping() &&
                   (selector->size() > 0 || pdb.api_version == "policy/v1");
    int64_t expected = 0;
    const Resource* first = nullptr;
    size_t matched = 0;
    if (selects) {
      core::LabelSelector parsed = workload::ParseSelector(*selector);
      for (const ReplicatedWorkloads::Entry& e : workloads.In(pdb.effective_namespace())) {
        if (!parsed.Matches(workload::SelectedLabels(e.labels))) continue;
        // Saturate: absurd replica counts must not overflow the sum.
        expected = std::min(expected + std::clamp<int64_t>(e.replicas, 0, kMaxPods), kMaxPods);
        if (first == nullptr) first = e.workload;
        ++matched;
      }
    }
    int64_t required = *min_available.value;
    if (min_available.percent && required < 100) {
      // Kubernetes rounds a percentage of the expected pods up.
      required = (required * expected + 99) / 100;
    }
    if (min_available.percent && *min_available.value >= 100) {
      r.Add(engine::BadValue(*min_available.node, "/spec/minAvailable", "below 100%",
                             "minAvailable " + min_available.node->ToJson() +
                                 " never allows a pod to be evicted: node drains block"));
    } else if (expected > 0 && required >= expected) {
      std::string what = matched == 1 ? first->kind + " \"" + first->name + "\""
                                      : std::to_string(matched) + " workloads";
      r.Add(
          engine::BadValue(*min_available.node, "/spec/minAvailable",
                           "below the " + std::to_string(expected) + " pods it selects",
                           "minAvailable " + min_available.node->ToJson() + " requires all " +
                               std::to_string(expected) + " pods of " + what +
                               " to stay available: no pod can be evicted and node drains block"));
    }
  }
  r.Finish("PodDisruptionBudget blocks evictions",
           r.failed() ? "allow at least one pod to be evicted" : "");
}

// An inventory check that runs `check` on every workload kind with replicas,
// given the autoscalers of the input (WL-037, WL-048).
engine::InventoryCheck OverReplicatedWorkloads(void (*check)(const Resource&,
                                                             const AutoscalerIndex&, Verdict&)) {
  return [check](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    AutoscalerIndex hpas(*ctx.inventory);
    for (const Resource& res : ctx.inventory->resources()) {
      if (!IsReplicatedKind(res.kind)) continue;
      Verdict v;
      check(res, hpas, v);
      Emit(res, v, out);
    }
  };
}

void ReplicasWithAutoscaler(const Resource& res, const AutoscalerIndex& hpas, Verdict& v) {
  if (OwnedByController(res)) return v.NotApplicable();
  const AutoscalerIndex::Entry* hpa = hpas.For(res);
  if (hpa == nullptr) return v.NotApplicable();
  const Node* replicas = pss::Field(res.root->Get("spec"), "replicas");
  if (replicas == nullptr) return;
  v.Fail(engine::BadValue(*replicas, "/spec/replicas", "unset (the autoscaler owns the count)",
                          "spec.replicas is set while HorizontalPodAutoscaler \"" + hpa->hpa->name +
                              "\" scales the workload: every apply resets the replica count to " +
                              replicas->ToJson()));
  v.SetMessage("replicas set on an autoscaled workload (remove spec.replicas)");
}

// Whether a pod affinity term or topology spread constraint spreads the
// workload's own pods: a topology key and a selector matching its labels
// (or matchLabelKeys, which adds the pod's own label values).
bool SpreadsOwnPods(const Node& term, const Node* labels) {
  const Node* key = pss::Field(&term, "topologyKey");
  if (key == nullptr || !key->IsString() || key->string_value().empty()) return false;
  const Node* keys = pss::Field(&term, "matchLabelKeys");
  if (keys != nullptr && keys->IsSequence() && keys->size() > 0) return true;
  const Node* selector = pss::Field(&term, "labelSelector");
  return selector != nullptr && selector->IsMapping() &&
         workload::SelectorMatches(*selector, labels);
}

void ReplicasNotSpread(const Resource& res, const AutoscalerIndex& hpas, const PodSpecView* pod,
                       Verdict& v) {
  if (pod == nullptr) return v.NotApplicable();
  CheckReport r(v);
  Replicas replicas = ReadReplicas(r, res, hpas);
  if (r.failed()) return r.Finish("replicas not spread");
  if (replicas.effective < 2) return v.NotApplicable();  // WL-037's concern
  const Node* labels = pod->metadata != nullptr ? pod->metadata->Get("labels") : nullptr;
  Where pw = Where::Pod(*pod);
  const Node* spread =
      pss::GetList(r, pw, pod->spec, "topologySpreadConstraints", "topologySpreadConstraints");
  for (const Node& c : spread != nullptr ? spread->items() : std::span<const Node>{}) {
    if (SpreadsOwnPods(c, labels)) return;
  }
  const Node* affinity = pss::GetObject(r, pw, pod->spec, "affinity", "affinity");
  const Node* anti = pss::GetObject(r, pw, affinity, "podAntiAffinity", "affinity.podAntiAffinity");
  const Node* required = pss::Field(anti, "requiredDuringSchedulingIgnoredDuringExecution");
  for (const Node& t : required != nullptr ? required->items() : std::span<const Node>{}) {
    if (SpreadsOwnPods(t, labels)) return;
  }
  const Node* preferred = pss::Field(anti, "preferredDuringSchedulingIgnoredDuringExecution");
  for (const Node& t : preferred != nullptr ? preferred->items() : std::span<const Node>{}) {
    const Node* term = pss::Field(&t, "podAffinityTerm");
    if (term != nullptr && SpreadsOwnPods(*term, labels)) return;
  }
  std::string count = std::to_string(replicas.effective);
  if (spread != nullptr || anti != nullptr) {
    const Node& at = spread != nullptr ? *spread : *anti;
    std::string_view field =
        spread != nullptr ? "topologySpreadConstraints" : "affinity.podAntiAffinity";
    r.Value(pw, at, field, "a constraint over the workload's own pods",
            "the spreading rules do not select the workload's own pods: its " + count +
                " replicas may all run on one node");
  } else {
    r.Missing(pw, *pod->spec, "topologySpreadConstraints",
              "topologySpreadConstraints or podAntiAffinity over kubernetes.io/hostname",
              "neither topologySpreadConstraints nor podAntiAffinity: the " + count +
                  " replicas may all run on one node");
  }
  r.Finish("replicas not spread across nodes",
           "add a topologySpreadConstraint on kubernetes.io/hostname selecting the pods");
}

// Whether a PriorityClass among the scanned objects is the cluster's default.
bool HasGlobalDefaultPriority(const core::Inventory& inv) {
  for (const Resource* pc : inv.ByKind("PriorityClass")) {
    const Node* global = pc->root->Get("globalDefault");
    if (global != nullptr && global->GetBool() == std::optional<bool>(true)) return true;
  }
  return false;
}

void PriorityClassMissing(const PodSpecView& pod, Verdict& v) {
  CheckReport r(v);
  Where pw = Where::Pod(pod);
  pss::Read<std::string_view> name =
      pss::ReadString(r, pw, pod.spec, "priorityClassName", "priorityClassName");
  if (name.node == nullptr || (name.value && name.value->empty())) {
    r.Missing(pw, *pod.spec, "priorityClassName", "a PriorityClass name",
              "no priorityClassName: the pod gets priority 0 and is among the first preempted "
              "or evicted under node pressure");
  }
  r.Finish("no priority class");
}

constexpr std::string_view kNameLabel = "app.kubernetes.io/name";

void RecommendedLabels(const Resource& res, const RuleContext&, Verdict& v) {
  // Pods a controller created carry the labels of its template.
  if (res.kind == "Pod" && OwnedByController(res)) return v.NotApplicable();
  CheckReport r(v);
  const Node* md = res.metadata();
  const Node* labels = pss::Field(md, "labels");
  if (labels != nullptr && !labels->IsMapping()) {
    r.InvalidTypeAt(*labels, "/metadata/labels", "metadata.labels", "object");
  } else if (pss::Field(labels, kNameLabel) == nullptr) {
    r.Add(engine::MissingField(Nearest(labels, md, *res.root),
                               "/metadata/labels/" + engine::PointerEscape(kNameLabel),
                               "the application's name",
                               "no app.kubernetes.io/name label: tools and people cannot tell "
                               "which application the workload belongs to"));
  }
  r.Finish("recommended labels missing");
}

// ---------------------------------------------------------------------------
// Autoscaler targets (WL-054)

// The objects HorizontalPodAutoscalers may name, by (namespace, kind, name),
// built from only the kinds the autoscalers of the input name.
class ScaleTargetIndex {
 public:
  explicit ScaleTargetIndex(const core::Inventory& inv,
                            std::span<const Resource* const> autoscalers) {
    std::vector<std::string_view> kinds;
    for (const Resource* hpa : autoscalers) {
      const Node* kind = hpa->root->Find({"spec", "scaleTargetRef", "kind"});
      if (kind != nullptr && kind->IsString()) kinds.push_back(kind->string_value());
    }
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    for (std::string_view kind : kinds) {
      for (const Resource* r : inv.ByKind(kind)) {
        targets_.insert(Key{r->effective_namespace(), r->kind, r->name});
      }
    }
    // Namespaces that hold something besides autoscalers: elsewhere the
    // input has nothing to compare with.
    for (const Resource& r : inv.resources()) {
      if (r.kind != "HorizontalPodAutoscaler") namespaces_.insert(r.effective_namespace());
    }
  }
  bool Has(std::string_view ns, std::string_view kind, std::string_view name) const {
    return targets_.count(Key{ns, kind, name}) > 0;
  }
  bool Covers(std::string_view ns) const { return namespaces_.count(ns) > 0; }

 private:
  struct Key {
    std::string_view ns;
    std::string_view kind;
    std::string_view name;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      std::hash<std::string_view> h;
      return (h(k.ns) * 0x9E3779B97F4A7C15ull) ^ (h(k.kind) * 0xC2B2AE3D27D4EB4Full) ^ h(k.name);
    }
  };
  std::unordered_set<Key, KeyHash> targets_;
  std::unordered_set<std::string_view> namespaces_;
};

void AutoscalerTargetMissing(const Resource& hpa, const ScaleTargetIndex& targets, Verdict& v) {
  if (!targets.Covers(hpa.effective_namespace())) return v.NotApplicable();
  CheckReport r(v);
  const Node* spec = pss::Field(hpa.root, "spec");
  if (spec != nullptr && !spec->IsMapping()) {
    r.InvalidTypeAt(*spec, "/spec", "spec", "object");
    return r.Finish("autoscaler target missing");
  }
  const Node* ref = pss::Field(spec, "scaleTargetRef");
  if (ref == nullptr) {
    r.Add(engine::MissingField(spec != nullptr ? *spec : *hpa.root, "/spec/scaleTargetRef",
                               "the kind and name of the workload to scale",
                               "the autoscaler names no target"));
    return r.Finish("autoscaler target missing");
  }
  if (!ref->IsMapping()) {
    r.InvalidTypeAt(*ref, "/spec/scaleTargetRef", "spec.scaleTargetRef", "object");
    return r.Finish("autoscaler target missing");
  }
  const Node* kind = pss::Field(ref, "kind");
  const Node* name = pss::Field(ref, "name");
  for (auto [node, key] : {std::pair{kind, "kind"}, std::pair{name, "name"}}) {
    std::string pointer = "/spec/scaleTargetRef/" + std::string(key);
    if (node == nullptr) {
      r.Add(engine::MissingField(*ref, pointer, "the target's " + std::string(key),
                                 "scaleTargetRef has no " + std::string(key)));
    } else if (!node->IsString()) {
      r.InvalidTypeAt(*node, pointer, "spec.scaleTargetRef." + std::string(key), "string");
    }
  }
  if (r.failed()) return r.Finish("autoscaler target missing");
  std::string_view ns = hpa.effective_namespace();
  if (targets.Has(ns, kind->string_value(), name->string_value())) return;
  r.Add(engine::BadValue(
      *name, "/spec/scaleTargetRef/name",
      "the name of a " + std::string(kind->string_value()) + " in namespace " + std::string(ns),
      "no " + std::string(kind->string_value()) + " \"" + std::string(name->string_value()) +
          "\" in namespace " + std::string(ns) + " among the scanned manifests"));
  r.Finish("autoscaler target missing",
           "the autoscaler scales " + std::string(kind->string_value()) + " \"" +
               std::string(name->string_value()) + "\", which the scanned manifests do not define");
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
       {{"trivy", "KSV029"}, {"trivy", "KSV116"}},
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
        {"kubescape", "C-0261"},
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
       {{"kubescape", "C-0078"},
        {"trivy", "KSV032"},
        {"trivy", "KSV033"},
        {"trivy", "KSV034"},
        {"trivy", "KSV035"}},
       {kImagesDocs}});
  registry_rule.check = OnPodSpec([](const PodSpecView& pod, const RuleContext& ctx, Verdict& v) {
    ImageRegistry(pod, ctx.allowed_registries, v);
  });
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
        {{"trivy", "KSV121"}},
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
        {{"trivy", "KSV121"}, {"kubescape", "C-0020"}},
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
        {{"trivy", "KSV121"}},
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
        {{"trivy", "KSV121"}},
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
    r.check = OnPodSpec([cls, what](const PodSpecView& pod, const RuleContext&, Verdict& v) {
      SensitiveHostPath(pod, cls, what, v);
    });
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
    r.check = OnPodSpec([names, reason](const PodSpecView& pod, const RuleContext&, Verdict& v) {
      CapabilitiesAdded(pod, names, reason, v);
    });
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
       {{"trivy", "KSV119"}},
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
                     {"kubescape", "C-0268"},
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
                     {"kubescape", "C-0009"},
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
                     {"kubescape", "C-0269"},
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
                     {"kubescape", "C-0009"},
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
  liveness.check = OnPodSpec([](const PodSpecView& pod, const RuleContext&, Verdict& v) {
    ProbeMissing(pod, "livenessProbe", v);
  });
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
  readiness.check = OnPodSpec([](const PodSpecView& pod, const RuleContext&, Verdict& v) {
    ProbeMissing(pod, "readinessProbe", v);
  });
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
       {{"polaris", "deploymentMissingReplicas"},
        {"polaris", "hpaMinAvailability"},
        {"kube-score", "deployment-replicas"},
        {"kube-score", "horizontalpodautoscaler-replicas"}},
       {"https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"}});
  single.inventory_check = OverReplicatedWorkloads(&SingleReplica);
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

void RegisterHardeningRules(engine::RuleRegistry& registry) {
  Rule gid = MakeRule(
      {"WL-040",
       "run-as-low-gid",
       "Container group ID below 10000",
       Severity::kLow,
       kWorkload,
       "Low GIDs are the node's own groups (disk, docker, adm, ...). A process that escapes the "
       "container keeps its GID and with it access to whatever those groups own on the host. An "
       "unset runAsGroup leaves the image's group in force, commonly root.",
       "Set securityContext.runAsGroup to 10000 or more (at pod level or on every container).",
       {"nsa:non-root-containers"},
       {{"trivy", "KSV021"}, {"kube-score", "container-security-context-user-group-id"}},
       {kSecurityContextDocs}});
  gid.check = PodCheck(&RunAsLowGid);
  registry.Add(std::move(gid));

  Rule port = MakeRule(
      {"WL-041",
       "privileged-port",
       "Container listens on a port below 1024",
       Severity::kLow,
       kWorkload,
       "Ports below 1024 are privileged on Linux: unless the pod's network namespace lowers "
       "net.ipv4.ip_unprivileged_port_start, a process binds them as root or with "
       "NET_BIND_SERVICE, so such a port usually means the image runs privileged. With "
       "hostNetwork it also claims a well-known port on the node.",
       "Make the application listen on a port of 1024 or more (8080 instead of 80) and map the "
       "well-known port in the Service (port: 80, targetPort: 8080); or set the safe sysctl "
       "net.ipv4.ip_unprivileged_port_start in the pod's securityContext.sysctls.",
       {"nsa:non-root-containers"},
       {{"trivy", "KSV117"}},
       {"https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service",
        kCapabilitiesMan}});
  port.check = PodCheck(&PrivilegedPort);
  registry.Add(std::move(port));

  Rule hosts = MakeRule(
      {"WL-042",
       "host-aliases",
       "Pod overrides name resolution with hostAliases",
       Severity::kLow,
       kWorkload,
       "hostAliases writes fixed entries into every container's /etc/hosts, ahead of DNS: names "
       "silently resolve to addresses nobody audits in DNS, go stale when the address moves, and "
       "can point a client at an impostor service.",
       "Remove spec.hostAliases and publish the names in DNS (a Service, an ExternalName Service "
       "or a CoreDNS hosts entry).",
       {},
       {{"trivy", "KSV007"}},
       {"https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"}});
  hosts.check = PodCheck(&HostAliases);
  registry.Add(std::move(hosts));

  Rule ssh = MakeRule(
      {"WL-043",
       "ssh-server-in-container",
       "Container runs or exposes an SSH server",
       Severity::kMedium,
       kWorkload,
       "An SSH daemon in a container is a remote login that bypasses Kubernetes' authentication, "
       "RBAC and audit logging; it invites password and key brute-forcing and usually means "
       "long-lived credentials baked into the image.",
       "Remove the SSH server and the port 22/2222 declaration; use kubectl exec or ephemeral "
       "debug containers, which Kubernetes authorises and audits.",
       {"mitre:T1133"},
       {{"kubescape", "C-0042"}},
       {"https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/"}});
  ssh.check = PodCheck(&SshServer);
  registry.Add(std::move(ssh));

  Rule sudo = MakeRule(
      {"WL-044",
       "sudo-in-command",
       "Container command runs sudo",
       Severity::kMedium,
       kWorkload,
       "A command that calls sudo needs a setuid binary and a sudoers policy in the image and "
       "privilege escalation allowed: whoever gets code execution in the container can take the "
       "same path to root.",
       "Run the command as the user it needs (securityContext.runAsUser), remove sudo from the "
       "image, and set allowPrivilegeEscalation: false.",
       {"nsa:privilege-escalation"},
       {{"kubescape", "C-0062"}},
       {kSecurityContextDocs}});
  sudo.check = PodCheck(&SudoInCommand);
  registry.Add(std::move(sudo));
}

void RegisterOperationsRules(engine::RuleRegistry& registry) {
  Rule concurrency = MakeRule(
      {"WL-045",
       "cronjob-concurrency-allowed",
       "CronJob lets runs overlap",
       Severity::kLow,
       kReliability,
       "With concurrencyPolicy Allow (the default), a run that outlasts its schedule overlaps "
       "with the next one: jobs that are not safe to run twice corrupt data, and slow runs pile "
       "up until they exhaust the namespace's resources.",
       "Set spec.concurrencyPolicy: Forbid (skip a run while one is active) or Replace (stop the "
       "old run), unless overlapping runs are safe.",
       {},
       {},
       {"https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/"
        "#concurrency-policy"}},
      {"CronJob"});
  concurrency.check = &CronJobConcurrency;
  registry.Add(std::move(concurrency));

  Rule hpa =
      MakeRule({"WL-046",
                "autoscaler-cannot-scale",
                "HorizontalPodAutoscaler whose maxReplicas is not above minReplicas",
                Severity::kLow,
                kReliability,
                "When maxReplicas equals minReplicas (1 when unset) the autoscaler can never add a "
                "replica: the workload looks autoscaled but stays at a fixed size under load.",
                "Set spec.maxReplicas above spec.minReplicas, or delete the autoscaler and set the "
                "workload's replicas.",
                {},
                {{"polaris", "hpaMaxAvailability"}},
                {"https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"}},
               {"HorizontalPodAutoscaler"});
  hpa.check = &AutoscalerCannotScale;
  registry.Add(std::move(hpa));

  Rule budget = MakeRule(
      {"WL-047",
       "pod-disruption-budget-blocks-eviction",
       "PodDisruptionBudget that never allows an eviction",
       Severity::kMedium,
       kReliability,
       "A budget with maxUnavailable 0, minAvailable 100%, or a minAvailable as high as the "
       "replicas it covers allows no voluntary eviction: node drains hang, and cluster upgrades "
       "and security patches stall until someone deletes the budget.",
       "Allow at least one disruption: maxUnavailable: 1, or a minAvailable below the replica "
       "count (the autoscaler's minReplicas when one scales the workload).",
       {"nsa:upgrades"},
       {{"polaris", "pdbDisruptionsIsZero"},
        {"polaris", "pdbMinAvailableGreaterThanHPAMinReplicas"},
        {"polaris", "pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas"}},
       {"https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
        "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/"}},
      {"PodDisruptionBudget"});
  budget.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    AutoscalerIndex hpas(*ctx.inventory);
    ReplicatedWorkloads workloads(*ctx.inventory, hpas);
    for (const Resource* pdb : ctx.inventory->ByKind("PodDisruptionBudget")) {
      Verdict v;
      BudgetBlocksEviction(*pdb, workloads, v);
      Emit(*pdb, v, out);
    }
  };
  registry.Add(std::move(budget));

  Rule fixed = MakeRule(
      {"WL-048",
       "replicas-set-with-autoscaler",
       "Autoscaled workload also sets spec.replicas",
       Severity::kLow,
       kReliability,
       "When a HorizontalPodAutoscaler scales a workload whose manifest sets spec.replicas, "
       "every apply of the manifest resets the replica count, scaling a loaded workload down "
       "until the autoscaler reacts again.",
       "Remove spec.replicas from the manifest of a workload that an autoscaler scales; the "
       "autoscaler's minReplicas sets the floor.",
       {},
       {{"kube-score", "deployment-targeted-by-hpa-does-not-have-replicas-configured"}},
       {"https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"
        "#migrating-deployments-and-statefulsets-to-horizontal-autoscaling"}});
  fixed.inventory_check = OverReplicatedWorkloads(&ReplicasWithAutoscaler);
  registry.Add(std::move(fixed));

  Rule spread = MakeRule(
      {"WL-049",
       "replicas-not-spread",
       "Replicated workload not spread across nodes",
       Severity::kLow,
       kReliability,
       "Without topologySpreadConstraints or pod anti-affinity on its own pods, the scheduler "
       "may place several or all replicas of a workload on one node, and losing that node takes "
       "them down together.",
       "Add a topologySpreadConstraint with topologyKey kubernetes.io/hostname (and one on "
       "topology.kubernetes.io/zone) whose labelSelector matches the pod template's labels, or "
       "an equivalent podAntiAffinity term.",
       {},
       {{"polaris", "topologySpreadConstraint"},
        {"kube-score", "deployment-has-host-podantiaffinity"},
        {"kube-score", "statefulset-has-host-podantiaffinity"}},
       {"https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/"
        "#inter-pod-affinity-and-anti-affinity"}});
  spread.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    AutoscalerIndex hpas(*ctx.inventory);
    for (const Resource& res : ctx.inventory->resources()) {
      if (res.kind != "Deployment" && res.kind != "StatefulSet") continue;
      Verdict v;
      ReplicasNotSpread(res, hpas, ctx.inventory->PodSpecOf(res), v);
      Emit(res, v, out);
    }
  };
  registry.Add(std::move(spread));

  Rule priority = MakeRule(
      {"WL-050",
       "priority-class-missing",
       "Pod without a priority class",
       Severity::kInfo,
       kReliability,
       "Without priorityClassName a pod gets priority 0 (unless a PriorityClass is the "
       "cluster's global default): under resource pressure the scheduler preempts it and the "
       "kubelet evicts it before anything that declared its importance.",
       "Set spec.priorityClassName to a PriorityClass that reflects how critical the workload "
       "is, or define a globalDefault PriorityClass.",
       {},
       {{"polaris", "priorityClassNotSet"}},
       {"https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/"}});
  priority.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    bool global_default = HasGlobalDefaultPriority(*ctx.inventory);
    for (const PodSpecView& pod : ctx.inventory->pod_specs()) {
      Verdict v;
      if (!global_default) PriorityClassMissing(pod, v);
      Emit(*pod.resource, v, out);
    }
  };
  registry.Add(std::move(priority));

  Rule labels = MakeRule(
      {"WL-051",
       "recommended-labels-missing",
       "Workload without the app.kubernetes.io/name label",
       Severity::kInfo,
       kWorkload,
       "The recommended app.kubernetes.io labels tell dashboards, cost and security tools, and "
       "the people reading their findings, which application a workload belongs to; without "
       "them ownership is guesswork during an incident.",
       "Add metadata.labels app.kubernetes.io/name (and app.kubernetes.io/instance, version, "
       "component, part-of, managed-by where they apply) to the workload.",
       {},
       {{"kubescape", "C-0077"}},
       {"https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/"}});
  labels.check = &RecommendedLabels;
  registry.Add(std::move(labels));

  Rule env = MakeRule(
      {"WL-052",
       "env-var-duplicated",
       "Container defines an environment variable twice",
       Severity::kLow,
       kReliability,
       "When env names a variable twice the last entry silently wins: a reviewer who reads the "
       "first one (a feature flag, a TLS or debug switch, a secret reference) is misled about "
       "what the container runs with, and merge tools such as Kustomize and Helm produce such "
       "duplicates unnoticed.",
       "Keep one entry per variable name in each container's env; move shared values to an "
       "envFrom ConfigMap and override them in env.",
       {},
       {{"kube-score", "environment-variable-key-duplication"}, {"kubescape", "C-0295"}},
       {"https://kubernetes.io/docs/tasks/inject-data-application/"
        "define-environment-variable-container/"}});
  env.check = PodCheck(&EnvVarDuplicated);
  registry.Add(std::move(env));
}

void RegisterLinuxHardeningAndTargetRules(engine::RuleRegistry& registry) {
  Rule hardening = MakeRule(
      {"WL-053",
       "no-linux-hardening",
       "Container without any Linux hardening",
       Severity::kMedium,
       kWorkload,
       "A container with no seccomp profile, no AppArmor profile, no SELinux label and the "
       "runtime's default capabilities meets the kernel with no confinement beyond namespaces: "
       "every system call and every default capability is available to an intruder trying to "
       "escape to the node.",
       "Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or on each "
       "container) and capabilities.drop: [ALL] on each container; AppArmor (appArmorProfile) "
       "or SELinux (seLinuxOptions) profiles add further confinement where the nodes use them.",
       {"nsa:container-hardening", "mitre:T1611"},
       {{"polaris", "linuxHardening"}, {"kubescape", "C-0055"}},
       {kSecurityContextDocs, "https://kubernetes.io/docs/tutorials/security/seccomp/",
        "https://kubernetes.io/docs/tutorials/security/apparmor/"}});
  hardening.check = PodCheck(&NoLinuxHardening);
  registry.Add(std::move(hardening));

  Rule target = MakeRule(
      {"WL-054",
       "autoscaler-target-missing",
       "HorizontalPodAutoscaler scales an object the manifests do not define",
       Severity::kLow,
       kReliability,
       "An autoscaler whose scaleTargetRef names no object of that kind and name in its "
       "namespace scales nothing: the workload it was meant for keeps a fixed size under load, "
       "usually after a rename. Namespaces that hold nothing but autoscalers in the input are "
       "not evaluated.",
       "Set spec.scaleTargetRef (apiVersion, kind, name) to the workload the autoscaler is meant "
       "for, or delete the stale autoscaler.",
       {},
       {{"kube-score", "horizontalpodautoscaler-has-target"}},
       {"https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
        "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/"
        "horizontal-pod-autoscaler-v2/"}},
      {"HorizontalPodAutoscaler"});
  target.inventory_check = [](const Rule&, const RuleContext& ctx, std::vector<Finding>& out) {
    std::vector<const Resource*> hpas = ctx.inventory->ByKind("HorizontalPodAutoscaler");
    if (hpas.empty()) return;
    ScaleTargetIndex targets(*ctx.inventory, hpas);
    for (const Resource* hpa : hpas) {
      if (!hpa->api_version.starts_with("autoscaling/")) continue;
      Verdict v;
      AutoscalerTargetMissing(*hpa, targets, v);
      Emit(*hpa, v, out);
    }
  };
  registry.Add(std::move(target));
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
  RegisterHardeningRules(registry);
  RegisterOperationsRules(registry);
  RegisterLinuxHardeningAndTargetRules(registry);
}

}  // namespace kspm::rules
