// Calls end to end through our Server and Client: every transport (TCP framed and
// buffered, Unix domain socket, multiplexed), declared exceptions (throwing and no-throw
// API), exceptions thrown by handlers, unknown methods and oneway calls.
#include "rpc_test_util.hpp"

using namespace rpctest;
using corothrift::ApplicationErrorType;
using corothrift::ApplicationException;
using corothrift::MessageType;
using corothrift::RpcErrc;
using corothrift::RpcError;

namespace {

/// add, describe and ping through `calc` (served by `h`), then one more call.
asio::awaitable<void> exercise(CalcClient& calc, TestCalc& h) {
  std::int32_t sum = co_await calc.add(2, 3);
  CHECK(sum == 5);
  std::int32_t neg = co_await calc.add(-40, 2);
  CHECK(neg == -38);

  shapes::Small s;
  s.id = 21;
  s.name = "twenty-one";
  shapes::Choice how;
  how.text = "text";
  shapes::Inner in = co_await calc.describe(s, how);
  CHECK(in.x == 42);
  CHECK(in.label == "twenty-one:text");

  co_await calc.ping("hello");
  const bool pinged = co_await h.ping_done.wait(5s);
  CHECK(pinged);
  CHECK(h.pings == std::vector<std::string>{"hello"});

  std::int32_t again = co_await calc.add(100, 1);
  CHECK(again == 101);
  CHECK(calc.is_open());
  CHECK(calc.in_flight() == 0);
}

}  // namespace

TEST_CASE("rpc: add, describe and ping over TCP, framed") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  CHECK(ep.port() != 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    co_await exercise(calc, h);
    server.stop();
  });
}

TEST_CASE("rpc: add, describe and ping over TCP, buffered (unframed)") {
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.transport = corothrift::Transport::buffered;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.transport = corothrift::Transport::buffered;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    co_await exercise(calc, h);
    server.stop();
  });
}

TEST_CASE("rpc: add, describe and ping over a Unix domain socket") {
  TempDir dir;
  const std::string path = (dir.path / "calc.sock").string();
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  server.listen_local(path);
  CHECK(std::filesystem::exists(path));
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect_local<Calc>(io.get_executor(), path);
    CHECK(calc.endpoint().local_path == path);
    co_await exercise(calc, h);
    server.stop();
  });
}

TEST_CASE("rpc: every combination of transport, header form and multiplexing") {
  for (auto transport : {corothrift::Transport::framed, corothrift::Transport::buffered}) {
    for (bool strict : {true, false}) {
      for (bool mux : {false, true}) {
        CAPTURE(corothrift::to_string(transport));
        CAPTURE(strict);
        CAPTURE(mux);
        TestCalc h;
        asio::io_context io;
        corothrift::ServerOptions so;
        so.transport = transport;
        so.writer.strict_write = strict;
        corothrift::Server server(io.get_executor(), so);
        if (mux) server.add_service<Calc>("Calc", h);
        else server.add_service<Calc>(h);
        const auto ep = server.listen("127.0.0.1", 0);
        run(io, [&]() -> asio::awaitable<void> {
          corothrift::ClientOptions co;
          co.transport = transport;
          co.writer.strict_write = strict;
          if (mux) co.multiplexed = "Calc";
          auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
          co_await exercise(calc, h);
          server.stop();
        });
      }
    }
  }
}

TEST_CASE("rpc: a strict_read server refuses headers without a version word") {
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.reader.strict_read = true;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.writer.strict_write = false;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    std::string what;
    auto errc = co_await rpc_errc_of(calc.add(1, 2), &what);
    // The server answers with a PROTOCOL_ERROR it cannot address to the call (seqid 0).
    CHECK_MESSAGE(errc == RpcErrc::protocol_error, what);
    CHECK(h.adds == 0);
    server.stop();
  });
}

