#include "core/inventory.h"

#include <algorithm>
#include <set>

namespace kspm::core {

namespace {

constexpr std::string_view kClusterScoped[] = {"APIService",
                                               "CSIDriver",
                                               "CSINode",
                                               "CertificateSigningRequest",
                                               "ClusterRole",
                                               "ClusterRoleBinding",
                                               "ComponentStatus",
                                               "CustomResourceDefinition",
                                               "FlowSchema",
                                               "IngressClass",
                                               "MutatingWebhookConfiguration",
                                               "Namespace",
                                               "Node",
                                               "PersistentVolume",
                                               "PodSecurityPolicy",
                                               "PriorityClass",
                                               "PriorityLevelConfiguration",
                                               "RuntimeClass",
                                               "StorageClass",
                                               "ValidatingAdmissionPolicy",
                                               "ValidatingAdmissionPolicyBinding",
                                               "ValidatingWebhookConfiguration",
                                               "VolumeAttachment",
                                               "MutatingAdmissionPolicy",
                                               "MutatingAdmissionPolicyBinding",
                                               "ClusterIssuer",
                                               "ClusterTrustBundle",
                                               "DeviceClass",
                                               "IPAddress",
                                               "ServiceCIDR",
                                               "StorageVersionMigration",
                                               "VolumeAttributesClass"};

}  // namespace

bool IsWorkloadKind(std::string_view kind) {
  return kind == "Pod" || kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet" ||
         kind == "DaemonSet" || kind == "Job" || kind == "CronJob" ||
         kind == "ReplicationController" || kind == "PodTemplate";
}

bool IsClusterScopedKind(std::string_view kind) {
  return std::find(std::begin(kClusterScoped), std::end(kClusterScoped), kind) !=
         std::end(kClusterScoped);
}

std::string_view ContainerListField(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::kContainer:
      return "containers";
    case ContainerKind::kInitContainer:
      return "initContainers";
    case ContainerKind::kEphemeralContainer:
      return "ephemeralContainers";
  }
  return "containers";
}

std::string_view Resource::effective_namespace() const {
  if (cluster_scoped) return {};
  if (namespace_.empty()) return "default";
  return namespace_;
}

const Node* Resource::Annotation(std::string_view key) const {
  const Node* md = metadata();
  if (md == nullptr) return nullptr;
  const Node* a = md->Get("annotations");
  return a == nullptr ? nullptr : a->Get(key);
}

const Node* Resource::Label(std::string_view key) const {
  const Node* md = metadata();
  if (md == nullptr) return nullptr;
  const Node* a = md->Get("labels");
  return a == nullptr ? nullptr : a->Get(key);
}

std::string Resource::DisplayName() const {
  std::string out = kind + "/";
  std::string_view ns = effective_namespace();
  if (!ns.empty()) {
    out += ns;
    out += "/";
  }
  out += name;
  return out;
}

void Inventory::AddDocument(Document doc, std::vector<Diagnostic>& notes) {
  auto owned = std::make_unique<Document>(std::move(doc));
  const Document& d = *owned;
  documents_.push_back(std::move(owned));
  AddObject(d, d.root(), "", "", "", notes);
}

void Inventory::AddObject(const Document& doc, const Node& obj, std::string pointer,
                          std::string_view default_api_version, std::string_view default_kind,
                          std::vector<Diagnostic>& notes) {
  auto note = [&](std::string message) {
    notes.push_back({DiagnosticLevel::kNote, doc.file(), obj.position(), std::move(message)});
  };
  if (!obj.IsMapping()) {
    if (!obj.IsNull()) {
      note("document " + std::to_string(doc.index()) + " is a " +
           std::string(NodeTypeName(obj.type())) + ", not a Kubernetes object; skipped");
    }
    return;
  }
  const Node* api = obj.Get("apiVersion");
  const Node* kind = obj.Get("kind");
  std::string api_version(api && api->IsString() ? api->string_value() : "");
  std::string kind_name(kind && kind->IsString() ? kind->string_value() : "");
  // Like kubectl, a List item takes its list's type only when it names neither its
  // apiVersion nor its kind.
  if (api == nullptr && kind == nullptr) {
    api_version = default_api_version;
    kind_name = default_kind;
  }
  if (api_version.empty() || kind_name.empty()) {
    note("object without apiVersion or kind; skipped");
    return;
  }
  // kubectl treats any object whose `items` is a list as a List, whatever its kind.
  const Node* items = obj.Get("items");
  if (items != nullptr && (items->IsSequence() || items->IsNull())) {
    bool typed = kind_name != "List" && kind_name.size() > 4 && kind_name.ends_with("List");
    std::string item_kind = typed ? kind_name.substr(0, kind_name.size() - 4) : "";
    std::string item_api = typed ? api_version : "";
    uint32_t i = 0;
    for (const Node& item : items->items()) {
      AddObject(doc, item, pointer + "/items/" + std::to_string(i++), item_api, item_kind, notes);
    }
    return;
  }
  Resource r;
  r.api_version = std::move(api_version);
  r.kind = std::move(kind_name);
  r.root = &obj;
  r.document = &doc;
  r.pointer = std::move(pointer);
  r.cluster_scoped = IsClusterScopedKind(r.kind);
  if (const Node* md = obj.Get("metadata")) {
    if (const Node* n = md->Get("name"); n && n->IsString()) {
      r.name = n->string_value();
    } else if (const Node* g = md->Get("generateName"); g && g->IsString()) {
      r.name = std::string(g->string_value()) + "*";
    }
    if (const Node* ns = md->Get("namespace"); ns && ns->IsString()) {
      r.namespace_ = ns->string_value();
    }
  }
  r.order = static_cast<uint32_t>(resources_.size());
  resources_.push_back(std::move(r));
}

