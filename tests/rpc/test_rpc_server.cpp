// The server: ordered and concurrent dispatch, connection limits, read and idle timeouts,
// oversized frames and malformed requests from raw clients, graceful stop, and a server
// io_context run by two threads.
#include "rpc_test_util.hpp"

#include <memory>

using namespace rpctest;
using corothrift::ApplicationErrorType;
using corothrift::MessageType;
using corothrift::RpcErrc;
using corothrift::RpcError;

namespace {

/// Spawn add(a, 1000 * a) on `calc`; when it ends, append `a` to `order` and set `done`.
void spawn_add(asio::io_context& io, CalcClient& calc, std::int32_t a, std::vector<std::int32_t>& order,
               std::vector<std::optional<std::int32_t>>& values, Event& done, std::size_t expected) {
  asio::co_spawn(io, [&calc, a, &order, &values, &done, expected]() -> asio::awaitable<void> {
    try {
      values[static_cast<std::size_t>(a)] = co_await calc.add(a, 1000 * a);
    } catch (const std::exception&) {
    }
    order.push_back(a);
    if (order.size() == expected) done.set();
  }, asio::detached);
}

/// A raw request add(a, b) with `seqid`.
Bytes add_request(std::int32_t seqid, std::int32_t a, std::int32_t b) {
  return message("add", MessageType::Call, seqid, add_args(a, b));
}

}  // namespace

// ---- ordered and concurrent dispatch -------------------------------------------------------

TEST_CASE("rpc server: ordered mode answers in request order") {
  TestCalc h;  // the first call is the slowest
  h.add_delay = [](std::int32_t a, std::int32_t) -> clock::duration { return ms(a == 0 ? 80 : a == 1 ? 40 : 0); };
  asio::io_context io;
  corothrift::ServerOptions so;
  so.ordered = true;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::vector<std::int32_t> order;
    std::vector<std::optional<std::int32_t>> values(3);
    Event done;
    for (std::int32_t a = 0; a < 3; ++a) spawn_add(io, calc, a, order, values, done, 3);
    const bool all = co_await done.wait(5s);
    REQUIRE(all);
    CHECK(order == std::vector<std::int32_t>{0, 1, 2});
    CHECK(h.add_started == std::vector<std::int32_t>{0, 1, 2});
    CHECK(h.add_finished == std::vector<std::int32_t>{0, 1, 2});
    CHECK(h.max_active == 1);  // one at a time
    for (std::int32_t a = 0; a < 3; ++a) CHECK(values[static_cast<std::size_t>(a)] == 1001 * a);
    server.stop();
  });
}

TEST_CASE("rpc server: concurrent mode lets a fast call overtake a slow one") {
  TestCalc h;
  Event gate;
  h.add_gate = &gate;
  h.gated_a = 0;  // call 0 waits until the test opens the gate
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::vector<std::int32_t> order;
    std::vector<std::optional<std::int32_t>> values(3);
    Event done;
    spawn_add(io, calc, 0, order, values, done, 3);
    const bool entered = co_await wait_adds(h, 1);
    REQUIRE(entered);
    // Calls 1 and 2 on the same connection complete while call 0 is still in its handler.
    spawn_add(io, calc, 1, order, values, done, 3);
    spawn_add(io, calc, 2, order, values, done, 3);
    const bool fast_done = co_await eventually([&] { return order.size() == 2; });
    REQUIRE(fast_done);
    CHECK(order == std::vector<std::int32_t>{1, 2});
    CHECK(h.max_active >= 2);
    gate.set();
    const bool all = co_await done.wait(5s);
    REQUIRE(all);
    CHECK(order == std::vector<std::int32_t>{1, 2, 0});
    for (std::int32_t a = 0; a < 3; ++a) CHECK(values[static_cast<std::size_t>(a)] == 1001 * a);
    server.stop();
  });
}

