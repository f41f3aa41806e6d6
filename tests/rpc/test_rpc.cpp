// The coroutine client and server end to end, in one process.
#include <doctest/doctest.h>

#include "rpcshapes_rpc.hpp"

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using corothrift::Client;

namespace {

struct CalcHandler : shapes::CalculatorHandler {
  asio::awaitable<std::int32_t> add(std::int32_t a, std::int32_t b) override { co_return a + b; }
  asio::awaitable<shapes::Inner> describe(shapes::Small s, shapes::Choice) override {
    if (s.id < 0) throw shapes::Oops{s.id, "negative id"};
    shapes::Inner in;
    in.x = s.id;
    in.label = s.name;
    co_return in;
  }
  asio::awaitable<void> ping(std::string note) override {
    pings.push_back(std::move(note));
    co_return;
  }
  std::vector<std::string> pings;
};

}  // namespace

TEST_CASE("add over framed TCP") {
  asio::io_context io;
  CalcHandler handler;
  corothrift::Server server(io.get_executor());
  server.add_service<shapes::Calculator>(handler);
  auto ep = server.listen("127.0.0.1", 0);
  std::int32_t sum = 0;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<shapes::Calculator>(io.get_executor(), "127.0.0.1", ep.port());
    sum = co_await calc.add(1, 2);
    server.stop();
  }, asio::detached);
  io.run();
  CHECK(sum == 3);
}
