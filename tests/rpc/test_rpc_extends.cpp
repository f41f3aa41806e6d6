// The generated RPC code for shapes the Calculator does not have (rpcextra.thrift): a
// service that extends another, methods without arguments, void methods that throw, more
// than one declared exception, binary and container results, a oneway without arguments;
// and two services multiplexed on one server.
#include "rpc_test_util.hpp"

#include "rpcextra_rpc.hpp"

#include <map>
#include <set>

using namespace rpctest;
using corothrift::RpcErrc;

namespace {

struct BaseImpl : extra::BaseHandler {
  explicit BaseImpl(std::string prefix) : prefix(std::move(prefix)) {}
  asio::awaitable<std::string> echo(std::string text) override { co_return prefix + text; }
  asio::awaitable<std::int32_t> clash(std::int32_t a, std::int32_t b, std::int32_t c) override { co_return a * 100 + b * 10 + c; }
  asio::awaitable<void> nothing() override {
    ++nothings;
    co_return;
  }
  asio::awaitable<std::int64_t> counter() override { co_return ++count; }
  std::string prefix;
  int nothings = 0;
  std::int64_t count = 0;
};

struct StoreImpl : extra::StoreHandler {
  asio::awaitable<std::string> echo(std::string text) override { co_return "store:" + text; }
  asio::awaitable<std::int32_t> clash(std::int32_t a, std::int32_t b, std::int32_t c) override { co_return a + b + c; }
  asio::awaitable<void> nothing() override { co_return; }
  asio::awaitable<std::int64_t> counter() override { co_return static_cast<std::int64_t>(data.size()); }
  asio::awaitable<void> put(std::string key, std::string value) override {
    data[std::move(key)] = std::move(value);
    co_return;
  }
  asio::awaitable<std::string> get(std::string key) override {
    if (key.empty()) {
      extra::Invalid e;
      e.code = 22;
      throw e;
    }
    auto it = data.find(key);
    if (it == data.end()) {
      extra::NotFound e;
      e.key = key;
      throw e;
    }
    co_return it->second;
  }
  asio::awaitable<void> remove(std::string key) override {
    if (data.erase(key) == 0) {
      extra::NotFound e;
      e.key = key;
      throw e;
    }
    co_return;
  }
  asio::awaitable<std::vector<std::string>> keys() override {
    std::vector<std::string> out;
    for (auto& [k, v] : data) out.push_back(k);
    co_return out;
  }
  asio::awaitable<std::map<std::string, std::int64_t>> sizes(std::set<std::string> which) override {
    std::map<std::string, std::int64_t> out;
    for (auto& k : which) {
      auto it = data.find(k);
      out[k] = it == data.end() ? -1 : static_cast<std::int64_t>(it->second.size());
    }
    co_return out;
  }
  asio::awaitable<void> forget_all() override {
    data.clear();
    forgotten.set();
    co_return;
  }
  std::map<std::string, std::string> data;
  Event forgotten;
};

}  // namespace

