// corothrift/protocol/binary_reader.hpp — BinaryReader: TBinaryProtocol decoder over a span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "corothrift/protocol/bulk.hpp"
#include "corothrift/protocol/endian.hpp"
#include "corothrift/protocol/error.hpp"
#include "corothrift/protocol/limits.hpp"
#include "corothrift/protocol/types.hpp"

namespace corothrift {

/// Decodes the Thrift binary protocol from contiguous memory it does not own.
///
/// Errors are sticky: the first one is recorded in error() with its kind and byte offset,
/// and from then on every read returns a zero value, every header reads as Stop/empty and
/// nothing advances, so decoding loops end by themselves. Check ok() once at the end.
/// Every declared size is checked (sign, limit, bytes that remain) before the caller
/// can allocate for it.
///
///     corothrift::BinaryReader r(bytes);
///     auto f = r.read_field_begin();        // {I32, 1}
///     std::int32_t v = r.read_i32();
///     if (!r.ok()) puts(describe(r.error()).c_str());
class BinaryReader {
 public:
  explicit BinaryReader(std::span<const std::byte> input, const ReaderOptions& options = {}) noexcept
      : begin_(input.data()), cur_(begin_), end_(begin_ + input.size()), options_(options) {
    if (input.size() > options_.limits.max_message_size) {
      fail(ErrorKind::message_too_large, "input size", static_cast<std::int64_t>(input.size()));
    }
  }
  BinaryReader(const void* data, std::size_t size, const ReaderOptions& options = {}) noexcept
      : BinaryReader(std::span<const std::byte>(static_cast<const std::byte*>(data), size), options) {}
  /// A reader over a temporary container would dangle (it keeps no copy): refused at compile time.
  template <class C>
    requires(!std::is_lvalue_reference_v<C> && std::ranges::contiguous_range<C> && !std::ranges::borrowed_range<C>)
  BinaryReader(C&&, const ReaderOptions& = {}) = delete;

