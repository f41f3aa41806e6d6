// corothrift/transport/message_scanner.hpp — the unframed ("buffered") transport: find where
// one complete binary-protocol message ends in a byte stream, as the bytes arrive.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "corothrift/protocol/endian.hpp"
#include "corothrift/protocol/error.hpp"
#include "corothrift/protocol/limits.hpp"
#include "corothrift/protocol/types.hpp"

namespace corothrift {

/// What MessageScanner::feed() found.
struct ScanEvent {
  enum class Status : std::uint8_t { need_more, complete, error };
  Status status = Status::need_more;
  /// Bytes of the fed span that were used (all of it for need_more; up to the message's
  /// end for complete).
  std::size_t consumed = 0;
  /// Status::complete: length of the whole message, header included.
  std::size_t message_size = 0;
  /// Status::error: what was wrong, offset counted from the message's first byte.
  Error error{};
};

/// Walks a message header and its body struct with the skip rules of the binary protocol,
/// resumably: feed it the stream piece by piece (any chunk size, one byte at a time
/// included) and it reports where the message ends. Each byte is looked at once, so a
/// trickled message costs linear time. It keeps no copy of the bytes (only up to 6 header
/// bytes split across feeds) and a stack bounded by the depth limit.
/// The reader limits apply: string and container sizes, depth, strict_read, and
/// max_message_size for the whole message.
class MessageScanner {
 public:
  explicit MessageScanner(const ReaderOptions& options = {}) : options_(options) {}

