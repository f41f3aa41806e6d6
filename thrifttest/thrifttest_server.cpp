// thrifttest_server: corothrift's server for Apache Thrift's cross-language test service
// ThriftTest (and SecondService when multiplexed). Same flags as the cross-test servers of
// Apache Thrift's other languages; prints nothing per call and runs until killed.
#include "flags.hpp"
#include "thrifttest_handler.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>
#include <vector>

namespace {

constexpr const char* kUsage = R"(usage: thrifttest_server [flags]

  --port N                 TCP port on 0.0.0.0 (default 9090)
  --domain-socket PATH     listen on a Unix domain socket instead of TCP
  --transport T            buffered (default) or framed
  --protocol P             binary (default), or multi / multiplexed: binary with the
                           multiplexed protocol (services "ThriftTest" and "SecondService";
                           plain method names still reach ThriftTest)
  --multiplexed            the same as --protocol multi
  --server-type T          accepted for compatibility (simple, threaded, thread-pool,
                           nonblocking): corothrift always serves with coroutines
  --workers N              threads running the server (default 1)
  --ordered                answer each connection's requests in order, one at a time
  -h, --help               this help

exit status: 0 after SIGINT/SIGTERM, 1 when the server cannot start, 2 bad flags.
)";

}  // namespace

int main(int argc, char** argv) {
  thrifttest::Flags flags(argc, argv, {"port", "domain-socket", "transport", "protocol", "server-type", "workers",
                                       "abstract-namespace", "processor-events", "string-limit", "container-limit"},
                          {"multiplexed", "ordered", "ssl", "zlib"});
  long port = flags.number("port", 9090, 0, 65535);
  long workers = flags.number("workers", 1, 1, 64);
  thrifttest::Connection conn = thrifttest::connection_flags(flags);
  if (flags.help()) {
    std::cout << kUsage;
    return 0;
  }
  if (!flags.ok()) {
    std::cerr << "thrifttest_server: " << flags.error() << "\n" << kUsage;
    return 2;
  }

  corothrift::ServerOptions options;
  options.transport = conn.transport;
  options.ordered = flags.has("ordered");
  options.idle_timeout = std::chrono::milliseconds(0);  // test clients may sit idle between steps

  asio::io_context io(static_cast<int>(workers));
  thrifttest::ThriftTestService thrift_test;
  thrifttest::SecondServiceImpl second;
  corothrift::Server server(io.get_executor(), options);
  server.add_service<thrift::test::ThriftTest>(thrift_test);
  if (conn.multiplexed) {
    server.add_service<thrift::test::ThriftTest>("ThriftTest", thrift_test);
    server.add_service<thrift::test::SecondService>("SecondService", second);
  }
  try {
    if (flags.has("domain-socket")) server.listen_local(flags.get("domain-socket"));
    else server.listen("0.0.0.0", static_cast<std::uint16_t>(port));
  } catch (const std::exception& e) {
    std::cerr << "thrifttest_server: cannot listen: " << e.what() << "\n";
    return 1;
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const std::error_code& ec, int) {
    if (!ec) {
      server.stop();
      io.stop();
    }
  });
  std::vector<std::thread> threads;
  for (long i = 1; i < workers; ++i) threads.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  return 0;
}
