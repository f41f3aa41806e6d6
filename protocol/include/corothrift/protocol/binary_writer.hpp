// corothrift/protocol/binary_writer.hpp — BinaryWriter: TBinaryProtocol encoder into a
// growable contiguous buffer that it owns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "corothrift/protocol/bulk.hpp"
#include "corothrift/protocol/endian.hpp"
#include "corothrift/protocol/error.hpp"
#include "corothrift/protocol/limits.hpp"
#include "corothrift/protocol/types.hpp"

namespace corothrift {

/// Encodes values in the Thrift binary protocol into its own growable buffer.
///
/// Writes never fail for lack of room (the buffer grows; clear() keeps the capacity so a
/// reused writer allocates nothing in steady state). The only encoding error is a value
/// the wire cannot represent (a string or container of more than 2^31-1 bytes/elements):
/// that value is not written, the first such error is kept in error(), and the output
/// must be discarded.
///
///     corothrift::BinaryWriter w;
///     w.write_field_begin(corothrift::TType::I32, 1);
///     w.write_i32(42);
///     w.write_field_stop();
///     std::span<const std::byte> bytes = w.view();
class BinaryWriter {
 public:
  BinaryWriter() noexcept = default;
  explicit BinaryWriter(WriterOptions options) noexcept : options_(options) {}
  explicit BinaryWriter(std::size_t initial_capacity, WriterOptions options = {}) : options_(options) {
    reserve(initial_capacity);
  }
  BinaryWriter(const BinaryWriter&) = delete;
  BinaryWriter& operator=(const BinaryWriter&) = delete;
  BinaryWriter(BinaryWriter&& o) noexcept { swap(o); }
  BinaryWriter& operator=(BinaryWriter&& o) noexcept {
    BinaryWriter tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~BinaryWriter() { std::free(begin_); }

  // ---- buffer ----------------------------------------------------------------------------
  /// The bytes written so far.
  std::span<const std::byte> view() const noexcept { return {begin_, size()}; }
  const std::byte* data() const noexcept { return begin_; }
  std::size_t size() const noexcept { return static_cast<std::size_t>(cur_ - begin_); }
  std::size_t capacity() const noexcept { return static_cast<std::size_t>(cap_ - begin_); }
  /// Forget the bytes and the error; keep the capacity.
  void clear() noexcept {
    cur_ = begin_;
    error_ = Error{};
  }
  /// Make room for `total` bytes in all (no effect when the capacity already suffices).
  void reserve(std::size_t total) {
    if (total > capacity()) regrow(total);
  }
  /// Make room for `n` more bytes and return where they go; the caller must fill them and
  /// then call commit(n). For bulk writers and generated code.
  std::byte* prepare(std::size_t n) {
    if (static_cast<std::size_t>(cap_ - cur_) < n) [[unlikely]] grow_for(n);
    return cur_;
  }
  void commit(std::size_t n) noexcept { cur_ += n; }
  /// Drop everything after the first `size` bytes, and the error: undoes a message that
  /// failed half-way while keeping the messages before it (`size` <= size()).
  void rewind(std::size_t size) noexcept {
    cur_ = begin_ + size;
    error_ = Error{};
  }
  /// Overwrite 4 bytes at `pos` (already written) with a big-endian i32 (frame lengths).
  void patch_i32(std::size_t pos, std::int32_t v) noexcept { detail::store_be(begin_ + pos, v); }

  const WriterOptions& options() const noexcept { return options_; }
  bool ok() const noexcept { return !error_; }
  const Error& error() const noexcept { return error_; }
  /// Record an error (the first one is kept) and stop writing.
  void fail(ErrorKind kind, const char* what, std::int64_t value = 0) noexcept {
    if (!error_) error_ = Error{kind, size(), value, what};
  }

  // ---- base types --------------------------------------------------------------------------
  void write_bool(bool v) { put<std::uint8_t>(v ? 1 : 0); }
  void write_byte(std::int8_t v) { put(v); }
  void write_i16(std::int16_t v) { put(v); }
  void write_i32(std::int32_t v) { put(v); }
  void write_i64(std::int64_t v) { put(v); }
  void write_double(double v) { put(v); }
  /// Any of the above by C++ type (int8_t, int16_t, int32_t, int64_t, double).
  template <class T>
  void write_scalar(T v) { put(v); }
  void write_uuid(const Uuid& u) { write_raw(u.bytes.data(), 16); }
  /// string and binary share one encoding: i32 length, then the bytes.
  void write_string(std::string_view s) { write_binary(s.data(), s.size()); }
  void write_binary(std::span<const std::byte> b) { write_binary(b.data(), b.size()); }
  void write_binary(const void* p, std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) [[unlikely]] {
      fail(ErrorKind::value_too_large, "string/binary length", static_cast<std::int64_t>(n));
      return;
    }
    std::byte* out = prepare(4 + n);
    detail::store_be(out, static_cast<std::int32_t>(n));
    detail::copy_bytes(out + 4, p, n);
    cur_ += 4 + n;
  }

