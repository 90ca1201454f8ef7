// The secrets rules (SEC-NNN): where each looks, what it reports, and that no
// report format ever prints a secret. All secrets here are fake.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/source.h"
#include "engine/evaluate.h"
#include "engine/registry.h"
#include "engine/score.h"
#include "report/report.h"
#include "rules/builtin.h"
#include "rules/secret_patterns.h"

namespace kspm::rules {
namespace {

std::string Base64(std::string_view in) {
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kChars[(n >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += std::string{kChars[(n >> 18) & 63], kChars[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += std::string{kChars[(n >> 18) & 63], kChars[(n >> 12) & 63], kChars[(n >> 6) & 63], '='};
  }
  return out;
}

// Fake secrets, unique strings so a leak is unambiguous.
const std::string kAwsId = "AKIAZ2QW3ER4TY5UI6OP";
const std::string kAwsSecret = "q8Vn3LwT7xZr2KpY6mJd9HsB4fGc1NtR5aEuW0oI";
const std::string kGithub = "ghp_Q7w3E9r1T5y8U2i6O4p0A3s7D1f5G9h2J6k4";
const std::string kPassword = "hunter2-Plain-Value";
const std::string kUrlPassword = "UrlPassw0rdValue";
const std::string kDecoded = "Base64DecodedSecret77";
const std::string kPlainInData = "PlainTextInData!!";  // not base64
const std::string kLastApplied = "LastAppliedSecret42";
const std::string kPemBody =
    "MIIEowIBAAKCAQEAx3Fake9Key0Body1For2Tests3Only4Never5Real6Material7Ab\n"
    "Qm9keTJGb3JUZXN0c09ubHlOZXZlclJlYWxNYXRlcmlhbEFiY2RlZmdoaWprbG1ub3By\n";
const std::string kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";

std::string Deployment(const std::string& container_body) {
  return R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: app
        image: registry.example.com/api:1.0
)" + container_body;
}

// Each line of `text` with `prefix` in front.
std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

struct Outcome {
  bool applicable = false;
  std::vector<std::string> fail_pointers;  // empty when it passes
  std::vector<engine::Evidence> evidence;
  std::string message;
};

class SecretRules : public testing::Test {
 protected:
  void SetUp() override { RegisterSecretRules(registry_); }

  Outcome Run(const std::string& rule_id, const std::string& yaml) {
    loaded_ = core::DecodeSources({{"in.yaml", yaml}}, {});
    EXPECT_TRUE(loaded_.diagnostics.empty()) << loaded_.diagnostics.front().message;
    const engine::Rule* rule = registry_.Find(rule_id);
    EXPECT_NE(rule, nullptr);
    engine::RuleContext ctx{&loaded_.inventory, 37};
    std::vector<engine::Finding> findings = engine::Evaluate({rule}, loaded_.inventory, ctx, 1);
    Outcome out;
    for (const engine::Finding& f : findings) {
      out.applicable = true;
      if (f.status != engine::FindingStatus::kFail) continue;
      out.message = f.message();
      for (const engine::Evidence& e : f.evidence()) {
        out.fail_pointers.push_back(e.pointer);
        out.evidence.push_back(e);
      }
    }
    return out;
  }

  engine::RuleRegistry registry_;
  core::LoadResult loaded_;
};

struct Case {
  const char* name;
  const char* rule;
  std::string yaml;
  std::vector<std::string> fails;  // evidence pointers; empty = pass
  bool applicable = true;
};

std::vector<Case> Cases() {
  return {
      // SEC-001 env values
      {"env_password_literal",
       "SEC-001",
       Deployment("        env:\n        - {name: DB_PASSWORD, value: \"" + kPassword + "\"}\n"),
       {"/spec/template/spec/containers/0/env/0/value"}},
      {"env_known_format_under_neutral_name",
       "SEC-001",
       Deployment("        env:\n        - {name: LOG_LEVEL, value: info}\n"
                  "        - {name: BOOTSTRAP, value: \"" +
                  kGithub + "\"}\n"),
       {"/spec/template/spec/containers/0/env/1/value"}},
      {"env_references_and_placeholders_pass",
       "SEC-001",
       Deployment("        env:\n"
                  "        - {name: DB_PASSWORD, value: \"$(DB_PASS_FROM_ENV)\"}\n"
                  "        - {name: API_TOKEN, value: \"${API_TOKEN}\"}\n"
                  "        - {name: PASSWORD_FILE, value: /run/secrets/db}\n"
                  "        - {name: SECRET_NAME, value: db-credentials}\n"
                  "        - {name: MYSQL_ALLOW_EMPTY_PASSWORD, value: \"yes\"}\n"
                  "        - {name: ADMIN_PASSWORD, value: changeme}\n"
                  "        - name: DB_PASSWORD2\n"
                  "          valueFrom: {secretKeyRef: {name: db, key: password}}\n"),
       {}},
      {"env_init_container",
       "SEC-001",
       R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: migrate
    image: m:1
    env: [{name: DATABASE_URL, value: "postgres://app:)" +
           kUrlPassword + R"(@db:5432/app"}]
  containers: [{name: app, image: a:1}]
)",
       {"/spec/initContainers/0/env/0/value"}},
      {"env_not_a_workload",
       "SEC-001",
       "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
       {},
       false},
      // SEC-002 commands, args, probes
      {"args_flag_equals",
       "SEC-002",
       Deployment("        args: [\"--db-password=" + kPassword + "\", --verbose]\n"),
       {"/spec/template/spec/containers/0/args/0"}},
      {"args_flag_then_value",
       "SEC-002",
       Deployment("        args: [--token, \"" + kPassword + "\", --port, \"8080\"]\n"),
       {"/spec/template/spec/containers/0/args/1"}},
      {"command_shell_url",
       "SEC-002",
       Deployment("        command: [sh, -c, \"psql postgres://app:" + kUrlPassword +
                  "@db/app -c 'select 1'\"]\n"),
       {"/spec/template/spec/containers/0/command/2"}},
      {"probe_authorization_header",
       "SEC-002",
       Deployment("        livenessProbe:\n          httpGet:\n            path: /healthz\n"
                  "            port: 8080\n            httpHeaders:\n"
                  "            - {name: Authorization, value: \"Bearer " +
                  kPassword + "\"}\n"),
       {"/spec/template/spec/containers/0/livenessProbe/httpGet/httpHeaders/0/value"}},
      {"commands_clean",
       "SEC-002",
       Deployment("        command: [/app, --config=/etc/app/config.yaml, --password-file, "
                  "/run/secrets/db]\n        args: [--token-audience, api]\n"),
       {}},
      // SEC-003 credentials from ConfigMaps
      {"configmap_key_ref_password",
       "SEC-003",
       Deployment("        env:\n        - name: DB_PASSWORD\n"
                  "          valueFrom: {configMapKeyRef: {name: settings, key: db-password}}\n"
                  "        - name: LOG_LEVEL\n"
                  "          valueFrom: {configMapKeyRef: {name: settings, key: level}}\n"),
       {"/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef"}},
      // SEC-004 secrets in env
      {"secret_key_ref_and_env_from",
       "SEC-004",
       Deployment("        env:\n        - name: DB_PASSWORD\n"
                  "          valueFrom: {secretKeyRef: {name: db, key: password}}\n"
                  "        envFrom:\n        - configMapRef: {name: settings}\n"
                  "        - secretRef: {name: api-keys}\n"),
       {"/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef",
        "/spec/template/spec/containers/0/envFrom/1/secretRef"}},
      {"secret_as_volume_passes",
       "SEC-004",
       Deployment("        volumeMounts: [{name: db, mountPath: /run/secrets/db}]\n"
                  "      volumes: [{name: db, secret: {secretName: db}}]\n"),
       {}},
      // SEC-005 ConfigMaps
      {"configmap_file_with_password",
       "SEC-005",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
       "  application.properties: |\n    server.port=8080\n"
       "    spring.datasource.password=" +
           kPassword + "\n  LOG_LEVEL: info\n  API_KEY: \"" + kPassword + "\"\n",
       {"/data/application.properties", "/data/API_KEY"}},
      {"configmap_binary_data_decoded",
       "SEC-005",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbinaryData:\n  key.pem: " +
           Base64("-----BEGIN EC PRIVATE KEY-----\n" + kPemBody +
                  "-----END EC PRIVATE KEY-----\n") +
           "\n",
       {"/binaryData/key.pem"}},
      {"configmap_clean",
       "SEC-005",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
       "  prometheus.yml: |\n    scrape_configs:\n    - job_name: k8s\n"
       "      bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token\n"
       "  password: \"${DB_PASSWORD}\"\n  secretName: db\n",
       {}},
      // SEC-006 Secret manifests
      {"secret_data_and_string_data",
       "SEC-006",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: " + Base64(kDecoded) +
           "\n  username: " + Base64("admin") + "\nstringData:\n  token: \"" + kGithub + "\"\n",
       {"/data/password", "/stringData/token"}},
      {"secret_tls_key",
       "SEC-006",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ntype: kubernetes.io/tls\ndata:\n"
       "  tls.key: " +
           Base64("-----BEGIN PRIVATE KEY-----\n" + kPemBody + "-----END PRIVATE KEY-----\n") +
           "\n",
       {"/data/tls.key"}},
      {"secret_docker_config",
       "SEC-006",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: pull}\n"
       "type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: " +
           Base64(R"({"auths":{"registry.example.com":{"auth":")" + Base64("robot:" + kPassword) +
                  R"("}}})") +
           "\n",
       {"/data/.dockerconfigjson"}},
      {"secret_placeholders_pass",
       "SEC-006",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: \"\"\n"
       "stringData:\n  token: \"{{ .Values.token }}\"\n  password2: changeme\n",
       {}},
      // SEC-007 base64
      {"secret_data_not_base64",
       "SEC-007",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: \"" + kPlainInData +
           "\"\n  ok: " + Base64("fine") + "\n",
       {"/data/password"}},
      {"configmap_binary_data_not_base64",
       "SEC-007",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbinaryData:\n  blob: \"%%%\"\n",
       {"/binaryData/blob"}},
      {"secret_data_wrong_type",
       "SEC-007",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  port: 5432\n",
       {"/data/port"}},
      {"secret_without_data",
       "SEC-007",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: b}\n",
       {},
       false},
      // SEC-008 last-applied-configuration
      {"last_applied_with_string_data",
       "SEC-008",
       "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n"
       "    kubectl.kubernetes.io/last-applied-configuration: '{\"apiVersion\":\"v1\","
       "\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"stringData\":{\"password\":\"" +
           kLastApplied + "\"}}'\n",
       {"/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"}},
      {"last_applied_without_data",
       "SEC-008",
       "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n"
       "    kubectl.kubernetes.io/last-applied-configuration: '{\"kind\":\"Secret\"}'\n",
       {}},
      {"no_last_applied",
       "SEC-008",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
       {},
       false},
      // SEC-009 metadata
      {"annotation_with_webhook_url",
       "SEC-009",
       "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n"
       "    alerts.example.com/slack: "
       "https://hooks.slack.com/services/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\n"
       "    kubectl.kubernetes.io/last-applied-configuration: '{\"token\":\"" +
           kGithub + "\"}'\n",
       {"/metadata/annotations/alerts.example.com~1slack"}},
      {"pod_template_annotation",
       "SEC-009",
       R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata:
      annotations: {ci/token: ")" +
           kGithub + R"("}
    spec: {containers: [{name: a, image: a:1}]}
)",
       {"/spec/template/metadata/annotations/ci~1token"}},
      {"metadata_clean",
       "SEC-009",
       "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels: {app: web}\n"
       "  annotations:\n    vault.hashicorp.com/agent-inject-secret-db: database/creds/db\n",
       {}},
      // SEC-010 other resources
      {"helm_release_values",
       "SEC-010",
       "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: h}\n"
       "spec:\n  values:\n    auth:\n      rootPassword: \"" +
           kPassword + "\"\n      existingSecret: \"\"\n",
       {"/spec/values/auth/rootPassword"}},
      {"argo_parameters_name_value",
       "SEC-010",
       "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n"
       "spec:\n  source:\n    helm:\n      parameters:\n      - {name: image.tag, value: v1}\n"
       "      - {name: postgresql.auth.password, value: \"" +
           kPassword + "\"}\n",
       {"/spec/source/helm/parameters/1/value"}},
      {"other_resource_clean",
       "SEC-010",
       "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}\n"
       "spec:\n  endpoints:\n  - bearerTokenFile: /var/run/secrets/token\n"
       "    basicAuth:\n      password: {name: creds, key: password}\n",
       {}},
      {"covered_kinds_not_applicable",
       "SEC-010",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {password: x}\n",
       {},
       false},
      // SEC-011 service account tokens
      {"service_account_token_secret",
       "SEC-011",
       "apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  annotations:\n"
       "    kubernetes.io/service-account.name: deployer\ntype: "
       "kubernetes.io/service-account-token\n",
       {"/type"}},
      {"opaque_secret",
       "SEC-011",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: Opaque\n",
       {}},
  };
}

