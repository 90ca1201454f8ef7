// Kubernetes label selectors (metav1.LabelSelector) over decoded manifests:
// the one implementation behind NetworkPolicy selection, ClusterRole
// aggregation, webhook namespace selectors and the workload rules' PDB,
// topology spread and anti-affinity matching.
//
// Semantics (LabelSelectorAsSelector): matchLabels and matchExpressions are
// ANDed; operators In, NotIn, Exists, DoesNotExist; NotIn and DoesNotExist
// match objects without the key. Parse reads null or absent, `{}`, and lists
// that are null or empty as the empty selector, which selects everything.
// Callers for which a nil selector selects nothing (policy/v1beta1 PDBs, a
// missing affinity labelSelector) check that before parsing.
//
// Validation: by default Parse rejects what the API server's validation
// rejects (a field other than matchLabels and matchExpressions, which strict
// field validation refuses, a wrong JSON type anywhere, an unknown or missing operator, an
// empty key, In/NotIn without values, Exists/DoesNotExist with values), each
// problem with a JSON pointer and Kubernetes' message. An invalid selector
// matches nothing. SelectorLeniency relaxes the checks some callers have
// always relaxed; it never changes what a valid selector matches.
//
// Ownership and cost: a LabelSelector points into the parsed document (keys
// and values are views) and must not outlive it. Parsing allocates the
// requirement list once; Matches and LabelSet never allocate, so a selector
// parsed once can be matched against every object of a large input. Both are
// immutable after construction and safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/node.h"

namespace kspm::core {

// The label the API server sets on every namespace (Kubernetes 1.21+) to the
// namespace's name.
inline constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

// Something the API server's validation rejects, or a value of the wrong type.
struct FieldProblem {
  std::string pointer;         // JSON pointer relative to the resource root
  const Node* node = nullptr;  // the offending value, or the nearest ancestor
  bool missing = false;        // a required field is absent
  std::string message;
};

// The labels of an object: a mapping node (anything else is no labels), plus
// for a namespace the kubernetes.io/metadata.name label the API server sets,
// which overrides the object's own.
class LabelSet {
 public:
  // A label whose value is not a string cannot exist in a cluster (the API
  // server rejects the object). kAbsent reads it as missing; kUnequal as
  // present with a value no selector value equals (Exists holds).
  enum class NonString : unsigned char { kAbsent, kUnequal };

  LabelSet() = default;
  explicit LabelSet(const Node* labels, NonString non_string = NonString::kAbsent)
      : labels_(labels), non_string_(non_string) {}
  LabelSet(const Node* labels, std::string_view namespace_name)
      : labels_(labels), name_(namespace_name), has_name_(true) {}

  // The string value of a label; nullopt when absent or not a string.
  std::optional<std::string_view> Get(std::string_view key) const;
  // Whether Exists holds for the key (see NonString).
  bool Has(std::string_view key) const;
  const Node* node() const { return labels_; }
  // `key=value,...` in the input's order (string values only), for messages.
  std::string ToString() const;

 private:
  const Node* labels_ = nullptr;
  std::string_view name_;
  bool has_name_ = false;
  NonString non_string_ = NonString::kAbsent;
};

enum class SelectorOp { kIn, kNotIn, kExists, kDoesNotExist };

struct SelectorRequirement {
  std::string_view key;
  SelectorOp op = SelectorOp::kIn;
  std::vector<std::string_view> values;
};

// Checks a caller accepts beyond the API server's validation. Each flag keeps
// the behaviour one caller had before the selectors were unified; none is
// Kubernetes' own.
struct SelectorLeniency {
  // A matchExpressions key may be "" (it then matches only a label "").
  bool empty_keys = false;
  // Non-string items of `values` are skipped, yet count as values for the
  // In/NotIn and Exists/DoesNotExist checks.
  bool non_string_values = false;
  // `values` is not checked at all: anything but a list reads as no values,
  // non-string items are skipped, In/NotIn need none (In then matches
  // nothing, NotIn everything), Exists/DoesNotExist ignore them.
  bool unchecked_values = false;
  // Fields other than matchLabels and matchExpressions are ignored, as a client
  // without strict field validation drops them (the selector may then be
  // empty). By default they make the selector invalid: labels written directly
  // under a selector (`podSelector: {app: web}`) are the usual slip, and kubectl
  // rejects the object.
  bool unknown_fields = false;
};

class LabelSelector {
 public:
  // The empty selector: valid, selects everything.
  LabelSelector() = default;

  // Reads a metav1.LabelSelector; null or absent is the empty selector.
  // Problems, with pointers under `pointer`, are appended to `problems` and
  // make the selector invalid.
  static LabelSelector Parse(const Node* node, std::string_view pointer,
                             std::vector<FieldProblem>& problems, SelectorLeniency leniency = {});
  // A selector from requirements (for callers that build their own, such as
  // a -l flag).
  static LabelSelector Make(std::vector<SelectorRequirement> requirements, bool valid = true);

  bool valid() const { return valid_; }
  // True for a valid selector without requirements: it selects everything.
  bool MatchesEverything() const { return valid_ && requirements_.empty(); }
  // False for an invalid selector. Does not allocate.
  bool Matches(const LabelSet& labels) const;
  const std::vector<SelectorRequirement>& requirements() const { return requirements_; }
  // kubectl's notation: `app=web,tier in (a,b),!debug`; "<all>" when empty,
  // "<invalid>" when invalid.
  std::string ToString() const;

 private:
  std::vector<SelectorRequirement> requirements_;
  bool valid_ = true;
};

}  // namespace kspm::core