TEST_CASE("rpc: multiplexed protocol") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>("Calc", h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.multiplexed = "Calc";
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    co_await exercise(calc, h);

    // A plain client: the server has no default service, so "add" is an unknown method.
    auto plain = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    for (int round = 0; round < 2; ++round) {
      std::optional<ApplicationException> got;
      try {
        co_await plain.add(1, 2);
      } catch (const ApplicationException& e) {
        got = e;
      }
      REQUIRE(got.has_value());
      CHECK(got->type() == ApplicationErrorType::unknown_method);
      CHECK(got->message().find("add") != std::string::npos);
      CHECK(std::string(got->what()).find("UNKNOWN_METHOD") != std::string::npos);
      CHECK(plain.is_open());  // an application exception does not end the connection
    }

    // A client multiplexed under a name the server does not have.
    corothrift::ClientOptions other_options;
    other_options.multiplexed = "Other";
    auto other = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), other_options);
    std::optional<ApplicationErrorType> other_type;
    try {
      co_await other.add(1, 2);
    } catch (const ApplicationException& e) {
      other_type = e.type();
    }
    CHECK(other_type == ApplicationErrorType::unknown_method);

    // The multiplexed client still works.
    std::int32_t v = co_await calc.add(7, 8);
    CHECK(v == 15);
    server.stop();
  });
}

TEST_CASE("rpc: one server with a default and a multiplexed service") {
  TestCalc plain_handler, mux_handler;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(plain_handler);
  server.add_service<Calc>("Calc", mux_handler);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.multiplexed = "Calc";
    auto mux = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    auto plain = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t a = co_await mux.add(1, 1);
    std::int32_t b = co_await plain.add(2, 2);
    std::int32_t c = co_await mux.add(3, 3);
    CHECK(a == 2);
    CHECK(b == 4);
    CHECK(c == 6);
    CHECK(mux_handler.add_started == std::vector<std::int32_t>{1, 3});
    CHECK(plain_handler.add_started == std::vector<std::int32_t>{2});
    server.stop();
  });
}

TEST_CASE("rpc: declared exception") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    shapes::Small bad;
    bad.id = -5;
    bad.name = "bad";
    shapes::Choice how;
    how.number = 1;

    // Caught as the IDL type.
    bool caught_as_oops = false;
    try {
      co_await calc.describe(bad, how);
    } catch (const shapes::Oops& e) {
      caught_as_oops = true;
      CHECK(e.code == -5);
      CHECK(e.message == "negative id -5");
    }
    CHECK(caught_as_oops);

    // Caught as std::exception: what() names the method and the exception type.
    std::string what;
    try {
      co_await calc.describe(bad, how);
    } catch (const std::exception& e) {
      what = e.what();
    }
    CHECK(what.find("Calculator.describe") != std::string::npos);
    CHECK(what.find("Oops") != std::string::npos);

    // Caught as DeclaredException<Oops>.
    std::optional<shapes::Oops> value;
    try {
      co_await calc.describe(bad, how);
    } catch (const corothrift::DeclaredException<shapes::Oops>& e) {
      value = e.value();
    }
    REQUIRE(value.has_value());
    CHECK(value->code == -5);

    // The no-throw API: ok status, the exception in its result field.
    Calc::describe::args args;
    args.s = bad;
    args.how = how;
    Calc::describe::result result;
    corothrift::CallStatus st = co_await calc.try_call<Calc::describe>(args, result);
    CHECK(static_cast<bool>(st));
    CHECK(!st.code);
    CHECK(!st.application);
    REQUIRE(result.oops.has_value());
    CHECK(result.oops->code == -5);
    CHECK(result.oops->message == "negative id -5");
    CHECK(!result.success);

    // ... and a success through the no-throw API.
    Calc::describe::args good_args;
    good_args.s.id = 3;
    good_args.s.name = "three";
    good_args.how.text = "t";
    Calc::describe::result good;
    corothrift::CallStatus st2 = co_await calc.try_call<Calc::describe>(good_args, good);
    CHECK(static_cast<bool>(st2));
    REQUIRE(good.success.has_value());
    CHECK(good.success->x == 6);
    CHECK(good.success->label == "three:t");
    CHECK(!good.oops);

    // The generic throwing call() does not throw for a declared exception either.
    Calc::describe::result via_call;
    co_await calc.call<Calc::describe>(args, via_call);
    CHECK(via_call.oops.has_value());

    CHECK(calc.is_open());
    server.stop();
  });
}

