// Helpers of the RPC tests: a watchdog-guarded io_context runner, a one-shot event, a
// configurable Calculator handler, and the pieces of scripted (misbehaving) peers written
// with raw Asio sockets: exact request/reply bytes and a framed message reader.
//
// GCC 12 note: inside a coroutine, never create a brace-initialised aggregate temporary of
// a type with non-trivial members in an expression that contains co_await (GCC 12
// mis-destroys it). Build such values in their own statement first.
#pragma once

#include <doctest/doctest.h>

#include "rpcshapes_rpc.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace rpctest {

using namespace std::chrono_literals;
using tcp = asio::ip::tcp;
using Calc = shapes::Calculator;
using CalcClient = corothrift::Client<shapes::Calculator>;
using clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

/// Milliseconds since `t0`.
inline long long elapsed_ms(clock::time_point t0) {
  return std::chrono::duration_cast<ms>(clock::now() - t0).count();
}

/// A thread that stops io_contexts when they are not done within a time limit. It is not
/// work of the io_context, so io.run() still returns as soon as everything has finished.
class Watchdog {
 public:
  Watchdog(std::vector<asio::io_context*> ios, ms limit)
      : thread_([this, ios = std::move(ios), limit] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, limit, [&] { return done_; })) {
            fired_ = true;
            for (auto* io : ios) io->stop();
          }
        }) {}
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() { finish(); }
  /// Stop watching; true when the watchdog had to stop the io_contexts.
  bool finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

/// Run the coroutine `body()` on `io` until it has finished AND the io_context has run out
/// of work (every connection closed, every handler done), under a watchdog: a test that
/// hangs or leaves work behind fails instead of blocking the suite. An exception thrown by
/// the body (REQUIRE too) stops the io_context at once and is rethrown here, so doctest
/// reports it.
template <class F>
void run(asio::io_context& io, F body, ms limit = 10s) {
  bool done = false;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) {
    done = true;
    error = e;
    if (e) io.stop();
  });
  Watchdog watchdog({&io}, limit);
  io.run();
  const bool fired = watchdog.finish();
  if (error) std::rethrow_exception(error);
  if (!done) FAIL("watchdog: the test coroutine did not finish within " << limit.count() << " ms");
  if (fired) FAIL("watchdog: work was left on the io_context after the test (a connection or call that never ended)");
}

/// A one-shot event for coroutines on one (single-threaded) io_context.
class Event {
 public:
  void set() {
    set_ = true;
    for (auto* t : waiters_) t->cancel();
  }
  bool is_set() const noexcept { return set_; }
  /// True once set, false when `limit` passed first.
  asio::awaitable<bool> wait(ms limit = 5s) {
    if (set_) co_return true;
    asio::steady_timer t(co_await asio::this_coro::executor, limit);
    waiters_.push_back(&t);
    std::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(waiters_, &t);
    co_return set_;
  }

 private:
  bool set_ = false;
  std::vector<asio::steady_timer*> waiters_;
};

