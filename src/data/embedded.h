// Data files (data/) compiled into the binary, so kspm runs without a data folder.
#pragma once

#include <string_view>
#include <vector>

namespace kspm::data {

struct EmbeddedFile {
  std::string_view path;  // relative to the repository root, e.g. "data/frameworks/cis.yaml"
  std::string_view content;
};

const std::vector<EmbeddedFile>& EmbeddedFiles();

}  // namespace kspm::data
