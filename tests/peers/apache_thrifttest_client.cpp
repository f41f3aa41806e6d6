// ThriftTest client built on Apache Thrift 0.17 (libthrift), a peer for corothrift's interop
// tests. It calls every ThriftTest method with non-trivial values and checks the replies
// against what ThriftTest.thrift's doc comments promise (plus SecondService.secondtestString
// with --multiplexed), and sends a call to a method the server does not have, expecting a
// TApplicationException UNKNOWN_METHOD.
//
// Each failed check prints one line "FAIL <check>: expected <...>, got <...>"; the last line
// sums up. Exit status: 0 if every check passed, 1 otherwise, 2 for a bad command line.
//
// usage: apache_thrifttest_client [--host H] [--port N] [--transport buffered|framed]
//                                 [--protocol binary] [--domain-socket PATH] [--multiplexed]

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <csignal>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <thrift/TApplicationException.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TMultiplexedProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>
#include <thrift/transport/TTransportException.h>

#include "SecondService.h"
#include "ThriftTest.h"
#include "peer_options.hpp"

namespace {

using namespace thrift::test;
using apache::thrift::TApplicationException;
using apache::thrift::TException;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TTransport;
using apache::thrift::transport::TTransportException;

// ---- describing values in failure messages --------------------------------------------------

std::string clip(std::string text, std::size_t limit = 1500) {
  if (text.size() > limit) {
    text = text.substr(0, limit) + "...(" + std::to_string(text.size()) + " chars)";
  }
  return text;
}

// Containers first (declared only), so that every describe() below can use them.
template <class K, class V>
std::string describe(const std::map<K, V>& m);
template <class T>
std::string describe(const std::set<T>& s);
template <class T>
std::string describe(const std::vector<T>& v);

// A string or binary: quoted, non-ASCII bytes as \xNN, at most 60 bytes shown.
std::string describe(const std::string& s) {
  std::string out = "\"";
  const std::size_t shown = s.size() < 60 ? s.size() : 60;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  out += '"';
  if (s.size() > shown) {
    out += "...(" + std::to_string(s.size()) + " bytes)";
  }
  return out;
}

std::string describe(bool b) { return b ? "true" : "false"; }
std::string describe(int8_t v) { return std::to_string(static_cast<int>(v)); }
std::string describe(int32_t v) { return std::to_string(v); }
std::string describe(int64_t v) { return std::to_string(v); }
std::string describe(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g (bits %016llx)", d,
                static_cast<unsigned long long>(std::bit_cast<uint64_t>(d)));
  return buf;
}
std::string describe(Numberz::type v) {
  const auto it = _Numberz_VALUES_TO_NAMES.find(static_cast<int>(v));
  return it != _Numberz_VALUES_TO_NAMES.end() ? it->second : "Numberz(" + std::to_string(static_cast<int>(v)) + ")";
}
std::string describe(const Xtruct& x) {
  return "Xtruct{" + describe(x.string_thing) + ", " + describe(x.byte_thing) + ", " + describe(x.i32_thing) +
         ", " + describe(x.i64_thing) + "}";
}
std::string describe(const Xtruct2& x) {
  return "Xtruct2{" + describe(x.byte_thing) + ", " + describe(x.struct_thing) + ", " + describe(x.i32_thing) + "}";
}
std::string describe(const Insanity& x) {
  return "Insanity{userMap=" + describe(x.userMap) + ", xtructs=" + describe(x.xtructs) + "}";
}

template <class Range, class Each>
std::string describe_range(const Range& r, const char* open, const char* close, Each each) {
  std::string out = open;
  bool first = true;
  for (const auto& e : r) {
    if (!first) {
      out += ", ";
    }
    first = false;
    out += each(e);
    if (out.size() > 1500) {
      return out + "...(" + std::to_string(r.size()) + " elements)";
    }
  }
  return out + close;
}

template <class K, class V>
std::string describe(const std::map<K, V>& m) {
  return describe_range(m, "{", "}", [](const auto& kv) { return describe(kv.first) + ": " + describe(kv.second); });
}
template <class T>
std::string describe(const std::set<T>& s) {
  return describe_range(s, "{", "}", [](const T& e) { return describe(e); });
}
template <class T>
std::string describe(const std::vector<T>& v) {
  return describe_range(v, "[", "]", [](const T& e) { return describe(e); });
}

