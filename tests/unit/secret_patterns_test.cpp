// The credential matcher: formats, boundaries, placeholders, key names,
// base64, fingerprints, and agreement between the two engines. Every secret
// here is fake and built from repeated characters so no real one is stored.
#include "rules/secret_patterns.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kspm::rules::secrets {
namespace {

// `n` characters cycling through `alphabet`.
std::string Cycle(std::string_view alphabet, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(alphabet[(i * 7 + 3) % alphabet.size()]);
  return out;
}

const std::string kAlnum = "aB3dE5fG7hJ9kLmN2pQrS4tUvW6xYz8C";
const std::string kAwsId = "AKIAZ2QW3ER4TY5UI6OP";
const std::string kAwsSecret = Cycle(kAlnum + "/+", 40);
const std::string kGithub = "ghp_" + Cycle(kAlnum, 36);
const std::string kGithubPat = "github_pat_" + Cycle(kAlnum + "_", 82);
const std::string kGitlab = "glpat-" + Cycle(kAlnum, 20);
const std::string kSlack = "xoxb-123456789012-1234567890123-" + Cycle(kAlnum, 24);
const std::string kSlackHook =
    "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/" + Cycle(kAlnum, 24);
const std::string kStripe = "sk_live_" + Cycle(kAlnum, 24);
const std::string kTwilio = "SK" + Cycle("0123456789abcdef", 32);
const std::string kSendgrid = "SG." + Cycle(kAlnum, 22) + "." + Cycle(kAlnum + "-_", 43);
const std::string kNpm = "npm_" + Cycle(kAlnum, 36);
const std::string kPypi = "pypi-AgEIcHlwaS5vcmc" + Cycle(kAlnum, 60);
const std::string kPemBody = Cycle(kAlnum + "+/", 64) + "\n" + Cycle(kAlnum, 64) + "\n";
const std::string kRsaKey =
    "-----BEGIN RSA PRIVATE KEY-----\n" + kPemBody + "-----END RSA PRIVATE KEY-----\n";
// {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890"} . signature
const std::string kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + Cycle(kAlnum, 43);
const std::string kAzure = Cycle(kAlnum + "+/", 86) + "==";

struct Expect {
  CredentialKind kind;
  std::string secret;  // the exact text the match must cover
};

struct ScanCase {
  std::string name;
  std::string text;
  std::vector<Expect> expect;  // in order; empty = nothing found
};

std::vector<ScanCase> ScanCases() {
  using K = CredentialKind;
  return {
      {"aws_id", kAwsId, {{K::kAwsAccessKeyId, kAwsId}}},
      {"aws_id_in_text", "id=" + kAwsId + ";", {{K::kAwsAccessKeyId, kAwsId}}},
      {"aws_id_glued", kAwsId + "X", {}},
      {"aws_id_prefixed", "X" + kAwsId, {}},
      {"aws_doc_example", "AKIAIOSFODNN7EXAMPLE", {}},
      {"aws_pair",
       "aws_access_key_id = " + kAwsId + "\naws_secret_access_key = " + kAwsSecret + "\n",
       {{K::kAwsAccessKeyId, kAwsId}, {K::kAwsSecretAccessKey, kAwsSecret}}},
      {"aws_secret_near_id",
       "[default]\nkey " + kAwsId + "\nother " + kAwsSecret + "\n",
       {{K::kAwsAccessKeyId, kAwsId}, {K::kAwsSecretAccessKey, kAwsSecret}}},
      {"aws_secret_alone", "value " + kAwsSecret, {}},
      {"github", "token " + kGithub, {{K::kGithubToken, kGithub}}},
      {"github_short", "ghp_" + Cycle(kAlnum, 35), {}},
      {"github_pat", kGithubPat, {{K::kGithubToken, kGithubPat}}},
      {"gitlab", kGitlab, {{K::kGitlabToken, kGitlab}}},
      {"slack", kSlack, {{K::kSlackToken, kSlack}}},
      {"slack_placeholder", "xoxb-your-bot-token-goes-here", {}},
      {"slack_webhook",
       kSlackHook,
       {{K::kSlackWebhook, kSlackHook.substr(std::string("https://").size())}}},
      {"slack_webhook_placeholder",
       "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
       {}},
      {"stripe", kStripe, {{K::kStripeKey, kStripe}}},
      {"stripe_test_key", "sk_test_" + Cycle(kAlnum, 24), {}},
      {"twilio", kTwilio, {{K::kTwilioApiKey, kTwilio}}},
      {"sendgrid", kSendgrid, {{K::kSendgridKey, kSendgrid}}},
      {"npm", "//registry.npmjs.org/:_authToken=" + kNpm, {{K::kNpmToken, kNpm}}},
      {"pypi", kPypi, {{K::kPypiToken, kPypi}}},
      {"rsa_key", kRsaKey, {{K::kPrivateKey, kRsaKey.substr(0, kRsaKey.size() - 1)}}},
      {"openssh_key",
       "-----BEGIN OPENSSH PRIVATE KEY-----\n" + kPemBody + "-----END OPENSSH PRIVATE KEY-----",
       {{K::kPrivateKey, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + kPemBody +
                             "-----END OPENSSH PRIVATE KEY-----"}}},
      {"pgp_key_with_armor_headers",
       "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n" + kPemBody +
           "-----END PGP PRIVATE KEY BLOCK-----",
       {{K::kPrivateKey, "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n" + kPemBody +
                             "-----END PGP PRIVATE KEY BLOCK-----"}}},
      {"key_placeholder", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", {}},
      {"public_key", "-----BEGIN PUBLIC KEY-----\n" + kPemBody + "-----END PUBLIC KEY-----", {}},
      {"jwt", "Authorization: " + kJwt, {{K::kJwt, kJwt}}},
      {"jwt_header_without_alg",
       // {"typ":"JWT"}
       "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + Cycle(kAlnum, 43),
       {}},
      {"url_password",
       "postgres://app:s3cr3tPassw0rd@db:5432/app",
       {{K::kUrlPassword, "s3cr3tPassw0rd"}}},
      {"url_password_no_user", "redis://:hunter2x@redis:6379/0", {{K::kUrlPassword, "hunter2x"}}},
      {"url_password_variable", "postgres://app:${DB_PASSWORD}@db:5432/app", {}},
      {"url_password_placeholder", "amqp://guest:password@rabbit/", {}},
      {"url_port_not_password", "http://host:8080@x", {}},
      {"url_without_userinfo", "https://example.com:8443/path?q=1", {}},
      {"azure",
       "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + kAzure +
           ";EndpointSuffix=core.windows.net",
       {{K::kAzureStorageKey, kAzure}}},
      {"gcp_service_account",
       R"({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n)" +
           Cycle(kAlnum, 70) +
           R"(\n-----END PRIVATE KEY-----\n", "client_email": "x@proj.iam.gserviceaccount.com"})",
       {{K::kGcpServiceAccountKey, "-----BEGIN PRIVATE KEY-----\\n" + Cycle(kAlnum, 70) +
                                       "\\n-----END PRIVATE KEY-----\\n"}}},
      {"docker_auth",
       // user:hunter22
       R"({"auths":{"registry.example.com":{"auth":"dXNlcjpodW50ZXIyMg=="}}})",
       {{K::kDockerRegistryAuth, "dXNlcjpodW50ZXIyMg=="}}},
      {"docker_auth_empty_password",
       // user:
       R"({"auths":{"r":{"auth":"dXNlcjo="}}})",
       {}},
      {"assignment_properties",
       "spring.datasource.password=hunter22\n",
       {{K::kAssignment, "hunter22"}}},
      {"assignment_yaml", "db:\n  password: \"Tr0ub4dor&3\"\n", {{K::kAssignment, "Tr0ub4dor&3"}}},
      {"assignment_json",
       R"({"apiKey": "8f2b9c1e7d4a6b3c"})",
       {{K::kAssignment, "8f2b9c1e7d4a6b3c"}}},
      {"assignment_env_file", "export DB_PASS=letmein99\n", {{K::kAssignment, "letmein99"}}},
      {"assignment_bearer",
       "Authorization: Bearer abcdef123456",
       {{K::kAssignment, "abcdef123456"}}},
      {"assignment_variable", "password: ${DB_PASSWORD}\n", {}},
      {"assignment_file_reference", "password_file: /run/secrets/pw\n", {}},
      {"assignment_boolean", "token: true\n", {}},
      {"assignment_comparison", "if (password == other) {}", {}},
      {"assignment_block_scalar", "password: |\n  x\n", {}},
      {"assignment_weak_key_plain", "license_key = abcdefgh\n", {}},
      // Inside text only credential words anchor a key: a bare "key" is too common.
      {"assignment_key_word_not_anchored", "license_key = 4f9a8b7c6d5e4f3a2b1c\n", {}},
      {"assignment_weak_key_random",
       "auth: 4f9a8b7c6d5e4f3a2b1c\n",
       {{K::kAssignment, "4f9a8b7c6d5e4f3a2b1c"}}},
      {"assignment_weak_key_plain_auth", "auth: kerberos\n", {}},
      {"assignment_secret_name", "secretName: db-credentials\n", {}},
      {"assignment_names_a_secret", "existingSecret: search-credentials\ntlsSecret: web-tls\n", {}},
      {"assignment_random_secret",
       "clientSecret: 9f86d081884c7d659a2feaa0c55ad015\n",
       {{K::kAssignment, "9f86d081884c7d659a2feaa0c55ad015"}}},
      {"assignment_aws_secret",
       "AWS_SECRET_ACCESS_KEY=" + kAwsSecret,
       {{K::kAwsSecretAccessKey, kAwsSecret}}},
      {"assignment_holding_token", "password: " + kGithub, {{K::kGithubToken, kGithub}}},
      {"plain_config", "server:\n  port: 8080\n  host: 0.0.0.0\nlog_level: debug\n", {}},
      {"empty", "", {}},
  };
}

