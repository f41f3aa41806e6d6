// Unframed ("buffered") transport: MessageScanner finds where a message ends, in any
// chunking, with the reader's limits.
#include <doctest/doctest.h>

#include <corothrift/protocol.hpp>
#include <corothrift/transport.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::bytes;
using testutil::Rng;

namespace {
std::vector<std::byte> message(const shapes::Everything& e, bool strict = true, std::string_view name = "call") {
  BinaryWriter w(WriterOptions{.strict_write = strict});
  w.write_message_begin(name, MessageType::Call, 42);
  REQUIRE(!encode(w, e));
  return {w.view().begin(), w.view().end()};
}

shapes::Everything sample() {
  shapes::Everything e;
  e.text = "hello";
  e.ints = {1, 2, 3};
  e.tags = {"a", "b"};
  e.names = {{1, "one"}};
  e.series = {{"s", {1, 2}}};
  e.deep = {{{"k", {1, 2}}}, {}};
  e.maybe_text = "maybe";
  e.inners = {{1, "x"}, {2, "y"}};
  e.must = 9;
  e.bits = {true};
  e.reals = {1.5};
  return e;
}

ScanEvent scan_all(MessageScanner& s, std::span<const std::byte> in) { return s.feed(in); }
}  // namespace

TEST_CASE("a whole message in one chunk") {
  auto m = message(sample());
  MessageScanner s;
  ScanEvent ev = scan_all(s, m);
  CHECK(ev.status == ScanEvent::Status::complete);
  CHECK(ev.consumed == m.size());
  CHECK(ev.message_size == m.size());
}

TEST_CASE("one byte at a time: need_more until exactly the last byte") {
  for (bool strict : {true, false}) {
    CAPTURE(strict);
    auto m = message(sample(), strict);
    MessageScanner s;
    for (std::size_t i = 0; i < m.size(); ++i) {
      ScanEvent ev = s.feed(std::span(m).subspan(i, 1));
      CHECK(ev.consumed == 1);
      if (i + 1 < m.size()) {
        REQUIRE(ev.status == ScanEvent::Status::need_more);
      } else {
        REQUIRE(ev.status == ScanEvent::Status::complete);
        CHECK(ev.message_size == m.size());
      }
    }
  }
}

TEST_CASE("back-to-back messages: the scanner stops at each boundary") {
  auto a = message(sample());
  shapes::Everything e2;
  e2.must = 1;
  auto b = message(e2, true, "other");
  std::vector<std::byte> stream(a);
  stream.insert(stream.end(), b.begin(), b.end());
  MessageScanner s;
  ScanEvent ev = s.feed(stream);
  REQUIRE(ev.status == ScanEvent::Status::complete);
  CHECK(ev.consumed == a.size());
  ev = s.feed(std::span(stream).subspan(a.size()));
  REQUIRE(ev.status == ScanEvent::Status::complete);
  CHECK(ev.consumed == b.size());
}

TEST_CASE("randomized messages in random chunk sizes agree with the encoded length") {
  Rng g(99);
  for (int round = 0; round < 200; ++round) {
    shapes::Everything e;
    e.text = g.str(50);
    for (std::size_t i = g.below(30); i > 0; --i) e.ints.push_back(static_cast<std::int32_t>(g.next()));
    for (std::size_t i = g.below(5); i > 0; --i) e.series[g.str(3)] = {static_cast<std::int64_t>(g.next())};
    for (std::size_t i = g.below(4); i > 0; --i) e.deep.push_back({{g.str(2), {static_cast<std::int16_t>(g.next())}}});
    for (std::size_t i = g.below(4); i > 0; --i) e.inners.push_back({static_cast<std::int32_t>(g.next()), g.str(8)});
    if (g.below(2)) e.maybe_int = 5;
    auto m = message(e, g.below(2) == 0);
    MessageScanner s;
    std::size_t pos = 0;
    ScanEvent ev;
    while (pos < m.size()) {
      std::size_t n = 1 + g.below(17);
      if (pos + n > m.size()) n = m.size() - pos;
      ev = s.feed(std::span(m).subspan(pos, n));
      pos += ev.consumed;
      if (ev.status != ScanEvent::Status::need_more) break;
    }
    REQUIRE(ev.status == ScanEvent::Status::complete);
    CHECK(pos == m.size());
    CHECK(ev.message_size == m.size());
  }
}

