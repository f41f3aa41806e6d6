// corothrift/client/client.hpp — Client<Service> and connect<Service>(): the coroutine client.
//
//     auto calc = co_await corothrift::connect<Calculator>(executor, "127.0.0.1", 9090);
//     std::int32_t sum = co_await calc.add(1, 2);
//
// Client<S> gets one member coroutine per IDL method from the generated <name>_rpc.hpp.
#pragma once

#include "corothrift/client/connection.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace corothrift {

/// Where a client connects: a TCP host and port, or a Unix domain socket path.
struct Endpoint {
  Endpoint() = default;
  /// A TCP endpoint.
  Endpoint(std::string h, std::uint16_t p) : host(std::move(h)), port(p) {}
  /// A Unix domain socket.
  static Endpoint local(std::string path) {
    Endpoint e;
    e.local_path = std::move(path);
    return e;
  }
  std::string host;          ///< TCP host name or address (empty for a Unix socket)
  std::uint16_t port = 0;    ///< TCP port
  std::string local_path;    ///< Unix domain socket path (when set, host/port are unused)
  std::string to_string() const {
    return local_path.empty() ? std::string(host).append(":").append(std::to_string(port)) : "unix:" + local_path;
  }
};

namespace detail {

/// Open a connection to `where` within options.connect_timeout.
inline asio::awaitable<std::shared_ptr<ClientConnection>> open_connection(asio::any_io_executor ex, Endpoint where,
                                                                          ClientOptions options) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(ex);
  deadline.expires_after(options.connect_timeout);
  auto fail = [&](RpcErrc code, const std::string& why) {
    return RpcError(code, std::string("connect to ").append(where.to_string()).append(": ").append(why));
  };
  // Each step's failure comes back as an error code, not an exception: awaitable
  // operator|| waits for one side to *succeed*, so a refused connect thrown as an exception
  // would wait for the deadline and then be reported as a timeout.
  std::error_code ec;
  try {
    if (!where.local_path.empty()) {
#if defined(ASIO_HAS_LOCAL_SOCKETS)
      asio::local::stream_protocol::socket socket(ex);
      auto r = co_await (socket.async_connect(asio::local::stream_protocol::endpoint(where.local_path),
                                              asio::redirect_error(asio::use_awaitable, ec)) ||
                         deadline.async_wait(asio::use_awaitable));
      if (r.index() == 1) throw fail(RpcErrc::connect_timeout, "timed out");
      if (ec) throw fail(RpcErrc::connect_failed, ec.message());
      auto conn = std::make_shared<SocketConnection<asio::local::stream_protocol::socket>>(std::move(socket), std::move(options));
      conn->start();
      co_return conn;
#else
      throw fail(RpcErrc::connect_failed, "Unix domain sockets are not available on this platform");
#endif
    }
    asio::ip::tcp::resolver resolver(ex);
    asio::ip::tcp::socket socket(ex);
    auto resolved = co_await (resolver.async_resolve(where.host, std::to_string(where.port),
                                                     asio::redirect_error(asio::use_awaitable, ec)) ||
                              deadline.async_wait(asio::use_awaitable));
    if (resolved.index() == 1) throw fail(RpcErrc::connect_timeout, "timed out resolving the host");
    if (ec) throw fail(RpcErrc::connect_failed, "cannot resolve the host: " + ec.message());
    auto connected = co_await (asio::async_connect(socket, std::get<0>(resolved), asio::redirect_error(asio::use_awaitable, ec)) ||
                               deadline.async_wait(asio::use_awaitable));
    if (connected.index() == 1) throw fail(RpcErrc::connect_timeout, "timed out");
    if (ec) throw fail(RpcErrc::connect_failed, ec.message());
    if (options.tcp_no_delay) socket.set_option(asio::ip::tcp::no_delay(true));
    auto conn = std::make_shared<SocketConnection<asio::ip::tcp::socket>>(std::move(socket), std::move(options));
    conn->start();
    co_return conn;
  } catch (const RpcError&) {
    throw;
  } catch (const std::system_error& e) {
    throw fail(RpcErrc::connect_failed, e.code().message());
  }
}

}  // namespace detail

/// What every generated client stands on: the connection and the generic call.
class ClientCore {
 public:
  ClientCore(std::shared_ptr<ClientConnection> connection, Endpoint where)
      : conn_(std::move(connection)), where_(std::move(where)), timeout_(conn_->options().call_timeout) {}
  ClientCore(ClientCore&&) noexcept = default;
  ClientCore& operator=(ClientCore&& o) noexcept {
    if (this != &o) {
      shutdown();
      conn_ = std::move(o.conn_);
      where_ = std::move(o.where_);
      timeout_ = o.timeout_;
    }
    return *this;
  }
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;
  /// Destroying the client closes its connection; calls still in flight fail.
  ~ClientCore() { shutdown(); }

