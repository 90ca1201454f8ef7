// ReportOutput: where a reporter writes its text.
//
// Either a std::string (for tests and small reports) or a FILE*. A large scan
// gives reports of hundreds of megabytes: writing them to the file as they
// are produced keeps them out of memory. Text goes through a small buffer and
// reaches the file in blocks. It doubles as a rapidjson output stream (Put,
// Flush), so JSON-based reports write through it too.
#pragma once

#include <rapidjson/rapidjson.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace kspm::report {

class ReportOutput {
 public:
  using Ch = char;  // for rapidjson
  explicit ReportOutput(std::string& out) : string_(&out) {}
  explicit ReportOutput(std::FILE* out) : file_(out) {}
  ReportOutput(const ReportOutput&) = delete;
  ReportOutput& operator=(const ReportOutput&) = delete;
  ~ReportOutput() { Flush(); }

  void Put(char c) {
    if (used_ == sizeof buffer_) Flush();
    buffer_[used_++] = c;
  }
  // Appends a block of text as is.
  void Write(std::string_view text) {
    if (text.size() > sizeof buffer_ - used_) {
      Flush();
      if (text.size() >= sizeof buffer_) {
        Emit(text);
        return;
      }
    }
    std::memcpy(buffer_ + used_, text.data(), text.size());
    used_ += text.size();
  }
  void Flush() {
    Emit(std::string_view(buffer_, used_));
    used_ = 0;
  }

  ReportOutput& operator+=(std::string_view text) {
    Write(text);
    return *this;
  }
  ReportOutput& operator+=(char c) {
    Put(c);
    return *this;
  }
  void Append(size_t count, char c) {
    for (size_t i = 0; i < count; ++i) Put(c);
  }

  // True once a write to the file failed (disk full, closed pipe).
  bool failed() const { return failed_; }

 private:
  void Emit(std::string_view text) {
    if (text.empty()) return;
    if (string_ != nullptr) {
      string_->append(text);
    } else if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      failed_ = true;
    }
  }

  std::string* string_ = nullptr;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  char buffer_[64 * 1024];
  size_t used_ = 0;
};

// Runs a report function `fn(ReportOutput&)` into a string.
template <typename Fn>
std::string RenderToString(const Fn& fn) {
  std::string text;
  {
    ReportOutput out(text);
    fn(out);
  }
  return text;
}

// Streams a report function `fn(ReportOutput&)` to `file`; false if a write failed.
template <typename Fn>
bool WriteToFile(std::FILE* file, const Fn& fn) {
  ReportOutput out(file);
  fn(out);
  out.Flush();
  return !out.failed() && std::fflush(file) == 0;
}

namespace internal {

inline constexpr size_t kSerialItems = 512;  // below this, threads are not worth starting
inline constexpr size_t kBatchItems = 8192;  // items rendered ahead

inline unsigned RenderThreads() {
  return std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
}

// Splits [0, count) into batches and each batch into one span per thread:
// `render_span(begin, end, part)` runs for every span at once, then
// `emit(part)` for each part in order.
template <typename Part, typename RenderSpan, typename Emit>
void RenderInBatches(size_t count, const RenderSpan& render_span, const Emit& emit) {
  unsigned threads = RenderThreads();
  std::vector<Part> parts(threads);
  for (size_t batch = 0; batch < count; batch += kBatchItems) {
    size_t batch_end = std::min(count, batch + kBatchItems);
    size_t per_thread = (batch_end - batch + threads - 1) / threads;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      parts[t] = Part{};
      size_t begin = std::min(batch_end, batch + t * per_thread);
      size_t end = std::min(batch_end, begin + per_thread);
      if (t + 1 < threads) {
        pool.emplace_back(std::cref(render_span), begin, end, std::ref(parts[t]));
      } else {
        render_span(begin, end, parts[t]);
      }
    }
    for (std::thread& t : pool) t.join();
    for (const Part& part : parts) emit(part);
  }
}

}  // namespace internal

// Writes items [0, count) in order, each rendered by `render(index, out)`.
// A large scan lists hundreds of thousands of findings: batches are rendered
// ahead on all cores, each thread into its own text, then written in order,
// so the bytes are exactly those of a serial loop. `render` must be safe to
// call from several threads at once.
template <typename Render>
void WriteItems(ReportOutput& out, size_t count, const Render& render) {
  if (count < internal::kSerialItems || internal::RenderThreads() == 1) {
    for (size_t i = 0; i < count; ++i) render(i, out);
    return;
  }
  auto render_span = [&render](size_t begin, size_t end, std::string& text) {
    ReportOutput part(text);
    for (size_t i = begin; i < end; ++i) render(i, part);
  };
  internal::RenderInBatches<std::string>(count, render_span,
                                         [&out](const std::string& part) { out.Write(part); });
}

// The same for JSON: writes `count` objects as elements of the array the
// rapidjson writer `w` (writing to `stream`) is in, each rendered by
// `render(index, writer)`. `open(writer)` must open the nesting `w` is in, so
// that a thread's writer indents alike. Each element goes through `w` as a
// zero-length raw value, so that it writes the separator and indentation and
// counts the element; its rendered text follows directly. The output is byte
// for byte what writing the objects one by one through `w` gives.
template <typename Writer, typename Open, typename Render>
void WriteJsonItems(Writer& w, ReportOutput& stream, size_t count, const Open& open,
                    const Render& render) {
  if (count < internal::kSerialItems || internal::RenderThreads() == 1) {
    for (size_t i = 0; i < count; ++i) render(i, w);
    return;
  }
  struct Part {
    std::string text;
    std::vector<std::pair<size_t, size_t>> spans;  // offset and length of each object
  };
  auto render_span = [&](size_t begin, size_t end, Part& part) {
    ReportOutput out(part.text);
    Writer pw(out);
    pw.SetIndent(' ', 2);
    open(pw);
    for (size_t i = begin; i < end; ++i) {
      out.Flush();
      size_t start = part.text.size();
      render(i, pw);
      out.Flush();
      start = part.text.find('{', start);  // after the separator (",\n    ")
      part.spans.emplace_back(start, part.text.size() - start);
    }
    // The writer is left open on purpose: only the spans are used.
  };
  internal::RenderInBatches<Part>(count, render_span, [&](const Part& part) {
    for (const auto& [offset, length] : part.spans) {
      w.RawValue(part.text.data() + offset, 0, rapidjson::kObjectType);
      stream.Write(std::string_view(part.text).substr(offset, length));
    }
  });
}

}  // namespace kspm::report
