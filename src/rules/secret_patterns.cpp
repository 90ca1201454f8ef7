#include "rules/secret_patterns.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>

#if KSPM_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

namespace kspm::rules::secrets {
namespace {

// --- Characters -----------------------------------------------------------------

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsBase64Char(char c) { return IsAlnum(c) || c == '+' || c == '/'; }
bool IsBase64UrlChar(char c) { return IsAlnum(c) || c == '-' || c == '_'; }
bool IsKeyChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (EqualsIgnoreCase(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Extends `end` over characters accepted by `pred`.
template <typename Pred>
size_t Extend(std::string_view text, size_t end, Pred pred) {
  while (end < text.size() && pred(text[end])) ++end;
  return end;
}

// The token [begin, end) is not glued to neighbouring characters of `pred`.
template <typename Pred>
bool Bounded(std::string_view text, size_t begin, size_t end, Pred pred) {
  return (begin == 0 || !pred(text[begin - 1])) && (end >= text.size() || !pred(text[end]));
}

// --- The patterns -----------------------------------------------------------------
//
// Each pattern is an anchor: a short, fixed-shape start of a credential. The
// validator for its kind parses the whole candidate from the anchor's start.
// Anchors are kept free of features whose support differs between Hyperscan
// and RE2 (no \b, no lookaround, no backreferences).

struct PatternDef {
  CredentialKind kind;
  const char* regex;
  bool caseless;
};

constexpr std::array<PatternDef, 18> kPatterns = {{
    {CredentialKind::kAwsAccessKeyId, "(?:AKIA|ASIA)[A-Z2-7]{16}", false},
    {CredentialKind::kGithubToken, "gh[pousr]_[A-Za-z0-9]{36}", false},
    {CredentialKind::kGithubToken, "github_pat_[A-Za-z0-9_]{82}", false},
    {CredentialKind::kGitlabToken, "glpat-[A-Za-z0-9_-]{20}", false},
    {CredentialKind::kSlackToken, "xox[abprs]-[0-9A-Za-z]{6}", false},
    {CredentialKind::kSlackWebhook, "hooks\\.slack\\.com/services/T[A-Z0-9]{6}", false},
    {CredentialKind::kStripeKey, "[rs]k_live_[A-Za-z0-9]{16}", false},
    {CredentialKind::kTwilioApiKey, "SK[0-9a-f]{32}", false},
    {CredentialKind::kSendgridKey, "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", false},
    {CredentialKind::kNpmToken, "npm_[A-Za-z0-9]{36}", false},
    {CredentialKind::kPypiToken, "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{16}", false},
    {CredentialKind::kPrivateKey, "-----BEGIN [A-Z0-9 ]{0,24}PRIVATE KEY(?: BLOCK)?-----", false},
    {CredentialKind::kJwt, "eyJ[A-Za-z0-9_-]{16}", false},
    {CredentialKind::kUrlPassword, "://[^\\s/?#@:\"'<>\\\\]{0,64}:[^\\s/?#@\"'<>\\\\]{1,128}@",
     false},
    {CredentialKind::kAzureStorageKey, "(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20}", false},
    {CredentialKind::kGcpServiceAccountKey,
     "\"client_email\"[ \\t]*:[ \\t]*\"[^\"]{1,128}\\.iam\\.gserviceaccount\\.com\"", false},
    {CredentialKind::kDockerRegistryAuth, "\"auth\"[ \\t]*:[ \\t]*\"[A-Za-z0-9+/]{4}", false},
    {CredentialKind::kAssignment,
     "(?:pass|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)"
     "[A-Za-z0-9_.-]{0,40}[\"']?[ \\t]{0,4}[:=]",
     true},
}};

// Among overlapping matches the most specific wins (lower rank).
int Rank(CredentialKind kind) {
  switch (kind) {
    case CredentialKind::kGcpServiceAccountKey:
      return 0;
    case CredentialKind::kPrivateKey:
      return 2;
    case CredentialKind::kJwt:
      return 3;
    case CredentialKind::kDockerRegistryAuth:
      return 4;
    case CredentialKind::kUrlPassword:
      return 5;
    case CredentialKind::kAwsSecretAccessKey:
      return 6;
    case CredentialKind::kAssignment:
      return 7;
    default:
      return 1;
  }
}

// --- Validators ---------------------------------------------------------------------
//
// Each takes the anchor's [from, to) and returns the credential, or nullopt.

using Candidate = std::optional<CredentialMatch>;

CredentialMatch Make(CredentialKind kind, size_t begin, size_t end, size_t prefix = 0) {
  CredentialMatch m;
  m.kind = kind;
  m.begin = begin;
  m.end = end;
  m.public_prefix = prefix;
  return m;
}

bool HasDigit(std::string_view s) { return std::any_of(s.begin(), s.end(), IsDigit); }

Candidate ValidateFixedToken(std::string_view text, CredentialKind kind, size_t from, size_t to,
                             size_t prefix) {
  auto token_char = [](char c) { return IsAlnum(c) || c == '_'; };
  if (!Bounded(text, from, to, token_char)) return std::nullopt;
  if (ContainsIgnoreCase(text.substr(from, to - from), "example")) return std::nullopt;
  return Make(kind, from, to, prefix);
}

Candidate ValidateAwsKeyId(std::string_view text, size_t from, size_t to) {
  if (!Bounded(text, from, to, IsAlnum)) return std::nullopt;
  if (ContainsIgnoreCase(text.substr(from, to - from), "example")) return std::nullopt;
  return Make(CredentialKind::kAwsAccessKeyId, from, to, 4);
}

Candidate ValidateGitlab(std::string_view text, size_t from) {
  size_t end = Extend(text, from + 6, [](char c) { return IsAlnum(c) || c == '_' || c == '-'; });
  if (from > 0 && IsAlnum(text[from - 1])) return std::nullopt;
  return Make(CredentialKind::kGitlabToken, from, end, 6);
}

Candidate ValidateSlackToken(std::string_view text, size_t from) {
  if (from > 0 && IsAlnum(text[from - 1])) return std::nullopt;
  size_t end = Extend(text, from + 5, [](char c) { return IsAlnum(c) || c == '-'; });
  std::string_view body = text.substr(from + 5, end - from - 5);
  // xoxb-<team digits>-<id digits>-<secret>: at least three dash-separated parts.
  size_t dashes = static_cast<size_t>(std::count(body.begin(), body.end(), '-'));
  size_t first_dash = body.find('-');
  if (dashes < 2 || body.size() < 20 || first_dash == 0) return std::nullopt;
  if (!std::all_of(body.begin(), body.begin() + static_cast<long>(first_dash), IsDigit)) {
    return std::nullopt;
  }
  return Make(CredentialKind::kSlackToken, from, end, 5);
}

Candidate ValidateSlackWebhook(std::string_view text, size_t from) {
  constexpr std::string_view kPrefix = "hooks.slack.com/services/";
  size_t end = Extend(text, from + kPrefix.size(), [](char c) { return IsAlnum(c) || c == '/'; });
  std::string_view path = text.substr(from + kPrefix.size(), end - from - kPrefix.size());
  // T<team>/B<channel>/<secret>
  size_t s1 = path.find('/');
  size_t s2 = s1 == std::string_view::npos ? s1 : path.find('/', s1 + 1);
  if (s2 == std::string_view::npos || s1 + 1 >= path.size() || path[s1 + 1] != 'B') {
    return std::nullopt;
  }
  if (path.size() - s2 - 1 < 16 || IsPlaceholderOrReference(path.substr(s2 + 1))) {
    return std::nullopt;
  }
  return Make(CredentialKind::kSlackWebhook, from, end, kPrefix.size());
}

Candidate ValidateStripe(std::string_view text, size_t from) {
  if (from > 0 && IsAlnum(text[from - 1])) return std::nullopt;
  size_t end = Extend(text, from + 8, IsAlnum);
  if (end - from - 8 < 20) return std::nullopt;
  return Make(CredentialKind::kStripeKey, from, end, 8);
}

Candidate ValidateTwilio(std::string_view text, size_t from, size_t to) {
  if (!Bounded(text, from, to, IsAlnum)) return std::nullopt;
  std::string_view hex = text.substr(from + 2, 32);
  bool letter = std::any_of(hex.begin(), hex.end(), IsLower);
  if (!letter || !HasDigit(hex)) return std::nullopt;
  return Make(CredentialKind::kTwilioApiKey, from, to, 2);
}

Candidate ValidatePypi(std::string_view text, size_t from) {
  size_t end = Extend(text, from + 5, IsBase64UrlChar);
  if (end - from - 5 < 50) return std::nullopt;
  return Make(CredentialKind::kPypiToken, from, end, 5);
}

// A PEM block's body: base64 lines after optional "Name: value" headers. A
// real key has a body; "...", "<key>" or nothing is a placeholder.
Candidate ValidatePrivateKey(std::string_view text, size_t from, size_t to) {
  size_t i = to;
  size_t body = 0;
  bool line_start = true;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == 'r')) {
      i += 2;  // an escaped newline: the key inside a JSON or YAML string
      line_start = true;
      continue;
    }
    if (c == '\n' || c == '\r') {
      line_start = true;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == '-') break;  // -----END ...
    if (line_start) {
      // An armor or PEM header line ("Proc-Type: 4,ENCRYPTED", "Version: ...").
      size_t eol = text.find_first_of("\r\n", i);
      std::string_view line = text.substr(i, eol == std::string_view::npos ? eol : eol - i);
      if (line.find(": ") != std::string_view::npos) {
        i = eol == std::string_view::npos ? text.size() : eol;
        continue;
      }
    }
    line_start = false;
    if (!IsBase64Char(c) && c != '=') break;
    ++body;
    ++i;
  }
  if (body < 64) return std::nullopt;
  size_t end = i;
  if (text.substr(i, 9) == "-----END ") {
    size_t close = text.find("-----", i + 9);
    if (close != std::string_view::npos && close - i < 64) end = close + 5;
  }
  return Make(CredentialKind::kPrivateKey, from, end, 0);
}

Candidate ValidateJwt(std::string_view text, size_t from) {
  if (from > 0 && (IsBase64UrlChar(text[from - 1]) || text[from - 1] == '.')) return std::nullopt;
  // header.payload.signature (the signature is empty for alg "none").
  size_t dot1 = Extend(text, from, IsBase64UrlChar);
  size_t dot2 = Extend(text, dot1 + 1, IsBase64UrlChar);
  if (dot2 >= text.size() || text[dot2] != '.' || dot2 - dot1 - 1 < 8) return std::nullopt;
  size_t end = Extend(text, dot2 + 1, IsBase64UrlChar);
  auto header = DecodeBase64(text.substr(from, dot1 - from), /*url=*/true);
  if (!header) return std::nullopt;
  std::string_view h = *header;
  while (!h.empty() && IsSpace(h.front())) h.remove_prefix(1);
  while (!h.empty() && IsSpace(h.back())) h.remove_suffix(1);
  if (h.size() < 2 || h.front() != '{' || h.back() != '}') return std::nullopt;
  if (h.find("\"alg\"") == std::string_view::npos) return std::nullopt;
  return Make(CredentialKind::kJwt, from, end, 3);
}

// scheme://user:password@host — the secret is the password.
Candidate ValidateUrlPassword(std::string_view text, size_t from, size_t to) {
  // A scheme must precede "://".
  size_t s = from;
  while (s > 0 &&
         (IsAlnum(text[s - 1]) || text[s - 1] == '+' || text[s - 1] == '.' || text[s - 1] == '-')) {
    --s;
  }
  if (s == from || (!IsUpper(text[s]) && !IsLower(text[s]))) return std::nullopt;
  size_t at = to - 1;
  size_t colon = text.find(':', from + 3);
  if (colon == std::string_view::npos || colon >= at) return std::nullopt;
  std::string_view password = text.substr(colon + 1, at - colon - 1);
  // The host must follow.
  if (at + 1 >= text.size() || !(IsAlnum(text[at + 1]) || text[at + 1] == '[')) {
    return std::nullopt;
  }
  if (IsPlaceholderOrReference(password)) return std::nullopt;
  if (std::all_of(password.begin(), password.end(), IsDigit)) return std::nullopt;  // a port
  return Make(CredentialKind::kUrlPassword, colon + 1, at, 0);
}

Candidate ValidateAzure(std::string_view text, size_t from) {
  size_t eq = text.find('=', from);
  size_t end = Extend(text, eq + 1, [](char c) { return IsBase64Char(c) || c == '='; });
  std::string_view value = text.substr(eq + 1, end - eq - 1);
  if (value.size() < 40 || IsPlaceholderOrReference(value)) return std::nullopt;
  return Make(CredentialKind::kAzureStorageKey, eq + 1, end, 0);
}

// Finds the string value of "key": "..." at or after `from`; [begin, end).
bool JsonStringValue(std::string_view text, size_t key_end, size_t& begin, size_t& end) {
  size_t i = key_end;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != ':') return false;
  ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != '"') return false;
  begin = i + 1;
  end = begin;
  while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
  if (end > text.size()) end = text.size();
  return true;
}

