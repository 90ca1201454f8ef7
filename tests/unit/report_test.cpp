// The reporters: each format's essential structure, escaping of
// attacker-controlled text, colour only on request, and Markdown truncation.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/decode.h"
#include "core/inventory.h"
#include "engine/rule.h"
#include "engine/score.h"
#include "report/report.h"

namespace kspm::report {
namespace {

// Two pods in a file whose name needs escaping in a URI; rule "TST-001"
// (critical) fails on one and is excepted on the other, rule "TST-002"
// (medium) fails on one with a message full of characters that need escaping.
constexpr const char* kManifest = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: ops
spec:
  containers:
  - name: app
    image: "img`with`ticks"
    securityContext:
      privileged: true
)";

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::DecodedSource decoded = core::DecodeSource("deploy/my app.yaml", kManifest);
    ASSERT_TRUE(decoded.diagnostics.empty());
    std::vector<core::Diagnostic> notes;
    for (core::Document& d : decoded.documents) inventory_.AddDocument(std::move(d), notes);
    inventory_.Finish();
    ASSERT_EQ(inventory_.resources().size(), 2u);
    web_ = &inventory_.resources()[0];
    agent_ = &inventory_.resources()[1];

    privileged_.info.id = "TST-001";
    privileged_.info.slug = "test-privileged";
    privileged_.info.title = "Privileged container";
    privileged_.info.description = "A privileged container is root on the node.";
    privileged_.info.severity = engine::Severity::kCritical;
    privileged_.info.controls = {"pss:privileged", "cis:5.2.1"};
    privileged_.info.remediation = "Set securityContext.privileged to false.";
    image_.info.id = "TST-002";
    image_.info.slug = "test-image";
    image_.info.title = "Image check";
    image_.info.severity = engine::Severity::kMedium;
    image_.info.controls = {"nsa:images"};

    const core::Node* web_priv = web_->root->Find({"spec"})
                                     ->Get("containers")
                                     ->items()[0]
                                     .Find({"securityContext", "privileged"});
    const core::Node* agent_priv = agent_->root->Find({"spec"})
                                       ->Get("containers")
                                       ->items()[0]
                                       .Find({"securityContext", "privileged"});
    const core::Node* agent_image =
        agent_->root->Find({"spec"})->Get("containers")->items()[0].Get("image");
    ASSERT_NE(web_priv, nullptr);
    ASSERT_NE(agent_image, nullptr);

    engine::Finding fail;
    fail.rule = &privileged_;
    fail.resource = web_;
    fail.status = engine::FindingStatus::kFail;
    fail.AddEvidence(engine::BadValue(*web_priv, "/spec/containers/0/securityContext/privileged",
                                      "false or unset", "container \"app\" is privileged"));
    findings_.push_back(fail);

    engine::Finding excepted = fail;
    excepted.resource = agent_;
    excepted.SetEvidence(
        {engine::BadValue(*agent_priv, "/spec/containers/0/securityContext/privileged",
                          "false or unset", "container \"app\" is privileged")});
    excepted.SetException("node agent needs it", "annotation kspm.dev/ignore");
    findings_.push_back(excepted);

    engine::Finding image;
    image.rule = &image_;
    image.resource = agent_;
    image.status = engine::FindingStatus::kFail;
    image.SetMessage("bad | pipe <script>alert(1)</script> & \"quote\" \x1b[31mred\x01");
    image.AddEvidence(
        engine::BadValue(*agent_image, "/spec/containers/0/image", "a pinned digest", ""));
    findings_.push_back(image);

    engine::Finding pass;
    pass.rule = &image_;
    pass.resource = web_;
    pass.status = engine::FindingStatus::kPass;
    findings_.push_back(pass);

    report_.tool_version = "9.9.9";
    report_.inputs = {"deploy/"};
    report_.rules = {&privileged_, &image_};
    report_.findings = &findings_;
    report_.scores = engine::ComputeScores(findings_);
    report_.resources = 2;
    report_.files = 1;
    report_.documents = 2;
    core::Diagnostic error;
    error.level = core::DiagnosticLevel::kError;
    error.file = "deploy/broken.yaml";
    error.position = {3, 7};
    error.message = "duplicate key \"name\"";
    report_.diagnostics.push_back(error);
  }

  core::Inventory inventory_;
  const core::Resource* web_ = nullptr;
  const core::Resource* agent_ = nullptr;
  engine::Rule privileged_;
  engine::Rule image_;
  std::vector<engine::Finding> findings_;
  ScanReport report_;
};

