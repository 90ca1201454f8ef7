// Edge cases of decoding untrusted YAML and JSON (DESIGN §7): every case the
// decoder issue lists, with the messages a user sees and hand-computed
// positions. How kspm reads values is also checked differentially against
// Kubernetes' own reader in tests/integration/yaml_oracle_test.sh; these tests
// pin down messages, positions, limits and the plumbing around documents.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/decode.h"
#include "core/scalar.h"
#include "core/source.h"

namespace kspm::core {
namespace {

DecodedSource Yaml(std::string_view text, const DecodeLimits& limits = {}) {
  return DecodeSource("t.yaml", text, limits);
}

// The only document of a source that must decode cleanly.
const Node& Root(const DecodedSource& d) {
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].ToString();
  EXPECT_EQ(d.documents.size(), 1u);
  static const Node kNull;
  return d.documents.empty() ? kNull : d.documents[0].root();
}

std::string Json(std::string_view text) {
  DecodedSource d = Yaml(text);
  if (!d.diagnostics.empty()) return "error: " + d.diagnostics[0].message;
  if (d.documents.empty()) return "empty";
  return d.documents[0].root().ToJson();
}

// The single error of a source, as "line:column: message".
std::string OnlyError(const DecodedSource& d) {
  if (d.diagnostics.size() != 1)
    return "expected one diagnostic, got " + std::to_string(d.diagnostics.size());
  const Diagnostic& e = d.diagnostics[0];
  EXPECT_EQ(e.level, DiagnosticLevel::kError);
  return std::to_string(e.position.line) + ":" + std::to_string(e.position.column) + ": " +
         e.message;
}

Position At(uint32_t line, uint32_t column) { return Position{line, column}; }

// ---- YAML 1.1 scalars -------------------------------------------------------

TEST(DecodeEdge, Yaml11BooleansAsValues) {
  EXPECT_EQ(Json("[yes, no, on, off, y, n, Y, N, Yes, NO, True, FALSE, On, OFF]"),
            "[true,false,true,false,true,false,true,false,true,false,true,false,true,false]");
  // Anything else stays a string: other casings, quoted forms, tags.
  EXPECT_EQ(Json("[yEs, tRuE, 'yes', \"on\", !!str y, yess]"),
            R"(["yEs","tRuE","yes","on","y","yess"])");
}

TEST(DecodeEdge, Yaml11BooleansAsKeys) {
  EXPECT_EQ(Json("yes: 1\noff: 2\n\"on\": 3\n"), R"({"true":1,"false":2,"on":3})");
  EXPECT_EQ(Json("y: a\nn: b\n"), R"({"true":"a","false":"b"})");
}

TEST(DecodeEdge, Yaml11Numbers) {
  EXPECT_EQ(Json("[0777, 0o17, 0x1F, 0b101, -0b101, 1_000, 0x_1F, +12, -0, 007]"),
            "[511,15,31,5,-5,1000,31,12,0,7]");
  // 08 and 09 are not octal: they read as floats, like 1e3 and .5.
  DecodedSource floats = Yaml("[08, 09.5, 1e3, .5, -.5, 1.5e-3]");
  const Node& r = Root(floats);
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r.items()[0].type(), NodeType::kFloat);
  EXPECT_EQ(r.items()[0].GetNumber(), 8.0);
  EXPECT_EQ(r.items()[1].GetNumber(), 9.5);
  EXPECT_EQ(r.items()[2].GetNumber(), 1000.0);
  EXPECT_EQ(r.items()[3].GetNumber(), 0.5);
  EXPECT_EQ(r.items()[4].GetNumber(), -0.5);
  EXPECT_EQ(r.items()[5].GetNumber(), 0.0015);
  // Not numbers.
  EXPECT_EQ(Json("[1:20, 1.2.3, 0x, 1e, ._5, 0x1p3, 1__]"),
            R"(["1:20","1.2.3","0x","1e","._5","0x1p3",1])");
  EXPECT_EQ(Json("a: 1,000\n"), R"({"a":"1,000"})");
  // int64 range; beyond it Go keeps a uint64 (here the nearest double) or a float.
  DecodedSource ints = Yaml("[9223372036854775807, -9223372036854775808, 18446744073709551615]");
  const Node& big = Root(ints);
  EXPECT_EQ(big.items()[0].GetInt(), INT64_MAX);
  EXPECT_EQ(big.items()[1].GetInt(), INT64_MIN);
  EXPECT_EQ(big.items()[2].type(), NodeType::kFloat);
}

TEST(DecodeEdge, NullsAndEmptyValues) {
  EXPECT_EQ(Json("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: nUll\n"),
            R"({"a":null,"b":null,"c":null,"d":null,"e":null,"f":"","g":"nUll"})");
}

