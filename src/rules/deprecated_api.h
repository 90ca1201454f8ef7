// The lifecycle of Kubernetes API versions (data/deprecations.yaml) and what
// it means for one object at a target Kubernetes minor: the data and the pure
// functions behind the API-NNN rules, exposed for their unit tests.
//
// Versions are minors of Kubernetes 1.x (16 means 1.16); 0 means "unknown" for
// `introduced` and "never" for `deprecated` and `removed`. The catalog is
// parsed once, on first use, and read-only afterwards: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/node.h"
#include "core/result.h"

namespace kspm::rules {

struct ApiReplacement {
  std::string api_version;
  std::string kind;  // empty: the same kind
  int since = 0;     // first minor that serves it
};

// One apiVersion and kind of a built-in Kubernetes API group.
struct ApiLifecycle {
  std::string api_version;
  std::string kind;
  int introduced = 0;
  int deprecated = 0;
  int removed = 0;
  bool served_by_default = true;
  std::vector<ApiReplacement> replacements;  // preferred first
  std::string notes;
};

// What the API server of a given minor does with an apiVersion and kind.
enum class ApiState {
  kUnknown,             // not a tracked built-in API (a CRD, or a GA API never deprecated)
  kNotYetServed,        // the target is older than the API
  kServed,              // served by default, not deprecated
  kDeprecated,          // served by default, deprecated (warns on every request)
  kNotServedByDefault,  // alpha, or a beta added after 1.24: needs --runtime-config
  kRemoved,             // no longer served
};

enum class ApiStability { kGA, kBeta, kAlpha };

class ApiCatalog {
 public:
  // The group of an apiVersion ("apps/v1" -> "apps", "v1" -> "").
  static std::string_view Group(std::string_view api_version);
  static ApiStability Stability(std::string_view api_version);

  bool IsBuiltinGroup(std::string_view group) const;
  // The entry for an apiVersion and kind, or nullptr.
  const ApiLifecycle* Find(std::string_view api_version, std::string_view kind) const;
  // The first minor serving apiVersion/kind, from its entry or from the
  // replacements that name it; 0 when the catalog does not know.
  int IntroducedIn(std::string_view api_version, std::string_view kind) const;
  // The state of apiVersion/kind at `minor`. Untracked pre-release versions of
  // built-in groups are kNotServedByDefault from 1.24 on (new betas are off by
  // default since then, alphas always are) and kUnknown before.
  ApiState StateAt(std::string_view api_version, std::string_view kind, int minor) const;
  // The replacement to recommend at `minor`: the first one served then, else
  // the first one; nullptr when the entry has none.
  const ApiReplacement* ReplacementAt(const ApiLifecycle& entry, int minor) const;

  int newest_minor() const { return newest_minor_; }
  const std::vector<ApiLifecycle>& entries() const { return entries_; }
  const std::vector<std::string>& builtin_groups() const { return builtin_groups_; }

 private:
  friend Result<ApiCatalog> ParseApiCatalog(std::string_view file, std::string_view yaml);

  struct FirstServed {
    std::string api_version;
    std::string kind;
    int minor = 0;
  };
  std::vector<ApiLifecycle> entries_;  // sorted by (api_version, kind)
  // IntroducedIn() for every apiVersion/kind the catalog knows, computed once:
  // it runs for every object of a scan.
  std::vector<FirstServed> first_served_;    // sorted by (api_version, kind)
  std::vector<std::string> builtin_groups_;  // sorted
  int newest_minor_ = 0;
};

// Parses a catalog in the format of data/deprecations.yaml. Errors name the
// file, the position and the offending field.
Result<ApiCatalog> ParseApiCatalog(std::string_view file, std::string_view yaml);

// The catalog compiled into the binary. A malformed embedded file is kspm's
// own bug: it aborts with a message.
const ApiCatalog& BuiltinApiCatalog();

// The Pod Security Admission level a PodSecurityPolicy's spec corresponds to:
// "privileged", "baseline" or "restricted", the strictest level that admits
// every pod the policy admits. `why` says what decided it.
std::string_view PsaLevelForPsp(const core::Node& psp, std::string& why);

}  // namespace kspm::rules