TEST_CASE("rpc server: max_in_flight_per_connection holds further requests back") {
  TestCalc h;
  Event gate;
  h.add_gate = &gate;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.max_in_flight_per_connection = 2;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::vector<std::int32_t> order;
    std::vector<std::optional<std::int32_t>> values(4);
    Event done;
    for (std::int32_t a = 0; a < 4; ++a) spawn_add(io, calc, a, order, values, done, 4);
    const bool two = co_await wait_adds(h, 2);
    REQUIRE(two);
    co_await sleep_for(50ms);  // give a third request the chance to start (it must not)
    CHECK(h.adds == 2);
    CHECK(calc.in_flight() == 4);
    gate.set();
    const bool all = co_await done.wait(5s);
    REQUIRE(all);
    CHECK(h.adds == 4);
    CHECK(h.max_active == 2);
    for (std::int32_t a = 0; a < 4; ++a) CHECK(values[static_cast<std::size_t>(a)] == 1001 * a);
    server.stop();
  });
}

TEST_CASE("rpc server: a handler slower than idle_timeout is not cut off while the reader waits for it") {
  // In ordered mode the reader waits for each handler; at max_in_flight_per_connection it
  // waits for one to finish. Either way the connection is busy, not idle.
  for (int mode = 0; mode < 2; ++mode) {
    CAPTURE(mode);
    TestCalc h;
    h.add_delay = [](std::int32_t a, std::int32_t) -> clock::duration { return a == 7 ? ms(400) : ms(0); };
    asio::io_context io;
    corothrift::ServerOptions so;
    so.idle_timeout = 150ms;
    if (mode == 0) so.ordered = true;
    else so.max_in_flight_per_connection = 1;
    corothrift::Server server(io.get_executor(), so);
    server.add_service<Calc>(h);
    const auto ep = server.listen("127.0.0.1", 0);
    run(io, [&]() -> asio::awaitable<void> {
      auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
      std::string what;
      std::optional<std::int32_t> v;
      try {
        v = co_await calc.add(7, 1);
      } catch (const std::exception& e) {
        what = e.what();
      }
      CHECK_MESSAGE(v == 8, what);
      server.stop();
    });
  }
}

// ---- limits ----------------------------------------------------------------------------

TEST_CASE("rpc server: max_connections") {
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.max_connections = 2;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto c1 = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t v = co_await c1.add(1, 1);
    CHECK(v == 2);
    auto c2 = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    v = co_await c2.add(2, 2);
    CHECK(v == 4);
    CHECK(server.connection_count() == 2);

    // The third is accepted by the kernel, then closed by the server.
    tcp::socket third = co_await raw_connect(ep.port());
    const bool closed = co_await closed_by_peer(third, 3s);
    CHECK(closed);
    CHECK(server.connection_count() == 2);

    // The first two are still served.
    v = co_await c1.add(3, 3);
    CHECK(v == 6);
    v = co_await c2.add(4, 4);
    CHECK(v == 8);

    // Once one of them leaves, a new connection is served again.
    c1.close();
    const bool left = co_await eventually([&] { return server.connection_count() == 1; });
    REQUIRE(left);
    auto c3 = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    v = co_await c3.add(5, 5);
    CHECK(v == 10);
    server.stop();
  });
}

TEST_CASE("rpc server: read_timeout drops a client that sends part of a request") {
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.read_timeout = 200ms;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    // A request in two parts, 50 ms apart: within the read timeout, so it is answered.
    tcp::socket ok_client = co_await raw_connect(ep.port());
    const Bytes req = add_request(1, 20, 22);
    const Bytes head(req.begin(), req.begin() + 7), tail(req.begin() + 7, req.end());
    co_await write_all(ok_client, head);
    co_await sleep_for(50ms);
    co_await write_all(ok_client, tail);
    std::optional<Message> m = co_await read_message(ok_client);
    REQUIRE(m.has_value());
    CHECK(m->seqid == 1);
    CHECK(m->decode<Calc::add::result>().success == 42);

    // Three bytes of a frame header, then nothing: disconnected after the read timeout.
    tcp::socket slow = co_await raw_connect(ep.port());
    const Bytes three(req.begin(), req.begin() + 3);
    const auto t0 = clock::now();
    co_await write_all(slow, three);
    const bool closed = co_await closed_by_peer(slow, 3s);
    const auto took = elapsed_ms(t0);
    CHECK(closed);
    CHECK(took >= 150);
    CHECK(took < 2500);

    // The well-behaved connection is still there.
    const Bytes again = add_request(2, 1, 2);
    co_await write_all(ok_client, again);
    m = co_await read_message(ok_client);
    REQUIRE(m.has_value());
    CHECK(m->seqid == 2);
    ok_client.close();
    server.stop();
  });
}