TEST(DecodeEdge, InfinityAndNanAreErrorsAsInKubernetes) {
  EXPECT_EQ(OnlyError(Yaml("a: 1\nb: .inf\n")),
            "2:4: value .inf is not a finite number: Kubernetes cannot turn it into JSON and "
            "rejects the document");
  EXPECT_EQ(OnlyError(Yaml("- -.Inf\n")).substr(0, 17), "1:3: value -.Inf ");
  EXPECT_EQ(OnlyError(Yaml("x: .nan\n")).substr(0, 16), "1:4: value .nan ");
  // As keys they are just strings.
  EXPECT_EQ(Json(".inf: a\n-.inf: b\n.nan: c\n"), R"({".inf":"a","-.inf":"b",".nan":"c"})");
}

TEST(DecodeEdge, KeysBecomeJsonStrings) {
  EXPECT_EQ(
      Json("1: a\n0x10: b\n1.5: c\n1e6: d\n0.1234567891: e\ntrue: f\n-0.0: g\n2001-01-01: h\n"),
      R"({"1":"a","16":"b","1.5":"c","1e+06":"d","0.12345679":"e","true":"f","-0":"g","2001-01-01":"h"})");
  EXPECT_EQ(OnlyError(Yaml("~: a\n")), "1:1: null mapping key: Kubernetes cannot use it as a key");
  EXPECT_EQ(OnlyError(Yaml("18446744073709551615: a\n")),
            "1:1: integer key above 9223372036854775807: Kubernetes cannot use it as a key");
  EXPECT_EQ(OnlyError(Yaml("[a]: b\n")), "1:1: a mapping or sequence cannot be a mapping key");
  EXPECT_EQ(OnlyError(Yaml("? {a: 1}\n: b\n")),
            "1:3: a mapping or sequence cannot be a mapping key");
  EXPECT_EQ(Json("a.b/c: 1\n\"\": 2\n"), R"({"a.b/c":1,"":2})");
}

TEST(DecodeEdge, FloatKeysAreFormattedAsFloat32) {
  EXPECT_EQ(FormatFloatKey(123456789.0), "1.2345679e+08");
  EXPECT_EQ(FormatFloatKey(0.0001), "0.0001");
  EXPECT_EQ(FormatFloatKey(0.00001), "1e-05");
  EXPECT_EQ(FormatFloatKey(100000), "100000");
  EXPECT_EQ(FormatFloatKey(1e39), ".inf");
  EXPECT_EQ(FormatFloatKey(-1e39), "-.inf");
  EXPECT_EQ(FormatFloatKey(-0.0), "-0");
  EXPECT_EQ(FormatFloatKey(2.5), "2.5");
}

TEST(DecodeEdge, QuotedAndPlainStrings) {
  EXPECT_EQ(Json("a: 'it''s'\nb: \"t\\tx\\u00e9\\U0001F600\"\nc: \"it\\'s\"\nd: a:b\ne: a #c\n"),
            "{\"a\":\"it's\",\"b\":\"t\\tx\xC3\xA9\xF0\x9F\x98\x80\",\"c\":\"it's\",\"d\":\"a:b\","
            "\"e\":\"a\"}");
  // go-yaml rejects "\/" and lone surrogates; libyaml would not.
  EXPECT_EQ(OnlyError(Yaml("a: \"x\\/y\"\n")),
            "1:4: escape \"\\/\" in a double-quoted scalar: Kubernetes' YAML parser rejects it "
            "(write \"/\")");
  EXPECT_EQ(OnlyError(Yaml("a: \"\\uD800\"\n")).substr(0, 50),
            "1:7: found invalid Unicode character escape code (");
}

TEST(DecodeEdge, Tags) {
  EXPECT_EQ(Json("[!!str 5, !!int \"7\", !!float 3, !!bool yes, !!null ~, ! 12, !custom 12, "
                 "!!map x, !!merge y, !<tag:yaml.org,2002:int> 42]"),
            R"(["5",7,3,true,null,"12","12","x","y",42])");
  EXPECT_EQ(Json("a: !!binary aGVsbG8=\nb: !!binary |\n  aGVs\n  bG8=\nc: !!binary /w==\n"),
            "{\"a\":\"hello\",\"b\":\"hello\",\"c\":\"\xEF\xBF\xBD\"}");
  EXPECT_EQ(OnlyError(Yaml("a: !!int 1.5\n")), "1:4: cannot decode !!float `1.5` as a !!int");
  EXPECT_EQ(OnlyError(Yaml("a: !!binary aGVsbG8\n")),
            "1:4: !!binary value contains invalid base64 data");
  // Collections ignore their tags.
  EXPECT_EQ(Json("a: !!str {b: 1}\nc: !x [1]\n"), R"({"a":{"b":1},"c":[1]})");
}

