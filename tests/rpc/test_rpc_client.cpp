// The client under stress and against faulty peers: pipelining, reply matching by seqid,
// call timeouts, cancellation, connect failures and timeouts, scripted servers that send
// garbage / wrong seqids / wrong names / wrong types / half replies / hang up, reconnect,
// and the client's own limits.
#include "rpc_test_util.hpp"

#include <map>
#include <memory>
#include <random>
#include <set>

using namespace rpctest;
using corothrift::ApplicationErrorType;
using corothrift::ApplicationException;
using corothrift::MessageType;
using corothrift::RpcErrc;
using corothrift::RpcError;

namespace {

/// What one call of a batch ended with.
struct Outcome {
  bool finished = false;
  std::optional<std::int32_t> value;
  std::optional<RpcErrc> errc;
  std::string what;
  clock::time_point at{};
};

struct Batch {
  std::vector<Outcome> outcomes;
  int finished = 0;
  Event all_done;
  std::vector<int> completion_order;
};

/// Start `n` concurrent calls add(i, 1000 * i) on `calc` (i = 0 .. n-1) and wait for all of
/// them (at most `limit`). The state is shared: calls that outlive the wait cannot touch
/// freed memory.
asio::awaitable<std::shared_ptr<Batch>> concurrent_adds(CalcClient& calc, int n, ms limit = 5s) {
  auto batch = std::make_shared<Batch>();
  batch->outcomes.resize(static_cast<std::size_t>(n));
  auto ex = co_await asio::this_coro::executor;
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(ex, [&calc, batch, i, n]() -> asio::awaitable<void> {
      Outcome& o = batch->outcomes[static_cast<std::size_t>(i)];
      try {
        o.value = co_await calc.add(i, 1000 * i);
      } catch (const RpcError& e) {
        o.errc = e.errc();
        o.what = e.what();
      } catch (const std::exception& e) {
        o.what = e.what();
      }
      o.finished = true;
      o.at = clock::now();
      batch->completion_order.push_back(i);
      if (++batch->finished == n) batch->all_done.set();
    }, asio::detached);
  }
  const bool all = co_await batch->all_done.wait(limit);
  CHECK_MESSAGE(all, "only " << batch->finished << " of " << n << " calls finished");
  co_return batch;
}

/// Read `n` requests from a scripted server's socket (each must be a CALL of add).
asio::awaitable<std::vector<Message>> read_requests(tcp::socket& s, int n) {
  std::vector<Message> out;
  for (int i = 0; i < n; ++i) {
    std::optional<Message> m = co_await read_message(s);
    REQUIRE(m.has_value());
    REQUIRE(m->header_ok);
    CHECK(m->type == MessageType::Call);
    CHECK(m->name == "add");
    out.push_back(std::move(*m));
  }
  co_return out;
}

/// The correct reply to an add request.
Bytes correct_reply(const Message& request) {
  auto args = request.decode<Calc::add::args>();
  return message("add", MessageType::Reply, request.seqid, add_result(args.a + args.b));
}

/// Run `script(socket)` for the first connection to `peer` (then close the socket).
template <class Script>
void serve_once(asio::io_context& io, ScriptedServer& peer, Script script) {
  asio::co_spawn(io, [&peer, script]() mutable -> asio::awaitable<void> {
    tcp::socket s = co_await peer.accept();
    co_await script(s);
    std::error_code ignored;
    s.close(ignored);
  }, [](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        FAIL_CHECK("scripted server failed: " << ex.what());
      } catch (...) {
        FAIL_CHECK("scripted server failed");
      }
    }
  });
}

}  // namespace

// ---- pipelining -------------------------------------------------------------------------

