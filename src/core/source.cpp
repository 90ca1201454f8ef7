#include "core/source.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

namespace kspm::core {
namespace {

namespace fs = std::filesystem;

class LocalFileSystem : public FileSystem {
 public:
  bool IsDirectory(const std::string& path) const override {
    std::error_code ec;
    return fs::is_directory(path, ec);
  }
  bool Exists(const std::string& path) const override {
    std::error_code ec;
    return fs::exists(path, ec);
  }
  Result<std::vector<std::string>> ListFilesRecursive(const std::string& dir) const override {
    std::vector<std::string> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) return IoError(dir + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return IoError(dir + ": " + ec.message());
      std::error_code type_ec;
      if (it->is_regular_file(type_ec)) out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  Result<std::string> ReadFile(const std::string& path) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return IoError(std::string("cannot open: ") + std::strerror(errno));
    std::string content;
    in.seekg(0, std::ios::end);
    auto size = in.tellg();
    if (size > 0) {
      content.resize(static_cast<size_t>(size));
      in.seekg(0);
      in.read(content.data(), size);
    } else {
      in.clear();
      in.seekg(0);
      content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (in.bad()) return IoError(std::string("read failed: ") + std::strerror(errno));
    return content;
  }
  Result<std::string> ReadStdin() const override {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
};

bool IsManifestFile(const std::string& path) {
  fs::path p(path);
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// One unit of decoding work: a YAML chunk or a whole JSON source.
struct Task {
  size_t source = 0;
  YamlChunk chunk;
  bool json = false;
};

struct TaskOutput {
  std::vector<Document> documents;
  std::vector<Diagnostic> diagnostics;
};

}  // namespace

std::unique_ptr<FileSystem> MakeLocalFileSystem() { return std::make_unique<LocalFileSystem>(); }

LoadResult DecodeSources(std::vector<std::pair<std::string, std::string>> sources,
                         const LoadOptions& options) {
  LoadResult result;
  std::vector<std::shared_ptr<const std::string>> names;
  std::vector<Task> tasks;
  std::vector<TaskOutput> outputs;
  std::vector<std::vector<Diagnostic>> early(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    const auto& [name, content] = sources[i];
    names.push_back(std::make_shared<const std::string>(name));
    result.bytes += content.size();
    ++result.files;
    // Sources that are JSON, too big or binary go through DecodeSource whole.
    if (LooksLikeJson(content) || content.size() > options.limits.max_source_bytes ||
        content.substr(0, 8192).find('\0') != std::string::npos) {
      tasks.push_back({i, {}, true});
      continue;
    }
    for (const YamlChunk& c : SplitYamlDocuments(content)) tasks.push_back({i, c, false});
  }
  outputs.resize(tasks.size());
  // Documents copy what they keep, so a source's text is freed as soon as its
  // last task is decoded: the peak then holds the decoded documents and only
  // the sources still in flight, not every source at once.
  std::vector<std::atomic<size_t>> pending(sources.size());
  for (const Task& task : tasks) pending[task.source].fetch_add(1, std::memory_order_relaxed);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    // One arena for every YAML document this worker decodes (see document.h):
    // per-document arenas cost ~40% more memory in their unused tails.
    auto arena = std::make_shared<std::pmr::monotonic_buffer_resource>(size_t{1} << 20);
    for (size_t t = next.fetch_add(1); t < tasks.size(); t = next.fetch_add(1)) {
      Task& task = tasks[t];
      TaskOutput& out = outputs[t];
      if (task.json) {
        DecodedSource d =
            DecodeSource(*names[task.source], sources[task.source].second, options.limits);
        out.documents = std::move(d.documents);
        out.diagnostics = std::move(d.diagnostics);
      } else {
        Document doc(names[task.source], task.chunk.index, Position{task.chunk.first_line, 1},
                     arena);
        bool empty = false;
        Diagnostic error;
        error.file = *names[task.source];
        if (!DecodeYamlChunk(task.chunk, options.limits, doc, empty, error)) {
          out.diagnostics.push_back(std::move(error));
        } else if (!empty) {
          out.documents.push_back(std::move(doc));
        }
      }
      // A chunk may hold its own copy of its text (normalised line ends):
      // release it now rather than when every task is done.
      decltype(task.chunk.text)().swap(task.chunk.text);
      if (pending[task.source].fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::string().swap(sources[task.source].second);
      }
    }
  };
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(tasks.size())));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  for (TaskOutput& out : outputs) {
    for (Diagnostic& d : out.diagnostics) {
      if (d.level == DiagnosticLevel::kError) result.input_error = true;
      result.diagnostics.push_back(std::move(d));
    }
    for (Document& doc : out.documents) {
      ++result.documents;
      result.inventory.AddDocument(std::move(doc), result.diagnostics);
    }
  }
  result.inventory.Finish();
  return result;
}

LoadResult LoadManifests(const std::vector<std::string>& paths, const FileSystem& fs,
                         const LoadOptions& options) {
  std::vector<std::pair<std::string, std::string>> sources;
  std::vector<Diagnostic> diagnostics;
  bool input_error = false;
  auto error = [&](const std::string& file, std::string message) {
    diagnostics.push_back({DiagnosticLevel::kError, file, {}, std::move(message)});
    input_error = true;
  };
  auto read = [&](const std::string& path) {
    Result<std::string> content = fs.ReadFile(path);
    if (!content.ok()) {
      error(path, content.status().message());
      return;
    }
    sources.emplace_back(path, std::move(content).value());
  };
  for (const std::string& path : paths) {
    if (path == "-") {
      Result<std::string> content = fs.ReadStdin();
      if (!content.ok()) {
        error("<stdin>", content.status().message());
        continue;
      }
      sources.emplace_back("<stdin>", std::move(content).value());
      continue;
    }
    if (!fs.Exists(path)) {
      error(path, "no such file or directory");
      continue;
    }
    if (!fs.IsDirectory(path)) {
      read(path);
      continue;
    }
    Result<std::vector<std::string>> files = fs.ListFilesRecursive(path);
    if (!files.ok()) {
      error(path, files.status().message());
      continue;
    }
    for (const std::string& f : *files) {
      std::string base = fs::path(f).filename().string();
      if (base == "Chart.yaml") {
        diagnostics.push_back(
            {DiagnosticLevel::kWarning,
             f,
             {},
             "Helm chart found: its templates are not plain manifests and are not scanned; "
             "render it and pipe the output: helm template RELEASE " +
                 fs::path(f).parent_path().string() + " | kspm scan -"});
        continue;
      }
      if (base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization") {
        diagnostics.push_back({DiagnosticLevel::kWarning,
                               f,
                               {},
                               "kustomization found: it is not scanned as is; render it and "
                               "pipe the output: kubectl kustomize " +
                                   fs::path(f).parent_path().string() + " | kspm scan -"});
        continue;
      }
      if (!IsManifestFile(f)) continue;
      // Files inside a chart's templates/ folder hold Go templates, not YAML.
      if (f.find("/templates/") != std::string::npos &&
          fs.Exists((fs::path(f).parent_path().parent_path() / "Chart.yaml").string())) {
        continue;
      }
      read(f);
    }
  }
  LoadResult result = DecodeSources(std::move(sources), options);
  diagnostics.insert(diagnostics.end(), std::make_move_iterator(result.diagnostics.begin()),
                     std::make_move_iterator(result.diagnostics.end()));
  result.diagnostics = std::move(diagnostics);
  result.input_error = result.input_error || input_error;
  return result;
}

}  // namespace kspm::core