TEST(DecodeEdge, Timestamps) {
  // Plain timestamps stay strings (go-yaml v2 keeps the text for interface{}).
  EXPECT_EQ(Json("a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-02-30\n"),
            R"({"a":"2001-12-14","b":"2001-12-14t21:59:43.10-05:00","c":"2001-02-30"})");
  EXPECT_EQ(Json("a: !!timestamp 2001-12-14 21:59:43.10\n"), R"({"a":"2001-12-14 21:59:43.10"})");
  EXPECT_EQ(OnlyError(Yaml("a: !!timestamp 2001-02-29\n")),
            "1:4: cannot decode !!str `2001-02-29` as a !!timestamp");
  EXPECT_TRUE(IsYamlTimestamp("2000-02-29"));
  EXPECT_TRUE(IsYamlTimestamp("2001-1-2T3:4:5Z"));
  EXPECT_TRUE(IsYamlTimestamp("2001-01-02T03:04:05.123456789123+01:00"));
  EXPECT_FALSE(IsYamlTimestamp("2001-01-02T24:00:00Z"));
  EXPECT_FALSE(IsYamlTimestamp("2001-13-01"));
  EXPECT_FALSE(IsYamlTimestamp("01-01-2001"));
}

// ---- anchors, aliases, merges ---------------------------------------------

TEST(DecodeEdge, AliasesShareTheAnchoredNode) {
  DecodedSource d = Yaml("a: &x {k: [1, 2]}\nb: *x\nc: &s str\nd: *s\n*s : as key\n");
  const Node& r = Root(d);
  EXPECT_EQ(r.ToJson(), R"({"a":{"k":[1,2]},"b":{"k":[1,2]},"c":"str","d":"str","str":"as key"})");
  // No copy: both keys point at the same children.
  EXPECT_EQ(r.Get("a")->members().data(), r.Get("b")->members().data());
  // Position of the alias itself.
  EXPECT_EQ(r.Get("d")->position(), At(4, 4));
}

TEST(DecodeEdge, AnchorsFollowGoYamlScoping) {
  // Visible from the moment the node starts; redefinitions win.
  EXPECT_EQ(Json("a: &x [&x 1, *x]\nb: *x\n"), R"({"a":[1,1],"b":1})");
  EXPECT_EQ(OnlyError(Yaml("a: &x [1, *x]\n")), "1:11: anchor 'x' value contains itself");
  EXPECT_EQ(OnlyError(Yaml("a: *nope\n")), "1:4: unknown anchor 'nope' referenced");
}

TEST(DecodeEdge, MergeKeys) {
  EXPECT_EQ(Json("d: &d {a: 1, b: 2}\ne: &e {c: 3}\nm:\n  <<: [*d, *e]\n  x: 9\n"),
            R"({"d":{"a":1,"b":2},"e":{"c":3},"m":{"a":1,"b":2,"c":3,"x":9}})");
  EXPECT_EQ(Json("m:\n  <<: {a: 1}\n  b: 2\n"), R"({"m":{"a":1,"b":2}})");
  // A quoted "<<" is an ordinary key.
  EXPECT_EQ(Json("m:\n  \"<<\": {a: 1}\n"), R"({"m":{"<<":{"a":1}}})");
  // Overriding a merged key is a duplicate, as in kubectl's strict decoding.
  EXPECT_EQ(OnlyError(Yaml("d: &d {image: nginx}\nm:\n  <<: *d\n  image: httpd\n")),
            "4:10: duplicate key \"image\" (first defined at line 1, column 8)");
  EXPECT_EQ(OnlyError(Yaml("a: &a {k: 1}\nb: &b {k: 2}\nc:\n  <<: [*a, *b]\n")),
            "4:7: merge (<<) sets key \"k\" again (first defined at line 1, column 8)");
  EXPECT_EQ(OnlyError(Yaml("m:\n  <<: 5\n")),
            "2:7: map merge requires map or sequence of maps as the value");
  EXPECT_EQ(OnlyError(Yaml("s: &s [1]\nm:\n  <<: *s\n")),
            "3:7: map merge requires map or sequence of maps as the value");
}

TEST(DecodeEdge, BillionLaughsIsRejectedFast) {
  std::string bomb =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? ",*" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  DecodedSource d = Yaml(bomb);
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_NE(d.diagnostics[0].message.find("document contains excessive aliasing"),
            std::string::npos)
      << d.diagnostics[0].message;
  EXPECT_NE(d.diagnostics[0].message.find("alias bomb"), std::string::npos);
  EXPECT_TRUE(d.documents.empty());
}

TEST(DecodeEdge, AliasExpansionIsBoundedByTheLimit) {
  // Few aliases of a big node: allowed by go-yaml's ratio, stopped by ours.
  std::string text = "big: &b [";
  for (int i = 0; i < 2000; ++i) text += i ? ",x" : "x";
  text += "]\nuse: [*b, *b, *b]\n";
  DecodeLimits limits;
  limits.max_expanded_nodes = 5000;
  EXPECT_EQ(OnlyError(Yaml(text, limits)),
            "2:11: document expands to more than 5000 nodes through aliases (alias bomb?)");
  EXPECT_TRUE(Yaml(text).diagnostics.empty());
}

// ---- nesting, sizes -------------------------------------------------------

