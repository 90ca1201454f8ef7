// Credential detection for the secrets rules (secrets.cpp): a multi-pattern
// matcher for well-known credential formats, key-name and value heuristics for
// literal credentials, base64 decoding, and the redacted fingerprints that
// findings print instead of the secret.
//
// How a scan works: one multi-pattern pass (Hyperscan where it is built and the
// CPU supports it, else RE2::Set) finds candidate anchors, e.g. "AKIA" plus 16
// base32 characters or "-----BEGIN RSA PRIVATE KEY-----". Each candidate is
// then checked by C++ code that knows the format (token boundaries, a JWT
// header that decodes to JSON with "alg", a private key with a real body, a
// URL password that is not ${VAR}), so the patterns stay simple and false
// positives stay low. Text without candidates costs one pass and no allocation.
//
// Nothing here ever returns a secret in a form meant for output: callers print
// Fingerprint() only. All functions are pure; a SecretMatcher is immutable
// after Create() and safe to use from any number of threads.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kspm::rules::secrets {

// What a match is. Names (CredentialKindName) are used in messages.
enum class CredentialKind {
  kAwsAccessKeyId,
  kAwsSecretAccessKey,
  kGcpServiceAccountKey,
  kAzureStorageKey,  // AccountKey= / SharedAccessKey= in a connection string
  kGithubToken,
  kGitlabToken,
  kSlackToken,
  kSlackWebhook,
  kStripeKey,
  kTwilioApiKey,
  kSendgridKey,
  kNpmToken,
  kPypiToken,
  kDockerRegistryAuth,  // "auth": base64(user:password) in a Docker config
  kPrivateKey,
  kJwt,
  kUrlPassword,  // scheme://user:password@host
  kAssignment,   // credential-like key = literal value, inside text
};

std::string_view CredentialKindName(CredentialKind kind);  // "AWS access key id", ...

struct CredentialMatch {
  CredentialKind kind = CredentialKind::kAssignment;
  // The secret itself within the scanned text: [begin, end).
  size_t begin = 0;
  size_t end = 0;
  // How many leading bytes of the secret are a fixed, public prefix of its
  // format ("AKIA", "ghp_", "xoxb-"), which a fingerprint may show.
  size_t public_prefix = 0;
  // For kAssignment: the key the value was assigned to (a view into the text).
  std::string_view key;
};

// The engine of the multi-pattern pass.
enum class MatchEngine { kHyperscan, kRe2Set };
std::string_view MatchEngineName(MatchEngine engine);
// Whether kspm was built with the engine and it runs on this CPU.
bool MatchEngineAvailable(MatchEngine engine);

class SecretMatcher {
 public:
  // Compiles the pattern set for one engine; fails if the engine is not
  // available or a pattern does not compile (a bug of ours).
  static Result<std::unique_ptr<SecretMatcher>> Create(MatchEngine engine);
  // The matcher the rules use: Hyperscan when available, else RE2::Set.
  // Built on first use.
  static const SecretMatcher& Default();

  virtual ~SecretMatcher() = default;
  virtual MatchEngine engine() const = 0;

  // Appends every credential found in `text`, ordered by position, at most
  // one per [begin, end) range. Does not allocate when nothing is found.
  void Scan(std::string_view text, std::vector<CredentialMatch>& out) const;
  // True when Scan would find something.
  bool Contains(std::string_view text) const;

  // The raw candidate pass, for benchmarks: calls `on_anchor(pattern, from,
  // to)` for every anchor; returns false only on an engine error.
  struct Anchor {
    int pattern;
    size_t from;
    size_t to;
  };
  virtual bool FindAnchors(std::string_view text, std::vector<Anchor>& out) const = 0;
};

// --- Key names ---------------------------------------------------------------

// How strongly a key (an env var name, a ConfigMap key, a YAML key in a file)
// says that its value is a credential.
enum class KeyClass {
  kNone,    // not credential-like, or a reference to one (PASSWORD_FILE, secretName)
  kWeak,    // names a key of unclear kind (LICENSE_KEY, auth): the value must look random
  kStrong,  // PASSWORD, DB_PASS, API_KEY, client_secret, authToken, private_key
};
KeyClass ClassifyKeyName(std::string_view key);

// --- Values ------------------------------------------------------------------

// True for values that are not a literal secret: empty, templates and
// references (${VAR}, $(VAR), {{ .Values.x }}, <password>, %s, vault:...,
// arn:aws:secretsmanager:...), placeholders (changeme, xxxx, ****, EXAMPLE,
// "password"), booleans, numbers, paths and plain URLs.
bool IsPlaceholderOrReference(std::string_view value);

// A literal value of a credential-like key that should be reported: for
// strong keys any value that is not a placeholder or reference; for weak keys
// only values that also look random (LooksRandom).
bool IsLiteralCredential(std::string_view value, KeyClass key_class);

// A credential held by a structured key/value pair (an env var, a ConfigMap
// key, a YAML field, an HTTP header): the whole value, when the key is
// credential-like and the value literal. An authorization scheme before the
// value ("Bearer x", "Basic x") is skipped, and makes an "auth" key strong.
std::optional<CredentialMatch> MatchKeyValue(std::string_view key, std::string_view value);

// At least 16 characters of mixed letters and digits with high Shannon entropy.
bool LooksRandom(std::string_view value);
double ShannonEntropy(std::string_view value);  // bits per byte

// --- Encodings -----------------------------------------------------------------

// Standard base64 as Kubernetes decodes Secret data (padding required, no
// whitespace); nullopt when invalid. `url` selects the URL-safe alphabet with
// optional padding (JWT parts).
std::optional<std::string> DecodeBase64(std::string_view text, bool url = false);
// The same into `out` (replacing its contents), for callers that reuse a buffer.
bool DecodeBase64Into(std::string_view text, std::string& out, bool url = false);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// What findings print instead of a secret: at most the public prefix of its
// format, its length and the first 8 hex digits of its SHA-256, e.g.
// `AKIA…(20 chars, sha256:1a2b3c4d)` or `(12 chars, sha256:9f86d081)`.
std::string Fingerprint(std::string_view secret, size_t public_prefix = 0);

}  // namespace kspm::rules::secrets
