// Golden tests: every folder under cases/ is one scan whose JSON report,
// stderr and exit code must match the expected files. KSPM_UPDATE_GOLDEN=1
// rewrites the expected files instead of comparing.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// The version changes with every release; goldens must not.
std::string Normalize(std::string json) {
  const std::string key = "\"version\": \"";
  size_t at = json.find(key);
  if (at != std::string::npos) {
    size_t end = json.find('"', at + key.size());
    json.replace(at + key.size(), end - at - key.size(), "test");
  }
  return json;
}

struct RunResult {
  std::string out;
  std::string err;
  int exit_code = -1;
};

RunResult RunScan(const fs::path& dir, const std::string& args) {
  fs::path err_file =
      fs::temp_directory_path() / ("kspm-golden-" + dir.filename().string() + ".err");
  std::string cmd = "cd '" + dir.string() + "' && NO_COLOR=1 '" KSPM_BINARY "' scan -o json " +
                    args + " input 2>'" + err_file.string() + "'";
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadAll(err_file);
  fs::remove(err_file);
  return r;
}

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(KSPM_GOLDEN_DIR) / "cases", ec)) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpected) {
  fs::path dir = fs::path(KSPM_GOLDEN_DIR) / "cases" / GetParam();
  ASSERT_TRUE(fs::is_directory(dir / "input")) << dir << " has no input/ folder";
  std::string args = fs::exists(dir / "args") ? Trim(ReadAll(dir / "args")) : "";
  RunResult r = RunScan(dir, args);
  std::string json = Normalize(r.out);
  if (std::getenv("KSPM_UPDATE_GOLDEN") != nullptr) {
    WriteAll(dir / "expected.json", json);
    WriteAll(dir / "expected.stderr", r.err);
    WriteAll(dir / "expected.exit", std::to_string(r.exit_code) + "\n");
    GTEST_SKIP() << "rewrote goldens of " << GetParam();
  }
  ASSERT_TRUE(fs::exists(dir / "expected.json"))
      << "no expected.json: run with KSPM_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(std::to_string(r.exit_code), Trim(ReadAll(dir / "expected.exit"))) << "exit code";
  EXPECT_EQ(json, ReadAll(dir / "expected.json"));
  EXPECT_EQ(r.err, ReadAll(dir / "expected.stderr"));
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace_if(
                               name.begin(), name.end(), [](char c) { return !std::isalnum(c); },
                               '_');
                           return name;
                         });

}  // namespace
