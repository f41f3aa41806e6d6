// corothrift/client/server.hpp — Server: accepts connections and dispatches each request to
// a handler coroutine of a generated service interface.
//
//     struct MyCalc : CalculatorHandler {
//       asio::awaitable<std::int32_t> add(std::int32_t a, std::int32_t b) override { co_return a + b; }
//     };
//     MyCalc handler;
//     corothrift::Server server(io.get_executor());
//     server.add_service<Calculator>(handler);
//     server.listen("127.0.0.1", 9090);
//     io.run();
#pragma once

#include "corothrift/client/errors.hpp"
#include "corothrift/client/wire.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

namespace corothrift {

/// Settings of a server. Every limit has a safe default (see ClientOptions on why there is
/// a constructor).
struct ServerOptions {
  ServerOptions() noexcept {}
  /// framed (TFramedTransport, the default) or buffered (TBufferedTransport).
  Transport transport = Transport::framed;
  /// Requests: largest frame (framed) ...
  FrameLimits frame{};
  /// ... and string/container/depth/message-size limits (both transports).
  ReaderOptions reader{};
  /// strict_write for reply headers (default on, like Apache).
  WriterOptions writer{};
  /// Connections open at once; one more is closed as soon as it is accepted.
  std::size_t max_connections = 1024;
  /// A connection with no request in progress and no call in flight for this long is
  /// closed (0: never).
  std::chrono::milliseconds idle_timeout{300'000};
  /// Once a request's first byte has arrived, the whole request must arrive within this
  /// (a client trickling bytes is dropped; 0: no limit).
  std::chrono::milliseconds read_timeout{30'000};
  /// Answer one request at a time per connection, in request order (for clients that
  /// need replies in order). Off: handlers of one connection run concurrently and replies
  /// go out as they finish, each with its request's seqid.
  bool ordered = false;
  /// Requests of one connection being handled at once; the connection is not read while
  /// it is at this number.
  std::size_t max_in_flight_per_connection = 1024;
  /// Requests run on worker coroutines that a connection keeps for its next requests; a
  /// worker that finds this many already idle ends (memory after a burst of slow calls).
  std::size_t max_idle_workers_per_connection = 32;
  /// Reply bytes queued for a connection that does not read them; past this, the
  /// connection is dropped.
  std::size_t max_pending_reply_bytes = 64 * 1024 * 1024;
  /// TCP_NODELAY on accepted TCP sockets.
  bool tcp_no_delay = true;
};

/// The generated <name>_rpc.hpp specializes this for each service S:
///   using handler_type = SHandler;
///   template <class Ctx> static bool dispatch(Ctx&, std::string_view method, handler_type&);
/// dispatch() hands ctx.serve<M>() the method's invoke coroutine, which runs the handler and
/// ends with ServerCall::finish<M>().
template <class S>
struct ServiceTraits;

class ServerConnection;

/// One request being handled. The generated invoke coroutine owns it for the whole call;
/// however that coroutine ends (or is destroyed), the call then counts as finished.
class ServerCall {
 public:
  ServerCall(std::shared_ptr<ServerConnection> conn, std::int32_t seqid) noexcept
      : conn_(std::move(conn)), seqid_(seqid) {}
  ServerCall(ServerCall&& o) noexcept : conn_(std::move(o.conn_)), seqid_(o.seqid_) {}
  ServerCall& operator=(ServerCall&&) = delete;
  ServerCall(const ServerCall&) = delete;
  inline ~ServerCall();

  /// Queue M's reply: `result` (declared exceptions in their fields), or, when the handler
  /// threw something else (`failure`), a TApplicationException: the one it threw, or
  /// INTERNAL_ERROR with its what(). Oneway methods send nothing.
  template <class M>
  void finish(const typename M::result& result, std::exception_ptr failure);

 private:
  std::shared_ptr<ServerConnection> conn_;
  std::int32_t seqid_;
};

/// The socket-independent half of one server connection: dispatch, in-flight accounting,
/// reply queue. Everything of one connection runs on its own strand.
class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  struct Service {
    std::string name;  // multiplexed name; empty for the default service
    void* handler;
    bool (*dispatch)(ServerConnection&, std::string_view method, void* handler);
  };
  struct Shared {  // what the Server shares with its connections
    ServerOptions options;
    std::vector<Service> services;
    std::atomic<std::size_t> connections{0};
  };

  ServerConnection(const asio::any_io_executor& ex, std::shared_ptr<Shared> shared)
      : executor_(ex), shared_(std::move(shared)), options_(shared_->options), out_(ex, options_.writer),
        watchdog_(ex), drained_(ex) {
    drained_.expires_at(asio::steady_timer::time_point::max());
  }
  virtual ~ServerConnection() { shared_->connections.fetch_sub(1, std::memory_order_relaxed); }
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  /// Called by generated dispatch code for the request being read: decode M's arguments and
  /// start the handler through `invoke` (now, or after the previous request in ordered mode).
  template <class M, class H>
  void serve(H& handler, asio::awaitable<void> (*invoke)(ServerCall, H&, typename M::args)) {
    typename M::args args{};
    Codec<typename M::args>::read(*request_, args);
    if (request_->ok() && request_->remaining() != 0)
      request_->fail(ErrorKind::trailing_data, "bytes after the arguments", static_cast<std::int64_t>(request_->remaining()));
    if (!request_->ok()) {
      if (!M::oneway)
        reply_exception(M::name, seqid_, ApplicationErrorType::protocol_error,
                        std::string("bad arguments for ").append(M::name).append(": ").append(describe(request_->error())));
      return;
    }
    ++in_flight_;  // (the ServerCall decrements it, even if making the coroutine throws)
    asio::awaitable<void> job = invoke(ServerCall(shared_from_this(), seqid_), handler, std::move(args));
    if (options_.ordered) job_.emplace(std::move(job));
    else run_on_worker(std::move(job));
  }

  /// Requests being handled now.
  std::size_t in_flight() const noexcept { return in_flight_; }
  const asio::any_io_executor& get_executor() const noexcept { return executor_; }

  /// Stop reading new requests; finish the ones in flight, send their replies, then close.
  virtual void begin_stop() = 0;

 protected:
  virtual void close_socket() noexcept = 0;

  template <class Socket>
  asio::awaitable<void> serve_connection(Socket& socket) {
    auto self = shared_from_this();
    struct WorkerReaper {  // if this frame is destroyed unfinished (io_context shut down),
      ServerConnection* c;  // idle workers would keep the connection alive: destroy them
      ~WorkerReaper() { c->idle_workers_.clear(); }
    } reaper{this};
    asio::co_spawn(executor_, watch(), asio::detached);
    asio::co_spawn(executor_, write_loop(socket), asio::detached);
    MessageStream in(options_.transport, options_.frame, options_.reader);
    try {
      for (;;) {
        for (StreamEvent ev = in.next(); !closed_ && !stopping_; ev = in.next()) {
          if (ev.status == StreamEvent::Status::need_more) break;
          if (ev.status == StreamEvent::Status::error) {
            // The stream cannot be resynchronised: tell the client why, then hang up.
            reply_exception("", 0, ApplicationErrorType::protocol_error, "malformed request stream: " + describe(ev.error));
            co_await finish("malformed request");
            co_return;
          }
          handle_request(ev.message);
          if (reading_partial_) {  // a message was consumed: the next one gets its own read deadline
            reading_partial_ = false;
            read_deadline_stale_ = true;
          }
          if (job_) {
            auto job = std::move(*job_);
            job_.reset();
            hold_watchdog();
            co_await std::move(job);
          }
          if (in_flight_ >= options_.max_in_flight_per_connection) hold_watchdog();
          while (in_flight_ >= options_.max_in_flight_per_connection && !closed_) co_await wait_drained();
        }
        if (closed_ || stopping_) break;
        arm_watchdog(in.partial());
        std::error_code ec;
        std::span<std::byte> room = in.prepare();
        std::size_t n = co_await socket.async_read_some(asio::buffer(room.data(), room.size()),
                                                        asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        in.commit(n);
      }
    } catch (const std::exception&) {  // allocation failure while buffering a request
    }
    co_await finish(stopping_ ? "server stopping" : "connection ended");
  }

  bool closed_ = false;
  bool stopping_ = false;
  std::string close_reason_;

 private:
  friend class ServerCall;

  // ---- workers ---------------------------------------------------------------------------
  // Requests of a connection run on long-lived worker coroutines rather than one co_spawn
  // each: a worker takes a request, runs its invoke coroutine, and waits for the next. The
  // reader hands a request to an idle worker by resuming it directly (both run on the
  // connection's strand), so a handler that does not suspend has finished, and its frames
  // are back in Asio's per-thread recycling cache, before the reader looks at the next
  // request: no heap allocation per request in steady state. A new worker is started only
  // when every worker is busy (at most max_in_flight_per_connection of them); at most
  // max_idle_workers_per_connection stay idle.
  using WorkerWake = asio::async_result<asio::use_awaitable_t<>, void(asio::awaitable<void>)>::handler_type;

  void run_on_worker(asio::awaitable<void> job) {
    if (idle_workers_.empty()) {
      asio::co_spawn(executor_, work(shared_from_this(), std::move(job)), asio::detached);
      return;
    }
    WorkerWake wake = std::move(idle_workers_.back());
    idle_workers_.pop_back();
    std::move(wake)(std::move(job));  // runs the worker here, until it suspends
  }

  /// A worker waits here for its next job (an empty awaitable: stop).
  asio::awaitable<asio::awaitable<void>> next_job() {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(asio::awaitable<void>)>(
        [this](WorkerWake wake) { idle_workers_.push_back(std::move(wake)); }, asio::use_awaitable);
  }

  static asio::awaitable<void> work(std::shared_ptr<ServerConnection> self, asio::awaitable<void> job) {
    for (;;) {
      try {
        co_await std::move(job);
      } catch (...) {  // (invoke coroutines catch the handler's exceptions themselves)
      }
      if (self->workers_done_ || self->idle_workers_.size() >= self->options_.max_idle_workers_per_connection) co_return;
      job = co_await self->next_job();
      if (!job.valid()) co_return;
    }
  }

  /// The reader has ended: idle workers end now, busy ones after their call.
  void end_workers() {
    workers_done_ = true;
    std::vector<WorkerWake> idle;
    idle.swap(idle_workers_);
    for (auto& wake : idle) std::move(wake)(asio::awaitable<void>{});
  }

  void handle_request(std::span<const std::byte> message) {
    BinaryReader r(message, options_.reader);
    MessageHeader h = r.read_message_begin();
    if (!r.ok()) {
      reply_exception("", 0, ApplicationErrorType::protocol_error, "bad message header: " + describe(r.error()));
      return;
    }
    seqid_ = h.seqid;
    if (h.type != MessageType::Call && h.type != MessageType::Oneway) {
      reply_exception(h.name, h.seqid, ApplicationErrorType::invalid_message_type,
                      std::string("expected a call, got message type ").append(std::to_string(static_cast<int>(h.type))));
      return;
    }
    request_ = &r;
    bool found = dispatch(h.name);
    request_ = nullptr;
    if (!found && h.type == MessageType::Call)
      reply_exception(h.name, h.seqid, ApplicationErrorType::unknown_method,
                      std::string("Invalid method name: '").append(h.name).append("'"));
  }

  bool dispatch(std::string_view name) {
    auto& services = shared_->services;
    std::size_t colon = name.find(':');
    if (colon != std::string_view::npos) {
      std::string_view service = name.substr(0, colon), method = name.substr(colon + 1);
      for (auto& s : services)
        if (!s.name.empty() && s.name == service) return s.dispatch(*this, method, s.handler);
      return false;
    }
    for (auto& s : services)
      if (s.name.empty()) return s.dispatch(*this, name, s.handler);
    return false;
  }

  template <class Body>
  Error queue(std::string_view name, MessageType type, std::int32_t seqid, const Body& body) {
    if (closed_) return Error{};
    Error e = detail::append_message(out_.pending(), options_.transport, options_.frame, {}, name, type, seqid, body);
    if (!e) {
      if (out_.unsent() > options_.max_pending_reply_bytes) {
        close_now("client does not read its replies");
        return Error{};
      }
      out_.notify();
    }
    return e;
  }

  void reply_exception(std::string_view name, std::int32_t seqid, ApplicationErrorType type, std::string message) {
    queue(name, MessageType::Exception, seqid, ApplicationError{std::move(message), type});
  }

  void call_done() {
    --in_flight_;
    if (drain_waiting_) {
      drain_waiting_ = false;
      drained_.cancel();
    }
    if (in_flight_ == 0 && !closed_ && !stopping_ && !draining_ && !reading_partial_) arm_idle();
  }

  asio::awaitable<void> wait_drained() {
    drain_waiting_ = true;
    std::error_code ignored;
    drained_.expires_at(asio::steady_timer::time_point::max());
    co_await drained_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }

  /// After the reader ends: let handlers finish, flush replies, close.
  asio::awaitable<void> finish(const char* why) {
    if (close_reason_.empty()) close_reason_ = why;
    end_workers();
    // Handlers still running and replies not yet written get a deadline too: a handler that
    // never returns or a client that never reads must not keep the connection forever.
    draining_ = true;
    using clock = asio::steady_timer::clock_type;
    auto limit = options_.idle_timeout.count() > 0 ? options_.idle_timeout : options_.read_timeout;
    watchdog_.expires_at(limit.count() > 0 ? clock::now() + limit : clock::time_point::max());
    while (in_flight_ > 0 && !closed_) co_await wait_drained();
    out_.finish();
    if (!writer_running_) close_now(why);
  }

  template <class Socket>
  asio::awaitable<void> write_loop(Socket& socket) {
    auto self = shared_from_this();
    writer_running_ = true;
    std::error_code ec = co_await out_.run(socket, [] {});
    writer_running_ = false;
    close_now(ec ? "write failed" : "done");
  }

  void close_now(const char* why) {
    if (closed_) return;
    closed_ = true;
    if (close_reason_.empty()) close_reason_ = why;
    out_.abort();
    watchdog_.cancel();
    drained_.cancel();
    close_socket();
  }

  // ---- idle and read timeouts ----------------------------------------------------------
  void arm_watchdog(bool partial) {
    using clock = asio::steady_timer::clock_type;
    if (partial) {
      if (!reading_partial_) {  // a request has begun: it must be complete by the read deadline
        reading_partial_ = true;
        read_deadline_stale_ = false;
        watchdog_.expires_at(options_.read_timeout.count() > 0 ? clock::now() + options_.read_timeout
                                                               : clock::time_point::max());
      }
      return;
    }
    bool was_partial = reading_partial_ || read_deadline_stale_;
    reading_partial_ = false;
    read_deadline_stale_ = false;
    if (in_flight_ > 0) {
      if (was_partial || !busy_) watchdog_.expires_at(clock::time_point::max());
      busy_ = true;
      return;
    }
    if (was_partial || busy_ || !idle_armed_) arm_idle();
  }
  /// The reader waits for handlers (ordered mode, or at max_in_flight_per_connection)
  /// instead of reading: the connection is busy, neither idle nor slow to send, until the
  /// reader reads again (arm_watchdog) or the last call ends (call_done arms the idle timer).
  void hold_watchdog() {
    reading_partial_ = false;
    read_deadline_stale_ = false;
    busy_ = true;
    watchdog_.expires_at(asio::steady_timer::clock_type::time_point::max());
  }
  void arm_idle() {
    using clock = asio::steady_timer::clock_type;
    busy_ = false;
    idle_armed_ = true;
    watchdog_.expires_at(options_.idle_timeout.count() > 0 ? clock::now() + options_.idle_timeout
                                                           : clock::time_point::max());
  }
  asio::awaitable<void> watch() {
    auto self = shared_from_this();
    while (!closed_) {
      std::error_code ec;
      co_await watchdog_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (closed_) co_return;
      if (ec) continue;  // re-armed
      if (asio::steady_timer::clock_type::now() >= watchdog_.expiry())
        close_now(draining_ ? "drain timeout: calls or replies not finished in time"
                  : reading_partial_ ? "read timeout: request not complete in time" : "idle timeout");
    }
  }

  asio::any_io_executor executor_;
  std::shared_ptr<Shared> shared_;
  const ServerOptions& options_;
  detail::OutQueue out_;
  asio::steady_timer watchdog_;
  asio::steady_timer drained_;
  BinaryReader* request_ = nullptr;
  std::int32_t seqid_ = 0;
  std::optional<asio::awaitable<void>> job_;  // ordered mode: the call the reader runs next
  std::vector<WorkerWake> idle_workers_;
  bool workers_done_ = false;
  std::size_t in_flight_ = 0;
  bool drain_waiting_ = false;
  bool writer_running_ = false;
  bool reading_partial_ = false;
  bool draining_ = false;
  bool read_deadline_stale_ = false;  // the watchdog still holds the deadline of a request now read
  bool busy_ = false;
  bool idle_armed_ = false;
};

inline ServerCall::~ServerCall() {
  if (conn_) conn_->call_done();
}

template <class M>
void ServerCall::finish(const typename M::result& result, std::exception_ptr failure) {
  if constexpr (M::oneway) {
    (void)result;
    (void)failure;
  } else {
    ServerConnection& c = *conn_;
    if (failure) {
      ApplicationError error;
      try {
        std::rethrow_exception(failure);
      } catch (const ApplicationException& e) {
        error = e.error();
      } catch (const std::exception& e) {
        error = ApplicationError{std::string("Internal error processing ").append(M::name).append(": ").append(e.what()),
                                 ApplicationErrorType::internal_error};
      } catch (...) {
        error = ApplicationError{std::string("Internal error processing ").append(M::name).append(": unknown exception"),
                                 ApplicationErrorType::internal_error};
      }
      c.queue(M::name, MessageType::Exception, seqid_, error);
    } else if (Error e = c.queue(M::name, MessageType::Reply, seqid_, result)) {
      c.reply_exception(M::name, seqid_, ApplicationErrorType::internal_error,
                        std::string("could not encode the result of ").append(M::name).append(": ").append(describe(e)));
    }
  }
}

namespace detail {
template <class Socket>
class SocketServerConnection final : public ServerConnection {
 public:
  SocketServerConnection(Socket socket, std::shared_ptr<Shared> shared)
      : ServerConnection(socket.get_executor(), std::move(shared)), socket_(std::move(socket)) {}
  void start() {
    auto self = std::static_pointer_cast<SocketServerConnection>(shared_from_this());
    asio::co_spawn(get_executor(), [self]() -> asio::awaitable<void> { co_await self->serve_connection(self->socket_); },
                   asio::detached);
  }
  void begin_stop() override {
    asio::dispatch(get_executor(), [self = std::static_pointer_cast<SocketServerConnection>(shared_from_this())] {
      if (self->closed_ || self->stopping_) return;
      self->stopping_ = true;
      std::error_code ignored;  // the pending read ends with EOF; writes go on
      self->socket_.shutdown(asio::socket_base::shutdown_receive, ignored);
    });
  }

 private:
  void close_socket() noexcept override { close_quietly(socket_); }
  Socket socket_;
};
}  // namespace detail

/// Accepts connections (TCP and Unix domain sockets) and serves the registered services.
/// The io_context may be run by several threads: each connection runs on its own strand
/// (so handlers of one connection never run at the same time; those of different
/// connections may).
class Server {
 public:
  explicit Server(asio::any_io_executor ex, ServerOptions options = {}) : state_(std::make_shared<State>(std::move(ex))) {
    state_->shared->options = std::move(options);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  /// Stops gracefully (see stop()); connections and accept loops still running hold what
  /// they need, so destroying the server while its io_context runs is safe.
  ~Server() { stop(); }

  /// Serve service S with `handler` (which must outlive the server) for plain method names.
  /// Register every service before the first listen().
  template <class S>
  void add_service(typename ServiceTraits<S>::handler_type& handler) {
    add_entry<S>({}, handler);
  }
  /// Serve service S under a multiplexed name ("name:method" on the wire).
  template <class S>
  void add_service(std::string name, typename ServiceTraits<S>::handler_type& handler) {
    add_entry<S>(std::move(name), handler);
  }

  /// Listen on a TCP address (port 0: any free port) and start accepting. Returns the
  /// bound endpoint. Throws std::system_error when the address cannot be bound.
  asio::ip::tcp::endpoint listen(const std::string& host, std::uint16_t port) {
    asio::ip::tcp::endpoint ep(asio::ip::make_address(host), port);
    auto acceptor = std::make_shared<asio::ip::tcp::acceptor>(state_->strand);
    acceptor->open(ep.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    acceptor->bind(ep);
    acceptor->listen(asio::socket_base::max_listen_connections);
    auto bound = acceptor->local_endpoint();
    start_accepting(acceptor);
    return bound;
  }

#if defined(ASIO_HAS_LOCAL_SOCKETS)
  /// Listen on a Unix domain socket path (an existing socket file there is replaced).
  void listen_local(const std::string& path) {
    ::unlink(path.c_str());
    auto acceptor = std::make_shared<asio::local::stream_protocol::acceptor>(state_->strand);
    asio::local::stream_protocol::endpoint ep(path);
    acceptor->open(ep.protocol());
    acceptor->bind(ep);
    acceptor->listen(asio::socket_base::max_listen_connections);
    start_accepting(acceptor);
  }
#endif

  /// Graceful stop: stop accepting (new connections are refused), stop reading new
  /// requests, let the calls in flight finish and send their replies, then close.
  void stop() {
    std::vector<std::weak_ptr<ServerConnection>> conns;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->stopped) return;
      state_->stopped = true;
      for (auto& close : state_->closers) close();
      state_->closers.clear();
      conns.swap(state_->connections);
    }
    for (auto& w : conns)
      if (auto c = w.lock()) c->begin_stop();
  }

  /// Connections open now.
  std::size_t connection_count() const noexcept { return state_->shared->connections.load(std::memory_order_relaxed); }
  const ServerOptions& options() const noexcept { return state_->shared->options; }

 private:
  /// Everything the accept loops use; they share it, so it outlives the Server if need be.
  struct State {
    explicit State(asio::any_io_executor ex)
        : executor(std::move(ex)), strand(asio::make_strand(executor)), shared(std::make_shared<ServerConnection::Shared>()) {}
    asio::any_io_executor executor;
    asio::strand<asio::any_io_executor> strand;
    std::shared_ptr<ServerConnection::Shared> shared;
    std::mutex mutex;
    bool stopped = false;
    std::vector<std::function<void()>> closers;
    std::vector<std::weak_ptr<ServerConnection>> connections;
  };

  template <class S>
  void add_entry(std::string name, typename ServiceTraits<S>::handler_type& handler) {
    using H = typename ServiceTraits<S>::handler_type;
    state_->shared->services.push_back(ServerConnection::Service{
        std::move(name), static_cast<void*>(&handler), [](ServerConnection& c, std::string_view method, void* h) {
          return ServiceTraits<S>::dispatch(c, method, *static_cast<H*>(h));
        }});
  }

  template <class Acceptor>
  void start_accepting(std::shared_ptr<Acceptor> acceptor) {
    {
      std::lock_guard lock(state_->mutex);
      state_->closers.push_back([acceptor, strand = state_->strand] {
        asio::post(strand, [acceptor] {
          std::error_code ignored;
          acceptor->close(ignored);
        });
      });
    }
    asio::co_spawn(state_->strand, accept_loop(state_, acceptor), asio::detached);
  }

  /// The executor of a new connection: its own strand. On an io_context (the usual case)
  /// the strand is over io_context's executor type, not over any_io_executor: a
  /// strand<any_io_executor> does not fit in any_io_executor's small-object buffer, so with
  /// Asio 1.22 every completion on the connection heap-allocated a copy of it (in prefer()),
  /// and the strand's blocking query on the inner any_io_executor allocated its result too:
  /// about 50 allocations per request. strand<io_context::executor_type> fits.
  static asio::any_io_executor connection_executor(const asio::any_io_executor& ex) {
    if (auto* io = ex.target<asio::io_context::executor_type>()) return asio::make_strand(*io);
    return asio::make_strand(ex);
  }

  template <class Acceptor>
  static asio::awaitable<void> accept_loop(std::shared_ptr<State> state, std::shared_ptr<Acceptor> acceptor) {
    using Socket = typename Acceptor::protocol_type::socket;
    const auto& shared = state->shared;
    for (;;) {
      std::error_code ec;
      asio::any_io_executor conn_strand = connection_executor(state->executor);
      Socket socket = co_await acceptor->async_accept(conn_strand, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (!acceptor->is_open()) co_return;
        if (ec == asio::error::operation_aborted) co_return;
        // Out of descriptors or a connection reset before accept: wait a little, go on.
        asio::steady_timer pause(state->strand, std::chrono::milliseconds(20));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      if (shared->connections.load(std::memory_order_relaxed) >= shared->options.max_connections) {
        detail::close_quietly(socket);  // over the limit: refuse this one, keep serving the others
        continue;
      }
      if constexpr (std::is_same_v<Socket, asio::ip::tcp::socket>) {
        std::error_code ignored;
        if (shared->options.tcp_no_delay) socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      }
      shared->connections.fetch_add(1, std::memory_order_relaxed);
      auto conn = std::make_shared<detail::SocketServerConnection<Socket>>(std::move(socket), shared);
      {
        std::lock_guard lock(state->mutex);
        if (state->stopped) {
          conn->begin_stop();
        } else {
          std::erase_if(state->connections, [](const std::weak_ptr<ServerConnection>& w) { return w.expired(); });
          state->connections.push_back(conn);
        }
      }
      conn->start();
    }
  }

  std::shared_ptr<State> state_;
};

}  // namespace corothrift
