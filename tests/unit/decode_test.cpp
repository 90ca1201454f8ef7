#include <gtest/gtest.h>

#include "core/decode.h"

namespace kspm::core {
namespace {

TEST(Decode, Yaml11Booleans) {
  DecodedSource d = DecodeSource("t.yaml", "a: yes\nb: off\nc: 'yes'\nd: 0777\ne: ~\n");
  ASSERT_TRUE(d.diagnostics.empty());
  ASSERT_EQ(d.documents.size(), 1u);
  const Node& root = d.documents[0].root();
  EXPECT_EQ(root.Get("a")->GetBool(), true);
  EXPECT_EQ(root.Get("b")->GetBool(), false);
  EXPECT_EQ(root.Get("c")->GetString(), "yes");
  EXPECT_EQ(root.Get("d")->GetInt(), 511);
  EXPECT_TRUE(root.Get("e")->IsNull());
  EXPECT_EQ(root.Get("d")->position().line, 4u);
  EXPECT_EQ(root.Get("d")->position().column, 4u);
}

}  // namespace
}  // namespace kspm::core