TEST_CASE("rpc client: 200 pipelined calls on one connection, replies out of order") {
  constexpr int n = 200;
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::mt19937 rng(20240607);
  std::shuffle(order.begin(), order.end(), rng);
  TestCalc h;  // call i sleeps order[i] * 300 us: all different, 0 .. 60 ms
  h.add_delay = [&order](std::int32_t a, std::int32_t) {
    return std::chrono::microseconds(300 * order[static_cast<std::size_t>(a)]);
  };
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    auto batch = std::make_shared<Batch>();
    batch->outcomes.resize(n);
    for (int i = 0; i < n; ++i) {
      asio::co_spawn(io, [&calc, batch, i]() -> asio::awaitable<void> {
        Outcome& o = batch->outcomes[static_cast<std::size_t>(i)];
        try {
          o.value = co_await calc.add(i, 1000 * i);
        } catch (const std::exception& e) {
          o.what = e.what();
        }
        batch->completion_order.push_back(i);
        if (++batch->finished == 200) batch->all_done.set();
      }, asio::detached);
    }
    co_await asio::post(io, asio::use_awaitable);  // every caller has sent and waits now
    CHECK(calc.in_flight() == n);
    const bool all = co_await batch->all_done.wait(8s);
    REQUIRE(all);
    for (int i = 0; i < n; ++i) {
      const Outcome& o = batch->outcomes[static_cast<std::size_t>(i)];
      CHECK_MESSAGE(o.value == 1001 * i, "call " << i << ": " << o.what);
    }
    CHECK(h.max_active > 1);  // the server had several of them at once
    std::vector<int> issue_order(n);
    for (int i = 0; i < n; ++i) issue_order[static_cast<std::size_t>(i)] = i;
    CHECK(batch->completion_order != issue_order);  // replies came out of order
    CHECK(h.add_finished != h.add_started);
    CHECK(calc.in_flight() == 0);
    server.stop();
  });
}

TEST_CASE("rpc client: replies sent in reverse order are matched by seqid") {
  asio::io_context io;
  ScriptedServer peer(io.get_executor());
  std::set<std::int32_t> seqids;
  serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
    std::vector<Message> reqs = co_await read_requests(s, 5);
    for (auto& r : reqs) seqids.insert(r.seqid);
    Bytes all;
    for (auto it = reqs.rbegin(); it != reqs.rend(); ++it) all = all + correct_reply(*it);
    co_await write_all(s, all);
    co_await closed_by_peer(s);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port());
    auto batch = co_await concurrent_adds(calc, 5);
    for (int i = 0; i < 5; ++i) CHECK(batch->outcomes[static_cast<std::size_t>(i)].value == 1001 * i);
    CHECK(batch->completion_order == std::vector<int>{4, 3, 2, 1, 0});
    CHECK(seqids.size() == 5);
    calc.close();
    peer.close();
  });
}

// ---- timeouts and cancellation ------------------------------------------------------------

TEST_CASE("rpc client: call timeout; the connection stays usable and the late reply is dropped") {
  TestCalc h;
  Event slow_done;
  h.add_delay = [](std::int32_t a, std::int32_t) -> clock::duration { return a == 1 ? ms(300) : ms(0); };
  h.add_check = [&](std::int32_t a, std::int32_t) {
    if (a == 1) slow_done.set();
  };
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    calc.set_call_timeout(50ms);
    CHECK(calc.call_timeout() == 50ms);
    std::string what;
    const auto t0 = clock::now();
    auto errc = co_await rpc_errc_of(calc.add(1, 1), &what);
    const auto took = elapsed_ms(t0);
    CHECK(errc == RpcErrc::timeout);
    CHECK(took >= 45);
    CHECK(took < 1000);
    CHECK(what.find("add") != std::string::npos);
    CHECK(what.find("50 ms") != std::string::npos);
    CHECK(calc.is_open());
    CHECK(calc.in_flight() == 0);

    calc.set_call_timeout(5s);
    std::int32_t v = co_await calc.add(2, 2);  // answered before the slow one
    CHECK(v == 4);
    const bool slow_finished = co_await slow_done.wait(5s);
    REQUIRE(slow_finished);
    // This reply follows the late one on the wire: it arrives only if the late one was
    // dropped without harm.
    v = co_await calc.add(3, 3);
    CHECK(v == 6);
    CHECK(calc.is_open());
    server.stop();
  });
}

TEST_CASE("rpc client: 20 timeouts in a row on one slot, then all the late replies arrive") {
  TestCalc h;
  Event both_done;
  h.add_delay = [](std::int32_t a, std::int32_t) -> clock::duration { return a <= 20 ? ms(250) : ms(0); };
  h.add_check = [&](std::int32_t, std::int32_t) {
    if (std::count_if(h.add_finished.begin(), h.add_finished.end(), [](std::int32_t a) { return a <= 20; }) == 20)
      both_done.set();
  };
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.call_timeout = 40ms;  // this time through the options
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    CHECK(calc.call_timeout() == 40ms);
    for (std::int32_t i = 1; i <= 20; ++i) {
      auto e = co_await rpc_errc_of(calc.add(i, i));  // each reuses the first call's slot
      CHECK(e == RpcErrc::timeout);
    }
    calc.set_call_timeout(5s);
    const bool done = co_await both_done.wait(5s);
    REQUIRE(done);
    std::string what;
    std::optional<std::int32_t> v;
    try {
      v = co_await calc.add(30, 30);
    } catch (const std::exception& e) {
      what = e.what();
    }
    CHECK_MESSAGE(v == 60, what);
    CHECK_MESSAGE(calc.is_open(), calc.close_reason());
    server.stop();
  });
}