  // ---- structure ---------------------------------------------------------------------------
  void write_field_begin(TType type, std::int16_t id) {
    std::byte* out = prepare(3);
    out[0] = static_cast<std::byte>(type);
    detail::store_be(out + 1, id);
    cur_ += 3;
  }
  void write_field_stop() { put<std::uint8_t>(0); }
  void write_list_begin(TType elem, std::size_t size) { write_seq_begin(elem, size, "list size"); }
  void write_set_begin(TType elem, std::size_t size) { write_seq_begin(elem, size, "set size"); }
  /// An empty map still carries its key and value types in the binary protocol.
  void write_map_begin(TType key, TType value, std::size_t size) {
    if (!check_count(size, "map size")) return;
    std::byte* out = prepare(6);
    out[0] = static_cast<std::byte>(key);
    out[1] = static_cast<std::byte>(value);
    detail::store_be(out + 2, static_cast<std::int32_t>(size));
    cur_ += 6;
  }

  /// Message header: strict form (version word | type, name, seqid) unless
  /// options().strict_write is false (old form: name, type byte, seqid).
  void write_message_begin(std::string_view name, MessageType type, std::int32_t seqid) {
    if (options_.strict_write) {
      write_i32(static_cast<std::int32_t>(kVersion1 | static_cast<std::uint32_t>(type)));
      write_string(name);
      write_i32(seqid);
    } else {
      write_string(name);
      write_byte(static_cast<std::int8_t>(type));
      write_i32(seqid);
    }
  }

  // ---- bulk --------------------------------------------------------------------------------
  /// Append `n` integers or doubles big-endian, in one pass the compiler can vectorise.
  template <class T>
  void write_array(const T* values, std::size_t n) {
    std::byte* out = prepare(n * sizeof(T));
    detail::store_be_array(out, values, n);
    cur_ += n * sizeof(T);
  }
  /// Append raw bytes.
  void write_raw(const void* p, std::size_t n) {
    std::byte* out = prepare(n);
    if (n) std::memcpy(out, p, n);
    cur_ += n;
  }

  static constexpr std::uint32_t kVersion1 = 0x80010000u;

 private:
  template <class T>
  void put(T v) {
    static_assert(std::is_arithmetic_v<T>);
    std::byte* out = prepare(sizeof(T));
    detail::store_be(out, v);
    cur_ += sizeof(T);
  }
  bool check_count(std::size_t n, const char* what) noexcept {
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) [[unlikely]] {
      fail(ErrorKind::value_too_large, what, static_cast<std::int64_t>(n));
      return false;
    }
    return true;
  }
  void write_seq_begin(TType elem, std::size_t size, const char* what) {
    if (!check_count(size, what)) return;
    std::byte* out = prepare(5);
    out[0] = static_cast<std::byte>(elem);
    detail::store_be(out + 1, static_cast<std::int32_t>(size));
    cur_ += 5;
  }
  [[gnu::noinline]] void grow_for(std::size_t n) {
    std::size_t need = size() + n;
    std::size_t cap = capacity() ? capacity() * 2 : 256;
    regrow(cap < need ? need : cap);
  }
  void regrow(std::size_t new_cap) {
    std::size_t used = size();
    auto* p = static_cast<std::byte*>(std::malloc(new_cap));
    if (!p) {
#if defined(__cpp_exceptions)
      throw std::bad_alloc();
#else
      std::abort();
#endif
    }
    if (used) std::memcpy(p, begin_, used);
    std::free(begin_);
    begin_ = p;
    cur_ = p + used;
    cap_ = p + new_cap;
  }
  void swap(BinaryWriter& o) noexcept {
    std::swap(begin_, o.begin_);
    std::swap(cur_, o.cur_);
    std::swap(cap_, o.cap_);
    std::swap(error_, o.error_);
    std::swap(options_, o.options_);
  }

  std::byte* begin_ = nullptr;
  std::byte* cur_ = nullptr;
  std::byte* cap_ = nullptr;
  Error error_{};
  WriterOptions options_{};
};

}  // namespace corothrift
