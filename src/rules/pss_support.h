// Building blocks shared by the Pod Security Standards checks (pss_checks.cpp).
//
// Reading: the checks read a manifest the way the API server's typed decoding
// would before pod-security admission sees it: an absent key and an explicit
// null are both "unset"; a value of the wrong JSON type would make the API
// server reject the object, so it is reported as a failure of the check that
// reads it (never silently read as unset). Every Read*/Get* helper reports
// such type errors into the CheckReport itself and then behaves as if unset.
//
// Messages: Kubernetes' own shapes (quote-joined names, singular/plural,
// sorted value sets), so users can match our output with kubectl warnings.
//
// Nothing here allocates unless a check fails: pass paths only walk nodes.
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/node.h"
#include "engine/rule.h"

namespace kspm::rules::pss {

// --- Messages -------------------------------------------------------------

// `"a", "b"`: each item in double quotes, joined by ", " (items are not escaped).
std::string QuoteJoin(std::span<const std::string> items);
std::string QuoteJoin(std::span<const std::string_view> items);
// Items joined by `sep`.
std::string Join(std::span<const std::string> items, std::string_view sep);
// `one` when n == 1, else `many`.
inline std::string_view Plural(size_t n, std::string_view one, std::string_view many) {
  return n == 1 ? one : many;
}
// Sorts and removes duplicates (byte order, like Go's sets.String.List()).
void SortUnique(std::vector<std::string>& items);
// `key="value"` with the value quoted like Go's %q for printable text.
std::string KeyEqualsQuoted(std::string_view key, std::string_view value);
// `container "a"` / `containers "a", "b"`.
std::string ContainersPhrase(std::span<const std::string> names);

// --- Where a field lives ----------------------------------------------------

// The object a field is read from, enough to build its JSON pointer and the
// subject of a message lazily (only when a check fails).
struct Where {
  enum class Kind { kPod, kContainer, kVolume, kMetadata };
  Kind kind = Kind::kPod;
  std::string_view base;  // JSON pointer of the pod spec / container / metadata
  std::string_view name;  // container or volume name
  // An item of a list under `base` (e.g. "volumes", 3); index < 0 when unused.
  std::string_view list;
  int index = -1;

  static Where Pod(const core::PodSpecView& pod);
  static Where Container(const core::ContainerRef& c);
  static Where Volume(const core::PodSpecView& pod, std::string_view name, int index);
  static Where Metadata(const core::PodSpecView& pod);

  // `pod`, `container "x"`, `volume "x"`, `pod metadata`.
  std::string Who() const;
  // JSON pointer of `field` ("securityContext.privileged") below this object.
  std::string Pointer(std::string_view field) const;
};

// --- Reporting --------------------------------------------------------------

// Collects one check's evidence into the Verdict and renders its message.
class CheckReport {
 public:
  explicit CheckReport(engine::Verdict& verdict) : verdict_(verdict) {}

  bool failed() const { return !verdict_.violations().empty(); }

  // A present value that fails the check.
  void Value(const Where& where, const core::Node& node, std::string_view field,
             std::string expected, std::string message);
  // An unset field whose insecure default fails the check; `nearest` is the
  // nearest existing ancestor (for the position).
  void Missing(const Where& where, const core::Node& nearest, std::string_view field,
               std::string expected, std::string message);
  // Evidence built by the caller (pointers that are not a plain field path).
  void Add(engine::Evidence e) { verdict_.Fail(std::move(e)); }
  // A value of the wrong JSON type; the API server would reject the object.
  void InvalidType(const Where& where, const core::Node& node, std::string_view field,
                   std::string_view expected_type);
  void InvalidTypeAt(const core::Node& node, std::string pointer, std::string subject,
                     std::string_view expected_type);

  // When anything failed, sets the finding message to
  // `reason (detail)` — type errors appended to the detail after "; ".
  void Finish(std::string_view reason, std::string detail = {});
  // The detail parts for type errors so far (for tests).
  const std::vector<std::string>& type_errors() const { return type_errors_; }

