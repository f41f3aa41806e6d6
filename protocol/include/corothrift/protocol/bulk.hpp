// corothrift/protocol/bulk.hpp — byte-order conversion of whole arrays and small copies:
// the inner loops of list<i16/i32/i64/double> and of short strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "corothrift/protocol/endian.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace corothrift::detail {

template <class T>
inline void store_be_array_scalar(std::byte* dst, const T* src, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) store_be(dst + i * sizeof(T), src[i]);
}
template <class T>
inline void load_be_array_scalar(T* dst, const std::byte* src, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dst[i] = load_be<T>(src + i * sizeof(T));
}

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define COROTHRIFT_HAVE_AVX2_KERNELS 1
// The same loops compiled for AVX2, where the byte swap becomes one vpshufb per 32 bytes.
// Chosen at run time, so the library needs no -march flag and runs on any x86-64.
template <class T>
[[gnu::target("avx2")]] void store_be_array_avx2(std::byte* __restrict dst, const T* __restrict src,
                                                 std::size_t n) noexcept {
  using U = uint_of<T>;
  for (std::size_t i = 0; i < n; ++i) {
    U u;
    std::memcpy(&u, src + i, sizeof u);
    u = to_big_endian(u);
    std::memcpy(dst + i * sizeof(T), &u, sizeof u);
  }
}
template <class T>
[[gnu::target("avx2")]] void load_be_array_avx2(T* __restrict dst, const std::byte* __restrict src,
                                                std::size_t n) noexcept {
  using U = uint_of<T>;
  for (std::size_t i = 0; i < n; ++i) {
    U u;
    std::memcpy(&u, src + i * sizeof(T), sizeof u);
    u = to_big_endian(u);
    std::memcpy(dst + i, &u, sizeof u);
  }
}
inline bool cpu_has_avx2() noexcept {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
#endif

/// Store `n` values big-endian at `dst` (arrays may not overlap).
template <class T>
inline void store_be_array(std::byte* dst, const T* src, std::size_t n) noexcept {
  if constexpr (std::endian::native == std::endian::big) {
    std::memcpy(dst, src, n * sizeof(T));
  } else {
#ifdef COROTHRIFT_HAVE_AVX2_KERNELS
    if (n >= 16 && cpu_has_avx2()) return store_be_array_avx2(dst, src, n);
#endif
    store_be_array_scalar(dst, src, n);
  }
}
/// Load `n` big-endian values from `src` (arrays may not overlap).
template <class T>
inline void load_be_array(T* dst, const std::byte* src, std::size_t n) noexcept {
  if constexpr (std::endian::native == std::endian::big) {
    std::memcpy(dst, src, n * sizeof(T));
  } else {
#ifdef COROTHRIFT_HAVE_AVX2_KERNELS
    if (n >= 16 && cpu_has_avx2()) return load_be_array_avx2(dst, src, n);
#endif
    load_be_array_scalar(dst, src, n);
  }
}

/// memcpy that does short copies (up to 16 bytes: names, keys, small strings) inline
/// with two overlapping moves instead of a library call.
[[gnu::always_inline]] inline void copy_bytes(void* dst, const void* src, std::size_t n) noexcept {
  auto* d = static_cast<unsigned char*>(dst);
  auto* s = static_cast<const unsigned char*>(src);
  if (n >= 8) {
    if (n > 16) {
      std::memcpy(d, s, n);
      return;
    }
    std::uint64_t a, b;
    std::memcpy(&a, s, 8);
    std::memcpy(&b, s + n - 8, 8);
    std::memcpy(d, &a, 8);
    std::memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    std::memcpy(d, &a, 4);
    std::memcpy(d + n - 4, &b, 4);
  } else if (n > 0) {
    d[0] = s[0];
    d[n / 2] = s[n / 2];
    d[n - 1] = s[n - 1];
  }
}

/// True when a forward copy from `src` to `dst` would have each load land on an address
/// that was just stored to, modulo 4 KiB (dst a little ahead of src). On some x86 CPUs with
/// some glibc versions, `rep movsb` (memcpy of large blocks) then runs many times slower
/// ("4K aliasing").
inline bool short_4k_distance(const void* dst, const void* src) noexcept {
  auto d = (reinterpret_cast<std::uintptr_t>(dst) - reinterpret_cast<std::uintptr_t>(src)) & 4095u;
  return d != 0 && d < 256;
}

/// Copy `n` bytes from the end down, so that loads run ahead of stores at lower addresses
/// and never alias them modulo 4 KiB when dst is a little ahead of src. Arrays may not overlap.
inline void copy_backward(void* dst, const void* src, std::size_t n) noexcept {
  auto* d = static_cast<unsigned char*>(dst);
  auto* s = static_cast<const unsigned char*>(src);
#if defined(__SSE2__)
  while (n >= 64) {
    n -= 64;
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n + 48));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n + 32));
    __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n + 16));
    __m128i e = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n + 48), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n + 32), b);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n + 16), c);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n), e);
  }
  std::memcpy(d, s, n);
#else
  std::memcpy(d, s, n);
#endif
}

/// Replace the contents of `out` with `n` bytes from `src`, dodging the 4K-aliasing
/// slowdown of large memcpy: the destination is allocated first, and when it sits just past
/// the source modulo 4 KiB the bytes are copied backwards instead.
inline void assign_bytes(std::string& out, const char* src, std::size_t n) {
  if (n < 4096) {  // below the sizes where memcpy switches to rep movsb
    out.assign(src, n);
    return;
  }
  if (out.capacity() < n) {
    out.clear();
    out.reserve(n);  // fresh storage; the old bytes are not copied
  }
  if (!short_4k_distance(out.data(), src)) {
    out.assign(src, n);
    return;
  }
#if defined(__cpp_lib_string_resize_and_overwrite)
  out.resize_and_overwrite(n, [&](char* p, std::size_t) {
    copy_backward(p, src, n);
    return n;
  });
#else
  out.resize(n);
  copy_backward(out.data(), src, n);
#endif
}

}  // namespace corothrift::detail