const rapidjson::Value* ResultFor(const rapidjson::Value& results, const char* rule,
                                  bool suppressed) {
  for (const auto& r : results.GetArray()) {
    if (std::string(r["ruleId"].GetString()) == rule && r.HasMember("suppressions") == suppressed) {
      return &r;
    }
  }
  return nullptr;
}

TEST_F(ReportTest, SarifStructure) {
  std::string text = RenderSarif(report_);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(text.c_str()).HasParseError()) << text;
  EXPECT_STREQ(d["version"].GetString(), "2.1.0");
  EXPECT_TRUE(d.HasMember("$schema"));
  const auto& run = d["runs"][0];
  const auto& driver = run["tool"]["driver"];
  EXPECT_STREQ(driver["name"].GetString(), "kspm");
  EXPECT_STREQ(driver["version"].GetString(), "9.9.9");
  const auto& rules = driver["rules"];
  ASSERT_EQ(rules.Size(), 2u);
  EXPECT_STREQ(rules[0]["id"].GetString(), "TST-001");
  EXPECT_STREQ(rules[0]["name"].GetString(), "test-privileged");
  EXPECT_STREQ(rules[0]["help"]["text"].GetString(), "Set securityContext.privileged to false.");
  EXPECT_STREQ(rules[0]["defaultConfiguration"]["level"].GetString(), "error");
  EXPECT_STREQ(rules[0]["properties"]["security-severity"].GetString(), "9.5");
  EXPECT_STREQ(rules[1]["defaultConfiguration"]["level"].GetString(), "warning");
  EXPECT_STREQ(rules[1]["properties"]["security-severity"].GetString(), "5.5");
  const auto& tags = rules[0]["properties"]["tags"];
  bool has_control = false;
  for (const auto& t : tags.GetArray()) has_control |= std::string(t.GetString()) == "cis:5.2.1";
  EXPECT_TRUE(has_control);

  const auto& results = run["results"];
  EXPECT_EQ(results.Size(), 3u);  // two failing, one excepted; never the passing one
  for (const auto& r : results.GetArray()) {
    EXPECT_STREQ(rules[r["ruleIndex"].GetUint()]["id"].GetString(), r["ruleId"].GetString());
  }
  const rapidjson::Value* fail = ResultFor(results, "TST-001", false);
  ASSERT_NE(fail, nullptr);
  EXPECT_STREQ((*fail)["level"].GetString(), "error");
  const auto& phys = (*fail)["locations"][0]["physicalLocation"];
  EXPECT_STREQ(phys["artifactLocation"]["uri"].GetString(), "deploy/my%20app.yaml");
  EXPECT_EQ(phys["region"]["startLine"].GetUint(), 11u);
  EXPECT_EQ(phys["region"]["startColumn"].GetUint(), 19u);
  EXPECT_STREQ((*fail)["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].GetString(),
               "Pod/shop/web");

  const rapidjson::Value* excepted = ResultFor(results, "TST-001", true);
  ASSERT_NE(excepted, nullptr);
  EXPECT_STREQ((*excepted)["suppressions"][0]["justification"].GetString(), "node agent needs it");
  EXPECT_STREQ((*excepted)["suppressions"][0]["kind"].GetString(), "inSource");

  const rapidjson::Value* medium = ResultFor(results, "TST-002", false);
  ASSERT_NE(medium, nullptr);
  EXPECT_STREQ((*medium)["level"].GetString(), "warning");

  const auto& inv = run["invocations"][0];
  EXPECT_FALSE(inv["executionSuccessful"].GetBool());
  const auto& note = inv["toolExecutionNotifications"][0];
  EXPECT_STREQ(note["level"].GetString(), "error");
  EXPECT_EQ(note["locations"][0]["physicalLocation"]["region"]["startLine"].GetUint(), 3u);
  EXPECT_TRUE(run["properties"]["score"].IsNumber());
}

TEST_F(ReportTest, SarifAbsolutePathsAreFileUris) {
  core::DecodedSource decoded = core::DecodeSource("/abs/dir/x#1.yaml", kManifest);
  core::Inventory inv;
  std::vector<core::Diagnostic> notes;
  for (core::Document& d : decoded.documents) inv.AddDocument(std::move(d), notes);
  inv.Finish();
  std::vector<engine::Finding> findings(1);
  findings[0].rule = &privileged_;
  findings[0].resource = &inv.resources()[0];
  findings[0].status = engine::FindingStatus::kFail;
  report_.findings = &findings;
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(RenderSarif(report_).c_str()).HasParseError());
  EXPECT_STREQ(
      d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
          .GetString(),
      "file:///abs/dir/x%231.yaml");
}