TEST_CASE("rpc client: call_timeout 0 waits as long as it takes") {
  TestCalc h;
  h.add_delay = [](std::int32_t, std::int32_t) -> clock::duration { return ms(120); };
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.call_timeout = 0ms;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    std::int32_t v = co_await calc.add(4, 5);
    CHECK(v == 9);
    server.stop();
  });
}

TEST_CASE("rpc client: cancellation through awaitable operators") {
  TestCalc h;
  Event gate;
  h.add_gate = &gate;
  h.gated_a = 1;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    asio::steady_timer timer(io, 50ms);
    const auto t0 = clock::now();
    auto r = co_await (calc.add(1, 2) || timer.async_wait(asio::use_awaitable));
    CHECK(r.index() == 1);  // the timer won
    CHECK(elapsed_ms(t0) < 1000);
    CHECK(calc.in_flight() == 0);  // the call is gone, not just abandoned by its caller
    CHECK(calc.is_open());

    // The other way round: the call wins, the timer is cancelled.
    asio::steady_timer long_timer(io, 5s);
    auto r2 = co_await (calc.add(5, 5) || long_timer.async_wait(asio::use_awaitable));
    REQUIRE(r2.index() == 0);
    CHECK(std::get<0>(r2) == 10);

    // The cancelled call's reply arrives late and is dropped; calls go on.
    Event late_done;
    h.add_check = [&](std::int32_t a, std::int32_t) {
      if (a == 1) late_done.set();
    };
    gate.set();
    const bool finished = co_await late_done.wait(5s);
    REQUIRE(finished);
    std::int32_t v = co_await calc.add(6, 6);
    CHECK(v == 12);
    CHECK(calc.is_open());
    server.stop();
  });
}

TEST_CASE("rpc client: cancellation through a cancellation slot") {
  TestCalc h;
  Event gate, entered;
  h.add_gate = &gate;
  h.gated_a = 1;
  h.add_entered = &entered;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    asio::cancellation_signal signal;
    Event finished;
    std::exception_ptr error;
    std::int32_t value = -1;
    asio::co_spawn(io, calc.add(1, 7),
                   asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, std::int32_t v) {
                     error = e;
                     value = v;
                     finished.set();
                   }));
    const bool arrived = co_await entered.wait(5s);  // the call waits for its reply now
    REQUIRE(arrived);
    CHECK(calc.in_flight() == 1);
    signal.emit(asio::cancellation_type::terminal);
    const bool done = co_await finished.wait(2s);
    REQUIRE(done);
    REQUIRE(error);
    std::optional<RpcErrc> errc;
    std::string what;
    try {
      std::rethrow_exception(error);
    } catch (const RpcError& e) {
      errc = e.errc();
      what = e.what();
    } catch (const std::exception& e) {
      what = e.what();
    }
    CHECK_MESSAGE(errc == RpcErrc::cancelled, what);
    CHECK(what.find("add") != std::string::npos);
    CHECK(calc.in_flight() == 0);
    CHECK(calc.is_open());

    std::int32_t v = co_await calc.add(2, 3);
    CHECK(v == 5);
    gate.set();
    server.stop();
  });
}

// ---- connecting --------------------------------------------------------------------------