TEST(DecodeEdge, DeepFlowNestingIsRejected) {
  DecodedSource d = Yaml(std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(OnlyError(d), "1:1001: nesting deeper than 1000 levels");
}

TEST(DecodeEdge, DeepBlockNestingIsRejected) {
  std::string text;
  for (int i = 0; i < 1100; ++i) text += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  EXPECT_EQ(OnlyError(Yaml(text)), "1001:1001: nesting deeper than 1000 levels");
}

TEST(DecodeEdge, DeepJsonNestingIsRejected) {
  DecodedSource d = Yaml("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}");
  EXPECT_EQ(OnlyError(d), "1:1005: invalid JSON: nesting deeper than 1000 levels");
}

TEST(DecodeEdge, AliasesCannotStackNestingPastTheLimit) {
  std::string text = "a: &a " + std::string(600, '[') + std::string(600, ']') + "\n";
  text += "b: &b [[[*a]]]\n";
  EXPECT_TRUE(Yaml(text).diagnostics.empty());
  text += "c: " + std::string(400, '[') + "*a" + std::string(400, ']') + "\n";
  EXPECT_EQ(OnlyError(Yaml(text)), "3:404: alias *a nests deeper than 1000 levels");
}

TEST(DecodeEdge, HugeScalarOverTheLimit) {
  DecodeLimits limits;
  limits.max_scalar_bytes = 1024;
  std::string text = "a: small\n---\nb: " + std::string(2000, 'x') + "\n";
  DecodedSource d = Yaml(text, limits);
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].ToString(),
            "t.yaml:3:4: scalar of 2000 bytes exceeds the limit of 1024");
  ASSERT_EQ(d.documents.size(), 1u);  // the other document still decodes
  EXPECT_EQ(d.documents[0].root().ToJson(), R"({"a":"small"})");
  DecodedSource j = DecodeSource("t.json", "{\"b\": \"" + std::string(2000, 'x') + "\"}", limits);
  EXPECT_EQ(OnlyError(j), "1:7: invalid JSON: string exceeds the limit of 1024 bytes");
}

TEST(DecodeEdge, FileOverTheSourceLimit) {
  DecodeLimits limits;
  limits.max_source_bytes = 10;
  DecodedSource d = Yaml("a: 12345678901\n", limits);
  EXPECT_EQ(OnlyError(d), "0:0: file of 15 bytes exceeds the limit of 10");
}

// ---- duplicate keys --------------------------------------------------------

TEST(DecodeEdge, DuplicateKeysNameBothPlacesAndOtherDocumentsStillDecode) {
  DecodedSource d =
      Yaml("kind: A\n---\nmetadata:\n  name: x\n  labels: {}\n  name: y\n---\nkind: B\n");
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].ToString(),
            "t.yaml:6:9: duplicate key \"name\" (first defined at line 4, column 3)");
  ASSERT_EQ(d.documents.size(), 2u);
  EXPECT_EQ(d.documents[0].root().ToJson(), R"({"kind":"A"})");
  EXPECT_EQ(d.documents[1].root().ToJson(), R"({"kind":"B"})");
  EXPECT_EQ(d.documents[1].index(), 2u);
}

TEST(DecodeEdge, DuplicateKeysAfterConversion) {
  // yes and on are both true: a duplicate for go-yaml too.
  EXPECT_EQ(OnlyError(Yaml("yes: 1\non: 2\n")),
            "2:5: duplicate key \"true\" (first defined at line 1, column 1)");
  // 1 and "1" are different YAML keys but one JSON key: Kubernetes would keep
  // either value at random, so kspm refuses the document.
  EXPECT_EQ(OnlyError(Yaml("1: a\n\"1\": b\n")),
            "2:6: key \"1\" is written twice in different forms (first at line 1, column 1), "
            "e.g. 1 and \"1\"; Kubernetes would keep either value at random");
  EXPECT_EQ(OnlyError(Yaml("- {a: 1, a: 2}")).substr(0, 23), "1:13: duplicate key \"a\"");
}

TEST(DecodeEdge, ManyKeysStayFast) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  text += "k123: again\n";
  EXPECT_EQ(OnlyError(Yaml(text)),
            "50001:7: duplicate key \"k123\" (first defined at line 124, column 1)");
}

// ---- document splitting ----------------------------------------------------

TEST(DecodeEdge, EmptyDocumentsAreIgnored) {
  DecodedSource d = Yaml("---\n---\n# only a comment\n---\n\n---\n~\n---\na: 1\n...\n");
  EXPECT_TRUE(d.diagnostics.empty());
  ASSERT_EQ(d.documents.size(), 1u);
  EXPECT_EQ(d.documents[0].root().ToJson(), R"({"a":1})");
  EXPECT_EQ(d.documents[0].root().position(), At(9, 1));
}

