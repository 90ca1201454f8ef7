// Status and Result<T>: the one error style of kspm.
//
// No exception crosses our own interfaces. A function that can fail returns a
// Status (success or an error code with a message) or a Result<T> (a value or
// a Status). Libraries that throw are caught once, in their adapter.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kspm {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // bad flag, unknown rule or framework name
  kNotFound,         // a file or object that does not exist
  kIo,               // a read or write failed
  kParse,            // malformed YAML / JSON
  kLimit,            // a decoding bound was hit (depth, alias expansion, size)
  kUnsupported,      // valid input that kspm cannot handle
  kInternal,         // our own bug
};

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
inline Status ParseError(std::string m) { return {ErrorCode::kParse, std::move(m)}; }

// A value or an error, shaped like std::expected.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit like std::expected
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kspm