TEST_CASE("rpc: a service that extends another, void methods that throw, containers") {
  StoreImpl store;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<extra::Store>(store);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto client = co_await corothrift::connect<extra::Store>(io.get_executor(), "127.0.0.1", ep.port());
    // Methods of the base service, through the derived client and server.
    std::string echoed = co_await client.echo("hi");
    CHECK(echoed == "store:hi");
    co_await client.nothing();
    std::int64_t n = co_await client.counter();
    CHECK(n == 0);
    std::int32_t clash = co_await client.clash(1, 20, 300);  // arguments named like the stub's locals
    CHECK(clash == 321);

    std::string binary("\0\1\2\xff", 4);
    co_await client.put("a", binary);
    co_await client.put("bb", "two");
    std::string got = co_await client.get("a");
    CHECK(got == binary);
    n = co_await client.counter();
    CHECK(n == 2);

    // Two declared exceptions on one method.
    std::optional<std::string> missing;
    try {
      co_await client.get("zz");
    } catch (const extra::NotFound& e) {
      missing = e.key;
    }
    CHECK(missing == "zz");
    std::optional<std::int32_t> invalid;
    std::string what;
    try {
      co_await client.get("");
    } catch (const corothrift::DeclaredException<extra::Invalid>& e) {
      invalid = e.code;
      what = e.what();
    }
    CHECK(invalid == 22);
    CHECK(what.find("Store.get") != std::string::npos);
    CHECK(what.find("Invalid") != std::string::npos);

    // A void method that throws, and one that does not.
    co_await client.remove("bb");
    std::optional<std::string> not_removed;
    try {
      co_await client.remove("bb");
    } catch (const extra::NotFound& e) {
      not_removed = e.key;
    }
    CHECK(not_removed == "bb");

    // The no-throw API for a void method with a declared exception.
    extra::Store::remove::args args;
    args.key = "nope";
    extra::Store::remove::result result;
    corothrift::CallStatus st = co_await client.try_call<extra::Store::remove>(args, result);
    CHECK(static_cast<bool>(st));
    REQUIRE(result.not_found.has_value());
    CHECK(result.not_found->key == "nope");

    co_await client.put("ccc", "333");
    std::vector<std::string> keys = co_await client.keys();
    CHECK(keys == std::vector<std::string>{"a", "ccc"});
    std::set<std::string> which{"a", "ccc", "d"};
    std::map<std::string, std::int64_t> sizes = co_await client.sizes(which);
    CHECK(sizes == std::map<std::string, std::int64_t>{{"a", 4}, {"ccc", 3}, {"d", -1}});

    // A oneway without arguments.
    co_await client.forget_all();
    const bool forgotten = co_await store.forgotten.wait(5s);
    CHECK(forgotten);
    keys = co_await client.keys();
    CHECK(keys.empty());

    // A client of the base service talks to the derived server.
    auto base_client = co_await corothrift::connect<extra::Base>(io.get_executor(), "127.0.0.1", ep.port());
    echoed = co_await base_client.echo("base");
    CHECK(echoed == "store:base");
    server.stop();
  });
}

TEST_CASE("rpc: two services multiplexed on one server") {
  BaseImpl base("base:");
  StoreImpl store;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<extra::Base>("Base", base);
  server.add_service<extra::Store>("Store", store);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    corothrift::ClientOptions base_options;
    base_options.multiplexed = "Base";
    corothrift::ClientOptions store_options;
    store_options.multiplexed = "Store";
    auto b = co_await corothrift::connect<extra::Base>(io.get_executor(), "127.0.0.1", ep.port(), base_options);
    auto s = co_await corothrift::connect<extra::Store>(io.get_executor(), "127.0.0.1", ep.port(), store_options);
    std::string e1 = co_await b.echo("x");
    std::string e2 = co_await s.echo("x");
    CHECK(e1 == "base:x");
    CHECK(e2 == "store:x");
    co_await b.nothing();
    co_await b.nothing();
    CHECK(base.nothings == 2);
    std::int64_t c1 = co_await b.counter();
    std::int64_t c2 = co_await b.counter();
    CHECK(c1 == 1);
    CHECK(c2 == 2);
    co_await s.put("k", "v");
    std::string v = co_await s.get("k");
    CHECK(v == "v");

    // A Store client multiplexed as "Base": the Base service has no method "put".
    auto wrong = co_await corothrift::connect<extra::Store>(io.get_executor(), "127.0.0.1", ep.port(), base_options);
    std::optional<corothrift::ApplicationErrorType> type;
    try {
      co_await wrong.put("k", "v");
    } catch (const corothrift::ApplicationException& e) {
      type = e.type();
    }
    CHECK(type == corothrift::ApplicationErrorType::unknown_method);
    std::string e3 = co_await wrong.echo("y");  // a method Base does have
    CHECK(e3 == "base:y");
    server.stop();
  });
}