TEST(DecodeEdge, SeparatorsAsKubectlReadsThem) {
  std::vector<YamlChunk> chunks =
      SplitYamlDocuments("a: 1\n--- # c\nb: 2\n---   \nc: 3\n---\t\nd: 4\n---#x\ne: 5");
  ASSERT_EQ(chunks.size(), 5u);
  EXPECT_EQ(chunks[0].text, "a: 1\n");
  EXPECT_EQ(chunks[1].text, "b: 2\n");
  EXPECT_EQ(chunks[1].first_line, 3u);
  EXPECT_EQ(chunks[4].text, "e: 5\n");  // a last line gets its "\n"
  EXPECT_EQ(chunks[4].index, 4u);
  // A separator with nothing before it starts the next document instead.
  chunks = SplitYamlDocuments("--- # top\na: 1\n---\n---\nb: 2\n");
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].text, "--- # top\na: 1\n");
  EXPECT_EQ(chunks[1].text, "---\nb: 2\n");
  EXPECT_EQ(chunks[1].first_line, 4u);
  // CRLF becomes LF, as bufio.ReadLine drops it.
  chunks = SplitYamlDocuments("a: 1\r\n---\r\nb: 2\r\n");
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[1].text, "b: 2\n");
}

TEST(DecodeEdge, InvalidSeparatorFailsTheDocumentItEnds) {
  DecodedSource d = Yaml("kind: A\n---\nkind: B\n--- kind: C\nkind: D\n---a\n");
  ASSERT_EQ(d.diagnostics.size(), 2u);
  EXPECT_EQ(d.diagnostics[0].ToString(),
            "t.yaml:4:5: invalid document separator: \"kind: C\" after \"---\" (only spaces or a "
            "comment may follow it; kubectl rejects the document this line ends)");
  EXPECT_EQ(d.diagnostics[1].position, At(6, 4));
  ASSERT_EQ(d.documents.size(), 1u);
  EXPECT_EQ(d.documents[0].root().ToJson(), R"({"kind":"A"})");
}

TEST(DecodeEdge, ContentAfterDocumentEndIsIgnored) {
  // sigs.k8s.io/yaml reads the first document of a chunk.
  EXPECT_EQ(Json("a: 1\n...\nb: [\n"), R"({"a":1})");
}

TEST(DecodeEdge, MalformedDocumentAmongGoodOnes) {
  DecodedSource d = Yaml("a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n");
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].ToString(),
            "t.yaml:4:2: did not find expected ',' or ']' (while parsing a flow sequence that "
            "started at line 3, column 4)");
  ASSERT_EQ(d.documents.size(), 2u);
  EXPECT_EQ(d.documents[1].root().ToJson(), R"({"d":4})");
}

// ---- bytes: BOM, CRLF, tabs, binary, UTF-8 ----------------------------------

TEST(DecodeEdge, ByteOrderMark) {
  DecodedSource d = Yaml(
      "\xEF\xBB\xBF"
      "apiVersion: v1\nkind: Pod\n");
  const Node& r = Root(d);
  EXPECT_EQ(r.ToJson(), R"({"apiVersion":"v1","kind":"Pod"})");
  EXPECT_EQ(r.Get("apiVersion")->position(), At(1, 13));
  // A BOM is not whitespace to kubectl's JSON sniffing: such a file is YAML
  // (and JSON is YAML).
  EXPECT_FALSE(LooksLikeJson("\xEF\xBB\xBF{}"));
  EXPECT_EQ(Json("\xEF\xBB\xBF{\"a\": [1]}"), R"({"a":[1]})");
}

TEST(DecodeEdge, CrlfKeepsPositions) {
  DecodedSource d = Yaml("a: 1\r\nb:\r\n  c: \"x\r\n    y\"\r\n  d: |\r\n    l1\r\n    l2\r\n");
  const Node& r = Root(d);
  EXPECT_EQ(r.ToJson(), R"({"a":1,"b":{"c":"x y","d":"l1\nl2\n"}})");
  EXPECT_EQ(r.Get("b")->position(), At(3, 3));
  EXPECT_EQ(r.Find({"b", "d"})->position(), At(5, 6));
  EXPECT_EQ(r.members()[1].key.position(), At(2, 1));
}

TEST(DecodeEdge, Tabs) {
  EXPECT_EQ(Json("a:\t1\nb: [1,\t2]\nc: \"\tq\"\n"), R"({"a":1,"b":[1,2],"c":"\tq"})");
  EXPECT_EQ(OnlyError(Yaml("a:\n\t- b\n")),
            "2:1: found character that cannot start any token (while scanning for the next "
            "token)");
}

TEST(DecodeEdge, BinaryContent) {
  std::string text = "kind: A\n---\nkind: B";
  text += '\0';
  text += "\x01\x02\n";
  DecodedSource d = Yaml(text);
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].ToString(),
            "t.yaml:3:8: NUL byte: binary data is not a YAML manifest");
  ASSERT_EQ(d.documents.size(), 1u);  // the first document is still read
}