TEST_CASE("rpc client: connecting to a closed port fails fast and does not block") {
  asio::io_context io;
  const std::uint16_t port = closed_port(io);
  run(io, [&]() -> asio::awaitable<void> {
    Ticker ticker(io.get_executor(), 2ms);
    co_await sleep_for(10ms);
    CHECK(ticker.ticks() > 0);

    corothrift::ClientOptions co;
    co.connect_timeout = 3s;  // refusal must not wait for the timeout
    std::string what;
    auto t0 = clock::now();
    auto errc = co_await rpc_errc_of(corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", port, co), &what);
    CHECK_MESSAGE(errc == RpcErrc::connect_failed, what);
    CHECK(elapsed_ms(t0) < 1000);
    CHECK(what.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);

    // A Unix socket path nobody listens on.
    TempDir dir;
    const std::string path = (dir.path / "nobody.sock").string();
    t0 = clock::now();
    errc = co_await rpc_errc_of(corothrift::connect_local<Calc>(io.get_executor(), path, co), &what);
    CHECK_MESSAGE(errc == RpcErrc::connect_failed, what);
    CHECK(elapsed_ms(t0) < 1000);
    co_await ticker.stop();
  });
}

TEST_CASE("rpc client: connect timeout against a server that never accepts") {
  // A listening socket with a full backlog: further SYNs are dropped, so connect() hangs.
  // Always available (unlike a black-hole address), but the backlog behaviour is Linux's.
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  acceptor.listen(0);
  const std::uint16_t port = acceptor.local_endpoint().port();
  std::vector<std::unique_ptr<tcp::socket>> fillers;
  run(io, [&]() -> asio::awaitable<void> {
    // Fill the backlog with connections nobody accepts.
    for (int i = 0; i < 8; ++i) {
      auto s = std::make_unique<tcp::socket>(io);
      s->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [](std::error_code) {});
      fillers.push_back(std::move(s));
    }
    corothrift::ClientOptions co;
    co.connect_timeout = 150ms;
    std::string what;
    const auto t0 = clock::now();
    auto errc = co_await rpc_errc_of(corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", port, co), &what);
    const auto took = elapsed_ms(t0);
    if (!errc) {
      MESSAGE("the kernel accepted the connection into a full backlog: connect timeout not exercised");
    } else {
      CHECK_MESSAGE(errc == RpcErrc::connect_timeout, what);
      CHECK(took >= 140);
      CHECK(took < 2000);
    }
    for (auto& s : fillers) s->close();  // their connects end (aborted)
    acceptor.close();
  });
}

// ---- scripted servers: faults ---------------------------------------------------------------

TEST_CASE("rpc client: garbage as a reply fails every pending call with protocol_error") {
  struct Variant {
    const char* name;
    corothrift::Transport transport;
    Bytes bytes;
  };
  std::vector<Variant> variants;
  variants.push_back({"negative frame length", corothrift::Transport::framed, Bytes(12, std::byte{0xde})});
  {
    Bytes b{std::byte{0}, std::byte{0}, std::byte{0}, std::byte{8}};
    for (char c : std::string("garbage!")) b.push_back(static_cast<std::byte>(c));
    variants.push_back({"a frame of garbage", corothrift::Transport::framed, b});
  }
  variants.push_back({"garbage, buffered", corothrift::Transport::buffered, Bytes(12, std::byte{0xde})});

  for (const auto& variant : variants) {
    CAPTURE(variant.name);
    asio::io_context io;
    ScriptedServer peer(io.get_executor());
    serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
      // Read whatever the three requests are (framed or not), then answer with garbage.
      std::byte buf[4096];
      co_await s.async_read_some(asio::buffer(buf), asio::use_awaitable);
      co_await write_all(s, variant.bytes);
      co_await closed_by_peer(s);
    });
    run(io, [&]() -> asio::awaitable<void> {
      corothrift::ClientOptions co;
      co.transport = variant.transport;
      auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port(), co);
      auto batch = co_await concurrent_adds(calc, 3);
      for (const auto& o : batch->outcomes) {
        CHECK_MESSAGE(o.errc == RpcErrc::protocol_error, o.what);
        CHECK(!o.value);
      }
      CHECK(!calc.is_open());
      CHECK(calc.close_reason().find("3 calls were in flight") != std::string::npos);
      auto after = co_await rpc_errc_of(calc.add(1, 1));
      CHECK(after == RpcErrc::connection_closed);
      peer.close();
    });
  }
}

TEST_CASE("rpc client: a reply with an unknown seqid is a protocol error") {
  for (std::int32_t delta : {1 << 20, 1 << 12, -1}) {
    CAPTURE(delta);
    asio::io_context io;
    ScriptedServer peer(io.get_executor());
    serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
      std::vector<Message> reqs = co_await read_requests(s, 2);
      const std::int32_t bad = delta == -1 ? -1 : reqs[0].seqid ^ delta;
      const Bytes reply = message("add", MessageType::Reply, bad, add_result(1));
      co_await write_all(s, reply);
      co_await closed_by_peer(s);
    });
    run(io, [&]() -> asio::awaitable<void> {
      auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port());
      auto batch = co_await concurrent_adds(calc, 2);
      for (const auto& o : batch->outcomes) {
        CHECK_MESSAGE(o.errc == RpcErrc::protocol_error, o.what);
        CHECK(o.what.find("unknown seqid") != std::string::npos);
      }
      CHECK(!calc.is_open());
      peer.close();
    });
  }
}