  /// Open until closed by either side or broken by an error.
  bool is_open() const noexcept { return conn_ && conn_->is_open(); }
  /// Why the connection ended ("connection closed by the peer (2 calls were in flight)").
  std::string close_reason() const { return conn_ ? conn_->close_reason() : "not connected"; }
  /// Close now; every call in flight fails with RpcErrc::connection_closed.
  void close() {
    if (conn_) conn_->close();
  }
  /// Replace the connection by a new one to the same endpoint with the same options.
  [[nodiscard]] asio::awaitable<void> reconnect() {
    auto ex = conn_->get_executor();
    auto options = conn_->options();
    auto fresh = co_await detail::open_connection(ex, where_, std::move(options));
    shutdown();
    conn_ = std::move(fresh);
  }
  /// Timeout of the calls made from now on (0: none). Starts as ClientOptions::call_timeout.
  void set_call_timeout(std::chrono::milliseconds t) noexcept { timeout_ = t; }
  std::chrono::milliseconds call_timeout() const noexcept { return timeout_; }
  const Endpoint& endpoint() const noexcept { return where_; }
  ClientConnection& connection() noexcept { return *conn_; }
  /// Calls waiting for their reply now.
  std::size_t in_flight() const noexcept { return conn_ ? conn_->in_flight() : 0; }

  /// The no-throw call: fills `result` (declared exceptions in their fields) and reports
  /// transport, protocol and application failures in the returned status.
  template <class M>
  [[nodiscard]] asio::awaitable<CallStatus> try_call(const typename M::args& args, typename M::result& result) {
    return conn_->template call<M, false>(args, result, timeout_);  // (the call keeps the connection alive)
  }
  /// The throwing call: like try_call, but failures are thrown (RpcError, ApplicationException).
  /// (Not a coroutine itself: one coroutine frame less per call, so that a call in steady
  /// state fits Asio's per-thread recycling cache and allocates nothing.)
  template <class M>
  [[nodiscard]] asio::awaitable<CallStatus> call(const typename M::args& args, typename M::result& result) {
    return conn_->template call<M, true>(args, result, timeout_);
  }

 private:
  void shutdown() noexcept {
    if (conn_) {
      conn_->close();
      conn_.reset();
    }
  }
  std::shared_ptr<ClientConnection> conn_;
  Endpoint where_;
  std::chrono::milliseconds timeout_;
};

/// The generated <name>_rpc.hpp specializes this for each service: a class derived from
/// ClientStub<Service::base, Core> (ClientStub<void, Core> at the root) with one member
/// coroutine per method.
template <class Service, class Core>
class ClientStub;

template <class Core>
class ClientStub<void, Core> : public Core {
 public:
  using Core::Core;
};

/// The client of service S: methods from the IDL (co_await calc.add(1, 2)), plus
/// try_call/call, close, reconnect and set_call_timeout from ClientCore.
/// Move-only; not thread-safe (see ClientConnection).
template <class S>
class Client final : public ClientStub<S, ClientCore> {
 public:
  using ClientStub<S, ClientCore>::ClientStub;
};

/// Connect to a TCP server. Using the result without co_await does not compile: it is an
/// awaitable, not a client.
template <class S>
[[nodiscard]] asio::awaitable<Client<S>> connect(asio::any_io_executor ex, std::string host, std::uint16_t port,
                                                ClientOptions options = {}) {
  Endpoint where(std::move(host), port);
  auto conn = co_await detail::open_connection(ex, where, std::move(options));
  co_return Client<S>(std::move(conn), std::move(where));
}

/// Connect to a TCP or Unix domain socket endpoint.
template <class S>
[[nodiscard]] asio::awaitable<Client<S>> connect(asio::any_io_executor ex, Endpoint where, ClientOptions options = {}) {
  auto conn = co_await detail::open_connection(ex, where, std::move(options));
  co_return Client<S>(std::move(conn), std::move(where));
}

/// Connect to a server listening on a Unix domain socket.
template <class S>
[[nodiscard]] asio::awaitable<Client<S>> connect_local(asio::any_io_executor ex, std::string path,
                                                      ClientOptions options = {}) {
  Endpoint where = Endpoint::local(std::move(path));
  auto conn = co_await detail::open_connection(ex, where, std::move(options));
  co_return Client<S>(std::move(conn), std::move(where));
}

/// Connect without a generated service: the bare connection, for
/// ClientConnection::call_raw() with runtime-typed arguments (the corothrift CLI uses it).
[[nodiscard]] inline asio::awaitable<std::shared_ptr<ClientConnection>> connect_raw(asio::any_io_executor ex,
                                                                                   Endpoint where,
                                                                                   ClientOptions options = {}) {
  return detail::open_connection(std::move(ex), std::move(where), std::move(options));
}

/// Throw a declared exception the way generated stubs do.
template <class E>
[[noreturn]] void throw_declared(E&& value, std::string_view method, std::string_view type_name) {
  throw DeclaredException<std::decay_t<E>>(std::forward<E>(value), method, type_name);
}

/// A reply without a result for a method that returns one (MISSING_RESULT, like Apache).
[[noreturn]] inline void throw_missing_result(std::string_view method) {
  throw ApplicationException(ApplicationErrorType::missing_result,
                             std::string(method).append(" failed: unknown result"));
}

}  // namespace corothrift