Candidate ValidateGcp(std::string_view text) {
  constexpr std::string_view kKey = "\"private_key\"";
  size_t k = text.find(kKey);
  if (k == std::string_view::npos) return std::nullopt;
  size_t begin = 0;
  size_t end = 0;
  if (!JsonStringValue(text, k + kKey.size(), begin, end)) return std::nullopt;
  if (text.substr(begin, end - begin).find("PRIVATE KEY") == std::string_view::npos) {
    return std::nullopt;
  }
  return Make(CredentialKind::kGcpServiceAccountKey, begin, end, 0);
}

Candidate ValidateDockerAuth(std::string_view text, size_t from) {
  size_t begin = 0;
  size_t end = 0;
  if (!JsonStringValue(text, from + 6, begin, end)) return std::nullopt;
  auto decoded = DecodeBase64(text.substr(begin, end - begin));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  if (IsPlaceholderOrReference(std::string_view(*decoded).substr(colon + 1))) return std::nullopt;
  return Make(CredentialKind::kDockerRegistryAuth, begin, end, 0);
}

// tlsSecret: my-tls, existingSecret: db-credentials: a key ending in
// "secret" whose value is a Kubernetes object name names a Secret; only a
// random-looking value there is the secret itself.
bool NamesASecret(std::string_view key, std::string_view value) {
  if (key.size() < 6 || !EqualsIgnoreCase(key.substr(key.size() - 6), "secret")) return false;
  if (value.empty() || value.size() > 253 || !(IsLower(value.front()) || IsDigit(value.front())) ||
      !(IsLower(value.back()) || IsDigit(value.back()))) {
    return false;
  }
  bool dns = std::all_of(value.begin(), value.end(),
                         [](char c) { return IsLower(c) || IsDigit(c) || c == '-' || c == '.'; });
  return dns && !LooksRandom(value);
}

