// corothrift/protocol/raw_writer.hpp — unchecked stores of binary-protocol values at a raw
// cursor. The caller reserves the exact size first (Codec<T>::size), so no store checks for
// room, and the cursor stays in a register: this is the encode hot path of generated code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "corothrift/protocol/bulk.hpp"
#include "corothrift/protocol/endian.hpp"
#include "corothrift/protocol/types.hpp"

namespace corothrift::raw {

/// Store an integer or double big-endian; returns the cursor after it.
template <class T>
inline std::byte* put(std::byte* p, T v) noexcept {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
  detail::store_be(p, v);
  return p + sizeof(T);
}
inline std::byte* put_bool(std::byte* p, bool v) noexcept {
  *p = static_cast<std::byte>(v ? 1 : 0);
  return p + 1;
}
inline std::byte* put_uuid(std::byte* p, const Uuid& u) noexcept {
  std::memcpy(p, u.bytes.data(), 16);
  return p + 16;
}
/// i32 length, then the bytes (the length must fit in an i32: Codec sizes are checked).
inline std::byte* put_binary(std::byte* p, const void* data, std::size_t n) noexcept {
  detail::store_be(p, static_cast<std::int32_t>(n));
  detail::copy_bytes(p + 4, data, n);
  return p + 4 + n;
}
inline std::byte* put_field_header(std::byte* p, TType t, std::int16_t id) noexcept {
  p[0] = static_cast<std::byte>(t);
  detail::store_be(p + 1, id);
  return p + 3;
}
inline std::byte* put_stop(std::byte* p) noexcept {
  *p = std::byte{0};
  return p + 1;
}
inline std::byte* put_list_header(std::byte* p, TType elem, std::size_t n) noexcept {
  p[0] = static_cast<std::byte>(elem);
  detail::store_be(p + 1, static_cast<std::int32_t>(n));
  return p + 5;
}
inline std::byte* put_map_header(std::byte* p, TType k, TType v, std::size_t n) noexcept {
  p[0] = static_cast<std::byte>(k);
  p[1] = static_cast<std::byte>(v);
  detail::store_be(p + 2, static_cast<std::int32_t>(n));
  return p + 6;
}
/// `n` integers or doubles big-endian in one pass (the compiler vectorises the swap).
template <class T>
inline std::byte* put_array(std::byte* p, const T* values, std::size_t n) noexcept {
  detail::store_be_array(p, values, n);
  return p + n * sizeof(T);
}

}  // namespace corothrift::raw