  // ---- state -------------------------------------------------------------------------------
  bool ok() const noexcept { return !error_; }
  const Error& error() const noexcept { return error_; }
  /// Bytes consumed so far.
  std::size_t offset() const noexcept { return static_cast<std::size_t>(cur_ - begin_); }
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - cur_); }
  const ReaderOptions& options() const noexcept { return options_; }
  const ReaderLimits& limits() const noexcept { return options_.limits; }
  int depth() const noexcept { return depth_; }
  /// Record an error at the current offset (the first one is kept) and stop reading.
  void fail(ErrorKind kind, const char* what, std::int64_t value = 0) noexcept { fail_at(cur_, kind, what, value); }

  // ---- base types --------------------------------------------------------------------------
  bool read_bool() noexcept { return get<std::uint8_t>("bool") != 0; }
  std::int8_t read_byte() noexcept { return get<std::int8_t>("byte"); }
  std::int16_t read_i16() noexcept { return get<std::int16_t>("i16"); }
  std::int32_t read_i32() noexcept { return get<std::int32_t>("i32"); }
  std::int64_t read_i64() noexcept { return get<std::int64_t>("i64"); }
  double read_double() noexcept { return get<double>("double"); }
  /// Any of the above by C++ type (int8_t, int16_t, int32_t, int64_t, double).
  template <class T>
  T read_scalar() noexcept { return get<T>(type_name(scalar_type<T>())); }
  Uuid read_uuid() noexcept {
    Uuid u;
    if (need(16, "uuid")) {
      std::memcpy(u.bytes.data(), cur_, 16);
      cur_ += 16;
    }
    return u;
  }
  /// A string or binary value as a view into the input (zero copy; valid while the input is).
  std::string_view read_string_view() noexcept {
    std::span<const std::byte> b = read_binary_view();
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  std::span<const std::byte> read_binary_view() noexcept {
    const std::byte* at = cur_;
    std::int32_t n = read_i32();
    n = checked_count(at, n, limits().max_string_size, 1, "string length");
    const std::byte* p = cur_;
    cur_ += n;
    return {p, static_cast<std::size_t>(n)};
  }
  /// A string or binary value copied into `out` (its old content is replaced).
  [[gnu::always_inline]] void read_string(std::string& out) {
    std::string_view v = read_string_view();
    if (v.size() <= 15) {  // short (fits in place): no library call, no allocation
      if (out.size() != v.size()) out.resize(v.size());
      detail::copy_bytes(out.data(), v.data(), v.size());
    } else {
      read_long_string(out, v);
    }
  }

  // ---- structure ---------------------------------------------------------------------------
  /// Next field header; {Stop, 0} at the end of a struct (and after any error).
  FieldHeader read_field_begin() noexcept {
    FieldHeader f;
    if (!need(1, "field type")) return f;
    std::uint8_t t = static_cast<std::uint8_t>(*cur_);
    if (t == 0) {
      ++cur_;
      return f;
    }
    if (!is_value_type(t)) [[unlikely]] {
      fail(ErrorKind::invalid_type, "field type id", t);
      return f;
    }
    if (!need(3, "field header")) return f;
    f.type = static_cast<TType>(t);
    f.id = detail::load_be<std::int16_t>(cur_ + 1);
    cur_ += 3;
    return f;
  }
  /// Consume the next field header if it is exactly {type, id}; for generated code that
  /// expects fields in declared order and falls back to read_field_begin() otherwise.
  /// (A field of `type` needs at least 3 + min_wire_size(type) bytes, so when it can match,
  /// 4 bytes are there and the header is compared with one load.)
  bool try_field(TType type, std::int16_t id) noexcept {
    if (static_cast<std::size_t>(end_ - cur_) < 3 + min_wire_size(type) || !header_is(type, id)) return false;
    cur_ += 3;
    return true;
  }
  /// try_field() for a fixed-size value: one bounds check covers header and value; on a
  /// match, `get(pointer_to_value)` reads it and the reader moves past both.
  template <std::size_t Size, class Get>
  bool try_fixed_field(TType type, std::int16_t id, Get&& get) noexcept {
    if (static_cast<std::size_t>(end_ - cur_) < 3 + Size || !header_is(type, id)) return false;
    get(cur_ + 3);
    cur_ += 3 + Size;
    return true;
  }
  /// Consume the stop byte if it is next.
  bool try_stop() noexcept {
    if (cur_ == end_ || *cur_ != std::byte{0}) return false;
    ++cur_;
    return true;
  }
  ListHeader read_list_begin() noexcept { return read_seq_begin("list size"); }
  ListHeader read_set_begin() noexcept { return read_seq_begin("set size"); }
  MapHeader read_map_begin() noexcept {
    MapHeader h;
    const std::byte* at = cur_;
    if (!need(6, "map header")) return h;
    std::uint8_t k = static_cast<std::uint8_t>(cur_[0]);
    std::uint8_t v = static_cast<std::uint8_t>(cur_[1]);
    std::int32_t n = detail::load_be<std::int32_t>(cur_ + 2);
    cur_ += 6;
    if (n > 0 && !is_value_type(k)) return bad_type(at, k, h);
    if (n > 0 && !is_value_type(v)) return bad_type(at + 1, v, h);
    std::size_t unit = n > 0 ? min_wire_size(TType(k)) + min_wire_size(TType(v)) : 1;
    h.size = checked_count(at + 2, n, limits().max_container_size, unit, "map size");
    h.key = TType(k);
    h.value = TType(v);
    return h;
  }
  /// Fail with type_mismatch, at byte `at` (where the type id is), unless a container of
  /// `size` elements has element type `want` (an empty container may carry any type).
  /// Returns ok().
  bool expect_type(TType got, TType want, std::int32_t size, const char* what, std::size_t at) noexcept {
    if (size > 0 && got != want) [[unlikely]]
      fail_at(begin_ + at, ErrorKind::type_mismatch, what, static_cast<std::int64_t>(got));
    return ok();
  }

  /// Message header, strict or old form (the old one is rejected under strict_read).
  MessageHeader read_message_begin() noexcept {
    MessageHeader h;
    const std::byte* at = cur_;
    std::int32_t word = read_i32();
    if (!ok()) return h;
    std::uint8_t type = 0;
    const std::byte* type_at = at + 3;
    if (word < 0) {
      auto u = static_cast<std::uint32_t>(word);
      if ((u & 0xffff0000u) != 0x80010000u) {
        fail_at(at, ErrorKind::bad_version, "message version word", u);
        return h;
      }
      type = static_cast<std::uint8_t>(u & 0xffu);
      h.name = read_string_view();
    } else {
      if (options_.strict_read) {
        fail_at(at, ErrorKind::bad_version, "message header without version word (strict_read)", word);
        return h;
      }
      std::int32_t n = checked_count(at, word, limits().max_string_size, 1, "method name length");
      h.name = {reinterpret_cast<const char*>(cur_), static_cast<std::size_t>(n)};
      cur_ += n;
      type_at = cur_;
      type = static_cast<std::uint8_t>(read_byte());
    }
    if (!ok()) return h;
    if (!is_valid_message_type(type)) {
      fail_at(type_at, ErrorKind::invalid_message_type, "message type", type);
      return h;
    }
    h.type = static_cast<MessageType>(type);
    h.seqid = read_i32();
    return h;
  }

  /// Account for `bytes` of memory the caller is about to allocate for decoded values;
  /// false (and allocation_limit) once the total passes limits().max_decoded_size.
  bool charge(std::size_t bytes, const char* what) noexcept {
    decoded_ += bytes;
    if (decoded_ > limits().max_decoded_size) [[unlikely]] {
      fail(ErrorKind::allocation_limit, what, static_cast<std::int64_t>(decoded_));
      return false;
    }
    return true;
  }
  /// Bytes charged so far.
  std::size_t decoded_size() const noexcept { return decoded_; }

  /// Enter a nested struct or container; false (and depth_limit) past limits().max_depth.
  bool enter() noexcept {
    if (depth_ >= limits().max_depth) [[unlikely]] {
      fail(ErrorKind::depth_limit, "nesting depth", depth_ + 1);
      return false;
    }
    ++depth_;
    return true;
  }
  /// Leave what enter() entered.
  void leave() noexcept { --depth_; }

  /// Skip one value of type `t`, whatever it contains, within the depth and size limits.
  void skip(TType t) noexcept {
    switch (t) {
      case TType::Bool: case TType::Byte: case TType::I16: case TType::I32:
      case TType::I64: case TType::Double: case TType::Uuid:
        advance(fixed_wire_size(t), type_name(t));
        return;
      case TType::String:
        read_binary_view();
        return;
      case TType::Struct:
        if (!enter()) return;
        for (;;) {
          FieldHeader f = read_field_begin();
          if (f.type == TType::Stop) break;
          skip(f.type);
        }
        leave();
        return;
      case TType::List:
      case TType::Set: {
        if (!enter()) return;
        ListHeader h = read_seq_begin(t == TType::Set ? "set size" : "list size");
        if (std::size_t w = fixed_wire_size(h.elem)) {
          advance(w * static_cast<std::size_t>(h.size), type_name(h.elem));
        } else {
          for (std::int32_t i = 0; i < h.size && ok(); ++i) skip(h.elem);
        }
        leave();
        return;
      }
      case TType::Map: {
        if (!enter()) return;
        MapHeader h = read_map_begin();
        std::size_t kw = fixed_wire_size(h.key), vw = fixed_wire_size(h.value);
        if (kw && vw) {
          advance((kw + vw) * static_cast<std::size_t>(h.size), "map entries");
        } else {
          for (std::int32_t i = 0; i < h.size && ok(); ++i) {
            skip(h.key);
            skip(h.value);
          }
        }
        leave();
        return;
      }
      default:
        fail(ErrorKind::invalid_type, "type id", static_cast<std::int64_t>(t));
        return;
    }
  }

  // ---- bulk --------------------------------------------------------------------------------
  /// Read `n` big-endian integers or doubles into `out` in one pass.
  template <class T>
  void read_array(T* out, std::size_t n) noexcept {
    if (!need(n * sizeof(T), "array")) return;
    detail::load_be_array(out, cur_, n);
    cur_ += n * sizeof(T);
  }
  /// View the next `n` bytes and consume them; empty (and unexpected_end) if fewer remain.
  std::span<const std::byte> read_raw(std::size_t n) noexcept {
    if (!need(n, "raw bytes")) return {};
    const std::byte* p = cur_;
    cur_ += n;
    return {p, n};
  }

 private:
  [[gnu::noinline]] void read_long_string(std::string& out, std::string_view v) {
    if (!charge(v.size(), "string")) return;
    if (v.size() <= 16) {
      if (out.size() != v.size()) out.resize(v.size());
      detail::copy_bytes(out.data(), v.data(), v.size());
    } else {
      detail::assign_bytes(out, v.data(), v.size());
    }
  }
  /// The 3 bytes at cur_ are the field header {type, id}; at least 4 bytes remain.
  bool header_is(TType type, std::int16_t id) const noexcept {
    std::uint32_t word;
    std::memcpy(&word, cur_, 4);
    auto uid = static_cast<std::uint16_t>(id);
    std::uint32_t want;
    if constexpr (std::endian::native == std::endian::little) {
      word &= 0x00ffffffu;
      want = static_cast<std::uint32_t>(type) | (static_cast<std::uint32_t>(uid >> 8) << 8) |
             (static_cast<std::uint32_t>(uid & 0xff) << 16);
    } else {
      word &= 0xffffff00u;
      want = (static_cast<std::uint32_t>(type) << 24) | (static_cast<std::uint32_t>(uid) << 8);
    }
    return word == want;
  }
  template <class T>
  static constexpr TType scalar_type() noexcept {
    if constexpr (std::is_same_v<T, double>) return TType::Double;
    else if constexpr (sizeof(T) == 1) return TType::Byte;
    else if constexpr (sizeof(T) == 2) return TType::I16;
    else if constexpr (sizeof(T) == 4) return TType::I32;
    else return TType::I64;
  }
  template <class T>
  T get(const char* what) noexcept {
    if (end_ - cur_ < static_cast<std::ptrdiff_t>(sizeof(T))) [[unlikely]] {
      underflow(what);
      return T{};
    }
    T v = detail::load_be<T>(cur_);
    cur_ += sizeof(T);
    return v;
  }
  bool need(std::size_t n, const char* what) noexcept {
    if (static_cast<std::size_t>(end_ - cur_) < n) [[unlikely]] {
      underflow(what);
      return false;
    }
    return true;
  }
  void advance(std::size_t n, const char* what) noexcept {
    if (need(n, what)) cur_ += n;
  }
  [[gnu::cold, gnu::noinline]] void underflow(const char* what) noexcept {
    fail(ErrorKind::unexpected_end, what, static_cast<std::int64_t>(end_ - cur_));
  }
  [[gnu::cold, gnu::noinline]] void fail_at(const std::byte* at, ErrorKind kind, const char* what,
                                            std::int64_t value) noexcept {
    if (!error_) error_ = Error{kind, static_cast<std::size_t>(at - begin_), value, what};
    cur_ = end_ = at > cur_ ? at : cur_;  // poison: nothing remains to be read
  }
  /// Validate a declared count: not negative, within `limit`, and `n * unit` bytes must
  /// remain. Returns the count, or 0 after recording the error at `at`.
  std::int32_t checked_count(const std::byte* at, std::int32_t n, std::int32_t limit, std::size_t unit,
                             const char* what) noexcept {
    if (n < 0) [[unlikely]] {
      fail_at(at, ErrorKind::negative_size, what, n);
      return 0;
    }
    if (n > limit) [[unlikely]] {
      fail_at(at, ErrorKind::size_limit, what, n);
      return 0;
    }
    if (static_cast<std::size_t>(n) * unit > remaining()) [[unlikely]] {
      fail_at(at, ErrorKind::unexpected_end, what, n);
      return 0;
    }
    return n;
  }
  template <class H>
  [[gnu::cold]] H bad_type(const std::byte* at, std::uint8_t t, H h) noexcept {
    fail_at(at, ErrorKind::invalid_type, "element type id", t);
    return h;
  }
  ListHeader read_seq_begin(const char* what) noexcept {
    ListHeader h;
    const std::byte* at = cur_;
    if (!need(5, "list/set header")) return h;
    std::uint8_t e = static_cast<std::uint8_t>(cur_[0]);
    std::int32_t n = detail::load_be<std::int32_t>(cur_ + 1);
    cur_ += 5;
    if (n > 0 && !is_value_type(e)) return bad_type(at, e, h);
    h.size = checked_count(at + 1, n, limits().max_container_size, n > 0 ? min_wire_size(TType(e)) : 1, what);
    h.elem = TType(e);
    return h;
  }

  const std::byte* begin_;
  const std::byte* cur_;
  const std::byte* end_;
  int depth_ = 0;
  std::size_t decoded_ = 0;
  Error error_{};
  ReaderOptions options_;
};

}  // namespace corothrift