// key = value, key: value, "key": "value" inside text.
Candidate ValidateAssignment(std::string_view text, size_t from, size_t to) {
  size_t key_begin = from;
  while (key_begin > 0 && from - key_begin < 64 && IsKeyChar(text[key_begin - 1])) --key_begin;
  size_t key_end = Extend(text, from, IsKeyChar);
  std::string_view key = text.substr(key_begin, key_end - key_begin);
  // `==` and `=>` are comparisons and arrows, not assignments.
  char op = text[to - 1];
  if (op == '=' && to < text.size() && (text[to] == '=' || text[to] == '>')) return std::nullopt;
  if (op == ':' && to < text.size() && text[to] == ':') return std::nullopt;  // C++ scope, IPv6
  KeyClass cls = ClassifyKeyName(key);
  size_t i = to;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  char quote = 0;
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) quote = text[i++];
  size_t begin = i;
  // An HTTP authorization header: the credential follows the scheme.
  for (std::string_view scheme : {"Bearer ", "Basic ", "Token "}) {
    if (StartsWithIgnoreCase(text.substr(i), scheme)) {
      begin = i + scheme.size();
      if (ContainsIgnoreCase(key, "auth")) cls = KeyClass::kStrong;
      break;
    }
  }
  if (cls == KeyClass::kNone) return std::nullopt;
  size_t end = begin;
  if (quote != 0) {
    while (end < text.size() && text[end] != quote && text[end] != '\n') {
      end += text[end] == '\\' && quote == '"' ? 2 : 1;
    }
    if (end > text.size()) end = text.size();
  } else {
    while (end < text.size() && !IsSpace(text[end]) &&
           std::strchr("\"',;&}])<>", text[end]) == nullptr) {
      ++end;
    }
  }
  std::string_view value = text.substr(begin, end - begin);
  if (!IsLiteralCredential(value, cls) || NamesASecret(key, value)) return std::nullopt;
  CredentialMatch m = Make(CredentialKind::kAssignment, begin, end, 0);
  m.key = key;
  if (ContainsIgnoreCase(key, "aws") && ContainsIgnoreCase(key, "secret")) {
    m.kind = CredentialKind::kAwsSecretAccessKey;
  }
  return m;
}

