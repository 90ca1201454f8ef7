// core::LabelSelector: metav1.LabelSelector parsing, validation with the API
// server's messages, the leniencies some callers keep, and matching.
#include "core/label_selector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "core/decode.h"

namespace kspm {
namespace {

// Counts heap allocations of this thread, so a test can hold matching to
// "never allocates". Replacing the global operator new is legal in a program;
// it only counts, and forwards to malloc.
thread_local long g_allocations = 0;

}  // namespace
}  // namespace kspm

void* operator new(std::size_t size) {
  ++kspm::g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace kspm {
namespace {

using core::LabelSelector;
using core::LabelSet;
using core::SelectorLeniency;

// A decoded `s: <selector>` / `l: <labels>` document.
struct Fixture {
  explicit Fixture(const std::string& selector, const std::string& labels = "null")
      : decoded(core::DecodeSource("in.yaml", "s: " + selector + "\nl: " + labels + "\n")) {}
  const core::Node& root() const { return decoded.documents.at(0).root(); }
  const core::Node* selector() const { return root().Get("s"); }
  const core::Node* labels() const { return root().Get("l"); }
  core::DecodedSource decoded;
};

// --- Matching --------------------------------------------------------------------

TEST(LabelSelector, MatchesWithKubernetesSemantics) {
  struct Case {
    const char* selector;
    const char* labels;
    bool matches;
  };
  const Case cases[] = {
      // null, {} and empty or null lists: the empty selector, everything.
      {"null", "{a: b}", true},
      {"null", "null", true},
      {"{}", "{}", true},
      {"{}", "null", true},
      {"{matchLabels: {}, matchExpressions: []}", "{a: b}", true},
      {"{matchLabels: null, matchExpressions: null}", "{a: b}", true},
      // matchLabels: every pair.
      {"{matchLabels: {app: web}}", "{app: web, tier: fe}", true},
      {"{matchLabels: {app: web}}", "{app: api}", false},
      {"{matchLabels: {app: web}}", "{}", false},
      {"{matchLabels: {app: web}}", "null", false},
      {"{matchLabels: {app: web, tier: fe}}", "{app: web}", false},
      {"{matchLabels: {v: '1'}}", "{v: '1'}", true},
      {"{matchLabels: {a: ''}}", "{a: ''}", true},
      // In / NotIn.
      {"{matchExpressions: [{key: env, operator: In, values: [prod, stage]}]}", "{env: stage}",
       true},
      {"{matchExpressions: [{key: env, operator: In, values: [prod]}]}", "{env: dev}", false},
      {"{matchExpressions: [{key: env, operator: In, values: [prod]}]}", "{}", false},
      {"{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}", "{env: dev}", true},
      {"{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}", "{}", true},
      {"{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}", "{env: prod}", false},
      // Exists / DoesNotExist.
      {"{matchExpressions: [{key: debug, operator: Exists}]}", "{debug: ''}", true},
      {"{matchExpressions: [{key: debug, operator: Exists}]}", "{}", false},
      {"{matchExpressions: [{key: debug, operator: Exists, values: []}]}", "{debug: x}", true},
      {"{matchExpressions: [{key: debug, operator: DoesNotExist}]}", "{}", true},
      {"{matchExpressions: [{key: debug, operator: DoesNotExist}]}", "{debug: x}", false},
      // Everything is ANDed.
      {"{matchLabels: {app: web}, matchExpressions: [{key: env, operator: In, values: [prod]}]}",
       "{app: web, env: prod}", true},
      {"{matchLabels: {app: web}, matchExpressions: [{key: env, operator: In, values: [prod]}]}",
       "{app: web, env: dev}", false},
      {"{matchExpressions: [{key: a, operator: Exists}, {key: b, operator: DoesNotExist}]}",
       "{a: x, b: z}", false},
      // Labels that are not a mapping are no labels.
      {"{matchExpressions: [{key: a, operator: DoesNotExist}]}", "[a]", true},
  };
  for (const Case& c : cases) {
    Fixture f(c.selector, c.labels);
    std::vector<core::FieldProblem> problems;
    LabelSelector sel = LabelSelector::Parse(f.selector(), "/s", problems);
    EXPECT_TRUE(problems.empty()) << c.selector;
    EXPECT_TRUE(sel.valid()) << c.selector;
    EXPECT_EQ(sel.Matches(LabelSet(f.labels())), c.matches) << c.selector << " vs " << c.labels;
  }
}

TEST(LabelSelector, AbsentIsTheEmptySelector) {
  std::vector<core::FieldProblem> problems;
  LabelSelector sel = LabelSelector::Parse(nullptr, "/s", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_TRUE(sel.MatchesEverything());
  EXPECT_TRUE(LabelSelector().MatchesEverything());
  // A caller for which nil selects nothing says so with an invalid selector.
  EXPECT_FALSE(LabelSelector::Make({}, false).Matches(LabelSet()));
}

TEST(LabelSelector, NonStringLabelValues) {
  struct Case {
    const char* selector;
    bool absent;   // LabelSet::NonString::kAbsent
    bool unequal;  // LabelSet::NonString::kUnequal
  };
  // The label `num` holds an integer, `flag` a bool (`n` and `y` would be
  // YAML 1.1 booleans themselves).
  const Case cases[] = {
      {"{matchLabels: {num: '1'}}", false, false},
      {"{matchLabels: {flag: 'true'}}", false, false},
      {"{matchExpressions: [{key: num, operator: In, values: ['1']}]}", false, false},
      {"{matchExpressions: [{key: num, operator: NotIn, values: ['1']}]}", true, true},
      {"{matchExpressions: [{key: num, operator: Exists}]}", false, true},
      {"{matchExpressions: [{key: num, operator: DoesNotExist}]}", true, false},
  };
  for (const Case& c : cases) {
    Fixture f(c.selector, "{num: 1, flag: true}");
    std::vector<core::FieldProblem> problems;
    LabelSelector sel = LabelSelector::Parse(f.selector(), "", problems);
    ASSERT_TRUE(sel.valid()) << c.selector;
    EXPECT_EQ(sel.Matches(LabelSet(f.labels(), LabelSet::NonString::kAbsent)), c.absent)
        << c.selector;
    EXPECT_EQ(sel.Matches(LabelSet(f.labels(), LabelSet::NonString::kUnequal)), c.unequal)
        << c.selector;
  }
}

TEST(LabelSelector, NamespaceNameLabelOverridesTheObject) {
  Fixture f("{matchLabels: {kubernetes.io/metadata.name: kube-system}}",
            "{kubernetes.io/metadata.name: other, team: a}");
  std::vector<core::FieldProblem> problems;
  LabelSelector sel = LabelSelector::Parse(f.selector(), "", problems);
  EXPECT_TRUE(sel.Matches(LabelSet(f.labels(), "kube-system")));
  EXPECT_FALSE(sel.Matches(LabelSet(f.labels(), "default")));
  EXPECT_FALSE(sel.Matches(LabelSet(f.labels())));
  EXPECT_TRUE(sel.Matches(LabelSet(nullptr, "kube-system")));
  EXPECT_EQ(LabelSet(f.labels(), "kube-system").ToString(),
            "team=a,kubernetes.io/metadata.name=kube-system");
}

// --- Validation ------------------------------------------------------------------

TEST(LabelSelector, InvalidSelectorsMatchNothingAndSayWhere) {
  struct Case {
    const char* selector;
    const char* pointer;
    const char* message;
    bool missing;
  };
  const Case cases[] = {
      {"[a]", "/s", "must be an object, not array", false},
      {"a", "/s", "must be an object, not string", false},
      {"{matchLabels: [a]}", "/s/matchLabels", "must be an object, not array", false},
      {"{matchLabels: {a/b~c: 1}}", "/s/matchLabels/a~1b~0c", "must be a string, not integer",
       false},
      {"{matchLabels: {a: null}}", "/s/matchLabels/a", "must be a string, not null", false},
      {"{matchExpressions: {key: a}}", "/s/matchExpressions", "must be a list, not object", false},
      {"{matchExpressions: [a]}", "/s/matchExpressions/0", "must be an object, not string", false},
      // Operators.
      {"{matchExpressions: [{key: a, operator: Equals, values: [b]}]}",
       "/s/matchExpressions/0/operator",
       "Unsupported value: \"Equals\": supported values: \"In\", \"NotIn\", \"Exists\", "
       "\"DoesNotExist\"",
       false},
      {"{matchExpressions: [{key: a, operator: in, values: [b]}]}",
       "/s/matchExpressions/0/operator", "Unsupported value: \"in\"", false},
      {"{matchExpressions: [{key: a, values: [b]}]}", "/s/matchExpressions/0/operator",
       "Unsupported value: \"\"", true},
      {"{matchExpressions: [{key: a, operator: null, values: [b]}]}",
       "/s/matchExpressions/0/operator", "Unsupported value: \"\"", false},
      {"{matchExpressions: [{key: a, operator: 1, values: [b]}]}", "/s/matchExpressions/0/operator",
       "must be a string, not integer", false},
      // Keys.
      {"{matchExpressions: [{operator: Exists}]}", "/s/matchExpressions/0/key",
       "Invalid value: \"\": name part must be non-empty", true},
      {"{matchExpressions: [{key: '', operator: Exists}]}", "/s/matchExpressions/0/key",
       "name part must be non-empty", false},
      {"{matchExpressions: [{key: 1, operator: Exists}]}", "/s/matchExpressions/0/key",
       "must be a string, not integer", false},
      // Values.
      {"{matchExpressions: [{key: a, operator: In}]}", "/s/matchExpressions/0/values",
       "Required value: must be specified when `operator` is 'In' or 'NotIn'", true},
      {"{matchExpressions: [{key: a, operator: In, values: []}]}", "/s/matchExpressions/0/values",
       "Required value", false},
      {"{matchExpressions: [{key: a, operator: NotIn, values: null}]}",
       "/s/matchExpressions/0/values", "Required value", false},
      {"{matchExpressions: [{key: a, operator: Exists, values: [b]}]}",
       "/s/matchExpressions/0/values",
       "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", false},
      {"{matchExpressions: [{key: a, operator: DoesNotExist, values: [b]}]}",
       "/s/matchExpressions/0/values", "Forbidden", false},
      {"{matchExpressions: [{key: a, operator: In, values: b}]}", "/s/matchExpressions/0/values",
       "must be a list of strings, not string", false},
      {"{matchExpressions: [{key: a, operator: In, values: [b, 1]}]}",
       "/s/matchExpressions/0/values/1", "must be a string, not integer", false},
      // Labels written directly under the selector, not under matchLabels.
      {"{a: b}", "/s/a", "unknown field \"a\"", false},
      {"{matchLabels: {a: b}, a~b: c}", "/s/a~0b", "unknown field \"a~b\"", false},
      // The first expression is fine, the second is not.
      {"{matchExpressions: [{key: a, operator: Exists}, {key: b, operator: Is}]}",
       "/s/matchExpressions/1/operator", "Unsupported value: \"Is\"", false},
  };
  for (const Case& c : cases) {
    Fixture f(c.selector, "{a: b}");
    std::vector<core::FieldProblem> problems;
    LabelSelector sel = LabelSelector::Parse(f.selector(), "/s", problems);
    EXPECT_FALSE(sel.valid()) << c.selector;
    EXPECT_FALSE(sel.MatchesEverything()) << c.selector;
    EXPECT_FALSE(sel.Matches(LabelSet(f.labels()))) << c.selector;
    EXPECT_FALSE(sel.Matches(LabelSet())) << c.selector;
    EXPECT_EQ(sel.ToString(), "<invalid>") << c.selector;
    ASSERT_EQ(problems.size(), 1u) << c.selector;
    EXPECT_EQ(problems[0].pointer, c.pointer) << c.selector;
    EXPECT_NE(problems[0].message.find(c.message), std::string::npos)
        << c.selector << ": " << problems[0].message;
    EXPECT_EQ(problems[0].missing, c.missing) << c.selector;
    ASSERT_NE(problems[0].node, nullptr) << c.selector;
  }
}

TEST(LabelSelector, ReportsEveryProblemAndAppendsToExistingOnes) {
  Fixture f("{matchLabels: {a: 1, b: [x]}, matchExpressions: [{key: c}, {operator: Exists}]}");
  std::vector<core::FieldProblem> problems(1);  // one from the caller
  LabelSelector sel = LabelSelector::Parse(f.selector(), "", problems);
  EXPECT_FALSE(sel.valid());
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[1].pointer, "/matchLabels/a");
  EXPECT_EQ(problems[2].pointer, "/matchLabels/b");
  EXPECT_EQ(problems[3].pointer, "/matchExpressions/0/operator");
  EXPECT_EQ(problems[4].pointer, "/matchExpressions/1/key");
  // A caller's earlier problems do not make a valid selector invalid.
  Fixture valid("{matchLabels: {a: b}}");
  EXPECT_TRUE(LabelSelector::Parse(valid.selector(), "", problems).valid());
}

// What each leniency accepts, and what it still rejects.
TEST(LabelSelector, LeniencyKeepsCallersBehaviour) {
  const SelectorLeniency strict;
  const SelectorLeniency aggregation{
      .empty_keys = true, .non_string_values = true, .unknown_fields = true};
  const SelectorLeniency unchecked{
      .empty_keys = true, .non_string_values = true, .unchecked_values = true};
  struct Case {
    const char* selector;
    const char* labels;
    // -1 invalid, 0 valid and no match, 1 valid and match
    int strict;
    int aggregation;
    int unchecked;
  };
  const Case cases[] = {
      {"{matchExpressions: [{key: '', operator: Exists}]}", "{'': x}", -1, 1, 1},
      {"{matchExpressions: [{key: '', operator: Exists}]}", "{a: x}", -1, 0, 0},
      {"{matchExpressions: [{key: a, operator: In, values: [1, b]}]}", "{a: b}", -1, 1, 1},
      {"{matchExpressions: [{key: a, operator: In, values: [1]}]}", "{a: '1'}", -1, 0, 0},
      {"{matchExpressions: [{key: a, operator: NotIn, values: [1]}]}", "{a: '1'}", -1, 1, 1},
      {"{matchExpressions: [{key: a, operator: In}]}", "{a: b}", -1, -1, 0},
      {"{matchExpressions: [{key: a, operator: NotIn, values: []}]}", "{a: b}", -1, -1, 1},
      {"{matchExpressions: [{key: a, operator: NotIn, values: b}]}", "{a: b}", -1, -1, 1},
      {"{matchExpressions: [{key: a, operator: Exists, values: [x]}]}", "{a: b}", -1, -1, 1},
      {"{matchExpressions: [{key: a, operator: DoesNotExist, values: [x]}]}", "{a: b}", -1, -1, 0},
      // Never relaxed: operators, keys that are missing or not strings, types.
      {"{matchExpressions: [{key: a, operator: Like, values: [b]}]}", "{a: b}", -1, -1, -1},
      {"{matchExpressions: [{operator: Exists}]}", "{}", -1, -1, -1},
      {"{matchExpressions: [{key: null, operator: Exists}]}", "{}", -1, -1, -1},
      {"{matchExpressions: [{key: 1, operator: Exists}]}", "{}", -1, -1, -1},
      {"{matchLabels: {a: 1}}", "{a: '1'}", -1, -1, -1},
      {"{matchExpressions: [a]}", "{}", -1, -1, -1},
      {"[a]", "{}", -1, -1, -1},
      // Unknown fields: dropped (an empty selector) only for the aggregation.
      {"{a: b}", "{a: x}", -1, 1, -1},
      {"{matchLabels: {a: b}, c: d}", "{a: b}", -1, 1, -1},
  };
  auto outcome = [](const Fixture& f, SelectorLeniency leniency) {
    std::vector<core::FieldProblem> problems;
    LabelSelector sel = LabelSelector::Parse(f.selector(), "", problems, leniency);
    EXPECT_EQ(sel.valid(), problems.empty());
    if (!sel.valid()) return -1;
    return sel.Matches(LabelSet(f.labels())) ? 1 : 0;
  };
  for (const Case& c : cases) {
    Fixture f(c.selector, c.labels);
    EXPECT_EQ(outcome(f, strict), c.strict) << c.selector;
    EXPECT_EQ(outcome(f, aggregation), c.aggregation) << c.selector;
    EXPECT_EQ(outcome(f, unchecked), c.unchecked) << c.selector;
  }
}

// --- Notation and cost -------------------------------------------------------------

TEST(LabelSelector, ToStringUsesKubectlNotation) {
  Fixture f(
      "{matchLabels: {app: web}, matchExpressions: [{key: env, operator: In, values: [a, b]}, "
      "{key: t, operator: NotIn, values: [x]}, {key: d, operator: Exists}, {key: nd, operator: "
      "DoesNotExist}]}");
  std::vector<core::FieldProblem> problems;
  EXPECT_EQ(LabelSelector::Parse(f.selector(), "", problems).ToString(),
            "app=web,env in (a,b),t notin (x),d,!nd");
  EXPECT_EQ(LabelSelector().ToString(), "<all>");
}

TEST(LabelSelector, MatchingDoesNotAllocate) {
  Fixture f(
      "{matchLabels: {app: web}, matchExpressions: [{key: env, operator: In, values: [a, b]}, "
      "{key: t, operator: NotIn, values: [x]}, {key: d, operator: Exists}, {key: nd, operator: "
      "DoesNotExist}]}",
      "{app: web, env: b, t: y, d: ''}");
  std::vector<core::FieldProblem> problems;
  LabelSelector sel = LabelSelector::Parse(f.selector(), "", problems);
  LabelSet labels(f.labels());
  LabelSet namespace_labels(f.labels(), "default");
  long before = g_allocations;
  bool all = true;
  for (int i = 0; i < 1000; ++i) {
    all = sel.Matches(labels) && sel.Matches(namespace_labels) && all;
  }
  EXPECT_EQ(g_allocations - before, 0);
  EXPECT_TRUE(all);
  // Parsing a valid selector allocates its requirements, never pointer
  // strings: a long pointer costs nothing until there is a problem.
  before = g_allocations;
  LabelSelector::Parse(f.selector(), "", problems);
  long without_pointer = g_allocations - before;
  before = g_allocations;
  LabelSelector again = LabelSelector::Parse(
      f.selector(), "/spec/template/spec/affinity/podAntiAffinity/labelSelector", problems);
  EXPECT_EQ(g_allocations - before, without_pointer);
  EXPECT_TRUE(again.valid());
  EXPECT_TRUE(problems.empty());
}

}  // namespace
}  // namespace kspm