TEST_CASE("rpc server: idle_timeout closes idle connections, not busy ones") {
  TestCalc h;
  h.add_delay = [](std::int32_t a, std::int32_t) -> clock::duration { return a == 7 ? ms(450) : ms(0); };
  asio::io_context io;
  corothrift::ServerOptions so;
  so.idle_timeout = 200ms;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    // A raw connection that never sends anything.
    tcp::socket silent = co_await raw_connect(ep.port());
    auto t0 = clock::now();
    const bool closed = co_await closed_by_peer(silent, 3s);
    auto took = elapsed_ms(t0);
    CHECK(closed);
    CHECK(took >= 150);
    CHECK(took < 2500);

    // A call that takes longer than the idle timeout: the connection is busy, not idle.
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t v = co_await calc.add(7, 1);
    CHECK(v == 8);
    // Calls more often than the idle timeout keep it open.
    for (int i = 0; i < 5; ++i) {
      co_await sleep_for(40ms);
      v = co_await calc.add(i, i);
      CHECK(v == 2 * i);
    }
    CHECK(calc.is_open());

    // Then it idles, and the server closes it.
    t0 = clock::now();
    const bool dropped = co_await eventually([&] { return !calc.is_open(); }, 3s);
    took = elapsed_ms(t0);
    CHECK(dropped);
    CHECK(took >= 150);
    CHECK(calc.close_reason().find("closed by the peer") != std::string::npos);
    auto errc = co_await rpc_errc_of(calc.add(1, 1));
    CHECK(errc == RpcErrc::connection_closed);
    server.stop();
  });
}

TEST_CASE("rpc server: a frame over max_frame_size gets PROTOCOL_ERROR, then the close") {
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.frame.max_frame_size = 1024;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    tcp::socket s = co_await raw_connect(ep.port());
    Bytes big{std::byte{0}, std::byte{0}, std::byte{0x10}, std::byte{0}};  // 4096 bytes announced
    big.resize(4 + 100, std::byte{0});
    co_await write_all(s, big);
    std::optional<Message> m = co_await read_message(s);
    REQUIRE(m.has_value());
    REQUIRE(m->header_ok);
    CHECK(m->type == MessageType::Exception);
    auto err = m->decode<corothrift::ApplicationError>();
    CHECK(err.type == ApplicationErrorType::protocol_error);
    CHECK(err.message.find("frame") != std::string::npos);
    const bool closed = co_await closed_by_peer(s, 3s);
    CHECK(closed);

    // A frame just within the limit is fine.
    tcp::socket s2 = co_await raw_connect(ep.port());
    Calc::describe::args args;
    args.s.id = 1;
    args.s.name = std::string(900, 'n');
    args.how.number = 5;
    const Bytes fits = message("describe", MessageType::Call, 9, args);
    CHECK(fits.size() <= 1024 + 4);
    co_await write_all(s2, fits);
    m = co_await read_message(s2);
    REQUIRE(m.has_value());
    CHECK(m->type == MessageType::Reply);
    auto result = m->decode<Calc::describe::result>();
    REQUIRE(result.success.has_value());
    CHECK(result.success->label == std::string(900, 'n') + "#5");
    s2.close();
    server.stop();
  });
}

