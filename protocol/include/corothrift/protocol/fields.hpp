// corothrift/protocol/fields.hpp — small building blocks that generated struct codecs are
// made of: write a field, size a field, read a field in the fast (declared-order) path or
// in the generic loop. All inline; no virtual call, no allocation of their own.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "corothrift/protocol/codec.hpp"
#include "corothrift/protocol/ref.hpp"

namespace corothrift {

/// Store field header plus value at `p` (room reserved by the caller); returns the cursor.
template <class T>
inline std::byte* put_field(std::byte* p, std::int16_t id, const T& v) {
  p = raw::put_field_header(p, Codec<T>::type, id);
  return Codec<T>::put(p, v);
}
/// An optional field is stored only when set.
template <class T>
inline std::byte* put_field(std::byte* p, std::int16_t id, const std::optional<T>& v) {
  return v ? put_field(p, id, *v) : p;
}

/// Append field header plus value to a writer (for hand-written messages).
template <class T>
inline Error write_field(BinaryWriter& w, std::int16_t id, const T& v) {
  w.write_field_begin(Codec<T>::type, id);
  return encode(w, v);
}

/// A Ref field (recursive types) is stored only when it holds a value.
template <class T>
inline std::byte* put_field(std::byte* p, std::int16_t id, const Ref<T>& v) {
  return v ? put_field(p, id, *v) : p;
}

/// Encoded size of a field: 3-byte header plus value (0 for an unset optional).
template <class T>
inline std::size_t field_size(const T& v) {
  return 3 + Codec<T>::size(v);
}
template <class T>
inline std::size_t field_size(const std::optional<T>& v) {
  return v ? field_size(*v) : 0;
}
template <class T>
inline std::size_t field_size(const Ref<T>& v) {
  return v ? field_size(*v) : 0;
}

namespace detail {
template <class T>
struct field_value {
  using type = T;
  static T& target(T& v) noexcept { return v; }
};
template <class T>
struct field_value<std::optional<T>> {
  using type = T;
  static T& target(std::optional<T>& v) { return v.emplace(); }
};
template <class T>
struct field_value<Ref<T>> {
  using type = T;
  static T& target(Ref<T>& v) { return v.emplace(); }
};
}  // namespace detail

/// Fast path: if the next field header is exactly this field's, read the value and
/// return true; otherwise consume nothing and return false.
template <class T>
inline bool read_field_if(BinaryReader& r, std::int16_t id, T& v) {
  using V = typename detail::field_value<T>::type;
  if constexpr (detail::has_fixed_size<V>) {
    return r.try_fixed_field<Codec<V>::fixed_size>(
        Codec<V>::type, id, [&](const std::byte* p) { detail::field_value<T>::target(v) = Codec<V>::get(p); });
  }
  if (!r.try_field(Codec<V>::type, id)) return false;
  Codec<V>::read(r, detail::field_value<T>::target(v));
  return true;
}

/// Generic path: `f` (already read) has this field's id; read the value when the wire type
/// matches and return true, else return false so the caller skips it.
template <class T>
inline bool read_field_as(BinaryReader& r, FieldHeader f, T& v) {
  using V = typename detail::field_value<T>::type;
  if (f.type != Codec<V>::type) return false;
  Codec<V>::read(r, detail::field_value<T>::target(v));
  return true;
}

namespace detail {
template <class T>
concept has_codec_reset = requires(T& v) { Codec<T>::reset(v); };
template <class T>
concept clearable = requires(T& v) { v.clear(); };
}  // namespace detail

/// Put a value back to its default state, keeping the storage it owns where it can
/// (strings and containers are cleared, not freed; structs reset every field). Generated
/// struct readers call it for the fields a message did not carry, so that decoding into a
/// reused object gives exactly what decoding into a fresh one gives.
template <class T>
inline void reset_value(T& v) {
  if constexpr (detail::has_codec_reset<T>) {
    Codec<T>::reset(v);
  } else if constexpr (detail::clearable<T>) {
    v.clear();
  } else {
    v = T{};
  }
}
template <class T>
inline void reset_value(std::optional<T>& v) noexcept {
  v.reset();
}
template <class T>
inline void reset_value(Ref<T>& v) noexcept {
  v.reset();
}

/// One bit per field of a struct, in declared order: which fields a read has seen.
template <std::size_t N>
struct FieldMask {
  static constexpr std::size_t kWords = N == 0 ? 1 : (N + 63) / 64;
  std::uint64_t words[kWords] = {};
  /// Set bit `i` when `read` is true; returns `read`.
  bool mark(std::size_t i, bool read) noexcept {
    words[i / 64] |= static_cast<std::uint64_t>(read) << (i % 64);
    return read;
  }
  bool test(std::size_t i) const noexcept { return (words[i / 64] >> (i % 64)) & 1u; }
  bool all() const noexcept {
    for (std::size_t w = 0; w < kWords; ++w) {
      std::size_t bits = (w + 1) * 64 <= N ? 64 : N - w * 64;
      std::uint64_t want = bits == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << bits) - 1);
      if (N == 0) want = 0;
      if (words[w] != want) return false;
    }
    return true;
  }
  std::size_t count() const noexcept {
    std::size_t n = 0;
    for (std::uint64_t w : words) n += static_cast<std::size_t>(std::popcount(w));
    return n;
  }
};

/// valid_value() of a field (an unset optional or Ref is valid).
template <class T>
inline bool valid_field(const T& v) {
  return valid_value(v);
}
template <class T>
inline bool valid_field(const std::optional<T>& v) {
  return !v || valid_value(*v);
}
template <class T>
inline bool valid_field(const Ref<T>& v) {
  return !v || valid_value(*v);
}
/// 1 when an optional/Ref union member is set (for counting a union's fields).
template <class T>
inline int is_set(const std::optional<T>& v) noexcept {
  return v ? 1 : 0;
}
template <class T>
inline int is_set(const Ref<T>& v) noexcept {
  return v ? 1 : 0;
}

/// Run `read_one(field_header) -> bool` over the remaining fields of a struct; fields it
/// does not take (unknown id or unexpected type) are skipped.
template <class F>
inline void read_remaining_fields(BinaryReader& r, F&& read_one) {
  for (;;) {
    FieldHeader f = r.read_field_begin();
    if (f.type == TType::Stop) return;
    if (!read_one(f)) r.skip(f.type);
  }
}

}  // namespace corothrift