class SecretMatcherTest : public testing::TestWithParam<MatchEngine> {
 protected:
  void SetUp() override {
    if (!MatchEngineAvailable(GetParam())) GTEST_SKIP() << "engine not built or not supported";
    auto m = SecretMatcher::Create(GetParam());
    ASSERT_TRUE(m.ok()) << m.status().message();
    matcher_ = std::move(m).value();
  }
  std::unique_ptr<SecretMatcher> matcher_;
};

TEST_P(SecretMatcherTest, FindsExactlyTheExpectedCredentials) {
  for (const ScanCase& c : ScanCases()) {
    SCOPED_TRACE(c.name);
    std::vector<CredentialMatch> found;
    matcher_->Scan(c.text, found);
    ASSERT_EQ(found.size(), c.expect.size());
    for (size_t i = 0; i < found.size(); ++i) {
      EXPECT_EQ(CredentialKindName(found[i].kind), CredentialKindName(c.expect[i].kind));
      EXPECT_EQ(std::string_view(c.text).substr(found[i].begin, found[i].end - found[i].begin),
                c.expect[i].secret);
    }
    EXPECT_EQ(matcher_->Contains(c.text), !c.expect.empty());
  }
}

TEST_P(SecretMatcherTest, AssignmentsReportTheirKey) {
  std::vector<CredentialMatch> found;
  std::string text = "spring.datasource.password=hunter22";
  matcher_->Scan(text, found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].key, "spring.datasource.password");
}