// An AWS secret access key (40 base64 characters) close to an access key id.
void FindAwsSecretNear(std::string_view text, const CredentialMatch& id,
                       std::vector<CredentialMatch>& out) {
  constexpr size_t kWindow = 256;
  size_t lo = id.begin > kWindow ? id.begin - kWindow : 0;
  size_t hi = std::min(text.size(), id.end + kWindow);
  size_t i = lo;
  while (i < hi) {
    if (!IsBase64Char(text[i]) || (i > 0 && IsBase64Char(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = Extend(text, i, IsBase64Char);
    std::string_view run = text.substr(i, end - i);
    if (run.size() == 40 && (end >= text.size() || text[end] != '=') && HasDigit(run) &&
        std::any_of(run.begin(), run.end(), IsUpper) &&
        std::any_of(run.begin(), run.end(), IsLower) && !ContainsIgnoreCase(run, "example")) {
      out.push_back(Make(CredentialKind::kAwsSecretAccessKey, i, end, 0));
    }
    i = end;
  }
}

Candidate Validate(std::string_view text, int pattern, size_t from, size_t to) {
  switch (pattern) {
    case 0:
      return ValidateAwsKeyId(text, from, to);
    case 1:
      return ValidateFixedToken(text, CredentialKind::kGithubToken, from, to, 4);
    case 2:
      return ValidateFixedToken(text, CredentialKind::kGithubToken, from, to, 11);
    case 3:
      return ValidateGitlab(text, from);
    case 4:
      return ValidateSlackToken(text, from);
    case 5:
      return ValidateSlackWebhook(text, from);
    case 6:
      return ValidateStripe(text, from);
    case 7:
      return ValidateTwilio(text, from, to);
    case 8:
      return ValidateFixedToken(text, CredentialKind::kSendgridKey, from, to, 3);
    case 9:
      return ValidateFixedToken(text, CredentialKind::kNpmToken, from, to, 4);
    case 10:
      return ValidatePypi(text, from);
    case 11:
      return ValidatePrivateKey(text, from, to);
    case 12:
      return ValidateJwt(text, from);
    case 13:
      return ValidateUrlPassword(text, from, to);
    case 14:
      return ValidateAzure(text, from);
    case 15:
      return ValidateGcp(text);
    case 16:
      return ValidateDockerAuth(text, from);
    case 17:
      return ValidateAssignment(text, from, to);
    default:
      return std::nullopt;
  }
}

// --- Engines ---------------------------------------------------------------------

class Re2Matcher final : public SecretMatcher {
 public:
  static Result<std::unique_ptr<SecretMatcher>> Build() {
    auto m = std::unique_ptr<Re2Matcher>(new Re2Matcher());
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    m->set_ = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
    for (const PatternDef& p : kPatterns) {
      std::string regex = p.caseless ? std::string("(?i)") + p.regex : std::string(p.regex);
      std::string error;
      if (m->set_->Add(regex, &error) < 0) {
        return Status(ErrorCode::kInternal, "secret pattern " + regex + ": " + error);
      }
      m->single_.push_back(std::make_unique<RE2>(regex, opts));
      if (!m->single_.back()->ok()) {
        return Status(ErrorCode::kInternal,
                      "secret pattern " + regex + ": " + m->single_.back()->error());
      }
    }
    if (!m->set_->Compile()) return Status(ErrorCode::kInternal, "RE2::Set::Compile failed");
    return std::unique_ptr<SecretMatcher>(std::move(m));
  }

  MatchEngine engine() const override { return MatchEngine::kRe2Set; }

  bool FindAnchors(std::string_view text, std::vector<Anchor>& out) const override {
    // The set says which patterns match; only those are searched for positions.
    thread_local std::vector<int> ids;
    ids.clear();
    re2::StringPiece piece(text.data(), text.size());
    if (!set_->Match(piece, &ids)) return true;
    std::sort(ids.begin(), ids.end());
    for (int id : ids) {
      const RE2& re = *single_[static_cast<size_t>(id)];
      size_t pos = 0;
      re2::StringPiece m;
      while (pos <= text.size() && re.Match(piece, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
        size_t from = static_cast<size_t>(m.data() - text.data());
        size_t to = from + m.size();
        out.push_back({id, from, to});
        // Continue just after the anchor's first byte: anchors may overlap.
        pos = from + 1;
      }
    }
    return true;
  }

 private:
  Re2Matcher() = default;
  std::unique_ptr<RE2::Set> set_;
  std::vector<std::unique_ptr<RE2>> single_;
};

#if KSPM_HAVE_HYPERSCAN
class HyperscanMatcher final : public SecretMatcher {
 public:
  static Result<std::unique_ptr<SecretMatcher>> Build() {
    if (hs_valid_platform() != HS_SUCCESS) {
      return Status(ErrorCode::kUnsupported, "Hyperscan does not support this CPU");
    }
    std::vector<const char*> exprs;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
    for (size_t i = 0; i < kPatterns.size(); ++i) {
      exprs.push_back(kPatterns[i].regex);
      flags.push_back(HS_FLAG_SOM_LEFTMOST | (kPatterns[i].caseless ? HS_FLAG_CASELESS : 0));
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                         &error) != HS_SUCCESS) {
      std::string message = error != nullptr && error->message ? error->message : "unknown";
      int expression = error != nullptr ? error->expression : -1;
      hs_free_compile_error(error);
      return Status(ErrorCode::kInternal, "Hyperscan cannot compile secret pattern " +
                                              std::to_string(expression) + ": " + message);
    }
    auto m = std::unique_ptr<HyperscanMatcher>(new HyperscanMatcher(db));
    return std::unique_ptr<SecretMatcher>(std::move(m));
  }

  ~HyperscanMatcher() override { hs_free_database(db_); }
  MatchEngine engine() const override { return MatchEngine::kHyperscan; }

  bool FindAnchors(std::string_view text, std::vector<Anchor>& out) const override {
    hs_scratch_t* scratch = Scratch();
    if (scratch == nullptr) return false;
    auto on_match = [](unsigned id, unsigned long long from, unsigned long long to, unsigned,
                       void* ctx) -> int {
      static_cast<std::vector<Anchor>*>(ctx)->push_back(
          {static_cast<int>(id), static_cast<size_t>(from), static_cast<size_t>(to)});
      return 0;
    };
    hs_error_t rc =
        hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &out);
    // Hyperscan reports an anchor at every end it can reach; keep one per start.
    std::sort(out.begin(), out.end(), [](const Anchor& a, const Anchor& b) {
      return a.pattern != b.pattern ? a.pattern < b.pattern
             : a.from != b.from     ? a.from < b.from
                                    : a.to < b.to;
    });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Anchor& a, const Anchor& b) {
                            return a.pattern == b.pattern && a.from == b.from;
                          }),
              out.end());
    return rc == HS_SUCCESS;
  }

 private:
  explicit HyperscanMatcher(hs_database_t* db) : db_(db), generation_(NextGeneration()) {}

  static uint64_t NextGeneration() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1);
  }

  // One scratch region per thread, grown for whichever matcher it serves.
  hs_scratch_t* Scratch() const {
    struct PerThread {
      hs_scratch_t* scratch = nullptr;
      uint64_t generation = 0;
      ~PerThread() {
        if (scratch != nullptr) hs_free_scratch(scratch);
      }
    };
    thread_local PerThread t;
    if (t.generation != generation_) {
      if (hs_alloc_scratch(db_, &t.scratch) != HS_SUCCESS) return nullptr;
      t.generation = generation_;
    }
    return t.scratch;
  }

  hs_database_t* db_;
  uint64_t generation_;
};
#endif

}  // namespace