TEST_F(SecretRules, Cases) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(std::string(c.name) + " " + c.rule);
    Outcome out = Run(c.rule, c.yaml);
    EXPECT_EQ(out.applicable, c.applicable);
    EXPECT_EQ(out.fail_pointers, c.fails);
    if (!c.fails.empty()) {
      EXPECT_FALSE(out.message.empty());
    }
  }
}

TEST_F(SecretRules, EvidenceIsAFingerprintNeverTheValue) {
  Outcome out = Run("SEC-001", Deployment("        env:\n        - {name: AWS_KEY, value: \"" +
                                          kAwsId + "\"}\n"));
  ASSERT_EQ(out.evidence.size(), 1u);
  const engine::Evidence& e = out.evidence[0];
  EXPECT_EQ(e.actual, "\"" + secrets::Fingerprint(kAwsId, 4) + "\"");
  EXPECT_EQ(e.message,
            "env var \"AWS_KEY\" of container \"app\" holds an AWS access key id in "
            "plain text");
  EXPECT_EQ(e.position.line, 13u);  // the env entry's line
}

TEST_F(SecretRules, UndecodableValueIsReportedWithoutItsText) {
  Outcome out = Run("SEC-007",
                    "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n"
                    "  password: \"" +
                        kPlainInData + "\"\n");
  ASSERT_EQ(out.evidence.size(), 1u);
  EXPECT_EQ(out.evidence[0].actual, "\"undecodable: " + secrets::Fingerprint(kPlainInData) + "\"");
  EXPECT_EQ(out.evidence[0].message,
            "data key \"password\" is not valid base64: the API server rejects the object");
}

