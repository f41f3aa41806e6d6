// ThriftTest server built on Apache Thrift 0.17 (libthrift), a peer for corothrift's interop
// tests. The handler follows the doc comments of ThriftTest.thrift: echo methods return their
// argument, the others build the values the IDL describes. Nothing is printed per call; the
// server runs until it is killed (SIGTERM / SIGINT).
//
// usage: apache_thrifttest_server [--port N] [--transport buffered|framed] [--protocol binary]
//                                 [--domain-socket PATH] [--multiplexed]
//                                 [--server threaded|nonblocking] [--workers N]
// --server nonblocking (TNonblockingServer, framed transport, TCP; `--workers` handler
// threads, 0: on the I/O thread) exists when built with libthriftnb (COROTHRIFT_APACHE_NB);
// the default is TThreadedServer (a thread per connection).

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include <thrift/TApplicationException.h>
#include <thrift/processor/TMultiplexedProcessor.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TThreadedServer.h>
#if COROTHRIFT_APACHE_NB
#include <thrift/concurrency/ThreadFactory.h>
#include <thrift/concurrency/ThreadManager.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/transport/TNonblockingServerSocket.h>
#endif
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TServerSocket.h>

#include "SecondService.h"
#include "ThriftTest.h"
#include "peer_options.hpp"

namespace {

using namespace thrift::test;

class ThriftTestHandler final : public ThriftTestIf {
public:
  void testVoid() override {}
  void testString(std::string& out, const std::string& thing) override { out = thing; }
  bool testBool(const bool thing) override { return thing; }
  int8_t testByte(const int8_t thing) override { return thing; }
  int32_t testI32(const int32_t thing) override { return thing; }
  int64_t testI64(const int64_t thing) override { return thing; }
  double testDouble(const double thing) override { return thing; }
  void testBinary(std::string& out, const std::string& thing) override { out = thing; }
  void testStruct(Xtruct& out, const Xtruct& thing) override { out = thing; }
  void testNest(Xtruct2& out, const Xtruct2& thing) override { out = thing; }
  void testMap(std::map<int32_t, int32_t>& out, const std::map<int32_t, int32_t>& thing) override {
    out = thing;
  }
  void testStringMap(std::map<std::string, std::string>& out,
                     const std::map<std::string, std::string>& thing) override {
    out = thing;
  }
  void testSet(std::set<int32_t>& out, const std::set<int32_t>& thing) override { out = thing; }
  void testList(std::vector<int32_t>& out, const std::vector<int32_t>& thing) override {
    out = thing;
  }
  Numberz::type testEnum(const Numberz::type thing) override { return thing; }
  UserId testTypedef(const UserId thing) override { return thing; }

  void testMapMap(std::map<int32_t, std::map<int32_t, int32_t>>& out, const int32_t) override {
    out.clear();
    for (int32_t k = 1; k <= 4; ++k) {
      out[-4][-k] = -k;
      out[4][k] = k;
    }
  }

  void testInsanity(std::map<UserId, std::map<Numberz::type, Insanity>>& out,
                    const Insanity& argument) override {
    out.clear();
    out[1][Numberz::TWO] = argument;
    out[1][Numberz::THREE] = argument;
    out[2][Numberz::SIX] = Insanity();
  }

  void testMulti(Xtruct& out, const int8_t arg0, const int32_t arg1, const int64_t arg2,
                 const std::map<int16_t, std::string>&, const Numberz::type, const UserId) override {
    out = Xtruct();
    out.__set_string_thing("Hello2");
    out.__set_byte_thing(arg0);
    out.__set_i32_thing(arg1);
    out.__set_i64_thing(arg2);
  }

  void testException(const std::string& arg) override {
    if (arg == "Xception") {
      Xception e;
      e.__set_errorCode(1001);
      e.__set_message(arg);
      throw e;
    }
    if (arg == "TException") {
      // Not declared by the method: the generated processor answers with a
      // TApplicationException carrying what().
      throw apache::thrift::TException("testException(\"TException\")");
    }
  }

  void testMultiException(Xtruct& out, const std::string& arg0, const std::string& arg1) override {
    if (arg0 == "Xception") {
      Xception e;
      e.__set_errorCode(1001);
      e.__set_message("This is an Xception");
      throw e;
    }
    if (arg0 == "Xception2") {
      Xception2 e;
      e.__set_errorCode(2002);
      Xtruct thing;
      thing.__set_string_thing("This is an Xception2");
      e.__set_struct_thing(thing);
      throw e;
    }
    out = Xtruct();
    out.__set_string_thing(arg1);
  }

  void testOneway(const int32_t secondsToSleep) override {
    if (secondsToSleep > 0) {
      std::this_thread::sleep_for(std::chrono::seconds(secondsToSleep));
    }
  }
};

class SecondServiceHandler final : public SecondServiceIf {
public:
  void secondtestString(std::string& out, const std::string& thing) override {
    out = "testString(\"" + thing + "\")";
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace apache::thrift;
  const peers::Options opts = peers::parse_options(argc, argv, /*client=*/false);

  std::signal(SIGPIPE, SIG_IGN);

  std::shared_ptr<TProcessor> processor;
  auto test_processor = std::make_shared<ThriftTestProcessor>(std::make_shared<ThriftTestHandler>());
  if (opts.multiplexed) {
    auto multiplexed = std::make_shared<TMultiplexedProcessor>();
    multiplexed->registerProcessor("ThriftTest", test_processor);
    multiplexed->registerProcessor(
        "SecondService", std::make_shared<SecondServiceProcessor>(std::make_shared<SecondServiceHandler>()));
    processor = multiplexed;
  } else {
    processor = test_processor;
  }

  if (opts.server == "nonblocking") {
#if COROTHRIFT_APACHE_NB
    if (opts.transport != "framed" || !opts.domain_socket.empty()) {
      std::fprintf(stderr, "apache_thrifttest_server: --server nonblocking needs --transport framed over TCP\n");
      return 2;
    }
    try {
      std::shared_ptr<concurrency::ThreadManager> threads;
      if (opts.workers > 0) {
        threads = concurrency::ThreadManager::newSimpleThreadManager(static_cast<std::size_t>(opts.workers));
        threads->threadFactory(std::make_shared<concurrency::ThreadFactory>());
        threads->start();
      }
      auto nb_socket = std::make_shared<transport::TNonblockingServerSocket>(opts.port);
      server::TNonblockingServer server(processor, std::make_shared<protocol::TBinaryProtocolFactory>(), nb_socket, threads);
      server.setNumIOThreads(1);
      server.serve();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "apache_thrifttest_server: %s\n", e.what());
      return 1;
    }
    return 0;
#else
    std::fprintf(stderr, "apache_thrifttest_server: built without TNonblockingServer (libthriftnb, libevent)\n");
    return 2;
#endif
  }

  std::shared_ptr<transport::TServerSocket> socket =
      opts.domain_socket.empty() ? std::make_shared<transport::TServerSocket>(opts.port)
                                 : std::make_shared<transport::TServerSocket>(opts.domain_socket);
  std::shared_ptr<transport::TTransportFactory> transport_factory;
  if (opts.transport == "framed") {
    transport_factory = std::make_shared<transport::TFramedTransportFactory>();
  } else {
    transport_factory = std::make_shared<transport::TBufferedTransportFactory>();
  }
  auto protocol_factory = std::make_shared<protocol::TBinaryProtocolFactory>();

  try {
    server::TThreadedServer server(processor, socket, transport_factory, protocol_factory);
    server.serve();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apache_thrifttest_server: %s\n", e.what());
    return 1;
  }
  return 0;
}