TEST_CASE("rpc client: a reply with the wrong method name or message type fails that call") {
  struct Variant {
    const char* name;
    std::string method;
    MessageType type;
    const char* expect;
  };
  const Variant variants[] = {
      {"wrong method name", "describe", MessageType::Reply, "wrong method name"},
      {"CALL sent back", "add", MessageType::Call, "wrong message type"},
      {"ONEWAY sent back", "add", MessageType::Oneway, "wrong message type"},
  };
  for (const auto& variant : variants) {
    CAPTURE(variant.name);
    asio::io_context io;
    ScriptedServer peer(io.get_executor());
    serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
      std::vector<Message> reqs = co_await read_requests(s, 2);
      const Bytes wrong = message(variant.method, variant.type, reqs[0].seqid, add_result(1));
      co_await write_all(s, wrong + correct_reply(reqs[1]));
      std::vector<Message> more = co_await read_requests(s, 1);  // the connection goes on
      co_await write_all(s, correct_reply(more[0]));
      co_await closed_by_peer(s);
    });
    run(io, [&]() -> asio::awaitable<void> {
      auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port());
      auto batch = co_await concurrent_adds(calc, 2);
      CHECK_MESSAGE(batch->outcomes[0].errc == RpcErrc::protocol_error, batch->outcomes[0].what);
      CHECK(batch->outcomes[0].what.find(variant.expect) != std::string::npos);
      CHECK(batch->outcomes[1].value == 1001);
      CHECK(calc.is_open());
      std::int32_t v = co_await calc.add(40, 2);
      CHECK(v == 42);
      calc.close();
      peer.close();
    });
  }
}

TEST_CASE("rpc client: a malformed reply body fails that call only") {
  asio::io_context io;
  ScriptedServer peer(io.get_executor());
  serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
    std::vector<Message> reqs = co_await read_requests(s, 1);
    // Field 0 (success), type i32, but only two of its four bytes.
    const Bytes body{std::byte{8}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{1}};
    const Bytes bad = raw_message("add", MessageType::Reply, reqs[0].seqid, body);
    co_await write_all(s, bad);
    std::vector<Message> more = co_await read_requests(s, 1);
    co_await write_all(s, correct_reply(more[0]));
    co_await closed_by_peer(s);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port());
    std::string what;
    auto errc = co_await rpc_errc_of(calc.add(1, 1), &what);
    CHECK_MESSAGE(errc == RpcErrc::protocol_error, what);
    CHECK(what.find("malformed reply") != std::string::npos);
    CHECK(calc.is_open());
    std::int32_t v = co_await calc.add(2, 2);
    CHECK(v == 4);
    calc.close();
    peer.close();
  });
}

TEST_CASE("rpc client: a TApplicationException from the peer, and a reply without a result") {
  asio::io_context io;
  ScriptedServer peer(io.get_executor());
  serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
    std::vector<Message> reqs = co_await read_requests(s, 1);
    corothrift::ApplicationError err;
    err.type = ApplicationErrorType::protocol_error;
    err.message = "scripted failure";
    const Bytes exception = message("add", MessageType::Exception, reqs[0].seqid, err);
    co_await write_all(s, exception);
    reqs = co_await read_requests(s, 1);
    const Bytes empty = message("add", MessageType::Reply, reqs[0].seqid, Calc::add::result{});
    co_await write_all(s, empty);
    co_await closed_by_peer(s);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port());
    std::optional<ApplicationException> e1, e2;
    try {
      co_await calc.add(1, 1);
    } catch (const ApplicationException& e) {
      e1 = e;
    }
    REQUIRE(e1.has_value());
    CHECK(e1->type() == ApplicationErrorType::protocol_error);
    CHECK(e1->message() == "scripted failure");
    try {
      co_await calc.add(1, 1);
    } catch (const ApplicationException& e) {
      e2 = e;
    }
    REQUIRE(e2.has_value());
    CHECK(e2->type() == ApplicationErrorType::missing_result);
    CHECK(e2->message().find("Calculator.add") != std::string::npos);
    CHECK(calc.is_open());
    calc.close();
    peer.close();
  });
}

