// secret_scan_bench: throughput of the credential matcher (rules/secret_patterns.h)
// with each multi-pattern engine, over generated ConfigMap values.
//
//   build/bench/secret_scan_bench [MiB]      (default 64 MiB of values per input)
//
// Inputs: realistic ConfigMap data values (Spring properties, nginx.conf,
// Prometheus and application YAML, JSON settings, env files), each scanned on
// its own as SEC-005 does. "clean" has no credential; "with secrets" puts one
// (a password assignment, an AWS key pair, a private key, a JWT, a URL with a
// password, a GitHub token) into every 20th value. Figures: MiB of input per
// CPU second of one thread, best of 5 repetitions, plus the number of
// credentials found (which must agree between engines). Nothing asserts timings.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rules/secret_patterns.h"

namespace {

using kspm::rules::secrets::CredentialMatch;
using kspm::rules::secrets::MatchEngine;
using kspm::rules::secrets::SecretMatcher;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A small deterministic generator (no <random> distribution differences).
struct Rng {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  uint64_t Next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  std::string Word(size_t n) {
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (size_t i = 0; i < n; ++i) out.push_back(kChars[Below(sizeof(kChars) - 1)]);
    return out;
  }
  std::string Token(size_t n) {
    static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (size_t i = 0; i < n; ++i) out.push_back(kChars[Below(sizeof(kChars) - 1)]);
    return out;
  }
};

std::string Properties(Rng& r) {
  std::string s;
  s += "server.port=" + std::to_string(8000 + r.Below(1000)) + "\n";
  s += "spring.application.name=" + r.Word(8) + "\n";
  s += "spring.datasource.url=jdbc:postgresql://db-" + r.Word(4) + ":5432/" + r.Word(6) + "\n";
  s += "spring.datasource.username=" + r.Word(6) + "\n";
  s += "spring.datasource.password=${DB_PASSWORD}\n";
  s += "spring.jpa.hibernate.ddl-auto=validate\n";
  s += "management.endpoints.web.exposure.include=health,info,prometheus\n";
  for (int i = 0; i < 12; ++i) {
    s += "app.feature." + r.Word(6) + ".enabled=" + (r.Below(2) ? "true" : "false") + "\n";
  }
  s += "logging.level.root=INFO\nlogging.level.org.springframework=WARN\n";
  s += "security.oauth2.client.token-uri=https://auth." + r.Word(5) + ".example/token\n";
  return s;
}

std::string Nginx(Rng& r) {
  std::string s = "worker_processes auto;\nevents { worker_connections 1024; }\nhttp {\n";
  s += "  include mime.types;\n  sendfile on;\n  keepalive_timeout 65;\n";
  for (int i = 0; i < 6; ++i) {
    std::string name = r.Word(6);
    s += "  upstream " + name + " { server " + name + ".svc.cluster.local:8080; }\n";
    s += "  server {\n    listen 80;\n    server_name " + name + ".example.com;\n";
    s += "    location / {\n      proxy_pass http://" + name + ";\n";
    s += "      proxy_set_header Host $host;\n      proxy_set_header X-Real-IP $remote_addr;\n";
    s += "    }\n  }\n";
  }
  return s + "}\n";
}

std::string Prometheus(Rng& r) {
  std::string s = "global:\n  scrape_interval: 30s\n  evaluation_interval: 30s\nscrape_configs:\n";
  for (int i = 0; i < 8; ++i) {
    s += "  - job_name: " + r.Word(8) + "\n";
    s += "    kubernetes_sd_configs:\n      - role: pod\n";
    s += "    bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token\n";
    s += "    tls_config:\n      ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n";
    s += "    relabel_configs:\n      - source_labels: [__meta_kubernetes_pod_label_app]\n";
    s += "        action: keep\n        regex: " + r.Word(6) + "\n";
  }
  return s;
}

std::string JsonSettings(Rng& r) {
  std::string s = "{\n  \"name\": \"" + r.Word(8) + "\",\n  \"replicas\": 3,\n";
  s += "  \"auth\": {\"issuer\": \"https://login." + r.Word(5) + ".example\", \"audience\": \"" +
       r.Word(6) + "\", \"tokenTtlSeconds\": 3600},\n";
  s += "  \"features\": [";
  for (int i = 0; i < 20; ++i) s += std::string(i ? ", " : "") + "\"" + r.Word(7) + "\"";
  s += "],\n  \"cache\": {\"host\": \"redis\", \"port\": 6379, \"ttl\": 60}\n}\n";
  return s;
}

std::string EnvFile(Rng& r) {
  std::string s;
  for (int i = 0; i < 25; ++i) {
    s += "APP_" + r.Word(6) + "=" + r.Word(4 + r.Below(20)) + "\n";
  }
  s += "SECRET_NAME=db-credentials\nTOKEN_AUDIENCE=api\nPASSWORD_FILE=/run/secrets/db\n";
  return s;
}

std::string Secret(Rng& r, size_t which) {
  switch (which % 6) {
    case 0:
      return "db.password=" + r.Token(14) + "\n";
    case 1:
      return "aws_access_key_id = AKIA" + std::string("Z2QW3ER4TY5UI6OP") +
             "\naws_secret_access_key = " + r.Token(40) + "\n";
    case 2: {
      std::string key = "-----BEGIN RSA PRIVATE KEY-----\n";
      for (int i = 0; i < 6; ++i) key += r.Token(64) + "\n";
      return key + "-----END RSA PRIVATE KEY-----\n";
    }
    case 3:
      return "token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." +
             r.Token(43) + "\n";
    case 4:
      return "url: postgres://app:" + r.Token(16) + "@db:5432/app\n";
    default:
      return "github: ghp_" + r.Token(36) + "\n";
  }
}

std::vector<std::string> Generate(size_t bytes, bool with_secrets) {
  Rng r;
  std::vector<std::string> values;
  size_t total = 0;
  size_t n = 0;
  while (total < bytes) {
    std::string v;
    switch (r.Below(5)) {
      case 0:
        v = Properties(r);
        break;
      case 1:
        v = Nginx(r);
        break;
      case 2:
        v = Prometheus(r);
        break;
      case 3:
        v = JsonSettings(r);
        break;
      default:
        v = EnvFile(r);
    }
    if (with_secrets && n % 20 == 0) {
      size_t at = v.find('\n', v.size() / 2);  // at a line start in the middle
      v.insert(at == std::string::npos ? v.size() : at + 1, Secret(r, n / 20));
    }
    total += v.size();
    values.push_back(std::move(v));
    ++n;
  }
  return values;
}

struct Figure {
  double mib_per_s = 0;
  size_t found = 0;
};

Figure Measure(const SecretMatcher& m, const std::vector<std::string>& values, bool anchors_only) {
  double bytes = 0;
  for (const std::string& v : values) bytes += static_cast<double>(v.size());
  Figure best;
  std::vector<CredentialMatch> found;
  std::vector<SecretMatcher::Anchor> anchors;
  for (int rep = 0; rep < 5; ++rep) {
    size_t count = 0;
    double start = ThreadCpuSeconds();
    for (const std::string& v : values) {
      if (anchors_only) {
        anchors.clear();
        m.FindAnchors(v, anchors);
        count += anchors.size();
      } else {
        found.clear();
        m.Scan(v, found);
        count += found.size();
      }
    }
    double secs = ThreadCpuSeconds() - start;
    double rate = bytes / (1024.0 * 1024.0) / secs;
    if (rate > best.mib_per_s) best = {rate, count};
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  size_t mib = argc > 1 ? static_cast<size_t>(std::atoi(argv[1])) : 64;
  if (mib == 0) mib = 64;
  struct Input {
    const char* name;
    std::vector<std::string> values;
  };
  Input inputs[] = {{"clean", Generate(mib << 20, false)},
                    {"with secrets", Generate(mib << 20, true)}};
  for (const Input& in : inputs) {
    size_t bytes = 0;
    for (const std::string& v : in.values) bytes += v.size();
    std::printf("input %-13s %zu values, %.1f MiB, %.0f bytes per value\n", in.name,
                in.values.size(), static_cast<double>(bytes) / (1 << 20),
                static_cast<double>(bytes) / static_cast<double>(in.values.size()));
  }
  // What the matcher finds in the clean input: these are the false positives.
  {
    std::vector<CredentialMatch> found;
    for (const std::string& v : inputs[0].values) {
      size_t before = found.size();
      SecretMatcher::Default().Scan(v, found);
      for (size_t i = before; i < found.size(); ++i) {
        const CredentialMatch& m = found[i];
        std::printf("clean input match: %s, key \"%.*s\", text \"%.*s\"\n",
                    std::string(kspm::rules::secrets::CredentialKindName(m.kind)).c_str(),
                    static_cast<int>(m.key.size()), m.key.data(), static_cast<int>(m.end - m.begin),
                    v.data() + m.begin);
      }
    }
  }
  std::printf("\n| engine | input | Scan MiB/s | anchor pass MiB/s | credentials found |\n");
  std::printf("|---|---|---|---|---|\n");
  for (MatchEngine engine : {MatchEngine::kHyperscan, MatchEngine::kRe2Set}) {
    if (!kspm::rules::secrets::MatchEngineAvailable(engine)) {
      std::printf("| %s | - | not available | | |\n",
                  std::string(kspm::rules::secrets::MatchEngineName(engine)).c_str());
      continue;
    }
    auto matcher = SecretMatcher::Create(engine);
    if (!matcher.ok()) {
      std::fprintf(stderr, "%s\n", matcher.status().message().c_str());
      return 1;
    }
    for (const Input& in : inputs) {
      Figure scan = Measure(**matcher, in.values, false);
      Figure pass = Measure(**matcher, in.values, true);
      std::printf("| %s | %s | %.0f | %.0f | %zu |\n",
                  std::string(kspm::rules::secrets::MatchEngineName(engine)).c_str(), in.name,
                  scan.mib_per_s, pass.mib_per_s, scan.found);
    }
  }
  return 0;
}