// Every fake secret, scanned by every rule of the family and rendered in every
// format, never appears in the output: neither the value, nor its
// base64, nor its tail past a public prefix.
TEST_F(SecretRules, NoReportFormatPrintsASecret) {
  std::string yaml =
      Deployment(
          "        env:\n"
          "        - {name: AWS_ACCESS_KEY_ID, value: \"" +
          kAwsId +
          "\"}\n"
          "        - {name: AWS_SECRET_ACCESS_KEY, value: \"" +
          kAwsSecret +
          "\"}\n"
          "        - {name: DB_PASSWORD, value: \"" +
          kPassword +
          "\"}\n"
          "        - {name: SESSION_JWT, value: \"" +
          kJwt +
          "\"}\n"
          "        args: [\"--url=postgres://app:" +
          kUrlPassword + "@db/app\", --token, \"" + kGithub + "\"]\n") +
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  key.pem: |\n"
      "    -----BEGIN RSA PRIVATE KEY-----\n" +
      Indent(kPemBody, "    ") + "    -----END RSA PRIVATE KEY-----\n" +
      "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n"
      "    kubectl.kubernetes.io/last-applied-configuration: '{\"stringData\":{\"p\":\"" +
      kLastApplied + "\"}}'\ndata:\n  password: " + Base64(kDecoded) + "\n  broken: \"" +
      kPlainInData + "\"\n";
  loaded_ = core::DecodeSources({{"in.yaml", yaml}}, {});
  ASSERT_TRUE(loaded_.diagnostics.empty()) << loaded_.diagnostics.front().message;
  std::vector<const engine::Rule*> rules;
  for (const auto& r : registry_.rules()) rules.push_back(r.get());
  engine::RuleContext ctx{&loaded_.inventory, 37};
  std::vector<engine::Finding> findings = engine::Evaluate(rules, loaded_.inventory, ctx, 1);
  size_t failed = 0;
  std::map<std::string, int> by_rule;
  for (const engine::Finding& f : findings) {
    if (f.status == engine::FindingStatus::kFail) {
      ++failed;
      ++by_rule[f.rule->info.id];
    }
  }
  // The scan did find them (SEC-001, 002, 004 is not triggered, 005, 006, 007, 008).
  for (const char* id : {"SEC-001", "SEC-002", "SEC-005", "SEC-006", "SEC-007", "SEC-008"}) {
    EXPECT_EQ(by_rule[id], 1) << id;
  }

  report::ScanReport report;
  report.tool_version = "test";
  report.inputs = {"in.yaml"};
  report.rules = rules;
  report.findings = &findings;
  report.scores = engine::ComputeScores(findings);
  report.resources = loaded_.inventory.resources().size();
  report.files = 1;
  report.documents = 3;
  report.fail_on = engine::Severity::kInfo;

  std::vector<std::string> needles = {kAwsId.substr(4),
                                      kAwsSecret,
                                      kGithub.substr(4),
                                      kPassword,
                                      kUrlPassword,
                                      kJwt.substr(3, 30),
                                      kPemBody.substr(0, 40),
                                      kDecoded,
                                      Base64(kDecoded),
                                      kPlainInData,
                                      kLastApplied};
  for (bool include_passed : {false, true}) {
    report.include_passed = include_passed;
    std::map<std::string, std::string> outputs = {
        {"json", report::RenderJson(report)},
        {"table", report::RenderTable(report, false)},
        {"table-color", report::RenderTable(report, true)},
        {"sarif", report::RenderSarif(report)},
        {"junit", report::RenderJunit(report)},
        {"markdown", report::RenderMarkdown(report)},
    };
    for (const auto& [format, text] : outputs) {
      EXPECT_NE(text.find("sha256:"), std::string::npos) << format << " shows no fingerprint";
      for (const std::string& needle : needles) {
        EXPECT_EQ(text.find(needle), std::string::npos) << format << " prints " << needle;
      }
    }
  }
  EXPECT_GE(failed, 6u);
}