TEST_F(ReportTest, JsonContract) {
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(RenderJson(report_).c_str()).HasParseError());
  EXPECT_STREQ(d["apiVersion"].GetString(), "kspm.dev/v1");
  EXPECT_STREQ(d["kind"].GetString(), "ScanReport");
  EXPECT_EQ(d["findings"].Size(), 3u);
  EXPECT_EQ(d["summary"]["failed"].GetUint(), 2u);
  EXPECT_EQ(d["summary"]["excepted"].GetUint(), 1u);
  EXPECT_EQ(d["summary"]["inputErrors"].GetUint(), 1u);
  const auto& ev = d["findings"][0]["evidence"][0];
  EXPECT_TRUE(ev["actual"].IsBool());  // raw JSON, not a string
  EXPECT_STREQ(ev["reason"].GetString(), "value");
}

TEST_F(ReportTest, JunitCountsAndEscaping) {
  std::string xml = RenderJunit(report_);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  // 2 failures + 1 excepted + 1 input error; the passing finding is not listed.
  EXPECT_NE(
      xml.find("<testsuites name=\"kspm\" tests=\"4\" failures=\"2\" errors=\"1\" skipped=\"1\">"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"TST-001 test-privileged\" tests=\"2\" failures=\"1\" "
                     "errors=\"0\" skipped=\"1\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"Pod/shop\" name=\"web\" file=\"deploy/my app.yaml\" "
                     "line=\"11\">"),
            std::string::npos);
  EXPECT_NE(
      xml.find("<failure message=\"container &quot;app&quot; is privileged\" type=\"critical\">"),
      std::string::npos);
  EXPECT_NE(
      xml.find("<skipped message=\"excepted: node agent needs it (annotation kspm.dev/ignore)\"/>"),
      std::string::npos);
  // Attacker-controlled text: markup escaped, control characters replaced.
  EXPECT_NE(xml.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quote&quot;"),
            std::string::npos);
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("\xEF\xBF\xBD[31mred\xEF\xBF\xBD"), std::string::npos);
  EXPECT_NE(xml.find("<error message=\"duplicate key &quot;name&quot;\" type=\"input-error\">"),
            std::string::npos);

  report_.include_passed = true;
  std::string with_passed = RenderJunit(report_);
  EXPECT_NE(with_passed.find("tests=\"5\" failures=\"2\" errors=\"1\" skipped=\"1\""),
            std::string::npos);
  EXPECT_NE(with_passed.find("<testcase classname=\"Pod/shop\" name=\"web\" file=\"deploy/my "
                             "app.yaml\" line=\"1\"/>"),
            std::string::npos)
      << with_passed;
}

TEST_F(ReportTest, MarkdownEscapesAndStates) {
  std::string md = RenderMarkdown(report_);
  EXPECT_NE(md.find("## ⚠️ kspm: input errors"), std::string::npos) << md;
  EXPECT_NE(md.find("| critical | 1 |"), std::string::npos);
  EXPECT_NE(md.find("| medium | 1 |"), std::string::npos);
  // Table cells: `|` escaped, HTML neutralised, backticks fenced longer.
  EXPECT_NE(md.find("bad \\| pipe &lt;script&gt;alert(1)&lt;/script&gt; &amp;"), std::string::npos)
      << md;
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_EQ(md.find('\x01'), std::string::npos);
  EXPECT_NE(md.find("is ``\"img`with`ticks\"``"), std::string::npos) << md;
  EXPECT_NE(md.find("`Pod/shop/web`"), std::string::npos);
  EXPECT_NE(md.find("`deploy/my app.yaml:11`"), std::string::npos);
  EXPECT_NE(md.find("<details>"), std::string::npos);
  EXPECT_NE(md.find("**Fix:** Set securityContext.privileged to false."), std::string::npos);
  EXPECT_NE(md.find("### Excepted findings (1)"), std::string::npos);
  EXPECT_NE(md.find("node agent needs it"), std::string::npos);
  EXPECT_NE(md.find("### Input errors (1)"), std::string::npos);
  EXPECT_NE(md.find("`deploy/broken.yaml:3:7`"), std::string::npos);
  EXPECT_EQ(md.find("Truncated"), std::string::npos);

  report_.diagnostics.clear();
  EXPECT_NE(RenderMarkdown(report_).find("## ❌ kspm: failing"), std::string::npos);
  report_.fail_on = engine::Severity::kCritical;
  findings_[0].excepted = true;  // the only critical one
  EXPECT_NE(RenderMarkdown(report_).find("## ✅ kspm: passing"), std::string::npos);
}

