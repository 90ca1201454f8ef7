// The JSON report renders large findings arrays on several threads: every
// element must come out byte for byte as the one-by-one rendering of a small
// report writes it, in order, across thread slices and batches.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/decode.h"
#include "core/inventory.h"
#include "engine/rule.h"
#include "report/report.h"

namespace kspm::report {
namespace {

constexpr size_t kFindings = 20000;  // beyond one batch, so several batches and slices

class JsonReportParallelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::DecodedSource decoded = core::DecodeSource(
        "pods.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n");
    ASSERT_TRUE(decoded.diagnostics.empty());
    std::vector<core::Diagnostic> notes;
    for (core::Document& d : decoded.documents) inventory_.AddDocument(std::move(d), notes);
    inventory_.Finish();
    ASSERT_EQ(inventory_.resources().size(), 1u);
    rule_.info.id = "TST-001";
    rule_.info.slug = "test";
    rule_.info.title = "Test \"rule\"";
    rule_.info.controls = {"pss:privileged"};
    rule_.info.remediation = "Fix it.";
    const core::Node* name = inventory_.resources()[0].root->Find({"metadata", "name"});
    for (size_t i = 0; i < kFindings; ++i) {
      engine::Finding f;
      f.rule = &rule_;
      f.resource = &inventory_.resources()[0];
      f.status = engine::FindingStatus::kFail;
      f.SetMessage("finding " + std::to_string(i) + (i % 7 ? "" : " with \"quotes\"\n"));
      for (size_t e = 0; e < i % 3; ++e) {
        f.AddEvidence(engine::BadValue(*name, "/metadata/name", "x" + std::to_string(e),
                                       "evidence " + std::to_string(e)));
      }
      findings_.push_back(std::move(f));
    }
  }

  std::string Render(const std::vector<engine::Finding>& findings) {
    ScanReport r;
    r.tool_version = "test";
    r.rules = {&rule_};
    r.findings = &findings;
    return RenderJson(r);
  }

  // The elements of the report's findings array, each from its "{" to its "}".
  static std::vector<std::string> Elements(const std::string& json) {
    std::vector<std::string> out;
    size_t at = json.find("\"findings\": [");
    const std::string open = "\n    {", close = "\n    }";
    for (size_t start = json.find(open, at); start != std::string::npos;
         start = json.find(open, start)) {
      size_t end = json.find(close, start);
      if (end == std::string::npos) break;
      out.push_back(json.substr(start + 5, end + close.size() - start - 5));
      start = end;
      if (json.compare(end + close.size(), 1, ",") != 0) break;  // the last element
    }
    return out;
  }

  core::Inventory inventory_;
  engine::Rule rule_;
  std::vector<engine::Finding> findings_;
};

TEST_F(JsonReportParallelTest, EveryElementAsRenderedAlone) {
  std::string big = Render(findings_);
  std::vector<std::string> elements = Elements(big);
  ASSERT_EQ(elements.size(), kFindings);
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}, size_t{4095}, size_t{4096}, size_t{8191},
                   size_t{8192}, size_t{8193}, size_t{12345}, kFindings - 1}) {
    std::vector<engine::Finding> one;
    one.push_back(findings_[i]);
    std::vector<std::string> alone = Elements(Render(one));
    ASSERT_EQ(alone.size(), 1u) << i;
    EXPECT_EQ(elements[i], alone[0]) << "finding " << i;
  }
  // Separators between elements, and the array's end, as one writer puts them.
  EXPECT_NE(big.find("    },\n    {\n      \"ruleId\""), std::string::npos);
  EXPECT_NE(big.find("    }\n  ],\n  \"errors\""), std::string::npos);
}

TEST_F(JsonReportParallelTest, StreamedEqualsRendered) {
  std::string rendered = Render(findings_);
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ScanReport r;
  r.tool_version = "test";
  r.rules = {&rule_};
  r.findings = &findings_;
  ASSERT_TRUE(WriteJson(r, f));
  std::rewind(f);
  std::string streamed;
  char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) streamed.append(buf, n);
  std::fclose(f);
  EXPECT_EQ(streamed, rendered);
}

}  // namespace
}  // namespace kspm::report