TEST(DecodeEdge, InvalidUtf8AndControlCharacters) {
  EXPECT_EQ(OnlyError(Yaml("a: ok\nb: \xFF\n")), "2:4: invalid UTF-8 (byte 0xFF)");
  EXPECT_EQ(OnlyError(Yaml("a: \xC0\xAF\n")), "1:4: invalid UTF-8 (byte 0xC0)");      // overlong
  EXPECT_EQ(OnlyError(Yaml("a: \xED\xA0\x80\n")), "1:4: invalid UTF-8 (byte 0xED)");  // surrogate
  EXPECT_EQ(OnlyError(Yaml("a: b\x07\n")), "1:5: control character U+0007 is not allowed in YAML");
  EXPECT_EQ(OnlyError(Yaml("a: \xC2\x9F\n")),
            "1:4: control character U+009F is not allowed in YAML");
  // In JSON (Go's encoding/json) invalid bytes in strings become U+FFFD.
  EXPECT_EQ(Json("{\"a\": \"x\xFFy\"}"), "{\"a\":\"x\xEF\xBF\xBDy\"}");
}

// ---- positions ---------------------------------------------------------------

TEST(DecodeEdge, YamlPositions) {
  DecodedSource d = Yaml(
      "# comment\n"
      "apiVersion: v1\n"
      "kind: Pod\n"
      "spec:\n"
      "  containers:\n"
      "  - name: app\n"
      "    image: \"nginx\"\n"
      "    args: [a, 'b', {c: d}]\n"
      "    é: ü\n");
  const Node& r = Root(d);
  EXPECT_EQ(r.position(), At(2, 1));
  EXPECT_EQ(r.members()[0].key.position(), At(2, 1));
  EXPECT_EQ(r.Get("apiVersion")->position(), At(2, 13));
  const Node* containers = r.Find({"spec", "containers"});
  ASSERT_NE(containers, nullptr);
  EXPECT_EQ(containers->position(), At(6, 3));
  const Node& c0 = containers->items()[0];
  EXPECT_EQ(c0.position(), At(6, 5));
  EXPECT_EQ(c0.Get("image")->position(), At(7, 12));
  const Node* args = c0.Get("args");
  EXPECT_EQ(args->position(), At(8, 11));
  EXPECT_EQ(args->items()[1].position(), At(8, 15));
  EXPECT_EQ(args->items()[2].position(), At(8, 20));
  EXPECT_EQ(args->items()[2].members()[0].value.position(), At(8, 24));
  // Columns count characters, not bytes.
  EXPECT_EQ(c0.Get("é")->position(), At(9, 8));
}

TEST(DecodeEdge, PositionsInLaterDocuments) {
  DecodedSource d = Yaml("a: 1\n---\n\nb:\n  - x\n");
  ASSERT_EQ(d.documents.size(), 2u);
  EXPECT_EQ(d.documents[1].start(), At(3, 1));
  EXPECT_EQ(d.documents[1].root().Get("b")->items()[0].position(), At(5, 5));
}

TEST(DecodeEdge, JsonPositions) {
  DecodedSource d = DecodeSource("t.json",
                                 "{\n"
                                 "  \"apiVersion\": \"v1\",\n"
                                 "  \"spec\": {\"n\": [1, -2.5e3, true, null],\n"
                                 "           \"é\": \"ü\"}\n"
                                 "}\n");
  const Node& r = Root(d);
  EXPECT_EQ(r.position(), At(1, 1));
  EXPECT_EQ(r.members()[0].key.position(), At(2, 3));
  EXPECT_EQ(r.Get("apiVersion")->position(), At(2, 17));
  const Node* n = r.Find({"spec", "n"});
  EXPECT_EQ(r.Get("spec")->position(), At(3, 11));
  EXPECT_EQ(n->position(), At(3, 17));
  EXPECT_EQ(n->items()[1].position(), At(3, 21));
  EXPECT_EQ(n->items()[1].GetNumber(), -2500.0);
  EXPECT_EQ(n->items()[3].position(), At(3, 35));
  EXPECT_EQ(r.Find({"spec", "é"})->position(), At(4, 17));
}

// ---- JSON ----------------------------------------------------------------------

TEST(DecodeEdge, JsonSingleAndConcatenatedObjects) {
  DecodedSource one = DecodeSource("a.json", "  {\"kind\": \"A\", \"n\": 1, \"f\": 1.0}\n");
  EXPECT_EQ(Root(one).ToJson(), R"({"kind":"A","n":1,"f":1})");
  EXPECT_EQ(Root(one).Get("n")->type(), NodeType::kInt);
  EXPECT_EQ(Root(one).Get("f")->type(), NodeType::kFloat);
  DecodedSource many = DecodeSource("a.json", "{\"a\":1}{\"b\":2}\n\n{\"c\":3} [4] \"s\"");
  EXPECT_TRUE(many.diagnostics.empty());
  ASSERT_EQ(many.documents.size(), 5u);
  EXPECT_EQ(many.documents[1].root().ToJson(), R"({"b":2})");
  EXPECT_EQ(many.documents[2].start(), At(3, 1));
  EXPECT_EQ(many.documents[4].root().ToJson(), R"("s")");
}

TEST(DecodeEdge, JsonDuplicateKeys) {
  DecodedSource d = DecodeSource("a.json", "{\"a\": 1,\n \"b\": {\"x\": 1, \"x\": 2}}");
  EXPECT_EQ(OnlyError(d),
            "2:16: invalid JSON: duplicate key \"x\" (first defined at line 2, column 8)");
}

