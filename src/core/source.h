// Loading manifests from files, folders and stdin into an Inventory.
//
// All file-system access goes through the FileSystem interface so tests can
// hand in a fake. Decoding runs on `threads` threads; the result does not
// depend on the thread count (documents keep source order).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/decode.h"
#include "core/inventory.h"
#include "core/result.h"

namespace kspm::core {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual bool IsDirectory(const std::string& path) const = 0;
  virtual bool Exists(const std::string& path) const = 0;
  // Regular files under a directory, recursively, sorted by path.
  virtual Result<std::vector<std::string>> ListFilesRecursive(const std::string& dir) const = 0;
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  virtual Result<std::string> ReadStdin() const = 0;
};

// The real file system.
std::unique_ptr<FileSystem> MakeLocalFileSystem();

struct LoadOptions {
  DecodeLimits limits;
  unsigned threads = 0;  // 0 = hardware concurrency
};

struct LoadResult {
  Inventory inventory;
  std::vector<Diagnostic> diagnostics;  // errors, warnings and notes, in input order
  size_t files = 0;
  size_t bytes = 0;
  size_t documents = 0;
  bool input_error = false;  // some input could not be read or decoded
};

// `paths` are files, folders (recursive: .yaml, .yml, .json) or "-" for stdin.
LoadResult LoadManifests(const std::vector<std::string>& paths, const FileSystem& fs,
                         const LoadOptions& options);

// Decodes already-read sources (name, content) in parallel; used by LoadManifests.
LoadResult DecodeSources(std::vector<std::pair<std::string, std::string>> sources,
                         const LoadOptions& options);

}  // namespace kspm::core