// Where two strings first differ, for long ones.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) {
    ++i;
  }
  return " (sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + ", first difference at byte " +
         std::to_string(i) + ")";
}

std::string describe_exception(const std::exception& e) {
  std::string kind = "std::exception";
  if (const auto* t = dynamic_cast<const TTransportException*>(&e)) {
    kind = "TTransportException(type " + std::to_string(static_cast<int>(t->getType())) + ")";
  } else if (const auto* a = dynamic_cast<const TApplicationException*>(&e)) {
    kind = "TApplicationException(type " + std::to_string(static_cast<int>(a->getType())) + ")";
  } else if (dynamic_cast<const Xception*>(&e) != nullptr) {
    const auto& x = static_cast<const Xception&>(e);
    return "Xception{errorCode=" + std::to_string(x.errorCode) + ", message=" + describe(x.message) + "}";
  } else if (dynamic_cast<const Xception2*>(&e) != nullptr) {
    const auto& x = static_cast<const Xception2&>(e);
    return "Xception2{errorCode=" + std::to_string(x.errorCode) +
           ", struct_thing.string_thing=" + describe(x.struct_thing.string_thing) + "}";
  } else if (dynamic_cast<const TException*>(&e) != nullptr) {
    kind = "TException";
  }
  return kind + ": " + clip(e.what());
}

// ---- connection ------------------------------------------------------------------------------

class Connection {
public:
  explicit Connection(const peers::Options& opts) : opts_(opts) {}

  // Builds a fresh transport stack and opens it; throws on failure.
  void open() {
    close();
    std::shared_ptr<apache::thrift::transport::TSocket> socket =
        opts_.domain_socket.empty()
            ? std::make_shared<apache::thrift::transport::TSocket>(opts_.host, opts_.port)
            : std::make_shared<apache::thrift::transport::TSocket>(opts_.domain_socket);
    socket->setConnTimeout(10000);
    socket->setRecvTimeout(30000);
    socket->setSendTimeout(30000);
    if (opts_.transport == "framed") {
      transport_ = std::make_shared<apache::thrift::transport::TFramedTransport>(socket);
    } else {
      transport_ = std::make_shared<apache::thrift::transport::TBufferedTransport>(socket);
    }
    protocol_ = std::make_shared<apache::thrift::protocol::TBinaryProtocol>(transport_);
    if (opts_.multiplexed) {
      test_protocol_ = std::make_shared<apache::thrift::protocol::TMultiplexedProtocol>(protocol_, "ThriftTest");
      second_protocol_ =
          std::make_shared<apache::thrift::protocol::TMultiplexedProtocol>(protocol_, "SecondService");
    } else {
      test_protocol_ = protocol_;
      second_protocol_ = protocol_;
    }
    test_ = std::make_unique<ThriftTestClient>(test_protocol_);
    second_ = std::make_unique<SecondServiceClient>(second_protocol_);
    transport_->open();
  }

  void close() noexcept {
    if (transport_) {
      try {
        transport_->close();
      } catch (...) {
      }
    }
    test_.reset();
    second_.reset();
    test_protocol_.reset();
    second_protocol_.reset();
    protocol_.reset();
    transport_.reset();
  }

  bool is_open() const { return transport_ && transport_->isOpen(); }

  ThriftTestClient& test() { return *test_; }
  SecondServiceClient& second() { return *second_; }
  TProtocol& base_protocol() { return *protocol_; }     // replies are read here
  TProtocol& test_protocol() { return *test_protocol_; }  // ThriftTest calls are written here
  TTransport& transport() { return *transport_; }

private:
  peers::Options opts_;
  std::shared_ptr<TTransport> transport_;
  std::shared_ptr<TProtocol> protocol_, test_protocol_, second_protocol_;
  std::unique_ptr<ThriftTestClient> test_;
  std::unique_ptr<SecondServiceClient> second_;
};

// ---- checks ----------------------------------------------------------------------------------

class Checker {
public:
  explicit Checker(Connection& conn) : conn_(conn) {}

  void fail(const std::string& what, const std::string& expected, const std::string& got) {
    ++failures_;
    std::printf("FAIL %s: expected %s, got %s\n", what.c_str(), expected.c_str(), got.c_str());
    std::fflush(stdout);
  }

