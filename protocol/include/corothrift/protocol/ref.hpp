// corothrift/protocol/ref.hpp — Ref<T>: a nullable, deep-copying owner of one T on the heap.
// Generated code uses it for fields written `1: Node & next` (and for by-value cycles),
// which is how recursive types are spelt in Thrift. T may be incomplete where Ref<T> is
// declared: the copy and delete functions are captured when a T is stored.
#pragma once

#include <compare>
#include <cstddef>
#include <utility>

namespace corothrift {

template <class T>
class Ref {
 public:
  Ref() noexcept = default;
  Ref(std::nullptr_t) noexcept {}
  /// Own a copy of `v`.
  explicit Ref(const T& v) : p_(new T(v)), ops_(&ops_for) {}
  explicit Ref(T&& v) : p_(new T(std::move(v))), ops_(&ops_for) {}
  Ref(const Ref& o) : p_(o.p_ ? o.ops_->clone(o.p_) : nullptr), ops_(o.ops_) {}
  Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)), ops_(o.ops_) {}
  Ref& operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    std::swap(ops_, o.ops_);
    return *this;
  }
  ~Ref() {
    if (p_) ops_->destroy(p_);
  }

  /// The held value, creating a default one first when empty.
  T& emplace() {
    if (!p_) {
      p_ = new T();
      ops_ = &ops_for;
    }
    return *p_;
  }
  void reset() noexcept { *this = Ref(); }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T& operator*() const noexcept { return *p_; }
  T* operator->() const noexcept { return p_; }
  T* get() const noexcept { return p_; }

  /// Equal when both are empty or both hold equal values.
  friend bool operator==(const Ref& a, const Ref& b) {
    if (!a.p_ || !b.p_) return a.p_ == b.p_;
    return *a.p_ == *b.p_;
  }

 private:
  struct Ops {
    T* (*clone)(const T*);
    void (*destroy)(T*);
  };
  static constexpr Ops ops_for{[](const T* p) { return new T(*p); }, [](T* p) { delete p; }};
  T* p_ = nullptr;
  const Ops* ops_ = nullptr;
};

}  // namespace corothrift