TEST_CASE("rpc server: malformed requests get PROTOCOL_ERROR and the connection goes on") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    tcp::socket s = co_await raw_connect(ep.port());
    struct Case {
      const char* name;
      Bytes bytes;
      std::int32_t seqid;
    };
    std::vector<Case> cases;
    // Field 1 (a) of type i32 with only two of its four bytes.
    const Bytes truncated{std::byte{8}, std::byte{0}, std::byte{1}, std::byte{0}, std::byte{0}};
    cases.push_back({"truncated arguments", raw_message("add", MessageType::Call, 5, truncated), 5});
    // A string field claiming a negative length.
    const Bytes negative{std::byte{11}, std::byte{0}, std::byte{1}, std::byte{0xff}, std::byte{0xff},
                         std::byte{0xff}, std::byte{0xf0}, std::byte{0}};
    cases.push_back({"negative string length", raw_message("describe", MessageType::Call, 6, negative), 6});
    // Good arguments followed by bytes that belong to nothing.
    {
      corothrift::BinaryWriter w;
      REQUIRE(!corothrift::encode(w, add_args(1, 2)));
      Bytes body(w.view().begin(), w.view().end());
      body.push_back(std::byte{0x42});
      cases.push_back({"trailing bytes", raw_message("add", MessageType::Call, 7, body), 7});
    }
    // A frame whose content is not a message header at all.
    {
      Bytes garbage{std::byte{0}, std::byte{0}, std::byte{0}, std::byte{8}};
      for (char c : std::string("garbage!")) garbage.push_back(static_cast<std::byte>(c));
      cases.push_back({"not a message header", garbage, 0});
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
      CAPTURE(cases[i].name);
      co_await write_all(s, cases[i].bytes);
      std::optional<Message> m = co_await read_message(s);
      REQUIRE(m.has_value());
      REQUIRE(m->header_ok);
      CHECK(m->type == MessageType::Exception);
      CHECK(m->seqid == cases[i].seqid);
      auto err = m->decode<corothrift::ApplicationError>();
      CHECK(err.type == ApplicationErrorType::protocol_error);
      // ... and the connection still works.
      const auto seq = static_cast<std::int32_t>(100 + i);
      const Bytes good = add_request(seq, 3, 4);
      co_await write_all(s, good);
      m = co_await read_message(s);
      REQUIRE(m.has_value());
      CHECK(m->type == MessageType::Reply);
      CHECK(m->seqid == seq);
      CHECK(m->decode<Calc::add::result>().success == 7);
    }
    CHECK(h.adds == static_cast<int>(cases.size()));  // only the good calls reached the handler
    s.close();
    server.stop();
  });
}

TEST_CASE("rpc server: a client that does not read its replies is dropped past max_pending_reply_bytes") {
  // The client sends 400 requests with 16 KiB replies (6.4 MB) and reads nothing, through
  // a small receive buffer. With a 256 KiB limit the server drops it; with the default
  // (64 MiB) it keeps the replies queued and the connection open.
  for (bool limited : {true, false}) {
    CAPTURE(limited);
    TestCalc h;
    asio::io_context io;
    corothrift::ServerOptions so;
    if (limited) so.max_pending_reply_bytes = 256 * 1024;
    corothrift::Server server(io.get_executor(), so);
    server.add_service<Calc>(h);
    const auto ep = server.listen("127.0.0.1", 0);
    run(io, [&]() -> asio::awaitable<void> {
      tcp::socket s(io);
      s.open(tcp::v4());
      s.set_option(asio::socket_base::receive_buffer_size(4096));
      co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), ep.port()), asio::use_awaitable);
      Calc::describe::args args;
      args.s.id = 1;
      args.s.name = std::string(16 * 1024, 'r');
      Bytes requests;
      for (int i = 0; i < 400; ++i) {
        const Bytes one = message("describe", MessageType::Call, i, args);
        requests.insert(requests.end(), one.begin(), one.end());
      }
      std::error_code ec;  // the server may hang up before it has read everything
      co_await asio::async_write(s, asio::buffer(requests), asio::redirect_error(asio::use_awaitable, ec));
      if (limited) {
        const bool dropped = co_await eventually([&] { return server.connection_count() == 0; }, 5s);
        CHECK(dropped);
        CHECK(h.describes < 400);
      } else {
        CHECK(!ec);
        const bool all = co_await eventually([&] { return h.describes == 400; }, 5s);
        CHECK_MESSAGE(all, h.describes << " requests were handled");
        CHECK(server.connection_count() == 1);
      }
      s.close();
      server.stop();
    });
  }
}

// ---- graceful stop ---------------------------------------------------------------------