// SEC-012..014: Secret file modes (YAML octal and JSON decimal), projected
// token lifetimes, credential files in ConfigMaps.
std::vector<Case> FileCases() {
  const std::string vol = "/spec/template/spec/volumes/0";
  auto volumes = [](const std::string& body) { return Deployment("      volumes:\n" + body); };
  return {
      {"secret_volume_default_mode_missing",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s}}\n"),
       {vol + "/secret/defaultMode"}},
      {"secret_volume_yaml_octal_0644",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, defaultMode: 0644}}\n"),
       {vol + "/secret/defaultMode"}},
      {"secret_volume_yaml_octal_0440",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, defaultMode: 0440}}\n"),
       {}},
      {"secret_volume_json_decimal_256",  // 0400
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, defaultMode: 256}}\n"),
       {}},
      {"secret_volume_json_decimal_420",  // 0644
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, defaultMode: 420}}\n"),
       {vol + "/secret/defaultMode"}},
      {"secret_volume_mode_as_string",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, defaultMode: \"0400\"}}\n"),
       {vol + "/secret/defaultMode"}},
      {"secret_items_all_private_without_default",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, items: [{key: a, path: a, mode: "
               "0400}]}}\n"),
       {}},
      {"secret_item_readable_overrides_private_default",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, defaultMode: 0400, items: [{key: a, "
               "path: a, mode: 0604}, {key: b, path: b}]}}\n"),
       {vol + "/secret/items/0/mode"}},
      {"secret_item_without_mode_uses_default",
       "SEC-012",
       volumes("      - {name: s, secret: {secretName: s, items: [{key: a, path: a, mode: 0400}, "
               "{key: b, path: b}]}}\n"),
       {vol + "/secret/defaultMode"}},
      {"secret_public_items_may_stay_readable",
       "SEC-012",
       volumes(
           "      - {name: s, secret: {secretName: s, defaultMode: 0644, items: [{key: tls.crt, "
           "path: tls.crt}, {key: ca.crt, path: ca.crt, mode: 0644}, {key: tls.key, path: "
           "tls.key, mode: 0400}]}}\n"),
       {}},
      {"projected_secret_default_mode_reported_once",
       "SEC-012",
       volumes("      - name: p\n        projected:\n          sources:\n          - secret: "
               "{name: a}\n          - secret: {name: b}\n          - configMap: {name: c}\n"),
       {vol + "/projected/defaultMode"}},
      {"projected_without_secret",
       "SEC-012",
       volumes("      - name: p\n        projected:\n          sources:\n          - configMap: "
               "{name: c}\n"),
       {}},
      {"projected_token_default_lifetime",
       "SEC-013",
       volumes("      - name: t\n        projected:\n          sources:\n          - "
               "serviceAccountToken: {path: token}\n"),
       {}},
      {"projected_token_one_day",
       "SEC-013",
       volumes("      - name: t\n        projected:\n          sources:\n          - "
               "serviceAccountToken: {path: token, expirationSeconds: 86400}\n"),
       {}},
      {"projected_token_one_year",
       "SEC-013",
       volumes("      - name: t\n        projected:\n          sources:\n          - "
               "serviceAccountToken: {path: token, expirationSeconds: 31536000}\n"),
       {vol + "/projected/sources/0/serviceAccountToken/expirationSeconds"}},
      {"projected_token_lifetime_as_string",
       "SEC-013",
       volumes("      - name: t\n        projected:\n          sources:\n          - "
               "serviceAccountToken: {path: token, expirationSeconds: \"3600\"}\n"),
       {vol + "/projected/sources/0/serviceAccountToken/expirationSeconds"}},
      {"configmap_credential_files",
       "SEC-014",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  id_rsa: |\n    "
       "not-a-real-key\n  server.key: x\n  app.conf: \"port=80\"\n  .pgpass: \"\"\n"
       "binaryData:\n  keystore.p12: AAAA\n",
       {"/data/id_rsa", "/data/server.key", "/binaryData/keystore.p12"}},
      {"configmap_public_files",
       "SEC-014",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ca.crt: x\n  key: value\n"
       "  id_rsa.pub: ssh-ed25519 AAAA\n",
       {}},
  };
}