TEST_F(ReportTest, MarkdownTruncatesToTheLimit) {
  engine::Finding many = findings_[2];
  many.SetMessage(std::string(300, 'x'));
  for (int i = 0; i < 1000; ++i) findings_.push_back(many);
  std::string md = RenderMarkdown(report_);
  EXPECT_LE(md.size(), kMarkdownCommentLimit);
  const std::string prefix = "> **Truncated** to stay under the 65536-character comment limit: ";
  size_t note = md.find(prefix);
  ASSERT_NE(note, std::string::npos);
  // The omitted count plus the rows shown is every failing finding.
  size_t shown = 0;
  for (size_t at = md.find("| medium | `TST-002`"); at != std::string::npos;
       at = md.find("| medium | `TST-002`", at + 1)) {
    ++shown;
  }
  size_t omitted = std::stoul(md.substr(note + prefix.size()));
  EXPECT_GT(shown, 0u);
  EXPECT_GT(omitted, 0u);
  EXPECT_EQ(shown + 1 + omitted, 1002u) << md.substr(note, 200);  // + the critical one
  // The headline and counts always survive.
  EXPECT_NE(md.find("| medium | 1001 |"), std::string::npos);

  std::string small = RenderMarkdown(report_, 4000);
  EXPECT_LE(small.size(), 4000u);
  EXPECT_NE(small.find("Truncated"), std::string::npos);
}

TEST_F(ReportTest, TableColourOnlyOnRequest) {
  std::string plain = RenderTable(report_, false);
  std::string color = RenderTable(report_, true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  EXPECT_NE(color.find("\x1b[1;31m"), std::string::npos);
  // The manifest's own escape sequence is shown, never sent to the terminal.
  EXPECT_NE(plain.find("\\x1B[31mred\\x01"), std::string::npos) << plain;
  EXPECT_EQ(color.find("\x1b[31mred"), std::string::npos);
}

TEST_F(ReportTest, TableContent) {
  std::string t = RenderTable(report_, false);
  size_t critical = t.find("CRITICAL · 1 failing finding");
  size_t medium = t.find("MEDIUM · 1 failing finding");
  size_t excepted = t.find("EXCEPTED · 1");
  ASSERT_NE(critical, std::string::npos) << t;
  ASSERT_NE(medium, std::string::npos);
  ASSERT_NE(excepted, std::string::npos);
  EXPECT_LT(critical, medium);
  EXPECT_LT(medium, excepted);
  EXPECT_NE(t.find("TST-001 test-privileged · Privileged container"), std::string::npos);
  EXPECT_NE(t.find("resource  Pod/shop/web"), std::string::npos);
  EXPECT_NE(t.find("location  deploy/my app.yaml:11"), std::string::npos);
  EXPECT_NE(t.find("evidence  /spec/containers/0/securityContext/privileged"), std::string::npos);
  EXPECT_NE(t.find("is true, expected false or unset"), std::string::npos);
  EXPECT_NE(t.find("EXCEPTED  node agent needs it"), std::string::npos);
  EXPECT_NE(t.find("deploy/broken.yaml:3:7"), std::string::npos);
  EXPECT_NE(t.find("Score formula:"), std::string::npos);
  // Score and per-framework / per-namespace rows with one decimal.
  std::string score = std::to_string(*report_.scores.overall.score);
  EXPECT_NE(t.find("Score       " + score.substr(0, score.find('.') + 2) + " / 100"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("  cis "), std::string::npos);
  EXPECT_NE(t.find("  shop "), std::string::npos);
  EXPECT_NE(t.find("Result: INPUT ERROR"), std::string::npos);
  // Fits a 100-column terminal (no long unbreakable words in this report).
  size_t start = 0;
  while (start < t.size()) {
    size_t end = t.find('\n', start);
    std::string line = t.substr(start, end - start);
    size_t cols = 0;
    for (char c : line) cols += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    EXPECT_LE(cols, 100u) << line;
    start = end + 1;
  }
}

}  // namespace
}  // namespace kspm::report
