// Secrets: credentials in plain text (env values, commands, ConfigMaps, Secret
// manifests, metadata, other resources), Secrets passed through environment
// variables, Secret data that is not base64, the copy of a Secret that
// `kubectl apply` keeps in an annotation, and long-lived service account tokens.
//
// Findings never carry a secret: evidence `actual` is a redacted fingerprint
// (secret_patterns.h Fingerprint), messages name keys and kinds of credential
// only. See docs/rules/secrets.md.
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "rules/builtin.h"
#include "rules/secret_patterns.h"

namespace kspm::rules {
namespace {

using core::ContainerRef;
using core::Member;
using core::Node;
using core::PodSpecView;
using core::Resource;
using engine::Evidence;
using engine::Rule;
using engine::RuleContext;
using engine::Severity;
using engine::Verdict;
using secrets::CredentialKind;
using secrets::CredentialMatch;
using secrets::SecretMatcher;

constexpr const char* kSecretDocs = "https://kubernetes.io/docs/concepts/configuration/secret/";
constexpr const char* kSecretGoodPractices =
    "https://kubernetes.io/docs/concepts/security/secrets-good-practices/";
constexpr const char* kConfigMapDocs =
    "https://kubernetes.io/docs/concepts/configuration/configmap/";
constexpr const char* kCisBenchmark = "https://www.cisecurity.org/benchmark/kubernetes";
constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";
constexpr const char* kNoPlainCredential =
    "no credential in plain text: a reference to a Secret or an external secret store";

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Index(size_t i) { return std::to_string(i); }

// The text a check reads from a field that should be a string. Mappings and
// sequences where a string belongs (the API server would reject them) are read
// as their JSON text, so nothing can hide a credential by being mistyped.
// Numbers, booleans and null hold no credential.
std::string_view TextOf(const Node& n, std::string& storage) {
  if (auto s = n.GetString()) return *s;
  if (n.IsMapping() || n.IsSequence()) {
    storage = n.ToJson();
    return storage;
  }
  return {};
}

bool SingleLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s.find('\n') == std::string_view::npos;
}

// Every credential in one value: known formats (and credential assignments)
// anywhere in it, else the whole value when `key` is credential-like and the
// value is a single line. Appends to `out`; allocates only when it finds one.
void FindCredentials(std::string_view key, std::string_view value,
                     std::vector<CredentialMatch>& out) {
  size_t before = out.size();
  SecretMatcher::Default().Scan(value, out);
  if (out.size() > before || key.empty() || !SingleLine(value)) return;
  if (auto m = secrets::MatchKeyValue(key, value)) out.push_back(*m);
}

std::string WithArticle(std::string_view noun) {
  char c = noun.empty() ? 'x' : noun.front();
  bool vowel = c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'a' || c == 'e' || c == 'i' ||
               c == 'o' || c == 'u';
  return std::string(vowel ? "an " : "a ") + std::string(noun);
}

// "an AWS access key id and a literal credential (key "db.password")".
std::string KindsPhrase(const std::vector<CredentialMatch>& found) {
  std::vector<std::string> parts;
  for (const CredentialMatch& m : found) {
    std::string part = WithArticle(secrets::CredentialKindName(m.kind));
    if (m.kind == CredentialKind::kAssignment && !m.key.empty() && m.key.size() <= 64) {
      part += " (key " + Quote(m.key) + ")";
    }
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
  }
  constexpr size_t kMax = 3;
  std::string out;
  for (size_t i = 0; i < parts.size() && i < kMax; ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  if (parts.size() > kMax) out += " and " + std::to_string(parts.size() - kMax) + " more";
  return out;
}

// The redacted fingerprints of what was found, as a JSON string.
std::string FingerprintsJson(std::string_view text, const std::vector<CredentialMatch>& found) {
  std::string joined;
  constexpr size_t kMax = 3;
  for (size_t i = 0; i < found.size() && i < kMax; ++i) {
    if (i > 0) joined += ", ";
    const CredentialMatch& m = found[i];
    joined += secrets::Fingerprint(text.substr(m.begin, m.end - m.begin), m.public_prefix);
  }
  if (found.size() > kMax) joined += ", +" + std::to_string(found.size() - kMax) + " more";
  std::string json;
  core::AppendJsonString(json, joined);
  return json;
}

Evidence CredentialEvidence(const Node& at, std::string pointer, std::string_view text,
                            const std::vector<CredentialMatch>& found, const std::string& where) {
  Evidence e;
  e.pointer = std::move(pointer);
  e.reason = engine::EvidenceReason::kValue;
  e.actual = FingerprintsJson(text, found);
  e.expected = kNoPlainCredential;
  e.position = at.position();
  e.message = where + " holds " + KindsPhrase(found) + " in plain text";
  return e;
}

// One violation: its own message; several: "3 env values hold credentials in
// plain text".
void Summarize(Verdict& v, std::string_view many, std::string_view tail) {
  size_t n = v.violations().size();
  if (n == 0) return;
  if (n == 1) return v.SetMessage(v.violations().front().message);
  v.SetMessage(std::to_string(n) + " " + std::string(many) + " " + std::string(tail));
}

std::string ContainerWho(const ContainerRef& c) {
  std::string_view field = core::ContainerListField(c.kind);
  std::string who = field == "containers"       ? "container"
                    : field == "initContainers" ? "init container"
                                                : "ephemeral container";
  return who + " " + Quote(c.name);
}

const PodSpecView* PodSpecOrNotApplicable(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = ctx.inventory->PodSpecOf(res);
  if (pod == nullptr) v.NotApplicable();
  return pod;
}

Rule SecretsRule(std::string id, std::string slug, Severity severity) {
  Rule r;
  r.info.id = std::move(id);
  r.info.slug = std::move(slug);
  r.info.severity = severity;
  r.info.category = "secrets";
  return r;
}

// --- SEC-001 env values -------------------------------------------------------------

void CheckEnvValues(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
  if (pod == nullptr) return;
  std::vector<CredentialMatch> found;
  std::string storage;
  for (const ContainerRef& c : pod->containers) {
    const Node* env = c.node->Get("env");
    if (env == nullptr) continue;
    for (size_t i = 0; i < env->items().size(); ++i) {
      const Node& var = env->items()[i];
      const Node* value = var.Get("value");
      if (value == nullptr) continue;
      std::string_view name;
      if (const Node* n = var.Get("name")) name = n->GetString().value_or("");
      std::string_view text = TextOf(*value, storage);
      found.clear();
      FindCredentials(name, text, found);
      if (found.empty()) continue;
      v.Fail(CredentialEvidence(*value, c.pointer + "/env/" + Index(i) + "/value", text, found,
                                "env var " + Quote(name) + " of " + ContainerWho(c)));
    }
  }
  Summarize(v, "env values hold credentials", "in plain text");
}

// --- SEC-002 commands, arguments, probes and hooks -----------------------------------

// Where a command list or header list sits in a container; strings are only
// joined into pointers and messages when something is found.
struct CommandField {
  std::string_view path;  // below the container: "args", "livenessProbe/exec/command"
  std::string_view what;  // "args", "the exec command of livenessProbe"
};

std::string FieldPointer(const ContainerRef& c, std::string_view path, size_t i) {
  return c.pointer + "/" + std::string(path) + "/" + Index(i);
}

// Scans one command list; a credential-like flag followed by a separate value
// (`--password`, `hunter2`) counts as an assignment.
void CheckCommandList(const Node* list, const ContainerRef& c, CommandField field, Verdict& v) {
  if (list == nullptr) return;
  std::vector<CredentialMatch> found;
  std::string storage;
  std::string prev_storage;
  std::span<const Node> items = list->items();
  for (size_t i = 0; i < items.size(); ++i) {
    std::string_view text = TextOf(items[i], storage);
    found.clear();
    SecretMatcher::Default().Scan(text, found);
    if (found.empty() && i > 0) {
      std::string_view flag = TextOf(items[i - 1], prev_storage);
      bool is_flag = flag.size() > 1 && flag.front() == '-' && flag.find('=') == flag.npos;
      if (is_flag && !text.starts_with("-")) {
        if (auto m = secrets::MatchKeyValue(flag, text)) found.push_back(*m);
      }
    }
    if (found.empty()) continue;
    v.Fail(CredentialEvidence(
        items[i], FieldPointer(c, field.path, i), text, found,
        "item " + Index(i) + " of " + std::string(field.what) + " of " + ContainerWho(c)));
  }
}

void CheckHeaders(const Node* headers, const ContainerRef& c, CommandField field, Verdict& v) {
  if (headers == nullptr) return;
  std::vector<CredentialMatch> found;
  std::string storage;
  for (size_t i = 0; i < headers->items().size(); ++i) {
    const Node& h = headers->items()[i];
    const Node* value = h.Get("value");
    if (value == nullptr) continue;
    std::string_view name;
    if (const Node* n = h.Get("name")) name = n->GetString().value_or("");
    std::string_view text = TextOf(*value, storage);
    found.clear();
    FindCredentials(name, text, found);
    if (found.empty()) continue;
    v.Fail(CredentialEvidence(
        *value, FieldPointer(c, field.path, i) + "/value", text, found,
        "header " + Quote(name) + " of " + std::string(field.what) + " of " + ContainerWho(c)));
  }
}

struct Handler {
  std::initializer_list<std::string_view> path;  // from the container to the handler
  CommandField command;
  CommandField headers;
};

const Handler kHandlers[] = {
    {{"livenessProbe"},
     {"livenessProbe/exec/command", "the exec command of the livenessProbe"},
     {"livenessProbe/httpGet/httpHeaders", "the livenessProbe"}},
    {{"readinessProbe"},
     {"readinessProbe/exec/command", "the exec command of the readinessProbe"},
     {"readinessProbe/httpGet/httpHeaders", "the readinessProbe"}},
    {{"startupProbe"},
     {"startupProbe/exec/command", "the exec command of the startupProbe"},
     {"startupProbe/httpGet/httpHeaders", "the startupProbe"}},
    {{"lifecycle", "postStart"},
     {"lifecycle/postStart/exec/command", "the exec command of the postStart hook"},
     {"lifecycle/postStart/httpGet/httpHeaders", "the postStart hook"}},
    {{"lifecycle", "preStop"},
     {"lifecycle/preStop/exec/command", "the exec command of the preStop hook"},
     {"lifecycle/preStop/httpGet/httpHeaders", "the preStop hook"}},
};

void CheckCommands(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
  if (pod == nullptr) return;
  for (const ContainerRef& c : pod->containers) {
    CheckCommandList(c.node->Get("command"), c, {"command", "the command"}, v);
    CheckCommandList(c.node->Get("args"), c, {"args", "the args"}, v);
    for (const Handler& h : kHandlers) {
      const Node* handler = c.node->Find(h.path);
      if (handler == nullptr) continue;
      CheckCommandList(handler->Find({"exec", "command"}), c, h.command, v);
      CheckHeaders(handler->Find({"httpGet", "httpHeaders"}), c, h.headers, v);
    }
  }
  Summarize(v, "commands, arguments or headers hold credentials", "in plain text");
}

// --- SEC-003 credentials read from ConfigMaps ----------------------------------------

void CheckEnvFromConfigMap(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
  if (pod == nullptr) return;
  for (const ContainerRef& c : pod->containers) {
    const Node* env = c.node->Get("env");
    if (env == nullptr) continue;
    for (size_t i = 0; i < env->items().size(); ++i) {
      const Node& var = env->items()[i];
      const Node* ref = var.Find({"valueFrom", "configMapKeyRef"});
      if (ref == nullptr) continue;
      std::string_view name;
      if (const Node* n = var.Get("name")) name = n->GetString().value_or("");
      std::string_view key;
      if (const Node* k = ref->Get("key")) key = k->GetString().value_or("");
      bool credential = secrets::ClassifyKeyName(name) == secrets::KeyClass::kStrong ||
                        secrets::ClassifyKeyName(key) == secrets::KeyClass::kStrong;
      if (!credential) continue;
      std::string_view map;
      if (const Node* n = ref->Get("name")) map = n->GetString().value_or("");
      v.Fail(engine::BadValue(*ref, c.pointer + "/env/" + Index(i) + "/valueFrom/configMapKeyRef",
                              "a secretKeyRef, or better a Secret volume",
                              "env var " + Quote(name) + " of " + ContainerWho(c) +
                                  " reads a credential from key " + Quote(key) + " of ConfigMap " +
                                  Quote(map)));
    }
  }
  Summarize(v, "credentials are", "read from a ConfigMap");
}

// --- SEC-004 Secrets in environment variables -----------------------------------------

void CheckSecretsInEnv(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
  if (pod == nullptr) return;
  for (const ContainerRef& c : pod->containers) {
    if (const Node* env = c.node->Get("env")) {
      for (size_t i = 0; i < env->items().size(); ++i) {
        const Node& var = env->items()[i];
        const Node* ref = var.Find({"valueFrom", "secretKeyRef"});
        if (ref == nullptr) continue;
        std::string_view name;
        if (const Node* n = var.Get("name")) name = n->GetString().value_or("");
        std::string_view secret;
        if (const Node* n = ref->Get("name")) secret = n->GetString().value_or("");
        v.Fail(engine::BadValue(*ref, c.pointer + "/env/" + Index(i) + "/valueFrom/secretKeyRef",
                                "the Secret mounted as a volume",
                                "env var " + Quote(name) + " of " + ContainerWho(c) +
                                    " is read from Secret " + Quote(secret)));
      }
    }
    if (const Node* env_from = c.node->Get("envFrom")) {
      for (size_t i = 0; i < env_from->items().size(); ++i) {
        const Node* ref = env_from->items()[i].Get("secretRef");
        if (ref == nullptr) continue;
        std::string_view secret;
        if (const Node* n = ref->Get("name")) secret = n->GetString().value_or("");
        v.Fail(engine::BadValue(*ref, c.pointer + "/envFrom/" + Index(i) + "/secretRef",
                                "the Secret mounted as a volume",
                                ContainerWho(c) + " imports every key of Secret " + Quote(secret) +
                                    " as environment variables"));
      }
    }
  }
  Summarize(v, "Secret references pass", "secrets through environment variables");
}

// --- SEC-005 ConfigMaps, SEC-006 Secret manifests, SEC-007 base64 ---------------------

// Scans the string values of `map` (ConfigMap data, Secret stringData).
void CheckPlainMap(const Node* map, std::string_view field, std::string_view owner, Verdict& v) {
  if (map == nullptr) return;
  std::vector<CredentialMatch> found;
  std::string storage;
  for (const Member& m : map->members()) {
    std::string_view text = TextOf(m.value, storage);
    found.clear();
    FindCredentials(m.key_string(), text, found);
    if (found.empty()) continue;
    v.Fail(CredentialEvidence(
        m.value, "/" + std::string(field) + "/" + engine::PointerEscape(m.key_string()), text,
        found,
        std::string(field) + " key " + Quote(m.key_string()) + " of the " + std::string(owner)));
  }
}

// Scans base64 values (ConfigMap binaryData, Secret data) after decoding them.
// Values that are not base64 are scanned as they are: they are most likely a
// plain value written where an encoded one belongs.
void CheckEncodedMap(const Node* map, std::string_view field, std::string_view owner, Verdict& v) {
  if (map == nullptr) return;
  std::vector<CredentialMatch> found;
  std::string storage;
  for (const Member& m : map->members()) {
    std::string_view raw = TextOf(m.value, storage);
    thread_local std::string buffer;
    bool decoded = secrets::DecodeBase64Into(raw, buffer);
    std::string_view text = decoded ? std::string_view(buffer) : raw;
    found.clear();
    FindCredentials(m.key_string(), text, found);
    if (found.empty()) continue;
    std::string where = std::string(field) + " key " + Quote(m.key_string()) + " of the " +
                        std::string(owner) + (decoded ? " (base64-decoded)" : " (not base64)");
    v.Fail(CredentialEvidence(
        m.value, "/" + std::string(field) + "/" + engine::PointerEscape(m.key_string()), text,
        found, where));
  }
}

void CheckConfigMap(const Resource& res, const RuleContext&, Verdict& v) {
  CheckPlainMap(res.root->Get("data"), "data", "ConfigMap", v);
  CheckEncodedMap(res.root->Get("binaryData"), "binaryData", "ConfigMap", v);
  Summarize(v, "ConfigMap values hold credentials", "in plain text");
}

void CheckSecretManifest(const Resource& res, const RuleContext&, Verdict& v) {
  CheckEncodedMap(res.root->Get("data"), "data", "Secret", v);
  CheckPlainMap(res.root->Get("stringData"), "stringData", "Secret", v);
  Summarize(v, "Secret values are", "real credentials written in the manifest");
}

void CheckBase64(const Resource& res, const RuleContext&, Verdict& v) {
  bool is_secret = res.kind == "Secret";
  std::string_view field = is_secret ? "data" : "binaryData";
  const Node* map = res.root->Get(field);
  if (map == nullptr) return v.NotApplicable();
  if (!map->IsMapping()) {
    if (map->IsNull()) return;
    v.Fail(engine::BadValue(*map, "/" + std::string(field), "a map of keys to base64 strings",
                            std::string(field) + " is a " +
                                std::string(core::NodeTypeName(map->type())) +
                                ", not a map: the API server rejects the object"));
  }
  std::string storage;
  for (const Member& m : map->members()) {
    std::string pointer = "/" + std::string(field) + "/" + engine::PointerEscape(m.key_string());
    std::string where = std::string(field) + " key " + Quote(m.key_string());
    if (m.value.IsNull()) continue;
    if (!m.value.IsString()) {
      v.Fail(engine::BadValue(m.value, pointer, "a base64 string",
                              where + " is a " + std::string(core::NodeTypeName(m.value.type())) +
                                  ", not a base64 string: the API server rejects the object"));
      continue;
    }
    std::string_view raw = m.value.string_value();
    thread_local std::string buffer;
    if (secrets::DecodeBase64Into(raw, buffer)) continue;
    // The value may well be the plain secret: show its fingerprint only.
    Evidence e;
    e.pointer = std::move(pointer);
    e.reason = engine::EvidenceReason::kValue;
    core::AppendJsonString(e.actual, "undecodable: " + secrets::Fingerprint(raw));
    e.expected = is_secret ? "standard base64 (padded), or the plain value under stringData"
                           : "standard base64 (padded), or the text under data";
    e.position = m.value.position();
    e.message = where + " is not valid base64: the API server rejects the object";
    v.Fail(std::move(e));
  }
  Summarize(v, "values are", "not valid base64");
}

// --- SEC-008 the last-applied-configuration copy of a Secret ---------------------------

void CheckLastApplied(const Resource& res, const RuleContext&, Verdict& v) {
  const Node* annotation = res.Annotation(kLastApplied);
  if (annotation == nullptr) return v.NotApplicable();
  std::string_view text = annotation->GetString().value_or("");
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  std::vector<std::string> keys;
  if (!doc.HasParseError() && doc.IsObject()) {
    for (const char* field : {"data", "stringData"}) {
      auto it = doc.FindMember(field);
      if (it == doc.MemberEnd() || !it->value.IsObject()) continue;
      for (auto& m : it->value.GetObject()) {
        bool empty = m.value.IsString() && m.value.GetStringLength() == 0;
        if (!m.value.IsNull() && !empty) keys.emplace_back(m.name.GetString());
      }
    }
  }
  if (keys.empty()) return;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::string list;
  for (size_t i = 0; i < keys.size() && i < 5; ++i) list += (i > 0 ? ", " : "") + Quote(keys[i]);
  if (keys.size() > 5) list += " and " + std::to_string(keys.size() - 5) + " more";
  Evidence e;
  e.pointer = "/metadata/annotations/" + engine::PointerEscape(kLastApplied);
  e.reason = engine::EvidenceReason::kValue;
  core::AppendJsonString(e.actual, secrets::Fingerprint(text));
  e.expected = "no copy of the Secret's values in annotations (server-side apply)";
  e.position = annotation->position();
  e.message = "the annotation holds a copy of " + std::to_string(keys.size()) + " Secret " +
              (keys.size() == 1 ? "value" : "values") + " (" + list + ")";
  v.Fail(std::move(e));
  v.SetMessage("Secret \"" + res.name + "\" keeps a copy of its values in the " +
               std::string(kLastApplied) + " annotation");
}

// --- SEC-009 labels and annotations ------------------------------------------------

void CheckMetadataMap(const Node* metadata, const std::string& metadata_pointer,
                      std::string_view field, std::string_view owner, Verdict& v) {
  const Node* map = metadata != nullptr ? metadata->Get(field) : nullptr;
  if (map == nullptr) return;
  std::vector<CredentialMatch> found;
  std::string storage;
  for (const Member& m : map->members()) {
    // The last-applied copy repeats fields that other rules check where they live.
    if (m.key_string() == kLastApplied) continue;
    std::string_view text = TextOf(m.value, storage);
    found.clear();
    SecretMatcher::Default().Scan(text, found);
    if (found.empty()) continue;
    v.Fail(CredentialEvidence(
        m.value,
        metadata_pointer + "/" + std::string(field) + "/" + engine::PointerEscape(m.key_string()),
        text, found,
        std::string(owner) + " " + std::string(field == "labels" ? "label" : "annotation") + " " +
            Quote(m.key_string())));
  }
}

void CheckMetadata(const Resource& res, const RuleContext& ctx, Verdict& v) {
  CheckMetadataMap(res.metadata(), "/metadata", "annotations", "the", v);
  CheckMetadataMap(res.metadata(), "/metadata", "labels", "the", v);
  if (const PodSpecView* pod = ctx.inventory->PodSpecOf(res)) {
    if (pod->metadata != nullptr && pod->metadata != res.metadata()) {
      CheckMetadataMap(pod->metadata, pod->metadata_pointer, "annotations", "the pod template", v);
      CheckMetadataMap(pod->metadata, pod->metadata_pointer, "labels", "the pod template", v);
    }
  }
  Summarize(v, "labels or annotations hold credentials", "in plain text");
}

// --- SEC-010 any other resource ------------------------------------------------------

// Kinds whose fields other rules of this family already read, or that hold
// schemas rather than configuration.
bool CoveredElsewhere(std::string_view kind) {
  return core::IsWorkloadKind(kind) || kind == "ConfigMap" || kind == "Secret" ||
         kind == "CustomResourceDefinition";
}

// One step of the path from the resource root to the field being walked.
struct PathStep {
  std::string_view key;  // a mapping key, or empty for a sequence index
  size_t index = 0;
};

struct WalkState {
  std::vector<CredentialMatch> found;
  std::vector<PathStep> path;
  int violations = 0;

  std::string Pointer() const {
    std::string out;
    for (const PathStep& step : path) {
      out += "/" + (step.key.empty() ? Index(step.index) : engine::PointerEscape(step.key));
    }
    return out;
  }
};

constexpr int kMaxEvidencePerResource = 20;

void WalkValue(const Node& node, std::string_view key, WalkState& s, Verdict& v) {
  if (s.violations >= kMaxEvidencePerResource) return;
  if (node.IsMapping()) {
    // {name: X, value: Y} pairs (Helm parameters, headers, env-like lists):
    // X names the value.
    const Node* name = node.Get("name");
    const Node* value = node.Get("value");
    std::string_view pair_key;
    if (name != nullptr && value != nullptr && value->IsString()) {
      pair_key = name->GetString().value_or("");
    }
    for (const Member& m : node.members()) {
      s.path.push_back({m.key_string(), 0});
      bool named = &m.value == value && !pair_key.empty();
      WalkValue(m.value, named ? pair_key : m.key_string(), s, v);
      s.path.pop_back();
    }
    return;
  }
  if (node.IsSequence()) {
    for (size_t i = 0; i < node.items().size(); ++i) {
      s.path.push_back({{}, i});
      WalkValue(node.items()[i], key, s, v);
      s.path.pop_back();
    }
    return;
  }
  std::optional<std::string_view> text = node.GetString();
  if (!text) return;
  s.found.clear();
  FindCredentials(key, *text, s.found);
  if (s.found.empty()) return;
  ++s.violations;
  std::string pointer = s.Pointer();
  std::string where = "field " + Quote(pointer);
  v.Fail(CredentialEvidence(node, std::move(pointer), *text, s.found, where));
}

void CheckOtherResource(const Resource& res, const RuleContext&, Verdict& v) {
  if (CoveredElsewhere(res.kind)) return v.NotApplicable();
  thread_local WalkState s;
  s.violations = 0;
  s.path.clear();
  for (const Member& m : res.root->members()) {
    std::string_view top = m.key_string();
    if (top == "metadata" || top == "apiVersion" || top == "kind" || top == "status") continue;
    s.path.push_back({top, 0});
    WalkValue(m.value, top, s, v);
    s.path.pop_back();
  }
  Summarize(v, "fields hold credentials", "in plain text");
}

// --- SEC-011 service account token Secrets ---------------------------------------------

void CheckServiceAccountToken(const Resource& res, const RuleContext&, Verdict& v) {
  const Node* type = res.root->Get("type");
  if (type == nullptr ||
      type->GetString() != std::optional<std::string_view>("kubernetes.io/service-account-token")) {
    return;
  }
  std::string_view account = "?";
  if (const Node* a = res.Annotation("kubernetes.io/service-account.name")) {
    account = a->GetString().value_or("?");
  }
  v.Fail(engine::BadValue(*type, "/type", "no long-lived token: TokenRequest (projected tokens)",
                          "a token for service account " + Quote(account) + " that never expires"));
  v.SetMessage("Secret \"" + res.name + "\" holds a long-lived token of service account " +
               Quote(account));
}

std::string VolumeWho(const Node& volume) {
  const Node* name = volume.Get("name");
  auto s = name != nullptr ? name->GetString() : std::nullopt;
  return s ? Quote(*s) : std::string("(unnamed)");
}

// --- SEC-012 world-readable Secret files, SEC-013 long-lived projected tokens ----------

constexpr int64_t kDefaultSecretFileMode = 0644;  // of secret and projected volumes

std::string OctalMode(int64_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04llo", static_cast<unsigned long long>(mode & 07777));
  return buffer;
}

// A file mode that lets "others" (any UID outside owner and group) read; a
// value that is not an integer counts as readable (never a silent pass).
bool OthersCanRead(const Node& mode) {
  auto value = mode.GetInt();
  return !value || (*value & 04) != 0;
}

std::string ModeText(const Node& mode) {
  auto value = mode.GetInt();
  return value ? OctalMode(*value) : mode.ToJson();
}

// Keys of public material (certificates, public keys) that may stay readable.
bool PublicFile(const Node* key) {
  auto s = key != nullptr ? key->GetString() : std::nullopt;
  return s &&
         (s->ends_with(".crt") || s->ends_with(".pub") || *s == "ca.pem" || *s == "ca-bundle.pem");
}

constexpr const char* kPrivateMode = "a mode without read access for others, such as 0400 or 0440";

// One secret (a secret volume, or a secret source of a projected volume): its
// items' modes, else the volume's defaultMode, else 0644. `owner` is the
// node holding defaultMode (the secret volume source or the projected one).
// The pointers and the description are built only when something fails.
template <typename SecretPointer, typename OwnerPointer, typename What>
void CheckSecretFileModes(const Node& secret, SecretPointer secret_pointer, const Node& owner,
                          OwnerPointer owner_pointer, What what, bool& default_reported,
                          Verdict& v) {
  const Node* default_mode = owner.Get("defaultMode");
  if (default_mode != nullptr && default_mode->IsNull()) default_mode = nullptr;
  bool default_readable = default_mode == nullptr || OthersCanRead(*default_mode);
  bool uses_default = true;
  if (const Node* items = secret.Get("items"); items != nullptr && items->size() > 0) {
    uses_default = false;
    size_t i = 0;
    for (const Node& item : items->items()) {
      size_t index = i++;
      const Node* key = item.Get("key");
      if (PublicFile(key)) continue;
      const Node* mode = item.Get("mode");
      if (mode == nullptr || mode->IsNull()) {
        uses_default = true;
        continue;
      }
      if (!OthersCanRead(*mode)) continue;
      auto key_name = key != nullptr ? key->GetString() : std::nullopt;
      v.Fail(engine::BadValue(
          *mode, secret_pointer() + "/items/" + std::to_string(index) + "/mode", kPrivateMode,
          what() + ": key " + Quote(key_name.value_or("?")) + " is mounted with mode " +
              ModeText(*mode) + ", readable by every user in the container"));
    }
  }
  if (!uses_default || !default_readable || default_reported) return;
  default_reported = true;
  if (default_mode == nullptr) {
    v.Fail(engine::MissingField(owner, owner_pointer() + "/defaultMode", kPrivateMode,
                                what() + " has no defaultMode: its files get 0644, "
                                         "readable by every user in the container"));
  } else {
    v.Fail(engine::BadValue(*default_mode, owner_pointer() + "/defaultMode", kPrivateMode,
                            what() + " has defaultMode " + ModeText(*default_mode) +
                                ", readable by every user in the container"));
  }
}

void CheckSecretVolumeModes(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
  if (pod == nullptr) return;
  const Node* volumes = pod->spec->Get("volumes");
  size_t i = 0;
  for (const Node& volume : volumes != nullptr ? volumes->items() : std::span<const Node>{}) {
    size_t index = i++;
    bool reported = false;
    auto volume_pointer = [&] { return pod->spec_pointer + "/volumes/" + Index(index); };
    if (const Node* secret = volume.Get("secret"); secret != nullptr && secret->IsMapping()) {
      auto pointer = [&] { return volume_pointer() + "/secret"; };
      CheckSecretFileModes(
          *secret, pointer, *secret, pointer, [&] { return "secret volume " + VolumeWho(volume); },
          reported, v);
      continue;
    }
    const Node* projected = volume.Get("projected");
    const Node* sources = projected != nullptr ? projected->Get("sources") : nullptr;
    if (sources == nullptr) continue;
    size_t j = 0;
    for (const Node& source : sources->items()) {
      size_t source_index = j++;
      const Node* secret = source.Get("secret");
      if (secret == nullptr || !secret->IsMapping()) continue;
      auto pointer = [&] { return volume_pointer() + "/projected"; };
      CheckSecretFileModes(
          *secret, [&] { return pointer() + "/sources/" + Index(source_index) + "/secret"; },
          *projected, pointer, [&] { return "projected volume " + VolumeWho(volume); }, reported,
          v);
    }
  }
  Summarize(v, "Secret files are", "readable by every user in the container");
}

// The kubelet refreshes a projected token once it is 24 hours old (or at 80%
// of its lifetime), so a longer expiration only lengthens a stolen copy's life.
constexpr int64_t kTokenRefreshSeconds = 24 * 60 * 60;

void CheckProjectedTokens(const Resource& res, const RuleContext& ctx, Verdict& v) {
  const PodSpecView* pod = PodSpecOrNotApplicable(res, ctx, v);
  if (pod == nullptr) return;
  const Node* volumes = pod->spec->Get("volumes");
  size_t i = 0;
  for (const Node& volume : volumes != nullptr ? volumes->items() : std::span<const Node>{}) {
    size_t index = i++;
    const Node* sources = volume.Find({"projected", "sources"});
    size_t j = 0;
    for (const Node& source : sources != nullptr ? sources->items() : std::span<const Node>{}) {
      size_t source_index = j++;
      const Node* expiration = source.Find({"serviceAccountToken", "expirationSeconds"});
      if (expiration == nullptr || expiration->IsNull()) continue;  // default: 1 hour
      auto seconds = expiration->GetInt();
      if (seconds && *seconds <= kTokenRefreshSeconds) continue;
      std::string lifetime = seconds ? std::to_string(*seconds / 3600) + " hours"
                                     : "an invalid value " + expiration->ToJson();
      v.Fail(engine::BadValue(
          *expiration,
          pod->spec_pointer + "/volumes/" + Index(index) + "/projected/sources/" +
              Index(source_index) + "/serviceAccountToken/expirationSeconds",
          "at most 86400 (24 hours); the default 3600 is best",
          "projected service account token of volume " + VolumeWho(volume) + " is valid for " +
              lifetime + ", while the kubelet replaces it after 24 hours"));
    }
  }
  Summarize(v, "projected service account tokens", "outlive the kubelet's refresh");
}

// --- SEC-014 credential files stored in ConfigMaps ------------------------------------

// Well-known names of files that hold credentials, and what they hold.
struct CredentialFile {
  std::string_view name;
  std::string_view what;
};

constexpr std::array<CredentialFile, 16> kCredentialFiles = {{
    {".dockerconfigjson", "a registry credentials file"},
    {".dockercfg", "a registry credentials file"},
    {"id_rsa", "an SSH private key"},
    {"id_dsa", "an SSH private key"},
    {"id_ecdsa", "an SSH private key"},
    {"id_ed25519", "an SSH private key"},
    {"ssh-privatekey", "an SSH private key"},
    {"tls.key", "a TLS private key"},
    {".netrc", "a .netrc password file"},
    {"_netrc", "a .netrc password file"},
    {".pgpass", "a PostgreSQL password file"},
    {".git-credentials", "a Git credentials file"},
    {".htpasswd", "an htpasswd password file"},
    {".vault-token", "a Vault token"},
    {"credentials.json", "a credentials file"},
    {"service-account.json", "a service account key file"},
}};

constexpr std::array<std::string_view, 3> kPrivateKeySuffixes = {".key", ".p12", ".pfx"};

std::string_view CredentialFileKind(std::string_view key) {
  for (const CredentialFile& f : kCredentialFiles) {
    if (key == f.name) return f.what;
  }
  for (std::string_view suffix : kPrivateKeySuffixes) {
    if (key.size() > suffix.size() && key.ends_with(suffix)) {
      return suffix == ".key" ? "a private key file" : "a PKCS#12 key store";
    }
  }
  return {};
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

void CheckCredentialFiles(const Resource& res, const RuleContext&, Verdict& v) {
  for (std::string_view field : {"data", "binaryData"}) {
    const Node* map = res.root->Get(field);
    if (map == nullptr) continue;
    for (const Member& m : map->members()) {
      std::string_view what = CredentialFileKind(m.key_string());
      if (what.empty()) continue;
      auto text = m.value.GetString();
      if (text && Blank(*text)) continue;  // an empty placeholder
      Evidence e;
      e.pointer = "/" + std::string(field) + "/" + engine::PointerEscape(m.key_string());
      e.reason = engine::EvidenceReason::kValue;
      core::AppendJsonString(e.actual, secrets::Fingerprint(text.value_or("")));
      e.expected = "the file in a Secret, mounted next to the configuration";
      e.position = m.value.position();
      e.message = std::string(field) + " key " + Quote(m.key_string()) + " of the ConfigMap is " +
                  std::string(what);
      v.Fail(std::move(e));
    }
  }
  Summarize(v, "ConfigMap keys are", "credential files");
}

}  // namespace

void RegisterSecretRules(engine::RuleRegistry& registry) {
  {
    Rule r = SecretsRule("SEC-001", "credential-in-env-value", Severity::kHigh);
    r.kinds = {"*workload"};
    r.info.title = "Credential in a container environment variable value";
    r.info.description =
        "A password, token or key written as an env value is part of the workload's spec: "
        "anyone who can read the Deployment or Pod (kubectl describe, CI logs, the Git "
        "repository) reads the credential, and rotating it means changing the manifest.";
    r.info.remediation =
        "Move the value into a Secret (or an external secret store synced into one) and mount "
        "it as a file; if the application only reads environment variables, use "
        "valueFrom.secretKeyRef. Rotate the exposed credential.";
    r.info.controls = {"nsa:secrets", "mitre:T1552", "mitre:T1552.001", "mitre:T1552.007"};
    r.info.references = {kSecretGoodPractices,
                         "https://kubernetes.io/docs/tasks/inject-data-application/"
                         "distribute-credentials-secure/"};
    r.info.equivalents = {{"kubescape", "C-0012"}, {"polaris", "sensitiveContainerEnvVar"}};
    r.check = CheckEnvValues;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-002", "credential-in-container-command", Severity::kHigh);
    r.kinds = {"*workload"};
    r.info.title = "Credential in a container command, arguments, probe or hook";
    r.info.description =
        "Command lines are stored in the workload spec and are visible to every process on "
        "the node (ps, /proc/*/cmdline); a password passed as --password=x, in a connection "
        "URL or in a probe's Authorization header leaks through both.";
    r.info.remediation =
        "Read the credential from a mounted Secret file (most tools accept --password-file or "
        "a config file); for probe headers, use an endpoint that needs no credential.";
    r.info.controls = {"nsa:secrets", "mitre:T1552", "mitre:T1552.001", "mitre:T1552.007"};
    r.info.references = {kSecretGoodPractices};
    r.check = CheckCommands;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-003", "credential-from-configmap", Severity::kMedium);
    r.kinds = {"*workload"};
    r.info.title = "Credential read from a ConfigMap";
    r.info.description =
        "An env var named like a password or token taken from a ConfigMap means the credential "
        "is stored in a ConfigMap: ConfigMaps are readable by far more roles than Secrets, are "
        "not encrypted at rest by a Secret-only encryption config and are often printed.";
    r.info.remediation =
        "Store the value in a Secret and reference it with secretKeyRef (or mount the Secret "
        "as a volume); remove it from the ConfigMap.";
    r.info.controls = {"nsa:secrets", "mitre:T1552"};
    r.info.references = {kConfigMapDocs, kSecretGoodPractices};
    r.check = CheckEnvFromConfigMap;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-004", "secret-in-env-var", Severity::kLow);
    r.kinds = {"*workload"};
    r.info.title = "Secret passed through an environment variable";
    r.info.description =
        "Environment variables are inherited by every child process, are often dumped in logs "
        "and crash reports, and cannot be updated without a restart; a Secret mounted as a "
        "file avoids all three.";
    r.info.remediation =
        "Mount the Secret as a volume (optionally with items to pick keys) and read the file; "
        "replace env valueFrom.secretKeyRef and envFrom.secretRef.";
    r.info.controls = {"cis:5.4.1", "nsa:secrets", "mitre:T1552.007"};
    r.info.references = {kSecretDocs, kCisBenchmark};
    r.info.equivalents = {{"kubescape", "C-0207"}};
    r.check = CheckSecretsInEnv;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-005", "credential-in-configmap", Severity::kHigh);
    r.kinds = {"ConfigMap"};
    r.info.title = "Credential in a ConfigMap";
    r.info.description =
        "ConfigMaps are meant for non-confidential data: they are readable by many roles, "
        "shown in full by kubectl describe, and not covered by Secret encryption at rest. A "
        "password, token or private key in one is exposed to all of those readers.";
    r.info.remediation =
        "Move the credential into a Secret and mount it next to the configuration; keep only "
        "a reference (a file path or an environment variable name) in the ConfigMap.";
    r.info.controls = {"nsa:secrets", "mitre:T1552", "mitre:T1552.001"};
    r.info.references = {kConfigMapDocs, kSecretGoodPractices};
    r.info.equivalents = {
        {"kubescape", "C-0012"}, {"trivy", "KSV109"}, {"polaris", "sensitiveConfigmapContent"}};
    r.check = CheckConfigMap;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-006", "credential-in-secret-manifest", Severity::kHigh);
    r.kinds = {"Secret"};
    r.info.title = "Secret manifest contains a real credential";
    r.info.description =
        "base64 is an encoding, not encryption: a Secret manifest with its values filled in "
        "stores the credential wherever the manifest goes (Git history, CI artifacts, chart "
        "packages), beyond the reach of Kubernetes RBAC.";
    r.info.remediation =
        "Keep Secret values out of manifests: generate Secrets from an external store "
        "(External Secrets Operator, Secrets Store CSI driver), or commit only encrypted "
        "SealedSecrets or SOPS files. Rotate the exposed credential.";
    r.info.controls = {"cis:5.4.2", "nsa:secrets", "mitre:T1552", "mitre:T1552.001"};
    r.info.references = {kSecretGoodPractices, kSecretDocs};
    r.check = CheckSecretManifest;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-007", "secret-data-not-base64", Severity::kLow);
    r.kinds = {"Secret", "ConfigMap"};
    r.info.title = "Secret data or ConfigMap binaryData that is not base64";
    r.info.description =
        "The API server rejects a Secret whose data (or a ConfigMap whose binaryData) is not "
        "valid base64, so the manifest does not deploy; usually a plain value was written "
        "under data instead of stringData, and that plain value is now in the manifest.";
    r.info.remediation =
        "Encode the value with base64 (padded, standard alphabet), or move it to stringData; "
        "better, keep the value out of the manifest altogether.";
    r.info.controls = {"nsa:secrets"};
    r.info.references = {kSecretDocs};
    r.check = CheckBase64;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-008", "secret-in-last-applied-annotation", Severity::kMedium);
    r.kinds = {"Secret"};
    r.info.title = "Secret values copied into the last-applied-configuration annotation";
    r.info.description =
        "Client-side kubectl apply stores the whole applied manifest, values included "
        "(stringData in clear text), in an annotation. Tools that mask Secret data, such as "
        "kubectl diff, dashboards and audit or log redaction, show annotations unmasked.";
    r.info.remediation =
        "Apply Secrets with kubectl apply --server-side (or create/replace), and remove the "
        "annotation: kubectl annotate secret NAME "
        "kubectl.kubernetes.io/last-applied-configuration-";
    r.info.controls = {"nsa:secrets", "mitre:T1552"};
    r.info.references = {
        "https://kubernetes.io/docs/reference/labels-annotations-taints/"
        "#kubectl-kubernetes-io-last-applied-configuration",
        "https://kubernetes.io/docs/reference/using-api/server-side-apply/"};
    r.check = CheckLastApplied;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-009", "credential-in-metadata", Severity::kHigh);
    r.info.title = "Credential in a label or annotation";
    r.info.description =
        "Labels and annotations are read by controllers, monitoring, cost tools and anyone "
        "with list access to the object's kind, and they are copied into events and logs; a "
        "token or connection string there is widely exposed.";
    r.info.remediation =
        "Remove the credential from metadata, store it in a Secret, and rotate it.";
    r.info.controls = {"nsa:secrets", "mitre:T1552"};
    r.info.references = {
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/"};
    r.check = CheckMetadata;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-010", "credential-in-resource-spec", Severity::kHigh);
    r.info.title = "Credential in the spec of another resource";
    r.info.description =
        "Custom resources and other objects (HelmRelease values, Argo CD Applications, "
        "operator configurations) often carry passwords and tokens in plain fields, readable "
        "by everyone who can read that kind and stored wherever the manifest is stored.";
    r.info.remediation =
        "Use the resource's Secret reference field (most operators offer one, such as "
        "valuesFrom or passwordSecretRef) and rotate the exposed credential.";
    r.info.controls = {"nsa:secrets", "mitre:T1552", "mitre:T1552.001"};
    r.info.references = {kSecretGoodPractices};
    r.check = CheckOtherResource;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-011", "service-account-token-secret", Severity::kMedium);
    r.kinds = {"Secret"};
    r.info.title = "Long-lived service account token Secret";
    r.info.description =
        "A kubernetes.io/service-account-token Secret holds a token that never expires and "
        "is not bound to a pod: anyone who reads it can act as the service account until the "
        "Secret is deleted. Projected tokens from the TokenRequest API expire and are bound.";
    r.info.remediation =
        "Delete the Secret and obtain short-lived tokens through the TokenRequest API "
        "(projected serviceAccountToken volumes, or kubectl create token for tools).";
    r.info.controls = {"nsa:service-account-tokens", "mitre:T1528"};
    r.info.references = {
        "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"
        "#legacy-serviceaccount-token-cleaner"};
    r.check = CheckServiceAccountToken;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-012", "secret-volume-world-readable", Severity::kLow);
    r.kinds = {"*workload"};
    r.info.title = "Secret files readable by every user in the container";
    r.info.description =
        "Secret and projected volumes write their files with mode 0644 unless defaultMode or "
        "an item's mode says otherwise: any process of the container, whatever its user, can "
        "read the credentials, so a compromised helper process or a second user in the image "
        "gets them too.";
    r.info.remediation =
        "Set defaultMode: 0400 on the secret (or projected) volume, or 0440 with the pod's "
        "fsGroup when a non-owner group must read it; in JSON write the decimal value (256 or "
        "288).";
    r.info.controls = {"nsa:secrets", "mitre:T1552.001"};
    r.info.references = {
        "https://kubernetes.io/docs/concepts/configuration/secret/"
        "#secret-files-permissions",
        kSecretGoodPractices};
    r.check = CheckSecretVolumeModes;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-013", "projected-token-long-lived", Severity::kLow);
    r.kinds = {"*workload"};
    r.info.title = "Projected service account token valid for more than 24 hours";
    r.info.description =
        "The kubelet replaces a projected token once it is 24 hours old, so an "
        "expirationSeconds beyond that gives the pod nothing; it only lets a stolen copy of "
        "the token act as the service account for longer.";
    r.info.remediation =
        "Remove expirationSeconds (the default is 3600) or set it to 86400 or less; clients "
        "must re-read the token file, which the kubelet rewrites before it expires.";
    r.info.controls = {"nsa:service-account-tokens", "mitre:T1528"};
    r.info.references = {
        "https://kubernetes.io/docs/concepts/storage/projected-volumes/"
        "#serviceaccounttoken",
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
        "#launch-a-pod-using-service-account-token-projection"};
    r.check = CheckProjectedTokens;
    registry.Add(std::move(r));
  }
  {
    Rule r = SecretsRule("SEC-014", "credential-file-in-configmap", Severity::kMedium);
    r.kinds = {"ConfigMap"};
    r.info.title = "Credential file stored in a ConfigMap";
    r.info.description =
        "A ConfigMap key named like a credential file (.dockerconfigjson, id_rsa, tls.key, "
        ".netrc, .pgpass, *.key, ...) puts that file where every reader of ConfigMaps can see "
        "it, outside Secret RBAC and encryption at rest, whatever its content looks like.";
    r.info.remediation =
        "Move the file into a Secret (of type kubernetes.io/dockerconfigjson, "
        "kubernetes.io/tls or kubernetes.io/ssh-auth where one fits) and mount it instead; "
        "rotate the credential.";
    r.info.controls = {"nsa:secrets", "mitre:T1552", "mitre:T1552.001"};
    r.info.references = {kConfigMapDocs, kSecretGoodPractices};
    r.check = CheckCredentialFiles;
    registry.Add(std::move(r));
  }
}

}  // namespace kspm::rules