TEST_CASE("rpc: a handler that throws") {
  TestCalc h;
  h.add_check = [](std::int32_t a, std::int32_t) {
    if (a == 13) throw std::runtime_error("unlucky thirteen");
    if (a == 14) throw ApplicationException(ApplicationErrorType::invalid_transform, "custom failure 14");
    if (a == 15) throw 15;  // not even a std::exception
  };
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());

    // std::runtime_error -> TApplicationException INTERNAL_ERROR with the what().
    std::optional<ApplicationException> e13;
    try {
      co_await calc.add(13, 0);
    } catch (const ApplicationException& e) {
      e13 = e;
    }
    REQUIRE(e13.has_value());
    CHECK(e13->type() == ApplicationErrorType::internal_error);
    CHECK(e13->message().find("unlucky thirteen") != std::string::npos);
    CHECK(std::string(e13->what()).find("INTERNAL_ERROR") != std::string::npos);

    // The server keeps serving, on the same connection.
    std::int32_t ok = co_await calc.add(1, 1);
    CHECK(ok == 2);

    // An ApplicationException thrown by the handler passes through as it is.
    std::optional<ApplicationException> e14;
    try {
      co_await calc.add(14, 0);
    } catch (const ApplicationException& e) {
      e14 = e;
    }
    REQUIRE(e14.has_value());
    CHECK(e14->type() == ApplicationErrorType::invalid_transform);
    CHECK(e14->message() == "custom failure 14");

    // Something that is not a std::exception: still INTERNAL_ERROR.
    std::optional<ApplicationException> e15;
    try {
      co_await calc.add(15, 0);
    } catch (const ApplicationException& e) {
      e15 = e;
    }
    REQUIRE(e15.has_value());
    CHECK(e15->type() == ApplicationErrorType::internal_error);

    // The no-throw API reports it in the status.
    Calc::add::result result;
    const Calc::add::args args13 = add_args(13, 1);
    corothrift::CallStatus st = co_await calc.try_call<Calc::add>(args13, result);
    CHECK(!st);
    CHECK(!st.code);
    REQUIRE(st.application.has_value());
    CHECK(st.application->type == ApplicationErrorType::internal_error);
    CHECK(!result.success);
    CHECK_THROWS_AS(st.raise(), ApplicationException);

    std::int32_t still = co_await calc.add(20, 22);
    CHECK(still == 42);
    CHECK(calc.is_open());
    server.stop();
  });
}

TEST_CASE("rpc: unknown method and wrong message type, from a raw client") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    tcp::socket sock = co_await raw_connect(ep.port());

    const Bytes subtract = message("subtract", MessageType::Call, 77, add_args(5, 3));
    co_await write_all(sock, subtract);
    std::optional<Message> m = co_await read_message(sock);
    REQUIRE(m.has_value());
    REQUIRE(m->header_ok);
    CHECK(m->type == MessageType::Exception);
    CHECK(m->seqid == 77);
    CHECK(m->name == "subtract");
    auto err = m->decode<corothrift::ApplicationError>();
    CHECK(err.type == ApplicationErrorType::unknown_method);
    CHECK(err.message.find("subtract") != std::string::npos);

    // An unknown oneway gets no answer; the call after it does.
    const Bytes unknown_oneway = message("nothing", MessageType::Oneway, 78, add_args(0, 0));
    const Bytes add = message("add", MessageType::Call, 79, add_args(20, 22));
    co_await write_all(sock, unknown_oneway + add);
    m = co_await read_message(sock);
    REQUIRE(m.has_value());
    CHECK(m->type == MessageType::Reply);
    CHECK(m->seqid == 79);
    CHECK(m->name == "add");
    CHECK(m->decode<Calc::add::result>().success == 42);

    // A REPLY sent to the server: INVALID_MESSAGE_TYPE, and the connection goes on.
    const Bytes reply = message("add", MessageType::Reply, 80, add_result(1));
    co_await write_all(sock, reply);
    m = co_await read_message(sock);
    REQUIRE(m.has_value());
    CHECK(m->type == MessageType::Exception);
    CHECK(m->seqid == 80);
    CHECK(m->decode<corothrift::ApplicationError>().type == ApplicationErrorType::invalid_message_type);

    // A multiplexed name on a server without multiplexed services.
    const Bytes mux = message("Calc:add", MessageType::Call, 81, add_args(1, 1));
    co_await write_all(sock, mux);
    m = co_await read_message(sock);
    REQUIRE(m.has_value());
    CHECK(m->type == MessageType::Exception);
    CHECK(m->seqid == 81);
    CHECK(m->decode<corothrift::ApplicationError>().type == ApplicationErrorType::unknown_method);

    const Bytes add2 = message("add", MessageType::Call, 82, add_args(1, 2));
    co_await write_all(sock, add2);
    m = co_await read_message(sock);
    REQUIRE(m.has_value());
    CHECK(m->seqid == 82);
    CHECK(m->decode<Calc::add::result>().success == 3);

    sock.close();
    server.stop();
  });
}