  template <class T>
  void expect(const std::string& what, const T& got, const T& want) {
    ++checks_;
    if (!(got == want)) {
      if constexpr (std::is_same_v<T, std::string>) {
        fail(what, describe(want), describe(got) + first_difference(want, got));
      } else {
        fail(what, describe(want), describe(got));
      }
    }
  }

  void expect_double(const std::string& what, double got, double want) {
    ++checks_;
    const bool same = std::isnan(want) ? std::isnan(got)
                                       : std::bit_cast<uint64_t>(got) == std::bit_cast<uint64_t>(want);
    if (!same) {
      fail(what, describe(want), describe(got));
    }
  }

  void expect_true(const std::string& what, bool ok, const std::string& expected, const std::string& got) {
    ++checks_;
    if (!ok) {
      fail(what, expected, got);
    }
  }

  // Runs one call (or a few that belong together). An exception nobody expected is a failed
  // check; after anything but a TApplicationException the connection may be out of step,
  // so it is opened afresh.
  void call(const std::string& what, const std::function<void()>& body) {
    if (!ensure_open(what)) {
      return;
    }
    ++checks_;
    try {
      body();
    } catch (const TApplicationException& e) {
      fail(what, "a normal reply", describe_exception(e));
    } catch (const std::exception& e) {
      fail(what, "a normal reply", describe_exception(e));
      reopen(what);
    }
  }

  // Opens the connection if it is not open. Returns false (a failed check) if it cannot be.
  bool ensure_open(const std::string& what) {
    if (conn_.is_open()) {
      return true;
    }
    try {
      conn_.open();
      return true;
    } catch (const std::exception& e) {
      ++checks_;
      fail(what, "a connection to the server", describe_exception(e));
      return false;
    }
  }

  void reopen(const std::string& what) {
    conn_.close();
    ensure_open(what + " (reconnecting)");
  }

  int checks() const { return checks_; }
  int failures() const { return failures_; }

private:
  Connection& conn_;
  int checks_ = 0;
  int failures_ = 0;
};

