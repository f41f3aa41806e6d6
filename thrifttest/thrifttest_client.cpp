// thrifttest_client: corothrift's client for Apache Thrift's cross-language test service
// ThriftTest. Calls every method with checked values against any ThriftTest server (ours,
// Apache's C++ or Python, ...). Same flags as the cross-test clients of Apache Thrift's
// other languages. Exit status: 0 when every check passed, else a bit mask like the other
// cross-test clients (1 base types, 2 structs, 4 containers, 8 exceptions, 64 other).
#include "flags.hpp"
#include "thrifttest_handler.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <sstream>

namespace {

using namespace thrift::test;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage = R"(usage: thrifttest_client [flags]

  --host H                 server host (default localhost)
  --port N                 server port (default 9090)
  --domain-socket PATH     connect to a Unix domain socket instead of TCP
  --transport T            buffered (default) or framed
  --protocol P             binary (default), or multi / multiplexed (the multiplexed
                           protocol with service names "ThriftTest" and "SecondService")
  --multiplexed            the same as --protocol multi
  --testloops N, -n N      run the whole test N times (default 1)
  --timeout MS             per-call timeout (default 10000)
  -h, --help               this help
)";

enum Category : int { kBase = 1, kStructs = 2, kContainers = 4, kExceptions = 8, kOther = 64 };

/// Records failed checks by category.
struct Report {
  int mask = 0;
  int checks = 0;
  int failures = 0;
  bool check(bool ok, Category c, const std::string& what) {
    ++checks;
    if (!ok) {
      ++failures;
      mask |= c;
      std::cout << "FAIL " << what << "\n";
    }
    return ok;
  }
};

template <class T>
std::string show(const T& v) {
  std::ostringstream s;
  if constexpr (std::is_same_v<T, std::int8_t>) s << int(v);
  else s << v;
  return s.str();
}

using TestClient = corothrift::Client<ThriftTest>;

/// Call `method` and compare with `expected`; an exception is a failure of category `c`.
template <class T, class Call>
asio::awaitable<void> expect_equal(Report& r, Category c, const std::string& name, Call call, const T& expected) {
  std::string error;
  try {
    T got = co_await call();
    bool ok = got == expected;
    if constexpr (requires(std::ostream& o) { o << got; }) {
      r.check(ok, c, name + ": got " + show(got) + ", expected " + show(expected));
    } else {
      r.check(ok, c, name + ": wrong value");
    }
    co_return;
  } catch (const std::exception& e) {
    error = e.what();
  }
  r.check(false, c, name + ": threw " + error);
}