TEST(DecodeEdge, JsonErrorsWithLineAndColumn) {
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": 1,\n  \"b\" 2}")),
            "2:7: invalid JSON: invalid character '2' after object key");
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": [1 2]}")),
            "1:10: invalid JSON: invalid character '2' after array element");
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": 01}")),
            "1:8: invalid JSON: invalid character '1' after object key:value pair");
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": tru}")),
            "1:10: invalid JSON: invalid character '}' in literal true (expecting 'e')");
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": \"x\ny\"}")),
            "1:9: invalid JSON: invalid character '\\n' in string literal");
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": 1e400}")),
            "1:7: invalid JSON: number 1e400 is out of range");
  EXPECT_EQ(OnlyError(DecodeSource("a.json", "{\"a\": [1, 2")),
            "1:12: invalid JSON: unexpected end of JSON input");
  // Documents before the error are kept; nothing after it is read.
  DecodedSource d = DecodeSource("a.json", "{\"a\": 1}\n{\"b\": }\n{\"c\": 3}");
  ASSERT_EQ(d.documents.size(), 1u);
  EXPECT_EQ(d.diagnostics.size(), 1u);
}

TEST(DecodeEdge, JsonStringsAsGoReadsThem) {
  EXPECT_EQ(Json(R"({"a": "\u00e9\ud83d\ude00\/", "b": "\ud800x", "c": "\u0000"})"),
            "{\"a\":\"\xC3\xA9\xF0\x9F\x98\x80/\",\"b\":\"\xEF\xBF\xBDx\",\"c\":\"\\u0000\"}");
  // Integers that fit int64 stay integers; anything else is a float64.
  DecodedSource d =
      DecodeSource("a.json", "{\"n\": [-0, 9223372036854775807, 9223372036854775808, 1E2]}");
  const Node* n = Root(d).Get("n");
  ASSERT_EQ(n->size(), 4u);
  EXPECT_EQ(n->items()[0].type(), NodeType::kInt);
  EXPECT_EQ(n->items()[1].GetInt(), INT64_MAX);
  EXPECT_EQ(n->items()[2].type(), NodeType::kFloat);
  EXPECT_EQ(n->items()[2].GetNumber(), 9223372036854775808.0);
  EXPECT_EQ(n->items()[3].type(), NodeType::kFloat);
  EXPECT_EQ(n->items()[3].GetNumber(), 100.0);
}

TEST(DecodeEdge, JsonSniffingFollowsKubectl) {
  EXPECT_TRUE(LooksLikeJson(" \t\r\n{"));
  EXPECT_TRUE(LooksLikeJson("\xC2\xA0\xE2\x80\x83{"));  // Unicode spaces count
  EXPECT_FALSE(LooksLikeJson("[1]"));
  EXPECT_FALSE(LooksLikeJson("# c\n{}"));
  EXPECT_FALSE(LooksLikeJson(std::string(4096, ' ') + "{}"));  // past the peek window
  EXPECT_TRUE(LooksLikeJson(std::string(4095, ' ') + "{}"));
}

// ---- where libyaml and go-yaml differ ---------------------------------------------

TEST(DecodeEdge, FollowsGoYamlWhereLibyamlDiffers) {
  EXPECT_EQ(Json("a: [b:, c:]\n"), R"({"a":["b:","c:"]})");                               // D2
  EXPECT_EQ(Json("a: \"it\\'s \\a\"\n"), "{\"a\":\"it's \\u0007\"}");                     // D4
  EXPECT_EQ(Json("a: [!t,x y]\nb: !t[1] z\n"), R"({"a":["y"],"b":"z"})");                 // D3
  EXPECT_EQ(OnlyError(Yaml("a: [b?c]\n")).substr(0, 25), "1:5: plain scalar \"b?c\" c");  // D1
  EXPECT_EQ(OnlyError(Yaml("a: 1\n%YAML 123.4\n")),
            "2:1: found extremely long version number in %YAML directive");  // D6
  EXPECT_EQ(Json("[]: ignored\nrest: [\n"), "[]");                           // D8
  // The same with multi-byte characters and a byte-order mark before them.
  EXPECT_EQ(Json("\xEF\xBB\xBF\xC3\xA9\xE2\x82\xAC: [b:, \"\xC3\xA9\\'\", !t,x y]\n"),
            "{\"\xC3\xA9\xE2\x82\xAC\":[\"b:\",\"\xC3\xA9'\",\"y\"]}");
  EXPECT_EQ(OnlyError(Yaml("&k []: v\n")), "1:1: a mapping or sequence cannot be a mapping key");
}

// ---- inventory: Lists, notes ---------------------------------------------------------

LoadResult Load(std::vector<std::pair<std::string, std::string>> sources) {
  LoadOptions options;
  options.threads = 1;
  return DecodeSources(std::move(sources), options);
}

std::vector<std::string> Kinds(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Resource& res : r.inventory.resources()) {
    out.push_back(res.api_version + "/" + res.kind + "/" + res.name + "@" + res.pointer);
  }
  return out;
}