namespace {

void AddContainers(PodSpecView& view, ContainerKind kind) {
  const Node* list = view.spec->Get(ContainerListField(kind));
  if (list == nullptr) return;
  uint32_t i = 0;
  for (const Node& c : list->items()) {
    ContainerRef ref;
    ref.kind = kind;
    ref.node = &c;
    if (const Node* n = c.Get("name"); n && n->IsString()) ref.name = n->string_value();
    ref.pointer =
        view.spec_pointer + "/" + std::string(ContainerListField(kind)) + "/" + std::to_string(i++);
    view.containers.push_back(std::move(ref));
  }
}

}  // namespace

void Inventory::Finish() {
  pod_spec_index_.assign(resources_.size(), -1);
  pod_specs_.clear();
  by_kind_.clear();
  for (const Resource& r : resources_) {
    by_kind_.emplace(r.kind, r.order);
    if (!IsWorkloadKind(r.kind)) continue;
    PodSpecView view;
    view.resource = &r;
    const Node* root = r.root;
    if (r.kind == "Pod") {
      view.spec = root->Get("spec");
      view.metadata = root->Get("metadata");
      view.spec_pointer = "/spec";
      view.metadata_pointer = "/metadata";
    } else if (r.kind == "PodTemplate") {
      view.spec = root->Find({"template", "spec"});
      view.metadata = root->Find({"template", "metadata"});
      view.spec_pointer = "/template/spec";
      view.metadata_pointer = "/template/metadata";
    } else if (r.kind == "CronJob") {
      view.spec = root->Find({"spec", "jobTemplate", "spec", "template", "spec"});
      view.metadata = root->Find({"spec", "jobTemplate", "spec", "template", "metadata"});
      view.spec_pointer = "/spec/jobTemplate/spec/template/spec";
      view.metadata_pointer = "/spec/jobTemplate/spec/template/metadata";
    } else {
      view.spec = root->Find({"spec", "template", "spec"});
      view.metadata = root->Find({"spec", "template", "metadata"});
      view.spec_pointer = "/spec/template/spec";
      view.metadata_pointer = "/spec/template/metadata";
    }
    if (view.spec == nullptr || !view.spec->IsMapping()) continue;
    AddContainers(view, ContainerKind::kContainer);
    AddContainers(view, ContainerKind::kInitContainer);
    AddContainers(view, ContainerKind::kEphemeralContainer);
    pod_spec_index_[r.order] = static_cast<int32_t>(pod_specs_.size());
    pod_specs_.push_back(std::move(view));
  }
}

std::vector<const Resource*> Inventory::ByKind(std::string_view kind) const {
  std::vector<const Resource*> out;
  auto [lo, hi] = by_kind_.equal_range(kind);
  for (auto it = lo; it != hi; ++it) out.push_back(&resources_[it->second]);
  std::sort(out.begin(), out.end(),
            [](const Resource* a, const Resource* b) { return a->order < b->order; });
  return out;
}

std::vector<const Resource*> Inventory::InNamespace(std::string_view ns) const {
  std::vector<const Resource*> out;
  for (const Resource& r : resources_) {
    if (r.effective_namespace() == ns) out.push_back(&r);
  }
  return out;
}

const Resource* Inventory::Find(std::string_view kind, std::string_view ns,
                                std::string_view name) const {
  auto [lo, hi] = by_kind_.equal_range(kind);
  for (auto it = lo; it != hi; ++it) {
    const Resource& r = resources_[it->second];
    if (r.name == name && r.effective_namespace() == ns) return &r;
  }
  return nullptr;
}

const PodSpecView* Inventory::PodSpecOf(const Resource& r) const {
  if (r.order >= pod_spec_index_.size()) return nullptr;
  int32_t i = pod_spec_index_[r.order];
  return i < 0 ? nullptr : &pod_specs_[i];
}

std::vector<std::string> Inventory::Namespaces() const {
  std::set<std::string> set;
  for (const Resource& r : resources_) {
    if (!r.cluster_scoped) set.emplace(r.effective_namespace());
  }
  return {set.begin(), set.end()};
}

}  // namespace kspm::core