TEST_P(SecretMatcherTest, NeverCrashesOnArbitraryBytes) {
  // Truncations of every case, and binary noise, must be handled.
  for (const ScanCase& c : ScanCases()) {
    for (size_t n = 0; n <= c.text.size(); n += 3) {
      std::vector<CredentialMatch> found;
      matcher_->Scan(std::string_view(c.text).substr(0, n), found);
      for (const CredentialMatch& m : found) EXPECT_LE(m.end, n);
    }
  }
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 131 + 7) % 256));
  std::vector<CredentialMatch> found;
  matcher_->Scan(noise, found);
}

INSTANTIATE_TEST_SUITE_P(Engines, SecretMatcherTest,
                         testing::Values(MatchEngine::kHyperscan, MatchEngine::kRe2Set),
                         [](const testing::TestParamInfo<MatchEngine>& info) {
                           return info.param == MatchEngine::kHyperscan ? "Hyperscan" : "Re2Set";
                         });

TEST(SecretMatcher, EnginesAgreeOnEveryCase) {
  if (!MatchEngineAvailable(MatchEngine::kHyperscan)) GTEST_SKIP() << "no Hyperscan";
  auto hs = SecretMatcher::Create(MatchEngine::kHyperscan);
  auto re2 = SecretMatcher::Create(MatchEngine::kRe2Set);
  ASSERT_TRUE(hs.ok() && re2.ok());
  std::string all;
  for (const ScanCase& c : ScanCases()) all += c.text + "\n";
  std::vector<CredentialMatch> a;
  std::vector<CredentialMatch> b;
  (*hs)->Scan(all, a);
  (*re2)->Scan(all, b);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].begin, b[i].begin);
    EXPECT_EQ(a[i].end, b[i].end);
    EXPECT_EQ(a[i].kind, b[i].kind);
  }
}

