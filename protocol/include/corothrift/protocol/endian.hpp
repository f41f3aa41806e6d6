// corothrift/protocol/endian.hpp — big-endian loads and stores on any host.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace corothrift::detail {

template <class U>
constexpr U byteswap(U v) noexcept {
  static_assert(std::is_unsigned_v<U>);
  if constexpr (sizeof(U) == 1) {
    return v;
  } else {
#if defined(__GNUC__) || defined(__clang__)
    if constexpr (sizeof(U) == 2) return static_cast<U>(__builtin_bswap16(v));
    if constexpr (sizeof(U) == 4) return static_cast<U>(__builtin_bswap32(v));
    if constexpr (sizeof(U) == 8) return static_cast<U>(__builtin_bswap64(v));
#else
    U r = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) r = static_cast<U>((r << 8) | ((v >> (8 * i)) & 0xff));
    return r;
#endif
  }
}

/// Host value <-> big-endian representation (a no-op on big-endian hosts).
template <class U>
constexpr U to_big_endian(U v) noexcept {
  static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
                "mixed-endian hosts are not supported");
  if constexpr (std::endian::native == std::endian::big) return v;
  else return byteswap(v);
}

/// Unsigned integer type of the same size as T.
template <class T>
using uint_of = std::conditional_t<sizeof(T) == 1, std::uint8_t,
                std::conditional_t<sizeof(T) == 2, std::uint16_t,
                std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;

/// Store `v` (integer or double) big-endian at `p` (no alignment needed).
template <class T>
inline void store_be(std::byte* p, T v) noexcept {
  using U = uint_of<T>;
  U u = std::bit_cast<U>(v);
  u = to_big_endian(u);
  std::memcpy(p, &u, sizeof u);
}

/// Load a big-endian T (integer or double) from `p` (no alignment needed).
template <class T>
inline T load_be(const std::byte* p) noexcept {
  using U = uint_of<T>;
  U u;
  std::memcpy(&u, p, sizeof u);
  return std::bit_cast<T>(to_big_endian(u));
}

}  // namespace corothrift::detail
