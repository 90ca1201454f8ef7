// Issue 4's promise, checked: every built-in rule has our own fixtures in
// the golden cases, at least one resource it passes and one it fails. The
// expected reports are read with kspm's own decoder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "core/decode.h"
#include "engine/registry.h"
#include "rules/builtin.h"

namespace fs = std::filesystem;
using namespace kspm;

namespace {

// ruleId -> the statuses it has in some golden case's expected report.
std::map<std::string, std::set<std::string>, std::less<>> GoldenStatuses() {
  std::map<std::string, std::set<std::string>, std::less<>> out;
  for (const auto& e : fs::directory_iterator(fs::path(KSPM_GOLDEN_DIR) / "cases")) {
    fs::path report = e.path() / "expected.json";
    if (!fs::exists(report)) continue;
    std::ifstream in(report, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    core::DecodedSource decoded = core::DecodeSource(report.string(), text.str());
    EXPECT_TRUE(decoded.diagnostics.empty()) << report;
    for (const core::Document& doc : decoded.documents) {
      const core::Node* findings = doc.root().Get("findings");
      if (findings == nullptr) continue;
      for (const core::Node& f : findings->items()) {
        const core::Node* id = f.Get("ruleId");
        const core::Node* status = f.Get("status");
        if (id == nullptr || status == nullptr) continue;
        out[std::string(id->string_value())].insert(std::string(status->string_value()));
      }
    }
  }
  return out;
}

TEST(GoldenCoverage, EveryBuiltinRuleHasAPassingAndAFailingFixture) {
  engine::RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  auto statuses = GoldenStatuses();
  ASSERT_GE(registry.rules().size(), 150u);
  for (const auto& rule : registry.rules()) {
    const std::string& id = rule->info.id;
    auto it = statuses.find(id);
    bool pass = it != statuses.end() && it->second.count("pass") > 0;
    bool fail = it != statuses.end() && it->second.count("fail") > 0;
    EXPECT_TRUE(pass) << id << " has no passing fixture in tests/golden/cases (list passes with "
                      << "--include-passed in the case's args)";
    EXPECT_TRUE(fail) << id << " has no failing fixture in tests/golden/cases";
  }
}

}  // namespace