// Differential test: mutated and spliced case texts (deterministic), scanned by
// both engines, must give the same credentials and never crash.
TEST(SecretMatcher, EnginesAgreeOnMutatedInputs) {
  if (!MatchEngineAvailable(MatchEngine::kHyperscan)) GTEST_SKIP() << "no Hyperscan";
  auto hs = SecretMatcher::Create(MatchEngine::kHyperscan);
  auto re2 = SecretMatcher::Create(MatchEngine::kRe2Set);
  ASSERT_TRUE(hs.ok() && re2.ok());
  std::vector<ScanCase> cases = ScanCases();
  uint64_t state = 42;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::string bytes = "=:@/-_.\"\n \t'aZ9\\";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text = cases[next() % cases.size()].text;
    if (next() % 2 == 0) text += cases[next() % cases.size()].text;
    int edits = static_cast<int>(next() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = next() % text.size();
      switch (next() % 3) {
        case 0:
          text[at] = bytes[next() % bytes.size()];
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, 1, bytes[next() % bytes.size()]);
      }
    }
    std::vector<CredentialMatch> a;
    std::vector<CredentialMatch> b;
    (*hs)->Scan(text, a);
    (*re2)->Scan(text, b);
    ASSERT_EQ(a.size(), b.size()) << text;
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(a[i].begin, b[i].begin) << text;
      ASSERT_EQ(a[i].end, b[i].end) << text;
      ASSERT_EQ(a[i].kind, b[i].kind) << text;
      ASSERT_LE(a[i].end, text.size());
    }
  }
}

TEST(SecretMatcher, DefaultPrefersHyperscan) {
  EXPECT_EQ(SecretMatcher::Default().engine(), MatchEngineAvailable(MatchEngine::kHyperscan)
                                                   ? MatchEngine::kHyperscan
                                                   : MatchEngine::kRe2Set);
}

TEST(ClassifyKeyName, Table) {
  struct Case {
    const char* key;
    KeyClass want;
  };
  const Case cases[] = {
      {"PASSWORD", KeyClass::kStrong},
      {"DB_PASSWORD", KeyClass::kStrong},
      {"MYSQL_ROOT_PASSWORD", KeyClass::kStrong},
      {"dbPassword", KeyClass::kStrong},
      {"rootpassword", KeyClass::kStrong},
      {"DB_PASS", KeyClass::kStrong},
      {"client_secret", KeyClass::kStrong},
      {"clientSecret", KeyClass::kStrong},
      {"jwtSecret", KeyClass::kStrong},
      {"API_KEY", KeyClass::kStrong},
      {"apiKey", KeyClass::kStrong},
      {"APIKey", KeyClass::kStrong},
      {"x-api-key", KeyClass::kStrong},
      {"SESSION_KEY", KeyClass::kStrong},
      {"ssh-privatekey", KeyClass::kStrong},
      {"GITHUB_TOKEN", KeyClass::kStrong},
      {"refreshToken", KeyClass::kStrong},
      {"VAULT_SECRET_ID", KeyClass::kStrong},
      {"credentials", KeyClass::kStrong},
      {"LICENSE_KEY", KeyClass::kWeak},
      {"tls.key", KeyClass::kWeak},
      {"auth", KeyClass::kWeak},
      {"POSTGRES_PASSWORD_FILE", KeyClass::kNone},
      {"secretName", KeyClass::kNone},
      {"passwordSecret", KeyClass::kNone},
      {"tokenSecretRef", KeyClass::kNone},
      {"TOKEN_TTL", KeyClass::kNone},
      {"tokenAudience", KeyClass::kNone},
      {"PASSWORD_MIN_LENGTH", KeyClass::kNone},
      {"AWS_ACCESS_KEY_ID", KeyClass::kNone},
      {"CLIENT_ID", KeyClass::kNone},
      {"AUTH_TYPE", KeyClass::kNone},
      {"BYPASS_CACHE", KeyClass::kNone},
      {"tokenizer", KeyClass::kNone},
      {"HOSTNAME", KeyClass::kNone},
      {"secrets", KeyClass::kNone},
      {"", KeyClass::kNone},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ClassifyKeyName(c.key), c.want) << c.key;
  }
}