std::string_view CredentialKindName(CredentialKind kind) {
  switch (kind) {
    case CredentialKind::kAwsAccessKeyId:
      return "AWS access key id";
    case CredentialKind::kAwsSecretAccessKey:
      return "AWS secret access key";
    case CredentialKind::kGcpServiceAccountKey:
      return "GCP service account key";
    case CredentialKind::kAzureStorageKey:
      return "Azure storage or service bus key";
    case CredentialKind::kGithubToken:
      return "GitHub token";
    case CredentialKind::kGitlabToken:
      return "GitLab personal access token";
    case CredentialKind::kSlackToken:
      return "Slack token";
    case CredentialKind::kSlackWebhook:
      return "Slack webhook URL";
    case CredentialKind::kStripeKey:
      return "Stripe live key";
    case CredentialKind::kTwilioApiKey:
      return "Twilio API key";
    case CredentialKind::kSendgridKey:
      return "SendGrid API key";
    case CredentialKind::kNpmToken:
      return "npm token";
    case CredentialKind::kPypiToken:
      return "PyPI token";
    case CredentialKind::kDockerRegistryAuth:
      return "container registry credential";
    case CredentialKind::kPrivateKey:
      return "private key";
    case CredentialKind::kJwt:
      return "JSON Web Token";
    case CredentialKind::kUrlPassword:
      return "password in a URL";
    case CredentialKind::kAssignment:
      return "literal credential";
  }
  return "credential";
}

std::string_view MatchEngineName(MatchEngine engine) {
  return engine == MatchEngine::kHyperscan ? "hyperscan" : "re2-set";
}

bool MatchEngineAvailable(MatchEngine engine) {
  if (engine == MatchEngine::kRe2Set) return true;
#if KSPM_HAVE_HYPERSCAN
  return hs_valid_platform() == HS_SUCCESS;
#else
  return false;
#endif
}

Result<std::unique_ptr<SecretMatcher>> SecretMatcher::Create(MatchEngine engine) {
  if (engine == MatchEngine::kRe2Set) return Re2Matcher::Build();
#if KSPM_HAVE_HYPERSCAN
  return HyperscanMatcher::Build();
#else
  return Status(ErrorCode::kUnsupported, "kspm was built without Hyperscan");
#endif
}

const SecretMatcher& SecretMatcher::Default() {
  static const std::unique_ptr<SecretMatcher> matcher = [] {
    if (MatchEngineAvailable(MatchEngine::kHyperscan)) {
      auto hs = Create(MatchEngine::kHyperscan);
      if (hs.ok()) return std::move(hs).value();
    }
    auto re2 = Create(MatchEngine::kRe2Set);
    // The patterns are ours and covered by tests: failing here is a bug.
    assert(re2.ok());
    return std::move(re2).value();
  }();
  return *matcher;
}

namespace {

// A byte-level test that rules out most short values (ports, flags, names)
// without calling the engine, whose fixed cost per call dominates for them.
// Exact for every pattern above: each validated credential contains one of
// : = @ / or "-----", or a run of at least 19 characters of [A-Za-z0-9_-]
// (AWS ids 20, tokens with their prefix, a JWT header "eyJ" + 16).
bool MayHoldCredential(std::string_view text) {
  constexpr size_t kMinRun = 19;
  if (text.size() < 8) return false;
  size_t run = 0;
  size_t dashes = 0;
  for (char c : text) {
    if (c == ':' || c == '=' || c == '@' || c == '/') return true;
    dashes = c == '-' ? dashes + 1 : 0;
    if (dashes >= 5) return true;  // -----BEGIN
    if (IsAlnum(c) || c == '_' || c == '-') {
      if (++run >= kMinRun) return true;
    } else {
      run = 0;
    }
  }
  return false;
}

}  // namespace