TEST_CASE("scanner errors carry kind and offset within the message") {
  struct Case {
    const char* hex;
    ErrorKind kind;
    std::size_t offset;
  };
  const Case cases[] = {
      {"80 02 00 01", ErrorKind::bad_version, 0},
      {"80 01 00 09", ErrorKind::invalid_message_type, 3},
      {"80 01 00 01 ff ff ff ff", ErrorKind::negative_size, 4},
      {"00 00 00 01 61 07", ErrorKind::invalid_message_type, 5},
      {"80 01 00 01 00 00 00 00 00 00 00 01  05", ErrorKind::invalid_type, 12},
      {"80 01 00 01 00 00 00 00 00 00 00 01  0b 00 01 ff ff ff fe", ErrorKind::negative_size, 15},
      {"80 01 00 01 00 00 00 00 00 00 00 01  0f 00 01 08 7f ff ff ff", ErrorKind::size_limit, 16},
      {"80 01 00 01 00 00 00 00 00 00 00 01  0d 00 01 08 01 00 00 00 01", ErrorKind::invalid_type, 16},
  };
  for (const Case& c : cases) {
    CAPTURE(c.hex);
    MessageScanner s;
    ScanEvent ev = s.feed(bytes(c.hex));
    REQUIRE(ev.status == ScanEvent::Status::error);
    CHECK(ev.error.kind == c.kind);
    CHECK(ev.error.offset == c.offset);
    CHECK(s.feed(bytes("00")).status == ScanEvent::Status::error);  // sticky until reset()
  }
}

TEST_CASE("scanner honours strict_read, depth and message size limits") {
  {
    ReaderOptions o;
    o.strict_read = true;
    MessageScanner s(o);
    CHECK(s.feed(bytes("00 00 00 01 61 01 00 00 00 01 00")).error.kind == ErrorKind::bad_version);
    MessageScanner lenient;
    CHECK(lenient.feed(bytes("00 00 00 01 61 01 00 00 00 01 00")).status == ScanEvent::Status::complete);
  }
  {
    // lists nested 10,000 deep, fed in one go: refused at depth 64 (the body struct is 1)
    std::vector<std::byte> m = bytes("80 01 00 01 00 00 00 00 00 00 00 01  0f 00 01");
    for (int i = 0; i < 10000; ++i) for (auto b : bytes("0f 00 00 00 01")) m.push_back(b);
    MessageScanner s;
    ScanEvent ev = s.feed(m);
    REQUIRE(ev.status == ScanEvent::Status::error);
    CHECK(ev.error.kind == ErrorKind::depth_limit);
    CHECK(ev.error.offset == 15 + 63 * 5);
  }
  {
    ReaderOptions o;
    o.limits.max_message_size = 30;
    auto m = bytes("80 01 00 01 00 00 00 00 00 00 00 01  0b 00 01 00 00 00 10");  // 16-byte string: 35 in all
    MessageScanner s(o);
    ScanEvent ev = s.feed(m);
    REQUIRE(ev.status == ScanEvent::Status::error);
    CHECK(ev.error.kind == ErrorKind::message_too_large);
    s.reset();
    o.limits.max_message_size = 36;
    MessageScanner ok(o);
    auto full = m;
    full.resize(full.size() + 16);
    full.push_back(std::byte{0});
    CHECK(ok.feed(full).status == ScanEvent::Status::complete);
  }
}

TEST_CASE("scanner and reader agree on a non-positive depth limit: nothing nests") {
  ReaderOptions o;
  o.limits.max_depth = -1;
  auto m = bytes("80 01 00 01 00 00 00 00 00 00 00 01 00");
  MessageScanner s(o);
  CHECK(s.feed(m).error.kind == ErrorKind::depth_limit);
  BinaryReader r(m, o);
  r.read_message_begin();
  r.skip(TType::Struct);
  CHECK(r.error().kind == ErrorKind::depth_limit);
}

TEST_CASE("a list of a million empty structs is refused by the container limit, not walked") {
  auto m = bytes("80 01 00 01 00 00 00 00 00 00 00 01  0f 00 01 0c 00 0f 42 41");  // 1,000,001 elements
  MessageScanner s;
  ScanEvent ev = s.feed(m);
  REQUIRE(ev.status == ScanEvent::Status::error);
  CHECK(ev.error.kind == ErrorKind::size_limit);
}