 private:
  engine::Verdict& verdict_;
  std::vector<std::string> type_errors_;
};

// --- Typed reads --------------------------------------------------------------

// parent[key] under typed decoding: nullptr when parent is null or not a
// mapping, the key is absent, or its value is null.
const core::Node* Field(const core::Node* parent, std::string_view key);

// parent[key] as an object (mapping); nullptr when unset or of another type
// (reported). `field` names it below `where` ("securityContext.capabilities").
const core::Node* GetObject(CheckReport& r, const Where& where, const core::Node* parent,
                            std::string_view key, std::string_view field);
// parent[key] as a list (sequence); nullptr when unset or of another type (reported).
const core::Node* GetList(CheckReport& r, const Where& where, const core::Node* parent,
                          std::string_view key, std::string_view field);

template <typename T>
struct Read {
  const core::Node* node = nullptr;  // the value node when set (also when invalid)
  std::optional<T> value;            // set only when present with the right type
};

Read<bool> ReadBool(CheckReport& r, const Where& where, const core::Node* parent,
                    std::string_view key, std::string_view field);
Read<int64_t> ReadInt(CheckReport& r, const Where& where, const core::Node* parent,
                      std::string_view key, std::string_view field);
Read<std::string_view> ReadString(CheckReport& r, const Where& where, const core::Node* parent,
                                  std::string_view key, std::string_view field);
// An item of a []string: null reads as "" (Go leaves the zero value); another
// type is reported against `pointer`.
std::optional<std::string_view> ReadStringItem(CheckReport& r, const core::Node& item,
                                               const Where& where, std::string_view field,
                                               size_t index);

// --- Pod-level facts several checks share -------------------------------------

// Reports a container list (spec.containers, ...) that is not a list.
void CheckContainerList(CheckReport& r, const core::PodSpecView& pod, core::ContainerKind kind);
// Reports a container entry that is not an object; false when it is unusable.
bool CheckContainerEntry(CheckReport& r, const core::ContainerRef& c);

// Calls fn(container) for every container in Kubernetes' visiting order
// (init, regular, ephemeral), reporting malformed lists and entries.
template <typename Fn>
void VisitContainers(CheckReport& r, const core::PodSpecView& pod, Fn&& fn) {
  for (core::ContainerKind kind :
       {core::ContainerKind::kInitContainer, core::ContainerKind::kContainer,
        core::ContainerKind::kEphemeralContainer}) {
    CheckContainerList(r, pod, kind);
    for (const core::ContainerRef& c : pod.containers) {
      if (c.kind == kind && CheckContainerEntry(r, c)) fn(c);
    }
  }
}

// Calls fn(volume, index, name) for every entry of spec.volumes, reporting
// malformed lists and entries (a null entry is an empty volume, skipped).
template <typename Fn>
void VisitVolumes(CheckReport& r, const core::PodSpecView& pod, Fn&& fn) {
  const core::Node* volumes = GetList(r, Where::Pod(pod), pod.spec, "volumes", "volumes");
  if (volumes == nullptr) return;
  int i = 0;
  for (const core::Node& vol : volumes->items()) {
    int index = i++;
    if (vol.IsNull()) continue;
    const core::Node* name = vol.Get("name");
    std::string_view name_text =
        name != nullptr && name->IsString() ? name->string_value() : std::string_view();
    if (!vol.IsMapping()) {
      r.InvalidTypeAt(vol, Where::Pod(pod).Pointer("volumes") + "/" + std::to_string(index),
                      "pod volumes[" + std::to_string(index) + "]", "object");
      continue;
    }
    fn(vol, index, name_text);
  }
}

// spec.os.name == "windows" (exactly). Type errors in spec.os are reported.
bool IsWindowsPod(CheckReport& r, const core::PodSpecView& pod);
// spec.hostUsers == false (a pod in a user namespace). Type errors reported.
bool InUserNamespace(CheckReport& r, const core::PodSpecView& pod);
// The container's name for messages (as written; empty when not a string).
inline std::string Name(const core::ContainerRef& c) { return std::string(c.name); }

}  // namespace kspm::rules::pss
