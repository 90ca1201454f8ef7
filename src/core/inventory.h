// Resource and Inventory: every Kubernetes object of a scan, indexed, with
// derived views built once (the pod spec of every workload kind).
//
// An Inventory owns its Documents; Resources and views point into them and
// stay valid for the Inventory's lifetime. Built once, then read-only: safe to
// share between evaluation threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/decode.h"
#include "core/document.h"

namespace kspm::core {

struct Resource {
  std::string api_version;
  std::string kind;
  std::string name;        // metadata.name, or metadata.generateName + "*"
  std::string namespace_;  // as written; empty when absent
  bool cluster_scoped = false;
  const Node* root = nullptr;          // the object (a List item's own node)
  const Document* document = nullptr;  // where it came from
  std::string pointer;  // JSON pointer of the object within its document ("" or "/items/3")
  uint32_t order = 0;   // stable index in the inventory

  // The namespace the object lives in: as written, else "default" for
  // namespaced kinds, empty for cluster-scoped ones.
  std::string_view effective_namespace() const;
  const std::string& file() const { return document->file(); }
  Position position() const { return root->position(); }
  const Node* metadata() const { return root->Get("metadata"); }
  // metadata.annotations[key] as a string, or nullptr.
  const Node* Annotation(std::string_view key) const;
  const Node* Label(std::string_view key) const;
  // "Kind/namespace/name" for messages.
  std::string DisplayName() const;
};

enum class ContainerKind { kContainer, kInitContainer, kEphemeralContainer };

std::string_view ContainerListField(ContainerKind kind);  // "containers", ...

struct ContainerRef {
  ContainerKind kind = ContainerKind::kContainer;
  const Node* node = nullptr;  // the container object
  std::string_view name;
  std::string pointer;  // JSON pointer relative to the resource root
};

// The pod spec inside any workload kind.
struct PodSpecView {
  const Resource* resource = nullptr;
  const Node* spec = nullptr;  // the PodSpec (never null in a view)
  const Node* metadata =
      nullptr;               // the pod's metadata (template metadata for controllers); may be null
  std::string spec_pointer;  // "/spec" for a Pod, "/spec/template/spec" for a Deployment
  std::string metadata_pointer;          // "/metadata" or "/spec/template/metadata"
  std::vector<ContainerRef> containers;  // containers, then init, then ephemeral
};

// True for the kinds whose objects carry a pod spec.
bool IsWorkloadKind(std::string_view kind);
bool IsClusterScopedKind(std::string_view kind);

// A note about input that was skipped on purpose (not an error).
class Inventory {
 public:
  Inventory() = default;
  Inventory(Inventory&&) = default;
  Inventory& operator=(Inventory&&) = default;

  // Adds every object of a decoded document (List items expanded); documents
  // that are not objects, or lack apiVersion/kind, are skipped with a note.
  void AddDocument(Document doc, std::vector<Diagnostic>& notes);
  // Builds indexes and views; call once after the last AddDocument.
  void Finish();

  const std::vector<Resource>& resources() const { return resources_; }
  std::vector<const Resource*> ByKind(std::string_view kind) const;
  std::vector<const Resource*> InNamespace(std::string_view ns) const;
  const Resource* Find(std::string_view kind, std::string_view ns, std::string_view name) const;
  // The pod spec view of a workload, or nullptr.
  const PodSpecView* PodSpecOf(const Resource& r) const;
  const std::vector<PodSpecView>& pod_specs() const { return pod_specs_; }
  std::vector<std::string> Namespaces() const;

  // A view derived from the inventory (the network model, the RBAC graph),
  // built by `build()` on the first request for `key` and shared by every
  // later one: the rules that need the same view, on any thread, build it
  // once. The view must depend only on the inventory and what `key` names.
  template <typename T, typename Build>
  std::shared_ptr<const T> View(const std::string& key, const Build& build) const {
    ViewSlot& slot = views_->Slot(key);
    std::call_once(slot.once, [&] { slot.value = std::make_shared<const T>(build()); });
    return std::static_pointer_cast<const T>(slot.value);
  }
  // Forgets every view (those still held elsewhere live on): the engine calls
  // it once the rules have run, so the models do not add to the peak while
  // the report is written. Not to be called while rules run.
  void DropViews() const { views_->Clear(); }

 private:
  struct ViewSlot {
    std::once_flag once;
    std::shared_ptr<const void> value;
  };
  class ViewCache {
   public:
    ViewSlot& Slot(const std::string& key) {
      std::lock_guard<std::mutex> lock(mutex_);
      std::unique_ptr<ViewSlot>& slot = slots_[key];
      if (!slot) slot = std::make_unique<ViewSlot>();
      return *slot;
    }
    void Clear() {
      std::lock_guard<std::mutex> lock(mutex_);
      slots_.clear();
    }

   private:
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<ViewSlot>, std::less<>> slots_;
  };

  void AddObject(const Document& doc, const Node& obj, std::string pointer,
                 std::string_view default_api_version, std::string_view default_kind,
                 std::vector<Diagnostic>& notes);

  std::vector<std::unique_ptr<Document>> documents_;
  std::vector<Resource> resources_;
  std::vector<PodSpecView> pod_specs_;
  std::vector<int32_t> pod_spec_index_;  // per resource order; -1 if none
  std::multimap<std::string, uint32_t, std::less<>> by_kind_;
  std::unique_ptr<ViewCache> views_ = std::make_unique<ViewCache>();
};

}  // namespace kspm::core