TEST_CASE("rpc client: half a reply, then the server closes") {
  asio::io_context io;
  ScriptedServer peer(io.get_executor());
  serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
    std::vector<Message> reqs = co_await read_requests(s, 1);
    Bytes reply = correct_reply(reqs[0]);
    reply.resize(reply.size() / 2);
    co_await write_all(s, reply);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port());
    std::string what;
    auto errc = co_await rpc_errc_of(calc.add(1, 1), &what);
    CHECK_MESSAGE(errc == RpcErrc::connection_closed, what);
    CHECK(what.find("in the middle of a reply") != std::string::npos);
    CHECK(!calc.is_open());
    peer.close();
  });
}

TEST_CASE("rpc client: the server hangs up with 100 calls in flight; then reconnect") {
  for (int answered : {0, 30}) {
    CAPTURE(answered);
    TestCalc h;
    asio::io_context io;
    ScriptedServer peer(io.get_executor());
    const std::uint16_t port = peer.port();
    serve_once(io, peer, [&](tcp::socket& s) -> asio::awaitable<void> {
      std::vector<Message> reqs = co_await read_requests(s, 100);
      // Answer `answered` of them, in a scrambled order, then hang up.
      std::mt19937 rng(7);
      std::shuffle(reqs.begin(), reqs.end(), rng);
      Bytes replies;
      for (int i = 0; i < answered; ++i) replies = replies + correct_reply(reqs[static_cast<std::size_t>(i)]);
      if (!replies.empty()) co_await write_all(s, replies);
    });
    corothrift::Server server(io.get_executor());
    server.add_service<Calc>(h);
    run(io, [&]() -> asio::awaitable<void> {
      auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", port);
      auto batch = co_await concurrent_adds(calc, 100);
      int ok = 0, closed = 0;
      clock::time_point first_fail = clock::time_point::max(), last_fail{};
      for (int i = 0; i < 100; ++i) {
        const Outcome& o = batch->outcomes[static_cast<std::size_t>(i)];
        CHECK(o.finished);
        if (o.value) {
          ++ok;
          CHECK(*o.value == 1001 * i);  // its own result, nobody else's
        } else {
          CHECK_MESSAGE(o.errc == RpcErrc::connection_closed, o.what);
          ++closed;
          first_fail = std::min(first_fail, o.at);
          last_fail = std::max(last_fail, o.at);
        }
      }
      CHECK(ok == answered);
      CHECK(closed == 100 - answered);
      CHECK(std::chrono::duration_cast<ms>(last_fail - first_fail).count() < 500);  // all at once
      CHECK(!calc.is_open());
      CHECK(calc.close_reason().find(std::to_string(100 - answered) + " calls were in flight") != std::string::npos);

      // A good server on the same port now; reconnect() finds it.
      peer.close();
      server.listen("127.0.0.1", port);
      co_await calc.reconnect();
      CHECK(calc.is_open());
      std::int32_t v = co_await calc.add(20, 3);
      CHECK(v == 23);
      auto again = co_await concurrent_adds(calc, 20);
      for (int i = 0; i < 20; ++i) CHECK(again->outcomes[static_cast<std::size_t>(i)].value == 1001 * i);
      server.stop();
    });
  }
}

// ---- client limits ---------------------------------------------------------------------------

