// The ThriftTest cross-test service as the IDL's doc comments describe it (generated from
// ../shared/idl-corpus/apache-thrift/test/ThriftTest.thrift). Prints nothing per call.
#pragma once

#include "ThriftTest_rpc.hpp"

#include <chrono>
#include <stdexcept>

namespace thrifttest {

using namespace thrift::test;

class ThriftTestService final : public ThriftTestHandler {
 public:
  asio::awaitable<void> testVoid() override { co_return; }
  asio::awaitable<std::string> testString(std::string thing) override { co_return thing; }
  asio::awaitable<bool> testBool(bool thing) override { co_return thing; }
  asio::awaitable<std::int8_t> testByte(std::int8_t thing) override { co_return thing; }
  asio::awaitable<std::int32_t> testI32(std::int32_t thing) override { co_return thing; }
  asio::awaitable<std::int64_t> testI64(std::int64_t thing) override { co_return thing; }
  asio::awaitable<double> testDouble(double thing) override { co_return thing; }
  asio::awaitable<std::string> testBinary(std::string thing) override { co_return thing; }
  asio::awaitable<corothrift::Uuid> testUuid(corothrift::Uuid thing) override { co_return thing; }
  asio::awaitable<Xtruct> testStruct(Xtruct thing) override { co_return thing; }
  asio::awaitable<Xtruct2> testNest(Xtruct2 thing) override { co_return thing; }
  asio::awaitable<std::map<std::int32_t, std::int32_t>> testMap(std::map<std::int32_t, std::int32_t> thing) override {
    co_return thing;
  }
  asio::awaitable<std::map<std::string, std::string>> testStringMap(std::map<std::string, std::string> thing) override {
    co_return thing;
  }
  asio::awaitable<std::set<std::int32_t>> testSet(std::set<std::int32_t> thing) override { co_return thing; }
  asio::awaitable<std::vector<std::int32_t>> testList(std::vector<std::int32_t> thing) override { co_return thing; }
  asio::awaitable<Numberz> testEnum(Numberz thing) override { co_return thing; }
  asio::awaitable<UserId> testTypedef(UserId thing) override { co_return thing; }

  /// {-4 => {-4 => -4, -3 => -3, -2 => -2, -1 => -1}, 4 => {1 => 1, 2 => 2, 3 => 3, 4 => 4}}
  asio::awaitable<std::map<std::int32_t, std::map<std::int32_t, std::int32_t>>> testMapMap(std::int32_t) override {
    co_return expected_map_map();
  }
  static std::map<std::int32_t, std::map<std::int32_t, std::int32_t>> expected_map_map() {
    std::map<std::int32_t, std::map<std::int32_t, std::int32_t>> out;
    for (std::int32_t i = 1; i <= 4; ++i) {
      out[4][i] = i;
      out[-4][-i] = -i;
    }
    return out;
  }

  /// { 1 => { 2 => argument, 3 => argument }, 2 => { 6 => <empty Insanity struct> } }
  asio::awaitable<std::map<UserId, std::map<Numberz, Insanity>>> testInsanity(Insanity argument) override {
    co_return expected_insanity(argument);
  }
  static std::map<UserId, std::map<Numberz, Insanity>> expected_insanity(const Insanity& argument) {
    std::map<UserId, std::map<Numberz, Insanity>> out;
    out[1][Numberz::TWO] = argument;
    out[1][Numberz::THREE] = argument;
    out[2][Numberz::SIX] = Insanity{};
    return out;
  }

  /// Xtruct{string_thing = "Hello2", byte_thing = arg0, i32_thing = arg1, i64_thing = arg2}
  asio::awaitable<Xtruct> testMulti(std::int8_t arg0, std::int32_t arg1, std::int64_t arg2,
                                    std::map<std::int16_t, std::string>, Numberz, UserId) override {
    Xtruct x;
    x.string_thing = "Hello2";
    x.byte_thing = arg0;
    x.i32_thing = arg1;
    x.i64_thing = arg2;
    co_return x;
  }

  /// "Xception" -> Xception{1001, arg}; "TException" -> a generic error (reaches the client
  /// as a TApplicationException); anything else returns normally.
  asio::awaitable<void> testException(std::string arg) override {
    if (arg == "Xception") {
      Xception x;
      x.errorCode = 1001;
      x.message = arg;
      throw x;
    }
    if (arg == "TException") throw std::runtime_error("This is a TException");
    co_return;
  }

  /// "Xception" -> Xception{1001, "This is an Xception"}; "Xception2" -> Xception2{2002,
  /// {string_thing = "This is an Xception2"}}; else Xtruct{string_thing = arg1}.
  asio::awaitable<Xtruct> testMultiException(std::string arg0, std::string arg1) override {
    if (arg0 == "Xception") {
      Xception x;
      x.errorCode = 1001;
      x.message = "This is an Xception";
      throw x;
    }
    if (arg0 == "Xception2") {
      Xception2 x;
      x.errorCode = 2002;
      x.struct_thing.string_thing = "This is an Xception2";
      throw x;
    }
    Xtruct r;
    r.string_thing = arg1;
    co_return r;
  }

  /// Sleeps secondsToSleep (without blocking other calls) and returns nothing (oneway).
  asio::awaitable<void> testOneway(std::int32_t secondsToSleep) override {
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::seconds(secondsToSleep));
    co_await t.async_wait(asio::use_awaitable);
  }
};

class SecondServiceImpl final : public SecondServiceHandler {
 public:
  asio::awaitable<std::string> secondtestString(std::string thing) override {
    co_return std::string("testString(\"").append(thing).append("\")");
  }
};

}  // namespace thrifttest