/// Sleep on the current executor.
inline asio::awaitable<void> sleep_for(clock::duration d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  std::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

/// A coroutine that counts ticks of `period` on the current executor until stopped: shows
/// that the io_context is not blocked meanwhile.
class Ticker {
 public:
  explicit Ticker(const asio::any_io_executor& ex, clock::duration period) {
    asio::co_spawn(ex, [state = state_, period]() -> asio::awaitable<void> {
      while (state->on) {
        co_await sleep_for(period);
        ++state->ticks;
      }
      state->stopped.set();
    }, asio::detached);
  }
  int ticks() const noexcept { return state_->ticks; }
  /// Stop and wait for the coroutine to end.
  asio::awaitable<void> stop() {
    state_->on = false;
    co_await state_->stopped.wait(2s);
  }

 private:
  struct State {
    int ticks = 0;
    bool on = true;
    Event stopped;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

/// Poll `pred` every few milliseconds until it holds (true) or `limit` passes (false). For
/// states no event reports (a connection count, a peer's close seen by a client).
template <class Pred>
asio::awaitable<bool> eventually(Pred pred, ms limit = 3s) {
  const auto deadline = clock::now() + limit;
  while (!pred()) {
    if (clock::now() >= deadline) co_return false;
    co_await sleep_for(2ms);
  }
  co_return true;
}

/// Wait until `h.adds` reaches `n` (each add() sets *h.add_entered).
template <class Handler>
asio::awaitable<bool> wait_adds(Handler& h, int n, ms limit = 5s) {
  Event entered;
  h.add_entered = &entered;
  const auto deadline = clock::now() + limit;
  while (h.adds < n && clock::now() < deadline) {
    entered = Event{};
    co_await entered.wait(std::chrono::duration_cast<ms>(deadline - clock::now()));
  }
  h.add_entered = nullptr;
  co_return h.adds >= n;
}

/// A Calculator handler for one single-threaded io_context, with knobs:
/// add() sets *add_entered, sleeps add_delay(a, b) (when set), waits for add_gate (when set
/// and a == gated_a, or always when gated_a is empty),
/// then calls add_check(a, b) (which may throw); describe() throws Oops for a negative id;
/// ping() waits for ping_gate (when set) and records the note.
struct TestCalc : shapes::CalculatorHandler {
  std::function<clock::duration(std::int32_t a, std::int32_t b)> add_delay;
  std::function<void(std::int32_t a, std::int32_t b)> add_check;
  Event* add_gate = nullptr;             // when set: add() waits for it ...
  std::optional<std::int32_t> gated_a;   // ... only for this `a` (all calls when empty)
  Event* ping_gate = nullptr;
  Event* add_entered = nullptr;          // when set: set at the start of every add()
  std::vector<std::int32_t> add_started, add_finished;
  std::vector<std::string> pings;
  Event ping_done;     // set after every ping()
  std::size_t pings_wanted = 0;
  Event pings_reached;  // set once pings.size() >= pings_wanted (when that is > 0)
  Event add_done;      // set after every add() (re-armed by the test when needed)
  int active = 0, max_active = 0, adds = 0, describes = 0;

  asio::awaitable<std::int32_t> add(std::int32_t a, std::int32_t b) override {
    add_started.push_back(a);
    ++adds;
    if (add_entered) add_entered->set();
    max_active = std::max(max_active, ++active);
    if (add_delay) co_await sleep_for(add_delay(a, b));
    if (add_gate && (!gated_a || *gated_a == a)) co_await add_gate->wait(5s);
    --active;
    add_finished.push_back(a);
    add_done.set();
    if (add_check) add_check(a, b);
    co_return a + b;
  }
  asio::awaitable<shapes::Inner> describe(shapes::Small s, shapes::Choice how) override {
    ++describes;
    if (s.id < 0) {
      shapes::Oops oops;
      oops.code = s.id;
      oops.message = "negative id " + std::to_string(s.id);
      throw oops;
    }
    shapes::Inner in;
    in.x = s.id * 2;
    in.label = s.name;
    if (how.text) in.label += ":" + *how.text;
    if (how.number) in.label += "#" + std::to_string(*how.number);
    co_return in;
  }
  asio::awaitable<void> ping(std::string note) override {
    if (ping_gate) co_await ping_gate->wait(5s);
    pings.push_back(std::move(note));
    ping_done.set();
    if (pings_wanted > 0 && pings.size() >= pings_wanted) pings_reached.set();
  }
};

/// A temporary directory, removed with everything in it at the end of the scope.
struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "corothrift-rpc-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

// ---- wire bytes for scripted peers ------------------------------------------------------

using Bytes = std::vector<std::byte>;

/// One whole message as it goes on the wire (frame length included when framed).
template <class Body>
Bytes message(std::string_view name, corothrift::MessageType type, std::int32_t seqid, const Body& body,
              corothrift::Transport transport = corothrift::Transport::framed) {
  corothrift::BinaryWriter w;
  corothrift::Error e = corothrift::detail::append_message(w, transport, corothrift::FrameLimits{}, {}, name, type, seqid, body);
  REQUIRE_MESSAGE(!e, "test message could not be encoded: " << corothrift::describe(e));
  return Bytes(w.view().begin(), w.view().end());
}

/// A framed message whose body is the raw bytes `body` (for malformed bodies).
inline Bytes raw_message(std::string_view name, corothrift::MessageType type, std::int32_t seqid, const Bytes& body) {
  corothrift::BinaryWriter w;
  std::size_t mark = corothrift::begin_frame(w);
  w.write_message_begin(name, type, seqid);
  w.write_raw(body.data(), body.size());
  corothrift::end_frame(w, mark);
  return Bytes(w.view().begin(), w.view().end());
}

/// The arguments of add(a, b).
inline Calc::add::args add_args(std::int32_t a, std::int32_t b) {
  Calc::add::args args;
  args.a = a;
  args.b = b;
  return args;
}
/// The result of add: success = v.
inline Calc::add::result add_result(std::int32_t v) {
  Calc::add::result r;
  r.success = v;
  return r;
}

inline Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// One framed message read from a scripted peer's socket: its header and its bytes.
struct Message {
  std::string name;
  corothrift::MessageType type = corothrift::MessageType::Call;
  std::int32_t seqid = 0;
  Bytes payload;         // header and body, without the frame length
  std::size_t body_at = 0;  // where the body starts in payload
  bool header_ok = false;

  /// Decode the body as T (e.g. Calc::add::args, corothrift::ApplicationError).
  template <class T>
  T decode() const {
    T v{};
    corothrift::BinaryReader r(std::span<const std::byte>(payload).subspan(body_at));
    corothrift::Codec<T>::read(r, v);
    REQUIRE_MESSAGE(r.ok(), "body of '" << name << "' does not decode: " << corothrift::describe(r.error()));
    return v;
  }
};

/// Read one framed message (nullopt on EOF or error, with `ec` telling which).
template <class Socket>
asio::awaitable<std::optional<Message>> read_message(Socket& s, std::error_code* ec_out = nullptr) {
  std::error_code ec;
  std::byte len_bytes[4];
  co_await asio::async_read(s, asio::buffer(len_bytes), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec_out) *ec_out = ec;
    co_return std::nullopt;
  }
  std::uint32_t len = (std::to_integer<std::uint32_t>(len_bytes[0]) << 24) | (std::to_integer<std::uint32_t>(len_bytes[1]) << 16) |
                      (std::to_integer<std::uint32_t>(len_bytes[2]) << 8) | std::to_integer<std::uint32_t>(len_bytes[3]);
  if (len > 16 * 1024 * 1024) {
    if (ec_out) *ec_out = asio::error::message_size;
    co_return std::nullopt;
  }
  Message m;
  m.payload.resize(len);
  co_await asio::async_read(s, asio::buffer(m.payload), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec_out) *ec_out = ec;
    co_return std::nullopt;
  }
  corothrift::BinaryReader r(std::span<const std::byte>(m.payload));
  corothrift::MessageHeader h = r.read_message_begin();
  m.header_ok = r.ok();
  if (m.header_ok) {
    m.name = std::string(h.name);
    m.type = h.type;
    m.seqid = h.seqid;
    m.body_at = m.payload.size() - r.remaining();
  }
  co_return m;
}

/// Write all of `bytes`.
template <class Socket>
asio::awaitable<void> write_all(Socket& s, const Bytes& bytes) {
  co_await asio::async_write(s, asio::buffer(bytes), asio::use_awaitable);
}

/// Wait until the peer closes the socket (or `limit` passes): true on EOF / reset. Bytes
/// that arrive before are read and dropped.
template <class Socket>
asio::awaitable<bool> closed_by_peer(Socket& s, ms limit = 3s) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(s.get_executor(), limit);
  auto reader = [&s]() -> asio::awaitable<bool> {
    std::byte buf[256];
    for (;;) {
      std::error_code ec;
      co_await s.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return ec == asio::error::eof || ec == asio::error::connection_reset;
    }
  };
  auto r = co_await (reader() || deadline.async_wait(asio::use_awaitable));
  co_return r.index() == 0 && std::get<0>(r);
}