void SecretMatcher::Scan(std::string_view text, std::vector<CredentialMatch>& out) const {
  if (!MayHoldCredential(text)) return;
  thread_local std::vector<Anchor> anchors;
  anchors.clear();
  FindAnchors(text, anchors);
  if (anchors.empty()) return;
  size_t first = out.size();
  for (const Anchor& a : anchors) {
    Candidate c = Validate(text, a.pattern, a.from, a.to);
    if (!c) continue;
    out.push_back(*c);
    if (c->kind == CredentialKind::kAwsAccessKeyId) FindAwsSecretNear(text, *c, out);
  }
  // Order by position; among overlapping matches keep the most specific.
  auto begin = out.begin() + static_cast<long>(first);
  std::sort(begin, out.end(), [](const CredentialMatch& a, const CredentialMatch& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (Rank(a.kind) != Rank(b.kind)) return Rank(a.kind) < Rank(b.kind);
    return a.end > b.end;
  });
  std::vector<CredentialMatch> kept;
  for (auto it = begin; it != out.end(); ++it) {
    bool replaced = false;
    bool dropped = false;
    for (CredentialMatch& k : kept) {
      bool overlap = it->begin < k.end && k.begin < it->end;
      if (!overlap) continue;
      if (Rank(it->kind) < Rank(k.kind)) {
        if (!replaced) {
          k = *it;
          replaced = true;
        }
      } else {
        dropped = true;
      }
      break;
    }
    if (!replaced && !dropped) kept.push_back(*it);
  }
  out.erase(begin, out.end());
  out.insert(out.end(), kept.begin(), kept.end());
}

bool SecretMatcher::Contains(std::string_view text) const {
  thread_local std::vector<CredentialMatch> found;
  found.clear();
  Scan(text, found);
  return !found.empty();
}

// --- Key names ---------------------------------------------------------------------

namespace {

// The last word of a key that makes it a reference to a credential or a
// setting about one rather than the credential itself (PASSWORD_FILE,
// secretName, TOKEN_TTL, tokenAudience).
constexpr std::string_view kNotCredentialSuffixes[] = {
    "name",       "names",      "namespace",   "ns",          "file",      "files",
    "filename",   "path",       "paths",       "dir",         "directory", "folder",
    "ref",        "refs",       "reference",   "url",         "urls",      "uri",
    "endpoint",   "host",       "hosts",       "hostname",    "address",   "addr",
    "port",       "audience",   "audiences",   "aud",         "issuer",    "iss",
    "type",       "types",      "kind",        "mode",        "enabled",   "enable",
    "disabled",   "disable",    "required",    "optional",    "ttl",       "timeout",
    "expiry",     "expires",    "expiration",  "lifetime",    "duration",  "period",
    "interval",   "age",        "seconds",     "minutes",     "hours",     "days",
    "length",     "len",        "size",        "bytes",       "bits",      "count",
    "version",    "provider",   "method",      "methods",     "algorithm", "alg",
    "header",     "prefix",     "suffix",      "format",      "encoding",  "policy",
    "strategy",   "scope",      "scopes",      "id",          "ids",       "user",
    "username",   "usr",        "login",       "email",       "hash",      "hashed",
    "digest",     "checksum",   "store",       "backend",     "manager",   "source",
    "mount",      "volume",     "location",    "field",       "env",       "var",
    "regex",      "pattern",    "template",    "config",      "configmap", "rotation",
    "retries",    "limit",      "max",         "min",         "level",     "label",
    "selector",   "annotation", "description", "placeholder", "generator", "claim",
    "claims",     "validation", "role",        "roles",       "group",     "groups",
    "secretname", "secretref",  "lookup",      "mapping",
};

bool IsCredentialWord(std::string_view t) {
  if (t.find("password") != std::string_view::npos || t.find("passwd") != std::string_view::npos ||
      t.find("passphrase") != std::string_view::npos) {
    return true;
  }
  return t.ends_with("secret") || t.ends_with("token") || t.ends_with("pwd") || t == "pass" ||
         t == "apikey" || t == "accesskey" || t == "secretkey" || t == "privatekey" ||
         t == "credential" || t == "credentials" || t == "creds";
}

// First words that pair with "key" into a credential (API_KEY, client_secret is
// already a credential word).
bool IsKeyPairWord(std::string_view t) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "api",    "access",  "secret",  "private", "auth",    "signing", "encryption",
      "master", "account", "session", "shared",  "storage", "app",     "admin"};
  return std::find(kWords.begin(), kWords.end(), t) != kWords.end();
}

}  // namespace

KeyClass ClassifyKeyName(std::string_view key) {
  constexpr size_t kMaxKey = 128;
  constexpr size_t kMaxTokens = 24;
  if (key.empty() || key.size() > kMaxKey) return KeyClass::kNone;
  // Split into lowercase words at separators and camelCase boundaries.
  char buf[kMaxKey];
  std::array<std::string_view, kMaxTokens> tokens;
  size_t n = 0;
  size_t len = 0;
  size_t start = 0;
  auto flush = [&] {
    if (len > start && n < kMaxTokens) tokens[n++] = std::string_view(buf + start, len - start);
    start = len;
  };
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (!IsAlnum(c)) {
      flush();
      continue;
    }
    bool boundary =
        i > 0 && IsUpper(c) &&
        (IsLower(key[i - 1]) || (IsUpper(key[i - 1]) && i + 1 < key.size() && IsLower(key[i + 1])));
    if (boundary) flush();
    buf[len++] = Lower(c);
  }
  flush();
  if (n == 0) return KeyClass::kNone;

  std::string_view last = tokens[n - 1];
  if (n >= 2 && last == "id" && tokens[n - 2] == "secret") return KeyClass::kStrong;  // Vault
  if (std::find(std::begin(kNotCredentialSuffixes), std::end(kNotCredentialSuffixes), last) !=
      std::end(kNotCredentialSuffixes)) {
    return KeyClass::kNone;
  }
  // passwordSecret, tokenSecret: the name of a Secret holding the credential.
  if (n >= 2 && last == "secret") {
    for (size_t i = 0; i + 1 < n; ++i) {
      if (IsCredentialWord(tokens[i]) || tokens[i] == "key") return KeyClass::kNone;
    }
  }
  KeyClass cls = KeyClass::kNone;
  for (size_t i = 0; i < n; ++i) {
    std::string_view t = tokens[i];
    if (IsCredentialWord(t)) return KeyClass::kStrong;
    if (t == "key" || t == "keys") {
      if (i > 0 && IsKeyPairWord(tokens[i - 1])) return KeyClass::kStrong;
      cls = KeyClass::kWeak;
    }
    if (t == "auth" || t == "authorization" || t == "apikeys") cls = KeyClass::kWeak;
  }
  return cls;
}

