// corothrift/protocol/result.hpp — Result<T>: a value or an Error, without exceptions.
#pragma once

#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "corothrift/protocol/error.hpp"

namespace corothrift {

/// Holds either a T or an Error (a small std::expected for C++20). Accessing the value
/// of a Result that holds an error is a bug and aborts.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(const T& v) : ok_(true) { new (&value_) T(v); }
  Result(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(true) { new (&value_) T(std::move(v)); }
  Result(const Error& e) noexcept : ok_(false) { new (&error_) Error(e); }
  Result(const Result& o) : ok_(o.ok_) {
    if (ok_) new (&value_) T(o.value_);
    else new (&error_) Error(o.error_);
  }
  Result(Result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
    if (ok_) new (&value_) T(std::move(o.value_));
    else new (&error_) Error(o.error_);
  }
  Result& operator=(Result o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    destroy();
    ok_ = o.ok_;
    if (ok_) new (&value_) T(std::move(o.value_));
    else new (&error_) Error(o.error_);
    return *this;
  }
  ~Result() { destroy(); }

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }

  T& value() & { check(); return value_; }
  const T& value() const& { check(); return value_; }
  T&& value() && { check(); return std::move(value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; an Error with kind ok when this holds a value.
  Error error() const noexcept { return ok_ ? Error{} : error_; }

 private:
  void check() const {
    if (!ok_) std::abort();
  }
  void destroy() noexcept {
    if (ok_) value_.~T();
  }
  union {
    T value_;
    Error error_;
  };
  bool ok_;
};

}  // namespace corothrift