TEST_CASE("rpc: oneway completes once written, the handler runs, calls go on") {
  TestCalc h;
  Event gate;
  h.ping_gate = &gate;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    // The handler blocks on the gate: the oneway call completes without it.
    co_await calc.ping("slow one");
    CHECK(h.pings.empty());
    CHECK(calc.in_flight() == 0);

    // A two-way call on the same connection works while the oneway handler is blocked.
    std::int32_t v = co_await calc.add(2, 2);
    CHECK(v == 4);
    CHECK(h.pings.empty());

    gate.set();
    const bool ran = co_await h.ping_done.wait(5s);
    CHECK(ran);
    CHECK(h.pings == std::vector<std::string>{"slow one"});

    v = co_await calc.add(3, 3);
    CHECK(v == 6);
    server.stop();
  });
}

TEST_CASE("rpc: a burst of oneway calls all arrive") {
  TestCalc h;
  h.pings_wanted = 51;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    int completed = 0;
    Event all_sent;
    for (int i = 0; i < 50; ++i) {
      asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
        co_await calc.ping("note " + std::to_string(i));
        if (++completed == 50) all_sent.set();
      }, asio::detached);
    }
    const bool sent = co_await all_sent.wait(5s);
    CHECK(sent);
    co_await calc.ping("last");
    const bool arrived = co_await h.pings_reached.wait(5s);
    REQUIRE(arrived);
    std::vector<std::string> got = h.pings;
    std::sort(got.begin(), got.end());
    std::vector<std::string> want{"last"};
    for (int i = 0; i < 50; ++i) want.push_back("note " + std::to_string(i));
    std::sort(want.begin(), want.end());
    CHECK(got == want);
    std::int32_t v = co_await calc.add(1, 2);
    CHECK(v == 3);
    server.stop();
  });
}

TEST_CASE("rpc: a call on a closed client fails at once with connection_closed") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    calc.close();
    CHECK(!calc.is_open());
    CHECK(calc.close_reason().find("closed by the client") != std::string::npos);
    std::string what;
    auto errc = co_await rpc_errc_of(calc.add(1, 2), &what);
    CHECK(errc == RpcErrc::connection_closed);
    CHECK(what.find("add") != std::string::npos);
    errc = co_await rpc_errc_of(calc.ping("x"));
    CHECK(errc == RpcErrc::connection_closed);
    CHECK(h.adds == 0);
    server.stop();
  });
}

TEST_CASE("rpc client: a request the client cannot encode fails with encode_failed") {
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions co;
    co.frame.max_frame_size = 512;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port(), co);
    shapes::Small s;
    s.name = std::string(1000, 'x');  // over the client's own frame limit
    shapes::Choice how;
    std::string what;
    auto errc = co_await rpc_errc_of(calc.describe(s, how), &what);
    CHECK_MESSAGE(errc == RpcErrc::encode_failed, what);
    s.name = "ok";
    how.number = 1;
    how.text = "two fields of a union";
    errc = co_await rpc_errc_of(calc.describe(s, how), &what);
    CHECK_MESSAGE(errc == RpcErrc::encode_failed, what);
    CHECK(calc.is_open());
    CHECK(calc.in_flight() == 0);
    std::int32_t v = co_await calc.add(1, 2);  // nothing half-written went out
    CHECK(v == 3);
    // A oneway that cannot be encoded must not upset later oneways (they complete when
    // written, not at the call timeout).
    calc.set_call_timeout(std::chrono::milliseconds(3000));
    errc = co_await rpc_errc_of(calc.ping(std::string(1000, 'y')), &what);
    CHECK_MESSAGE(errc == RpcErrc::encode_failed, what);
    for (int i = 0; i < 3; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      co_await calc.ping("small");
      CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1500));
    }
    server.stop();
  });
}