// --- Values -----------------------------------------------------------------------

bool IsPlaceholderOrReference(std::string_view value) {
  while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsSpace(value.back())) value.remove_suffix(1);
  if (value.empty()) return true;
  // Templates and references resolved elsewhere.
  for (std::string_view marker : {"${", "$(", "{{", "}}", "%(", "#{", "<%", "((", "[["}) {
    if (value.find(marker) != std::string_view::npos) return true;
  }
  char first = value.front();
  if (first == '$' || first == '%' || first == '@' || first == '*') return true;
  if (first == '<' && value.back() == '>') return true;
  for (std::string_view prefix :
       {"vault:", "ref+",    "arn:aws",    "projects/",  "sm://",       "secretsmanager:",
        "awssm:", "gcpsm:",  "azkv:",      "keyvault:",  "op://",       "env:",
        "file:",  "secret:", "secretref:", "enc[",       "encrypted:",  "akv:",
        "gcp:",   "aws:",    "bws://",     "doppler://", "infisical://"}) {
    if (StartsWithIgnoreCase(value, prefix)) return true;
  }
  // Paths, and URLs without credentials in them.
  if (first == '/' || value.starts_with("./") || value.starts_with("../") ||
      value.starts_with("~/")) {
    return true;
  }
  if (value.size() > 2 && value[1] == ':' && value[2] == '\\') return true;
  if (value.find("://") != std::string_view::npos) return true;
  // Words that are not secrets.
  for (std::string_view word :
       {"true",    "false", "yes",       "no",       "on",        "off",      "null",
        "nil",     "none",  "undefined", "empty",    "required",  "optional", "password",
        "passwd",  "pass",  "pwd",       "secret",   "token",     "apikey",   "api_key",
        "api-key", "key",   "changeme",  "changeit", "default",   "string",   "value",
        "foo",     "bar",   "foobar",    "baz",      "test",      "testing",  "tbd",
        "todo",    "n/a",   "na",        "random",   "generated", "auto",     "hidden",
        "masked",  "unset", "disabled",  "enabled",  "bearer",    "basic",    "notasecret"}) {
    if (EqualsIgnoreCase(value, word)) return true;
  }
  for (std::string_view part : {"changeme",
                                "change_me",
                                "change-me",
                                "change_this",
                                "change-this",
                                "changethis",
                                "replace_me",
                                "replace-me",
                                "replaceme",
                                "replace_with",
                                "replace-with",
                                "example",
                                "placeholder",
                                "dummy",
                                "redacted",
                                "your_",
                                "your-",
                                "yourpassword",
                                "yourtoken",
                                "insert_",
                                "insert-",
                                "fixme",
                                "xxxx",
                                "****",
                                "...",
                                "\xE2\x80\xA6",
                                "<",
                                ">",
                                "put_your",
                                "put-your",
                                "fill_in",
                                "fill-in",
                                "sample",
                                "not_a_secret",
                                "not-a-secret",
                                "notsecret"}) {
    if (ContainsIgnoreCase(value, part)) return true;
  }
  // The same character repeated, numbers, versions.
  if (value.size() >= 3 &&
      std::all_of(value.begin(), value.end(), [&](char c) { return c == value.front(); })) {
    return true;
  }
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return IsDigit(c) || c == '.' || c == '-' || c == '_'; })) {
    return true;
  }
  // Prose (a description, a help text), not a credential.
  if (std::any_of(value.begin(), value.end(), IsSpace)) return true;
  // The name of another environment variable (DB_PASSWORD), or a Secret reference.
  if (value.find('_') != std::string_view::npos &&
      std::all_of(value.begin(), value.end(),
                  [](char c) { return IsUpper(c) || IsDigit(c) || c == '_'; })) {
    return true;
  }
  return false;
}

