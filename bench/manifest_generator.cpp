// kspm_generate: a deterministic generator of realistic Kubernetes manifests,
// the input of the scan benchmarks (scripts/bench.sh).
//
// The same --seed gives byte-identical output with any compiler and standard
// library: randomness comes from SplitMix64 seeded per resource (never from
// <random>'s distributions, whose results are implementation-defined), so
// resource i is the same whatever --per-file is. Resources come in groups of
// eight sharing an app and a namespace, the way a Helm chart ships a
// Deployment with its Service, ConfigMap and ServiceAccount. A --hardened
// fraction of workloads follows the restricted Pod Security Standard; the
// rest carries the problems scanners exist to find (privileged containers,
// hostPath, root users, missing limits, :latest tags, secrets in env, ...).
// Generated output is never committed.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kspm::bench {
namespace {

// ---------------------------------------------------------------------------
// Randomness

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // The modulo bias is irrelevant for benchmark data.
  uint64_t Below(uint64_t n) { return Next() % n; }
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  const T& Pick(std::initializer_list<T> list) {
    return list.begin()[Below(list.size())];
  }
  std::string_view Word(std::initializer_list<std::string_view> list) { return Pick(list); }
  template <size_t N>
  std::string_view Word(const std::string_view (&words)[N]) {
    return words[Below(N)];
  }

  std::string Hex(size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(n, '0');
    for (char& c : s) c = kDigits[Below(16)];
    return s;
  }
  std::string Alnum(size_t n) {
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string s(n, 'a');
    for (char& c : s) c = kChars[Below(sizeof kChars - 1)];
    return s;
  }
  // Base64 text of `raw` random bytes.
  std::string Base64(size_t raw) {
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string s;
    s.reserve((raw + 2) / 3 * 4);
    for (size_t i = 0; i < raw / 3 * 4; ++i) s.push_back(kChars[Below(64)]);
    if (raw % 3 == 1) s += std::string(1, kChars[Below(64)]) + kChars[Below(4) * 16] + "==";
    if (raw % 3 == 2)
      s += std::string(1, kChars[Below(64)]) + kChars[Below(64)] + kChars[Below(16) * 4] + "=";
    return s;
  }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t a, uint64_t b) {
  Rng r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull));
  return r.Next();
}

// ---------------------------------------------------------------------------
// A small value tree, emitted as YAML (kubectl's block style) or JSON.

class Value {
 public:
  enum class Type { kString, kBlock, kInt, kBool, kMap, kSeq };
  struct Entry;

  static Value Str(std::string s) { return Value(Type::kString, std::move(s)); }
  // A multi-line string, emitted as a YAML literal block scalar.
  static Value Block(std::string s) { return Value(Type::kBlock, std::move(s)); }
  static Value Int(int64_t i) {
    Value v(Type::kInt, {});
    v.int_ = i;
    return v;
  }
  static Value Bool(bool b) {
    Value v(Type::kBool, {});
    v.int_ = b;
    return v;
  }
  static Value Map() { return Value(Type::kMap, {}); }
  static Value Seq() { return Value(Type::kSeq, {}); }

  // Builders; they return *this so a whole object reads as one expression.
  Value& Put(std::string key, Value v);
  Value& Put(std::string key, std::string s) { return Put(std::move(key), Str(std::move(s))); }
  Value& Put(std::string key, std::string_view s) {
    return Put(std::move(key), Str(std::string(s)));
  }
  Value& Put(std::string key, const char* s) { return Put(std::move(key), Str(s)); }
  Value& Add(Value v) {
    items_.push_back(std::move(v));
    return *this;
  }
  Value& Add(std::string_view s) { return Add(Str(std::string(s))); }