asio::awaitable<void> run_once(TestClient& c, Report& r, bool multiplexed, const corothrift::ClientOptions& options,
                               const corothrift::Endpoint& where) {
  // ---- base types -----------------------------------------------------------------------
  {
    std::string error;
    try {
      co_await c.testVoid();
    } catch (const std::exception& e) {
      error = e.what();
    }
    r.check(error.empty(), kBase, "testVoid: " + error);
  }
  for (std::string s : {std::string("Test"), std::string(""), std::string("utf-8: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
                        std::string("nul\0inside", 10), std::string(5000, 'x')})
    co_await expect_equal(r, kBase, "testString(" + std::to_string(s.size()) + " bytes)", [&] { return c.testString(s); }, s);
  for (bool b : {true, false}) co_await expect_equal(r, kBase, "testBool", [&] { return c.testBool(b); }, b);
  for (std::int8_t v : {std::int8_t(1), std::int8_t(0), std::int8_t(-1), std::int8_t(127), std::int8_t(-128)})
    co_await expect_equal(r, kBase, "testByte", [&] { return c.testByte(v); }, v);
  for (std::int32_t v : {-1, 0, 190000013, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()})
    co_await expect_equal(r, kBase, "testI32", [&] { return c.testI32(v); }, v);
  for (std::int64_t v : {std::int64_t(0), std::int64_t(-34359738368), std::int64_t(1) << 62,
                         std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()})
    co_await expect_equal(r, kBase, "testI64", [&] { return c.testI64(v); }, v);
  for (double v : {0.0, -5.2098523, -0.000341012439638598279, 1e300, -std::numeric_limits<double>::denorm_min()})
    co_await expect_equal(r, kBase, "testDouble", [&] { return c.testDouble(v); }, v);
  {
    std::string bin;
    for (int i = 0; i < 256; ++i) bin.push_back(static_cast<char>(i));
    co_await expect_equal(r, kBase, "testBinary(256 bytes)", [&] { return c.testBinary(bin); }, bin);
    std::string big(100 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + 3);
    co_await expect_equal(r, kBase, "testBinary(100 KiB)", [&] { return c.testBinary(big); }, big);
  }
  {
    corothrift::Uuid u;
    for (int i = 0; i < 16; ++i) u.bytes[static_cast<std::size_t>(i)] = static_cast<std::byte>(0x10 * (i % 16) + i);
    std::string error;
    bool skipped = false;
    try {
      corothrift::Uuid got = co_await c.testUuid(u);
      r.check(got == u, kBase, "testUuid: wrong value");
    } catch (const corothrift::ApplicationException& e) {
      // Servers of Apache Thrift before 0.19 have no testUuid.
      if (e.type() == corothrift::ApplicationErrorType::unknown_method) skipped = true;
      else error = e.what();
    } catch (const corothrift::RpcError& e) {
      // Apache's C++ server 0.17 cannot even skip a uuid argument: it drops the connection.
      if (e.errc() == corothrift::RpcErrc::connection_closed) skipped = true;
      else error = e.what();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (skipped) std::cout << "skip testUuid: the server does not know uuid (UNKNOWN_METHOD or connection dropped)\n";
    else if (!error.empty()) r.check(false, kBase, "testUuid: threw " + error);
    if (!c.is_open()) co_await c.reconnect();
  }

  if (!c.is_open()) co_await c.reconnect();  // keep going after a lost connection

  // ---- structs ----------------------------------------------------------------------------
  Xtruct x;
  x.string_thing = "Zero";
  x.byte_thing = 1;
  x.i32_thing = -3;
  x.i64_thing = -5;
  co_await expect_equal(r, kStructs, "testStruct", [&] { return c.testStruct(x); }, x);
  Xtruct2 nest;
  nest.byte_thing = 1;
  nest.struct_thing = x;
  nest.i32_thing = 5;
  co_await expect_equal(r, kStructs, "testNest", [&] { return c.testNest(nest); }, nest);

  if (!c.is_open()) co_await c.reconnect();

  // ---- containers -------------------------------------------------------------------------
  std::map<std::int32_t, std::int32_t> m;
  for (std::int32_t i = 0; i < 5; ++i) m[i] = i - 10;
  co_await expect_equal(r, kContainers, "testMap", [&] { return c.testMap(m); }, m);
  std::map<std::string, std::string> sm{{"a", "2"}, {"b", "blah"}, {"some", "thing"}, {"", "empty key"}};
  co_await expect_equal(r, kContainers, "testStringMap", [&] { return c.testStringMap(sm); }, sm);
  std::set<std::int32_t> set{-2, -1, 0, 1, 2, 1000};
  co_await expect_equal(r, kContainers, "testSet", [&] { return c.testSet(set); }, set);
  std::vector<std::int32_t> list{-2, -1, 0, 1, 2, 1000};
  co_await expect_equal(r, kContainers, "testList", [&] { return c.testList(list); }, list);
  std::vector<std::int32_t> empty_list;
  co_await expect_equal(r, kContainers, "testList(empty)", [&] { return c.testList(empty_list); }, empty_list);
  for (Numberz n : {Numberz::ONE, Numberz::TWO, Numberz::FIVE, Numberz::EIGHT}) {
    std::string error;
    try {
      Numberz got = co_await c.testEnum(n);
      r.check(got == n, kContainers, std::string("testEnum(").append(to_string(n)).append(")"));
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) r.check(false, kContainers, "testEnum: threw " + error);
  }
  co_await expect_equal(r, kContainers, "testTypedef", [&] { return c.testTypedef(309858235082523LL); },
                        UserId{309858235082523LL});
  co_await expect_equal(r, kContainers, "testMapMap", [&] { return c.testMapMap(1); },
                        thrifttest::ThriftTestService::expected_map_map());
  Insanity insane;
  insane.userMap[Numberz::FIVE] = 5;
  insane.userMap[Numberz::EIGHT] = 8;
  Xtruct truck;
  truck.string_thing = "Goodbye4";
  truck.byte_thing = 4;
  truck.i32_thing = 4;
  truck.i64_thing = 4;
  insane.xtructs.push_back(truck);
  truck.string_thing = "Hello2";
  truck.byte_thing = 2;
  insane.xtructs.push_back(truck);
  co_await expect_equal(r, kContainers, "testInsanity", [&] { return c.testInsanity(insane); },
                        thrifttest::ThriftTestService::expected_insanity(insane));
  {
    std::map<std::int16_t, std::string> extra{{1, "first"}, {-2, "second"}};
    Xtruct want;
    want.string_thing = "Hello2";
    want.byte_thing = 9;
    want.i32_thing = 11;
    want.i64_thing = 12;
    co_await expect_equal(r, kStructs, "testMulti", [&] { return c.testMulti(9, 11, 12, extra, Numberz::FIVE, 13); }, want);
  }

  if (!c.is_open()) co_await c.reconnect();

  // ---- exceptions -------------------------------------------------------------------------
  {
    std::string what = "no exception";
    try {
      co_await c.testException("Xception");
    } catch (const Xception& e) {
      what = e.errorCode == 1001 && e.message == "Xception" ? "" : "Xception with wrong fields";
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kExceptions, "testException(Xception): " + what);
  }
  {
    std::string what = "no exception";
    try {
      co_await c.testException("TException");
    } catch (const corothrift::ApplicationException&) {
      what.clear();
    } catch (const corothrift::RpcError& e) {  // some servers drop the connection instead
      what = e.code() == corothrift::RpcErrc::connection_closed ? "" : e.what();
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kExceptions, "testException(TException): " + what);
    if (!c.is_open()) co_await c.reconnect();
  }
  {
    std::string what;
    try {
      co_await c.testException("success");
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kExceptions, "testException(success): " + what);
  }
  {
    std::string what = "no exception";
    try {
      co_await c.testMultiException("Xception", "test 1");
    } catch (const Xception& e) {
      what = e.errorCode == 1001 && e.message == "This is an Xception" ? "" : "Xception with wrong fields";
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kExceptions, "testMultiException(Xception): " + what);
  }
  {
    std::string what = "no exception";
    try {
      co_await c.testMultiException("Xception2", "test 2");
    } catch (const Xception2& e) {
      what = e.errorCode == 2002 && e.struct_thing.string_thing == "This is an Xception2" ? "" : "Xception2 with wrong fields";
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kExceptions, "testMultiException(Xception2): " + what);
  }
  {
    Xtruct want;
    want.string_thing = "test 3";
    co_await expect_equal(r, kExceptions, "testMultiException(success)",
                          [&] { return c.testMultiException("success", "test 3"); }, want);
  }

  if (!c.is_open()) co_await c.reconnect();

  // ---- oneway, then pipelining --------------------------------------------------------------
  {
    auto t0 = Clock::now();
    std::string what;
    try {
      co_await c.testOneway(1);
    } catch (const std::exception& e) {
      what = e.what();
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    r.check(what.empty() && ms < 500, kOther, "testOneway(1) returned after " + std::to_string(ms) + " ms " + what);
    what.clear();
    try {
      co_await c.testVoid();
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kOther, "testVoid after testOneway: " + what);
  }
  {
    // 64 calls in flight on one connection at once; each must get its own answer.
    using namespace asio::experimental::awaitable_operators;
    int wrong = 0, done = 0;
    std::string error;
    auto one = [&](std::int32_t i) -> asio::awaitable<void> {
      try {
        std::int32_t got = co_await c.testI32(i * 7919);
        if (got != i * 7919) ++wrong;
      } catch (const std::exception& e) {
        error = e.what();
        ++wrong;
      }
      ++done;
    };
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer all_done(ex, std::chrono::steady_clock::time_point::max());
    for (std::int32_t i = 0; i < 64; ++i)
      asio::co_spawn(ex, one(i), [&](std::exception_ptr) {
        if (done == 64) all_done.cancel();
      });
    std::error_code ignored;
    if (done < 64) co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    r.check(wrong == 0, kOther, "64 pipelined testI32 calls: " + std::to_string(wrong) + " wrong " + error);
  }
  if (multiplexed) {
    std::string what;
    try {
      corothrift::ClientOptions o = options;
      o.multiplexed = "SecondService";
      auto ex = co_await asio::this_coro::executor;
      auto second = co_await corothrift::connect<SecondService>(ex, where, o);
      std::string got = co_await second.secondtestString("foo");
      if (got != "testString(\"foo\")") what = "got '" + got + "'";
    } catch (const std::exception& e) {
      what = e.what();
    }
    r.check(what.empty(), kOther, "SecondService.secondtestString: " + what);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // -n N is the short form of --testloops.
  std::vector<char*> args;
  std::string loops_flag;
  for (int i = 0; i < argc; ++i) {
    if (std::string(argv[i]) == "-n" && i + 1 < argc) {
      loops_flag = std::string("--testloops=") + argv[++i];
      args.push_back(loops_flag.data());
    } else {
      args.push_back(argv[i]);
    }
  }
  thrifttest::Flags flags(static_cast<int>(args.size()), args.data(),
                          {"host", "port", "domain-socket", "transport", "protocol", "testloops", "timeout", "abstract-namespace"},
                          {"multiplexed", "ssl", "zlib"});
  long port = flags.number("port", 9090, 1, 65535);
  long loops = flags.number("testloops", 1, 1, 1000000);
  long timeout = flags.number("timeout", 10000, 1, 3600000);
  thrifttest::Connection conn = thrifttest::connection_flags(flags);
  if (flags.help()) {
    std::cout << kUsage;
    return 0;
  }
  if (!flags.ok()) {
    std::cerr << "thrifttest_client: " << flags.error() << "\n" << kUsage;
    return 2;
  }
  bool multiplexed = conn.multiplexed;

  corothrift::ClientOptions options;
  options.transport = conn.transport;
  options.call_timeout = std::chrono::milliseconds(timeout);
  if (multiplexed) options.multiplexed = "ThriftTest";
  corothrift::Endpoint where = flags.has("domain-socket") ? corothrift::Endpoint::local(flags.get("domain-socket"))
                                                         : corothrift::Endpoint(flags.get("host", "localhost"),
                                                                                static_cast<std::uint16_t>(port));

  Report report;
  asio::io_context io;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    std::string error;
    try {
      auto client = co_await corothrift::connect<ThriftTest>(ex, where, options);
      for (long i = 0; i < loops; ++i) co_await run_once(client, report, multiplexed, options, where);
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) report.check(false, kOther, "connection: " + error);
  }, asio::detached);
  io.run();
  std::cout << "thrifttest_client: " << report.checks << " checks, " << report.failures << " failed ("
            << to_string(options.transport) << (multiplexed ? ", multiplexed" : "") << ")\n";
  return report.mask;
}
