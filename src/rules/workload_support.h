// Building blocks of the workload hardening family (workload.cpp): how
// container runtimes read image references and capability names, how the
// kubelet sees hostPath paths, which node paths are sensitive, and how label
// selectors match. docs/rules/workload.md describes the semantics.
//
// Pure functions of their arguments, thread-safe. The parsers return views
// into their input and never allocate, so rules can call them on every
// container of every workload.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/label_selector.h"
#include "core/node.h"
#include "core/result.h"

namespace kspm::rules::workload {

// ---------------------------------------------------------------------------
// Image references (the grammar of github.com/distribution/reference)

struct ImageRef {
  // The registry as written ("registry.example.com:5000"), or "docker.io" when
  // the reference names none; "index.docker.io" reads as "docker.io".
  std::string_view domain;
  // The repository after the domain, as written ("team/app", or "nginx" for
  // Docker Hub's official images, which are "library/nginx").
  std::string_view path;
  std::string_view tag;     // empty when the reference has none
  std::string_view digest;  // "sha256:…" after '@'; empty when not pinned
  bool implicit_domain = false;
};

ImageRef ParseImageRef(std::string_view image);

// The tag that is pulled is mutable "latest": no digest, and no tag or "latest".
inline bool UsesLatest(const ImageRef& ref) {
  return ref.digest.empty() && (ref.tag.empty() || ref.tag == "latest");
}

// Whether an allow-list entry admits the image. Entries are a registry
// ("registry.example.com", "docker.io"), a registry with a repository prefix
// matched at a path boundary ("ghcr.io/acme"), or "*.suffix" for every
// subdomain of a registry domain ("*.dkr.ecr.eu-west-1.amazonaws.com").
// Registry names compare case-insensitively, repositories exactly; Docker
// Hub's official images sit under "docker.io/library".
bool RegistryAllows(std::string_view entry, const ImageRef& ref);

// The `allowedRegistries:` list of a .kspm.yaml (any document); empty when
// absent. Errors name file:line:column.
Result<std::vector<std::string>> ReadAllowedRegistries(const std::string& file,
                                                       std::string_view content);

// ---------------------------------------------------------------------------
// Capabilities

// Whether a capability as written in securityContext.capabilities names
// `name` ("SYS_ADMIN"): runtimes upper-case it and add the "CAP_" prefix
// themselves, so "sys_admin" and "CAP_SYS_ADMIN" count too.
bool CapabilityIs(std::string_view written, std::string_view name);

// ---------------------------------------------------------------------------
// Commands

// Whether a container's command or argument `text` runs `program`: some word
// of it, split the way a shell splits a command line (blanks and the
// operators ; & | ( ) < > ` and quotes), is the program's name or a path
// ending in it ("sudo", "/usr/bin/sudo"). Never allocates.
bool CommandRuns(std::string_view text, std::string_view program);

// ---------------------------------------------------------------------------
// hostPath paths

// Lexically normalised absolute path: repeated slashes collapsed, "." and
// ".." resolved, no trailing slash ("/var//run/../log/" -> "/var/log"). A
// relative path is read from "/".
std::string NormalizeHostPath(std::string_view path);

// Whether normalised `path` is `base` or lies inside it.
bool PathWithin(std::string_view path, std::string_view base);

// The classes of node paths whose hostPath mount has its own rule.
enum class HostPathClass {
  kRoot,           // "/" itself
  kRuntimeSocket,  // container runtime API sockets and the folders holding them
  kNodeConfig,     // node configuration and credentials: /etc, /root, kubelet and etcd state
  kKernel,         // kernel and device interfaces: /proc, /sys, /dev, /boot, modules
  kSystem,         // binaries, libraries, CNI plugins, container runtime storage
  kLogs,           // /var/log
};

// When normalised `path` exposes something of `cls`, the sensitive node path
// it exposes (itself, a path inside it, or a path it contains); empty
// otherwise. "/" belongs to kRoot only. A few well-known harmless files
// (time zone data, CA bundles) are not counted.
std::string_view SensitivePathMatch(HostPathClass cls, std::string_view path);

// ---------------------------------------------------------------------------
// Label selectors

// A metav1.LabelSelector of a PodDisruptionBudget, topology spread
// constraint or affinity term, read by core::LabelSelector. An empty selector
// selects everything; one that is not an object (null included), has an
// unknown operator or a malformed part selects nothing. `values` is not
// checked (NotIn without values selects everything, values beside Exists are
// ignored) and an expression key may be empty, as the rules always read them.
// Parse once and match many: matching does not allocate.
core::LabelSelector ParseSelector(const core::Node& selector);
// `labels` (a mapping, or nullptr for none) as the rules match them: a
// non-string value is present but equals no selector value.
core::LabelSet SelectedLabels(const core::Node* labels);
// ParseSelector(selector).Matches(SelectedLabels(labels)), for one-off checks.
bool SelectorMatches(const core::Node& selector, const core::Node* labels);

// Structural equality of two decoded values (mapping key order ignored).
bool SameValue(const core::Node& a, const core::Node& b);

}  // namespace kspm::rules::workload
