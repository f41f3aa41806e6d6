// corothrift/transport/message_stream.hpp — MessageStream: a receive buffer that cuts a
// byte stream into whole messages, framed or unframed. Standard library only; the socket
// code (client/) reads into prepare() and takes messages from next().
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>

#include "corothrift/protocol/error.hpp"
#include "corothrift/protocol/limits.hpp"
#include "corothrift/transport/frame.hpp"
#include "corothrift/transport/message_scanner.hpp"

namespace corothrift {

/// How messages are delimited on a stream.
enum class Transport : std::uint8_t {
  framed,    ///< each message behind a 4-byte big-endian length (TFramedTransport)
  buffered,  ///< messages back to back; the end is found by walking the message (TBufferedTransport)
};

constexpr const char* to_string(Transport t) noexcept { return t == Transport::framed ? "framed" : "buffered"; }

/// What MessageStream::next() found.
struct StreamEvent {
  enum class Status : std::uint8_t { need_more, message, error };
  Status status = Status::need_more;
  /// Status::message: the message (header and body, without a frame length), valid until
  /// the next call of prepare() or next().
  std::span<const std::byte> message{};
  /// Status::error: what was wrong; the offset counts from the start of the stream.
  Error error{};
};

/// Receive buffer plus message boundaries:
///
///     corothrift::MessageStream in(corothrift::Transport::framed);
///     auto room = in.prepare();                 // read up to room.size() bytes into it
///     in.commit(n);
///     for (auto ev = in.next(); ev.status == StreamEvent::Status::message; ev = in.next())
///       handle(ev.message);
///
/// The buffer grows only as far as the largest message needs (bounded by the frame limit
/// or the reader's max_message_size) and keeps its capacity, so a connection in steady
/// state allocates nothing. Bytes are moved down only when a partial message sits at the
/// end of the buffer and more room is needed. Errors (bad frame length, malformed or
/// oversized unframed message) are sticky: the stream cannot be resynchronised.
class MessageStream {
 public:
  explicit MessageStream(Transport transport, FrameLimits frame_limits = {}, const ReaderOptions& reader = {},
                         std::size_t initial_capacity = 16 * 1024)
      : transport_(transport), frame_limits_(frame_limits), scanner_(reader), initial_(initial_capacity) {
    max_message_ = transport == Transport::framed ? std::size_t{frame_limits.max_frame_size} + 4 : reader.limits.max_message_size;
  }
  MessageStream(const MessageStream&) = delete;
  MessageStream& operator=(const MessageStream&) = delete;
  ~MessageStream() { std::free(buf_); }

  Transport transport() const noexcept { return transport_; }

  /// Room to receive into: at least `min` bytes (more when a known message needs it).
  /// The buffer grows with the bytes that have arrived, not with what a frame length
  /// claims: a 4-byte header announcing 16 MB gets 64 KiB of room, then twice what has
  /// come, until the frame is complete (a peer must send the bytes to make us hold them).
  std::span<std::byte> prepare(std::size_t min = 4096) {
    const std::size_t live = end_ - begin_;
    const std::size_t ahead = std::min(wanted_, std::max<std::size_t>(64 * 1024, live));
    std::size_t want = std::max(min, ahead);
    if (cap_ - end_ < want) make_room(want);
    return {buf_ + end_, cap_ - end_};
  }
  /// `n` bytes were written at the start of the last prepare() span.
  void commit(std::size_t n) noexcept { end_ += n; }

  /// The next complete message, need_more, or the (sticky) error.
  StreamEvent next() {
    StreamEvent ev;
    if (error_) {
      ev.status = StreamEvent::Status::error;
      ev.error = error_;
      return ev;
    }
    std::span<const std::byte> avail{buf_ + begin_, end_ - begin_};
    if (transport_ == Transport::framed) {
      FrameEvent f = parse_frame(avail, frame_limits_, consumed_total_);
      if (f.status == FrameEvent::Status::error) return fail(f.error);
      if (f.status == FrameEvent::Status::need_more) {
        wanted_ = f.needed;
        return ev;
      }
      consume(4 + f.payload.size());
      ev.status = StreamEvent::Status::message;
      ev.message = f.payload;
      return ev;
    }
    // Unframed: scan the bytes not looked at yet.
    std::span<const std::byte> fresh = avail.subspan(scanned_);
    ScanEvent s = scanner_.feed(fresh);
    if (s.status == ScanEvent::Status::error) {
      Error e = s.error;
      e.offset += consumed_total_;
      return fail(e);
    }
    if (s.status == ScanEvent::Status::need_more) {
      scanned_ += s.consumed;
      wanted_ = 0;
      return ev;
    }
    std::size_t size = scanned_ + s.consumed;
    ev.status = StreamEvent::Status::message;
    ev.message = avail.first(size);
    consume(size);
    return ev;
  }

  /// True when part of a message has arrived but not all of it.
  bool partial() const noexcept { return end_ > begin_; }
  /// Bytes received and not yet returned as a message.
  std::size_t buffered() const noexcept { return end_ - begin_; }
  std::size_t capacity() const noexcept { return cap_; }

 private:
  void consume(std::size_t n) noexcept {
    begin_ += n;
    consumed_total_ += n;
    scanned_ = 0;
    wanted_ = 0;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  StreamEvent fail(const Error& e) {
    error_ = e;
    StreamEvent ev;
    ev.status = StreamEvent::Status::error;
    ev.error = e;
    return ev;
  }
  void make_room(std::size_t want) {
    std::size_t live = end_ - begin_;
    if (begin_ > 0) {  // move the partial message down first
      if (live) std::memmove(buf_, buf_ + begin_, live);
      begin_ = 0;
      end_ = live;
      if (cap_ - end_ >= want) return;
    }
    // Never more than one whole message plus one read's worth: a peer cannot make us
    // allocate beyond the configured message size.
    std::size_t need = live + want;
    std::size_t limit = max_message_ + 64 * 1024;
    std::size_t cap = std::max<std::size_t>(cap_ ? cap_ * 2 : initial_, need);
    cap = std::min(cap, std::max(limit, need));
    auto* p = static_cast<std::byte*>(std::realloc(buf_, cap));
    if (!p) {
#if defined(__cpp_exceptions)
      throw std::bad_alloc();
#else
      std::abort();
#endif
    }
    buf_ = p;
    cap_ = cap;
  }

  Transport transport_;
  FrameLimits frame_limits_;
  MessageScanner scanner_;
  std::size_t initial_;
  std::size_t max_message_ = 0;
  std::byte* buf_ = nullptr;
  std::size_t cap_ = 0;
  std::size_t begin_ = 0;   // first byte of the next message
  std::size_t end_ = 0;     // end of received bytes
  std::size_t scanned_ = 0; // unframed: bytes of the next message the scanner has seen
  std::size_t wanted_ = 0;  // framed: bytes the next frame still needs
  std::uint64_t consumed_total_ = 0;
  Error error_{};
};

}  // namespace corothrift
