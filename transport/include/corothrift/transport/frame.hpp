// corothrift/transport/frame.hpp — the framed transport: a 4-byte big-endian length before
// each message. Frame writing into a BinaryWriter, and an incremental FrameDecoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <vector>

#include "corothrift/protocol/binary_writer.hpp"
#include "corothrift/protocol/endian.hpp"
#include "corothrift/protocol/error.hpp"

namespace corothrift {

/// Limits of the framed transport.
struct FrameLimits {
  /// Largest frame payload accepted or produced, in bytes (Apache's default).
  std::uint32_t max_frame_size = 16'384'000;
};

/// Start a frame in `w`: writes a 4-byte placeholder for the length and returns a mark to
/// pass to end_frame() once the message is written (no copy of the message is made).
inline std::size_t begin_frame(BinaryWriter& w) {
  w.write_i32(0);
  return w.size();
}

/// Finish the frame begun at `mark`: patch its length. Fails with frame_too_large (and
/// leaves the writer's bytes unusable) when the payload exceeds `limits.max_frame_size`.
inline Error end_frame(BinaryWriter& w, std::size_t mark, const FrameLimits& limits = {}) {
  std::size_t n = w.size() - mark;
  // The length is a signed i32 on the wire, whatever the configured limit says.
  if (n > limits.max_frame_size || n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    w.fail(ErrorKind::frame_too_large, "frame length", static_cast<std::int64_t>(n));
    return w.error();
  }
  w.patch_i32(mark - 4, static_cast<std::int32_t>(n));
  return w.error();
}

/// What a frame parse found.
struct FrameEvent {
  enum class Status : std::uint8_t { need_more, frame, error };
  Status status = Status::need_more;
  /// The frame's payload (Status::frame), valid until the decoder is fed again.
  std::span<const std::byte> payload{};
  /// Status::need_more: at least this many more bytes are needed for the next step.
  std::size_t needed = 0;
  /// Status::error: what was wrong and at which stream offset.
  Error error{};
};

/// Find the first frame in `input` (which begins at a frame boundary). `stream_offset` is
/// only used for error offsets. Stateless; never allocates.
inline FrameEvent parse_frame(std::span<const std::byte> input, const FrameLimits& limits = {},
                              std::size_t stream_offset = 0) noexcept {
  FrameEvent ev;
  if (input.size() < 4) {
    ev.needed = 4 - input.size();
    return ev;
  }
  std::int32_t len = detail::load_be<std::int32_t>(input.data());
  if (len < 0 || static_cast<std::uint32_t>(len) > limits.max_frame_size) {
    ev.status = FrameEvent::Status::error;
    ev.error = Error{len < 0 ? ErrorKind::negative_size : ErrorKind::frame_too_large, stream_offset, len,
                     "frame length"};
    return ev;
  }
  std::size_t total = 4 + static_cast<std::size_t>(len);
  if (input.size() < total) {
    ev.needed = total - input.size();
    return ev;
  }
  ev.status = FrameEvent::Status::frame;
  ev.payload = input.subspan(4, static_cast<std::size_t>(len));
  return ev;
}

/// Splits a byte stream into frames as the bytes arrive.
///
///     corothrift::FrameDecoder dec;
///     dec.feed(chunk);                              // whatever the socket gave
///     for (auto ev = dec.next(); ev.status == FrameEvent::Status::frame; ev = dec.next())
///       handle(ev.payload);
///
/// A bad length (negative or over the limit) is an error as soon as its 4 bytes are in,
/// before anything is allocated for the frame; the error is sticky until reset().
class FrameDecoder {
 public:
  explicit FrameDecoder(FrameLimits limits = {}) : limits_(limits) {}

  /// Append bytes. Payload spans returned earlier by next() become invalid.
  void feed(std::span<const std::byte> bytes) {
    if (error_) return;
    if (pos_ > 0) {
      std::size_t rest = buf_.size() - pos_;
      if (rest) std::memmove(buf_.data(), buf_.data() + pos_, rest);
      buf_.resize(rest);
      pos_ = 0;
    }
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  }

  /// The next complete frame, or how many bytes are still missing, or the error.
  FrameEvent next() noexcept {
    if (error_) return FrameEvent{FrameEvent::Status::error, {}, 0, error_};
    std::span<const std::byte> avail(buf_.data() + pos_, buf_.size() - pos_);
    FrameEvent ev = parse_frame(avail, limits_, stream_offset_);
    if (ev.status == FrameEvent::Status::frame) {
      std::size_t used = 4 + ev.payload.size();
      pos_ += used;
      stream_offset_ += used;
    } else if (ev.status == FrameEvent::Status::error) {
      error_ = ev.error;
    }
    return ev;
  }

  /// Bytes held that no returned frame has covered yet.
  std::size_t buffered() const noexcept { return buf_.size() - pos_; }
  const FrameLimits& limits() const noexcept { return limits_; }
  /// Drop everything buffered and any error; start at a frame boundary again.
  void reset() noexcept {
    buf_.clear();
    pos_ = 0;
    stream_offset_ = 0;
    error_ = Error{};
  }

 private:
  FrameLimits limits_;
  std::vector<std::byte> buf_;
  std::size_t pos_ = 0;
  std::size_t stream_offset_ = 0;
  Error error_{};
};

}  // namespace corothrift