  Type type() const { return type_; }
  bool empty() const { return type_ == Type::kMap ? entries_.empty() : items_.empty(); }
  const std::string& text() const { return text_; }
  int64_t int_value() const { return int_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const std::vector<Value>& items() const { return items_; }

 private:
  Value(Type t, std::string s) : type_(t), text_(std::move(s)) {}

  Type type_;
  std::string text_;
  int64_t int_ = 0;
  std::vector<Entry> entries_;
  std::vector<Value> items_;
};

struct Value::Entry {
  std::string key;
  Value value;
};

Value& Value::Put(std::string key, Value v) {
  entries_.push_back(Entry{std::move(key), std::move(v)});
  return *this;
}

Value S(std::string_view s) { return Value::Str(std::string(s)); }
Value I(int64_t i) { return Value::Int(i); }
Value B(bool b) { return Value::Bool(b); }

// Plain YAML 1.1 scalars that would not read back as strings, or not at all.
bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@` .+").find(s.front()) != std::string_view::npos) {
    return true;
  }
  if (s.back() == ' ' || s.back() == ':') return true;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return true;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return true;
  }
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  for (std::string_view w : {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}) {
    if (lower == w) return true;
  }
  // Anything that starts like a number and has only number-ish characters.
  if (s.front() >= '0' && s.front() <= '9') {
    return s.find_first_not_of("0123456789abcdefABCDEFxXoO_.:+-") == std::string_view::npos;
  }
  return false;
}

void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendYamlScalar(std::string& out, std::string_view s) {
  if (NeedsQuotes(s)) {
    AppendQuoted(out, s);
  } else {
    out += s;
  }
}

void Indent(std::string& out, int n) { out.append(static_cast<size_t>(n), ' '); }

void EmitYamlMap(const Value& map, int indent, bool first_inline, std::string& out);
void EmitYamlSeq(const Value& seq, int indent, std::string& out);

// After "key:" or "-": the value, on this line or the following ones.
void EmitYamlAfterKey(const Value& v, int indent, std::string& out) {
  switch (v.type()) {
    case Value::Type::kString:
      out.push_back(' ');
      AppendYamlScalar(out, v.text());
      out.push_back('\n');
      break;
    case Value::Type::kBlock: {
      std::string_view text = v.text();
      out += text.ends_with('\n') ? " |\n" : " |-\n";
      size_t pos = 0;
      while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        if (eol > pos) Indent(out, indent + 2);
        out += text.substr(pos, eol - pos);
        out.push_back('\n');
        pos = eol + 1;
      }
      break;
    }
    case Value::Type::kInt:
      out += ' ' + std::to_string(v.int_value()) + '\n';
      break;
    case Value::Type::kBool:
      out += v.int_value() ? " true\n" : " false\n";
      break;
    case Value::Type::kMap:
      if (v.empty()) {
        out += " {}\n";
      } else {
        out.push_back('\n');
        EmitYamlMap(v, indent + 2, false, out);
      }
      break;
    case Value::Type::kSeq:
      if (v.empty()) {
        out += " []\n";
      } else {
        out.push_back('\n');
        EmitYamlSeq(v, indent, out);  // kubectl style: "- " at the key's indentation
      }
      break;
  }
}

void EmitYamlMap(const Value& map, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const Value::Entry& e : map.entries()) {
    if (!(first && first_inline)) Indent(out, indent);
    first = false;
    AppendYamlScalar(out, e.key);
    out.push_back(':');
    EmitYamlAfterKey(e.value, indent, out);
  }
}

void EmitYamlSeq(const Value& seq, int indent, std::string& out) {
  for (const Value& item : seq.items()) {
    Indent(out, indent);
    out.push_back('-');
    if (item.type() == Value::Type::kMap && !item.empty()) {
      out.push_back(' ');
      EmitYamlMap(item, indent + 2, true, out);
    } else {
      EmitYamlAfterKey(item, indent, out);
    }
  }
}

void EmitJson(const Value& v, int indent, std::string& out) {
  constexpr int kStep = 4;  // kubectl get -o json
  switch (v.type()) {
    case Value::Type::kString:
    case Value::Type::kBlock:
      AppendQuoted(out, v.text());
      break;
    case Value::Type::kInt:
      out += std::to_string(v.int_value());
      break;
    case Value::Type::kBool:
      out += v.int_value() ? "true" : "false";
      break;
    case Value::Type::kMap: {
      if (v.empty()) {
        out += "{}";
        break;
      }
      out += "{\n";
      bool first = true;
      for (const Value::Entry& e : v.entries()) {
        if (!first) out += ",\n";
        first = false;
        Indent(out, indent + kStep);
        AppendQuoted(out, e.key);
        out += ": ";
        EmitJson(e.value, indent + kStep, out);
      }
      out.push_back('\n');
      Indent(out, indent);
      out.push_back('}');
      break;
    }
    case Value::Type::kSeq: {
      if (v.empty()) {
        out += "[]";
        break;
      }
      out += "[\n";
      bool first = true;
      for (const Value& item : v.items()) {
        if (!first) out += ",\n";
        first = false;
        Indent(out, indent + kStep);
        EmitJson(item, indent + kStep, out);
      }
      out.push_back('\n');
      Indent(out, indent);
      out.push_back(']');
      break;
    }
  }
}

// ---------------------------------------------------------------------------
// Vocabulary

constexpr std::string_view kTeams[] = {
    "payments", "checkout",  "catalog",   "search",   "identity",   "billing", "orders",
    "shipping", "inventory", "analytics", "platform", "monitoring", "logging", "edge",
    "data",     "ml",        "notify",    "auth",     "frontend",   "media",   "reporting"};
constexpr std::string_view kComponents[] = {
    "api",      "web",        "worker",  "gateway", "scheduler", "indexer", "consumer",
    "exporter", "cache",      "db",      "proxy",   "sync",      "ingest",  "render",
    "admin",    "controller", "webhook", "cron",    "stream",    "query"};
constexpr std::string_view kRegistries[] = {
    "registry.example.com/", "ghcr.io/acme/", "quay.io/acme/",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/", "europe-docker.pkg.dev/acme-prod/apps/"};
constexpr std::string_view kSidecarImages[] = {
    "docker.io/envoyproxy/envoy:v1.29.2",           "docker.io/library/nginx:1.25.4",
    "quay.io/prometheus/statsd-exporter:v0.26.0",   "docker.io/fluent/fluent-bit:2.2.2",
    "docker.io/library/redis:7.2.4-alpine",         "gcr.io/cloudsql-docker/gce-proxy:1.33.16",
    "docker.io/otel/opentelemetry-collector:0.96.0"};
constexpr std::string_view kEnvNames[] = {"LOG_LEVEL",        "PORT",
                                          "JAVA_OPTS",        "SPRING_PROFILES_ACTIVE",
                                          "DATABASE_HOST",    "DATABASE_PORT",
                                          "DATABASE_NAME",    "REDIS_URL",
                                          "KAFKA_BROKERS",    "TZ",
                                          "NODE_ENV",         "OTEL_EXPORTER_OTLP_ENDPOINT",
                                          "GOMAXPROCS",       "HTTP_TIMEOUT",
                                          "CACHE_TTL",        "MAX_CONNECTIONS",
                                          "REGION",           "ENVIRONMENT",
                                          "SERVICE_NAME",     "FEATURE_FLAGS",
                                          "WORKER_THREADS",   "METRICS_PORT",
                                          "UPSTREAM_URL",     "S3_BUCKET",
                                          "GRPC_PORT",        "QUEUE_NAME",
                                          "RETRY_BACKOFF_MS", "SENTRY_ENVIRONMENT"};
constexpr std::string_view kSecretEnvNames[] = {
    "DB_PASSWORD",       "API_KEY",      "AWS_SECRET_ACCESS_KEY", "JWT_SECRET",
    "STRIPE_SECRET_KEY", "GITHUB_TOKEN", "REDIS_PASSWORD",        "SMTP_PASSWORD"};

// ---------------------------------------------------------------------------
// Resources

struct Options {
  size_t resources = 100000;
  uint64_t seed = 1;
  double hardened = 0.3;
  size_t per_file = 500;
  std::string format = "yaml";
  std::string out = "-";
};

constexpr size_t kGroupSize = 8;  // resources per app

enum class Kind {
  kDeployment,
  kStatefulSet,
  kDaemonSet,
  kJob,
  kCronJob,
  kPod,
  kService,
  kConfigMap,
  kSecret,
  kServiceAccount,
  kRole,
  kRoleBinding,
  kClusterRole,
  kClusterRoleBinding,
  kNetworkPolicy,
  kIngress,
  kNamespace,
};

// Proportions (percent) roughly as in real repositories of manifests.
constexpr std::pair<Kind, int> kKindWeights[] = {
    {Kind::kDeployment, 16},   {Kind::kStatefulSet, 4},
    {Kind::kDaemonSet, 2},     {Kind::kJob, 3},
    {Kind::kCronJob, 3},       {Kind::kPod, 4},
    {Kind::kService, 16},      {Kind::kConfigMap, 14},
    {Kind::kSecret, 8},        {Kind::kServiceAccount, 8},
    {Kind::kRole, 4},          {Kind::kRoleBinding, 5},
    {Kind::kClusterRole, 2},   {Kind::kClusterRoleBinding, 2},
    {Kind::kNetworkPolicy, 4}, {Kind::kIngress, 4},
    {Kind::kNamespace, 1}};

Kind PickKind(Rng& rng) {
  int total = 0;
  for (const auto& [kind, w] : kKindWeights) total += w;
  int x = static_cast<int>(rng.Below(static_cast<uint64_t>(total)));
  for (const auto& [kind, w] : kKindWeights) {
    if (x < w) return kind;
    x -= w;
  }
  return Kind::kDeployment;
}

// Everything the resources of one app share.
struct App {
  std::string name;        // "checkout-api-1234"
  std::string team;        // "checkout"
  std::string namespace_;  // "checkout-17"
  std::string version;     // "2.14.3"
};

class Generator {
 public:
  explicit Generator(const Options& o) : options_(o) {
    namespaces_ = std::max<size_t>(1, o.resources / 200);
  }

  // Resource `index`, a pure function of (seed, index).
  Value Resource(size_t index) const {
    Rng rng(Mix(options_.seed, index));
    App app = AppOf(index / kGroupSize);
    std::string suffix = "-" + std::to_string(index);
    switch (PickKind(rng)) {
      case Kind::kDeployment:
        return Workload(rng, app, "Deployment", suffix);
      case Kind::kStatefulSet:
        return Workload(rng, app, "StatefulSet", suffix);
      case Kind::kDaemonSet:
        return Workload(rng, app, "DaemonSet", suffix);
      case Kind::kJob:
        return Workload(rng, app, "Job", suffix);
      case Kind::kCronJob:
        return Workload(rng, app, "CronJob", suffix);
      case Kind::kPod:
        return Workload(rng, app, "Pod", suffix);
      case Kind::kService:
        return Service(rng, app, suffix);
      case Kind::kConfigMap:
        return ConfigMap(rng, app, suffix);
      case Kind::kSecret:
        return Secret(rng, app, suffix);
      case Kind::kServiceAccount:
        return ServiceAccount(rng, app, suffix);
      case Kind::kRole:
        return Role(rng, app, suffix, false);
      case Kind::kClusterRole:
        return Role(rng, app, suffix, true);
      case Kind::kRoleBinding:
        return Binding(rng, app, suffix, false);
      case Kind::kClusterRoleBinding:
        return Binding(rng, app, suffix, true);
      case Kind::kNetworkPolicy:
        return NetworkPolicy(rng, app, suffix);
      case Kind::kIngress:
        return Ingress(rng, app, suffix);
      case Kind::kNamespace:
        return Namespace(rng, app);
    }
    return Value::Map();
  }

 private:
  App AppOf(size_t group) const {
    Rng rng(Mix(options_.seed ^ 0xA5A5A5A5ull, group));
    App app;
    app.team = std::string(rng.Word(kTeams));
    app.name = app.team + "-" + std::string(rng.Word(kComponents)) + "-" + std::to_string(group);
    app.namespace_ = app.team + "-" + std::to_string(Mix(options_.seed, group) % namespaces_);
    app.version = std::to_string(rng.Range(0, 4)) + "." + std::to_string(rng.Range(0, 30)) + "." +
                  std::to_string(rng.Range(0, 12));
    return app;
  }

  Value Labels(Rng& rng, const App& app, std::string_view component) const {
    Value labels = Value::Map();
    labels.Put("app.kubernetes.io/name", app.name)
        .Put("app.kubernetes.io/instance", app.name + "-" + app.team)
        .Put("app.kubernetes.io/component", component);
    if (rng.Chance(0.8)) {
      labels.Put("app.kubernetes.io/version", app.version)
          .Put("app.kubernetes.io/part-of", app.team)
          .Put("app.kubernetes.io/managed-by", "Helm")
          .Put("helm.sh/chart", app.name + "-" + app.version);
    }
    if (rng.Chance(0.4)) labels.Put("team", app.team);
    if (rng.Chance(0.3)) labels.Put("tier", rng.Word({"frontend", "backend", "data"}));
    return labels;
  }

  Value Metadata(Rng& rng, const App& app, const std::string& name, std::string_view component,
                 bool namespaced) const {
    Value md = Value::Map();
    md.Put("name", name);
    if (namespaced) md.Put("namespace", app.namespace_);
    md.Put("labels", Labels(rng, app, component));
    if (rng.Chance(0.6)) {
      Value ann = Value::Map();
      ann.Put("meta.helm.sh/release-name", app.name)
          .Put("meta.helm.sh/release-namespace", app.namespace_);
      if (rng.Chance(0.3)) ann.Put("owner", app.team + "@example.com");
      if (rng.Chance(0.2)) {
        ann.Put("description", "Managed by the " + app.team +
                                   " team; see the runbook at "
                                   "https://wiki.example.com/" +
                                   app.team + "/" + app.name);
      }
      md.Put("annotations", std::move(ann));
    }
    return md;
  }

  // -- workloads ------------------------------------------------------------

  // Which problems a non-hardened workload carries (several at once, as in life).
  struct Problems {
    bool no_security_context = false;
    bool privileged = false;
    bool run_as_root = false;
    bool privilege_escalation = false;
    bool added_capabilities = false;
    bool host_network = false;
    bool host_pid = false;
    bool host_ipc = false;
    bool host_path = false;
    bool host_port = false;
    bool no_limits = false;
    bool no_resources = false;
    bool latest_tag = false;
    bool untagged = false;
    bool secret_in_env = false;
    bool no_probes = false;
    bool seccomp_unconfined = false;
    bool unsafe_sysctl = false;
    bool proc_mount = false;
    bool apparmor_unconfined = false;
  };

  static Problems PickProblems(Rng& rng) {
    Problems p;
    p.no_security_context = rng.Chance(0.45);
    p.privileged = rng.Chance(0.10);
    p.run_as_root = rng.Chance(0.12);
    p.privilege_escalation = rng.Chance(0.08);
    p.added_capabilities = rng.Chance(0.10);
    p.host_network = rng.Chance(0.06);
    p.host_pid = rng.Chance(0.04);
    p.host_ipc = rng.Chance(0.02);
    p.host_path = rng.Chance(0.12);
    p.host_port = rng.Chance(0.05);
    p.no_resources = rng.Chance(0.25);
    p.no_limits = !p.no_resources && rng.Chance(0.3);
    p.latest_tag = rng.Chance(0.2);
    p.untagged = !p.latest_tag && rng.Chance(0.1);
    p.secret_in_env = rng.Chance(0.15);
    p.no_probes = rng.Chance(0.3);
    p.seccomp_unconfined = rng.Chance(0.05);
    p.unsafe_sysctl = rng.Chance(0.02);
    p.proc_mount = rng.Chance(0.01);
    p.apparmor_unconfined = rng.Chance(0.03);
    return p;
  }

  Value Image(Rng& rng, const App& app, const Problems* p) const {
    std::string repo = std::string(rng.Word(kRegistries)) + app.team + "/" + app.name;
    if (p == nullptr) {
      // Hardened: pinned by digest half of the time, else a fixed version.
      if (rng.Chance(0.5)) return S(repo + "@sha256:" + rng.Hex(64));
      return S(repo + ":" + app.version);
    }
    if (p->latest_tag) return S(repo + ":latest");
    if (p->untagged) return S(repo);
    return S(repo + ":" + app.version + (rng.Chance(0.3) ? "-" + rng.Hex(7) : ""));
  }

  Value Env(Rng& rng, const App& app, const Problems* p) const {
    Value env = Value::Seq();
    // Names are drawn at random, but a real container defines each once
    // (kubectl warns about duplicates): later draws of a name are dropped,
    // after their random numbers are consumed, so the rest of the output
    // does not shift.
    std::set<std::string, std::less<>> names;
    int n = rng.Range(3, 18);
    for (int i = 0; i < n; ++i) {
      std::string_view name = rng.Word(kEnvNames);
      Value var = Value::Map();
      var.Put("name", name);
      int form = rng.Range(0, 9);
      if (form < 6) {
        std::string value;
        if (name == "LOG_LEVEL") {
          value = rng.Word({"info", "debug", "warn"});
        } else if (name.ends_with("PORT") || name == "GOMAXPROCS" || name == "MAX_CONNECTIONS") {
          value = std::to_string(rng.Range(2, 65000));  // quoted: env values are strings
        } else if (name.ends_with("URL") || name.ends_with("ENDPOINT") || name.ends_with("HOST")) {
          value = "http://" + app.name + "-" + std::string(rng.Word(kComponents)) + "." +
                  app.namespace_ + ".svc.cluster.local:" + std::to_string(rng.Range(80, 9000));
        } else if (name == "JAVA_OPTS") {
          value =
              "-XX:MaxRAMPercentage=75.0 -XX:+UseG1GC -Dfile.encoding=UTF-8 -Duser.timezone=UTC";
        } else {
          value = std::string(rng.Word({"production", "eu-west-1", "true", "30s", "enabled"})) +
                  (rng.Chance(0.5) ? "" : "-" + rng.Alnum(6));
        }
        var.Put("value", value);
      } else if (form < 8) {
        Value ref = Value::Map();
        ref.Put("name", app.name + "-secret").Put("key", rng.Word({"password", "token", "dsn"}));
        var.Put("valueFrom", Value::Map().Put("secretKeyRef", std::move(ref)));
      } else if (form < 9) {
        Value ref = Value::Map();
        ref.Put("name", app.name + "-config").Put("key", std::string(name));
        if (rng.Chance(0.3)) ref.Put("optional", B(true));
        var.Put("valueFrom", Value::Map().Put("configMapKeyRef", std::move(ref)));
      } else {
        Value ref = Value::Map();
        ref.Put("fieldPath",
                rng.Word({"metadata.namespace", "metadata.name", "status.podIP", "spec.nodeName"}));
        var.Put("valueFrom", Value::Map().Put("fieldRef", std::move(ref)));
      }
      if (names.insert(std::string(name)).second) env.Add(std::move(var));
    }
    if (p != nullptr && p->secret_in_env) {
      int secrets = rng.Range(1, 3);
      for (int i = 0; i < secrets; ++i) {
        std::string_view name = rng.Word(kSecretEnvNames);
        std::string value = rng.Alnum(static_cast<size_t>(rng.Range(16, 48)));
        if (names.insert(std::string(name)).second) {
          env.Add(Value::Map().Put("name", name).Put("value", value));
        }
      }
    }
    return env;
  }

  Value Probe(Rng& rng, int port) const {
    Value probe = Value::Map();
    int form = rng.Range(0, 5);
    if (form < 4) {
      probe.Put("httpGet", Value::Map()
                               .Put("path", rng.Word({"/healthz", "/readyz", "/actuator/health",
                                                      "/health/live", "/ping"}))
                               .Put("port", I(port))
                               .Put("scheme", "HTTP"));
    } else if (form < 5) {
      probe.Put("tcpSocket", Value::Map().Put("port", I(port)));
    } else {
      probe.Put("exec",
                Value::Map().Put("command", Value::Seq().Add("/bin/sh").Add("-c").Add(
                                                "pg_isready -U postgres -h 127.0.0.1 -p 5432")));
    }
    probe.Put("initialDelaySeconds", I(rng.Range(0, 30)))
        .Put("periodSeconds", I(rng.Pick({5, 10, 15, 30})))
        .Put("timeoutSeconds", I(rng.Range(1, 5)))
        .Put("failureThreshold", I(rng.Range(3, 6)));
    return probe;
  }

  Value Resources(Rng& rng, const Problems* p) const {
    Value requests = Value::Map();
    requests.Put("cpu", std::to_string(rng.Pick({50, 100, 250, 500, 1000})) + "m")
        .Put("memory", std::to_string(rng.Pick({64, 128, 256, 512, 1024, 2048})) + "Mi");
    Value res = Value::Map();
    if (p == nullptr || !p->no_limits) {
      Value limits = Value::Map();
      if (rng.Chance(0.6)) limits.Put("cpu", std::to_string(rng.Pick({1, 2, 4})));
      limits.Put("memory", std::to_string(rng.Pick({256, 512, 1024, 4096})) + "Mi");
      if (rng.Chance(0.1)) limits.Put("ephemeral-storage", "2Gi");
      res.Put("limits", std::move(limits));
    }
    res.Put("requests", std::move(requests));
    return res;
  }

  Value ContainerSecurityContext(Rng& rng, const Problems* p) const {
    Value sc = Value::Map();
    if (p == nullptr) {
      sc.Put("allowPrivilegeEscalation", B(false))
          .Put("capabilities", Value::Map().Put("drop", Value::Seq().Add("ALL")))
          .Put("readOnlyRootFilesystem", B(true))
          .Put("runAsNonRoot", B(true))
          .Put("runAsUser", I(rng.Range(1000, 65000)))
          .Put("seccompProfile", Value::Map().Put("type", "RuntimeDefault"));
      return sc;
    }
    if (p->privileged) sc.Put("privileged", B(true));
    if (p->privilege_escalation) sc.Put("allowPrivilegeEscalation", B(true));
    if (p->added_capabilities) {
      Value add = Value::Seq();
      add.Add(rng.Word({"SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_PTRACE"}));
      if (rng.Chance(0.3)) add.Add("SYS_TIME");
      sc.Put("capabilities", Value::Map().Put("add", std::move(add)));
    }
    if (p->run_as_root) {
      sc.Put("runAsUser", I(0));
      if (rng.Chance(0.5)) sc.Put("runAsNonRoot", B(false));
    } else if (rng.Chance(0.5)) {
      sc.Put("runAsNonRoot", B(true));
    }
    if (p->proc_mount) sc.Put("procMount", "Unmasked");
    if (rng.Chance(0.3)) sc.Put("readOnlyRootFilesystem", B(rng.Chance(0.5)));
    return sc;
  }

  // `sidecar` >= 0 makes a sidecar (distinct names for distinct indexes), else the app itself.
  Value Container(Rng& rng, const App& app, const Problems* p, int sidecar, bool init,
                  const std::vector<std::string>& volume_names) const {
    static constexpr std::string_view kSidecarNames[] = {"envoy", "metrics", "log-shipper",
                                                         "cloudsql-proxy", "otel-agent"};
    bool main = sidecar < 0;
    Value c = Value::Map();
    int port = rng.Pick({8080, 8443, 9090, 3000, 5000, 8000});
    c.Put(
        "name",
        main ? std::string(init ? "init-migrate" : "app")
             : std::string(kSidecarNames[static_cast<size_t>(sidecar) % std::size(kSidecarNames)]));
    c.Put("image", main ? Image(rng, app, p) : S(rng.Word(kSidecarImages)));
    if (p == nullptr || rng.Chance(0.6)) {
      c.Put("imagePullPolicy", rng.Word({"IfNotPresent", "Always"}));
    }
    if (init || rng.Chance(0.3)) {
      c.Put("command", Value::Seq().Add(init ? "/bin/sh" : "/app/server"));
      c.Put("args", init ? Value::Seq().Add("-c").Add(Value::Block(
                               "set -e\n./migrate --database \"$DATABASE_HOST\" up\necho done\n"))
                         : Value::Seq()
                               .Add("--port=" + std::to_string(port))
                               .Add("--log-format=json")
                               .Add("--config=/etc/" + app.name + "/config.yaml"));
    }
    if (!init) {
      Value ports = Value::Seq();
      Value http = Value::Map();
      http.Put("name", "http").Put("containerPort", I(port)).Put("protocol", "TCP");
      if (p != nullptr && p->host_port) http.Put("hostPort", I(port));
      ports.Add(std::move(http));
      if (rng.Chance(0.5)) {
        ports.Add(Value::Map()
                      .Put("name", "metrics")
                      .Put("containerPort", I(9102))
                      .Put("protocol", "TCP"));
      }
      c.Put("ports", std::move(ports));
    }
    if (main) c.Put("env", Env(rng, app, p));
    if (main && rng.Chance(0.3)) {
      c.Put("envFrom", Value::Seq().Add(Value::Map().Put(
                           "configMapRef", Value::Map().Put("name", app.name + "-config"))));
    }
    if (p == nullptr || !p->no_resources) c.Put("resources", Resources(rng, p));
    if (main && !init && (p == nullptr || !p->no_probes)) {
      c.Put("livenessProbe", Probe(rng, port));
      c.Put("readinessProbe", Probe(rng, port));
      if (rng.Chance(0.2)) c.Put("startupProbe", Probe(rng, port));
    }
    if (!volume_names.empty()) {
      Value mounts = Value::Seq();
      for (const std::string& v : volume_names) {
        Value m = Value::Map();
        m.Put("name", v).Put("mountPath", "/var/lib/" + v);
        if (rng.Chance(0.4)) m.Put("readOnly", B(true));
        mounts.Add(std::move(m));
      }
      c.Put("volumeMounts", std::move(mounts));
    }
    if (p == nullptr || !p->no_security_context || p->privileged || p->run_as_root ||
        p->added_capabilities || p->privilege_escalation || p->proc_mount) {
      Value sc = ContainerSecurityContext(rng, p);
      if (!sc.empty()) c.Put("securityContext", std::move(sc));
    }
    c.Put("terminationMessagePolicy", "FallbackToLogsOnError");
    return c;
  }

  Value PodSpec(Rng& rng, const App& app, const Problems* p, std::string_view kind) const {
    Value spec = Value::Map();
    spec.Put("serviceAccountName", app.name);
    if (p == nullptr || rng.Chance(0.1)) spec.Put("automountServiceAccountToken", B(false));
    if (p != nullptr) {
      if (p->host_network) spec.Put("hostNetwork", B(true));
      if (p->host_pid) spec.Put("hostPID", B(true));
      if (p->host_ipc) spec.Put("hostIPC", B(true));
    }
    if (kind == "Job" || kind == "CronJob") spec.Put("restartPolicy", "OnFailure");
    // Pod-level security context.
    Value psc = Value::Map();
    if (p == nullptr) {
      psc.Put("runAsNonRoot", B(true))
          .Put("runAsUser", I(10001))
          .Put("runAsGroup", I(10001))
          .Put("fsGroup", I(10001))
          .Put("seccompProfile", Value::Map().Put("type", "RuntimeDefault"));
    } else {
      if (!p->no_security_context && rng.Chance(0.5)) psc.Put("fsGroup", I(2000));
      if (p->seccomp_unconfined) psc.Put("seccompProfile", Value::Map().Put("type", "Unconfined"));
      if (p->unsafe_sysctl) {
        psc.Put("sysctls",
                Value::Seq().Add(Value::Map().Put("name", "kernel.msgmax").Put("value", "65536")));
      }
    }
    if (!psc.empty()) spec.Put("securityContext", std::move(psc));

    // Volumes.
    Value volumes = Value::Seq();
    std::vector<std::string> mounted;
    if (rng.Chance(0.6)) {
      volumes.Add(Value::Map()
                      .Put("name", "config")
                      .Put("configMap", Value::Map().Put("name", app.name + "-config")));
      mounted.push_back("config");
    }
    if (rng.Chance(0.3)) {
      volumes.Add(
          Value::Map()
              .Put("name", "tls")
              .Put("secret",
                   Value::Map().Put("secretName", app.name + "-tls").Put("defaultMode", I(288))));
      mounted.push_back("tls");
    }
    if (rng.Chance(0.4) || (p == nullptr && rng.Chance(0.5))) {
      volumes.Add(
          Value::Map().Put("name", "tmp").Put("emptyDir", Value::Map().Put("sizeLimit", "256Mi")));
      mounted.push_back("tmp");
    }
    if (kind != "StatefulSet" && rng.Chance(0.1)) {
      volumes.Add(
          Value::Map()
              .Put("name", "data")
              .Put("persistentVolumeClaim", Value::Map().Put("claimName", app.name + "-data")));
      mounted.push_back("data");
    }
    if (p != nullptr && p->host_path) {
      std::string_view path =
          rng.Word({"/var/run/docker.sock", "/var/log", "/", "/etc", "/proc", "/var/lib/kubelet"});
      Value hp = Value::Map();
      hp.Put("path", path);
      if (rng.Chance(0.5)) hp.Put("type", path == "/var/run/docker.sock" ? "Socket" : "Directory");
      volumes.Add(Value::Map().Put("name", "host").Put("hostPath", std::move(hp)));
      mounted.push_back("host");
    }

    Value containers = Value::Seq();
    containers.Add(Container(rng, app, p, -1, false, mounted));
    int sidecars = rng.Chance(0.35) ? rng.Range(1, 2) : 0;
    int first_sidecar = rng.Range(0, 4);
    for (int i = 0; i < sidecars; ++i) {
      containers.Add(Container(rng, app, p, first_sidecar + i, false, {}));
    }
    if (rng.Chance(0.2)) {
      spec.Put("initContainers", Value::Seq().Add(Container(rng, app, p, -1, true, {})));
    }
    spec.Put("containers", std::move(containers));
    if (!volumes.empty()) spec.Put("volumes", std::move(volumes));
    if (rng.Chance(0.3)) {
      spec.Put("nodeSelector",
               Value::Map()
                   .Put("kubernetes.io/os", "linux")
                   .Put("node.kubernetes.io/pool", rng.Word({"general", "highmem"})));
    }
    if (rng.Chance(0.2) || kind == "DaemonSet") {
      spec.Put("tolerations", Value::Seq().Add(Value::Map()
                                                   .Put("key", "dedicated")
                                                   .Put("operator", "Equal")
                                                   .Put("value", app.team)
                                                   .Put("effect", "NoSchedule")));
    }
    if (rng.Chance(0.15)) {
      Value term = Value::Map();
      term.Put(
              "labelSelector",
              Value::Map().Put("matchLabels", Value::Map().Put("app.kubernetes.io/name", app.name)))
          .Put("topologyKey", "kubernetes.io/hostname");
      spec.Put(
          "affinity",
          Value::Map().Put(
              "podAntiAffinity",
              Value::Map().Put("preferredDuringSchedulingIgnoredDuringExecution",
                               Value::Seq().Add(Value::Map()
                                                    .Put("weight", I(100))
                                                    .Put("podAffinityTerm", std::move(term))))));
    }
    spec.Put("terminationGracePeriodSeconds", I(rng.Pick({30, 60, 120})));
    return spec;
  }

  Value PodTemplate(Rng& rng, const App& app, const Problems* p, std::string_view kind) const {
    Value md = Value::Map();
    Value labels = Value::Map();
    labels.Put("app.kubernetes.io/name", app.name)
        .Put("app.kubernetes.io/instance", app.name + "-" + app.team);
    md.Put("labels", std::move(labels));
    Value ann = Value::Map();
    if (rng.Chance(0.5)) {
      ann.Put("prometheus.io/scrape", "true").Put("prometheus.io/port", "9102");
    }
    if (rng.Chance(0.4)) ann.Put("checksum/config", rng.Hex(64));
    if (p != nullptr && p->apparmor_unconfined) {
      ann.Put("container.apparmor.security.beta.kubernetes.io/app", "unconfined");
    }
    if (!ann.empty()) md.Put("annotations", std::move(ann));
    return Value::Map().Put("metadata", std::move(md)).Put("spec", PodSpec(rng, app, p, kind));
  }

  Value Workload(Rng& rng, const App& app, std::string_view kind, const std::string& suffix) const {
    bool hardened = rng.Chance(options_.hardened);
    Problems problems;
    if (!hardened) problems = PickProblems(rng);
    const Problems* p = hardened ? nullptr : &problems;

    Value obj = Value::Map();
    bool batch = kind == "Job" || kind == "CronJob";
    obj.Put("apiVersion", kind == "Pod" ? "v1" : batch ? "batch/v1" : "apps/v1");
    obj.Put("kind", kind);
    obj.Put("metadata", Metadata(rng, app, app.name + suffix, "server", true));
    Value selector = Value::Map().Put(
        "matchLabels", Value::Map()
                           .Put("app.kubernetes.io/name", app.name)
                           .Put("app.kubernetes.io/instance", app.name + "-" + app.team));
    Value spec = Value::Map();
    if (kind == "Pod") {
      obj.Put("spec", PodSpec(rng, app, p, kind));
      return obj;
    }
    if (kind == "Deployment") {
      spec.Put("replicas", I(rng.Pick({1, 2, 3, 3, 5})))
          .Put("revisionHistoryLimit", I(5))
          .Put("selector", std::move(selector))
          .Put("strategy",
               Value::Map()
                   .Put("type", "RollingUpdate")
                   .Put("rollingUpdate",
                        Value::Map().Put("maxSurge", "25%").Put("maxUnavailable", I(0))))
          .Put("template", PodTemplate(rng, app, p, kind));
    } else if (kind == "StatefulSet") {
      Value claim = Value::Map();
      claim.Put("metadata", Value::Map().Put("name", "data"))
          .Put("spec", Value::Map()
                           .Put("accessModes", Value::Seq().Add("ReadWriteOnce"))
                           .Put("storageClassName", "gp3")
                           .Put("resources",
                                Value::Map().Put("requests", Value::Map().Put("storage", "20Gi"))));
      spec.Put("replicas", I(3))
          .Put("serviceName", app.name)
          .Put("selector", std::move(selector))
          .Put("template", PodTemplate(rng, app, p, kind))
          .Put("volumeClaimTemplates", Value::Seq().Add(std::move(claim)));
    } else if (kind == "DaemonSet") {
      spec.Put("selector", std::move(selector))
          .Put("updateStrategy", Value::Map().Put("type", "RollingUpdate"))
          .Put("template", PodTemplate(rng, app, p, kind));
    } else if (kind == "Job") {
      spec.Put("backoffLimit", I(3))
          .Put("ttlSecondsAfterFinished", I(86400))
          .Put("template", PodTemplate(rng, app, p, kind));
    } else {  // CronJob
      Value job = Value::Map();
      job.Put("backoffLimit", I(2)).Put("template", PodTemplate(rng, app, p, kind));
      spec.Put("schedule", std::to_string(rng.Range(0, 59)) + " */" +
                               std::to_string(rng.Pick({1, 2, 6, 12})) + " * * *")
          .Put("concurrencyPolicy", "Forbid")
          .Put("successfulJobsHistoryLimit", I(3))
          .Put("jobTemplate", Value::Map().Put("spec", std::move(job)));
    }
    obj.Put("spec", std::move(spec));
    return obj;
  }

  // -- everything else ------------------------------------------------------

  Value Service(Rng& rng, const App& app, const std::string& suffix) const {
    Value obj = Value::Map();
    obj.Put("apiVersion", "v1").Put("kind", "Service");
    Value md = Metadata(rng, app, app.name + suffix, "server", true);
    std::string type = rng.Chance(0.8)   ? "ClusterIP"
                       : rng.Chance(0.5) ? "NodePort"
                                         : "LoadBalancer";
    Value spec = Value::Map();
    spec.Put("type", type);
    Value ports = Value::Seq();
    int n = rng.Range(1, 3);
    for (int i = 0; i < n; ++i) {
      Value port = Value::Map();
      port.Put("name", i == 0   ? "http"
                       : i == 1 ? "metrics"
                                : "grpc")
          .Put("port", I(i == 0   ? 80
                         : i == 1 ? 9102
                                  : 9090))
          .Put("targetPort", i == 0 ? S("http") : I(i == 1 ? 9102 : 9090))
          .Put("protocol", "TCP");
      if (type == "NodePort") port.Put("nodePort", I(rng.Range(30000, 32767)));
      ports.Add(std::move(port));
    }
    spec.Put("ports", std::move(ports));
    spec.Put("selector", Value::Map()
                             .Put("app.kubernetes.io/name", app.name)
                             .Put("app.kubernetes.io/instance", app.name + "-" + app.team));
    if (type == "LoadBalancer" && rng.Chance(0.5)) {
      spec.Put("loadBalancerSourceRanges", Value::Seq().Add("10.0.0.0/8").Add("192.168.0.0/16"));
    }
    if (rng.Chance(0.02)) spec.Put("externalIPs", Value::Seq().Add("203.0.113.10"));
    if (rng.Chance(0.1)) spec.Put("sessionAffinity", "ClientIP");
    obj.Put("metadata", std::move(md)).Put("spec", std::move(spec));
    return obj;
  }

  std::string ConfigFile(Rng& rng, const App& app, std::string_view key) const {
    std::string out;
    if (key == "nginx.conf") {
      out += "worker_processes auto;\nevents {\n  worker_connections 1024;\n}\nhttp {\n";
      int servers = rng.Range(1, 4);
      for (int s = 0; s < servers; ++s) {
        out += "  upstream backend_" + std::to_string(s) + " {\n";
        int n = rng.Range(2, 5);
        for (int i = 0; i < n; ++i) {
          out += "    server " + app.name + "-" + std::to_string(i) + "." + app.namespace_ +
                 ".svc.cluster.local:" + std::to_string(rng.Range(8000, 9000)) + " max_fails=3;\n";
        }
        out += "  }\n  server {\n    listen " + std::to_string(8080 + s) + ";\n";
        out += "    server_name " + app.name + ".example.com;\n";
        out += "    location / {\n      proxy_pass http://backend_" + std::to_string(s) + ";\n";
        out += "      proxy_set_header Host $host;\n      proxy_read_timeout " +
               std::to_string(rng.Range(5, 120)) + "s;\n    }\n  }\n";
      }
      out += "}\n";
    } else if (key == "application.yaml") {
      out += "server:\n  port: 8080\n  shutdown: graceful\nspring:\n  application:\n    name: " +
             app.name + "\n  datasource:\n    url: jdbc:postgresql://" + app.team + "-db." +
             app.namespace_ + ":5432/" + app.team +
             "\n    hikari:\n      maximum-pool-size: " + std::to_string(rng.Range(5, 50)) + "\n";
      int features = rng.Range(3, 25);
      out += "features:\n";
      for (int i = 0; i < features; ++i) {
        out += "  " + std::string(rng.Word(kComponents)) + "-" + rng.Alnum(5) +
               ":\n    enabled: " + (rng.Chance(0.5) ? "true" : "false") +
               "\n    rollout: " + std::to_string(rng.Range(0, 100)) + "\n";
      }
      out +=
          "management:\n  endpoints:\n    web:\n      exposure:\n        include: health,info,"
          "prometheus\n";
    } else if (key == "settings.json") {
      out += "{\n  \"service\": \"" + app.name + "\",\n  \"limits\": {";
      int n = rng.Range(3, 20);
      for (int i = 0; i < n; ++i) {
        out += std::string(i ? "," : "") + "\n    \"" + rng.Alnum(8) +
               "\": " + std::to_string(rng.Range(1, 100000));
      }
      out += "\n  }\n}\n";
    } else {  // logging.properties
      int n = rng.Range(5, 30);
      for (int i = 0; i < n; ++i) {
        out += "logger." + std::string(rng.Word(kComponents)) + "." + rng.Alnum(6) +
               ".level=" + std::string(rng.Word({"INFO", "DEBUG", "WARN"})) + "\n";
      }
    }
    return out;
  }

  Value ConfigMap(Rng& rng, const App& app, const std::string& suffix) const {
    Value data = Value::Map();
    int small = rng.Range(2, 10);
    for (int i = 0; i < small; ++i) {
      data.Put(std::string(rng.Word(kEnvNames)) + "_" + std::to_string(i),
               std::string(rng.Word(
                   {"info", "30s", "8080", "true", "eu-west-1", "https://api.example.com"})));
    }
    // Credentials in a ConfigMap: a classic finding.
    if (rng.Chance(0.05)) data.Put("DB_PASSWORD", rng.Alnum(20));
    // Embedded configuration files (distinct keys: duplicates are a decoding error).
    static constexpr std::string_view kFiles[] = {"nginx.conf", "application.yaml", "settings.json",
                                                  "logging.properties"};
    int files = rng.Chance(0.6) ? rng.Range(1, 3) : 0;
    size_t first = rng.Below(std::size(kFiles));
    for (int i = 0; i < files; ++i) {
      std::string_view key = kFiles[(first + static_cast<size_t>(i)) % std::size(kFiles)];
      data.Put(std::string(key), Value::Block(ConfigFile(rng, app, key)));
    }
    Value obj = Value::Map();
    obj.Put("apiVersion", "v1")
        .Put("kind", "ConfigMap")
        .Put("metadata", Metadata(rng, app, app.name + "-config" + suffix, "config", true))
        .Put("data", std::move(data));
    return obj;
  }

  // A PEM-looking certificate of about `bytes` bytes.
  static std::string Pem(Rng& rng, size_t bytes) {
    std::string b64 = rng.Base64(bytes * 3 / 4);
    std::string out = "-----BEGIN CERTIFICATE-----\n";
    for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
    return out + "-----END CERTIFICATE-----\n";
  }
  static std::string Base64Of(std::string_view text) {
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < text.size(); i += 3) {
      uint32_t v = (uint8_t(text[i]) << 16) | (uint8_t(text[i + 1]) << 8) | uint8_t(text[i + 2]);
      for (int s = 18; s >= 0; s -= 6) out.push_back(kChars[(v >> s) & 63]);
    }
    if (i < text.size()) {
      uint32_t v = uint8_t(text[i]) << 16;
      if (i + 1 < text.size()) v |= uint8_t(text[i + 1]) << 8;
      out.push_back(kChars[(v >> 18) & 63]);
      out.push_back(kChars[(v >> 12) & 63]);
      out.push_back(i + 1 < text.size() ? kChars[(v >> 6) & 63] : '=');
      out.push_back('=');
    }
    return out;
  }

  Value Secret(Rng& rng, const App& app, const std::string& suffix) const {
    Value obj = Value::Map();
    obj.Put("apiVersion", "v1").Put("kind", "Secret");
    Value data = Value::Map();
    std::string type;
    int form = rng.Range(0, 9);
    if (form < 3) {
      type = "kubernetes.io/tls";
      data.Put("tls.crt", Base64Of(Pem(rng, static_cast<size_t>(rng.Range(1100, 2000)))))
          .Put("tls.key", rng.Base64(static_cast<size_t>(rng.Range(1190, 1700))));
      if (rng.Chance(0.5)) data.Put("ca.crt", Base64Of(Pem(rng, 1200)));
    } else if (form < 4) {
      type = "kubernetes.io/dockerconfigjson";
      data.Put(".dockerconfigjson", Base64Of("{\"auths\":{\"registry.example.com\":{\"auth\":\"" +
                                             rng.Base64(48) + "\"}}}"));
    } else {
      type = "Opaque";
      int n = rng.Range(1, 6);
      for (int i = 0; i < n; ++i) {
        data.Put(std::string(rng.Word({"password", "token", "dsn", "api-key", "client-secret"})) +
                     (i ? "-" + std::to_string(i) : ""),
                 rng.Base64(static_cast<size_t>(rng.Range(12, 64))));
      }
    }
    obj.Put("metadata", Metadata(rng, app, app.name + "-secret" + suffix, "secret", true))
        .Put("type", type)
        .Put("data", std::move(data));
    return obj;
  }

  Value ServiceAccount(Rng& rng, const App& app, const std::string& suffix) const {
    Value obj = Value::Map();
    obj.Put("apiVersion", "v1")
        .Put("kind", "ServiceAccount")
        .Put("metadata", Metadata(rng, app, app.name + suffix, "identity", true));
    if (rng.Chance(0.4)) obj.Put("automountServiceAccountToken", B(false));
    if (rng.Chance(0.3)) {
      obj.Put("imagePullSecrets",
              Value::Seq().Add(Value::Map().Put("name", "registry-credentials")));
    }
    return obj;
  }

  Value Role(Rng& rng, const App& app, const std::string& suffix, bool cluster) const {
    bool hardened = rng.Chance(options_.hardened);
    Value rules = Value::Seq();
    auto rule = [](std::initializer_list<std::string_view> groups,
                   std::initializer_list<std::string_view> resources,
                   std::initializer_list<std::string_view> verbs) {
      Value r = Value::Map();
      Value g = Value::Seq(), res = Value::Seq(), v = Value::Seq();
      for (auto x : groups) g.Add(x);
      for (auto x : resources) res.Add(x);
      for (auto x : verbs) v.Add(x);
      r.Put("apiGroups", std::move(g)).Put("resources", std::move(res)).Put("verbs", std::move(v));
      return r;
    };
    int n = rng.Range(2, 7);
    for (int i = 0; i < n; ++i) {
      switch (rng.Range(0, 4)) {
        case 0:
          rules.Add(rule({""}, {"configmaps", "services", "endpoints"}, {"get", "list", "watch"}));
          break;
        case 1:
          rules.Add(rule({"apps"}, {"deployments", "statefulsets"}, {"get", "list", "watch"}));
          break;
        case 2:
          rules.Add(
              rule({"coordination.k8s.io"}, {"leases"}, {"get", "create", "update", "patch"}));
          break;
        case 3:
          rules.Add(rule({""}, {"events"}, {"create", "patch"}));
          break;
        default:
          rules.Add(rule({"discovery.k8s.io"}, {"endpointslices"}, {"get", "list", "watch"}));
      }
    }
    if (!hardened) {
      if (rng.Chance(0.10)) rules.Add(rule({"*"}, {"*"}, {"*"}));
      if (rng.Chance(0.15)) rules.Add(rule({""}, {"secrets"}, {"get", "list", "watch"}));
      if (rng.Chance(0.08)) rules.Add(rule({""}, {"pods/exec", "pods/attach"}, {"create"}));
      if (rng.Chance(0.05)) {
        rules.Add(
            rule({"rbac.authorization.k8s.io"}, {"clusterroles", "roles"}, {"escalate", "bind"}));
      }
      if (rng.Chance(0.03))
        rules.Add(rule({""}, {"users", "groups", "serviceaccounts"}, {"impersonate"}));
      if (cluster && rng.Chance(0.03)) rules.Add(rule({""}, {"nodes/proxy"}, {"get"}));
    }
    Value obj = Value::Map();
    obj.Put("apiVersion", "rbac.authorization.k8s.io/v1")
        .Put("kind", cluster ? "ClusterRole" : "Role")
        .Put("metadata", Metadata(rng, app, app.name + suffix, "rbac", !cluster))
        .Put("rules", std::move(rules));
    return obj;
  }

  Value Binding(Rng& rng, const App& app, const std::string& suffix, bool cluster) const {
    std::string role_kind = cluster || rng.Chance(0.2) ? "ClusterRole" : "Role";
    std::string role = app.name;
    if (!rng.Chance(options_.hardened)) {
      if (rng.Chance(0.05)) {
        role = "cluster-admin";
        role_kind = "ClusterRole";
      } else if (rng.Chance(0.05)) {
        role = "edit";
        role_kind = "ClusterRole";
      }
    }
    Value subjects = Value::Seq();
    subjects.Add(Value::Map()
                     .Put("kind", "ServiceAccount")
                     .Put("name", rng.Chance(0.1) ? std::string("default") : app.name)
                     .Put("namespace", app.namespace_));
    if (rng.Chance(0.2)) {
      subjects.Add(
          Value::Map()
              .Put("apiGroup", "rbac.authorization.k8s.io")
              .Put("kind", "Group")
              .Put("name", rng.Chance(0.03) ? "system:unauthenticated" : app.team + "-developers"));
    }
    if (rng.Chance(0.01)) {
      subjects.Add(Value::Map()
                       .Put("apiGroup", "rbac.authorization.k8s.io")
                       .Put("kind", "User")
                       .Put("name", "system:anonymous"));
    }
    Value obj = Value::Map();
    obj.Put("apiVersion", "rbac.authorization.k8s.io/v1")
        .Put("kind", cluster ? "ClusterRoleBinding" : "RoleBinding")
        .Put("metadata", Metadata(rng, app, app.name + suffix, "rbac", !cluster))
        .Put("roleRef", Value::Map()
                            .Put("apiGroup", "rbac.authorization.k8s.io")
                            .Put("kind", role_kind)
                            .Put("name", role))
        .Put("subjects", std::move(subjects));
    return obj;
  }

  Value NetworkPolicy(Rng& rng, const App& app, const std::string& suffix) const {
    Value spec = Value::Map();
    Value selector = Value::Map();
    if (rng.Chance(0.2)) {
      spec.Put("podSelector", Value::Map());  // every pod of the namespace
    } else {
      spec.Put(
          "podSelector",
          Value::Map().Put("matchLabels", Value::Map().Put("app.kubernetes.io/name", app.name)));
    }
    Value types = Value::Seq().Add("Ingress");
    bool egress = rng.Chance(0.4);
    if (egress) types.Add("Egress");
    spec.Put("policyTypes", std::move(types));
    Value ingress = Value::Seq();
    if (!rng.Chance(options_.hardened) && rng.Chance(0.1)) {
      ingress.Add(Value::Map());  // allow all: a policy that protects nothing
    } else {
      int n = rng.Range(1, 3);
      for (int i = 0; i < n; ++i) {
        Value from = Value::Seq();
        from.Add(Value::Map().Put(
            "namespaceSelector",
            Value::Map().Put("matchLabels", Value::Map().Put("kubernetes.io/metadata.name",
                                                             rng.Chance(0.5) ? app.namespace_
                                                                             : "ingress-nginx"))));
        if (rng.Chance(0.5)) {
          from.Add(Value::Map().Put(
              "podSelector",
              Value::Map().Put("matchLabels", Value::Map().Put("app.kubernetes.io/component",
                                                               rng.Word(kComponents)))));
        }
        if (rng.Chance(0.1)) {
          from.Add(
              Value::Map().Put("ipBlock", Value::Map()
                                              .Put("cidr", "10.0.0.0/8")
                                              .Put("except", Value::Seq().Add("10.1.0.0/16"))));
        }
        ingress.Add(
            Value::Map()
                .Put("from", std::move(from))
                .Put("ports", Value::Seq().Add(Value::Map()
                                                   .Put("protocol", "TCP")
                                                   .Put("port", I(rng.Pick({80, 8080, 9090}))))));
      }
    }
    spec.Put("ingress", std::move(ingress));
    if (egress) {
      spec.Put(
          "egress",
          Value::Seq().Add(
              Value::Map()
                  .Put("to", Value::Seq().Add(Value::Map().Put(
                                 "namespaceSelector",
                                 Value::Map().Put("matchLabels",
                                                  Value::Map().Put("kubernetes.io/metadata.name",
                                                                   "kube-system")))))
                  .Put("ports",
                       Value::Seq().Add(Value::Map().Put("protocol", "UDP").Put("port", I(53))))));
    }
    Value obj = Value::Map();
    obj.Put("apiVersion", "networking.k8s.io/v1")
        .Put("kind", "NetworkPolicy")
        .Put("metadata", Metadata(rng, app, app.name + suffix, "network", true))
        .Put("spec", std::move(spec));
    return obj;
  }

  Value Ingress(Rng& rng, const App& app, const std::string& suffix) const {
    Value md = Metadata(rng, app, app.name + suffix, "edge", true);
    std::string host = app.name + "." + app.team + ".example.com";
    Value paths = Value::Seq();
    int n = rng.Range(1, 4);
    for (int i = 0; i < n; ++i) {
      paths.Add(
          Value::Map()
              .Put("path", i == 0 ? std::string("/") : "/" + std::string(rng.Word(kComponents)))
              .Put("pathType", "Prefix")
              .Put("backend", Value::Map().Put(
                                  "service", Value::Map()
                                                 .Put("name", app.name)
                                                 .Put("port", Value::Map().Put("number", I(80))))));
    }
    Value spec = Value::Map();
    spec.Put("ingressClassName", "nginx");
    if (rng.Chance(0.7)) {
      spec.Put("tls", Value::Seq().Add(Value::Map()
                                           .Put("hosts", Value::Seq().Add(host))
                                           .Put("secretName", app.name + "-tls")));
    }
    spec.Put("rules",
             Value::Seq().Add(Value::Map()
                                  .Put("host", host)
                                  .Put("http", Value::Map().Put("paths", std::move(paths)))));
    Value obj = Value::Map();
    obj.Put("apiVersion", "networking.k8s.io/v1")
        .Put("kind", "Ingress")
        .Put("metadata", std::move(md))
        .Put("spec", std::move(spec));
    return obj;
  }

  Value Namespace(Rng& rng, const App& app) const {
    Value labels = Value::Map();
    labels.Put("kubernetes.io/metadata.name", app.namespace_).Put("team", app.team);
    if (rng.Chance(options_.hardened)) {
      labels.Put("pod-security.kubernetes.io/enforce", "restricted")
          .Put("pod-security.kubernetes.io/enforce-version", "latest");
    } else if (rng.Chance(0.4)) {
      labels.Put("pod-security.kubernetes.io/enforce", rng.Word({"baseline", "privileged"}));
    }
    Value obj = Value::Map();
    obj.Put("apiVersion", "v1")
        .Put("kind", "Namespace")
        .Put("metadata", Value::Map().Put("name", app.namespace_).Put("labels", std::move(labels)));
    return obj;
  }

  const Options& options_;
  size_t namespaces_ = 1;
};

// ---------------------------------------------------------------------------
// Output

int Run(const Options& o) {
  if (o.format != "yaml" && o.format != "json") {
    std::cerr << "kspm_generate: --format must be yaml or json\n";
    return 2;
  }
  if (o.per_file == 0) {
    std::cerr << "kspm_generate: --per-file must be at least 1\n";
    return 2;
  }
  namespace fs = std::filesystem;
  bool to_stdout = o.out == "-";
  if (!to_stdout) {
    std::error_code ec;
    if (fs::exists(o.out, ec) && !fs::is_empty(o.out, ec)) {
      std::cerr << "kspm_generate: " << o.out
                << " exists and is not empty; remove it or choose another folder\n";
      return 2;
    }
    fs::create_directories(o.out, ec);
    if (ec) {
      std::cerr << "kspm_generate: cannot create " << o.out << ": " << ec.message() << "\n";
      return 2;
    }
  }
  bool json = o.format == "json";
  Generator gen(o);
  size_t bytes = 0;
  size_t files = 0;
  std::string text;
  for (size_t first = 0; first < o.resources; first += o.per_file) {
    size_t last = std::min(o.resources, first + o.per_file);
    text.clear();
    if (json) {
      // One List per file, as `kubectl get -o json` writes it.
      Value list = Value::Map();
      Value items = Value::Seq();
      for (size_t i = first; i < last; ++i) items.Add(gen.Resource(i));
      list.Put("apiVersion", "v1").Put("kind", "List").Put("items", std::move(items));
      EmitJson(list, 0, text);
      text.push_back('\n');
    } else {
      for (size_t i = first; i < last; ++i) {
        if (i != first || (to_stdout && first != 0)) text += "---\n";
        EmitYamlMap(gen.Resource(i), 0, false, text);
      }
    }
    bytes += text.size();
    if (to_stdout) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      continue;
    }
    char name[64];
    std::snprintf(name, sizeof name, "manifests-%05zu.%s", files, json ? "json" : "yaml");
    fs::path path = fs::path(o.out) / name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size() ||
        std::fclose(f) != 0) {
      std::cerr << "kspm_generate: cannot write " << path.string() << "\n";
      return 1;
    }
    ++files;
  }
  if (to_stdout && std::fflush(stdout) != 0) return 1;
  std::cerr << "kspm_generate: " << o.resources << " resources, " << bytes << " bytes";
  if (!to_stdout) std::cerr << " in " << files << " files under " << o.out;
  std::cerr << "\n";
  return 0;
}

}  // namespace
}  // namespace kspm::bench

int main(int argc, char** argv) {
  kspm::bench::Options o;
  CLI::App app{"Generates realistic Kubernetes manifests for kspm's benchmarks (deterministic)",
               "kspm_generate"};
  app.add_option("-n,--resources", o.resources, "Number of resources")->capture_default_str();
  app.add_option("--seed", o.seed, "Seed; the same seed gives the same output")
      ->capture_default_str();
  app.add_option("--hardened", o.hardened,
                 "Fraction of workloads that are hardened (restricted PSS, limits, probes)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--per-file", o.per_file, "Resources per file (folder output)")
      ->capture_default_str();
  app.add_option("--format", o.format, "yaml (multi-document) or json (a v1 List per file)")
      ->capture_default_str();
  app.add_option("-o,--out", o.out, "Output folder (must be new or empty), or - for stdout")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return kspm::bench::Run(o);
}