/// A listening TCP socket on 127.0.0.1 for scripted servers.
struct ScriptedServer {
  explicit ScriptedServer(const asio::any_io_executor& ex) : acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
  asio::awaitable<tcp::socket> accept() { co_return co_await acceptor.async_accept(asio::use_awaitable); }
  void close() {
    std::error_code ignored;
    acceptor.close(ignored);
  }
  tcp::acceptor acceptor;
};

/// A raw TCP client of `port` on 127.0.0.1.
inline asio::awaitable<tcp::socket> raw_connect(std::uint16_t port) {
  tcp::socket s(co_await asio::this_coro::executor);
  co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  co_return s;
}

/// A port nothing listens on (bound and closed again).
inline std::uint16_t closed_port(asio::io_context& io) {
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::uint16_t p = a.local_endpoint().port();
  a.close();
  return p;
}

/// Catch what a call throws: the RpcErrc of an RpcError (nullopt when it succeeded or
/// threw something else; `what` gets the message).
template <class Awaitable>
asio::awaitable<std::optional<corothrift::RpcErrc>> rpc_errc_of(Awaitable a, std::string* what = nullptr) {
  try {
    co_await std::move(a);
  } catch (const corothrift::RpcError& e) {
    if (what) *what = e.what();
    co_return e.errc();
  } catch (const std::exception& e) {
    if (what) *what = std::string("not an RpcError: ") + e.what();
  }
  co_return std::nullopt;
}

}  // namespace rpctest