std::vector<std::string> Messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(d.ToString());
  return out;
}

TEST(DecodeEdge, ListsAreExpanded) {
  LoadResult r = Load({{"l.yaml",
                        "apiVersion: v1\nkind: List\nitems:\n"
                        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                        "- {metadata: {name: no-kind}}\n"
                        "---\n"
                        "apiVersion: v1\nkind: PodList\nitems:\n"
                        "- metadata: {name: p}\n"
                        "---\n"
                        "kind: SecretList\napiVersion: v1\nitems: []\n"}});
  EXPECT_EQ(Kinds(r), (std::vector<std::string>{"v1/ConfigMap/a@/items/0", "v1/Pod/p@/items/0"}));
  EXPECT_EQ(Messages(r),
            std::vector<std::string>{"l.yaml:5:3: object without apiVersion or kind; skipped"});
  EXPECT_FALSE(r.input_error);
}

TEST(DecodeEdge, DocumentsThatAreNotObjects) {
  LoadResult r = Load({{"n.yaml", "just a string\n---\n- a\n---\nmetadata: {name: x}\n---\n~\n"}});
  EXPECT_TRUE(r.inventory.resources().empty());
  EXPECT_EQ(Messages(r), (std::vector<std::string>{
                             "n.yaml:1:1: document 0 is a string, not a Kubernetes object; skipped",
                             "n.yaml:3:1: document 1 is a array, not a Kubernetes object; skipped",
                             "n.yaml:5:1: object without apiVersion or kind; skipped"}));
  EXPECT_FALSE(r.input_error);
}

// ---- sources: files, folders, stdin, unreadable files ----------------------------

class FakeFileSystem : public FileSystem {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> unreadable;  // path -> error
  std::string stdin_text;

  bool IsDirectory(const std::string& path) const override {
    for (const auto& [f, _] : files) {
      if (f.rfind(path + "/", 0) == 0) return true;
    }
    return false;
  }
  bool Exists(const std::string& path) const override {
    return files.count(path) || unreadable.count(path) || IsDirectory(path);
  }
  Result<std::vector<std::string>> ListFilesRecursive(const std::string& dir) const override {
    std::vector<std::string> out;
    for (const auto& [f, _] : files) {
      if (f.rfind(dir + "/", 0) == 0) out.push_back(f);
    }
    for (const auto& [f, _] : unreadable) {
      if (f.rfind(dir + "/", 0) == 0) out.push_back(f);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  Result<std::string> ReadFile(const std::string& path) const override {
    if (auto it = unreadable.find(path); it != unreadable.end()) return IoError(it->second);
    auto it = files.find(path);
    if (it == files.end()) return NotFound(path + ": no such file");
    return it->second;
  }
  Result<std::string> ReadStdin() const override { return stdin_text; }
};

TEST(DecodeEdge, FoldersStdinAndUnreadableFiles) {
  FakeFileSystem fs;
  fs.files["m/a.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
  fs.files["m/sub/b.yml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";
  fs.files["m/sub/c.json"] =
      R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})";
  fs.files["m/readme.md"] = "kind: NotScanned\n";
  fs.unreadable["m/locked.yaml"] = "m/locked.yaml: cannot open: Permission denied";
  fs.stdin_text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n";
  LoadOptions options;
  options.threads = 2;
  LoadResult r = LoadManifests({"m", "-", "missing.yaml"}, fs, options);
  std::vector<std::string> names;
  for (const Resource& res : r.inventory.resources()) names.push_back(res.file() + ":" + res.name);
  EXPECT_EQ(names, (std::vector<std::string>{"m/a.yaml:a", "m/sub/b.yml:b", "m/sub/c.json:c",
                                             "<stdin>:s"}));
  EXPECT_EQ(Messages(r), (std::vector<std::string>{
                             "m/locked.yaml: m/locked.yaml: cannot open: Permission denied",
                             "missing.yaml: no such file or directory"}));
  EXPECT_TRUE(r.input_error);
}

TEST(DecodeEdge, DirectoryNamedLikeAManifest) {
  namespace fsys = std::filesystem;
  fsys::path dir = fsys::temp_directory_path() / ("kspm-decode-edge-" + std::to_string(::getpid()));
  fsys::create_directories(dir / "x.yaml");
  {
    std::ofstream(dir / "x.yaml" / "inner.yaml")
        << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: in}\n";
    std::ofstream(dir / "ok.yaml") << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n";
  }
  std::unique_ptr<FileSystem> local = MakeLocalFileSystem();
  LoadResult r = LoadManifests({(dir / "x.yaml").string(), dir.string()}, *local, {});
  std::vector<std::string> names;
  for (const Resource& res : r.inventory.resources()) names.push_back(res.name);
  // A directory is walked, never read as a file; nothing fails.
  EXPECT_EQ(names, (std::vector<std::string>{"in", "ok", "in"}));
  EXPECT_FALSE(r.input_error);
  fsys::remove_all(dir);
}

}  // namespace
}  // namespace kspm::core
