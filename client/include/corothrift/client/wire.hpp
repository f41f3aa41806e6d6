// corothrift/client/wire.hpp — the bytes of one RPC message (header, body, frame) and the
// outgoing queue a connection writes from. Shared by the client and the server.
#pragma once

#ifndef ASIO_STANDALONE
#define ASIO_STANDALONE 1
#endif
// Asio 1.22 enables co_await for clang only with <experimental/coroutine> (libc++);
// clang with libstdc++'s <coroutine> works as well.
#if defined(__clang__) && !defined(ASIO_HAS_CO_AWAIT) && defined(__cpp_impl_coroutine) && __has_include(<coroutine>)
#define ASIO_HAS_CO_AWAIT 1
#endif

#include <asio.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "corothrift/protocol/binary_writer.hpp"
#include "corothrift/protocol/codec.hpp"
#include "corothrift/transport/frame.hpp"
#include "corothrift/transport/message_stream.hpp"

namespace corothrift::detail {

/// Message header whose name is `prefix` + ':' + `name` when a prefix is given (the
/// multiplexed protocol), written without building the joined string.
inline void write_message_header(BinaryWriter& w, std::string_view prefix, std::string_view name, MessageType type,
                                 std::int32_t seqid) {
  if (prefix.empty()) {
    w.write_message_begin(name, type, seqid);
    return;
  }
  const std::size_t n = prefix.size() + 1 + name.size();
  auto put_name = [&] {
    w.write_i32(static_cast<std::int32_t>(n));
    w.write_raw(prefix.data(), prefix.size());
    w.write_raw(":", 1);
    w.write_raw(name.data(), name.size());
  };
  if (w.options().strict_write) {
    w.write_i32(static_cast<std::int32_t>(BinaryWriter::kVersion1 | static_cast<std::uint32_t>(type)));
    put_name();
  } else {
    put_name();
    w.write_byte(static_cast<std::int8_t>(type));
  }
  w.write_i32(seqid);
}

/// Append one whole message (frame length, header, body) to `w`. On failure (a value the
/// wire cannot carry, an invalid union, a frame over the limit) nothing is appended: the
/// writer is rewound to where it was, so messages queued before stay intact.
template <class Body>
Error append_message(BinaryWriter& w, Transport transport, const FrameLimits& frame, std::string_view prefix,
                     std::string_view name, MessageType type, std::int32_t seqid, const Body& body) {
  const std::size_t start = w.size();
  std::size_t mark = 0;
  if (transport == Transport::framed) mark = begin_frame(w);
  write_message_header(w, prefix, name, type, seqid);
  Error e = encode(w, body);
  if (!e && transport == Transport::framed) e = end_frame(w, mark, frame);
  if (e) w.rewind(start);
  return e;
}

/// Outgoing bytes of one connection. Messages are appended to pending(); one writer
/// coroutine (run()) swaps that buffer with the one on the wire and writes it whole, so
/// messages that arrive while a write is in progress leave together in the next write.
/// Both buffers keep their capacity: steady state allocates nothing.
class OutQueue {
 public:
  explicit OutQueue(const asio::any_io_executor& ex, WriterOptions options = {})
      : wake_(ex), pending_(options), sending_(options) {
    wake_.expires_at(asio::steady_timer::time_point::max());
  }

  BinaryWriter& pending() noexcept { return pending_; }
  /// Bytes ever appended (sent or not); a oneway call is written once sent() reaches it.
  std::uint64_t appended() const noexcept { return moved_ + pending_.size(); }
  std::uint64_t sent() const noexcept { return sent_; }
  /// Bytes appended and not yet written to the socket.
  std::uint64_t unsent() const noexcept { return appended() - sent_; }
  /// Tell the writer there is something to send (cheap when it is busy anyway).
  void notify() noexcept {
    if (waiting_) {
      waiting_ = false;
      wake_.cancel();
    }
  }
  /// Ask the writer to finish: it sends what is queued and returns.
  void finish() noexcept {
    finishing_ = true;
    notify();
  }
  /// Stop at once (after a socket error): the writer returns without sending.
  void abort() noexcept {
    aborted_ = true;
    notify();
  }

  /// The writer loop. `on_sent()` runs after each completed write. Returns the error that
  /// ended it (empty when finish() or abort() did).
  template <class Socket, class OnSent>
  asio::awaitable<std::error_code> run(Socket& socket, OnSent on_sent) {
    for (;;) {
      if (aborted_) co_return std::error_code{};
      if (pending_.size() == 0) {
        if (finishing_) co_return std::error_code{};
        waiting_ = true;
        std::error_code ignored;
        wake_.expires_at(asio::steady_timer::time_point::max());
        co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        waiting_ = false;
        continue;
      }
      std::swap(pending_, sending_);
      moved_ += sending_.size();
      std::error_code ec;
      std::size_t n = co_await asio::async_write(socket, asio::buffer(sending_.data(), sending_.size()),
                                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return ec;
      sent_ += n;
      sending_.clear();
      on_sent();
    }
  }

 private:
  asio::steady_timer wake_;
  BinaryWriter pending_;
  BinaryWriter sending_;
  std::uint64_t moved_ = 0;
  std::uint64_t sent_ = 0;
  bool waiting_ = false;
  bool finishing_ = false;
  bool aborted_ = false;
};

/// Close a socket of any kind, ignoring errors.
template <class Socket>
void close_quietly(Socket& s) noexcept {
  std::error_code ignored;
  s.shutdown(asio::socket_base::shutdown_both, ignored);
  s.close(ignored);
}

}  // namespace corothrift::detail
