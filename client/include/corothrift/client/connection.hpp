// corothrift/client/connection.hpp — ClientConnection: one socket, many calls in flight.
// Requests are queued as they come and written by one writer; one reader matches each reply
// to its call by seqid and resumes that caller.
#pragma once

#include "corothrift/client/errors.hpp"
#include "corothrift/client/wire.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corothrift {

/// Settings of a client connection. Every limit has a safe default.
/// (Not an aggregate on purpose: GCC 12 mis-destroys brace-initialised aggregate temporaries
/// in an expression that contains co_await; set the fields one by one instead.)
struct ClientOptions {
  ClientOptions() noexcept {}
  /// framed (TFramedTransport, the default) or buffered (TBufferedTransport: no frames).
  Transport transport = Transport::framed;
  /// Resolving and connecting together may take this long; then RpcErrc::connect_timeout.
  std::chrono::milliseconds connect_timeout{10'000};
  /// A call without a reply after this long fails with RpcErrc::timeout (0: wait forever).
  std::chrono::milliseconds call_timeout{30'000};
  /// Calls in flight on one connection at once (rounded up to a power of two); one more
  /// fails at once with RpcErrc::too_many_calls.
  std::size_t max_in_flight = 1024;
  /// Request bytes queued and not yet written (a server that stops reading); a call that
  /// would go past this fails at once with RpcErrc::send_queue_full (one request alone is
  /// always accepted, up to the frame limit).
  std::size_t max_pending_request_bytes = 64 * 1024 * 1024;
  /// Multiplexed protocol: method names go out as "<multiplexed>:<method>" (empty: plain).
  std::string multiplexed;
  /// Limits for reading replies (string/container size, depth, message size; strict_read).
  ReaderOptions reader{};
  /// Largest frame sent or accepted (framed transport).
  FrameLimits frame{};
  /// strict_write: message headers with the version word (the default, like Apache).
  WriterOptions writer{};
  /// TCP_NODELAY on TCP sockets (the default: calls are small and latency matters).
  bool tcp_no_delay = true;
};

/// The socket-independent half of a client connection: pending-call table, request queue,
/// reply matching. Not thread-safe: use a connection from coroutines running on the
/// executor it was connected with (an io_context run by one thread, or a strand).
class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  ClientConnection(const asio::any_io_executor& ex, ClientOptions options)
      : executor_(ex), options_(std::move(options)), out_(ex, options_.writer) {
    std::size_t cap = 1;
    while (cap < options_.max_in_flight && cap < (std::size_t{1} << 20)) cap <<= 1;
    slot_mask_ = static_cast<std::uint32_t>(cap - 1);
    slot_bits_ = 0;
    while ((std::size_t{1} << slot_bits_) < cap) ++slot_bits_;
    slots_.reserve(cap);
    free_.reserve(cap);
  }
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;
  virtual ~ClientConnection() = default;

  const asio::any_io_executor& get_executor() const noexcept { return executor_; }
  const ClientOptions& options() const noexcept { return options_; }
  bool is_open() const noexcept { return !closed_; }
  /// Why the connection ended (empty while open).
  const std::string& close_reason() const noexcept { return reason_; }
  /// Calls waiting for a reply (or, oneway, for their bytes to be written).
  std::size_t in_flight() const noexcept { return in_flight_; }

  /// Close the connection; every pending call fails with RpcErrc::connection_closed.
  void close() { fail_all(RpcErrc::connection_closed, "connection closed by the client"); }

  /// Send method M with `args`; on a reply, decode it into `result` (declared exceptions
  /// land in their result fields). Never throws for RPC failures: they are in the status.
  /// `timeout` 0 means no timeout. Cancelling the awaiting coroutine (its cancellation
  /// slot) cancels this call only.
  /// With Throw, a failure is thrown (RpcError, ApplicationException) instead of returned.
  /// Not a coroutine: the call is an asynchronous operation whose only coroutine frame is
  /// the one use_awaitable makes, so that a call in steady state takes its memory from
  /// Asio's per-thread recycling cache and allocates nothing.
  template <class M, bool Throw = false>
  asio::awaitable<CallStatus> call(const typename M::args& args, typename M::result& result,
                                   std::chrono::milliseconds timeout) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, CallStatus)>(
        StartCall<typename M::args, typename M::result, Throw>{this, M::name, M::oneway, &args, &result, timeout},
        asio::use_awaitable);
  }

  /// call() for a method known only at run time (the corothrift CLI, gateways): `method` is
  /// the name on the wire and must stay valid until the call completes; Args and Result are
  /// any types with a Codec (e.g. dynamic::Bound). A oneway call completes once written.
  template <class Args, class Result, bool Throw = false>
  asio::awaitable<CallStatus> call_raw(std::string_view method, bool oneway, const Args& args, Result& result,
                                       std::chrono::milliseconds timeout) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, CallStatus)>(
        StartCall<Args, Result, Throw>{this, method, oneway, &args, &result, timeout}, asio::use_awaitable);
  }

 protected:
  /// Close the socket (the reader and writer then end).
  virtual void close_socket() noexcept = 0;

  /// The reader loop, given a socket: cut replies out of the stream and deliver them.
  template <class Socket>
  asio::awaitable<void> read_loop(Socket& socket) {
    auto self = shared_from_this();
    MessageStream in(options_.transport, options_.frame, options_.reader);
    try {
      for (;;) {
        for (StreamEvent ev = in.next(); !closed_; ev = in.next()) {
          if (ev.status == StreamEvent::Status::need_more) break;
          if (ev.status == StreamEvent::Status::error) {
            fail_all(RpcErrc::protocol_error, "malformed reply stream: " + describe(ev.error));
            co_return;
          }
          on_reply(ev.message);
        }
        if (closed_) co_return;
        std::error_code ec;
        std::span<std::byte> room = in.prepare();
        std::size_t n = co_await socket.async_read_some(asio::buffer(room.data(), room.size()),
                                                        asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          if (closed_) co_return;
          if (ec == asio::error::eof)
            fail_all(RpcErrc::connection_closed, in.partial() ? "connection closed by the peer in the middle of a reply"
                                                              : "connection closed by the peer");
          else
            fail_all(RpcErrc::connection_closed, "read failed: " + ec.message());
          co_return;
        }
        in.commit(n);
      }
    } catch (const std::exception& ex) {  // allocation failure while buffering a reply
      fail_all(RpcErrc::connection_closed, std::string("reader stopped: ") + ex.what());
    }
  }

  /// The writer loop, given a socket.
  template <class Socket>
  asio::awaitable<void> write_loop(Socket& socket) {
    auto self = shared_from_this();
    std::error_code ec = co_await out_.run(socket, [this] { wake_written_oneways(); });
    if (ec && !closed_) fail_all(RpcErrc::connection_closed, "write failed: " + ec.message());
  }

  /// Fail every pending call with `code` and close the connection (idempotent).
  void fail_all(RpcErrc code, const std::string& why) {
    if (closed_) return;
    closed_ = true;
    std::size_t pending = 0;
    for (auto& s : slots_) pending += s->state == Slot::State::waiting;
    reason_ = why;
    if (pending)
      reason_.append(" (").append(std::to_string(pending)).append(pending == 1 ? " call was" : " calls were").append(" in flight)");
    for (auto& s : slots_)
      if (s->state == Slot::State::waiting) fail_one(*s, code, reason_);
    out_.abort();
    close_socket();
  }

 private:
  struct Slot {
    explicit Slot(const asio::any_io_executor& ex) : timer(ex) {}
    enum class State : std::uint8_t { free, waiting, done, failed };
    asio::steady_timer timer;  // the caller waits on it; the reader cancels it to wake the caller
    State state = State::free;
    bool oneway = false;
    std::uint32_t generation = 0;
    std::int32_t seqid = -1;
    std::string_view method;
    void (*decode)(BinaryReader&, void*) = nullptr;
    void* target = nullptr;
    std::uint64_t flush_mark = 0;
    RpcErrc errc{};
    std::string error;
    std::optional<ApplicationError> application;
  };

  /// Hand a finished call's status to its caller: thrown (Throw) or returned.
  template <bool Throw, class Handler>
  static void deliver(Handler& handler, CallStatus status) {
    std::exception_ptr thrown;
    if constexpr (Throw) {
      if (status.code || status.application) {
        try {
          status.raise();
        } catch (...) {
          thrown = std::current_exception();
        }
      }
    }
    std::move(handler)(thrown, std::move(status));
  }

  /// A call that fails before its request is queued completes through the executor (a
  /// completion handler never runs inside the function that starts the operation).
  template <bool Throw, class Handler>
  void fail_early(Handler handler, CallStatus status) {
    auto ex = asio::get_associated_executor(handler, executor_);
    asio::post(ex, [h = std::move(handler), st = std::move(status)]() mutable { deliver<Throw>(h, std::move(st)); });
  }

  /// What a call has come to once its slot's timer wait ends (released the slot).
  CallStatus end_call(std::uint32_t index, std::error_code ec, std::string_view method,
                      std::chrono::milliseconds timeout) {
    Slot& slot = *slots_[index];
    --in_flight_;
    CallStatus status;
    switch (slot.state) {
      case Slot::State::done:
        if (slot.application) status.application = std::move(slot.application);
        break;
      case Slot::State::failed:
        status.code = make_error_code(slot.errc);
        status.message = std::move(slot.error);
        break;
      default:
        // Neither a reply nor a failure: the timer fired or the call was cancelled. The
        // request may already be on the wire; its late reply will be dropped (on_reply knows
        // it by its slot and older generation).
        if (ec == asio::error::operation_aborted)
          fail_status(status, RpcErrc::cancelled, method, "cancelled while waiting for the reply");
        else
          fail_status(status, RpcErrc::timeout, method,
                      std::string("no reply within ").append(std::to_string(timeout.count())).append(" ms"));
        break;
    }
    release_slot(index);
    return status;
  }

  /// The completion handler of a slot's timer wait: ends the call and resumes its caller.
  /// Its executor and cancellation slot are the caller's, so cancelling the caller cancels
  /// the wait (and only this call).
  template <bool Throw, class Handler>
  struct CallWaiter {
    Handler handler;
    std::shared_ptr<ClientConnection> conn;  // the connection outlives every call in flight
    std::uint32_t index;
    std::chrono::milliseconds timeout;
    std::string_view method;

    using executor_type = asio::associated_executor_t<Handler, asio::any_io_executor>;
    executor_type get_executor() const noexcept { return asio::get_associated_executor(handler, conn->executor_); }
    using cancellation_slot_type = asio::associated_cancellation_slot_t<Handler>;
    cancellation_slot_type get_cancellation_slot() const noexcept { return asio::get_associated_cancellation_slot(handler); }

    void operator()(std::error_code ec) {
      CallStatus status = conn->end_call(index, ec, method, timeout);
      deliver<Throw>(handler, std::move(status));
    }
  };

  /// The initiation of call<M>(): claim a slot, queue the request, wait on the slot's timer.
  template <class Args, class Result, bool Throw>
  struct StartCall {
    ClientConnection* conn;
    std::string_view method;
    bool oneway;
    const Args* args;
    Result* result;
    std::chrono::milliseconds timeout;

    template <class Handler>
    void operator()(Handler handler) const {
      conn->start_call<Args, Result, Throw>(std::move(handler), method, oneway, *args, *result, timeout);
    }
  };

  template <class Args, class Result, bool Throw, class Handler>
  void start_call(Handler handler, std::string_view method, bool oneway, const Args& args, Result& result,
                  std::chrono::milliseconds timeout) {
    CallStatus status;
    if (closed_) {
      fail_status(status, RpcErrc::connection_closed, method, reason_);
      return fail_early<Throw>(std::move(handler), std::move(status));
    }
    if (free_.empty() && slots_.size() > slot_mask_) {
      fail_status(status, RpcErrc::too_many_calls, method,
                  std::string("more than ").append(std::to_string(slot_mask_ + 1)).append(" calls in flight"));
      return fail_early<Throw>(std::move(handler), std::move(status));
    }
    const std::uint32_t index = acquire_slot();
    Slot& slot = *slots_[index];
    slot.generation = (slot.generation + 1) & ((std::uint32_t{1} << (31 - slot_bits_)) - 1);
    if (slot.generation == 0) slot.generation = 1;  // seqid 0 is what servers use for errors they cannot address
    slot.seqid = static_cast<std::int32_t>((slot.generation << slot_bits_) | index);
    slot.method = method;
    slot.oneway = false;  // set once the request is queued (release_slot counts oneways)
    slot.decode = &decode_into_target<Result>;
    slot.target = &result;
    slot.state = Slot::State::waiting;
    slot.application.reset();

    Error e;
    const std::size_t queued_before = out_.pending().size();
    try {
      e = detail::append_message(out_.pending(), options_.transport, options_.frame, options_.multiplexed, method,
                                 oneway ? MessageType::Oneway : MessageType::Call, slot.seqid, args);
    } catch (...) {  // out of memory while encoding: take the half-written message back
      out_.pending().rewind(queued_before);
      release_slot(index);
      throw;
    }
    if (e) {
      release_slot(index);
      fail_status(status, RpcErrc::encode_failed, method, describe(e));
      return fail_early<Throw>(std::move(handler), std::move(status));
    }
    if (out_.unsent() > options_.max_pending_request_bytes && out_.unsent() > out_.pending().size() - queued_before) {
      out_.pending().rewind(queued_before);
      release_slot(index);
      fail_status(status, RpcErrc::send_queue_full, method,
                  std::string("more than ").append(std::to_string(options_.max_pending_request_bytes))
                      .append(" request bytes are waiting to be sent (the server does not read)"));
      return fail_early<Throw>(std::move(handler), std::move(status));
    }
    if (oneway) {
      slot.oneway = true;
      slot.flush_mark = out_.appended();
      ++oneway_pending_;
    }
    if (timeout.count() > 0) slot.timer.expires_after(timeout);
    else slot.timer.expires_at(asio::steady_timer::time_point::max());
    try {
      slot.timer.async_wait(CallWaiter<Throw, Handler>{std::move(handler), shared_from_this(), index, timeout, method});
    } catch (...) {  // out of memory: the request may go out; its reply will be dropped as late
      release_slot(index);
      throw;
    }
    ++in_flight_;
    out_.notify();
  }

  template <class R>
  static void decode_into_target(BinaryReader& r, void* target) {
    Codec<R>::read(r, *static_cast<R*>(target));
  }

  static void fail_status(CallStatus& s, RpcErrc code, std::string_view method, const std::string& why) {
    s.code = make_error_code(code);
    s.message = std::string(method).append(": ").append(why);
  }

  std::uint32_t acquire_slot() {
    if (!free_.empty()) {
      std::uint32_t i = free_.back();
      free_.pop_back();
      return i;
    }
    slots_.push_back(std::make_unique<Slot>(executor_));
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  void release_slot(std::uint32_t i) {
    Slot& s = *slots_[i];
    s.state = Slot::State::free;
    s.target = nullptr;
    if (s.oneway) {
      s.oneway = false;
      --oneway_pending_;
    }
    free_.push_back(i);
  }

  void complete(Slot& s) {
    s.state = Slot::State::done;
    s.timer.cancel();
  }
  void fail_one(Slot& s, RpcErrc code, const std::string& why) {
    s.state = Slot::State::failed;
    s.errc = code;
    s.error = std::string(s.method).append(": ").append(why);
    s.timer.cancel();
  }

  void wake_written_oneways() {
    if (oneway_pending_ == 0) return;
    for (auto& s : slots_) {
      if (s->state == Slot::State::waiting && s->oneway && s->flush_mark <= out_.sent()) complete(*s);
    }
  }

  /// One complete reply message.
  void on_reply(std::span<const std::byte> message) {
    BinaryReader r(message, options_.reader);
    MessageHeader h = r.read_message_begin();
    if (!r.ok()) {
      fail_all(RpcErrc::protocol_error, "bad reply header: " + describe(r.error()));
      return;
    }
    Slot* slot = nullptr;
    if (h.seqid >= 0) {
      std::uint32_t index = static_cast<std::uint32_t>(h.seqid) & slot_mask_;
      if (index < slots_.size()) slot = slots_[index].get();
    }
    if (!slot || slot->state != Slot::State::waiting || slot->seqid != h.seqid || slot->oneway) {
      if (slot && h.seqid != 0 && (static_cast<std::uint32_t>(h.seqid) >> slot_bits_) <= slot->generation &&
          !(slot->state == Slot::State::waiting && slot->seqid == h.seqid)) {
        // A seqid this slot issued before (an earlier generation, or the current one after
        // its call ended): the late reply of a call that timed out or was cancelled. Dropped.
        return;
      }
      if (h.type == MessageType::Exception) {
        // A server that could not even read our request (an oversized frame, a bad header)
        // answers with a TApplicationException it cannot address to a call: pass its text on.
        ApplicationError app;
        Codec<ApplicationError>::read(r, app);
        if (r.ok()) {
          fail_all(RpcErrc::protocol_error, std::string("the server refused the connection's requests: TApplicationException ")
                                                .append(to_string(app.type)).append(": ").append(app.message));
          return;
        }
      }
      fail_all(RpcErrc::protocol_error, std::string("reply with unknown seqid ").append(std::to_string(h.seqid))
                                            .append(" (method '").append(h.name).append("')"));
      return;
    }
    if (!name_matches(h.name, slot->method)) {
      fail_one(*slot, RpcErrc::protocol_error,
               std::string("reply names method '").append(h.name).append("' (wrong method name)"));
      return;
    }
    if (h.type == MessageType::Reply) {
      slot->decode(r, slot->target);
      if (r.ok() && r.remaining() != 0)
        r.fail(ErrorKind::trailing_data, "bytes after the reply", static_cast<std::int64_t>(r.remaining()));
      if (!r.ok()) {
        fail_one(*slot, RpcErrc::protocol_error, "malformed reply: " + describe(r.error()));
        return;
      }
      complete(*slot);
    } else if (h.type == MessageType::Exception) {
      ApplicationError app;
      Codec<ApplicationError>::read(r, app);
      if (!r.ok()) {
        fail_one(*slot, RpcErrc::protocol_error, "malformed TApplicationException: " + describe(r.error()));
        return;
      }
      slot->application = std::move(app);
      complete(*slot);
    } else {
      fail_one(*slot, RpcErrc::protocol_error,
               std::string("reply has message type ").append(std::to_string(static_cast<int>(h.type)))
                   .append(" (wrong message type: expected REPLY or EXCEPTION)"));
    }
  }

  bool name_matches(std::string_view got, std::string_view method) const noexcept {
    if (got == method) return true;
    const std::string& mux = options_.multiplexed;  // some servers echo "Service:method"
    return !mux.empty() && got.size() == mux.size() + 1 + method.size() && got.substr(0, mux.size()) == mux &&
           got[mux.size()] == ':' && got.substr(mux.size() + 1) == method;
  }

  asio::any_io_executor executor_;
  ClientOptions options_;
  detail::OutQueue out_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::uint32_t> free_;
  std::uint32_t slot_mask_ = 0;
  unsigned slot_bits_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t oneway_pending_ = 0;
  bool closed_ = false;
  std::string reason_;
};

/// A client connection over a socket of type Socket (asio::ip::tcp::socket or
/// asio::local::stream_protocol::socket).
template <class Socket>
class SocketConnection final : public ClientConnection {
 public:
  SocketConnection(Socket socket, ClientOptions options)
      : ClientConnection(socket.get_executor(), std::move(options)), socket_(std::move(socket)) {}

  /// Start the reader and the writer (call once, right after construction).
  void start() {
    auto self = std::static_pointer_cast<SocketConnection>(shared_from_this());
    asio::co_spawn(get_executor(), [self]() -> asio::awaitable<void> { co_await self->read_loop(self->socket_); },
                   asio::detached);
    asio::co_spawn(get_executor(), [self]() -> asio::awaitable<void> { co_await self->write_loop(self->socket_); },
                   asio::detached);
  }

 private:
  void close_socket() noexcept override { detail::close_quietly(socket_); }
  Socket socket_;
};

}  // namespace corothrift
