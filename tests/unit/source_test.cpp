// DecodeSources: many sources decoded in parallel give the same inventory, in
// source order, whatever the thread count, and every document stays readable
// after the source texts are released.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/source.h"

namespace kspm::core {
namespace {

std::vector<std::pair<std::string, std::string>> ManySources() {
  std::vector<std::pair<std::string, std::string>> sources;
  for (int f = 0; f < 12; ++f) {
    std::string name = "f" + std::to_string(f);
    if (f % 4 == 3) {
      // A JSON List: decoded whole, not split into chunks.
      sources.emplace_back(name + ".json",
                           R"({"apiVersion": "v1", "kind": "List", "items": [
                               {"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": ")" +
                               name + R"(-a", "namespace": "json"}},
                               {"apiVersion": "v1", "kind": "Secret",
                                "metadata": {"name": ")" +
                               name + R"(-b"}}]})");
      continue;
    }
    std::string text;
    for (int d = 0; d < 5; ++d) {
      if (d) text += "---\n";
      text += "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "-" +
              std::to_string(d) + "\n  namespace: ns-" + std::to_string(d % 2) +
              "\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n"
              "        image: registry.example.com/app:" +
              std::to_string(f * 10 + d) + "\n";
    }
    if (f == 5) text += "---\nkind: [unterminated\n";  // one bad document among good ones
    sources.emplace_back(name + ".yaml", std::move(text));
  }
  return sources;
}

struct Seen {
  std::string file, kind, ns, name, image;
  uint32_t line = 0;
  friend bool operator==(const Seen&, const Seen&) = default;
};

std::vector<Seen> Describe(const LoadResult& r) {
  std::vector<Seen> out;
  for (const Resource& res : r.inventory.resources()) {
    Seen s{res.file(), res.kind, res.namespace_, res.name, "", res.position().line};
    if (const PodSpecView* view = r.inventory.PodSpecOf(res); view && !view->containers.empty()) {
      if (const Node* image = view->containers[0].node->Get("image")) {
        s.image = std::string(image->GetString().value_or(""));
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

TEST(DecodeSources, SameInventoryWhateverTheThreadCount) {
  LoadOptions one;
  one.threads = 1;
  LoadResult serial = DecodeSources(ManySources(), one);
  LoadOptions four;
  four.threads = 4;
  LoadResult parallel = DecodeSources(ManySources(), four);

  std::vector<Seen> expected = Describe(serial);
  // 9 YAML files of 5 Deployments, 3 JSON Lists of 2 objects.
  ASSERT_EQ(expected.size(), 9u * 5 + 3 * 2);
  EXPECT_EQ(Describe(parallel), expected);
  EXPECT_EQ(serial.files, 12u);
  EXPECT_EQ(parallel.bytes, serial.bytes);

  // Source order, and values read back intact once the sources are gone.
  EXPECT_EQ(expected[0].file, "f0.yaml");
  EXPECT_EQ(expected[0].name, "f0-0");
  EXPECT_EQ(expected[0].image, "registry.example.com/app:0");
  EXPECT_EQ(expected[1].line, 13u);
  EXPECT_EQ(expected[15].file, "f3.json");
  EXPECT_EQ(expected[15].name, "f3-a");
  EXPECT_EQ(expected.back().name, "f11-b");
  const Seen& last_yaml = expected[expected.size() - 3];
  EXPECT_EQ(last_yaml.name, "f10-4");
  EXPECT_EQ(last_yaml.image, "registry.example.com/app:104");

  // The malformed document is reported, with its file, and the rest decoded.
  ASSERT_TRUE(parallel.input_error);
  ASSERT_EQ(parallel.diagnostics.size(), serial.diagnostics.size());
  bool found = false;
  for (const Diagnostic& d : parallel.diagnostics) {
    if (d.level == DiagnosticLevel::kError) {
      EXPECT_EQ(d.file, "f5.yaml");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace kspm::core