TEST(IsPlaceholderOrReference, Table) {
  const char* placeholders[] = {
      "",
      "  ",
      "${DB_PASSWORD}",
      "$(SECRET)",
      "{{ .Values.password }}",
      "<password>",
      "%s",
      "changeme",
      "CHANGE_ME_PLEASE",
      "xxxxxxxx",
      "********",
      "true",
      "no",
      "12345",
      "/run/secrets/db",
      "./key.pem",
      "https://x.y",
      "DB_PASSWORD",
      "vault:secret/data/db#password",
      "arn:aws:secretsmanager:us-east-1:1:secret:x",
      "ENC[AES256_GCM,data:abc]",
      "your-token-here",
      "password",
      "an example value",
      "$2a$10$abcdefghijklmnopqrstuv",
  };
  for (const char* p : placeholders) EXPECT_TRUE(IsPlaceholderOrReference(p)) << p;
  const char* literals[] = {"hunter22", "admin", "s3cr3t!", "Tr0ub4dor&3", "supersecretvalue"};
  for (const char* l : literals) EXPECT_FALSE(IsPlaceholderOrReference(l)) << l;
}

TEST(IsLiteralCredential, StrongWeakAndShortValues) {
  EXPECT_TRUE(IsLiteralCredential("admin", KeyClass::kStrong));
  EXPECT_FALSE(IsLiteralCredential("abc", KeyClass::kStrong));  // too short to be meant
  EXPECT_FALSE(IsLiteralCredential("admin", KeyClass::kWeak));
  EXPECT_TRUE(IsLiteralCredential("4f9a8b7c6d5e4f3a2b1c", KeyClass::kWeak));
  EXPECT_FALSE(IsLiteralCredential("hunter22", KeyClass::kNone));
}

TEST(MatchKeyValue, WholeValueOfCredentialKeys) {
  auto m = MatchKeyValue("DB_PASSWORD", "  hunter22\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->begin, 2u);
  EXPECT_EQ(m->end, 10u);
  m = MatchKeyValue("Authorization", "Bearer abcdef123456");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->begin, 7u);
  EXPECT_EQ(MatchKeyValue("AWS_SECRET_ACCESS_KEY", kAwsSecret)->kind,
            CredentialKind::kAwsSecretAccessKey);
  EXPECT_FALSE(MatchKeyValue("existingSecret", "db-credentials").has_value());
  EXPECT_FALSE(MatchKeyValue("LOG_LEVEL", "hunter22").has_value());
  EXPECT_FALSE(MatchKeyValue("API_TOKEN", "${API_TOKEN}").has_value());
}

TEST(DecodeBase64, LikeKubernetes) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVs\nbG8=\n"), "hello");  // Go skips newlines
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_EQ(DecodeBase64("aGVsbG8"), std::nullopt);  // padding is required
  EXPECT_EQ(DecodeBase64("aGVs bG8="), std::nullopt);
  EXPECT_EQ(DecodeBase64("hunter2!"), std::nullopt);
  EXPECT_EQ(DecodeBase64("aGk=aGk="), std::nullopt);
  EXPECT_EQ(DecodeBase64("a"), std::nullopt);
  EXPECT_EQ(DecodeBase64("aGVsbG8", /*url=*/true), "hello");
  EXPECT_EQ(DecodeBase64("-_-_", /*url=*/true), std::string("\xfb\xff\xbf", 3));
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(Fingerprint, ShowsAtMostThePublicPrefix) {
  std::string fp = Fingerprint(kAwsId, 4);
  EXPECT_EQ(fp, "AKIA\xE2\x80\xA6(20 chars, sha256:" + Sha256Hex(kAwsId).substr(0, 8) + ")");
  EXPECT_EQ(fp.find(kAwsId.substr(4)), std::string::npos);
  EXPECT_EQ(Fingerprint("hunter22"),
            "(8 chars, sha256:" + Sha256Hex("hunter22").substr(0, 8) + ")");
  // A prefix never covers more than half of a short secret.
  EXPECT_EQ(Fingerprint("abcd", 4).substr(0, 2), "ab");
}

}  // namespace
}  // namespace kspm::rules::secrets