TEST_CASE("rpc server: stop() lets the calls in flight finish, then refuses connections") {
  TestCalc h;
  Event gate;
  h.add_gate = &gate;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::vector<std::int32_t> order;
    std::vector<std::optional<std::int32_t>> values(5);
    Event done;
    for (std::int32_t a = 0; a < 5; ++a) spawn_add(io, calc, a, order, values, done, 5);
    const bool all_in = co_await wait_adds(h, 5);
    REQUIRE(all_in);

    server.stop();
    server.stop();  // idempotent
    co_await asio::post(io, asio::use_awaitable);  // the acceptor's close has run
    co_await asio::post(io, asio::use_awaitable);

    // New connections are refused ...
    corothrift::ClientOptions co;
    co.connect_timeout = 2s;
    std::string what;
    const auto t0 = clock::now();
    auto errc = co_await rpc_errc_of(corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co), &what);
    CHECK_MESSAGE(errc == RpcErrc::connect_failed, what);
    CHECK(elapsed_ms(t0) < 1000);
    CHECK(order.empty());

    // ... while the five calls in flight complete with their results.
    gate.set();
    const bool all = co_await done.wait(5s);
    REQUIRE(all);
    for (std::int32_t a = 0; a < 5; ++a) CHECK(values[static_cast<std::size_t>(a)] == 1001 * a);

    // Then the server closes the connection.
    const bool closed = co_await eventually([&] { return !calc.is_open() && server.connection_count() == 0; });
    CHECK(closed);
  });
}

TEST_CASE("rpc server: stop() with idle connections and a Unix socket listener") {
  TempDir dir;
  const std::string path = (dir.path / "calc.sock").string();
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  server.listen_local(path);
  run(io, [&]() -> asio::awaitable<void> {
    auto tcp_client = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    auto unix_client = co_await corothrift::connect_local<Calc>(io.get_executor(), path);
    std::int32_t v = co_await tcp_client.add(1, 1);
    CHECK(v == 2);
    v = co_await unix_client.add(2, 2);
    CHECK(v == 4);
    server.stop();
    const bool closed = co_await eventually([&] { return !tcp_client.is_open() && !unix_client.is_open(); });
    CHECK(closed);
    auto errc = co_await rpc_errc_of(corothrift::connect_local<Calc>(io.get_executor(), path));
    CHECK(errc == RpcErrc::connect_failed);
  });
}

// ---- threads ---------------------------------------------------------------------------

namespace {

/// A handler safe to run on several threads at once (handlers of different connections
/// run concurrently).
struct ThreadSafeCalc : shapes::CalculatorHandler {
  std::atomic<int> adds{0}, describes{0}, pings{0};
  asio::awaitable<std::int32_t> add(std::int32_t a, std::int32_t b) override {
    if (a % 3 == 0) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);  // interleave
    ++adds;
    co_return a + b;
  }
  asio::awaitable<shapes::Inner> describe(shapes::Small s, shapes::Choice) override {
    ++describes;
    shapes::Inner in;
    in.x = s.id;
    in.label = s.name;
    co_return in;
  }
  asio::awaitable<void> ping(std::string) override {
    ++pings;
    co_return;
  }
};

}  // namespace