double ShannonEntropy(std::string_view value) {
  if (value.empty()) return 0;
  std::array<unsigned, 256> counts{};
  for (char c : value) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0;
  double n = static_cast<double>(value.size());
  for (unsigned count : counts) {
    if (count == 0) continue;
    double p = count / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool LooksRandom(std::string_view value) {
  if (value.size() < 16) return false;
  bool letter =
      std::any_of(value.begin(), value.end(), [](char c) { return IsAlnum(c) && !IsDigit(c); });
  if (!letter || !HasDigit(value)) return false;
  return ShannonEntropy(value) >= 3.0;
}

bool IsLiteralCredential(std::string_view value, KeyClass key_class) {
  if (key_class == KeyClass::kNone) return false;
  while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsSpace(value.back())) value.remove_suffix(1);
  if (value.size() < 4 || IsPlaceholderOrReference(value)) return false;
  return key_class == KeyClass::kStrong || LooksRandom(value);
}

std::optional<CredentialMatch> MatchKeyValue(std::string_view key, std::string_view value) {
  size_t begin = 0;
  size_t end = value.size();
  while (begin < end && IsSpace(value[begin])) ++begin;
  while (end > begin && IsSpace(value[end - 1])) --end;
  KeyClass cls = ClassifyKeyName(key);
  for (std::string_view scheme : {"Bearer ", "Basic ", "Token "}) {
    if (StartsWithIgnoreCase(value.substr(begin), scheme)) {
      begin += scheme.size();
      if (cls != KeyClass::kNone || ContainsIgnoreCase(key, "auth")) cls = KeyClass::kStrong;
      break;
    }
  }
  std::string_view literal = value.substr(begin, end - begin);
  if (!IsLiteralCredential(literal, cls) || NamesASecret(key, literal)) return std::nullopt;
  CredentialMatch m;
  m.kind = ContainsIgnoreCase(key, "aws") && ContainsIgnoreCase(key, "secret")
               ? CredentialKind::kAwsSecretAccessKey
               : CredentialKind::kAssignment;
  m.begin = begin;
  m.end = end;
  m.key = key;
  return m;
}

// --- Encodings --------------------------------------------------------------------

std::optional<std::string> DecodeBase64(std::string_view text, bool url) {
  std::string out;
  if (!DecodeBase64Into(text, out, url)) return std::nullopt;
  return out;
}

namespace {

// Sextet of each byte in the standard or URL-safe alphabet; -1 for others.
constexpr std::array<int8_t, 256> Base64Table(bool url) {
  std::array<int8_t, 256> t{};
  for (int8_t& v : t) v = -1;
  for (int i = 0; i < 26; ++i) {
    t['A' + i] = static_cast<int8_t>(i);
    t['a' + i] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(52 + i);
  t[url ? '-' : '+'] = 62;
  t[url ? '_' : '/'] = 63;
  return t;
}
constexpr std::array<int8_t, 256> kBase64Std = Base64Table(false);
constexpr std::array<int8_t, 256> kBase64Url = Base64Table(true);

}  // namespace

bool DecodeBase64Into(std::string_view text, std::string& out, bool url) {
  const std::array<int8_t, 256>& table = url ? kBase64Url : kBase64Std;
  auto sextet = [&table](char c) -> int { return table[static_cast<unsigned char>(c)]; };
  out.clear();
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t chars = 0;
  size_t padding = 0;
  for (char c : text) {
    // Go's base64 decoder, which Kubernetes uses for Secret data, skips
    // newlines; nothing else may appear between the characters.
    if (!url && (c == '\n' || c == '\r')) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return false;  // data after padding
    int v = sextet(c);
    if (v < 0) return false;
    ++chars;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  size_t total = chars + padding;
  if (chars % 4 == 1) return false;
  if (url) {
    if (padding > 0 && total % 4 != 0) return false;
  } else {
    if (total % 4 != 0 || padding > 2) return false;
    if (padding > 0 && (chars + padding) % 4 != 0) return false;
    if ((chars % 4 == 2 && padding != 2) || (chars % 4 == 3 && padding != 1) ||
        (chars % 4 == 0 && padding != 0)) {
      return false;
    }
  }
  return true;
}

namespace {

// SHA-256 (FIPS 180-4), enough for fingerprints; not constant-time.
class Sha256 {
 public:
  void Update(std::string_view data) {
    for (char c : data) {
      block_[used_++] = static_cast<uint8_t>(c);
      if (used_ == 64) {
        Compress();
        used_ = 0;
      }
    }
    length_ += data.size();
  }

  std::array<uint8_t, 32> Final() {
    uint64_t bit_length = length_ * 8;
    block_[used_++] = 0x80;
    if (used_ > 56) {
      while (used_ < 64) block_[used_++] = 0;
      Compress();
      used_ = 0;
    }
    while (used_ < 56) block_[used_++] = 0;
    for (int i = 7; i >= 0; --i) block_[used_++] = static_cast<uint8_t>(bit_length >> (i * 8));
    Compress();
    std::array<uint8_t, 32> digest;
    for (size_t i = 0; i < 8; ++i) {
      for (size_t j = 0; j < 4; ++j)
        digest[i * 4 + j] = static_cast<uint8_t>(h_[i] >> (24 - j * 8));
    }
    return digest;
  }

 private:
  static uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

  void Compress() {
    static constexpr std::array<uint32_t, 64> kK = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    std::array<uint32_t, 64> w;
    for (size_t i = 0; i < 16; ++i) {
      w[i] = (uint32_t{block_[i * 4]} << 24) | (uint32_t{block_[i * 4 + 1]} << 16) |
             (uint32_t{block_[i * 4 + 2]} << 8) | uint32_t{block_[i * 4 + 3]};
    }
    for (size_t i = 16; i < 64; ++i) {
      uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (size_t i = 0; i < 64; ++i) {
      uint32_t s1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = h + s1 + ch + kK[i] + w[i];
      uint32_t s0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
      uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
    h_[5] += f;
    h_[6] += g;
    h_[7] += h;
  }

  std::array<uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<uint8_t, 64> block_{};
  size_t used_ = 0;
  uint64_t length_ = 0;
};

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Sha256 sha;
  sha.Update(data);
  std::array<uint8_t, 32> digest = sha.Final();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::string Fingerprint(std::string_view secret, size_t public_prefix) {
  // Never more than the format's public prefix, and never most of the secret.
  public_prefix = std::min(public_prefix, secret.size() / 2);
  std::string out(secret.substr(0, public_prefix));
  if (!out.empty()) out += "\xE2\x80\xA6";  // …
  out += "(" + std::to_string(secret.size()) + " chars, sha256:" + Sha256Hex(secret).substr(0, 8) +
         ")";
  return out;
}

}  // namespace kspm::rules::secrets