TEST_F(SecretRules, FileCases) {
  for (const Case& c : FileCases()) {
    SCOPED_TRACE(std::string(c.name) + " " + c.rule);
    Outcome out = Run(c.rule, c.yaml);
    EXPECT_EQ(out.applicable, c.applicable);
    EXPECT_EQ(out.fail_pointers, c.fails);
    if (!c.fails.empty()) {
      EXPECT_FALSE(out.message.empty());
    }
  }
}

TEST_F(SecretRules, ModesAreShownInOctalAndFilesAreFingerprinted) {
  Outcome mode = Run("SEC-012", Deployment("      volumes:\n      - {name: s, secret: {secretName: "
                                           "s, defaultMode: 420}}\n"));
  ASSERT_EQ(mode.evidence.size(), 1u);
  EXPECT_EQ(mode.evidence[0].actual, "420");
  EXPECT_NE(mode.evidence[0].message.find("defaultMode 0644"), std::string::npos)
      << mode.evidence[0].message;
  Outcome file = Run("SEC-014",
                     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                     "  .git-credentials: \"https://u:" +
                         kUrlPassword + "@example.com\"\n");
  ASSERT_EQ(file.evidence.size(), 1u);
  EXPECT_EQ(file.evidence[0].actual.find(kUrlPassword), std::string::npos);
  EXPECT_EQ(file.evidence[0].actual,
            "\"" + secrets::Fingerprint("https://u:" + kUrlPassword + "@example.com") + "\"");
}

}  // namespace
}  // namespace kspm::rules
