// ReportOutput: where a reporter writes its text.
//
// Either a std::string (for tests and small reports) or a FILE*. A large scan
// gives reports of hundreds of megabytes: writing them to the file as they
// are produced keeps them out of memory. Text goes through a small buffer and
// reaches the file in blocks. It doubles as a rapidjson output stream (Put,
// Flush), so JSON-based reports write through it too.
#pragma once

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

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

}  // namespace kspm::report