TEST_CASE("rpc server: an io_context run by two threads, 8 clients x 200 calls") {
  constexpr int clients = 8, calls_per_client = 200, workers = 4;
  ThreadSafeCalc h;
  asio::io_context server_io;
  auto guard = asio::make_work_guard(server_io);
  corothrift::Server server(server_io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  Watchdog server_watchdog({&server_io}, 20s);
  std::thread t1([&] { server_io.run(); });
  std::thread t2([&] { server_io.run(); });

  asio::io_context io;
  int correct = 0, wrong = 0, failed = 0;
  std::string first_error;
  run(io, [&]() -> asio::awaitable<void> {
    int finished_clients = 0;
    Event all_done;
    for (int c = 0; c < clients; ++c) {
      asio::co_spawn(io, [&, c]() -> asio::awaitable<void> {
        try {
          auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
          int workers_left = workers;
          Event workers_done;
          for (int w = 0; w < workers; ++w) {
            asio::co_spawn(io, [&, w]() -> asio::awaitable<void> {
              for (int i = w; i < calls_per_client; i += workers) {
                const std::int32_t a = c * 10000 + i;
                try {
                  if (i % 10 == 9) {
                    shapes::Small s;
                    s.id = a;
                    s.name = "n" + std::to_string(a);
                    shapes::Choice how;
                    shapes::Inner in = co_await calc.describe(s, how);
                    (in.x == a && in.label == s.name ? correct : wrong)++;
                  } else {
                    std::int32_t v = co_await calc.add(a, i);
                    (v == a + i ? correct : wrong)++;
                  }
                } catch (const std::exception& e) {
                  if (failed++ == 0) first_error = e.what();
                }
              }
              if (--workers_left == 0) workers_done.set();
            }, asio::detached);
          }
          co_await workers_done.wait(15s);
        } catch (const std::exception& e) {
          if (failed++ == 0) first_error = std::string("connect: ") + e.what();
        }
        if (++finished_clients == clients) all_done.set();
      }, asio::detached);
    }
    const bool all = co_await all_done.wait(15s);
    CHECK(all);
    CHECK(server.connection_count() <= static_cast<std::size_t>(clients));
  }, 20s);

  server.stop();
  guard.reset();
  t1.join();
  t2.join();
  CHECK_FALSE(server_watchdog.finish());
  CHECK_MESSAGE(failed == 0, first_error);
  CHECK(wrong == 0);
  CHECK(correct == clients * calls_per_client);
  CHECK(h.adds + h.describes == clients * calls_per_client);
  CHECK(h.describes == clients * (calls_per_client / 10));
  CHECK(server.connection_count() == 0);
}

TEST_CASE("rpc server: destroying the Server while its io_context runs is safe") {
  // The accept loop and the connections keep what they use alive: an accept that completes
  // after the Server is gone must not touch freed memory (ASan checks this build-wide).
  asio::io_context io;
  TestCalc h;
  auto server = std::make_unique<corothrift::Server>(io.get_executor());
  server->add_service<shapes::Calculator>(h);
  auto ep = server->listen("127.0.0.1", 0);
  asio::ip::tcp::socket s(io);
  s.connect(ep);
  io.run_for(std::chrono::milliseconds(0));
  server.reset();
  io.run_for(std::chrono::milliseconds(200));
  // The listener is gone: a new connection is refused.
  asio::ip::tcp::socket t(io);
  std::error_code ec;
  t.connect(ep, ec);
  CHECK(ec);
}

TEST_CASE("rpc server: an io_context destroyed with idle and busy workers leaks nothing") {
  // A connection's requests run on worker coroutines that wait, when idle, inside the
  // connection. If the io_context goes away without a stop, the connection's reader is
  // destroyed unfinished and must take the idle workers with it (LeakSanitizer, in the
  // ASan build, reports the connection and the workers otherwise); a busy worker goes with
  // its pending operation.
  TestCalc h;
  Event gate;  // never set: add(7, ...) stays in its handler
  h.add_gate = &gate;
  h.gated_a = 7;
  std::vector<std::int32_t> order;
  std::vector<std::optional<std::int32_t>> values(8);
  Event done;
  {
    asio::io_context io;
    corothrift::Server server(io.get_executor());
    server.add_service<Calc>(h);
    const auto ep = server.listen("127.0.0.1", 0);
    std::optional<CalcClient> calc;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      calc.emplace(co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port()));
      spawn_add(io, *calc, 7, order, values, done, 8);  // first, so one worker stays busy
      for (std::int32_t a = 0; a < 7; ++a) spawn_add(io, *calc, a, order, values, done, 8);
    }, asio::detached);
    Watchdog watchdog({&io}, 10s);
    for (int i = 0; i < 500 && order.size() < 7; ++i) io.run_for(10ms);
    CHECK(order.size() == 7);  // every call but add(7) answered
    CHECK(h.adds == 8);
    CHECK(server.connection_count() == 1);
    io.stop();
    calc.reset();
  }  // the Server, then the io_context, go away with the connection still open
  for (std::int32_t a = 0; a < 7; ++a) CHECK(values[static_cast<std::size_t>(a)] == 1001 * a);
  CHECK_FALSE(values[7].has_value());
}