  /// Scan the next bytes of the stream. After complete, the scanner is ready for the next
  /// message; after an error, it stays in error until reset().
  ScanEvent feed(std::span<const std::byte> bytes) {
    ScanEvent ev;
    if (error_) {
      ev.status = ScanEvent::Status::error;
      ev.error = error_;
      return ev;
    }
    std::size_t pos = 0;
    for (;;) {
      if (skip_ > 0) {
        std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, bytes.size() - pos));
        pos += take;
        offset_ += take;
        skip_ -= take;
        if (skip_ > 0) break;
        continue;
      }
      std::size_t want = header_size(state_);
      if (want > 0) {
        std::size_t take = std::min(want - have_, bytes.size() - pos);
        for (std::size_t i = 0; i < take; ++i) hdr_[have_ + i] = bytes[pos + i];
        if (have_ == 0) hdr_start_ = offset_;
        have_ += take;
        pos += take;
        offset_ += take;
        if (have_ < want) break;
        have_ = 0;
      }
      if (!step()) {
        ev.status = ScanEvent::Status::error;
        ev.error = error_;
        ev.consumed = pos;
        return ev;
      }
      if (state_ == State::done) {
        ev.status = ScanEvent::Status::complete;
        ev.consumed = pos;
        ev.message_size = offset_;
        restart();
        return ev;
      }
    }
    ev.consumed = pos;
    return ev;
  }

  /// Forget the message in progress and any error.
  void reset() {
    restart();
    error_ = Error{};
  }

  /// Bytes of the current message seen so far.
  std::size_t message_offset() const noexcept { return static_cast<std::size_t>(offset_); }

 private:
  enum class State : std::uint8_t { msg_word, name_len, old_type, seqid, next, field_type, field_id,
                                    str_len, list_hdr, map_hdr, done };
  struct Frame {
    TType kind;          // Struct, List or Map
    TType a, b;          // element type; map key and value types
    bool value_next;     // map: the next element is a value
    std::uint32_t left;  // elements (map: keys and values) still to walk
  };

  static constexpr std::size_t header_size(State s) noexcept {
    switch (s) {
      case State::msg_word: case State::name_len: case State::seqid: case State::str_len: return 4;
      case State::old_type: case State::field_type: return 1;
      case State::field_id: return 2;
      case State::list_hdr: return 5;
      case State::map_hdr: return 6;
      default: return 0;
    }
  }

  void restart() {
    state_ = State::msg_word;
    stack_.clear();
    have_ = 0;
    skip_ = 0;
    offset_ = 0;
  }

  bool fail(ErrorKind kind, std::uint64_t at, const char* what, std::int64_t value) {
    error_ = Error{kind, static_cast<std::size_t>(at), value, what};
    return false;
  }

  std::int32_t hdr_i32(std::size_t at) const noexcept { return detail::load_be<std::int32_t>(hdr_ + at); }

  /// Check a declared count of `n` items of at least `unit` bytes each against `limit` and
  /// the message budget.
  bool check_count(std::int32_t n, std::int32_t limit, std::uint64_t unit, std::uint64_t at, const char* what) {
    if (n < 0) return fail(ErrorKind::negative_size, at, what, n);
    if (n > limit) return fail(ErrorKind::size_limit, at, what, n);
    if (offset_ + static_cast<std::uint64_t>(n) * unit > options_.limits.max_message_size)
      return fail(ErrorKind::message_too_large, at, what, n);
    return true;
  }

  bool push(Frame f, std::uint64_t at) {
    if (static_cast<std::int64_t>(stack_.size()) >= options_.limits.max_depth)
      return fail(ErrorKind::depth_limit, at, "nesting depth", static_cast<std::int64_t>(stack_.size()) + 1);
    stack_.push_back(f);
    return true;
  }

  /// Begin a value of type t whose header (if any) starts at `at`.
  bool begin_value(TType t, std::uint64_t at) {
    if (std::size_t w = fixed_wire_size(t)) {
      skip_ = w;
      state_ = State::next;
      return budget(at);
    }
    switch (t) {
      case TType::String: state_ = State::str_len; return true;
      case TType::Struct: state_ = State::next; return push(Frame{TType::Struct, {}, {}, false, 0}, at);
      case TType::List: case TType::Set: state_ = State::list_hdr; return true;
      case TType::Map: state_ = State::map_hdr; return true;
      default: return fail(ErrorKind::invalid_type, at, "type id", static_cast<std::int64_t>(t));
    }
  }

  bool budget(std::uint64_t at) {
    if (offset_ + skip_ > options_.limits.max_message_size)
      return fail(ErrorKind::message_too_large, at, "message size", static_cast<std::int64_t>(offset_ + skip_));
    return true;
  }

  /// Act on a complete header (or on nothing, for State::next). False on error.
  bool step() {
    const ReaderLimits& lim = options_.limits;
    if (offset_ > lim.max_message_size)
      return fail(ErrorKind::message_too_large, hdr_start_, "message size", static_cast<std::int64_t>(offset_));
    switch (state_) {
      case State::msg_word: {
        std::int32_t word = hdr_i32(0);
        if (word < 0) {
          auto u = static_cast<std::uint32_t>(word);
          if ((u & 0xffff0000u) != 0x80010000u) return fail(ErrorKind::bad_version, hdr_start_, "message version word", u);
          if (!is_valid_message_type(u & 0xffu)) return fail(ErrorKind::invalid_message_type, hdr_start_ + 3, "message type", u & 0xffu);
          state_ = State::name_len;
          return true;
        }
        if (options_.strict_read)
          return fail(ErrorKind::bad_version, hdr_start_, "message header without version word (strict_read)", word);
        if (!check_count(word, lim.max_string_size, 1, hdr_start_, "method name length")) return false;
        skip_ = static_cast<std::uint32_t>(word);
        state_ = State::old_type;
        return true;
      }
      case State::name_len: {
        std::int32_t n = hdr_i32(0);
        if (!check_count(n, lim.max_string_size, 1, hdr_start_, "string length")) return false;
        skip_ = static_cast<std::uint32_t>(n);
        state_ = State::seqid;
        return true;
      }
      case State::old_type: {
        auto t = static_cast<std::uint8_t>(hdr_[0]);
        if (!is_valid_message_type(t)) return fail(ErrorKind::invalid_message_type, hdr_start_, "message type", t);
        state_ = State::seqid;
        return true;
      }
      case State::seqid:
        state_ = State::next;
        return push(Frame{TType::Struct, {}, {}, false, 0}, offset_);
      case State::next: {
        if (stack_.empty()) {
          state_ = State::done;
          return true;
        }
        Frame& top = stack_.back();
        if (top.kind == TType::Struct) {
          state_ = State::field_type;
          return true;
        }
        if (top.left == 0) {
          stack_.pop_back();
          return true;
        }
        --top.left;
        TType t = top.a;
        if (top.kind == TType::Map) {
          t = top.value_next ? top.b : top.a;
          top.value_next = !top.value_next;
        }
        return begin_value(t, offset_);
      }
      case State::field_type: {
        auto t = static_cast<std::uint8_t>(hdr_[0]);
        if (t == 0) {
          stack_.pop_back();
          state_ = State::next;
          return true;
        }
        if (!is_value_type(t)) return fail(ErrorKind::invalid_type, hdr_start_, "field type id", t);
        field_type_ = static_cast<TType>(t);
        state_ = State::field_id;
        return true;
      }
      case State::field_id:
        return begin_value(field_type_, offset_);
      case State::str_len: {
        std::int32_t n = hdr_i32(0);
        if (!check_count(n, lim.max_string_size, 1, hdr_start_, "string length")) return false;
        skip_ = static_cast<std::uint32_t>(n);
        state_ = State::next;
        return true;
      }
      case State::list_hdr: {
        auto e = static_cast<std::uint8_t>(hdr_[0]);
        std::int32_t n = hdr_i32(1);
        if (n > 0 && !is_value_type(e)) return fail(ErrorKind::invalid_type, hdr_start_, "element type id", e);
        if (!check_count(n, lim.max_container_size, n > 0 ? min_wire_size(TType(e)) : 0, hdr_start_ + 1, "list size"))
          return false;
        return begin_container(Frame{TType::List, TType(e), {}, false, static_cast<std::uint32_t>(n)},
                               fixed_wire_size(TType(e)) * static_cast<std::uint32_t>(n));
      }
      case State::map_hdr: {
        auto k = static_cast<std::uint8_t>(hdr_[0]);
        auto v = static_cast<std::uint8_t>(hdr_[1]);
        std::int32_t n = hdr_i32(2);
        if (n > 0 && !is_value_type(k)) return fail(ErrorKind::invalid_type, hdr_start_, "map key type id", k);
        if (n > 0 && !is_value_type(v)) return fail(ErrorKind::invalid_type, hdr_start_ + 1, "map value type id", v);
        std::uint64_t unit = n > 0 ? min_wire_size(TType(k)) + min_wire_size(TType(v)) : 0;
        if (!check_count(n, lim.max_container_size, unit, hdr_start_ + 2, "map size")) return false;
        std::size_t kw = fixed_wire_size(TType(k)), vw = fixed_wire_size(TType(v));
        return begin_container(Frame{TType::Map, TType(k), TType(v), false, 2 * static_cast<std::uint32_t>(n)},
                               (kw && vw) ? (kw + vw) * static_cast<std::uint32_t>(n) : 0);
      }
      case State::done:
        return true;
    }
    return true;
  }

  /// A list/set/map header was read: fixed-size elements are skipped in one go (`flat`
  /// bytes), others are walked one by one. Either way the container counts for depth.
  bool begin_container(Frame f, std::uint64_t flat) {
    if (!push(f, hdr_start_)) return false;
    state_ = State::next;
    if (flat == 0) return true;  // no elements, or elements walked one by one
    stack_.back().left = 0;      // done once the flat skip is over
    skip_ = flat;
    return budget(hdr_start_);
  }

  ReaderOptions options_;
  State state_ = State::msg_word;
  std::vector<Frame> stack_;
  std::byte hdr_[8]{};
  std::size_t have_ = 0;
  std::uint64_t hdr_start_ = 0;
  std::uint64_t skip_ = 0;
  std::uint64_t offset_ = 0;
  TType field_type_ = TType::Stop;
  Error error_{};
};

}  // namespace corothrift