std::string pseudo_random_bytes(std::size_t n, uint32_t seed) {
  std::string out(n, '\0');
  uint32_t x = seed;
  for (auto& c : out) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

Xtruct make_xtruct(const std::string& s, int8_t b, int32_t i, int64_t l) {
  Xtruct x;
  x.__set_string_thing(s);
  x.__set_byte_thing(b);
  x.__set_i32_thing(i);
  x.__set_i64_thing(l);
  return x;
}

void run_checks(Checker& ck, Connection& conn, bool multiplexed) {
  constexpr int32_t i32_min = std::numeric_limits<int32_t>::min();
  constexpr int32_t i32_max = std::numeric_limits<int32_t>::max();
  constexpr int64_t i64_min = std::numeric_limits<int64_t>::min();
  constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();
  // "Ünïcödé ✓ 日本語 🎉 Ελληνικά" in UTF-8
  const std::string utf8 = "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb6" "d" "\xc3\xa9"
                           " \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x8e\x89 "
                           "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac";
  const std::string with_nul("a\0b\0c", 5);

  ck.call("testVoid", [&] { conn.test().testVoid(); });

  // strings
  for (const std::string& s : {std::string(), std::string("Hello, world"), utf8, with_nul,
                               std::string(70000, 'x') + utf8}) {
    const std::string what = "testString(" + describe(s) + ")";
    ck.call(what, [&] {
      std::string got;
      conn.test().testString(got, s);
      ck.expect(what, got, s);
    });
  }

  for (bool b : {true, false}) {
    const std::string what = "testBool(" + describe(b) + ")";
    ck.call(what, [&] { ck.expect(what, conn.test().testBool(b), b); });
  }

  for (int8_t v : {int8_t{0}, int8_t{1}, int8_t{-1}, int8_t{127}, int8_t{-128}}) {
    const std::string what = "testByte(" + describe(v) + ")";
    ck.call(what, [&] { ck.expect(what, conn.test().testByte(v), v); });
  }

  for (int32_t v : {0, -1, 1, i32_min, i32_max, -123456789}) {
    const std::string what = "testI32(" + describe(v) + ")";
    ck.call(what, [&] { ck.expect(what, conn.test().testI32(v), v); });
  }

  for (int64_t v : {int64_t{0}, int64_t{-1}, i64_min, i64_max, int64_t{-34359738368}, int64_t{1} << 40}) {
    const std::string what = "testI64(" + describe(v) + ")";
    ck.call(what, [&] { ck.expect(what, conn.test().testI64(v), v); });
  }

  for (double v : {0.0, -0.0, -5.2098523, 1.0 / 3.0, -7.25, 1e308, -1e-308,
                   std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::lowest(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    const std::string what = "testDouble(" + describe(v) + ")";
    ck.call(what, [&] { ck.expect_double(what, conn.test().testDouble(v), v); });
  }

  {
    std::string all_bytes;
    for (int i = 0; i < 256; ++i) {
      all_bytes += static_cast<char>(i);
    }
    for (const std::string& b : {std::string(), all_bytes, pseudo_random_bytes(100 * 1024, 7)}) {
      const std::string what = "testBinary(" + std::to_string(b.size()) + " bytes)";
      ck.call(what, [&] {
        std::string got;
        conn.test().testBinary(got, b);
        ck.expect(what, got, b);
      });
    }
  }

  for (const Xtruct& x : {make_xtruct("Zero", 1, -3, -5), make_xtruct(utf8 + with_nul, -128, i32_min, i64_max),
                          make_xtruct("", 0, 0, 0)}) {
    const std::string what = "testStruct(" + describe(x) + ")";
    ck.call(what, [&] {
      Xtruct got;
      conn.test().testStruct(got, x);
      ck.expect(what, got, x);
    });
  }

  {
    Xtruct2 nest;
    nest.__set_byte_thing(1);
    nest.__set_struct_thing(make_xtruct("Zero", 1, -3, -5));
    nest.__set_i32_thing(5);
    const std::string what = "testNest";
    ck.call(what, [&] {
      Xtruct2 got;
      conn.test().testNest(got, nest);
      ck.expect(what, got, nest);
    });
  }

  {
    std::map<int32_t, int32_t> big;
    for (int32_t i = -500; i < 500; ++i) {
      big[i * 7919] = -i;
    }
    big[i32_min] = i32_max;
    big[i32_max] = i32_min;
    for (const auto& m : {std::map<int32_t, int32_t>{}, std::map<int32_t, int32_t>{{0, -10}, {1, -9}, {-5, 5}}, big}) {
      const std::string what = "testMap(" + std::to_string(m.size()) + " entries)";
      ck.call(what, [&] {
        std::map<int32_t, int32_t> got;
        conn.test().testMap(got, m);
        ck.expect(what, got, m);
      });
    }
  }

  {
    const std::map<std::string, std::string> m{
        {"a", "2"}, {"b", "blah"}, {"some", "thing"}, {"", "empty key"}, {utf8, with_nul}, {"empty value", ""}};
    for (const auto& sm : {std::map<std::string, std::string>{}, m}) {
      const std::string what = "testStringMap(" + std::to_string(sm.size()) + " entries)";
      ck.call(what, [&] {
        std::map<std::string, std::string> got;
        conn.test().testStringMap(got, sm);
        ck.expect(what, got, sm);
      });
    }
  }

  {
    std::set<int32_t> big;
    for (int32_t i = 0; i < 1000; ++i) {
      big.insert(i * 104729 - 50000000);
    }
    for (const auto& s : {std::set<int32_t>{}, std::set<int32_t>{-2, -1, 0, 1, 2, i32_min, i32_max}, big}) {
      const std::string what = "testSet(" + std::to_string(s.size()) + " elements)";
      ck.call(what, [&] {
        std::set<int32_t> got;
        conn.test().testSet(got, s);
        ck.expect(what, got, s);
      });
    }
  }

  {
    std::vector<int32_t> big;
    for (int32_t i = 0; i < 10000; ++i) {
      const uint32_t bits = (static_cast<uint32_t>(i) * 2654435761u) ^ (i & 1 ? 0x80000000u : 0u);
      big.push_back(static_cast<int32_t>(bits));
    }
    for (const auto& l : {std::vector<int32_t>{}, std::vector<int32_t>{-2, -1, 0, 1, 2, i32_min, i32_max, 0, 0, -1}, big}) {
      const std::string what = "testList(" + std::to_string(l.size()) + " elements)";
      ck.call(what, [&] {
        std::vector<int32_t> got;
        conn.test().testList(got, l);
        ck.expect(what, got, l);
      });
    }
  }

  for (Numberz::type e : {Numberz::ONE, Numberz::TWO, Numberz::THREE, Numberz::FIVE, Numberz::SIX, Numberz::EIGHT}) {
    const std::string what = "testEnum(" + describe(e) + ")";
    ck.call(what, [&] { ck.expect(what, conn.test().testEnum(e), e); });
  }

  for (UserId id : {UserId{309858235082523}, UserId{-1}, i64_min}) {
    const std::string what = "testTypedef(" + describe(id) + ")";
    ck.call(what, [&] { ck.expect(what, conn.test().testTypedef(id), id); });
  }

  {
    const std::map<int32_t, std::map<int32_t, int32_t>> want{
        {-4, {{-4, -4}, {-3, -3}, {-2, -2}, {-1, -1}}}, {4, {{1, 1}, {2, 2}, {3, 3}, {4, 4}}}};
    ck.call("testMapMap(1)", [&] {
      std::map<int32_t, std::map<int32_t, int32_t>> got;
      conn.test().testMapMap(got, 1);
      ck.expect("testMapMap(1)", got, want);
    });
  }

  {
    Insanity argument;
    argument.__set_userMap({{Numberz::FIVE, 5}, {Numberz::EIGHT, 8}});
    argument.__set_xtructs({make_xtruct("Goodbye4", 4, 4, 4), make_xtruct("Hello2", 2, 2, 2)});
    const std::map<UserId, std::map<Numberz::type, Insanity>> want{
        {1, {{Numberz::TWO, argument}, {Numberz::THREE, argument}}}, {2, {{Numberz::SIX, Insanity()}}}};
    ck.call("testInsanity", [&] {
      std::map<UserId, std::map<Numberz::type, Insanity>> got;
      conn.test().testInsanity(got, argument);
      ck.expect("testInsanity", got, want);
    });
  }

  ck.call("testMulti", [&] {
    Xtruct got;
    conn.test().testMulti(got, 9, 5, 12345678901, {{1, "abc"}, {-2, utf8}}, Numberz::FIVE, 5);
    ck.expect("testMulti(9, 5, 12345678901, ...)", got, make_xtruct("Hello2", 9, 5, 12345678901));
    conn.test().testMulti(got, -128, i32_min, i64_min, {}, Numberz::EIGHT, -1);
    ck.expect("testMulti(-128, INT32_MIN, INT64_MIN, ...)", got, make_xtruct("Hello2", -128, i32_min, i64_min));
  });

  // testException: the declared Xception, an undeclared TException, and no exception.
  {
    const std::string what = "testException(\"Xception\")";
    ck.call(what, [&] {
      try {
        conn.test().testException("Xception");
        ck.expect_true(what, false, "Xception{errorCode=1001, message=\"Xception\"}", "a normal reply");
      } catch (const Xception& e) {
        ck.expect(what + " errorCode", e.errorCode, int32_t{1001});
        ck.expect(what + " message", e.message, std::string("Xception"));
      }
    });
  }
  {
    const std::string what = "testException(\"TException\")";
    ck.call(what, [&] {
      try {
        conn.test().testException("TException");
        ck.expect_true(what, false, "a TException", "a normal reply");
      } catch (const Xception& e) {
        ck.expect_true(what, false, "a TException other than Xception", describe_exception(e));
      } catch (const TTransportException& e) {
        // The server dropped the connection: tolerated, the next calls use a new one.
        std::fprintf(stderr, "note: %s: %s; reconnecting\n", what.c_str(), describe_exception(e).c_str());
        ck.reopen(what);
      } catch (const TException&) {
        // Expected: any TException (Apache's processors send a TApplicationException).
      }
    });
    // The connection must still be usable (a closed one is reopened first).
    ck.call("testVoid after testException(\"TException\")", [&] {
      if (!conn.is_open()) {
        ck.reopen(what);
      }
      conn.test().testVoid();
    });
  }
  ck.call("testException(\"success\")", [&] { conn.test().testException("success"); });

  {
    const std::string what = "testMultiException(\"Xception\", \"test 1\")";
    ck.call(what, [&] {
      try {
        Xtruct got;
        conn.test().testMultiException(got, "Xception", "test 1");
        ck.expect_true(what, false, "Xception{errorCode=1001, message=\"This is an Xception\"}", "a normal reply");
      } catch (const Xception& e) {
        ck.expect(what + " errorCode", e.errorCode, int32_t{1001});
        ck.expect(what + " message", e.message, std::string("This is an Xception"));
      }
    });
  }
  {
    const std::string what = "testMultiException(\"Xception2\", \"test 2\")";
    ck.call(what, [&] {
      try {
        Xtruct got;
        conn.test().testMultiException(got, "Xception2", "test 2");
        ck.expect_true(what, false, "Xception2{errorCode=2002, ...}", "a normal reply");
      } catch (const Xception2& e) {
        ck.expect(what + " errorCode", e.errorCode, int32_t{2002});
        ck.expect(what + " struct_thing.string_thing", e.struct_thing.string_thing,
                  std::string("This is an Xception2"));
      }
    });
  }
  {
    const std::string what = "testMultiException(\"success\", \"test 3\")";
    ck.call(what, [&] {
      Xtruct got;
      conn.test().testMultiException(got, "success", "test 3");
      ck.expect(what + " string_thing", got.string_thing, std::string("test 3"));
    });
  }

  // testOneway(1) must not wait for the server's one second of sleep.
  ck.call("testOneway(1)", [&] {
    const auto start = std::chrono::steady_clock::now();
    conn.test().testOneway(1);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    ck.expect_true("testOneway(1) duration", ms < 500, "under 500 ms", std::to_string(ms) + " ms");
  });
  ck.call("testVoid after testOneway", [&] { conn.test().testVoid(); });

  // A method the server does not know, written by hand: the reply must be a
  // TApplicationException UNKNOWN_METHOD with our seqid.
  ck.call("noSuchMethod", [&] {
    using namespace apache::thrift::protocol;
    constexpr int32_t seqid = 4711;
    TProtocol& out = conn.test_protocol();  // with --multiplexed: "ThriftTest:noSuchMethod"
    out.writeMessageBegin("noSuchMethod", T_CALL, seqid);
    out.writeStructBegin("noSuchMethod_args");
    out.writeFieldStop();
    out.writeStructEnd();
    out.writeMessageEnd();
    conn.transport().writeEnd();
    conn.transport().flush();

    TProtocol& in = conn.base_protocol();
    std::string name;
    TMessageType type = T_CALL;
    int32_t rseqid = 0;
    in.readMessageBegin(name, type, rseqid);
    if (type != T_EXCEPTION) {
      in.skip(T_STRUCT);
      in.readMessageEnd();
      conn.transport().readEnd();
      ck.expect_true("noSuchMethod reply type", false, "T_EXCEPTION (3)", std::to_string(static_cast<int>(type)));
      return;
    }
    TApplicationException x;
    x.read(&in);
    in.readMessageEnd();
    conn.transport().readEnd();
    ck.expect("noSuchMethod reply seqid", rseqid, seqid);
    ck.expect_true("noSuchMethod reply name", name == "noSuchMethod" || name == "ThriftTest:noSuchMethod",
                   "\"noSuchMethod\"", describe(name));
    ck.expect("noSuchMethod TApplicationException type", static_cast<int32_t>(x.getType()),
              static_cast<int32_t>(TApplicationException::UNKNOWN_METHOD));
  });
  ck.call("testVoid after noSuchMethod", [&] { conn.test().testVoid(); });

  if (multiplexed) {
    for (const std::string& s : {std::string("foo"), utf8}) {
      const std::string what = "SecondService.secondtestString(" + describe(s) + ")";
      ck.call(what, [&] {
        std::string got;
        conn.second().secondtestString(got, s);
        ck.expect(what, got, "testString(\"" + s + "\")");
      });
    }
    // Interleaved with ThriftTest calls on the same connection.
    ck.call("testString after SecondService", [&] {
      std::string got;
      conn.test().testString(got, "back to ThriftTest");
      ck.expect("testString after SecondService", got, std::string("back to ThriftTest"));
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  const peers::Options opts = peers::parse_options(argc, argv, /*client=*/true);
  std::signal(SIGPIPE, SIG_IGN);

  Connection conn(opts);
  Checker ck(conn);
  if (ck.ensure_open("connect")) {
    run_checks(ck, conn, opts.multiplexed);
  }
  conn.close();

  std::printf("%s: %d checks, %d failed\n", ck.failures() == 0 ? "OK" : "FAILED", ck.checks(), ck.failures());
  return ck.failures() == 0 ? 0 : 1;
}