TEST_CASE("rpc client: max_in_flight") {
  TestCalc h;
  Event gate;
  h.add_gate = &gate;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.max_in_flight = 4;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    auto batch = std::make_shared<Batch>();
    batch->outcomes.resize(4);
    for (int i = 0; i < 4; ++i) {
      asio::co_spawn(io, [&calc, batch, i]() -> asio::awaitable<void> {
        batch->outcomes[static_cast<std::size_t>(i)].value = co_await calc.add(i, 1000 * i);
        if (++batch->finished == 4) batch->all_done.set();
      }, asio::detached);
    }
    co_await asio::post(io, asio::use_awaitable);
    CHECK(calc.in_flight() == 4);
    std::string what;
    const auto t0 = clock::now();
    auto errc = co_await rpc_errc_of(calc.add(99, 0), &what);
    CHECK_MESSAGE(errc == RpcErrc::too_many_calls, what);
    CHECK(elapsed_ms(t0) < 100);  // at once, not after waiting for a slot
    CHECK(calc.is_open());
    auto errc2 = co_await rpc_errc_of(calc.ping("no room"));
    CHECK(errc2 == RpcErrc::too_many_calls);

    gate.set();
    const bool all = co_await batch->all_done.wait(5s);
    REQUIRE(all);
    for (int i = 0; i < 4; ++i) CHECK(batch->outcomes[static_cast<std::size_t>(i)].value == 1001 * i);
    std::int32_t v = co_await calc.add(5, 5);  // the slots are free again
    CHECK(v == 10);
    auto again = co_await concurrent_adds(calc, 4);
    for (int i = 0; i < 4; ++i) CHECK(again->outcomes[static_cast<std::size_t>(i)].value == 1001 * i);
    CHECK(std::find(h.add_started.begin(), h.add_started.end(), 99) == h.add_started.end());
    server.stop();
  });
}

TEST_CASE("rpc client: a server that stops reading: max_pending_request_bytes bounds the queue") {
  asio::io_context io;
  ScriptedServer peer(io.get_executor());
  Event test_over;
  serve_once(io, peer, [&](tcp::socket&) -> asio::awaitable<void> {
    co_await test_over.wait(8s);  // accepts, never reads
  });
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.max_pending_request_bytes = 1024 * 1024;
    co.call_timeout = 0ms;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", peer.port(), co);
    const std::string note(256 * 1024, 'n');
    auto refused = std::make_shared<std::optional<RpcErrc>>();
    auto what = std::make_shared<std::string>();
    int sent = 0;
    // Oneway pings of 256 KiB, each done once written: the kernel's socket buffers fill
    // first, then the bytes stay in our queue until the next ping would pass 1 MiB.
    for (; sent < 400 && !*refused; ++sent) {
      asio::co_spawn(io, [&calc, &note, refused, what]() -> asio::awaitable<void> {
        std::string why;
        auto r = co_await rpc_errc_of(calc.ping(note), &why);
        if (r && !*refused) {
          *refused = r;
          *what = why;
        }
      }, asio::detached);
      for (int i = 0; i < 4; ++i) co_await asio::post(io, asio::use_awaitable);
    }
    CHECK_MESSAGE(*refused == RpcErrc::send_queue_full, *what);
    CHECK(what->find("1048576 request bytes") != std::string::npos);
    CHECK(sent < 400);
    CHECK(calc.is_open());  // the connection itself goes on
    CHECK(calc.in_flight() >= 1);  // the pings still queued
    calc.close();
    test_over.set();
  });
}

TEST_CASE("rpc client: closing or destroying the client fails the calls in flight") {
  for (bool destroy : {false, true}) {
    CAPTURE(destroy);
    TestCalc h;
    Event gate;
    h.add_gate = &gate;
    asio::io_context io;
    corothrift::Server server(io.get_executor());
    server.add_service<Calc>(h);
    const auto ep = server.listen("127.0.0.1", 0);
    run(io, [&]() -> asio::awaitable<void> {
      std::optional<CalcClient> calc;
      calc.emplace(co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port()));
      auto batch = std::make_shared<Batch>();
      batch->outcomes.resize(3);
      for (int i = 0; i < 3; ++i) {
        asio::co_spawn(io, [&calc, batch, i]() -> asio::awaitable<void> {
          Outcome& o = batch->outcomes[static_cast<std::size_t>(i)];
          try {
            o.value = co_await calc->add(i, i);
          } catch (const RpcError& e) {
            o.errc = e.errc();
            o.what = e.what();
          }
          if (++batch->finished == 3) batch->all_done.set();
        }, asio::detached);
      }
      const bool all_in = co_await wait_adds(h, 3);  // the server has all three
      REQUIRE(all_in);
      if (destroy) calc.reset();
      else calc->close();
      const bool all = co_await batch->all_done.wait(2s);
      REQUIRE(all);
      for (const auto& o : batch->outcomes) {
        CHECK_MESSAGE(o.errc == RpcErrc::connection_closed, o.what);
        CHECK(o.what.find("closed by the client") != std::string::npos);
      }
      if (!destroy) {
        CHECK(calc->close_reason().find("3 calls were in flight") != std::string::npos);
        CHECK(!calc->is_open());
      }
      gate.set();  // the handlers finish; their replies go nowhere
      server.stop();
    });
  }
}
